"""The ``naikkelas`` command: one entry point for running and administering the product.

naikkelas demo [--port 8000] [--businesses 11000]   set up a demo register and serve it
naikkelas serve [--port 8000]                         serve the web UI, API and admin
naikkelas worker                                      run background jobs (imports)
naikkelas manage <django command> ...                 any Django management command
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

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


def start_worker() -> subprocess.Popen[bytes]:
    """The background-job worker (imports) as a child process of the server."""
    return subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", "worker"], start_new_session=False
    )


def serve(*, host: str, port: int, workers: int, with_worker: bool = True) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if with_worker:
        start_worker()
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
    ]
    os.execv(sys.executable, args)


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
    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)

    _setup_django()
    if options.command == "worker":
        from django.core.management import call_command

        call_command("db_worker", interval=1.0)
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
