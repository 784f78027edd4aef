"""Spreadsheet imports: upload, map columns, run, review and fix quarantined rows, undo.

Every operation needs the ``import.manage`` capability (admin, dinas, hipmikindo). Typical
script use::

    POST /api/v1/imports                       (multipart: file, source)  -> 201 batch
    PUT  /api/v1/imports/{id}/mapping          (only when the guessed mapping is wrong)
    POST /api/v1/imports/{id}/run?wait=true    -> 200 batch, processed in the request
    GET  /api/v1/imports/{id}/quarantine.xlsx  -> the rows to fix, as Excel
    POST /api/v1/imports/{id}/quarantine.xlsx  (multipart: file)       -> counts

Without ``wait=true`` the run is queued for the background worker (``naikkelas worker``;
``naikkelas serve`` starts one) and answers 202; poll ``GET /api/v1/imports/{id}``.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any, Literal, cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, Field

from naikkelas.accounts.models import User
from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake.headers import CANONICAL_FIELDS
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services import (
    import_batch_map,
    import_batch_run,
    import_batch_stage,
    import_batch_undo,
    import_row_correct,
)
from naikkelas.intake.services.processing import import_batch_can_resume, row_data
from naikkelas.intake.services.quarantine import (
    import_rows_view_log,
    quarantine_export_xlsx,
    quarantine_import_xlsx,
)
from naikkelas.intake.tasks import import_batch_enqueue

router = Router(tags=["imports"])
IMPORT_MANAGE = Capability.IMPORT_MANAGE

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_MAX_LIMIT = 500

MSG_TOO_LARGE = "Berkas terlalu besar (%(mb).1f MB); batasnya 20 MB. Pecah berkas per kecamatan."
MSG_EMPTY = "Berkas kosong."
MSG_CANNOT_RUN = "Impor berstatus '%(status)s' tidak bisa dijalankan lagi."
MSG_NOT_QUARANTINED = "Baris ini tidak dalam karantina (status: %(status)s)."
MSG_UNKNOWN_FIELD = "Kolom tujuan '%(f)s' tidak dikenal."
MSG_NO_CORRECTIONS = "Isi minimal satu perbaikan."

RowStatusName = Literal["pending", "promoted", "linked", "quarantined", "duplicate"]
CellValue = str | int | float | bool | None


# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------


class ColumnOut(Schema):
    index: int
    header: str
    field: str | None
    ambiguous: bool = False
    note: str = ""


class SheetLayoutOut(Schema):
    sheet: str
    header_row: int
    columns: list[ColumnOut]


class BatchOut(Schema):
    id: UUID
    file_name: str
    source: str
    file_format: str
    file_size: int
    status: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    created_by: str | None = None
    rows_in: int
    promoted: int
    linked: int
    quarantined: int
    duplicates_in_file: int
    accounted: int = Field(description="promoted + linked + quarantined + duplicates_in_file")
    accounted_ok: bool = Field(
        False, description="true when every staged row has a fate (accounted == rows_in)"
    )
    options: dict[str, Any]
    error: str
    layout: list[SheetLayoutOut]
    already_imported: bool = Field(
        False, description="the same file (same SHA-256) was imported before: this is that batch"
    )
    rows_by_status: dict[str, int] | None = Field(
        None, description="live row counts (detail only; useful while the batch runs)"
    )

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj.get("created_by")
        return obj.created_by.username if obj.created_by_id else None

    @staticmethod
    def resolve_accounted_ok(obj: Any) -> bool:
        if isinstance(obj, dict):
            return bool(obj.get("accounted_ok"))
        return obj.rows_in == obj.accounted

    @staticmethod
    def resolve_layout(obj: Any) -> list[dict[str, Any]]:
        if isinstance(obj, dict):
            return list(obj["layout"])
        return [
            {
                "sheet": sheet,
                "header_row": layout["header_row"],
                "columns": layout.get("columns", []),
            }
            for sheet, layout in obj.layout.items()
        ]


class OptionsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    omzet_period: Literal["month", "year"] | None = Field(
        None, description="what a plain 'Omzet' column means"
    )
    year: int | None = Field(None, ge=1900, le=2100, description="year of the figures")
    default_desa_kelurahan: str | None = Field(
        None, description="kelurahan (code or name) for lists of one place without that column"
    )


class MappingIn(Schema):
    columns: dict[str, dict[int, str | None]] = Field(
        default_factory=dict,
        description="{sheet: {column index: canonical field or null}}; unlisted columns keep "
        "their mapping",
    )
    options: OptionsIn | None = None
    remember: bool = Field(True, description="remember the mapping for the next file of source")


class RowOut(Schema):
    id: int
    sheet: str
    row_number: int
    reference: str
    status: str
    issues: list[dict[str, Any]]
    values: dict[str, Any] = Field(description="canonical field -> value (corrections applied)")
    corrections: dict[str, Any]
    business_id: UUID | None
    owner_id: UUID | None
    duplicate_of_id: int | None


class RowPageOut(Schema):
    count: int
    items: list[RowOut]


class RowQuery(Schema):
    status: RowStatusName | None = None
    limit: int = Field(100, ge=1, le=ROWS_MAX_LIMIT)
    offset: int = Field(0, ge=0)


class RowCorrectionIn(Schema):
    corrections: dict[str, CellValue] = Field(
        description="canonical field -> corrected value; null clears the value"
    )


class QuarantineImportOut(Schema):
    rows: int
    corrected: int
    promoted: int
    still_quarantined: int
    duplicates: int
    ignored: int
    notes: list[str]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _batch(batch_id: UUID) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=batch_id)


def _batch_out(batch: ImportBatch, **extra: Any) -> dict[str, Any]:
    return {**BatchOut.from_orm(batch).dict(), **extra}


def _live_counts(batch: ImportBatch) -> dict[str, int]:
    counts = dict(
        batch.rows.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status.value, 0) for status in RowStatus}


def _check_size(file: UploadedFile) -> None:
    size = file.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": MSG_TOO_LARGE % {"mb": size / 1024 / 1024}})
    if size == 0:
        raise ValidationError({"file": MSG_EMPTY})


def _save(file: UploadedFile, directory: str) -> Path:
    name = Path(file.name or "").name
    if name in ("", ".", ".."):
        name = "unggahan"
    path = Path(directory) / name
    with path.open("wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    return path


def _row_out(batch: ImportBatch, row: ImportRow) -> dict[str, Any]:
    return {
        "id": row.pk,
        "sheet": row.sheet,
        "row_number": row.row_number,
        "reference": f"{batch.file_name} › {row.sheet} › baris {row.row_number}",
        "status": row.status,
        "issues": row.issues,
        "values": row_data(batch, row),
        "corrections": row.corrections,
        "business_id": row.business_id,
        "owner_id": row.owner_id,
        "duplicate_of_id": row.duplicate_of_id,
    }


# --------------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------------


@router.post(
    "",
    response={200: BatchOut, 201: BatchOut},
    auth=capability_auth(IMPORT_MANAGE),
    summary="Upload a spreadsheet (XLSX, XLS, ODS, CSV; at most 20 MB)",
)
def import_upload_api(
    request: HttpRequest, file: File[UploadedFile], source: Form[str] = ""
) -> Any:
    """Store the file and every data row verbatim; guess the column mapping (``layout``).

    201 with the new batch; 200 with ``already_imported: true`` and the earlier batch when the
    same file (by SHA-256) was imported before and not undone. 422 when the file is not a
    spreadsheet that can be read, has no header row, or is larger than 20 MB.
    """
    _check_size(file)
    with tempfile.TemporaryDirectory(prefix="naikkelas-upload-") as directory:
        path = _save(file, directory)
        batch, created = import_batch_stage(
            actor=request.user, path=path, file_name=path.name, source=source
        )
    batch = _batch(batch.pk)
    if created:
        return Status(201, batch)
    return Status(200, _batch_out(batch, already_imported=True))


@router.get("", response=list[BatchOut], auth=capability_auth(IMPORT_MANAGE))
@paginate(LimitOffsetPagination)
def import_list_api(request: HttpRequest) -> Any:
    """Imports, newest first."""
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")


@router.get("/{batch_id}", response=BatchOut, auth=capability_auth(IMPORT_MANAGE))
def import_detail_api(request: HttpRequest, batch_id: UUID) -> Any:
    """Status and counts; ``accounted_ok`` is the "nothing lost" check, ``rows_by_status`` the
    live counts while a run is in progress."""
    batch = _batch(batch_id)
    return _batch_out(batch, rows_by_status=_live_counts(batch))


@router.put("/{batch_id}/mapping", response=BatchOut, auth=capability_auth(IMPORT_MANAGE))
def import_mapping_api(request: HttpRequest, batch_id: UUID, payload: MappingIn) -> Any:
    """Correct the column mapping and set options, before the run (422 afterwards)."""
    batch = _batch(batch_id)
    options = payload.options.dict(exclude_none=True) if payload.options is not None else None
    import_batch_map(
        actor=request.user,
        batch=batch,
        columns=payload.columns,
        options=options,
        remember=payload.remember,
    )
    return _batch(batch_id)


@router.post(
    "/{batch_id}/run", response={200: BatchOut, 202: BatchOut}, auth=capability_auth(IMPORT_MANAGE)
)
def import_run_api(request: HttpRequest, batch_id: UUID, wait: bool = False) -> Any:
    """Validate, link and promote the rows.

    Default: queued for the background worker, 202; poll the batch. ``?wait=true`` processes
    the file inside this request and answers 200 with the final counts (for scripts and small
    files: a 100,000-row file takes minutes, longer than a web server's request timeout). A
    failed run, or one that stopped (no progress for 5 minutes), is resumed. 409 when the
    batch is queued, running, done or undone.
    """
    batch = _batch(batch_id)
    if batch.status != BatchStatus.STAGED and not import_batch_can_resume(batch):
        raise ApplicationError(
            MSG_CANNOT_RUN % {"status": batch.status}, code="import_not_runnable"
        )
    if wait:
        import_batch_run(actor=request.user, batch=batch)
        return Status(200, _batch(batch_id))
    import_batch_enqueue(actor=cast(User, request.user), batch=batch)
    return Status(202, _batch(batch_id))


@router.post("/{batch_id}/undo", response=BatchOut, auth=capability_auth(IMPORT_MANAGE))
def import_undo_api(request: HttpRequest, batch_id: UUID) -> Any:
    """Remove what the import created (409 when something already depends on it)."""
    import_batch_undo(actor=request.user, batch=_batch(batch_id))
    return _batch(batch_id)


# --------------------------------------------------------------------------------------------
# Rows and quarantine
# --------------------------------------------------------------------------------------------


@router.get("/{batch_id}/rows", response=RowPageOut, auth=capability_auth(IMPORT_MANAGE))
def import_rows_api(request: HttpRequest, batch_id: UUID, filters: Query[RowQuery]) -> Any:
    """Staged rows with their fate, reasons and values (``?status=quarantined`` for the rows
    to fix). The values are the personal data as typed (full NIK and phone): every call is
    written to the audit log (``import.rows_view``)."""
    batch = _batch(batch_id)
    rows = batch.rows.order_by("sheet", "row_number", "pk")
    if filters.status:
        rows = rows.filter(status=filters.status)
    count = rows.count()
    page = list(rows[filters.offset : filters.offset + filters.limit])
    import_rows_view_log(
        actor=request.user, batch=batch, count=len(page), status=filters.status, request=request
    )
    return {"count": count, "items": [_row_out(batch, row) for row in page]}


@router.patch("/{batch_id}/rows/{row_id}", response=RowOut, auth=capability_auth(IMPORT_MANAGE))
def import_row_correct_api(
    request: HttpRequest, batch_id: UUID, row_id: int, payload: RowCorrectionIn
) -> Any:
    """Correct a quarantined row (``{"corrections": {"nik": "3673..."}}``) and process it
    again; the answer shows its new status (still ``quarantined`` with reasons when wrong)."""
    batch = _batch(batch_id)
    row = get_object_or_404(ImportRow, pk=row_id, batch=batch)
    unknown = [name for name in payload.corrections if name not in CANONICAL_FIELDS]
    if unknown or "row_id" in payload.corrections:
        names = ", ".join(unknown or ["row_id"])
        raise ValidationError({"corrections": MSG_UNKNOWN_FIELD % {"f": names}})
    if not payload.corrections:
        raise ValidationError({"corrections": MSG_NO_CORRECTIONS})
    if row.status != RowStatus.QUARANTINED:
        raise ApplicationError(
            MSG_NOT_QUARANTINED % {"status": row.status}, code="import_row_not_quarantined"
        )
    row = import_row_correct(actor=request.user, row=row, corrections=payload.corrections)
    return _row_out(_batch(batch_id), row)


@router.get("/{batch_id}/quarantine.xlsx", auth=capability_auth(IMPORT_MANAGE))
def import_quarantine_download_api(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    """The quarantined rows as an Excel file to fix (audited: it holds personal data).

    Columns: ``ID baris``, ``Lembar``, ``Baris``, one per field, ``Masalah``. Fix the cells,
    keep the ``ID baris`` column, and upload the file to the same address with POST.
    """
    batch = _batch(batch_id)
    buffer = io.BytesIO()
    quarantine_export_xlsx(actor=request.user, batch=batch, stream=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    stem = Path(batch.file_name).stem or "impor"
    response["Content-Disposition"] = f'attachment; filename="karantina-{_ascii(stem)}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/{batch_id}/quarantine.xlsx",
    response=QuarantineImportOut,
    auth=capability_auth(IMPORT_MANAGE),
)
def import_quarantine_upload_api(
    request: HttpRequest, batch_id: UUID, file: File[UploadedFile]
) -> Any:
    """Upload the corrected quarantine file: changed cells become corrections, rows are
    processed again. ``rows`` = ``ignored`` + ``promoted`` + ``still_quarantined`` +
    ``duplicates``; ``notes`` say why rows were ignored."""
    batch = _batch(batch_id)
    _check_size(file)
    with tempfile.TemporaryDirectory(prefix="naikkelas-upload-") as directory:
        path = _save(file, directory)
        return quarantine_import_xlsx(actor=request.user, batch=batch, path=path)


def _ascii(text: str) -> str:
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in text)
    return cleaned.strip("-")[:80] or "impor"
