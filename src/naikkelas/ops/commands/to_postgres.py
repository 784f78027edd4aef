"""``naikkelas migrate-to-postgres``: move a SQLite pilot onto a PostgreSQL server."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HELP = "move a SQLite pilot (data, history and files) onto PostgreSQL, verified by counts"
DESCRIPTION = """Move this installation's SQLite database into an empty PostgreSQL database.

Run it where the pilot's data directory is (NAIKKELAS_DATA_DIR), with the pilot stopped:

  naikkelas migrate-to-postgres postgres://naikkelas:PASSWORD@HOST/naikkelas \\
      --data-dir-to /var/lib/naikkelas

The target database must exist and be empty (already migrated is fine). Its schema is made
with `naikkelas migrate`; then every table is copied in one transaction, keeping ids and
timestamps, and both sides are compared (row counts, per-table checksums, the register
checksum). Any difference rolls the copy back. With --data-dir-to, the uploaded files
(verified by SHA-256) and the secret key go into the server's data directory; without it
they stay where they are and must be carried over by hand. See docs/migrate-to-postgres.md.

Exit codes: 0 moved and verified; 1 the copy failed or differed (rolled back);
2 refused before anything was changed (bad address, unreachable server, target not empty,
pilot not SQLite or not migrated, conflicting files).
"""

PROG = "naikkelas migrate-to-postgres"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url", metavar="URL", help="the target: postgres://USER:PASSWORD@HOST:PORT/DATABASE"
    )
    parser.add_argument(
        "--data-dir-to",
        metavar="DIR",
        help="the server's data directory (NAIKKELAS_DATA_DIR): uploads and the secret key "
        "are copied there (default: leave them where they are)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=2000, help="rows per insert (default 2000)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(copy: Any) -> None:
    if copy.rows:
        _say(f"  {copy.table:<40} {copy.rows:>9,} baris  {copy.seconds:5.1f} dtk".replace(",", "."))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _source_check() -> Path:
    """The pilot's SQLite file, migrated to this release; else MoveError."""
    from django.db import connections
    from django.db.utils import DatabaseError

    from naikkelas.ops.schema import unapplied_migrations
    from naikkelas.ops.to_postgres import MoveError

    source = connections["default"]
    if source.vendor != "sqlite":
        raise MoveError(
            f"Basis data instalasi ini bukan SQLite ({source.vendor}); perintah ini "
            "memindahkan uji coba SQLite. Jalankan dengan lingkungan laptop uji coba "
            "(tanpa DATABASE_URL)."
        )
    path = Path(str(source.settings_dict["NAME"]))
    if not path.is_file():
        raise MoveError(
            f"Basis data SQLite {path} tidak ada. Periksa NAIKKELAS_DATA_DIR "
            "(direktori data uji coba)."
        )
    try:
        pending = unapplied_migrations()
    except DatabaseError as error:
        raise MoveError(f"Basis data SQLite {path} tidak dapat dibaca: {error}") from error
    if pending:
        raise MoveError(
            f"Basis data uji coba belum dimigrasikan ke versi ini ({len(pending)} migrasi "
            "belum dijalankan). Jalankan `naikkelas migrate` lebih dulu, lalu ulangi."
        )
    return path


