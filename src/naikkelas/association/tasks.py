"""Background jobs of the association (django-tasks; queued daily by ``core.daily``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from naikkelas.association.services.memberships import members_sweep


@task()
def members_sweep_task() -> dict[str, int]:
    """Move every member to the status today's date gives (baru → aktif, aktif → masa
    tenggang, masa tenggang → lewat ...). Returns how many moved into each status."""
    return members_sweep(today=timezone.localdate())


@task()
def renewal_reminders_task() -> int:
    """E-mail the members whose validity ends in 30 or 7 days (each milestone once); returns
    how many e-mails went out."""
    from naikkelas.association.services.dues import renewal_reminders_send

    return renewal_reminders_send(today=timezone.localdate())
