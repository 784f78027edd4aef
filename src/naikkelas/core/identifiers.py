"""Indonesian personal and business identifiers: NIK, NIB, NPWP and phone numbers (pure).

Nothing here touches Django, the ORM or settings. Every ``parse_*`` function is total: it
never raises on bad input but returns the normalised value (or ``None``) together with a
tuple of :class:`Issue` objects. Issue ``code`` values are stable machine codes; issue
``message`` values are plain Bahasa Indonesia strings for a kelurahan clerk (the caller may
translate them later).

Spreadsheet damage is *flagged, never repaired*: a NIK that went through a numeric Excel cell
has lost its last digit(s), and guessing them back would silently register the wrong person.

Domain facts used below:

* NIK: 16 digits ``PP KK CC DDMMYY NNNN`` (province, regency/city, kecamatan, birth date,
  serial). Women have 40 added to the day (41-71). Serial ``0000`` is never issued. There is
  no check digit.
* NIB (Nomor Induk Berusaha, OSS): 13 digits, no check digit.
* NPWP (PMK 112/2022): 16 digits, either the holder's NIK or ``0`` + the legacy 15-digit
  NPWP, whose 9th digit is a Luhn check digit over the first 8.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from stdnum.exceptions import ValidationError
from stdnum.id import npwp as stdnum_npwp

__all__ = [
    "IdentifierResult",
    "Issue",
    "NikInfo",
    "Severity",
    "format_nik",
    "looks_excel_damaged",
    "mask_nik",
    "mask_phone",
    "parse_nib",
    "parse_nik",
    "parse_npwp",
    "parse_phone",
]

# --------------------------------------------------------------------------------------------
# User-facing messages (Bahasa Indonesia). ``{...}`` placeholders are filled in by the parser.
# --------------------------------------------------------------------------------------------

NIK_EMPTY = "NIK wajib diisi."
NIK_NOT_DIGITS = (
    "NIK hanya boleh berisi angka. Spasi, titik, dan tanda hubung boleh dipakai sebagai pemisah."
)
NIK_LENGTH = "NIK harus 16 digit angka (sekarang {n} digit)."
NIK_DATE = (
    "Digit ke-7 sampai ke-12 NIK ({part}) bukan tanggal lahir yang benar. Formatnya TTBBTT "
    "(tanggal, bulan, tahun); untuk perempuan tanggal ditambah 40. Periksa kembali dengan KTP."
)
NIK_SERIAL = "Empat digit terakhir NIK tidak boleh 0000. Periksa kembali dengan KTP."
NIK_EXCEL_SCIENTIFIC = (
    "NIK rusak oleh Excel: tersimpan dalam format ilmiah (misalnya 3,67306E+15) sehingga "
    "digit aslinya sudah hilang. Ketik ulang NIK dari KTP dan atur kolom Excel sebagai Teks."
)
NIK_EXCEL_FLOAT = (
    "NIK rusak oleh Excel: tersimpan sebagai angka, bukan teks, sehingga digit terakhir bisa "
    "berubah. Ketik ulang NIK dari KTP dan atur kolom Excel sebagai Teks."
)
NIK_EXCEL_TRAILING_ZERO = (
    "Digit terakhir NIK adalah 0: mungkin rusak oleh Excel (Excel hanya menyimpan 15 digit "
    "angka). Periksa kembali dengan KTP."
)
NIK_REGION_UNKNOWN = (
    "Kode wilayah NIK ({code}) tidak dikenal sebagai kode kecamatan. Periksa kembali dengan KTP."
)
NIK_UNDER_17 = (
    "Menurut NIK, pemilik di bawah 17 tahun (umur {age} tahun), padahal KTP baru diterbitkan "
    "pada umur 17. Periksa kembali dengan KTP."
)
NIK_OVER_100 = (
    "Menurut NIK, pemilik berumur lebih dari 100 tahun ({age} tahun). Periksa kembali dengan KTP."
)

NIB_EMPTY = "NIB wajib diisi."
NIB_NOT_DIGITS = (
    "NIB hanya boleh berisi angka. Spasi, titik, dan tanda hubung boleh dipakai sebagai pemisah."
)
NIB_LENGTH = "NIB harus 13 digit angka (sekarang {n} digit)."
NIB_EXCEL_SCIENTIFIC = (
    "NIB rusak oleh Excel: tersimpan dalam format ilmiah (misalnya 1,23457E+12) sehingga "
    "digit aslinya sudah hilang. Ketik ulang NIB dari dokumen OSS dan atur kolom Excel "
    "sebagai Teks."
)
NIB_EXCEL_FLOAT = (
    "NIB tersimpan sebagai angka desimal (dari Excel), bukan teks. Ketik ulang NIB dari "
    "dokumen OSS dan atur kolom Excel sebagai Teks."
)

NPWP_EMPTY = "NPWP wajib diisi."
NPWP_NOT_DIGITS = (
    "NPWP hanya boleh berisi angka. Spasi, titik, dan tanda hubung boleh dipakai sebagai pemisah."
)
NPWP_LENGTH = "NPWP harus 16 digit angka, atau 15 digit untuk format lama (sekarang {n} digit)."
NPWP_CHECKSUM = (
    "NPWP tidak valid: digit pemeriksa tidak cocok, kemungkinan ada angka yang salah ketik. "
    "Periksa kembali dengan kartu NPWP."
)
NPWP_LEGACY_CONVERTED = (
    "NPWP format lama (15 digit) sudah diubah ke format baru 16 digit dengan menambahkan 0 "
    "di depan: {value}."
)
NPWP_EXCEL_SCIENTIFIC = (
    "NPWP rusak oleh Excel: tersimpan dalam format ilmiah (misalnya 1,23457E+14) sehingga "
    "digit aslinya sudah hilang. Ketik ulang NPWP dari kartu NPWP dan atur kolom Excel "
    "sebagai Teks."
)
NPWP_EXCEL_FLOAT = (
    "NPWP rusak oleh Excel: tersimpan sebagai angka, bukan teks, sehingga angka 0 di depan "
    "atau digit terakhir bisa hilang. Ketik ulang NPWP dari kartu NPWP dan atur kolom Excel "
    "sebagai Teks."
)

PHONE_EMPTY = "Nomor telepon wajib diisi."
PHONE_INVALID = (
    "Nomor telepon tidak valid. Tulis seperti 0812-3456-7890 (HP) atau (0254) 123456 "
    "(telepon rumah/kantor)."
)
PHONE_FOREIGN = "Nomor telepon bukan nomor Indonesia (kode negara +{country})."
PHONE_EXCEL_SCIENTIFIC = (
    "Nomor telepon rusak oleh Excel: tersimpan dalam format ilmiah (misalnya 8,12346E+10) "
    "sehingga digit aslinya sudah hilang. Ketik ulang nomornya dan atur kolom Excel sebagai Teks."
)
PHONE_EXCEL_FLOAT = (
    "Nomor telepon tersimpan sebagai angka desimal (dari Excel), bukan teks, sehingga angka 0 "
    "di depan hilang. Ketik ulang nomornya dan atur kolom Excel sebagai Teks."
)

# --------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One finding about an input value."""

    code: str  # stable machine code, e.g. "nik_length"
    message: str  # Bahasa Indonesia, for the clerk
    severity: Severity


