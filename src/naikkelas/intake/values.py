"""Spreadsheet cell values: rupiah, dates, counts, yes/no, sectors, coordinates... (pure).

Nothing here touches Django, the ORM or settings. Every ``parse_*`` function is total: it
never raises on bad input but returns a :class:`Parsed` holding the clean typed value (or
``None``) and a tuple of :class:`~naikkelas.core.identifiers.Issue`. Issue codes are stable
snake_case machine codes prefixed by the parser (``rupiah_*``, ``date_*``, ``birth_date_*``,
``ttl_*``, ``year_*``, ``count_*``, ``yesno_*``, ``cert_*``, ``sex_*``, ``rt_rw_*``,
``sector_*``, ``legal_form_*``, ``coord_*``, ``channel_*``); messages are short Bahasa
Indonesia sentences for a kelurahan clerk. ``value`` is ``None`` whenever there is an error.

Rules shared by all parsers:

* An empty cell (``None``, NaN, ``""``, ``"-"``, ``"—"``, ``"tidak tahu"``, ``"n/a"``...) gives
  ``value=None`` with no issue: whether the field is required is the caller's business.
  Exceptions, because a dash *is* an answer there: :func:`parse_yes_no` reads ``"-"`` as
  ``False`` and :func:`parse_legal_form` reads it as ``PERORANGAN``.
* ``"0"`` is a value, not an empty cell.
* An Excel error value (``#N/A``, ``#VALUE!``...) is an error ``<prefix>_excel_error``.
* Nothing is guessed silently: when a reading involves a choice (a two-digit year, a
  monthly omzet turned yearly, swapped coordinates) the result carries a warning; when no
  reading is safe (ranges, ambiguous numbers, unknown words) it is an error.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, Literal, TypeVar

from rapidfuzz import fuzz, process

from naikkelas.core.identifiers import Issue
from naikkelas.core.text import compact_key, fold

__all__ = [
    "CHANNEL_KINDS",
    "LEGAL_FORMS",
    "MONTHS_ID",
    "SECTOR_CODES",
    "Parsed",
    "Period",
    "Sex",
    "format_date_id",
    "format_rupiah",
    "parse_amount_with_period",
    "parse_birth_date",
    "parse_certificate",
    "parse_channels",
    "parse_coordinates",
    "parse_date",
    "parse_int_count",
    "parse_legal_form",
    "parse_place_and_date",
    "parse_rt_rw",
    "parse_rupiah",
    "known_sector",
    "parse_sector",
    "parse_sex",
    "parse_year",
    "parse_yes_no",
    "split_address_rt_rw",
]

T = TypeVar("T")
Period = Literal["month", "year"]
Sex = Literal["L", "P"]

# Mirrors naikkelas.registry (Sector codes, LegalForm, ChannelKind) without importing Django.
SECTOR_CODES: tuple[str, ...] = tuple(
    "kuliner fesyen kriya jasa perdagangan pertanian lainnya".split()
)
LEGAL_FORMS: tuple[str, ...] = tuple(
    "PERORANGAN UD CV PT_PERORANGAN PT KOPERASI FIRMA LAINNYA".split()
)
CHANNEL_KINDS: tuple[str, ...] = tuple(
    "RITEL_MODERN MARKETPLACE MEDIA_SOSIAL AFILIASI PASAR_TRADISIONAL OFFLINE".split()
)


# --------------------------------------------------------------------------------------------
# Result type and shared helpers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parsed cell: ``value`` is ``None`` for an empty cell or when there is any error."""

    value: T | None
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is no error-severity issue (warnings are allowed)."""
        return not any(issue.severity == "error" for issue in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == "warning")


EXCEL_ERROR = "Sel berisi galat Excel ({text}); isi nilainya langsung, bukan rumus."
TOO_LONG = "Isi sel terlalu panjang ({n} karakter) untuk kolom ini."

_WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
_BLANK = frozenset(
    (
        "|-|--|---|.|?|??|???|n/a|na|null|tidak tahu|tidak tau|tdk tahu|tdk tau|ga tahu"
        "|gak tahu|nggak tahu|tidak diketahui|belum diketahui"
    ).split("|")
)
_MAX_LENGTH = 300
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?e[+-]?\d+", re.ASCII)


def _remembered(parse: Callable[[object], Parsed[T]]) -> Callable[[object], Parsed[T]]:
    """Remember a one-cell parser's answers: a sheet repeats the same few hundred labels
    (sector, sex, "ada"/"tidak") thousands of times. ``Parsed`` is immutable, so sharing is
    safe; ``typed`` keeps ``1`` and ``True`` apart; unhashable input is parsed every time."""
    cached = functools.lru_cache(maxsize=4096, typed=True)(parse)

    @functools.wraps(parse)
    def parse_cell(raw: object) -> Parsed[T]:
        try:
            hash(raw)
        except TypeError:
            return parse(raw)
        return cached(raw)

    return parse_cell


def _today() -> datetime.date:
    return datetime.datetime.now(_WIB).date()


def _error(code: str, message: str) -> Issue:
    return Issue(code=code, message=message, severity="error")


def _warning(code: str, message: str) -> Issue:
    return Issue(code=code, message=message, severity="warning")


def _fail(code: str, message: str) -> Parsed[Any]:
    return Parsed(None, (_error(code, message),))


def _done(value: T | None, issues: Iterable[Issue] = ()) -> Parsed[T]:
    found = tuple(issues)
    if any(issue.severity == "error" for issue in found):
        return Parsed(None, found)
    return Parsed(value, found)


def _clean(raw: object) -> str:
    """The cell as one line of text; a leading apostrophe (Excel's "force text") is dropped."""
    text = raw if isinstance(raw, str) else str(raw)
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text).strip()
    if text[:1] in ("'", "\u2019", "`"):
        text = text[1:].strip()
    return text


def _quote(text: str) -> str:
    """``'text'`` for a message, shortened so a message stays one line."""
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _is_number(raw: object) -> bool:
    return isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)


def _early(raw: object, prefix: str) -> Parsed[Any] | None:
    """The result for an empty cell, an Excel error or an overlong text; else ``None``."""
    if raw is None:
        return Parsed(None)
    if isinstance(raw, float) and math.isnan(raw):
        return Parsed(None)
    if isinstance(raw, Decimal) and raw.is_nan():
        return Parsed(None)
    if not isinstance(raw, str):
        return None
    text = _clean(raw)
    if text.upper() in _EXCEL_ERRORS:
        return _fail(f"{prefix}_excel_error", EXCEL_ERROR.format(text=text))
    if fold(text) in _BLANK:
        return Parsed(None)
    if len(text) > _MAX_LENGTH:
        return _fail(f"{prefix}_too_long", TOO_LONG.format(n=len(text)))
    return None


def _fuzzy(query: str, choices: Iterable[str], cutoff: float = 75) -> str | None:
    """The closest choice to ``query`` by edit distance, if it is close enough."""
    if not query:
        return None
    match = process.extractOne(query, list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
    return None if match is None else str(match[0])


# --------------------------------------------------------------------------------------------
# Rupiah
# --------------------------------------------------------------------------------------------

RUPIAH_INVALID = "{label} {q} tidak terbaca sebagai rupiah. Tulis misalnya 1.500.000 atau 1,5 juta."
RUPIAH_RANGE = "{label} {q} berupa rentang; isi satu angka."
RUPIAH_BOUND = "{label} {q} berupa batas (lebih/kurang dari), bukan jumlah; isi satu angka."
RUPIAH_NEGATIVE = "{label} {q} negatif; jumlah rupiah tidak boleh kurang dari 0."
RUPIAH_DECIMAL_NO_UNIT = (
    "{label} {q} berupa angka desimal tanpa satuan; tulis misalnya '{number} juta' atau "
    "angka lengkap seperti {example}."
)
RUPIAH_AMBIGUOUS = (
    "{label} {q} membingungkan: bisa {first} atau {second}. Tulis angka lengkap tanpa satuan."
)
RUPIAH_EXCEL_SCIENTIFIC = (
    "{label} {q} rusak oleh Excel (format ilmiah); ketik ulang angka lengkapnya dan atur kolom "
    "sebagai Teks."
)
RUPIAH_PERIOD_UNEXPECTED = "{label} {q} memuat periode (per {period}); kolom ini tidak memakai periode. Isi jumlahnya saja."
RUPIAH_PERIOD_UNSUPPORTED = (
    "{label} {q} dihitung per {period}; isi jumlah per bulan atau per tahun."
)
RUPIAH_PERIOD_CONFLICT = (
    "{label} {q} memuat dua periode berbeda; isi satu angka dengan satu periode."
)
RUPIAH_APPROXIMATE = "{label} {q} berupa perkiraan; dicatat {amount}."
RUPIAH_SMALL = "{label} {q} hanya {amount}; mungkin satuannya (ribu/juta) terlewat. Periksa lagi."
RUPIAH_IMPLAUSIBLE = "{label} {q} = {amount}, lebih dari Rp1 triliun; periksa lagi."
OMZET_MONTHLY_CONVERTED = (
    "Omzet {q} dibaca per bulan dan diubah menjadi per tahun: {monthly} x 12 = {yearly}."
)

_RUPIAH_UNITS: dict[str, int] = {
    **dict.fromkeys("k rb rbu ribu rebu".split(), 10**3),
    **dict.fromkeys("jt jta juta".split(), 10**6),
    **dict.fromkeys("m mly mlr mlyr miliar milyar miliyar milyard miliard".split(), 10**9),
    **dict.fromkeys("t triliun trilyun".split(), 10**12),
}
_IMPLAUSIBLE_RUPIAH = 10**12
_PERIOD_WORDS_ID = {"month": "bulan", "year": "tahun", "day": "hari", "week": "minggu"}

_PERIOD_PREFIX = r"(?:/\s*|\bper\s*|\bse|\b(?:se)?tiap\s*)"
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "month",
        re.compile(
            _PERIOD_PREFIX + r"(?:bulan|bln|bl|month|mo)\b\.?|\bbulanan\b|\bmonthly\b", re.ASCII
        ),
    ),
    (
        "year",
        re.compile(
            _PERIOD_PREFIX + r"(?:tahun|thn|th|year|yr|annum)\b\.?|\btahunan\b|\byearly\b",
            re.ASCII,
        ),
    ),
    ("day", re.compile(_PERIOD_PREFIX + r"(?:hari|hr|day)\b\.?|\bharian\b|\bdaily\b", re.ASCII)),
    (
        "week",
        re.compile(
            _PERIOD_PREFIX + r"(?:minggu|mgg|pekan|week)\b\.?|\bmingguan\b|\bweekly\b", re.ASCII
        ),
    ),
)
_RUPIAH_NOISE = re.compile(
    r"rupiah|(?:rp|idr)\.?|\b(?:omzet|omset|modal|penjualan|pendapatan)\b", re.ASCII
)
_APPROX = re.compile(
    r"±|\+\s*/?\s*-|^\s*~|≈"
    r"|\b(?:kurang\s+lebih|krg\s+lbh|kurleb|lebih\s+kurang|kira-kira|kira2|kira\s+kira|kira"
    r"|sekitar|sktr|kisaran|approx|perkiraan|estimasi)\b\.?",
    re.ASCII,
)
_DASH_SUFFIX = re.compile(r"[.,]\s*[-=]+(?!\s*\d)", re.ASCII)
_RANGE = re.compile(
    r"\d\s*(?:[a-z]+\.?\s*)?(?:-|~|/|s/d|s\.d\.?|sd|sampai|hingga|atau)\s*\d", re.ASCII
)
_BOUND = re.compile(
    r"^[<>≤≥]|\+$|\bke\s*atas\b"
    r"|\b(?:lebih\s+dari|kurang\s+dari|di\s*atas|di\s*bawah|minimal|maksimal|min|maks|max"
    r"|sampai|hingga|up\s+to|over|under)\b",
    re.ASCII,
)
_NEGATIVE = re.compile(r"^-\s*\d|^\(\s*\d[\d.,\s]*\)$", re.ASCII)
_SE_WORDS = re.compile(r"\b(sejuta|seribu|semiliar|semilyar|setriliun|setengah)\b", re.ASCII)
_SE_REPLACEMENTS = {
    "sejuta": "1 juta",
    "seribu": "1 ribu",
    "semiliar": "1 miliar",
    "semilyar": "1 miliar",
    "setriliun": "1 triliun",
    "setengah": "0,5",
}
_AMOUNT_PART = re.compile(r"(\d[\d.,]*(?: \d{3}(?!\d))*)\s*([a-z]+)?\.?\s*", re.ASCII)
_GROUP_FIRST = re.compile(r"[0-9]{1,3}", re.ASCII)
_GROUP_REST = re.compile(r"[0-9]{3}", re.ASCII)
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class _RejectError(Exception):
    """Internal: stops parsing with one issue (never escapes a ``parse_*`` function)."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def format_rupiah(amount: int) -> str:
    """``1500000`` -> ``"Rp1.500.000"`` (Indonesian thousands separator)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _valid_groups(groups: list[str]) -> bool:
    """Thousands groups: ``["1", "500", "000"]`` yes, ``["1", "50"]`` or ``["", "500"]`` no."""
    if len(groups) < 2 or not _GROUP_FIRST.fullmatch(groups[0]):
        return False
    return all(_GROUP_REST.fullmatch(group) for group in groups[1:])


