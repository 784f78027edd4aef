"""User management by the admin: invite, accept, change role and areas, deactivate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts import services
from naikkelas.accounts.models import ApiToken, AreaAssignment, Invitation, Role, User
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

KASEMEN = "36.73.02"
KALANGANYAR = "36.73.06.1005"
PASSWORD = "Rahasia-123!"
NEW_PASSWORD = "Sate-Bandeng-Rabeg-9"
# Parts of a page that differ per request: the CSRF token and the language switch's "next".
VARYING = re.compile(r'name="(?:csrfmiddlewaretoken|next)" (?:type="hidden" )?value="[^"]*"')
LINK = re.compile(r'value="(http://testserver/akun/undangan/[A-Za-z0-9_-]+/)"')


@pytest.fixture
def admin(db) -> User:  # noqa: ANN001
    return make_user(Role.ADMIN, "admin-uji")


@pytest.fixture
def admin_session(client, admin) -> Client:  # noqa: ANN001
    client.force_login(admin)
    return client


def invite_payload(**overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "username": "enum-kasemen",
        "full_name": "Ujang Suherman",
        "email": "ujang@example.org",
        "role": Role.ENUMERATOR.value,
        "area_codes": [KASEMEN, KALANGANYAR],
    }
    payload.update(overrides)
    return payload


def invite(admin_session: Client, **overrides: object) -> str:
    response = admin_session.post(reverse("accounts:user_invite"), invite_payload(**overrides))
    assert response.status_code == 200
    match = LINK.search(response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def log_in(username: str, password: str) -> bool:
    """Through the real login page (django-axes needs the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def user_urls(user_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("accounts:user_list")),
        ("get", reverse("accounts:user_invite")),
        ("post", reverse("accounts:user_invite")),
        ("get", reverse("accounts:user_edit", args=[user_id])),
        ("post", reverse("accounts:user_edit", args=[user_id])),
        ("post", reverse("accounts:user_deactivate", args=[user_id])),
        ("post", reverse("accounts:user_reactivate", args=[user_id])),
        ("post", reverse("accounts:user_invitation_resend", args=[user_id])),
        ("get", reverse("accounts:audit_list")),
        ("get", reverse("accounts:audit_export") + "?format=csv"),
    ]


# --- Who may ---------------------------------------------------------------------------------


def test_non_admin_roles_get_403_on_every_page(admin) -> None:  # noqa: ANN001
    target = make_user(Role.DINAS, "sasaran")
    for role in Role:
        if role == Role.ADMIN:
            continue
        client = Client()
        client.force_login(make_user(role, f"bukan-admin-{role}"))
        for method, url in user_urls(target.pk):
            payload = {"role": "admin", "username": "x", "full_name": "x", "area_codes": KASEMEN}
            response = getattr(client, method)(url, payload if method == "post" else None)
            assert response.status_code == 403, (role, method, url)
    target.refresh_from_db()
    assert target.role == Role.DINAS and target.is_active
    assert not User.objects.filter(username="x").exists()


def test_anonymous_is_sent_to_login(admin) -> None:  # noqa: ANN001
    for method, url in user_urls(admin.pk):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_admin_sees_the_pages(admin_session, admin) -> None:  # noqa: ANN001
    assert admin_session.get(reverse("accounts:user_list")).status_code == 200
    assert admin_session.get(reverse("accounts:user_invite")).status_code == 200
    assert admin_session.get(reverse("accounts:user_edit", args=[admin.pk])).status_code == 200
    assert admin_session.get(reverse("accounts:user_edit", args=[999999])).status_code == 404


# --- Invitation ------------------------------------------------------------------------------


