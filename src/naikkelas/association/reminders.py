"""Reminders to members: the prepared WhatsApp click-to-chat text and the e-mail, in plain
Indonesian a warung owner reads on a phone.

The texts carry the business, the member number, the dates and the amount owed: never a NIK.
The phone number goes only into the ``wa.me`` link, which an audited redirect builds
(``dues_views.dues_whatsapp``); pages never show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from naikkelas.association.models import Member
from naikkelas.regions.selectors import deployment_area
from naikkelas.registry.models import BusinessOwner, OwnerRole

ARREARS = "tunggakan"
RENEWAL = "perpanjangan"
KINDS = (ARREARS, RENEWAL)


@dataclass(frozen=True)
class Contact:
    """Whom to remind: the business's main owner (the business's own phone and e-mail when
    the owner has none)."""

    name: str
    phone: str
    email: str


def member_contacts(members: Iterable[Member]) -> dict[Any, Contact]:
    """Contacts of several members in one query (member id -> contact)."""
    members = list(members)
    owners = {
        row.business_id: row.owner
        for row in BusinessOwner.objects.filter(
            business_id__in=[m.business_id for m in members], role=OwnerRole.PEMILIK
        ).select_related("owner")
    }
    contacts = {}
    for member in members:
        owner = owners.get(member.business_id)
        contacts[member.pk] = Contact(
            name=owner.full_name if owner else "",
            phone=(owner.phone if owner else "") or member.business.phone,
            email=(owner.email if owner else "") or member.business.email,
        )
    return contacts


def member_contact(member: Member) -> Contact:
    return member_contacts([member])[member.pk]


def whatsapp_number(phone: str) -> str:
    """``+62812...`` or ``0812...`` as wa.me wants it: ``62812...``."""
    number = "".join(ch for ch in phone if ch.isdigit())
    if number.startswith("0"):
        number = "62" + number[1:]
    return number


def whatsapp_url(*, phone: str, text: str) -> str:
    return f"https://wa.me/{whatsapp_number(phone)}?text={quote(text)}"


def association_name() -> str:
    area = deployment_area()
    return f"Hipmikindo {area.name.title()}" if area else "Hipmikindo"


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else "—"


def _rupiah(value: int) -> str:
    return "Rp" + f"{value:,}".replace(",", ".")


def _body(*, member: Member, kind: str, periods: int, amount: int, today: date) -> str:
    values = {
        "business": member.business.name,
        "number": member.number,
        "until": _day(member.paid_until),
        "periods": periods,
        "amount": _rupiah(amount),
        "dues": _rupiah(member.type.dues),
    }
    if kind == ARREARS:
        return (
            _(
                "iuran anggota %(business)s (no. anggota %(number)s) belum kami terima: "
                "%(periods)s periode, %(amount)s. Keanggotaan berlaku sampai %(until)s."
            )
            % values
            if member.paid_until
            else _(
                "iuran pertama anggota %(business)s (no. anggota %(number)s) belum kami "
                "terima: %(periods)s periode, %(amount)s."
            )
            % values
        )
    if member.paid_until is not None and member.paid_until < today:
        return (
            _(
                "keanggotaan %(business)s (no. anggota %(number)s) berakhir %(until)s. "
                "Perpanjang dengan iuran %(dues)s per periode agar tetap mendapat fasilitas "
                "anggota."
            )
            % values
        )
    return (
        _(
            "keanggotaan %(business)s (no. anggota %(number)s) berlaku sampai %(until)s. "
            "Perpanjang dengan iuran %(dues)s per periode agar tetap mendapat fasilitas "
            "anggota."
        )
        % values
    )


def whatsapp_message(
    *, member: Member, contact: Contact, kind: str, periods: int, amount: int, today: date
) -> str:
    greeting = _("Assalamualaikum / Salam sejahtera %(name)s,") % {
        "name": contact.name or _("Bapak/Ibu")
    }
    body = _body(member=member, kind=kind, periods=periods, amount=amount, today=today)
    closing = _("Pembayaran tunai ke bendahara atau transfer; balas pesan ini bila sudah bayar.")
    return f"{greeting}\n{body}\n{closing}\n— {association_name()}"


def reminder_email(
    *, member: Member, contact: Contact, kind: str, periods: int, amount: int, today: date
) -> tuple[str, str]:
    """(subject, body) in the deployment's language (a task has no request language)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = association_name()
        if kind == ARREARS:
            subject = _("[%(org)s] Pengingat iuran anggota %(number)s")
        else:
            subject = _("[%(org)s] Perpanjangan keanggotaan %(number)s")
        subject %= {"org": name, "number": member.number}
        base = getattr(settings, "NAIKKELAS_BASE_URL", "").rstrip("/")
        lines = [
            _("Yth. %(name)s,") % {"name": contact.name or _("Bapak/Ibu")},
            "",
            _body(member=member, kind=kind, periods=periods, amount=amount, today=today),
            "",
            _("Pembayaran tunai ke bendahara atau transfer; simpan kuitansi Anda."),
            _("Lihat keanggotaan Anda: %(url)s")
            % {"url": base + reverse("association:my_membership")},
            "",
            name,
        ]
    return subject, "\n".join(lines)
