"""A full disk: the write is refused with 507 and a message each client understands; what was
being written is not kept half-way (issue 12, bench/resilience/full_disk.py)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import api_token_create
from naikkelas.fieldwork.models import FormVersion, Submission
from naikkelas.fieldwork.services.devices import device_key_create
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.intake.models import ImportBatch
from naikkelas.ops.storage_full import is_storage_full
from tests.api.test_intake_api import upload
from tests.conftest import make_user
from tests.fieldwork.test_openrosa import JPEG, instance_xml, message, post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"


@pytest.fixture
def form() -> FormVersion:
    published, _new = census_form_publish(actor=None, validate=False)
    return published


@pytest.fixture
def base() -> str:
    _device, key = device_key_create(actor=None, user=make_user(Role.ENUMERATOR, "enum-full"))
    return f"/odk/c/{key}/"


@pytest.fixture
def token(dinas_user) -> str:  # noqa: ANN001
    _token, key = api_token_create(user=dinas_user, name="penuh")
    return key


def _full(*args: object, **kwargs: object) -> str:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_what_counts_as_a_full_disk() -> None:
    assert is_storage_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_storage_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    # Django wraps the driver's error; SQLite says it in words
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as inner:
            raise OperationalError(*inner.args) from inner
    except OperationalError as wrapped:
        assert is_storage_full(wrapped)

    class DiskFullError(Exception):  # psycopg's errors carry the SQLSTATE
        sqlstate = "53100"

    assert is_storage_full(DiskFullError("could not write"))
    assert not is_storage_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_storage_full(ValueError("disk"))


@pytest.mark.django_db
def test_odk_collect_is_told_in_its_own_envelope_and_nothing_is_stored(
    client,
    form,
    base,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    # given a disk that takes no more files
    monkeypatch.setattr(FileSystemStorage, "_save", _full)
    # when Collect sends a submission with a photo
    xml = instance_xml(form, photo="toko.jpg")
    response = post(client, base, xml, {"toko.jpg": JPEG})
    # then it gets 507 with an OpenRosa message (Collect keeps the form and sends it again)
    assert response.status_code == 507
    assert response["X-OpenRosa-Version"] == "1.0"
    assert "penuh" in message(response)
    assert Submission.objects.count() == 0
    # and once there is room again, the same submission goes through
    monkeypatch.undo()
    assert post(client, base, xml, {"toko.jpg": JPEG}).status_code == 201
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_the_api_answers_json_and_the_browser_a_page(
    client,
    dinas_client,
    token,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setattr(FileSystemStorage, "_save", _full)
    response = upload(client, token)
    assert response.status_code == 507
    assert response.json()["code"] == "storage_full"
    assert ImportBatch.objects.count() == 0

    content = (FIXTURES / "kelurahan_cipare.xlsx").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = dinas_client.post(
        "/impor/", {"file": SimpleUploadedFile("cipare.xlsx", content), "source": "cipare"}
    )
    assert page.status_code == 507
    assert "Penyimpanan penuh" in page.content.decode()
    assert ImportBatch.objects.count() == 0