@dataclass(frozen=True)
class _Number:
    """One number token: its value, or why it has none.

    ``readings`` explains a problem: the decimal value for ``"decimal"``; the thousands and
    the decimal reading for ``"ambiguous"``.
    """

    value: Fraction | None
    problem: Literal["invalid", "decimal", "ambiguous"] | None = None
    readings: tuple[Fraction, ...] = ()


def _number_with_fraction(whole: str, frac: str, *, has_unit: bool) -> _Number:
    whole = whole or "0"
    if not _ASCII_DIGITS.fullmatch(whole) or not _ASCII_DIGITS.fullmatch(frac):
        return _Number(None, "invalid")
    value = Fraction(f"{whole}.{frac}")
    if value.denominator == 1:  # "1500000,00"
        return _Number(value)
    if not has_unit and value < 1000:  # "1,5" alone: 1,5 rupiah is nonsense
        return _Number(None, "decimal", (value,))
    return _Number(value)


def _number(token: str, *, has_unit: bool) -> _Number:
    """Read ``"1.500.000"``, ``"1,500,000"``, ``"1.500.000,00"``, ``"1,5"``, ``"1 500 000"``."""
    token = token.rstrip(".,")
    if not token:
        return _Number(None, "invalid")
    if " " in token:
        groups = token.split(" ")
        if not _valid_groups(groups):
            return _Number(None, "invalid")
        return _Number(Fraction(int("".join(groups))))
    has_dot, has_comma = "." in token, "," in token
    if not has_dot and not has_comma:
        if not _ASCII_DIGITS.fullmatch(token):
            return _Number(None, "invalid")
        return _Number(Fraction(int(token)))
    if has_dot and has_comma:
        decimal_sep = "." if token.rfind(".") > token.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, frac = token.rpartition(decimal_sep)
        if decimal_sep in whole or not _valid_groups(whole.split(thousands_sep)):
            return _Number(None, "invalid")
        return _number_with_fraction(whole.replace(thousands_sep, ""), frac, has_unit=has_unit)
    sep = "." if has_dot else ","
    groups = token.split(sep)
    if len(groups) > 2:
        if _valid_groups(groups):
            return _Number(Fraction(int("".join(groups))))
        return _Number(None, "invalid")
    whole, frac = groups
    if len(frac) == 3 and _valid_groups(groups) and not whole.startswith("0"):
        # "1.500" / "1,500": thousands in either convention. With a unit ("1.500 jt") it could
        # also be a decimal (1,5 juta), so that is refused rather than guessed.
        thousands = Fraction(int(whole + frac))
        if has_unit:
            return _Number(None, "ambiguous", (thousands, Fraction(f"{whole}.{frac}")))
        return _Number(thousands)
    return _number_with_fraction(whole, frac, has_unit=has_unit)


def _extract_period(text: str, label: str, q: str) -> tuple[str, str | None]:
    kinds: list[str] = []
    for kind, pattern in _PERIODS:
        text, count = pattern.subn(" ", text)
        if count:
            kinds.append(kind)
    if len(kinds) > 1:
        raise _RejectError(
            _error("rupiah_period_conflict", RUPIAH_PERIOD_CONFLICT.format(label=label, q=q))
        )
    period = kinds[0] if kinds else None
    if period in ("day", "week"):
        message = RUPIAH_PERIOD_UNSUPPORTED.format(
            label=label, q=q, period=_PERIOD_WORDS_ID[period]
        )
        raise _RejectError(_error("rupiah_period_unsupported", message))
    return text, period


def _rupiah_text(text: str, label: str) -> tuple[int | None, list[Issue], str | None]:
    """Parse rupiah text; raises :class:`_RejectError` on an error."""
    q = _quote(text)

    def reject(code: str, template: str, **extra: str) -> _RejectError:
        return _RejectError(_error(code, template.format(label=label, q=q, **extra)))

    s = fold(text)
    if _SCIENTIFIC.fullmatch(s.replace(" ", "")):
        raise reject("rupiah_excel_scientific", RUPIAH_EXCEL_SCIENTIFIC)
    s, period = _extract_period(s, label, q)
    s = _RUPIAH_NOISE.sub(" ", s)
    s, approximate = _APPROX.subn(" ", s)
    s = _DASH_SUFFIX.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    if not s.strip(" -=.,"):  # "Rp", "Rp -": an empty template cell
        return None, [], period
    if _RANGE.search(s):
        raise reject("rupiah_range", RUPIAH_RANGE)
    if _BOUND.search(s):
        raise reject("rupiah_bound", RUPIAH_BOUND)
    if _NEGATIVE.search(s):
        raise reject("rupiah_negative", RUPIAH_NEGATIVE)
    s = _SE_WORDS.sub(lambda m: _SE_REPLACEMENTS[m.group(1)], s)

    parts: list[tuple[str, str | None]] = []
    pos = 0
    while pos < len(s):
        match = _AMOUNT_PART.match(s, pos)
        if match is None:
            raise reject("rupiah_invalid", RUPIAH_INVALID)
        parts.append((match.group(1), match.group(2)))
        pos = match.end()
    if not parts or any(unit is not None and unit not in _RUPIAH_UNITS for _, unit in parts):
        raise reject("rupiah_invalid", RUPIAH_INVALID)

    multipliers = [_RUPIAH_UNITS[unit] if unit else None for _, unit in parts]
    if len(parts) > 1:
        # "1 juta 500 ribu": every part needs a unit, from large to small.
        known = [m for m in multipliers if m is not None]
        if len(known) != len(parts) or any(a <= b for a, b in zip(known, known[1:], strict=False)):
            raise reject("rupiah_invalid", RUPIAH_INVALID)

    total = Fraction(0)
    for (token, _), multiplier in zip(parts, multipliers, strict=True):
        number = _number(token, has_unit=multiplier is not None)
        if number.problem == "decimal":
            raise reject(
                "rupiah_decimal_no_unit",
                RUPIAH_DECIMAL_NO_UNIT,
                number=token.rstrip(".,").replace(".", ","),
                example=format_rupiah(_round_half_up(number.readings[0] * 10**6)),
            )
        if number.problem == "ambiguous":
            unit_value = multiplier or 1
            first, second = (_round_half_up(r * unit_value) for r in number.readings)
            raise reject(
                "rupiah_ambiguous",
                RUPIAH_AMBIGUOUS,
                first=format_rupiah(first),
                second=format_rupiah(second),
            )
        if number.value is None:
            raise reject("rupiah_invalid", RUPIAH_INVALID)
        total += number.value * (multiplier or 1)

    amount = _round_half_up(total)
    issues: list[Issue] = []
    if approximate:
        issues.append(
            _warning(
                "rupiah_approximate",
                RUPIAH_APPROXIMATE.format(label=label, q=q, amount=format_rupiah(amount)),
            )
        )
    issues.extend(_rupiah_plausibility(amount, label, q, has_unit=multipliers[0] is not None))
    return amount, issues, period


