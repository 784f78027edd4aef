"""The census campaign's targets per kelurahan (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import KelurahanTarget
from naikkelas.regions.selectors import desa_kelurahan_list

__all__ = ["campaign_targets_set"]


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
