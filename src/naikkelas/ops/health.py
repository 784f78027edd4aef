"""What ``/healthz`` reports: can the database be reached, is a job worker alive, is there
disk space left, is the schema up to date.

``status`` is ``fail`` (HTTP 503: take this instance out of service) when the database does
not answer or migrations are pending, ``degraded`` (HTTP 200: serving, but someone should
look) when no worker has stamped its heartbeat recently or a disk runs low, else ``ok``. The
report holds no personal data and no paths; it costs three small queries and two ``statfs``
calls (the first report of a process also reads the migration files, once).
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Max, Q
from django.utils import timezone

from naikkelas.ops.models import WorkerHeartbeat
from naikkelas.ops.schema import unapplied_migrations

OK, DEGRADED, FAIL = "ok", "degraded", "fail"


@dataclass(frozen=True)
class HealthReport:
    status: str
    checks: dict[str, dict[str, Any]]

    @property
    def http_status(self) -> int:
        return 503 if self.status == FAIL else 200

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "checks": self.checks}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def check_database(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # the class only: a driver's message can quote the host, user or database name
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "latency_ms": _ms(time.perf_counter() - started)}


# The migration files do not change while a process runs; the database's record of applied
# migrations may (someone ran ``naikkelas migrate``). The pending count is recomputed only
# when that record changes.
_pending_cache: dict[str, tuple[tuple[int, int | None], int]] = {}
_pending_lock = threading.Lock()


def pending_migrations(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations of this release the database has not applied."""
    recorded = MigrationRecorder(connections[using]).migration_qs.aggregate(
        n=Count("id"), last=Max("id")
    )
    fingerprint = (int(recorded["n"]), recorded["last"])
    with _pending_lock:
        cached = _pending_cache.get(using)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        pending = len(unapplied_migrations(using=using))
        _pending_cache[using] = (fingerprint, pending)
        return pending


def check_migrations() -> dict[str, Any]:
    try:
        pending = pending_migrations()
    except DatabaseError as error:  # no migrations table: nothing was ever migrated
        return {"ok": False, "pending": None, "error": type(error).__name__}
    return {"ok": pending == 0, "pending": pending}


def worker_required() -> bool:
    """Jobs wait for a worker only with the database task backend (``immediate`` runs them
    inside the request)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def check_worker(*, now: datetime) -> dict[str, Any]:
    if not worker_required():
        return {"ok": True, "required": False}
    stale = settings.NAIKKELAS_WORKER_STALE_SECONDS
    cutoff = now - timedelta(seconds=stale)
    seen = WorkerHeartbeat.objects.aggregate(
        last=Max("last_seen"), alive=Count("id", filter=Q(last_seen__gte=cutoff))
    )
    last: datetime | None = seen["last"]
    if last is None:
        return {"ok": False, "last_seen": None, "age_s": None, "alive": 0, "stale_s": stale}
    age = (now - last).total_seconds()
    return {
        "ok": age <= stale,
        "last_seen": last.isoformat(),
        "age_s": round(age, 1),
        "alive": seen["alive"],
        "stale_s": stale,
    }


def _existing(path: Path) -> Path:
    """The path, or its nearest existing parent (media/ is made at the first upload)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def disk_free_mb(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free // (1024 * 1024)


def check_disk() -> dict[str, Any]:
    minimum = settings.NAIKKELAS_DISK_MIN_FREE_MB
    places = {"data_dir": Path(settings.DATA_DIR)}
    if not settings.NAIKKELAS_S3_BUCKET:  # uploads on S3 take no local disk
        places["media_root"] = Path(settings.MEDIA_ROOT)
    report: dict[str, Any] = {"ok": True, "min_free_mb": minimum}
    for name, path in places.items():
        try:
            free = disk_free_mb(path)
        except OSError as error:
            report[name] = {"ok": False, "error": type(error).__name__}
            report["ok"] = False
            continue
        report[name] = {"ok": free >= minimum, "free_mb": free}
        report["ok"] = report["ok"] and free >= minimum
    return report


def health_report(*, now: datetime | None = None) -> HealthReport:
    now = now or timezone.now()
    checks: dict[str, dict[str, Any]] = {"database": check_database()}
    if checks["database"]["ok"]:
        try:
            checks["worker"] = check_worker(now=now)
        except DatabaseError as error:  # the database went away between two queries
            checks["worker"] = {"ok": None, "error": type(error).__name__}
        checks["migrations"] = check_migrations()
    else:
        checks["worker"] = {"ok": None, "skipped": True}
        checks["migrations"] = {"ok": None, "skipped": True}
    checks["disk"] = check_disk()
    if not checks["database"]["ok"] or not checks["migrations"]["ok"]:
        status = FAIL
    elif not checks["worker"]["ok"] or not checks["disk"]["ok"]:
        status = DEGRADED
    else:
        status = OK
    return HealthReport(status=status, checks=checks)
