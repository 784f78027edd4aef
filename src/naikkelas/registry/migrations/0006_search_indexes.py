"""Search indexes for a province-sized register (issue 10, ADR 0018).

* Both databases: ``(status, name_key, id)`` on businesses, the order of the register list, so
  that a page (keyset pagination) is an index range scan; on PostgreSQL it also carries
  (``INCLUDE``) the columns the list filters on (kecamatan, kelurahan, sector, size class,
  binaan, NIB), so that a page's ids come from the index alone.
* PostgreSQL: ``pg_trgm`` GIN indexes on the business and owner name keys and phone numbers
  (substring search ``LIKE '%...%'``) and ``varchar_pattern_ops`` indexes on NIK and NIB (prefix
  search under any collation). ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database
  owner may create it. Where it cannot be created the search still works, only slower.
* SQLite: FTS5 trigram tables for the business and owner name keys, kept in step by triggers.
  The FTS row id comes from a small map table with an ``INTEGER PRIMARY KEY`` (stable across
  ``VACUUM``, unlike the implicit rowid of the UUID-keyed tables).
"""

from __future__ import annotations

import logging

from django.db import migrations, models, transaction

logger = logging.getLogger(__name__)

PG_TRGM = (
    ("registry_business_name_trgm", "registry_business", "name_key"),
    ("registry_owner_name_trgm", "registry_owner", "name_key"),
    ("registry_business_phone_trgm", "registry_business", "phone"),
    ("registry_owner_phone_trgm", "registry_owner", "phone"),
)
PG_PATTERN = (
    ("registry_owner_nik_pattern", "registry_owner", "nik"),
    ("registry_business_nib_pattern", "registry_business", "nib"),
)
# (fts table, map table, source table)
SQLITE_FTS = (
    ("registry_business_fts", "registry_business_fts_map", "registry_business", "business_id"),
    ("registry_owner_fts", "registry_owner_fts_map", "registry_owner", "owner_id"),
)


def _sqlite_statements(fts: str, fts_map: str, source: str, key: str) -> list[str]:
    doc = f"(SELECT doc FROM {fts_map} WHERE {key} = {{row}}.id)"
    return [
        f"CREATE TABLE {fts_map} (doc INTEGER PRIMARY KEY, {key} char(32) NOT NULL UNIQUE)",
        f"CREATE VIRTUAL TABLE {fts} USING fts5(name_key, tokenize='trigram')",
        f"INSERT INTO {fts_map} ({key}) SELECT id FROM {source}",
        f"INSERT INTO {fts} (rowid, name_key) SELECT m.doc, s.name_key FROM {source} s "
        f"JOIN {fts_map} m ON m.{key} = s.id",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {source} BEGIN "
        f"INSERT INTO {fts_map} ({key}) VALUES (new.id); "
        f"INSERT INTO {fts} (rowid, name_key) VALUES ({doc.format(row='new')}, new.name_key); "
        "END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF name_key ON {source} BEGIN "
        f"UPDATE {fts} SET name_key = new.name_key WHERE rowid = {doc.format(row='new')}; "
        "END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {source} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = {doc.format(row='old')}; "
        f"DELETE FROM {fts_map} WHERE {key} = old.id; "
        "END",
    ]


def _sqlite_has_trigram(cursor) -> bool:  # type: ignore[no-untyped-def]
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.naikkelas_probe USING fts5(x, tokenize='trigram')")
        cursor.execute("DROP TABLE temp.naikkelas_probe")
    except Exception:  # noqa: BLE001 (an SQLite without FTS5 or its trigram tokenizer)
        return False
    return True


def forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                trigram = True
            except Exception:  # noqa: BLE001 (no right to create it: search falls back to scans)
                logger.warning("pg_trgm could not be created; substring search will scan")
                trigram = False
            if trigram:
                for name, table, column in PG_TRGM:
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                        f"USING gin ({column} gin_trgm_ops)"
                    )
            # the list order, covering the columns the list filters on most: the ids of a page
            # come from the index alone (index-only scan), however many rows a filter skips
            cursor.execute("DROP INDEX IF EXISTS business_status_name_idx")
            cursor.execute(
                "CREATE INDEX business_status_name_idx ON registry_business "
                "(status, name_key, id) INCLUDE "
                "(kecamatan_id, desa_kelurahan_id, sector_id, size_class, is_binaan, nib)"
            )
            for name, table, column in PG_PATTERN:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
                )
        elif connection.vendor == "sqlite" and _sqlite_has_trigram(cursor):
            for spec in SQLITE_FTS:
                for statement in _sqlite_statements(*spec):
                    cursor.execute(statement)


def backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, _table, _column in (*PG_TRGM, *PG_PATTERN):
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute("DROP INDEX IF EXISTS business_status_name_idx")
            cursor.execute(
                "CREATE INDEX business_status_name_idx ON registry_business (status, name_key, id)"
            )
        elif connection.vendor == "sqlite":
            for fts, fts_map, _source, _key in SQLITE_FTS:
                for suffix in ("ai", "au", "ad"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts_map}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_change_stamps_indexed"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="business",
            index=models.Index(fields=["status", "name_key", "id"], name="business_status_name_idx"),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(fields=["status", "size_class"], name="business_status_size_idx"),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
