"""Restoring a backup archive (``ops.backup``) onto an empty installation.

Everything is checked before anything is changed: the archive's ``.sha256`` (when it is
there), the passphrase, the manifest (format, engine, migrations this release knows), that
the installation is empty, and the SHA-256 and size of every file, unpacked into a staging
directory inside the data directory. Only then are the database, the uploaded files and the
secret key put in place, and the restored installation is compared with the inventory the
manifest recorded at backup time.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from naikkelas.ops.backup import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    POSTGRES_MEMBER,
    README_NAME,
    SECRET_KEY_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    engine_name,
    file_digest,
    find_postgres_tool,
    libpq_environment,
    naikkelas_version,
)
from naikkelas.ops.encryption import DecryptingReader, DecryptionError, is_encrypted
from naikkelas.ops.inventory import compare, database_tables, inventory, table_counts
from naikkelas.ops.schema import unapplied_migrations

_BLOCK = 1 << 20
_MANIFEST_LIMIT = 256 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_STAGING_PREFIX = ".naikkelas-restore-"

NOTHING_CHANGED = "Tidak ada yang diubah."


class RestoreError(Exception):
    """The restore was refused or failed; the message says why and whether anything changed
    (``changed``)."""

    def __init__(self, message: str, *, changed: bool = False) -> None:
        super().__init__(message if changed else f"{message} {NOTHING_CHANGED}")
        self.changed = changed


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    seconds: float = 0.0
    checked_only: bool = False
    problems: list[str] = field(default_factory=list)
    checksum_compared: bool = False
    pending_migrations: list[str] = field(default_factory=list)
    files: int = 0
    media_files: int = 0
    secret_key: str = ""
    moved_aside: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- reading the archive ---------------------------------------------------------------------


def sha256_file_check(archive: Path) -> bool | None:
    """Compare the archive with the ``sha256sum`` line beside it: None when there is none."""
    sums = archive.with_name(archive.name + ".sha256")
    if not sums.is_file():
        return None
    try:
        expected = sums.read_text().split()[0].lower()
    except (OSError, UnicodeDecodeError, IndexError):
        raise RestoreError(f"Berkas checksum {sums} tidak dapat dibaca.") from None
    return file_digest(archive)[1] == expected


@contextlib.contextmanager
def _plain_stream(archive: Path, passphrase: bytes | None) -> Iterator[IO[bytes]]:
    """The archive's gzip stream: the file itself, or its decryption."""
    with archive.open("rb") as handle:
        head = handle.read(16)
        handle.seek(0)
        if is_encrypted(head):
            if passphrase is None:
                raise RestoreError(
                    "Arsip ini terenkripsi: berikan --passphrase-file BERKAS (atau setel "
                    "NAIKKELAS_BACKUP_PASSPHRASE_FILE)."
                )
            try:
                reader = DecryptingReader(handle, passphrase=passphrase)
            except DecryptionError as error:
                raise RestoreError(str(error)) from None
            yield io.BufferedReader(reader, _BLOCK)
        elif head.startswith(_GZIP_MAGIC):
            yield handle
        else:
            raise RestoreError(f"{archive} bukan arsip cadangan naikkelas.")


def _damaged(error: BaseException) -> RestoreError:
    if isinstance(error, RestoreError):
        return error
    if isinstance(error, DecryptionError):
        return RestoreError(str(error))
    return RestoreError(f"Arsip rusak atau tidak lengkap ({error}).")


_ARCHIVE_ERRORS = (
    tarfile.TarError,
    zlib.error,
    gzip.BadGzipFile,
    EOFError,
    DecryptionError,
    UnicodeDecodeError,
    ValueError,
)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    first = archive.next()
    if first is None or first.name != MANIFEST_NAME or not first.isfile():
        raise RestoreError("Arsip ini bukan cadangan naikkelas (manifest.json tidak ada).")
    if first.size > _MANIFEST_LIMIT:
        raise RestoreError("manifest.json dalam arsip terlalu besar.")
    handle = archive.extractfile(first)
    assert handle is not None
    try:
        manifest = json.loads(handle.read())
    except json.JSONDecodeError as error:
        raise RestoreError(f"manifest.json dalam arsip rusak ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError("Arsip ini bukan cadangan naikkelas (format tidak dikenal).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise RestoreError(
            f"Arsip ini dibuat oleh naikkelas {manifest.get('naikkelas_version', '?')} dengan "
            f"format cadangan versi {version}, yang tidak dikenal naikkelas "
            f"{naikkelas_version()}. Pasang versi naikkelas yang lebih baru untuk memulihkannya."
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and {"name", "size", "sha256"} <= set(f) for f in files
    ):
        raise RestoreError("manifest.json dalam arsip tidak lengkap (daftar berkas).")
    database = manifest.get("database")
    if (
        manifest.get("engine") not in ("sqlite", "postgresql")
        or not isinstance(database, dict)
        or database.get("member") not in {f["name"] for f in files}
        or not isinstance(manifest.get("migrations"), dict)
        or not isinstance(manifest.get("inventory"), dict)
    ):
        raise RestoreError("manifest.json dalam arsip tidak lengkap (basis data).")
    return manifest


def _allowed_name(name: str) -> bool:
    return name in (SQLITE_MEMBER, POSTGRES_MEMBER, SECRET_KEY_MEMBER) or (
        name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX)
    )


