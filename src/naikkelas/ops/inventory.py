"""What an installation holds, in a form two installations can compare: the row count of every
table and an order-independent checksum of the register.

Used to prove a backup restored exactly (same engine: every table, including SQLite's search
tables) and that a SQLite pilot moved onto PostgreSQL whole (every Django model's table). The
checksum reads rows through the ORM, so the same data gives the same digest on SQLite and on
PostgreSQL (values are put in one canonical text form first).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connections, models

# The apps whose tables make up "the register" in the checksum.
REGISTER_APPS = ("registry",)
_MOD = 2**256
_CHUNK = 5000


def model_tables(*, include_auto_created: bool = True) -> dict[str, type[models.Model]]:
    """Every concrete, managed Django model's table (with the many-to-many tables)."""
    tables: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=include_auto_created):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        tables[meta.db_table] = model
    return dict(sorted(tables.items()))


def database_tables(*, using: str = "default") -> list[str]:
    """Every table in the database (Django's and the engine-specific ones such as SQLite's
    full-text search tables), without the engine's own catalogue."""
    connection = connections[using]
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def table_counts(tables: Iterable[str] | None = None, *, using: str = "default") -> dict[str, int]:
    """``{table: rows}`` for the given tables (default: every table in the database)."""
    connection = connections[using]
    names = list(tables) if tables is not None else database_tables(using=using)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = int(cursor.fetchone()[0])
    return counts


def canonical(value: Any) -> str:
    """One text form per value, whichever engine it came from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def model_checksum(model: type[models.Model], *, using: str = "default") -> tuple[int, str]:
    """``(rows, hex digest)`` of one model's table: the sum (mod 2**256) of every row's
    SHA-256, so the order rows come back in does not matter."""
    fields = [f.attname for f in model._meta.concrete_fields]
    total = 0
    rows = 0
    queryset = model._base_manager.using(using).values_list(*fields).order_by()
    for row in queryset.iterator(chunk_size=_CHUNK):
        text = "\x1f".join(canonical(v) for v in row)
        total = (total + int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")) % _MOD
        rows += 1
    return rows, f"{total:064x}"


def register_tables() -> list[str]:
    """The tables that make up the register, in a fixed order."""
    return [t for t, m in model_tables().items() if m._meta.app_label in REGISTER_APPS]


def register_digest(checksums: Mapping[str, tuple[int, str]]) -> str:
    """The register checksum from each register table's ``(rows, model_checksum)``."""
    digest = hashlib.sha256()
    for table in register_tables():
        rows, checksum = checksums[table]
        digest.update(f"{table}:{rows}:{checksum}\n".encode())
    return digest.hexdigest()


def register_checksum(*, using: str = "default") -> str:
    """One digest of every table of the register (businesses, owners, their figures, permits,
    channels...): equal exactly when the two registers hold the same rows."""
    tables = model_tables()
    return register_digest(
        {table: model_checksum(tables[table], using=using) for table in register_tables()}
    )


def inventory(*, using: str = "default", all_tables: bool = True) -> dict[str, Any]:
    """Counts (every database table, or only Django's) plus the register checksum."""
    tables = None if all_tables else list(model_tables())
    return {
        "tables": table_counts(tables, using=using),
        "register_checksum": register_checksum(using=using),
    }


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """What differs between two inventories, one line per difference (empty: identical)."""
    problems: list[str] = []
    want, got = expected.get("tables", {}), actual.get("tables", {})
    for table in sorted(set(want) | set(got)):
        if table not in got:
            problems.append(f"{table}: missing (expected {want[table]} rows)")
        elif table not in want:
            problems.append(f"{table}: unexpected table ({got[table]} rows)")
        elif want[table] != got[table]:
            problems.append(f"{table}: {got[table]} rows, expected {want[table]}")
    if expected.get("register_checksum") != actual.get("register_checksum"):
        problems.append(
            "register checksum differs: "
            f"{actual.get('register_checksum')} != {expected.get('register_checksum')}"
        )
    return problems
