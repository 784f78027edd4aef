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


@register.simple_tag(takes_context=True)
def guidance_summary(context: Any, business: Any) -> dict[str, Any] | None:
    """Today's guidance for the business page (not stored: the guidance page stores it)."""
    from django.utils import timezone

    from naikkelas.accounts.permissions import Capability, has_capability
    from naikkelas.guidance.services.evaluations import guidance_evaluate
    from naikkelas.guidance.snapshot import to_data

    if not has_capability(context.get("user"), Capability.REGISTER_VIEW):
        return None
    guidance, _stored = guidance_evaluate(
        actor=None, business=business, on=timezone.localdate(), store=False
    )
    data = to_data(guidance)
    todo = [f for f in data["findings"] if f["status"] in ("missing", "in_progress")]
    return {
        "todo": len(todo),
        "overdue": sum(1 for f in todo if f.get("overdue")),
        "steps": data.get("roadmap", [])[:3],
        "tax": (data.get("tax") or {}).get("tax"),
    }
