"""Making a backup: the database (a consistent snapshot, taken while naikkelas keeps running),
the uploaded files and the secret key, in one dated archive with a checksum beside it,
encrypted when a passphrase is given (``ops.encryption``).

The archive is a gzip-compressed POSIX tar (PAX) with, in this order::

    manifest.json                 what is inside (below)
    README.txt                    how to restore it, for whoever finds the archive
    database/naikkelas.sqlite3    SQLite: a copy made with SQLite's online backup API
    database/naikkelas.pgdump     or PostgreSQL: ``pg_dump --format=custom``
    secret_key                    the data directory's secret key, when there is one
    media/<path>                  every file under MEDIA_ROOT

``manifest.json``: ``format`` ("naikkelas-backup"), ``format_version``, ``naikkelas_version``,
``created_at`` (UTC, ISO 8601), ``engine`` ("sqlite"/"postgresql"), ``database`` (member name
and engine versions), ``migrations`` (``{app: [applied migration names]}``), ``inventory``
(``ops.inventory``: every table's row count and the register checksum, computed on the very
snapshot archived; the checksum is null when the schema lacked migrations of the release that
made the backup, listed in ``pending_migrations``), ``secret_key`` ("file", "environment" or "none"), ``media`` ("filesystem",
"s3" or "skipped") and ``files``: ``[{"name", "size", "sha256"}]`` for every member after the
manifest.

The archive is written under a hidden temporary name in the backup directory and renamed when
complete, so a backup that dies never leaves a half archive under a real name.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from naikkelas.ops.backup_names import backup_file_name, list_backups
from naikkelas.ops.encryption import DEFAULT_LOG_N, EncryptingWriter
from naikkelas.ops.inventory import inventory, table_counts
from naikkelas.ops.retention import backups_to_delete
from naikkelas.ops.schema import unapplied_migrations

FORMAT = "naikkelas-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
README_NAME = "README.txt"
SQLITE_MEMBER = "database/naikkelas.sqlite3"
POSTGRES_MEMBER = "database/naikkelas.pgdump"
SECRET_KEY_MEMBER = "secret_key"  # noqa: S105 (a file name)
MEDIA_PREFIX = "media/"
GZIP_LEVEL = 6
_BLOCK = 1 << 20
_LOCK_NAME = ".naikkelas-backup.lock"
_PARTIAL_GLOB = ".naikkelas-backup-*.partial"
_STAGING_PREFIX = ".naikkelas-staging-"

README_TEXT = """\
naikkelas backup archive / arsip cadangan naikkelas

Restore it with the naikkelas release named in manifest.json (or a newer one) onto an empty
installation:

    naikkelas restore ARCHIVE.tar.gz [--passphrase-file FILE]

then run `naikkelas migrate` if the installed release is newer. See docs/backup.md.

By hand: database/naikkelas.sqlite3 is an ordinary SQLite 3 database file;
database/naikkelas.pgdump is a PostgreSQL custom-format dump (pg_restore --no-owner
--no-privileges -d DBNAME); media/ holds the uploaded files (MEDIA_ROOT); secret_key belongs
in the data directory (NAIKKELAS_DATA_DIR). manifest.json lists every file with its size and
SHA-256, the applied migrations and the row count of every table.
"""


class BackupError(Exception):
    """A backup could not be made; the message tells the operator why (Bahasa Indonesia)."""


# --- small helpers shared with ops.restore --------------------------------------------------


def naikkelas_version() -> str:
    try:
        return metadata.version("naikkelas")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_digest(path: Path) -> tuple[int, str]:
    """``(size, sha256 hex)`` of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def engine_name(*, using: str = "default") -> str:
    """ "sqlite" or "postgresql" (the only engines naikkelas supports)."""
    vendor = connections[using].vendor
    return "sqlite" if vendor == "sqlite" else vendor


