"""Read any spreadsheet a kelurahan or an association sends into raw rows, one at a time (pure).

First stage of the intake pipeline (stage raw -> validate/normalise -> link -> promote). Nothing
here touches Django. Supported: CSV/TSV text files in any usual encoding and delimiter, and
XLSX/XLSM/XLSB, XLS and ODS through ``python_calamine``.

Streaming: :func:`iter_rows` is a generator and yields one row at a time, so a 100,000-row
file never exists as 100,000 Python lists at once. CSV files are read line by line. For the
spreadsheet formats calamine parses the chosen sheet into one compact Rust range (cells, not
Python objects) and Python objects are made row by row from it with ``CalamineSheet.iter_rows``.

Values are kept as the file typed them, nothing is "repaired" (ADR 0002): a NIK typed into a
numeric Excel cell arrives as a ``float`` (e.g. ``3673061205850000.0``) and later validation
flags it as Excel-damaged. The only clean-ups are: surrounding whitespace (including NBSP and
zero-width spaces) is stripped from text, empty text becomes ``None``, trailing empty cells of
a row are dropped, and Excel times/durations (which have no place in :data:`Cell`) become text.

Row numbers are 1-based and true to what the user sees: the Excel row number for spreadsheets
(title rows and blank rows included; blank rows are yielded as ``[]``), the record number for
CSV (a quoted cell spanning two lines is still one row, as in Excel). Column index 0 is
column A even when column A is empty.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final, Literal

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

__all__ = [
    "CSV_SHEET_NAME",
    "Cell",
    "CsvFormat",
    "FileFormat",
    "Row",
    "SheetInfo",
    "SheetNotFoundError",
    "UnsupportedFileError",
    "clean_cell",
    "detect_csv_format",
    "detect_format",
    "file_sha256",
    "iter_rows",
    "list_sheets",
]

Cell = str | int | float | bool | datetime.date | datetime.datetime | None
Row = tuple[int, list[Cell]]
FileFormat = Literal["csv", "xlsx", "xls", "ods"]

CSV_SHEET_NAME: Final = "CSV"

HEAD_BYTES: Final = 8192  # how much of a file detect_format needs to see
_SAMPLE_BYTES: Final = 64 * 1024  # CSV sample for delimiter detection
_CHUNK_BYTES: Final = 64 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_EXTENSIONS: Final[dict[str, FileFormat]] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xltx": "xlsx",
    ".xltm": "xlsx",
    ".xlsb": "xlsx",
    ".xls": "xls",
    ".xla": "xls",
    ".ods": "ods",
}
_DELIMITERS: Final = (",", ";", "\t", "|")
_CONSISTENCY_RECORDS: Final = 30

# Text that is not surrounding whitespace for str.strip() but is invisible all the same.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Messages (Bahasa Indonesia) shown to the clerk who uploaded the file.
MSG_PDF = "Berkas ini PDF, bukan spreadsheet. Unggah berkas Excel (.xlsx/.xls), ODS, atau CSV."
MSG_HTML = (
    "Berkas ini halaman web (HTML) yang diberi nama seperti berkas Excel. Buka berkas di Excel, "
    "lalu simpan ulang sebagai Excel Workbook (.xlsx) atau CSV."
)
MSG_XML_2003 = (
    "Berkas ini format lama 'XML Spreadsheet 2003'. Buka berkas di Excel, lalu simpan ulang "
    "sebagai Excel Workbook (.xlsx)."
)
MSG_BINARY = (
    "Berkas ini tidak dikenali sebagai spreadsheet. Unggah berkas Excel (.xlsx/.xls), ODS, "
    "atau CSV."
)
MSG_PROTECTED = (
    "Berkas ini dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah "
    "ulang."
)
MSG_BROKEN = (
    "Berkas spreadsheet ini rusak atau dilindungi kata sandi sehingga tidak bisa dibaca "
    "({detail}). Buka di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah ulang."
)
MSG_SHEET_NOT_FOUND = "Lembar kerja {sheet!r} tidak ada di berkas ini. Lembar yang ada: {names}."


class UnsupportedFileError(ValueError):
    """The file is not a spreadsheet this module can read. ``str(error)`` is for the clerk."""


class SheetNotFoundError(LookupError):
    """The requested sheet does not exist. ``str(error)`` is for the clerk."""


@dataclass(frozen=True)
class SheetInfo:
    """One worksheet of a file: its name and its position in the workbook (0-based)."""

    name: str
    index: int
    hidden: bool = False  # hidden sheets often hold drop-down lists; listed, not chosen by default


@dataclass(frozen=True)
class CsvFormat:
    """How a text file is encoded and delimited."""

    encoding: Literal["utf-8-sig", "utf-8", "utf-16", "cp1252"]
    delimiter: str


# --------------------------------------------------------------------------------------------
# Format detection and hashing
# --------------------------------------------------------------------------------------------


def _suffix(path_or_name: str | PurePath) -> str:
    return PurePath(str(path_or_name)).suffix.casefold()


def detect_format(path_or_name: str | PurePath, head: bytes) -> FileFormat:
    """The file's format from its first bytes (magic numbers), else from its extension.

    A ZIP container is ``"ods"`` when it carries the OpenDocument spreadsheet mimetype (or is
    named ``.ods``), otherwise ``"xlsx"`` (XLSX, XLSM and XLSB are all read by calamine). An OLE
    compound file is ``"xls"``. Any other non-empty content can only be text, so it is
    ``"csv"`` whatever the name says; with no content at all (``head == b""``) the extension
    decides, defaulting to ``"csv"``.

    Raises :class:`UnsupportedFileError` for PDF, HTML saved as ``.xls`` (common in old
    government systems), XML Spreadsheet 2003 and other binary files.
    """
    suffix = _suffix(path_or_name)
    if head.startswith(_ZIP_MAGIC):
        if _ODS_MIMETYPE in head[:256] or (suffix == ".ods" and b"mimetype" in head[:256]):
            return "ods"
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if not head:
        return _EXTENSIONS.get(suffix, "csv")
    _reject_non_spreadsheet_text(head)
    return "csv"


_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _reject_non_spreadsheet_text(head: bytes) -> None:
    if head.startswith(b"%PDF"):
        raise UnsupportedFileError(MSG_PDF)
    text = head[:HEAD_BYTES].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise UnsupportedFileError(MSG_XML_2003)
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or (
        text.startswith(b"<") and b"<table" in text
    ):
        raise UnsupportedFileError(MSG_HTML)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text (Excel's "Unicode Text" export): NUL bytes are expected
    sample = head[:HEAD_BYTES]
    if sample.count(b"\x00") > len(sample) // 10:
        raise UnsupportedFileError(MSG_BINARY)
    # Text in any 8-bit encoding has (almost) no C0 control bytes but tab, CR, LF and form
    # feed; random or compressed data has one in nine.
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if controls > max(4, len(sample) // 50):
        raise UnsupportedFileError(MSG_BINARY)


def _read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, read in chunks (the same upload twice is spotted)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def clean_cell(value: object) -> Cell:
    """One raw value as :data:`Cell`: text stripped (``""`` -> ``None``), numbers untouched.

    ``datetime.time`` (an Excel time of day) becomes ``"HH:MM:SS"`` text and
    ``datetime.timedelta`` (an Excel duration) its ``str``; anything unexpected becomes text.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().strip(_INVISIBLE).strip()
        return text or None
    if isinstance(value, bool | int | float | datetime.date):
        return value
    if isinstance(value, datetime.time):
        return value.isoformat()
    return clean_cell(str(value))


