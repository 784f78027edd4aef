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