def _unpack_members(
    archive: tarfile.TarFile, manifest: dict[str, Any], staging: Path | None
) -> int:
    """Read every member after the manifest, check it against the manifest and (unless
    ``staging`` is None: a check only) write it under ``staging``. Returns the file count."""
    expected = {entry["name"]: entry for entry in manifest["files"]}
    seen: set[str] = set()
    while (member := archive.next()) is not None:  # after the manifest
        if member.name == README_NAME:
            continue
        entry = expected.get(member.name)
        if entry is None or member.name in seen or not _allowed_name(member.name):
            raise RestoreError(f"Arsip memuat berkas yang tidak tercatat: {member.name!r}.")
        try:
            safe = tarfile.data_filter(member, str(staging or "/nonexistent"))
        except tarfile.FilterError as error:
            raise RestoreError(f"Arsip memuat berkas yang tidak aman: {error}.") from None
        if not safe.isfile() or safe.name != member.name:
            raise RestoreError(f"Arsip memuat entri yang bukan berkas biasa: {member.name!r}.")
        source = archive.extractfile(member)
        assert source is not None
        digest = hashlib.sha256()
        size = 0
        with contextlib.ExitStack() as stack:
            target: IO[bytes] | None = None
            if staging is not None:
                path = staging / member.name
                if not path.resolve().is_relative_to(staging.resolve()):
                    raise RestoreError(f"Arsip memuat berkas yang tidak aman: {member.name!r}.")
                path.parent.mkdir(parents=True, exist_ok=True)
                target = stack.enter_context(path.open("xb"))
            while block := source.read(_BLOCK):
                digest.update(block)
                size += len(block)
                if target is not None:
                    target.write(block)
        if staging is not None:
            os.utime(staging / member.name, (member.mtime, member.mtime))
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise RestoreError(
                f"Isi {member.name} tidak cocok dengan checksum di manifest: arsip rusak."
            )
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise RestoreError(f"Arsip tidak lengkap: {', '.join(missing[:5])} tidak ada.")
    return len(seen)


def read_archive(
    *,
    archive: Path,
    passphrase: bytes | None,
    staging: Path | None,
    before_unpacking: Callable[[dict[str, Any]], None] = lambda _manifest: None,
) -> tuple[dict[str, Any], int]:
    """Read and verify the whole archive; ``before_unpacking(manifest)`` may refuse (raise)
    once the manifest is known. Returns the manifest and the number of files."""
    try:
        with _plain_stream(archive, passphrase) as stream:
            with tarfile.open(fileobj=stream, mode="r|gz") as tar:
                manifest = _read_manifest(tar)
                before_unpacking(manifest)
                count = _unpack_members(tar, manifest, staging)
    except RestoreError:
        raise
    except _ARCHIVE_ERRORS as error:
        raise _damaged(error) from None
    except OSError as error:
        raise RestoreError(
            f"Gagal membaca arsip atau menulis ke {staging or 'disk'}: {error}."
        ) from None
    return manifest, count


# --- checks on the target --------------------------------------------------------------------


