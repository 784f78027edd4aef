"""``naikkelas backup`` and ``naikkelas restore`` on whole installations, on the engine the suite
runs on (SQLite, or PostgreSQL with DATABASE_URL), through the real command.

The acceptance test of issue 12: a backup of the demo register restored into a fresh
database has every table's row count and the register checksum of the original."""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from naikkelas.ops.backup_names import backup_file_name, list_backups
from naikkelas.ops.commands import backup as backup_command
from naikkelas.ops.commands import restore as restore_command
from naikkelas.ops.inventory import compare
from naikkelas.ops.restore import (
    RestoreError,
    read_archive,
    restore_archive,
    sha256_file_check,
    unknown_migrations,
)
from tests.ops.conftest import ON_POSTGRES, Instance

PASSPHRASE = "kata sandi cadangan dinas koperasi\n"


def media_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@functools.cache
def _members(path: Path, _mtime: float) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive
            if member.isfile()
        }


def archive_members(path: Path) -> dict[str, bytes]:
    """``{name: content}`` of an archive's files (read once per archive)."""
    return dict(_members(path, path.stat().st_mtime))


def refused(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit code 2, the fragments in the message, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def direct_counts(instance: Instance) -> dict[str, int]:
    """Every table's row count, read straight from the installation's database (quicker than
    a naikkelas process; the register checksum is left to ``Instance.inventory``)."""
    if instance.database_url:
        import psycopg
        from psycopg import sql

        with psycopg.connect(instance.database_url) as connection:
            catalogue = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            names = sorted(row[0] for row in connection.execute(catalogue))
            counts = {}
            for name in names:
                query = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name))
                counts[name] = connection.execute(query).fetchone()[0]  # type: ignore[index]
            return counts
    path = instance.data_dir / "naikkelas.sqlite3"
    if not path.exists():
        return {}
    with contextlib.closing(sqlite3.connect(path)) as connection:
        catalogue = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        names = sorted(row[0] for row in connection.execute(catalogue))
        # names from the catalogue, quoted
        return {
            name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }


def assert_empty(instance: Instance) -> None:
    """Nothing restored: no table in the database, no uploaded file."""
    assert direct_counts(instance) == {}
    assert media_digests(instance.data_dir / "media") == {}


@dataclass
class DemoBackup:
    archive: Path
    summary: dict[str, Any]
    directory: Path
    seeded: list[str]
    strangers: list[str]
    inventory: dict[str, Any]


@dataclass
class Restored:
    instance: Instance
    result: subprocess.CompletedProcess
    inventory: dict[str, Any]


@pytest.fixture(scope="module")
def demo_backup(demo_instance: Instance, tmp_path_factory: pytest.TempPathFactory) -> DemoBackup:
    """One backup of the demo register, into a directory that already holds a month of older
    archives (and files that only look like archives), with 3 daily backups kept."""
    directory = tmp_path_factory.mktemp("backups")
    now = datetime.now(UTC)
    seeded = []
    for days in range(1, 31):
        name = backup_file_name(now - timedelta(days=days), encrypted=days % 2 == 0)
        (directory / name).write_bytes(b"an older archive")
        (directory / f"{name}.sha256").write_text(f"{'0' * 64}  {name}\n")
        seeded.append(name)
    strangers = [
        "catatan.txt",
        "naikkelas-backup-salinan.tar.gz",
        "naikkelas-backup-20200101-000000Z.tar.gz.bak",
    ]
    for name in strangers:
        (directory / name).write_text("not a backup of ours")
    inventory = demo_instance.inventory()
    result = demo_instance.run(
        "backup",
        "--dir",
        str(directory),
        "--json",
        "--keep-daily",
        "3",
        "--keep-weekly",
        "0",
        "--keep-monthly",
        "0",
    )
    summary = json.loads(result.stdout)
    return DemoBackup(Path(summary["path"]), summary, directory, seeded, strangers, inventory)


@pytest.fixture(scope="module")
def restored(demo_backup: DemoBackup, module_instance: Callable[..., Instance]) -> Restored:
    """The demo backup restored into a new, empty installation."""
    instance = module_instance()
    result = instance.run("restore", str(demo_backup.archive))
    return Restored(instance, result, instance.inventory())