def test_invite_accept_and_log_in_end_to_end(admin_session, admin) -> None:  # noqa: ANN001
    page = admin_session.get(reverse("accounts:user_invite")).content.decode()
    assert 'value="owner"' not in page  # owners are invited from their owner record
    assert "Kalanganyar" in page and "Kasemen" in page

    link = invite(admin_session)
    user = User.objects.get(username="enum-kasemen")
    assert user.role == Role.ENUMERATOR and user.is_active
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert user.get_full_name() == "Ujang Suherman"
    assert sorted(AreaAssignment.objects.filter(user=user).values_list("region_id", flat=True)) == [
        KASEMEN,
        KALANGANYAR,
    ]
    actions = set(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"user.create", "user.invite"} <= actions
    assert not log_in("enum-kasemen", "")

    guest = Client()
    page = guest.get(link)
    assert page.status_code == 200
    assert "enum-kasemen" in page.content.decode()

    weak = guest.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    content = weak.content.decode()
    assert "Kata sandi ini terlalu umum." in content
    assert "seluruhnya terdiri dari angka" in content
    mismatch = guest.post(link, {"new_password1": NEW_PASSWORD, "new_password2": "lain-lain-99"})
    assert "Kedua kata sandi tidak sama." in mismatch.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = guest.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/"
    assert guest.session["_auth_user_id"] == str(user.pk)
    assert log_in("enum-kasemen", NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.invitation_accept", object_id=str(user.pk))

    again = Client().get(link)
    assert again.status_code == 404
    assert services.INVITATION_INVALID in again.content.decode()
    reuse = Client().post(
        link, {"new_password1": "Lain-Sekali-88", "new_password2": "Lain-Sekali-88"}
    )
    assert reuse.status_code == 404
    assert log_in("enum-kasemen", NEW_PASSWORD)


def test_unknown_expired_and_inactive_links_look_the_same(admin) -> None:  # noqa: ANN001
    unknown = Client().get(reverse("accounts:invitation_accept", args=["tidak-ada"]))
    user, token = services.user_invite(
        actor=admin,
        username="kadaluarsa",
        full_name="Ani",
        email="",
        role=Role.DINAS,
        area_codes=[],
    )
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = Client().get(reverse("accounts:invitation_accept", args=[token]))
    other, other_token = services.user_invite(
        actor=admin, username="nonaktif", full_name="Budi", email="", role=Role.DINAS, area_codes=[]
    )
    services.user_set_active(actor=admin, user=other, active=False)
    inactive = Client().get(reverse("accounts:invitation_accept", args=[other_token]))
    bodies = set()
    for response in (unknown, expired, inactive):
        assert response.status_code == 404
        assert services.INVITATION_INVALID in response.content.decode()
        bodies.add(VARYING.sub("", response.content.decode()))
    assert len(bodies) == 1  # nothing tells which of the three it was


def test_enumerator_needs_an_area(admin_session) -> None:  # noqa: ANN001
    response = admin_session.post(reverse("accounts:user_invite"), invite_payload(area_codes=[]))
    assert response.status_code == 200
    assert "Enumerator harus ditugaskan" in response.content.decode()
    assert not User.objects.filter(username="enum-kasemen").exists()


def test_owner_role_is_not_invitable_here(admin_session, admin) -> None:  # noqa: ANN001
    response = admin_session.post(reverse("accounts:user_invite"), invite_payload(role="owner"))
    assert response.status_code == 200
    assert not User.objects.filter(username="enum-kasemen").exists()
    with pytest.raises(ValidationError) as error:
        services.user_invite(
            actor=admin,
            username="pemilik",
            full_name="Iyah",
            email="",
            role=Role.OWNER,
            area_codes=[],
        )
    assert "role" in error.value.message_dict


def test_invite_rejects_taken_username_and_unknown_areas(admin_session, admin) -> None:  # noqa: ANN001
    make_user(Role.DINAS, "sudah-ada")
    with pytest.raises(ValidationError) as error:
        services.user_invite(
            actor=admin,
            username="Sudah-Ada",
            full_name="Citra",
            email="bukan email",
            role=Role.ENUMERATOR,
            area_codes=["36.04.01"],  # Kabupaten Serang: outside the deployment area
        )
    assert set(error.value.message_dict) == {"username", "email", "area_codes"}
    assert not User.objects.filter(username="Sudah-Ada").exists()


def test_resend_gives_a_new_link_and_voids_the_old(admin_session) -> None:  # noqa: ANN001
    first = invite(admin_session)
    user = User.objects.get(username="enum-kasemen")
    response = admin_session.post(reverse("accounts:user_invitation_resend", args=[user.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    second = LINK.search(response.content.decode()).group(1)  # type: ignore[union-attr]
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


# --- Nothing escalates through fields a form does not declare --------------------------------


ESCALATION = {"role": "admin", "is_superuser": "on", "is_staff": "on", "is_active": "on"}


def test_accept_form_ignores_smuggled_privileges(admin_session) -> None:  # noqa: ANN001
    link = invite(admin_session)
    payload = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **ESCALATION}
    payload["username"] = "admin-uji"
    response = Client().post(link, payload)
    assert response.status_code == 302
    user = User.objects.get(username="enum-kasemen")
    assert user.role == Role.ENUMERATOR
    assert not user.is_staff and not user.is_superuser
    admin = User.objects.get(username="admin-uji")
    assert admin.check_password(PASSWORD)  # the other account's password is untouched


def test_edit_form_ignores_smuggled_privileges(admin_session) -> None:  # noqa: ANN001
    target = make_user(Role.DINAS, "petugas")
    payload = {
        **ESCALATION,
        "role": Role.HIPMIKINDO.value,
        "area_codes": [KASEMEN],
        "username": "dibajak",
        "password": "x",
    }
    response = admin_session.post(reverse("accounts:user_edit", args=[target.pk]), payload)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.username == "petugas"
    assert target.role == Role.HIPMIKINDO
    assert not target.is_staff and not target.is_superuser
    assert target.check_password(PASSWORD)


# --- Role and areas --------------------------------------------------------------------------


def test_edit_role_and_areas_is_audited(admin_session, admin) -> None:  # noqa: ANN001
    link = invite(admin_session)
    assert link
    user = User.objects.get(username="enum-kasemen")
    response = admin_session.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"role": Role.DINAS.value, "area_codes": [KALANGANYAR]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == Role.DINAS
    assert list(user.area_assignments.values_list("region_id", flat=True)) == [KALANGANYAR]
    event = AuditEvent.objects.get(action="user.update_access", object_id=str(user.pk))
    assert event.actor == admin
    assert event.changes["role"] == ["enumerator", "dinas"]
    assert event.changes["areas"] == [[KASEMEN, KALANGANYAR], [KALANGANYAR]]

    # Saving the same values again changes nothing and records nothing.
    admin_session.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"role": Role.DINAS.value, "area_codes": [KALANGANYAR]},
    )
    assert AuditEvent.objects.filter(action="user.update_access").count() == 1


def test_staff_flags_follow_the_role(admin) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "naik-turun")
    services.user_update_access(actor=admin, user=user, role=Role.ADMIN, area_codes=[])
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    services.user_update_access(actor=admin, user=user, role=Role.PIMPINAN, area_codes=[])
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.filter(action="user.update_access").first()
    assert event is not None and event.changes["is_superuser"] == [True, False]


