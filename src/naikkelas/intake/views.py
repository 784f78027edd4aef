"""HTML views of the spreadsheet intake: thin; they parse input, call a service, render.

Every view needs ``IMPORT_MANAGE`` (admin, dinas, hipmikindo). Batches are not scoped per
area in this version: every holder of the capability sees every import. Businesses reached
from a row are linked only when ``registry.access.business_scope`` lets the user see them.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from python_calamine import CalamineError

from naikkelas.accounts.models import User
from naikkelas.accounts.permissions import Capability, requires
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake import selectors
from naikkelas.intake.forms import (
    MappingForm,
    RowCorrectionForm,
    UndoForm,
    UploadForm,
    UploadLimitHandler,
)
from naikkelas.intake.headers import FIELD_LABELS
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.readers import HEAD_BYTES, UnsupportedFileError, detect_format
from naikkelas.intake.services import (
    import_batch_can_undo,
    import_batch_map,
    import_batch_stage,
    import_batch_undo,
    import_row_correct,
)
from naikkelas.intake.services.processing import import_batch_can_resume
from naikkelas.intake.tasks import import_batch_enqueue
from naikkelas.registry.access import business_scope

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
FIXABLE = (BatchStatus.DONE, BatchStatus.FAILED)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _batch(batch_id: Any) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=batch_id)


def _field_errors(form: Any, error: ValidationError, default: str | None = None) -> None:
    """Show a service's ``ValidationError`` on the form (field errors where they belong)."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else default
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(default, message)


# --------------------------------------------------------------------------------------------
# 1. The list of imports and the upload
# --------------------------------------------------------------------------------------------


def _stage_upload(request: HttpRequest, form: UploadForm) -> tuple[ImportBatch, bool] | None:
    """Copy the upload to a private temporary file and stage it; ``None`` on a bad file."""
    upload = form.cleaned_data["file"]
    file_name = PurePath(upload.name or "berkas").name
    tmp_dir = Path(settings.DATA_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=tmp_dir, prefix="impor-", suffix=PurePath(file_name).suffix.casefold(), delete=False
    ) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        path = Path(handle.name)
    try:
        # the staging service looks at the first 8 bytes only; this names a photo or a PDF
        with path.open("rb") as head:
            detect_format(file_name, head.read(HEAD_BYTES))
        return import_batch_stage(
            actor=request.user, path=path, file_name=file_name, source=form.cleaned_data["source"]
        )
    except ValidationError as error:
        _field_errors(form, error, default="file")
    except UnsupportedFileError as error:  # its message is written for the clerk
        form.add_error("file", str(error))
    except (ValueError, LookupError, CalamineError) as error:  # a reader choked: a bad file
        logger.warning("upload not readable: %s", type(error).__name__)  # no file name: PII
        form.add_error(
            "file",
            _(
                "Berkas ini tidak dapat dibaca sebagai spreadsheet. Buka di Excel atau "
                "LibreOffice, simpan ulang sebagai .xlsx atau .csv, lalu unggah ulang."
            ),
        )
    finally:
        path.unlink(missing_ok=True)
    return None


def _batch_list_page(
    request: HttpRequest, form: UploadForm, duplicate: ImportBatch | None = None
) -> HttpResponse:
    page = Paginator(selectors.batch_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/batch_list.html",
        {
            "form": form,
            "page": page,
            "sources": selectors.source_names(),
            "duplicate": duplicate,
        },
    )


@csrf_protect
def _batch_list(request: HttpRequest, limit: UploadLimitHandler | None) -> HttpResponse:
    if request.method != "POST":
        return _batch_list_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES, too_large=bool(limit and limit.exceeded))
    if not form.is_valid():
        return _batch_list_page(request, form)
    staged = _stage_upload(request, form)
    if staged is None:
        return _batch_list_page(request, form)
    batch, created = staged
    if not created:
        return _batch_list_page(request, UploadForm(), duplicate=batch)
    messages.success(
        request,
        _("Berkas diunggah: %(n)s baris data. Periksa pemetaan kolom, lalu jalankan impor.")
        % {"n": batch.rows_in},
    )
    return redirect("intake:batch_detail", batch_id=batch.pk)


