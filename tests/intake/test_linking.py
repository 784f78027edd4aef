"""Imports are linked with the trained model: to the register, within the file, for review."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from naikkelas.intake.models import RowStatus
from naikkelas.intake.services import import_batch_run, import_batch_stage, import_batch_undo
from naikkelas.linkage.models import CandidateStatus, MatchCandidate, MatchLevel, MatchSource
from naikkelas.registry.models import Business, BusinessOwner, Owner
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

HEADER = ["Nama Pemilik", "NIK", "Nama Usaha", "No HP", "Alamat", "Kelurahan", "Sektor"]


def _run(tmp_path: Path, rows: list[list[str]]):  # noqa: ANN202
    path = tmp_path / "daftar.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    batch, _created = import_batch_stage(actor=None, path=path, file_name=path.name, source="uji")
    return import_batch_run(actor=None, batch=batch)


def _rows(batch):  # noqa: ANN001, ANN202
    return list(batch.rows.order_by("row_number"))


def test_a_row_without_nik_links_to_the_register_business_it_describes(tmp_path: Path) -> None:
    owner = make_owner(full_name="Hj. Siti Aminah", phone="0812-0000-7001")
    existing = make_business(
        owner=owner,
        name="Warung Makan Bu Siti",
        desa_kelurahan="36.73.01.1002",
        address="Jl. Raya Serang No. 5 RT 02/RW 03",
    )
    batch = _run(
        tmp_path,
        [
            [
                "SITI AMINAH",
                "",
                "WM Siti",
                "+62 812-0000-7001",
                "Jalan Raya Serang no 5 rt.2 rw.3",
                "Kel. Cipare",
                "kuliner",
            ]
        ],
    )
    (row,) = _rows(batch)
    assert (row.status, row.business_id, row.owner_id) == (RowStatus.LINKED, existing.pk, owner.pk)
    assert batch.linked == 1


def test_two_spellings_of_one_business_in_a_file_are_one_business(tmp_path: Path) -> None:
    batch = _run(
        tmp_path,
        [
            [
                "Ahmad Fauzi",
                "",
                "Toko Berkah Jaya",
                "0813 0000 4401",
                "Kp. Cibogo RT 1/2",
                "Kasemen",
                "Perdagangan",
            ],
            [
                "Achmad Fauzi",
                "",
                "Barokah Jaya",
                "081300004401",
                "Kampung Cibogo rt 01 rw 02",
                "kasemen",
                "perdagangan",
            ],
        ],
    )
    first, second = _rows(batch)
    assert first.status == RowStatus.PROMOTED
    assert (second.status, second.duplicate_of_id) == (RowStatus.DUPLICATE, first.pk)
    assert Business.objects.count() == 1


def test_the_same_person_with_another_business_gets_one_owner(tmp_path: Path) -> None:
    owner = make_owner(full_name="Nur Hasanah", nik=None, phone="0857-0000-2002")
    first = make_business(
        owner=owner,
        name="Keripik Hasanah",
        desa_kelurahan="36.73.01.1002",
        address="Kp. Cibogo RT 1/2",
    )
    batch = _run(
        tmp_path,
        [
            [
                "Nur Hasanah",
                "",
                "Batik Hasanah Collection",
                "0857 0000 2002",
                "Kp. Cibogo RT 1/2",
                "Cipare",
                "Fesyen",
            ]
        ],
    )
    (row,) = _rows(batch)
    assert row.status == RowStatus.PROMOTED
    assert row.business_id != first.pk
    assert row.owner_id == owner.pk
    assert BusinessOwner.objects.filter(owner=owner).count() == 2
    assert Owner.objects.count() == 1


def test_a_doubtful_pair_is_queued_for_review_and_undo_clears_it(tmp_path: Path) -> None:
    owner = make_owner(full_name="Dedi Supriadi", nik=None, phone="0813-0000-3003")
    existing = make_business(
        owner=owner,
        name="Dedi Jaya",
        sector="perdagangan",
        desa_kelurahan="36.73.01.1002",
        address="Jl. Ahmad Yani No. 12",
    )
    # the same business name in the same kelurahan, a shorter owner name, nothing else:
    # likely (about 0.7) but not certain
    batch = _run(
        tmp_path,
        [["Dedi", "", "Dedi Jaya", "", "", "Cipare", "Perdagangan"]],
    )
    (row,) = _rows(batch)
    candidates = MatchCandidate.objects.filter(source=MatchSource.IMPORT)
    assert row.status == RowStatus.PROMOTED
    item = candidates.get()
    assert item.status == CandidateStatus.PENDING
    assert item.level == MatchLevel.BUSINESS
    assert item.source_ref == str(batch.pk)
    assert 0.5 <= item.match_probability < 0.95
    assert {item.left_business_id, item.right_business_id} == {row.business_id, existing.pk}
    assert item.explanation["business"]["terms"]
    import_batch_undo(actor=None, batch=batch)
    assert not candidates.exists()
