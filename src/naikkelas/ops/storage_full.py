"""A full disk answers ``507 Insufficient Storage`` with a message, not Django's 500 page.

When the data disk fills up (photos, imports, the SQLite database or PostgreSQL's own disk),
every write fails. The transaction that failed has rolled back, so nothing half-written is
kept; what the people at the other end need is to know that it was not their input: ODK
Collect shows the ``OpenRosaResponse`` message to the enumerator and keeps the form to send
again, the API says so in JSON, a browser gets a page that says to try later and to tell the
administrator (whose ``/healthz`` and ``naikkelas check`` already report low disk space).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# SQLite's SQLITE_FULL, PostgreSQL's disk_full (SQLSTATE 53100) and its file-extension error
_FULL_MESSAGES = ("database or disk is full", "no space left on device", "could not extend file")
_PG_DISK_FULL = "53100"
STATUS = 507


def is_storage_full(error: BaseException) -> bool:
    """Whether an exception (or one it was raised from) says the disk is full."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return True
        if getattr(current, "sqlstate", None) == _PG_DISK_FULL:
            return True
        if any(text in str(current).lower() for text in _FULL_MESSAGES):
            return True
        current = current.__cause__ or current.__context__
    return False


def storage_full_response(request: HttpRequest) -> HttpResponse:
    """What each kind of client is told (the request's language)."""
    text = _(
        "Penyimpanan server penuh; data ini belum tersimpan. Coba kirim lagi nanti dan "
        "beri tahu admin naikkelas."
    )
    path = request.path
    if "/odk/" in path:
        from naikkelas.fieldwork.openrosa import openrosa_message

        response = HttpResponse(
            openrosa_message(text, nature="error"),
            status=STATUS,
            content_type="text/xml; charset=utf-8",
        )
        response["X-OpenRosa-Version"] = "1.0"
        return response
    if path.startswith("/api/"):
        return JsonResponse({"detail": text, "code": "storage_full"}, status=STATUS)
    html = render_to_string("ops/storage_full.html", {"message": text}, request=request)
    return HttpResponse(html, status=STATUS)


class StorageFullMiddleware:
    """Turns an exception that says the disk is full into :func:`storage_full_response`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_storage_full(exception):
            return None
        # the exception class only: its text may quote the data that was being written
        logger.error("storage full: %s refused (%s)", request.method, type(exception).__name__)
        return storage_full_response(request)