@csrf_exempt  # checked by csrf_protect on _batch_list, after the upload limit is in place
@requires(Capability.IMPORT_MANAGE)
def batch_list(request: HttpRequest) -> HttpResponse:
    """Imports, newest first, and the upload form."""
    limit = None
    if request.method == "POST":
        limit = UploadLimitHandler(request)
        request.upload_handlers = [limit, *request.upload_handlers]
    return _batch_list(request, limit)


# --------------------------------------------------------------------------------------------
# 2. One import: mapping preview, progress, result
# --------------------------------------------------------------------------------------------


def _mapping_form(batch: ImportBatch, data: Any = None) -> MappingForm:
    return MappingForm(
        data,
        batch=batch,
        samples=selectors.sheet_samples(batch),
        sheet_rows=selectors.sheet_row_counts(batch),
    )


def _result_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    quarantined = selectors.batch_rows(batch, status=RowStatus.QUARANTINED)
    page = Paginator(quarantined, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "quarantine_page": page,
        "quarantine_rows": [_row_item(batch, row) for row in page],
        "undo_form": UndoForm(),
    }


@requires(Capability.IMPORT_MANAGE)
def batch_detail(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch(batch_id)
    form = None
    if batch.status == BatchStatus.STAGED:
        if request.method == "POST":
            form = _mapping_form(batch, request.POST)
            if form.is_valid() and _run(request, batch, form):
                return redirect("intake:batch_detail", batch_id=batch.pk)
        else:
            form = _mapping_form(batch)
    elif request.method == "POST":
        messages.info(request, _("Impor ini sudah dijalankan; pemetaan tidak bisa diubah lagi."))
        return redirect("intake:batch_detail", batch_id=batch.pk)
    counts = selectors.row_counts(batch)
    context: dict[str, Any] = {
        "batch": batch,
        "counts": counts,
        "form": form,
        "running": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING),
        "finished": batch.status in (BatchStatus.DONE, BatchStatus.FAILED, BatchStatus.UNDONE),
        "can_undo": import_batch_can_undo(batch),
        "remembered": selectors.source_mapping_known(batch.source),
    }
    if context["finished"]:
        context.update(_result_context(request, batch))
    elif batch.status == BatchStatus.STAGED:
        context["undo_form"] = UndoForm()
    return render(request, "intake/batch_detail.html", context)


