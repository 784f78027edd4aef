"""Background jobs as the operations page shows them, and the retry of a failed one.

Reads django-tasks' results (``django_tasks_db.DBTaskResult``), import batches that failed or
were cut off, the daily job runs (``core.DailyJobRun``) and the workers' heartbeats. Task
arguments are shown only where they are ids (numbers, UUIDs): other values may be personal
data. Error texts are passed through the log redaction (NIK, phone numbers, e-mail
addresses masked); the full traceback is shown only on a task's own page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.daily import DAILY_JOBS
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import DailyJobRun
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.intake.services.processing import import_batches_interrupted
from naikkelas.ops.json_logs import redact_personal
from naikkelas.ops.models import TaskRetry, WorkerHeartbeat

READY, RUNNING, FAILED, SUCCESSFUL = "READY", "RUNNING", "FAILED", "SUCCESSFUL"
STATUS_LABELS = {
    READY: gettext_lazy("Menunggu"),
    RUNNING: gettext_lazy("Berjalan"),
    FAILED: gettext_lazy("Gagal"),
    SUCCESSFUL: gettext_lazy("Berhasil"),
}
LIST_SIZE = 50
SUMMARY_LENGTH = 200
DAILY_DAYS = 7
# A daily job's task is the first one of its kind queued within this long of the claim.
DAILY_MATCH_WINDOW = timedelta(hours=1)

# Ids are UUIDs and database keys; a key is shown only below a billion, so that a phone
# number (10 digits and more) or a NIK passed as a number never counts as one.
ID_LIMIT = 10**9
_ID_TEXT = re.compile(
    r"^(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    r"|[1-9][0-9]{0,8}|0)$"
)


# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


def task_name(task_path: str) -> str:
    """``naikkelas.intake.tasks.import_batch_run_task`` -> ``intake.tasks.import_batch_run_task``."""
    return task_path.removeprefix("naikkelas.")


def shorten(text: str, *, length: int = SUMMARY_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def error_summary(*, exception_class_path: str, traceback: str) -> str:
    """The traceback's last line (``ValueError: ...``), personal data masked, shortened;
    the exception's class when there is no traceback."""
    lines = [line.strip() for line in traceback.splitlines() if line.strip()]
    last = lines[-1] if lines else exception_class_path.rpartition(".")[2]
    return shorten(redact_personal(last))  # mask first: a cut NIK would no longer look like one


def format_duration(seconds: float) -> str:
    """``0,4 dtk``, ``42 dtk``, ``3 mnt 5 dtk``, ``2 jam 4 mnt`` (in the active language)."""
    if seconds < 10:
        return _("%(s)s dtk") % {"s": number_format(round(seconds, 1), decimal_pos=1)}
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d jam %(m)d mnt") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d mnt %(s)d dtk") % {"m": minutes, "s": secs}
    return _("%(s)d dtk") % {"s": secs}


def _is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < ID_LIMIT
    return isinstance(value, str) and bool(_ID_TEXT.match(value))


def _shown(value: Any) -> str:
    if value is None or isinstance(value, bool) or _is_id(value):
        return str(value)
    return "…"


def safe_args(args_kwargs: Any) -> str:
    """A task's arguments as ``(id, 12, actor_id=3)``: ids, numbers, None and booleans as
    they are, anything else (text that may be a name or a NIK, lists, objects) as ``…``."""
    if not isinstance(args_kwargs, Mapping):
        return ""
    args = args_kwargs.get("args") or []
    kwargs = args_kwargs.get("kwargs") or {}
    parts = [_shown(value) for value in (args if isinstance(args, list) else [])]
    if isinstance(kwargs, Mapping):
        parts += [f"{key}={_shown(value)}" for key, value in kwargs.items()]
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    id: uuid.UUID
    name: str
    status: str
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempt: int
    args: str
    error: str
    retried_as: uuid.UUID | None
    retry_of: uuid.UUID | None
    traceback: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def duration_text(self) -> str:
        duration = self.duration
        return format_duration(duration.total_seconds()) if duration is not None else ""

    @property
    def can_retry(self) -> bool:
        return self.status == FAILED and self.retried_as is None


