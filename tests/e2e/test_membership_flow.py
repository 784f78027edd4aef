"""Hipmikindo membership in a real browser: the secretary takes a business from the register
into membership, records the dues, prints the card; the card's QR check works on a phone
without an account; after the validity ends the daily job moves the member to masa tenggang
with nobody touching it, and the phone shows it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.association.models import BoardPosition, BoardTerm, Member, MembershipType
from naikkelas.association.services import memberships
from naikkelas.association.tasks import members_sweep_task
from naikkelas.core.daily import enqueue_due
from tests.conftest import load_reference_data
from tests.factories import make_business

pytestmark = pytest.mark.browser


def sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_member_from_the_register_to_a_checked_card(live_server, browser) -> None:  # noqa: ANN001
    load_reference_data()
    memberships.membership_type_catalogue_load()
    MembershipType.objects.filter(code="biasa").update(dues=120_000, grace_days=30)
    secretary = user_create(username="sekretaris", password="Rahasia-123!", role=Role.HIPMIKINDO)
    term = BoardTerm.objects.create(
        name="Masa bakti 2026–2031",
        sk_number="SK-01/HPK/2026",
        sk_date=date(2026, 1, 10),
        starts_on=date(2026, 1, 10),
        ends_on=date(2031, 1, 9),
    )
    BoardPosition.objects.create(
        term=term, title="Sekretaris", holder_name="Rina", user=secretary, approves_members=True
    )
    business = make_business(name="Emping Melinjo Bu Iyah")
    base = live_server.url

    desk = browser.new_context()
    page = desk.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "sekretaris")
    page.goto(f"{base}{business.get_absolute_url()}")
    page.click("[data-testid=apply-membership]")
    page.check("#id_approve_now")
    page.click("[data-testid=submit-application]")
    page.wait_for_selector("[data-testid=member-number]")
    number = page.inner_text("[data-testid=member-number]")
    assert number.startswith(f"HPK-{date.today().year}-")
    assert page.inner_text("[data-testid=member-status]") == "Baru"

    # dues for one year, paid today in cash (receipt number issued by naikkelas)
    page.click("[data-testid=dues] summary")
    page.fill("#id_paid_on", date.today().isoformat())
    page.fill("#id_periods", "1")
    page.select_option("#id_method", "tunai")
    page.click("[data-testid=dues-record-form] button[type=submit]")
    page.wait_for_selector("[data-testid=dues-payments] tbody tr")
    member = Member.objects.get(business=business)
    assert member.paid_until is not None and member.paid_until > date.today()

    page.goto(f"{base}{member.get_absolute_url()}")
    page.click("[data-testid=card-link]")
    page.wait_for_selector("[data-testid=card-qr] svg")
    check = page.inner_text("[data-testid=check-url]")
    assert page.inner_text("[data-testid=card-number]") == number
    desk.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    scan = phone.new_page()
    scan.goto(check)
    assert scan.inner_text("[data-testid=card-business]") == "Emping Melinjo Bu Iyah"
    assert scan.inner_text("[data-testid=card-status]") == "Baru"
    assert scan.evaluate("document.documentElement.scrollWidth") <= 362
    text = scan.content()
    assert number not in text and "Iyah Rohayati" not in text  # the card's name, nothing more

    # today the daily job changes nothing; the day after validity ends it moves the member
    assert members_sweep_task.func() == {}
    day_after = member.paid_until + timedelta(days=1)
    assert "association.members_sweep" in enqueue_due(today=day_after)
    from naikkelas.association.services.memberships import members_sweep

    moved = members_sweep(today=day_after)  # what members_sweep_task runs, on that day
    assert moved == {"masa_tenggang": 1}
    scan.reload()
    assert scan.inner_text("[data-testid=card-status]") == "Masa tenggang"
    phone.close()
