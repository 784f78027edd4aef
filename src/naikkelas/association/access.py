"""Who may do what in the association beyond the role's capabilities."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.accounts.permissions import Capability, has_capability
from naikkelas.association.models import BoardPosition


def can_approve_members(user: Any, *, today: date | None = None) -> bool:
    """The administrator, or an association user who holds a board seat that approves new
    members (the secretary) in a current term."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if not has_capability(user, Capability.ASSOCIATION_MANAGE):
        return False
    today = today or timezone.localdate()
    return BoardPosition.objects.filter(
        user=user, approves_members=True, term__starts_on__lte=today, term__ends_on__gte=today
    ).exists()
