"""Undoing an import: set-based, and refused whenever something depends on what it created."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, ImportBatch, RowStatus
from naikkelas.intake.services import (
    import_batch_can_undo,
    import_batch_run,
    import_batch_stage,
    import_batch_undo,
)
from naikkelas.privacy.services import consent_record
from naikkelas.registry.models import Business, BusinessOwner, Owner, Permit, YearlyFigure
from naikkelas.registry.services import business_register, permit_add
from tests.fixtures.intake.make_fixtures import write_large_xlsx

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
LATER = timedelta(hours=2)


def imported(name: str = "google_form.csv") -> ImportBatch:
    batch, _created = import_batch_stage(
        actor=None, path=FIXTURES / name, file_name=name, source=name
    )
    return import_batch_run(actor=None, batch=batch)


def first_promoted(batch: ImportBatch) -> Business:
    row = batch.rows.filter(status=RowStatus.PROMOTED).order_by("pk").first()
    assert row is not None
    return Business.objects.get(pk=row.business_id)


def assert_refused(batch: ImportBatch, reason: str) -> None:
    before = Business.objects.count()
    with pytest.raises(ApplicationError) as caught:
        import_batch_undo(actor=None, batch=batch)
    assert caught.value.code == "import_undo_blocked"
    assert reason in caught.value.message
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert Business.objects.count() == before


def test_undo_removes_businesses_owners_and_their_details() -> None:
    batch = imported("kelurahan_cipare.xlsx")
    created = list(
        batch.rows.filter(status=RowStatus.PROMOTED).values_list("business_id", "owner_id")
    )
    assert created
    import_batch_undo(actor=None, batch=batch)
    business_ids = [b for b, _o in created]
    assert not Business.objects.filter(pk__in=business_ids).exists()
    assert not YearlyFigure.objects.filter(business_id__in=business_ids).exists()
    assert not Permit.objects.filter(business_id__in=business_ids).exists()
    assert not Owner.objects.filter(pk__in=[o for _b, o in created]).exists()
    assert not batch.rows.filter(business__isnull=False).exists()
    event = AuditEvent.objects.filter(action="import.undo").get()
    assert event.extra["businesses"] == len(set(business_ids))


def test_refused_when_a_business_was_changed_later() -> None:
    batch = imported()
    Business.objects.filter(pk=first_promoted(batch).pk).update(updated_at=F("created_at") + LATER)
    assert_refused(batch, "diubah")


def test_refused_when_a_permit_was_added_later() -> None:
    batch = imported()
    business = first_promoted(batch)
    permit = permit_add(
        actor=None, business=business, kind="HALAL", number="ID36110000000000000001"
    )
    Permit.objects.filter(pk=permit.pk).update(updated_at=timezone.now() + LATER)
    assert_refused(batch, "data terkait")


def test_refused_when_a_second_owner_was_added() -> None:
    batch = imported()
    business = first_promoted(batch)
    other = Owner.objects.exclude(ownerships__business=business).first()
    assert other is not None
    BusinessOwner.objects.create(business=business, owner=other, role="pengelola")
    assert_refused(batch, "data terkait")


def test_refused_when_another_import_links_to_its_businesses() -> None:
    batch = imported()
    business = first_promoted(batch)
    later = ImportBatch.objects.create(
        source="lain", file_name="lain.csv", file_sha256="1" * 64, file_format="csv"
    )
    later.rows.create(sheet="csv", row_number=2, raw=[], status=RowStatus.LINKED, business=business)
    assert_refused(batch, "dirujuk impor lain")


def test_refused_when_a_new_owner_gave_consent() -> None:
    batch = imported()
    owner = first_promoted(batch).ownerships.get().owner
    consent_record(actor=None, owner=owner, method="officer", given_by=owner.full_name)
    assert_refused(batch, "persetujuan")


def test_an_owner_who_also_owns_another_business_is_kept() -> None:
    batch = imported()
    owner = first_promoted(batch).ownerships.get().owner
    business_register(
        actor=None,
        owner=owner,
        data={"name": "Usaha Kedua", "sector": "kuliner", "desa_kelurahan": "36.73.06.1005"},
    )
    import_batch_undo(actor=None, batch=batch)
    assert Owner.objects.filter(pk=owner.pk).exists()
    assert owner.ownerships.count() == 1


def test_busy_batches_are_refused_but_a_killed_run_can_be_undone() -> None:
    batch = imported()
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    batch.refresh_from_db()
    assert not import_batch_can_undo(batch)
    with pytest.raises(ApplicationError) as caught:
        import_batch_undo(actor=None, batch=batch)
    assert caught.value.code == "import_busy"
    # no heartbeat for longer than the stale limit: the worker died
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - LATER)
    batch.refresh_from_db()
    assert import_batch_can_undo(batch)
    import_batch_undo(actor=None, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE


def test_thousands_of_businesses_are_undone_in_a_few_queries(
    tmp_path: Path, django_assert_max_num_queries
) -> None:
    path = write_large_xlsx(tmp_path / "besar.xlsx", rows=2500, seed=7)
    batch, _created = import_batch_stage(actor=None, path=path, file_name=path.name, source="besar")
    batch = import_batch_run(actor=None, batch=batch)
    assert batch.promoted > 2000
    with django_assert_max_num_queries(150):
        import_batch_undo(actor=None, batch=batch)
    assert not Business.objects.exists()
    assert not Owner.objects.exists()
