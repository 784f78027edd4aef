"""Background jobs of the intake pipeline (django-tasks; run by `naikkelas worker`)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from naikkelas.accounts.models import User
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.intake.services import import_batch_run
from naikkelas.intake.services.processing import import_batches_interrupted


@task()
def import_batch_run_task(batch_id: str, actor_id: int | None = None) -> dict[str, int]:
    """Run (or resume) an import. Safe to run twice: only pending rows are processed."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    batch = import_batch_run(actor=actor, batch=batch)
    return {
        "rows_in": batch.rows_in,
        "promoted": batch.promoted,
        "linked": batch.linked,
        "quarantined": batch.quarantined,
        "duplicates_in_file": batch.duplicates_in_file,
    }


def import_batch_enqueue(*, actor: User | None, batch: ImportBatch) -> None:
    """Queue a batch for the worker (after the surrounding transaction commits)."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    transaction.on_commit(lambda: import_batch_run_task.enqueue(str(batch.pk), actor_id))


def import_batches_resume_interrupted() -> list[str]:
    """Queue again every run whose worker died (called when a worker starts): the chunks it
    committed stay, the pending rows are processed. Returns the batch ids queued."""
    queued = []
    for batch in import_batches_interrupted():
        import_batch_enqueue(actor=batch.created_by, batch=batch)
        queued.append(str(batch.pk))
    return queued
