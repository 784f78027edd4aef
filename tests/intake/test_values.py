"""Tests for naikkelas.intake.values (pure: no database, no Django settings)."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from naikkelas.intake import values
from naikkelas.intake.values import (
    MONTHS_ID,
    Parsed,
    format_date_id,
    format_rupiah,
    parse_amount_with_period,
    parse_birth_date,
    parse_certificate,
    parse_channels,
    parse_coordinates,
    parse_date,
    parse_int_count,
    parse_legal_form,
    parse_place_and_date,
    parse_rt_rw,
    parse_rupiah,
    parse_sector,
    parse_sex,
    parse_year,
    parse_yes_no,
    split_address_rt_rw,
)

TODAY = datetime.date(2025, 6, 15)
D = datetime.date


def codes(result: Parsed[Any]) -> list[str]:
    return [issue.code for issue in result.issues]


def assert_clean(result: Parsed[Any], expected: object) -> None:
    assert result.value == expected
    assert result.issues == ()


def assert_error(result: Parsed[Any], code: str) -> None:
    assert result.value is None
    assert code in codes(result), result.issues
    assert not result.ok


# --------------------------------------------------------------------------------------------
# Shared behaviour
# --------------------------------------------------------------------------------------------

ALL_PARSERS: dict[str, Callable[[object], Parsed[Any]]] = {
    "rupiah": parse_rupiah,
    "amount_month": lambda raw: parse_amount_with_period(raw, header_period="month"),
    "amount_none": lambda raw: parse_amount_with_period(raw, header_period=None),
    "date": lambda raw: parse_date(raw, today=TODAY),
    "birth_date": lambda raw: parse_birth_date(raw, today=TODAY),
    "ttl": lambda raw: parse_place_and_date(raw, today=TODAY),
    "year": lambda raw: parse_year(raw, today=TODAY),
    "count": parse_int_count,
    "yes_no": parse_yes_no,
    "certificate": parse_certificate,
    "sex": parse_sex,
    "rt_rw": parse_rt_rw,
    "sector": parse_sector,
    "legal_form": parse_legal_form,
    "coordinates": parse_coordinates,
    "channels": parse_channels,
}
# Parsers that read a dash as an answer rather than as an empty cell.
DASH_IS_ANSWER = {"yes_no": False, "certificate": (False, ""), "legal_form": "PERORANGAN"}


@pytest.mark.parametrize("name", sorted(ALL_PARSERS))
@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), "—", "–", "n/a", "tidak tahu"])
def test_empty_cells_give_none_without_issues(name: str, raw: object) -> None:
    result = ALL_PARSERS[name](raw)
    if name in DASH_IS_ANSWER and raw in ("—", "–"):
        assert result.value == DASH_IS_ANSWER[name]
        return
    assert_clean(result, None)


@pytest.mark.parametrize("name", sorted(ALL_PARSERS))
def test_dash(name: str) -> None:
    assert_clean(ALL_PARSERS[name]("-"), DASH_IS_ANSWER.get(name))


@pytest.mark.parametrize("name", sorted(ALL_PARSERS))
@pytest.mark.parametrize("raw", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!"])
def test_excel_error_values_are_errors(name: str, raw: str) -> None:
    result = ALL_PARSERS[name](raw)
    assert result.value is None
    assert len(result.errors) == 1
    assert result.errors[0].code.endswith("_excel_error")


def test_parsed_accessors() -> None:
    result = parse_rupiah("± 2 juta")
    assert result.ok and result.errors == () and len(result.warnings) == 1
    failed = parse_rupiah("2-3 juta")
    assert not failed.ok and len(failed.errors) == 1 and failed.warnings == ()


def test_module_is_pure() -> None:
    """values.py must not pull in Django (checked in a fresh interpreter)."""
    code = (
        "import sys, naikkelas.intake.values\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


def test_issue_codes_are_prefixed_snake_case() -> None:
    samples = [
        parse_rupiah("2-3 juta"),
        parse_date("31-02-2020", today=TODAY),
        parse_birth_date("01-01-2030", today=TODAY),
        parse_place_and_date("17-08-1985", today=TODAY),
        parse_year("2099", today=TODAY),
        parse_int_count("2-3"),
        parse_yes_no("mungkin"),
        parse_certificate("halal"),
        parse_sex("X"),
        parse_rt_rw("abc"),
        parse_sector("xyz"),
        parse_legal_form("abc"),
        parse_coordinates("abc"),
        parse_channels("Pasar Malam Minggu, Entah"),
    ]
    prefixes = (
        "rupiah_",
        "date_",
        "birth_date_",
        "ttl_",
        "year_",
        "count_",
        "yesno_",
        "cert_",
        "sex_",
        "rt_rw_",
        "sector_",
        "legal_form_",
        "coord_",
        "channel_",
    )
    for result in samples:
        assert result.issues
        for issue in result.issues:
            assert re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)+", issue.code), issue.code
            assert issue.code.startswith(prefixes), issue.code
            assert issue.message.endswith((".", "?")), issue.message
            assert len(issue.message) < 250


# --------------------------------------------------------------------------------------------
# Rupiah
# --------------------------------------------------------------------------------------------

RUPIAH_OK: list[tuple[object, int]] = [
    ("Rp 1.500.000", 1_500_000),
    ("Rp1.500.000,00", 1_500_000),
    ("Rp 1.500.000,-", 1_500_000),
    ("1.500.000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1,500,000.00", 1_500_000),
    ("1500000", 1_500_000),
    ("1 500 000", 1_500_000),
    ("1500000,00", 1_500_000),
    (1_500_000, 1_500_000),
    (1_500_000.0, 1_500_000),
    (Decimal("1500000"), 1_500_000),
    ("1,5 jt", 1_500_000),
    ("1.5 juta", 1_500_000),
    ("15jt", 15_000_000),
    ("2 M", 2_000_000_000),
    ("2 miliar", 2_000_000_000),
    ("2 milyar", 2_000_000_000),
    ("2,5 M", 2_500_000_000),
    ("500 rb", 500_000),
    ("500 ribu", 500_000),
    ("500k", 500_000),
    ("Rp. 750 rb", 750_000),
    ("IDR 750.000", 750_000),
    ("750.000 rupiah", 750_000),
    ("1 juta 500 ribu", 1_500_000),
    ("1jt500rb", 1_500_000),
    ("sejuta", 1_000_000),
    ("setengah juta", 500_000),
    ("0,5 jt", 500_000),
    ("1.500", 1_500),
    ("1,500", 1_500),
    ("0", 0),
    (0, 0),
    ("Rp 1.234.567,89", 1_234_568),
    (1234.5, 1235),
]


@pytest.mark.parametrize(("raw", "expected"), RUPIAH_OK)
def test_rupiah_values(raw: object, expected: int) -> None:
    result = parse_rupiah(raw)
    assert result.value == expected
    assert type(result.value) is int
    assert result.errors == ()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2-3 juta", "rupiah_range"),
        ("2 - 3 jt", "rupiah_range"),
        ("1jt-2jt", "rupiah_range"),
        ("Rp 1.500.000,- s/d Rp 2.000.000,-", "rupiah_range"),
        ("2 sampai 3 juta", "rupiah_range"),
        ("2 atau 3 juta", "rupiah_range"),
        ("> 2 juta", "rupiah_bound"),
        ("lebih dari 2 juta", "rupiah_bound"),
        ("di bawah 1 jt", "rupiah_bound"),
        ("2 juta ke atas", "rupiah_bound"),
        ("-500.000", "rupiah_negative"),
        ("- 500 rb", "rupiah_negative"),
        ("(500.000)", "rupiah_negative"),
        (-5, "rupiah_negative"),
        (-0.5, "rupiah_negative"),
        ("1.5", "rupiah_decimal_no_unit"),
        ("1,5", "rupiah_decimal_no_unit"),
        ("0.500", "rupiah_decimal_no_unit"),
        (1.5, "rupiah_decimal_no_unit"),
        ("1.500 jt", "rupiah_ambiguous"),
        ("2,500 rb", "rupiah_ambiguous"),
        ("1,5E+06", "rupiah_excel_scientific"),
        ("1.5e6", "rupiah_excel_scientific"),
        ("2 jt/bln", "rupiah_period_unexpected"),
        ("24 juta per tahun", "rupiah_period_unexpected"),
        ("200 rb per hari", "rupiah_period_unsupported"),
        ("lima juta", "rupiah_invalid"),
        ("banyak", "rupiah_invalid"),
        ("tidak ada", "rupiah_invalid"),
        ("1.5.3", "rupiah_invalid"),
        ("1.50.000", "rupiah_invalid"),
        ("500 ribu 1 juta", "rupiah_invalid"),
        ("1 juta 500", "rupiah_invalid"),
        ("2 kg", "rupiah_invalid"),
        (True, "rupiah_invalid"),
        (float("inf"), "rupiah_invalid"),
        (D(2020, 1, 1), "rupiah_invalid"),
    ],
)
def test_rupiah_errors(raw: object, code: str) -> None:
    assert_error(parse_rupiah(raw), code)


def test_rupiah_range_message_is_concrete() -> None:
    result = parse_amount_with_period("2-3 juta", header_period=None)
    assert result.issues[0].message == "Angka omzet '2-3 juta' berupa rentang; isi satu angka."


def test_rupiah_decimal_message_suggests_fixes() -> None:
    message = parse_rupiah("1,5").issues[0].message
    assert "'1,5 juta'" in message and "Rp1.500.000" in message


def test_rupiah_ambiguous_message_lists_both_readings() -> None:
    message = parse_rupiah("1.500 jt").issues[0].message
    assert "Rp1.500.000.000" in message and "Rp1.500.000" in message


def test_rupiah_label_starts_message() -> None:
    assert parse_rupiah("abc", label="Modal").issues[0].message.startswith("Modal 'abc'")


@pytest.mark.parametrize(
    ("raw", "expected", "code"),
    [
        ("± 2 juta", 2_000_000, "rupiah_approximate"),
        ("+- 2 juta", 2_000_000, "rupiah_approximate"),
        ("kurang lebih 2 jt", 2_000_000, "rupiah_approximate"),
        ("sekitar Rp 2.000.000", 2_000_000, "rupiah_approximate"),
        ("kira-kira 2 juta", 2_000_000, "rupiah_approximate"),
        ("1 T", 10**12, "rupiah_implausible"),
        ("1 triliun", 10**12, "rupiah_implausible"),
        (5 * 10**12, 5 * 10**12, "rupiah_implausible"),
        ("15", 15, "rupiah_small"),
        (250, 250, "rupiah_small"),
    ],
)
def test_rupiah_warnings(raw: object, expected: int, code: str) -> None:
    result = parse_rupiah(raw)
    assert result.value == expected
    assert codes(result) == [code]
    assert result.ok


@pytest.mark.parametrize("raw", ["Rp", "Rp -", "Rp. ,-"])
def test_rupiah_empty_template_cells(raw: str) -> None:
    assert_clean(parse_rupiah(raw), None)


@pytest.mark.parametrize(
    ("raw", "header", "expected", "converted"),
    [
        ("2 juta", None, 2_000_000, False),
        ("2 juta", "year", 2_000_000, False),
        ("2 juta", "month", 24_000_000, True),
        ("2 jt/bln", None, 24_000_000, True),
        ("2 jt / bulan", "year", 24_000_000, True),
        ("2 juta per bulan", None, 24_000_000, True),
        ("2jt perbulan", None, 24_000_000, True),
        ("2 juta sebulan", "year", 24_000_000, True),
        ("Rp 2.000.000 tiap bulan", None, 24_000_000, True),
        ("24 juta per tahun", "month", 24_000_000, False),
        ("24 jt/thn", "month", 24_000_000, False),
        ("24 juta setahun", "month", 24_000_000, False),
        (2_000_000, "month", 24_000_000, True),
        (2_000_000.0, "year", 2_000_000, False),
    ],
)
def test_amount_with_period(raw: object, header: Any, expected: int, converted: bool) -> None:
    result = parse_amount_with_period(raw, header_period=header)
    assert result.value == expected
    assert ("omzet_monthly_converted" in codes(result)) is converted
    assert result.ok


def test_amount_with_period_message() -> None:
    result = parse_amount_with_period("2 jt/bln", header_period=None)
    issue = result.issues[0]
    assert issue.severity == "warning"
    assert "Rp2.000.000 x 12 = Rp24.000.000" in issue.message


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("200 rb per hari", "rupiah_period_unsupported"),
        ("1 jt/minggu", "rupiah_period_unsupported"),
        ("2 juta per bulan per tahun", "rupiah_period_conflict"),
        ("2-3 juta/bln", "rupiah_range"),
    ],
)
def test_amount_with_period_errors(raw: str, code: str) -> None:
    assert_error(parse_amount_with_period(raw, header_period="month"), code)


def test_amount_with_period_keeps_other_warnings() -> None:
    result = parse_amount_with_period("± 2 jt/bln", header_period=None)
    assert result.value == 24_000_000
    assert codes(result) == ["rupiah_approximate", "omzet_monthly_converted"]


def test_format_rupiah() -> None:
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(1_500_000) == "Rp1.500.000"
    assert format_rupiah(-1500) == "-Rp1.500"


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_indonesian_format_round_trip(amount: int) -> None:
    text = "Rp" + f"{amount:,}".replace(",", ".")
    assert parse_rupiah(text).value == amount
    assert parse_rupiah(text.replace("Rp", "Rp ")).value == amount
    assert parse_rupiah(text + ",00").value == amount
    assert parse_rupiah(text + ",-").value == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_plain_and_numeric_round_trip(amount: int) -> None:
    assert parse_rupiah(str(amount)).value == amount
    assert parse_rupiah(amount).value == amount
    assert parse_rupiah(f"{amount:,}").value == amount  # English thousands


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["rb", "ribu", "jt", "juta"]))
def test_rupiah_units_round_trip(number: int, unit: str) -> None:
    multiplier = 1000 if unit in ("rb", "ribu") else 10**6
    assert parse_rupiah(f"{number} {unit}").value == number * multiplier


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

DATE_OK: list[tuple[object, datetime.date]] = [
    (D(1985, 8, 17), D(1985, 8, 17)),
    (datetime.datetime(1985, 8, 17, 13, 45), D(1985, 8, 17)),  # noqa: DTZ001
    (31276, D(1985, 8, 17)),
    (31276.0, D(1985, 8, 17)),
    (31276.75, D(1985, 8, 17)),
    (1, D(1900, 1, 1)),
    (59, D(1900, 2, 28)),
    (61, D(1900, 3, 1)),
    ("31276", D(1985, 8, 17)),
    ("17-08-1985", D(1985, 8, 17)),
    ("17/08/1985", D(1985, 8, 17)),
    ("17.08.1985", D(1985, 8, 17)),
    ("17 08 1985", D(1985, 8, 17)),
    ("1985-08-17", D(1985, 8, 17)),
    ("1985/08/17", D(1985, 8, 17)),
    ("1985-08-17 00:00:00", D(1985, 8, 17)),
    ("1985-08-17T00:00:00", D(1985, 8, 17)),
    ("17/08/1985 0:00", D(1985, 8, 17)),
    ("17 Agustus 1985", D(1985, 8, 17)),
    ("17 AGUSTUS 1985", D(1985, 8, 17)),
    ("17 Agt 1985", D(1985, 8, 17)),
    ("17 Agt. 1985", D(1985, 8, 17)),
    ("17 Agu 1985", D(1985, 8, 17)),
    ("17 Ags 1985", D(1985, 8, 17)),
    ("17 Aug 1985", D(1985, 8, 17)),
    ("17 August 1985", D(1985, 8, 17)),
    ("17-Agustus-1985", D(1985, 8, 17)),
    ("August 17, 1985", D(1985, 8, 17)),
    ("Sabtu, 17 Agustus 1985", D(1985, 8, 17)),
    ("19850817", D(1985, 8, 17)),
    ("17081985", D(1985, 8, 17)),
    ("08/07/1985", D(1985, 7, 8)),  # Indonesian order: 8 July
    ("1 Januari 2000", D(2000, 1, 1)),
    ("1 Jan 2000", D(2000, 1, 1)),
    ("2 Februari 1990", D(1990, 2, 2)),
    ("2 Feb 1990", D(1990, 2, 2)),
    ("2 Peb 1990", D(1990, 2, 2)),
    ("2 Pebruari 1990", D(1990, 2, 2)),
    ("3 Maret 1990", D(1990, 3, 3)),
    ("3 Mar 1990", D(1990, 3, 3)),
    ("4 April 1990", D(1990, 4, 4)),
    ("4 Apr 1990", D(1990, 4, 4)),
    ("5 Mei 1990", D(1990, 5, 5)),
    ("6 Juni 1990", D(1990, 6, 6)),
    ("6 Jun 1990", D(1990, 6, 6)),
    ("7 Juli 1990", D(1990, 7, 7)),
    ("7 Jul 1990", D(1990, 7, 7)),
    ("9 September 1990", D(1990, 9, 9)),
    ("9 Sep 1990", D(1990, 9, 9)),
    ("9 Sept 1990", D(1990, 9, 9)),
    ("10 Oktober 1990", D(1990, 10, 10)),
    ("10 Okt 1990", D(1990, 10, 10)),
    ("10 Oct 1990", D(1990, 10, 10)),
    ("11 November 1990", D(1990, 11, 11)),
    ("11 Nov 1990", D(1990, 11, 11)),
    ("11 Nop 1990", D(1990, 11, 11)),
    ("11 Nopember 1990", D(1990, 11, 11)),
    ("12 Desember 1990", D(1990, 12, 12)),
    ("12 Des 1990", D(1990, 12, 12)),
    ("12 Dec 1990", D(1990, 12, 12)),
    ("29-02-2024", D(2024, 2, 29)),
    ("17-08-2030", D(2030, 8, 17)),  # future dates are fine for plain dates
]


@pytest.mark.parametrize(("raw", "expected"), DATE_OK)
def test_date_values(raw: object, expected: datetime.date) -> None:
    assert_clean(parse_date(raw, today=TODAY), expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17-8-85", D(1985, 8, 17)),
        ("17-08-25", D(2025, 8, 17)),  # 25 <= 25 (this year) -> 2025
        ("17-08-26", D(1926, 8, 17)),
        ("17-08-00", D(2000, 8, 17)),
        ("17-Aug-85", D(1985, 8, 17)),
    ],
)
def test_date_two_digit_years_warn(raw: str, expected: datetime.date) -> None:
    result = parse_date(raw, today=TODAY)
    assert result.value == expected
    assert codes(result) == ["date_two_digit_year"]
    assert str(expected.year) in result.issues[0].message


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31-02-2020", "date_impossible"),
        ("29-02-2023", "date_impossible"),
        ("32-01-2020", "date_impossible"),
        ("00-01-2020", "date_impossible"),
        ("2020-13-01", "date_impossible"),
        ("08/17/1985", "date_us_order"),
        ("17 Foo 1985", "date_month_unknown"),
        ("Agustus 1985", "date_incomplete"),
        ("08/1985", "date_incomplete"),
        ("1985", "date_year_only"),
        (1985, "date_year_only"),
        (1985.0, "date_year_only"),
        ("17-08-1850", "date_out_of_range"),
        (60, "date_excel_serial_invalid"),
        (0, "date_invalid"),
        (-5, "date_invalid"),
        (80001, "date_invalid"),
        (float("inf"), "date_invalid"),
        (True, "date_invalid"),
        ("kemarin", "date_invalid"),
        ("17-08", "date_invalid"),
        ("1234567", "date_invalid"),
        ("20100101x", "date_invalid"),
    ],
)
def test_date_errors(raw: object, code: str) -> None:
    assert_error(parse_date(raw, today=TODAY), code)


def test_date_eight_digits_without_separators() -> None:
    # yyyymmdd and ddmmyyyy never clash: a 19xx/20xx year in front leaves month 19/20 behind.
    assert parse_date("20100101", today=TODAY).value == D(2010, 1, 1)
    assert parse_date("01012010", today=TODAY).value == D(2010, 1, 1)
    assert_error(parse_date("99999999", today=TODAY), "date_invalid")


def test_date_us_order_message_suggests_swap() -> None:
    message = parse_date("08/17/1985", today=TODAY).issues[0].message
    assert "17-08-1985" in message


def test_excel_serial_60_message() -> None:
    assert "29 Februari 1900" in parse_date(60, today=TODAY).issues[0].message


def test_format_date_id() -> None:
    assert format_date_id(D(1985, 8, 17)) == "17 Agustus 1985"


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


@given(dates)
def test_date_dmy_round_trip(value: datetime.date) -> None:
    assert parse_date(value.strftime("%d-%m-%Y"), today=TODAY).value == value
    assert parse_date(value.strftime("%d/%m/%Y"), today=TODAY).value == value
    assert parse_date(value.isoformat(), today=TODAY).value == value


@given(dates)
def test_date_indonesian_month_round_trip(value: datetime.date) -> None:
    text = f"{value.day:02d} {MONTHS_ID[value.month - 1]} {value.year}"
    assert parse_date(text, today=TODAY).value == value
    assert parse_date(format_date_id(value), today=TODAY).value == value


@given(st.dates(min_value=D(1900, 3, 1), max_value=D(2119, 1, 1)))
def test_excel_serial_round_trip(value: datetime.date) -> None:
    serial = (value - D(1899, 12, 30)).days
    # A whole number 1900..2100 is read as a bare year, not as a date in 1905.
    assume(not 1900 <= serial <= 2100)
    assert parse_date(serial, today=TODAY).value == value
    assert parse_date(float(serial) + 0.5, today=TODAY).value == value


# --------------------------------------------------------------------------------------------
# Birth dates and TTL
# --------------------------------------------------------------------------------------------


def test_birth_date_ok() -> None:
    assert_clean(parse_birth_date("17-08-1985", today=TODAY), D(1985, 8, 17))
    assert_clean(parse_birth_date(D(1985, 8, 17), today=TODAY), D(1985, 8, 17))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("17-08-2030", "birth_date_future"),
        ("16-06-2025", "birth_date_future"),
        ("01-01-2020", "birth_date_too_young"),
        ("16-06-2015", "birth_date_too_young"),  # 9 until tomorrow
        ("01-01-1900", "birth_date_too_old"),
        ("14-06-1914", "birth_date_too_old"),  # 111
        ("31-02-1985", "date_impossible"),
    ],
)
def test_birth_date_errors(raw: str, code: str) -> None:
    assert_error(parse_birth_date(raw, today=TODAY), code)


@pytest.mark.parametrize(
    ("raw", "expected", "warnings"),
    [
        ("15-06-2015", D(2015, 6, 15), ["birth_date_under_17"]),  # exactly 10
        ("01-01-2010", D(2010, 1, 1), ["birth_date_under_17"]),
        ("15-06-2008", D(2008, 6, 15), []),  # exactly 17
        ("15-06-1915", D(1915, 6, 15), []),  # exactly 110
        ("17-8-85", D(1985, 8, 17), ["date_two_digit_year"]),
    ],
)
def test_birth_date_boundaries(raw: str, expected: datetime.date, warnings: list[str]) -> None:
    result = parse_birth_date(raw, today=TODAY)
    assert result.value == expected
    assert codes(result) == warnings


def test_birth_date_default_today_is_used() -> None:
    assert parse_birth_date("17-08-1985").value == D(1985, 8, 17)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Serang, 17 Agustus 1985", ("Serang", D(1985, 8, 17))),
        ("Serang 17-08-1985", ("Serang", D(1985, 8, 17))),
        ("Serang,17-08-1985", ("Serang", D(1985, 8, 17))),
        ("Kab. Serang / 17/08/1985", ("Kab. Serang", D(1985, 8, 17))),
        ("Kota Serang, 1985-08-17", ("Kota Serang", D(1985, 8, 17))),
        ("Pandeglang, 5 Mei 1990", ("Pandeglang", D(1990, 5, 5))),
        ("  Serang ,  17 Agt 1985 ", ("Serang", D(1985, 8, 17))),
    ],
)
def test_place_and_date(raw: str, expected: tuple[str, datetime.date]) -> None:
    assert_clean(parse_place_and_date(raw, today=TODAY), expected)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("17-08-1985", "ttl_place_missing"),
        (D(1985, 8, 17), "ttl_place_missing"),
        ("Serang", "ttl_invalid"),
        ("Serang, kemarin", "ttl_invalid"),
        ("Serang, 31-02-1985", "date_impossible"),
        ("Serang, 17-08-2030", "birth_date_future"),
    ],
)
def test_place_and_date_errors(raw: object, code: str) -> None:
    assert_error(parse_place_and_date(raw, today=TODAY), code)


def test_place_and_date_passes_warnings() -> None:
    result = parse_place_and_date("Serang, 17-8-85", today=TODAY)
    assert result.value == ("Serang", D(1985, 8, 17))
    assert codes(result) == ["date_two_digit_year"]


# --------------------------------------------------------------------------------------------
# Year
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019", 2019),
        (2019, 2019),
        (2019.0, 2019),
        ("2019.0", 2019),
        ("th 2019", 2019),
        ("Th. 2019", 2019),
        ("thn 2019", 2019),
        ("Tahun 2019", 2019),
        ("sejak 2019", 2019),
        (D(2019, 5, 1), 2019),
        (datetime.datetime(2019, 5, 1, 8, 0), 2019),  # noqa: DTZ001
        ("17-08-2019", 2019),
        ("17 Agustus 2019", 2019),
        ("1900", 1900),
        ("2025", 2025),
    ],
)
def test_year_values(raw: object, expected: int) -> None:
    assert_clean(parse_year(raw, today=TODAY), expected)


def test_year_from_excel_serial() -> None:
    result = parse_year(43466, today=TODAY)  # 2019-01-01
    assert result.value == 2019
    assert codes(result) == ["year_from_excel_serial"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2026", "year_future"),
        (2030, "year_future"),
        ("1899", "year_too_old"),
        (D(1850, 1, 1), "year_too_old"),
        ("19", "year_invalid"),
        ("2019/2020", "year_invalid"),
        ("dulu", "year_invalid"),
        (2019.5, "year_invalid"),
        (True, "year_invalid"),
        (5, "year_invalid"),
    ],
)
def test_year_errors(raw: object, code: str) -> None:
    assert_error(parse_year(raw, today=TODAY), code)


@given(st.integers(min_value=1900, max_value=TODAY.year))
def test_year_round_trip(year: int) -> None:
    assert parse_year(str(year), today=TODAY).value == year
    assert parse_year(year, today=TODAY).value == year
    assert parse_year(float(year), today=TODAY).value == year


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        (3, 3),
        (3.0, 3),
        ("3.0", 3),
        ("3 orang", 3),
        ("3 org", 3),
        ("3 pekerja", 3),
        ("12 karyawan", 12),
        ("tiga", 3),
        ("tiga orang", 3),
        ("0", 0),
        (0, 0),
        ("tidak ada", 0),
        ("1.000", 1000),
        ("100000", 100_000),
    ],
)
def test_count_values(raw: object, expected: int) -> None:
    assert_clean(parse_int_count(raw), expected)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2-3", "count_range"),
        ("2 - 3 orang", "count_range"),
        ("2 s/d 3", "count_range"),
        (-1, "count_negative"),
        ("-2", "count_negative"),
        (2.5, "count_not_whole"),
        ("2,5", "count_not_whole"),
        (100_001, "count_too_large"),
        ("150.000", "count_too_large"),
        ("banyak", "count_invalid"),
        ("orang", "count_invalid"),
        (True, "count_invalid"),
        (float("inf"), "count_invalid"),
    ],
)
def test_count_errors(raw: object, code: str) -> None:
    assert_error(parse_int_count(raw), code)


# --------------------------------------------------------------------------------------------
# Yes / no and certificates
# --------------------------------------------------------------------------------------------

YES = ["ya", "Ya", "YA", "y", "yes", "iya", "ada", "Sudah", "sudah ada", "punya", "memiliki"]
YES += ["1", 1, 1.0, True, "true", "TRUE", "✓", "✔", "√", "v", "V", "x", "X", "benar"]
NO = ["tidak", "Tidak", "tdk", "t", "no", "n", "N", "belum", "blm", "0", 0, 0.0, False]
NO += ["false", "FALSE", "-", "tidak ada", "belum ada", "belum punya", "gak"]


@pytest.mark.parametrize("raw", YES)
def test_yes(raw: object) -> None:
    assert_clean(parse_yes_no(raw), True)


@pytest.mark.parametrize("raw", NO)
def test_no(raw: object) -> None:
    assert_clean(parse_yes_no(raw), False)


@pytest.mark.parametrize("raw", ["mungkin", "2", 2, 0.5, "ya tidak", D(2020, 1, 1)])
def test_yes_no_invalid(raw: object) -> None:
    result = parse_yes_no(raw)
    assert_error(result, "yesno_invalid")
    message = result.issues[0].message
    assert "ya" in message and "tidak" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ya", (True, "")),
        ("Sudah", (True, "")),
        ("tidak", (False, "")),
        ("belum", (False, "")),
        ("-", (False, "")),
        ("ID36110000123450823", (True, "ID36110000123450823")),
        ("P-IRT 2063673010123-29", (True, "P-IRT 2063673010123-29")),
        ("MD 235602169254", (True, "MD 235602169254")),
        ("md 235602169254", (True, "MD 235602169254")),
        ("Ada, No. 123456", (True, "123456")),
        ("Sudah (ID36110000123450823)", (True, "ID36110000123450823")),
        ("No. P-IRT 2063673010123-29", (True, "P-IRT 2063673010123-29")),
        (235602169254, (True, "235602169254")),
        (235602169254.0, (True, "235602169254")),
    ],
)
def test_certificate(raw: object, expected: tuple[bool, str]) -> None:
    assert_clean(parse_certificate(raw), expected)


def test_certificate_in_process() -> None:
    for raw in ("proses", "Sedang diproses", "dalam pengajuan"):
        result = parse_certificate(raw)
        assert result.value == (False, "")
        assert codes(result) == ["cert_in_process"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("halal", "cert_invalid"),
        ("belum 1234", "cert_invalid"),
        ("ID", "cert_invalid"),
        ("2,35602E+11", "cert_excel_damaged"),
        (2.3560216925412345e16, "cert_excel_damaged"),
        (D(2020, 1, 1), "cert_invalid"),
    ],
)
def test_certificate_errors(raw: object, code: str) -> None:
    assert_error(parse_certificate(raw), code)


# --------------------------------------------------------------------------------------------
# Sex
# --------------------------------------------------------------------------------------------

MALE = ["L", "l", "Laki-laki", "LAKI-LAKI", "Laki laki", "Lakilaki", "Pria", "Lk", "Male", "M"]
FEMALE = ["P", "p", "Perempuan", "PEREMPUAN", "Wanita", "Pr", "Female", "F", "W"]


@pytest.mark.parametrize("raw", MALE)
def test_sex_male(raw: str) -> None:
    assert_clean(parse_sex(raw), "L")


@pytest.mark.parametrize("raw", FEMALE)
def test_sex_female(raw: str) -> None:
    assert_clean(parse_sex(raw), "P")


@pytest.mark.parametrize("raw", ["1", 1, 2, "X", "laki-laki/perempuan", "LP"])
def test_sex_invalid(raw: object) -> None:
    assert_error(parse_sex(raw), "sex_invalid")


# --------------------------------------------------------------------------------------------
# RT / RW
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "RT 02/RW 05",
        "RT 02 / RW 05",
        "02/05",
        "2/5",
        "RT.002 RW.005",
        "RT 2 RW 5",
        "Rt. 02, Rw. 05",
        "002/005",
        "RT/RW 02/05",
        "RT/RW: 002/005",
        "RT02RW05",
        "2-5",
        "RW 05 RT 02",
        "R.T. 2 R.W. 5",
    ],
)
def test_rt_rw(raw: str) -> None:
    assert_clean(parse_rt_rw(raw), ("002", "005"))


def test_rt_rw_pads_to_three_digits() -> None:
    assert_clean(parse_rt_rw("12/123"), ("012", "123"))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("RT 02", "rt_rw_missing_rw"),
        ("00/05", "rt_rw_zero"),
        ("02/000", "rt_rw_zero"),
        ("1000/2", "rt_rw_invalid"),
        ("0205", "rt_rw_invalid"),
        ("abc", "rt_rw_invalid"),
        (2.5, "rt_rw_invalid"),
        (D(2025, 5, 2), "rt_rw_excel_date"),
        (datetime.datetime(2025, 5, 2), "rt_rw_excel_date"),  # noqa: DTZ001
    ],
)
def test_rt_rw_errors(raw: object, code: str) -> None:
    assert_error(parse_rt_rw(raw), code)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Kp. Cibogo RT 02/05 Kel. Cipare", ("Kp. Cibogo Kel. Cipare", "002", "005")),
        ("Jl. Mawar No. 5, RT 002 RW 005, Cipare", ("Jl. Mawar No. 5, Cipare", "002", "005")),
        ("Kp. Sawah Rt 01 Rw 02 Ds. Y", ("Kp. Sawah Ds. Y", "001", "002")),
        ("Link. Pabuaran RT/RW 003/010", ("Link. Pabuaran", "003", "010")),
        ("Kp. Baru RT.3 Kel. X", ("Kp. Baru Kel. X", "003", None)),
        ("Kp. Baru RW 07", ("Kp. Baru", None, "007")),
        ("Jl. A RT 3, No. 12", ("Jl. A, No. 12", "003", None)),
        ("Jl. Mawar No. 5", ("Jl. Mawar No. 5", None, None)),
        ("Jl. Mawar 02/05", ("Jl. Mawar 02/05", None, None)),  # unlabelled: left alone
        ("Perumahan Ciracas Indah", ("Perumahan Ciracas Indah", None, None)),  # no "rt" inside
        ("", ("", None, None)),
    ],
)
def test_split_address_rt_rw(address: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_address_rt_rw(address) == expected


# --------------------------------------------------------------------------------------------
# Sector
# --------------------------------------------------------------------------------------------

SECTOR_OK: dict[str, list[str]] = {
    "kuliner": [
        "Makanan",
        "Makanan dan Minuman",
        "Mamin",
        "F&B",
        "F & B",
        "FnB",
        "Kuliner",
        "Catering",
        "Katering",
        "Kue",
        "Kue basah",
        "Warung makan",
        "Jasa catering",
        "Olahan pangan",
    ],
    "fesyen": ["Fashion", "Fesyen", "Konveksi", "Pakaian", "Batik", "Busana", "Jahit", "Jahitan"],
    "kriya": ["Kerajinan", "Kriya", "Handicraft", "Anyaman", "Kerajinan tangan", "Gerabah"],
    "jasa": ["Jasa", "Servis", "Service", "Laundry", "Salon", "Bengkel", "Bengkel motor"],
    "perdagangan": [
        "Dagang",
        "Perdagangan",
        "Warung",
        "Toko",
        "Kelontong",
        "Toko kelontong",
        "Sembako",
        "Warung sembako",
        "Retail",
    ],
    "pertanian": [
        "Pertanian",
        "Perikanan",
        "Peternakan",
        "Budidaya",
        "Budidaya lele",
        "Tani",
        "Pertanian & perikanan",
    ],
    "lainnya": ["Lainnya", "Lain-lain", "lain lain", "LAINNYA"],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(raw, code) for code, raws in SECTOR_OK.items() for raw in raws],
)
def test_sector(raw: str, expected: str) -> None:
    assert_clean(parse_sector(raw), expected)


def test_sector_codes_are_the_registry_codes() -> None:
    assert values.SECTOR_CODES == (
        "kuliner",
        "fesyen",
        "kriya",
        "jasa",
        "perdagangan",
        "pertanian",
        "lainnya",
    )


@pytest.mark.parametrize("code", values.SECTOR_CODES)
def test_sector_code_itself(code: str) -> None:
    assert_clean(parse_sector(code), code)


def test_sector_unknown_is_never_silently_lainnya() -> None:
    result = parse_sector("Otomotif")
    assert_error(result, "sector_unknown")
    assert "kuliner, fesyen" in result.issues[0].message


@pytest.mark.parametrize(("raw", "suggested"), [("Kulinerr", "kuliner"), ("Kerajnan", "kriya")])
def test_sector_typo_gets_a_suggestion(raw: str, suggested: str) -> None:
    result = parse_sector(raw)
    assert_error(result, "sector_unknown")
    assert "Mungkin maksudnya" in result.issues[0].message
    assert suggested in result.issues[0].message


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Toko baju", "sector_ambiguous"), ("10794", "sector_kbli"), (12, "sector_kbli")],
)
def test_sector_errors(raw: object, code: str) -> None:
    assert_error(parse_sector(raw), code)


# --------------------------------------------------------------------------------------------
# Legal form
# --------------------------------------------------------------------------------------------

LEGAL_OK: list[tuple[str, str]] = [
    ("P.T.", "PT"),
    ("PT.", "PT"),
    ("Pt", "PT"),
    ("PT", "PT"),
    ("Perseroan Terbatas", "PT"),
    ("C.V.", "CV"),
    ("CV", "CV"),
    ("cv.", "CV"),
    ("UD", "UD"),
    ("U.D.", "UD"),
    ("Usaha Dagang", "UD"),
    ("Koperasi", "KOPERASI"),
    ("KSP", "KOPERASI"),
    ("KSU", "KOPERASI"),
    ("Koperasi Serba Usaha", "KOPERASI"),
    ("Perorangan", "PERORANGAN"),
    ("Perseorangan", "PERORANGAN"),
    ("Individu", "PERORANGAN"),
    ("-", "PERORANGAN"),
    ("Belum berbadan hukum", "PERORANGAN"),
    ("PT Perorangan", "PT_PERORANGAN"),
    ("PT Perseorangan", "PT_PERORANGAN"),
    ("PT. Perorangan", "PT_PERORANGAN"),
    ("Firma", "FIRMA"),
    ("Fa.", "FIRMA"),
    ("Lainnya", "LAINNYA"),
    ("Yayasan", "LAINNYA"),
]


@pytest.mark.parametrize(("raw", "expected"), LEGAL_OK)
def test_legal_form(raw: str, expected: str) -> None:
    assert_clean(parse_legal_form(raw), expected)
    assert expected in values.LEGAL_FORMS


@pytest.mark.parametrize(("raw", "expected"), [("CV. Maju Jaya", "CV"), ("PT Sinar Abadi", "PT")])
def test_legal_form_from_business_name_warns(raw: str, expected: str) -> None:
    result = parse_legal_form(raw)
    assert result.value == expected
    assert codes(result) == ["legal_form_from_name"]


@pytest.mark.parametrize("raw", ["abc", "Perorangn", 5])
def test_legal_form_unknown(raw: object) -> None:
    assert_error(parse_legal_form(raw), "legal_form_unknown")


def test_legal_form_unknown_suggests() -> None:
    assert "Perorangan?" in parse_legal_form("Perorangn").issues[0].message


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-6.1203, 106.1503", (-6.1203, 106.1503)),
        ("-6.1203,106.1503", (-6.1203, 106.1503)),
        ("-6.1203 106.1503", (-6.1203, 106.1503)),
        ("-6,1203; 106,1503", (-6.1203, 106.1503)),
        ("-6,1203, 106,1503", (-6.1203, 106.1503)),
        ("(-6.1203, 106.1503)", (-6.1203, 106.1503)),
        ("lat: -6.1203, long: 106.1503", (-6.1203, 106.1503)),
        ("-6.1203 106.1503 25.0 5.0", (-6.1203, 106.1503)),
        ("-6.1203 106.1503 25.0", (-6.1203, 106.1503)),
        ("https://www.google.com/maps/@-6.1203,106.1503,17z", (-6.1203, 106.1503)),
        ("https://maps.google.com/?q=-6.1203,106.1503", (-6.1203, 106.1503)),
        ((-6.1203, 106.1503), (-6.1203, 106.1503)),
        ("5.55, 95.32", (5.55, 95.32)),  # Banda Aceh, north of the equator
    ],
)
def test_coordinates_decimal(raw: object, expected: tuple[float, float]) -> None:
    assert_clean(parse_coordinates(raw), expected)


@pytest.mark.parametrize(
    "raw",
    [
        "6°07'13\"S 106°09'01\"E",
        "6°07'13\" S, 106°09'01\" E",
        "6°07'13''S 106°09'01''E",
        "6°07′13″S 106°09′01″E",
        "6°07'13\" LS 106°09'01\" BT",
        "-6°07'13\" 106°09'01\"",
        "106°09'01\"E 6°07'13\"S",
    ],
)
def test_coordinates_dms(raw: str) -> None:
    result = parse_coordinates(raw)
    assert result.issues == ()
    assert result.value is not None
    lat, lon = result.value
    assert lat == pytest.approx(-(6 + 7 / 60 + 13 / 3600))
    assert lon == pytest.approx(106 + 9 / 60 + 1 / 3600)


def test_coordinates_decimal_degrees_with_symbols() -> None:
    result = parse_coordinates("6.1203°S 106.1503°E")
    assert result.value == pytest.approx((-6.1203, 106.1503))


def test_coordinates_swapped_are_fixed_with_warning() -> None:
    result = parse_coordinates("106.1503, -6.1203")
    assert result.value == (-6.1203, 106.1503)
    assert codes(result) == ["coord_swapped"]
    assert result.ok


def test_coordinates_kobo_low_accuracy() -> None:
    result = parse_coordinates("-6.1203 106.1503 25.0 250.0")
    assert result.value == (-6.1203, 106.1503)
    assert codes(result) == ["coord_low_accuracy"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("51.5074, -0.1278", "coord_outside_indonesia"),  # London
        ("0, 0", "coord_outside_indonesia"),
        ("6.1203, 150.0", "coord_outside_indonesia"),
        ("-12.0, 106.0", "coord_outside_indonesia"),
        ("abc", "coord_invalid"),
        ("-6.1203", "coord_invalid"),
        ("-6.12 106.15 1 2 3", "coord_invalid"),
        ("-6,106", "coord_invalid"),
        ("nan, inf", "coord_invalid"),
        ("6°07'13\"S 6°07'13\"S", "coord_invalid"),
        (-6.12, "coord_invalid"),
    ],
)
def test_coordinates_errors(raw: object, code: str) -> None:
    assert_error(parse_coordinates(raw), code)


@given(
    st.floats(min_value=-11.5, max_value=6.5, allow_nan=False),
    st.floats(min_value=94.5, max_value=141.5, allow_nan=False),
)
def test_coordinates_round_trip(lat: float, lon: float) -> None:
    assert parse_coordinates(f"{lat:.6f}, {lon:.6f}").value == (
        float(f"{lat:.6f}"),
        float(f"{lon:.6f}"),
    )
    swapped = parse_coordinates(f"{lon:.6f}, {lat:.6f}")
    assert swapped.value == (float(f"{lat:.6f}"), float(f"{lon:.6f}"))


# --------------------------------------------------------------------------------------------
# Market channels
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Shopee, Tokopedia, IG",
            [
                ("MARKETPLACE", "Shopee"),
                ("MARKETPLACE", "Tokopedia"),
                ("MEDIA_SOSIAL", "Instagram"),
            ],
        ),
        (
            "Indomaret; Alfamart / Alfamidi",
            [
                ("RITEL_MODERN", "Indomaret"),
                ("RITEL_MODERN", "Alfamart"),
                ("RITEL_MODERN", "Alfamidi"),
            ],
        ),
        (
            "WA, WhatsApp, Facebook, FB, Instagram, IG, TikTok",
            [
                ("MEDIA_SOSIAL", "WhatsApp"),
                ("MEDIA_SOSIAL", "Facebook"),
                ("MEDIA_SOSIAL", "Instagram"),
                ("MEDIA_SOSIAL", "TikTok"),
            ],
        ),
        ("TikTok Shop", [("MARKETPLACE", "TikTok Shop")]),
        ("TikTok, TikTok Shop", [("MEDIA_SOSIAL", "TikTok"), ("MARKETPLACE", "TikTok Shop")]),
        ("Pasar Rau", [("PASAR_TRADISIONAL", "Pasar Rau")]),
        ("pasar", [("PASAR_TRADISIONAL", "Pasar")]),
        ("affiliate", [("AFILIASI", "Afiliasi")]),
        ("Afiliasi", [("AFILIASI", "Afiliasi")]),
        ("Toko sendiri", [("OFFLINE", "Toko sendiri")]),
        ("Shopee dan Tokopedia", [("MARKETPLACE", "Shopee"), ("MARKETPLACE", "Tokopedia")]),
        ("Shopee & Lazada", [("MARKETPLACE", "Shopee"), ("MARKETPLACE", "Lazada")]),
        ("- Shopee\n- IG", [("MARKETPLACE", "Shopee"), ("MEDIA_SOSIAL", "Instagram")]),
        ("1. Shopee\n2. WA", [("MARKETPLACE", "Shopee"), ("MEDIA_SOSIAL", "WhatsApp")]),
        ("Instagram (@toko_ani)", [("MEDIA_SOSIAL", "Instagram")]),
        ("Shopee, shopee, SHOPEE", [("MARKETPLACE", "Shopee")]),
    ],
)
def test_channels(raw: str, expected: list[tuple[str, str]]) -> None:
    assert_clean(parse_channels(raw), expected)


def test_channels_unknown_kept_as_offline_with_warning() -> None:
    result = parse_channels("Shopee, Bazar kampus")
    assert result.value == [("MARKETPLACE", "Shopee"), ("OFFLINE", "Bazar kampus")]
    assert codes(result) == ["channel_unknown"]
    assert "Bazar kampus" in result.issues[0].message


def test_channels_vague_online() -> None:
    result = parse_channels("online")
    assert result.value == [("MARKETPLACE", "Online")]
    assert codes(result) == ["channel_vague"]


def test_channel_kinds_are_known() -> None:
    result = parse_channels("Shopee, IG, Indomaret, Pasar Rau, afiliasi, toko, entah")
    assert result.value is not None
    assert {kind for kind, _ in result.value} == set(values.CHANNEL_KINDS)


def test_channels_non_text() -> None:
    assert_error(parse_channels(5), "channel_invalid")


def test_channels_only_separators_is_empty() -> None:
    assert_clean(parse_channels(", ,;"), None)


# --------------------------------------------------------------------------------------------
# Totality: no parser raises, errors never carry a value
# --------------------------------------------------------------------------------------------

cells = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789.,-/ RpjtMrbT°'\"SEabcdefghijklmnopqrstuvwxyz", max_size=40),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_parsers_never_raise(raw: object) -> None:
    for parser in ALL_PARSERS.values():
        result = parser(raw)
        assert isinstance(result, Parsed)
        if not result.ok:
            assert result.value is None
        for issue in result.issues:
            assert issue.severity in ("error", "warning")
            assert issue.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_split_address_never_raises(address: str) -> None:
    rest, rt, rw = split_address_rt_rw(address)
    assert isinstance(rest, str)
    for part in (rt, rw):
        assert part is None or (len(part) == 3 and part.isdigit())


@given(st.text(max_size=400))
def test_overlong_and_odd_text(text: str) -> None:
    result = parse_rupiah(text * 3)
    assert result.value is None or isinstance(result.value, int)


def test_long_digit_string_does_not_hit_int_limits() -> None:
    digits = "9" * 5000
    for parser in ALL_PARSERS.values():
        assert parser(digits).value is None


def test_remembered_parsers_answer_the_same_and_keep_types_apart() -> None:
    first = values.parse_sector("Kuliner (makanan)")
    assert values.parse_sector("Kuliner (makanan)") is first  # remembered, immutable
    assert values.parse_yes_no(True).value is True
    assert values.parse_yes_no(1.0) == values.parse_yes_no.__wrapped__(1.0)  # type: ignore[attr-defined]
    # unhashable input (a JSON correction) is parsed, not rejected by the cache
    assert values.parse_sector(["kuliner"]) == values.parse_sector.__wrapped__(["kuliner"])  # type: ignore[attr-defined]
