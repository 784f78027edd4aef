"""Moving a SQLite pilot onto PostgreSQL (``naikkelas migrate-to-postgres``, issue 12).

The source is the pilot's SQLite database: the ``default`` connection when the command runs in
the pilot's environment, or a copy of its data directory opened as a second connection
(``--from``, on the server). The target is a PostgreSQL database: a URL opened as a second
connection, or the server's own ``default``. Its schema comes from ``naikkelas migrate``,
which the command runs first. Then, in one transaction on each side (the pilot's SQLite file
is locked against writes meanwhile):

1. the rows that installing wrote by itself (content types, permissions, seeded lists,
   reference data) are emptied from the target: the pilot's rows win, with their ids, which
   other rows refer to;
2. every Django model's table is copied with ``COPY``: primary keys and every value as stored
   (``auto_now`` timestamps are not stamped anew, no signals fire);
3. the foreign keys are checked (PostgreSQL defers them to here), the id sequences are set
   past the copied ids, and both sides are compared: row counts, a checksum of every table's
   content and the register checksum (``ops.inventory``). Any difference rolls it all back.

SQLite's full-text search tables are not model tables and are not copied; PostgreSQL's own
search indexes come from the migrations. The uploaded files and the secret key are plain
files, copied (and verified by SHA-256) into the server's data directory.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.utils import ConnectionHandler

from naikkelas.core.models import AuditEvent
from naikkelas.ops.backup import file_digest
from naikkelas.ops.inventory import (
    canonical,
    model_checksum,
    model_tables,
    register_digest,
    table_counts,
)

TARGET_ALIAS = "naikkelas_target"
SOURCE_ALIAS = "naikkelas_source"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
DEFAULT_BATCH_SIZE = 2000

# Rows an installation writes by itself, before anyone enters anything. A target holding rows
# only in these tables counts as empty, and they are replaced by the pilot's rows (whose ids
# other rows refer to):
# * ``migrate``: content types and permissions, the guidance rule base, the seeded kendala
#   categories and membership types (tests/ops/test_to_postgres.py checks this list against a
#   freshly migrated database);
MIGRATE_FILLED_TABLES = frozenset(
    {
        "association_membershiptype",
        "auth_permission",
        "django_content_type",
        "guidance_guidancerule",
        "kendala_kendalacategory",
    }
)
# * deploy/install.sh's reference data: region codes, sectors, the census form;
INSTALLER_FILLED_TABLES = frozenset({"fieldwork_formversion", "regions_region", "registry_sector"})
# * the running service: worker heartbeats, daily-job claims and the jobs they queued, the
#   duplicate-check index state, data-version stamps; and the audit events of all this, which
#   have no actor (events with one are somebody's work: see :func:`target_data_counts`).
SERVICE_FILLED_TABLES = frozenset(
    {
        "core_auditevent",
        "core_datachange",
        "core_dailyjobrun",
        "django_tasks_database_dbtaskresult",
        "linkage_registerindexstate",
        "ops_workerheartbeat",
    }
)
REPLACEABLE_TABLES = MIGRATE_FILLED_TABLES | INSTALLER_FILLED_TABLES | SERVICE_FILLED_TABLES
# Audit events counted as data in the target: those somebody caused.
PEOPLES_EVENTS_TABLE = "core_auditevent (dengan pelaku)"


class MoveError(Exception):
    """The move cannot start or did not complete; the message says why (in Bahasa Indonesia).
    Nothing was committed to the target database."""


class VerificationError(MoveError):
    """The copy differs from the pilot (the transaction was rolled back)."""

    def __init__(self, checks: list[TableCheck], problems: list[str]) -> None:
        super().__init__("Salinan tidak sama dengan sumber; semua dibatalkan.")
        self.checks = checks
        self.problems = problems


# --------------------------------------------------------------------------------------------
# The target database URL
# --------------------------------------------------------------------------------------------


def target_settings(url: str) -> dict[str, Any]:
    """Django's ``DATABASES`` entry for a PostgreSQL URL (``postgres://user:pass@host:port/db``),
    or :class:`MoveError` when it is not one."""
    url = url.strip()
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in POSTGRES_SCHEMES:
        raise MoveError(
            f"Alamat tujuan {redacted(url)!r} bukan alamat PostgreSQL. Contoh: "
            "postgres://naikkelas:KATASANDI@localhost:5432/naikkelas"
        )
    config = environ.Env.db_url_config(url)
    if not config.get("NAME"):
        raise MoveError(
            f"Alamat tujuan {redacted(url)!r} tidak menyebut nama basis data "
            "(bagian setelah garis miring terakhir, mis. .../naikkelas)."
        )
    config["ENGINE"] = "django.db.backends.postgresql"
    # Django's defaults for the keys a DATABASES entry may leave out
    return dict(ConnectionHandler({"default": config}).settings["default"])


def redacted(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<alamat tidak terbaca>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@contextmanager
def database_alias(alias: str, settings_dict: dict[str, Any]) -> Iterator[str]:
    """One more database connection, ``alias``, for the duration of a ``with``."""
    connections.settings[alias] = settings_dict
    try:
        yield alias
    finally:
        for opened in connections.all(initialized_only=True):
            if opened.alias == alias:
                opened.close()
                del connections[alias]
        connections.settings.pop(alias, None)


def target_database(url: str) -> Any:
    """The PostgreSQL database at ``url`` as the connection ``TARGET_ALIAS`` (``with``)."""
    return database_alias(TARGET_ALIAS, target_settings(url))


def sqlite_settings(path: Path) -> dict[str, Any]:
    """A ``DATABASES`` entry for a pilot's SQLite file read from elsewhere (``--from``):
    writes are locked out while the move reads it (``BEGIN IMMEDIATE``)."""
    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA busy_timeout=5000;", "transaction_mode": "IMMEDIATE"},
    }
    return dict(ConnectionHandler({"default": config}).settings["default"])


def target_connect(*, using: str) -> str:
    """Open the target connection; returns the server version (``15.4``) or raises
    :class:`MoveError` with what went wrong (server down, wrong password, no such database)."""
    connection = connections[using]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        detail = " ".join(line.strip() for line in str(error).splitlines()) or repr(error)
        raise MoveError(
            f"Tidak dapat terhubung ke PostgreSQL tujuan ({connection.settings_dict['NAME']} di "
            f"{connection.settings_dict['HOST'] or 'soket lokal'}): {detail}"
        ) from error
    version = connection.pg_version  # type: ignore[attr-defined]
    return f"{version // 10000}.{version % 10000}"


# --------------------------------------------------------------------------------------------
# Is the target empty?
# --------------------------------------------------------------------------------------------


def blocking_tables(counts: Mapping[str, int]) -> dict[str, int]:
    """The tables with rows that an installation does not write by itself: data someone put
    there, which the move would otherwise overwrite."""
    return {t: n for t, n in sorted(counts.items()) if n and t not in REPLACEABLE_TABLES}


def target_counts(*, using: str) -> dict[str, int]:
    """Rows per Django model table that already exists in the target."""
    connection = connections[using]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    return table_counts([t for t in model_tables() if t in present], using=using)


def target_data_counts(*, using: str) -> dict[str, int]:
    """:func:`target_counts`, with the audit events that somebody caused counted apart (as
    ``PEOPLES_EVENTS_TABLE``): the system's own events do not make a target hold data."""
    counts = target_counts(using=using)
    if counts.get(AuditEvent._meta.db_table):
        events = AuditEvent.objects.using(using).filter(actor__isnull=False)
        counts[PEOPLES_EVENTS_TABLE] = events.count()
    return counts