def _clean_row(values: Iterable[object], lead: int = 0) -> list[Cell]:
    cells: list[Cell] = [None] * lead
    cells.extend(clean_cell(value) for value in values)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


# --------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------


def _open_workbook(path: Path, file_format: FileFormat) -> CalamineWorkbook:
    # calamine picks its parser from the extension; a file whose name disagrees with its
    # content (an .xlsx renamed .xls, an upload stored without a name) is sniffed instead.
    with _unreadable_as_unsupported():
        if _EXTENSIONS.get(_suffix(path)) == file_format:
            return CalamineWorkbook.from_path(str(path))
        with path.open("rb") as handle:
            return CalamineWorkbook.from_filelike(handle)


@contextlib.contextmanager
def _unreadable_as_unsupported() -> Iterator[None]:
    """calamine's errors as :class:`UnsupportedFileError` with a message for the clerk."""
    try:
        yield
    except PasswordError as error:
        raise UnsupportedFileError(MSG_PROTECTED) from error
    except CalamineError as error:
        raise UnsupportedFileError(MSG_BROKEN.format(detail=error)) from error


def list_sheets(path: Path) -> list[SheetInfo]:
    """The file's worksheets in workbook order; a CSV file has one sheet named ``"CSV"``.

    Chart sheets and macro sheets are left out (they hold no rows); ``index`` stays the
    position in the workbook, as :func:`iter_rows` expects it.
    """
    path = Path(path)
    file_format = detect_format(path, _read_head(path))
    if file_format == "csv":
        return [SheetInfo(CSV_SHEET_NAME, 0)]
    with _open_workbook(path, file_format) as workbook:
        return [
            SheetInfo(meta.name, index, hidden=meta.visible != SheetVisibleEnum.Visible)
            for index, meta in enumerate(workbook.sheets_metadata)
            if meta.typ == SheetTypeEnum.WorkSheet
        ]


