"""Import API: upload, mapping, run, rows, corrections, quarantine Excel round trip, undo."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import api_token_create
from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.registry.models import Business
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
CIPARE = "kelurahan_cipare.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def token(dinas_user) -> str:  # noqa: ANN001
    _token, key = api_token_create(user=dinas_user, name="test")
    return key


def auth(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def upload(client, token: str | None, name: str = CIPARE, source: str = "kelurahan-cipare", **kw):  # noqa: ANN001, ANN201
    content = kw.pop("content", None)
    if content is None:
        content = (FIXTURES / name).read_bytes()
    return client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile(name, content), "source": source},
        **auth(token),
    )


def call(client, method: str, path: str, token: str | None, body: Any = None):  # noqa: ANN001, ANN201
    return getattr(client, method)(
        f"/api/v1/imports{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **auth(token),
    )


def staged(client, token: str, name: str = CIPARE) -> dict[str, Any]:  # noqa: ANN001
    response = upload(client, token, name)
    assert response.status_code == 201, response.content
    return response.json()


def ran(client, token: str, name: str = CIPARE) -> dict[str, Any]:  # noqa: ANN001
    batch = staged(client, token, name)
    response = call(client, "post", f"/{batch['id']}/run?wait=true", token)
    assert response.status_code == 200, response.content
    return response.json()


def test_upload_returns_the_batch_with_its_guessed_layout(client, token) -> None:
    response = upload(client, token)
    assert response.status_code == 201
    body = response.json()
    assert (body["file_name"], body["source"], body["status"]) == (
        CIPARE,
        "kelurahan-cipare",
        "staged",
    )
    assert body["already_imported"] is False
    assert body["rows_in"] == 25
    (sheet,) = body["layout"]
    assert sheet["header_row"] == 4
    fields = {c["header"]: c["field"] for c in sheet["columns"]}
    assert fields["NIK"] == "nik" and fields["Nama Pemilik"] == "owner_name"
    assert {"index", "header", "field", "ambiguous"} <= set(sheet["columns"][0])
    assert AuditEvent.objects.filter(action="import.stage", object_id=body["id"]).exists()


def test_the_same_file_twice_is_the_same_batch(client, token) -> None:
    first = upload(client, token).json()
    again = upload(client, token, source="lain")
    assert again.status_code == 200
    assert again.json()["already_imported"] is True
    assert again.json()["id"] == first["id"]
    assert ImportBatch.objects.count() == 1


def test_list_and_detail(client, token) -> None:
    batch = staged(client, token)
    listing = call(client, "get", "", token).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == batch["id"]
    detail = call(client, "get", f"/{batch['id']}", token).json()
    assert detail["status"] == "staged"
    assert detail["rows_by_status"]["pending"] == 25
    assert detail["accounted"] == 0 and detail["accounted_ok"] is False


def test_a_file_that_is_not_a_spreadsheet_is_422(client, token) -> None:
    response = upload(client, token, name="surat.xlsx", content=b"%PDF-1.7 bukan spreadsheet")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    text = upload(client, token, name="catatan.txt", content=b"halo\njuga bukan daftar\n")
    assert text.status_code == 422
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_422(client, token, monkeypatch) -> None:
    monkeypatch.setattr("naikkelas.api.intake.MAX_UPLOAD_BYTES", 1024)
    response = upload(client, token)
    assert response.status_code == 422
    assert "20 MB" in response.json()["detail"][0]["msg"]


def test_mapping_can_be_corrected_before_the_run(client, token) -> None:
    batch = staged(client, token)
    sheet = batch["layout"][0]
    omzet = next(c for c in sheet["columns"] if c["field"] == "omzet_month")
    body = {
        "columns": {sheet["sheet"]: {str(omzet["index"]): "omzet_year"}},
        "options": {"year": 2024},
    }
    response = call(client, "put", f"/{batch['id']}/mapping", token, body)
    assert response.status_code == 200, response.content
    columns = response.json()["layout"][0]["columns"]
    assert columns[omzet["index"]]["field"] == "omzet_year"
    assert response.json()["options"] == {"year": 2024}
    bad_field = {"columns": {sheet["sheet"]: {"0": "shoe_size"}}}
    assert call(client, "put", f"/{batch['id']}/mapping", token, bad_field).status_code == 422
    bad_option = {"options": {"colour": "red"}}
    assert call(client, "put", f"/{batch['id']}/mapping", token, bad_option).status_code == 422


def test_run_with_wait_processes_every_row(client, token) -> None:
    body = ran(client, token)
    assert body["status"] == "done"
    assert body["accounted_ok"] is True
    assert body["rows_in"] == (
        body["promoted"] + body["linked"] + body["quarantined"] + body["duplicates_in_file"]
    )
    assert body["quarantined"] > 0 and body["promoted"] > 0
    assert Business.objects.filter(source="import").count() == body["promoted"]
    again = call(client, "post", f"/{body['id']}/run?wait=true", token)
    assert again.status_code == 409
    # mapping cannot change after the run
    assert call(client, "put", f"/{body['id']}/mapping", token, {"columns": {}}).status_code == 422


def test_run_without_wait_queues_the_batch(client, token) -> None:
    batch = staged(client, token, "google_form.csv")
    response = call(client, "post", f"/{batch['id']}/run", token)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert call(client, "post", f"/{batch['id']}/run", token).status_code == 409
    assert call(client, "post", f"/{batch['id']}/undo", token).status_code == 409


def test_rows_show_values_and_reasons_and_are_audited(client, token) -> None:
    batch = ran(client, token)
    response = call(client, "get", f"/{batch['id']}/rows?status=quarantined&limit=2", token)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == batch["quarantined"]
    assert len(body["items"]) == 2
    item = body["items"][0]
    assert item["status"] == "quarantined" and item["issues"]
    assert "owner_name" in item["values"] and "nik" in item["values"]
    assert item["reference"].startswith(f"{CIPARE} › ")
    event = AuditEvent.objects.get(action="import.rows_view")
    assert event.extra == {"rows": 2, "status": "quarantined"}
    assert event.object_id == batch["id"]
    everything = call(client, "get", f"/{batch['id']}/rows?limit=500", token).json()
    assert everything["count"] == batch["rows_in"] == len(everything["items"])
    assert call(client, "get", f"/{batch['id']}/rows?status=lost", token).status_code == 422


def test_a_quarantined_row_is_corrected_through_patch(client, token) -> None:
    batch = ran(client, token)
    row = next(
        r
        for r in ImportRow.objects.filter(batch_id=batch["id"], status=RowStatus.QUARANTINED)
        if any(i["field"] == "nik" for i in r.issues)
    )
    url = f"/{batch['id']}/rows/{row.pk}"
    assert call(client, "patch", url, token, {"corrections": {"shoe": 1}}).status_code == 422
    assert call(client, "patch", url, token, {"corrections": {}}).status_code == 422
    # a float (what a spreadsheet makes of a NIK) stays Excel damage; JSON keeps it a float
    still = call(client, "patch", url, token, {"corrections": {"nik": 3673012505859123.0}})
    assert still.status_code == 200
    assert still.json()["status"] == "quarantined"
    assert still.json()["corrections"] == {"nik": 3673012505859123.0}
    assert "Excel" in next(i["message"] for i in still.json()["issues"] if i["field"] == "nik")
    fixed = call(client, "patch", url, token, {"corrections": {"nik": "3673012505859123"}})
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["status"] == "promoted"
    assert fixed.json()["values"]["nik"] == "3673012505859123"
    assert call(client, "patch", url, token, {"corrections": {"nik": "1"}}).status_code == 409
    detail = call(client, "get", f"/{batch['id']}", token).json()
    assert detail["quarantined"] == batch["quarantined"] - 1 and detail["accounted_ok"]
    other = ran(client, token, "google_form.csv")
    wrong_batch = f"/{other['id']}/rows/{row.pk}"
    assert (
        call(client, "patch", wrong_batch, token, {"corrections": {"nik": "1"}}).status_code == 404
    )


def test_quarantine_excel_download_and_upload(client, token) -> None:
    batch = ran(client, token)
    response = call(client, "get", f"/{batch['id']}/quarantine.xlsx", token)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="karantina-kelurahan_cipare.xlsx"'
    )
    assert (
        AuditEvent.objects.get(action="import.quarantine_export").extra["rows"]
        == (batch["quarantined"])
    )
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    nik = header.index("NIK")
    damaged = next(r for r in ws.iter_rows(min_row=2) if "Excel" in (r[-1].value or ""))
    damaged[nik].value = "3673012505859123"
    buffer = io.BytesIO()
    wb.save(buffer)
    uploaded = client.post(
        f"/api/v1/imports/{batch['id']}/quarantine.xlsx",
        {"file": SimpleUploadedFile("karantina.xlsx", buffer.getvalue(), content_type=XLSX)},
        **auth(token),
    )
    assert uploaded.status_code == 200, uploaded.content
    counts = uploaded.json()
    assert counts["rows"] == batch["quarantined"]
    assert (counts["corrected"], counts["promoted"], counts["ignored"]) == (1, 1, 0)
    assert counts["still_quarantined"] == batch["quarantined"] - 1
    not_xlsx = client.post(
        f"/api/v1/imports/{batch['id']}/quarantine.xlsx",
        {"file": SimpleUploadedFile("k.xlsx", b"%PDF-1.4")},
        **auth(token),
    )
    assert not_xlsx.status_code == 422


def test_undo_removes_the_businesses(client, token) -> None:
    batch = ran(client, token, "google_form.csv")
    assert Business.objects.filter(source="import").exists()
    response = call(client, "post", f"/{batch['id']}/undo", token)
    assert response.status_code == 200
    assert response.json()["status"] == BatchStatus.UNDONE
    assert not Business.objects.filter(source="import").exists()
    # after an undo the same file can be imported again
    assert upload(client, token, "google_form.csv").status_code == 201


def test_unknown_ids_are_404(client, token) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert call(client, "get", f"/{missing}", token).status_code == 404
    assert call(client, "post", f"/{missing}/run?wait=true", token).status_code == 404
    assert call(client, "get", f"/{missing}/quarantine.xlsx", token).status_code == 404
    batch = staged(client, token)
    assert call(client, "patch", f"/{batch['id']}/rows/999999999", token, {}).status_code in (
        404,
        422,
    )
    body = {"corrections": {"nik": "1"}}
    assert call(client, "patch", f"/{batch['id']}/rows/999999999", token, body).status_code == 404


def test_anonymous_is_401(client) -> None:
    assert call(client, "get", "", None).status_code == 401
    assert upload(client, None).status_code == 401
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER])
def test_roles_without_import_rights_get_403(client, token, role) -> None:
    batch = staged(client, token)
    _token, key = api_token_create(user=make_user(role), name="t")
    assert upload(client, key, "google_form.csv").status_code == 403
    assert call(client, "get", "", key).status_code == 403
    assert call(client, "get", f"/{batch['id']}", key).status_code == 403
    assert call(client, "get", f"/{batch['id']}/rows", key).status_code == 403
    assert call(client, "get", f"/{batch['id']}/quarantine.xlsx", key).status_code == 403
    assert call(client, "post", f"/{batch['id']}/run?wait=true", key).status_code == 403
    assert call(client, "post", f"/{batch['id']}/undo", key).status_code == 403
    assert not AuditEvent.objects.filter(action="import.rows_view").exists()
    assert ImportBatch.objects.get().status == BatchStatus.STAGED


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIPMIKINDO])
def test_other_import_roles_may_upload(client, role) -> None:
    _token, key = api_token_create(user=make_user(role), name="t")
    assert upload(client, key).status_code == 201


def test_a_failed_or_stopped_run_is_resumed_but_a_live_one_is_not(client, token) -> None:
    import datetime as dt

    from django.utils import timezone

    batch = staged(client, token, "google_form.csv")
    rows = ImportBatch.objects.filter(pk=batch["id"])
    rows.update(status=BatchStatus.RUNNING, updated_at=timezone.now())
    assert call(client, "post", f"/{batch['id']}/run?wait=true", token).status_code == 409
    rows.update(updated_at=timezone.now() - dt.timedelta(hours=1))  # the worker died
    resumed = call(client, "post", f"/{batch['id']}/run?wait=true", token)
    assert resumed.status_code == 200 and resumed.json()["status"] == "done"
    assert resumed.json()["accounted_ok"] is True
