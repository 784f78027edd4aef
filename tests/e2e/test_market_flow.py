"""An officer records a packaging upgrade with before/after photos and a new Alfamart listing,
publishes the storefront the owner agreed to, and the catalogue shows the product to anyone."""

from __future__ import annotations

from datetime import date

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.market.models import Listing, PackagingUpgrade
from naikkelas.market.services import product_create
from tests.conftest import load_reference_data
from tests.market.test_images import jpeg_with_gps
from tests.programs.conftest import business_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_packaging_upgrade_listing_and_catalogue(live_server, browser, tmp_path) -> None:
    load_reference_data()
    officer = user_create(username="petugas-pasar", password="Rahasia-123!", role=Role.DINAS)
    business = business_in("36.73.02", is_binaan=True, binaan_since=date(2025, 1, 10))
    product = product_create(
        actor=officer,
        business=business,
        data={
            "name": "Keripik Singkong Pedas",
            "price": 15000,
            "unit": "pak 200 g",
            "packaging_status": "polos",
        },
    )
    before, after = tmp_path / "sebelum.jpg", tmp_path / "sesudah.jpg"
    before.write_bytes(jpeg_with_gps((900, 700)))
    after.write_bytes(jpeg_with_gps((900, 700)))
    base = live_server.url

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "petugas-pasar")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")

    page.goto(f"{base}/pasar/produk/{product.pk}/")
    page.click("summary:has-text('Catat peningkatan kemasan')")
    form = page.locator("form[data-testid=upgrade-form]")
    form.locator("select[name=to_status]").select_option("full_colour")
    form.locator("input[name=done_on]").fill("2026-11-20")
    form.locator("input[name=description]").fill("Cetak standing pouch full colour")
    form.locator("input[name=before]").set_input_files(str(before))
    form.locator("input[name=after]").set_input_files(str(after))
    form.locator("button").click()
    page.wait_for_selector("text=Cetak standing pouch full colour")
    assert page.inner_text("[data-testid=packaging-status]") == "Cetak full colour"
    images = page.locator("[data-testid=upgrades] img")
    assert images.count() == 2
    # both pictures load from the photo view (polled from Python: the page's CSP forbids the
    # eval that wait_for_function would need)
    for _attempt in range(100):
        if all(img.evaluate("i => i.complete && i.naturalWidth > 0") for img in images.all()):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the before/after photos did not load")

    page.goto(f"{base}/usaha/{business.pk}/pasar/")
    page.click("summary:has-text('Tambah pemasaran')")
    listing = page.locator("form[data-testid=listing-form]")
    listing.locator("select[name=kind]").select_option("retail")
    listing.locator("select[name=retailer]").select_option("alfamart")
    listing.locator("select[name=product]").select_option(str(product.pk))
    listing.locator("input[name=region]").fill("Alfamart Ciceri Serang")
    listing.locator("input[name=since]").fill("2026-11-25")
    listing.locator("button").click()
    page.wait_for_selector("[data-testid=listings] tr[data-kind=retail]")
    store = page.locator("[data-testid=storefront] form")
    store.locator("input[name=display_name]").fill("Keripik Teh Imas")
    store.locator("input[name=whatsapp]").fill("0812 0000 7788")
    store.locator("input[name=published]").check()
    store.locator("input[name=consent_note]").fill("formulir kertas ditandatangani 20/11")
    store.locator("button").click()
    page.wait_for_selector("[data-testid=storefront] .tag.ok")
    assert PackagingUpgrade.objects.count() == 1
    assert Listing.objects.get().retailer == "alfamart"
    context.close()

    # anyone, on a phone, without signing in
    public = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    visitor = public.new_page()
    visitor.goto(f"{base}/katalog/?q=singkong")
    visitor.click("[data-testid=catalogue] a.item")
    card = visitor.locator("[data-testid=catalogue-product]")
    assert "Keripik Singkong Pedas" in card.inner_text()
    assert "Alfamart" in card.inner_text()
    assert visitor.get_attribute("[data-testid=order]", "href").startswith("https://wa.me/62812")
    og = visitor.get_attribute("meta[property='og:image']", "content")
    assert og.startswith(base + "/pasar/foto/")
    assert visitor.request.get(og).ok
    assert business.owners.get().full_name not in visitor.content()
    public.close()