def _rupiah_plausibility(amount: int, label: str, q: str, *, has_unit: bool) -> list[Issue]:
    text = format_rupiah(amount)
    if amount >= _IMPLAUSIBLE_RUPIAH:
        message = RUPIAH_IMPLAUSIBLE.format(label=label, q=q, amount=text)
        return [_warning("rupiah_implausible", message)]
    if 0 < amount < 1000 and not has_unit:
        return [_warning("rupiah_small", RUPIAH_SMALL.format(label=label, q=q, amount=text))]
    return []


def _rupiah_number(raw: int | float | Decimal, label: str) -> Parsed[int]:
    q = _quote(str(raw))
    if isinstance(raw, float) and not math.isfinite(raw):
        return _fail("rupiah_invalid", RUPIAH_INVALID.format(label=label, q=q))
    if isinstance(raw, Decimal) and not raw.is_finite():
        return _fail("rupiah_invalid", RUPIAH_INVALID.format(label=label, q=q))
    value = Fraction(raw)
    if value < 0:
        return _fail("rupiah_negative", RUPIAH_NEGATIVE.format(label=label, q=q))
    if value.denominator != 1 and value < 1000:
        example = format_rupiah(_round_half_up(value * 10**6))
        message = RUPIAH_DECIMAL_NO_UNIT.format(
            label=label, q=q, number=str(raw).replace(".", ","), example=example
        )
        return _fail("rupiah_decimal_no_unit", message)
    amount = _round_half_up(value)
    return Parsed(amount, tuple(_rupiah_plausibility(amount, label, q, has_unit=False)))


def _rupiah(raw: object, label: str) -> tuple[Parsed[int], str | None]:
    early = _early(raw, "rupiah")
    if early is not None:
        return early, None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        return _rupiah_number(raw, label), None
    text = _clean(raw)
    if isinstance(raw, bool) or isinstance(raw, datetime.date):
        return _fail("rupiah_invalid", RUPIAH_INVALID.format(label=label, q=_quote(text))), None
    try:
        amount, issues, period = _rupiah_text(text, label)
    except _RejectError as exc:
        return Parsed(None, (exc.issue,)), None
    return _done(amount, issues), period


def parse_rupiah(raw: object, *, label: str = "Angka") -> Parsed[int]:
    """Whole rupiah from a messy cell.

    Accepts ``"Rp 1.500.000"``, ``"Rp1.500.000,00"``, ``"1.500.000,-"``, ``"1,500,000"``,
    ``"1500000"``, ints and floats, and units: ``"500 rb"``, ``"1,5 jt"``, ``"15jt"``,
    ``"2 M"`` / ``"2 miliar"`` (M is *miliar*), ``"1 T"`` / ``"triliun"``, ``"1 juta 500 ribu"``.
    ``"1.500"`` is 1500 (a thousands separator); a decimal without a unit (``"1,5"``) is the
    error ``rupiah_decimal_no_unit``; ``"1.500 jt"`` (1.500 juta or 1,5 juta?) is
    ``rupiah_ambiguous``. Ranges (``"2-3 juta"``), bounds (``"> 2 juta"``), negative amounts,
    scientific notation and any period (``"/bln"``: use :func:`parse_amount_with_period`) are
    errors. Warnings: approximate (``"± 2 juta"``), under Rp1.000 without a unit, from Rp1
    triliun. ``label`` starts every message (``"Angka"``, ``"Modal"``...).
    """
    parsed, period = _rupiah(raw, label)
    if period is not None and parsed.value is not None:
        message = RUPIAH_PERIOD_UNEXPECTED.format(
            label=label, q=_quote(_clean(raw)), period=_PERIOD_WORDS_ID[period]
        )
        return _fail("rupiah_period_unexpected", message)
    return parsed


def parse_amount_with_period(
    raw: object,
    *,
    header_period: Period | None,
    label: str = "Angka omzet",
) -> Parsed[int]:
    """A YEARLY rupiah amount (omzet) from a cell that may be monthly.

    The period written in the cell (``"2 jt/bln"``, ``"per bulan"``, ``"sebulan"``,
    ``"per tahun"``) overrides the column's ``header_period``; with neither, the amount is
    taken as yearly. A monthly amount is multiplied by 12 with the warning
    ``omzet_monthly_converted``. Daily or weekly amounts are errors (days open are unknown).
    Everything else is as :func:`parse_rupiah`.
    """
    parsed, cell_period = _rupiah(raw, label)
    if parsed.value is None:
        return parsed
    period = cell_period or header_period
    if period != "month":
        return parsed
    yearly = parsed.value * 12
    message = OMZET_MONTHLY_CONVERTED.format(
        q=_quote(_clean(raw)),
        monthly=format_rupiah(parsed.value),
        yearly=format_rupiah(yearly),
    )
    return Parsed(yearly, (*parsed.issues, _warning("omzet_monthly_converted", message)))


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

DATE_INVALID = "Tanggal {q} tidak terbaca. Tulis seperti 17-08-1985 atau 17 Agustus 1985."
DATE_IMPOSSIBLE = "Tanggal {q} tidak ada di kalender."
DATE_US_ORDER = (
    "Tanggal {q} tampaknya ditulis bulan/tanggal/tahun; tulis tanggal/bulan/tahun, "
    "misalnya {example}."
)
DATE_MONTH_UNKNOWN = "Nama bulan '{name}' pada tanggal {q} tidak dikenal."
DATE_YEAR_ONLY = "Tanggal {q} hanya berisi tahun; isi tanggal lengkap, misalnya 17-08-{year}."
DATE_INCOMPLETE = "Tanggal {q} tidak lengkap; isi tanggal, bulan, dan tahun."
DATE_OUT_OF_RANGE = "Tahun pada tanggal {q} di luar 1900-2100; periksa lagi."
DATE_EXCEL_SERIAL_INVALID = (
    "Angka tanggal Excel 60 berarti 29 Februari 1900, tanggal yang tidak ada; ketik ulang "
    "tanggalnya."
)
DATE_SERIAL_OUT_OF_RANGE = "Angka {q} bukan tanggal; tulis seperti 17-08-1985."
DATE_TWO_DIGIT_YEAR = "Tahun dua digit pada tanggal {q} dibaca sebagai {year}; periksa lagi."

BIRTH_DATE_FUTURE = "Tanggal lahir {date} belum terjadi; periksa lagi."
BIRTH_DATE_TOO_YOUNG = "Menurut tanggal lahir {date}, umurnya baru {age} tahun; periksa lagi."
BIRTH_DATE_TOO_OLD = (
    "Menurut tanggal lahir {date}, umurnya {age} tahun (lebih dari 110); periksa lagi."
)
BIRTH_DATE_UNDER_17 = (
    "Menurut tanggal lahir {date}, pemilik belum 17 tahun (umur {age}); periksa lagi."
)

TTL_INVALID = "Tempat/tanggal lahir {q} tidak terbaca; tulis seperti 'Serang, 17-08-1985'."
TTL_PLACE_MISSING = "Tempat lahir pada {q} kosong; tulis seperti 'Serang, 17-08-1985'."

MONTHS_ID: tuple[str, ...] = tuple(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
)
_MONTH_ALIASES = (
    "jan january",
    "feb peb pebruari febuari february",
    "mar mrt march",
    "apr",
    "may",
    "jun june",
    "jul july",
    "agt agu ags agst agus aug august",
    "sep sept",
    "okt oct october",
    "nov nop nopember",
    "des dec december",
)
_MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTHS_ID, start=1)},
    **{
        alias: number
        for number, aliases in enumerate(_MONTH_ALIASES, start=1)
        for alias in aliases.split()
    },
}
_WEEKDAY_PREFIX = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b[,.]?\s*",
    re.ASCII,
)
_TIME_SUFFIX = re.compile(
    r"(?:[ t]|,\s*)(?:pukul\s*|jam\s*)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm|wib)?$",
    re.ASCII,
)
_ISO_DATE = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", re.ASCII)
_DMY_DATE = re.compile(r"(\d{1,2})\s*[-/. ]\s*(\d{1,2})\s*[-/. ]\s*(\d{4}|\d{2})", re.ASCII)
_DAY_NAME_YEAR = re.compile(
    r"(\d{1,2})\s*[-/. ]?\s*([a-z]+)\.?\s*[-/.,]?\s*(\d{4}|\d{2})", re.ASCII
)
_NAME_DAY_YEAR = re.compile(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})", re.ASCII)
_MONTH_YEAR = re.compile(r"(?:[a-z]+\.?|\d{1,2})\s*[-/. ]\s*\d{4}|[a-z]+\.?\s*\d{4}", re.ASCII)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 = 1900-03-01
_EXCEL_EPOCH_BEFORE_BUG = datetime.date(1899, 12, 31)  # serial 1 = 1900-01-01
_EXCEL_MAX_SERIAL = 80000