def _sheet_not_found(sheet: str | int, sheets: Iterable[SheetInfo]) -> SheetNotFoundError:
    names = ", ".join(repr(info.name) for info in sheets) or "(tidak ada)"
    return SheetNotFoundError(MSG_SHEET_NOT_FOUND.format(sheet=sheet, names=names))


def _select_sheet(workbook: CalamineWorkbook, sheet: str | int | None) -> CalamineSheet:
    infos = [
        SheetInfo(meta.name, index, hidden=meta.visible != SheetVisibleEnum.Visible)
        for index, meta in enumerate(workbook.sheets_metadata)
        if meta.typ == SheetTypeEnum.WorkSheet
    ]
    if sheet is None:
        visible = [info for info in infos if not info.hidden] or infos
        if not visible:
            raise _sheet_not_found("(pertama)", infos)
        return workbook.get_sheet_by_index(visible[0].index)
    if isinstance(sheet, int):
        if not 0 <= sheet < len(workbook.sheet_names):
            raise _sheet_not_found(sheet, infos)
        return workbook.get_sheet_by_index(sheet)
    if sheet in workbook.sheet_names:
        return workbook.get_sheet_by_name(sheet)
    # Tolerate case and surrounding spaces: "peserta kuliner " finds "Peserta Kuliner".
    wanted = sheet.strip().casefold()
    for name in workbook.sheet_names:
        if name.strip().casefold() == wanted:
            return workbook.get_sheet_by_name(name)
    raise _sheet_not_found(sheet, infos)


def _iter_calamine(path: Path, file_format: FileFormat, sheet: str | int | None) -> Iterator[Row]:
    with _open_workbook(path, file_format) as workbook, _unreadable_as_unsupported():
        data = _select_sheet(workbook, sheet)
    start = data.start
    if start is None:  # an empty sheet
        return
    # python-calamine 0.9 ``iter_rows`` pads the rows above the used range (it starts at
    # row 1) but starts each row at the first used column: put the empty columns back so
    # that index 0 is column A for every row.
    lead = start[1]
    for number, values in enumerate(data.iter_rows(), start=1):
        yield number, _clean_row(values, lead)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8, checked in chunks (memory stays flat)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _detect_encoding(path: Path, head: bytes) -> Literal["utf-8-sig", "utf-8", "utf-16", "cp1252"]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8" if _is_utf8(path) else "cp1252"


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # errors="replace": a stray byte never stops an import; it shows as U+FFFD for review.
    return path.open(encoding=encoding, errors="replace", newline="")


def _sample_text(path: Path, encoding: str) -> str:
    with _open_text(path, encoding) as handle:
        sample = handle.read(_SAMPLE_BYTES)
        if len(sample) == _SAMPLE_BYTES:
            # Do not let a half line confuse the sniffer.
            cut = max(sample.rfind("\n"), sample.rfind("\r"))
            if cut > 0:
                sample = sample[:cut]
    return sample.replace("\x00", "")


# Excel writes and honours a first line "sep=;" naming the delimiter; it never shows that line.
_SEP_HINT = re.compile(r"sep=(.)", re.IGNORECASE)


