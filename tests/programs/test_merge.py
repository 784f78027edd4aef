"""A merge of two businesses carries their applications and aid ledger to the survivor, and an
unmerge gives them back."""

from __future__ import annotations

from datetime import date

import pytest

from naikkelas.linkage.services.merge import business_merge, business_unmerge
from naikkelas.programs import services
from naikkelas.programs.models import AidRecord, Application
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db


def test_merge_moves_ledger_and_applications_and_unmerge_restores(officer, cycle) -> None:  # noqa: ANN001
    survivor, duplicate = business_in("36.73.01"), business_in("36.73.01")
    services.aid_record_create(
        actor=officer,
        business=duplicate,
        kind="kemasan",
        description="Kemasan 2025",
        received_on=date(2025, 3, 1),
    )
    services.application_nominate(actor=officer, cycle=cycle, business=survivor)
    services.application_nominate(actor=officer, cycle=cycle, business=duplicate)
    record = business_merge(actor=officer, survivor=survivor, merged=duplicate, reason="sama")
    assert AidRecord.objects.get().business_id == survivor.pk
    assert list(Application.objects.filter(cycle=cycle).values_list("business_id", flat=True)) == [
        survivor.pk
    ]
    business_unmerge(actor=officer, merge=record)
    assert AidRecord.objects.get().business_id == duplicate.pk
    assert Application.objects.filter(cycle=cycle).count() == 2