def format_date_id(value: datetime.date) -> str:
    """``date(1985, 8, 17)`` -> ``"17 Agustus 1985"``."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def _full_year(two_digits: int, today: datetime.date) -> int:
    """``00..(this year's last two digits)`` -> 20YY, otherwise 19YY."""
    if two_digits <= today.year % 100:
        return 2000 + two_digits
    return 1900 + two_digits


def _make_date(
    year: int,
    month: int,
    day: int,
    q: str,
    *,
    today: datetime.date,
    two_digit_year: bool = False,
    numeric_month: bool = False,
) -> Parsed[datetime.date]:
    issues: list[Issue] = []
    if two_digit_year:
        year = _full_year(year, today)
        issues.append(_warning("date_two_digit_year", DATE_TWO_DIGIT_YEAR.format(q=q, year=year)))
    if not 1900 <= year <= 2100:
        return _fail("date_out_of_range", DATE_OUT_OF_RANGE.format(q=q))
    if numeric_month and month > 12 and 1 <= day <= 12 and month <= 31:
        example = f"{month:02d}-{day:02d}-{year}"
        return _fail("date_us_order", DATE_US_ORDER.format(q=q, example=example))
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return _fail("date_impossible", DATE_IMPOSSIBLE.format(q=q))
    return Parsed(value, tuple(issues))


def _date_from_serial(number: Fraction, q: str) -> Parsed[datetime.date]:
    """An Excel (1900 system) serial: 1 = 1900-01-01, 60 = the non-existent 1900-02-29."""
    if number.denominator == 1 and 1900 <= number <= 2100:
        year = int(number)
        return _fail("date_year_only", DATE_YEAR_ONLY.format(q=q, year=year))
    serial = math.floor(number)  # a fraction is the time of day
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        return _fail("date_invalid", DATE_SERIAL_OUT_OF_RANGE.format(q=q))
    if serial == 60:
        return _fail("date_excel_serial_invalid", DATE_EXCEL_SERIAL_INVALID)
    if serial < 60:
        return Parsed(_EXCEL_EPOCH_BEFORE_BUG + datetime.timedelta(days=serial))
    return Parsed(_EXCEL_EPOCH + datetime.timedelta(days=serial))


def _date_from_digits(digits: str, q: str, today: datetime.date) -> Parsed[datetime.date]:
    if len(digits) <= 5:
        return _date_from_serial(Fraction(int(digits)), q)
    if len(digits) != 8:
        return _fail("date_invalid", DATE_INVALID.format(q=q))
    # yyyymmdd and ddmmyyyy never both fit: a 19xx/20xx year in front leaves month 19/20.
    for year, month, day in (
        (digits[:4], digits[4:6], digits[6:]),  # 19850817
        (digits[4:], digits[2:4], digits[:2]),  # 17081985
    ):
        parsed = _make_date(int(year), int(month), int(day), q, today=today)
        if parsed.value is not None:
            return parsed
    return _fail("date_invalid", DATE_INVALID.format(q=q))


def _date_from_text(text: str, today: datetime.date) -> Parsed[datetime.date]:
    q = _quote(text)
    s = fold(text)
    s = _WEEKDAY_PREFIX.sub("", s)
    s = _TIME_SUFFIX.sub("", s).strip().rstrip(".,").strip()
    if _ASCII_DIGITS.fullmatch(s):
        return _date_from_digits(s, q, today)
    if match := _ISO_DATE.fullmatch(s):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day, q, today=today)
    if match := _DMY_DATE.fullmatch(s):
        day, month, year = (int(part) for part in match.groups())
        return _make_date(
            year,
            month,
            day,
            q,
            today=today,
            two_digit_year=len(match.group(3)) == 2,
            numeric_month=True,
        )
    named: tuple[str, str, str] | None = None  # (day, month name, year)
    if match := _DAY_NAME_YEAR.fullmatch(s):
        named = (match.group(1), match.group(2), match.group(3))
    elif match := _NAME_DAY_YEAR.fullmatch(s):
        named = (match.group(2), match.group(1), match.group(3))
    if named is not None:
        day_text, name, year_text = named
        month_number = _MONTHS.get(name)
        if month_number is None:
            return _fail("date_month_unknown", DATE_MONTH_UNKNOWN.format(name=name, q=q))
        return _make_date(
            int(year_text),
            month_number,
            int(day_text),
            q,
            today=today,
            two_digit_year=len(year_text) == 2,
        )
    if _MONTH_YEAR.fullmatch(s):
        return _fail("date_incomplete", DATE_INCOMPLETE.format(q=q))
    return _fail("date_invalid", DATE_INVALID.format(q=q))


def parse_date(raw: object, *, today: datetime.date | None = None) -> Parsed[datetime.date]:
    """A calendar date from a cell.

    ``date`` and ``datetime`` values are taken as given (a datetime's time is dropped).
    Numbers are Excel serials (1900 system, 1..80000; serial 60, the non-existent
    1900-02-29, is an error; a fraction is the time of day); a whole number 1900..2100 is a
    bare year (error ``date_year_only``), not a date in 1905. Text: ``"17-08-1985"``,
    ``"17/08/1985"``, ``"17.08.1985"``, ``"1985-08-17"``, ``"17-8-85"`` (two-digit year:
    ``00``..this year's last two digits -> 20YY, else 19YY, with a warning),
    ``"17 Agustus 1985"``, ``"17 Agt 1985"``, ``"17-Aug-85"``, ``"August 17, 1985"``,
    ``"19850817"``; a weekday prefix and a time suffix are ignored. ``"08/07/1985"`` is
    8 July (Indonesian order); ``"08/17/1985"`` is refused (``date_us_order``). Future dates
    are allowed here (see :func:`parse_birth_date`). ``today`` (WIB by default) only decides
    two-digit years.
    """
    if today is None:
        today = _today()
    early = _early(raw, "date")
    if early is not None:
        return early
    if isinstance(raw, datetime.datetime):
        return Parsed(raw.date())
    if isinstance(raw, datetime.date):
        return Parsed(raw)
    text = _clean(raw)
    q = _quote(text)
    if isinstance(raw, bool):
        return _fail("date_invalid", DATE_INVALID.format(q=q))
    if isinstance(raw, int | float | Decimal):
        if isinstance(raw, float | Decimal) and not math.isfinite(raw):
            return _fail("date_invalid", DATE_INVALID.format(q=q))
        return _date_from_serial(Fraction(raw), q)
    return _date_from_text(text, today)


