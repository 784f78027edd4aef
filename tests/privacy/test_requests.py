"""Data-subject requests: deadline, correction, deletion (anonymisation), the officers' queue."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.audit import mask_name
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.privacy import selectors, services
from naikkelas.privacy.models import Consent, ConsentMethod, DataSubjectRequest
from naikkelas.registry import services as registry_services
from naikkelas.registry.models import Business, Owner, YearlyFigure
from naikkelas.registry.selectors import register_summary
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_request_is_due_in_three_times_24_hours(dinas_user) -> None:
    owner = make_owner()
    before = timezone.now()
    request = services.dsr_create(actor=dinas_user, owner=owner, kind="access")
    after = timezone.now()
    assert before + timedelta(hours=72) <= request.due_at <= after + timedelta(hours=72)
    assert request.status == "open" and request.requested_by == dinas_user
    event = AuditEvent.objects.get(action="dsr.create")
    assert event.object_id == str(request.pk) and event.extra["kind"] == "access"


def test_access_done_and_reject_needs_a_reason(dinas_user) -> None:
    owner = make_owner()
    access = services.dsr_create(actor=dinas_user, owner=owner, kind="access")
    done = services.dsr_process(actor=dinas_user, request=access, decision="done", resolution="")
    assert done.status == "done" and "Data saya" in done.resolution
    assert done.handled_by == dinas_user and done.handled_at is not None

    deletion = services.dsr_create(actor=dinas_user, owner=owner, kind="deletion")
    with pytest.raises(ValidationError) as error:
        services.dsr_process(actor=dinas_user, request=deletion, decision="rejected", resolution="")
    assert "resolution" in error.value.message_dict
    rejected = services.dsr_process(
        actor=dinas_user,
        request=deletion,
        decision="rejected",
        resolution="Masih ada pinjaman bergulir yang berjalan.",
    )
    assert rejected.status == "rejected"
    assert Owner.objects.get(pk=owner.pk).anonymised_at is None


def test_processing_twice_fails(dinas_user) -> None:
    request = services.dsr_create(actor=dinas_user, owner=make_owner(), kind="access")
    services.dsr_process(actor=dinas_user, request=request, decision="done", resolution="ok")
    with pytest.raises(ApplicationError):
        services.dsr_process(actor=dinas_user, request=request, decision="done", resolution="x")
    with pytest.raises(ApplicationError):
        services.dsr_process(actor=dinas_user, request=request, decision="rejected", resolution="x")
    assert AuditEvent.objects.filter(action="dsr.process").count() == 1


def test_correction_is_applied_and_audited(dinas_user) -> None:
    owner = make_owner(full_name="Asep Saepudn")
    request = services.dsr_create(
        actor=dinas_user, owner=owner, kind="correction", details="Nama kurang huruf i"
    )
    with pytest.raises(ValidationError) as error:
        services.dsr_process(
            actor=dinas_user,
            request=request,
            decision="done",
            resolution="",
            corrections={"nik": "3.67301E+15"},
        )
    assert "nik" in error.value.message_dict
    assert DataSubjectRequest.objects.get(pk=request.pk).status == "open"

    services.dsr_process(
        actor=dinas_user,
        request=request,
        decision="done",
        resolution="",
        corrections={"full_name": "Asep Saepudin", "phone": "0812 0000 7777"},
    )
    owner.refresh_from_db()
    assert owner.full_name == "Asep Saepudin" and owner.phone == "+6281200007777"
    update = AuditEvent.objects.get(action="owner.update", object_id=str(owner.pk))
    # names are masked in the append-only log (it must not outlive a deletion in clear)
    assert update.changes["full_name"] == [mask_name("Asep Saepudn"), mask_name("Asep Saepudin")]
    assert "7777" in update.changes["phone"][1] and "+6281200007777" not in str(update.changes)
    process = AuditEvent.objects.get(action="dsr.process")
    assert process.extra["fields"] == "full_name,phone"


def test_deletion_anonymises_but_keeps_businesses_figures_and_the_audit_trail(
    dinas_user,
) -> None:
    owner = make_owner(full_name="Hj. Iyah Rohayati", email="iyah@example.org")
    nik = owner.nik
    business = registry_services.business_register(
        actor=dinas_user,
        owner=owner,
        data={
            "name": "Emping Melinjo Bu Iyah",
            "sector": "kuliner",
            "desa_kelurahan": "36.73.06.1005",
            "phone": "0812 0000 4321",
            "email": "emping@example.org",
            "npwp": nik,
        },
    )
    registry_services.yearly_figure_set(
        actor=dinas_user, business=business, year=2024, omzet=150_000_000, modal=None, workers=3
    )
    services.consent_record(
        actor=dinas_user,
        owner=owner,
        method=ConsentMethod.PAPER_FORM,
        given_by="Hj. Iyah Rohayati",
        evidence=SimpleUploadedFile("f.jpg", b"\xff\xd8\xff\xe0 jpeg", "image/jpeg"),
    )
    evidence_path = Consent.objects.get().evidence.path
    token = services.owner_account_invite(actor=dinas_user, owner=owner)
    assert token
    owner.refresh_from_db()
    account = owner.user
    services.person_reveal(actor=dinas_user, owner=owner, business=business)
    summary_before = register_summary()

    request = services.dsr_create(
        actor=account, owner=owner, kind="deletion", details=f"Hapus data saya, NIK {nik}"
    )
    access = services.dsr_create(actor=account, owner=owner, kind="access")
    services.dsr_process(actor=dinas_user, request=request, decision="done", resolution="")
    # nothing is left for the owner's other open request to act on
    assert DataSubjectRequest.objects.get(pk=access.pk).status == "done"

    owner = Owner.objects.get(pk=owner.pk)
    assert owner.anonymised_at is not None
    assert owner.full_name == services.ANONYMISED_NAME
    assert owner.nik is None and owner.phone == "" and owner.email == ""
    assert owner.address == "" and owner.birth_date is None and owner.data_warnings == []
    assert not Owner.objects.filter(nik=nik).exists()
    assert not Owner.objects.filter(name_key__contains="iyah").exists()
    # the account is switched off
    account.refresh_from_db()
    assert not account.is_active
    # consents withdrawn, the signed form's photo gone
    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None and not consent.evidence
    assert consent.given_by == services.REDACTED
    assert not os.path.exists(evidence_path)
    # businesses and figures stay (statistics), the owner's contact data on them goes
    business = Business.objects.get(pk=business.pk)
    assert business.name == "Emping Melinjo Bu Iyah"
    assert business.phone == "" and business.email == "" and business.npwp == ""
    assert business.owners.get() == owner
    assert YearlyFigure.objects.filter(business=business, omzet=150_000_000).exists()
    summary_after = register_summary()
    assert summary_after.total == summary_before.total
    assert summary_after.by_class == summary_before.by_class
    # what the owner wrote (with the NIK) is gone too
    assert DataSubjectRequest.objects.get(pk=request.pk).details == services.REDACTED
    # the audit trail remains, but nowhere holds the deleted NIK
    assert AuditEvent.objects.filter(action="owner.create", object_id=str(owner.pk)).exists()
    event = AuditEvent.objects.get(action="owner.anonymise")
    assert set(event.changes) >= {"full_name", "nik", "phone", "email", "address", "birth_date"}
    for audit in AuditEvent.objects.all():
        stored = json.dumps(audit.changes) + json.dumps(audit.extra) + audit.object_repr
        assert nik not in stored, audit.action
    # deleting twice is refused, as is processing twice
    with pytest.raises(ApplicationError):
        services.owner_anonymise(actor=dinas_user, owner=owner)
    with pytest.raises(ApplicationError):
        services.dsr_process(actor=dinas_user, request=request, decision="done", resolution="")
    # and the person no longer counts as consenting anywhere
    assert not selectors.owner_has_active_consent(owner)


def test_deletion_also_clears_duplicates_merged_into_the_owner(dinas_user) -> None:
    owner = make_owner()
    duplicate = make_owner(full_name="Asep S.")
    Owner.objects.filter(pk=duplicate.pk).update(merged_into=owner)
    services.owner_anonymise(actor=dinas_user, owner=owner)
    duplicate.refresh_from_db()
    assert duplicate.anonymised_at is not None and duplicate.nik is None


def test_queue_lists_open_requests_first_with_overdue_tag(dinas_client, dinas_user) -> None:
    late_owner = make_business(name="Usaha Terlambat").owners.get()
    soon_owner = make_business(name="Usaha Baru").owners.get()
    done_owner = make_business(name="Usaha Selesai").owners.get()
    late = services.dsr_create(actor=dinas_user, owner=late_owner, kind="access")
    soon = services.dsr_create(actor=dinas_user, owner=soon_owner, kind="deletion")
    done = services.dsr_create(actor=dinas_user, owner=done_owner, kind="access")
    services.dsr_process(actor=dinas_user, request=done, decision="done", resolution="")
    DataSubjectRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    response = dinas_client.get(reverse("privacy:request_list"))
    assert response.status_code == 200
    open_requests = list(response.context["open_requests"])
    assert open_requests == [DataSubjectRequest.objects.get(pk=late.pk), soon]
    assert [r.is_overdue for r in open_requests] == [1, 0]
    content = response.content.decode()
    assert content.count('class="tag warn" data-testid="overdue"') == 1
    assert "lewat batas waktu" in content
    assert reverse("privacy:request_detail", args=[late.pk]) in content
    assert list(response.context["processed_requests"]) == [done]


def test_queue_is_for_dinas_and_admin_only(client) -> None:
    for role in (Role.HIPMIKINDO, Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER):
        client.force_login(make_user(role))
        assert client.get(reverse("privacy:request_list")).status_code == 403
    client.force_login(make_user(Role.ADMIN))
    assert client.get(reverse("privacy:request_list")).status_code == 200


def test_request_page_shows_full_data_audited_and_processes_a_correction(
    dinas_client, dinas_user
) -> None:
    owner = make_business().owners.get()
    request = services.dsr_create(
        actor=dinas_user, owner=owner, kind="correction", details="Nomor HP sudah ganti"
    )
    url = reverse("privacy:request_detail", args=[request.pk])
    page = dinas_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert owner.phone in content and "Nomor HP sudah ganti" in content
    assert "style=" not in content and "<script" not in content
    assert AuditEvent.objects.filter(action="person.view_full", object_id=str(owner.pk)).exists()

    form = {
        "decision": "done",
        "resolution": "",
        "fix-full_name": owner.full_name,
        "fix-nik": owner.nik,
        "fix-phone": "0812",  # too short
        "fix-email": "",
        "fix-address": owner.address,
        "fix-birth_date": owner.birth_date.isoformat(),
    }
    response = dinas_client.post(url, form)
    assert response.status_code == 400
    correction_form = response.context["correction_form"]
    assert "phone" in correction_form.errors
    assert DataSubjectRequest.objects.get(pk=request.pk).status == "open"

    response = dinas_client.post(url, {**form, "fix-phone": "0857 0000 1234"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.phone == "+6285700001234"
    # only the changed field went to owner_update
    update = AuditEvent.objects.get(action="owner.update")
    assert set(update.changes) == {"phone"}
    assert DataSubjectRequest.objects.get(pk=request.pk).status == "done"
    # a processed request cannot be processed again through the page either
    again = dinas_client.post(url, {**form, "decision": "rejected", "resolution": "x"})
    assert again.status_code == 302
    assert DataSubjectRequest.objects.get(pk=request.pk).status == "done"


def test_deletion_on_the_page_needs_confirmation(dinas_client, dinas_user) -> None:
    owner = make_business().owners.get()
    request = services.dsr_create(actor=dinas_user, owner=owner, kind="deletion")
    url = reverse("privacy:request_detail", args=[request.pk])
    response = dinas_client.post(url, {"decision": "done", "resolution": ""})
    assert response.status_code == 400
    assert Owner.objects.get(pk=owner.pk).anonymised_at is None
    response = dinas_client.post(
        url, {"decision": "done", "resolution": "", "confirm_deletion": "on"}
    )
    assert response.status_code == 302
    assert Owner.objects.get(pk=owner.pk).anonymised_at is not None


def test_request_of_an_unknown_id_is_404(dinas_client) -> None:
    url = reverse("privacy:request_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert dinas_client.get(url).status_code == 404
