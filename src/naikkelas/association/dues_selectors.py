"""Reads of the dues pages: who owes dues, whose validity ends soon (the rules themselves
are the pure functions of ``association.status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from naikkelas.association.models import DuesPayment, Member, MemberStatus
from naikkelas.association.status import arrears, renewal_due

RENEWAL_NOTICE_DAYS = 30


@dataclass(frozen=True)
class ArrearsRow:
    member: Member
    periods: int
    amount: int


@dataclass(frozen=True)
class RenewalRow:
    member: Member
    days_left: int | None  # None: never paid; negative: validity ended that many days ago


def _members(*, today: date, kecamatan: str = "", type_code: str = "") -> QuerySet[Member]:
    """Members that pay dues and have not ended, with what the lists show."""
    members = (
        Member.objects.select_related("type", "business", "business__kecamatan")
        .exclude(status=MemberStatus.BERHENTI)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), type__dues__gt=0)
        .order_by("number")
    )
    if kecamatan:
        members = members.filter(business__kecamatan_id=kecamatan)
    if type_code:
        members = members.filter(type_id=type_code)
    return members


def members_in_arrears(
    *, today: date, kecamatan: str = "", type_code: str = ""
) -> list[ArrearsRow]:
    """Members owing at least one period on ``today``, most periods first."""
    rows = []
    candidates = _members(today=today, kecamatan=kecamatan, type_code=type_code).filter(
        Q(paid_until__isnull=True) | Q(paid_until__lt=today)
    )
    for member in candidates:
        periods, amount = arrears(
            terms=member.type.terms,
            joined_on=member.joined_on,
            paid_until=member.paid_until,
            today=today,
        )
        if periods:
            rows.append(ArrearsRow(member, periods, amount))
    rows.sort(key=lambda row: (-row.periods, row.member.number))
    return rows


def members_renewal_due(
    *, today: date, kecamatan: str = "", type_code: str = "", notice_days: int = RENEWAL_NOTICE_DAYS
) -> list[RenewalRow]:
    """Members to remind to renew: validity ends within ``notice_days`` or ended within the
    grace period, or new and not paid yet (long-lapsed members are on the arrears list
    instead).
    Soonest first."""
    rows = []
    candidates = _members(today=today, kecamatan=kecamatan, type_code=type_code).filter(
        Q(paid_until__isnull=True) | Q(paid_until__lte=today + timedelta(days=notice_days))
    )
    for member in candidates:
        terms = member.type.terms
        if not renewal_due(
            terms=terms, paid_until=member.paid_until, today=today, notice_days=notice_days
        ):
            continue
        if member.paid_until is None:
            if member.joined_on + timedelta(days=terms.grace_days) >= today:
                rows.append(RenewalRow(member, None))
        elif member.paid_until + timedelta(days=terms.grace_days) >= today:
            rows.append(RenewalRow(member, (member.paid_until - today).days))
    rows.sort(key=lambda row: (row.days_left is not None, row.days_left or 0, row.member.number))
    return rows


def member_payments(member: Member) -> QuerySet[DuesPayment]:
    return DuesPayment.objects.filter(member=member).select_related("recorded_by")
