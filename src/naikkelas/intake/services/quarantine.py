"""Quarantine round trip: export a batch's quarantined rows to Excel, read the fixed file back.

An officer downloads the rows that could not be promoted, fixes them in Excel or LibreOffice
(retyping a NIK from the KTP, filling in a kelurahan...) and uploads the file again. Only the
cells that differ from the current value become corrections; each corrected row then goes
through :func:`naikkelas.intake.services.import_rows_correct`, which validates them again, so a
value that is still wrong simply stays in quarantine with its reason.

Layout of the file (one sheet): ``ID baris`` (the ``ImportRow`` id), ``Lembar``, ``Baris``,
one column per field (header = :data:`naikkelas.intake.headers.FIELD_LABELS`), ``Masalah``.
The fields are those mapped in the batch, plus any field an error points at (a list without
a kelurahan column gets a "Desa/kelurahan" column to fill in) or an officer already corrected.

Values are written as they are (ADR 0002): a NIK that reached us as an Excel number is
exported as that number, and a number typed into a NIK cell comes back as a float, which
validation flags again. Text that could be read as a formula is neutralised by
:func:`naikkelas.core.exports.write_xlsx` (a leading apostrophe); reading the file back removes
that apostrophe again, so an untouched cell is never mistaken for a correction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.exports import FORMULA_TRIGGERS, safe_cell, write_xlsx
from naikkelas.intake.headers import CANONICAL_FIELDS, FIELD_LABELS, header_key
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.readers import (
    Cell,
    SheetNotFoundError,
    UnsupportedFileError,
    clean_cell,
    iter_rows,
    list_sheets,
)
from naikkelas.intake.services.processing import import_rows_correct, row_data
from naikkelas.intake.services.staging import json_cell

__all__ = [
    "COLUMN_ID",
    "COLUMN_ISSUES",
    "COLUMN_ROW",
    "COLUMN_SHEET",
    "QuarantineImportResult",
    "import_rows_view_log",
    "quarantine_export_xlsx",
    "quarantine_fields",
    "quarantine_import_xlsx",
]

COLUMN_ID: Final = "ID baris"
COLUMN_SHEET: Final = "Lembar"
COLUMN_ROW: Final = "Baris"
COLUMN_ISSUES: Final = "Masalah"
SHEET_TITLE: Final = "Karantina"
HEADER_SCAN: Final = 25
ISSUE_SEPARATOR: Final = "; "
# Fields that are bookkeeping of the source list, never corrected (row_data leaves them out).
_NOT_CORRECTABLE: Final = frozenset({"row_id"})
_CORRECTABLE: Final = tuple(f for f in CANONICAL_FIELDS if f not in _NOT_CORRECTABLE)
_LABEL_TO_FIELD: Final = {header_key(FIELD_LABELS[f]): f for f in _CORRECTABLE}
_FIXED_KEYS: Final = frozenset(header_key(c) for c in (COLUMN_SHEET, COLUMN_ROW, COLUMN_ISSUES))
# What write_xlsx replaces by U+FFFD (XML 1.0 cannot hold these characters).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

MSG_NO_HEADER = gettext_noop(
    "Kolom 'ID baris' tidak ditemukan. Unggah berkas karantina yang diunduh dari impor ini "
    "(baris judulnya harus tetap ada)."
)
MSG_UNREADABLE = gettext_noop("Berkas tidak dapat dibaca sebagai spreadsheet: %(e)s")
MSG_NOT_DONE = gettext_noop("Perbaikan karantina hanya untuk impor yang sudah selesai diproses.")
NOTE_NO_ID = gettext_noop("Baris %(n)s: kolom 'ID baris' kosong atau bukan angka; diabaikan.")
NOTE_UNKNOWN_ID = gettext_noop("Baris %(n)s: ID baris %(id)s bukan baris impor ini; diabaikan.")
NOTE_NOT_QUARANTINED = gettext_noop(
    "Baris %(n)s: ID baris %(id)s sudah tidak dalam karantina; diabaikan."
)
NOTE_REPEATED_ID = gettext_noop(
    "Baris %(n)s: ID baris %(id)s muncul lebih dari sekali; hanya yang pertama."
)
NOTE_UNKNOWN_COLUMN = gettext_noop("Kolom '%(h)s' tidak dikenal; diabaikan.")
MAX_NOTES = 200


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _quarantined(batch: ImportBatch) -> QuerySet[ImportRow]:
    return ImportRow.objects.filter(batch=batch, status=RowStatus.QUARANTINED).order_by(
        "sheet", "row_number", "pk"
    )


def quarantine_fields(batch: ImportBatch) -> list[str]:
    """The field columns of the quarantine file, in the order the officer's file had them.

    Mapped fields of every sheet first, then (in canonical order) fields that an error of a
    quarantined row names or that an officer corrected, although no column was mapped to them.
    """
    fields: list[str] = []
    for layout in batch.layout.values():
        for column in layout.get("columns", []):
            name = column.get("field")
            if name in _CORRECTABLE and name not in fields:
                fields.append(name)
    extra: set[str] = set()
    for issues, corrections in _quarantined(batch).values_list("issues", "corrections"):
        extra.update(i["field"] for i in issues if i.get("severity") == "error")
        extra.update(corrections)
    fields.extend(f for f in _CORRECTABLE if f in extra and f not in fields)
    return fields


def _errors_text(issues: Sequence[dict[str, Any]]) -> str:
    return ISSUE_SEPARATOR.join(i["message"] for i in issues if i.get("severity") == "error")


def _export_rows(batch: ImportBatch, fields: Sequence[str]) -> Iterator[list[Any]]:
    for row in _quarantined(batch).iterator(chunk_size=2000):
        data = row_data(batch, row)
        yield [
            row.pk,
            row.sheet,
            row.row_number,
            *(data.get(name) for name in fields),
            _errors_text(row.issues),
        ]


def quarantine_export_xlsx(*, actor: Any, batch: ImportBatch, stream: IO[bytes]) -> int:
    """Write the batch's quarantined rows as XLSX to ``stream``; returns the number of rows.

    The file holds personal data (NIKs, phones), so the export is audited
    (``import.quarantine_export`` with the row count), after the file is written.
    """
    fields = quarantine_fields(batch)
    header = [COLUMN_ID, COLUMN_SHEET, COLUMN_ROW, *(FIELD_LABELS[f] for f in fields)]
    header.append(COLUMN_ISSUES)
    count = write_xlsx(_export_rows(batch, fields), header, stream, sheet_title=SHEET_TITLE)
    _record_export(actor=actor, batch=batch, rows=count, fields=fields)
    return count


@transaction.atomic
def _record_export(*, actor: Any, batch: ImportBatch, rows: int, fields: list[str]) -> None:
    audit_log(
        actor=actor,
        action="import.quarantine_export",
        instance=batch,
        extra={"rows": rows, "fields": fields},
    )


# --------------------------------------------------------------------------------------------
# Import of the corrected file
# --------------------------------------------------------------------------------------------


@dataclass
class QuarantineImportResult:
    """What reading a corrected quarantine file did, row by row of the file.

    ``rows`` = ``ignored`` + ``promoted`` + ``still_quarantined`` + ``duplicates``.
    """

    rows: int = 0  # non-empty data rows in the file
    corrected: int = 0  # rows with at least one changed cell (corrections applied)
    promoted: int = 0  # left quarantine into the register (new business or linked)
    still_quarantined: int = 0  # unchanged rows and rows that are still wrong
    duplicates: int = 0  # corrected into a copy of a row already in the register
    ignored: int = 0  # no/unknown id, another batch, no longer quarantined, repeated id
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "corrected": self.corrected,
            "promoted": self.promoted,
            "still_quarantined": self.still_quarantined,
            "duplicates": self.duplicates,
            "ignored": self.ignored,
            "notes": list(self.notes),
        }

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)


@dataclass(frozen=True)
class _Layout:
    header_row: int
    id_index: int
    columns: dict[str, int]  # field -> column index
    unknown: tuple[str, ...]


def _find_layout(cells_by_row: Sequence[tuple[int, list[Cell]]]) -> _Layout | None:
    id_key = header_key(COLUMN_ID)
    for number, cells in cells_by_row:
        keys = [header_key(str(c)) if isinstance(c, str) else "" for c in cells]
        if id_key not in keys:
            continue
        columns: dict[str, int] = {}
        unknown: list[str] = []
        for index, key in enumerate(keys):
            if not key or key == id_key or key in _FIXED_KEYS:
                continue
            name = _LABEL_TO_FIELD.get(key)
            if name is None or name in columns:
                unknown.append(str(cells[index]))
            else:
                columns[name] = index
        return _Layout(number, keys.index(id_key), columns, tuple(unknown))
    return None


def _read(path: Path) -> tuple[_Layout, Iterator[tuple[int, list[Cell]]]]:
    """The layout of the first sheet that has an ``ID baris`` header, and its rows below it."""
    try:
        sheets = [s for s in list_sheets(path) if not s.hidden] or list_sheets(path)
        for sheet in sheets:
            rows = iter_rows(path, sheet=sheet.index)
            head: list[tuple[int, list[Cell]]] = []
            for number, cells in rows:
                if cells:
                    head.append((number, cells))
                if len(head) >= HEADER_SCAN:
                    break
            layout = _find_layout(head)
            if layout is None:
                continue
            below = [(n, c) for n, c in head if n > layout.header_row]
            return layout, _chain(below, rows)
    except (UnsupportedFileError, SheetNotFoundError, OSError) as error:
        raise ValidationError({"file": _(MSG_UNREADABLE) % {"e": error}}) from error
    raise ValidationError({"file": _(MSG_NO_HEADER)})


def _chain(
    first: list[tuple[int, list[Cell]]], rest: Iterator[tuple[int, list[Cell]]]
) -> Iterator[tuple[int, list[Cell]]]:
    yield from first
    yield from rest


def _row_id(value: Cell) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _as_read_back(value: Any) -> Any:
    """What the exported cell of ``value`` reads back as (apostrophe included)."""
    cell = safe_cell(value)
    if isinstance(cell, str):
        return clean_cell(_ILLEGAL_XML.sub("\ufffd", cell))
    return cell


def _cell_value(value: Cell) -> Any:
    """A cell of the corrected file as the value to store (JSON-safe, like staging).

    Drops the apostrophe that the export put before formula-like text; an Excel date typed
    without a time becomes a date. Numbers stay numbers: a NIK typed as a number stays a
    float and is flagged again (ADR 0002).
    """
    if isinstance(value, str) and value.startswith("'"):
        rest = value[1:]
        if rest.startswith(FORMULA_TRIGGERS) or rest.lstrip().startswith(FORMULA_TRIGGERS):
            value = rest
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0) and not value.tzinfo:
        value = value.date()
    return json_cell(value)


def _equal(a: Any, b: Any) -> bool:
    """Equality that does not take ``True`` for ``1``; empty text and ``None`` are equal."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _unchanged(current: Any, cell: Cell) -> bool:
    return _equal(cell, _as_read_back(current)) or _equal(_cell_value(cell), current)


