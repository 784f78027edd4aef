"""Test data for the association's events, made through the real services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from naikkelas.accounts.models import Role, User
from naikkelas.association.models import AssociationEvent, Member, MembershipType
from naikkelas.association.services import events
from naikkelas.association.services.memberships import (
    application_approve,
    application_submit,
    membership_type_catalogue_load,
)
from naikkelas.registry.models import Business
from tests.conftest import make_user


def admin_user() -> User:
    found = User.objects.filter(username="event-admin").first()
    return found or make_user(Role.ADMIN, "event-admin")


def make_member(business: Business) -> Member:
    """``business`` becomes a member in good standing (``baru``)."""
    admin = admin_user()
    membership_type_catalogue_load()
    application = application_submit(
        actor=admin, business=business, membership_type=MembershipType.objects.get(code="biasa")
    )
    return application_approve(actor=admin, application=application)


def make_event(actor: Any = None, **overrides: Any) -> AssociationEvent:
    """A forum running now (today), members only, registration open."""
    now = timezone.now()
    data: dict[str, Any] = {
        "kind": "forum",
        "title": "Forum Anggota Kecamatan Taktakan",
        "starts_at": now - timedelta(minutes=30),
        "ends_at": now + timedelta(hours=2),
        "venue": "Aula Kecamatan Taktakan",
        "capacity": None,
        "members_only": True,
    }
    data.update(overrides)
    return events.event_create(actor=actor or admin_user(), **data)