def _age(born: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


def _check_birth_date(parsed: Parsed[datetime.date], today: datetime.date) -> Parsed[datetime.date]:
    born = parsed.value
    if born is None:
        return parsed
    shown = format_date_id(born)
    if born > today:
        return _done(
            born,
            (*parsed.issues, _error("birth_date_future", BIRTH_DATE_FUTURE.format(date=shown))),
        )
    age = _age(born, today)
    extra: Issue | None = None
    if age < 10:
        extra = _error("birth_date_too_young", BIRTH_DATE_TOO_YOUNG.format(date=shown, age=age))
    elif age > 110:
        extra = _error("birth_date_too_old", BIRTH_DATE_TOO_OLD.format(date=shown, age=age))
    elif age < 17:
        extra = _warning("birth_date_under_17", BIRTH_DATE_UNDER_17.format(date=shown, age=age))
    if extra is None:
        return parsed
    return _done(born, (*parsed.issues, extra))


def parse_birth_date(raw: object, *, today: datetime.date | None = None) -> Parsed[datetime.date]:
    """A birth date (as :func:`parse_date`) checked against ``today`` (WIB by default).

    Errors: in the future (``birth_date_future``), younger than 10 (``birth_date_too_young``),
    older than 110 (``birth_date_too_old``). Warning: younger than 17
    (``birth_date_under_17``: no KTP yet).
    """
    if today is None:
        today = _today()
    return _check_birth_date(parse_date(raw, today=today), today)


_TTL_DATE_AT_END = re.compile(
    r"(?P<date>\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}"
    r"|\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}"
    r"|\d{1,2}\s*[-/. ]?\s*[A-Za-z]+\.?\s*[-/.,]?\s*\d{2,4})\s*\.?$",
    re.ASCII,
)
_TTL_PLACE_TRAILER = re.compile(r"[\s,;/\-:]+$")


def parse_place_and_date(
    raw: object, *, today: datetime.date | None = None
) -> Parsed[tuple[str, datetime.date]]:
    """A "TTL" (tempat, tanggal lahir) cell: ``"Serang, 17 Agustus 1985"`` -> ("Serang", date).

    Also ``"Serang 17-08-1985"``, ``"Kab. Serang / 17/08/1985"``. The date is checked as a
    birth date (:func:`parse_birth_date`); its issues are passed through. A missing place is
    ``ttl_place_missing``; no readable date at the end is ``ttl_invalid``.
    """
    if today is None:
        today = _today()
    early = _early(raw, "ttl")
    if early is not None:
        return early
    text = _clean(raw)
    q = _quote(text)
    if isinstance(raw, datetime.date):
        return _fail("ttl_place_missing", TTL_PLACE_MISSING.format(q=q))
    match = _TTL_DATE_AT_END.search(text)
    if match is None:
        return _fail("ttl_invalid", TTL_INVALID.format(q=q))
    place = _TTL_PLACE_TRAILER.sub("", text[: match.start()]).strip()
    born = parse_birth_date(match.group("date"), today=today)
    issues = list(born.issues)
    if not place:
        issues.insert(0, _error("ttl_place_missing", TTL_PLACE_MISSING.format(q=q)))
    if born.value is None:
        return Parsed(None, tuple(issues))
    return _done((place, born.value), issues)


# --------------------------------------------------------------------------------------------
# Year
# --------------------------------------------------------------------------------------------

YEAR_INVALID = "Tahun {q} tidak terbaca; tulis 4 angka, misalnya 2019."
YEAR_FUTURE = "Tahun {year} belum terjadi; periksa lagi."
YEAR_TOO_OLD = "Tahun {year} terlalu lama (sebelum 1900); periksa lagi."
YEAR_FROM_EXCEL_SERIAL = "Tahun {q} tersimpan sebagai tanggal Excel; dibaca sebagai {year}."

_YEAR_PREFIX = re.compile(
    r"^(?:tahun|thn|th|sejak|berdiri|year|tgl|tanggal)\b\.?\s*:?\s*", re.ASCII
)
_YEAR_TEXT = re.compile(r"(\d{4})(?:[.,]0+)?", re.ASCII)


def _check_year(year: int, today: datetime.date, issues: Iterable[Issue] = ()) -> Parsed[int]:
    if year > today.year:
        return _fail("year_future", YEAR_FUTURE.format(year=year))
    if year < 1900:
        return _fail("year_too_old", YEAR_TOO_OLD.format(year=year))
    return Parsed(year, tuple(issues))


def parse_year(raw: object, *, today: datetime.date | None = None) -> Parsed[int]:
    """A year (e.g. founding year) between 1900 and ``today.year``.

    Accepts ``2019``, ``2019.0``, ``"2019"``, ``"th 2019"``, ``"tahun 2019"``, a ``date``
    (its year) and a full date text (``"17-08-2019"``). A number 10000..80000 is a date cell
    (Excel serial): its year is taken with the warning ``year_from_excel_serial``.
    """
    if today is None:
        today = _today()
    early = _early(raw, "year")
    if early is not None:
        return early
    if isinstance(raw, datetime.date):
        return _check_year(raw.year, today)
    text = _clean(raw)
    q = _quote(text)
    if isinstance(raw, bool):
        return _fail("year_invalid", YEAR_INVALID.format(q=q))
    if isinstance(raw, int | float | Decimal):
        if isinstance(raw, float | Decimal) and not math.isfinite(raw):
            return _fail("year_invalid", YEAR_INVALID.format(q=q))
        number = Fraction(raw)
        if number.denominator != 1:
            return _fail("year_invalid", YEAR_INVALID.format(q=q))
        if 10000 <= number <= _EXCEL_MAX_SERIAL:
            serial = _date_from_serial(number, q)
            if serial.value is None:
                return _fail("year_invalid", YEAR_INVALID.format(q=q))
            year = serial.value.year
            warning = _warning(
                "year_from_excel_serial", YEAR_FROM_EXCEL_SERIAL.format(q=q, year=year)
            )
            return _check_year(year, today, (warning,))
        if not 1000 <= number <= 9999:
            return _fail("year_invalid", YEAR_INVALID.format(q=q))
        return _check_year(int(number), today)
    s = fold(text)
    previous = None
    while previous != s:
        previous = s
        s = _YEAR_PREFIX.sub("", s).strip()
    if match := _YEAR_TEXT.fullmatch(s):
        return _check_year(int(match.group(1)), today)
    if len(s) > 4:
        as_date = _date_from_text(s, today)
        if as_date.value is not None:
            return _check_year(as_date.value.year, today, as_date.issues)
    return _fail("year_invalid", YEAR_INVALID.format(q=q))


# --------------------------------------------------------------------------------------------
# Counts (workers)
# --------------------------------------------------------------------------------------------

COUNT_INVALID = "{label} {q} tidak terbaca; isi satu angka, misalnya 3."
COUNT_RANGE = "{label} {q} berupa rentang; isi satu angka."
COUNT_NEGATIVE = "{label} {q} negatif; isi 0 atau lebih."
COUNT_NOT_WHOLE = "{label} {q} bukan bilangan bulat; isi jumlah orang, misalnya 3."
COUNT_TOO_LARGE = "{label} {q} lebih dari 100.000; periksa lagi."

_COUNT_MAX = 100_000
_COUNT_WORDS: dict[str, int] = {
    word: number
    for number, word in enumerate(
        "nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh".split()
    )
}
_COUNT_NONE = frozenset({"tidak ada", "tdk ada", "nihil", "none", "tidak punya", "belum ada"})
_COUNT_TEXT = re.compile(
    r"([0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+(?:[.,]0+)?|[a-z]+)\s*"
    r"(?:orang|org|pekerja|karyawan|tenaga\s*kerja|tk|pegawai|jiwa|people|persons?|pax)?\.?",
    re.ASCII,
)
_COUNT_RANGE = re.compile(r"\d\s*(?:-|~|/|s/d|s\.d\.?|sd|sampai|hingga|atau)\s*\d", re.ASCII)
_COUNT_DECIMAL = re.compile(r"[0-9]+[.,][0-9]+", re.ASCII)
_COUNT_THOUSANDS = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+", re.ASCII)


def parse_int_count(raw: object, *, label: str = "Jumlah") -> Parsed[int]:
    """A head count (workers): ``"3"``, ``3``, ``3.0``, ``"3 orang"``, ``"tiga"``, ``"1.000"``.

    ``"tidak ada"`` / ``"nihil"`` are 0. Errors: ranges (``"2-3"``), negative numbers,
    fractions (``"2,5"``), more than 100.000, anything else.
    """
    early = _early(raw, "count")
    if early is not None:
        return early
    text = _clean(raw)
    q = _quote(text)

    def fail(code: str, template: str) -> Parsed[int]:
        return _fail(code, template.format(label=label, q=q))

    if isinstance(raw, bool) or isinstance(raw, datetime.date):
        return fail("count_invalid", COUNT_INVALID)
    value: int
    if isinstance(raw, int | float | Decimal):
        if isinstance(raw, float | Decimal) and not math.isfinite(raw):
            return fail("count_invalid", COUNT_INVALID)
        number = Fraction(raw)
        if number < 0:
            return fail("count_negative", COUNT_NEGATIVE)
        if number.denominator != 1:
            return fail("count_not_whole", COUNT_NOT_WHOLE)
        value = int(number)
    else:
        s = fold(text)
        if s in _COUNT_NONE:
            return Parsed(0)
        if _COUNT_RANGE.search(s):
            return fail("count_range", COUNT_RANGE)
        if s.startswith("-") and any(ch in "0123456789" for ch in s):
            return fail("count_negative", COUNT_NEGATIVE)
        match = _COUNT_TEXT.fullmatch(s)
        if match is None:
            if _COUNT_DECIMAL.match(s):
                return fail("count_not_whole", COUNT_NOT_WHOLE)
            return fail("count_invalid", COUNT_INVALID)
        token = match.group(1)
        if token in _COUNT_WORDS:
            value = _COUNT_WORDS[token]
        elif _COUNT_THOUSANDS.fullmatch(token):  # "1.000" / "1,000"
            value = int(re.sub(r"[.,]", "", token))
        elif _ASCII_DIGITS.match(token):  # "3" / "3.0"
            value = int(re.sub(r"[.,]0+$", "", token))
        else:
            return fail("count_invalid", COUNT_INVALID)
    if value > _COUNT_MAX:
        return fail("count_too_large", COUNT_TOO_LARGE)
    return Parsed(value)


# --------------------------------------------------------------------------------------------
# Yes / no and certificates
# --------------------------------------------------------------------------------------------

YESNO_INVALID = (
    "Jawaban {q} tidak dikenal. Isi ya atau tidak (boleh juga: ada/belum, sudah/belum, 1/0, ✓)."
)
CERT_INVALID = "Isian sertifikat {q} tidak terbaca; isi ya, tidak, atau nomor sertifikatnya."
CERT_IN_PROCESS = "Sertifikat {q} masih dalam proses; dicatat belum punya."
CERT_EXCEL_DAMAGED = (
    "Nomor sertifikat {q} rusak oleh Excel (tersimpan sebagai angka); ketik ulang nomornya dan "
    "atur kolom sebagai Teks."
)

_YES = frozenset(
    (
        "ya|y|yes|iya|ada|sudah|sdh|udah|punya|memiliki|1|true|benar|v|x|✓|✔|√|☑"
        "|sudah ada|sudah punya|sudah memiliki|ya ada"
    ).split("|")
)
_NO = frozenset(
    (
        "tidak|tdk|t|no|n|belum|blm|0|false|-|tidak ada|tdk ada|belum ada|blm ada|belum punya"
        "|tidak punya|belum memiliki|tidak memiliki|gak|ga|nggak|enggak|salah"
    ).split("|")
)
_IN_PROCESS = re.compile(
    r"\b(?:proses|diproses|dalam\s+proses|pengajuan|diajukan|pengurusan|mengajukan|diurus)\b",
    re.ASCII,
)
_CERT_LEAD = re.compile(
    r"^(?:(?:ya|ada|sudah|sdh|punya|memiliki|no|nomor|nomer|nmr)\b\.?[\s:,;#()\-]*)+",
    re.ASCII | re.IGNORECASE,
)
_CERT_DIGITS = re.compile(r"[0-9]{4,}", re.ASCII)


def _yes_no_key(text: str) -> str:
    return fold(text).strip(" .!")


@_remembered
def parse_yes_no(raw: object) -> Parsed[bool]:
    """``True``/``False`` from ya/y/yes/ada/sudah/punya/memiliki/1/true/✓/v/x (a ticked form
    box) and tidak/tdk/t/no/n/belum/blm/0/false/``-``. Anything else is ``yesno_invalid``."""
    if isinstance(raw, str):
        key = _yes_no_key(_clean(raw))
        if key in _YES:
            return Parsed(True)
        if key in _NO:
            return Parsed(False)
    early = _early(raw, "yesno")
    if early is not None:
        return early
    if isinstance(raw, bool):
        return Parsed(raw)
    if _is_number(raw) and raw in (0, 1):
        return Parsed(raw == 1)
    return _fail("yesno_invalid", YESNO_INVALID.format(q=_quote(_clean(raw))))


@_remembered
def parse_certificate(raw: object) -> Parsed[tuple[bool, str]]:
    """A certificate column (halal, P-IRT, BPOM MD...): ``(has_it, number or "")``.

    Yes/no words as :func:`parse_yes_no`; a number (``"ID36110000123450823"``,
    ``"P-IRT 2063673010123-29"``, ``"MD 235602169254"``, ``"Ada, No. 123456"``) gives
    ``(True, "<NUMBER>")`` (upper case, label words dropped). ``"proses"`` gives
    ``(False, "")`` with the warning ``cert_in_process``. A number that went through a numeric
    Excel cell (float of 15+ digits, scientific notation) is ``cert_excel_damaged``.
    """
    answer = parse_yes_no(raw)
    if answer.value is not None:
        return Parsed((answer.value, ""))
    early = _early(raw, "cert")
    if early is not None:
        return early
    text = _clean(raw)
    q = _quote(text)
    if isinstance(raw, bool) or isinstance(raw, datetime.date):
        return _fail("cert_invalid", CERT_INVALID.format(q=q))
    if isinstance(raw, int) and raw > 0:
        return Parsed((True, str(raw)))
    if isinstance(raw, float | Decimal):
        if math.isfinite(raw) and raw > 0 and raw == int(raw) and raw < 10**15:
            return Parsed((True, str(int(raw))))
        return _fail("cert_excel_damaged", CERT_EXCEL_DAMAGED.format(q=q))
    if not isinstance(raw, str):
        return _fail("cert_invalid", CERT_INVALID.format(q=q))
    key = fold(text)
    if _IN_PROCESS.search(key):
        return Parsed((False, ""), (_warning("cert_in_process", CERT_IN_PROCESS.format(q=q)),))
    if _SCIENTIFIC.fullmatch(key.replace(" ", "")):
        return _fail("cert_excel_damaged", CERT_EXCEL_DAMAGED.format(q=q))
    first_word = key.split(" ", 1)[0].strip(".,:;")
    if first_word in _NO and first_word not in ("no", "n"):
        return _fail("cert_invalid", CERT_INVALID.format(q=q))
    number = _CERT_LEAD.sub("", text).strip(" ()[].,;:-")
    if not _CERT_DIGITS.search(number):
        return _fail("cert_invalid", CERT_INVALID.format(q=q))
    return Parsed((True, _SPACES.sub(" ", number).upper()))


# --------------------------------------------------------------------------------------------
# Sex
# --------------------------------------------------------------------------------------------

SEX_INVALID = "Jenis kelamin {q} tidak dikenal; isi L (laki-laki) atau P (perempuan)."

_MALE = frozenset({"l", "lk", "laki", "lakilaki", "lelaki", "pria", "male", "m", "man", "cowok"})
_FEMALE = frozenset({"p", "pr", "prp", "perempuan", "wanita", "female", "f", "w", "woman", "cewek"})


@_remembered
def parse_sex(raw: object) -> Parsed[Sex]:
    """``"L"`` or ``"P"`` from L/Laki-laki/Pria/Lk/Male/M and P/Perempuan/Wanita/Pr/Female/F/W.

    Numeric codes (1/2) are refused: their meaning differs between forms.
    """
    early = _early(raw, "sex")
    if early is not None:
        return early
    text = _clean(raw)
    key = compact_key(text) if isinstance(raw, str) else ""
    if key in _MALE:
        return Parsed("L")
    if key in _FEMALE:
        return Parsed("P")
    return _fail("sex_invalid", SEX_INVALID.format(q=_quote(text)))


# --------------------------------------------------------------------------------------------
# RT / RW
# --------------------------------------------------------------------------------------------

RT_RW_INVALID = "RT/RW {q} tidak terbaca; tulis seperti 002/005 atau RT 02 RW 05."
RT_RW_ZERO = "RT/RW {q} berisi nomor 0; periksa lagi."
RT_RW_MISSING_RW = "RT/RW {q} hanya berisi RT; isi juga RW, misalnya 002/005."
RT_RW_EXCEL_DATE = (
    "RT/RW berubah menjadi tanggal ({date}) oleh Excel; ketik ulang dan atur kolom sebagai Teks."
)

_RT = r"r\.?\s*t\.?"
_RW = r"r\.?\s*w\.?"
_RT_RW_CELL = re.compile(
    rf"(?:{_RT}\s*(?:/\s*{_RW})?)?\s*[.:]?\s*([0-9]{{1,4}})"
    rf"\s*(?:(?:[/\\,\-]|\s)\s*(?:{_RW}\s*[.:]?\s*)?|{_RW}\s*[.:]?\s*)([0-9]{{1,4}})",
    re.ASCII,
)
_RW_RT_CELL = re.compile(
    rf"{_RW}\s*[.:]?\s*([0-9]{{1,4}})\s*[/,\-\s]\s*{_RT}\s*[.:]?\s*([0-9]{{1,4}})", re.ASCII
)
_RT_ONLY_CELL = re.compile(rf"{_RT}\s*[.:]?\s*[0-9]{{1,4}}", re.ASCII)

_ADDR_RT = r"(?<![A-Za-z])R\.?T\.?"
_ADDR_RW = r"R\.?W\.?"
_ADDRESS_RT_RW = re.compile(
    rf"{_ADDR_RT}\s*(?:/\s*{_ADDR_RW})?\s*[.:]?\s*0*([0-9]{{1,3}})"
    rf"\s*(?:[/\-]\s*(?:{_ADDR_RW}\s*[.:]?\s*)?|,?\s*{_ADDR_RW}\s*[.:]?\s*)0*([0-9]{{1,3}})"
    r"(?![0-9])",
    re.ASCII | re.IGNORECASE,
)
_ADDRESS_RT = re.compile(rf"{_ADDR_RT}\s*[.:]?\s*0*([0-9]{{1,3}})(?![0-9])", re.I | re.A)
_ADDRESS_RW = re.compile(
    rf"(?<![A-Za-z]){_ADDR_RW}\s*[.:]?\s*0*([0-9]{{1,3}})(?![0-9])", re.I | re.A
)


def _pad3(number: str) -> str:
    return str(int(number)).zfill(3)


@_remembered
def parse_rt_rw(raw: object) -> Parsed[tuple[str, str]]:
    """``("002", "005")`` from ``"RT 02/RW 05"``, ``"02/05"``, ``"2/5"``, ``"RT.002 RW.005"``,
    ``"RT 2 RW 5"``, ``"002/005"``, ``"RT/RW 02/05"``, ``"RW 05 RT 02"``.

    A cell that Excel turned into a date (``"02/05"`` -> 2 May) is ``rt_rw_excel_date``.
    """
    early = _early(raw, "rt_rw")
    if early is not None:
        return early
    if isinstance(raw, datetime.date):
        message = RT_RW_EXCEL_DATE.format(date=format_date_id(raw))
        return _fail("rt_rw_excel_date", message)
    text = _clean(raw)
    q = _quote(text)
    s = fold(text) if isinstance(raw, str) else ""
    if match := _RT_RW_CELL.fullmatch(s):
        rt, rw = match.groups()
    elif match := _RW_RT_CELL.fullmatch(s):
        rw, rt = match.groups()
    elif _RT_ONLY_CELL.fullmatch(s):
        return _fail("rt_rw_missing_rw", RT_RW_MISSING_RW.format(q=q))
    else:
        return _fail("rt_rw_invalid", RT_RW_INVALID.format(q=q))
    if int(rt) > 999 or int(rw) > 999:
        return _fail("rt_rw_invalid", RT_RW_INVALID.format(q=q))
    if int(rt) == 0 or int(rw) == 0:
        return _fail("rt_rw_zero", RT_RW_ZERO.format(q=q))
    return Parsed((_pad3(rt), _pad3(rw)))


def _tidy_address(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = re.sub(r"\s+([,;])", r"\1", text)
    text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
    return text.strip(" ,;/-")


def split_address_rt_rw(address: str) -> tuple[str, str | None, str | None]:
    """Pull a labelled RT/RW out of a free-text address.

    ``"Kp. Cibogo RT 02/05 Kel. Cipare"`` -> ``("Kp. Cibogo Kel. Cipare", "002", "005")``.
    Only labelled numbers are taken (``RT``, ``RW``, ``RT/RW``): a bare ``"02/05"`` in an
    address may be a house number. A lone ``RT 3`` or ``RW 5`` fills one side. The address
    is returned unchanged (only whitespace tidied) when there is no RT/RW.
    """
    text = _SPACES.sub(" ", address).strip()
    if match := _ADDRESS_RT_RW.search(text):
        rest = text[: match.start()] + " " + text[match.end() :]
        return _tidy_address(rest), _pad3(match.group(1)), _pad3(match.group(2))
    rt: str | None = None
    rw: str | None = None
    if match := _ADDRESS_RT.search(text):
        rt = _pad3(match.group(1))
        text = text[: match.start()] + " " + text[match.end() :]
    if match := _ADDRESS_RW.search(text):
        rw = _pad3(match.group(1))
        text = text[: match.start()] + " " + text[match.end() :]
    if rt is None and rw is None:
        return text, None, None
    return _tidy_address(text), rt, rw


# --------------------------------------------------------------------------------------------
# Sector
# --------------------------------------------------------------------------------------------

SECTOR_UNKNOWN = "Sektor {q} tidak dikenal.{hint} Pilih salah satu: {codes}."
SECTOR_AMBIGUOUS = "Sektor {q} cocok dengan lebih dari satu sektor ({found}); pilih satu."
SECTOR_KBLI = "Sektor {q} tampak seperti kode KBLI; isi nama sektor: {codes}."

_SECTOR_OTHER = frozenset(
    {"lainnya", "lain-lain", "lain lain", "lain2", "lainya", "other", "others"}
)
_SECTOR_PHRASES: dict[str, str] = {
    "warung makan": "kuliner",
    "rumah makan": "kuliner",
    "warung kopi": "kuliner",
    "toko kue": "kuliner",
    "toko roti": "kuliner",
    "jasa boga": "kuliner",
    "jasa catering": "kuliner",
    "jasa katering": "kuliner",
    "tata boga": "kuliner",
    "olahan pangan": "kuliner",
    "food and beverage": "kuliner",
    "frozen food": "kuliner",
    "jasa jahit": "fesyen",
    "tata busana": "fesyen",
    "kerajinan tangan": "kriya",
    "tata rias": "jasa",
    "jual beli": "perdagangan",
}
_SECTOR_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "kuliner makanan makan minuman minum mamin mamim fnb food foods beverage catering "
            "katering kue snack camilan cemilan keripik kripik kopi roti bakery pangan resto "
            "restoran restaurant kedai sambal emping jajanan jajan boga masakan nasi bakso "
            "kerupuk krupuk dodol kafe cafe"
        ).split(),
        "kuliner",
    ),
    **dict.fromkeys(
        (
            "fesyen fashion konveksi pakaian batik busana jahit penjahit menjahit tailor garmen "
            "garment hijab kerudung jilbab baju bordir clothing apparel sepatu sandal mukena "
            "kaos sandang"
        ).split(),
        "fesyen",
    ),
    **dict.fromkeys(
        (
            "kriya kerajinan handicraft handicrafts craft crafts anyaman gerabah ukiran souvenir "
            "suvenir cinderamata aksesoris aksesori accessories keramik rotan"
        ).split(),
        "kriya",
    ),
    **dict.fromkeys(
        (
            "jasa servis service laundry laundri londri salon bengkel cukur pangkas barbershop "
            "barber percetakan fotokopi fotocopy reparasi rias spa pijat sablon"
        ).split(),
        "jasa",
    ),
    **dict.fromkeys(
        (
            "perdagangan dagang pedagang berdagang dagangan warung toko kelontong sembako "
            "retail ritel grosir grosiran reseller dropship dropshipper agen minimarket "
            "trading jualan"
        ).split(),
        "perdagangan",
    ),
    **dict.fromkeys(
        (
            "pertanian perikanan peternakan budidaya tani petani ternak ikan kebun perkebunan "
            "hortikultura agribisnis tambak lele nelayan hidroponik agri agriculture sayur "
            "sayuran tanaman"
        ).split(),
        "pertanian",
    ),
}
_SECTOR_SUFFIXES = ("annya", "nya", "an", "kan")
_FNB = re.compile(r"\bf\s*(?:&|and|n|dan)\s*b\b", re.ASCII)
_WORDS = re.compile(r"[a-z0-9]+", re.ASCII)


