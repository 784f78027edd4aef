"""bulk_insert must store exactly what the ORM would store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from naikkelas.core.bulk_write import bulk_insert, bulk_update
from naikkelas.intake.models import ImportBatch, ImportRow, RowStatus
from naikkelas.registry.models import Business, BusinessOwner, BusinessStatus, Owner, YearlyFigure

pytestmark = pytest.mark.django_db


def _owner(**extra: object) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "full_name": "Siti Aminah",
        "name_key": "sitiaminah",
        "source": "import",
        **extra,
    }


def test_defaults_timestamps_and_types_round_trip() -> None:
    before = timezone.now()
    owner = _owner(nik="3673065205859001", birth_date=dt.date(1985, 5, 12), sex="P")
    business_id = uuid.uuid4()
    assert bulk_insert(Owner, [owner]) == 1
    bulk_insert(
        Business,
        [
            {
                "id": business_id,
                "name": "Emping Bu Siti",
                "name_key": "empingbusiti",
                "sector_id": "kuliner",
                "kecamatan_id": "36.73.06",
                "desa_kelurahan_id": "36.73.06.1005",
                "latitude": Decimal("-6.120001"),
                "longitude": Decimal("106.150002"),
                "established_year": 2015,
                "is_binaan": True,
                "source": "import",
            }
        ],
    )
    bulk_insert(
        BusinessOwner, [{"business_id": business_id, "owner_id": owner["id"], "role": "pemilik"}]
    )
    bulk_insert(YearlyFigure, [{"business_id": business_id, "year": 2025, "omzet": 120_000_000}])

    stored = Owner.objects.get(pk=owner["id"])
    assert stored.nik == "3673065205859001"
    assert stored.birth_date == dt.date(1985, 5, 12)
    assert stored.data_warnings == []  # callable default, per row
    assert stored.email == ""  # plain default
    assert stored.merged_into_id is None
    assert before <= stored.created_at <= timezone.now()
    assert stored.created_at == stored.updated_at

    business = Business.objects.get(pk=business_id)
    assert business.latitude == Decimal("-6.120001")
    assert business.status == BusinessStatus.ACTIVE
    assert business.legal_form == "PERORANGAN"
    assert business.is_binaan is True
    assert business.nib is None
    assert list(business.owners.all()) == [stored]
    figure = business.figures.get()
    assert figure.omzet == 120_000_000 and figure.workers is None
    assert BusinessOwner.objects.get(business=business).pk is not None  # auto id from the DB


def test_json_and_self_reference() -> None:
    batch = ImportBatch.objects.create(
        source="uji", file_name="uji.csv", file_sha256="0" * 64, file_size=1, file_format="csv"
    )
    raw = ["Siti", 3673065205859001.0, None, True, "Rp 1,5 jt"]
    bulk_insert(ImportRow, [{"batch_id": batch.pk, "sheet": "csv", "row_number": 2, "raw": raw}])
    row = ImportRow.objects.get()
    assert row.raw == raw
    assert row.status == RowStatus.PENDING
    assert row.issues == [] and row.corrections == {}
    bulk_insert(
        ImportRow,
        [
            {
                "batch_id": batch.pk,
                "sheet": "csv",
                "row_number": 3,
                "raw": [],
                "duplicate_of_id": row.pk,
            }
        ],
    )
    assert ImportRow.objects.get(row_number=3).duplicate_of == row


def test_each_row_gets_its_own_default_id_and_nothing_for_no_rows() -> None:
    assert bulk_insert(Owner, []) == 0
    rows = [{k: v for k, v in _owner().items() if k != "id"} for _ in range(3)]
    assert bulk_insert(Owner, rows) == 3
    assert len(set(Owner.objects.values_list("pk", flat=True))) == 3


def test_constraints_still_hold() -> None:
    nik = "3673065205859002"
    bulk_insert(Owner, [_owner(nik=nik)])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Owner, [_owner(nik=nik)])  # one active owner per NIK
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Owner, [_owner(sex="X")])  # sex must be L, P or empty
    assert Owner.objects.count() == 1


def test_bulk_update_sets_the_fields_and_the_auto_now_stamp() -> None:
    batch = ImportBatch.objects.create(
        source="uji", file_name="uji.csv", file_sha256="2" * 64, file_size=1, file_format="csv"
    )
    rows = [
        {"batch_id": batch.pk, "sheet": "csv", "row_number": n, "raw": [n]} for n in range(2, 6)
    ]
    bulk_insert(ImportRow, rows)
    stored = list(ImportRow.objects.order_by("row_number"))
    first = stored[0]
    before = first.updated_at
    issues = [{"field": "nik", "code": "nik_length", "message": "16 digit", "severity": "error"}]
    changed = bulk_update(
        ImportRow,
        ("status", "issues", "duplicate_of"),
        [
            {
                "id": first.pk,
                "status": RowStatus.QUARANTINED,
                "issues": issues,
                "duplicate_of_id": None,
            },
            *(
                {
                    "id": r.pk,
                    "status": RowStatus.DUPLICATE,
                    "issues": [],
                    "duplicate_of_id": first.pk,
                }
                for r in stored[1:]
            ),
        ],
    )
    assert changed == 4
    first.refresh_from_db()
    assert first.status == RowStatus.QUARANTINED and first.issues == issues
    assert first.updated_at >= before
    assert first.raw == [2]  # untouched
    assert set(ImportRow.objects.exclude(pk=first.pk).values_list("duplicate_of", flat=True)) == {
        first.pk
    }
    assert bulk_update(ImportRow, ("status",), []) == 0


def test_bulk_update_respects_constraints() -> None:
    bulk_insert(Owner, [_owner(nik="3673065205859003"), second := _owner()])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_update(Owner, ("nik",), [{"id": second["id"], "nik": "3673065205859003"}])
    assert Owner.objects.get(pk=second["id"]).nik is None
