"""An enumerator sets up ODK Collect from their page: a QR code with their server URL."""

from __future__ import annotations

import re

import pytest

from naikkelas.accounts.models import Role
from naikkelas.fieldwork.collect_settings import collect_settings_payload, read_collect_settings
from naikkelas.fieldwork.models import DeviceKey
from naikkelas.fieldwork.services.forms import census_form_publish
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/lapangan/odk-collect/"


def test_the_qr_payload_is_what_collect_reads() -> None:
    payload = collect_settings_payload(
        server_url="https://umkm.serangkota.go.id/odk/c/abc/", project_name="naikkelas 36.73"
    )
    settings = read_collect_settings(payload)
    assert settings["general"]["server_url"] == "https://umkm.serangkota.go.id/odk/c/abc"
    assert settings["general"]["password"] == ""
    assert settings["admin"]["change_server"] is False
    assert settings["project"]["name"] == "naikkelas 36.73"


def test_a_new_key_is_shown_once_and_works(client) -> None:
    census_form_publish(actor=None, validate=False)
    enumerator = make_user(Role.ENUMERATOR, "enum-setup")
    client.force_login(enumerator)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Belum ada kunci perangkat" in page.content.decode()
    created = client.post(URL, {"action": "create"}).content.decode()
    assert 'data-testid="collect-qr"' in created
    server_url = re.search(r'data-testid="server-url"[^>]*|value="([^"]+)" data-testid', created)
    url = re.search(r'value="(http[^"]+)" data-testid="server-url"', created).group(1)
    assert server_url and "/odk/c/" in url
    path = url.removeprefix("http://testserver")
    assert client.get(path + "/formList").status_code == 200
    # the page never shows it again
    again = client.get(URL).content.decode()
    assert path not in again and "Kunci aktif" in again
    # a second key revokes the first; revoking leaves none
    client.post(URL, {"action": "create"})
    assert client.get(path + "/formList").status_code == 401
    client.post(URL, {"action": "revoke"})
    assert not DeviceKey.objects.filter(user=enumerator, revoked_at__isnull=True).exists()


def test_roles_without_field_collection_get_403(client) -> None:
    client.force_login(make_user(Role.PIMPINAN, "pimpinan-setup"))
    assert client.get(URL).status_code == 403
