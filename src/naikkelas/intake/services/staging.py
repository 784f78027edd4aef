"""Staging: store the file and every data row verbatim before anything is interpreted."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log
from naikkelas.core.bulk_write import bulk_insert
from naikkelas.core.text import fold
from naikkelas.intake.headers import CANONICAL_FIELDS, detect_header_row, map_columns
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, SourceMapping
from naikkelas.intake.readers import HEAD_BYTES, detect_format, file_sha256, iter_rows, list_sheets

STAGE_CHUNK = 2000
HEADER_SCAN = 25


def json_cell(value: Any) -> Any:
    """A cell as JSON keeps it: numbers stay numbers (an Excel-damaged NIK stays a float)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _sheet_layout(path: Path, sheet: str, remembered: Mapping[str, str]) -> dict[str, Any] | None:
    head = list(itertools.islice(iter_rows(path, sheet=sheet), HEADER_SCAN + 5))
    header_row = detect_header_row(head, max_scan=HEADER_SCAN)
    if header_row is None:
        return None
    headers = next(cells for number, cells in head if number == header_row)
    columns = []
    for match in map_columns(headers):
        field_name = remembered.get(fold(match.header), match.field)
        columns.append(
            {
                "index": match.index,
                "header": match.header,
                "field": field_name or None,
                "ambiguous": match.ambiguous,
                "note": match.note,
            }
        )
    return {"header_row": header_row, "columns": columns}


@transaction.atomic
def import_batch_stage(
    *, actor: Any, path: Path, file_name: str, source: str
) -> tuple[ImportBatch, bool]:
    """Store a file and its rows; the same file again returns the earlier batch unchanged.

    Returns ``(batch, created)``. Rows above the header and blank rows are not data rows;
    every other row is kept verbatim with its sheet name and row number as Excel shows it.

    Raises:
        ValidationError: the file is not a spreadsheet we can read or has no header row.
    """
    digest = file_sha256(path)
    existing = ImportBatch.objects.filter(file_sha256=digest).exclude(status=BatchStatus.UNDONE)
    if existing.exists():
        return existing.get(), False
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    source = source.strip() or Path(file_name).stem
    remembered = {}
    mapping = SourceMapping.objects.filter(source=source).first()
    if mapping is not None:
        remembered = mapping.columns
    layout: dict[str, Any] = {}
    try:
        file_format = detect_format(file_name, head)
        for sheet in list_sheets(path):
            if getattr(sheet, "hidden", False):
                continue  # hidden sheets hold drop-down lists, not data
            sheet_layout = _sheet_layout(path, sheet.name, remembered)
            if sheet_layout is not None:
                layout[sheet.name] = sheet_layout
    except Exception as error:  # any reader failure is a bad file, never a 500
        raise ValidationError(
            {"file": _("Berkas tidak dapat dibaca sebagai CSV/XLSX/XLS/ODS: %(e)s") % {"e": error}}
        ) from error
    if not layout:
        raise ValidationError(
            {"file": _("Tidak ditemukan baris judul kolom (misalnya 'Nama Pemilik', 'NIK').")}
        )
    batch = ImportBatch(
        source=source[:100],
        file_name=file_name[:255],
        file_sha256=digest,
        file_size=path.stat().st_size,
        file_format=file_format,
        layout=layout,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with path.open("rb") as handle:
        batch.file.save(Path(file_name).name, File(handle), save=False)
    batch.save()
    rows = 0
    for sheet_name, sheet_layout in layout.items():
        buffer: list[dict[str, Any]] = []
        for number, cells in iter_rows(path, sheet=sheet_name):
            if number <= sheet_layout["header_row"] or not any(c not in (None, "") for c in cells):
                continue
            buffer.append(
                {
                    "batch_id": batch.pk,
                    "sheet": sheet_name[:100],
                    "row_number": number,
                    "raw": [json_cell(c) for c in cells],
                }
            )
            if len(buffer) >= STAGE_CHUNK:
                rows += bulk_insert(ImportRow, buffer)
                buffer = []
        rows += bulk_insert(ImportRow, buffer)
    batch.rows_in = rows
    batch.save(update_fields=["rows_in", "updated_at"])
    audit_log(
        actor=actor,
        action="import.stage",
        instance=batch,
        source=batch.source,
        extra={"rows": rows, "sheets": list(layout), "sha256": digest},
    )
    return batch, True


@transaction.atomic
def import_batch_map(
    *,
    actor: Any,
    batch: ImportBatch,
    columns: Mapping[str, Mapping[int, str | None]],
    options: Mapping[str, Any] | None = None,
    remember: bool = True,
) -> ImportBatch:
    """Set the officer's column mapping ``{sheet: {column index: field or None}}``.

    Raises:
        ValidationError: an unknown field, a field used twice in a sheet, or a batch that ran.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (BatchStatus.STAGED, BatchStatus.FAILED):
        raise ValidationError(
            {"columns": _("Pemetaan hanya bisa diubah sebelum impor dijalankan.")}
        )
    layout = dict(batch.layout)
    learned: dict[str, str] = {}
    for sheet, chosen in columns.items():
        if sheet not in layout:
            raise ValidationError({"columns": _("Lembar '%(s)s' tidak ada.") % {"s": sheet}})
        used: set[str] = set()
        for column in layout[sheet]["columns"]:
            field_name = chosen.get(column["index"], column["field"]) or None
            if field_name is not None and field_name not in CANONICAL_FIELDS:
                raise ValidationError(
                    {"columns": _("Kolom tujuan '%(f)s' tidak dikenal.") % {"f": field_name}}
                )
            if field_name is not None and field_name in used:
                raise ValidationError(
                    {"columns": _("Kolom tujuan '%(f)s' dipilih dua kali.") % {"f": field_name}}
                )
            if field_name:
                used.add(field_name)
            column["field"] = field_name
            learned[fold(column["header"])] = field_name or ""
    batch.layout = layout
    if options is not None:
        batch.options = dict(options)
    batch.save(update_fields=["layout", "options", "updated_at"])
    if remember:
        SourceMapping.objects.update_or_create(
            source=batch.source, defaults={"columns": learned, "updated_by": actor}
        )
    audit_log(actor=actor, action="import.map", instance=batch, extra={"sheets": list(columns)})
    return batch
