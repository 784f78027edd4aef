"""Undoing a whole import while nothing downstream depends on it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake.models import BatchStatus, ImportBatch, RowStatus
from naikkelas.registry.models import Business, BusinessOwner, Owner

UNDO_BLOCKED = (
    "Impor ini tidak dapat dibatalkan: %(n)s usaha darinya sudah diubah atau dipakai setelah impor."
)


@transaction.atomic
def import_batch_undo(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Remove the businesses (and new owners) this batch created and mark it undone.

    Refused when any of them was changed after the import (its ``updated_at`` moved) or gained
    links the import did not create; linked rows only pointed at existing records and stay.

    Raises:
        ApplicationError: something downstream depends on the import.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.UNDONE:
        return batch
    promoted = batch.rows.filter(status=RowStatus.PROMOTED, business__isnull=False)
    business_ids = list(promoted.values_list("business_id", flat=True))
    businesses = Business.objects.filter(pk__in=business_ids)
    changed = [
        b.pk
        for b in businesses
        if (b.updated_at - b.created_at).total_seconds() > 5
        or b.merged_from.exists()
        or BusinessOwner.objects.filter(business=b).count() != 1
    ]
    if changed:
        raise ApplicationError(_(UNDO_BLOCKED) % {"n": len(changed)}, code="import_undo_blocked")
    owner_ids = set(promoted.values_list("owner_id", flat=True))
    BusinessOwner.objects.filter(business__in=business_ids).delete()
    batch.rows.update(business=None, owner=None)
    businesses.delete()
    # owners this import created and that own nothing any more
    orphans = Owner.objects.filter(pk__in=owner_ids, ownerships__isnull=True, source="import")
    removed_owners = orphans.count()
    orphans.delete()
    batch.status = BatchStatus.UNDONE
    batch.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="import.undo",
        instance=batch,
        extra={"businesses": len(business_ids), "owners": removed_owners},
    )
    return batch
