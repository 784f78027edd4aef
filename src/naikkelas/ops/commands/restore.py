"""``naikkelas restore ARCHIVE``: put a backup archive back onto an empty installation, then
prove it came back whole (docs/backup.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HELP = "restore a backup archive onto an empty installation (or --check it)"
DESCRIPTION = """Restore a backup archive made by `naikkelas backup` onto this installation.

Stop naikkelas first (the web server and the worker). The installation must be empty: a new
data directory (NAIKKELAS_DATA_DIR) and, for PostgreSQL, a new empty database (DATABASE_URL).
Everything is verified before anything is changed: the .sha256 beside the archive, the
passphrase, and the checksum of every file inside. Afterwards every table's row count and
the register checksum are compared with the ones recorded in the archive.

--force (SQLite only) restores over an existing installation: its database and uploaded
files are moved aside (*.before-restore-<time>), not deleted.
--check only verifies the archive (checksums, passphrase) and changes nothing.

Exit codes: 0 restored and identical to the backup (or --check: archive intact);
1 restored, but the comparison found differences, or a step after the database failed;
2 refused or the archive is damaged: nothing was changed (the message says why).
"""


KEY_OUTCOMES = {
    "restored": "dipulihkan",
    "same": "sudah sama",
    "replaced": "dipulihkan (kunci sebelumnya disisihkan)",
    "none": "tidak ada dalam arsip",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", metavar="ARCHIVE", help="naikkelas-backup-….tar.gz[.enc]")
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="passphrase of an encrypted archive (default NAIKKELAS_BACKUP_PASSPHRASE_FILE)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="SQLite only: restore over a non-empty installation (old data moved aside)",
    )
    parser.add_argument(
        "--check", action="store_true", help="only verify the archive; change nothing"
    )


def _report(result: Any) -> list[str]:
    from naikkelas.ops.commands.backup import thousands

    manifest = result.manifest
    tables = manifest.get("inventory", {}).get("tables", {})
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    origin = (
        f"naikkelas {manifest.get('naikkelas_version', '?')}, {manifest.get('engine')}, "
        f"dibuat {manifest.get('created_at')}"
    )
    if result.checked_only:
        return [
            f"Arsip utuh: {result.files} berkas cocok dengan checksum-nya ({seconds} detik).",
            f"  {origin}",
            f"  {thousands(len(tables))} tabel, {thousands(sum(tables.values()))} baris",
            *(f"  catatan: {note}" for note in result.notes),
        ]
    lines = [
        f"Cadangan dipulihkan ({seconds} detik): {origin}",
        f"  {result.files} berkas, {result.media_files} di antaranya berkas unggahan; "
        f"kunci rahasia: {KEY_OUTCOMES.get(result.secret_key, result.secret_key)}",
    ]
    lines += [f"  disisihkan: {path}" for path in result.moved_aside]
    lines += [f"  catatan: {note}" for note in result.notes]
    if result.problems:
        lines.append(f"PERBEDAAN dengan isi cadangan ({len(result.problems)}):")
        lines += [f"  {problem}" for problem in result.problems]
    else:
        what = (
            "jumlah baris dan checksum register" if result.checksum_compared else ("jumlah baris")
        )
        lines.append(
            f"Pemeriksaan: {thousands(len(tables))} tabel, {what} sama dengan saat dicadangkan."
        )
    if result.pending_migrations:
        lines.append(
            f"Cadangan ini dari versi naikkelas yang lebih lama: {len(result.pending_migrations)}"
            " migrasi belum dijalankan. Jalankan sekarang: naikkelas migrate"
        )
    return lines


def run(options: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import DatabaseError

    from naikkelas.ops.encryption import PassphraseFileError, read_passphrase_file
    from naikkelas.ops.restore import RestoreError, restore_archive

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    passphrase_file = options.passphrase_file or settings.NAIKKELAS_BACKUP_PASSPHRASE_FILE
    try:
        passphrase = read_passphrase_file(Path(passphrase_file)) if passphrase_file else None
        result = restore_archive(
            archive=Path(options.archive).expanduser(),
            passphrase=passphrase,
            force=options.force,
            check_only=options.check,
            progress=say,
        )
    except PassphraseFileError as error:
        print(f"naikkelas restore: {error}", file=sys.stderr)
        return 2
    except RestoreError as error:
        print(f"naikkelas restore: {error}", file=sys.stderr)
        return 1 if error.changed else 2
    except DatabaseError as error:
        print(f"naikkelas restore: kesalahan basis data: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"naikkelas restore: {error}", file=sys.stderr)
        return 1
    print("\n".join(_report(result)))
    return 1 if result.problems else 0
