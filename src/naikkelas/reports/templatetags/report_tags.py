"""Template filters of the dashboards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_count(counts: Mapping[str, int] | None, key: Any) -> int:
    """``counts[key]`` or 0 (a missing source in a week)."""
    return int((counts or {}).get(str(key), 0))
