"""The event reminder, in plain Indonesian an owner reads on a phone (WhatsApp and e-mail)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from naikkelas.association.models import AssociationEvent


def when_text(event: AssociationEvent) -> str:
    """``"Kamis, 12 Juni 2025, 09.00-12.00"`` (one day) or both ends (several days)."""
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
        return f"{date_format(starts, 'l, j F Y')}, {starts:%H.%M}-{ends:%H.%M}"
    return (
        f"{date_format(starts, 'j F Y')} {starts:%H.%M} - {date_format(ends, 'j F Y')} {ends:%H.%M}"
    )


def reminder_subject(*, event: AssociationEvent) -> str:
    return _("Pengingat kegiatan: %(title)s") % {"title": event.title}


def reminder_text(*, event: AssociationEvent, business_name: str, owner_name: str = "") -> str:
    greeting = _("Assalamualaikum / Salam sejahtera %(name)s,") % {
        "name": owner_name or _("Bapak/Ibu")
    }
    body = _(
        "mengingatkan, usaha %(business)s terdaftar pada %(title)s, %(when)s, di %(venue)s. "
        "Mohon hadir tepat waktu dan pindai kode QR di lokasi untuk mencatat kehadiran. "
        "Bila berhalangan, mohon kabari kami."
    ) % {
        "business": business_name,
        "title": event.title,
        "when": when_text(event),
        "venue": event.venue,
    }
    return f"{greeting}\n{body}\n\nHipmikindo Kota Serang"
