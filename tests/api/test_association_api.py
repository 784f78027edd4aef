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
