"""Loading a synthetic demo register (never real people: see ``registry.demo_data``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from naikkelas.core.audit import audit_log
from naikkelas.core.text import compact_key
from naikkelas.regions.selectors import desa_kelurahan_list
from naikkelas.registry.classification import classify
from naikkelas.registry.demo_data import generate_register
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

BATCH_SIZE = 2000


@transaction.atomic
def demo_register_load(*, businesses: int, seed: int = 3673, actor: Any = None) -> int:
    """Fill an empty register with ``businesses`` synthetic businesses of the deployment area.

    Idempotent: when demo data is already there nothing is added. Returns the number added.
    Bulk inserts (one audit event for the whole load) keep 11,000 businesses to seconds.
    """
    if businesses <= 0 or Business.objects.filter(source=Source.DEMO).exists():
        return 0
    kelurahan = [(r.code, r.name, r.parent_id or "") for r in desa_kelurahan_list()]
    if not kelurahan:
        raise RuntimeError("load the regions first (naikkelas manage load_regions)")
    register = generate_register(
        businesses=businesses, kelurahan=kelurahan, seed=seed, today=timezone.localdate()
    )
    owners = {
        o.key: Owner(
            full_name=o.full_name,
            name_key=compact_key(o.full_name),
            nik=o.nik,
            sex=o.sex,
            birth_date=o.birth_date,
            phone=o.phone or "",
            address=o.address,
            source=Source.DEMO,
        )
        for o in register.owners
    }
    Owner.objects.bulk_create(owners.values(), batch_size=BATCH_SIZE)
    parents = {code: parent for code, _, parent in kelurahan}
    rows: list[Business] = []
    links: list[BusinessOwner] = []
    figures: list[YearlyFigure] = []
    permits: list[Permit] = []
    channels: list[MarketChannel] = []
    memberships: list[Membership] = []
    seen_nib: set[str] = set()
    for demo in register.businesses:
        nib = demo.nib if demo.nib and demo.nib not in seen_nib else None
        if nib:
            seen_nib.add(nib)
        business = Business(
            name=demo.name,
            name_key=compact_key(demo.name),
            legal_form=demo.legal_form,
            sector_id=demo.sector,
            kbli_code=demo.kbli_code,
            products=demo.products,
            kecamatan_id=parents[demo.kelurahan_code],
            desa_kelurahan_id=demo.kelurahan_code,
            address=demo.address,
            latitude=Decimal(f"{demo.latitude:.6f}") if demo.latitude is not None else None,
            longitude=Decimal(f"{demo.longitude:.6f}") if demo.longitude is not None else None,
            phone=demo.phone or "",
            established_year=demo.established_year,
            nib=nib,
            nib_issued_on=demo.nib_issued_on if nib else None,
            npwp=demo.npwp or "",
            is_binaan=demo.is_binaan,
            binaan_since=demo.binaan_since if demo.is_binaan else None,
            source=Source.DEMO,
            source_ref=f"demo seed {seed}",
        )
        latest = None
        for figure in sorted(demo.figures, key=lambda f: f.year):
            result = classify(year=figure.year, omzet=figure.omzet, modal=figure.modal)
            figures.append(
                YearlyFigure(
                    business=business,
                    year=figure.year,
                    omzet=figure.omzet,
                    modal=figure.modal,
                    workers=figure.workers,
                    size_class=result.size_class.value if result else "",
                    size_class_basis=result.basis.value if result else "",
                    rule_id=result.rule.id if result else "",
                )
            )
            if result is not None:
                latest = (figure.year, result.size_class.value)
        if latest:
            business.size_class_year, business.size_class = latest
        rows.append(business)
        for index, key in enumerate(demo.owner_keys):
            role = OwnerRole.PEMILIK if index == 0 else OwnerRole.PEMILIK_BERSAMA
            links.append(BusinessOwner(business=business, owner=owners[key], role=role))
        permits.extend(
            Permit(
                business=business,
                kind=p.kind,
                number=p.number,
                issued_on=p.issued_on,
                expires_on=p.expires_on,
                detail=p.detail,
            )
            for p in demo.permits
        )
        channels.extend(
            MarketChannel(business=business, kind=c.kind, name=c.name, url=c.url)
            for c in {(c.kind, c.name): c for c in demo.channels}.values()
        )
        if demo.member_number:
            memberships.append(
                Membership(business=business, number=demo.member_number, since=demo.member_since)
            )
    Business.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    BusinessOwner.objects.bulk_create(links, batch_size=BATCH_SIZE)
    YearlyFigure.objects.bulk_create(figures, batch_size=BATCH_SIZE)
    Permit.objects.bulk_create(permits, batch_size=BATCH_SIZE)
    MarketChannel.objects.bulk_create(channels, batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    audit_log(
        actor=actor,
        action="registry.demo_load",
        object_type="registry.business",
        source=Source.DEMO,
        extra={"businesses": len(rows), "owners": len(owners), "seed": seed},
    )
    return len(rows)
