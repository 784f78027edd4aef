"""Loading the Kemendagri catalogue into the database (idempotent)."""

from __future__ import annotations

from django.db import transaction

from naikkelas.core.audit import audit_log
from naikkelas.regions.catalogue import CATALOGUE_VERSION, iter_catalogue, postal_codes
from naikkelas.regions.lookup import name_key
from naikkelas.regions.models import Region
from naikkelas.regions.selectors import forget_area_codes

BATCH_SIZE = 5000


def _wanted(code: str, within: tuple[str, ...]) -> bool:
    """A region inside one of ``within`` or one of their ancestors."""
    return any(code == w or code.startswith(w + ".") or w.startswith(code + ".") for w in within)


@transaction.atomic
def region_catalogue_load(*, within: tuple[str, ...] = (), actor: object = None) -> int:
    """Insert the packaged kode wilayah that are missing and refresh renamed ones.

    ``within`` limits the load to some areas (and their ancestors), e.g. ``("36.73",)``;
    empty means all Indonesia. Rows are inserted level by level so parents come first.
    Returns the number of regions created or changed.
    """
    existing = dict(Region.objects.values_list("code", "name"))
    postal = postal_codes()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in iter_catalogue():
        if within and not _wanted(row.code, within):
            continue
        region = Region(
            code=row.code,
            name=row.name,
            level=row.level,
            parent_id=row.parent_code,
            name_key=name_key(row.name),
            postal_code=postal.get(row.code, ""),
        )
        if row.code not in existing:
            to_create.append(region)
        elif existing[row.code] != row.name:
            to_update.append(region)
    to_create.sort(key=lambda r: (r.level, r.code))
    forget_area_codes()
    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, ["name", "name_key"], batch_size=BATCH_SIZE)
    changed = len(to_create) + len(to_update)
    if changed:
        audit_log(
            actor=actor,
            action="region.catalogue_load",
            object_type="regions.region",
            source=CATALOGUE_VERSION,
            extra={"created": len(to_create), "updated": len(to_update)},
        )
    return changed