def applied_migrations(*, using: str = "default") -> dict[str, list[str]]:
    """``{app: [migration names]}`` recorded in the database (empty before the first
    migrate)."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for ``pg_dump``/``pg_restore`` to reach the configured database (the
    password travels in the environment, not on the command line)."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return environment


@dataclass(frozen=True)
class PostgresTool:
    path: str
    major: int
    version: str


def _tool_version(path: str) -> tuple[int, str] | None:
    try:
        result = subprocess.run(  # noqa: S603 (a PostgreSQL client program found on this host)
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    words = result.stdout.split()
    for word in words:
        head = word.split(".")[0]
        if head.isdigit():
            return int(head), word
    return None


def find_postgres_tool(name: str, *, min_major: int) -> PostgresTool:
    """``pg_dump``/``pg_restore`` of at least ``min_major``: the one on PATH, else the newest
    in the usual per-version directories (Debian/Ubuntu, RHEL)."""
    candidates: list[str] = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"):
        for directory in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if (directory / name).is_file():
                candidates.append(str(directory / name))
    found: list[PostgresTool] = []
    for path in candidates:
        version = _tool_version(path)
        if version is not None:
            tool = PostgresTool(path=path, major=version[0], version=version[1])
            if tool.major >= min_major:
                return tool
            found.append(tool)
    if not found:
        raise BackupError(
            f"Program {name} tidak ditemukan. Pasang klien PostgreSQL versi {min_major} atau "
            f"lebih baru (Debian/Ubuntu: apt install postgresql-client-{min_major})."
        )
    listed = ", ".join(f"{t.path} ({t.version})" for t in found)
    raise BackupError(
        f"{name} yang terpasang terlalu lama (perlu versi {min_major} atau lebih baru): "
        f"{listed}. Pasang postgresql-client-{min_major} (atau yang lebih baru)."
    )


def _run_logged(args: list[str], *, environment: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        args, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


# --- the database snapshot -------------------------------------------------------------------


def snapshot_inventory(*, using: str = "default") -> dict[str, Any]:
    """The inventory of a database; on a schema older than this release (``naikkelas
    migrate`` backs up before migrating) only the row counts, as the register checksum
    reads this release's columns. ``pending_migrations`` lists what the schema lacks."""
    pending = unapplied_migrations(using=using)
    if pending:
        counted = {"tables": table_counts(using=using), "register_checksum": None}
    else:
        counted = inventory(using=using)
    return {**counted, "pending_migrations": pending}


@dataclass
class Snapshot:
    member: str
    path: Path
    inventory: dict[str, Any]
    migrations: dict[str, list[str]]
    details: dict[str, Any]


@contextlib.contextmanager
def sqlite_alias(path: Path) -> Iterator[str]:
    """A temporary Django database alias for another SQLite file (no WAL set-up)."""
    alias = f"naikkelas_file_{uuid.uuid4().hex[:10]}"
    settings_dict = dict(connections.settings["default"])
    settings_dict.update({"NAME": str(path), "OPTIONS": {}})
    connections.settings[alias] = settings_dict
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _sqlite_snapshot(target: Path) -> Snapshot:
    source_path = Path(settings.DATABASES["default"]["NAME"])
    if not source_path.is_file():
        raise BackupError(f"Basis data SQLite {source_path} tidak ada.")
    try:
        source = sqlite3.connect(source_path, timeout=60)
        copy = sqlite3.connect(target)
        try:
            # one step: a consistent read snapshot (WAL lets the application keep writing)
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"Basis data SQLite {source_path} tidak dapat disalin: {error}") from None
    if check != "ok":
        raise BackupError(
            f"Basis data SQLite {source_path} rusak (PRAGMA quick_check: {check}); "
            "cadangan tidak dibuat. Simpan cadangan terakhir yang baik."
        )
    with sqlite_alias(target) as alias:
        counted = snapshot_inventory(using=alias)
        migrations = applied_migrations(using=alias)
    return Snapshot(
        member=SQLITE_MEMBER,
        path=target,
        inventory=counted,
        migrations=migrations,
        details={"sqlite_version": sqlite3.sqlite_version},
    )