def unknown_migrations(*, using: str) -> list[str]:
    """Migrations recorded as applied in the database that this release does not have (a
    newer release made that database)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return sorted(
        f"{app}.{name}" for app, name in loader.applied_migrations if (app, name) not in known
    )


# --------------------------------------------------------------------------------------------
# Copying the tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    seconds: float
    digest: str  # of the source rows as read for the copy (``inventory.model_checksum``'s)


@dataclass(frozen=True)
class TableCheck:
    """One table on both sides: row counts (``COUNT(*)``) and content checksums."""

    table: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str

    @property
    def same(self) -> bool:
        return self.source_rows == self.target_rows and self.source_digest == self.target_digest


@dataclass
class CopyResult:
    copies: list[TableCopy] = field(default_factory=list)
    checks: list[TableCheck] = field(default_factory=list)
    register_checksum: str = ""
    seconds_copy: float = 0.0
    seconds_verify: float = 0.0

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.copies)


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns of the model's own table that take a value on insert (not generated)."""
    return [f for f in model._meta.local_concrete_fields if not f.generated]


class RowsDigest:
    """The order-independent digest of a table's rows exactly as
    :func:`naikkelas.ops.inventory.model_checksum` makes it (the sum mod 2**256 of each row's
    SHA-256 over its canonical values), taken while the rows stream past."""

    MOD = 2**256

    def __init__(self) -> None:
        self.rows = 0
        self.total = 0

    def add(self, row: Iterable[Any]) -> None:
        text = "\x1f".join(canonical(v) for v in row)
        digest = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
        self.total = (self.total + digest) % self.MOD
        self.rows += 1

    @property
    def hexdigest(self) -> str:
        return f"{self.total:064x}"