class _HasIssues:
    """Shared ``ok`` / ``errors`` / ``warnings`` accessors for result dataclasses."""

    issues: tuple[Issue, ...]

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


@dataclass(frozen=True)
class NikInfo(_HasIssues):
    """A parsed NIK. All value fields are ``None`` when there is any error."""

    nik: str | None  # normalised 16 digits
    region_code: str | None  # 6-digit kecamatan prefix, e.g. "367306"
    birth_date: datetime.date | None
    sex: Literal["L", "P"] | None  # L = laki-laki, P = perempuan (day + 40)
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class IdentifierResult(_HasIssues):
    """A parsed NIB, NPWP or phone number. ``value`` is ``None`` when there is any error."""

    value: str | None
    issues: tuple[Issue, ...]


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

# Western Indonesian Time (UTC+7) without needing tz data: "today" for a kelurahan office.
_WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")

# Group separators accepted inside identifiers (regular, non-breaking and thin spaces, tabs,
# dots, ASCII and typographic dashes).
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
# Scientific notation as Excel shows it, with a dot or comma decimal: "3.67301E+15",
# "3,67301E+15", "3.673061205850001e15".
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?\s*[eE]\s*[+-]?\d+")
# A whole number that was rendered from a float: "3673061205850001.0", "3673061205850001,00".
_FLOAT_TEXT = re.compile(r"\d+[.,]0+")

