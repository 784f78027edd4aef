"""The OpenRosa server as ODK Collect sees it: every rule of docs/odk-openrosa.md §1.7, the
idempotency rules of §1.5, authentication per role, and hostile input."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from naikkelas.accounts.models import Role
from naikkelas.fieldwork.census_form import CENSUS_FORM_ID
from naikkelas.fieldwork.models import (
    Attachment,
    FormVersion,
    RejectedSubmission,
    Submission,
    SubmissionStatus,
)
from naikkelas.fieldwork.openrosa import FORM_LIST_NS, RESPONSE_NS
from naikkelas.fieldwork.services.devices import device_key_create
from naikkelas.fieldwork.services.forms import census_form_publish
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def form() -> FormVersion:
    published, _new = census_form_publish(actor=None, validate=False)
    return published


@pytest.fixture
def enumerator():  # noqa: ANN201
    return make_user(Role.ENUMERATOR, "enum-odk")


@pytest.fixture
def base(enumerator) -> str:  # noqa: ANN001
    _device, key = device_key_create(actor=None, user=enumerator)
    return f"/odk/c/{key}/"


def instance_xml(
    form: FormVersion,
    *,
    instance_id: str | None = None,
    name: str = "Warung Bu Sari",
    photo: str = "",
    deprecated: str = "",
    version: str | None = None,
) -> bytes:
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    meta = f"<instanceID>{instance_id}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{deprecated}</deprecatedID>"
    return (
        f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'id="{form.form_id}" version="{version or form.version}">'
        f"<consent>ya</consent><owner><owner_name>Sari Rahayu</owner_name><nik/></owner>"
        f"<business><business_name>{name}</business_name><sector>kuliner</sector></business>"
        f"<place><photo_place>{photo}</photo_place></place>"
        f"<meta>{meta}</meta></data>"
    ).encode()


def post(
    client: Client,
    url: str,
    xml: bytes,
    files: dict[str, bytes] | None = None,
    *,
    incomplete: bool = False,
    **extra: object,
):  # noqa: ANN201
    data: dict[str, object] = {
        "xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")
    }
    for name, content in (files or {}).items():
        data[name] = SimpleUploadedFile(name, content, "image/jpeg")
    if incomplete:
        data["*isIncomplete*"] = "yes"
    return client.post(
        url + "submission?deviceID=collect:test", data, HTTP_X_OPENROSA_VERSION="1.0", **extra
    )


def message(response) -> str:  # noqa: ANN001
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{RESPONSE_NS}}}OpenRosaResponse"
    return root.find(f"{{{RESPONSE_NS}}}message").text or ""


# -- form list and download ---------------------------------------------------------------------


def test_form_list_is_what_collect_accepts(client, form, base) -> None:
    response = client.get(base + "formList?deviceID=collect:abc")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response.has_header("Date")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{FORM_LIST_NS}}}xforms"
    (xform,) = root
    fields = {child.tag.split("}")[1]: child.text for child in xform}
    assert fields["formID"] == CENSUS_FORM_ID
    assert fields["version"] == form.version
    assert fields["name"].startswith("Pendataan UMKM")
    assert fields["downloadUrl"].startswith("http://testserver" + base)
    # the hash is the MD5 of the exact bytes served at downloadUrl (Collect's form identity)
    download = client.get(fields["downloadUrl"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert download["X-OpenRosa-Version"] == "1.0"
    assert fields["hash"] == "md5:" + hashlib.md5(download.content).hexdigest()  # noqa: S324


def test_form_list_filters_by_form_id(client, form, base) -> None:
    root = ElementTree.fromstring(client.get(base + "formList?formID=tidak_ada").content)
    assert list(root) == []
    root = ElementTree.fromstring(client.get(base + f"formList?formID={CENSUS_FORM_ID}").content)
    assert len(root) == 1


def test_unknown_form_download_is_404_with_a_message(client, form, base) -> None:
    response = client.get(base + "forms/tidak_ada/form.xml")
    assert response.status_code == 404
    assert response["X-OpenRosa-Version"] == "1.0"


# -- authentication ---------------------------------------------------------------------------


def test_without_credentials_every_endpoint_challenges(client, form) -> None:
    for url in ("/odk/formList", "/odk/submission", f"/odk/forms/{CENSUS_FORM_ID}/form.xml"):
        response = client.get(url, secure=True)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith('Basic realm="naikkelas"')
        assert response["X-OpenRosa-Version"] == "1.0"


def test_a_wrong_or_revoked_key_is_challenged(client, form, enumerator) -> None:
    _device, old = device_key_create(actor=None, user=enumerator)
    _device, new = device_key_create(actor=None, user=enumerator)
    assert client.get(f"/odk/c/{new}/formList").status_code == 200
    assert client.get(f"/odk/c/{old}/formList").status_code == 401  # revoked by the new one
    assert client.get("/odk/c/bukan-kunci/formList").status_code == 401
    enumerator.is_active = False
    enumerator.save()
    assert client.get(f"/odk/c/{new}/formList").status_code == 401


def basic(username: str, password: str = "Rahasia-123!") -> str:  # noqa: S107 (a test user)
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_auth_works_over_https_only(client, form, enumerator) -> None:
    auth = basic(enumerator.username)
    assert client.get("/odk/formList", HTTP_AUTHORIZATION=auth, secure=True).status_code == 200
    # over plain HTTP Collect never sends Basic; the server does not take it either
    assert client.get("/odk/formList", HTTP_AUTHORIZATION=auth).status_code == 401
    wrong = basic(enumerator.username, "salah-sekali")
    assert client.get("/odk/formList", HTTP_AUTHORIZATION=wrong, secure=True).status_code == 401
    garbage = "Basic %%%"
    assert client.get("/odk/formList", HTTP_AUTHORIZATION=garbage, secure=True).status_code == 401


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, True),
        (Role.DINAS, True),
        (Role.HIPMIKINDO, True),
        (Role.ENUMERATOR, True),
        (Role.PIMPINAN, False),
        (Role.OWNER, False),
    ],
)
def test_only_roles_that_collect_data_may_submit(client, form, role, allowed) -> None:
    user = make_user(role, f"odk-{role}")
    _device, key = device_key_create(actor=None, user=user)
    status = client.get(f"/odk/c/{key}/formList").status_code
    assert status == (200 if allowed else 401)
    # a browser session is no way in
    client.force_login(user)
    assert client.get("/odk/formList").status_code == 401


# -- submission -----------------------------------------------------------------------------


def test_head_submission_is_204_with_the_size_limit_and_no_body(client, form, base) -> None:
    response = client.head(base + "submission?deviceID=collect:abc")
    assert response.status_code == 204
    assert response.content == b""
    assert int(response["X-OpenRosa-Accept-Content-Length"]) > 1_000_000
    assert response["X-OpenRosa-Version"] == "1.0"


def test_first_post_201_exact_repeat_202_and_one_row(client, form, base, enumerator) -> None:
    xml = instance_xml(form)
    first = post(client, base, xml)
    assert first.status_code == 201
    assert first["X-OpenRosa-Accept-Content-Length"]
    assert "diterima" in message(first).lower()
    again = post(client, base, xml)
    assert again.status_code == 202
    submission = Submission.objects.get()
    assert submission.xml.encode() == xml  # verbatim
    assert submission.posts == 2
    assert submission.submitted_by == enumerator
    assert submission.device_id == "collect:test"
    assert submission.status == SubmissionStatus.COMPLETE
    assert submission.form_version == form


def test_same_instance_with_other_xml_is_409_and_kept(client, form, base) -> None:
    instance_id = f"uuid:{uuid.uuid4()}"
    assert post(client, base, instance_xml(form, instance_id=instance_id)).status_code == 201
    other = instance_xml(form, instance_id=instance_id, name="Warung Lain")
    response = post(client, base, other)
    assert response.status_code == 409
    assert Submission.objects.count() == 1
    rejected = RejectedSubmission.objects.get()
    assert rejected.reason == "conflict"
    assert bytes(rejected.body) == other
    assert rejected.instance_id == instance_id


def test_split_submission_is_assembled(client, form, base) -> None:
    """Collect splits a big submission: each POST repeats the XML with some files."""
    xml = instance_xml(form, photo="1764339758722.jpg")
    part = post(client, base, xml, incomplete=True)
    assert part.status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.RECEIVED
    last = post(client, base, xml, {"1764339758722.jpg": JPEG})
    assert last.status_code == 201
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.COMPLETE
    (attachment,) = submission.files.all()
    assert attachment.name == "1764339758722.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert attachment.file.read() == JPEG
    # the whole thing re-sent (Collect retries from the start): nothing new
    assert post(client, base, xml, {"1764339758722.jpg": JPEG}).status_code == 202
    assert Attachment.objects.count() == 1


def test_files_the_form_does_not_name_or_that_are_no_photos_are_kept_aside(
    client, form, base
) -> None:
    xml = instance_xml(form, photo="toko.jpg")
    response = post(client, base, xml, {"toko.jpg": b"MZ\x90\x00 not a photo", "lain.png": PNG})
    assert response.status_code == 201
    assert Attachment.objects.count() == 0
    reasons = sorted(r.detail for r in RejectedSubmission.objects.all())
    assert len(reasons) == 2
    assert any("bukan foto" in r for r in reasons)
    assert any("tidak disebut" in r for r in reasons)


def test_an_edit_supersedes_the_earlier_submission(client, form, base) -> None:
    original = f"uuid:{uuid.uuid4()}"
    assert post(client, base, instance_xml(form, instance_id=original)).status_code == 201
    edit = instance_xml(form, name="Warung Bu Sari Baru", deprecated=original)
    assert post(client, base, edit).status_code == 201
    earlier = Submission.objects.get(instance_id=original)
    assert earlier.status == SubmissionStatus.SUPERSEDED
    assert earlier.superseded_by.xml.encode() == edit


def test_an_older_version_of_the_form_is_still_accepted(client, form, base) -> None:
    old_xml = instance_xml(form)
    FormVersion.objects.filter(pk=form.pk).update(is_current=False)
    FormVersion.objects.create(
        form_id=form.form_id, version="9999999999", title="baru", xml="<x/>", md5="0" * 32
    )
    assert post(client, base, old_xml).status_code == 201
    assert Submission.objects.get().form_version == form


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"<data id='pendataan_umkm'><meta><instanceID>", 400, "malformed"),
        (b"\xff\xfe<\x00d\x00", 400, "malformed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><data id="x">&lol2;</data>',
            400,
            "malformed",
        ),
        (b"<data><meta><instanceID>uuid:1</instanceID></meta></data>", 400, "unknown_form"),
        (b'<data id="pendataan_umkm" version="1"><meta/></data>', 400, "no_instance_id"),
        (
            b'<data id="formulir_lain" version="1"><meta><instanceID>uuid:1</instanceID>'
            b"</meta></data>",
            404,
            "unknown_form",
        ),
    ],
)
def test_bad_xml_gets_a_clear_4xx_and_is_kept(client, form, base, body, status, reason) -> None:
    response = post(client, base, body)
    assert response.status_code == status
    assert response["X-OpenRosa-Version"] == "1.0"
    assert message(response)
    rejected = RejectedSubmission.objects.get()
    assert rejected.reason == reason
    assert bytes(rejected.body) == body
    assert Submission.objects.count() == 0


def test_a_post_without_the_xml_part_or_with_get_is_refused_cleanly(client, form, base) -> None:
    response = client.post(base + "submission", {"foto.jpg": SimpleUploadedFile("f", JPEG)})
    assert response.status_code == 400
    assert message(response)
    assert client.get(base + "submission").status_code == 405


def test_an_oversized_file_refuses_the_whole_post(client, form, base, settings) -> None:
    from naikkelas.fieldwork.services import submissions

    xml = instance_xml(form, photo="besar.jpg")
    big = JPEG + b"\x00" * (submissions.MAX_FILE_BYTES + 1)
    response = post(client, base, xml, {"besar.jpg": big})
    assert response.status_code == 413
    assert Submission.objects.count() == 0
    assert RejectedSubmission.objects.get().reason == "attachment"


def test_a_full_collect_post_of_101_files_is_taken(client, form, base) -> None:
    """Collect puts up to 100 attachments (plus the XML) in one POST (§1.7); Django's default
    cap of 100 files would refuse it with an HTML 400."""
    xml = instance_xml(form, photo="0.jpg")
    files = {f"{n}.jpg": JPEG for n in range(101)}
    response = post(client, base, xml, files)
    assert response.status_code == 201
    assert Attachment.objects.get().name == "0.jpg"  # the one the XML names
    assert RejectedSubmission.objects.filter(reason="attachment").count() == 100


def test_a_broken_multipart_body_is_a_400_not_a_500(client, form, base) -> None:
    response = client.generic(
        "POST",
        base + "submission",
        b'--xyz\r\nContent-Disposition: form-data; name="xml_submission_file"; filename=',
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 400
    assert response["X-OpenRosa-Version"] == "1.0"
    bad_boundary = client.generic(
        "POST", base + "submission", b"garbage", content_type="multipart/form-data"
    )
    assert bad_boundary.status_code == 400