def table_copy(
    *, model: type[models.Model], source: str, target: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, str]:
    """Copy one model's rows as stored, with PostgreSQL's ``COPY``: every value goes through
    its field's ``get_db_prep_save`` (as in any insert) but no ``pre_save``, so
    ``auto_now``/``auto_now_add`` times stay as they were and files are not saved again, and no
    model signals are sent. ``batch_size`` rows are read from the source at a time. Returns
    the rows copied and the digest of the source rows (:class:`RowsDigest`)."""
    meta = model._meta
    read = list(meta.concrete_fields)  # what model_checksum reads, so the digests compare
    written = insert_fields(model)
    picks = [read.index(f) for f in written]
    connection = connections[target]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in written)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    rows = (
        model._base_manager.using(source)
        .order_by(meta.pk.attname)
        .values_list(*(f.attname for f in read))
        .iterator(chunk_size=batch_size)
    )
    prepare = [(i, f.get_db_prep_save) for i, f in zip(picks, written, strict=True)]
    digest = RowsDigest()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([prep(row[i], connection) for i, prep in prepare])
                digest.add(row)
    return digest.rows, digest.hexdigest


def tables_empty(*, tables: Iterable[str], using: str) -> None:
    """Empty the given tables in one statement (the target's own rows; see the module doc)."""
    connection = connections[using]
    names = ", ".join(connection.ops.quote_name(t) for t in tables)
    if names:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {names}")


def constraints_check(*, using: str) -> None:
    """Check the deferred foreign keys now (instead of at commit), inside the transaction."""
    with connections[using].cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def sequences_reset(*, models_: Iterable[type[models.Model]], using: str) -> None:
    """Set every id sequence past the largest copied id (new rows get fresh ids)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def database_analyze(*, using: str) -> None:
    """Fresh planner statistics for the copied tables (PostgreSQL ``ANALYZE``)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def tables_compare(
    *, copies: Iterable[TableCopy], source: str, target: str
) -> tuple[list[TableCheck], str, str]:
    """Every copied table on both sides: ``COUNT(*)`` and the content checksum (the source's
    taken during the copy, the target's read back now); and both register checksums."""
    tables = model_tables()
    source_counts = table_counts(tables, using=source)
    target_counts_ = table_counts(tables, using=target)
    checks = []
    source_digests: dict[str, tuple[int, str]] = {}
    target_digests: dict[str, tuple[int, str]] = {}
    for copy in copies:
        source_digests[copy.table] = (copy.rows, copy.digest)
        target_digests[copy.table] = model_checksum(tables[copy.table], using=target)
        checks.append(
            TableCheck(
                table=copy.table,
                source_rows=source_counts[copy.table],
                target_rows=target_counts_[copy.table],
                source_digest=copy.digest,
                target_digest=target_digests[copy.table][1],
            )
        )
    return checks, register_digest(source_digests), register_digest(target_digests)


