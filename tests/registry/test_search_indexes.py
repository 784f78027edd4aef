"""The search indexes of migration registry 0006: SQLite FTS5 tables kept in step by triggers,
PostgreSQL trigram and pattern indexes, and the search giving the same answer as a plain scan."""

from __future__ import annotations

import pytest
from django.db import connection

from naikkelas.registry import services
from naikkelas.registry.models import Business
from naikkelas.registry.search import national_digits, search, search_condition
from naikkelas.registry.selectors import BusinessFilters, business_list, owner_list
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def names(query: str) -> set[str]:
    return {b.name for b in business_list(filters=BusinessFilters(q=query))}


def scan(query_key: str) -> set[str]:
    """The answer of a plain scan, computed without the search module."""
    by_name = {b.name for b in Business.objects.filter(name_key__contains=query_key)}
    by_owner = {
        b.name for b in Business.objects.filter(ownerships__owner__name_key__contains=query_key)
    }
    return by_name | by_owner


@pytest.fixture
def shops():
    return [
        make_business(name="Emping Melinjo Bu Iyah", owner=make_owner(full_name="Iyah Rohayati")),
        make_business(name="Sate Bandeng Hj. Mariam", owner=make_owner(full_name="Mariam")),
        make_business(name="Batik Banten Mukarnas", sector="fesyen"),
        make_business(name="Kue Balok Ping", owner=make_owner(full_name="Ujang Sopandi")),
    ]


@pytest.mark.parametrize("key", ["emping", "ping", "bandeng", "mariam", "sopandi", "an", "xyzq"])
def test_indexed_search_gives_the_same_answer_as_a_scan(shops, key: str) -> None:
    assert names(key) == scan(key)


def test_renamed_business_is_found_by_the_new_name_only(shops) -> None:
    batik = shops[2]
    services.business_update(actor=None, business=batik, data={"name": "Tenun Baduy Sawarna"})
    assert names("tenun baduy") == {"Tenun Baduy Sawarna"}
    assert names("mukarnas") == set()


def test_deleted_rows_leave_the_index(shops) -> None:
    emping = shops[0]
    owner = emping.ownerships.get().owner
    emping.delete()
    owner.delete()
    assert names("emping") == set()
    assert owner_list(q="rohayati").count() == 0


def test_owner_list_searches_names_nik_and_phone(shops) -> None:
    owner = shops[1].ownerships.get().owner
    assert list(owner_list(q="mariam")) == [owner]
    assert list(owner_list(q=owner.nik)) == [owner]
    assert owner in owner_list(q=owner.nik[:8])
    assert list(owner_list(q="0" + owner.phone.removeprefix("+62"))) == [owner]


def test_partial_and_whole_phone_numbers(shops) -> None:
    owner = shops[0].ownerships.get().owner
    national = owner.phone.removeprefix("+62")
    assert names("0" + national) == {"Emping Melinjo Bu Iyah"}  # whole number: equality
    assert names(national[-6:]) >= {"Emping Melinjo Bu Iyah"}  # a part: substring
    assert national_digits("+62 812-0000-1234") == "81200001234"


def test_empty_and_punctuation_only_queries_do_not_filter(shops) -> None:
    assert search_condition("   ") is None
    assert search_condition("!!!") is None
    assert search(Business.objects.all(), "").count() == Business.objects.count()


def test_the_database_has_its_search_indexes() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'registry_%_fts%'")
            found = {row[0] for row in cursor.fetchall()}
            assert {"registry_business_fts", "registry_owner_fts"} <= found
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'registry_%'")
            found = {row[0] for row in cursor.fetchall()}
            assert {
                "registry_business_name_trgm",
                "registry_owner_name_trgm",
                "registry_business_phone_trgm",
                "registry_owner_nik_pattern",
            } <= found


def test_search_results_are_counted_up_to_a_cap(dinas_client, monkeypatch, shops) -> None:  # noqa: ANN001
    from naikkelas.registry import views

    make_business(name="Emping Jengkol")
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 1)
    page = dinas_client.get("/usaha/", {"q": "emping"}).content.decode()
    assert "Lebih dari 1 usaha ditemukan" in page
    assert "Emping Jengkol" in page and "Emping Melinjo Bu Iyah" in page  # the rows all show
    page = dinas_client.get("/usaha/", {"q": "bandeng"}).content.decode()
    assert "1 usaha ditemukan" in page and "Lebih dari" not in page
