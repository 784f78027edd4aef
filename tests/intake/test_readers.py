"""Tests for naikkelas.intake.readers (pure: no database).

The fixture files are synthetic and come from ``tests/fixtures/intake/make_fixtures.py``; a
few tests write their own small files into ``tmp_path``.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import inspect
import io
import random
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from naikkelas.intake.readers import (
    CSV_SHEET_NAME,
    Cell,
    CsvFormat,
    SheetInfo,
    SheetNotFoundError,
    UnsupportedFileError,
    clean_cell,
    detect_csv_format,
    detect_format,
    file_sha256,
    iter_rows,
    list_sheets,
)
from tests.fixtures.intake import make_fixtures as fx

FIXTURES = Path(fx.__file__).resolve().parent


def rows_of(path: Path, sheet: str | int | None = None) -> dict[int, list[Cell]]:
    return dict(iter_rows(path, sheet=sheet))


# --------------------------------------------------------------------------------------------
# Format detection
# --------------------------------------------------------------------------------------------

ODS_HEAD = (
    b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("data.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),
        ("data.xls", b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),  # renamed: content wins
        ("upload-7f3a", b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),
        ("data.ods", ODS_HEAD, "ods"),
        ("data.xlsx", ODS_HEAD, "ods"),
        ("data.ods", b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetype", "ods"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls"),
        ("lama.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls"),
        ("data.csv", b"No,Nama\r\n1,Siti\r\n", "csv"),
        ("data.xlsx", b"No;Nama\n1;Siti\n", "csv"),  # a text file named like Excel
        ("data.txt", b"\xff\xfeN\x00o\x00\t\x00", "csv"),  # UTF-16 "Unicode Text"
        ("data.xlsx", b"", "xlsx"),  # no content: the name decides
        ("data.XLS", b"", "xls"),
        ("data.ods", b"", "ods"),
        ("noname", b"", "csv"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n",
        b"<html><body><table><tr><td>No</td></tr></table></body></html>",
        b"\xef\xbb\xbf<!DOCTYPE html>\n<html>",
        b"<table border=1><tr><td>Nama</td></tr>",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
        b"\x00\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        # random bytes without a NUL (1 in 100 random 4 KiB files): control bytes give it away
        bytes(b for b in random.Random(7).randbytes(4096) if b != 0),
    ],
)
def test_detect_format_rejects_what_is_not_a_spreadsheet(head: bytes) -> None:
    with pytest.raises(UnsupportedFileError) as info:
        detect_format("laporan.xls", head)
    assert str(info.value)  # a message for the clerk


@given(st.binary(min_size=512, max_size=4096))
def test_random_bytes_are_never_taken_for_a_spreadsheet_text(data: bytes) -> None:
    assume(not data.startswith((b"PK", b"\xd0\xcf", b"\xff\xfe", b"\xfe\xff")))
    assume(sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13)) > len(data) // 20)
    with pytest.raises(UnsupportedFileError):
        detect_format("acak.csv", data)


def test_text_in_8_bit_encodings_with_a_stray_control_byte_is_still_text() -> None:
    text = ("No;Nama Usaha;Alamat\r\n" + "1;Warung Bu Ani;Jl. Ciceri\r\n" * 50).encode("cp1252")
    assert detect_format("data.csv", text + b"\x1a") == "csv"  # DOS end-of-file marker
    assert detect_format("data.csv", "Pemilik: Ça".encode("latin-1") + b"\x0c" + text) == "csv"


def test_detect_format_of_fixtures() -> None:
    expected = {
        fx.CIPARE_XLSX: "xlsx",
        fx.PELATIHAN_XLSX: "xlsx",
        fx.WALANTAKA_ODS: "ods",
        fx.DINAS_XLS: "xls",
        fx.GOOGLE_FORM_CSV: "csv",
        fx.KOBO_CSV: "csv",
        fx.HIPMIKINDO_CSV: "csv",
    }
    for name, file_format in expected.items():
        head = (FIXTURES / name).read_bytes()[:8192]
        assert detect_format(name, head) == file_format, name


def test_file_sha256_is_the_hash_of_the_bytes() -> None:
    path = FIXTURES / fx.CIPARE_XLSX
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_fixtures_are_small() -> None:
    for path in FIXTURES.iterdir():
        assert path.stat().st_size < 200_000, path.name


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Siti Aminah ", "Siti Aminah"),
        ("\u00a0Siti\u00a0Aminah\u00a0", "Siti\u00a0Aminah"),  # only the outside is stripped
        ("\u200bCipare\ufeff", "Cipare"),
        ("", None),
        ("   ", None),
        ("\u00a0", None),
        (None, None),
        (0, 0),
        (3673061205850001.0, 3673061205850001.0),
        (True, True),
        (datetime.date(2024, 8, 17), datetime.date(2024, 8, 17)),
        (datetime.datetime(2024, 8, 17, 10, 15), datetime.datetime(2024, 8, 17, 10, 15)),
        (datetime.time(10, 15), "10:15:00"),
        (datetime.timedelta(hours=36), "1 day, 12:00:00"),
    ],
)
def test_clean_cell(raw: object, expected: object) -> None:
    cleaned = clean_cell(raw)
    assert cleaned == expected
    assert type(cleaned) is type(expected)


# --------------------------------------------------------------------------------------------
# kelurahan_cipare.xlsx
# --------------------------------------------------------------------------------------------


def test_cipare_true_row_numbers_title_and_blank_rows() -> None:
    path = FIXTURES / fx.CIPARE_XLSX
    assert list_sheets(path) == [SheetInfo("DATA UMKM", 0)]
    rows = list(iter_rows(path))
    numbers = [number for number, _ in rows]
    assert numbers == list(range(1, fx.CIPARE_LAST_ROW + 1))
    by_number = dict(rows)
    assert by_number[1] == ["DATA UMKM KELURAHAN CIPARE"]  # merged: top-left cell only
    assert by_number[2] == ["TAHUN 2024"]
    assert by_number[3] == []
    assert by_number[fx.CIPARE_HEADER_ROW] == list(fx.CIPARE_HEADERS)


def test_cipare_data_rows() -> None:
    rows = rows_of(FIXTURES / fx.CIPARE_XLSX)
    data = range(fx.CIPARE_FIRST_DATA_ROW, fx.CIPARE_FIRST_DATA_ROW + fx.CIPARE_DATA_ROWS)
    for number in data:
        cells = rows[number]
        assert len(cells) in (10, 11), number  # an empty omzet would be dropped, nothing else
        assert isinstance(cells[1], str) and cells[1] == cells[1].strip()
        assert cells[-1] is not None
    # Rows after the data hold only a border, a space and an NBSP: yielded empty.
    for number in range(data.stop, fx.CIPARE_LAST_ROW + 1):
        assert rows[number] == []


def test_cipare_nik_typed_as_number_arrives_as_float() -> None:
    rows = rows_of(FIXTURES / fx.CIPARE_XLSX)
    nik_column = fx.CIPARE_HEADERS.index("NIK")
    for number in range(fx.CIPARE_FIRST_DATA_ROW, fx.CIPARE_FIRST_DATA_ROW + fx.CIPARE_DATA_ROWS):
        nik = rows[number][nik_column]
        if number in fx.CIPARE_NUMERIC_NIK_ROWS:
            assert isinstance(nik, float), number
            assert nik == float(int(nik))  # whole, 16 digits, last digit lost to Excel
            assert len(str(int(nik))) == 16 and str(int(nik)).endswith("0")
        else:
            assert isinstance(nik, str) and len(nik) == 16 and nik.isdigit(), number
            assert 9000 <= int(nik[-4:]) <= 9999  # synthetic serial


def test_cipare_rupiah_text_and_numbers_are_kept_as_typed() -> None:
    rows = rows_of(FIXTURES / fx.CIPARE_XLSX)
    omzet = fx.CIPARE_HEADERS.index("Omzet/bulan")
    for number in fx.CIPARE_TEXT_RUPIAH_ROWS:
        assert isinstance(rows[number][omzet], str)
    texts = [rows[number][omzet] for number in fx.CIPARE_TEXT_RUPIAH_ROWS]
    assert any(str(text).startswith("Rp") for text in texts)
    numeric = [
        cells[omzet]
        for number, cells in rows.items()
        if number >= fx.CIPARE_FIRST_DATA_ROW and len(cells) > omzet
        if isinstance(cells[omzet], float)
    ]
    assert len(numeric) >= 10


def test_cipare_duplicate_and_other_kelurahan() -> None:
    rows = rows_of(FIXTURES / fx.CIPARE_XLSX)
    first, second = fx.CIPARE_DUPLICATE_ROWS
    assert rows[first] == rows[second]
    kelurahan = fx.CIPARE_HEADERS.index("Kelurahan")
    kecamatan = fx.CIPARE_HEADERS.index("Kecamatan")
    row = rows[fx.CIPARE_KALANG_ANYAR_ROW]
    assert (row[kelurahan], row[kecamatan]) == ("Kalang Anyar", "Taktakan")


def test_cipare_phone_typed_as_number_stays_a_number() -> None:
    rows = rows_of(FIXTURES / fx.CIPARE_XLSX)
    phone = fx.CIPARE_HEADERS.index("No HP/WA")
    numbers = [cells[phone] for cells in rows.values() if len(cells) > phone]
    assert any(isinstance(value, float) for value in numbers)
    assert None in numbers  # one owner gave no phone


# --------------------------------------------------------------------------------------------
# pelatihan_2025.xlsx and kecamatan_walantaka.ods
# --------------------------------------------------------------------------------------------


def test_pelatihan_two_sheets() -> None:
    path = FIXTURES / fx.PELATIHAN_XLSX
    assert list_sheets(path) == [SheetInfo(name, i) for i, name in enumerate(fx.PELATIHAN_SHEETS)]
    kuliner = rows_of(path)  # None: the first sheet
    assert kuliner == rows_of(path, "Peserta Kuliner") == rows_of(path, 0)
    fesyen = rows_of(path, "Peserta Fesyen")
    assert fesyen == rows_of(path, 1) == rows_of(path, " peserta fesyen ")
    assert kuliner[1] == list(fx.PELATIHAN_KULINER_HEADERS)
    assert fesyen[1] == list(fx.PELATIHAN_FESYEN_HEADERS)
    assert sorted(kuliner) == list(range(1, fx.PELATIHAN_ROWS + 2))


def test_pelatihan_dates_ttl_and_sex() -> None:
    path = FIXTURES / fx.PELATIHAN_XLSX
    kuliner = rows_of(path, "Peserta Kuliner")
    ttl = fx.PELATIHAN_KULINER_HEADERS.index("TTL")
    sex = fx.PELATIHAN_KULINER_HEADERS.index("Jenis Kelamin")
    training = fx.PELATIHAN_KULINER_HEADERS.index("Tanggal Pelatihan")
    nik = fx.PELATIHAN_KULINER_HEADERS.index("NIK")
    for number in range(2, fx.PELATIHAN_ROWS + 2):
        cells = kuliner[number]
        place_date, nik_value = cells[ttl], cells[nik]
        assert isinstance(place_date, str) and place_date[0].isalpha()
        assert cells[sex] in {"L", "P", "l", "p"}
        assert type(cells[training]) is datetime.date
        assert isinstance(nik_value, str) and len(nik_value) == 16
    assert str(kuliner[2][ttl]).startswith("Serang, ")
    fesyen = rows_of(path, "Peserta Fesyen")
    born = fx.PELATIHAN_FESYEN_HEADERS.index("Tanggal Lahir")
    assert all(type(fesyen[n][born]) is datetime.date for n in range(2, fx.PELATIHAN_ROWS + 2))


def test_missing_sheet_is_a_clear_error() -> None:
    path = FIXTURES / fx.PELATIHAN_XLSX
    with pytest.raises(SheetNotFoundError, match="Peserta Kuliner"):
        list(iter_rows(path, sheet="Peserta Kriya"))
    with pytest.raises(SheetNotFoundError):
        list(iter_rows(path, sheet=5))


def test_walantaka_ods() -> None:
    path = FIXTURES / fx.WALANTAKA_ODS
    assert list_sheets(path) == [SheetInfo("Walantaka", 0)]
    rows = rows_of(path)
    assert rows[1] == ["REKAP UMKM KECAMATAN WALANTAKA"]
    assert rows[fx.WALANTAKA_HEADER_ROW] == list(fx.WALANTAKA_HEADERS)
    assert rows[fx.WALANTAKA_HEADER_ROW + 4] == []  # the deleted entry
    assert len(rows) == fx.WALANTAKA_HEADER_ROW + fx.WALANTAKA_ROWS + 1
    numbers = [cells[0] for number, cells in rows.items() if number > 2 and cells]
    assert numbers == [1, 2, 3, 4, 5, 6]
    omzet = [cells[5] for number, cells in rows.items() if number > 2 and cells]
    assert "Rp 45.000.000" in omzet and any(isinstance(value, float) for value in omzet)


def test_dinas_lama_xls() -> None:
    path = FIXTURES / fx.DINAS_XLS
    assert list_sheets(path) == [SheetInfo(name, i) for i, name in enumerate(fx.DINAS_SHEETS)]
    rows = rows_of(path)
    assert rows[1] == ["DAFTAR UMKM BINAAN DINAS KOPERASI DAN UKM KOTA SERANG"]
    assert rows[fx.DINAS_HEADER_ROW] == list(fx.DINAS_HEADERS)
    assert sorted(rows) == list(range(1, fx.DINAS_HEADER_ROW + fx.DINAS_ROWS + 1))
    nik = fx.DINAS_HEADERS.index("NO. KTP")
    dated = fx.DINAS_HEADERS.index("TGL. PENDATAAN")
    phone = fx.DINAS_HEADERS.index("NO. TELP")
    for number in range(fx.DINAS_HEADER_ROW + 1, fx.DINAS_HEADER_ROW + fx.DINAS_ROWS + 1):
        cells = rows[number]
        expected_type = float if number in fx.DINAS_NUMERIC_NIK_ROWS else str
        assert type(cells[nik]) is expected_type, number
        assert type(cells[dated]) is datetime.date
        assert cells[phone] is None or isinstance(cells[phone], str)
    rekap = rows_of(path, "Rekap")
    assert rekap[1] == ["KECAMATAN", "JUMLAH UMKM"]
    counts = [cells[1] for number, cells in rekap.items() if number > 1]
    assert all(isinstance(count, float) for count in counts)
    assert sum(float(str(count)) for count in counts) == fx.DINAS_ROWS


def test_xls_with_a_misleading_name(tmp_path: Path) -> None:
    target = tmp_path / "dinas.xlsx"
    target.write_bytes((FIXTURES / fx.DINAS_XLS).read_bytes())
    assert rows_of(target) == rows_of(FIXTURES / fx.DINAS_XLS)


# --------------------------------------------------------------------------------------------
# Column and row positions in spreadsheets
# --------------------------------------------------------------------------------------------


def test_data_not_starting_in_a1_keeps_true_rows_and_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C3"] = "Nama Pemilik"
    ws["D3"] = "NIK"
    ws["C5"] = "Siti Aminah"
    ws["E5"] = 3673014901829190
    ws["F6"] = "   "
    path = tmp_path / "geser.xlsx"
    wb.save(path)
    assert list(iter_rows(path)) == [
        (1, []),
        (2, []),
        (3, [None, None, "Nama Pemilik", "NIK"]),
        (4, []),
        (5, [None, None, "Siti Aminah", None, 3673014901829190.0]),
        (6, []),
    ]


def test_empty_and_hidden_sheets(tmp_path: Path) -> None:
    wb = Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "Daftar Pilihan"
    hidden["A1"] = "Kuliner"
    hidden.sheet_state = "hidden"
    wb.create_sheet("Kosong")
    data = wb.create_sheet("Data")
    data["A1"] = "Nama"
    path = tmp_path / "pilihan.xlsx"
    wb.save(path)
    assert list_sheets(path) == [
        SheetInfo("Daftar Pilihan", 0, hidden=True),
        SheetInfo("Kosong", 1),
        SheetInfo("Data", 2),
    ]
    assert list(iter_rows(path)) == []  # the first visible sheet is empty
    assert list(iter_rows(path, sheet="Data")) == [(1, ["Nama"])]
    assert list(iter_rows(path, sheet=0)) == [(1, ["Kuliner"])]


def test_spreadsheet_with_a_misleading_name_is_read_by_content(tmp_path: Path) -> None:
    source = FIXTURES / fx.CIPARE_XLSX
    expected = rows_of(source)
    for name in ("cipare.xls", "cipare.csv", "cipare"):
        target = tmp_path / name
        target.write_bytes(source.read_bytes())
        assert rows_of(target) == expected, name
        assert list_sheets(target) == [SheetInfo("DATA UMKM", 0)]


def test_ods_with_a_misleading_name(tmp_path: Path) -> None:
    target = tmp_path / "walantaka.xlsx"
    target.write_bytes((FIXTURES / fx.WALANTAKA_ODS).read_bytes())
    assert rows_of(target) == rows_of(FIXTURES / fx.WALANTAKA_ODS)


def test_broken_workbook_raises_on_first_next(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    rows = iter_rows(path)
    with pytest.raises(UnsupportedFileError, match="rusak"):
        next(rows)
    with pytest.raises(UnsupportedFileError):
        list_sheets(path)


# --------------------------------------------------------------------------------------------
# CSV fixtures
# --------------------------------------------------------------------------------------------


def test_google_form_csv() -> None:
    path = FIXTURES / fx.GOOGLE_FORM_CSV
    assert detect_csv_format(path) == CsvFormat("utf-8-sig", ",")
    assert list_sheets(path) == [SheetInfo(CSV_SHEET_NAME, 0)]
    rows = rows_of(path)
    assert rows[1] == list(fx.GOOGLE_FORM_HEADERS)  # no BOM left on "Cap waktu"
    assert sorted(rows) == list(range(1, fx.GOOGLE_FORM_ROWS + 2))  # records, not lines
    address = fx.GOOGLE_FORM_HEADERS.index("Alamat usaha (jalan, RT/RW)")
    multiline = rows[fx.GOOGLE_FORM_MULTILINE_ROW][address]
    assert isinstance(multiline, str) and "\n" in multiline
    assert rows[2][0] == "17/08/2024 10:15:00"
    assert rows == rows_of(path, CSV_SHEET_NAME) == rows_of(path, 0)


def test_kobo_csv() -> None:
    path = FIXTURES / fx.KOBO_CSV
    assert detect_csv_format(path) == CsvFormat("utf-8", ";")
    rows = rows_of(path)
    assert rows[1] == list(fx.KOBO_HEADERS)
    assert len(rows) == fx.KOBO_ROWS + 1
    assert all(len(cells) == len(fx.KOBO_HEADERS) for cells in rows.values())
    nik = rows[2][fx.KOBO_HEADERS.index("identitas/nik")]
    assert isinstance(nik, str) and len(nik) == 16  # CSV values are text, never numbers


def test_hipmikindo_cp1252_tab_csv() -> None:
    path = FIXTURES / fx.HIPMIKINDO_CSV
    assert detect_csv_format(path) == CsvFormat("cp1252", "\t")
    rows = rows_of(path)
    assert rows[1] == list(fx.HIPMIKINDO_HEADERS)
    assert len(rows) == fx.HIPMIKINDO_ROWS + 1
    businesses = {cells[2] for cells in rows.values()}
    assert fx.HIPMIKINDO_CAFE in businesses
    assert all("\ufffd" not in str(cell) for cells in rows.values() for cell in cells)
    assert any("–" in str(cells[4]) for cells in rows.values())  # cp1252 en dash


def test_csv_has_a_single_sheet(tmp_path: Path) -> None:
    with pytest.raises(SheetNotFoundError):
        list(iter_rows(FIXTURES / fx.KOBO_CSV, sheet="Sheet1"))
    with pytest.raises(SheetNotFoundError):
        list(iter_rows(FIXTURES / fx.KOBO_CSV, sheet=1))


# --------------------------------------------------------------------------------------------
# CSV encodings and delimiters
# --------------------------------------------------------------------------------------------


def write(tmp_path: Path, data: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_csv_with_broken_bytes_does_not_crash(tmp_path: Path) -> None:
    # 0x81 and 0x8D are undefined even in Windows-1252; 0xFF is invalid UTF-8.
    path = write(tmp_path, b"Nama;Usaha\r\nSiti\x81;Warung \x8d\xff\r\n\x00Ade;Toko\r\n")
    assert detect_csv_format(path) == CsvFormat("cp1252", ";")
    rows = list(iter_rows(path))
    assert [number for number, _ in rows] == [1, 2, 3]
    assert rows[1][1][0] == "Siti\ufffd"
    assert rows[1][1][1] == "Warung \ufffdÿ"
    assert rows[2][1] == ["Ade", "Toko"]  # a NUL byte is dropped


def test_utf8_with_a_bad_byte_far_down_falls_back_to_cp1252(tmp_path: Path) -> None:
    lines = [b"No,Nama"] + [b"%d,Siti Aminah" % i for i in range(1, 10_000)]
    lines.append(b"10000,Caf\xe9 Kopi")  # cp1252 "é" after >64 KB of ASCII
    path = write(tmp_path, b"\n".join(lines) + b"\n")
    assert path.stat().st_size > 64 * 1024
    assert detect_csv_format(path).encoding == "cp1252"
    assert list(iter_rows(path))[-1] == (10_001, ["10000", "Café Kopi"])


def test_utf8_without_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "Nama|Kelurahan\nÉndang|Kalang Anyar\n".encode())
    assert detect_csv_format(path) == CsvFormat("utf-8", "|")
    assert list(iter_rows(path)) == [(1, ["Nama", "Kelurahan"]), (2, ["Éndang", "Kalang Anyar"])]


def test_utf16_unicode_text(tmp_path: Path) -> None:
    text = "No\tNama Usaha\r\n1\tCafé Kopi Banten\r\n"
    path = write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "data.txt")
    assert detect_csv_format(path) == CsvFormat("utf-16", "\t")
    assert list(iter_rows(path)) == [(1, ["No", "Nama Usaha"]), (2, ["1", "Café Kopi Banten"])]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("No,Nama,Usaha\n1,Siti,Warung\n2,Ade,Toko\n", ","),
        ("No;Nama;Omzet\n1;Siti;1.500.000,00\n2;Ade;2.000.000,50\n", ";"),
        ("No\tNama\tAlamat\n1\tSiti\tJl. Ki Mas Jong, No. 5\n", "\t"),
        ("No|Nama|Alamat\n1|Siti|Jl. Raya, Cipare\n", "|"),
        ('"No","Nama","Alamat"\n"1","Siti","Jl. Raya; Cipare, Serang"\n', ","),
        ('No;Nama;Alamat\n1;Siti;"Jl. Raya, Cipare, Serang"\n2;Ade;"Kp. Kaloran, RT 01"\n', ";"),
        ("Nama\nSiti Aminah\nAde Rohayati\n", ","),  # one column
        ("", ","),
    ],
)
def test_delimiter_detection(tmp_path: Path, text: str, delimiter: str) -> None:
    path = write(tmp_path, text.encode())
    assert detect_csv_format(path).delimiter == delimiter


@settings(max_examples=150, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    columns=st.integers(2, 8),
    data=st.data(),
)
def test_any_written_csv_reads_back(
    delimiter: str, encoding: str, columns: int, data: st.DataObject
) -> None:
    # Cells may hold the other delimiters, quotes, newlines and "é": csv.writer quotes as
    # Excel does, and the reader must find the delimiter and give the same text back.
    cell = st.text(alphabet="abcRp .,;|-/\"'0123456789é\n", max_size=12)
    header = [f"Kolom {i}" for i in range(columns)]
    body = data.draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), max_size=12))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *body])
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        if encoding == "utf-8" and not buffer.getvalue().isascii():
            assert detect_csv_format(path).encoding == "utf-8"
        assert detect_csv_format(path).delimiter == delimiter
        rows = list(iter_rows(path))
    assert [number for number, _ in rows] == list(range(1, len(body) + 2))
    expected = [[clean_cell(value) for value in record] for record in [header, *body]]
    for cells, record in zip((cells for _, cells in rows), expected, strict=True):
        while record and record[-1] is None:
            record.pop()
        assert cells == record


def test_excel_sep_hint_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"sep=;\r\nNo;Nama;Omzet\r\n1;Siti;1,5\r\n")
    assert detect_csv_format(path).delimiter == ";"
    assert list(iter_rows(path)) == [(1, ["No", "Nama", "Omzet"]), (2, ["1", "Siti", "1,5"])]


def test_csv_quoted_newlines_blank_lines_and_trailing_cells(tmp_path: Path) -> None:
    text = 'No,Nama,Alamat,,\r\n\r\n1," Siti ","Jl. Raya\r\nRT 02",,\r\n,,,\r\n2,Ade,\u00a0,,\r\n'
    path = write(tmp_path, text.encode())
    assert list(iter_rows(path)) == [
        (1, ["No", "Nama", "Alamat"]),
        (2, []),
        (3, ["1", "Siti", "Jl. Raya\r\nRT 02"]),
        (4, []),
        (5, ["2", "Ade"]),
    ]


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    assert list(iter_rows(path)) == []
    assert list_sheets(path) == [SheetInfo(CSV_SHEET_NAME, 0)]


# --------------------------------------------------------------------------------------------
# Streaming
# --------------------------------------------------------------------------------------------


def test_iter_rows_is_a_generator() -> None:
    for name in (fx.CIPARE_XLSX, fx.GOOGLE_FORM_CSV, fx.WALANTAKA_ODS, fx.DINAS_XLS):
        rows = iter_rows(FIXTURES / name)
        assert inspect.isgenerator(rows)
        rows.close()


def test_iter_rows_keeps_python_memory_flat(tmp_path: Path) -> None:
    path = fx.write_large_xlsx(tmp_path / "besar.xlsx", rows=5_000, seed=7)
    csv_path = tmp_path / "besar.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        for _number, cells in iter_rows(path):
            handle.write(";".join("" if cell is None else str(cell) for cell in cells) + "\n")
    for source in (path, csv_path):
        tracemalloc.start()
        try:
            count = 0
            last: list[object] = []
            for number, cells in iter_rows(source):
                count += 1
                last = list(cells)
                assert number == count
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count == 5_001
        assert last[0] in (5000.0, "5000.0")
        # 5,000 rows of 13 cells held at once would take several MB of Python objects.
        assert peak < 1_000_000, (source.name, peak)


def test_write_large_xlsx_shape(tmp_path: Path) -> None:
    path = fx.write_large_xlsx(tmp_path / "judul.xlsx", rows=50, seed=1, title=True)
    rows = rows_of(path)
    assert rows[1] == ["DATA UMKM KOTA SERANG (SINTETIS)"]
    assert rows[2] == []
    assert rows[3] == list(fx.LARGE_HEADERS)
    assert len(rows) == 53
    niks = [cells[2] for number, cells in rows.items() if number > 3]
    assert all(isinstance(nik, str | float) for nik in niks)
    assert all(9000 <= int(nik[-4:]) <= 9999 for nik in niks if isinstance(nik, str))
