"""Adding many already-validated businesses at once (imports): set-based, one audit event per
chunk. Validation happens before (intake.validation); the database constraints still hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction

from naikkelas.core.audit import audit_log
from naikkelas.core.bulk_write import bulk_insert
from naikkelas.core.ids import new_id
from naikkelas.core.text import compact_key
from naikkelas.registry.classification import classify
from naikkelas.registry.models import (
    Business,
    BusinessOwner,
    MarketChannel,
    Membership,
    Owner,
    OwnerRole,
    Permit,
    Source,
    YearlyFigure,
)


@dataclass
class NewBusiness:
    """One business to add, with either an existing owner or a new one."""

    business: dict[str, Any]  # BUSINESS fields; desa_kelurahan as a code
    owner: dict[str, Any] = field(default_factory=dict)  # new owner's fields
    owner_id: UUID | None = None  # or an owner already in the register
    figure: dict[str, Any] | None = None
    permits: list[dict[str, Any]] = field(default_factory=list)
    channels: list[tuple[str, str]] = field(default_factory=list)
    member_number: str = ""
    source_ref: str = ""


def _business_row(item: NewBusiness, *, user: Any, source: str) -> dict[str, Any]:
    data = item.business
    code = data["desa_kelurahan"]
    latitude, longitude = data.get("latitude"), data.get("longitude")
    return {
        "id": new_id(),
        "name": data["name"],
        "name_key": compact_key(data["name"]),
        "legal_form": data.get("legal_form") or "PERORANGAN",
        "sector_id": data.get("sector") or "lainnya",
        "kbli_code": data.get("kbli_code") or "",
        "products": data.get("products") or "",
        "kecamatan_id": code.rsplit(".", 1)[0],
        "desa_kelurahan_id": code,
        "address": data.get("address") or "",
        "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
        "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
        "phone": data.get("phone") or "",
        "established_year": data.get("established_year"),
        "nib": data.get("nib") or None,
        "npwp": data.get("npwp") or "",
        "is_binaan": bool(data.get("is_binaan")),
        "source": source,
        "source_ref": item.source_ref[:255],
        "created_by_id": user.pk if user is not None else None,
    }


@transaction.atomic
def business_bulk_register(
    *,
    actor: Any,
    items: Sequence[NewBusiness],
    source: Source | str = Source.IMPORT,
    audit_extra: dict[str, Any] | None = None,
) -> list[tuple[UUID, UUID]]:
    """Insert businesses (and new owners, figures, permits, channels, memberships) in bulk.

    Returns ``(owner_id, business_id)`` per item, in order. The caller has validated and
    de-duplicated the items; a constraint violation rolls the whole call back. Rows go in
    through :func:`naikkelas.core.bulk_write.bulk_insert` (no model instances; see ADR 0009).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    source = str(source)
    new_owners: list[dict[str, Any]] = []
    owner_ids: list[UUID] = []
    for item in items:
        if item.owner_id is not None:
            owner_ids.append(item.owner_id)
            continue
        data = item.owner
        owner_id = new_id()
        new_owners.append(
            {
                "id": owner_id,
                "full_name": data["full_name"],
                "name_key": compact_key(data["full_name"]),
                "nik": data.get("nik") or None,
                "sex": data.get("sex") or "",
                "birth_date": data.get("birth_date"),
                "phone": data.get("phone") or "",
                "email": data.get("email") or "",
                "address": data.get("address") or "",
                "source": source,
                "created_by_id": user.pk if user is not None else None,
            }
        )
        owner_ids.append(owner_id)

    businesses = [_business_row(item, user=user, source=source) for item in items]
    links, figures, permits, channels, memberships = [], [], [], [], []
    for item, business, owner_id in zip(items, businesses, owner_ids, strict=True):
        business_id = business["id"]
        links.append(
            {"business_id": business_id, "owner_id": owner_id, "role": OwnerRole.PEMILIK.value}
        )
        if item.figure is not None:
            year = item.figure["year"]
            result = classify(
                year=year, omzet=item.figure.get("omzet"), modal=item.figure.get("modal")
            )
            figures.append(
                {
                    "business_id": business_id,
                    "year": year,
                    "omzet": item.figure.get("omzet"),
                    "modal": item.figure.get("modal"),
                    "workers": item.figure.get("workers"),
                    "size_class": result.size_class.value if result else "",
                    "size_class_basis": result.basis.value if result else "",
                    "rule_id": result.rule.id if result else "",
                }
            )
            if result is not None:
                business["size_class"] = result.size_class.value
                business["size_class_year"] = year
        seen: set[tuple[str, str]] = set()
        for permit in item.permits:
            key = (permit["kind"], permit["number"])
            if key not in seen:
                seen.add(key)
                permits.append({"business_id": business_id, "kind": key[0], "number": key[1][:64]})
        for kind, name in dict.fromkeys(item.channels):
            channels.append({"business_id": business_id, "kind": kind, "name": name[:100]})
        if item.member_number:
            memberships.append({"business_id": business_id, "number": item.member_number[:32]})
    bulk_insert(Owner, new_owners)
    bulk_insert(Business, businesses)
    bulk_insert(BusinessOwner, links)
    bulk_insert(YearlyFigure, figures)
    bulk_insert(Permit, permits)
    bulk_insert(MarketChannel, channels)
    bulk_insert(Membership, memberships)
    if businesses:
        audit_log(
            actor=actor,
            action="business.bulk_register",
            object_type="registry.business",
            source=str(source),
            extra={
                **(audit_extra or {}),
                "count": len(businesses),
                "new_owners": len(new_owners),
                "businesses": [str(b["id"]) for b in businesses],
            },
        )
    return [(o, b["id"]) for o, b in zip(owner_ids, businesses, strict=True)]