def check_problems(
    checks: Iterable[TableCheck], *, source_register: str, target_register: str
) -> list[str]:
    """What differs, one line per table (empty: the copy is the same as the source)."""
    problems = []
    for check in checks:
        if check.source_rows != check.target_rows:
            problems.append(
                f"{check.table}: {check.target_rows} baris di tujuan, {check.source_rows} di sumber"
            )
        elif check.source_digest != check.target_digest:
            problems.append(f"{check.table}: jumlah baris sama, isinya berbeda")
    if source_register != target_register:
        problems.append("checksum register berbeda")
    return problems


def database_copy(
    *,
    source: str,
    target: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[TableCopy], None] | None = None,
) -> CopyResult:
    """Copy every model table from ``source`` into the migrated, empty ``target`` and verify
    it, all in one transaction on the target (rolled back on any difference or error)."""
    tables = model_tables()
    result = CopyResult()
    started = time.perf_counter()
    try:
        with transaction.atomic(using=source), transaction.atomic(using=target):
            present = target_counts(using=target)
            missing = sorted(set(tables) - set(present))
            if missing:
                raise MoveError(
                    "Tabel belum ada di tujuan (skema belum dimigrasikan): " + ", ".join(missing)
                )
            blocking = blocking_tables(target_data_counts(using=target))
            if blocking:
                raise MoveError(not_empty_message(blocking))
            if any(present.values()):  # one TRUNCATE of all: the FKs between them allow no less
                tables_empty(tables=present, using=target)
            for table, model in tables.items():
                began = time.perf_counter()
                try:
                    rows, digest = table_copy(
                        model=model, source=source, target=target, batch_size=batch_size
                    )
                except DatabaseError as error:
                    raise MoveError(f"Gagal menyalin tabel {table}: {error}".strip()) from error
                copy = TableCopy(
                    table=table, rows=rows, seconds=time.perf_counter() - began, digest=digest
                )
                result.copies.append(copy)
                if progress is not None:
                    progress(copy)
            try:
                constraints_check(using=target)
            except DatabaseError as error:
                raise MoveError(
                    f"Rujukan antartabel tidak utuh di basis data sumber: {error}".strip()
                ) from error
            sequences_reset(models_=tables.values(), using=target)
            result.seconds_copy = time.perf_counter() - started
            began = time.perf_counter()
            result.checks, source_register, result.register_checksum = tables_compare(
                copies=result.copies, source=source, target=target
            )
            result.seconds_verify = time.perf_counter() - began
            problems = check_problems(
                result.checks,
                source_register=source_register,
                target_register=result.register_checksum,
            )
            if problems:
                raise VerificationError(result.checks, problems)
    except DatabaseError as error:  # the commit itself, or the pilot's file is locked
        raise MoveError(f"Pemindahan gagal dan dibatalkan: {error}".strip()) from error
    return result


# Named first when a target is refused: the tables that show whose data it is.
HEADLINE_TABLES = ("registry_business", "accounts_user", PEOPLES_EVENTS_TABLE)


def not_empty_message(blocking: Mapping[str, int]) -> str:
    ordered = sorted(blocking, key=lambda t: (t not in HEADLINE_TABLES, -blocking[t], t))
    shown = ", ".join(f"{t} ({thousands(blocking[t])} baris)" for t in ordered[:6])
    more = f" dan {len(ordered) - 6} tabel lain" if len(ordered) > 6 else ""
    return (
        f"Basis data tujuan sudah berisi data: {shown}{more}. Pemindahan hanya ke basis data "
        "kosong (boleh sudah dimigrasikan). Buat basis data baru, atau hapus dan buat ulang "
        "yang ini bila isinya memang tidak diperlukan."
    )


# --------------------------------------------------------------------------------------------
# The files: uploads and the secret key
# --------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    return file_digest(path)[1]


@dataclass
class MediaPlan:
    """The uploaded files under ``source`` against ``target`` (relative paths)."""

    source: Path
    target: Path
    to_copy: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # already there, same content
    conflicts: list[str] = field(default_factory=list)  # already there, different content
    bytes_to_copy: int = 0


