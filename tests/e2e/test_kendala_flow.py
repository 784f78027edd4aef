"""An owner reports a kendala from the portal on a small phone; an officer, in another
browser, answers it and moves it to "ditindaklanjuti"; the owner reloads and reads the answer."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.core.models import AuditEvent
from naikkelas.kendala.models import Kendala
from naikkelas.kendala.services import kendala_categories_load
from naikkelas.registry.models import Owner
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.browser

OFFICER_PASSWORD = "Rahasia-123!"
OWNER_PASSWORD = "Keripik-Pisang-2024!"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "locale": "id-ID"}


def _sign_in(page, base: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_owner_reports_officer_answers_owner_reads(live_server, browser, tmp_path) -> None:  # noqa: ANN001
    # given an owner with an account and a business, and an officer
    load_reference_data()
    kendala_categories_load()  # a transactional test may have flushed the migration's rows
    owner = make_owner(full_name="Siti Nurhayati")
    make_business(owner=owner, name="Keripik Pisang Siti")
    owner_user = user_create(username="pemilik-siti", password=OWNER_PASSWORD, role=Role.OWNER)
    Owner.objects.filter(pk=owner.pk).update(user=owner_user)
    user_create(username="petugas", password=OFFICER_PASSWORD, role=Role.DINAS)
    base = live_server.url

    # when the owner reports from the portal on a 360x740 phone
    owner_context = browser.new_context(**PHONE)
    owner_page = owner_context.new_page()
    owner_page.set_default_timeout(15_000)
    _sign_in(owner_page, base, "pemilik-siti", OWNER_PASSWORD)
    owner_page.goto(f"{base}/kendala/")  # the public page sends a signed-in owner to the portal
    assert owner_page.url.endswith("/saya/kendala/")
    form = owner_page.locator("form[data-testid=kendala-form]")
    form.locator("select[name=category]").select_option("bahan-baku")
    form.locator("textarea[name=description]").fill(
        "Harga pisang kepok naik dua kali lipat sejak bulan lalu."
    )
    width = owner_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form is wider than the phone: {width}px"
    owner_page.screenshot(path=tmp_path / "owner-report.png", full_page=True)
    form.locator("button[type=submit]").click()
    owner_page.wait_for_selector("[data-testid=my-kendala] [data-status=baru]")
    kendala = Kendala.objects.get()
    assert kendala.channel == "portal" and kendala.business.name == "Keripik Pisang Siti"
    assert kendala.tracking_code in owner_page.inner_text(".messages")

    # and an officer answers it in another browser
    officer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(15_000)
    _sign_in(officer_page, base, "petugas", OFFICER_PASSWORD)
    officer_page.goto(f"{base}/kendala/kelola/")
    officer_page.click(f"[data-code='{kendala.tracking_code}'] a")
    respond = officer_page.locator("form[data-testid=respond-form]")
    respond.locator("textarea[name=response]").fill(
        "Kami hubungkan dengan koperasi petani pisang di Curug; petugas menghubungi Ibu pekan ini."
    )
    respond.locator("select[name=status]").select_option("ditindaklanjuti")
    respond.locator("button[type=submit]").click()
    officer_page.wait_for_selector("[data-testid=status][data-status=ditindaklanjuti]")
    assert "Ditanggapi" in officer_page.inner_text("[data-testid=audit-trail]")

    # then the owner reloads and reads the answer
    owner_page.reload()
    row = owner_page.locator(f"[data-testid=my-kendala] li[data-code='{kendala.tracking_code}']")
    assert "Ditindaklanjuti" in row.inner_text()
    assert "koperasi petani pisang di Curug" in row.locator("[data-testid=response]").inner_text()
    owner_page.screenshot(path=tmp_path / "owner-answer.png", full_page=True)
    assert AuditEvent.objects.filter(object_id=str(kendala.pk)).count() == 2
    officer_context.close()
    owner_context.close()
