from __future__ import annotations

from django.db import transaction

from naikkelas.core.audit import audit_log
from naikkelas.registry.models import Sector
from naikkelas.registry.reference import SECTORS, SECTORS_VERSION


@transaction.atomic
def sector_catalogue_load(*, actor: object = None) -> int:
    """Create or refresh the sector list; returns how many rows changed."""
    changed = 0
    for order, (code, name, description, kbli) in enumerate(SECTORS):
        _, created = Sector.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "kbli_codes": list(kbli),
                "sort_order": order,
            },
        )
        changed += int(created)
    if changed:
        audit_log(
            actor=actor,
            action="sector.catalogue_load",
            object_type="registry.sector",
            source=SECTORS_VERSION,
            extra={"created": changed},
        )
    return changed
