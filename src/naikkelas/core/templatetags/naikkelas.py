"""Template filters: masked personal data and rupiah amounts."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from naikkelas.core import identifiers

register = template.Library()


@register.filter
def mask_nik(value: str | None) -> str:
    return identifiers.mask_nik(value) if value else "—"


@register.filter
def mask_phone(value: str | None) -> str:
    return identifiers.mask_phone(value) if value else "—"


@register.filter
def rupiah(value: int | None) -> str:
    if value is None:
        return "—"
    return f"Rp{intcomma(value)}"
