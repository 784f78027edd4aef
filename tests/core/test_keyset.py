"""Keyset pagination: walking forward and back visits every row once in order, whatever the
ties in the first column; malformed cursors give the first page instead of an error."""

from __future__ import annotations

import pytest

from naikkelas.core.keyset import capped_count, decode_cursor, encode_cursor, keyset_page
from naikkelas.regions.models import Region

pytestmark = pytest.mark.django_db
ORDER = ("name", "code")  # kelurahan names repeat across kecamatan: ties broken by the code


def all_rows() -> list[str]:
    return list(Region.objects.order_by(*ORDER).values_list("code", flat=True))


@pytest.mark.parametrize("size", [7, 50, 10_000])
def test_forward_then_back_visits_every_row_once_in_order(size: int) -> None:
    expected = all_rows()
    assert len(expected) > 100
    seen: list[str] = []
    pages = []
    page = keyset_page(Region.objects.all(), ordering=ORDER, size=size)
    while True:
        pages.append([r.code for r in page])
        seen += pages[-1]
        if not page.has_next:
            break
        page = keyset_page(
            Region.objects.all(), ordering=ORDER, size=size, after=page.next_cursor, number=2
        )
    assert seen == expected
    # and back again from the last page
    back = [[r.code for r in page]]
    while page.has_previous:
        page = keyset_page(
            Region.objects.all(), ordering=ORDER, size=size, before=page.previous_cursor, number=2
        )
        back.append([r.code for r in page])
    assert list(reversed(back)) == pages


def test_offset_serves_old_numbered_links() -> None:
    expected = all_rows()
    page = keyset_page(Region.objects.all(), ordering=ORDER, size=10, offset=20)
    assert [r.code for r in page] == expected[20:30]
    assert page.number == 3 and page.has_previous and page.has_next
    before = keyset_page(Region.objects.all(), ordering=ORDER, size=10, before=page.previous_cursor)
    assert [r.code for r in before] == expected[10:20]


@pytest.mark.parametrize(
    "cursor",
    ["", "%%%", "bm90IGpzb24", encode_cursor(["a"]), encode_cursor(["a", "b", "c"]), "W10"],
)
def test_malformed_cursors_give_the_first_page(cursor: str) -> None:
    page = keyset_page(Region.objects.all(), ordering=ORDER, size=5, after=cursor)
    assert [r.code for r in page] == all_rows()[:5]
    assert not page.has_previous


def test_cursor_round_trip_and_limits() -> None:
    assert decode_cursor(encode_cursor(["Kasemen", "36.73.02"]), size=2) == ["Kasemen", "36.73.02"]
    assert decode_cursor(encode_cursor(["x" * 500, "y"]), size=2) is None


def test_a_cursor_value_the_column_cannot_hold_restarts_at_the_top(db) -> None:  # noqa: ANN001
    from naikkelas.registry.models import Business
    from tests.factories import make_business

    make_business(name="Kopi Banten")
    page = keyset_page(
        Business.objects.all(),
        ordering=("name_key", "id"),
        size=5,
        after=encode_cursor(["kopi", "not-a-uuid"]),
    )
    assert [b.name for b in page] == ["Kopi Banten"]


def test_capped_count() -> None:
    total = Region.objects.count()
    assert capped_count(Region.objects.all(), cap=total) == (total, True)
    assert capped_count(Region.objects.all(), cap=10) == (10, False)