def _postgres_snapshot(target: Path) -> Snapshot:
    connection = connections["default"]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    pg_dump = find_postgres_tool("pg_dump", min_major=server_major)
    environment = libpq_environment(connection.settings_dict)
    # The dump and the inventory read one snapshot: the dump imports the one this
    # transaction exports, so the counts in the manifest are those of the dump.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        process = _run_logged(
            [
                pg_dump.path,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
                f"--dbname={connection.settings_dict['NAME']}",
            ],
            environment=environment,
        )
        try:
            counted = snapshot_inventory()
            migrations = applied_migrations()
        finally:
            _out, errors = process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump gagal (kode {process.returncode}): {errors.strip()}")
    return Snapshot(
        member=POSTGRES_MEMBER,
        path=target,
        inventory=counted,
        migrations=migrations,
        details={
            "server_version": connection.pg_version,  # type: ignore[attr-defined]
            "pg_dump_version": pg_dump.version,
            "pg_dump_major": pg_dump.major,
        },
    )


# --- the files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One file to archive after the manifest."""

    name: str
    path: Path
    size: int
    sha256: str
    mode: int = 0o644

    def manifest_entry(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


def _media_members(root: Path, notes: list[str]) -> list[Member]:
    if not root.is_dir():
        return []
    members: list[Member] = []
    skipped = 0
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                skipped += 1
                continue
            try:
                size, sha256 = file_digest(path)
            except FileNotFoundError:
                continue  # deleted since it was listed
            relative = path.relative_to(root).as_posix()
            members.append(Member(MEDIA_PREFIX + relative, path, size, sha256))
    if skipped:
        notes.append(f"{skipped} tautan simbolik/berkas khusus di MEDIA_ROOT dilewati.")
    return members


class _HashingReader:
    """Reads a file for the archive and checks it is still what the manifest says."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


class _HashingWriter(io.RawIOBase):
    """Writes the archive file and computes its SHA-256 on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        super().__init__()
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._handle.write(view)
        self.digest.update(view)
        self.size += view.nbytes
        return view.nbytes

    def flush(self) -> None:
        self._handle.flush()


def _tar_info(name: str, size: int, *, mode: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(mtime)
    info.type = tarfile.REGTYPE
    return info


def _write_archive(
    handle: IO[bytes],
    *,
    manifest: dict[str, Any],
    members: list[Member],
    passphrase: bytes | None,
    log_n: int,
) -> _HashingWriter:
    hashing = _HashingWriter(handle)
    encrypting = (
        EncryptingWriter(hashing, passphrase=passphrase, log_n=log_n) if passphrase else None
    )
    now = time.time()
    sink = encrypting or hashing
    with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as compressed:
        with tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive:
            for name, text in (
                (MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"),
                (README_NAME, README_TEXT),
            ):
                data = text.encode()
                archive.addfile(_tar_info(name, len(data), mode=0o644, mtime=now), io.BytesIO(data))
            for member in members:
                _add_member(archive, member)
    if encrypting is not None:
        encrypting.finish()
    return hashing


def _add_member(archive: tarfile.TarFile, member: Member) -> None:
    try:
        handle = member.path.open("rb")
    except FileNotFoundError:
        raise BackupError(
            f"Berkas {member.path} hilang selama pencadangan; jalankan `naikkelas backup` lagi."
        ) from None
    with handle:
        reader = _HashingReader(handle)
        info = _tar_info(
            member.name, member.size, mode=member.mode, mtime=member.path.stat().st_mtime
        )
        try:
            archive.addfile(info, reader)
        except OSError as error:  # shorter than when it was measured
            raise BackupError(
                f"Berkas {member.path} berubah selama pencadangan ({error}); "
                "jalankan `naikkelas backup` lagi."
            ) from None
    if reader.digest.hexdigest() != member.sha256:
        raise BackupError(
            f"Berkas {member.path} berubah selama pencadangan; jalankan `naikkelas backup` lagi."
        )


# --- the backup ------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    seconds: float
    engine: str
    encrypted: bool
    tables: int
    rows: int
    media_files: int
    media_bytes: int
    secret_key: str
    notes: list[str] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    kept: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "size_bytes": self.size,
            "seconds": round(self.seconds, 2),
            "engine": self.engine,
            "encrypted": self.encrypted,
            "tables": self.tables,
            "rows": self.rows,
            "media_files": self.media_files,
            "media_bytes": self.media_bytes,
            "secret_key": self.secret_key,
            "notes": self.notes,
            "deleted": [str(p) for p in self.deleted],
            "kept": self.kept,
        }


@contextlib.contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    with (directory / _LOCK_NAME).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"Pencadangan lain sedang berjalan di {directory}; coba lagi nanti."
            ) from None
        yield


def _remove_leftovers(directory: Path) -> None:
    """Partial archives and staging directories of backups that died (under the lock)."""
    for path in directory.glob(_PARTIAL_GLOB):
        path.unlink(missing_ok=True)
    for path in directory.glob(_STAGING_PREFIX + "*"):
        shutil.rmtree(path, ignore_errors=True)


def _free_name(directory: Path, *, encrypted: bool) -> tuple[datetime, str]:
    when = datetime.now(UTC).replace(microsecond=0)
    while True:
        name = backup_file_name(when, encrypted=encrypted)
        taken = any(
            (directory / backup_file_name(when, encrypted=e)).exists() for e in (False, True)
        )
        if not taken:
            return when, name
        when += timedelta(seconds=1)


def _secret_key_member(notes: list[str]) -> tuple[Member | None, str]:
    path = Path(settings.DATA_DIR) / "secret_key"
    from_environment = bool(os.environ.get("DJANGO_SECRET_KEY"))
    if path.is_file() and not from_environment:
        size, sha256 = file_digest(path)
        return Member(SECRET_KEY_MEMBER, path, size, sha256, mode=0o600), "file"
    if from_environment:
        notes.append(
            "Kunci rahasia berasal dari DJANGO_SECRET_KEY dan tidak ikut dicadangkan: "
            "simpan nilainya sendiri bersama kata sandi cadangan."
        )
        return None, "environment"
    return None, "none"


def _archive_mode(directory: Path) -> int:
    """Owner-only, unless the directory has a default ACL: then 0640, so that the ACL can let
    an account that copies the archives elsewhere read them (docs/backup.md)."""
    try:
        shared = "system.posix_acl_default" in os.listxattr(directory)
    except OSError:
        shared = False
    return 0o640 if shared else 0o600


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup_create(
    *,
    directory: Path,
    include_media: bool = True,
    passphrase: bytes | None = None,
    log_n: int = DEFAULT_LOG_N,
    progress: Callable[[str], None] = lambda _message: None,
) -> BackupResult:
    """Write one backup archive (and its ``.sha256``) into ``directory``.

    Raises:
        BackupError: the backup could not be made; nothing is left behind.
    """
    started = time.perf_counter()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"Direktori cadangan {directory} tidak dapat dibuat: {error.strerror}"
        ) from None
    if not os.access(directory, os.W_OK):
        raise BackupError(f"Direktori cadangan {directory} tidak dapat ditulisi.")
    with _directory_lock(directory):
        _remove_leftovers(directory)
        when, name = _free_name(directory, encrypted=bool(passphrase))
        staging = directory / f"{_STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
        staging.mkdir(mode=0o700)
        partial = directory / f".{name}.partial"
        try:
            return _backup_into(
                directory=directory,
                staging=staging,
                partial=partial,
                final=directory / name,
                when=when,
                include_media=include_media,
                passphrase=passphrase,
                log_n=log_n,
                progress=progress,
                started=started,
            )
        finally:
            partial.unlink(missing_ok=True)
            shutil.rmtree(staging, ignore_errors=True)


