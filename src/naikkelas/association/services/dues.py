"""Dues (iuran): record a payment with its receipt number, void a mistake, remind members.

A payment extends validity by whole periods (``status.renewal_period`` from the member's
current ``paid_until``); validity and status are then recomputed from the payments that stand
(``member_validity_recompute``), so voiding a payment gives back exactly what it gave.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.association import reminders
from naikkelas.association.models import (
    DuesPayment,
    Member,
    MemberNumberSequence,
    MemberStatus,
    PaymentMethod,
)
from naikkelas.association.services.memberships import member_validity_recompute
from naikkelas.association.status import arrears, renewal_period
from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent

logger = logging.getLogger(__name__)

RECEIPT_PREFIX = "KW"
# The receipts' serials share MemberNumberSequence with member numbers, under a key no
# membership type's number prefix uses.
RECEIPT_SEQUENCE = "receipt:KW"
MAX_PERIODS = 10

# Renewal reminders go out this many days before validity ends (once each per validity).
REMINDER_MILESTONES = (30, 7)
RENEWAL_REMINDER_ACTION = "dues.renewal_reminder"


def receipt_number_issue(*, year: int) -> str:
    """The next receipt number ``KW-YEAR-00001`` (call inside a transaction: the sequence row
    stays locked until it commits, so two officers never get the same number)."""
    sequence, _created = MemberNumberSequence.objects.select_for_update().get_or_create(
        prefix=RECEIPT_SEQUENCE, year=year
    )
    while True:
        sequence.last += 1
        number = f"{RECEIPT_PREFIX}-{year}-{sequence.last:05d}"
        if not DuesPayment.objects.filter(receipt_number=number).exists():  # typed in by hand
            break
    sequence.save(update_fields=["last"])
    return number


def member_has_ended(member: Member, *, today: date) -> bool:
    return member.status == MemberStatus.BERHENTI or (
        member.ended_on is not None and member.ended_on <= today
    )


def _validate(
    *,
    member: Member,
    paid_on: Any,
    periods: Any,
    method: str,
    receipt_number: str,
    reference: str,
    amount: Any,
    today: date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if member_has_ended(member, today=today):
        refuse("member", _("Keanggotaan ini sudah berhenti; iuran tidak dapat dicatat."))
    elif member.type.dues == 0:
        refuse("member", _("Jenis keanggotaan ini tanpa iuran."))
    if not isinstance(paid_on, date):
        refuse("paid_on", _("Isi tanggal bayar."))
    elif paid_on > today:
        refuse("paid_on", _("Tanggal bayar tidak boleh di masa depan."))
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS:
        refuse("periods", _("Jumlah periode 1 sampai %(max)s.") % {"max": MAX_PERIODS})
    if method not in PaymentMethod.values:
        refuse("method", _("Pilih tunai atau transfer."))
    elif method == PaymentMethod.TRANSFER and not reference:
        refuse("reference", _("Transfer perlu nomor referensi (dari bukti transfer)."))
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or amount < 1
    ):
        refuse("amount", _("Jumlah harus angka rupiah lebih dari 0."))
    if len(receipt_number) > 40:
        refuse("receipt_number", _("Nomor kuitansi paling panjang 40 karakter."))
    elif receipt_number and DuesPayment.objects.filter(receipt_number=receipt_number).exists():
        refuse("receipt_number", _("Nomor kuitansi ini sudah dipakai."))
    if len(reference) > 100:
        refuse("reference", _("Referensi paling panjang 100 karakter."))
    return errors


def dues_record(
    *,
    actor: Any,
    member: Member,
    paid_on: date,
    periods: int,
    method: str,
    receipt_number: str = "",
    reference: str = "",
    amount: int | None = None,
) -> DuesPayment:
    """Record dues paid for ``periods`` periods and extend the member's validity.

    The amount defaults to ``periods`` × the type's dues; the receipt number is issued
    (``KW-YEAR-00001``, by the payment's year) when none is given.

    Raises:
        ValidationError: keyed by field (``member`` for an ended membership or a type without
            dues; ``paid_on``, ``periods``, ``method``, ``reference`` for a transfer without
            one, ``amount``, ``receipt_number`` taken).
    """
    receipt_number, reference = receipt_number.strip(), reference.strip()
    today = timezone.localdate()
    with transaction.atomic():
        # Locked: the period starts from paid_until, which a concurrent payment would move.
        member = Member.objects.select_for_update().select_related("type").get(pk=member.pk)
        errors = _validate(
            member=member,
            paid_on=paid_on,
            periods=periods,
            method=method,
            receipt_number=receipt_number,
            reference=reference,
            amount=amount,
            today=today,
        )
        if errors:
            raise ValidationError(errors)
        period = renewal_period(
            terms=member.type.terms,
            joined_on=member.joined_on,
            paid_until=member.paid_until,
            paid_on=paid_on,
            periods=periods,
        )
        payment = DuesPayment(
            member=member,
            paid_on=paid_on,
            amount=amount if amount is not None else periods * member.type.dues,
            periods=periods,
            period_start=period.start,
            period_end=period.end,
            method=method,
            receipt_number=receipt_number or receipt_number_issue(year=paid_on.year),
            reference=reference,
            recorded_by=actor_user(actor),
        )
        payment.full_clean()
        payment.save()
        audit_log(
            actor=actor,
            action="dues.record",
            instance=member,
            extra={
                "payment": payment.pk,
                "receipt": payment.receipt_number,
                "amount": payment.amount,
                "periods": periods,
                "period": [period.start, period.end],
                "method": method,
            },
        )
        member_validity_recompute(
            member=member,
            actor=actor,
            reason=_("Iuran dibayar (%(receipt)s)") % {"receipt": payment.receipt_number},
        )
    return payment


def dues_void(*, actor: Any, payment: DuesPayment, reason: str) -> DuesPayment:
    """Void a payment recorded by mistake (kept, never deleted); validity goes back to what
    the payments that stand give.

    Raises:
        ValidationError: no reason.
        ApplicationError: already voided.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")})
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("type").get(pk=payment.member_id)
        payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.voided_at is not None:
            raise ApplicationError(_("Pembayaran ini sudah dibatalkan."))
        payment.voided_at = timezone.now()
        payment.void_reason = reason[:255]
        payment.save(update_fields=["voided_at", "void_reason", "updated_at"])
        audit_log(
            actor=actor,
            action="dues.void",
            instance=member,
            extra={
                "payment": payment.pk,
                "receipt": payment.receipt_number,
                "reason": reason[:255],
            },
        )
        member_validity_recompute(
            member=member,
            actor=actor,
            reason=_("Pembayaran %(receipt)s dibatalkan") % {"receipt": payment.receipt_number},
        )
    return payment


@dataclass(frozen=True)
class Owed:
    periods: int
    amount: int


def member_arrears(member: Member, *, today: date) -> Owed:
    """What ``member`` owes on ``today`` (nothing once the membership ended)."""
    if member_has_ended(member, today=today):
        return Owed(0, 0)
    periods, amount = arrears(
        terms=member.type.terms,
        joined_on=member.joined_on,
        paid_until=member.paid_until,
        today=today,
    )
    return Owed(periods, amount)


def _send_quietly(messages: list[tuple[str, str, None, list[str]]]) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # the record stands; a mail server being down must not undo it
        logger.exception("association reminder mail not sent")


def dues_reminder_email_send(*, actor: Any, member: Member, kind: str, today: date) -> str:
    """E-mail the member's owner a reminder now (``kind``: ``tunggakan`` or
    ``perpanjangan``), audited. Returns the address it went to.

    Raises:
        ValidationError: unknown kind, or no e-mail address on record.
    """
    if kind not in reminders.KINDS:
        raise ValidationError({"kind": _("Jenis pengingat tidak dikenal.")})
    contact = reminders.member_contact(member)
    if not contact.email:
        raise ValidationError({"email": _("Pemilik belum punya alamat e-mail.")})
    owed = member_arrears(member, today=today)
    subject, body = reminders.reminder_email(
        member=member,
        contact=contact,
        kind=kind,
        periods=owed.periods,
        amount=owed.amount,
        today=today,
    )
    with transaction.atomic():
        audit_log(actor=actor, action="dues.reminder_email", instance=member, extra={"kind": kind})
        transaction.on_commit(lambda: _send_quietly([(subject, body, None, [contact.email])]))
    return contact.email


def _milestone(days_left: int) -> int | None:
    """The most urgent milestone due with ``days_left`` days of validity left."""
    due = [m for m in REMINDER_MILESTONES if 0 <= days_left <= m]
    return min(due) if due else None


def renewal_reminders_send(*, today: date, actor: Any = None) -> int:
    """E-mail members whose validity ends within 30 days, and again within 7 days: once per
    member, milestone and validity (a marker in the audit log, so a second run the same day,
    or a missed day, sends nothing twice). Members without an e-mail are skipped. Returns the
    number of e-mails queued (sent after the commit). The daily task calls this."""
    horizon = today + timedelta(days=max(REMINDER_MILESTONES))
    candidates = list(
        Member.objects.select_related("type", "business")
        .exclude(status=MemberStatus.BERHENTI)
        .filter(type__dues__gt=0, paid_until__gte=today, paid_until__lte=horizon)
        .filter(ended_on__isnull=True)
        .order_by("number")
    )
    if not candidates:
        return 0
    sent_before = {
        (event.object_id, event.extra.get("milestone"), event.extra.get("paid_until"))
        for event in AuditEvent.objects.filter(
            action=RENEWAL_REMINDER_ACTION,
            object_type=Member._meta.label_lower,
            object_id__in=[str(m.pk) for m in candidates],
        ).only("object_id", "extra")
    }
    contacts = reminders.member_contacts(candidates)
    outbox: list[tuple[str, str, None, list[str]]] = []
    with transaction.atomic():
        for member in candidates:
            assert member.paid_until is not None  # filtered above
            milestone = _milestone((member.paid_until - today).days)
            contact = contacts.get(member.pk)
            if milestone is None or contact is None or not contact.email:
                continue
            key = (str(member.pk), milestone, member.paid_until.isoformat())
            if key in sent_before:
                continue
            subject, body = reminders.reminder_email(
                member=member,
                contact=contact,
                kind=reminders.RENEWAL,
                periods=0,
                amount=0,
                today=today,
            )
            outbox.append((subject, body, None, [contact.email]))
            audit_log(
                actor=actor,
                action=RENEWAL_REMINDER_ACTION,
                instance=member,
                source="task",
                extra={"milestone": milestone, "paid_until": member.paid_until.isoformat()},
            )
        if outbox:
            transaction.on_commit(lambda: _send_quietly(outbox))
    return len(outbox)