def _retries(
    ids: Iterable[uuid.UUID],
) -> tuple[dict[uuid.UUID, TaskRetry], dict[uuid.UUID, TaskRetry]]:
    """The retries touching these tasks: by the task retried, and by the task queued."""
    ids = list(ids)
    by_original: dict[uuid.UUID, TaskRetry] = {}
    by_retry: dict[uuid.UUID, TaskRetry] = {}
    if not ids:
        return by_original, by_retry
    for retry in TaskRetry.objects.filter(Q(original_task_id__in=ids) | Q(retry_task_id__in=ids)):
        by_original[retry.original_task_id] = retry
        by_retry[retry.retry_task_id] = retry
    return by_original, by_retry


def _row(
    result: DBTaskResult,
    retries: tuple[dict[uuid.UUID, TaskRetry], dict[uuid.UUID, TaskRetry]],
    *,
    with_traceback: bool = False,
) -> TaskRow:
    by_original, by_retry = retries
    retried = by_original.get(result.pk)
    retry_of = by_retry.get(result.pk)
    error = ""
    if result.status == FAILED:
        error = error_summary(
            exception_class_path=result.exception_class_path, traceback=result.traceback
        )
    return TaskRow(
        id=result.pk,
        name=task_name(result.task_path),
        status=result.status,
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        attempt=retry_of.attempt if retry_of is not None else 1,
        args=safe_args(result.args_kwargs),
        error=error,
        retried_as=retried.retry_task_id if retried is not None else None,
        retry_of=retry_of.original_task_id if retry_of is not None else None,
        traceback=redact_personal(result.traceback) if with_traceback else "",
    )


def task_list(*, status: str | None = None, limit: int = LIST_SIZE) -> list[TaskRow]:
    """The latest tasks (newest first), of one status or all: two queries."""
    results = DBTaskResult.objects.defer("return_value").order_by("-enqueued_at", "-id")
    if status:
        results = results.filter(status=status)
    found = list(results[:limit])
    retries = _retries(r.pk for r in found)
    return [_row(result, retries) for result in found]


def task_status_counts() -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in DBTaskResult.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def task_get(*, task_id: uuid.UUID) -> TaskRow | None:
    """One task with its (masked) traceback; None when there is no such task."""
    result = DBTaskResult.objects.defer("return_value").filter(pk=task_id).first()
    if result is None:
        return None
    return _row(result, _retries([result.pk]), with_traceback=True)


@dataclass(frozen=True)
class BatchAttention:
    batch: ImportBatch
    interrupted: bool  # its worker died mid-run (else: it failed)
    error: str


def import_batches_needing_attention(*, limit: int = 20) -> list[BatchAttention]:
    """Imports that failed, and runs whose worker died (both can be resumed on the
    import's own page)."""
    failed = ImportBatch.objects.filter(status=BatchStatus.FAILED).order_by("-updated_at")
    rows = [
        BatchAttention(
            batch=batch,
            interrupted=False,
            error=shorten(redact_personal(batch.error.strip().splitlines()[0]))
            if batch.error.strip()
            else "",
        )
        for batch in failed[:limit]
    ]
    rows += [
        BatchAttention(batch=batch, interrupted=True, error="")
        for batch in import_batches_interrupted()[:limit]
    ]
    return rows


@dataclass(frozen=True)
class DailyRun:
    name: str
    day: date
    claimed_at: datetime
    task_id: uuid.UUID | None
    task_status: str | None

    @property
    def status_label(self) -> str:
        if self.task_status is None:
            return ""
        return str(STATUS_LABELS.get(self.task_status, self.task_status))


