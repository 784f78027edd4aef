"""The rule base as stored versions, a business's questionnaire answers, and evaluations.

Rules ship as data in the package (``rulebase.toml``) and are copied into ``GuidanceRule`` rows
on migrate: one row per (key, version), never changed afterwards. An administrator's change is a
new version. An evaluation keeps the findings it showed and points at the exact versions it used,
so changing a rule leaves old evaluations as they were (ADR 0015).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class RuleOrigin(models.TextChoices):
    PACKAGE = "package", _("Paket naikkelas")
    ADMIN = "admin", _("Diubah admin")


class GuidanceRule(BaseModel):
    """One version of one rule (append-only)."""

    key = models.SlugField(_("kunci"), max_length=64)
    version = models.PositiveIntegerField(_("versi"))
    topic = models.CharField(_("topik"), max_length=16)
    status = models.CharField(_("status"), max_length=16)
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    data = models.JSONField(_("isi aturan"))
    content_hash = models.CharField(max_length=64)
    origin = models.CharField(_("asal"), max_length=16, choices=RuleOrigin.choices)
    change_note = models.CharField(_("catatan perubahan"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("aturan panduan")
        verbose_name_plural = _("aturan panduan")
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="guidance_rule_version_unique"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="guidance_rule_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="guidance_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class GuidanceAnswers(BaseModel):
    """What the register does not hold but the guidance needs (food kind, halal process, label,
    barcode, …), answered by an officer or the owner. Unknown stays unknown."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.CASCADE, related_name="guidance_answers"
    )
    answers = models.JSONField(_("jawaban"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("jawaban panduan")
        verbose_name_plural = _("jawaban panduan")

    def __str__(self) -> str:
        return f"{self.business_id}"


class GuidanceEvaluation(BaseModel):
    """What the guidance told about a business on a day, with the rule versions it used."""

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="guidance_evaluations"
    )
    evaluated_on = models.DateField(_("tanggal penilaian"))
    rules = models.ManyToManyField(GuidanceRule, related_name="evaluations")
    rule_versions = models.JSONField(_("versi aturan"))
    result = models.JSONField(_("hasil"))
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("penilaian panduan")
        verbose_name_plural = _("penilaian panduan")
        indexes = [models.Index(fields=["business", "created_at"])]

    def __str__(self) -> str:
        return f"{self.business_id} {self.evaluated_on}"
