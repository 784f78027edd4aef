"""The ``naikkelas`` command: one entry point for running and administering the product.

naikkelas demo [--port 8000] [--businesses 11000]   set up a demo register and serve it
naikkelas serve [--port 8000]                         serve the web UI, API and admin
naikkelas worker                                      run background jobs (imports)
naikkelas import FILE [--source NAME] [--mapping M.json] [--dry-run] [--json]
                                                      import a spreadsheet of UMKM now
naikkelas link INPUT --out OUTPUT [--review PAIRS]    deduplicate a CSV/XLSX list (no database)
naikkelas check                                       report configuration problems
naikkelas migrate [--plan]                            apply this release's migrations (backup first)
naikkelas backup / restore ARCHIVE                    dated, checksummed (encrypted) backups
naikkelas migrate-to-postgres URL                     move a SQLite pilot onto PostgreSQL
naikkelas manage <django command> ...                 any Django management command
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

DEMO_USERS = (
    ("admin", "admin", "Admin Naikkelas"),
    ("dinas", "dinas", "Petugas Diskopukmperindag"),
    ("hipmikindo", "hipmikindo", "Pengurus Hipmikindo"),
    ("enumerator", "enumerator", "Petugas Pendataan"),
    ("pimpinan", "pimpinan", "Pimpinan Daerah"),
    ("pemilik", "owner", "Pelaku UMKM (demo)"),
)
# The demo enumerator works in Kecamatan Kasemen and is handed some of its businesses.
DEMO_ENUMERATOR_AREA = "36.73.02"
DEMO_ENUMERATOR_BUSINESSES = 40


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()


def _demo_credentials(data_dir: Path) -> dict[str, str]:
    """Random passwords per installation, kept (0600) in the data directory and reprinted."""
    path = data_dir / "demo-users.txt"
    known: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            username, _, password = line.partition(" ")
            known[username] = password
    for username, _role, _name in DEMO_USERS:
        known.setdefault(username, f"{username}-{secrets.token_urlsafe(6)}")
    path.write_text("".join(f"{u} {p}\n" for u, p in known.items()))
    path.chmod(0o600)
    return known


def setup_demo(*, businesses: int, seed: int) -> dict[str, str]:
    from django.conf import settings
    from django.core.management import call_command

    from naikkelas.accounts.models import User
    from naikkelas.accounts.services import user_create
    from naikkelas.association.demo import demo_association_load
    from naikkelas.fieldwork.services.forms import census_form_publish
    from naikkelas.linkage.services.register_index import (
        register_index_ready,
        register_index_rebuild,
    )
    from naikkelas.market.demo import demo_market_load
    from naikkelas.programs.services.demo import demo_programmes_load
    from naikkelas.regions.services import region_catalogue_load
    from naikkelas.registry.services import sector_catalogue_load
    from naikkelas.registry.services.demo import demo_register_load

    call_command("migrate", interactive=False, verbosity=0)
    print("Memuat kode wilayah Kemendagri…", flush=True)
    region_catalogue_load()
    sector_catalogue_load()
    credentials = _demo_credentials(settings.DATA_DIR)
    for username, role, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user_create(
                username=username, password=credentials[username], role=role, full_name=full_name
            )
        elif not user.check_password(credentials[username]):
            user.set_password(credentials[username])
            user.save(update_fields=["password"])
    print(f"Membuat register demo sintetis ({businesses} usaha)…", flush=True)
    added = demo_register_load(businesses=businesses, seed=seed)
    if added == 0:
        print("Register demo sudah ada; tidak ditambah lagi.")
    if added or not register_index_ready():
        print("Membangun indeks cek duplikat…", flush=True)
        register_index_rebuild()
    # the census form for ODK Collect (no Java needed here: ODK Validate runs in the tests)
    census_form_publish(actor=None, validate=False)
    print("Menyiapkan contoh program, seleksi dan buku bantuan…", flush=True)
    demo_programmes_load(seed=seed)
    demo_market_load(seed=seed)
    print("Menyiapkan contoh keanggotaan Hipmikindo…", flush=True)
    demo_association_load(seed=seed)
    _demo_scopes()
    return credentials


def _demo_scopes() -> None:
    """Give the demo enumerator an area and work, and the demo owner their businesses."""
    from naikkelas.accounts.models import AreaAssignment, User
    from naikkelas.registry.models import Business, BusinessAssignment, Owner

    enumerator = User.objects.get(username="enumerator")
    AreaAssignment.objects.get_or_create(user=enumerator, region_id=DEMO_ENUMERATOR_AREA)
    if not BusinessAssignment.objects.filter(user=enumerator).exists():
        work = Business.objects.filter(kecamatan_id=DEMO_ENUMERATOR_AREA).order_by("name_key")
        BusinessAssignment.objects.bulk_create(
            BusinessAssignment(business=b, user=enumerator)
            for b in work[:DEMO_ENUMERATOR_BUSINESSES]
        )
    owner_user = User.objects.get(username="pemilik")
    if not Owner.objects.filter(user=owner_user).exists():
        owner = (
            Owner.objects.filter(source="demo", user__isnull=True, businesses__isnull=False)
            .order_by("name_key")
            .first()
        )
        if owner is not None:
            owner.user = owner_user
            owner.save(update_fields=["user"])


def _end_with_parent() -> None:
    """In the worker child (Linux): receive SIGTERM when the server process ends, however it
    ends, so that no worker is left running on its own (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)
    except OSError:
        pass


