"""Association API: the same access rules and services as the pages."""

from __future__ import annotations

import json

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import api_token_create
from naikkelas.association.models import Member
from naikkelas.association.services import memberships
from naikkelas.registry.models import Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def token_for(role: Role, name: str) -> str:
    _token, key = api_token_create(user=make_user(role, name), name="uji")
    return key


def call(client, method: str, path: str, token: str, body=None):  # noqa: ANN001
    return getattr(client, method)(
        f"/api/v1{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_officer_applies_secretary_decides_dinas_reads(client) -> None:  # noqa: ANN001
    memberships.membership_type_catalogue_load()
    business = make_business(name="Sambal Roa")
    hpk, admin = token_for(Role.HIPMIKINDO, "hpk-api"), token_for(Role.ADMIN, "admin-api")
    dinas, enumerator = token_for(Role.DINAS, "dinas-api"), token_for(Role.ENUMERATOR, "enum-api")
    created = call(
        client, "post", "/association/applications", hpk, {"business_id": str(business.pk)}
    )
    assert created.status_code == 201
    application_id = created.json()["id"]
    again = call(
        client, "post", "/association/applications", hpk, {"business_id": str(business.pk)}
    )
    assert again.status_code == 422
    decision = f"/association/applications/{application_id}/decision"
    assert call(client, "post", decision, hpk, {"decision": "setujui"}).status_code == 403
    assert call(client, "post", decision, dinas, {"decision": "setujui"}).status_code == 403
    decided = call(client, "post", decision, admin, {"decision": "setujui"})
    assert decided.status_code == 200 and decided.json()["status"] == "disetujui"
    members = call(client, "get", "/association/members", dinas).json()
    assert members["count"] == 1 and members["items"][0]["business_name"] == "Sambal Roa"
    member_id = members["items"][0]["id"]
    assert call(client, "get", f"/association/members/{member_id}", dinas).status_code == 200
    assert call(client, "get", "/association/members", enumerator).status_code == 403
    assert call(client, "post", decision, admin, {"decision": "x"}).status_code == 422


def test_owner_sees_and_applies_for_their_own_business_only(client) -> None:  # noqa: ANN001
    memberships.membership_type_catalogue_load()
    owner = make_owner(full_name="Siti Nurhayati")
    mine = make_business(owner=owner, name="Keripik Pisang Siti")
    other = make_business(name="Bengkel Dadang")
    user = make_user(Role.OWNER, "pemilik-siti")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    _token, key = api_token_create(user=user, name="hp")
    applied = call(
        client, "post", "/me/membership/applications", key, {"business_id": str(mine.pk)}
    )
    assert applied.status_code == 201 and applied.json()["channel"] == "portal"
    refused = call(
        client, "post", "/me/membership/applications", key, {"business_id": str(other.pk)}
    )
    assert refused.status_code == 404
    mine_list = call(client, "get", "/me/membership", key).json()
    assert [row["business_name"] for row in mine_list] == ["Keripik Pisang Siti"]
    assert mine_list[0]["application_status"] == "diajukan" and mine_list[0]["member"] is None
    assert not Member.objects.exists()


def test_dues_and_events_through_the_api(client) -> None:  # noqa: ANN001
    from datetime import timedelta

    from django.utils import timezone

    from naikkelas.association.models import MembershipType

    memberships.membership_type_catalogue_load()
    MembershipType.objects.filter(code="biasa").update(dues=120_000)
    admin_user = make_user(Role.ADMIN, "admin-dues")
    owner = make_owner(full_name="Siti Nurhayati")
    business = make_business(owner=owner, name="Keripik Pisang Siti")
    user = make_user(Role.OWNER, "pemilik-siti")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    application = memberships.application_submit(
        actor=admin_user,
        business=business,
        membership_type=MembershipType.objects.get(code="biasa"),
    )
    member = memberships.application_approve(actor=admin_user, application=application)
    hpk, dinas = token_for(Role.HIPMIKINDO, "hpk-dues"), token_for(Role.DINAS, "dinas-dues")
    _token, owner_key = api_token_create(user=user, name="hp")
    today = timezone.localdate().isoformat()

    payments = f"/association/members/{member.pk}/payments"
    assert (
        call(client, "post", payments, dinas, {"paid_on": today, "method": "tunai"}).status_code
        == 403
    )
    assert (
        call(client, "post", payments, hpk, {"paid_on": today, "method": "transfer"}).status_code
        == 422
    )
    paid = call(client, "post", payments, hpk, {"paid_on": today, "method": "tunai"})
    assert paid.status_code == 201 and paid.json()["amount"] == 120_000
    assert paid.json()["receipt_number"].startswith("KW-")
    assert len(call(client, "get", payments, dinas).json()) == 1
    void = call(
        client,
        "post",
        f"/association/payments/{paid.json()['id']}/void",
        hpk,
        {"reason": "salah catat"},
    )
    assert void.status_code == 200 and void.json()["voided"] is True
    assert call(client, "get", "/association/arrears", dinas).status_code == 200

    now = timezone.now()
    event = call(
        client,
        "post",
        "/association/events",
        hpk,
        {
            "kind": "forum",
            "title": "Forum anggota Kasemen",
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(),
            "venue": "Aula Kecamatan",
            "capacity": 30,
            "members_only": False,
        },
    )
    assert event.status_code == 201, event.content
    event_id = event.json()["id"]
    from naikkelas.association.models import AssociationEvent

    code = AssociationEvent.objects.get(pk=event_id).checkin_code
    assert call(client, "get", "/me/events", owner_key).json()[0]["id"] == event_id
    registered = call(
        client,
        "post",
        f"/me/events/{event_id}/registrations",
        owner_key,
        {"business_id": str(business.pk)},
    )
    assert registered.status_code == 201
    checked = call(
        client, "post", "/me/checkin", owner_key, {"code": code, "business_id": str(business.pk)}
    )
    assert checked.status_code == 200 and checked.json()["attendance_method"] == "qr"
    wrong = call(
        client,
        "post",
        "/me/checkin",
        owner_key,
        {"code": "salah-kode-ini", "business_id": str(business.pk)},
    )
    assert wrong.status_code in (404, 409)
    listed = call(client, "get", f"/association/events/{event_id}/registrations", dinas).json()
    assert listed[0]["attended_at"] is not None