def _sep_hint(line: str | None) -> str | None:
    if line is None:
        return None
    match = _SEP_HINT.fullmatch(line.rstrip("\r\n"))
    return match.group(1) if match else None


def _consistency(sample: str, delimiter: str) -> tuple[float, bool, int]:
    """How well ``delimiter`` splits the first records of ``sample`` into equal widths.

    ``(share of records with the most common width, whether the first record has it, that
    width)``; widths below 2 do not count. A real delimiter gives every row of a table the
    same number of fields (Excel pads short rows); a wrong one gives ragged rows or a single
    column.
    """
    widths: list[int] = []
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"')
    try:
        for record in reader:
            if any(field.strip() for field in record):
                widths.append(len(record))
            if len(widths) >= _CONSISTENCY_RECORDS:
                break
    except csv.Error:
        pass
    counts = Counter(width for width in widths if width >= 2)
    if not counts:
        return (0.0, False, 0)
    count, width = max((count, width) for width, count in counts.items())
    return (count / len(widths), widths[0] == width, width)


def _detect_delimiter(sample: str) -> str:
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, "".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    scores = {delimiter: _consistency(sample, delimiter) for delimiter in _DELIMITERS}
    steadiest = max(_DELIMITERS, key=scores.__getitem__)  # earlier delimiters win ties
    if scores[steadiest][0] == 0:
        return sniffed or ","  # one column
    if sniffed in scores and scores[sniffed] >= scores[steadiest]:
        return sniffed
    return steadiest


def detect_csv_format(path: Path) -> CsvFormat:
    """Encoding and delimiter of a text file.

    Encoding: UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode Text"), UTF-8 when the whole
    file decodes as such, otherwise Windows-1252 (what Excel on Indonesian Windows writes).
    Delimiter among ``,`` ``;`` tab and ``|``: :class:`csv.Sniffer` on a sample, checked
    against the delimiter that splits the first non-empty records into the most rows of equal
    width (Sniffer is easily fooled by quoted cells holding other delimiters or newlines); the
    steadier one wins, Sniffer's on a tie; a one-column file gets ``,``. A first line ``sep=;`` (Excel's own
    hint) decides, and :func:`iter_rows` skips that line as Excel does.
    """
    path = Path(path)
    encoding = _detect_encoding(path, _read_head(path))
    sample = _sample_text(path, encoding)
    hinted = _sep_hint(sample.splitlines()[0] if sample else None)
    return CsvFormat(encoding, hinted or _detect_delimiter(sample))


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


def _iter_csv(path: Path, sheet: str | int | None) -> Iterator[Row]:
    if sheet not in (None, 0, CSV_SHEET_NAME):
        raise _sheet_not_found(sheet if sheet is not None else "", [SheetInfo(CSV_SHEET_NAME, 0)])
    file_format = detect_csv_format(path)
    with _open_text(path, file_format.encoding) as handle:
        lines = _without_nul(handle)
        first = next(lines, None)
        if first is not None and _sep_hint(first) is None:
            lines = itertools.chain([first], lines)
        reader = csv.reader(lines, delimiter=file_format.delimiter, quotechar='"', doublequote=True)
        for number, record in enumerate(reader, start=1):
            yield number, _clean_row(record)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def iter_rows(path: Path, *, sheet: str | int | None = None) -> Iterator[Row]:
    """Yield ``(row_number, cells)`` for every row of one sheet, top to bottom.

    ``sheet`` is a sheet name (exact, else case-insensitive) or its workbook index; ``None``
    is the first visible worksheet. A CSV file has one sheet, ``"CSV"`` (or ``0``). Empty
    rows are yielded as ``[]`` so that row numbers stay true; the caller decides what to skip.

    This is a generator: the file is opened, and errors (:class:`UnsupportedFileError`,
    :class:`SheetNotFoundError`, ``OSError``, calamine errors) are raised, on the first
    ``next()``.
    """
    path = Path(path)
    file_format = detect_format(path, _read_head(path))
    if file_format == "csv":
        yield from _iter_csv(path, sheet)
    else:
        yield from _iter_calamine(path, file_format, sheet)
