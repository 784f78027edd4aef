"""``{% if user|can:"register.export" %}``: show a link only to roles that may follow it (the
view enforces the same capability with ``@requires``)."""

from __future__ import annotations

from typing import Any

from django import template

from naikkelas.accounts.permissions import Capability, has_capability

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    """Whether ``user`` holds ``capability`` (its value, e.g. ``"register.export"``)."""
    return has_capability(user, Capability(capability))