def _run(request: HttpRequest, batch: ImportBatch, form: MappingForm) -> bool:
    """Save the mapping and queue the import; False (errors on the form) when refused."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.STAGED:
            messages.info(request, _("Impor ini sudah dijalankan."))
            return True
        try:
            import_batch_map(
                actor=request.user,
                batch=locked,
                columns=form.columns(),
                options=form.options(),
                remember=True,
            )
        except ValidationError as error:
            _field_errors(form, error)
            return False
        import_batch_enqueue(actor=_user(request), batch=locked)
    messages.success(request, _("Impor dijalankan. Halaman ini diperbarui sendiri."))
    return True


@require_POST
@requires(Capability.IMPORT_MANAGE)
def batch_resume(request: HttpRequest, batch_id: Any) -> HttpResponse:
    """Queue a failed import again: the worker continues with the rows still pending."""
    batch = _batch(batch_id)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if import_batch_can_resume(locked):
            import_batch_enqueue(actor=_user(request), batch=locked)
            messages.success(request, _("Impor dilanjutkan dari baris yang belum diproses."))
        else:
            messages.info(request, _("Hanya impor yang gagal yang bisa dilanjutkan."))
    return redirect("intake:batch_detail", batch_id=batch.pk)


@require_POST
@requires(Capability.IMPORT_MANAGE)
def batch_undo(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch(batch_id)
    form = UndoForm(request.POST)
    if not import_batch_can_undo(batch):
        messages.error(
            request, _("Impor yang sedang berjalan atau sudah dibatalkan tidak bisa dibatalkan.")
        )
    elif not form.is_valid():
        messages.error(request, _("Centang kotak konfirmasi untuk membatalkan impor."))
    else:
        try:
            import_batch_undo(actor=request.user, batch=batch)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Impor dibatalkan: usaha dan pemilik baru yang dibuatnya sudah dihapus. "
                    "Berkas yang sama boleh diunggah lagi."
                ),
            )
    return redirect("intake:batch_detail", batch_id=batch.pk)


# --------------------------------------------------------------------------------------------
# 3. The rows of an import
# --------------------------------------------------------------------------------------------


def _row_item(batch: ImportBatch, row: ImportRow) -> dict[str, Any]:
    return {
        "row": row,
        "summary": selectors.row_summary(batch, row),
        "fields": selectors.row_fields(batch, row, mask=True),
        "issues": [
            {**issue, "label": FIELD_LABELS.get(issue.get("field", ""), issue.get("field", ""))}
            for issue in row.issues
        ],
    }


@requires(Capability.IMPORT_MANAGE)
def row_list(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch(batch_id)
    status = request.GET.get("status", "")
    if status not in RowStatus.values:
        status = ""
    rows = selectors.batch_rows(batch, status=status or None).select_related("duplicate_of")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [_row_item(batch, row) for row in page]
    business_ids = [row.business_id for row in page if row.business_id]
    visible = set(
        business_scope(user=request.user).filter(pk__in=business_ids).values_list("pk", flat=True)
    )
    for item in items:
        item["business_visible"] = item["row"].business_id in visible
    counts = selectors.row_counts(batch)
    tabs = [
        {
            "value": value,
            "label": label,
            "count": counts.by_status().get(value, 0),
            "active": value == status,
        }
        for value, label in RowStatus.choices
    ]
    return render(
        request,
        "intake/row_list.html",
        {
            "batch": batch,
            "page": page,
            "items": items,
            "status": status,
            "status_label": dict(RowStatus.choices).get(status, ""),
            "tabs": tabs,
            "counts": counts,
        },
    )


# --------------------------------------------------------------------------------------------
# 4. Fixing one quarantined row
# --------------------------------------------------------------------------------------------


@requires(Capability.IMPORT_MANAGE)
def row_fix(request: HttpRequest, batch_id: Any, row_id: int) -> HttpResponse:
    batch = _batch(batch_id)
    row = get_object_or_404(ImportRow, pk=row_id, batch=batch)
    quarantined = row.status == RowStatus.QUARANTINED
    # Rows are corrected only when no worker is busy with the batch and it was not undone.
    editable = quarantined and batch.status in FIXABLE
    # An editable row is shown in clear (the officer must fix it); any other row masked.
    items = selectors.row_fields(batch, row, mask=not editable)
    form = RowCorrectionForm(
        request.POST if request.method == "POST" and editable else None, items=items
    )
    if request.method == "POST":
        if not editable:
            messages.info(request, _("Baris ini tidak bisa diperbaiki sekarang."))
            return redirect("intake:row_fix", batch_id=batch.pk, row_id=row.pk)
        if form.is_valid():
            corrections = form.corrections()
            if not corrections:
                messages.info(request, _("Tidak ada isian yang diubah."))
                return redirect("intake:row_fix", batch_id=batch.pk, row_id=row.pk)
            row = import_row_correct(actor=request.user, row=row, corrections=corrections)
            return _after_correction(request, batch, row)
    elif editable:
        audit_log(
            actor=request.user,
            action="import.row_view",
            object_type="intake.importrow",
            object_id=str(row.pk),
            request=request,
        )
    business_visible = bool(
        row.business_id and business_scope(user=request.user).filter(pk=row.business_id).exists()
    )
    return render(
        request,
        "intake/row_fix.html",
        {
            "batch": batch,
            "row": row,
            "quarantined": quarantined,
            "editable": editable,
            "form": form,
            "raw_cells": selectors.row_raw_cells(batch, row) if editable else [],
            "issues": _row_item(batch, row)["issues"],
            "business_visible": business_visible,
            "kelurahan_names": selectors.kelurahan_names() if editable else [],
        },
    )


def _after_correction(request: HttpRequest, batch: ImportBatch, row: ImportRow) -> HttpResponse:
    where = _("%(sheet)s baris %(n)s") % {"sheet": row.sheet, "n": row.row_number}
    status = row.get_status_display()
    if row.status == RowStatus.QUARANTINED:
        messages.warning(
            request,
            _("%(where)s masih di karantina: periksa alasan yang tersisa.") % {"where": where},
        )
        return redirect("intake:row_fix", batch_id=batch.pk, row_id=row.pk)
    messages.success(
        request, _("%(where)s sekarang: %(status)s.") % {"where": where, "status": status}
    )
    url = reverse("intake:row_list", kwargs={"batch_id": batch.pk})
    return redirect(f"{url}?status={RowStatus.QUARANTINED}")