_ExcelDamage = Literal["scientific", "float"]


def _today() -> datetime.date:
    return datetime.datetime.now(_WIB).date()


def _error(code: str, message: str) -> Issue:
    return Issue(code=code, message=message, severity="error")


def _warning(code: str, message: str) -> Issue:
    return Issue(code=code, message=message, severity="warning")


def _raw_text(raw: object) -> str:
    """The input as stripped text; a leading apostrophe (Excel's "force text") is dropped."""
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.startswith(("'", "\u2019")):
        text = text[1:].strip()
    return text


def _excel_damage(raw: object) -> _ExcelDamage | None:
    """How the value was damaged by a numeric spreadsheet cell, if it visibly was."""
    if isinstance(raw, float):
        return "float"
    text = _raw_text(raw)
    if _SCIENTIFIC.fullmatch(text):
        return "scientific"
    if _FLOAT_TEXT.fullmatch(text):
        return "float"
    return None


def _is_blank(raw: object) -> bool:
    # A NaN float is how pandas (and some spreadsheet readers) represent an empty cell.
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return _raw_text(raw) == ""


def _compact(raw: object) -> str:
    """Strip separators: ``"3673.0612-0585 0001"`` -> ``"3673061205850001"``."""
    return _SEPARATORS.sub("", _raw_text(raw))


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _is_negative_int(raw: object) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool) and raw < 0


def looks_excel_damaged(raw: object) -> bool:
    """True when ``raw`` visibly went through a numeric Excel cell.

    That is: a Python ``float``, or text in scientific notation (``"3.67301E+15"``,
    ``"3,67301E+15"``) or ending in a zero decimal part (``"3673061205850001.0"``). A NIK whose
    last digit is 0 *may* be damaged too, but that is only a warning from :func:`parse_nik`
    and does not count here. NaN (an empty cell) is not damage.
    """
    if _is_blank(raw):
        return False
    return _excel_damage(raw) is not None


# --------------------------------------------------------------------------------------------
# NIK
# --------------------------------------------------------------------------------------------


def _nik_birth_date(nik: str, today: datetime.date) -> tuple[datetime.date, Literal["L", "P"]]:
    """Birth date and sex encoded in a 16-digit NIK; ``ValueError`` when impossible.

    The century is 20YY when that date is not after ``today``, otherwise 19YY, so the
    birth date is never in the future.
    """
    day = int(nik[6:8])
    month = int(nik[8:10])
    year = int(nik[10:12])
    sex: Literal["L", "P"] = "L"
    if day > 40:
        day -= 40
        sex = "P"
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise ValueError("impossible day or month")
    try:
        recent = datetime.date(2000 + year, month, day)
    except ValueError:
        recent = None
    if recent is not None and recent <= today:
        return recent, sex
    # Raises ValueError for e.g. 31 April or 29 February in a common year.
    return datetime.date(1900 + year, month, day), sex


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def _nik_excel_issue(damage: _ExcelDamage) -> Issue:
    if damage == "scientific":
        return _error("nik_excel_scientific", NIK_EXCEL_SCIENTIFIC)
    return _error("nik_excel_float", NIK_EXCEL_FLOAT)


