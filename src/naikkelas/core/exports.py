"""Writing tabular exports (CSV, XLSX) that are safe to open in a spreadsheet.

Pure module: no Django. Every cell goes through :func:`safe_cell`, which neutralises
spreadsheet formula injection ("CSV injection", OWASP): a value such as
``=HYPERLINK("http://evil","klik")`` typed into a business name must reach Excel or LibreOffice
as text, never as a formula.

Reused by every export of the product (audit log now, register exports later).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from os import PathLike
from typing import IO, Any, TextIO

from openpyxl import Workbook

# Characters with which a spreadsheet starts a formula (or DDE payload): OWASP's list.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters an XLSX (XML 1.0) cell cannot hold; openpyxl refuses them. Tab, LF, CR are fine.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Characters Excel forbids in a sheet title, and its length limit.
_ILLEGAL_TITLE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31

Cell = str | int | float | None


def safe_cell(value: Any) -> Cell:
    """One value made safe for a spreadsheet cell.

    * ``None`` stays ``None`` (an empty cell); ``int``/``float`` (and ``bool``) stay numbers;
      a ``Decimal`` becomes an ``int`` when whole, otherwise a ``float``.
    * Dates and times become ISO text (``2025-01-31``, ``2025-01-31 08:15:00+07:00``): the
      caller formats aware datetimes in the wanted time zone first.
    * Any other value becomes text; text that starts with ``=``, ``+``, ``-``, ``@``, a tab or
      a carriage return — also after leading whitespace — gets a leading apostrophe ``'`` so
      the spreadsheet shows it as text instead of evaluating it (OWASP "CSV injection").

    Note: legitimate text that starts with one of these characters is prefixed too — a phone
    number stored as text ``+6281200001234`` is exported as ``'+6281200001234`` and a note
    ``-`` as ``'-``. That is the accepted price of the protection; numbers that are real
    numbers (``int``/``float``) are never prefixed, so a negative amount stays ``-5``.
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        whole = value.is_finite() and value == value.to_integral_value()
        return int(value) if whole else float(value)
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, date | time):
        text = value.isoformat()
    else:
        text = str(value)
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Cell]:
    return [safe_cell(value) for value in row]


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str], stream: TextIO) -> int:
    """Write ``header`` and ``rows`` as CSV to a text stream; returns the number of rows.

    Open the stream with ``newline=""``; ``encoding="utf-8-sig"`` (a BOM) makes Excel read
    UTF-8 correctly. Rows are consumed one at a time (an iterator over a query is fine).
    """
    writer = csv.writer(stream)
    writer.writerow(safe_row(header))
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count


class _Line:
    """A file-like object whose ``write`` returns the text (for ``csv.writer`` in a stream)."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(
    rows: Iterable[Sequence[Any]], header: Sequence[str], *, rows_per_chunk: int = 500
) -> Iterator[str]:
    """``header`` and ``rows`` as CSV text in chunks, for a streamed download.

    Starts with a BOM (Excel then reads UTF-8 correctly), like :func:`write_csv` on a stream
    opened with ``utf-8-sig``. Rows are consumed lazily, ``rows_per_chunk`` at a time.
    """
    writer = csv.writer(_Line())
    chunk = ["\ufeff", writer.writerow(safe_row(header))]
    for row in rows:
        chunk.append(writer.writerow(safe_row(row)))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _xlsx_cell(value: Any) -> Cell:
    cell = safe_cell(value)
    if isinstance(cell, str):
        return _ILLEGAL_XML.sub("\ufffd", cell)
    return cell


def sheet_title_clean(title: str) -> str:
    cleaned = _ILLEGAL_TITLE.sub("-", title).strip("'").strip()
    return cleaned[:SHEET_TITLE_MAX] or "Sheet1"


def write_xlsx(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str],
    path_or_stream: str | PathLike[str] | IO[bytes],
    sheet_title: str,
    *,
    metadata: Sequence[tuple[str, Any]] = (),
    metadata_title: str = "Keterangan",
) -> int:
    """Write ``header`` and ``rows`` as one XLSX sheet; returns the number of rows.

    ``metadata`` (label, value pairs: generated when, by whom, with which filters) goes to a
    second sheet, so a file passed around still says where it came from.

    Uses openpyxl's write-only mode, so rows are streamed to disk and memory stays flat for
    large exports. Text never becomes a formula (see :func:`safe_cell`); characters that XML
    cannot hold are replaced by U+FFFD.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title_clean(sheet_title))
    sheet.append([_xlsx_cell(value) for value in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        count += 1
    if metadata:
        about = workbook.create_sheet(title=sheet_title_clean(metadata_title))
        for label, value in metadata:
            about.append([_xlsx_cell(label), _xlsx_cell(value)])
        about.append([_xlsx_cell("rows"), count])
    workbook.save(path_or_stream)
    return count
