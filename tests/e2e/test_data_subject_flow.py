"""An owner gets an account, sees their data and asks for deletion; an officer honours it."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.privacy.models import DataSubjectRequest
from naikkelas.registry.models import Business, Owner
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.browser

OFFICER_PASSWORD = "Rahasia-123!"
OWNER_PASSWORD = "Emping-Melinjo-2024!"


def _sign_in(page, base: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _sign_out(page) -> None:  # noqa: ANN001
    page.click("header button:has-text('Keluar')")
    page.wait_for_selector("#id_username")


@pytest.mark.django_db(transaction=True)
def test_owner_requests_deletion_and_officer_processes_it(live_server, page, tmp_path) -> None:
    # given an officer and an owner with a business in the register
    load_reference_data()
    user_create(username="petugas", password=OFFICER_PASSWORD, role=Role.DINAS)
    owner = make_owner(full_name="Hj. Iyah Rohayati")
    nik = owner.nik
    business = make_business(owner=owner, name="Emping Melinjo Bu Iyah")
    base = live_server.url

    # when the officer creates an invitation link for the owner
    _sign_in(page, base, "petugas", OFFICER_PASSWORD)
    page.goto(f"{base}/pemilik/{owner.pk}/persetujuan/")
    page.click("button:has-text('Buat tautan undangan untuk pemilik')")
    link = page.input_value("[data-testid=invitation-link]")
    assert "/akun/undangan/" in link
    owner.refresh_from_db()
    assert owner.user is not None
    username = owner.user.username
    assert username in page.inner_text("[data-testid=invitation]")
    _sign_out(page)

    # and the owner opens the link and sets a password (accounts' accept page)
    page.goto(link)
    page.fill("#id_new_password1", OWNER_PASSWORD)
    page.fill("#id_new_password2", OWNER_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    _sign_out(page)

    # then the owner signs in and sees all their data
    _sign_in(page, base, username, OWNER_PASSWORD)
    page.goto(f"{base}/saya/")
    assert page.inner_text("[data-testid=owner-name]") == "Hj. Iyah Rohayati"
    assert page.inner_text("[data-testid=owner-nik]").replace(" ", "") == nik
    assert "Emping Melinjo Bu Iyah" in page.inner_text("[data-testid=my-business]")

    # and asks for deletion (which needs the confirmation box)
    page.select_option("#id_kind", "deletion")
    page.click("[data-testid=request-form] button[type=submit]")
    page.wait_for_selector(".field.has-error")
    page.check("#id_confirm_deletion")
    page.click("[data-testid=request-form] button[type=submit]")
    page.wait_for_selector("text=3 x 24 jam")
    assert "Menghapus data saya" in page.inner_text("[data-testid=request-row]")
    page.screenshot(path=tmp_path / "my-data.png", full_page=True)
    _sign_out(page)

    # when the officer opens the queue and processes the request
    _sign_in(page, base, "petugas", OFFICER_PASSWORD)
    page.goto(f"{base}/privasi/permintaan/")
    page.click("[data-testid=open-requests] a:has-text('Menghapus data saya')")
    page.wait_for_selector("[data-testid=process-form]")
    assert "Hj. Iyah Rohayati" in page.content()
    page.check("#id_confirm_deletion")
    page.click("[data-testid=decide-done]")
    page.wait_for_selector("text=Permintaan sudah diproses.")

    # then the owner's data is anonymised, their account is off, the business remains
    owner = Owner.objects.get(pk=owner.pk)
    assert owner.anonymised_at is not None and owner.nik is None
    assert owner.full_name == "Data dihapus (UU PDP)"
    assert not Owner.objects.filter(nik=nik).exists()
    assert owner.user is not None and not owner.user.is_active
    assert Business.objects.filter(pk=business.pk).exists()
    assert DataSubjectRequest.objects.get(owner=owner).status == "done"
    _sign_out(page)

    # and the owner can no longer sign in
    _sign_in(page, base, username, OWNER_PASSWORD)
    assert page.locator("#id_username").count() == 1
