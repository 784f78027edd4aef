"""The public kendala page: no account, no JavaScript, bots held off; the receipt and the status
page by tracking code show nothing about the person."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.fieldwork.services import self_registration as challenge_service
from naikkelas.kendala import services
from naikkelas.kendala.models import Kendala
from naikkelas.kendala.services.reporting import PUBLIC_RATE_LIMIT
from tests.conftest import make_user
from tests.kendala.conftest import report

pytestmark = pytest.mark.django_db
URL = "/kendala/"


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch) -> None:  # noqa: ANN001
    """People read the page for a few seconds; tests do not wait."""
    monkeypatch.setattr(challenge_service, "_MIN_SECONDS", 0)


def form_data(client, **changes: str) -> dict[str, str]:  # noqa: ANN001
    page = client.get(URL).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    a, b = map(int, re.search(r"berapa (\d+) \+ (\d+)\?", page).groups())
    data = {
        "reporter_name": "Euis Sumiati",
        "phone": "0812-0000-7201",
        "business_name": "Kue Basah Euis",
        "desa_kelurahan": "36.73.02.1002",
        "sector": "kuliner",
        "category": "permodalan",
        "description": "Perlu modal untuk etalase pendingin.",
        "consent": "on",
        "challenge": token,
        "answer": str(a + b),
        "website": "",
    }
    data.update(changes)
    return data


def test_the_page_works_without_javascript_and_asks_consent(client) -> None:  # noqa: ANN001
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and "style=" not in html
    assert "UU 27/2022" in html and 'name="consent"' in html
    assert 'name="challenge"' in html and "berapa" in html
    assert "Perizinan" in html and "wa.me/" in html


def test_a_report_gets_a_tracking_code_and_a_whatsapp_link(client) -> None:  # noqa: ANN001
    response = client.post(URL, form_data(client))
    assert response.status_code == 302
    kendala = Kendala.objects.get()
    assert response["Location"] == reverse("kendala:public_done", args=[kendala.tracking_code])
    assert kendala.channel == "publik" and kendala.reporter_phone == "+6281200007201"
    assert kendala.reporter_business_name == "Kue Basah Euis"
    assert "UU 27/2022" in kendala.consent_text and len(kendala.client_hash) == 64
    done = client.get(response["Location"]).content.decode()
    assert kendala.tracking_code in done
    number = "".join(ch for ch in settings.NAIKKELAS_OFFICE_WHATSAPP if ch.isdigit())
    assert f"https://wa.me/{number}?text=" in done


def test_wrong_answer_or_honeypot_is_refused_with_a_fresh_question(client) -> None:  # noqa: ANN001
    data = form_data(client)
    data["answer"] = str(int(data["answer"]) + 1)
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200 and "belum benar" in html
    assert "Euis Sumiati" in html  # typed values kept
    assert not Kendala.objects.exists()
    client.post(URL, form_data(client, website="http://spam.example"))
    assert not Kendala.objects.exists()


def test_answers_faster_than_a_person_reads_are_refused(client, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(challenge_service, "_MIN_SECONDS", 60)
    client.post(URL, form_data(client))
    assert not Kendala.objects.exists()


def test_missing_consent_and_bad_phone_show_next_to_the_fields(client) -> None:  # noqa: ANN001
    data = form_data(client, phone="12")
    del data["consent"]
    html = client.post(URL, data).content.decode()
    assert html.count('role="alert"') >= 2
    assert not Kendala.objects.exists()


def test_the_rate_limit_per_client(client) -> None:  # noqa: ANN001
    for _ in range(PUBLIC_RATE_LIMIT):
        assert client.post(URL, form_data(client)).status_code == 302
    assert Kendala.objects.count() == PUBLIC_RATE_LIMIT
    response = client.get(URL)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert client.post(URL, {}).status_code == 429
    other = client.get(URL, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another client is not limited


def test_status_by_code_shows_status_and_response_but_no_personal_data(client) -> None:  # noqa: ANN001
    officer = make_user(Role.DINAS, "petugas-status")
    kendala = report(
        None,
        channel="publik",
        consent_text="setuju",
        reporter_name="Euis Sumiati",
        reporter_phone="081200007202",
        description="Cerita pribadi Euis yang panjang.",
    )
    page = client.get("/kendala/status/", {"kode": kendala.tracking_code.lower()})
    html = page.content.decode()
    assert page.status_code == 200 and "Baru" in html and "Belum ada tanggapan" in html
    for private in ("Euis", "7202", "Cerita pribadi"):
        assert private not in html
    services.kendala_set_status(actor=officer, kendala=kendala, status="ditelaah")
    services.kendala_respond(
        actor=officer,
        kendala=kendala,
        response="Silakan datang ke klinik UMKM hari Selasa.",
        status="ditindaklanjuti",
    )
    code = kendala.tracking_code.replace("-", "")
    html = client.get("/kendala/status/", {"kode": code}).content.decode()
    assert "Ditindaklanjuti" in html and "klinik UMKM hari Selasa" in html
    unknown = client.get("/kendala/status/", {"kode": "KAAAA-AAAA"})
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.content.decode()
    assert client.get(reverse("kendala:public_done", args=["KAAAA-AAAA"])).status_code == 404


def test_a_signed_in_owner_is_sent_to_the_portal(client, owned) -> None:  # noqa: ANN001
    client.force_login(owned["user"])
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("kendala:my_kendala")


def test_no_ip_address_is_kept_for_a_public_report(client) -> None:  # noqa: ANN001
    client.post(URL, form_data(client))
    event = AuditEvent.objects.get(action="kendala.report")
    assert event.ip_address is None and event.actor is None
