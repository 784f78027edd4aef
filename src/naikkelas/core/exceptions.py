"""Errors raised by services, shown to people as they are."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain was broken; ``message`` is meant for the person who tried."""

    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