def test_enumerator_areas_cannot_be_emptied(admin) -> None:  # noqa: ANN001
    user = make_user(Role.DINAS, "calon-enum")
    with pytest.raises(ValidationError) as error:
        services.user_update_access(actor=admin, user=user, role=Role.ENUMERATOR, area_codes=[])
    assert "area_codes" in error.value.message_dict


def test_admin_cannot_demote_themselves(admin_session, admin) -> None:  # noqa: ANN001
    response = admin_session.post(
        reverse("accounts:user_edit", args=[admin.pk]), {"role": Role.DINAS.value}
    )
    assert response.status_code == 200
    assert "Anda tidak dapat mencabut peran admin Anda sendiri" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_superuser
    with pytest.raises(ValidationError):
        services.user_update_access(actor=admin, user=admin, role=Role.DINAS, area_codes=[])


def test_owner_accounts_keep_their_role(admin) -> None:  # noqa: ANN001
    owner = make_user(Role.OWNER, "pemilik-usaha")
    with pytest.raises(ValidationError):
        services.user_update_access(actor=admin, user=owner, role=Role.DINAS, area_codes=[])
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


# --- Deactivation ----------------------------------------------------------------------------


def test_deactivate_blocks_login_and_revokes_tokens(admin_session, admin) -> None:  # noqa: ANN001
    target = make_user(Role.DINAS, "keluar-kerja")
    _token, key = services.api_token_create(user=target, name="laptop")
    session = Client()
    session.force_login(target)
    assert log_in("keluar-kerja", PASSWORD)

    response = admin_session.post(reverse("accounts:user_deactivate", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert not log_in("keluar-kerja", PASSWORD)
    assert services.api_token_authenticate(key=key) is None
    assert ApiToken.objects.get(user=target).revoked_at is not None
    assert session.get("/").status_code == 302  # the open session is over too
    event = AuditEvent.objects.get(action="user.deactivate", object_id=str(target.pk))
    assert event.changes == {"is_active": [True, False]}
    assert event.extra["api_tokens_revoked"] == 1

    admin_session.post(reverse("accounts:user_reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active
    assert log_in("keluar-kerja", PASSWORD)
    assert services.api_token_authenticate(key=key) is None  # revoked tokens stay revoked
    assert AuditEvent.objects.filter(action="user.reactivate", object_id=str(target.pk))


def test_admin_cannot_deactivate_themselves(admin_session, admin) -> None:  # noqa: ANN001
    response = admin_session.post(reverse("accounts:user_deactivate", args=[admin.pk]), follow=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    with pytest.raises(ApplicationError):
        services.user_set_active(actor=admin, user=admin, active=False)


def test_deactivate_and_resend_need_post(admin_session, admin) -> None:  # noqa: ANN001
    target = make_user(Role.DINAS, "get-saja")
    for name in ("user_deactivate", "user_reactivate", "user_invitation_resend"):
        assert admin_session.get(reverse(f"accounts:{name}", args=[target.pk])).status_code == 405
    target.refresh_from_db()
    assert target.is_active


def test_no_invitation_for_an_inactive_user(admin_session, admin) -> None:  # noqa: ANN001
    target = make_user(Role.DINAS, "tidur")
    services.user_set_active(actor=admin, user=target, active=False)
    response = admin_session.post(
        reverse("accounts:user_invitation_resend", args=[target.pk]), follow=True
    )
    assert "Aktifkan kembali" in response.content.decode()
    assert not Invitation.objects.filter(user=target).exists()


# --- The list ----------------------------------------------------------------------------------


def test_list_search_and_role_filter(admin_session, admin) -> None:  # noqa: ANN001
    services.user_invite(
        actor=admin,
        username="enum-a",
        full_name="Siti Aminah",
        email="",
        role=Role.ENUMERATOR,
        area_codes=[KALANGANYAR],
    )
    make_user(Role.PIMPINAN, "kepala-dinas")
    url = reverse("accounts:user_list")
    content = admin_session.get(url, {"q": "aminah"}).content.decode()
    assert "enum-a" in content and "kepala-dinas" not in content
    assert "Kalanganyar" in content
    content = admin_session.get(url, {"role": "pimpinan"}).content.decode()
    assert "kepala-dinas" in content and "enum-a" not in content
    content = admin_session.get(url).content.decode()
    assert "enum-a" in content and "kepala-dinas" in content and "admin-uji" in content


def test_names_are_escaped_in_the_list(admin_session, admin) -> None:  # noqa: ANN001
    services.user_invite(
        actor=admin,
        username="xss",
        full_name="<script>alert(1)</script>",
        email="",
        role=Role.DINAS,
        area_codes=[],
    )
    services.user_invite(
        actor=admin,
        username="obrien",
        full_name="Sean O'Brien",
        email="",
        role=Role.DINAS,
        area_codes=[],
    )
    content = admin_session.get(reverse("accounts:user_list")).content.decode()
    assert "&lt;script&gt;" in content
    assert "<script>alert" not in content
    assert "O&#x27;Brien" in content
