"""Daily jobs without cron: the worker queues each registered job once a day (local time).

Apps register a django-tasks task in ``AppConfig.ready`` (``register_daily``); ``naikkelas
worker`` runs ``scheduler_loop`` in a thread, which every few minutes claims the jobs not yet
run today (a row in ``core.DailyJobRun``, unique per job and day, so two workers never both
claim one) and enqueues them; the worker then runs them like any other job, with its logging
and failure handling. A job missed while the server was off runs when the worker comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from naikkelas.core.models import DailyJobRun

logger = logging.getLogger(__name__)
DAILY_JOBS: dict[str, str] = {}  # name -> dotted path of a django-tasks task
CHECK_SECONDS = 300


def register_daily(name: str, task_path: str) -> None:
    DAILY_JOBS[name] = task_path


def enqueue_due(*, today: date) -> list[str]:
    """Claim and enqueue the jobs not yet run on ``today``; returns their names."""
    started = []
    for name, path in sorted(DAILY_JOBS.items()):
        try:
            with transaction.atomic():
                DailyJobRun.objects.create(name=name, day=today)
        except IntegrityError:
            continue  # already claimed today (by this or another worker)
        import_string(path).enqueue()
        started.append(name)
        logger.info("daily job queued", extra={"job": name, "day": today.isoformat()})
    return started


def scheduler_loop(*, interval: float = CHECK_SECONDS, stop: threading.Event | None = None) -> None:
    """Check every ``interval`` seconds until ``stop`` is set (the worker's thread)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()
        try:
            enqueue_due(today=timezone.localdate())
        except Exception:  # noqa: BLE001 (a database hiccup must not end the thread)
            logger.exception("daily jobs could not be queued")
        stop.wait(interval)
    close_old_connections()


def start_scheduler() -> threading.Thread:
    thread = threading.Thread(target=scheduler_loop, name="naikkelas-daily", daemon=True)
    thread.start()
    time.sleep(0)  # let it take its first look now
    return thread