def test_restore_reproduces_every_table_and_the_register(
    demo_instance: Instance, demo_backup: DemoBackup, restored: Restored
) -> None:
    expected = demo_backup.inventory
    assert expected["tables"]["registry_business"] == 120
    assert len(expected["tables"]) > 50
    assert compare(expected, restored.inventory) == []
    assert restored.inventory == expected
    assert "jumlah baris dan checksum register sama" in restored.result.stdout
    # the uploaded files (the demo's product photos) and the secret key came back too
    original = media_digests(demo_instance.data_dir / "media")
    assert len(original) > 10
    assert media_digests(restored.instance.data_dir / "media") == original
    assert (restored.instance.data_dir / "secret_key").read_text() == (
        demo_instance.data_dir / "secret_key"
    ).read_text()


def test_the_archive_describes_itself(demo_instance: Instance, demo_backup: DemoBackup) -> None:
    archive = demo_backup.archive
    assert archive.name.startswith("naikkelas-backup-") and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    sums = archive.with_name(archive.name + ".sha256").read_text()
    assert sums == f"{digest}  {archive.name}\n"  # `sha256sum -c` reads this
    assert demo_backup.summary["sha256"] == digest
    assert demo_backup.summary["size_bytes"] == archive.stat().st_size
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.next().name == "manifest.json"  # type: ignore[union-attr]
    members = archive_members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "naikkelas-backup" and manifest["format_version"] == 1
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["inventory"]["tables"] == demo_backup.inventory["tables"]
    assert "0001_initial" in manifest["migrations"]["registry"]
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json", "README.txt"}
    for name, entry in listed.items():
        assert entry["size"] == len(members[name])
        assert entry["sha256"] == hashlib.sha256(members[name]).hexdigest()
    media = {n: e["sha256"] for n, e in listed.items() if n.startswith("media/")}
    original = media_digests(demo_instance.data_dir / "media")
    assert media == {f"media/{n}": d for n, d in original.items()}
    assert members["secret_key"] == (demo_instance.data_dir / "secret_key").read_bytes()
    assert "naikkelas restore" in members["README.txt"].decode()


def test_retention_is_applied_after_the_backup(demo_backup: DemoBackup) -> None:
    directory = demo_backup.directory
    remaining = [path.name for _when, path in list_backups(directory)]
    # --keep-daily 3 (weekly and monthly 0): today's new one and the two newest older ones
    assert remaining == [*sorted(demo_backup.seeded[:2]), demo_backup.archive.name]
    assert len(demo_backup.summary["deleted"]) == 28 and demo_backup.summary["kept"] == 3
    for name in demo_backup.seeded[2:]:
        assert not (directory / name).exists()
        assert not (directory / f"{name}.sha256").exists()
    for name in [*demo_backup.seeded[:2], *demo_backup.strangers]:
        assert (directory / name).exists()  # files not named like backups are never touched
    assert not list(directory.glob("*.partial"))


def test_encrypted_round_trip(
    demo_instance: Instance,
    demo_backup: DemoBackup,
    new_instance: Callable[..., Instance],
    tmp_path: Path,
) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(PASSPHRASE)
    made = demo_instance.run(
        "backup", "--dir", str(tmp_path / "enc"), "--passphrase-file", str(passphrase), "--json"
    )
    archive = Path(json.loads(made.stdout)["path"])
    assert archive.name.endswith(".tar.gz.enc")
    raw = archive.read_bytes()
    assert raw.startswith(b"NKBACKUP") and b"manifest.json" not in raw
    with pytest.raises(RestoreError, match="terenkripsi.*--passphrase-file"):
        read_archive(archive=archive, passphrase=None, staging=None)
    with pytest.raises(RestoreError, match="Kata sandi cadangan salah.*Tidak ada yang diubah"):
        read_archive(archive=archive, passphrase=b"bukan kata sandinya", staging=None)
    target = new_instance()
    result = target.run("restore", str(archive), "--passphrase-file", str(passphrase))
    assert "jumlah baris dan checksum register sama" in result.stdout
    assert direct_counts(target) == demo_backup.inventory["tables"]
    assert media_digests(target.data_dir / "media") == media_digests(
        demo_instance.data_dir / "media"
    )


