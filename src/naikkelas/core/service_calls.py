"""Calling a service from an HTML view: a refusal (``ApplicationError``) becomes an error
message on the next page instead of an error page; success, when worded, a success message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from naikkelas.core.exceptions import ApplicationError


def call_service(request: HttpRequest, call: Callable[[], Any], success: str = "") -> Any:
    """The service's result, or ``None`` when it refused (its message is queued)."""
    try:
        result = call()
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    if success:
        messages.success(request, success)
    return result
