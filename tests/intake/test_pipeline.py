"""The intake pipeline end to end on the ugly fixture files: nothing is lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, RowStatus
from naikkelas.intake.services import (
    import_batch_map,
    import_batch_run,
    import_batch_stage,
    import_batch_undo,
    import_row_correct,
)
from naikkelas.registry.models import Business, Owner

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"


def stage(name: str, source: str = ""):  # noqa: ANN201
    path = FIXTURES / name
    return import_batch_stage(actor=None, path=path, file_name=name, source=source or name)


def run(name: str):  # noqa: ANN201
    batch, _created = stage(name)
    return import_batch_run(actor=None, batch=batch)


def assert_accounted(batch) -> None:  # noqa: ANN001
    assert batch.rows_in == batch.rows.count() > 0
    assert (
        batch.rows_in
        == batch.promoted + batch.linked + batch.quarantined + batch.duplicates_in_file
    )
    assert not batch.rows.filter(status=RowStatus.PENDING).exists()


@pytest.mark.parametrize(
    "name",
    [
        "kelurahan_cipare.xlsx",
        "google_form.csv",
        "kobo_export.csv",
        "hipmikindo_anggota.csv",
        "pelatihan_2025.xlsx",
        "dinas_lama.xls",
        "kecamatan_walantaka.ods",
    ],
)
def test_every_fixture_is_fully_accounted_for(name: str) -> None:
    batch = run(name)
    assert batch.status == BatchStatus.DONE
    assert_accounted(batch)
    if name in ("hipmikindo_anggota.csv", "pelatihan_2025.xlsx"):
        # lists without a location column wait in quarantine with that reason
        reasons = {
            i["code"] for r in batch.rows.all() for i in r.issues if i["severity"] == "error"
        }
        assert "kelurahan_missing" in reasons
        return
    assert batch.promoted > 0
    # every promoted row points at a business that remembers where it came from
    for row in batch.rows.filter(status=RowStatus.PROMOTED).select_related("business"):
        assert row.business.source == "import"
        assert row.business.source_ref == row.reference


def test_cipare_quarantines_excel_damaged_niks_and_drops_the_duplicate_row() -> None:
    batch = run("kelurahan_cipare.xlsx")
    quarantined = batch.rows.filter(status=RowStatus.QUARANTINED)
    damaged = [r for r in quarantined if any(i["field"] == "nik" for i in r.issues)]
    assert len(damaged) >= 3
    assert all(
        "Excel" in next(i["message"] for i in r.issues if i["field"] == "nik") for r in damaged
    )
    duplicate = batch.rows.get(status=RowStatus.DUPLICATE)
    assert duplicate.duplicate_of is not None
    assert (
        not Owner.objects.filter(nik__endswith="0", source="import")
        .exclude(nik=None)
        .filter(nik__in=[r.raw for r in damaged])
        .exists()
    )


def test_importing_the_same_file_twice_is_a_no_op() -> None:
    first = run("kelurahan_cipare.xlsx")
    businesses = Business.objects.count()
    again, created = stage("kelurahan_cipare.xlsx", source="lain")
    assert created is False and again.pk == first.pk
    assert Business.objects.count() == businesses


def test_a_quarantined_row_can_be_fixed_and_is_then_promoted() -> None:
    batch = run("kelurahan_cipare.xlsx")
    row = next(
        r
        for r in batch.rows.filter(status=RowStatus.QUARANTINED)
        if any(i["field"] == "nik" for i in r.issues)
    )
    fixed = import_row_correct(actor=None, row=row, corrections={"nik": "3673012505859123"})
    assert fixed.status in (RowStatus.PROMOTED, RowStatus.LINKED), fixed.issues
    batch.refresh_from_db()
    assert_accounted(batch)
    assert AuditEvent.objects.filter(action="import.row_correct").exists()


def test_rows_known_by_nib_or_nik_link_to_the_existing_record() -> None:
    from tests.factories import make_business, make_owner

    # given a register that already holds the first person and business of the Kobo export
    batch, _ = stage("kobo_export.csv")
    sheet = next(iter(batch.layout))
    columns = {c["field"]: c["index"] for c in batch.layout[sheet]["columns"] if c["field"]}
    first, second = batch.rows.order_by("row_number")[:2]
    owner = make_owner(full_name="Nama Lama", nik=first.raw[columns["nik"]])
    existing = make_business(owner=owner, name=first.raw[columns["business_name"]])
    other_owner = make_owner(full_name="Nama Lama Dua", nik=second.raw[columns["nik"]])
    # when the file runs
    batch = import_batch_run(actor=None, batch=batch)
    assert_accounted(batch)
    first.refresh_from_db()
    second.refresh_from_db()
    # then the same NIK + same business name links to the existing business
    assert (first.status, first.business_id, first.owner_id) == ("linked", existing.pk, owner.pk)
    # and the same NIK with a new business adds a business to the existing owner
    assert (second.status, second.owner_id) == ("promoted", other_owner.pk)
    assert Owner.objects.filter(nik=other_owner.nik).count() == 1
    assert batch.linked == 1


def test_a_list_without_location_uses_the_batch_default_kelurahan() -> None:
    batch, _ = stage("hipmikindo_anggota.csv")
    import_batch_map(
        actor=None, batch=batch, columns={}, options={"default_desa_kelurahan": "36.73.01.1002"}
    )
    batch = import_batch_run(actor=None, batch=batch)
    assert_accounted(batch)
    assert batch.promoted > 0
    assert Business.objects.filter(source="import", desa_kelurahan_id="36.73.01.1002").exists()


def test_mapping_can_be_corrected_and_is_remembered_for_the_source() -> None:
    batch, _ = stage("kelurahan_cipare.xlsx", source="kelurahan-cipare")
    sheet = next(iter(batch.layout))
    omzet = next(c for c in batch.layout[sheet]["columns"] if c["field"] == "omzet_month")
    import_batch_map(
        actor=None,
        batch=batch,
        columns={sheet: {omzet["index"]: "omzet_year"}},
        options={"year": 2024},
    )
    batch.refresh_from_db()
    assert (
        next(c for c in batch.layout[sheet]["columns"] if c["index"] == omzet["index"])["field"]
        == "omzet_year"
    )
    from naikkelas.intake.models import SourceMapping

    assert "omzet_year" in SourceMapping.objects.get(source="kelurahan-cipare").columns.values()


def test_undo_removes_what_the_import_created() -> None:
    batch = run("google_form.csv")
    created = list(
        batch.rows.filter(status=RowStatus.PROMOTED).values_list("business_id", flat=True)
    )
    assert created
    import_batch_undo(actor=None, batch=batch)
    assert not Business.objects.filter(pk__in=created).exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    # and the file can be imported again afterwards
    again, was_created = stage("google_form.csv")
    assert was_created is True
