"""The census campaign's targets per kelurahan (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import KelurahanTarget, RejectedSubmission
from naikkelas.regions.selectors import desa_kelurahan_list

__all__ = ["campaign_targets_set", "rejected_submission_resolve"]


@transaction.atomic
def campaign_targets_set(*, actor: Any, targets: Mapping[str, int | None]) -> int:
    """Set kelurahan targets (``None``: back to the spread estimate); unknown kelurahan
    codes are ignored. Returns how many changed."""
    known = set(desa_kelurahan_list().filter(code__in=list(targets)).values_list("code", flat=True))
    current = dict(
        KelurahanTarget.objects.filter(region_id__in=known).values_list("region_id", "target")
    )
    changes: dict[str, Any] = {}
    for code in sorted(known):
        wanted = targets[code]
        if wanted == current.get(code):
            continue
        if wanted is None:
            KelurahanTarget.objects.filter(region_id=code).delete()
        else:
            KelurahanTarget.objects.update_or_create(
                region_id=code, defaults={"target": wanted, "updated_by": actor}
            )
        changes[code] = [current.get(code), wanted]
    if changes:
        audit_log(
            actor=actor,
            action="fieldwork.campaign_targets",
            object_type="fieldwork.kelurahantarget",
            changes=changes,
        )
    return len(changes)


@transaction.atomic
def rejected_submission_resolve(*, actor: Any, rejected: RejectedSubmission) -> RejectedSubmission:
    """Mark a refused submission handled (kept; only its state changes)."""
    if rejected.resolved_at is None:
        rejected.resolved_at = timezone.now()
        rejected.save(update_fields=["resolved_at", "updated_at"])
        audit_log(actor=actor, action="fieldwork.rejected_resolve", instance=rejected)
    return rejected