def test_a_damaged_archive_is_refused_before_anything_changes(
    demo_backup: DemoBackup, new_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    archive = tmp_path / demo_backup.archive.name
    data = bytearray(demo_backup.archive.read_bytes())
    data[len(data) // 2] ^= 0x40
    archive.write_bytes(data)
    # Without the .sha256 the damage shows only while unpacking, after the database file
    # came out of the archive: still nothing may have changed.
    target = new_instance()
    refused(target.run("restore", str(archive), check=False), "rusak", "Tidak ada yang diubah")
    assert_empty(target)
    assert not list(target.data_dir.glob(".naikkelas-restore-*"))  # staging cleaned up
    # with the .sha256 beside it, refused before reading the archive at all
    sums = archive.with_name(archive.name + ".sha256")
    shutil.copy(demo_backup.archive.with_name(sums.name), sums)
    assert sha256_file_check(archive) is False
    with pytest.raises(RestoreError, match="Checksum .* tidak cocok"):
        restore_archive(archive=archive, passphrase=None)
    sums.unlink()
    for number, damaged in enumerate((bytes(data), demo_backup.archive.read_bytes()[:-5000])):
        archive.write_bytes(damaged)  # a changed byte; the end cut off
        for into in (None, tmp_path / f"staging-{number}"):  # `restore --check`; a restore
            with pytest.raises(RestoreError, match="rusak"):
                read_archive(archive=archive, passphrase=None, staging=into)


def test_a_non_empty_installation_is_refused(restored: Restored, demo_backup: DemoBackup) -> None:
    before = direct_counts(restored.instance)
    refused(
        restored.instance.run("restore", str(demo_backup.archive), check=False),
        "tidak kosong",
        "Tidak ada yang diubah",
    )
    assert direct_counts(restored.instance) == before


def test_force_is_for_sqlite_only_and_keeps_the_old_data(
    restored: Restored, demo_backup: DemoBackup
) -> None:
    instance = restored.instance
    if ON_POSTGRES:
        result = instance.run("restore", "--force", str(demo_backup.archive), check=False)
        refused(result, "--force hanya berlaku untuk SQLite")
        return
    database = instance.data_dir / "naikkelas.sqlite3"
    with database.open("r+b") as handle:  # a damaged database: the reason to restore
        handle.write(b"\x00" * 100)
    refused(instance.run("restore", str(demo_backup.archive), check=False), "--force")
    result = instance.run("restore", "--force", str(demo_backup.archive), check=False)
    assert result.returncode == 0, result.stderr
    assert len(list(instance.data_dir.glob("naikkelas.sqlite3.before-restore-*"))) == 1
    (media_aside,) = instance.data_dir.glob("media.before-restore-*")
    assert media_digests(media_aside) == media_digests(instance.data_dir / "media")
    assert "checksum register sama" in result.stdout
    assert direct_counts(instance) == demo_backup.inventory["tables"]


def rewrite_archive(
    source: Path,
    target: Path,
    *,
    edit: Callable[[dict[str, Any]], None] = lambda _manifest: None,
    extra: tarfile.TarInfo | None = None,
    extra_data: bytes = b"",
    listed: bool = True,
) -> Path:
    """A copy of an archive with its manifest edited and maybe one more member."""
    members = archive_members(source)
    manifest = json.loads(members.pop("manifest.json"))
    edit(manifest)
    if extra is not None and listed:
        manifest["files"].append(
            {
                "name": extra.name,
                "size": len(extra_data),
                "sha256": hashlib.sha256(extra_data).hexdigest(),
            }
        )
    with tarfile.open(target, "w:gz", compresslevel=1, format=tarfile.PAX_FORMAT) as tar:
        for name, data in [("manifest.json", json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if extra is not None:
            extra.size = len(extra_data) if extra.isfile() else 0
            tar.addfile(extra, io.BytesIO(extra_data) if extra.isfile() else None)
    return target


@pytest.fixture
def restore_here(settings: Any, tmp_path: Path) -> Callable[[Path], Any]:
    """``restore_archive`` in this process, for refusals that come before the database is
    touched (the test database is not accessible: a restore that went further would fail)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.DATA_DIR.mkdir()

    def restore(archive: Path) -> Any:
        return restore_archive(archive=archive, passphrase=None)

    return restore


def test_an_archive_from_a_newer_release_is_refused(
    demo_backup: DemoBackup, restore_here: Callable[[Path], Any], tmp_path: Path
) -> None:
    def future(manifest: dict[str, Any]) -> None:
        manifest["naikkelas_version"] = "9.0.0"
        manifest["migrations"]["registry"].append("9999_from_a_later_release")

    archive = rewrite_archive(demo_backup.archive, tmp_path / "future.tar.gz", edit=future)
    with pytest.raises(RestoreError) as caught:
        restore_here(archive)
    message = str(caught.value)
    for fragment in ("naikkelas 9.0.0", "lebih baru", "registry.9999_from_a_later_release"):
        assert fragment in message
    manifest = json.loads(archive_members(demo_backup.archive)["manifest.json"])
    assert unknown_migrations(manifest["migrations"]) == []
    assert unknown_migrations({"ops": ["9999_later"], "newapp": ["0001_initial"]}) == [
        "newapp.0001_initial",
        "ops.9999_later",
    ]


@pytest.mark.parametrize(
    ("archived", "here", "advice"),
    [
        ("sqlite", "postgresql", "naikkelas migrate-to-postgres"),
        ("postgresql", "sqlite", "pulihkan ke instalasi postgresql"),
    ],
)
def test_an_archive_of_the_other_engine_is_refused(
    demo_backup: DemoBackup,
    restore_here: Callable[[Path], Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    archived: str,
    here: str,
    advice: str,
) -> None:
    def engine(manifest: dict[str, Any]) -> None:
        manifest["engine"] = archived

    archive = rewrite_archive(demo_backup.archive, tmp_path / "other.tar.gz", edit=engine)
    monkeypatch.setattr("naikkelas.ops.restore.engine_name", lambda: here)
    with pytest.raises(RestoreError, match=advice):
        restore_here(archive)


def test_archives_it_cannot_trust_or_understand_are_refused(
    demo_backup: DemoBackup, tmp_path: Path
) -> None:
    source = demo_backup.archive
    stagings = iter(range(100))

    def read(archive: Path) -> None:
        read_archive(archive=archive, passphrase=None, staging=tmp_path / f"s{next(stagings)}")

    def newer_format(manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 99

    with pytest.raises(RestoreError, match="format cadangan versi 99"):
        read(rewrite_archive(source, tmp_path / "format.tar.gz", edit=newer_format))
    escape = tarfile.TarInfo("media/../../di-luar.txt")
    with pytest.raises(RestoreError, match="tidak aman"):
        read(rewrite_archive(source, tmp_path / "escape.tar.gz", extra=escape, extra_data=b"x"))
    assert not (tmp_path / "di-luar.txt").exists()
    link = tarfile.TarInfo("media/tautan")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    with pytest.raises(RestoreError, match="tautan"):
        read(rewrite_archive(source, tmp_path / "link.tar.gz", extra=link))
    stowaway = tarfile.TarInfo("media/tambahan.txt")
    with pytest.raises(RestoreError, match="tidak tercatat"):
        read(
            rewrite_archive(
                source, tmp_path / "extra.tar.gz", extra=stowaway, extra_data=b"x", listed=False
            )
        )

    def no_database(manifest: dict[str, Any]) -> None:
        del manifest["database"]

    with pytest.raises(RestoreError, match="tidak lengkap"):
        read(rewrite_archive(source, tmp_path / "nodb.tar.gz", edit=no_database))

    def lost_file(manifest: dict[str, Any]) -> None:
        manifest["files"].append({"name": "media/hilang.jpg", "size": 1, "sha256": "0" * 64})

    with pytest.raises(RestoreError, match="tidak lengkap: media/hilang.jpg"):
        read(rewrite_archive(source, tmp_path / "lost.tar.gz", edit=lost_file))
    text = tmp_path / "naikkelas-backup-20260101-000000Z.tar.gz"
    text.write_text("bukan arsip")
    with pytest.raises(RestoreError, match="bukan arsip cadangan naikkelas"):
        read(text)


def test_an_intact_archive_unpacks_to_what_its_manifest_lists(
    demo_backup: DemoBackup, tmp_path: Path
) -> None:
    manifest, count = read_archive(archive=demo_backup.archive, passphrase=None, staging=tmp_path)
    assert count == len(manifest["files"])
    for entry in manifest["files"]:
        data = (tmp_path / entry["name"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])


def run_in_process(module: Any, *args: str) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return int(module.run(parser.parse_args(list(args))))


def test_bad_input_gets_a_clear_message(
    new_instance: Callable[..., Instance], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(new_instance().run("restore", "/nope", check=False), "/nope tidak ada")
    # the rest fails before any database is opened: run in this process
    empty = tmp_path / "empty-passphrase"
    empty.write_text("\n")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for module, args, message in (
        (restore_command, ["/nope", "--passphrase-file", str(empty)], "kosong"),
        (backup_command, ["--passphrase-file", "/nope"], "/nope tidak dapat dibaca"),
        (backup_command, ["--dir", str(blocker / "backups")], "tidak dapat dibuat"),
    ):
        assert run_in_process(module, *args) == 2
        assert message in capsys.readouterr().err


WRITER = """
import sys, time
from pathlib import Path
from django.contrib.sessions.backends.db import SessionStore
stop, ready = Path(sys.argv[1]), Path(sys.argv[2])
written = 0
while not stop.exists():
    SessionStore().create()
    written += 1
    if written == 20:
        ready.touch()
    time.sleep(0.002)
print(written)
"""


def test_a_backup_taken_while_the_register_is_written_is_consistent(
    restored: Restored, new_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    """The archived database and the counts in its manifest are one snapshot, whatever the
    application writes meanwhile (this changes the module's restored installation: last)."""
    source = restored.instance
    before = direct_counts(source)["django_session"]
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    writer = subprocess.Popen(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + WRITER, str(stop), str(ready)],
        env=source.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the writer did not start"
        made = source.run("backup", "--dir", str(tmp_path / "busy"), "--no-prune", "--json")
        time.sleep(0.3)
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    archive = Path(json.loads(made.stdout)["path"])
    manifest = json.loads(archive_members(archive)["manifest.json"])
    archived = manifest["inventory"]["tables"]["django_session"]
    assert before + 20 <= archived < before + int(out)  # taken in the middle of the writes
    target = new_instance()
    result = target.run("restore", str(archive))
    assert "checksum register sama dengan saat dicadangkan" in result.stdout
    assert direct_counts(target)["django_session"] == archived


def test_a_killed_backup_leaves_no_archive_behind(restored: Restored, tmp_path: Path) -> None:
    """Killed while writing, a backup leaves only a hidden partial file, which the next one
    removes (this adds a large upload to the module's restored installation: last)."""
    source = restored.instance
    slow = source.data_dir / "media" / "besar.bin"
    slow.write_bytes(os.urandom(40 << 20))  # incompressible: a second or more to write
    directory = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", "backup", "--dir", str(directory)],
        env=source.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(directory.glob(".*.partial")) and time.monotonic() < deadline:
        assert process.poll() is None, "the backup ended before it was killed"
        time.sleep(0.002)
    process.kill()
    process.wait()
    assert list(directory.glob(".naikkelas-backup-*.tar.gz.partial"))
    assert list_backups(directory) == []
    slow.unlink()
    source.run("backup", "--dir", str(directory), "--no-media")
    assert len(list_backups(directory)) == 1
    assert not list(directory.glob(".*.partial"))
    assert not list(directory.glob(".naikkelas-staging-*"))
