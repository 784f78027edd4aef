"""Template filters for guidance results stored in both languages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from naikkelas.guidance.plan import pick

register = template.Library()


@register.filter
def tr(value: Any) -> str:
    """``{"id": …, "en": …}`` in the active language."""
    return pick(value, "en" if (get_language() or "id").startswith("en") else "id")