def _corrections(
    current: dict[str, Any], cells: list[Cell], columns: dict[str, int]
) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name, index in columns.items():
        cell = cells[index] if index < len(cells) else None
        if not _unchanged(current.get(name), cell):
            # an emptied cell is a correction too: "clear this value"
            changed[name] = _cell_value(cell)
    return changed


@transaction.atomic
def quarantine_import_xlsx(*, actor: Any, batch: ImportBatch, path: Path) -> dict[str, Any]:
    """Apply a corrected quarantine file to this batch's quarantined rows.

    Rows are matched by ``ID baris``; ids of other batches, unknown ids, rows that already left
    quarantine and repeated ids are ignored with a note. For each matched row only the cells
    that differ from the current value (raw cell or earlier correction) become corrections; an
    emptied cell clears the value. Returns the counts of :class:`QuarantineImportResult`.

    Raises:
        ValidationError: the file cannot be read or has no ``ID baris`` header.
        ApplicationError: the batch has not finished processing (or was undone).
    """
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status not in (BatchStatus.DONE, BatchStatus.FAILED):
        raise ApplicationError(_(MSG_NOT_DONE), code="import_not_done")
    layout, rows = _read(Path(path))
    result = QuarantineImportResult()
    for header in layout.unknown:
        result.note(_(NOTE_UNKNOWN_COLUMN) % {"h": header})
    wanted: list[tuple[int, int, list[Cell]]] = []
    for number, cells in rows:
        if not any(c not in (None, "") for c in cells):
            continue
        result.rows += 1
        row_id = _row_id(cells[layout.id_index] if layout.id_index < len(cells) else None)
        if row_id is None:
            result.ignored += 1
            result.note(_(NOTE_NO_ID) % {"n": number})
            continue
        wanted.append((number, row_id, cells))
    found = {
        row.pk: row for row in ImportRow.objects.filter(batch=batch, pk__in={w[1] for w in wanted})
    }
    seen: set[int] = set()
    to_fix: dict[int, dict[str, Any]] = {}
    checked: list[int] = []
    for number, row_id, cells in wanted:
        row = found.get(row_id)
        if row is None:
            result.ignored += 1
            result.note(_(NOTE_UNKNOWN_ID) % {"n": number, "id": row_id})
            continue
        if row_id in seen:
            result.ignored += 1
            result.note(_(NOTE_REPEATED_ID) % {"n": number, "id": row_id})
            continue
        seen.add(row_id)
        if row.status != RowStatus.QUARANTINED:
            result.ignored += 1
            result.note(_(NOTE_NOT_QUARANTINED) % {"n": number, "id": row_id})
            continue
        checked.append(row_id)
        corrections = _corrections(row_data(batch, row), cells, layout.columns)
        if corrections:
            to_fix[row_id] = corrections
    result.corrected = len(to_fix)
    fixed = import_rows_correct(actor=actor, batch=batch, corrections=to_fix) if to_fix else {}
    for row_id in checked:
        status = fixed[row_id].status if row_id in fixed else found[row_id].status
        if status in (RowStatus.PROMOTED, RowStatus.LINKED):
            result.promoted += 1
        elif status == RowStatus.DUPLICATE:
            result.duplicates += 1
        else:
            result.still_quarantined += 1
    counts = result.as_dict()
    audit_log(
        actor=actor,
        action="import.quarantine_import",
        instance=batch,
        extra={k: v for k, v in counts.items() if k != "notes"},
    )
    return counts


# --------------------------------------------------------------------------------------------
# Viewing rows
# --------------------------------------------------------------------------------------------


@transaction.atomic
def import_rows_view_log(
    *, actor: Any, batch: ImportBatch, count: int, status: str | None = None, request: Any = None
) -> None:
    """Record that ``actor`` was shown ``count`` staged rows in full (raw NIKs, phones)."""
    audit_log(
        actor=actor,
        action="import.rows_view",
        instance=batch,
        extra={"rows": count, "status": status or ""},
        request=request,
    )
