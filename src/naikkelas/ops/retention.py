"""Which backups to delete: grandfather-father-son retention.

Kept are the newest backup of each of the ``keep_daily`` most recent days that have a backup,
of each of the ``keep_weekly`` most recent ISO weeks that have one, and of each of the
``keep_monthly`` most recent months that have one (one backup may count for all three), plus
always the newest backup; every other backup is deleted. Days without a backup do not use
up a place, so a server that was off for a week still keeps ``keep_daily`` daily backups.

Days, weeks and months are those of the datetimes given: pass them in the office's time zone
for the calendar an operator expects. Pruning after every backup gives the same result as
pruning once at the end, and pruning twice deletes nothing more the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _iso_week(moment: datetime) -> Hashable:
    year, week, _weekday = moment.isocalendar()
    return (year, week)


def _month(moment: datetime) -> Hashable:
    return (moment.year, moment.month)


def _newest_per_period(
    moments: list[datetime], period: Callable[[datetime], Hashable], keep: int
) -> set[datetime]:
    """The newest moment of each of the ``keep`` most recent periods (``moments`` newest
    first)."""
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for moment in moments:
        if len(seen) >= keep:
            break
        key = period(moment)
        if key not in seen:
            seen.add(key)
            kept.add(moment)
    return kept


def backups_to_keep(
    moments: Iterable[datetime], *, keep_daily: int, keep_weekly: int, keep_monthly: int
) -> set[datetime]:
    """The moments (backup times) that the retention policy keeps."""
    for name, value in (("daily", keep_daily), ("weekly", keep_weekly), ("monthly", keep_monthly)):
        if value < 0:
            raise ValueError(f"keep_{name} must not be negative, got {value}")
    newest_first = sorted(set(moments), reverse=True)
    if not newest_first:
        return set()
    return (
        {newest_first[0]}
        | _newest_per_period(newest_first, _day, keep_daily)
        | _newest_per_period(newest_first, _iso_week, keep_weekly)
        | _newest_per_period(newest_first, _month, keep_monthly)
    )


def backups_to_delete(
    moments: Iterable[datetime], *, keep_daily: int, keep_weekly: int, keep_monthly: int
) -> set[datetime]:
    """The moments (backup times) that the retention policy deletes; never the newest."""
    every = set(moments)
    return every - backups_to_keep(
        every, keep_daily=keep_daily, keep_weekly=keep_weekly, keep_monthly=keep_monthly
    )