def media_plan(*, source: Path, target: Path) -> MediaPlan:
    """What copying ``source`` into ``target`` would do (reads, writes nothing)."""
    plan = MediaPlan(source=source, target=target)
    if not source.is_dir():
        return plan
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(source).as_posix()
        existing = target / relative
        if not existing.exists():
            plan.to_copy.append(relative)
            plan.bytes_to_copy += path.stat().st_size
        elif existing.is_file() and file_sha256(existing) == file_sha256(path):
            plan.present.append(relative)
        else:
            plan.conflicts.append(relative)
    return plan


@dataclass(frozen=True)
class MediaCopy:
    copied: int
    present: int
    bytes: int


def media_copy(plan: MediaPlan) -> MediaCopy:
    """Copy the planned files (a temporary name, then renamed) and check each copy's SHA-256
    against the original. Raises :class:`MoveError` on a conflict or a bad copy."""
    if plan.conflicts:
        raise MoveError(
            f"{len(plan.conflicts)} berkas sudah ada di {plan.target} dengan isi berbeda, "
            f"mis. {plan.conflicts[0]}; tidak ada berkas yang ditimpa."
        )
    copied_bytes = 0
    for relative in plan.to_copy:
        original = plan.source / relative
        destination = plan.target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".naikkelas-partial")
        shutil.copy2(original, partial)
        if file_sha256(partial) != file_sha256(original):
            partial.unlink()
            raise MoveError(f"Salinan berkas {relative} tidak sama dengan aslinya (SHA-256).")
        partial.replace(destination)
        copied_bytes += destination.stat().st_size
    return MediaCopy(copied=len(plan.to_copy), present=len(plan.present), bytes=copied_bytes)


def referenced_files(*, using: str) -> set[str]:
    """Every file name stored in a file field of any model (relative to the media root)."""
    names: set[str] = set()
    for model in model_tables().values():
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, models.FileField):
                values = (
                    model._base_manager.using(using)
                    .exclude(**{model_field.attname: ""})
                    .exclude(**{f"{model_field.attname}__isnull": True})
                    .values_list(model_field.attname, flat=True)
                )
                names.update(values)
    return names


def files_missing(*, names: Iterable[str], root: Path) -> list[str]:
    """The names that are not a file under ``root``."""
    return sorted(n for n in names if not (root / n).is_file())


def secret_key_copy(*, source: Path, target: Path) -> str:
    """Put the pilot's secret key file into the server's data directory (0600). A different
    key already there (the server made its own at first start) is kept beside it as
    ``secret_key.before-move``. Returns what was done: ``copied``, ``same`` or ``replaced``."""
    key = source.read_text().strip()
    if target.exists():
        if target.read_text().strip() == key:
            return "same"
        target.replace(target.with_name(target.name + ".before-move"))
        outcome = "replaced"
    else:
        outcome = "copied"
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return outcome


def thousands(number: int) -> str:
    """``91599`` -> ``91.599`` (Indonesian digit grouping)."""
    return f"{number:,}".replace(",", ".")


def counts_table(checks: Iterable[TableCheck]) -> str:
    """The final table: rows on both sides and whether the content matches, for every table
    that has rows on either side (the empty ones are counted in one line)."""
    checks = list(checks)
    shown = [c for c in checks if c.source_rows or c.target_rows or not c.same]
    width = max([len("Tabel"), *(len(c.table) for c in shown)])
    lines = [f"{'Tabel':<{width}}  {'sumber':>9}  {'tujuan':>9}  isi"]
    for check in shown:
        mark = "sama" if check.same else "BEDA"
        lines.append(
            f"{check.table:<{width}}  {thousands(check.source_rows):>9}  "
            f"{thousands(check.target_rows):>9}  {mark}"
        )
    total_source = sum(c.source_rows for c in checks)
    total_target = sum(c.target_rows for c in checks)
    lines.append(f"{'Jumlah':<{width}}  {thousands(total_source):>9}  {thousands(total_target):>9}")
    if len(shown) < len(checks):
        lines.append(f"({len(checks) - len(shown)} tabel lain kosong di kedua sisi)")
    return "\n".join(lines)
