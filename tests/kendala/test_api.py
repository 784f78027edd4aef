"""The kendala API: officers list (filters, pages), read, record on behalf and answer;
owners report and read their own. Refusals are 409, malformed input 422, not-yours 404."""

from __future__ import annotations

import pytest
from django.test import Client

from naikkelas.accounts.services import api_token_create
from naikkelas.core.models import AuditEvent
from naikkelas.kendala.models import Kendala
from naikkelas.programs import services as programme_services
from tests.kendala.conftest import business_at, report
from tests.programs.conftest import new_cycle

pytestmark = pytest.mark.django_db


def api(user) -> Client:  # noqa: ANN001
    _token, key = api_token_create(user=user, name="uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_officer_lists_with_filters_and_pages(officer) -> None:  # noqa: ANN001
    for index in range(5):
        report(officer, category="pemasaran" if index % 2 else "perizinan")
    client = api(officer)
    body = client.get("/api/v1/kendala", {"limit": 2}).json()
    assert body["count"] == 5 and len(body["items"]) == 2
    item = body["items"][0]
    assert item["reporter_phone_masked"] == "+62812****7001"
    assert (item["kecamatan"], item["desa_kelurahan"], item["category"]) == (
        "36.73.06",
        "36.73.06.1005",
        "perizinan",  # newest first: the fifth
    )
    assert item["overdue"] is False and item["status"] == "baru"
    assert "+6281200007001" not in str(body)
    filtered = client.get("/api/v1/kendala", {"category": "pemasaran"}).json()
    assert filtered["count"] == 2
    assert client.get("/api/v1/kendala", {"overdue": "true"}).json()["count"] == 0
    detail = client.get(f"/api/v1/kendala/{item['id']}")
    assert detail.status_code == 200 and detail.json()["tracking_code"] == item["tracking_code"]
    missing = client.get("/api/v1/kendala/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    categories = client.get("/api/v1/kendala/categories").json()
    assert categories[0] == {"code": "perizinan", "name": "Perizinan (NIB, PIRT, halal, BPOM)"}


def test_officer_records_on_behalf_and_answers(officer) -> None:  # noqa: ANN001
    business = business_at(nib="9120000000303")
    client = api(officer)
    created = client.post(
        "/api/v1/kendala",
        {"business_text": "9120000000303", "category": "kemasan", "description": "Label gizi"},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["business_id"] == str(business.pk) and body["channel"] == "petugas"
    bad = client.post(
        "/api/v1/kendala",
        {"category": "kemasan", "description": "Tanpa pelapor"},
        content_type="application/json",
    )
    assert bad.status_code == 409 and bad.json()["detail"][0]["type"] == "reporter_name"
    invalid = client.post("/api/v1/kendala", {"category": 1}, content_type="application/json")
    assert invalid.status_code == 422
    url = f"/api/v1/kendala/{body['id']}"
    refused = client.post(f"{url}/status", {"status": "selesai"}, content_type="application/json")
    assert refused.status_code == 409
    answered = client.post(
        f"{url}/respond",
        {"response": "Ikut klinik label gizi.", "status": "ditindaklanjuti"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "ditindaklanjuti"
    assigned = client.post(
        f"{url}/assign", {"assignee_id": officer.pk}, content_type="application/json"
    )
    assert assigned.json()["assignee"] == officer.username
    target = client.post(
        f"{url}/target", {"target_date": "2099-01-01"}, content_type="application/json"
    )
    assert target.json()["target_date"] == "2099-01-01"
    closed = client.post(f"{url}/status", {"status": "selesai"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["closed_at"]


def test_officer_nominates_through_the_api(officer, owned) -> None:  # noqa: ANN001
    programme = programme_services.programme_create(
        actor=officer, name="Onboarding E-commerce", kind="ecommerce", organiser="hipmikindo"
    )
    cycle = new_cycle(officer, programme, rules=[])
    kendala = report(officer, business=owned["business"], category="teknologi-digital")
    response = api(officer).post(
        f"/api/v1/kendala/{kendala.pk}/nominate",
        {"cycle_id": str(cycle.pk)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["application_id"] and response.json()["status"] == "ditindaklanjuti"


def test_owner_reports_and_reads_only_their_own(owned, officer) -> None:  # noqa: ANN001
    client = api(owned["user"])
    assert client.get("/api/v1/me/kendala/categories").status_code == 200
    created = client.post(
        "/api/v1/me/kendala",
        {
            "business_id": str(owned["business"].pk),
            "category": "pemasaran",
            "description": "Ingin jualan di marketplace.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "baru"
    foreign = client.post(
        "/api/v1/me/kendala",
        {"business_id": str(owned["other"].pk), "category": "pemasaran", "description": "x"},
        content_type="application/json",
    )
    assert foreign.status_code == 404
    report(officer, business=owned["other"], description="Bukan milik Siti")
    mine = client.get("/api/v1/me/kendala").json()
    assert [k["description"] for k in mine] == ["Ingin jualan di marketplace."]
    assert client.get("/api/v1/kendala").status_code == 403
    assert Kendala.objects.count() == 2
    assert AuditEvent.objects.filter(action="kendala.report", actor=owned["user"]).count() == 1
