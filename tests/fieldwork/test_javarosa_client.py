"""End to end with ODK Collect's own form engine: JavaRosa (inside the ODK Validate jar that
pyxform ships, docs/odk-openrosa.md §4.2) fills the census form the server publishes, and a
Collect-like HTTP client (formList -> download -> HEAD -> POST, as Collect's
``OpenRosaServerInstanceUploader``) sends it to the live server."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from defusedxml import ElementTree
from django.test import Client

from naikkelas.accounts.models import Role
from naikkelas.fieldwork.models import Attachment, Submission, SubmissionStatus
from naikkelas.fieldwork.openrosa import FORM_LIST_NS
from naikkelas.fieldwork.services.devices import device_key_create
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.fieldwork.services.register import submissions_to_register
from tests.conftest import load_reference_data, make_user

HARNESS = Path(__file__).parent / "javarosa" / "FillForm.java"
JAR = (
    Path(str(importlib.resources.files("pyxform") / "validators" / "odk_validate" / "bin"))
    / "ODK_Validate.jar"
)
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8

NEEDS_JDK = pytest.mark.skipif(
    shutil.which("javac") is None and not os.environ.get("NAIKKELAS_REQUIRE_JAVA"),
    reason="the JavaRosa harness needs a JDK (CI installs it: NAIKKELAS_REQUIRE_JAVA=1)",
)
pytestmark = NEEDS_JDK

ANSWERS = {
    "consent": "ya",
    "owner_name": "Hj. Sari Rahayu",
    "nik": "3673054508909123",
    "sex": "P",
    "birth_date": "1990-08-05",
    "phone": "081200001234",
    "business_name": "Warung Nasi Bu Sari",
    "sector": "kuliner",
    "products": "nasi uduk, gorengan",
    "omzet_month": "4500000",
    "workers": "2",
    "permits": "nib pirt",
    "nib": "9120000001234",
    "kecamatan": "36.73.01",
    "desa_kelurahan": "36.73.01.1002",
    "address": "Kp. Cipare RT 02 RW 03",
    "rt": "2",
    "rw": "3",
    "coordinates": "-6.1200 106.1500 30 5",
    "photo_place": "1764339758722.jpg",
}


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("javarosa")
    subprocess.run(  # noqa: S603
        ["javac", "-d", str(out), "-cp", str(JAR), str(HARNESS)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return out


def fill(
    harness: Path, form_xml: bytes, answers: dict[str, str], tmp_path: Path
) -> tuple[int, bytes, str]:
    form = tmp_path / "form.xml"
    form.write_bytes(form_xml)
    props = tmp_path / "answers.properties"
    props.write_text("".join(f"{k}={v}\n" for k, v in answers.items()), encoding="utf-8")
    done = subprocess.run(  # noqa: S603
        ["java", "-cp", f"{JAR}{os.pathsep}{harness}", "FillForm", str(form), str(props)],  # noqa: S607
        capture_output=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr.decode()


@pytest.fixture
def collect(live_server):  # noqa: ANN001, ANN201 (a generator fixture)
    """A phone set up with an enumerator's server URL (the device key)."""
    load_reference_data()
    census_form_publish(actor=None, validate=True)
    user = make_user(Role.ENUMERATOR, "enum-javarosa")
    _device, key = device_key_create(actor=None, user=user)
    session = requests.Session()
    session.headers.update({"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android"})
    yield session, f"{live_server.url}/odk/c/{key}"
    # close the kept-alive connection: a live-server thread left holding it outlives the test
    session.close()


def download_form(session: requests.Session, server: str) -> bytes:
    listing = session.get(f"{server}/formList", params={"deviceID": "collect:jr"})
    assert listing.status_code == 200 and "text/xml" in listing.headers["Content-Type"]
    (xform,) = ElementTree.fromstring(listing.content)
    fields = {child.tag.split("}")[1]: child.text for child in xform}
    assert xform.tag == f"{{{FORM_LIST_NS}}}xform"
    form = session.get(fields["downloadUrl"], params={"deviceID": "collect:jr"})
    assert form.status_code == 200
    assert fields["hash"] == "md5:" + hashlib.md5(form.content).hexdigest()  # noqa: S324
    return form.content


