"""A Dinas officer turns on two-factor sign-in on 'Akun saya', signs out, and signs in again
with the password and a code from the authenticator app (computed here with pyotp)."""

from __future__ import annotations

import time

import pyotp
import pytest

from naikkelas.accounts.models import Role, TotpDevice
from naikkelas.accounts.services import user_create
from naikkelas.core.models import AuditEvent
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-123!"


@pytest.mark.django_db(transaction=True)
def test_dinas_officer_enrols_totp_and_signs_in_with_a_code(live_server, page, tmp_path) -> None:  # noqa: ANN001
    load_reference_data()
    user_create(username="petugas-2fa", password=PASSWORD, role=Role.DINAS)
    base = live_server.url

    # the officer signs in with the password alone and opens "Akun saya"
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "petugas-2fa")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ringkasan/**")
    page.click("header a:has-text('Akun saya')")
    page.wait_for_selector("[data-testid=totp]")

    # turns two-factor sign-in on: a QR code and the key to type by hand
    page.click("button:has-text('Aktifkan verifikasi dua langkah')")
    page.wait_for_selector("[data-testid=totp-qr]")
    assert page.locator("[data-testid=totp-qr]").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=tmp_path / "totp-enrol.png", full_page=True)
    secret = page.inner_text("[data-testid=totp-secret]").replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.fill("#id_code", totp.now())
    page.click("button:has-text('Konfirmasi dan aktifkan')")

    # and sees the recovery codes once
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 8
    assert TotpDevice.objects.get(user__username="petugas-2fa").is_active
    page.click("a:has-text('kembali ke Akun saya')")
    page.wait_for_selector("[data-testid=totp-status]:has-text('aktif')")

    # signs out; the password alone no longer signs in
    page.click("header button:has-text('Keluar')")
    page.goto(f"{base}/masuk/?next=/akun/saya/")
    page.fill("#id_username", "petugas-2fa")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/masuk/kode/")
    page.goto(f"{base}/akun/saya/")
    page.wait_for_url(f"{base}/masuk/?next=/akun/saya/")

    # a wrong code is refused with the attempts left
    page.goto(f"{base}/masuk/kode/")
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    page.fill("#id_code", wrong)
    page.click("button:has-text('Masuk')")
    page.wait_for_selector("text=Sisa percobaan: 4")
    page.screenshot(path=tmp_path / "login-code.png", full_page=True)

    # the next step's code (the one used to enrol cannot be used twice) completes sign-in
    page.fill("#id_code", totp.at(time.time() + 30))
    page.click("button:has-text('Masuk')")
    page.wait_for_url(f"{base}/akun/saya/")
    page.wait_for_selector("[data-testid=account-facts]:has-text('petugas-2fa')")
    page.screenshot(path=tmp_path / "account-self.png", full_page=True)
    assert AuditEvent.objects.filter(action="auth.totp_failed").count() == 1
    assert (
        AuditEvent.objects.filter(action="auth.login", actor__username="petugas-2fa").count() == 2
    )
