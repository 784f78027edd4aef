"""Prometheus metrics (``/metrics``, only with ``NAIKKELAS_METRICS_ENABLED``).

* Requests: a counter and a latency histogram by method, resolved URL name (never the raw
  path: it carries ids and device keys) and status class, recorded by
  :class:`RequestMetricsMiddleware`. Under gunicorn every worker process writes its own
  values to ``PROMETHEUS_MULTIPROC_DIR`` (``naikkelas serve`` points it at
  ``<data dir>/metrics`` and empties it) and a scrape adds them up; without that variable
  (tests, ``runserver``) the values live in the process.
* The state of the installation, read at scrape time by :class:`InstallationCollector` in a
  handful of aggregate queries: background tasks by status, how long tasks ran (imports,
  the linkage index build), import batches by status and their durations, the linkage
  register index, the workers' heartbeats, and the age of the newest backup.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily

from naikkelas.core.audit import client_ip
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.linkage.models import RegisterIndexState
from naikkelas.ops.backup_names import list_backups
from naikkelas.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

# Not registered anywhere: a scrape builds its own registry (see scrape_registry).
REQUESTS = Counter(
    "naikkelas_http_requests",
    "HTTP requests served, by method, URL name and status class.",
    ["method", "view", "status"],
    registry=None,
)
LATENCY = Histogram(
    "naikkelas_http_request_duration_seconds",
    "Time to answer an HTTP request (middleware to middleware), by method and URL name.",
    ["method", "view"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)


def view_label(request: HttpRequest) -> str:
    """The URL name the request resolved to (``intake:batch_detail``), ``static`` for
    static files, ``unresolved`` for anything else (404s, redirects before routing)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unresolved"


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def record_request(*, method: str, view: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(method=method, view=view, status=status_class(status)).inc()
    LATENCY.labels(method=method, view=view).observe(seconds)


class RequestMetricsMiddleware:
    """Count and time every request (first in MIDDLEWARE, so the time covers all the
    others); left out of the chain when metrics are off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.NAIKKELAS_METRICS_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        record_request(
            method=request.method or "",
            view=view_label(request),
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


# --------------------------------------------------------------------------------------------
# Who may scrape
# --------------------------------------------------------------------------------------------

_FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _is_loopback(address: str | None) -> bool:
    if not address:
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def scrape_allowed(request: HttpRequest, *, token: str) -> bool:
    """With a token: only ``Authorization: Bearer <token>``. Without: only a scraper on this
    machine, talking to the server directly. A request that came through a proxy (it carries
    a forwarding header) is not local even when the proxy connects from 127.0.0.1."""
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        )
    if any(request.META.get(header) for header in _FORWARDING_HEADERS):
        return False
    return _is_loopback(client_ip(request))


# --------------------------------------------------------------------------------------------
# The state of the installation, read at scrape time
# --------------------------------------------------------------------------------------------


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


def _seconds(value: timedelta | None) -> float:
    return value.total_seconds() if value is not None else 0.0


def _short_task(task_path: str) -> str:
    return task_path.removeprefix("naikkelas.")


def task_families(*, now: datetime) -> Iterator[Metric]:
    """One grouped query over django-tasks' results."""
    from django_tasks_db.models import DBTaskResult

    timed = Q(started_at__isnull=False, finished_at__isnull=False)
    rows = (
        DBTaskResult.objects.order_by()
        .values("task_path", "status")
        .annotate(
            n=Count("id"),
            oldest=Min("enqueued_at"),
            timed=Count("id", filter=timed),
            busy=Sum(_duration(), filter=timed),
        )
    )
    by_status = GaugeMetricFamily(
        "naikkelas_tasks",
        "Background tasks in the database by status (READY is the queue waiting for a worker).",
        labels=["status"],
    )
    by_task = GaugeMetricFamily(
        "naikkelas_task_results",
        "Background tasks in the database by task and status.",
        labels=["task", "status"],
    )
    durations = SummaryMetricFamily(
        "naikkelas_task_duration_seconds",
        "Run time of finished background tasks (imports, linkage index builds...) by task "
        "and status.",
        labels=["task", "status"],
    )
    totals = {"READY": 0, "RUNNING": 0, "FAILED": 0, "SUCCESSFUL": 0}
    oldest_ready: datetime | None = None
    for row in rows:
        task, status = _short_task(row["task_path"]), row["status"]
        totals[status] = totals.get(status, 0) + row["n"]
        by_task.add_metric([task, status], row["n"])
        if row["timed"]:
            durations.add_metric([task, status], row["timed"], _seconds(row["busy"]))
        if status == "READY" and (oldest_ready is None or row["oldest"] < oldest_ready):
            oldest_ready = row["oldest"]
    for status, n in totals.items():
        by_status.add_metric([status], n)
    yield by_status
    yield by_task
    yield durations
    yield GaugeMetricFamily(
        "naikkelas_task_oldest_ready_age_seconds",
        "How long the oldest task waiting for a worker has waited (0: none waiting).",
        value=(now - oldest_ready).total_seconds() if oldest_ready else 0.0,
    )


def import_families(*, now: datetime) -> Iterator[Metric]:
    """Import batches by status and the run time of finished ones (first start to finish,
    resumed runs included): two queries."""
    timed = Q(started_at__isnull=False, finished_at__isnull=False)
    rows = (
        ImportBatch.objects.order_by()
        .values("status")
        .annotate(
            n=Count("id"), timed=Count("id", filter=timed), busy=Sum(_duration(), filter=timed)
        )
    )
    by_status = GaugeMetricFamily(
        "naikkelas_import_batches", "Import batches by status.", labels=["status"]
    )
    counts = {status.value: 0 for status in BatchStatus}
    done_count, done_seconds = 0, 0.0
    for row in rows:
        counts[row["status"]] = row["n"]
        if row["status"] == BatchStatus.DONE:
            done_count, done_seconds = row["timed"], _seconds(row["busy"])
    for status, n in counts.items():
        by_status.add_metric([status], n)
    yield by_status
    yield SummaryMetricFamily(
        "naikkelas_import_duration_seconds",
        "Run time of finished imports.",
        count_value=done_count,
        sum_value=done_seconds,
    )
    last = (
        ImportBatch.objects.filter(timed, status=BatchStatus.DONE)
        .order_by("-finished_at")
        .values("started_at", "finished_at", "rows_in")
        .first()
    )
    if last is not None and last["started_at"] and last["finished_at"]:
        yield GaugeMetricFamily(
            "naikkelas_import_last_duration_seconds",
            "Run time of the import that finished last.",
            value=(last["finished_at"] - last["started_at"]).total_seconds(),
        )
        yield GaugeMetricFamily(
            "naikkelas_import_last_rows",
            "Rows of the import that finished last.",
            value=last["rows_in"],
        )
        yield GaugeMetricFamily(
            "naikkelas_import_last_finished_timestamp_seconds",
            "When the import that finished last finished (Unix time).",
            value=last["finished_at"].timestamp(),
        )


def linkage_families(*, now: datetime) -> Iterator[Metric]:
    state = RegisterIndexState.objects.order_by().values("rows", "built_at", "synced_to").first()
    yield GaugeMetricFamily(
        "naikkelas_linkage_index_ready",
        "1 when the stored index of the duplicate check has been built.",
        value=1 if state else 0,
    )
    if state is None:
        return
    yield GaugeMetricFamily(
        "naikkelas_linkage_index_rows", "Rows in the duplicate check's index.", value=state["rows"]
    )
    yield GaugeMetricFamily(
        "naikkelas_linkage_index_age_seconds",
        "Time since the duplicate check's index was last rebuilt.",
        value=(now - state["built_at"]).total_seconds(),
    )
    yield GaugeMetricFamily(
        "naikkelas_linkage_index_sync_age_seconds",
        "Time since register changes were last brought into the index (it syncs before "
        "every check).",
        value=(now - state["synced_to"]).total_seconds(),
    )


def worker_families(*, now: datetime) -> Iterator[Metric]:
    cutoff = now - timedelta(seconds=settings.NAIKKELAS_WORKER_STALE_SECONDS)
    seen = WorkerHeartbeat.objects.aggregate(
        last=Max("last_seen"), alive=Count("id", filter=Q(last_seen__gte=cutoff))
    )
    yield GaugeMetricFamily(
        "naikkelas_workers_alive",
        "Job workers whose heartbeat is recent (NAIKKELAS_WORKER_STALE_SECONDS).",
        value=seen["alive"],
    )
    if seen["last"] is not None:
        yield GaugeMetricFamily(
            "naikkelas_worker_heartbeat_age_seconds",
            "Time since any job worker last stamped its heartbeat.",
            value=(now - seen["last"]).total_seconds(),
        )


def backup_families(*, now: datetime, directory: Path) -> Iterator[Metric]:
    backups = list_backups(directory)
    yield GaugeMetricFamily(
        "naikkelas_backups", "Backup archives in the backup directory.", value=len(backups)
    )
    if backups:
        yield GaugeMetricFamily(
            "naikkelas_backup_age_seconds",
            "Time since the newest backup archive was made.",
            value=(now - backups[-1][0]).total_seconds(),
        )


def _version() -> str:
    try:
        return metadata.version("naikkelas")
    except metadata.PackageNotFoundError:
        return "unknown"


class InstallationCollector:
    """Reads the installation's state at every scrape (five queries, one directory
    listing). A database that does not answer gives ``naikkelas_database_up 0`` and the
    rest of the metrics, not a failed scrape."""

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        now = timezone.now()
        info = GaugeMetricFamily("naikkelas_build_info", "The running release.", labels=["version"])
        info.add_metric([_version()], 1)
        yield info
        families: list[Metric] = []
        try:
            for make in (task_families, import_families, linkage_families, worker_families):
                families.extend(make(now=now))
            up = 1
        except DatabaseError as error:
            logger.warning("metrics: database not readable (%s)", type(error).__name__)
            families, up = [], 0
        yield GaugeMetricFamily(
            "naikkelas_database_up", "1 when the database answered the scrape.", value=up
        )
        yield from families
        yield from backup_families(now=now, directory=Path(settings.NAIKKELAS_BACKUP_DIR))
        yield GaugeMetricFamily(
            "naikkelas_metrics_collect_seconds",
            "Time this scrape spent reading the installation's state.",
            value=time.perf_counter() - started,
        )


def scrape_registry() -> CollectorRegistry:
    """A registry for one scrape: the request metrics of every worker process (multiprocess
    mode) or of this one, plus the installation's state."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(InstallationCollector())
    return registry


def prepare_multiprocess_dir(data_dir: Path) -> Path:
    """The directory the gunicorn workers write their request metrics to, emptied: values
    of an earlier run would otherwise be added to this one's."""
    directory = Path(data_dir) / "metrics"
    directory.mkdir(exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return directory
