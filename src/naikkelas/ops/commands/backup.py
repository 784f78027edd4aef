"""``naikkelas backup``: one dated, checksummed (optionally encrypted) archive of the database,
the uploaded files and the secret key, then old archives pruned (docs/backup.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HELP = "make a backup archive (database, uploaded files, secret key); prune old ones"
DESCRIPTION = """Make a backup archive of this installation while it keeps running.

Writes naikkelas-backup-YYYYmmdd-HHMMSSZ.tar.gz (.enc when encrypted) and a .sha256 beside
it into the backup directory (--dir, default NAIKKELAS_BACKUP_DIR), then deletes the archives
the retention policy no longer keeps: the newest of each of the last 7 days, 4 weeks and
12 months that have one (NAIKKELAS_BACKUP_KEEP_DAILY/WEEKLY/MONTHLY, or --keep-*).

With a passphrase file (--passphrase-file, or NAIKKELAS_BACKUP_PASSPHRASE_FILE) the archive
is encrypted (scrypt + AES-256-GCM): without the passphrase it cannot be restored, so keep
a copy of it away from the server. Restore with `naikkelas restore ARCHIVE`.

Exit codes: 0 done; 1 backup made but old ones could not be deleted; 2 no backup made
(the message says why).
"""


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("harus 0 atau lebih")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", metavar="DIR", help="backup directory (NAIKKELAS_BACKUP_DIR)")
    parser.add_argument(
        "--no-media", action="store_true", help="leave out the uploaded files (MEDIA_ROOT)"
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="encrypt with the passphrase in FILE (overrides NAIKKELAS_BACKUP_PASSPHRASE_FILE)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    for period in ("daily", "weekly", "monthly"):
        parser.add_argument(
            f"--keep-{period}",
            type=_count,
            metavar="N",
            help=f"{period} backups to keep (NAIKKELAS_BACKUP_KEEP_{period.upper()})",
        )
    parser.add_argument("--no-prune", action="store_true", help="do not delete old backups")


def default_options() -> argparse.Namespace:
    """The options of a plain ``naikkelas backup`` (used by ``naikkelas migrate``)."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args([])


def human_size(size: int) -> str:
    """``12_345_678`` -> ``"11,8 MB"`` (binary units, Indonesian decimal comma)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _summary_lines(summary: dict[str, Any]) -> list[str]:
    seconds = f"{summary['seconds']:.1f}".replace(".", ",")
    lines = [
        f"Cadangan dibuat: {summary['path']}",
        f"  ukuran {human_size(summary['size_bytes'])}, {seconds} detik"
        + (", terenkripsi" if summary["encrypted"] else ", tidak terenkripsi"),
        f"  basis data ({summary['engine']}): {thousands(summary['tables'])} tabel, "
        f"{thousands(summary['rows'])} baris",
        f"  berkas unggahan: {thousands(summary['media_files'])} "
        f"({human_size(summary['media_bytes'])}); kunci rahasia: "
        + {"file": "ya", "environment": "dari DJANGO_SECRET_KEY (tidak ikut)", "none": "tidak ada"}[
            summary["secret_key"]
        ],
        f"  sha256 {summary['sha256']}",
    ]
    if summary["pruned"]:
        lines.append(
            f"  retensi: {len(summary['deleted'])} cadangan lama dihapus, "
            f"{summary['kept']} disimpan"
        )
    lines += [f"  catatan: {note}" for note in summary["notes"]]
    return lines


def run(options: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import DatabaseError

    from naikkelas.ops.backup import BackupError, backup_create, backup_prune
    from naikkelas.ops.encryption import PassphraseFileError, read_passphrase_file

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    directory = Path(options.dir or settings.NAIKKELAS_BACKUP_DIR).expanduser()
    passphrase_file = options.passphrase_file or settings.NAIKKELAS_BACKUP_PASSPHRASE_FILE
    try:
        passphrase = read_passphrase_file(Path(passphrase_file)) if passphrase_file else None
        result = backup_create(
            directory=directory,
            include_media=not options.no_media,
            passphrase=passphrase,
            progress=say,
        )
    except (BackupError, PassphraseFileError) as error:
        print(f"naikkelas backup: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(f"naikkelas backup: basis data tidak dapat dibaca: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"naikkelas backup: {error}", file=sys.stderr)
        return 2
    summary = result.as_dict()
    summary["pruned"] = not options.no_prune
    code = 0
    if not options.no_prune:
        try:
            deleted, kept = backup_prune(
                directory=directory,
                keep_daily=_pick(options.keep_daily, settings.NAIKKELAS_BACKUP_KEEP_DAILY),
                keep_weekly=_pick(options.keep_weekly, settings.NAIKKELAS_BACKUP_KEEP_WEEKLY),
                keep_monthly=_pick(options.keep_monthly, settings.NAIKKELAS_BACKUP_KEEP_MONTHLY),
            )
        except (OSError, ValueError) as error:
            print(f"naikkelas backup: cadangan lama tidak dapat dihapus: {error}", file=sys.stderr)
            summary["pruned"] = False
            code = 1
        else:
            summary["deleted"] = [str(p) for p in deleted]
            summary["kept"] = kept
    if options.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print("\n".join(_summary_lines(summary)))
    return code


def _pick(given: int | None, configured: int) -> int:
    return configured if given is None else given
