"""Consent records and data-subject requests (UU 27/2022 Pasal 20-24, 32-33)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class ConsentMethod(models.TextChoices):
    PAPER_FORM = "paper_form", _("Formulir kertas (foto terlampir)")
    SELF_REGISTRATION = "self_registration", _("Centang saat daftar mandiri")
    ENUMERATOR_ATTESTATION = "enumerator_attestation", _("Pernyataan enumerator di lapangan")
    OFFICER = "officer", _("Dicatat petugas (lisan/tatap muka)")


# The purpose owners are told about; kept with every consent as given (Pasal 21).
DEFAULT_PURPOSE = (
    "Pendataan UMKM Kota Serang oleh Diskopukmperindag dan Hipmikindo: register tunggal usaha, "
    "seleksi program pelatihan dan bantuan secara merata, serta informasi perizinan dan pajak."
)


class Consent(BaseModel):
    """One consent given by an owner for a stated purpose, and its withdrawal."""

    owner = models.ForeignKey("registry.Owner", on_delete=models.CASCADE, related_name="consents")
    purpose = models.TextField(_("tujuan pemrosesan"))
    method = models.CharField(_("cara"), max_length=32, choices=ConsentMethod.choices)
    given_by = models.CharField(
        _("diberikan oleh"), max_length=150, help_text=_("Nama orang yang memberi persetujuan.")
    )
    given_at = models.DateTimeField(_("waktu persetujuan"))
    evidence = models.FileField(_("bukti (foto formulir)"), upload_to="consent/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("alasan pencabutan"), max_length=255, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in ConsentMethod]),
                name="consent_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} ({self.get_method_display()})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Melihat data saya")
    CORRECTION = "correction", _("Memperbaiki data saya")
    DELETION = "deletion", _("Menghapus data saya")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Menunggu")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


class DataSubjectRequest(BaseModel):
    """A request by an owner about their own data, due within 3 x 24 hours (Pasal 32)."""

    owner = models.ForeignKey(
        "registry.Owner", on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=RequestKind.choices)
    details = models.TextField(_("rincian"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    due_at = models.DateTimeField(_("batas waktu"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("diproses pada"), null=True, blank=True)
    resolution = models.TextField(_("tanggapan"), blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RequestKind]), name="dsr_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(handled_at__isnull=False),
                name="dsr_handled_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="dsr_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.owner}"