def start_worker() -> subprocess.Popen[bytes]:
    """The background-job worker (imports) as a child process of the server (which execs
    into gunicorn: the worker ends when gunicorn's master does)."""
    return subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", "worker"],
        start_new_session=False,
        preexec_fn=_end_with_parent,  # noqa: PLW1509 - no threads run yet in this process
    )


class UnappliedMigrationsError(SystemExit):
    """``serve`` on a database that this release's migrations have not reached."""


def refuse_unapplied_migrations() -> None:
    """Stop (exit code 3) when the database lacks migrations of the installed release: the
    code would run against tables it does not know. ``naikkelas migrate`` applies them after
    a backup (docs/upgrade.md)."""
    from naikkelas.ops.schema import unapplied_migrations

    pending = unapplied_migrations()
    if pending:
        shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        print(
            f"naikkelas: basis data belum dimigrasikan ke versi ini ({len(pending)} migrasi "
            f"belum dijalankan: {shown}).\nJalankan `naikkelas migrate` (membuat cadangan "
            "lebih dulu), lalu mulai lagi. Lihat docs/upgrade.md.",
            file=sys.stderr,
        )
        raise UnappliedMigrationsError(3)


def serve(*, host: str, port: int, workers: int, with_worker: bool = True) -> None:
    from django.conf import settings
    from django.core.management import call_command

    refuse_unapplied_migrations()
    call_command("collectstatic", interactive=False, verbosity=0)
    if with_worker:
        start_worker()
    if settings.NAIKKELAS_METRICS_ENABLED:
        # Each gunicorn worker writes its request metrics here; a scrape adds them up. Set
        # before gunicorn starts: prometheus_client reads it when first imported.
        from naikkelas.ops.metrics import MULTIPROCESS_ENV, prepare_multiprocess_dir

        os.environ[MULTIPROCESS_ENV] = str(prepare_multiprocess_dir(settings.DATA_DIR))
    print(f"naikkelas berjalan di http://{host}:{port}/  (Ctrl+C untuk berhenti)", flush=True)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "naikkelas.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # no device keys or query strings in the access log
        "--logger-class",
        "naikkelas.config.access_log.RedactingLogger",
    ]
    if settings.NAIKKELAS_LOG_FORMAT == "json":
        # gunicorn's own error and access logs as JSON lines too (ops.json_logs)
        from naikkelas.ops.json_logs import gunicorn_log_config

        log_config = Path(settings.DATA_DIR) / "gunicorn-logging.json"
        log_config.write_text(json.dumps(gunicorn_log_config()))
        args += ["--log-config-json", str(log_config)]
    os.execv(sys.executable, args)


