"""The event's check-in QR: its absolute address and the code as an inline SVG (no CDN)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from naikkelas.association.models import AssociationEvent


def checkin_url(request: HttpRequest, event: AssociationEvent) -> str:
    """The absolute check-in address (the deployment's base URL when set: the QR is scanned
    by owners' phones on mobile data, not inside the office network)."""
    path = reverse("association:event_checkin", args=[event.checkin_code])
    base = settings.NAIKKELAS_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def checkin_qr_svg(text: str, *, scale: int = 8) -> SafeString:
    """``text`` as a QR code (error correction M: a printed sheet gets creased), an ``<svg>``
    element to inline."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, svgclass="qr"
    )
    return mark_safe(out.getvalue().decode())  # noqa: S308 (segno's own SVG, no user markup)
