"""Exports safe to open in a spreadsheet: formula injection neutralised (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from naikkelas.core.exports import safe_cell, sheet_title_clean, write_csv, write_xlsx

DANGEROUS = [
    '=HYPERLINK("http://x","klik")',
    "+6281200001234",
    "-5",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "  =1+1",
    " @SUM(A1)",
]
HARMLESS = ["O'Brien", "<script>alert(1)</script>", "Emping Melinjo Bu Iyah", "", "5", "a=b"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_triggers_get_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_ordinary_text_is_unchanged(value: str) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [0, 5, -5, 1.5, -2.25, True, 12_000_000_000])
def test_numbers_stay_numbers(value: float) -> None:
    result = safe_cell(value)
    assert result == value and type(result) is type(value)


def test_none_decimal_and_dates() -> None:
    assert safe_cell(None) is None
    assert safe_cell(Decimal("-5")) == -5 and isinstance(safe_cell(Decimal("-5")), int)
    assert safe_cell(Decimal("1.25")) == 1.25
    assert safe_cell(date(2025, 1, 31)) == "2025-01-31"


def test_sheet_titles_are_made_valid() -> None:
    assert sheet_title_clean("Audit: log/2025?") == "Audit- log-2025-"
    assert len(sheet_title_clean("x" * 40)) == 31
    assert sheet_title_clean("") == "Sheet1"


def test_csv_round_trip() -> None:
    stream = io.StringIO(newline="")
    rows = [[value, 1] for value in DANGEROUS + HARMLESS] + [[None, -5]]
    count = write_csv(iter(rows), ["nama", "=angka"], stream)
    assert count == len(rows)
    read = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    assert read[0] == ["nama", "'=angka"]
    for value, row in zip(DANGEROUS, read[1:], strict=False):
        assert row == ["'" + value, "1"]
    harmless_rows = read[1 + len(DANGEROUS) : 1 + len(DANGEROUS) + len(HARMLESS)]
    assert [row[0] for row in harmless_rows] == HARMLESS
    assert read[-1] == ["", "-5"]


def test_xlsx_round_trip_has_no_formula(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "ekspor.xlsx"
    rows = [[value, -5, 2.5, None] for value in DANGEROUS + HARMLESS] + [["bad\x01char", 0, 0, 0]]
    count = write_xlsx(rows, ["nama", "a", "b", "c"], path, sheet_title="Uji: ekspor")
    assert count == len(rows)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Uji- ekspor"]
    cells = list(sheet.iter_rows(min_row=2))
    for value, row in zip(DANGEROUS, cells, strict=False):
        name, number, decimal, empty = row
        assert name.data_type != "f"
        assert name.data_type == "s"
        # openpyxl keeps the apostrophe as text (XML turns a carriage return into a newline)
        assert name.value == "'" + value.replace("\r", "\n")
        assert number.value == -5 and number.data_type == "n"
        assert decimal.value == 2.5
        assert empty.value is None
    for value, row in zip(HARMLESS, cells[len(DANGEROUS) :], strict=False):
        assert row[0].data_type != "f"
        assert row[0].value == (value or None)  # openpyxl reads an empty string back as None
    assert cells[-1][0].value == "bad\ufffdchar"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_to_a_stream() -> None:
    stream = io.BytesIO()
    write_xlsx(iter([['=HYPERLINK("x")']]), ["Objek"], stream, "Catatan audit")
    stream.seek(0)
    cell = openpyxl.load_workbook(stream).active["A2"]
    assert cell.value == '\'=HYPERLINK("x")' and cell.data_type != "f"
