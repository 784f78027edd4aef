"""Template tags for the business page's programmes section (``programs/_business_aid.html``),
so the registry's template can show it without the registry importing this app."""

from __future__ import annotations

from typing import Any

from django import template

from naikkelas.accounts.permissions import Capability, has_capability
from naikkelas.programs.forms import AidRecordForm
from naikkelas.programs.models import Cycle, CycleStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_rights(context: Any) -> dict[str, bool]:
    user = context.get("user")
    return {
        "view": has_capability(user, Capability.PROGRAMME_VIEW),
        "manage": has_capability(user, Capability.PROGRAMME_MANAGE),
    }


@register.simple_tag
def nominable_cycles() -> list[Cycle]:
    """Cycles that still take nominations."""
    return list(
        Cycle.objects.filter(status__in=[CycleStatus.DRAFT, CycleStatus.OPEN])
        .select_related("programme")
        .order_by("starts_on", "id")
    )


@register.simple_tag
def aid_form() -> AidRecordForm:
    return AidRecordForm()
