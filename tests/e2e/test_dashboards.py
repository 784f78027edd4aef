"""The leadership's phone summary and the office's dashboards, in a real browser: figures
shown, exports downloaded with their metadata sheet, no person's data on the pimpinan's page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.registry.services.demo import demo_register_load
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser


def sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_pimpinan_and_dinas_dashboards(live_server, browser) -> None:
    load_reference_data()
    demo_register_load(businesses=300, seed=11)
    user_create(username="walikota", password="Rahasia-123!", role=Role.PIMPINAN)
    user_create(username="petugas-laporan", password="Rahasia-123!", role=Role.DINAS)
    base = live_server.url

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "walikota")
    page.wait_for_selector("[data-testid=leadership]")
    assert page.inner_text("[data-testid=registered]") == "300"
    assert page.evaluate("document.documentElement.scrollWidth") <= 362
    assert "NIK" not in page.content()
    response = page.goto(f"{base}/usaha/")
    assert response.status == 403  # pimpinan sees aggregates only
    phone.close()

    desk = browser.new_context(accept_downloads=True)
    page = desk.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "petugas-laporan")
    page.goto(f"{base}/laporan/")
    rows = page.locator("[data-testid=coverage-kecamatan] tbody tr")
    assert rows.count() == 6  # the six kecamatan of Kota Serang
    with page.expect_download() as info:
        page.click("[data-testid=export-kecamatan]")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sum(r[2] for r in list(book.worksheets[0].iter_rows(values_only=True))[1:]) == 300
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Oleh"] == "petugas-laporan"
    page.goto(f"{base}/laporan/naik-kelas/")
    assert page.locator("[data-testid=classes] tbody tr").count() >= 1

    # the register: pages by cursor (forward and back) and the export of the same list
    page.goto(f"{base}/usaha/")
    first = page.locator("table.list tbody tr td a").all_inner_texts()
    assert len(first) == 50
    page.click("a[rel=next]")
    second = page.locator("table.list tbody tr td a").all_inner_texts()
    assert len(second) == 50 and not set(first) & set(second)
    assert "Halaman 2 dari 6" in page.inner_text("[data-testid=pager]")
    page.click("a[rel=prev]")
    assert page.locator("table.list tbody tr td a").all_inner_texts() == first
    with page.expect_download() as info:
        page.click("[data-testid=export-register]")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.worksheets[0].max_row == 301  # header + the 300 active businesses

    # a new registration shows on the dashboards at once (the cached aggregates follow)
    from tests.factories import make_business

    make_business(name="Usaha Baru Sekali")
    page.goto(f"{base}/laporan/pimpinan/")
    assert page.inner_text("[data-testid=registered]") == "301"
    desk.close()