def unknown_migrations(archived: dict[str, list[str]]) -> list[str]:
    """Migrations the archive's database has applied that this release does not have."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((app, name) for app, name in (migration.replaces or []))
    return [
        f"{app}.{name}"
        for app, names in sorted(archived.items())
        for name in names
        if (app, name) not in known
    ]


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


def _check_target(manifest: dict[str, Any], *, force: bool) -> list[str]:
    """Refuse (RestoreError) what cannot be restored here; returns notes."""
    notes: list[str] = []
    ours, theirs = engine_name(), manifest.get("engine")
    if theirs != ours:
        if theirs == "sqlite" and ours == "postgresql":
            raise RestoreError(
                "Cadangan ini dari SQLite, sedangkan instalasi ini memakai PostgreSQL. "
                "Pulihkan dulu ke instalasi SQLite (tanpa DATABASE_URL), lalu pindahkan dengan "
                "`naikkelas migrate-to-postgres`."
            )
        raise RestoreError(
            f"Cadangan ini dari {theirs}, sedangkan instalasi ini memakai {ours}: pulihkan ke "
            f"instalasi {theirs} (lihat DATABASE_URL)."
        )
    unknown = unknown_migrations(manifest.get("migrations") or {})
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise RestoreError(
            f"Cadangan ini dibuat oleh naikkelas {manifest.get('naikkelas_version', '?')}, yang "
            f"lebih baru dari versi terpasang ({naikkelas_version()}): {len(unknown)} migrasi "
            f"tidak dikenal ({shown}). Pasang naikkelas {manifest.get('naikkelas_version')} "
            "atau yang lebih baru, lalu pulihkan lagi."
        )
    try:
        tables = database_tables()
    except DatabaseError as error:
        connections.close_all()
        if ours != "sqlite":
            raise RestoreError(f"Basis data tujuan tidak dapat dibuka: {error}") from None
        if not force:
            raise RestoreError(
                f"Basis data SQLite yang ada tidak dapat dibaca ({error}). Tambahkan --force "
                "untuk menyisihkannya (disimpan di sampingnya) dan memulihkan cadangan."
            ) from None
        tables = ["(tidak terbaca)"]
    if tables:
        if ours != "sqlite":
            raise RestoreError(
                f"Basis data tujuan tidak kosong ({len(tables)} tabel). Pulihkan ke basis data "
                "PostgreSQL yang baru dan kosong (createdb), arahkan DATABASE_URL ke sana, lalu "
                "jalankan lagi. --force hanya berlaku untuk SQLite."
            )
        if not force:
            raise RestoreError(
                f"Instalasi tujuan tidak kosong: basis datanya berisi {len(tables)} tabel. "
                "Pulihkan ke instalasi baru (NAIKKELAS_DATA_DIR kosong), atau tambahkan --force "
                "untuk menyisihkan basis data yang ada (disimpan di sampingnya)."
            )
        notes.append("Basis data yang ada disisihkan (--force).")
    if _has_files(_media_root()) and not force:
        raise RestoreError(
            f"Direktori berkas unggahan {_media_root()} tidak kosong. Pulihkan ke instalasi "
            "baru, atau tambahkan --force untuk menyisihkannya."
        )
    needed = sum(int(entry["size"]) for entry in manifest["files"])
    free = shutil.disk_usage(settings.DATA_DIR).free
    if needed * 1.1 > free:
        raise RestoreError(
            f"Ruang disk di {settings.DATA_DIR} tidak cukup: perlu sekitar "
            f"{needed // 2**20 + 1} MB, tersedia {free // 2**20} MB."
        )
    return notes


# --- putting things in place -----------------------------------------------------------------


def _aside(path: Path, stamp: str) -> Path:
    return path.with_name(f"{path.name}.before-restore-{stamp}")


def _install_sqlite(staged: Path, *, force: bool, stamp: str, moved: list[Path]) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    aside = _aside(target, stamp)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{target}{suffix}")
        if not path.exists():
            continue
        if force:  # the old database kept beside it, its WAL still named to match
            os.replace(path, Path(f"{aside}{suffix}"))
            moved.append(Path(f"{aside}{suffix}"))
        else:  # an empty database (checked); a stale WAL must not survive
            path.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, target)
    target.chmod(0o600)


def _install_postgres(staged: Path, manifest: dict[str, Any]) -> None:
    connection = connections["default"]
    dump_major = int(manifest.get("database", {}).get("pg_dump_major") or 0)
    try:
        pg_restore = find_postgres_tool("pg_restore", min_major=dump_major)
    except BackupError as error:
        raise RestoreError(str(error)) from None
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            pg_restore.path,
            "--no-owner",
            "--no-privileges",
            "--no-tablespaces",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(staged),
        ],
        env=libpq_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RestoreError(
            f"pg_restore gagal (kode {result.returncode}); basis data dibiarkan kosong "
            f"(satu transaksi). {result.stderr.strip()}"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as the original server had them


def _install_media(staged: Path | None, *, stamp: str, moved: list[Path]) -> None:
    root = _media_root()
    if root.exists() and _has_files(root):
        os.replace(root, _aside(root, stamp))
        moved.append(_aside(root, stamp))
    if staged is None or not staged.is_dir():
        return
    if not root.exists():
        root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged, root)
        return
    # an empty MEDIA_ROOT made at installation keeps its owner and mode; its empty
    # subdirectories make way for the restored ones
    for child in staged.iterdir():
        destination = root / child.name
        if destination.is_dir():
            shutil.rmtree(destination)
        shutil.move(child, destination)


def _install_secret_key(
    staged: Path | None, manifest: dict[str, Any], *, stamp: str, notes: list[str]
) -> str:
    target = Path(settings.DATA_DIR) / "secret_key"
    if staged is None:
        if manifest.get("secret_key") == "environment":
            notes.append(
                "Server asal memakai DJANGO_SECRET_KEY dari lingkungan: setel nilai yang sama "
                "di server ini, kalau tidak tautan bertanda tangan dan HMAC tidak cocok lagi."
            )
        return "none"
    key = staged.read_text().strip()
    from_environment = os.environ.get("DJANGO_SECRET_KEY", "")
    if from_environment and from_environment != key:
        notes.append(
            f"DJANGO_SECRET_KEY di server ini berbeda dari kunci dalam cadangan (dipasang di "
            f"{target}): hapus DJANGO_SECRET_KEY atau setel ke isi berkas itu."
        )
    outcome = "restored"
    if target.exists():
        if target.read_text().strip() == key:
            return "same"
        # The key this empty installation made at its first start protects nothing yet;
        # the restored data (signed tokens, HMACs) needs the archived one.
        os.replace(target, _aside(target, stamp))
        notes.append(f"Kunci rahasia sebelumnya disimpan sebagai {_aside(target, stamp)}.")
        outcome = "replaced"
    os.replace(staged, target)
    target.chmod(0o600)
    return outcome


def _verify(manifest: dict[str, Any], result: RestoreResult) -> None:
    connections.close_all()
    result.pending_migrations = unapplied_migrations()
    expected = manifest.get("inventory") or {}
    if result.pending_migrations or expected.get("register_checksum") is None:
        # an older schema: the register checksum needs this release's columns
        result.problems = compare(
            {"tables": expected.get("tables", {})}, {"tables": table_counts()}
        )
    else:
        result.problems = compare(expected, inventory())
        result.checksum_compared = True


# --- the restore -----------------------------------------------------------------------------


def restore_archive(
    *,
    archive: Path,
    passphrase: bytes | None,
    force: bool = False,
    check_only: bool = False,
    progress: Callable[[str], None] = lambda _message: None,
) -> RestoreResult:
    """Restore ``archive`` into this installation (or, ``check_only``, verify it).

    Raises:
        RestoreError: refused or failed; ``changed`` tells whether anything was changed.
    """
    started = time.perf_counter()
    if not archive.is_file():
        raise RestoreError(f"Berkas cadangan {archive} tidak ada.")
    progress("Memeriksa checksum arsip…")
    matches = sha256_file_check(archive)
    if matches is False:
        raise RestoreError(
            f"Checksum {archive.name} tidak cocok dengan {archive.name}.sha256: arsip rusak "
            "atau tidak lengkap (salin ulang dari tempat penyimpanan)."
        )
    notes = [] if matches else [f"Tidak ada {archive.name}.sha256; hanya checksum isi diperiksa."]
    if check_only:
        progress("Memeriksa isi arsip…")
        manifest, count = read_archive(archive=archive, passphrase=passphrase, staging=None)
        return RestoreResult(
            manifest=manifest,
            seconds=time.perf_counter() - started,
            checked_only=True,
            files=count,
            notes=notes,
        )

    def refuse_early(manifest: dict[str, Any]) -> None:
        notes.extend(_check_target(manifest, force=force))
        progress("Membuka dan memeriksa isi arsip…")

    data_dir = Path(settings.DATA_DIR)
    staging = data_dir / f"{_STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir(mode=0o700)
    try:
        manifest, count = read_archive(
            archive=archive,
            passphrase=passphrase,
            staging=staging,
            before_unpacking=refuse_early,
        )
        result = RestoreResult(manifest=manifest, files=count, notes=notes)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%SZ")
        database = staging / manifest["database"]["member"]
        progress("Memulihkan basis data…")
        if manifest["engine"] == "sqlite":
            _install_sqlite(database, force=force, stamp=stamp, moved=result.moved_aside)
        else:
            _install_postgres(database, manifest)
        try:
            progress("Memulihkan berkas unggahan dan kunci rahasia…")
            media = staging / MEDIA_PREFIX.rstrip("/")
            if media.is_dir():
                result.media_files = sum(1 for p in media.rglob("*") if p.is_file())
            _install_media(media, stamp=stamp, moved=result.moved_aside)
            key = staging / SECRET_KEY_MEMBER
            result.secret_key = _install_secret_key(
                key if key.exists() else None, manifest, stamp=stamp, notes=result.notes
            )
            progress("Membandingkan hasil dengan manifest…")
            _verify(manifest, result)
        except OSError as error:
            raise RestoreError(
                f"Basis data sudah dipulihkan, tetapi langkah berikutnya gagal: {error}",
                changed=True,
            ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