def _target_migrate(url: str) -> float:
    """``naikkelas migrate`` against the target, in a process of its own where the target
    is the default database (data migrations write through the default connection)."""
    from django.conf import settings

    from naikkelas.ops.to_postgres import MoveError

    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url, "NAIKKELAS_DATA_DIR": str(settings.DATA_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "migrate", "--no-backup"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise MoveError(
            "`naikkelas migrate` gagal pada basis data tujuan:\n  " + "\n  ".join(output[-8:])
        )
    return time.perf_counter() - started


def _files_plan(data_dir_to: Path | None) -> dict[str, Any]:
    """What will happen to the uploads and the secret key (checked before anything moves)."""
    from django.conf import settings

    from naikkelas.ops.to_postgres import MoveError, media_plan

    media_root = Path(settings.MEDIA_ROOT)
    plan: dict[str, Any] = {
        "media_root": str(media_root),
        "s3": bool(settings.NAIKKELAS_S3_BUCKET),
        "key_from_env": bool(os.environ.get("DJANGO_SECRET_KEY")),
        "key_file": Path(settings.DATA_DIR) / "secret_key",
        "data_dir_to": data_dir_to,
    }
    if data_dir_to is None:
        plan["media"] = None
        return plan
    if data_dir_to.exists() and not data_dir_to.is_dir():
        raise MoveError(f"{data_dir_to} bukan direktori.")
    if data_dir_to.resolve() == Path(settings.DATA_DIR).resolve():
        raise MoveError(
            "--data-dir-to menunjuk ke direktori data uji coba sendiri; berkas tidak perlu "
            "disalin. Hilangkan pilihan itu."
        )
    try:
        data_dir_to.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MoveError(f"Direktori {data_dir_to} tidak dapat dibuat: {error}") from error
    if not os.access(data_dir_to, os.W_OK):
        raise MoveError(f"Direktori {data_dir_to} tidak dapat ditulisi oleh pengguna ini.")
    media = None if plan["s3"] else media_plan(source=media_root, target=data_dir_to / "media")
    if media is not None and media.conflicts:
        raise MoveError(
            f"{len(media.conflicts)} berkas sudah ada di {data_dir_to / 'media'} dengan isi "
            f"berbeda (mis. {media.conflicts[0]}). Kosongkan direktori itu atau pilih yang lain."
        )
    plan["media"] = media
    return plan


def _files_move(plan: dict[str, Any]) -> dict[str, Any]:
    from naikkelas.ops.to_postgres import media_copy, secret_key_copy

    outcome: dict[str, Any] = {"media": None, "secret_key": None}
    target = plan["data_dir_to"]
    if target is None:
        return outcome
    if plan["media"] is not None:
        copy = media_copy(plan["media"])
        outcome["media"] = {"copied": copy.copied, "present": copy.present, "bytes": copy.bytes}
        _say(
            f"Berkas unggahan: {copy.copied} disalin ({_megabytes(copy.bytes)}), "
            f"{copy.present} sudah ada; semua diperiksa SHA-256."
        )
    if not plan["key_from_env"] and plan["key_file"].is_file():
        outcome["secret_key"] = secret_key_copy(
            source=plan["key_file"], target=target / "secret_key"
        )
        done = {"copied": "disalin", "same": "sudah sama", "replaced": "diganti"}
        _say(f"Kunci rahasia {target / 'secret_key'}: {done[outcome['secret_key']]}.")
    return outcome


def reminders(plan: dict[str, Any], files: dict[str, Any], url_shown: str) -> list[str]:
    target = plan["data_dir_to"]
    key_outcome = files["secret_key"]
    lines = []
    if plan["s3"]:
        lines.append(
            "Berkas unggahan ada di bucket S3 (NAIKKELAS_S3_BUCKET); pakai pengaturan S3 yang "
            "sama di server."
        )
    elif target is None:
        lines.append(
            f"Berkas unggahan TIDAK disalin: tetap di {plan['media_root']}. Salin folder itu ke "
            "<direktori data server>/media (atau ulangi dengan --data-dir-to)."
        )
    if plan["key_from_env"]:
        lines.append(
            "Kunci rahasia uji coba berasal dari DJANGO_SECRET_KEY: pasang nilai yang SAMA di "
            "lingkungan server (token pendaftaran mandiri dan tanda tangan bergantung padanya)."
        )
    elif target is None or key_outcome is None:
        lines.append(
            f"Salin juga {plan['key_file']} ke <direktori data server>/secret_key (izin 0600): "
            "token pendaftaran mandiri dan tanda tangan bergantung padanya."
        )
    elif key_outcome == "replaced":
        lines.append(
            f"Kunci rahasia lama server disimpan sebagai {target / 'secret_key.before-move'}."
        )
    server_dir = str(target) if target is not None else "<direktori data server>"
    lines.append(
        f"Di server: DATABASE_URL={url_shown} dan NAIKKELAS_DATA_DIR={server_dir}; lalu "
        "`naikkelas check` dan mulai layanannya. Uji coba SQLite jangan dipakai lagi."
    )
    return lines


def run(options: argparse.Namespace) -> int:
    from naikkelas.ops import to_postgres as move

    started = time.perf_counter()
    url = options.url
    url_shown = move.redacted(url)
    if options.batch_size < 1:
        _say(f"{PROG}: --batch-size harus minimal 1.")
        return 2
    stage = "check"  # refusals before anything changed exit 2, failures after it 1
    try:
        move.target_settings(url)
        source_path = _source_check()
        data_dir_to = Path(options.data_dir_to).expanduser() if options.data_dir_to else None
        with move.target_database(url) as alias:
            version = move.target_connect(using=alias)
            blocking = move.blocking_tables(move.target_counts(using=alias))
            if blocking:
                raise move.MoveError(move.not_empty_message(blocking))
            plan = _files_plan(data_dir_to)
            _say(f"Sumber: {source_path} (SQLite). Tujuan: {url_shown} (PostgreSQL {version}).")
            _say("Menyiapkan skema tujuan (naikkelas migrate)…")
            stage = "move"
            seconds_migrate = _target_migrate(url)
            files = _files_move(plan)
            _say("Menyalin tabel (satu transaksi; dibatalkan bila ada yang berbeda)…")
            result = move.database_copy(
                source="default",
                target=alias,
                batch_size=options.batch_size,
                progress=_progress,
            )
            move.database_analyze(using=alias)
            missing = move.files_missing(
                names=move.referenced_files(using="default"), root=Path(plan["media_root"])
            )
    except move.VerificationError as error:
        _say(f"{PROG}: {error}")
        for problem in error.problems:
            _say(f"  {problem}")
        if options.json:
            print(json.dumps({"ok": False, "problems": error.problems}, ensure_ascii=False))
        return 1
    except move.MoveError as error:
        _say(f"{PROG}: {error}")
        return 2 if stage == "check" else 1
    seconds = time.perf_counter() - started
    notes = reminders(plan, files, url_shown)
    if missing:
        notes.insert(
            0,
            f"{len(missing)} berkas yang dirujuk basis data tidak ada di {plan['media_root']} "
            f"(mis. {missing[0]}); sudah hilang di uji coba.",
        )
    summary = {
        "ok": True,
        "source": str(source_path),
        "target": url_shown,
        "rows": result.rows,
        "tables": [
            {"table": c.table, "source_rows": c.source_rows, "target_rows": c.target_rows}
            for c in result.checks
        ],
        "register_checksum": result.register_checksum,
        "media": files["media"],
        "secret_key": files["secret_key"],
        "files_missing": missing,
        "seconds": {
            "migrate": round(seconds_migrate, 2),
            "copy": round(result.seconds_copy, 2),
            "verify": round(result.seconds_verify, 2),
            "total": round(seconds, 2),
        },
        "reminders": notes,
    }
    if options.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(move.counts_table(result.checks))
    print(
        f"\nSelesai: {move.thousands(result.rows)} baris dipindahkan dan diperiksa (jumlah "
        f"baris dan checksum tiap tabel sama; checksum register {result.register_checksum[:16]}…)"
        f" dalam {seconds:.1f} detik (migrasi {seconds_migrate:.1f}, salin "
        f"{result.seconds_copy:.1f}, periksa {result.seconds_verify:.1f})."
    )
    for line in notes:
        print(f"- {line}")
    return 0
