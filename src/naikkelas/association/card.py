"""The member card: its public check address and its QR code (inline SVG, no CDN)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from naikkelas.association.models import Member


def check_url(request: HttpRequest, member: Member) -> str:
    """The absolute address of the card's public check (the deployment's base URL when set:
    the QR must work from any phone, not only inside the office network)."""
    path = reverse("association:card_check", args=[member.card_code])
    base = settings.NAIKKELAS_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def qr_svg(text: str, *, scale: int = 4) -> SafeString:
    """``text`` as a QR code (error correction M), an ``<svg>`` element to inline."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, svgclass="qr"
    )
    return mark_safe(out.getvalue().decode())  # noqa: S308 (segno's own SVG, no user markup)
