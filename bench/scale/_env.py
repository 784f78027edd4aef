"""Django set-up shared by the scale bench scripts (environment defaults, then ``django.setup``)."""

from __future__ import annotations

import os

# A province-sized register: every kelurahan of Banten (the deployment area of a province).
DEFAULT_AREA = "36"


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    os.environ.setdefault("NAIKKELAS_AREA_CODE", DEFAULT_AREA)
    import django

    django.setup()


def describe_database() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({settings['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return (
        f"PostgreSQL {version} (database {settings['NAME']} at {settings.get('HOST') or 'local'})"
    )


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            size = pages * cursor.fetchone()[0]
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    return f"{size / 2**20:,.0f} MB"