# --------------------------------------------------------------------------------------------
# naikkelas import
# --------------------------------------------------------------------------------------------

IMPORT_HELP = """Import a spreadsheet (XLSX, XLS, ODS, CSV) of UMKM into the register, now.

Stages the file (every row kept verbatim), applies --mapping if given, then validates, links
and promotes every row with a progress bar on stderr, and prints the summary. Rows that cannot
be promoted are quarantined with their reasons: that is a normal outcome (exit code 0); fix
them in the web UI or through the API (quarantine.xlsx). Exit codes: 0 done (also with
quarantined rows, and when the same file was imported before), 1 the run failed (the batch is
marked failed and can be resumed), 2 the file cannot be read, or bad --mapping/--user.

--mapping FILE.json: {"columns": {"<sheet>": {"<column index>": "<field>" | null}},
"options": {"omzet_period": "month"|"year", "year": 2025, "default_desa_kelurahan": "..."}}.
--dry-run: stage and validate every row in a transaction that is rolled back: the database
(and the stored file) are left as they were; the summary shows what would happen.
"""

BAR_WIDTH = 30


class _DryRunRollbackError(Exception):
    """Raised inside the dry run's transaction to roll it back."""


class _ImportUsageError(Exception):
    """Bad input for ``naikkelas import``: exit code 2 with this message."""


