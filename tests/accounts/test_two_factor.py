"""Two-factor sign-in (TOTP, RFC 6238) for admin and dinas: enrolment on 'Akun saya',
recovery codes, the second login step, its limits, and django-axes still guarding passwords."""

from __future__ import annotations

import base64
import re
import time
from types import SimpleNamespace

import pyotp
import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts import services, twofactor
from naikkelas.accounts.models import Role, TotpDevice, TotpRecoveryCode, User
from naikkelas.accounts.self_views import PENDING_LOGIN_KEY
from naikkelas.core.models import AuditEvent
from tests.accounts.test_security import INLINE_CODE
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Rahasia-123!"
WRONG_PASSWORD = "Salah-Tebak-99"
SECRET_ON_PAGE = re.compile(r'data-testid="totp-secret">([A-Z2-7 ]+)</code>')
QR_ON_PAGE = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
CODES_ON_PAGE = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")
# The middle of a 30-second step, so that "now", "a step ago" and "a step ahead" are exact.
NOW = (int(time.time()) // 30) * 30 + 15.0


@pytest.fixture(autouse=True)
def frozen_totp_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's TOTP check sees the time ``NOW`` (sessions keep the real clock)."""
    monkeypatch.setattr(twofactor, "time", SimpleNamespace(time=lambda: NOW))


def code_at(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(NOW + 30 * offset_steps)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client: Client) -> str:
    """Start enrolment; returns the secret read from the page (as a person would type it)."""
    response = client.post(reverse("accounts:self_totp_enrol"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:self_totp_enrol")
    page = client.get(reverse("accounts:self_totp_enrol"))
    assert page.status_code == 200
    match = SECRET_ON_PAGE.search(page.content.decode())
    assert match, page.content.decode()
    return match.group(1).replace(" ", "")


def enrol(user: User) -> tuple[str, list[str]]:
    """Turn two-factor on for ``user`` (with the code of a step ago); secret, recovery codes."""
    client = signed_in(user)
    secret = start(client)
    response = client.post(
        reverse("accounts:self_totp_confirm"), {"code": code_at(secret, offset_steps=-1)}
    )
    assert response.status_code == 200, response.content.decode()
    codes = CODES_ON_PAGE.findall(response.content.decode())
    return secret, codes


def password_step(client: Client, user: User, password: str = PASSWORD, **query: str):  # noqa: ANN201
    url = reverse("login")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return client.post(url, {"username": user.username, "password": password})


def code_step(client: Client, code: str):  # noqa: ANN201
    return client.post(reverse("login_totp"), {"code": code})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- pure helpers --------------------------------------------------------------------------


def test_codes_match_their_step_within_one_step_of_drift() -> None:
    secret = twofactor.new_secret()
    step = twofactor.time_step(NOW)
    assert len(secret) == 32 and pyotp.TOTP(secret).at(NOW) == twofactor.current_code(
        secret, at=NOW
    )
    for offset in (-1, 0, 1):
        code = code_at(secret, offset)
        assert twofactor.matching_step(secret, code, at=NOW) == step + offset
    assert twofactor.matching_step(secret, code_at(secret, 2), at=NOW) is None
    assert twofactor.matching_step(secret, code_at(secret, -2), at=NOW) is None
    # spaces are forgiven, non-digits are not a code
    spaced = code_at(secret)[:3] + " " + code_at(secret)[3:]
    assert twofactor.matching_step(secret, spaced, at=NOW) == step
    assert twofactor.matching_step(secret, "abcdef", at=NOW) is None
    # a code of a step already used never matches again
    assert twofactor.matching_step(secret, code_at(secret), at=NOW, after_step=step) is None
    assert twofactor.matching_step(secret, code_at(secret, 1), at=NOW, after_step=step) == step + 1


def test_recovery_codes_are_random_readable_and_hashed_after_normalising() -> None:
    codes = twofactor.new_recovery_codes()
    assert len(codes) == 8 == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", code)
        assert twofactor.looks_like_recovery_code(code)
        typed = " " + code.upper().replace("-", " ") + " "
        assert twofactor.hash_recovery_code(typed) == twofactor.hash_recovery_code(code)
    assert not twofactor.looks_like_recovery_code("123456")


def test_the_qr_code_is_an_svg_data_uri_of_the_otpauth_uri() -> None:
    secret = twofactor.new_secret()
    uri = twofactor.provisioning_uri(secret, account="petugas")
    assert uri.startswith("otpauth://totp/naikkelas:petugas?")
    assert f"secret={secret}" in uri and "issuer=naikkelas" in uri
    data = twofactor.qr_svg_data_uri(uri)
    assert data.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(data.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg


# --- enrolment -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DINAS])
def test_admin_and_dinas_enrol_with_a_current_code(role: Role) -> None:
    user = make_user(role, f"dua-langkah-{role}")
    client = signed_in(user)
    secret = start(client)

    page = client.get(reverse("accounts:self_totp_enrol"))
    assert page["Cache-Control"] == "no-store"
    content = page.content.decode()
    assert not INLINE_CODE.search(content)
    qr = QR_ON_PAGE.search(content)
    assert qr and base64.b64decode(qr.group(1)).startswith(b"<svg")
    device = TotpDevice.objects.get(user=user)
    assert device.secret == secret and not device.is_active
    assert not services.totp_is_active(user=user)

    response = client.post(reverse("accounts:self_totp_confirm"), {"code": code_at(secret)})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    codes = CODES_ON_PAGE.findall(response.content.decode())
    assert len(codes) == 8
    device.refresh_from_db()
    assert device.is_active and services.totp_is_active(user=user)
    stored = set(TotpRecoveryCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert stored == {twofactor.hash_recovery_code(code) for code in codes}
    enable = AuditEvent.objects.get(action="user.totp_enable")
    assert enable.actor == user and enable.object_id == str(user.pk)
    assert enable.extra == {"recovery_codes": 8}
    # the secret and the codes never reach the audit log
    for event in AuditEvent.objects.all():
        stored_text = f"{event.extra} {event.changes} {event.object_repr}"
        assert secret not in stored_text
        assert not any(code in stored_text for code in codes)
    # the page now says it is on and shows neither the secret nor the codes
    page_after = client.get(reverse("accounts:self")).content.decode()
    assert "Sisa 8 kode pemulihan" in page_after
    assert secret not in page_after and codes[0] not in page_after
    # the enrolment page has nothing more to show
    assert client.get(reverse("accounts:self_totp_enrol")).status_code == 302


def test_a_wrong_confirmation_code_is_refused() -> None:
    user = make_user(Role.DINAS, "salah-konfirmasi")
    client = signed_in(user)
    secret = start(client)
    wrong = f"{(int(code_at(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:self_totp_confirm"), {"code": wrong})

    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert SECRET_ON_PAGE.search(response.content.decode())  # the QR page again
    assert not TotpDevice.objects.get(user=user).is_active
    assert not TotpRecoveryCode.objects.exists()
    assert not AuditEvent.objects.filter(action="user.totp_enable").exists()
    # an old code (two steps back) is refused too
    old = client.post(reverse("accounts:self_totp_confirm"), {"code": code_at(secret, -2)})
    assert "Kode salah" in old.content.decode()


def test_starting_again_replaces_a_pending_secret_but_not_an_active_one() -> None:
    user = make_user(Role.ADMIN, "mulai-lagi")
    client = signed_in(user)
    first = start(client)
    second = start(client)
    assert first != second
    client.post(reverse("accounts:self_totp_confirm"), {"code": code_at(second)})
    assert TotpDevice.objects.get(user=user).is_active

    response = client.post(reverse("accounts:self_totp_enrol"), follow=True)
    assert "sudah aktif" in response.content.decode()
    assert TotpDevice.objects.get(user=user).secret == second


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.HIPMIKINDO, Role.PIMPINAN, Role.OWNER])
def test_other_roles_cannot_enrol(role: Role) -> None:
    user = make_user(role, f"tanpa-2fa-{role}")
    client = signed_in(user)

    assert client.post(reverse("accounts:self_totp_enrol")).status_code == 403
    assert client.post(reverse("accounts:self_totp_confirm"), {"code": "123456"}).status_code == 403
    response = client.get(reverse("accounts:self_totp_enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:self")
    assert not TotpDevice.objects.filter(user=user).exists()
    assert 'data-testid="totp"' not in client.get(reverse("accounts:self")).content.decode()


# --- signing in ----------------------------------------------------------------------------


def test_a_user_without_two_factor_signs_in_with_the_password_alone(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "tanpa-kode")
    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in(client)


def test_with_two_factor_the_password_alone_does_not_sign_in(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "dengan-kode")
    secret, _codes = enrol(user)
    session = client.session
    session["vorher"] = True
    session.save()
    session_before = session.session_key

    logins = AuditEvent.objects.filter(action="auth.login", actor=user)
    before = logins.count()  # enrolment signed in with force_login

    response = password_step(client, user)

    assert response.status_code == 302 and response["Location"] == reverse("login_totp")
    assert reverse("login_totp") == "/masuk/kode/"
    assert not logged_in(client)
    assert logins.count() == before
    # a fresh session key for the second step, the data carried over
    assert client.session.session_key != session_before and client.session["vorher"]
    assert client.get(reverse("accounts:self")).status_code == 302  # not signed in

    page = client.get(reverse("login_totp"))
    assert page.status_code == 200
    assert user.username in page.content.decode()
    assert not INLINE_CODE.search(page.content.decode())

    done = code_step(client, code_at(secret))

    assert done.status_code == 302
    assert done["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in(client) and client.session["_auth_user_id"] == str(user.pk)
    assert PENDING_LOGIN_KEY not in client.session
    assert logins.count() == before + 1
    assert logins.order_by("-id").first().ip_address == "127.0.0.1"


def test_the_second_step_follows_a_safe_next_only(client) -> None:  # noqa: ANN001
    user = make_user(Role.ADMIN, "ke-tujuan")
    secret, _codes = enrol(user)
    password_step(client, user, next="/akun/saya/")
    assert code_step(client, code_at(secret, 0))["Location"] == "/akun/saya/"

    client.logout()
    password_step(client, user, next="https://jahat.example/curi")
    response = code_step(client, code_at(secret, 1))
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_code_is_accepted_only_once(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "sekali-pakai")
    secret, _codes = enrol(user)
    password_step(client, user)
    assert code_step(client, code_at(secret))["Location"] != reverse("login_totp")
    assert logged_in(client)
    client.logout()

    password_step(client, user)
    again = code_step(client, code_at(secret))

    assert again.status_code == 200 and not logged_in(client)
    assert "Kode salah" in again.content.decode()
    # nor is the enrolment code (a step ago) reusable
    assert code_step(client, code_at(secret, -1)).status_code == 200
    assert not logged_in(client)


def test_a_recovery_code_works_once_instead_of_a_code(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "kode-pemulihan")
    _secret, codes = enrol(user)

    password_step(client, user)
    response = code_step(client, codes[3].upper().replace("-", " "))  # typed sloppily

    assert response.status_code == 302 and logged_in(client)
    used = AuditEvent.objects.get(action="user.totp_recovery_used")
    assert used.actor == user and used.extra == {"recovery_codes_left": 7}
    assert codes[3] not in str(used.extra)
    assert services.totp_recovery_codes_left(user=user) == 7
    client.logout()

    password_step(client, user)
    again = code_step(client, codes[3])
    assert again.status_code == 200 and not logged_in(client)
    assert AuditEvent.objects.filter(action="auth.totp_failed").count() == 1


def test_five_wrong_codes_drop_the_pending_login(client) -> None:  # noqa: ANN001
    user = make_user(Role.ADMIN, "kode-salah")
    secret, _codes = enrol(user)
    password_step(client, user)
    right = code_at(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for attempt in range(1, 5):
        response = code_step(client, wrong)
        assert response.status_code == 200
        assert f"Sisa percobaan: {5 - attempt}" in response.content.decode()
        assert not logged_in(client)

    # the fifth wrong code also reaches django-axes' limit (codes count as failed sign-ins):
    # the pending login is gone and the username is locked from this address for a while
    fifth = code_step(client, wrong)
    assert fifth.status_code == 429
    assert PENDING_LOGIN_KEY not in client.session
    late = code_step(client, right)
    assert late.status_code in (302, 429) and not logged_in(client)

    failed = AuditEvent.objects.filter(action="auth.totp_failed")
    assert failed.count() == 5
    for event in failed:
        assert event.actor is None and event.object_id == str(user.pk)
        assert event.extra == {"username": user.username}
        assert event.ip_address == "127.0.0.1"
        assert wrong not in f"{event.extra} {event.changes}"

    # starting over with the password is refused until the lockout ends
    response = client.post(
        reverse("login"), {"username": user.username, "password": "Rahasia-123!"}
    )
    assert response.status_code == 429 and not logged_in(client)


def test_the_pending_login_expires_after_five_minutes(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "kode-terlambat")
    secret, _codes = enrol(user)
    password_step(client, user)
    session = client.session
    session[PENDING_LOGIN_KEY] = {**session[PENDING_LOGIN_KEY], "at": time.time() - 301}
    session.save()

    response = code_step(client, code_at(secret))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not logged_in(client)
    assert PENDING_LOGIN_KEY not in client.session
    assert (
        "Waktu untuk memasukkan kode sudah habis" in client.get(reverse("login")).content.decode()
    )


def test_the_second_step_without_a_password_step_goes_back_to_the_login(client) -> None:  # noqa: ANN001
    assert client.get(reverse("login_totp"))["Location"] == reverse("login")
    assert code_step(client, "123456")["Location"] == reverse("login")


def test_wrong_passwords_still_lock_out_a_two_factor_user(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "terkunci-2fa")
    enrol(user)
    for _ in range(4):
        assert password_step(client, user, WRONG_PASSWORD).status_code == 200
    assert password_step(client, user, WRONG_PASSWORD).status_code == 429
    response = password_step(client, user)
    assert response.status_code == 429
    assert PENDING_LOGIN_KEY not in client.session and not logged_in(client)


def test_a_successful_second_step_resets_the_lockout_count(client) -> None:  # noqa: ANN001
    user = make_user(Role.ADMIN, "reset-hitungan")
    secret, _codes = enrol(user)
    for _ in range(4):
        password_step(client, user, WRONG_PASSWORD)
    password_step(client, user)
    assert code_step(client, code_at(secret)).status_code == 302 and logged_in(client)
    client.logout()
    for _ in range(4):
        assert password_step(client, user, WRONG_PASSWORD).status_code == 200
    assert password_step(client, user)["Location"] == reverse("login_totp")


def test_the_admin_sites_login_leads_to_the_two_step_login(client) -> None:  # noqa: ANN001
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/admin/"


def test_a_deactivated_user_cannot_finish_the_second_step(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "nonaktif-di-tengah")
    secret, _codes = enrol(user)
    password_step(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = code_step(client, code_at(secret))
    assert response["Location"] == reverse("login") and not logged_in(client)


# --- turning it off ------------------------------------------------------------------------


def test_disabling_needs_a_current_code(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "matikan-2fa")
    secret, _codes = enrol(user)
    session = signed_in(user)
    wrong = f"{(int(code_at(secret)) + 1) % 1_000_000:06d}"

    refused = session.post(reverse("accounts:self_totp_disable"), {"code": wrong})
    assert refused.status_code == 200 and "Kode salah" in refused.content.decode()
    assert services.totp_is_active(user=user)

    done = session.post(reverse("accounts:self_totp_disable"), {"code": code_at(secret)})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:self")
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not TotpRecoveryCode.objects.exists()
    event = AuditEvent.objects.get(action="user.totp_disable")
    assert event.actor == user and event.object_id == str(user.pk)

    # and the password alone signs in again
    assert password_step(client, user)["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in(client)


def test_disabling_with_a_recovery_code(client) -> None:  # noqa: ANN001
    user = make_user(Role.ADMIN, "matikan-dengan-pemulihan")
    _secret, codes = enrol(user)
    response = signed_in(user).post(reverse("accounts:self_totp_disable"), {"code": codes[0]})
    assert response.status_code == 302
    assert not services.totp_is_active(user=user)
    assert AuditEvent.objects.filter(action="user.totp_recovery_used").count() == 1


def test_disabling_without_two_factor_on_says_so() -> None:
    user = make_user(Role.ENUMERATOR, "tidak-ada-2fa")
    client = signed_in(user)
    response = client.post(reverse("accounts:self_totp_disable"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:self")
    assert "tidak aktif" in client.get(reverse("accounts:self")).content.decode()


def test_admin_can_reset_a_users_two_factor_and_it_is_audited(client) -> None:  # noqa: ANN001
    admin = make_user(Role.ADMIN, "reset-admin")
    officer = make_user(Role.DINAS, "reset-dinas")
    TotpDevice.objects.create(
        user=officer, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    client.force_login(admin)
    response = client.post(f"/akun/pengguna/{officer.pk}/dua-langkah/")
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=officer).exists()
    assert AuditEvent.objects.filter(action="user.totp_reset", object_id=str(officer.pk)).exists()


def test_wrong_codes_count_towards_the_login_lockout(client) -> None:  # noqa: ANN001
    from axes.models import AccessAttempt

    from naikkelas.accounts.services import totp_login_verify

    officer = make_user(Role.DINAS, "lockout-dinas")
    TotpDevice.objects.create(
        user=officer, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    request = RequestFactory().post("/masuk/kode/")
    assert totp_login_verify(user=officer, code="bukan-kode", request=request) is False
    assert AccessAttempt.objects.filter(username="lockout-dinas").exists()
