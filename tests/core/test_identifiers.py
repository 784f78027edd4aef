"""Tests for naikkelas.core.identifiers (pure: no database, no Django settings).

All NIKs here are synthetic: they are built from a region code, a birth date, a sex and a
serial of 9000 or above. NPWPs are built with a freshly computed Luhn check digit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from naikkelas.core.identifiers import (  # noqa: I001
    _PHONE_CHARS,
    IdentifierResult,
    Issue,
    NikInfo,
    _fast_id_mobile,
    _parse_phone_text,
    format_nik,
    looks_excel_damaged,
    mask_nik,
    mask_phone,
    parse_nib,
    parse_nik,
    parse_npwp,
    parse_phone,
)

TODAY = datetime.date(2025, 6, 15)
REGION = "367306"


def make_nik(
    birth: datetime.date,
    sex: str = "L",
    serial: int = 9001,
    region: str = REGION,
) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def raw_nik(ddmmyy: str, serial: str = "9001", region: str = REGION) -> str:
    return f"{region}{ddmmyy}{serial}"


def codes(result: NikInfo | IdentifierResult) -> list[str]:
    return [issue.code for issue in result.issues]


def legacy_npwp(body8: str, office: str = "999", branch: str = "000") -> str:
    """A 15-digit legacy NPWP with a valid Luhn check digit as its 9th digit."""
    return body8 + luhn.calc_check_digit(body8) + office + branch


# --------------------------------------------------------------------------------------------
# Hypothesis strategies
# --------------------------------------------------------------------------------------------

regions = st.integers(min_value=110000, max_value=949999).map(str)
# Birth dates the century rule can recover: within the last 100 years, not in the future.
birth_dates = st.dates(min_value=datetime.date(1925, 6, 16), max_value=TODAY)
sexes = st.sampled_from(["L", "P"])
serials = st.integers(min_value=9000, max_value=9999)


@st.composite
def valid_niks(draw: st.DrawFn) -> tuple[str, str, datetime.date, str]:
    region = draw(regions)
    birth = draw(birth_dates)
    sex = draw(sexes)
    nik = make_nik(birth, sex, draw(serials), region)
    return nik, region, birth, sex


def _interleave(digits: str, separators: list[str]) -> Iterator[str]:
    for digit, separator in zip(digits, separators, strict=False):
        yield digit + separator
    yield digits[len(separators) :]


separator_lists = st.lists(
    st.sampled_from(["", " ", ".", "-", "  ", " - "]), min_size=15, max_size=15
)


# --------------------------------------------------------------------------------------------
# NIK: properties
# --------------------------------------------------------------------------------------------


@given(valid_niks())
def test_valid_nik_parses_ok_and_round_trips(case: tuple[str, str, datetime.date, str]) -> None:
    nik, region, birth, sex = case
    info = parse_nik(nik, today=TODAY)
    assert info.ok, info.issues
    assert info.errors == ()
    assert info.nik == nik
    assert info.region_code == region
    assert info.birth_date == birth
    assert info.sex == sex


@given(valid_niks(), separator_lists)
def test_separators_do_not_change_the_result(
    case: tuple[str, str, datetime.date, str], separators: list[str]
) -> None:
    nik = case[0]
    formatted = "".join(_interleave(nik, separators))
    # "367306120585900.0" reads as a damaged float, not as a grouped NIK: tested elsewhere.
    assume(not looks_excel_damaged(formatted))
    assert parse_nik(formatted, today=TODAY) == parse_nik(nik, today=TODAY)


@given(valid_niks())
def test_int_input_equals_text_input(case: tuple[str, str, datetime.date, str]) -> None:
    nik = case[0]
    assert parse_nik(int(nik), today=TODAY) == parse_nik(nik, today=TODAY)


@given(st.text(alphabet="0123456789", max_size=40).filter(lambda s: len(s) != 16), separator_lists)
def test_digit_count_other_than_16_is_an_error(digits: str, separators: list[str]) -> None:
    formatted = "".join(_interleave(digits, separators)) if digits else digits
    info = parse_nik(formatted, today=TODAY)
    assert not info.ok
    assert info.nik is None
    if not digits:
        assert codes(info) == ["nik_empty"]
    elif looks_excel_damaged(formatted):  # e.g. "1.0"
        assert codes(info) == ["nik_excel_float"]
    else:
        assert codes(info) == ["nik_length"]


@given(valid_niks())
def test_excel_renderings_of_a_valid_nik_are_always_flagged(
    case: tuple[str, str, datetime.date, str],
) -> None:
    nik = case[0]
    number = int(nik)
    renderings: list[str | float] = [
        float(number),
        str(float(number)),
        repr(float(number)),
        f"{number:e}",
        f"{number:E}",
        f"{number:.5E}",
        f"{number:.5E}".replace(".", ","),
        f"{number:.14e}",
        f"{number:.15e}",
        f"{number:.14E}".replace(".", ","),
    ]
    for rendering in renderings:
        info = parse_nik(rendering, today=TODAY)
        assert not info.ok, rendering
        assert info.nik is None
        assert codes(info)[0] in {"nik_excel_scientific", "nik_excel_float"}, rendering
        assert looks_excel_damaged(rendering), rendering


@given(st.text(alphabet="0123456789 .-'", max_size=30))
def test_parse_is_idempotent(raw: str) -> None:
    first = parse_nik(raw, today=TODAY)
    if first.ok:
        assert first.nik is not None
        assert parse_nik(first.nik, today=TODAY) == first
    else:
        assert first.nik is None


@given(valid_niks())
def test_parse_is_idempotent_on_valid_niks(case: tuple[str, str, datetime.date, str]) -> None:
    first = parse_nik(format_nik(case[0]), today=TODAY)
    assert first.nik is not None
    assert parse_nik(first.nik, today=TODAY) == first


@given(st.one_of(st.none(), st.text(), st.integers(), st.floats()))
def test_parse_nik_never_raises(raw: str | int | float | None) -> None:
    info = parse_nik(raw, today=TODAY)
    assert info.ok == (info.nik is not None)
    assert all(isinstance(issue, Issue) for issue in info.issues)


@given(valid_niks(), separator_lists)
def test_mask_nik_never_reveals_the_middle(
    case: tuple[str, str, datetime.date, str], separators: list[str]
) -> None:
    nik = case[0]
    for value in (nik, format_nik(nik), "".join(_interleave(nik, separators))):
        masked = mask_nik(value)
        assert masked == nik[:4] + "********" + nik[12:]
        assert nik[4:12] not in masked


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_mask_nik_shows_at_most_eight_digits_of_anything(value: str) -> None:
    masked = mask_nik(value)
    assert len(masked) == len(value)
    assert sum(ch != "*" for ch in masked) <= 8


# --------------------------------------------------------------------------------------------
# NIK: boundaries
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ddmmyy", "birth", "sex"),
    [
        ("010185", datetime.date(1985, 1, 1), "L"),
        ("310185", datetime.date(1985, 1, 31), "L"),
        ("410185", datetime.date(1985, 1, 1), "P"),
        ("710185", datetime.date(1985, 1, 31), "P"),
        ("300485", datetime.date(1985, 4, 30), "L"),
        ("700485", datetime.date(1985, 4, 30), "P"),
        ("290200", datetime.date(2000, 2, 29), "L"),  # 2000 is a leap year
        ("690204", datetime.date(2004, 2, 29), "P"),
        ("290296", datetime.date(1996, 2, 29), "L"),
        ("311299", datetime.date(1999, 12, 31), "L"),
    ],
)
def test_nik_valid_dates(ddmmyy: str, birth: datetime.date, sex: str) -> None:
    info = parse_nik(raw_nik(ddmmyy), today=TODAY)
    assert info.ok, info.issues
    assert info.birth_date == birth
    assert info.sex == sex


@pytest.mark.parametrize(
    "ddmmyy",
    [
        "000185",  # day 0
        "320185",  # day 32
        "400185",  # day 40 = women's day 0
        "720185",  # day 72 = women's day 32
        "990185",
        "310485",  # 31 April
        "710485",  # 31 April, woman
        "290201",  # 29 February 2001 / 1901
        "690297",  # 29 February 1997, woman
        "300296",  # 30 February
        "150085",  # month 0
        "151385",  # month 13
    ],
)
def test_nik_impossible_dates_are_errors(ddmmyy: str) -> None:
    info = parse_nik(raw_nik(ddmmyy), today=TODAY)
    assert not info.ok
    assert codes(info) == ["nik_birth_date"]
    assert info.nik is None
    assert info.birth_date is None
    assert info.sex is None
    assert ddmmyy in info.errors[0].message


@pytest.mark.parametrize(
    ("ddmmyy", "birth"),
    [
        ("150625", datetime.date(2025, 6, 15)),  # today: this century
        ("160625", datetime.date(1925, 6, 16)),  # tomorrow in 2025, so 1925
        ("010124", datetime.date(2024, 1, 1)),
        ("010126", datetime.date(1926, 1, 1)),
        ("010150", datetime.date(1950, 1, 1)),
    ],
)
def test_nik_century_never_in_the_future(ddmmyy: str, birth: datetime.date) -> None:
    info = parse_nik(raw_nik(ddmmyy), today=TODAY)
    assert info.birth_date == birth
    assert info.birth_date <= TODAY


def test_nik_serial_0000_is_an_error() -> None:
    info = parse_nik(raw_nik("120585", serial="0000"), today=TODAY)
    assert codes(info) == ["nik_serial"]
    assert not info.ok


def test_nik_serial_0000_and_bad_date_report_both() -> None:
    info = parse_nik(raw_nik("310485", serial="0000"), today=TODAY)
    assert codes(info) == ["nik_birth_date", "nik_serial"]


@pytest.mark.parametrize("serial", ["9000", "9010", "9990"])
def test_nik_trailing_zero_is_only_a_warning(serial: str) -> None:
    info = parse_nik(raw_nik("120585", serial=serial), today=TODAY)
    assert info.ok
    assert codes(info) == ["nik_excel_trailing_zero"]
    assert info.warnings[0].severity == "warning"
    assert "Excel" in info.warnings[0].message


def test_nik_under_17_boundary() -> None:
    seventeen_today = parse_nik(make_nik(datetime.date(2008, 6, 15)), today=TODAY)
    assert seventeen_today.ok
    assert codes(seventeen_today) == []
    one_day_short = parse_nik(make_nik(datetime.date(2008, 6, 16)), today=TODAY)
    assert one_day_short.ok  # a warning, not an error
    assert codes(one_day_short) == ["nik_under_17"]
    assert "di bawah 17 tahun" in one_day_short.warnings[0].message


def test_nik_oldest_recoverable_age_is_99_without_warning() -> None:
    info = parse_nik(make_nik(datetime.date(1925, 6, 16)), today=TODAY)
    assert info.ok
    assert codes(info) == []


def test_nik_today_defaults_to_the_current_date() -> None:
    info = parse_nik(make_nik(datetime.date(1985, 5, 12)))
    assert info.ok
    assert info.birth_date == datetime.date(1985, 5, 12)


class OnlyContains:
    """A Container that supports nothing but ``in``."""

    def __init__(self, *codes: str) -> None:
        self._codes = set(codes)

    def __contains__(self, item: object) -> bool:
        return item in self._codes


def test_nik_known_regions() -> None:
    nik = make_nik(datetime.date(1985, 5, 12))
    assert codes(parse_nik(nik, known_regions={REGION}, today=TODAY)) == []
    assert codes(parse_nik(nik, known_regions=OnlyContains(REGION), today=TODAY)) == []
    unknown = parse_nik(nik, known_regions={"367301", "3673"}, today=TODAY)
    assert unknown.ok
    assert unknown.region_code == REGION
    assert codes(unknown) == ["nik_region_unknown"]
    assert REGION in unknown.warnings[0].message
    assert codes(parse_nik(nik, known_regions=frozenset(), today=TODAY)) == ["nik_region_unknown"]


@pytest.mark.parametrize(
    "raw",
    [
        "3673 0612 0585 9001",
        "3673.0612.0585.9001",
        "3673-0612-0585-9001",
        "367306-120585-9001",
        "  3673061205859001\n",
        "\u00a03673\u00a00612\u00a00585\u00a09001",
        "'3673061205859001",  # Excel "force text" apostrophe
        3673061205859001,
    ],
)
def test_nik_accepted_spellings(raw: str | int) -> None:
    info = parse_nik(raw, today=TODAY)
    assert info.ok, info.issues
    assert info.nik == "3673061205859001"
    assert info.region_code == "367306"
    assert info.birth_date == datetime.date(1985, 5, 12)
    assert info.sex == "L"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "nik_empty"),
        ("", "nik_empty"),
        ("   ", "nik_empty"),
        (float("nan"), "nik_empty"),  # an empty cell read by pandas
        ("3673O61205859001", "nik_not_digits"),  # letter O
        ("3673/0612/0585/9001", "nik_not_digits"),
        ("NIK 3673061205859001", "nik_not_digits"),
        ("\u0663673061205859001", "nik_not_digits"),  # Arabic-Indic digit
        (-3673061205859001, "nik_not_digits"),
        ("367306120585901", "nik_length"),
        ("36730612058590011", "nik_length"),
        ("3.67301E+15", "nik_excel_scientific"),
        ("3,67301E+15", "nik_excel_scientific"),
        ("3.673061205850001e15", "nik_excel_scientific"),
        ("3.67301e+15", "nik_excel_scientific"),
        (" 3,67306E15 ", "nik_excel_scientific"),
        ("3673061205859001.0", "nik_excel_float"),
        ("3673061205859001,00", "nik_excel_float"),
        (3673061205859001.0, "nik_excel_float"),
        (3.673061205859001e15, "nik_excel_float"),
        (float("inf"), "nik_excel_float"),
    ],
)
def test_nik_errors(raw: str | int | float | None, code: str) -> None:
    info = parse_nik(raw, today=TODAY)
    assert not info.ok
    assert codes(info) == [code]
    assert info.errors[0].severity == "error"
    assert info == NikInfo(None, None, None, None, info.issues)


def test_nik_length_message_has_the_digit_count() -> None:
    info = parse_nik("367306120585901", today=TODAY)
    assert info.errors[0].message == "NIK harus 16 digit angka (sekarang 15 digit)."


def test_nik_excel_scientific_message_says_retype_from_ktp() -> None:
    message = parse_nik("3,67306E+15").errors[0].message
    assert "Excel" in message
    assert "KTP" in message


def test_ok_errors_warnings_accessors() -> None:
    info = parse_nik(raw_nik("120510", serial="9000"), known_regions=set(), today=TODAY)
    assert info.ok
    assert info.errors == ()
    assert {issue.code for issue in info.warnings} == {
        "nik_excel_trailing_zero",
        "nik_region_unknown",
        "nik_under_17",
    }


@pytest.mark.parametrize(
    ("raw", "damaged"),
    [
        ("3.67301E+15", True),
        ("3,67301E+15", True),
        ("3673061205859001.0", True),
        (3673061205859001.0, True),
        (12.5, True),
        ("3673061205859001", False),
        ("3673 0612 0585 9000", False),  # only "maybe": parse_nik warns
        (3673061205859001, False),
        ("", False),
        (None, False),
        (float("nan"), False),
        ("Budi", False),
    ],
)
def test_looks_excel_damaged(raw: str | int | float | None, damaged: bool) -> None:
    assert looks_excel_damaged(raw) is damaged


def test_format_nik() -> None:
    assert format_nik("3673061205859001") == "3673 0612 0585 9001"
    assert format_nik("3673.0612.0585.9001") == "3673 0612 0585 9001"
    assert format_nik(" 12345 ") == "12345"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("3673061205859001", "3673********9001"),
        ("3673 0612 0585 9001", "3673********9001"),
        ("0013121669999000", "0013********9000"),  # a 16-digit NPWP
        ("013121669999000", "***********9000"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_mask_nik(value: str, masked: str) -> None:
    assert mask_nik(value) == masked


# --------------------------------------------------------------------------------------------
# NIB
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["9120000000001", "9120 0000 00001", "9120-000-000-001", "912.000.000.0001", 9120000000001],
)
def test_nib_valid(raw: str | int) -> None:
    result = parse_nib(raw)
    assert result.ok
    assert result.value == "9120000000001"
    assert result.issues == ()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "nib_empty"),
        ("", "nib_empty"),
        ("912000000001", "nib_length"),
        ("91200000000011", "nib_length"),
        ("91200000000O1", "nib_not_digits"),
        ("9,12E+12", "nib_excel_scientific"),
        ("9.12000E+12", "nib_excel_scientific"),
        ("9120000000001.0", "nib_excel_float"),
        (9120000000001.0, "nib_excel_float"),
    ],
)
def test_nib_errors(raw: str | int | float | None, code: str) -> None:
    result = parse_nib(raw)
    assert not result.ok
    assert result.value is None
    assert codes(result) == [code]


def test_nib_length_message() -> None:
    assert parse_nib("912").errors[0].message == "NIB harus 13 digit angka (sekarang 3 digit)."


# --------------------------------------------------------------------------------------------
# NPWP
# --------------------------------------------------------------------------------------------

LEGACY = legacy_npwp("01999999")  # synthetic: 01.999.999.c-999.000


def _legacy_formatted(digits: str) -> str:
    d = digits
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


def test_npwp_legacy_is_converted_with_a_warning() -> None:
    for raw in (LEGACY, _legacy_formatted(LEGACY)):
        result = parse_npwp(raw)
        assert result.ok, result.issues
        assert result.value == "0" + LEGACY
        assert len(result.value) == 16
        assert codes(result) == ["npwp_legacy_converted"]
        assert result.warnings[0].severity == "warning"
        assert result.value in result.warnings[0].message


def test_npwp_new_format_with_leading_zero() -> None:
    result = parse_npwp("0" + LEGACY)
    assert result.ok
    assert result.value == "0" + LEGACY
    assert result.issues == ()
    # Idempotent: the normalised value parses to itself.
    assert parse_npwp(result.value) == result


def test_npwp_invalid_check_digit() -> None:
    wrong = LEGACY[:8] + str((int(LEGACY[8]) + 1) % 10) + LEGACY[9:]
    for raw in (wrong, _legacy_formatted(wrong), "0" + wrong):
        result = parse_npwp(raw)
        assert not result.ok
        assert result.value is None
        assert codes(result) == ["npwp_checksum"]


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=9),
)
def test_npwp_any_single_digit_typo_is_caught(body: str, position: int, delta: int) -> None:
    legacy = legacy_npwp("0" + str(1 + int(body[0]) % 9) + body)
    assert parse_npwp(legacy).ok
    typo = legacy[:position] + str((int(legacy[position]) + delta) % 10) + legacy[position + 1 :]
    assert codes(parse_npwp(typo)) == ["npwp_checksum"]


def test_npwp_nik_form_uses_parse_nik() -> None:
    nik = make_nik(datetime.date(1985, 5, 12))
    result = parse_npwp(nik, today=TODAY)
    assert result.ok
    assert result.value == nik
    assert result.issues == ()
    # NIK warnings pass through.
    warned = parse_npwp(nik, known_regions={"111111"}, today=TODAY)
    assert warned.ok
    assert warned.value == nik
    assert codes(warned) == ["nik_region_unknown"]
    # NIK errors pass through too.
    broken = parse_npwp(raw_nik("310485"), today=TODAY)
    assert not broken.ok
    assert broken.value is None
    assert codes(broken) == ["nik_birth_date"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "npwp_empty"),
        ("", "npwp_empty"),
        ("01.999.999.9-999", "npwp_length"),
        ("01999999999900012", "npwp_length"),
        ("01.999.999.X-999.000", "npwp_not_digits"),
        ("1,99999E+14", "npwp_excel_scientific"),
        ("199999999999000.0", "npwp_excel_float"),
        (199999999999000.0, "npwp_excel_float"),
    ],
)
def test_npwp_errors(raw: str | int | float | None, code: str) -> None:
    result = parse_npwp(raw)
    assert not result.ok
    assert result.value is None
    assert codes(result) == [code]


# --------------------------------------------------------------------------------------------
# Phone
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("62 812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("812 3456 7890", "+6281234567890"),  # leading 0 lost
        ("'081234567890", "+6281234567890"),
        (6281234567890, "+6281234567890"),
        (81234567890, "+6281234567890"),
        ("(0254) 123456", "+62254123456"),  # landline, Serang
        ("0254-123456", "+62254123456"),
        ("62254123456", "+62254123456"),  # "+" lost: still Serang, not area 0622
    ],
)
def test_phone_indonesian_formats(raw: str | int, e164: str) -> None:
    result = parse_phone(raw)
    assert result.ok, result.issues
    assert result.value == e164
    assert result.issues == ()
    assert parse_phone(result.value) == result  # idempotent


def test_phone_foreign_is_a_warning() -> None:
    result = parse_phone("+44 20 7946 0000")  # UK range reserved for drama
    assert result.ok
    assert result.value == "+442079460000"
    assert codes(result) == ["phone_foreign"]
    assert "+44" in result.warnings[0].message


def test_phone_region_argument() -> None:
    result = parse_phone("020 7946 0000", region="GB")
    assert result.value == "+442079460000"
    assert codes(result) == ["phone_foreign"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "phone_empty"),
        ("", "phone_empty"),
        ("12", "phone_invalid"),
        ("0812", "phone_invalid"),
        ("tidak ada", "phone_invalid"),
        ("0812345678901234567", "phone_invalid"),
        ("8.12346E+10", "phone_excel_scientific"),
        ("6,28123E+12", "phone_excel_scientific"),
        (81234567890.0, "phone_excel_float"),
        ("81234567890.0", "phone_excel_float"),
    ],
)
def test_phone_errors(raw: str | int | float | None, code: str) -> None:
    result = parse_phone(raw)
    assert not result.ok
    assert result.value is None
    assert codes(result) == [code]


@given(st.one_of(st.none(), st.text(), st.integers(), st.floats()))
@settings(deadline=None)
def test_parse_phone_nib_npwp_never_raise(raw: str | int | float | None) -> None:
    for result in (parse_phone(raw), parse_nib(raw), parse_npwp(raw, today=TODAY)):
        assert result.ok == (result.value is not None)


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+6281234565678", "+62812****5678"),
        ("+62812345675678", "+62812*****5678"),
        ("+62254123456", "+622****3456"),  # short landline: at least 4 digits hidden
        ("+442079460000", "+4420****0000"),
        ("", ""),
    ],
)
def test_mask_phone(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked


@given(st.integers(min_value=10_000_000, max_value=9_999_999_999_999).map(lambda n: f"+62{n}"))
def test_mask_phone_hides_at_least_four_digits(e164: str) -> None:
    masked = mask_phone(e164)
    assert len(masked) == len(e164)
    assert masked.count("*") >= 4
    if len(e164) >= 14:
        assert masked[-4:] == e164[-4:]


_PHONE_PREFIXES = ["0", "62", "+62", "", "+62 ", "(0", "0-", "8", "08", "628", "+628", "+1 "]


@given(
    prefix=st.sampled_from(_PHONE_PREFIXES),
    digits=st.text(alphabet="0123456789", min_size=5, max_size=13),
    spaced=st.booleans(),
)
def test_the_fast_mobile_path_agrees_with_a_full_parse(
    prefix: str, digits: str, spaced: bool
) -> None:
    raw = prefix + digits
    if spaced:
        raw = f"{raw[:4]} {raw[4:8]}-{raw[8:]}"
    bare = _PHONE_CHARS.sub("", raw)
    fast = _fast_id_mobile(bare)
    full = _parse_phone_text(raw, bare, "ID")
    if fast is not None:  # taken only where libphonenumber says the same
        assert (fast, full.issues) == (full.value, ())
    assert parse_phone(raw).value == full.value