def _progress_bar(done: int, total: int) -> None:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    end = "\n" if done >= total else ""
    print(f"\r[{bar}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def _load_mapping(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _ImportUsageError(f"Berkas pemetaan {path} tidak terbaca: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise _ImportUsageError('Pemetaan harus berbentuk {"columns": {...}, "options": {...}}.')
    columns: dict[str, dict[int, str | None]] = {}
    for sheet, chosen in data.get("columns", {}).items():
        if not isinstance(chosen, dict):
            raise _ImportUsageError(f"Pemetaan lembar {sheet!r} harus {{indeks: kolom}}.")
        try:
            columns[str(sheet)] = {int(index): field or None for index, field in chosen.items()}
        except ValueError as error:
            raise _ImportUsageError(f"Indeks kolom lembar {sheet!r} harus angka.") from error
    from naikkelas.intake.headers import CANONICAL_FIELDS

    unknown = sorted(
        {f for chosen in columns.values() for f in chosen.values() if f} - set(CANONICAL_FIELDS)
    )
    if unknown:
        raise _ImportUsageError(
            f"Kolom tujuan tidak dikenal: {', '.join(unknown)}. "
            f"Yang dikenal: {', '.join(CANONICAL_FIELDS)}."
        )
    options = data.get("options")
    if options is not None and not isinstance(options, dict):
        raise _ImportUsageError("'options' harus objek JSON.")
    return {"columns": columns, "options": options}


def _import_actor(username: str | None) -> Any:
    if not username:
        return None  # the system
    from naikkelas.accounts.models import User
    from naikkelas.accounts.permissions import Capability, has_capability

    user = User.objects.filter(username=username).first()
    if user is None:
        raise _ImportUsageError(f"Pengguna {username!r} tidak ada.")
    if not has_capability(user, Capability.IMPORT_MANAGE):
        raise _ImportUsageError(f"Pengguna {username!r} tidak berhak mengimpor.")
    return user


def _import_summary(batch: Any, *, created: bool, dry_run: bool, seconds: float) -> dict[str, Any]:
    return {
        "batch_id": str(batch.pk),
        "file_name": batch.file_name,
        "source": batch.source,
        "status": batch.status,
        "already_imported": not created,
        "dry_run": dry_run,
        "rows_in": batch.rows_in,
        "promoted": batch.promoted,
        "linked": batch.linked,
        "quarantined": batch.quarantined,
        "duplicates": batch.duplicates_in_file,
        "accounted": batch.accounted,
        "accounted_ok": batch.rows_in == batch.accounted,
        "seconds": round(seconds, 2),
    }


def _import_run(options: argparse.Namespace) -> dict[str, Any]:
    import contextlib
    import time

    from django.core.exceptions import ValidationError
    from django.db import transaction

    from naikkelas.intake.models import BatchStatus
    from naikkelas.intake.services import import_batch_map, import_batch_run, import_batch_stage
    from naikkelas.intake.services.processing import import_batch_can_resume

    path = Path(options.file)
    if not path.is_file():
        raise _ImportUsageError(f"Berkas {path} tidak ada.")
    mapping = _load_mapping(options.mapping) if options.mapping else None
    actor = _import_actor(options.user)
    started = time.perf_counter()
    summary: dict[str, Any] = {}
    stored: list[Any] = []  # the file saved by staging, removed again after a dry run
    # A real import commits chunk by chunk (resumable, the web UI stays usable); a dry run is
    # one transaction that is rolled back at the end.
    outer = transaction.atomic() if options.dry_run else contextlib.nullcontext()
    try:
        with outer:
            print(f"Membaca {path.name}…", file=sys.stderr, flush=True)
            try:
                batch, created = import_batch_stage(
                    actor=actor, path=path, file_name=path.name, source=options.source
                )
            except (ValidationError, OSError) as error:
                messages = getattr(error, "messages", None) or [str(error)]
                raise _ImportUsageError(" ".join(messages)) from error
            if created:
                stored.append(batch.file)
            if mapping is not None and batch.status == BatchStatus.STAGED:
                try:
                    import_batch_map(
                        actor=actor,
                        batch=batch,
                        columns=mapping["columns"],
                        options=mapping["options"],
                    )
                except ValidationError as error:
                    raise _ImportUsageError(" ".join(error.messages)) from error
            if batch.status == BatchStatus.STAGED or import_batch_can_resume(batch):
                batch = import_batch_run(actor=actor, batch=batch, progress=_progress_bar)
            elif not created:
                print(
                    f"Berkas ini sudah pernah diimpor (impor {batch.pk}, status {batch.status}).",
                    file=sys.stderr,
                )
            summary = _import_summary(
                batch,
                created=created,
                dry_run=options.dry_run,
                seconds=time.perf_counter() - started,
            )
            if options.dry_run:
                raise _DryRunRollbackError
    except _DryRunRollbackError:
        for field_file in stored:  # the database rolled back; the stored copy must go too
            field_file.storage.delete(field_file.name)
    except BaseException:
        if options.dry_run:
            for field_file in stored:
                field_file.storage.delete(field_file.name)
        raise
    return summary


def _print_import_summary(summary: dict[str, Any]) -> None:
    title = "Uji coba (tidak disimpan)" if summary["dry_run"] else "Impor selesai"
    check = "cocok" if summary["accounted_ok"] else "TIDAK COCOK"
    lines = [
        f"{title}: {summary['file_name']} (sumber: {summary['source']}, "
        f"impor {summary['batch_id']}, {summary['seconds']} detik)",
        f"  baris masuk              {summary['rows_in']:>9}",
        f"  masuk register (baru)    {summary['promoted']:>9}",
        f"  cocok dgn data yg ada    {summary['linked']:>9}",
        f"  karantina (perlu dicek)  {summary['quarantined']:>9}",
        f"  ganda dalam berkas       {summary['duplicates']:>9}",
        f"  pemeriksaan: {summary['rows_in']} = {summary['promoted']} + {summary['linked']} + "
        f"{summary['quarantined']} + {summary['duplicates']}  ({check})",
    ]
    if summary["already_imported"]:
        lines.insert(1, "  (berkas yang sama sudah pernah diimpor; ini hasil impor itu)")
    print("\n".join(lines))


def import_command(options: argparse.Namespace) -> int:
    """``naikkelas import``; returns the exit code (0, 1 or 2, see IMPORT_HELP)."""
    try:
        summary = _import_run(options)
    except _ImportUsageError as error:
        print(f"naikkelas import: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        print(f"naikkelas import: impor gagal: {error}", file=sys.stderr)
        return 1
    if options.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_import_summary(summary)
    return 0


LINK_HELP = """\
Deduplicate a list of UMKM: the same business written differently in several rows becomes
one cluster, and rows of one owner share an owner cluster. Nothing is written to the
register. Columns are recognised like an import (Nama Usaha, Nama Pemilik, NIK, No HP,
Alamat, Kelurahan, Sektor, NIB; a 'record_id' column is kept as the row's id).

Output columns: record_id, cluster_id, match_probability, match_reason, decision
(linked/review/new), matched_record_id, owner_cluster_id, owner_match_probability,
owner_matched_record_id.
"""


def link_command(options: argparse.Namespace) -> int:
    from naikkelas.intake.link_file import NoHeaderError, link_file
    from naikkelas.intake.readers import SheetNotFoundError, UnsupportedFileError
    from naikkelas.linkage.batch import Thresholds

    defaults = Thresholds()
    try:
        thresholds = Thresholds(
            link=options.link_threshold or defaults.link,
            review=options.review_threshold or defaults.review,
        )
        summary = link_file(
            Path(options.input),
            Path(options.out),
            sheet=options.sheet,
            area_code=options.area,
            thresholds=thresholds,
            review_out=Path(options.review) if options.review else None,
            memory_limit=options.memory_limit,
            window=max(0, options.window),
        )
    except (OSError, ValueError, NoHeaderError, SheetNotFoundError, UnsupportedFileError) as exc:
        print(f"naikkelas link: {exc}", file=sys.stderr)
        return 2
    if options.json:
        print(json.dumps(summary.__dict__, indent=2))
        return 0
    total = sum(summary.seconds.values())
    print(
        f"{summary.records} baris -> {summary.businesses} usaha, {summary.owners} pemilik; "
        f"{summary.linked_records} baris tertaut otomatis, {summary.review_pairs} pasangan "
        f"perlu ditinjau ({summary.pairs_scored} pasangan dinilai, {total:.1f} detik).\n"
        f"Kolom dikenali: {', '.join(summary.columns)}. Hasil: {options.out}",
        file=sys.stderr,
    )
    return 0


WORKER_RETRY_SECONDS = 15.0


def run_task_worker() -> None:
    """django-tasks' database worker, started again after a database error (a full disk, a
    restarted PostgreSQL): its loop ends on one, and a worker started by ``naikkelas serve``
    has no systemd to bring it back. Interrupted imports resume through their own tasks."""
    import time

    from django.core.management import call_command
    from django.db import DatabaseError, connections

    while True:
        try:
            call_command("db_worker", interval=1.0)
            return  # stopped (SIGTERM/SIGINT)
        except DatabaseError as error:
            print(
                f"naikkelas worker: basis data menolak ({type(error).__name__}: {error}); "
                f"dicoba lagi dalam {WORKER_RETRY_SECONDS:.0f} detik.",
                file=sys.stderr,
                flush=True,
            )
            connections.close_all()
            time.sleep(WORKER_RETRY_SECONDS)


# Operations commands: each module has HELP, add_arguments(parser) and run(options) -> exit
# code (run is called with Django set up; optional DESCRIPTION).
OPS_COMMANDS = {
    "check": "naikkelas.ops.commands.check",
    "migrate": "naikkelas.ops.commands.migrate",
    "backup": "naikkelas.ops.commands.backup",
    "restore": "naikkelas.ops.commands.restore",
    "migrate-to-postgres": "naikkelas.ops.commands.to_postgres",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="naikkelas", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="set up a synthetic demo register and serve it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--businesses", type=int, default=11000)
    demo.add_argument("--seed", type=int, default=3673)
    demo.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
    srv = commands.add_parser("serve", help="serve the web UI, API and admin")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--workers", type=int, default=2)
    srv.add_argument("--no-worker", action="store_true", help="do not start the job worker")
    commands.add_parser("worker", help="run background jobs (imports); `serve` starts one")
    imp = commands.add_parser(
        "import",
        help="import a spreadsheet of UMKM now (progress bar, summary)",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", help="XLSX, XLS, ODS or CSV")
    imp.add_argument("--source", default="", help="name of the list (default: the file name)")
    imp.add_argument("--mapping", metavar="FILE.json", help="column mapping and options")
    imp.add_argument("--dry-run", action="store_true", help="validate only; change nothing")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.add_argument("--user", metavar="USERNAME", help="act as this user (default: system)")
    lnk = commands.add_parser(
        "link",
        help="deduplicate a CSV/XLSX list of UMKM (one business, one cluster); no database",
        description=LINK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lnk.add_argument("input", metavar="INPUT", help="XLSX, XLS, ODS or CSV")
    lnk.add_argument("--out", required=True, metavar="OUTPUT.csv", help="one row per record")
    lnk.add_argument("--review", metavar="PAIRS.csv", help="write the doubtful pairs here")
    lnk.add_argument("--sheet", default=None, help="sheet name (default: the first)")
    lnk.add_argument(
        "--area",
        default=os.environ.get("NAIKKELAS_AREA_CODE", "36.73"),
        help="kota/kabupaten code for kelurahan names (default: NAIKKELAS_AREA_CODE or 36.73)",
    )
    lnk.add_argument("--link-threshold", type=float, default=None, help="auto-link at/above")
    lnk.add_argument("--review-threshold", type=float, default=None, help="review at/above")
    lnk.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit (default 2GB)")
    lnk.add_argument(
        "--window",
        type=int,
        default=0,
        help="pair each record of an over-cap blocking group with this many sorted neighbours "
        "(more recall on dense lists, more time; default 0)",
    )
    lnk.add_argument("--json", action="store_true", help="print the summary as JSON")
    for name, module_name in OPS_COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(
            name,
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)

    if options.command == "link":
        code = link_command(options)
        if code:
            raise SystemExit(code)
        return
    _setup_django()
    if options.command in OPS_COMMANDS:
        code = importlib.import_module(OPS_COMMANDS[options.command]).run(options)
        if code:
            raise SystemExit(code)
        return
    if options.command == "worker":
        from naikkelas.intake.tasks import import_batches_resume_interrupted
        from naikkelas.linkage.tasks import register_index_enqueue_if_needed
        from naikkelas.ops.heartbeat import start_heartbeat

        refuse_unapplied_migrations()
        start_heartbeat()  # /healthz tells whether a worker is alive

        for batch_id in import_batches_resume_interrupted():
            print(f"Impor {batch_id} terputus; dilanjutkan.", file=sys.stderr, flush=True)
        if register_index_enqueue_if_needed():
            print("Indeks cek duplikat dibangun ulang.", file=sys.stderr, flush=True)
        from naikkelas.core.daily import start_scheduler

        start_scheduler()  # daily jobs: member statuses, kendala escalation, reminders
        run_task_worker()
        return
    if options.command == "import":
        code = import_command(options)
        if code:
            raise SystemExit(code)
        return
    if options.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["naikkelas manage", *options.args])
        return
    if options.command == "demo":
        credentials = setup_demo(businesses=options.businesses, seed=options.seed)
        print("\nPengguna demo (nama pengguna / kata sandi):")
        for username, role, _name in DEMO_USERS:
            print(f"  {username:<11} {credentials[username]:<24} peran: {role}")
        if options.no_serve:
            return
    serve(
        host=options.host,
        port=options.port,
        workers=getattr(options, "workers", 2),
        with_worker=not getattr(options, "no_worker", False),
    )


if __name__ == "__main__":
    main()
