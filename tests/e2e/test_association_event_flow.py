"""An officer creates a forum and registers two member businesses from the register; an owner
opens the check-in address of the venue's QR on a small phone, signs in and is recorded
present; the officer reloads the event and sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.association.models import AssociationEvent, EventRegistration
from naikkelas.core.models import AuditEvent
from naikkelas.registry.models import Owner
from tests.association.events_support import make_member
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.browser

OFFICER_PASSWORD = "Rahasia-123!"
OWNER_PASSWORD = "Keripik-Pisang-2024!"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "locale": "id-ID"}


def _sign_in(page, base: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk/")
    _fill_login(page, username, password)


def _fill_login(page, username: str, password: str) -> None:  # noqa: ANN001
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_forum_registration_and_qr_checkin_on_a_phone(live_server, browser, tmp_path) -> None:  # noqa: ANN001
    # given two member businesses, one owner with an account, and an association officer
    load_reference_data()
    owner = make_owner(full_name="Siti Nurhayati")
    siti = make_business(owner=owner, name="Keripik Pisang Siti")
    iyah = make_business(name="Emping Melinjo Iyah")
    make_member(siti)
    make_member(iyah)
    owner_user = user_create(username="pemilik-siti", password=OWNER_PASSWORD, role=Role.OWNER)
    Owner.objects.filter(pk=owner.pk).update(user=owner_user)
    user_create(username="sekretariat", password=OFFICER_PASSWORD, role=Role.HIPMIKINDO)
    base = live_server.url

    # when the officer creates a forum running now
    officer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    _sign_in(officer, base, "sekretariat", OFFICER_PASSWORD)
    officer.goto(f"{base}/asosiasi/kegiatan/")
    officer.click("[data-testid=event-create]")
    form = officer.locator("form[data-testid=event-form]")
    form.locator("select[name=kind]").select_option("forum")
    form.locator("input[name=title]").fill("Forum Anggota Taktakan")
    start = timezone.localtime() - timedelta(minutes=10)
    form.locator("input[name=starts_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=ends_at]").fill(
        (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("input[name=venue]").fill("Aula Kecamatan Taktakan")
    form.locator("input[name=capacity]").fill("30")
    form.locator("button[type=submit]").click()
    officer.wait_for_selector("[data-testid=event-stats]")
    event = AssociationEvent.objects.get()
    assert event.members_only and event.capacity == 30

    # and registers the two businesses found by the register search
    for query, business in (("keripik", siti), ("emping", iyah)):
        officer.fill("#id_q", query)
        officer.locator("form[data-testid=register-search] button[type=submit]").click()
        officer.click(f"[data-testid=search-results] tr[data-business='{business.pk}'] button")
        officer.wait_for_selector(f"[data-testid=registrations] tr[data-business='{business.pk}']")
    assert officer.inner_text("[data-testid=registered-count]") == "2"
    assert officer.inner_text("[data-testid=seats-left]") == "28"
    officer.goto(f"{base}/asosiasi/kegiatan/{event.pk}/qr/")
    checkin = officer.inner_text("[data-testid=checkin-url]").strip()
    assert checkin.endswith(f"/asosiasi/hadir/{event.checkin_code}/")
    assert officer.locator("[data-testid=event-qr] svg").count() == 1

    # then the owner scans it on a 360x740 phone, signs in, and taps once
    owner_context = browser.new_context(**PHONE)
    phone = owner_context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(checkin)
    assert "/masuk/" in phone.url
    _fill_login(phone, "pemilik-siti", OWNER_PASSWORD)
    assert phone.url.endswith(f"/asosiasi/hadir/{event.checkin_code}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the check-in page is wider than the phone: {width}px"
    phone.click("[data-testid=checkin-button]")
    phone.wait_for_selector("[data-testid=present]")
    assert "tercatat hadir" in phone.inner_text(".messages")
    phone.screenshot(path=tmp_path / "owner-checkin.png", full_page=True)
    registration = EventRegistration.objects.get(business=siti)
    assert registration.attendance_method == "qr"

    # and the officer reloads the event and sees Siti present, Iyah not yet
    officer.goto(f"{base}/asosiasi/kegiatan/{event.pk}/")
    row = officer.locator(f"[data-testid=registrations] tr[data-business='{siti.pk}']")
    assert row.get_attribute("data-present") == "1"
    assert "Pindai QR" in row.locator("[data-testid=attendance]").inner_text()
    other = officer.locator(f"[data-testid=registrations] tr[data-business='{iyah.pk}']")
    assert other.get_attribute("data-present") == "0"
    assert officer.inner_text("[data-testid=attended-count]") == "1"
    assert AuditEvent.objects.filter(action="event.attend").count() == 1
    owner_context.close()
    officer_context.close()
