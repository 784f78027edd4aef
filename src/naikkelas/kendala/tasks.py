"""Background jobs of the kendala channel (django-tasks; run by `naikkelas worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from naikkelas.kendala.services import kendala_escalate_overdue


@task()
def kendala_escalate_task() -> int:
    """Escalate the open kendala past their target date (once each); returns how many.
    Queue it daily (cron: ``naikkelas manage kendala_escalate`` does the same in-process)."""
    return kendala_escalate_overdue(today=timezone.localdate())
