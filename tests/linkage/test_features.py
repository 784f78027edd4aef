"""Feature rows: what the linkage model compares (pure; no database)."""

from __future__ import annotations

import pytest

from naikkelas.linkage.features import FEATURE_COLUMNS, FeatureMaker, clean_nik
from naikkelas.linkage.places import kelurahan_resolver


def _row(**record: object) -> dict[str, object]:
    maker = FeatureMaker(place=kelurahan_resolver("36.73"))
    return dict(zip(FEATURE_COLUMNS, maker.row(record, "r1"), strict=True))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3673054508900001", "3673054508900001"),
        ("3673 0545 0890 0001", "3673054508900001"),
        ("3673.0545.0890.0001", "3673054508900001"),
        ("3.67305E+15", None),
        ("'3673054508900001", "3673054508900001"),  # Excel's text marker
        ("3673054508900001.0", "3673054508900001"),  # read back from a float cell
        (" 3673-0545-0890-0001 ", "3673054508900001"),
        ("367305450890001", None),
        ("", None),
        ("36730545089000O1", None),
    ],
)
def test_clean_nik(raw: str, expected: str | None) -> None:
    assert clean_nik(raw) == expected


def test_a_full_record() -> None:
    row = _row(
        owner_name="Hj. Siti Aminah, S.Pd.",
        nik="3673054508900001",
        business_name="Warung Makan Bu Siti",
        phone="0812-1111-2222",
        address="Jl. Raya Serang No. 5A RT 02/RW 03",
        kelurahan="Kel. Cipare",
        sector="kuliner",
        nib="1234567890123",
    )
    assert row == {
        "record_id": "r1",
        "owner_name": "siti aminah",
        "business_name": "siti",
        "nik": "3673054508900001",
        "nik12": "367305450890",
        "phone": "6281211112222",
        "street": "jalan raya serang",
        "house": "5a",
        "rtrw": "002/003",
        "kelurahan": "3673011002",
        "kecamatan": "367301",
        "sector": "kuliner",
        "nib": "1234567890123",
        "kind": "nasi",
    }


def test_excel_damaged_nik_keeps_region_and_birth_only() -> None:
    row = _row(nik="3673054508900000")
    assert row["nik"] is None
    assert row["nik12"] == "367305450890"


def test_blank_and_missing_values_are_none() -> None:
    row = _row(owner_name="  ", business_name=None, phone="", address="", kelurahan="xyz")
    assert all(row[c] is None for c in FEATURE_COLUMNS if c != "record_id")


@pytest.mark.parametrize(
    ("address", "street", "house", "rtrw"),
    [
        ("Kp. Cibogo RT 1/2", "cibogo", None, "001/002"),
        ("Perum Bumi Serang Blok C2 No. 7", "bumi serang", "7", None),
        ("rt 3", None, None, "003/"),
        ("Lingk. Kaujon", "kaujon", None, None),
        # an unlabelled place: the kelurahan (kecamatan, kota) written after it is not it
        ("Sukawana RT/RW 008/002 Kel. Sukawana", "sukawana", None, "008/002"),
        ("PRIYAYI, RT 04/RW 05, KEL. KALIGANDU, KOTA SERANG", "priyayi", None, "004/005"),
        ("Kepandean Kel. Cigoong", "kepandean", None, None),
        ("Kel. Cipare", "kel cipare", None, None),  # nothing before the label: kept
        ("Kota Baru RT 2", "kota baru", None, "002/"),
    ],
)
def test_address_parts(
    address: str, street: str | None, house: str | None, rtrw: str | None
) -> None:
    row = _row(address=address)
    assert (row["street"], row["house"], row["rtrw"]) == (street, house, rtrw)


def test_without_resolvers_text_is_folded() -> None:
    maker = FeatureMaker()
    row = dict(
        zip(
            FEATURE_COLUMNS,
            maker.row({"kelurahan": " CIPARE ", "sector": "Kuliner"}, "x"),
            strict=True,
        )
    )
    assert row["kelurahan"] == "cipare"
    assert row["kecamatan"] is None
    assert row["sector"] == "kuliner"


def test_rows_number_records_without_an_id() -> None:
    maker = FeatureMaker()
    ids = [row[0] for row in maker.rows([{"record_id": "a"}, {}, {"record_id": " "}])]
    assert ids == ["a", "2", "3"]


@pytest.mark.parametrize(
    ("owner", "business", "key", "kind"),
    [
        # the owner's own name in the business column says which owner, not which business
        ("Siti Komariah", "Siti Komariah", None, None),
        ("Hj. Siti Komariah", "SITI KOMARIAH", None, None),
        ("Aminah Siti", "Siti Aminah", None, None),
        ("Siti Komariah", "Warung Nasi Siti Komariah", None, "nasi"),
        # a name of her own is kept, even one that contains hers
        ("Siti Komariah", "Warung Bu Siti", "siti", None),
        ("Siti Komariah", "Siti Komariah Collection", "siti komariah collection", None),
        ("Siti Komariah", "Bimbel Berkah Jaya", "bimbel berkah jaya", None),
    ],
)
def test_a_business_named_only_by_its_owner_has_no_name(
    owner: str, business: str, key: str | None, kind: str | None
) -> None:
    row = _row(owner_name=owner, business_name=business)
    assert (row["business_name"], row["kind"]) == (key, kind)
