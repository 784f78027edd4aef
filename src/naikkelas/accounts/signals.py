"""Logins, logouts and failed logins go into the audit log.

Connected in ``AccountsConfig.ready()``. Only the attempted username (truncated) and the client
address are kept — never a password, not even a masked one.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from naikkelas.core.audit import audit_log

USERNAME_MAX_LENGTH = 150
OBJECT_TYPE = "accounts.user"


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request came from, or None if unknown.

    ``REMOTE_ADDR``, unless ``DJANGO_BEHIND_PROXY`` says a reverse proxy (exactly one) sits in
    front: then the right-most ``X-Forwarded-For`` entry, the one that proxy appended itself —
    entries further left come from the client and can be forged. Also django-axes' client
    address (``AXES_CLIENT_IP_CALLABLE``), so lockouts and the audit log agree.
    """
    if request is None:
        return None
    meta = getattr(request, "META", {})
    if getattr(settings, "NAIKKELAS_BEHIND_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return _valid_ip(forwarded.split(",")[-1])
    return _valid_ip(meta.get("REMOTE_ADDR", "") or "")


def _request_extra(request: HttpRequest | None) -> dict[str, Any]:
    # TODO: pass the address as AuditEvent.ip_address once core.audit.audit_log() accepts it.
    return {"ip": client_ip(request)}


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_log(
        actor=user,
        action="auth.login",
        object_type=OBJECT_TYPE,
        object_id=str(user.pk),
        extra={"username": user.get_username()[:USERNAME_MAX_LENGTH], **_request_extra(request)},
    )


def on_user_logged_out(
    sender: Any, request: HttpRequest | None, user: Any = None, **kwargs: Any
) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return  # logging out without a session: nothing happened
    audit_log(
        actor=user,
        action="auth.logout",
        object_type=OBJECT_TYPE,
        object_id=str(user.pk),
        extra={"username": user.get_username()[:USERNAME_MAX_LENGTH], **_request_extra(request)},
    )


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed attempt, for a known username or not. ``credentials`` holds the password
    (masked by Django); only the username is read from it."""
    user_model = get_user_model()
    username = str(credentials.get(user_model.USERNAME_FIELD) or "")[:USERNAME_MAX_LENGTH]
    user_pk = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
        if username
        else None
    )
    extra: dict[str, Any] = {"username": username, **_request_extra(request)}
    if getattr(request, "axes_locked_out", False):
        extra["locked_out"] = True
    audit_log(
        actor=None,
        action="auth.login_failed",
        object_type=OBJECT_TYPE,
        object_id=str(user_pk) if user_pk is not None else "",
        extra=extra,
    )


def connect() -> None:
    user_logged_in.connect(on_user_logged_in, dispatch_uid="naikkelas.audit.login")
    user_logged_out.connect(on_user_logged_out, dispatch_uid="naikkelas.audit.logout")
    user_login_failed.connect(on_user_login_failed, dispatch_uid="naikkelas.audit.login_failed")