def send(session: requests.Session, server: str, xml: bytes, photo: bytes | None) -> int:
    head = session.head(f"{server}/submission", params={"deviceID": "collect:jr"})
    assert head.status_code == 204
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) > 0
    files = [("xml_submission_file", ("instance.xml", xml, "text/xml"))]
    if photo is not None:
        files.append(("1764339758722.jpg", ("1764339758722.jpg", photo, "image/jpeg")))
    response = session.post(f"{server}/submission", params={"deviceID": "collect:jr"}, files=files)
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    return response.status_code


@pytest.mark.django_db(transaction=True)
def test_a_form_filled_by_javarosa_is_received_once(collect, harness, tmp_path) -> None:
    session, server = collect
    form_xml = download_form(session, server)
    status, xml, errors = fill(harness, form_xml, ANSWERS, tmp_path)
    assert status == 0, errors
    assert send(session, server, xml, JPEG) == 201
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.COMPLETE
    assert submission.instance_id.startswith("uuid:")
    assert submission.xml.encode() == xml
    values = {k.rsplit("/", 1)[-1]: v for k, v in _leaves(xml).items()}
    assert values["nik"] == ANSWERS["nik"]
    assert values["desa_kelurahan"] == "36.73.01.1002"
    assert values["permits"] == "nib pirt"
    assert Attachment.objects.get().sha256 == hashlib.sha256(JPEG).hexdigest()
    # Collect re-sends after a timeout: nothing changes
    assert send(session, server, xml, JPEG) == 202
    assert Submission.objects.count() == 1 and Attachment.objects.count() == 1

    # the worker's job: through the intake pipeline into the register, seen in the browser
    assert submissions_to_register() == 1
    business_id = Submission.objects.get().import_row.business_id
    officer = Client()
    officer.force_login(make_user(Role.DINAS, "dinas-javarosa"))
    page = officer.get(f"/usaha/{business_id}/")
    assert page.status_code == 200
    assert "Warung Nasi Bu Sari" in page.content.decode()
    assert Attachment.objects.get().business_id == business_id


def _leaves(xml: bytes) -> dict[str, str]:
    from naikkelas.fieldwork.openrosa import parse_instance

    return parse_instance(xml).values


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"nik": "36730545089"}, "CONSTRAINT nik"),
        ({"phone": "021-555-1234"}, "CONSTRAINT phone"),
        ({"nib": "12345"}, "CONSTRAINT nib"),
        ({"workers": "-1"}, "CONSTRAINT workers"),
        ({"business_name": ""}, "REQUIRED business_name"),
        # the kelurahan list follows the kecamatan chosen (cascading select)
        ({"desa_kelurahan": "36.73.02.1001"}, "NO_CHOICE desa_kelurahan"),
    ],
)
def test_the_form_refuses_what_collect_would_refuse(
    collect, harness, tmp_path, change, refusal
) -> None:
    session, server = collect
    status, _xml, errors = fill(
        harness, download_form(session, server), {**ANSWERS, **change}, tmp_path
    )
    assert status != 0
    assert refusal in errors


@pytest.mark.django_db(transaction=True)
def test_without_consent_nothing_personal_is_asked(collect, harness, tmp_path) -> None:
    session, server = collect
    status, xml, errors = fill(
        harness, download_form(session, server), {**ANSWERS, "consent": "tidak"}, tmp_path
    )
    assert status == 0, errors
    values = {k.rsplit("/", 1)[-1]: v for k, v in _leaves(xml).items()}
    assert values["consent"] == "tidak"
    assert values.get("nik", "") == "" and values.get("owner_name", "") == ""