def parse_nik(
    raw: str | int | float | None,
    *,
    known_regions: Container[str] | None = None,
    today: datetime.date | None = None,
) -> NikInfo:
    """Validate and normalise a NIK (Nomor Induk Kependudukan).

    Accepts spaces, dots and dashes as group separators (``"3673 0612 0585 0001"``,
    ``"3673.0612.0585.0001"``) and Python ints. Hard errors: empty, non-digits, not 16
    digits, impossible birth date, serial ``0000``, and any sign of Excel damage (floats,
    scientific notation, a ``".0"`` suffix). Warnings: kecamatan code not in
    ``known_regions`` (when given), owner younger than 17 or older than 100 at ``today``,
    and a last digit of 0 (possibly truncated by Excel).
    """
    if today is None:
        today = _today()
    if _is_blank(raw):
        return _nik_failed(_error("nik_empty", NIK_EMPTY))
    damage = _excel_damage(raw)
    if damage is not None:
        return _nik_failed(_nik_excel_issue(damage))
    nik = _compact(raw)
    if _is_negative_int(raw) or not _is_ascii_digits(nik):
        return _nik_failed(_error("nik_not_digits", NIK_NOT_DIGITS))
    if len(nik) != 16:
        return _nik_failed(_error("nik_length", NIK_LENGTH.format(n=len(nik))))

    issues: list[Issue] = []
    birth_date: datetime.date | None = None
    sex: Literal["L", "P"] | None = None
    try:
        birth_date, sex = _nik_birth_date(nik, today)
    except ValueError:
        issues.append(_error("nik_birth_date", NIK_DATE.format(part=nik[6:12])))

    serial_zero = nik[12:] == "0000"
    if serial_zero:
        issues.append(_error("nik_serial", NIK_SERIAL))
    elif nik.endswith("0"):
        issues.append(_warning("nik_excel_trailing_zero", NIK_EXCEL_TRAILING_ZERO))

    region_code = nik[:6]
    if known_regions is not None and region_code not in known_regions:
        issues.append(_warning("nik_region_unknown", NIK_REGION_UNKNOWN.format(code=region_code)))

    if birth_date is not None:
        age = _age(birth_date, today)
        if age < 17:
            issues.append(_warning("nik_under_17", NIK_UNDER_17.format(age=age)))
        elif age > 100:
            # Unreachable while the century rule above picks 19YY only when 20YY is in the
            # future (that caps the age at 99); kept so a change to that rule stays safe.
            issues.append(_warning("nik_over_100", NIK_OVER_100.format(age=age)))

    if any(issue.severity == "error" for issue in issues):
        return _nik_failed(*issues)
    return NikInfo(
        nik=nik,
        region_code=region_code,
        birth_date=birth_date,
        sex=sex,
        issues=tuple(issues),
    )


def _nik_failed(*issues: Issue) -> NikInfo:
    return NikInfo(nik=None, region_code=None, birth_date=None, sex=None, issues=issues)


def format_nik(value: str) -> str:
    """Display form in groups of four: ``"3673061205850001"`` -> ``"3673 0612 0585 0001"``.

    Anything that is not 16 digits after removing separators is returned stripped but
    otherwise unchanged (display code should not raise).
    """
    digits = _compact(value)
    if len(digits) != 16 or not _is_ascii_digits(digits):
        return value.strip()
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def mask_nik(value: str) -> str:
    """``"3673061205850001"`` -> ``"3673********0001"``: only the first and last 4 digits show.

    Also used for 16-digit NPWPs. Separators are removed first. Values that are not 16
    characters long show at most their last 4 characters (and nothing if shorter than 9),
    so a malformed value never leaks more than a well-formed one.
    """
    compact = _compact(value)
    if len(compact) == 16:
        return compact[:4] + "*" * 8 + compact[12:]
    if len(compact) <= 8:
        return "*" * len(compact)
    return "*" * (len(compact) - 4) + compact[-4:]


