"""Creating users and API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import ApiToken, Role, User
from naikkelas.core.audit import audit_log


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    first, _, last = full_name.partition(" ")
    user = User(
        username=username,
        role=Role(role),
        first_name=first,
        last_name=last,
        email=email,
        is_staff=Role(role) == Role.ADMIN,
        is_superuser=Role(role) == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(actor=actor, action="user.create", instance=user, extra={"role": user.role})
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key is shown once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8]
    )
    audit_log(actor=actor or user, action="api_token.create", instance=token)
    return token, key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
