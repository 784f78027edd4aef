"""A new owner answers the public questionnaire on a phone and gets a correct, sourced
checklist and tax estimate, without signing in and without anything being stored."""

from __future__ import annotations

import pytest

from naikkelas.core.models import AuditEvent
from naikkelas.guidance.models import GuidanceEvaluation
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_an_owner_checks_permits_and_tax_on_a_phone(live_server, browser, tmp_path) -> None:
    load_reference_data()
    audit_before = AuditEvent.objects.count()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/cek/")
    form = page.locator("form[data-testid=self-check-form]")
    form.locator("#id_sector").select_option("kuliner")
    form.locator("#id_food").select_option("kemasan_rendah")
    form.locator("#id_legal_form").select_option("PERORANGAN")
    form.locator("#id_omzet").fill("750000000")
    form.locator("#id_tax_year").fill("2026")
    form.locator("#id_has_nib").select_option("tidak")
    form.locator("#id_halal_simple_process").select_option("ya")
    form.locator("button:has-text('Lihat hasil')").click()

    page.wait_for_selector("[data-testid=checklist]")
    page.screenshot(path=tmp_path / "self-check.png", full_page=True)
    # the first step is the NIB, free at OSS
    assert "NIB" in page.locator("[data-testid=roadmap] li").first.inner_text()
    nib = page.locator("details[data-rule=nib]")
    assert nib.get_attribute("data-status") == "missing"
    assert "PP 28/2025" in nib.locator("[data-testid=basis]").inner_text()
    # food packaged at home: SPP-IRT needed; halal mandatory, the deadline has passed
    assert page.locator("details[data-rule=spp_irt]").get_attribute("data-status") == "missing"
    halal = page.locator("details[data-rule=halal_wajib]")
    assert halal.get_attribute("data-status") == "missing"
    assert "overdue" in (halal.get_attribute("class") or "")
    # tax: 0.5% of the part above Rp500 juta, arithmetic shown
    assert page.inner_text("[data-testid=tax-amount]") == "Rp1.250.000"
    assert "Rp750.000.000" in page.inner_text("[data-testid=tax]")
    # every finding cites its basis and links its sources
    for basis in page.locator("[data-testid=basis]").all():
        assert "Dasar hukum:" in (basis.text_content() or "")
        assert basis.locator("a").count() >= 1
    # fits a phone: no sideways scrolling
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, width
    share = page.get_attribute("[data-testid=whatsapp]", "href")
    assert share.startswith("https://wa.me/?text=")
    pdf = page.request.get(live_server.url + page.get_attribute("[data-testid=pdf]", "href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert GuidanceEvaluation.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    context.close()
