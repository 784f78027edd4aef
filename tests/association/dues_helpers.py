"""Members for the dues tests, made through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from naikkelas.association.models import Member, MembershipType
from naikkelas.association.services import memberships
from tests.factories import make_business, make_owner


def yearly_type(dues: int = 120_000) -> MembershipType:
    memberships.membership_type_catalogue_load()
    kind = MembershipType.objects.get(code="biasa")
    kind.dues, kind.period_months, kind.grace_days, kind.new_days = dues, 12, 30, 90
    kind.save()
    return kind


def honorary_type() -> MembershipType:
    memberships.membership_type_catalogue_load()
    return MembershipType.objects.get(code="kehormatan")  # dues 0


def join(
    *,
    admin: Any,
    kind: MembershipType,
    joined_on: date,
    name: str = "Emping Melinjo Bu Iyah",
    email: str = "",
    **business: Any,
) -> Member:
    owner = make_owner(admin, email=email) if email else None
    application = memberships.application_submit(
        actor=admin,
        business=make_business(admin, owner=owner, name=name, **business),
        membership_type=kind,
    )
    return memberships.application_approve(
        actor=admin, application=application, joined_on=joined_on
    )
