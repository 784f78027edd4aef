"""Logins, logouts and failed logins go into the audit log.

Connected in ``AccountsConfig.ready()``. Only the attempted username (truncated) and the client
address are kept — never a password, not even a masked one. The same two facts, resolved the
same way, are what django-axes locks out by (``AXES_CLIENT_IP_CALLABLE``,
``AXES_USERNAME_CALLABLE`` in settings).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from naikkelas.core.audit import audit_log, client_ip

# django-axes resolves the client address with the same function (AXES_CLIENT_IP_CALLABLE).
__all__ = ["attempted_username", "client_ip", "connect"]

USERNAME_MAX_LENGTH = 150
OBJECT_TYPE = "accounts.user"


def attempted_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> Any:
    """The username of a login attempt, cut to the longest a user can have.

    django-axes' username for lockouts. Django's login form does not enforce the field's
    ``max_length``, and axes stores the raw value in a 255-character column: on PostgreSQL a
    longer "username" made every such attempt a server error instead of a failed login.
    """
    field = get_user_model().USERNAME_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", getattr(request, "POST", {})).get(field)
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_log(
        actor=user,
        action="auth.login",
        object_type=OBJECT_TYPE,
        object_id=str(user.pk),
        extra={"username": user.get_username()[:USERNAME_MAX_LENGTH]},
        request=request,
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
        extra={"username": user.get_username()[:USERNAME_MAX_LENGTH]},
        request=request,
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
    extra: dict[str, Any] = {"username": username}
    if getattr(request, "axes_locked_out", False):
        extra["locked_out"] = True
    audit_log(
        actor=None,
        action="auth.login_failed",
        object_type=OBJECT_TYPE,
        object_id=str(user_pk) if user_pk is not None else "",
        extra=extra,
        request=request,
    )


def connect() -> None:
    user_logged_in.connect(on_user_logged_in, dispatch_uid="naikkelas.audit.login")
    user_logged_out.connect(on_user_logged_out, dispatch_uid="naikkelas.audit.logout")
    user_login_failed.connect(on_user_login_failed, dispatch_uid="naikkelas.audit.login_failed")
