"""An owner registers their business from a phone-sized browser with JavaScript off, gets a
tracking code, and later sees that the business is in the register."""

from __future__ import annotations

import re

import pytest

from naikkelas.fieldwork.models import SelfRegistration
from naikkelas.fieldwork.services import self_registration as service
from naikkelas.intake.models import ImportBatch
from naikkelas.intake.services import import_batch_run
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_an_owner_registers_from_a_phone_without_javascript(
    live_server, browser, monkeypatch, tmp_path
) -> None:
    load_reference_data()
    monkeypatch.setattr(service, "_MIN_SECONDS", 0)  # a person reads; the test does not wait
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/daftar/")
    page.fill("#id_owner_name", "Sari Rahayu")
    page.fill("#id_nik", "3673 0545 0890 9456")
    page.fill("#id_phone", "0812 0000 1234")
    page.fill("#id_business_name", "Keripik Sari")
    page.select_option("#id_sector", "kuliner")
    page.select_option("#id_desa_kelurahan", "36.73.01.1002")
    page.fill("#id_address", "Kp. Cipare RT 2 RW 3")
    page.check("#id_consent")
    question = page.inner_text("label[for=id_answer]")
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", question).groups())
    page.fill("#id_answer", str(a + b))
    page.screenshot(path=tmp_path / "self-register.png", full_page=True)
    page.click("button:has-text('Kirim pendaftaran')")

    page.wait_for_selector("[data-testid=tracking-code]")
    code = page.inner_text("[data-testid=tracking-code]")
    assert code == SelfRegistration.objects.get().tracking_code
    assert page.get_attribute("[data-testid=whatsapp]", "href").startswith("https://wa.me/")

    # the worker's run of the day's batch; then the owner checks the status with the code
    import_batch_run(actor=None, batch=ImportBatch.objects.get(file_format="self"))
    page.goto(f"{live_server.url}/daftar/status/")
    page.fill("#kode", code)
    page.click("button:has-text('Cek')")
    page.wait_for_selector("[data-testid=status]")
    assert "sudah masuk register" in page.inner_text("[data-testid=status]")
    context.close()