def _sector_of_word(word: str) -> str | None:
    if word in _SECTOR_WORDS:
        return _SECTOR_WORDS[word]
    for suffix in _SECTOR_SUFFIXES:
        # "jahitan", "batiknya", "kerajinannya": a keyword may carry an Indonesian suffix.
        if word.endswith(suffix) and word[: -len(suffix)] in _SECTOR_WORDS:
            return _SECTOR_WORDS[word[: -len(suffix)]]
    return None


_SECTOR_PHRASE_PATTERNS = tuple(
    (re.compile(r"\b" + re.escape(phrase) + r"\b"), code)
    for phrase, code in _SECTOR_PHRASES.items()
)
_ANY_SECTOR_PHRASE = re.compile(
    r"\b(?:" + "|".join(re.escape(phrase) for phrase in _SECTOR_PHRASES) + r")\b"
)


@_remembered
def parse_sector(raw: object) -> Parsed[str]:
    """One of ``SECTOR_CODES`` from a free label: ``"Makanan dan Minuman"`` -> ``kuliner``.

    Keywords decide (``"Mamin"``, ``"F&B"``, ``"Konveksi"``, ``"Anyaman"``, ``"Laundry"``,
    ``"Kelontong"``, ``"Budidaya"``...); only an explicit ``"Lainnya"``/``"Lain-lain"`` gives
    ``lainnya``. Keywords from two sectors (``"Toko baju"``) are ``sector_ambiguous``; no
    keyword is ``sector_unknown`` with a suggestion for typos. Never silently ``lainnya``.
    """
    return _parse_sector(raw, suggest=True)


