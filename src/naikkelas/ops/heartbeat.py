"""The worker's heartbeat: a thread of ``naikkelas worker`` stamps a
:class:`~naikkelas.ops.models.WorkerHeartbeat` row every
``NAIKKELAS_WORKER_HEARTBEAT_SECONDS``, so that ``/healthz``, the metrics and the jobs page
can tell whether a worker is alive (a row older than ``NAIKKELAS_WORKER_STALE_SECONDS``
belongs to one that is not).

The database may be away for a while (a PostgreSQL restart, a locked SQLite file): the thread
logs that once, keeps trying at the same pace and says when it is back. It closes its
database connection after every beat, so an idle worker does not hold one open between beats.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import metadata

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from naikkelas.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Rows of workers gone this long are removed (until then the jobs page shows when they died).
FORGET_AFTER = timedelta(days=1)


def _version() -> str:
    try:
        return metadata.version("naikkelas")
    except metadata.PackageNotFoundError:
        return ""


@dataclass(frozen=True)
class WorkerIdentity:
    host: str
    pid: int
    started_at: datetime
    version: str = ""

    @classmethod
    def this_process(cls) -> WorkerIdentity:
        return cls(
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=timezone.now(),
            version=_version(),
        )


def heartbeat_beat(*, worker: WorkerIdentity, now: datetime | None = None) -> WorkerHeartbeat:
    """Stamp this worker's row (created at its first beat) and remove the rows of workers
    gone for :data:`FORGET_AFTER`."""
    now = now or timezone.now()
    with transaction.atomic():  # one short write (SQLite: one lock) per beat
        row, _created = WorkerHeartbeat.objects.update_or_create(
            host=worker.host,
            pid=worker.pid,
            defaults={
                "last_seen": now,
                "started_at": worker.started_at,
                "version": worker.version,
            },
        )
        WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    return row


@dataclass
class Heartbeat:
    """The running heartbeat thread of this process; ``stop()`` ends it (tests)."""

    worker: WorkerIdentity
    interval: float
    stop_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def stop(self, *, timeout: float = 5.0) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)


def _close_connection() -> None:
    """This thread's own connection: closed between beats, reopened by the next one."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 (a broken connection may fail to close; it is dropped)
        pass


def heartbeat_loop(heartbeat: Heartbeat) -> None:
    """Beat every ``interval`` seconds until stopped; a failed beat is logged (once per
    outage, without the error's text: a driver message can quote the connection settings)
    and tried again at the next beat."""
    failing = False
    while not heartbeat.stop_event.is_set():
        try:
            heartbeat_beat(worker=heartbeat.worker)
        except Exception as error:  # noqa: BLE001 (the thread must outlive any outage)
            if not failing:
                logger.warning(
                    "worker heartbeat not written (%s); retrying every %s s",
                    type(error).__name__,
                    heartbeat.interval,
                )
            failing = True
        else:
            if failing:
                logger.info("worker heartbeat written again")
            failing = False
        finally:
            _close_connection()
        heartbeat.stop_event.wait(heartbeat.interval)


def start_heartbeat(*, interval: float | None = None) -> Heartbeat:
    """Start this worker's heartbeat thread (a daemon: it ends with the process)."""
    heartbeat = Heartbeat(
        worker=WorkerIdentity.this_process(),
        interval=float(interval or settings.NAIKKELAS_WORKER_HEARTBEAT_SECONDS),
    )
    heartbeat.thread = threading.Thread(
        target=heartbeat_loop, args=(heartbeat,), name="naikkelas-heartbeat", daemon=True
    )
    heartbeat.thread.start()
    return heartbeat
