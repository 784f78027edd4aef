"""'Akun saya': every signed-in user sees their account, changes their password and manages
their own API tokens (the key shown once, someone else's token out of reach)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import ApiToken, AreaAssignment, Role, User
from naikkelas.core.models import AuditEvent
from tests.accounts.test_security import INLINE_CODE
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Rahasia-123!"
NEW_PASSWORD = "Sate-Bandeng-Rabeg-9"
SELF_URL = "/akun/saya/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_key(response) -> str:  # noqa: ANN001
    match = re.search(r'value="(nk_[A-Za-z0-9_-]+)"', response.content.decode())
    assert match, "no token key on the page"
    return match.group(1)


def create_token(client: Client, name: str = "laporan", days: int = 90):  # noqa: ANN201
    return client.post(reverse("accounts:self_token_create"), {"name": name, "days": days})


# --- the page ------------------------------------------------------------------------------


def test_the_url_and_its_name() -> None:
    assert reverse("accounts:self") == SELF_URL


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_own_account(role: Role) -> None:
    user = make_user(role, f"saya-{role}")
    user.first_name, user.last_name = "Siti", "Aminah"
    user.save()
    if role == Role.ENUMERATOR:
        AreaAssignment.objects.create(user=user, region_id="36.73.02")
    client = signed_in(user)

    response = client.get(SELF_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert user.username in content and "Siti Aminah" in content
    assert str(Role(role).label) in content
    if role == Role.ENUMERATOR:
        assert "Kasemen" in content
    # the header links here for everyone
    assert f'href="{SELF_URL}"' in content and "Akun saya" in content
    # the two-factor section only for the roles that may use it
    assert ('data-testid="totp"' in content) == (role in (Role.ADMIN, Role.DINAS))
    assert not INLINE_CODE.search(content)
    assert response["Cache-Control"] == "no-store"


def test_anonymous_is_sent_to_the_login_page(client) -> None:  # noqa: ANN001
    response = client.get(SELF_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- password ------------------------------------------------------------------------------


def change_password(client: Client, old: str, new: str, repeat: str | None = None):  # noqa: ANN201
    return client.post(
        reverse("accounts:self_password"),
        {"old_password": old, "new_password1": new, "new_password2": repeat or new},
    )


def test_password_change_keeps_this_session_and_ends_the_others() -> None:
    user = make_user(Role.ENUMERATOR, "ganti-sandi")
    other_device, client = Client(), Client()
    for device in (other_device, client):  # signing in through the login page (django-axes)
        login = device.post(reverse("login"), {"username": user.username, "password": PASSWORD})
        assert login.status_code == 302

    response = change_password(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302 and response["Location"] == SELF_URL
    assert client.get(SELF_URL).status_code == 200  # still signed in here
    assert other_device.get(SELF_URL).status_code == 302  # signed out elsewhere
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == user and event.object_id == str(user.pk)
    assert event.ip_address == "127.0.0.1"
    stored = f"{event.extra} {event.changes} {event.object_repr}"
    assert NEW_PASSWORD not in stored and PASSWORD not in stored


def test_password_change_needs_the_current_password() -> None:
    user = make_user(Role.DINAS, "lupa-sandi-lama")
    client = signed_in(user)
    response = change_password(client, "Bukan-Sandinya-1", NEW_PASSWORD)
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


@pytest.mark.parametrize(
    ("new", "repeat"),
    [
        ("Pndk-7!xq", None),  # 9 characters: too short
        ("password123", None),  # common
        ("1234567890123", None),  # numeric
        (NEW_PASSWORD, NEW_PASSWORD + "x"),  # the two differ
    ],
)
def test_password_change_applies_the_password_policy(new: str, repeat: str | None) -> None:
    user = make_user(Role.PIMPINAN, "kebijakan-sandi")
    client = signed_in(user)
    response = change_password(client, PASSWORD, new, repeat)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_needs_a_post(client) -> None:  # noqa: ANN001
    client.force_login(make_user(Role.OWNER, "pemilik-sandi"))
    assert client.get(reverse("accounts:self_password")).status_code == 405


# --- API tokens ----------------------------------------------------------------------------


def test_a_dinas_user_creates_a_token_sees_the_key_once_and_uses_it() -> None:
    user = make_user(Role.DINAS, "petugas-api")
    client = signed_in(user)

    response = create_token(client, "Laporan bulanan", 90)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = shown_key(response)
    token = ApiToken.objects.get(user=user)
    assert token.name == "Laporan bulanan"
    assert token.key_hash == ApiToken.hash_key(key) and key.startswith(token.prefix)
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="api_token.create", actor=user).exists()

    # the key works against the API
    api = Client()
    answer = api.get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    # and is never shown again; the list shows only its prefix
    page = client.get(SELF_URL).content.decode()
    assert key not in page
    assert token.prefix in page and "Laporan bulanan" in page


@pytest.mark.parametrize("days", [30, 365])
def test_token_validity_choices(days: int) -> None:
    user = make_user(Role.ADMIN, f"admin-token-{days}")
    create_token(signed_in(user), days=days)
    token = ApiToken.objects.get(user=user)
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at).days in (days - 1, days)


@pytest.mark.parametrize("payload", [{"name": "x", "days": 7}, {"name": "", "days": 90}])
def test_a_token_needs_a_name_and_an_offered_validity(payload: dict[str, object]) -> None:
    user = make_user(Role.HIPMIKINDO, "hipmi-token")
    response = signed_in(user).post(reverse("accounts:self_token_create"), payload)
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()


def test_revoking_an_own_token_stops_it_working() -> None:
    user = make_user(Role.DINAS, "cabut-token")
    client = signed_in(user)
    key = shown_key(create_token(client))
    token = ApiToken.objects.get(user=user)

    response = client.post(reverse("accounts:self_token_revoke", args=[token.pk]))

    assert response.status_code == 302 and response["Location"] == SELF_URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()
    assert Client().get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    page = client.get(SELF_URL).content.decode()
    assert "dicabut" in page
    assert reverse("accounts:self_token_revoke", args=[token.pk]) not in page


def test_an_expired_token_is_refused() -> None:
    user = make_user(Role.DINAS, "token-kedaluwarsa")
    client = signed_in(user)
    key = shown_key(create_token(client, days=30))
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert "kedaluwarsa" in client.get(SELF_URL).content.decode()


def test_nobody_revokes_or_sees_someone_elses_token() -> None:
    owner_of_token = make_user(Role.ADMIN, "pemilik-token")
    key = shown_key(create_token(signed_in(owner_of_token), "rahasia-admin"))
    token = ApiToken.objects.get(user=owner_of_token)
    intruder = signed_in(make_user(Role.DINAS, "penyusup"))

    response = intruder.post(reverse("accounts:self_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert intruder.post(reverse("accounts:self_token_revoke", args=[999_999])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "rahasia-admin" not in intruder.get(SELF_URL).content.decode()
    assert Client().get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_revoking_needs_a_post() -> None:
    user = make_user(Role.DINAS, "revoke-get")
    client = signed_in(user)
    create_token(client)
    token = ApiToken.objects.get(user=user)
    assert client.get(reverse("accounts:self_token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
