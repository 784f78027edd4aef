"""Operations records: which job workers are alive, and which failed jobs were retried."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running ``naikkelas worker`` process, stamped every
    ``NAIKKELAS_WORKER_HEARTBEAT_SECONDS`` by a thread of that process (``ops.heartbeat``).
    A row whose ``last_seen`` stops moving is a worker that died; live workers remove such
    rows after a day."""

    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("mulai"))
    last_seen = models.DateTimeField(_("terakhir terlihat"), db_index=True)
    version = models.CharField(_("versi"), max_length=40, blank=True)

    class Meta:
        ordering = ["-last_seen", "host", "pid"]
        verbose_name = _("pekerja latar")
        verbose_name_plural = _("pekerja latar")
        constraints = [
            # a process id is reused only after its process ended: the new process takes over
            models.UniqueConstraint(fields=["host", "pid"], name="worker_heartbeat_process"),
        ]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class TaskRetry(models.Model):
    """A failed background task queued again by a person (``ops.jobs.task_retry``).

    The task results are django-tasks rows, which ``prune_db_task_results`` may delete, so
    they are referred to by id. A failed task is retried at most once (unique original): a
    double click queues one new task; a retry that fails again can itself be retried.
    """

    original_task_id = models.UUIDField(_("tugas asal"), unique=True)
    retry_task_id = models.UUIDField(_("tugas baru"), unique=True)
    task_path = models.CharField(_("tugas"), max_length=255)
    attempt = models.PositiveSmallIntegerField(_("percobaan ke"))
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diulang oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retried_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-retried_at", "-id"]
        verbose_name = _("pengulangan tugas")
        verbose_name_plural = _("pengulangan tugas")
        constraints = [
            models.CheckConstraint(condition=models.Q(attempt__gte=2), name="task_retry_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} #{self.attempt}"
