"""Background jobs of field collection (django-tasks; run by `naikkelas worker`)."""

from __future__ import annotations

from django_tasks import task

from naikkelas.fieldwork.services.register import submissions_to_register


@task()
def submissions_to_register_task() -> int:
    """Take complete submissions through the intake pipeline into the register."""
    return submissions_to_register()
