"""Keyset ("cursor") pagination for long lists (ADR 0018).

``OFFSET 500000`` makes the database read and throw away half a million rows; a keyset page
asks for the rows *after* the last one shown (``(name_key, id) > (a, b)``), which an index on
the ordering answers in a few page reads however deep the page is. The cursor is the ordering
values of the boundary row, base64-encoded JSON: it reveals nothing that is not on the page and
a tampered cursor only moves the page (it is an ordinary filter value, never SQL).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

COUNT_CAP = 10_000
# A search box result is counted up to here: a common word can match a tenth of a province,
# and people refine a search rather than read "30,783 found".
SEARCH_COUNT_CAP = 1_000


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    number: int  # the page's position as the reader counted it (shown, never trusted)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([str(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, size: int) -> list[str] | None:
    """The boundary values, or None for a missing or malformed cursor (the first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    if not all(isinstance(v, str) and len(v) <= 200 for v in values):
        return None
    return values


def _beyond(ordering: Sequence[str], values: Sequence[str], *, forward: bool) -> Q:
    """Rows after (or before) ``values`` in the ascending ``ordering``:
    ``a > x OR (a = x AND b > y) OR ...``."""
    op = "gt" if forward else "lt"
    condition = Q()
    for i, field in enumerate(ordering):
        equal = dict(zip(ordering[:i], values[:i], strict=True))
        condition |= Q(**equal, **{f"{field}__{op}": values[i]})
    # The same rows, plus a plain range on the first column that an index can start from
    # (databases do not derive it from the OR above: without it a deep page scans from the top).
    return Q(**{f"{ordering[0]}__{op}e": values[0]}) & condition


def _rows(qs: QuerySet[Any], ordered: QuerySet[Any], start: int, limit: int) -> list[Any]:
    """The page in two steps: the ids first (only the ordering and filter columns: an
    index-only scan where an index covers them, instead of reading every skipped row from the
    table), then those rows with whatever the caller selects and prefetches."""
    ids = list(ordered.values_list("pk", flat=True)[start : start + limit])
    if not ids:
        return []
    position = {pk: i for i, pk in enumerate(ids)}
    return sorted(qs.filter(pk__in=ids), key=lambda row: position[row.pk])


def _values(item: Any, ordering: Sequence[str]) -> list[Any]:
    return [getattr(item, field) for field in ordering]


def keyset_page(
    qs: QuerySet[Any],
    *,
    ordering: Sequence[str],
    size: int,
    after: str | None = None,
    before: str | None = None,
    number: int = 1,
    offset: int = 0,
) -> KeysetPage:
    """One page of ``qs`` in ascending ``ordering`` (unique: end it with the primary key).

    ``after``: the page following a cursor; ``before``: the page preceding one; neither: the
    first page. Invalid cursors give the first page. ``offset`` (without cursors) serves the
    old numbered links (``?page=3``); the links it returns are cursors again.
    """
    number = max(1, number)
    after_values = decode_cursor(after, size=len(ordering))
    before_values = decode_cursor(before, size=len(ordering))
    try:
        if before_values is not None:
            descending = [f"-{field}" for field in ordering]
            rows = _rows(
                qs,
                qs.filter(_beyond(ordering, before_values, forward=False)).order_by(*descending),
                0,
                size + 1,
            )
            more = len(rows) > size
            items = list(reversed(rows[:size]))
            if not items:
                return keyset_page(qs, ordering=ordering, size=size)
            return KeysetPage(
                items=items,
                next_cursor=encode_cursor(_values(items[-1], ordering)),
                previous_cursor=encode_cursor(_values(items[0], ordering)) if more else None,
                number=number if more else 1,
            )
        following = qs
        if after_values is not None:
            following = qs.filter(_beyond(ordering, after_values, forward=True))
        start = offset if after_values is None else 0
        rows = _rows(qs, following.order_by(*ordering), start, size + 1)
    except (ValidationError, ValueError, TypeError):
        # a cursor value the column cannot hold (e.g. not a UUID): start again at the top
        if after_values is None and before_values is None:
            raise
        return keyset_page(qs, ordering=ordering, size=size)
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_cursor=encode_cursor(_values(items[-1], ordering)) if len(rows) > size else None,
        previous_cursor=encode_cursor(_values(items[0], ordering))
        if (after_values is not None or start) and items
        else None,
        number=number if after_values is not None else start // size + 1,
    )


def capped_count(qs: QuerySet[Any], *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact): counts at most ``cap + 1`` rows, so a huge result costs no more than a
    small one; ``exact`` is False when there are more than ``cap``."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return (cap, False) if n > cap else (n, True)
