"""Consent: recording (with a photo of the paper form), withdrawing, and who drops out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.core.models import AuditEvent
from naikkelas.privacy import selectors, services
from naikkelas.privacy.models import Consent, ConsentMethod
from naikkelas.registry import services as registry_services
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _consent(owner: Owner, actor=None) -> Consent:
    return services.consent_record(
        actor=actor, owner=owner, method=ConsentMethod.OFFICER, given_by=owner.full_name
    )


def test_record_and_withdraw_change_who_may_be_used_for_programmes(dinas_user) -> None:
    business = make_business()
    owner = business.owners.get()
    other = make_business(name="Batik Kasemen", desa_kelurahan="36.73.02.1007")

    # an owner who never consented is not used
    assert not selectors.owner_has_active_consent(owner)
    assert business not in selectors.businesses_with_consenting_owner(Business.objects.all())

    consent = _consent(owner, dinas_user)
    _consent(other.owners.get(), dinas_user)
    assert consent.is_active and consent.recorded_by == dinas_user
    assert selectors.owner_has_active_consent(owner)
    assert set(selectors.owners_with_active_consent(Owner.objects.all())) == {
        owner,
        other.owners.get(),
    }
    assert set(selectors.businesses_with_consenting_owner(Business.objects.all())) == {
        business,
        other,
    }

    assert services.consent_withdraw(actor=dinas_user, owner=owner, reason="Tidak mau lagi") == 1
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_reason == "Tidak mau lagi"
    assert not selectors.owner_has_active_consent(owner)
    assert list(selectors.owners_with_active_consent(Owner.objects.all())) == [other.owners.get()]
    assert list(selectors.businesses_with_consenting_owner(Business.objects.all())) == [other]
    # nothing left to withdraw
    assert services.consent_withdraw(actor=dinas_user, owner=owner, reason="lagi") == 0

    actions = list(AuditEvent.objects.filter(object_id__in=[str(owner.pk), str(consent.pk)]))
    assert {"consent.record", "consent.withdraw"} <= {e.action for e in actions}
    # the consent events do not carry the person's name
    assert all(
        owner.full_name not in e.object_repr for e in actions if e.action.startswith("consent.")
    )


def test_a_co_owner_who_withdrew_takes_the_business_out(dinas_user) -> None:
    main, co = make_owner(), make_owner(full_name="Ujang")
    business = registry_services.business_register(
        actor=dinas_user,
        owner=main,
        co_owners=[co],
        data={"name": "Kerupuk Kulit", "sector": "kuliner", "desa_kelurahan": "36.73.06.1005"},
    )
    _consent(main)
    qs = Business.objects.all()
    assert list(selectors.businesses_with_consenting_owner(qs)) == [business]  # co never asked
    _consent(co)
    services.consent_withdraw(actor=dinas_user, owner=co, reason="keberatan")
    assert list(selectors.businesses_with_consenting_owner(qs)) == []


def test_withdraw_needs_a_reason(dinas_user) -> None:
    owner = make_owner()
    _consent(owner)
    with pytest.raises(ValidationError) as error:
        services.consent_withdraw(actor=dinas_user, owner=owner, reason="  ")
    assert "reason" in error.value.message_dict
    assert selectors.owner_has_active_consent(owner)


def test_paper_form_needs_its_photo_and_evidence_is_checked(dinas_user) -> None:
    owner = make_owner()
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=dinas_user, owner=owner, method=ConsentMethod.PAPER_FORM, given_by="Asep"
        )
    assert "evidence" in error.value.message_dict
    fake = SimpleUploadedFile("form.png", b"MZ not a picture", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=dinas_user,
            owner=owner,
            method=ConsentMethod.PAPER_FORM,
            given_by="Asep",
            evidence=fake,
        )
    assert "evidence" in error.value.message_dict
    consent = services.consent_record(
        actor=dinas_user,
        owner=owner,
        method=ConsentMethod.PAPER_FORM,
        given_by="Asep",
        evidence=SimpleUploadedFile("KTP Asep Saepudin.png", PNG, content_type="image/png"),
    )
    # stored under a random name, not the uploaded one (which may hold a name)
    assert consent.evidence.name.startswith("consent/") and "Asep" not in consent.evidence.name
    assert consent.evidence.name.endswith(".png")


def test_consent_page_records_with_evidence_and_rejects_bad_files(dinas_client) -> None:
    owner = make_business().owners.get()
    url = reverse("privacy:consent", args=[owner.pk])
    page = dinas_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Riwayat persetujuan" in content and owner.nik not in content  # NIK masked
    assert "style=" not in content and "<script" not in content

    too_big = SimpleUploadedFile("f.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")
    wrong = SimpleUploadedFile("f.exe", b"MZ", "application/octet-stream")
    for bad in (too_big, wrong):
        response = dinas_client.post(
            url,
            {"action": "record", "method": "paper_form", "given_by": "Asep", "evidence": bad},
        )
        assert response.status_code == 400
        assert "has-error" in response.content.decode()
    assert not Consent.objects.exists()

    pdf = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = dinas_client.post(
        url, {"action": "record", "method": "paper_form", "given_by": "Asep", "evidence": pdf}
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.evidence.name.endswith(".pdf")

    # the photo can be opened by officers, and that is recorded
    evidence = dinas_client.get(reverse("privacy:consent_evidence", args=[consent.pk]))
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="consent.evidence_view").exists()

    response = dinas_client.post(url, {"action": "withdraw", "reason": "Pindah domisili"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active


def test_consent_page_is_scoped_and_needs_the_capability(client) -> None:
    owner = make_business(desa_kelurahan="36.73.06.1005").owners.get()  # Taktakan
    url = reverse("privacy:consent", args=[owner.pk])
    enumerator = make_user(Role.ENUMERATOR)
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.02")  # Kasemen
    client.force_login(enumerator)
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.PIMPINAN))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_officer_files_a_request_for_an_owner(dinas_client) -> None:
    owner = make_business().owners.get()
    url = reverse("privacy:consent", args=[owner.pk])
    response = dinas_client.post(url, {"action": "request", "kind": "correction", "details": ""})
    assert response.status_code == 400  # a correction says what is wrong
    response = dinas_client.post(
        url, {"action": "request", "kind": "correction", "details": "Nama salah ketik"}
    )
    assert response.status_code == 302
    request = owner.data_requests.get()
    assert request.kind == "correction" and request.status == "open"
    # the same request twice while open is refused
    response = dinas_client.post(
        url, {"action": "request", "kind": "correction", "details": "lagi"}
    )
    assert response.status_code == 400
    assert owner.data_requests.count() == 1


def test_evidence_of_an_unknown_or_malformed_id_is_404(dinas_client) -> None:
    for consent_id in ("1", "00000000-0000-0000-0000-000000000000"):
        url = reverse("privacy:consent_evidence", args=[consent_id])
        assert dinas_client.get(url).status_code == 404
