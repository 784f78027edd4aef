"""Submissions into the register through the intake pipeline: promoted or linked like a
spreadsheet row, quarantined with reasons when wrong, photos on the business."""

from __future__ import annotations

import uuid

import pytest

from naikkelas.accounts.models import Role
from naikkelas.fieldwork.models import Attachment, Submission, SubmissionStatus
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.fieldwork.services.register import (
    ODK_COLUMNS,
    submission_row,
    submissions_to_register,
)
from naikkelas.fieldwork.services.submissions import submission_receive
from naikkelas.intake.models import ImportBatch, RowStatus
from naikkelas.registry.models import Business, Source
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 300
NIK = "3673054508909321"


class Part:
    def __init__(self, data: bytes) -> None:
        self.data, self.size, self.name = data, len(data), "part"

    def read(self, size: int = -1) -> bytes:
        return self.data


@pytest.fixture
def form():  # noqa: ANN201
    return census_form_publish(actor=None, validate=False)[0]


@pytest.fixture
def enumerator():  # noqa: ANN201
    return make_user(Role.ENUMERATOR, "enum-register")


def census_xml(
    form,
    *,
    consent: str = "ya",
    nik: str = NIK,
    name: str = "Warung Nasi Bu Sari",
    photo: str = "foto1.jpg",
    instance_id: str | None = None,
) -> bytes:  # noqa: ANN001
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    return (
        f'<data id="{form.form_id}" version="{form.version}">'
        f"<start>2026-11-29T08:00:00.000+07:00</start><end>2026-11-29T08:10:00.000+07:00</end>"
        f"<consent>{consent}</consent>"
        f"<owner><owner_name>Hj. Sari Rahayu</owner_name><nik>{nik}</nik><sex>P</sex>"
        f"<birth_date>1990-08-05</birth_date><phone>081200001234</phone></owner>"
        f"<business><business_name>{name}</business_name><sector>kuliner</sector>"
        f"<products>nasi uduk</products><omzet_month>4500000</omzet_month><workers>2</workers>"
        f"<permits>pirt halal</permits><nib/></business>"
        f"<place><kecamatan>36.73.01</kecamatan><desa_kelurahan>36.73.01.1002</desa_kelurahan>"
        f"<address>Kp. Cipare RT 02 RW 03</address><rt>2</rt><rw>3</rw>"
        f"<coordinates>-6.12 106.15 30 5</coordinates><photo_place>{photo}</photo_place>"
        f"<photo_product/><notes/></place>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def test_a_submission_row_has_the_intake_columns() -> None:
    values = {
        "consent": "ya",
        "owner_name": "Sari",
        "permits": "nib halal",
        "nib": "9120000001234",
        "coordinates": "-6.12 106.15 30 5",
        "meta/instanceID": "uuid:x",
        "end": "2026-11-29T08:10:00+07:00",
    }
    row = dict(zip(ODK_COLUMNS, submission_row(values), strict=True))
    assert row["owner_name"] == "Sari"
    assert row["halal"] == "ya" and row["pirt"] is None
    assert row["nib"] == "9120000001234"
    assert row["source_uuid"] == "uuid:x"
    assert submission_row({**values, "consent": "tidak"}) is None
    # a NIB typed while "NIB" was ticked, then unticked: not taken
    assert (
        dict(zip(ODK_COLUMNS, submission_row({**values, "permits": "halal"}), strict=True))["nib"]
        is None
    )


def test_a_submission_becomes_a_business_with_its_photo(form, enumerator) -> None:
    receipt = submission_receive(
        user=enumerator, xml=census_xml(form), files=[("foto1.jpg", Part(JPEG))]
    )
    assert receipt.status == 201
    assert submissions_to_register() == 1
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.PROCESSED
    row = submission.import_row
    assert row.status == RowStatus.PROMOTED
    business = Business.objects.get(pk=row.business_id)
    assert business.source == Source.ODK
    assert business.desa_kelurahan_id == "36.73.01.1002"
    assert business.sector_id == "kuliner"
    owner = business.owners.get()
    assert owner.nik == NIK and owner.full_name.endswith("Sari Rahayu")
    assert {p.kind for p in business.permits.all()} == {"HALAL", "SPP_IRT"}
    assert Attachment.objects.get().business == business
    batch = ImportBatch.objects.get()
    assert batch.source.startswith(f"odk-{form.form_id}-") and batch.file_format == "odk"
    # nothing left to do: a second run changes nothing
    assert submissions_to_register() == 0
    assert Business.objects.count() == 1


def test_a_submission_of_a_registered_business_is_linked_not_doubled(form, enumerator) -> None:
    owner = make_owner(full_name="Sari Rahayu", nik=NIK, sex="P")
    existing = make_business(
        owner=owner, name="Warung Nasi Bu Sari", desa_kelurahan="36.73.01.1002"
    )
    submission_receive(user=enumerator, xml=census_xml(form))
    submissions_to_register()
    row = Submission.objects.get().import_row
    assert row.status == RowStatus.LINKED
    assert row.business_id == existing.pk
    assert Business.objects.count() == 1


def test_a_wrong_nik_goes_to_the_quarantine_with_its_reason(form, enumerator) -> None:
    bad = "9999999999999999"
    submission_receive(user=enumerator, xml=census_xml(form, nik=bad))
    assert submissions_to_register() == 0
    submission = Submission.objects.get()
    row = submission.import_row
    assert row.status == RowStatus.QUARANTINED
    assert any(issue["field"] == "nik" for issue in row.issues)
    assert submission.status == SubmissionStatus.COMPLETE  # waits for the officer's fix
    assert Business.objects.count() == 0


def test_without_consent_nothing_is_registered(form, enumerator) -> None:
    submission_receive(user=enumerator, xml=census_xml(form, consent="tidak"))
    submissions_to_register()
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.import_row is None
    assert Business.objects.count() == 0


def test_resent_and_split_posts_make_one_row(form, enumerator) -> None:
    xml = census_xml(form)
    submission_receive(user=enumerator, xml=xml, incomplete=True)
    assert submissions_to_register() == 0  # not complete yet: not staged
    assert not ImportBatch.objects.exists()
    submission_receive(user=enumerator, xml=xml, files=[("foto1.jpg", Part(JPEG))])
    submission_receive(user=enumerator, xml=xml, files=[("foto1.jpg", Part(JPEG))])
    submissions_to_register()
    assert ImportBatch.objects.get().rows.count() == 1
    assert Business.objects.count() == 1


def test_the_worker_takes_submissions_into_the_register(
    client, form, enumerator, settings, django_capture_on_commit_callbacks
) -> None:
    """With the task backend running jobs at once, a POST ends in the register."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks import task_backends

    from naikkelas.fieldwork.services.devices import device_key_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    _device, key = device_key_create(actor=None, user=enumerator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/odk/c/{key}/submission",
            {"xml_submission_file": SimpleUploadedFile("i.xml", census_xml(form), "text/xml")},
        )
    assert response.status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.PROCESSED
    assert Business.objects.filter(source=Source.ODK).count() == 1


def test_erasing_the_owner_blanks_their_submissions_and_registrations(form, enumerator) -> None:
    from naikkelas.fieldwork.models import SelfRegistration
    from naikkelas.fieldwork.services.privacy import ERASED_XML
    from naikkelas.privacy.services import owner_anonymise

    submission_receive(user=enumerator, xml=census_xml(form))
    submissions_to_register()
    submission = Submission.objects.get()
    owner = Business.objects.get(pk=submission.import_row.business_id).owners.get()
    SelfRegistration.objects.create(
        tracking_code="DTEST-0001",
        data={"nik": NIK, "owner_name": "Sari"},
        consent_text="x",
        client_hash="h",
    )
    other = SelfRegistration.objects.create(
        tracking_code="DTEST-0002",
        data={"nik": "3673011111909999"},
        consent_text="x",
        client_hash="h",
    )
    owner_anonymise(actor=enumerator, owner=owner)
    submission.refresh_from_db()
    assert submission.xml == ERASED_XML and NIK not in submission.xml
    assert SelfRegistration.objects.get(tracking_code="DTEST-0001").data == {}
    other.refresh_from_db()
    assert other.data  # someone else's stays
    # pages that read submissions still work
    Submission.objects.filter(pk=submission.pk).update(latitude=-6.12, longitude=106.15)
    from django.test import Client

    officer = Client()
    officer.force_login(make_user(Role.DINAS, "dinas-erased"))
    assert officer.get("/lapangan/peta/").status_code == 200
