"""Owners register themselves: validated, kept with their consent, sent through the intake
pipeline, told nothing about anyone else, protected from bots without third parties."""

from __future__ import annotations

import re
import time

import pytest

from naikkelas.fieldwork.models import SelfRegistration, SelfRegistrationStatus
from naikkelas.fieldwork.services import self_registration as service
from naikkelas.fieldwork.services.self_registration import (
    RATE_LIMIT,
    challenge_check,
    challenge_new,
    client_hash,
)
from naikkelas.intake.models import ImportBatch, RowStatus
from naikkelas.intake.services import import_batch_run
from naikkelas.registry.models import Business, Source
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db
URL = "/daftar/"
NIK = "3673054508909456"


def form_data(client, **changes: str) -> dict[str, str]:  # noqa: ANN001
    """The page's fields as a person fills them (after reading the page a few seconds)."""
    page = client.get(URL).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    a, b = map(int, re.search(r"berapa (\d+) \+ (\d+)\?", page).groups())
    data = {
        "owner_name": "Sari Rahayu",
        "nik": NIK,
        "phone": "0812-0000-1234",
        "business_name": "Keripik Sari",
        "sector": "kuliner",
        "products": "keripik pisang",
        "desa_kelurahan": "36.73.01.1002",
        "address": "Kp. Cipare RT 2 RW 3",
        "consent": "on",
        "challenge": token,
        "answer": str(a + b),
        "website": "",
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch) -> None:  # noqa: ANN001
    """People read the page for a few seconds; tests do not wait."""
    monkeypatch.setattr(service, "_MIN_SECONDS", 0)


def test_the_page_works_without_javascript(client) -> None:
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html
    assert "UU 27/2022" in html  # the consent text
    assert 'name="challenge"' in html and "berapa" in html


def test_a_registration_gets_a_code_and_becomes_a_business(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(URL, form_data(client))
    assert response.status_code == 302
    registration = SelfRegistration.objects.get()
    assert response["Location"].endswith(f"/daftar/terima/{registration.tracking_code}/")
    assert registration.data["nik"] == NIK
    assert registration.data["phone"] == "+6281200001234"
    assert "UU 27/2022" in registration.consent_text
    done = client.get(response["Location"]).content.decode()
    assert registration.tracking_code in done and "wa.me/" in done
    # the worker runs the day's batch (here: by hand)
    batch = ImportBatch.objects.get(file_format="self")
    import_batch_run(actor=None, batch=batch)
    row = ImportBatch.objects.get(pk=batch.pk).rows.get()
    assert row.status == RowStatus.PROMOTED
    business = Business.objects.get(pk=row.business_id)
    assert business.source == Source.SELF and business.name == "Keripik Sari"
    status = client.get(f"/daftar/status/?kode={registration.tracking_code.lower()}")
    assert "sudah masuk register" in status.content.decode()


def test_an_owner_already_registered_learns_nothing_about_the_record(client) -> None:
    owner = make_owner(full_name="Sari Rahayu Binti Ahmad", nik=NIK, sex="P")
    make_business(owner=owner, name="Rahasia Usaha Lama", address="Jl. Rahasia No. 9")
    response = client.post(URL, form_data(client), follow=True)
    html = response.content.decode()
    assert "sudah terdaftar" in html
    assert "Rahasia" not in html and "Binti" not in html
    registration = SelfRegistration.objects.get()
    assert registration.status == SelfRegistrationStatus.KNOWN
    assert registration.import_row is None  # kept for the officer, not registered twice


@pytest.mark.parametrize(
    ("field", "value"),
    [("nik", "36730545089"), ("nik", "3673054508900000"), ("phone", "12345"), ("consent", "")],
)
def test_invalid_answers_are_shown_and_nothing_is_kept(client, field, value) -> None:
    response = client.post(URL, form_data(client, **{field: value}))
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not SelfRegistration.objects.exists()


def test_a_wrong_answer_or_a_filled_trap_field_is_refused(client) -> None:
    wrong = client.post(URL, form_data(client, answer="999"))
    assert "pertanyaan pengaman" in wrong.content.decode().lower()
    bot = client.post(URL, form_data(client, website="http://spam.example"))
    assert bot.status_code == 200
    assert not SelfRegistration.objects.exists()


def test_the_challenge_is_signed_timed_and_single_purpose() -> None:
    now = time.time()
    challenge = challenge_new(now=now)
    a, b = map(int, challenge.question.split(" + "))
    assert challenge_check(challenge.token, str(a + b), now=now + 10)
    assert not challenge_check(challenge.token, str(a + b + 1), now=now + 10)
    assert not challenge_check(challenge.token + "x", str(a + b), now=now + 10)
    assert not challenge_check(challenge.token, str(a + b), now=now + 3 * 60 * 60)


def test_too_many_registrations_from_one_client_are_limited(client) -> None:
    client_key = client_hash("127.0.0.1")
    for number in range(RATE_LIMIT):
        SelfRegistration.objects.create(
            tracking_code=f"DTEST-{number:04d}", data={}, consent_text="x", client_hash=client_key
        )
    response = client.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert client_hash("127.0.0.1") != "127.0.0.1"  # the address itself is never stored


def test_an_unknown_code_says_so(client) -> None:
    response = client.get("/daftar/status/?kode=DXXXX-XXXX")
    assert "tidak ditemukan" in response.content.decode()
    assert client.get("/daftar/terima/DXXXX-XXXX/").status_code == 404
