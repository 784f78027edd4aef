"""Escalating overdue kendala: open items past their target date are marked once, audited,
and the officers who manage kendala get one e-mail listing them (Django's mail API; the
console backend unless the deployment configures another)."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log
from naikkelas.kendala.models import OPEN_STATUSES, Kendala
from naikkelas.kendala.selectors import kendala_managers

logger = logging.getLogger(__name__)


def _message(items: list[Kendala], today: date) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[naikkelas] %(n)s kendala melewati target") % {"n": len(items)}
        lines = [
            _("Kendala berikut masih terbuka dan melewati target selesai (per %(today)s):")
            % {"today": today.isoformat()},
            "",
        ]
        base = getattr(settings, "NAIKKELAS_BASE_URL", "").rstrip("/")
        for item in items:
            # No personal data in the mail: code, category, place, dates and the link.
            lines.append(
                f"- {item.tracking_code} · {item.category.name} · "
                f"{item.kecamatan.name if item.kecamatan else '—'} · "
                f"{_('target')} {item.target_date} · {item.get_status_display()}"
            )
            lines.append(f"  {base}{reverse('kendala:manage_detail', args=[item.pk])}")
        lines += [
            "",
            _("Buka daftar kendala: %(url)s")
            % {"url": base + reverse("kendala:manage_list") + "?overdue=1"},
        ]
    return subject, "\n".join(lines)


def _send(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mass_mail([(subject, body, None, [to]) for to in recipients], fail_silently=False)
    except Exception:  # the escalation stands; a mail server being down must not undo it
        logger.exception("kendala escalation mail not sent")


def kendala_escalate_overdue(*, today: date) -> int:
    """Mark every open kendala whose target date is before ``today`` and that was not
    escalated yet; audit each; e-mail the managers once after the commit. Returns how many
    were escalated (0 on a second run the same day)."""
    with transaction.atomic():
        items = list(
            Kendala.objects.select_for_update(of=("self",))
            .select_related("category", "kecamatan")
            .filter(status__in=OPEN_STATUSES, target_date__lt=today, escalated_at__isnull=True)
            .order_by("target_date", "created_at", "id")
        )
        if not items:
            return 0
        now = timezone.now()
        Kendala.objects.filter(pk__in=[k.pk for k in items]).update(
            escalated_at=now, updated_at=now
        )
        for item in items:
            audit_log(
                actor=None,
                action="kendala.escalate",
                instance=item,
                source="task",
                extra={"target_date": item.target_date, "today": today},
            )
        recipients = [u.email for u in kendala_managers().exclude(email="")]
        if recipients:
            subject, body = _message(items, today)
            transaction.on_commit(lambda: _send(subject, body, recipients))
    return len(items)
