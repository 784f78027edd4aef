"""Kendala: the obstacles UMKM bring to the office (permits, capital, markets, packaging ...).

A kendala comes from the owner portal, the public page (no account: name, phone, kelurahan),
an officer on someone's behalf, or a forum meeting (many at once). It is triaged and answered
along the workflow of ``kendala.workflow``; the database refuses an unknown status, a closed item
without a response and a report that names neither a business nor a person (ADR 0016).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel
from naikkelas.kendala import workflow


class KendalaCategory(BaseModel):
    """A kind of obstacle (perizinan, permodalan, ...); officers add, rename and retire them."""

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    active = models.BooleanField(_("dipakai"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta(BaseModel.Meta):
        verbose_name = _("kategori kendala")
        verbose_name_plural = _("kategori kendala")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class KendalaChannel(models.TextChoices):
    PORTAL = "portal", _("Portal pelaku usaha")
    PUBLIK = "publik", _("Formulir publik")
    PETUGAS = "petugas", _("Dicatat petugas")
    FORUM = "forum", _("Forum/pertemuan")


class KendalaStatus(models.TextChoices):
    BARU = workflow.BARU, _("Baru")
    DITELAAH = workflow.DITELAAH, _("Ditelaah")
    DITINDAKLANJUTI = workflow.DITINDAKLANJUTI, _("Ditindaklanjuti")
    SELESAI = workflow.SELESAI, _("Selesai")
    TIDAK_DAPAT = workflow.TIDAK_DAPAT, _("Tidak dapat ditindaklanjuti")


OPEN_STATUSES = sorted(workflow.OPEN)
CLOSED_STATUSES = sorted(workflow.CLOSED)


class Kendala(BaseModel):
    """One obstacle, as reported, and what the office did about it."""

    tracking_code = models.CharField(_("kode pelacakan"), max_length=12, unique=True)
    channel = models.CharField(_("jalur"), max_length=8, choices=KendalaChannel.choices)
    # Who: a business of the register, or (public page, forum) a person without one.
    business = models.ForeignKey(
        "registry.Business",
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kendala",
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    reporter_business_name = models.CharField(
        _("nama usaha (ditulis pelapor)"), max_length=150, blank=True
    )
    consent_text = models.TextField(_("persetujuan"), blank=True)  # word for word, public page
    client_hash = models.CharField(max_length=64, blank=True)  # keyed hash of the IP (rate limit)
    # Where and what: from the business when there is one.
    kecamatan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    desa_kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.ForeignKey(
        "registry.Sector",
        verbose_name=_("sektor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        KendalaCategory,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="kendala",
    )
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))
    # Forum entries: the meeting they were heard at.
    forum_name = models.CharField(_("nama forum"), max_length=150, blank=True)
    forum_date = models.DateField(_("tanggal forum"), null=True, blank=True)
    # Handling.
    status = models.CharField(
        _("status"), max_length=16, choices=KendalaStatus.choices, default=KendalaStatus.BARU
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response = models.TextField(_("tanggapan"), blank=True)  # what the reporter reads
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_date = models.DateField(_("target selesai"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    application = models.ForeignKey(
        "programs.Application",
        verbose_name=_("pendaftaran program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kendala",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("kendala")
        verbose_name_plural = _("kendala")
        indexes = [
            models.Index(fields=["status", "created_at"], name="kendala_status_created"),
            models.Index(fields=["status", "target_date"], name="kendala_status_target"),
            models.Index(fields=["category", "created_at"], name="kendala_category_created"),
            models.Index(fields=["kecamatan", "status"], name="kendala_kecamatan_status"),
            models.Index(fields=["sector", "status"], name="kendala_sector_status"),
            models.Index(fields=["assignee", "status"], name="kendala_assignee_status"),
            models.Index(fields=["business", "created_at"], name="kendala_business_created"),
            models.Index(fields=["client_hash", "created_at"], name="kendala_client_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=list(workflow.STATUSES)), name="kendala_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in KendalaChannel]),
                name="kendala_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(business__isnull=False) | ~Q(reporter_name=""),
                name="kendala_reporter_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, closed_at__isnull=True)
                | (Q(status__in=CLOSED_STATUSES, closed_at__isnull=False) & ~Q(response="")),
                name="kendala_closed_with_response",
            ),
            models.CheckConstraint(
                condition=Q(response="") | Q(responded_at__isnull=False),
                name="kendala_response_dated",
            ),
        ]

    def __str__(self) -> str:
        # The object's name in the append-only audit log: the code only, since a title taken
        # from what a reporter typed may name people.
        return self.tracking_code

    def get_absolute_url(self) -> str:
        return reverse("kendala:manage_detail", kwargs={"kendala_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN

    def is_overdue(self, today: date) -> bool:
        """Open and past its target date (the escalation job's rule)."""
        return self.is_open and self.target_date is not None and self.target_date < today
