"""Grandfather-father-son retention of backups (naikkelas.ops.retention)."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.ops.retention import backups_to_delete, backups_to_keep

DEFAULTS = {"keep_daily": 7, "keep_weekly": 4, "keep_monthly": 12}


def at(day: str, clock: str = "03:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}")


def nightly(first: str, days: int) -> list[datetime]:
    start = at(first)
    return [start + timedelta(days=i) for i in range(days)]


def test_one_backup_a_night_for_two_years() -> None:
    backups = nightly("2025-01-01", 730)  # up to Thursday 2026-12-31
    kept = backups_to_keep(backups, **DEFAULTS)
    dailies = set(nightly("2026-12-25", 7))
    # the newest of ISO weeks 2026-W53 (31 Dec, already a daily), W52 (Sunday 27 Dec, also a
    # daily), W51 and W50
    weeklies = {at("2026-12-31"), at("2026-12-27"), at("2026-12-20"), at("2026-12-13")}
    # the last night of each month of 2026 (December's is 31 Dec again)
    last_days = [calendar.monthrange(2026, month)[1] for month in range(1, 13)]
    monthlies = {at(f"2026-{month:02d}-{day}") for month, day in enumerate(last_days, start=1)}
    assert kept == dailies | weeklies | monthlies
    assert len(kept) == 7 + 2 + 11


def test_several_backups_a_day_keep_the_newest_of_each_day() -> None:
    backups = [at("2026-03-02", c) for c in ("01:00", "09:00", "17:00")] + [
        at("2026-03-03", c) for c in ("01:00", "09:00")
    ]
    deleted = backups_to_delete(backups, keep_daily=7, keep_weekly=0, keep_monthly=0)
    assert deleted == {
        at("2026-03-02", "01:00"),
        at("2026-03-02", "09:00"),
        at("2026-03-03", "01:00"),
    }


def test_days_without_backups_do_not_use_up_places() -> None:
    backups = [at("2026-03-01"), at("2026-03-05"), at("2026-03-10"), at("2026-03-20")]
    kept = backups_to_keep(backups, keep_daily=3, keep_weekly=0, keep_monthly=0)
    assert kept == {at("2026-03-05"), at("2026-03-10"), at("2026-03-20")}


def test_iso_weeks_cross_the_new_year() -> None:
    # Thursday 31 December 2026 and Friday 1 January 2027 are both in ISO week 2026-W53
    backups = [at("2026-12-31"), at("2027-01-01")]
    assert backups_to_delete(backups, keep_daily=0, keep_weekly=1, keep_monthly=0) == {
        at("2026-12-31")
    }
    assert backups_to_delete(backups, keep_daily=0, keep_weekly=0, keep_monthly=2) == set()


def test_the_newest_is_kept_even_when_nothing_should_be() -> None:
    backups = nightly("2026-01-01", 10)
    assert backups_to_keep(backups, keep_daily=0, keep_weekly=0, keep_monthly=0) == {
        at("2026-01-10")
    }
    assert backups_to_delete([at("2026-01-01")], keep_daily=0, keep_weekly=0, keep_monthly=0) == (
        set()
    )
    assert backups_to_delete([], **DEFAULTS) == set()


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="keep_weekly"):
        backups_to_delete([at("2026-01-01")], keep_daily=1, keep_weekly=-1, keep_monthly=1)


# --- properties ---------------------------------------------------------------------------

moments = st.lists(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
    max_size=60,
    unique=True,
)
counts = st.integers(min_value=0, max_value=8)


def is_kept_by_definition(
    moment: datetime, every: set[datetime], *, daily: int, weekly: int, monthly: int
) -> bool:
    """The policy read literally, one backup at a time (a second, slower formulation)."""
    if moment == max(every):
        return True
    for keep, period in (
        (daily, lambda m: m.date()),
        (weekly, lambda m: m.isocalendar()[:2]),
        (monthly, lambda m: (m.year, m.month)),
    ):
        same = [m for m in every if period(m) == period(moment)]
        newer_periods = {period(m) for m in every if period(m) > period(moment)}
        if moment == max(same) and len(newer_periods) < keep:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(moments, counts, counts, counts)
def test_matches_the_literal_definition(
    backups: list[datetime], daily: int, weekly: int, monthly: int
) -> None:
    every = set(backups)
    deleted = backups_to_delete(every, keep_daily=daily, keep_weekly=weekly, keep_monthly=monthly)
    assert deleted <= every
    for moment in every:
        kept = is_kept_by_definition(moment, every, daily=daily, weekly=weekly, monthly=monthly)
        assert (moment not in deleted) == kept, moment


@settings(max_examples=200, deadline=None)
@given(moments, counts, counts, counts)
def test_bounds_newest_and_idempotence(
    backups: list[datetime], daily: int, weekly: int, monthly: int
) -> None:
    keep = {"keep_daily": daily, "keep_weekly": weekly, "keep_monthly": monthly}
    kept = backups_to_keep(backups, **keep)
    if backups:
        assert max(backups) in kept
        assert 1 <= len(kept) <= max(1, daily + weekly + monthly)
    assert backups_to_delete(kept, **keep) == set()  # pruning again deletes nothing


@settings(max_examples=200, deadline=None)
@given(
    moments, counts, counts, counts, st.sampled_from(["keep_daily", "keep_weekly", "keep_monthly"])
)
def test_keeping_more_never_deletes_more(
    backups: list[datetime], daily: int, weekly: int, monthly: int, raised: str
) -> None:
    keep = {"keep_daily": daily, "keep_weekly": weekly, "keep_monthly": monthly}
    more = {**keep, raised: keep[raised] + 1}
    assert backups_to_delete(backups, **more) <= backups_to_delete(backups, **keep)


@settings(max_examples=100, deadline=None)
@given(moments, counts, counts, counts)
def test_pruning_after_every_backup_equals_pruning_once(
    backups: list[datetime], daily: int, weekly: int, monthly: int
) -> None:
    keep = {"keep_daily": daily, "keep_weekly": weekly, "keep_monthly": monthly}
    present: set[datetime] = set()
    for moment in sorted(backups):  # as `naikkelas backup` does: make one, then prune
        present.add(moment)
        present -= backups_to_delete(present, **keep)
    assert present == backups_to_keep(backups, **keep)
