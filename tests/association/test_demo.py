"""The association's demo data: members from the register's demo memberships, in several
statuses, with dues, a board whose secretary is the demo hipmikindo user, and events."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.association.access import can_approve_members
from naikkelas.association.demo import demo_association_load
from naikkelas.association.models import AssociationEvent, DuesPayment, Member
from naikkelas.registry.models import Membership
from naikkelas.registry.services.demo import demo_register_load
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_demo_association() -> None:
    demo_register_load(businesses=600, seed=3)
    secretary = make_user(Role.HIPMIKINDO, "hipmikindo")
    made = demo_association_load(seed=3)
    assert made == Member.objects.count() > 5
    assert DuesPayment.objects.count() >= made // 2
    assert Member.objects.values("status").distinct().count() >= 2
    assert can_approve_members(secretary)
    assert AssociationEvent.objects.count() == 2
    # the register's flag follows the books
    for member in Member.objects.select_related("business"):
        flag = Membership.objects.get(business=member.business).status
        assert flag == (
            "aktif" if member.status in ("baru", "aktif", "masa_tenggang") else "tidak_aktif"
        )
    assert demo_association_load(seed=3) == 0  # once
