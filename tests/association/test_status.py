"""The pure membership rules (association.status): status by date, renewal periods, arrears,
renewal notices; boundaries day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.association.status import (
    Override,
    Period,
    Status,
    Terms,
    add_months,
    arrears,
    member_status,
    renewal_due,
    renewal_period,
)

YEARLY = Terms(dues=120_000, period_months=12, grace_days=30, new_days=90)
HONORARY = Terms(dues=0)
JOINED = date(2024, 1, 15)
PAID_UNTIL = date(2025, 1, 14)  # one year from joining
DAY = timedelta(days=1)


def status(today: date, **kwargs) -> Status:  # noqa: ANN003
    values = {"terms": YEARLY, "joined_on": JOINED, "paid_until": PAID_UNTIL, **kwargs}
    return member_status(today=today, **values)


# --- add_months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 30), 2, date(2026, 1, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected) -> None:  # noqa: ANN001
    assert add_months(day, months) == expected


# --- member_status --------------------------------------------------------------------------


def test_valid_through_paid_until_inclusive_then_grace_then_lapsed() -> None:
    assert status(PAID_UNTIL) == Status.AKTIF
    assert status(PAID_UNTIL + DAY) == Status.MASA_TENGGANG
    assert status(PAID_UNTIL + 30 * DAY) == Status.MASA_TENGGANG  # the grace's last day
    assert status(PAID_UNTIL + 31 * DAY) == Status.LEWAT  # the day after


def test_new_member_is_baru_for_new_days_then_aktif() -> None:
    assert status(JOINED) == Status.BARU
    assert status(JOINED + 89 * DAY) == Status.BARU
    assert status(JOINED + 90 * DAY) == Status.AKTIF


def test_never_paid_new_member_has_the_grace_period_for_the_first_dues() -> None:
    assert status(JOINED + 30 * DAY, paid_until=None) == Status.BARU
    assert status(JOINED + 31 * DAY, paid_until=None) == Status.LEWAT


def test_honorary_type_is_valid_without_payment() -> None:
    assert status(JOINED, terms=HONORARY, paid_until=None) == Status.BARU
    assert status(JOINED + 5000 * DAY, terms=HONORARY, paid_until=None) == Status.AKTIF


def test_ended_on_wins_from_that_day() -> None:
    ended = date(2024, 6, 1)
    assert status(ended - DAY, ended_on=ended) == Status.AKTIF
    assert status(ended, ended_on=ended) == Status.BERHENTI
    override = Override(Status.AKTIF)
    assert status(ended, ended_on=ended, override=override) == Status.BERHENTI


def test_override_lasts_through_its_until_date() -> None:
    lapsed_day = PAID_UNTIL + 100 * DAY
    override = Override(Status.AKTIF, until=lapsed_day + 10 * DAY)
    assert status(lapsed_day, override=override) == Status.AKTIF
    assert status(lapsed_day + 10 * DAY, override=override) == Status.AKTIF
    assert status(lapsed_day + 11 * DAY, override=override) == Status.LEWAT
    assert status(lapsed_day + 999 * DAY, override=Override(Status.AKTIF)) == Status.AKTIF


# --- renewal_period -------------------------------------------------------------------------


def test_first_payment_covers_from_the_join_date() -> None:
    period = renewal_period(
        terms=YEARLY, joined_on=JOINED, paid_until=None, paid_on=date(2024, 2, 1)
    )
    assert period == Period(JOINED, date(2025, 1, 14))


def test_renewal_within_grace_is_continuous() -> None:
    for paid_on in (PAID_UNTIL - 40 * DAY, PAID_UNTIL, PAID_UNTIL + 30 * DAY):
        period = renewal_period(
            terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, paid_on=paid_on
        )
        assert period == Period(PAID_UNTIL + DAY, date(2026, 1, 14))


def test_renewal_after_grace_starts_on_the_payment_date() -> None:
    paid_on = PAID_UNTIL + 31 * DAY
    period = renewal_period(terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, paid_on=paid_on)
    assert period == Period(paid_on, add_months(paid_on, 12) - DAY)


def test_several_periods_at_once_and_month_end_start() -> None:
    monthly = Terms(dues=10_000, period_months=1)
    period = renewal_period(
        terms=monthly,
        joined_on=date(2024, 1, 31),
        paid_until=None,
        paid_on=date(2024, 1, 31),
        periods=2,
    )
    assert period == Period(date(2024, 1, 31), date(2024, 3, 30))
    with pytest.raises(ValueError):
        renewal_period(terms=monthly, joined_on=JOINED, paid_until=None, paid_on=JOINED, periods=0)


@given(
    paid_until=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    offset=st.integers(min_value=-400, max_value=30),
    period_months=st.integers(min_value=1, max_value=60),
    periods=st.integers(min_value=1, max_value=10),
)
def test_never_a_gap_when_paid_within_grace(paid_until, offset, period_months, periods) -> None:  # noqa: ANN001
    terms = Terms(dues=1, period_months=period_months, grace_days=30)
    period = renewal_period(
        terms=terms,
        joined_on=date(1999, 1, 1),
        paid_until=paid_until,
        paid_on=paid_until + timedelta(days=offset),
        periods=periods,
    )
    assert period.start == paid_until + DAY
    assert period.end >= period.start
    # whole periods: at least 28 days a month, at most 31
    days = (period.end - period.start).days + 1
    assert 28 * period_months * periods <= days <= 31 * period_months * periods


# --- arrears --------------------------------------------------------------------------------


def test_no_arrears_while_valid() -> None:
    assert arrears(terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, today=PAID_UNTIL) == (
        0,
        0,
    )


def test_grace_period_owes_the_period_just_begun() -> None:
    today = PAID_UNTIL + DAY
    assert arrears(terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, today=today) == (
        1,
        120_000,
    )


def test_long_lapsed_owes_every_period_started() -> None:
    # periods start 2025-01-15, 2026-01-15, 2027-01-15
    assert arrears(
        terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, today=date(2027, 1, 14)
    ) == (2, 240_000)
    assert arrears(
        terms=YEARLY, joined_on=JOINED, paid_until=PAID_UNTIL, today=date(2027, 1, 15)
    ) == (3, 360_000)


def test_never_paid_owes_from_joining_and_honorary_owes_nothing() -> None:
    assert arrears(terms=YEARLY, joined_on=JOINED, paid_until=None, today=JOINED) == (1, 120_000)
    assert arrears(terms=YEARLY, joined_on=JOINED, paid_until=None, today=JOINED - DAY) == (0, 0)
    assert arrears(terms=HONORARY, joined_on=JOINED, paid_until=None, today=date(2030, 1, 1)) == (
        0,
        0,
    )


# --- renewal_due ----------------------------------------------------------------------------


def test_renewal_due_from_notice_days_before_the_end() -> None:
    assert not renewal_due(terms=YEARLY, paid_until=PAID_UNTIL, today=PAID_UNTIL - 31 * DAY)
    assert renewal_due(terms=YEARLY, paid_until=PAID_UNTIL, today=PAID_UNTIL - 30 * DAY)
    assert renewal_due(terms=YEARLY, paid_until=PAID_UNTIL, today=PAID_UNTIL + 100 * DAY)
    assert renewal_due(
        terms=YEARLY, paid_until=PAID_UNTIL, today=PAID_UNTIL - 7 * DAY, notice_days=7
    )


def test_renewal_due_for_never_paid_not_for_honorary() -> None:
    assert renewal_due(terms=YEARLY, paid_until=None, today=JOINED)
    assert not renewal_due(terms=HONORARY, paid_until=None, today=JOINED)
    assert not renewal_due(terms=HONORARY, paid_until=PAID_UNTIL, today=PAID_UNTIL + 100 * DAY)


def test_a_first_payment_after_the_grace_period_starts_on_the_payment_date() -> None:
    late = JOINED + 400 * DAY
    period = renewal_period(terms=YEARLY, joined_on=JOINED, paid_until=None, paid_on=late)
    assert period.start == late
    on_time = renewal_period(
        terms=YEARLY, joined_on=JOINED, paid_until=None, paid_on=JOINED + YEARLY.grace_days * DAY
    )
    assert on_time.start == JOINED  # the last day of the grace period still counts from joining
