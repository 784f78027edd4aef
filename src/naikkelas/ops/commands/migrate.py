"""``naikkelas migrate``: bring the database up to this release, after a backup."""

from __future__ import annotations

import argparse
import sys

HELP = "apply this release's database migrations (a backup is made first)"
DESCRIPTION = """Apply the database migrations of the installed release.

Before anything changes, a backup is made with `naikkelas backup` (into the backup directory,
NAIKKELAS_BACKUP_DIR) unless --no-backup is given or there is nothing to migrate. Use
--plan to see what would be applied. `naikkelas serve` refuses to start until this has run.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", action="store_true", help="list what would be applied")
    parser.add_argument(
        "--no-backup", action="store_true", help="do not make a backup first (not advised)"
    )


def run(options: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.db.utils import OperationalError

    from naikkelas.ops.schema import unapplied_migrations

    try:
        pending = unapplied_migrations()
    except OperationalError as error:
        print(f"naikkelas migrate: basis data tidak dapat dibuka: {error}", file=sys.stderr)
        return 2
    if options.plan or not pending:
        if not pending:
            print("Basis data sudah mutakhir; tidak ada migrasi yang perlu dijalankan.")
        for name in pending:
            print(f"  {name}")
        return 0
    print(f"{len(pending)} migrasi akan dijalankan.", flush=True)
    if not options.no_backup and _has_tables():
        from naikkelas.ops.commands import backup

        print("Membuat cadangan lebih dulu…", flush=True)
        code = backup.run(backup.default_options())
        if code != 0:
            print(
                "naikkelas migrate: cadangan gagal; migrasi tidak dijalankan "
                "(gunakan --no-backup bila memang disengaja).",
                file=sys.stderr,
            )
            return code
    call_command("migrate", interactive=False, verbosity=1)
    return 0


def _has_tables() -> bool:
    """A database with data in it (a brand-new one needs no backup)."""
    from django.db import connection

    with connection.cursor() as cursor:
        return "django_migrations" in connection.introspection.table_names(cursor)
