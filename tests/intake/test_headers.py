"""Tests for naikkelas.intake.headers (pure: no database)."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.intake import headers as headers_module
from naikkelas.intake.headers import (
    CANONICAL_FIELDS,
    FIELD_LABELS,
    ColumnMatch,
    column_letter,
    detect_header_row,
    header_key,
    is_column_numbering_row,
    map_columns,
)
from naikkelas.intake.readers import iter_rows, list_sheets
from tests.fixtures.intake import make_fixtures as fx

FIXTURES = Path(fx.__file__).resolve().parent


def field_of(header: object) -> str | None:
    return map_columns([header])[0].field


def fields(headers: list[object]) -> list[str | None]:
    return [match.field for match in map_columns(headers)]


# --------------------------------------------------------------------------------------------
# The field list
# --------------------------------------------------------------------------------------------


def test_canonical_fields_and_labels() -> None:
    assert len(set(CANONICAL_FIELDS)) == len(CANONICAL_FIELDS)
    assert set(FIELD_LABELS) == set(CANONICAL_FIELDS)
    assert all(label.strip() for label in FIELD_LABELS.values())
    for required in (
        "owner_name",
        "nik",
        "business_name",
        "omzet_month",
        "omzet_year",
        "rt_rw",
        "rt",
        "rw",
        "coordinates",
        "row_id",
        "submitted_at",
        "source_uuid",
    ):
        assert required in CANONICAL_FIELDS


def test_every_alias_and_rule_names_a_canonical_field() -> None:
    used = set(headers_module._ALIASES) | set(headers_module._AMBIGUOUS_ALIASES.values())
    used |= {rule.field for rule in headers_module._RULES}
    assert used <= set(CANONICAL_FIELDS)
    # Every field except bookkeeping can be recognised by at least one alias.
    assert set(CANONICAL_FIELDS) <= set(headers_module._ALIASES)


@pytest.mark.parametrize(
    ("field", "alias"),
    [(field, alias) for field, aliases in headers_module._ALIASES.items() for alias in aliases],
)
def test_every_alias_maps_to_its_field(field: str, alias: str) -> None:
    match = map_columns([alias])[0]
    assert (match.field, match.score) == (field, 100.0)
    # Case, spacing and punctuation never matter.
    assert field_of(f"  {alias.upper()}  ") == field
    assert field_of(alias.lower().replace(" ", "_")) == field


# --------------------------------------------------------------------------------------------
# Table-driven: headers seen in the wild
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # owner
        ("Nama Pemilik", "owner_name"),
        ("NAMA PELAKU USAHA", "owner_name"),
        ("Nama Lengkap", "owner_name"),
        ("Nama Responden", "owner_name"),
        ("Nama pemilik usaha (sesuai KTP)", "owner_name"),
        ("Nama Lengkap Pemilik Usaha", "owner_name"),
        ("NAMA  PEMILIK\n(sesuai KTP)", "owner_name"),
        ("NIK", "nik"),
        ("No. KTP", "nik"),
        ("No KTP", "nik"),
        ("Nomor Induk Kependudukan", "nik"),
        ("NIK Pemilik (16 digit)", "nik"),
        ("Jenis Kelamin", "sex"),
        ("JK", "sex"),
        ("L/P", "sex"),
        ("Gender", "sex"),
        ("Tanggal Lahir", "birth_date"),
        ("Tgl Lahir", "birth_date"),
        ("Tgl. Lahir (dd/mm/yyyy)", "birth_date"),
        ("No HP/WA", "phone"),
        ("No. HP", "phone"),
        ("No Telp", "phone"),
        ("Telepon", "phone"),
        ("WhatsApp", "phone"),
        ("WA", "phone"),
        ("HP", "phone"),
        ("Nomor HP / WhatsApp", "phone"),
        ("No. HP Pemilik", "phone"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("Surel", "email"),
        ("Alamat email aktif", "email"),
        ("Alamat Rumah", "owner_address"),
        ("Alamat KTP", "owner_address"),
        ("Alamat Domisili", "owner_address"),
        # business
        ("Nama Usaha", "business_name"),
        ("Nama UMKM", "business_name"),
        ("Nama Toko", "business_name"),
        ("Merek/Nama Usaha", "business_name"),
        ("Business name", "business_name"),
        ("Nama Usaha / Merek Dagang", "business_name"),
        ("Bentuk Usaha", "legal_form"),
        ("Badan Usaha", "legal_form"),
        ("Jenis Usaha", "sector"),
        ("Bidang Usaha", "sector"),
        ("Sektor", "sector"),
        ("Kategori Usaha", "sector"),
        ("Sektor Usaha", "sector"),
        ("KBLI", "kbli_code"),
        ("Kode KBLI 2020", "kbli_code"),
        ("Produk", "products"),
        ("Produk Utama", "products"),
        ("Jenis Produk", "products"),
        ("Komoditas", "products"),
        ("Alamat", "address"),
        ("Alamat Usaha", "address"),
        ("Alamat Tempat Usaha", "address"),
        ("Alamat usaha (jalan, RT/RW)", "address"),
        ("RT/RW", "rt_rw"),
        ("RT / RW", "rt_rw"),
        ("RT", "rt"),
        ("RW", "rw"),
        ("Kelurahan/Desa", "desa_kelurahan"),
        ("Desa/Kelurahan", "desa_kelurahan"),
        ("Kelurahan", "desa_kelurahan"),
        ("Desa", "desa_kelurahan"),
        ("Kel.", "desa_kelurahan"),
        ("Kecamatan", "kecamatan"),
        ("Kec.", "kecamatan"),
        ("Kode Pos", "postal_code"),
        ("Latitude", "latitude"),
        ("Lintang", "latitude"),
        ("Lat", "latitude"),
        ("Longitude", "longitude"),
        ("Bujur", "longitude"),
        ("Long", "longitude"),
        ("Lng", "longitude"),
        ("Koordinat", "coordinates"),
        ("Titik Koordinat", "coordinates"),
        ("Lokasi GPS", "coordinates"),
        ("Latitude, Longitude", "coordinates"),
        # figures
        ("Tahun Berdiri", "established_year"),
        ("Mulai Usaha", "established_year"),
        ("Tahun Mulai", "established_year"),
        ("NIB", "nib"),
        ("Nomor Induk Berusaha", "nib"),
        ("No. NIB", "nib"),
        ("NPWP", "npwp"),
        ("NPWP Usaha", "npwp"),
        ("Omzet/bulan", "omzet_month"),
        ("Omset per bulan", "omzet_month"),
        ("Omzet Bulanan", "omzet_month"),
        ("Penghasilan per bulan", "omzet_month"),
        ("Rata-rata omzet per bulan", "omzet_month"),
        ("Omset per bulan (Rp)", "omzet_month"),
        ("Omzet (per bulan)", "omzet_month"),
        ("Berapa rata-rata omzet usaha Anda per bulan?", "omzet_month"),
        ("Omset per tahun", "omzet_year"),
        ("Omzet Tahunan", "omzet_year"),
        ("Penjualan per tahun", "omzet_year"),
        ("Hasil penjualan tahunan", "omzet_year"),
        ("Omzet Thn 2024 (Rp)", "omzet_year"),
        ("Aset", "modal"),
        ("Modal", "modal"),
        ("Modal Usaha", "modal"),
        ("Kekayaan Bersih", "modal"),
        ("Asset", "modal"),
        ("Modal Usaha (Rp, tidak termasuk tanah dan bangunan)", "modal"),
        ("Jumlah Karyawan", "workers"),
        ("Jumlah Tenaga Kerja", "workers"),
        ("Tenaga Kerja", "workers"),
        ("TK", "workers"),
        ("Karyawan", "workers"),
        ("Jml. Tenaga Kerja (orang)", "workers"),
        ("Tahun", "year"),
        ("Tahun Data", "year"),
        # permits, membership, programmes
        ("Sertifikat Halal", "halal"),
        ("Halal", "halal"),
        ("No. Sertifikat Halal", "halal"),
        ("PIRT", "pirt"),
        ("P-IRT", "pirt"),
        ("SPP-IRT", "pirt"),
        ("No PIRT", "pirt"),
        ("BPOM", "bpom_md"),
        ("MD", "bpom_md"),
        ("No BPOM", "bpom_md"),
        ("No Anggota", "member_number"),
        ("Nomor Anggota", "member_number"),
        ("No. KTA", "member_number"),
        ("Binaan", "is_binaan"),
        ("UMKM Binaan", "is_binaan"),
        ("Marketplace", "channels"),
        ("Pemasaran", "channels"),
        ("Saluran Pemasaran", "channels"),
        ("Media Penjualan", "channels"),
        ("Keterangan", "notes"),
        ("Catatan", "notes"),
        ("Ket.", "notes"),
        ("No", "row_id"),
        ("No.", "row_id"),
        ("NO URUT", "row_id"),
        ("#", "row_id"),
        # forms
        ("Timestamp", "submitted_at"),
        ("Cap waktu", "submitted_at"),
        ("_submission_time", "submitted_at"),
        ("_uuid", "source_uuid"),
        ("instanceID", "source_uuid"),
        ("meta/instanceID", "source_uuid"),
    ],
)
def test_header_maps_to_field(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("identitas/nama_pemilik", "owner_name"),
        ("identitas/nik", "nik"),
        ("identitas/no_hp", "phone"),
        ("usaha/nama_usaha", "business_name"),
        ("usaha/jenis_usaha", "sector"),
        ("usaha/omzet_tahun", "omzet_year"),
        ("usaha/omzet_bulan", "omzet_month"),
        ("lokasi/kecamatan", "kecamatan"),
        ("lokasi/kelurahan", "desa_kelurahan"),
        ("lokasi/_gps_latitude", "latitude"),
        ("lokasi/_gps_longitude", "longitude"),
        ("lokasi/gps", "coordinates"),
        ("group_kq8cz70/group_bb0ux25/nama_usaha", "business_name"),
        ("data_pemilik/Tanggal_Lahir", "birth_date"),
    ],
)
def test_form_group_paths(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "lokasi/_gps_altitude",
        "lokasi/_gps_precision",
        "start",
        "end",
        "today",
        "deviceid",
        "__version__",
        "_validation_status",
        "_index",
        "Tempat Lahir",
        "Umur",
        "Agama",
        "Pendidikan Terakhir",
        "Tanggal Pelatihan",
        "Tanda Tangan",
        "Foto",
        "1",
        "2024",
        "",
        "   ",
        None,
        "DATA UMKM",
    ],
)
def test_unrelated_headers_stay_unmapped(header: object) -> None:
    match = map_columns([header])[0]
    assert match.field is None
    assert match.score == 0.0


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Kelurhan", "desa_kelurahan"),
        ("Kecamtan", "kecamatan"),
        ("Nama Pemlik", "owner_name"),
        ("Nama Usha", "business_name"),
        ("Jenis Kelamn", "sex"),
        ("Omzett per bulan", "omzet_month"),
        ("Alamt Usaha", "address"),
        ("Sertifikat Halla", "halal"),
    ],
)
def test_typos_are_matched_fuzzily(header: str, field: str) -> None:
    match = map_columns([header])[0]
    assert match.field == field
    assert 79 <= match.score < 100
    assert "salah ketik" in match.note or match.score == 90.0


def test_fuzzy_never_turns_short_headers_into_others() -> None:
    assert fields(["RT", "RW", "Kel", "Ket", "TK", "MD", "Lat", "Lon"]) == [
        "rt",
        "rw",
        "desa_kelurahan",
        "notes",
        "workers",
        "bpom_md",
        "latitude",
        "longitude",
    ]
    assert field_of("Kot") is None
    assert field_of("Tahun Ajaran Baru") is None


# --------------------------------------------------------------------------------------------
# Flags and conflicts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Omzet", "Omset", "OMZET (Rp)", "Penjualan", "Pendapatan"])
def test_plain_omzet_is_yearly_but_ambiguous(header: str) -> None:
    match = map_columns([header])[0]
    assert match.field == "omzet_year"
    assert match.ambiguous
    assert match.score < 90
    assert "per bulan atau per tahun" in match.note


def test_plain_nama_is_owner_but_ambiguous() -> None:
    match = map_columns(["Nama"])[0]
    assert (match.field, match.ambiguous) == ("owner_name", True)


@pytest.mark.parametrize(
    "header", ["TTL", "Tempat, Tanggal Lahir", "Tempat/Tgl Lahir", "TEMPAT TGL. LAHIR"]
)
def test_place_and_date_of_birth_in_one_column(header: str) -> None:
    match = map_columns([header])[0]
    assert match.field == "birth_date"
    assert match.combined_place_date
    assert not match.ambiguous
    assert match.note


def test_unambiguous_column_wins_over_ambiguous_one() -> None:
    matches = map_columns(["Omzet", "Omzet per tahun", "Nama", "Nama Pemilik"])
    assert [m.field for m in matches] == [None, "omzet_year", None, "owner_name"]
    assert "kolom B" in matches[0].note and "'Omzet per tahun'" in matches[0].note
    assert not matches[0].ambiguous


def test_two_columns_for_one_field_leftmost_wins_a_tie() -> None:
    matches = map_columns(["No", "Kelurahan", "Desa", "RT", "RW", "RT/RW"])
    assert [m.field for m in matches] == ["row_id", "desa_kelurahan", None, "rt", "rw", "rt_rw"]
    loser = matches[2]
    assert loser.header == "Desa"
    assert loser.note.startswith("Tidak dipakai: Desa/kelurahan sudah diambil dari kolom B")


def test_exact_beats_fuzzy_regardless_of_order() -> None:
    matches = map_columns(["Kelurhan", "Kelurahan"])
    assert [m.field for m in matches] == [None, "desa_kelurahan"]


def test_column_match_fields() -> None:
    match = map_columns([None, "  Nama Usaha  "])[1]
    assert match == ColumnMatch(1, "Nama Usaha", "business_name", 100.0)
    empty = map_columns([None])[0]
    assert empty == ColumnMatch(0, "", None, 0.0)


def test_header_key() -> None:
    assert header_key("  No. HP / WA ") == "nohpwa"
    assert header_key("Kelurahan/Désa") == "kelurahandesa"


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (10, "K"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


# --------------------------------------------------------------------------------------------
# Property: one field, one column
# --------------------------------------------------------------------------------------------

_ALL_ALIASES = sorted(
    {alias for aliases in headers_module._ALIASES.values() for alias in aliases}
    | set(headers_module._AMBIGUOUS_ALIASES)
    | set(headers_module._COMBINED_PLACE_DATE_ALIASES)
)
_header_cells = st.one_of(
    st.sampled_from(_ALL_ALIASES),
    st.sampled_from(_ALL_ALIASES).map(lambda alias: alias.upper() + " (Rp)"),
    st.sampled_from(_ALL_ALIASES).map(lambda alias: "grup/" + alias.replace(" ", "_")),
    st.sampled_from(_ALL_ALIASES).map(lambda alias: alias[:-1] if len(alias) > 6 else alias),
    st.text(max_size=30),
    st.integers(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_header_cells, max_size=40))
def test_map_columns_never_maps_two_columns_to_one_field(headers: list[object]) -> None:
    matches = map_columns(headers)
    assert [m.index for m in matches] == list(range(len(headers)))
    mapped = [m.field for m in matches if m.field is not None]
    assert len(mapped) == len(set(mapped))
    assert set(mapped) <= set(CANONICAL_FIELDS)
    for match in matches:
        assert 0.0 <= match.score <= 100.0
        if match.field is None:
            assert not match.ambiguous and not match.combined_place_date


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ALL_ALIASES), min_size=1, max_size=12))
def test_map_columns_is_stable_under_permutation_of_unique_fields(headers: list[str]) -> None:
    # Whatever the order, the set of fields found is the same.
    forward = {m.field for m in map_columns(headers)} - {None}
    backward = {m.field for m in map_columns(list(reversed(headers)))} - {None}
    assert forward == backward


# --------------------------------------------------------------------------------------------
# Header row detection
# --------------------------------------------------------------------------------------------


def test_detect_header_row_below_titles_and_above_column_numbers() -> None:
    rows: list[tuple[int, list[object]]] = [
        (1, ["DATA UMKM KELURAHAN CIPARE TAHUN 2024"]),
        (2, ["Kecamatan Serang"]),
        (3, []),
        (4, ["No", "Nama Pemilik", "NIK", "Nama Usaha", "Alamat", "Kelurahan"]),
        (5, [1, 2, 3, 4, 5, 6]),
        (6, [1, "Siti Aminah", "3673014901829189", "Emping Melinjo", "Jl. Raya Cipare", "Cipare"]),
    ]
    assert detect_header_row(rows) == 4
    assert is_column_numbering_row(rows[4][1])
    assert not is_column_numbering_row(rows[5][1])


def test_detect_header_row_needs_two_matches() -> None:
    assert detect_header_row([(1, ["DATA UMKM KELURAHAN CIPARE"]), (2, ["Nama", "x", "y"])]) is None
    assert detect_header_row([]) is None
    assert detect_header_row([(1, ["Nama", "NIK"])]) == 1


def test_detect_header_row_scans_only_max_scan_non_empty_rows() -> None:
    rows: list[tuple[int, list[object]]] = [(n, [f"judul {n}"]) for n in range(1, 31)]
    rows += [(n, []) for n in range(31, 40)]
    rows.append((40, ["Nama Pemilik", "NIK", "Nama Usaha"]))
    assert detect_header_row(rows) is None
    assert detect_header_row(rows, max_scan=31) == 40


def test_detect_header_row_ignores_data_that_looks_like_headers() -> None:
    rows: list[tuple[int, list[object]]] = [
        (1, ["No", "Nama", "Sertifikat", "Keterangan"]),
        (2, [1, "Siti", "Halal", "Binaan"]),  # data words that are also aliases
    ]
    assert detect_header_row(rows) == 1


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([1, 2, 3, 4], True),
        ([1.0, 2.0, 3.0], True),
        (["(1)", "(2)", "(3)"], True),
        (["1", "2", None, "3"], True),
        ([0, 1, 2], True),
        ([1], False),
        ([1, 3, 4], False),
        ([2, 3, 4], False),
        ([1, "Siti", 3], False),
        ([True, 2], False),
        ([], False),
    ],
)
def test_is_column_numbering_row(cells: list[object], expected: bool) -> None:
    assert is_column_numbering_row(cells) is expected


# --------------------------------------------------------------------------------------------
# The fixtures, end to end (reader -> header row -> mapping)
# --------------------------------------------------------------------------------------------

EXPECTED_FIXTURE_MAPPINGS: dict[tuple[str, str], tuple[int, list[str | None]]] = {
    (fx.CIPARE_XLSX, "DATA UMKM"): (
        fx.CIPARE_HEADER_ROW,
        [
            "row_id",
            "owner_name",
            "nik",
            "business_name",
            "sector",
            "address",
            "rt_rw",
            "desa_kelurahan",
            "kecamatan",
            "phone",
            "omzet_month",
        ],
    ),
    (fx.GOOGLE_FORM_CSV, "CSV"): (
        1,
        [
            "submitted_at",
            "owner_name",
            "phone",
            "business_name",
            "address",
            "kecamatan",
            "desa_kelurahan",
            "omzet_month",
        ],
    ),
    (fx.KOBO_CSV, "CSV"): (
        1,
        [
            None,  # start
            None,  # end
            "owner_name",
            "nik",
            "phone",
            "business_name",
            "sector",
            "omzet_year",
            "kecamatan",
            "desa_kelurahan",
            "latitude",
            "longitude",
            None,  # altitude
            None,  # precision
            "row_id",
            "source_uuid",
            "submitted_at",
            None,  # _index
        ],
    ),
    (fx.HIPMIKINDO_CSV, "CSV"): (
        1,
        ["member_number", "owner_name", "business_name", "phone", "address", "kecamatan"],
    ),
    (fx.PELATIHAN_XLSX, "Peserta Kuliner"): (
        1,
        [
            "row_id",
            "owner_name",
            "birth_date",
            "sex",
            "nik",
            "business_name",
            "products",
            "phone",
            None,  # Tanggal Pelatihan
        ],
    ),
    (fx.PELATIHAN_XLSX, "Peserta Fesyen"): (
        1,
        [
            "row_id",
            "owner_name",
            None,  # Tempat Lahir
            "birth_date",
            "sex",
            "nik",
            "business_name",
            "products",
            "phone",
            None,
        ],
    ),
    (fx.DINAS_XLS, "UMKM 2019"): (
        fx.DINAS_HEADER_ROW,
        [
            "row_id",
            "owner_name",
            "nik",
            "business_name",
            "sector",
            "address",
            "desa_kelurahan",
            "kecamatan",
            "phone",
            "omzet_year",
            None,  # TGL. PENDATAAN
        ],
    ),
    (fx.WALANTAKA_ODS, "Walantaka"): (
        fx.WALANTAKA_HEADER_ROW,
        ["row_id", "owner_name", "business_name", "desa_kelurahan", "products", "omzet_year"],
    ),
}


@pytest.mark.parametrize(("key", "expected"), list(EXPECTED_FIXTURE_MAPPINGS.items()))
def test_fixture_headers_are_found_and_mapped(
    key: tuple[str, str], expected: tuple[int, list[str | None]]
) -> None:
    name, sheet = key
    header_row, expected_fields = expected
    path = FIXTURES / name
    assert sheet in [info.name for info in list_sheets(path)]
    head = list(islice(iter_rows(path, sheet=sheet), 40))
    assert detect_header_row(head) == header_row
    header_cells = dict(head)[header_row]
    matches = map_columns(header_cells)
    assert [m.field for m in matches] == expected_fields
    assert all(not m.ambiguous for m in matches if m.field != "omzet_year")


def test_fixture_flags() -> None:
    kuliner = dict(islice(iter_rows(FIXTURES / fx.PELATIHAN_XLSX, sheet="Peserta Kuliner"), 1))
    ttl = map_columns(kuliner[1])[fx.PELATIHAN_KULINER_HEADERS.index("TTL")]
    assert ttl.combined_place_date
    walantaka = dict(islice(iter_rows(FIXTURES / fx.WALANTAKA_ODS), 2))
    omset = map_columns(walantaka[2])[-1]
    assert (omset.field, omset.ambiguous) == ("omzet_year", True)