def _backup_into(
    *,
    directory: Path,
    staging: Path,
    partial: Path,
    final: Path,
    when: datetime,
    include_media: bool,
    passphrase: bytes | None,
    log_n: int,
    progress: Callable[[str], None],
    started: float,
) -> BackupResult:
    notes: list[str] = []
    engine = engine_name()
    progress("Menyalin basis data…")
    if engine == "sqlite":
        snapshot = _sqlite_snapshot(staging / "naikkelas.sqlite3")
    elif engine == "postgresql":
        snapshot = _postgres_snapshot(staging / "naikkelas.pgdump")
    else:
        raise BackupError(f"Mesin basis data {engine} tidak didukung.")
    size, sha256 = file_digest(snapshot.path)
    members = [Member(snapshot.member, snapshot.path, size, sha256, mode=0o600)]
    key_member, key_source = _secret_key_member(notes)
    if key_member is not None:
        members.append(key_member)
    media_kind = "skipped"
    if not include_media:
        notes.append("Berkas unggahan (media) tidak ikut dicadangkan (--no-media).")
    elif getattr(settings, "NAIKKELAS_S3_BUCKET", ""):
        media_kind = "s3"
        notes.append(
            "Berkas unggahan disimpan di S3 dan tidak ikut dalam arsip ini: "
            "cadangkan bucket itu tersendiri."
        )
    else:
        media_kind = "filesystem"
        progress("Memeriksa berkas unggahan…")
        members += _media_members(Path(settings.MEDIA_ROOT), notes)
    media = [m for m in members if m.name.startswith(MEDIA_PREFIX)]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "naikkelas_version": naikkelas_version(),
        "created_at": when.isoformat().replace("+00:00", "Z"),
        "engine": engine,
        "database": {"member": snapshot.member, **snapshot.details},
        "migrations": snapshot.migrations,
        "inventory": snapshot.inventory,
        "secret_key": key_source,
        "media": media_kind,
        "files": [m.manifest_entry() for m in members],
    }
    progress("Menulis arsip…")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _archive_mode(directory))
    with os.fdopen(descriptor, "wb") as handle:
        hashing = _write_archive(
            handle, manifest=manifest, members=members, passphrase=passphrase, log_n=log_n
        )
        handle.flush()
        os.fsync(handle.fileno())
    checksum = hashing.digest.hexdigest()
    sums = directory / f".{final.name}.sha256.partial"
    sums.write_text(f"{checksum}  {final.name}\n")
    os.replace(partial, final)
    os.replace(sums, directory / f"{final.name}.sha256")
    _fsync_directory(directory)
    tables = snapshot.inventory["tables"]
    return BackupResult(
        path=final,
        sha256=checksum,
        size=hashing.size,
        seconds=time.perf_counter() - started,
        engine=engine,
        encrypted=bool(passphrase),
        tables=len(tables),
        rows=sum(tables.values()),
        media_files=len(media),
        media_bytes=sum(m.size for m in media),
        secret_key=key_source,
        notes=notes,
    )


# --- retention -------------------------------------------------------------------------------


def backup_prune(
    *, directory: Path, keep_daily: int, keep_weekly: int, keep_monthly: int
) -> tuple[list[Path], int]:
    """Delete the archives (and their ``.sha256``) the retention policy no longer keeps;
    returns the deleted archives and how many are kept. Days, weeks and months are those of
    the office (TIME_ZONE). Only files named like backups are ever touched."""
    zone = ZoneInfo(settings.TIME_ZONE)
    found = list_backups(directory)
    local = {when: when.astimezone(zone) for when, _path in found}
    doomed = backups_to_delete(
        local.values(),
        keep_daily=keep_daily,
        keep_weekly=keep_weekly,
        keep_monthly=keep_monthly,
    )
    deleted: list[Path] = []
    for when, path in found:
        if local[when] in doomed:
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".sha256").unlink(missing_ok=True)
            deleted.append(path)
    return deleted, len(found) - len(deleted)
