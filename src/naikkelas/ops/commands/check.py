"""``naikkelas check``: report configuration problems of this installation.

Gathers the facts (settings, the database, the backup directory, the disk, the server's time
zone, Django's deployment checks) and hands them to the pure rules in ``naikkelas.ops.check``.
"""

from __future__ import annotations

import argparse
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from naikkelas.ops.check import (
    DjangoMessage,
    Facts,
    evaluate,
    exit_code,
    render_json,
    render_table,
)

HELP = "report configuration problems (DEBUG, secrets, HTTPS, backups, disk...)"
DESCRIPTION = """Report configuration problems of this installation, grouped by level.

GALAT (error): unsafe or broken, fix now; PERINGATAN (warning): fix before going live;
INFO: worth knowing. Looks at DEBUG, the secret key, allowed hosts, HTTPS (secure cookies,
HSTS, proxy, NAIKKELAS_BASE_URL, CSRF origins), the database (reachable, PostgreSQL,
migrations applied), backups (directory, newest archive, encryption, same disk), e-mail,
free disk space and permissions of the data directory, the time zone, and Django's own
deployment checks (manage.py check --deploy).

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 wrong usage.
"""

ZONEINFO = "zoneinfo/"  # /etc/localtime -> /usr/share/zoneinfo/Asia/Jakarta


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(options: argparse.Namespace) -> int:
    findings = evaluate(gather_facts())
    print(render_json(findings) if options.json else render_table(findings), end="")
    return exit_code(findings)


def gather_facts() -> Facts:
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    key_file = data_dir / "secret_key"
    key_from_file = not os.environ.get("DJANGO_SECRET_KEY")
    database_error, unapplied = _database_state()
    now = datetime.now(tz=UTC)
    worker_required, worker_age = _worker_state(now=now) if not database_error else (False, None)
    backup_dir = Path(settings.NAIKKELAS_BACKUP_DIR)
    passphrase_file = settings.NAIKKELAS_BACKUP_PASSPHRASE_FILE
    return Facts(
        debug=settings.DEBUG,
        secret_key=settings.SECRET_KEY,
        secret_key_from_file=key_from_file,
        secret_key_file_mode=_mode(key_file) if key_from_file else None,
        allowed_hosts=tuple(settings.ALLOWED_HOSTS),
        csrf_trusted_origins=tuple(settings.CSRF_TRUSTED_ORIGINS),
        base_url=settings.NAIKKELAS_BASE_URL,
        secure_cookies=settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
        hsts_seconds=settings.SECURE_HSTS_SECONDS,
        ssl_redirect=settings.SECURE_SSL_REDIRECT,
        behind_proxy=getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None,
        database_engine=settings.DATABASES["default"]["ENGINE"],
        database_error=database_error,
        unapplied_migrations=tuple(unapplied),
        backup_dir=str(backup_dir),
        backup_dir_exists=backup_dir.is_dir(),
        backup_dir_writable=os.access(backup_dir, os.W_OK | os.X_OK),
        backup_times=tuple(when for when, _path in _backups(backup_dir)),
        backup_encrypted=bool(passphrase_file),
        backup_passphrase_problem=_unreadable(passphrase_file),
        backup_same_disk=_same_disk(backup_dir, data_dir),
        worker_required=worker_required,
        worker_age_s=worker_age,
        worker_stale_s=settings.NAIKKELAS_WORKER_STALE_SECONDS,
        email_backend=settings.EMAIL_BACKEND,
        data_dir=str(data_dir),
        data_dir_mode=_mode(data_dir),
        disk_free_mb=_free_mb(data_dir),
        disk_min_free_mb=settings.NAIKKELAS_DISK_MIN_FREE_MB,
        time_zone=settings.TIME_ZONE,
        system_time_zone=system_time_zone(),
        django_messages=tuple(_django_messages()),
        now=now,
    )


def _worker_state(*, now: datetime) -> tuple[bool, float | None]:
    """Whether jobs need a worker, and the age of the newest heartbeat (None: never)."""
    from django.db import DatabaseError

    from naikkelas.ops.health import check_worker

    try:
        state = check_worker(now=now)
    except DatabaseError:  # e.g. the heartbeat table is not migrated yet: reported elsewhere
        return False, None
    return bool(state.get("required", True)), state.get("age_s")


def _database_state() -> tuple[str, list[str]]:
    """("", unapplied migrations) when the database opens; (why not, []) otherwise."""
    from django.db import connection

    from naikkelas.ops.schema import unapplied_migrations

    if connection.vendor == "postgresql":
        # an unreachable server answers nothing: do not wait minutes for TCP to give up
        connection.settings_dict.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    try:
        connection.ensure_connection()
        return "", unapplied_migrations()
    except Exception as error:  # any driver's failure is a finding, never a traceback
        return " ".join(str(error).split()) or type(error).__name__, []


def _backups(directory: Path) -> list[tuple[datetime, Path]]:
    from naikkelas.ops.backup_names import list_backups

    try:
        return list_backups(directory)
    except OSError:  # not readable: reported as not writable / missing
        return []


def _django_messages() -> list[DjangoMessage]:
    from django.core import checks

    try:
        found = checks.run_checks(include_deployment_checks=True)
    except Exception as error:
        return [DjangoMessage("naikkelas.E001", checks.ERROR, f"Pemeriksaan Django gagal: {error}")]
    return [
        DjangoMessage(m.id or "", m.level, str(m.msg), str(m.hint or ""))
        for m in found
        if not m.is_silenced()
    ]


def system_time_zone(
    timezone_file: Path = Path("/etc/timezone"), localtime: Path = Path("/etc/localtime")
) -> str | None:
    """The server's zone name (Debian's /etc/timezone, else the /etc/localtime link)."""
    try:
        name = timezone_file.read_text().strip()
        if name:
            return name
    except OSError:
        pass
    try:
        target = os.readlink(localtime)
    except OSError:
        return None
    _before, found, zone = target.partition(ZONEINFO)
    return zone if found and zone else None


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _unreadable(path: str) -> str:
    """Why the backup passphrase file cannot be used ("" when it can, or none is set)."""
    from naikkelas.ops.encryption import PassphraseFileError, read_passphrase_file

    if not path:
        return ""
    try:
        read_passphrase_file(Path(path))
    except PassphraseFileError as error:
        return str(error)
    return ""


def _same_disk(first: Path, second: Path) -> bool:
    try:
        return first.stat().st_dev == second.stat().st_dev
    except OSError:
        return False


def _free_mb(path: Path) -> int | None:
    from naikkelas.ops.health import disk_free_mb

    try:
        return disk_free_mb(path)
    except OSError:
        return None
