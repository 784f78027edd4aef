"""``naikkelas migrate-to-postgres``: move a SQLite pilot onto a PostgreSQL server."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HELP = "move a SQLite pilot (data, history and files) onto PostgreSQL, verified by counts"
DESCRIPTION = """Move a SQLite pilot into an empty PostgreSQL database, with its files.

On the server (its settings loaded, e.g. `sudo naikkelas ...` after deploy/install.sh), from
a copy of the pilot's data directory:

  naikkelas migrate-to-postgres --from /var/tmp/pilot

  The target is this installation's DATABASE_URL (or URL if given), the uploads and the
  secret key go into this installation's data directory (or --data-dir-to).

In the pilot's own environment (its NAIKKELAS_DATA_DIR, no DATABASE_URL):

  naikkelas migrate-to-postgres postgres://USER:PASSWORD@HOST/DB [--data-dir-to DIR]

  Without --data-dir-to the uploads and the secret key stay where they are.

Stop the pilot first. The target database must exist and hold no data (migrated already,
with the installer's reference data, is fine). Its schema is made with `naikkelas migrate`;
then every table is copied in one transaction, keeping ids and timestamps, and both sides are
compared (row counts, a checksum of every table, the register checksum): any difference
rolls the copy back. Files are checked by SHA-256. See docs/migrate-to-postgres.md.

Exit codes: 0 moved and verified; 1 the copy failed or differed (rolled back); 2 refused
before anything was changed (bad address, unreachable server, target not empty, pilot not
SQLite or not migrated, conflicting files).
"""

PROG = "naikkelas migrate-to-postgres"
SQLITE_FILE = "naikkelas.sqlite3"
KEY_FILE = "secret_key"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url",
        metavar="URL",
        nargs="?",
        help="the target, postgres://USER:PASSWORD@HOST:PORT/DATABASE (with --from: default "
        "this installation's DATABASE_URL)",
    )
    parser.add_argument(
        "--from",
        dest="from_dir",
        metavar="PILOT_DIR",
        help="a copy of the pilot's data directory (naikkelas.sqlite3, media/, secret_key)",
    )
    parser.add_argument(
        "--data-dir-to",
        metavar="DIR",
        help="the server's data directory (NAIKKELAS_DATA_DIR) for the uploads and the secret "
        "key (with --from: default this installation's)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=2000, help="rows read at a time (default 2000)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(copy: Any) -> None:
    if copy.rows:
        _say(f"  {copy.table:<40} {copy.rows:>9,} baris  {copy.seconds:5.1f} dtk".replace(",", "."))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


@dataclass
class Ends:
    """Where the pilot is read from and where it goes."""

    source: str  # connection alias of the pilot's SQLite database
    source_file: Path
    media_root: Path  # the pilot's uploads
    key_file: Path | None  # the pilot's secret_key file (None: it used DJANGO_SECRET_KEY)
    target: str  # connection alias of the PostgreSQL database
    target_shown: str  # for messages (no password)
    target_url: str | None  # for `naikkelas migrate` (None: this installation's DATABASE_URL)
    data_dir_to: Path | None  # the server's data directory (None: files stay)
    server_key: str | None  # DJANGO_SECRET_KEY of the server's environment, when known
    s3: bool  # uploads in an S3 bucket (NAIKKELAS_S3_BUCKET), not in files


def ends_resolve(options: argparse.Namespace, stack: ExitStack) -> Ends:
    """Resolve the source and the target (connections added to ``stack``); MoveError when
    they do not fit."""
    from django.conf import settings
    from django.db import connections

    from naikkelas.ops import to_postgres as move

    url = options.url
    if url:
        move.target_settings(url)  # a bad address is told before anything else
    data_dir_to = Path(options.data_dir_to).expanduser() if options.data_dir_to else None
    s3 = bool(settings.NAIKKELAS_S3_BUCKET)
    if options.from_dir is None:  # in the pilot's environment
        if not url:
            raise move.MoveError(
                "Sebutkan basis data tujuan (postgres://…), atau jalankan di server dengan "
                "--from DIREKTORI_UJI_COBA."
            )
        default = connections["default"]
        if default.vendor != "sqlite":
            raise move.MoveError(
                f"Basis data instalasi ini bukan SQLite ({default.vendor}). Di server, sebutkan "
                "salinan direktori data uji coba dengan --from DIREKTORI."
            )
        from_env = bool(os.environ.get("DJANGO_SECRET_KEY"))
        if data_dir_to is not None and data_dir_to.resolve() == Path(settings.DATA_DIR).resolve():
            raise move.MoveError(
                "--data-dir-to menunjuk ke direktori data uji coba sendiri; hilangkan pilihan itu."
            )
        return Ends(
            source="default",
            source_file=Path(str(default.settings_dict["NAME"])),
            media_root=Path(settings.MEDIA_ROOT),
            key_file=None if from_env else Path(settings.DATA_DIR) / KEY_FILE,
            target=stack.enter_context(move.target_database(url)),
            target_shown=move.redacted(url),
            target_url=url,
            data_dir_to=data_dir_to,
            server_key=None,
            s3=s3,
        )
    pilot = Path(options.from_dir).expanduser()
    source_file = pilot / SQLITE_FILE
    if not source_file.is_file():
        raise move.MoveError(
            f"{source_file} tidak ada: --from harus menunjuk ke salinan direktori data uji coba "
            f"(berisi {SQLITE_FILE}, media/ dan {KEY_FILE})."
        )
    data_dir_to = data_dir_to or Path(settings.DATA_DIR)
    if data_dir_to.resolve() == pilot.resolve():
        raise move.MoveError("--from dan direktori data tujuan sama.")
    if url:
        target = stack.enter_context(move.target_database(url))
        shown = move.redacted(url)
    else:
        target = "default"
        if connections[target].vendor != "postgresql":
            raise move.MoveError(
                "Basis data instalasi ini bukan PostgreSQL (DATABASE_URL); sebutkan alamat "
                "tujuan: postgres://PENGGUNA:KATASANDI@HOST/NAMA."
            )
        shown = (
            "DATABASE_URL instalasi ini (" + str(connections[target].settings_dict["NAME"]) + ")"
        )
    key_file = pilot / KEY_FILE
    return Ends(
        source=stack.enter_context(
            move.database_alias(move.SOURCE_ALIAS, move.sqlite_settings(source_file))
        ),
        source_file=source_file,
        media_root=pilot / "media",
        key_file=key_file if key_file.is_file() else None,
        target=target,
        target_shown=shown,
        target_url=url,
        data_dir_to=data_dir_to,
        server_key=os.environ.get("DJANGO_SECRET_KEY") or None,
        s3=s3,
    )


def _source_check(ends: Ends) -> None:
    """The pilot's SQLite file exists and is migrated to exactly this release."""
    from django.db.utils import DatabaseError

    from naikkelas.ops.schema import unapplied_migrations
    from naikkelas.ops.to_postgres import MoveError, unknown_migrations

    if not ends.source_file.is_file():
        raise MoveError(
            f"Basis data SQLite {ends.source_file} tidak ada. Periksa NAIKKELAS_DATA_DIR "
            "(direktori data uji coba)."
        )
    try:
        pending = unapplied_migrations(using=ends.source)
        newer = unknown_migrations(using=ends.source)
    except DatabaseError as error:
        raise MoveError(
            f"Basis data SQLite {ends.source_file} tidak dapat dibaca: {error}"
        ) from error
    if newer:
        raise MoveError(
            f"Uji coba memakai versi naikkelas yang lebih baru (migrasi {newer[0]} tidak dikenal "
            "versi ini). Pasang versi yang sama di sini, lalu ulangi."
        )
    if pending:
        raise MoveError(
            f"Basis data uji coba belum dimigrasikan ke versi ini ({len(pending)} migrasi "
            "belum dijalankan). Jalankan `naikkelas migrate` untuk uji coba itu lebih dulu "
            "(di laptop, dengan versi ini), lalu ulangi."
        )


def _target_check(ends: Ends) -> str:
    """Reachable, holds no data, not made by a newer release; returns the server version."""
    from naikkelas.ops import to_postgres as move

    version = move.target_connect(using=ends.target)
    newer = move.unknown_migrations(using=ends.target)
    if newer:
        raise move.MoveError(
            f"Basis data tujuan dibuat oleh versi naikkelas yang lebih baru (migrasi {newer[0]} "
            "tidak dikenal versi ini). Pakai versi yang sama di kedua sisi."
        )
    blocking = move.blocking_tables(move.target_data_counts(using=ends.target))
    if blocking:
        raise move.MoveError(move.not_empty_message(blocking))
    return version


def _target_migrate(ends: Ends) -> float:
    """``naikkelas migrate`` against the target, in a process of its own where the target is
    the default database (data migrations write through the default connection)."""
    from naikkelas.ops.to_postgres import MoveError

    started = time.perf_counter()
    env = dict(os.environ)
    if ends.target_url:
        env["DATABASE_URL"] = ends.target_url
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


def _media_plan(ends: Ends) -> Any:
    """What copying the uploads will do (checked before anything moves), or None."""
    from naikkelas.ops.to_postgres import MoveError, media_plan

    target = ends.data_dir_to
    if target is None or ends.s3:
        return None
    if target.exists() and not target.is_dir():
        raise MoveError(f"{target} bukan direktori.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MoveError(f"Direktori {target} tidak dapat dibuat: {error}") from error
    if not os.access(target, os.W_OK):
        raise MoveError(f"Direktori {target} tidak dapat ditulisi oleh pengguna ini.")
    plan = media_plan(source=ends.media_root, target=target / "media")
    if plan.conflicts:
        raise MoveError(
            f"{len(plan.conflicts)} berkas sudah ada di {target / 'media'} dengan isi berbeda "
            f"(mis. {plan.conflicts[0]}). Kosongkan direktori itu atau pilih yang lain."
        )
    return plan


def files_move(ends: Ends, media: Any) -> dict[str, Any]:
    """Copy the uploads and settle the secret key; returns what was done."""
    from naikkelas.ops.to_postgres import media_copy, secret_key_copy

    outcome: dict[str, Any] = {"media": None, "secret_key": "not-copied"}
    if media is not None:
        copy = media_copy(media)
        outcome["media"] = {"copied": copy.copied, "present": copy.present, "bytes": copy.bytes}
        _say(
            f"Berkas unggahan: {copy.copied} disalin ({_megabytes(copy.bytes)}), "
            f"{copy.present} sudah ada; semua diperiksa SHA-256."
        )
    if ends.data_dir_to is None or ends.key_file is None:
        return outcome
    pilot_key = ends.key_file.read_text().strip()
    if ends.server_key is not None:  # the server's key comes from its environment
        outcome["secret_key"] = "env-same" if ends.server_key == pilot_key else "env-differs"
        return outcome
    outcome["secret_key"] = secret_key_copy(
        source=ends.key_file, target=ends.data_dir_to / KEY_FILE
    )
    done = {"copied": "disalin", "same": "sudah sama", "replaced": "diganti"}
    _say(f"Kunci rahasia {ends.data_dir_to / KEY_FILE}: {done[outcome['secret_key']]}.")
    return outcome


def reminders(ends: Ends, files: dict[str, Any]) -> list[str]:
    """What is left to do by hand after the move (in Bahasa Indonesia)."""
    lines = []
    target = ends.data_dir_to
    if ends.s3:
        lines.append(
            "Berkas unggahan memakai bucket S3 (NAIKKELAS_S3_BUCKET): tidak disalin; pastikan "
            "server dan uji coba memakai bucket yang sama."
        )
    elif target is None:
        lines.append(
            f"Berkas unggahan TIDAK disalin: tetap di {ends.media_root}. Salin folder itu ke "
            "<direktori data server>/media (atau ulangi dengan --data-dir-to)."
        )
    key_outcome = files["secret_key"]
    if ends.key_file is None:
        lines.append(
            "Kunci rahasia uji coba berasal dari DJANGO_SECRET_KEY (tidak ada berkas "
            f"{KEY_FILE}): pasang nilai yang SAMA sebagai DJANGO_SECRET_KEY di server."
        )
    elif key_outcome == "env-differs":
        lines.append(
            "PENTING: server memakai DJANGO_SECRET_KEY lain dari lingkungannya. Ganti nilainya "
            f"di berkas pengaturan server dengan isi {ends.key_file}, mis. (deploy/install.sh):\n"
            '    sudo sed -i "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$(sudo cat '
            f'{ends.key_file})|" /etc/naikkelas/naikkelas.env\n'
            "  lalu mulai ulang layanannya. Tanpa itu tidak ada data yang hilang, tetapi semua "
            "orang harus masuk lagi dan tautan atur ulang kata sandi yang sudah terkirim tidak "
            "berlaku lagi."
        )
    elif target is None:
        lines.append(
            f"Salin juga {ends.key_file} ke <direktori data server>/{KEY_FILE} (izin 0600), atau "
            "pasang isinya sebagai DJANGO_SECRET_KEY di server: sesi masuk, tautan atur ulang "
            "kata sandi dan token formulir pendaftaran mandiri bergantung padanya."
        )
    else:
        if key_outcome == "replaced":
            lines.append(
                f"Kunci rahasia lama server disimpan sebagai {target / (KEY_FILE + '.before-move')}."
            )
        if ends.server_key is None and ends.target_url:
            lines.append(
                f"Bila server memasang DJANGO_SECRET_KEY (deploy/install.sh melakukannya), ganti "
                f"nilainya dengan isi {target / KEY_FILE}: kunci dari lingkungan didahulukan."
            )
    server_dir = str(target) if target is not None else "<direktori data server>"
    if ends.target_url:
        lines.append(
            f"Di server: DATABASE_URL={ends.target_shown} dan NAIKKELAS_DATA_DIR={server_dir}."
        )
    lines.append(
        "Lalu `naikkelas check`, mulai layanannya dan masuk dengan akun dari uji coba. "
        "Uji coba SQLite jangan dipakai lagi."
    )
    return lines


def run(options: argparse.Namespace) -> int:
    from naikkelas.ops import to_postgres as move

    started = time.perf_counter()
    if options.batch_size < 1:
        _say(f"{PROG}: --batch-size harus minimal 1.")
        return 2
    stage = "check"  # refusals before anything changed exit 2, failures after it 1
    try:
        with ExitStack() as stack:
            ends = ends_resolve(options, stack)
            _source_check(ends)
            version = _target_check(ends)
            media = _media_plan(ends)
            _say(
                f"Sumber: {ends.source_file} (SQLite). "
                f"Tujuan: {ends.target_shown} (PostgreSQL {version})."
            )
            _say("Menyiapkan skema tujuan (naikkelas migrate)…")
            stage = "move"
            seconds_migrate = _target_migrate(ends)
            files = files_move(ends, media)
            _say("Menyalin tabel (satu transaksi; dibatalkan bila ada yang berbeda)…")
            result = move.database_copy(
                source=ends.source,
                target=ends.target,
                batch_size=options.batch_size,
                progress=_progress,
            )
            move.database_analyze(using=ends.target)
            missing = move.files_missing(
                names=move.referenced_files(using=ends.source), root=ends.media_root
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
    notes = reminders(ends, files)
    if missing and not ends.s3:
        notes.insert(
            0,
            f"{len(missing)} berkas yang dirujuk basis data tidak ada di {ends.media_root} "
            f"(mis. {missing[0]}): sudah hilang di uji coba.",
        )
    summary = {
        "ok": True,
        "source": str(ends.source_file),
        "target": ends.target_shown,
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