def daily_job_runs(*, today: date, days: int = DAILY_DAYS) -> list[DailyRun]:
    """The daily jobs claimed over the last ``days`` days with the task each one queued
    (matched by task and time: the claim does not record the task's id): two queries."""
    runs = list(
        DailyJobRun.objects.filter(day__gt=today - timedelta(days=days)).order_by("-day", "name")
    )
    if not runs:
        return []
    since = min(run.claimed_at for run in runs)
    results: dict[str, list[dict[str, Any]]] = {}
    for result in (
        DBTaskResult.objects.filter(
            task_path__in=set(DAILY_JOBS.values()), enqueued_at__gte=since - timedelta(minutes=1)
        )
        .order_by("enqueued_at")
        .values("id", "task_path", "status", "enqueued_at")
    ):
        results.setdefault(result["task_path"], []).append(dict(result))
    matched: list[DailyRun] = []
    for run in runs:
        found = next(
            (
                r
                for r in results.get(DAILY_JOBS.get(run.name, ""), [])
                if run.claimed_at - timedelta(minutes=1)
                <= r["enqueued_at"]
                <= run.claimed_at + DAILY_MATCH_WINDOW
            ),
            None,
        )
        matched.append(
            DailyRun(
                name=run.name,
                day=run.day,
                claimed_at=run.claimed_at,
                task_id=found["id"] if found else None,
                task_status=found["status"] if found else None,
            )
        )
    return matched


@dataclass(frozen=True)
class WorkerRow:
    host: str
    pid: int
    version: str
    started_at: datetime
    last_seen: datetime
    age_seconds: float
    alive: bool


def worker_list(*, now: datetime) -> list[WorkerRow]:
    stale = settings.NAIKKELAS_WORKER_STALE_SECONDS
    rows = []
    for beat in WorkerHeartbeat.objects.order_by("-last_seen", "host", "pid"):
        age = (now - beat.last_seen).total_seconds()
        rows.append(
            WorkerRow(
                host=beat.host,
                pid=beat.pid,
                version=beat.version,
                started_at=beat.started_at,
                last_seen=beat.last_seen,
                age_seconds=round(age),
                alive=age <= stale,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------

TASK_NOT_FOUND = gettext_lazy("Tugas ini tidak ditemukan.")
TASK_NOT_FAILED = gettext_lazy("Hanya tugas yang gagal yang bisa diulang.")
TASK_ALREADY_RETRIED = gettext_lazy("Tugas ini sudah diulang.")
TASK_GONE = gettext_lazy("Tugas ini tidak ada lagi di versi aplikasi ini; tidak bisa diulang.")


@transaction.atomic
def task_retry(*, actor: Any, task_id: uuid.UUID, request: Any = None) -> uuid.UUID:
    """Queue a failed task again with the same arguments; returns the new task's id.

    The new task is queued in the same transaction as the record of the retry and the audit
    event (the database backend queues by inserting a row), so either all three happen or
    none does; the unique original on :class:`TaskRetry` turns a second click into an error
    instead of a second run.

    Raises:
        ApplicationError: no such task, it has not failed, it was retried already, or its
            code is gone from this release.
    """
    original = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
    if original is None:
        raise ApplicationError(str(TASK_NOT_FOUND), code="task_not_found")
    if original.status != FAILED:
        raise ApplicationError(str(TASK_NOT_FAILED), code="task_not_failed")
    if TaskRetry.objects.filter(original_task_id=original.pk).exists():
        raise ApplicationError(str(TASK_ALREADY_RETRIED), code="task_already_retried")
    try:
        task = original.task
    except (ImportError, SuspiciousOperation) as error:
        raise ApplicationError(str(TASK_GONE), code="task_gone") from error
    arguments = original.args_kwargs
    queued = task.enqueue(*arguments.get("args", []), **arguments.get("kwargs", {}))
    previous = (
        TaskRetry.objects.filter(retry_task_id=original.pk)
        .values_list("attempt", flat=True)
        .first()
    )
    attempt = (previous or 1) + 1
    try:
        TaskRetry.objects.create(
            original_task_id=original.pk,
            retry_task_id=queued.id,
            task_path=original.task_path,
            attempt=attempt,
            retried_by=actor_user(actor),
        )
    except IntegrityError as error:  # a concurrent retry of the same task got there first
        raise ApplicationError(str(TASK_ALREADY_RETRIED), code="task_already_retried") from error
    audit_log(
        actor=actor,
        action="task.retry",
        object_type="django_tasks_db.dbtaskresult",
        object_id=str(original.pk),
        extra={
            "task": task_name(original.task_path),
            "retry_task_id": str(queued.id),
            "attempt": attempt,
        },
        request=request,
    )
    return uuid.UUID(str(queued.id))


def status_filter(value: str | None) -> str | None:
    """A status from the query string, or None (all) for anything unknown."""
    return value if value in STATUS_LABELS else None
