"""Membership status and validity as pure functions of dates (no ORM; ADR 0019).

A membership is valid through the periods its dues paid for (``paid_until``); the status is
what today's date says about that, so a scheduled task only has to recompute it:

* ``berhenti`` — the membership ended (resigned, removed, the business closed): from
  ``ended_on`` on, whatever was paid;
* an officer's override (with a reason, optionally until a date) wins while it lasts;
* ``baru`` — within the first ``new_days`` after joining and valid (a new member has the
  grace period to pay the first dues);
* ``aktif`` — valid: today is on or before ``paid_until`` (always, for a type without dues);
* ``masa_tenggang`` — at most ``grace_days`` after ``paid_until``;
* ``lewat`` — later than that (or a new member who never paid within the grace period).

Renewal extends validity by whole periods: continuously from ``paid_until`` when the payment
comes within the grace period (no gap, no lost days), otherwise from the payment date (the
lapsed time is not charged).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    BARU = "baru"
    AKTIF = "aktif"
    MASA_TENGGANG = "masa_tenggang"
    LEWAT = "lewat"
    BERHENTI = "berhenti"


# Members in these statuses count as members (facilities, the register's flag, events).
IN_GOOD_STANDING = frozenset({Status.BARU, Status.AKTIF, Status.MASA_TENGGANG})


@dataclass(frozen=True)
class Terms:
    """What a membership type says about time and money."""

    dues: int  # rupiah per period; 0: no dues (honorary): valid without payment
    period_months: int = 12
    grace_days: int = 30
    new_days: int = 90


@dataclass(frozen=True)
class Override:
    status: Status
    until: date | None = None  # None: until an officer lifts it


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the same day of the month or the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def member_status(
    *,
    today: date,
    terms: Terms,
    joined_on: date,
    paid_until: date | None,
    ended_on: date | None = None,
    override: Override | None = None,
) -> Status:
    """The status on ``today`` (see the module's docstring for the rules)."""
    if ended_on is not None and ended_on <= today:
        return Status.BERHENTI
    if override is not None and (override.until is None or today <= override.until):
        return override.status
    new = today < joined_on + timedelta(days=terms.new_days)
    if terms.dues == 0:
        return Status.BARU if new else Status.AKTIF
    if paid_until is None:  # never paid: a new member has the grace period for the first dues
        return (
            Status.BARU if today <= joined_on + timedelta(days=terms.grace_days) else Status.LEWAT
        )
    if today <= paid_until:
        return Status.BARU if new else Status.AKTIF
    if today <= paid_until + timedelta(days=terms.grace_days):
        return Status.MASA_TENGGANG
    return Status.LEWAT


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def renewal_period(
    *, terms: Terms, joined_on: date, paid_until: date | None, paid_on: date, periods: int = 1
) -> Period:
    """The dates a payment of ``periods`` periods covers.

    The first payment covers from the join date and a later one continues from ``paid_until``
    when it comes before the grace period ends (also when paid in advance); a payment after
    the grace period starts on the payment date (the lapsed time is not charged).

    Raises:
        ValueError: ``periods`` is not positive.
    """
    if periods < 1:
        raise ValueError("periods must be at least 1")
    if paid_until is None:  # the first dues: from joining, unless paid after the grace period
        late = paid_on > joined_on + timedelta(days=terms.grace_days)
        start = paid_on if late else joined_on
    elif paid_on <= paid_until + timedelta(days=terms.grace_days):
        start = paid_until + timedelta(days=1)
    else:
        start = paid_on
    end = add_months(start, terms.period_months * periods) - timedelta(days=1)
    return Period(start, end)


def arrears(
    *, terms: Terms, joined_on: date, paid_until: date | None, today: date
) -> tuple[int, int]:
    """(periods owed, rupiah owed) on ``today``: the periods started since validity ran out.

    A member in the grace period owes the period that has just begun; one that lapsed long ago
    owes every period started since (the office decides whether to waive them).
    """
    if terms.dues == 0:
        return 0, 0
    start = joined_on if paid_until is None else paid_until + timedelta(days=1)
    if today < start:
        return 0, 0
    owed = 0
    while start <= today:
        owed += 1
        start = add_months(start, terms.period_months)
    return owed, owed * terms.dues


def renewal_due(
    *, terms: Terms, paid_until: date | None, today: date, notice_days: int = 30
) -> bool:
    """Should the member be reminded to renew (validity ends within ``notice_days`` or has
    already ended)?"""
    if terms.dues == 0 or paid_until is None:
        return terms.dues > 0
    return paid_until - timedelta(days=notice_days) <= today
