"""Base model and the audit log that every write service records to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core.ids import new_id


class BaseModel(models.Model):
    """UUID primary key plus creation/update timestamps (stored in UTC)."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """The audit log is never changed through the application."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """One row per change to the register (append-only; never updated or deleted).

    ``changes`` maps a field name to ``[old, new]``. Personal identifiers are stored masked
    there (see ``core.audit``) so the audit trail does not become a second copy of the data.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("aksi"), max_length=64, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=64)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=255, blank=True)
    source = models.CharField(_("sumber"), max_length=32, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    extra = models.JSONField(_("keterangan"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class DataChange(models.Model):
    """A marker written in the same transaction as a change to the data the dashboards count
    (see ``core.data_version``): cached aggregates are keyed on these markers, so a cache entry
    can only be used while the data it was computed from is what a reader sees."""

    id = models.BigAutoField(primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penanda perubahan data")
        verbose_name_plural = _("penanda perubahan data")

    def __str__(self) -> str:
        return f"{self.id}:{self.token}"


class DailyJobRun(models.Model):
    """A daily job claimed for a day (``core.daily``): the unique pair makes sure that every
    worker process together runs each job once a day."""

    name = models.CharField(max_length=100)
    day = models.DateField()
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tugas harian")
        verbose_name_plural = _("tugas harian")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="daily_job_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
