"""API authentication and authorisation, decided before any input is parsed.

Each operation declares ``auth=capability_auth(Capability.X)``: a bearer token
(``Authorization: Bearer <token>``) or the browser session identifies the user (401 when
neither does), then the role must hold the capability (403). Checking here, not in the view,
means a caller without the right never learns anything from validation errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from naikkelas.accounts.permissions import Capability, has_capability
from naikkelas.accounts.services import api_token_authenticate


class CapabilityAuth(HttpBearer):
    def __init__(self, capability: Capability) -> None:
        super().__init__()
        self.capability = capability
        self._session = SessionAuth()

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)  # bearer token, if one was sent
        if user is None and not request.headers.get("Authorization"):
            user = self._session(request)
        if not user:
            return None
        if not has_capability(user, self.capability):
            raise PermissionDenied
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


def capability_auth(capability: Capability) -> CapabilityAuth:
    return CapabilityAuth(capability)


def rule_of_operation(operation: Any) -> str | None:
    for callback in getattr(operation, "auth_callbacks", []) or []:
        capability = getattr(callback, "capability", None)
        if capability is not None:
            return str(capability)
    return None
