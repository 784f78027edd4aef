"""Template tags for the business page's market section (``market/_business_market.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from naikkelas.accounts.permissions import Capability, has_capability

register = template.Library()


@register.simple_tag(takes_context=True)
def market_manage(context: Any) -> bool:
    return has_capability(context.get("user"), Capability.MARKET_MANAGE)