@_remembered
def _parse_sector_quietly(raw: object) -> Parsed[str]:
    return _parse_sector(raw, suggest=False)


def _parse_sector(raw: object, *, suggest: bool) -> Parsed[str]:
    """``parse_sector``; ``suggest=False`` leaves out the typo suggestion of an unknown
    label (a fuzzy search over every keyword: most of the cost, and only a message)."""
    early = _early(raw, "sector")
    if early is not None:
        return early
    text = _clean(raw)
    q = _quote(text)
    codes = ", ".join(SECTOR_CODES)
    key = fold(text)
    if key.strip(" .") in _SECTOR_OTHER:
        return Parsed("lainnya")
    if _ASCII_DIGITS.fullmatch(key.replace(" ", "")):
        return _fail("sector_kbli", SECTOR_KBLI.format(q=q, codes=codes))
    key = _FNB.sub(" fnb ", key.replace("&", " & "))
    found: list[str] = []
    if _ANY_SECTOR_PHRASE.search(key):  # none there: the loop below would change nothing
        for pattern, code in _SECTOR_PHRASE_PATTERNS:
            if pattern.search(key):
                key = pattern.sub(" ", key)
                if code not in found:
                    found.append(code)
    words = _WORDS.findall(key)
    for word in words:
        code_or_none = _sector_of_word(word)
        if code_or_none is not None and code_or_none not in found:
            found.append(code_or_none)
    if len(found) == 1:
        return Parsed(found[0])
    if found:
        return _fail("sector_ambiguous", SECTOR_AMBIGUOUS.format(q=q, found=", ".join(found)))
    hint = ""
    choices = [*_SECTOR_WORDS, *SECTOR_CODES]
    best: tuple[float, str] | None = None
    for word in [" ".join(words), *words] if words and suggest else []:
        match = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=75)
        if match is not None and (best is None or match[1] > best[0]):
            best = (match[1], str(match[0]))
    if best is not None:
        keyword = best[1]
        code = _SECTOR_WORDS.get(keyword, keyword)
        hint = f" Mungkin maksudnya '{keyword}'" + (f" ({code})?" if code != keyword else "?")
    return _fail("sector_unknown", SECTOR_UNKNOWN.format(q=q, hint=hint, codes=codes))


# --------------------------------------------------------------------------------------------
# Legal form
# --------------------------------------------------------------------------------------------

LEGAL_FORM_UNKNOWN = (
    "Bentuk usaha {q} tidak dikenal.{hint} Pilih salah satu: Perorangan, UD, CV, "
    "PT Perorangan, PT, Koperasi, Firma, Lainnya."
)
LEGAL_FORM_FROM_NAME = "Bentuk usaha diambil dari awal nama {q}: {form}."

_LEGAL_FORM_KEYS: dict[str, str] = {
    **dict.fromkeys(
        (
            "perorangan perseorangan individu individual pribadi usahaperorangan "
            "usahaperseorangan tidakberbadanhukum belumberbadanhukum nonbadanhukum tidakada "
            "belumada"
        ).split(),
        "PERORANGAN",
    ),
    **dict.fromkeys("ud usahadagang".split(), "UD"),
    **dict.fromkeys("cv persekutuankomanditer komanditer".split(), "CV"),
    **dict.fromkeys(
        (
            "ptperorangan ptperseorangan perseroanperorangan perseroanperseorangan "
            "ptperoranganumk ptperseoranganumk"
        ).split(),
        "PT_PERORANGAN",
    ),
    **dict.fromkeys("pt perseroanterbatas pttbk tbk".split(), "PT"),
    **dict.fromkeys(
        (
            "koperasi kop ksp ksu kspps kopontren kud kopwan koperasisimpanpinjam "
            "koperasiserbausaha koperasikonsumen koperasiprodusen"
        ).split(),
        "KOPERASI",
    ),
    **dict.fromkeys("firma fa".split(), "FIRMA"),
    **dict.fromkeys(
        "lainnya lainlain lain lain2 yayasan perkumpulan bumdes bumdesa".split(), "LAINNYA"
    ),
}
_LEGAL_FORM_NAME_PREFIX: dict[str, str] = {
    "pt": "PT",
    "cv": "CV",
    "ud": "UD",
    "fa": "FIRMA",
    "firma": "FIRMA",
    "koperasi": "KOPERASI",
    "kop": "KOPERASI",
    "ksp": "KOPERASI",
    "ksu": "KOPERASI",
}
_LEGAL_FORM_NAMES = {
    "PERORANGAN": "Perorangan",
    "UD": "UD",
    "CV": "CV",
    "PT_PERORANGAN": "PT Perorangan",
    "PT": "PT",
    "KOPERASI": "Koperasi",
    "FIRMA": "Firma",
    "LAINNYA": "Lainnya",
}


@_remembered
def parse_legal_form(raw: object) -> Parsed[str]:
    """One of ``LEGAL_FORMS``: ``"P.T."``/``"PT."``/``"Pt"`` -> PT, ``"C.V."`` -> CV,
    ``"Koperasi"``/``"KSP"``/``"KSU"`` -> KOPERASI, ``"PT Perorangan"``/``"PT Perseorangan"``
    -> PT_PERORANGAN, ``"Perorangan"``/``"Individu"``/``"-"`` -> PERORANGAN.

    A business name starting with a form (``"CV. Maju Jaya"``) gives that form with the
    warning ``legal_form_from_name``. Anything else is ``legal_form_unknown``.
    """
    if isinstance(raw, str) and _clean(raw) in ("-", "--", "---"):
        return Parsed("PERORANGAN")
    early = _early(raw, "legal_form")
    if early is not None:
        return early
    text = _clean(raw)
    q = _quote(text)
    key = compact_key(text) if isinstance(raw, str) else ""
    if key in _LEGAL_FORM_KEYS:
        return Parsed(_LEGAL_FORM_KEYS[key])
    if key.startswith(("ptperorangan", "ptperseorangan")):
        return Parsed("PT_PERORANGAN")
    if key.startswith("koperasi"):
        return Parsed("KOPERASI")
    first, _, rest = text.partition(" ")
    form = _LEGAL_FORM_NAME_PREFIX.get(compact_key(first))
    if form is not None and compact_key(rest):
        message = LEGAL_FORM_FROM_NAME.format(q=q, form=_LEGAL_FORM_NAMES[form])
        return Parsed(form, (_warning("legal_form_from_name", message),))
    hint = ""
    suggestion = _fuzzy(key, [k for k in _LEGAL_FORM_KEYS if len(k) > 3])
    if suggestion is not None:
        hint = f" Mungkin maksudnya {_LEGAL_FORM_NAMES[_LEGAL_FORM_KEYS[suggestion]]}?"
    return _fail("legal_form_unknown", LEGAL_FORM_UNKNOWN.format(q=q, hint=hint))


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------

COORD_INVALID = "Koordinat {q} tidak terbaca; tulis lintang, bujur seperti -6.1203, 106.1503."
COORD_OUTSIDE = "Koordinat {q} ({lat}, {lon}) berada di luar Indonesia; periksa lagi."
COORD_SWAPPED = "Koordinat {q} tertukar (bujur ditulis lebih dulu); dibalik menjadi {lat}, {lon}."
COORD_LOW_ACCURACY = (
    "Akurasi GPS koordinat {q} kurang baik (sekitar {accuracy} meter); lokasinya mungkin meleset."
)

_LAT_RANGE = (-11.5, 6.5)
_LON_RANGE = (94.5, 141.5)
_LOW_ACCURACY_METRES = 100.0
_DMS = re.compile(
    r"(?P<sign>-)?\s*(?P<deg>[0-9]{1,3}(?:[.,][0-9]+)?)\s*[°º˚]\s*"
    r"(?:(?P<min>[0-9]{1,2}(?:[.,][0-9]+)?)\s*['′’‘`]\s*)?"
    r"(?:(?P<sec>[0-9]{1,2}(?:[.,][0-9]+)?)\s*(?:\"|″|”|“|''|’’|′′)\s*)?"
    r"(?P<hem>LS|LU|BT|BB|[NSEWUTB])?(?![A-Za-z])",
    re.IGNORECASE | re.ASCII,
)
_MAP_URL = re.compile(r"(?:@|[?&](?:q|ll|query)=)(-?[0-9]+\.[0-9]+),\s*(-?[0-9]+\.[0-9]+)")
_COORD_LABELS = re.compile(
    r"\b(?:lat|lon|long|lng|latitude|longitude|lintang|bujur)\b\s*[:=]?", re.IGNORECASE | re.ASCII
)
_COORD_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_HEMISPHERES: dict[str, tuple[str, int]] = {
    "n": ("lat", 1),
    "u": ("lat", 1),
    "lu": ("lat", 1),
    "s": ("lat", -1),
    "ls": ("lat", -1),
    "e": ("lon", 1),
    "t": ("lon", 1),
    "bt": ("lon", 1),
    "w": ("lon", -1),
    "b": ("lon", -1),
    "bb": ("lon", -1),
}


def _in_indonesia(lat: float, lon: float) -> bool:
    return _LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]


