"""Area-scoped access: an enumerator of Kasemen cannot reach a Taktakan business by any path;
"not yours" looks exactly like "does not exist"; injection in search and names is harmless."""

from __future__ import annotations

import json

import pytest
from django.http import Http404
from django.urls import reverse

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.accounts.services import api_token_create
from naikkelas.registry.access import business_get_accessible, business_scope, owner_scope
from naikkelas.registry.models import Business, BusinessAssignment
from tests.conftest import make_user
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def kasemen_enumerator():
    user = make_user(Role.ENUMERATOR, "enum-kasemen")
    AreaAssignment.objects.create(user=user, region_id="36.73.02")
    return user


@pytest.fixture
def taktakan_business():
    return make_business(name="Emping Melinjo Taktakan", desa_kelurahan="36.73.06.1005")


def test_enumerator_sees_only_own_or_assigned_businesses_in_own_area(
    kasemen_enumerator, taktakan_business
) -> None:
    mine = make_business(kasemen_enumerator, name="Gipang Kasemen", desa_kelurahan="36.73.02.1007")
    colleagues = make_business(name="Sate Bandeng Kasemen", desa_kelurahan="36.73.02.1001")
    assert set(business_scope(user=kasemen_enumerator)) == {mine}
    BusinessAssignment.objects.create(business=colleagues, user=kasemen_enumerator)
    assert set(business_scope(user=kasemen_enumerator)) == {mine, colleagues}
    # an assignment outside the area does not open it
    BusinessAssignment.objects.create(business=taktakan_business, user=kasemen_enumerator)
    assert taktakan_business not in business_scope(user=kasemen_enumerator)


def test_not_yours_is_the_same_as_not_found(kasemen_enumerator, taktakan_business) -> None:
    for business_id in (taktakan_business.pk, UNKNOWN, "not-a-uuid"):
        with pytest.raises(Http404):
            business_get_accessible(user=kasemen_enumerator, business_id=business_id)


def test_kasemen_enumerator_cannot_reach_a_taktakan_business_by_any_url(
    client, kasemen_enumerator, taktakan_business
) -> None:
    client.force_login(kasemen_enumerator)
    args = [taktakan_business.pk]
    pages = [
        ("get", reverse("registry:business_detail", args=args)),
        ("get", reverse("registry:business_edit", args=args)),
        ("post", reverse("registry:business_edit", args=args)),
        ("post", reverse("registry:figure_set", args=args)),
        ("post", reverse("registry:permit_add", args=args)),
        ("post", reverse("registry:channel_add", args=args)),
    ]
    for method, url in pages:
        response = getattr(client, method)(url, {"year": "2025", "omzet": "1"})
        assert response.status_code == 404, (method, url, response.status_code)
    unknown = reverse("registry:business_detail", args=[UNKNOWN])
    assert client.get(unknown).status_code == 404
    listing = client.get(reverse("registry:business_list"), {"q": "Emping Melinjo Taktakan"})
    assert "0 usaha ditemukan" in listing.content.decode()
    assert Business.objects.get(pk=taktakan_business.pk).figures.count() == 0


def test_kasemen_enumerator_cannot_reach_a_taktakan_business_by_the_api(
    client, kasemen_enumerator, taktakan_business
) -> None:
    _token, key = api_token_create(user=kasemen_enumerator, name="hp")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/businesses/{taktakan_business.pk}"
    assert client.get(url, **auth).status_code == 404
    assert client.get(f"/api/v1/businesses/{UNKNOWN}", **auth).status_code == 404
    patch = client.patch(url, json.dumps({"products": "x"}), "application/json", **auth)
    assert patch.status_code == 404
    listing = client.get("/api/v1/businesses?q=taktakan", **auth).json()
    assert listing["count"] == 0
    owner = taktakan_business.owners.get()
    assert client.get(f"/api/v1/owners/{owner.pk}", **auth).status_code == 404
    assert owner not in owner_scope(user=kasemen_enumerator)
    # nor can the enumerator register a business in Taktakan
    body = {
        "name": "Usaha Titipan",
        "sector": "kuliner",
        "desa_kelurahan": "36.73.06.1005",
        "owner": {"full_name": "Ade", "nik": synthetic_nik()},
    }
    response = client.post("/api/v1/businesses", json.dumps(body), "application/json", **auth)
    assert response.status_code == 422
    by_name = {**body, "desa_kelurahan": "Kalanganyar"}
    response = client.post("/api/v1/businesses", json.dumps(by_name), "application/json", **auth)
    assert response.status_code == 422
    assert not Business.objects.filter(name="Usaha Titipan").exists()


def test_enumerator_cannot_register_outside_the_area_through_the_form(
    client, kasemen_enumerator
) -> None:
    client.force_login(kasemen_enumerator)
    response = client.post(
        reverse("registry:business_create"),
        {
            "owner-full_name": "Ade",
            "name": "Usaha Luar Wilayah",
            "legal_form": "PERORANGAN",
            "sector": "kuliner",
            "desa_kelurahan": "36.73.06.1005",
        },
    )
    assert response.status_code == 200
    assert "di luar wilayah tugas" in response.content.decode()
    assert not Business.objects.filter(name="Usaha Luar Wilayah").exists()


def test_owner_sees_only_their_own_businesses(taktakan_business) -> None:
    user = make_user(Role.OWNER, "pemilik-1")
    owner = make_owner(full_name="Iyah")
    owner.user = user
    owner.save(update_fields=["user"])
    own = make_business(owner=owner, name="Usaha Iyah")
    assert set(business_scope(user=user)) == {own}
    assert set(owner_scope(user=user)) == {owner}


def test_pimpinan_sees_no_business_and_no_owner(taktakan_business) -> None:
    user = make_user(Role.PIMPINAN)
    assert not business_scope(user=user).exists()
    assert not owner_scope(user=user).exists()


def test_inactive_user_sees_nothing(taktakan_business) -> None:
    user = make_user(Role.DINAS, "dinas-nonaktif")
    user.is_active = False
    assert not business_scope(user=user).exists()


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        '"; DROP TABLE registry_business; --',
        "%",
        "_",
        "\\",
        "<script>alert(1)</script>",
    ],
)
def test_search_with_injection_strings_is_harmless(dinas_client, taktakan_business, query) -> None:
    response = dinas_client.get(reverse("registry:business_list"), {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert Business.objects.filter(pk=taktakan_business.pk).exists()


def test_names_with_markup_and_apostrophes_are_escaped(dinas_client) -> None:
    business = make_business(
        owner=make_owner(full_name="O'Brien <b>bold</b>"), name="<script>alert(1)</script> Toko"
    )
    content = dinas_client.get(business.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Toko" in content
    assert "O&#x27;Brien &lt;b&gt;bold&lt;/b&gt;" in content
    found = dinas_client.get(reverse("registry:business_list"), {"q": "O'Brien"})
    assert "&lt;script&gt;" in found.content.decode()


def test_hidden_fields_cannot_change_status_source_or_owner(dinas_client) -> None:
    business = make_business()
    dinas_client.post(
        reverse("registry:business_edit", args=[business.pk]),
        {
            "name": business.name,
            "legal_form": "PERORANGAN",
            "sector": "kuliner",
            "desa_kelurahan": business.desa_kelurahan_id,
            "status": "merged",
            "source": "demo",
            "created_by": "1",
            "size_class": "menengah",
        },
    )
    business.refresh_from_db()
    assert (business.status, business.source, business.size_class) == ("active", "manual", "")
