"""The owner portal: an owner sees all their data (and only theirs), downloads it, asks."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.core.identifiers import format_nik
from naikkelas.core.models import AuditEvent
from naikkelas.privacy import services
from naikkelas.privacy.models import ConsentMethod, DataSubjectRequest
from naikkelas.registry import services as registry_services
from naikkelas.registry.models import Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(client, dinas_user):  # noqa: ANN001
    """An owner with an account and two businesses, signed in; and another owner's business."""
    owner = make_owner(full_name="Hj. Iyah Rohayati")
    first = make_business(owner=owner, name="Emping Melinjo Bu Iyah")
    second = make_business(owner=owner, name="Sate Bandeng Iyah", desa_kelurahan="36.73.02.1007")
    registry_services.yearly_figure_set(
        actor=dinas_user, business=first, year=2024, omzet=120_000_000, modal=None, workers=2
    )
    registry_services.permit_add(
        actor=dinas_user, business=first, kind="HALAL", number="ID36110000123450924"
    )
    services.consent_record(
        actor=dinas_user, owner=owner, method=ConsentMethod.OFFICER, given_by=owner.full_name
    )
    user = make_user(Role.OWNER, username="pemilik-iyah")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    other = make_business(owner=make_owner(full_name="Ujang Sutisna"), name="Bengkel Ujang")
    client.force_login(user)
    return {"client": client, "owner": owner, "user": user, "mine": [first, second], "other": other}


def test_portal_shows_all_my_data_and_nothing_of_others(own) -> None:
    client, owner, other = own["client"], own["owner"], own["other"]
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200
    content = response.content.decode()
    assert format_nik(owner.nik) in content  # their own data, unmasked
    assert owner.phone in content and owner.address in content
    for business in own["mine"]:
        assert business.name in content
    assert "ID36110000123450924" in content and "Rp120.000.000" in content
    assert "Dicatat petugas" in content  # consent history
    assert other.name not in content and "Ujang" not in content
    assert "style=" not in content and "<script" not in content
    assert "no-store" in response["Cache-Control"]

    mine = own["mine"][0]
    assert client.get(reverse("privacy:my_business", args=[mine.pk])).status_code == 200
    assert client.get(reverse("privacy:my_business", args=[other.pk])).status_code == 404
    reveal = reverse("privacy:person_reveal", args=[other.pk, other.owners.get().pk])
    assert client.post(reveal).status_code == 403
    consent = reverse("privacy:consent", args=[other.owners.get().pk])
    assert client.get(consent).status_code == 403


def test_download_holds_my_data_and_is_audited(own) -> None:
    client, owner = own["client"], own["owner"]
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["owner"]["nik"] == owner.nik and data["owner"]["full_name"] == owner.full_name
    names = {b["name"] for b in data["businesses"]}
    assert names == {b.name for b in own["mine"]}
    first = next(b for b in data["businesses"] if b["name"] == "Emping Melinjo Bu Iyah")
    assert first["yearly_figures"][0]["omzet"] == 120_000_000
    assert first["permits"][0]["number"] == "ID36110000123450924"
    assert first["role"] == "pemilik"
    assert len(data["consents"]) == 1
    event = AuditEvent.objects.get(action="person.export_self")
    assert event.actor == own["user"] and event.object_id == str(owner.pk)


def test_owner_asks_for_deletion_with_confirmation(own) -> None:
    client, owner = own["client"], own["owner"]
    url = reverse("privacy:my_data")
    response = client.post(url, {"action": "request", "kind": "deletion", "details": ""})
    assert response.status_code == 400
    assert "confirm_deletion" in response.context["request_form"].errors
    response = client.post(
        url, {"action": "request", "kind": "deletion", "details": "", "confirm_deletion": "on"}
    )
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get(owner=owner)
    assert request.kind == "deletion" and request.requested_by == own["user"]
    page = client.get(url).content.decode()
    assert "Menghapus data saya" in page and "Menunggu" in page


def test_owner_withdraws_consent(own) -> None:
    client, owner = own["client"], own["owner"]
    url = reverse("privacy:my_data")
    response = client.post(url, {"action": "withdraw", "reason": "Tidak ingin ikut program"})
    assert response.status_code == 302
    assert not owner.consents.filter(withdrawn_at__isnull=True).exists()


def test_portal_is_for_owners_only(dinas_client) -> None:
    assert dinas_client.get(reverse("privacy:my_data")).status_code == 403
    assert dinas_client.get(reverse("privacy:my_data_download")).status_code == 403
    dinas_client.logout()
    response = dinas_client.get(reverse("privacy:my_data"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_owner_account_without_a_record_sees_a_notice(client) -> None:
    client.force_login(make_user(Role.OWNER))
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200
    assert "belum terhubung" in response.content.decode()
    assert client.get(reverse("privacy:my_data_download")).status_code == 404
