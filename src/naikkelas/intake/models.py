"""Staging of imported spreadsheets: every row kept verbatim with its fate and reasons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class BatchStatus(models.TextChoices):
    STAGED = "staged", _("Diunggah, menunggu pemetaan kolom")
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    UNDONE = "undone", _("Dibatalkan")


class ImportBatch(BaseModel):
    """One uploaded file (all its sheets) and what became of it."""

    source = models.CharField(
        _("sumber"), max_length=100, help_text=_("Misalnya: kelurahan-cipare-2024")
    )
    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=8)
    # {sheet name: {"header_row": int, "columns": [[index, header, field|None], ...]}}
    layout = models.JSONField(default=dict, blank=True)
    # Import options: {"omzet_period": "month"|"year"|None, "year": 2025}
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.STAGED
    )
    rows_in = models.PositiveIntegerField(default=0)
    promoted = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    duplicates_in_file = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # "host:pid" of the process running it: a run whose process is gone can be resumed at once
    runner = models.CharField(max_length=100, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("impor")
        verbose_name_plural = _("impor")
        constraints = [
            # The same file imported twice is the same batch (idempotency).
            models.UniqueConstraint(
                fields=["file_sha256"],
                condition=~Q(status="undone"),
                name="import_file_once_unless_undone",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BatchStatus]),
                name="import_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"

    @property
    def accounted(self) -> int:
        """Rows whose fate is known; equals ``rows_in`` when the batch is done."""
        return self.promoted + self.linked + self.quarantined + self.duplicates_in_file


class RowStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    PROMOTED = "promoted", _("Masuk register (baru)")
    LINKED = "linked", _("Cocok dengan data yang sudah ada")
    QUARANTINED = "quarantined", _("Karantina: perlu diperbaiki")
    DUPLICATE = "duplicate", _("Ganda dalam berkas")


class ImportRow(models.Model):
    """One data row of a sheet, verbatim, with its parsed values and reasons."""

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(max_length=100)
    row_number = models.PositiveIntegerField()
    raw = models.JSONField(_("isi asli"))  # the cells exactly as read (JSON-safe)
    status = models.CharField(
        max_length=12, choices=RowStatus.choices, default=RowStatus.PENDING, db_index=True
    )
    # [{"field": "nik", "code": "nik_excel_scientific", "message": "...", "severity": "error"}]
    issues = models.JSONField(default=list, blank=True)
    # Corrections typed by an officer, by canonical field; they win over the raw cells.
    corrections = models.JSONField(default=dict, blank=True)
    # What makes two rows of one file the same business (see intake.validation).
    fingerprint = models.CharField(max_length=255, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        "registry.Owner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "sheet", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "sheet", "row_number"], name="import_row_once"
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"], name="import_row_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.batch.file_name} {self.sheet}:{self.row_number}"

    @property
    def reference(self) -> str:
        """Provenance as people say it: ``berkas.xlsx › Sheet1 › baris 12``."""
        return f"{self.batch.file_name} › {self.sheet} › baris {self.row_number}"


class SourceMapping(models.Model):
    """Column mapping remembered per source, applied to its next files."""

    source = models.CharField(max_length=100, unique=True)
    # {normalised header: canonical field or "" for ignored}
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return self.source