# --------------------------------------------------------------------------------------------
# NIB
# --------------------------------------------------------------------------------------------


def parse_nib(raw: str | int | float | None) -> IdentifierResult:
    """Validate and normalise a NIB (Nomor Induk Berusaha, 13 digits, no check digit)."""
    if _is_blank(raw):
        return IdentifierResult(None, (_error("nib_empty", NIB_EMPTY),))
    damage = _excel_damage(raw)
    if damage == "scientific":
        return IdentifierResult(None, (_error("nib_excel_scientific", NIB_EXCEL_SCIENTIFIC),))
    if damage == "float":
        return IdentifierResult(None, (_error("nib_excel_float", NIB_EXCEL_FLOAT),))
    nib = _compact(raw)
    if _is_negative_int(raw) or not _is_ascii_digits(nib):
        return IdentifierResult(None, (_error("nib_not_digits", NIB_NOT_DIGITS),))
    if len(nib) != 13:
        return IdentifierResult(None, (_error("nib_length", NIB_LENGTH.format(n=len(nib))),))
    return IdentifierResult(nib, ())


# --------------------------------------------------------------------------------------------
# NPWP
# --------------------------------------------------------------------------------------------


def _npwp_checksum_ok(digits: str) -> bool:
    try:
        stdnum_npwp.validate(digits)
    except ValidationError:
        return False
    return True


def parse_npwp(
    raw: str | int | float | None,
    *,
    known_regions: Container[str] | None = None,
    today: datetime.date | None = None,
) -> IdentifierResult:
    """Validate and normalise an NPWP to the 16-digit form of PMK 112/2022.

    * 16 digits not starting with 0: an individual's NIK, checked with :func:`parse_nik`
      (its issues, errors and warnings, are passed through unchanged).
    * 16 digits starting with 0: Luhn check digit checked (``stdnum.id.npwp``).
    * 15 digits (legacy ``"01.234.567.8-901.000"``): check digit checked, then converted to
      16 digits by prefixing ``0``, with the warning ``npwp_legacy_converted``.
    """
    if _is_blank(raw):
        return IdentifierResult(None, (_error("npwp_empty", NPWP_EMPTY),))
    damage = _excel_damage(raw)
    if damage == "scientific":
        return IdentifierResult(None, (_error("npwp_excel_scientific", NPWP_EXCEL_SCIENTIFIC),))
    if damage == "float":
        return IdentifierResult(None, (_error("npwp_excel_float", NPWP_EXCEL_FLOAT),))
    digits = _compact(raw)
    if _is_negative_int(raw) or not _is_ascii_digits(digits):
        return IdentifierResult(None, (_error("npwp_not_digits", NPWP_NOT_DIGITS),))

    if len(digits) == 16 and not digits.startswith("0"):
        info = parse_nik(digits, known_regions=known_regions, today=today)
        return IdentifierResult(info.nik, info.issues)
    if len(digits) not in (15, 16):
        issue = _error("npwp_length", NPWP_LENGTH.format(n=len(digits)))
        return IdentifierResult(None, (issue,))
    if not _npwp_checksum_ok(digits):
        return IdentifierResult(None, (_error("npwp_checksum", NPWP_CHECKSUM),))
    if len(digits) == 15:
        value = "0" + digits
        warning = _warning("npwp_legacy_converted", NPWP_LEGACY_CONVERTED.format(value=value))
        return IdentifierResult(value, (warning,))
    return IdentifierResult(digits, ())


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[\s().\-\u2010-\u2015\u2212/]+")


