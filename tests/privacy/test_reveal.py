"""Revealing a full NIK/phone/address: POST only, within scope, always audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.core.identifiers import format_nik
from naikkelas.core.models import AuditEvent
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def _url(business, owner) -> str:  # noqa: ANN001
    return reverse("privacy:person_reveal", args=[business.pk, owner.pk])


def test_reveal_shows_full_data_and_is_audited(dinas_client, dinas_user) -> None:
    business = make_business()
    owner = business.owners.get()
    response = dinas_client.post(_url(business, owner))
    assert response.status_code == 200
    content = response.content.decode()
    assert format_nik(owner.nik) in content
    assert owner.phone in content and owner.address in content
    assert "tercatat" in content  # the notice that the view was recorded
    assert business.get_absolute_url() in content
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="person.reveal")
    assert event.actor == dinas_user
    assert event.object_id == str(owner.pk)
    assert event.extra["business"] == str(business.pk)
    assert event.extra["fields"] == "nik,phone,address,birth_date"
    assert owner.nik not in str(event.changes) + str(event.extra) + event.object_repr


def test_get_does_not_reveal(dinas_client) -> None:
    business = make_business()
    owner = business.owners.get()
    response = dinas_client.get(_url(business, owner))
    assert response.status_code == 405
    assert owner.nik not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


def test_reveal_outside_the_enumerators_area_is_404(client) -> None:
    enumerator = make_user(Role.ENUMERATOR)
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.02")  # Kasemen
    taktakan = make_business(desa_kelurahan="36.73.06.1005")
    own = make_business(enumerator, name="Batik Kasemen", desa_kelurahan="36.73.02.1007")
    client.force_login(enumerator)
    assert client.post(_url(taktakan, taktakan.owners.get())).status_code == 404
    assert client.post(_url(own, own.owners.get())).status_code == 200
    assert AuditEvent.objects.filter(action="person.reveal").count() == 1


def test_owner_must_belong_to_the_business(dinas_client) -> None:
    business = make_business()
    stranger = make_owner(full_name="Orang Lain")
    assert dinas_client.post(_url(business, stranger)).status_code == 404
    assert not AuditEvent.objects.filter(action="person.reveal").exists()


def test_pimpinan_and_owners_may_not_reveal(client) -> None:
    business = make_business()
    owner = business.owners.get()
    client.force_login(make_user(Role.PIMPINAN))
    assert client.post(_url(business, owner)).status_code == 403
    client.force_login(make_user(Role.OWNER))
    assert client.post(_url(business, owner)).status_code == 403
    client.logout()
    assert client.post(_url(business, owner)).status_code == 302
