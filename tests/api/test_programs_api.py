"""Programme API: the officer's whole path over HTTP, refusals as 409, and a verifiable run."""

from __future__ import annotations

import json

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import api_token_create
from tests.conftest import make_user
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(dinas_user) -> dict[str, str]:  # noqa: ANN001
    _token, key = api_token_create(user=dinas_user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client, method: str, path: str, auth: dict, body: object = None):  # noqa: ANN001, ANN201
    kwargs = {"content_type": "application/json", **auth}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def test_officer_path_from_programme_to_enrolment(client, auth) -> None:  # noqa: ANN001
    response = call(
        client,
        "post",
        "/programmes",
        auth,
        {"name": "Onboarding e-commerce", "kind": "ecommerce", "organiser": "dinas"},
    )
    assert response.status_code == 201, response.content
    programme = response.json()["id"]
    response = call(
        client,
        "post",
        f"/programmes/{programme}/cycles",
        auth,
        {
            "name": "Angkatan API",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-09",
            "capacity": 2,
            "unit_value": 750000,
            "rules": [{"kind": "permit_held", "values": ["NIB"]}],
        },
    )
    assert response.status_code == 201, response.content
    cycle = response.json()["id"]
    businesses = [business_in(f"36.73.0{i}") for i in (1, 2, 3)] + [
        business_in("36.73.04", nib=False)
    ]
    for b in businesses:
        assert (
            call(
                client,
                "post",
                f"/cycles/{cycle}/applications",
                auth,
                {"business_id": str(b.pk), "need_score": 3},
            ).status_code
            == 201
        )
    duplicate = call(
        client,
        "post",
        f"/cycles/{cycle}/applications",
        auth,
        {"business_id": str(businesses[0].pk)},
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"][0]["type"] == "duplicate"

    early = call(client, "post", f"/cycles/{cycle}/selection", auth)
    assert early.status_code == 409
    published = call(client, "post", f"/cycles/{cycle}/publish", auth, {"public_value": "17"})
    assert published.status_code == 200 and len(published.json()["seed"]) == 16
    run = call(client, "post", f"/cycles/{cycle}/selection", auth)
    assert run.status_code == 201, run.content
    run_id = run.json()["id"]
    verify = call(client, "get", f"/runs/{run_id}/verify", auth).json()
    assert verify["identical"] is True

    listed = call(client, "get", f"/cycles/{cycle}/applications?limit=50", auth).json()
    statuses = sorted(item["status"] for item in listed["items"])
    assert statuses == ["ineligible", "selected", "selected", "waitlisted"]
    ineligible = next(i for i in listed["items"] if i["status"] == "ineligible")
    assert ineligible["reason_text"] == "tidak memenuhi: belum punya NIB"

    selected = [i for i in listed["items"] if i["status"] == "selected"]
    enrolled = call(client, "post", f"/applications/{selected[0]['id']}/enrol", auth)
    assert enrolled.status_code == 201 and enrolled.json()["seat"] == 1
    status = call(
        client,
        "post",
        f"/enrolments/{enrolled.json()['id']}/status",
        auth,
        {"status": "completed", "completed_on": "2026-12-09"},
    )
    assert status.status_code == 200 and status.json()["status"] == "completed"
    ledger = call(client, "get", f"/businesses/{selected[0]['business_id']}/aid", auth).json()
    assert [(r["kind"], r["value"]) for r in ledger] == [("ecommerce", 750000)]

    bad = call(
        client,
        "post",
        f"/applications/{selected[1]['id']}/override",
        auth,
        {"to_status": "not_selected", "reason": ""},
    )
    assert bad.status_code == 409


def test_malformed_input_is_a_clear_error_not_a_500(client, auth) -> None:  # noqa: ANN001
    programme = call(
        client,
        "post",
        "/programmes",
        auth,
        {"name": "X", "kind": "pelatihan", "organiser": "dinas"},
    ).json()["id"]
    bad_rule = call(
        client,
        "post",
        f"/programmes/{programme}/cycles",
        auth,
        {
            "name": "A",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-01",
            "capacity": 2,
        },
    )
    assert bad_rule.status_code == 409
    bad_rule = call(
        client,
        "post",
        f"/programmes/{programme}/cycles",
        auth,
        {
            "name": "A",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-09",
            "capacity": 2,
            "rules": [{"kind": "omzet_range", "minimum": 9, "maximum": 1}],
        },
    )
    assert bad_rule.status_code == 409
    assert "Syarat tidak sah" in bad_rule.json()["detail"][0]["msg"]
    wrong_type = call(
        client,
        "post",
        f"/programmes/{programme}/cycles",
        auth,
        {
            "name": "A",
            "starts_on": "besok",
            "ends_on": "2026-12-09",
            "capacity": "dua",
        },
    )
    assert wrong_type.status_code == 422
    shares = call(
        client,
        "post",
        f"/programmes/{programme}/cycles",
        auth,
        {
            "name": "A",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-09",
            "capacity": 2,
            "sector_shares": {"kuliner": 60, "fesyen": 30},
        },
    )
    assert shares.status_code == 409 and "100%" in shares.json()["detail"][0]["msg"]


def test_enumerators_and_owners_cannot_use_programme_endpoints(client) -> None:  # noqa: ANN001
    for role in (Role.ENUMERATOR, Role.OWNER, Role.PIMPINAN):
        _token, key = api_token_create(user=make_user(role, f"api-{role}"), name="t")
        response = client.get("/api/v1/programmes", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 403


def test_an_owner_applies_over_the_api_for_their_own_business_only(client, dinas_user) -> None:  # noqa: ANN001
    from naikkelas.programs import services
    from naikkelas.programs.models import Programme
    from naikkelas.registry.models import Owner
    from tests.programs.conftest import new_cycle

    programme = Programme.objects.create(name="Halal", kind="halal", organiser="hipmikindo")
    cycle = new_cycle(dinas_user, programme)
    services.cycle_open(actor=dinas_user, cycle=cycle)
    mine, other = business_in("36.73.02"), business_in("36.73.03")
    owner_user = make_user(Role.OWNER, "pemilik-api")
    Owner.objects.filter(pk=mine.owners.get().pk).update(user=owner_user)
    _token, key = api_token_create(user=owner_user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert [c["id"] for c in call(client, "get", "/me/cycles", auth).json()] == [str(cycle.pk)]
    applied = call(
        client,
        "post",
        "/me/applications",
        auth,
        {"cycle_id": str(cycle.pk), "business_id": str(mine.pk)},
    )
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    again = call(
        client,
        "post",
        "/me/applications",
        auth,
        {"cycle_id": str(cycle.pk), "business_id": str(mine.pk)},
    )
    assert again.status_code == 409
    foreign = call(
        client,
        "post",
        "/me/applications",
        auth,
        {"cycle_id": str(cycle.pk), "business_id": str(other.pk)},
    )
    assert foreign.status_code == 404
    listed = call(client, "get", "/me/applications", auth).json()
    assert [a["business_id"] for a in listed] == [str(mine.pk)]
