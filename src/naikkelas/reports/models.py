"""Targets the office sets for the register (per sector; per kelurahan lives with the census
campaign in ``fieldwork.KelurahanTarget``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SectorTarget(models.Model):
    sector = models.OneToOneField(
        "registry.Sector", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.PositiveIntegerField(_("target"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("target sektor")
        verbose_name_plural = _("target sektor")

    def __str__(self) -> str:
        return f"{self.sector_id}: {self.target}"
