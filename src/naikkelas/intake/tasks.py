"""Background jobs of the intake pipeline (django-tasks; run by `naikkelas worker`)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from naikkelas.accounts.models import User
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake.models import BatchStatus, ImportBatch, RowStatus
from naikkelas.intake.services import import_batch_run
from naikkelas.intake.services.processing import import_batches_interrupted


@task()
def import_batch_run_task(batch_id: str, actor_id: int | None = None) -> dict[str, int]:
    """Run (or resume) an import. Safe to run twice: only pending rows are processed, and a
    second task for a run that is over, or that another live process runs, does nothing."""
    batch = ImportBatch.objects.get(pk=batch_id)
    over = batch.status in (BatchStatus.DONE, BatchStatus.UNDONE)
    if not (over and not batch.rows.filter(status=RowStatus.PENDING).exists()):
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        try:
            batch = import_batch_run(actor=actor, batch=batch)
        except ApplicationError as error:
            if error.code != "import_busy":
                raise
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
    committed stay, the pending rows are processed. Queued batches are queued again too: a
    worker killed after taking a batch's task and before claiming the batch leaves it queued
    with no task left to run it (a task still waiting finds the run over and does nothing).
    Returns the batch ids queued."""
    waiting = ImportBatch.objects.filter(status=BatchStatus.QUEUED).order_by("created_at")
    queued = []
    for batch in [*import_batches_interrupted(), *waiting]:
        import_batch_enqueue(actor=batch.created_by, batch=batch)
        queued.append(str(batch.pk))
    return queued