def _dms_pair(text: str) -> tuple[float, float] | None:
    matches = list(_DMS.finditer(text))
    leftover = _DMS.sub(" ", text).strip(" ,;/")
    if len(matches) != 2 or leftover:
        return None
    values: list[tuple[str | None, float]] = []
    for match in matches:
        value = float(match.group("deg").replace(",", "."))
        if match.group("min"):
            value += float(match.group("min").replace(",", ".")) / 60
        if match.group("sec"):
            value += float(match.group("sec").replace(",", ".")) / 3600
        axis: str | None = None
        if match.group("sign"):
            value = -value
        if match.group("hem"):
            axis, sign = _HEMISPHERES.get(match.group("hem").lower(), (None, 1))
            value = abs(value) * sign
        values.append((axis, value))
    (axis_a, a), (axis_b, b) = values
    if axis_a == "lon" or axis_b == "lat":
        if axis_a == axis_b:
            return None
        return b, a
    if axis_a is not None and axis_a == axis_b:
        return None
    return a, b


def _decimal_numbers(text: str) -> list[float] | None:
    text = text.strip("()[]{} ")
    tokens = [token for token in re.split(r"\s*;\s*|,\s+|\s+", text) if token]
    if len(tokens) == 1 and tokens[0].count(",") == 1:
        left, right = tokens[0].split(",")
        if "." in left and "." in right:
            tokens = [left, right]
    numbers: list[float] = []
    for token in tokens:
        token = token.strip(",")
        if token.count(",") == 1 and "." not in token:
            token = token.replace(",", ".")
        if not _COORD_NUMBER.fullmatch(token):
            return None
        numbers.append(float(token))
    return numbers


def parse_coordinates(raw: object) -> Parsed[tuple[float, float]]:
    """``(latitude, longitude)`` inside Indonesia.

    Accepts ``"-6.1203, 106.1503"``, ``"-6,1203; 106,1503"``, ``"-6.1203 106.1503"``,
    DMS ``"6°07'13\\"S 106°09'01\\"E"`` (also LS/BT), a KoboToolbox geopoint
    ``"-6.1203 106.1503 25.0 5.0"`` (lat lon altitude accuracy: an accuracy over 100 m is the
    warning ``coord_low_accuracy``), a Google Maps link and a (lat, lon) pair. Outside
    lat -11.5..6.5 / lon 94.5..141.5 is ``coord_outside_indonesia``, unless swapping the two
    fixes it (warning ``coord_swapped``).
    """
    early = _early(raw, "coord")
    if early is not None:
        return early
    numbers: list[float] | None
    if isinstance(raw, tuple | list) and len(raw) == 2 and all(_is_number(v) for v in raw):
        text = f"{raw[0]}, {raw[1]}"
        numbers = [float(raw[0]), float(raw[1])]
    else:
        text = _clean(raw)
        numbers = None
        if isinstance(raw, str):
            if match := _MAP_URL.search(text):
                numbers = [float(match.group(1)), float(match.group(2))]
            elif any(mark in text for mark in "°º˚"):
                pair = _dms_pair(text)
                numbers = list(pair) if pair is not None else None
            else:
                numbers = _decimal_numbers(_COORD_LABELS.sub(" ", text))
    q = _quote(text)
    if numbers is None or not 2 <= len(numbers) <= 4 or not all(map(math.isfinite, numbers)):
        return _fail("coord_invalid", COORD_INVALID.format(q=q))
    lat, lon = numbers[0], numbers[1]
    issues: list[Issue] = []
    if not _in_indonesia(lat, lon):
        if not _in_indonesia(lon, lat):
            message = COORD_OUTSIDE.format(q=q, lat=f"{lat:.5f}", lon=f"{lon:.5f}")
            return _fail("coord_outside_indonesia", message)
        lat, lon = lon, lat
        message = COORD_SWAPPED.format(q=q, lat=f"{lat:.5f}", lon=f"{lon:.5f}")
        issues.append(_warning("coord_swapped", message))
    if len(numbers) == 4 and numbers[3] > _LOW_ACCURACY_METRES:
        message = COORD_LOW_ACCURACY.format(q=q, accuracy=f"{numbers[3]:.0f}")
        issues.append(_warning("coord_low_accuracy", message))
    return Parsed((lat, lon), tuple(issues))


# --------------------------------------------------------------------------------------------
# Market channels
# --------------------------------------------------------------------------------------------

CHANNEL_UNKNOWN = (
    "Saluran {q} tidak dikenal; dicatat sebagai toko/lapak sendiri (offline). Periksa lagi."
)
CHANNEL_INVALID = "Saluran pemasaran {q} tidak terbaca; tulis nama-namanya dipisah koma."
CHANNEL_VAGUE = (
    "Saluran {q} kurang jelas; dicatat sebagai marketplace. Sebutkan nama marketplace-nya bila ada."
)

_CHANNELS: dict[str, tuple[str, str]] = {
    **{
        key: ("MARKETPLACE", name)
        for name, keys in (
            ("Shopee", ("shopee",)),
            ("Tokopedia", ("tokopedia", "tokped")),
            ("Lazada", ("lazada",)),
            ("Bukalapak", ("bukalapak",)),
            ("Blibli", ("blibli",)),
            ("TikTok Shop", ("tiktokshop", "ttshop")),
            ("ShopeeFood", ("shopeefood",)),
            ("GoFood", ("gofood",)),
            ("GrabFood", ("grabfood",)),
            ("Marketplace", ("marketplace", "ecommerce")),
        )
        for key in keys
    },
    **{
        key: ("RITEL_MODERN", name)
        for name, keys in (
            ("Indomaret", ("indomaret",)),
            ("Alfamart", ("alfamart",)),
            ("Alfamidi", ("alfamidi",)),
            ("Superindo", ("superindo",)),
            ("Hypermart", ("hypermart",)),
            ("Transmart", ("transmart",)),
            ("Lawson", ("lawson",)),
            ("Circle K", ("circlek",)),
            ("Ritel modern", ("ritelmodern", "minimarket", "supermarket")),
        )
        for key in keys
    },
    **{
        key: ("MEDIA_SOSIAL", name)
        for name, keys in (
            ("WhatsApp", ("wa", "whatsapp", "wabusiness", "whatsappbusiness", "wag")),
            ("Facebook", ("facebook", "fb", "fbmarketplace", "facebookmarketplace")),
            ("Instagram", ("instagram", "ig", "insta")),
            ("TikTok", ("tiktok",)),
            ("YouTube", ("youtube",)),
            ("Telegram", ("telegram",)),
            ("Media sosial", ("medsos", "mediasosial", "sosmed", "socialmedia")),
        )
        for key in keys
    },
    **dict.fromkeys(
        ("affiliate", "afiliasi", "affiliasi", "afiliate", "affiliator"), ("AFILIASI", "Afiliasi")
    ),
}
_CHANNEL_OFFLINE = frozenset(
    (
        "offline tokosendiri toko warung lapak lapaksendiri kios rumah dirumah darirumah "
        "langsung jualanlangsung penjualanlangsung gerobak keliling bazar bazaar pameran expo"
    ).split()
)
_CHANNEL_VAGUE = frozenset({"online", "daring", "olshop", "onlineshop", "jualanonline"})
_CHANNEL_NAME_MAX = 100  # MarketChannel.name max_length
_CHANNEL_SPLIT = re.compile(r"\s*(?:[,;/|+&]|\s-\s|\bdan\b|\bserta\b)\s*", re.IGNORECASE)
_CHANNEL_BULLET = re.compile(r"^(?:[-•*·]+|[0-9]+[.)])\s*")
_CHANNEL_HANDLE = re.compile(r"@\S+|\([^)]*\)|https?://\S+|www\.\S+")


def parse_channels(raw: object) -> Parsed[list[tuple[str, str]]]:
    """``[(ChannelKind, name), ...]`` from ``"Shopee, Tokopedia, IG"``.

    Marketplaces (Shopee, Tokopedia, TikTok Shop...) -> MARKETPLACE; Indomaret, Alfamart,
    Alfamidi -> RITEL_MODERN; WA, Facebook, IG, TikTok -> MEDIA_SOSIAL; ``"pasar ..."`` ->
    PASAR_TRADISIONAL (name as written); affiliate/afiliasi -> AFILIASI; own shop words
    (toko, lapak, offline) -> OFFLINE. ``"online"`` is MARKETPLACE with the warning
    ``channel_vague``; unknown words are kept as OFFLINE with the warning ``channel_unknown``.
    Duplicates are dropped, order is kept.
    """
    early = _early(raw, "channel")
    if early is not None:
        return early
    if not isinstance(raw, str):
        return _fail("channel_invalid", CHANNEL_INVALID.format(q=_quote(_clean(raw))))
    items = [
        _CHANNEL_BULLET.sub("", part).strip(" .-")
        for line in re.split(r"[\r\n]+", raw)
        for part in _CHANNEL_SPLIT.split(_clean(line))
    ]
    channels: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for full_item in items:
        item = full_item[:_CHANNEL_NAME_MAX]
        if not item:
            continue
        key = compact_key(_CHANNEL_HANDLE.sub(" ", item))
        channel: tuple[str, str]
        if key in _CHANNELS:
            channel = _CHANNELS[key]
        elif key.startswith("pasar") and key not in ("pasaronline", "pasardaring"):
            channel = ("PASAR_TRADISIONAL", item[:1].upper() + item[1:])
        elif key in _CHANNEL_OFFLINE:
            channel = ("OFFLINE", item[:1].upper() + item[1:])
        elif key in _CHANNEL_VAGUE:
            channel = ("MARKETPLACE", "Online")
            issues.append(_warning("channel_vague", CHANNEL_VAGUE.format(q=_quote(item))))
        else:
            channel = ("OFFLINE", item)
            issues.append(_warning("channel_unknown", CHANNEL_UNKNOWN.format(q=_quote(item))))
        if channel not in channels:
            channels.append(channel)
    if not channels:
        return Parsed(None)
    return Parsed(channels, tuple(issues))


def known_sector(raw: object) -> str | None:
    """A sector code when the label names one; ``None`` for "lainnya" and for labels that name
    none (for linkage: a vague or unreadable label is no evidence that two records differ)."""
    parsed = _parse_sector_quietly(raw)
    return parsed.value if parsed.value and parsed.value != "lainnya" else None
