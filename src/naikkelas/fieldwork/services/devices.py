"""Enumerators' device keys: the secret in the server URL Collect is set up with."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import DeviceKey

__all__ = ["device_key_create", "device_key_hash", "device_key_revoke", "device_key_user"]


def device_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def device_key_create(*, actor: Any, user: Any) -> tuple[DeviceKey, str]:
    """A new key for ``user`` (the previous one stops working); returns it once."""
    DeviceKey.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )
    key = secrets.token_urlsafe(24)
    device = DeviceKey.objects.create(user=user, key_hash=device_key_hash(key), prefix=key[:6])
    audit_log(actor=actor, action="fieldwork.device_key_create", instance=device)
    return device, key


@transaction.atomic
def device_key_revoke(*, actor: Any, user: Any) -> int:
    revoked = DeviceKey.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )
    if revoked:
        audit_log(
            actor=actor,
            action="fieldwork.device_key_revoke",
            object_type="accounts.user",
            object_id=str(user.pk),
        )
    return revoked


def device_key_user(key: str) -> Any:
    """The active user a key belongs to, or None (unknown, revoked, user deactivated)."""
    if not key or len(key) > 100:
        return None
    device = (
        DeviceKey.objects.select_related("user")
        .filter(key_hash=device_key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if device is None:
        return None
    now = timezone.now()
    if device.last_used_at is None or (now - device.last_used_at).total_seconds() > 300:
        DeviceKey.objects.filter(pk=device.pk).update(last_used_at=now)
    return device.user
