"""Security basics: password hashing and policy, login throttling, login audit, sessions,
security headers and a Content-Security-Policy the pages actually comply with."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.accounts.signals import client_ip
from naikkelas.config import settings as project_settings
from naikkelas.core.models import AuditEvent
from tests.conftest import make_user
from tests.factories import make_business

pytestmark = pytest.mark.django_db

PASSWORD = "Rahasia-123!"
WRONG = "Salah-Tebak-99"
TEMPLATES_DIR = Path(project_settings.PACKAGE_DIR) / "templates"
# Inline style or script the CSP would block: style/on* attributes, <script>/<style> elements
# (all scripts and styles are files under static/), javascript: URLs.
INLINE_CODE = re.compile(
    # a <script src="..."> of our own static files is what the CSP allows ('self')
    r"""<[a-z][^>]*\s(?:style|on[a-z]+)\s*=|<script(?![^>]*\ssrc=)|<style|javascript:""",
    re.IGNORECASE,
)


def _login(client, username: str, password: str, **extra):  # noqa: ANN001, ANN202
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:  # noqa: ANN001
    return "_auth_user_id" in client.session


# --- passwords -----------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_first_and_old_hashes_still_verify() -> None:
    # the test suite swaps in MD5 for speed; the project's own value is what production uses
    hashers = project_settings.PASSWORD_HASHERS
    assert "Argon2" in hashers[0]
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]


def test_argon2_hasher_works(settings) -> None:  # noqa: ANN001
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user(Role.DINAS)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_short_passwords_are_rejected() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Pndk-7!xq")  # 9 characters
    assert "password_too_short" in [error.code for error in excinfo.value.error_list]
    validate_password("Tenang-Kali-42")  # 14 characters, not common: accepted


def test_common_and_numeric_passwords_stay_rejected() -> None:
    for weak in ("password123", "1234567890123"):
        with pytest.raises(ValidationError):
            validate_password(weak)


# --- login throttling ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_from_that_address(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS)
    for _ in range(4):
        response = _login(client, user.username, WRONG)
        assert response.status_code == 200  # the form again, with its error
        assert not _logged_in(client)

    fifth = _login(client, user.username, WRONG)
    assert fifth.status_code == 429

    response = _login(client, user.username, PASSWORD)
    assert response.status_code in (403, 429)
    assert not _logged_in(client)
    content = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in content
    assert "Coba lagi setelah 15 menit" in content
    assert not INLINE_CODE.search(content)

    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() >= 5
    assert failed.filter(object_id=str(user.pk), actor=None).count() == failed.count()
    for event in failed:
        assert event.extra["username"] == user.username
        assert event.ip_address == "127.0.0.1"
        stored = f"{event.extra} {event.changes} {event.object_repr}"
        assert WRONG not in stored and PASSWORD not in stored and "password" not in stored
    assert failed.filter(extra__locked_out=True).exists()
    # nor does django-axes' own record of the attempts
    attempt = AccessAttempt.objects.get(username=user.username)
    assert WRONG not in attempt.post_data and PASSWORD not in attempt.post_data
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_lockout_is_per_username_and_address(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS)
    for _ in range(5):
        _login(client, user.username, WRONG)
    assert _login(client, user.username, PASSWORD).status_code == 429

    # the same person from another address still gets in
    response = _login(client, user.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_successful_login_resets_the_count(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS)
    for _ in range(4):
        _login(client, user.username, WRONG)
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, user.username, WRONG).status_code == 200
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_force_login_still_works(client) -> None:  # noqa: ANN001
    client.force_login(make_user(Role.DINAS))
    assert client.get(reverse("registry:dashboard")).status_code == 200


# --- login audit ---------------------------------------------------------------------------


def test_login_and_logout_are_audited(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS)
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302 and _logged_in(client)
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == user
    assert (login.object_type, login.object_id) == ("accounts.user", str(user.pk))
    assert login.extra == {"username": user.username}
    assert login.ip_address == "127.0.0.1"

    client.post(reverse("logout"))
    assert not _logged_in(client)
    logout = AuditEvent.objects.get(action="auth.logout")
    assert logout.actor == user and logout.object_id == str(user.pk)
    assert logout.ip_address == "127.0.0.1"


def test_failed_login_for_an_unknown_username_is_audited(client) -> None:  # noqa: ANN001
    long_name = "tidak-ada-" + "x" * 300
    _login(client, long_name, WRONG)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == ""
    assert event.actor is None
    assert event.extra["username"] == long_name[:150]
    assert WRONG not in str(event.extra)
    # django-axes counts it under the same, truncated name (its column has 255 characters)
    assert AccessAttempt.objects.get().username == long_name[:150]


@override_settings(NAIKKELAS_BEHIND_PROXY=True)
def test_behind_a_proxy_forged_forwarded_addresses_neither_dodge_the_lockout_nor_break_login(
    client,  # noqa: ANN001
) -> None:
    user = make_user(Role.DINAS)
    for i in range(5):
        forged = (
            f"198.51.100.{i}, 203.0.113.7"  # the client wrote the left part, the proxy the rest
        )
        _login(client, user.username, WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forged)
    response = _login(
        client, user.username, PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response.status_code == 429
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert {event.ip_address for event in failed} == {"203.0.113.7"}

    # garbage in the header is no address at all (and no server error)
    response = _login(client, "siapa", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="x")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(extra__username="siapa").get().ip_address is None


def test_client_address_behind_a_proxy_is_the_one_the_proxy_saw() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert client_ip(request) == "10.0.0.1"  # without a proxy the header is ignored
    with override_settings(NAIKKELAS_BEHIND_PROXY=True):
        assert client_ip(request) == "203.0.113.7"
        forged = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nope")
        assert client_ip(forged) is None
    assert client_ip(None) is None


# --- sessions and HTTPS --------------------------------------------------------------------


def test_session_settings() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_session_cookie_ends_with_the_browser(client) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS)
    response = _login(client, user.username, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def _settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in (
        "DJANGO_SECURE_COOKIES",
        "DJANGO_HSTS_SECONDS",
        "DJANGO_SSL_REDIRECT",
        "DJANGO_BEHIND_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(project_settings.__file__)


def test_https_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _settings_with(monkeypatch)
    assert plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SECURE_SSL_REDIRECT"] is False
    assert "SECURE_PROXY_SSL_HEADER" not in plain

    https = _settings_with(monkeypatch, DJANGO_SECURE_COOKIES="true", DJANGO_BEHIND_PROXY="true")
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_HSTS_SECONDS"] == 31536000
    assert https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


# --- headers and CSP -----------------------------------------------------------------------


def test_security_headers_and_csp_on_the_login_page(client) -> None:  # noqa: ANN001
    response = client.get(reverse("login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_dashboard_renders_without_inline_style_or_script(client) -> None:  # noqa: ANN001
    make_business()
    client.force_login(make_user(Role.DINAS))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.resolver_match.view_name == "registry:dashboard"
    content = response.content.decode()
    assert 'style="' not in content
    assert "<script" not in content
    assert not INLINE_CODE.search(content)
    assert '<svg class="bar"' in content and "<rect width=" in content
    assert "Content-Security-Policy" in response


def test_other_pages_render_without_inline_style_or_script(client) -> None:  # noqa: ANN001
    business = make_business()
    client.force_login(make_user(Role.DINAS))
    pages = [
        reverse("registry:business_list"),
        business.get_absolute_url(),
        reverse("registry:business_create"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_CODE.search(response.content.decode()), url
    client.logout()
    assert not INLINE_CODE.search(client.get(reverse("login")).content.decode())


def test_no_template_contains_inline_style_or_script() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert offenders == []


def test_admin_works_under_the_csp(client) -> None:  # noqa: ANN001
    client.force_login(make_user(Role.ADMIN))
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