def _parse_valid_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@functools.cache
def _id_mobile() -> tuple[re.Pattern[str], frozenset[int]]:
    """libphonenumber's own pattern and lengths for Indonesian mobile numbers."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    assert metadata is not None and metadata.mobile is not None
    desc = metadata.mobile
    assert desc.national_number_pattern is not None
    return re.compile(desc.national_number_pattern), frozenset(desc.possible_length)


def _fast_id_mobile(bare: str) -> str | None:
    """E.164 of a plainly written Indonesian mobile number ("0812...", "62812...",
    "+62812...", "812..."), judged by libphonenumber's metadata without a full parse
    (parsing is most of the cost of normalising a large file); ``None``: take the full path."""
    if bare.startswith("+62"):
        national = bare[3:]
    elif bare.startswith("62"):
        national = bare[2:]
    elif bare.startswith("0"):
        national = bare[1:]
    else:
        national = bare
    if not national.startswith("8") or not _is_ascii_digits(national):
        return None
    pattern, lengths = _id_mobile()
    if len(national) in lengths and pattern.fullmatch(national):
        return "+62" + national
    return None


def parse_phone(raw: str | int | float | None, *, region: str = "ID") -> IdentifierResult:
    """Normalise a phone number to E.164 (``"+6281234567890"``).

    Accepts ``"0812-3456-7890"``, ``"+62 812 3456 7890"``, ``"6281234567890"`` (country code
    without ``+``, e.g. from a numeric cell), ``"812 3456 7890"`` (leading 0 lost) and
    landlines such as ``"(0254) 123456"``. Numbers outside Indonesia are accepted with the
    warning ``phone_foreign``.
    """
    if _is_blank(raw):
        return IdentifierResult(None, (_error("phone_empty", PHONE_EMPTY),))
    damage = _excel_damage(raw)
    if damage == "scientific":
        return IdentifierResult(None, (_error("phone_excel_scientific", PHONE_EXCEL_SCIENTIFIC),))
    if damage == "float":
        return IdentifierResult(None, (_error("phone_excel_float", PHONE_EXCEL_FLOAT),))

    region = region.upper()
    text = _raw_text(raw)
    bare = _PHONE_CHARS.sub("", text)
    if region == "ID" and (fast := _fast_id_mobile(bare)) is not None:
        return IdentifierResult(fast, ())
    return _parse_phone_text(text, bare, region)


def _parse_phone_text(text: str, bare: str, region: str) -> IdentifierResult:
    """The full path of :func:`parse_phone`: libphonenumber on each reading of the text."""
    candidates: list[str] = []
    if _is_ascii_digits(bare) and bare.startswith("62") and region == "ID":
        # "62812..." almost always means +62 with the "+" lost by a numeric cell.
        candidates.append("+" + bare)
    candidates.append(text)
    if _is_ascii_digits(bare) and not bare.startswith("0"):
        candidates.append("0" + bare)

    for candidate in candidates:
        number = _parse_valid_phone(candidate, region)
        if number is None:
            continue
        value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        issues: tuple[Issue, ...] = ()
        if number.country_code != 62:
            country = number.country_code
            issues = (_warning("phone_foreign", PHONE_FOREIGN.format(country=country)),)
        return IdentifierResult(value, issues)
    return IdentifierResult(None, (_error("phone_invalid", PHONE_INVALID),))


def mask_phone(e164: str) -> str:
    """``"+6281234565678"`` -> ``"+62812****5678"``: country code, 3 digits and last 4 show.

    At least 4 digits are always hidden: for short numbers fewer leading (then trailing)
    digits are shown. Input that is not E.164 is masked the same way on its digits alone.
    """
    text = e164.strip()
    prefix = ""
    national = _compact(text).lstrip("+")
    if text.startswith("+"):
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            number = None
        country = str(number.country_code) if number is not None else ""
        if country and national.startswith(country):
            prefix = "+" + country
            national = national[len(country) :]
        else:
            prefix = "+"
    hidden_min = 4
    head, tail = 3, 4
    if len(national) - head - tail < hidden_min:
        head = max(0, len(national) - tail - hidden_min)
    if len(national) - head - tail < hidden_min:
        tail = max(0, len(national) - hidden_min)
    hidden = len(national) - head - tail
    return prefix + national[:head] + "*" * hidden + national[len(national) - tail :]
