"""The inventory that proves a restore or a move exact: counts and the register checksum."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.ops.inventory import (
    canonical,
    compare,
    inventory,
    model_checksum,
    model_tables,
    register_checksum,
)
from naikkelas.registry.models import Business
from tests.factories import make_business

WIB = timezone(timedelta(hours=7))


def test_the_same_moment_in_any_zone_is_one_value() -> None:
    utc = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert canonical(utc) == canonical(utc.astimezone(WIB))
    assert canonical(utc) != canonical(utc + timedelta(microseconds=1))


def test_decimals_equal_in_value_are_one_value() -> None:
    # SQLite and PostgreSQL may return 1500000, 1500000.00 or 1.5E+6 for the same column
    assert canonical(Decimal("1500000")) == canonical(Decimal("1500000.00"))
    assert canonical(Decimal("1.5E+6")) == canonical(Decimal("1500000"))
    assert canonical(Decimal("0.10")) != canonical(Decimal("0.01"))


def test_json_key_order_does_not_matter_but_values_do() -> None:
    assert canonical({"b": 1, "a": [1, 2]}) == canonical({"a": [1, 2], "b": 1})
    assert canonical({"a": [1, 2]}) != canonical({"a": [2, 1]})


def test_kinds_do_not_collide() -> None:
    values = [None, "", 0, "0", False, "false", True, date(2026, 1, 1), "2026-01-01"]
    # None is never confused with a text; booleans are not integers
    assert canonical(None) not in {canonical(v) for v in values[1:]}
    assert canonical(False) != canonical(0)
    assert canonical(uuid.UUID(int=1)) == "0" * 31 + "1"


@given(st.text())
def test_text_is_kept_as_it_is(text: str) -> None:
    assert canonical(text) == text


def test_compare_names_every_difference() -> None:
    expected = {"tables": {"a": 1, "b": 2, "c": 3}, "register_checksum": "x"}
    actual = {"tables": {"a": 1, "b": 5, "d": 0}, "register_checksum": "y"}
    problems = compare(expected, actual)
    assert problems == [
        "b: 5 rows, expected 2",
        "c: missing (expected 3 rows)",
        "d: unexpected table (0 rows)",
        "register checksum differs: y != x",
    ]
    assert compare(expected, expected) == []


@pytest.mark.django_db
def test_register_checksum_moves_with_any_change_and_not_with_order() -> None:
    # given a small register
    first = make_business(name="Keripik Emping Bu Iyah")
    make_business(name="Batik Banten Pak Ujang")
    before = register_checksum()
    assert register_checksum() == before  # reading changes nothing
    # when one field of one row changes, the checksum changes; back again, it is back
    Business.objects.filter(pk=first.pk).update(products="emping jagung")
    changed = register_checksum()
    assert changed != before
    Business.objects.filter(pk=first.pk).update(products=first.products)
    assert register_checksum() == before


@pytest.mark.django_db
def test_model_checksum_is_a_sum_over_rows() -> None:
    make_business(name="Kue Cucur")
    rows, digest = model_checksum(Business)
    assert rows == Business.objects.count()
    assert len(digest) == 64


@pytest.mark.django_db
def test_inventory_counts_every_table_and_every_model_table() -> None:
    make_business()
    everything = inventory()
    django_only = inventory(all_tables=False)
    assert set(django_only["tables"]) == set(model_tables())
    assert set(django_only["tables"]) < set(everything["tables"])
    assert everything["tables"]["registry_business"] == Business.objects.count()
    assert "django_migrations" in everything["tables"]
