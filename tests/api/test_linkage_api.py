"""POST /api/v1/linkage/likely-duplicates: the online check for API clients, scoped and
capability-checked like the form's, with probabilities and labelled reasons in JSON."""

from __future__ import annotations

import json

import pytest

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.accounts.services import api_token_create
from naikkelas.linkage.services.register_index import register_index_rebuild
from naikkelas.registry.models import Business
from tests.conftest import make_user
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db

PATH = "/api/v1/linkage/likely-duplicates"
NIK = synthetic_nik()


@pytest.fixture
def token(dinas_user) -> str:
    _token, key = api_token_create(user=dinas_user, name="test")
    return key


@pytest.fixture
def registered() -> Business:
    owner = make_owner(full_name="H. Asep Saepudin", nik=NIK, phone="0812-0000-4201")
    make_business(
        owner=make_owner(full_name="Dedi Kurniawan"),
        name="Bengkel Motor Dedi",
        sector="jasa",
    )
    return make_business(owner=owner, name="Sate Bandeng Asep", desa_kelurahan="36.73.06.1005")


def post(client, body, token: str | None = None):  # noqa: ANN001
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(PATH, data=json.dumps(body), content_type="application/json", **headers)


def record(**values: object) -> dict[str, object]:
    body: dict[str, object] = {
        "business_name": "Sate Bandeng Pak Asep",
        "owner_name": "Asep Saepudin",
        "nik": NIK,
        "kelurahan": "Kalanganyar",
        "sector": "kuliner",
    }
    body.update(values)
    return body


def test_a_registered_business_comes_first_with_probabilities_and_reasons(
    client, token, registered
) -> None:
    response = post(client, record(), token)

    assert response.status_code == 200
    body = response.json()
    first = body[0]
    assert first["business_id"] == str(registered.pk)
    assert first["business_name"] == "Sate Bandeng Asep"
    assert first["desa_kelurahan"] == {"code": "36.73.06.1005", "name": "Kalanganyar"}
    assert first["same_business_probability"] >= 0.9
    assert first["same_owner_probability"] >= first["same_business_probability"]
    terms = first["explanation"]["terms"]
    assert {"comparison": "NIK", "label": "sama", "level": "exact"}.items() <= terms[0].items()
    assert all(t["agrees"] == (t["weight"] > 0) for t in terms)
    assert first["explanation"]["business"]["terms"]  # the engine's raw explanation too
    # personal data masked
    assert first["owner_nik_masked"] == NIK[:4] + "********" + NIK[12:]
    assert NIK not in response.content.decode()


def test_the_same_owner_with_another_business_has_a_low_same_business_probability(
    client, token, registered
) -> None:
    body = post(
        client, record(business_name="Toko Kelontong Berkah", sector="perdagangan"), token
    ).json()
    assert [item["business_id"] for item in body] == [str(registered.pk)]
    assert body[0]["same_owner_probability"] >= 0.5
    assert body[0]["same_business_probability"] < 0.5


def test_businesses_outside_the_callers_scope_are_not_returned(client, registered) -> None:
    enumerator = make_user(Role.ENUMERATOR, "enum-api")
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.06")
    _token, key = api_token_create(user=enumerator, name="odk")

    response = post(client, record(), key)

    assert response.status_code == 200
    assert response.json() == []
    assert "Sate Bandeng Asep" not in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"business_name": "Sate", "nik": 12345},
        {"business_name": "Sate Bandeng", "nik": "abc", "owner_name": None},
        {"business_name": "x" * 10_000, "owner_name": "\x00", "kelurahan": "99.99.99.9999"},
        {"business_name": "Sate", "phone": "++62", "nib": "NIB-ku", "sector": "???"},
    ],
)
def test_malformed_records_give_an_empty_list(client, token, registered, body) -> None:
    response = post(client, body, token)
    assert response.status_code == 200
    assert response.json() == []


def test_a_nik_sent_as_a_number_is_read_as_text(client, token, registered) -> None:
    response = post(client, record(nik=int(NIK)), token)
    assert response.json()[0]["business_id"] == str(registered.pk)


def test_credentials_and_capability_are_required(client, registered) -> None:
    assert post(client, record()).status_code == 401
    assert post(client, record(), token="nk_wrong").status_code == 401
    _token, key = api_token_create(user=make_user(Role.PIMPINAN), name="t")
    assert post(client, record(), key).status_code == 403


@pytest.mark.parametrize("stored_index", [False, True])
def test_query_count_is_bounded(
    client, token, registered, django_assert_max_num_queries, stored_index
) -> None:
    owner = registered.owners.get()
    if stored_index:
        register_index_rebuild()
    for index in range(12):
        make_business(owner=owner if index % 2 else None, name=f"Sate Bandeng {index}")
    post(client, record(), token)  # the stored index takes in the 12 new businesses
    with django_assert_max_num_queries(14 if stored_index else 11):
        body = post(client, record(), token).json()
    assert len(body) == 5


def test_the_operation_is_in_the_openapi_document(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths[PATH]
