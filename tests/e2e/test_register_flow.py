"""An officer signs in, searches the register, opens a business and edits it."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.registry.models import Business
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_logs_in_searches_opens_and_edits_a_business(live_server, page, tmp_path) -> None:
    # given a small register and an officer of the Dinas
    load_reference_data()
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    make_business(owner=make_owner(full_name="Hj. Iyah Rohayati"), name="Emping Melinjo Bu Iyah")
    make_business(name="Batik Banten Kasemen", sector="fesyen", desa_kelurahan="36.73.02.1007")

    # when the officer signs in
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    assert page.inner_text("[data-testid=total]") == "2"

    # and searches the register with sloppy case and spacing
    page.click("nav >> text=Register")
    page.fill("#id_q", "  EMPING   melinjo ")
    page.click("button:has-text('Cari')")
    page.wait_for_selector("[data-testid=result-count]")
    assert "1 usaha" in page.inner_text("[data-testid=result-count]")
    assert page.locator("text=Batik Banten Kasemen").count() == 0

    # and opens the business and edits it
    page.click("text=Emping Melinjo Bu Iyah")
    page.wait_for_selector("h1:has-text('Emping Melinjo Bu Iyah')")
    page.click("a:has-text('Ubah')")
    page.fill("#id_products", "emping melinjo pedas manis")
    page.fill("#id_nib", "12345")
    page.click("button:has-text('Simpan')")

    # then a bad NIB is explained next to its field and nothing is saved
    page.wait_for_selector(".field.has-error")
    assert "13 digit" in page.inner_text(".field.has-error")
    assert Business.objects.get(name="Emping Melinjo Bu Iyah").products == "emping melinjo"

    # and after correcting it the change is saved and shown
    page.fill("#id_nib", "9123 4567 89012")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Perubahan disimpan.")
    assert "emping melinjo pedas manis" in page.content()
    business = Business.objects.get(name="Emping Melinjo Bu Iyah")
    assert business.nib == "9123456789012"
    page.screenshot(path=tmp_path / "business-detail.png", full_page=True)
