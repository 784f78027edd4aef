"""List pages do not grow their number of SQL queries with the number of rows (no N+1):
each page is requested with a few rows and with many, and must make the same number of
queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.market import services as market
from naikkelas.programs import services as programs
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def grows(client, url: Callable[[], str], add: Callable[[int], None]) -> tuple[int, int]:  # noqa: ANN001
    add(3)
    few = queries(client, url())
    add(12)
    many = queries(client, url())
    return few, many


def test_register_list(dinas_client) -> None:  # noqa: ANN001
    def add(n: int) -> None:
        for _ in range(n):
            business_in("36.73.01")

    few, many = grows(dinas_client, lambda: reverse("registry:business_list"), add)
    assert few == many


def test_programme_cycle_page(dinas_client, dinas_user) -> None:  # noqa: ANN001
    from tests.programs.conftest import new_cycle

    officer = dinas_user
    programme = programs.programme_create(
        actor=officer, name="P", kind="pelatihan", organiser="dinas"
    )
    cycle = new_cycle(officer, programme, capacity=40, rules=[])

    def add(n: int) -> None:
        for _ in range(n):
            programs.application_nominate(
                actor=officer, cycle=cycle, business=business_in("36.73.02")
            )

    few, many = grows(dinas_client, lambda: cycle.get_absolute_url(), add)
    assert few == many


def test_public_catalogue(client, dinas_user) -> None:  # noqa: ANN001
    from tests.market.test_images import jpeg_with_gps

    def add(n: int) -> None:
        for _ in range(n):
            business = business_in("36.73.03", is_binaan=True, binaan_since=date(2025, 1, 1))
            market.storefront_set(
                actor=dinas_user,
                business=business,
                display_name="Toko",
                published=True,
                consent_note="uji",
            )
            product = market.product_create(
                actor=dinas_user, business=business, data={"name": "Produk uji", "price": 1000}
            )
            market.product_photo_add(
                actor=dinas_user, product=product, data=jpeg_with_gps((50, 50))
            )

    few, many = grows(client, lambda: reverse("market:catalogue"), add)
    assert few == many


def test_fairness_and_reports(dinas_client) -> None:  # noqa: ANN001
    def add(n: int) -> None:
        for _ in range(n):
            business_in("36.73.04")

    for name in ("programs:fairness", "reports:overview", "reports:naik_kelas"):
        few, many = grows(dinas_client, lambda name=name: reverse(name), add)
        assert few == many, name
