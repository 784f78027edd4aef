from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN_KOTA = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA_KELURAHAN = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """One Kemendagri administrative area, keyed by its official dotted code."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=128)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_key = models.CharField(max_length=128, db_index=True, editable=False)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_kelurahan(self) -> bool:
        """Kelurahan codes have 1 as the first of the last four digits; desa have 2 or 3."""
        return self.level == RegionLevel.DESA_KELURAHAN and self.code[-4] == "1"

    @property
    def digits(self) -> str:
        return self.code.replace(".", "")
