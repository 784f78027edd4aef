"""From a complete submission to the register: the intake pipeline, as for a spreadsheet.

Each day's census submissions are rows of one import batch (``odk-pendataan_umkm-2026-11-29``,
format ``odk``, sheet ``odk``) whose columns are the intake's canonical fields: the same
validation, linkage to the register, promotion and quarantine as a row of an imported sheet
-- a wrong NIK from the field lands in the same quarantine, with the same reasons, fixed the
same way. After the run, each submission knows its row, and its photos the business.

A submission without the owner's consent carries no data and registers nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from naikkelas.core.exceptions import ApplicationError
from naikkelas.fieldwork.census_form import CONSENT_YES
from naikkelas.fieldwork.models import Attachment, FormVersion, Submission, SubmissionStatus
from naikkelas.fieldwork.openrosa import InvalidSubmission, parse_instance
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services import import_batch_run

__all__ = [
    "ODK_COLUMNS",
    "ODK_FORMAT",
    "SHEET",
    "day_batch",
    "stage_row",
    "submission_row",
    "submissions_to_register",
]

ODK_FORMAT = "odk"
SHEET = "odk"
# The batch's columns: canonical intake fields, in this order in every row.
ODK_COLUMNS: tuple[str, ...] = (
    "source_uuid",
    "submitted_at",
    "owner_name",
    "nik",
    "sex",
    "birth_date",
    "phone",
    "business_name",
    "sector",
    "products",
    "omzet_month",
    "workers",
    "nib",
    "halal",
    "pirt",
    "bpom_md",
    "kecamatan",
    "desa_kelurahan",
    "address",
    "rt",
    "rw",
    "coordinates",
    "notes",
)
_PERMIT_COLUMNS = {"halal": "halal", "pirt": "pirt", "bpom_md": "bpom_md"}


def submission_row(values: Mapping[str, str]) -> list[Any] | None:
    """A submission's leaf values (by question name) as a row of :data:`ODK_COLUMNS`;
    ``None`` without the owner's consent."""
    if values.get("consent") != CONSENT_YES:
        return None
    permits = set((values.get("permits") or "").split())
    data: dict[str, Any] = {name: values.get(name) or None for name in ODK_COLUMNS}
    data["source_uuid"] = values.get("meta/instanceID") or values.get("instanceID")
    data["submitted_at"] = values.get("end") or values.get("start") or None
    for permit, column in _PERMIT_COLUMNS.items():
        data[column] = "ya" if permit in permits else None
    if "nib" not in permits:
        data["nib"] = None
    return [data[name] for name in ODK_COLUMNS]


def _day_batch(form: FormVersion, day: date) -> ImportBatch:
    """The import batch of one form and day (created on first use; the lock on the form's
    current version makes concurrent runs agree on one batch)."""
    return day_batch(
        source=f"odk-{form.form_id}-{day.isoformat()}",
        file_format=ODK_FORMAT,
        day=day,
        note=(
            f"Kiriman ODK Collect formulir {form.form_id}, {day.isoformat()} (WIB).\n"
            "Setiap baris adalah satu kiriman; XML aslinya tersimpan di naikkelas.\n"
        ),
    )


def day_batch(*, source: str, file_format: str, day: date, note: str) -> ImportBatch:
    """The import batch ``source`` whose rows are records that arrived one by one (ODK
    submissions, self-registrations), with :data:`ODK_COLUMNS` as its columns; the caller
    holds a lock that makes concurrent callers agree on one batch."""
    batch = ImportBatch.objects.filter(source=source, file_format=file_format).first()
    if batch is not None:
        return batch
    content = note.encode()
    batch = ImportBatch(
        source=source,
        file_name=f"{source}.txt",
        file_sha256=hashlib.sha256(content).hexdigest(),
        file_size=len(content),
        file_format=file_format,
        layout={
            SHEET: {
                "header_row": 0,
                "columns": [
                    {"index": i, "header": name, "field": name, "ambiguous": False, "note": ""}
                    for i, name in enumerate(ODK_COLUMNS)
                ],
            }
        },
        options={"omzet_period": "month", "year": day.year},
        status=BatchStatus.QUEUED,
    )
    batch.file.save(batch.file_name, ContentFile(content), save=False)
    batch.save()
    return batch


def stage_row(batch: ImportBatch, row: list[Any]) -> ImportRow:
    """Add one pending row (:data:`ODK_COLUMNS`) to ``batch``; the batch is queued."""
    number = (batch.rows.aggregate(n=Max("row_number"))["n"] or 0) + 1
    staged = ImportRow.objects.create(
        batch=batch, sheet=SHEET, row_number=number, raw=row, status=RowStatus.PENDING
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows_in=batch.rows.count(), status=BatchStatus.QUEUED
    )
    return staged


def _stage(limit: int) -> set[Any]:
    """Rows for complete submissions not yet staged; returns the batches touched."""
    touched: set[Any] = set()
    with transaction.atomic():
        pending = list(
            Submission.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=SubmissionStatus.COMPLETE, import_row__isnull=True)
            .select_related("form_version")
            .order_by("created_at")[:limit]
        )
        for submission in pending:
            try:
                row = submission_row(parse_instance(submission.xml.encode()).by_name())
            except InvalidSubmission:  # erased at the data subject's request
                row = None
            if row is None or submission.form_version is None:
                submission.status = SubmissionStatus.PROCESSED  # no consent: nothing to register
                submission.save(update_fields=["status", "updated_at"])
                continue
            form = submission.form_version
            FormVersion.objects.select_for_update().filter(pk=form.pk).first()  # one day batch
            batch = _day_batch(form, timezone.localdate(submission.created_at))
            submission.import_row = stage_row(batch, row)
            submission.save(update_fields=["import_row", "updated_at"])
            touched.add(batch.pk)
    return touched


def _settle(batch_ids: set[Any]) -> int:
    """Mark the staged submissions whose rows were decided; photos go to the business."""
    settled = 0
    # quarantined rows wait for an officer's fix; a row that is a duplicate of another row
    # of the batch follows that row
    decided = Submission.objects.filter(
        import_row__batch_id__in=batch_ids,
        status=SubmissionStatus.COMPLETE,
        import_row__status__in=[RowStatus.PROMOTED, RowStatus.LINKED, RowStatus.DUPLICATE],
    ).select_related("import_row", "import_row__duplicate_of")
    for submission in decided:
        row = submission.import_row
        assert row is not None
        business_id = row.business_id
        if business_id is None and row.duplicate_of is not None:
            business_id = row.duplicate_of.business_id
        if business_id is None:
            continue  # the row it duplicates is not decided yet
        with transaction.atomic():
            Attachment.objects.filter(submission=submission).update(business_id=business_id)
            submission.status = SubmissionStatus.PROCESSED
            submission.save(update_fields=["status", "updated_at"])
        settled += 1
    return settled


def submissions_to_register(*, actor: Any = None, limit: int = 1000) -> int:
    """Stage complete submissions into their day's batch and run the intake pipeline on
    them; returns how many submissions were settled. A batch another process is running is
    left to it (its run takes the new rows or the next call does)."""
    touched = _stage(limit)
    for batch_id in sorted(touched, key=str):
        batch = ImportBatch.objects.get(pk=batch_id)
        try:
            import_batch_run(actor=actor, batch=batch)
        except ApplicationError as error:
            if error.code != "import_busy":
                raise
    waiting = set(
        Submission.objects.filter(
            status=SubmissionStatus.COMPLETE, import_row__isnull=False
        ).values_list("import_row__batch_id", flat=True)
    )
    return _settle(waiting | touched)
