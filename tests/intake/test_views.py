"""The web pages of the spreadsheet intake: upload, mapping preview, run, result, fix, undo."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django_tasks import task_backends

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.intake.forms import MAX_UPLOAD_BYTES, UploadLimitHandler
from naikkelas.intake.headers import FIELD_LABELS
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services import import_batch_run
from naikkelas.registry.models import Business
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
FIXTURE_FILES = [
    "kelurahan_cipare.xlsx",
    "google_form.csv",
    "kobo_export.csv",
    "hipmikindo_anggota.csv",
    "pelatihan_2025.xlsx",
    "dinas_lama.xls",
    "kecamatan_walantaka.ods",
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
INLINE_CODE = re.compile(
    r"""<[a-z][^>]*\s(?:style|on[a-z]+)\s*=|<script|<style|javascript:""", re.IGNORECASE
)
SYNTHETIC_NIK = "3673012505859123"  # region 367301, born 25-05-1985, serial 9123


def upload(client, name: str, *, source: str = "", content: bytes | None = None):  # noqa: ANN001, ANN201
    data = (FIXTURES / name).read_bytes() if content is None else content
    return client.post(
        reverse("intake:batch_list"),
        {"source": source, "file": SimpleUploadedFile(name, data)},
    )


def staged(client, name: str, **kwargs: Any) -> ImportBatch:  # noqa: ANN001
    response = upload(client, name, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get(file_name=name)
    assert response["Location"] == reverse("intake:batch_detail", args=[batch.pk])
    return batch


def form_data(form) -> dict[str, Any]:  # noqa: ANN001
    """What the browser would post for an untouched form: every field's shown value."""
    data = {}
    for bound in form:
        value = bound.value()
        data[bound.name] = "" if value is None else value
    return data


def run_from_page(client, batch: ImportBatch, **changes: Any):  # noqa: ANN001, ANN201
    """Open the mapping preview and press "Jalankan impor" (optionally changing fields)."""
    url = reverse("intake:batch_detail", args=[batch.pk])
    form = client.get(url).context["form"]
    data = form_data(form)
    data.update(changes)
    return client.post(url, data)


def column_field(form, field: str) -> str:  # noqa: ANN001
    """The form name of the select currently mapped to ``field``."""
    return next(b.name for b in form if b.name.startswith("c_") and b.value() == field)


def finished(client, name: str, settings, django_capture_on_commit_callbacks) -> ImportBatch:  # noqa: ANN001
    settings.TASKS = IMMEDIATE
    # django_tasks drops its cached backends when TASKS changes (its setting_changed receiver)
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    batch = staged(client, name)
    # the test runs inside a transaction: the enqueue waits for on_commit, run it here
    with django_capture_on_commit_callbacks(execute=True):
        response = run_from_page(client, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    return batch


def damaged_nik_row(batch: ImportBatch) -> ImportRow:
    return next(
        r
        for r in batch.rows.filter(status=RowStatus.QUARANTINED).order_by("row_number")
        if [i["field"] for i in r.issues if i["severity"] == "error"] == ["nik"]
    )


# --------------------------------------------------------------------------------------------
# Upload and the mapping preview
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_each_fixture_uploads_and_shows_the_detected_mapping(dinas_client, name: str) -> None:
    batch = staged(dinas_client, name, source=f"uji-{name}")
    assert batch.status == BatchStatus.STAGED and batch.rows_in > 0
    assert batch.source == f"uji-{name}"
    response = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jalankan impor" in content
    assert not INLINE_CODE.search(content)
    form = response.context["form"]
    detected = {
        c["field"] for layout in batch.layout.values() for c in layout["columns"] if c["field"]
    }
    assert detected
    shown = {b.value() for b in form if b.name.startswith("c_") and b.value()}
    assert shown == detected
    for field in detected:  # each detected field is the selected option of its column
        assert f'<option value="{field}" selected>{FIELD_LABELS[field]}</option>' in content
    for layout in batch.layout.values():
        for column in layout["columns"]:
            assert column["header"] in content
    # the first data rows are shown under their columns, identifiers masked
    first = batch.rows.order_by("sheet", "row_number").first()
    columns = {c["field"]: c["index"] for c in batch.layout[first.sheet]["columns"]}
    assert first.raw[columns["owner_name"]] in content
    if "nik" in columns and isinstance(first.raw[columns["nik"]], str):
        assert first.raw[columns["nik"]] not in content


def test_the_upload_page_lists_imports_newest_first(dinas_client) -> None:
    staged(dinas_client, "google_form.csv", source="formulir-google")
    staged(dinas_client, "kobo_export.csv")
    response = dinas_client.get(reverse("intake:batch_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("kobo_export.csv") < content.index("google_form.csv")
    assert '<option value="formulir-google">' in content  # the datalist of sources
    assert "test-dinas" in content
    assert not INLINE_CODE.search(content)


def test_the_same_file_again_says_it_was_already_imported(dinas_client) -> None:
    batch = staged(dinas_client, "kelurahan_cipare.xlsx")
    response = upload(dinas_client, "kelurahan_cipare.xlsx", source="nama-lain")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Berkas ini sudah pernah diimpor" in content
    assert reverse("intake:batch_detail", args=[batch.pk]) in content
    assert ImportBatch.objects.count() == 1


def test_a_photo_is_refused_with_a_clear_message(dinas_client) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02" + bytes(64)
    response = upload(dinas_client, "foto-ktp.png", content=png)
    assert response.status_code == 200
    assert "Jenis berkas tidak didukung" in response.content.decode()
    # the same bytes named like a spreadsheet are recognised as not one
    response = upload(dinas_client, "data.xlsx", content=png)
    assert response.status_code == 200
    assert "tidak dikenali sebagai spreadsheet" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ["acak.csv", "acak.xlsx", "acak.xls", "acak.ods"])
def test_random_bytes_are_refused_with_a_clear_message(dinas_client, name: str) -> None:
    response = upload(dinas_client, name, content=os.urandom(4096))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(isinstance(e, str) and e for e in errors)
    assert any(word in " ".join(errors) for word in ("Berkas", "baris judul"))
    assert not ImportBatch.objects.exists()


def test_an_empty_file_and_no_file_are_refused(dinas_client) -> None:
    response = upload(dinas_client, "kosong.csv", content=b"")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = dinas_client.post(reverse("intake:batch_list"), {"source": "x"})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_an_upload_over_20_mb_is_refused(dinas_client, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    big = b"Nama Pemilik,NIK\n" + b"x" * MAX_UPLOAD_BYTES
    response = upload(dinas_client, "besar.csv", content=big, source="besar")
    assert response.status_code == 200
    assert "lebih besar dari 20 MB" in response.content.decode()
    assert response.context["form"]["source"].value() == "besar"
    assert not ImportBatch.objects.exists()
    assert not list((tmp_path / "tmp").glob("*")) if (tmp_path / "tmp").exists() else True


def test_the_upload_limit_stops_storing_a_file_past_the_limit() -> None:
    from django.core.files.uploadhandler import StopUpload

    handler = UploadLimitHandler(None, limit=10)
    assert handler.receive_data_chunk(b"x" * 6, 0) == b"x" * 6
    assert handler.receive_data_chunk(b"x" * 4, 6) == b"x" * 4
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x", 10)
    assert stopped.value.connection_reset is False  # the browser still gets our page
    assert handler.exceeded


def test_the_temporary_copy_of_an_upload_is_removed(dinas_client, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    staged(dinas_client, "google_form.csv")
    assert list((tmp_path / "tmp").iterdir()) == []


# --------------------------------------------------------------------------------------------
# Running: mapping errors, options, progress, result
# --------------------------------------------------------------------------------------------


def test_a_field_chosen_twice_is_shown_and_nothing_runs(dinas_client) -> None:
    batch = staged(dinas_client, "kelurahan_cipare.xlsx")
    form = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk])).context["form"]
    business_column = column_field(form, "business_name")
    response = run_from_page(dinas_client, batch, **{business_column: "owner_name"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "dipilih untuk lebih dari satu kolom" in content
    assert "Ada pilihan yang perlu diperbaiki" in content
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


def test_an_ambiguous_omzet_column_asks_for_its_period(dinas_client) -> None:
    batch = staged(dinas_client, "kecamatan_walantaka.ods")
    content = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "Periode omzet tidak jelas" in content and "perlu dicek" in content
    response = run_from_page(dinas_client, batch, omzet_period="month", year="2024")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.options["omzet_period"] == "month" and batch.options["year"] == 2024
    assert batch.status == BatchStatus.QUEUED


def test_per_month_is_refused_for_a_column_headed_per_year(dinas_client) -> None:
    batch = staged(dinas_client, "dinas_lama.xls")
    response = run_from_page(dinas_client, batch, omzet_period="month")
    assert response.status_code == 200
    assert "OMSET PER TAHUN" in response.context["form"].errors["omzet_period"][0]


def test_run_in_the_background_shows_progress_until_the_worker_is_done(dinas_client) -> None:
    # the test settings use the database task backend: nothing runs until a worker does
    batch = staged(dinas_client, "google_form.csv")
    response = run_from_page(dinas_client, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    page = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk]))
    content = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in content
    assert content.index('http-equiv="refresh"') < content.index("</head>")
    assert "0 dari 12 baris sudah diproses" in content
    assert "naikkelas worker" in content
    # when the worker runs it
    import_batch_run(actor=None, batch=batch)
    page = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk]))
    content = page.content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "12 baris masuk = 12 baru + 0 cocok + 0 karantina + 0 ganda" in content


def test_a_second_run_of_the_same_batch_is_refused(dinas_client) -> None:
    batch = staged(dinas_client, "google_form.csv")
    url = reverse("intake:batch_detail", args=[batch.pk])
    data = form_data(dinas_client.get(url).context["form"])
    assert dinas_client.post(url, data).status_code == 302
    assert dinas_client.post(url, data).status_code == 302  # a double click
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_the_result_accounts_for_every_row(
    dinas_client, settings, django_capture_on_commit_callbacks, name: str
) -> None:
    batch = finished(dinas_client, name, settings, django_capture_on_commit_callbacks)
    assert batch.rows_in == (
        batch.promoted + batch.linked + batch.quarantined + batch.duplicates_in_file
    )
    response = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk]))
    content = response.content.decode()
    line = (
        f"{batch.rows_in} baris masuk = {batch.promoted} baru + {batch.linked} cocok + "
        f"{batch.quarantined} karantina + {batch.duplicates_in_file} ganda"
    )
    assert line in content
    assert "tidak ada baris yang hilang" in content
    assert "Batalkan impor ini" in content
    assert not INLINE_CODE.search(content)
    rows_url = reverse("intake:row_list", args=[batch.pk])
    for status in ("promoted", "linked", "quarantined", "duplicate"):
        assert f"{rows_url}?status={status}" in content


def test_the_result_lists_quarantined_rows_with_their_reasons(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(
        dinas_client, "kelurahan_cipare.xlsx", settings, django_capture_on_commit_callbacks
    )
    assert batch.quarantined >= 4 and batch.duplicates_in_file == 1
    response = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk]))
    content = response.content.decode()
    assert "NIK: NIK rusak oleh Excel" in content
    for row in batch.rows.filter(status=RowStatus.QUARANTINED):
        assert reverse("intake:row_fix", args=[batch.pk, row.pk]) in content
    assert len(response.context["quarantine_rows"]) == batch.quarantined


def test_a_list_without_location_warns_and_takes_a_default_kelurahan(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    batch = staged(dinas_client, "hipmikindo_anggota.csv")
    content = dinas_client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "tidak punya kolom desa/kelurahan" in content
    assert '<option value="36.73.01.1002">' in content
    with django_capture_on_commit_callbacks(execute=True):
        run_from_page(dinas_client, batch, default_desa_kelurahan="36.73.01.1002")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.promoted > 0
    assert Business.objects.filter(source="import", desa_kelurahan_id="36.73.01.1002").exists()


def test_a_failed_import_shows_the_error_and_can_continue(dinas_client) -> None:
    batch = staged(dinas_client, "google_form.csv")
    run_from_page(dinas_client, batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, error="database is locked"
    )
    url = reverse("intake:batch_detail", args=[batch.pk])
    content = dinas_client.get(url).content.decode()
    assert "database is locked" in content and "Lanjutkan" in content
    assert "12 baris masuk = 0 baru + 0 cocok + 0 karantina + 0 ganda + 12 menunggu" in content
    response = dinas_client.post(reverse("intake:batch_resume", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == url
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    import_batch_run(actor=None, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.promoted == 12


def test_only_a_failed_import_continues(dinas_client) -> None:
    batch = staged(dinas_client, "google_form.csv")
    dinas_client.post(reverse("intake:batch_resume", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


# --------------------------------------------------------------------------------------------
# Rows and quarantine
# --------------------------------------------------------------------------------------------


def test_rows_filter_by_status_mask_identifiers_and_link_to_the_business(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(
        dinas_client, "kelurahan_cipare.xlsx", settings, django_capture_on_commit_callbacks
    )
    url = reverse("intake:row_list", args=[batch.pk])
    response = dinas_client.get(url, {"status": "promoted"})
    assert response.status_code == 200
    content = response.content.decode()
    assert len(response.context["items"]) == batch.promoted
    promoted = batch.rows.filter(status=RowStatus.PROMOTED).first()
    assert reverse("registry:business_detail", args=[promoted.business_id]) in content
    nik_index = next(
        c["index"] for c in batch.layout["DATA UMKM"]["columns"] if c["field"] == "nik"
    )
    assert promoted.raw[nik_index] not in content  # NIK masked in lists
    assert promoted.raw[nik_index][:4] + "********" + promoted.raw[nik_index][12:] in content
    assert "DATA UMKM › baris" in content
    duplicates = dinas_client.get(url, {"status": "duplicate"})
    assert "sama dengan baris 20" in duplicates.content.decode()
    everything = dinas_client.get(url)
    assert len(everything.context["items"]) == batch.rows_in
    assert dinas_client.get(url, {"status": "bogus"}).status_code == 200
    assert not INLINE_CODE.search(content)


def test_business_links_only_for_businesses_in_the_users_scope(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(dinas_client, "google_form.csv", settings, django_capture_on_commit_callbacks)
    settings.NAIKKELAS_AREA_CODE = "36.04"  # the officer's deployment is elsewhere now
    response = dinas_client.get(reverse("intake:row_list", args=[batch.pk]))
    content = response.content.decode()
    for business_id in batch.rows.values_list("business_id", flat=True):
        assert reverse("registry:business_detail", args=[business_id]) not in content
    assert "Usaha di luar wilayah Anda" in content


def test_a_quarantined_row_is_shown_in_clear_audited_and_fixed(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(
        dinas_client, "kelurahan_cipare.xlsx", settings, django_capture_on_commit_callbacks
    )
    quarantined_before = batch.quarantined
    businesses_before = Business.objects.count()
    row = damaged_nik_row(batch)
    url = reverse("intake:row_fix", args=[batch.pk, row.pk])
    response = dinas_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    nik_index = next(c["index"] for c in batch.layout[row.sheet]["columns"] if c["field"] == "nik")
    raw_nik = row.raw[nik_index]
    assert isinstance(raw_nik, float)
    assert str(raw_nik) in content  # the raw cell as read, in clear
    assert "NIK rusak oleh Excel" in content
    assert not INLINE_CODE.search(content)
    events = AuditEvent.objects.filter(action="import.row_view", object_id=str(row.pk))
    assert events.count() == 1
    assert events.get().object_type == "intake.importrow"
    dinas_client.get(url)
    assert events.count() == 2  # once per view
    # when the officer types the NIK from the KTP and saves (other inputs untouched)
    data = form_data(response.context["form"])
    data["nik"] = SYNTHETIC_NIK
    response = dinas_client.post(url, data)
    # then the row is promoted and the officer is back at the quarantine list
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("intake:row_list", args=[batch.pk]) + "?status=quarantined"
    )
    row.refresh_from_db()
    assert row.status == RowStatus.PROMOTED
    assert row.corrections == {"nik": SYNTHETIC_NIK}  # only the changed field
    batch.refresh_from_db()
    assert batch.quarantined == quarantined_before - 1
    assert Business.objects.count() == businesses_before + 1
    page = dinas_client.get(response["Location"])
    content = page.content.decode()
    assert f"baris {row.row_number} sekarang: Masuk register (baru)" in content
    assert f'data-testid="count-quarantined">{quarantined_before - 1}<' in content
    assert AuditEvent.objects.filter(action="import.row_correct").exists()


def test_a_correction_that_leaves_errors_stays_on_the_row(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(
        dinas_client, "kelurahan_cipare.xlsx", settings, django_capture_on_commit_callbacks
    )
    row = damaged_nik_row(batch)
    url = reverse("intake:row_fix", args=[batch.pk, row.pk])
    data = form_data(dinas_client.get(url).context["form"])
    data["nik"] = "1234"
    response = dinas_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    row.refresh_from_db()
    assert row.status == RowStatus.QUARANTINED
    assert "masih di karantina" in dinas_client.get(url).content.decode()
    # an unchanged form changes nothing
    data = form_data(dinas_client.get(url).context["form"])
    dinas_client.post(url, data)
    row.refresh_from_db()
    assert row.corrections == {"nik": "1234"}


def test_a_row_out_of_quarantine_is_masked_and_not_audited(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(dinas_client, "kobo_export.csv", settings, django_capture_on_commit_callbacks)
    row = batch.rows.filter(status=RowStatus.PROMOTED).first()
    response = dinas_client.get(reverse("intake:row_fix", args=[batch.pk, row.pk]))
    assert response.status_code == 200
    nik_index = next(c["index"] for c in batch.layout["CSV"]["columns"] if c["field"] == "nik")
    assert row.raw[nik_index] not in response.content.decode()
    assert not AuditEvent.objects.filter(action="import.row_view").exists()
    other = finished(dinas_client, "google_form.csv", settings, django_capture_on_commit_callbacks)
    wrong_batch = reverse("intake:row_fix", args=[other.pk, row.pk])
    assert dinas_client.get(wrong_batch).status_code == 404


def test_rows_of_an_undone_import_are_no_longer_corrected(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(
        dinas_client, "kelurahan_cipare.xlsx", settings, django_capture_on_commit_callbacks
    )
    row = damaged_nik_row(batch)
    url = reverse("intake:row_fix", args=[batch.pk, row.pk])
    data = form_data(dinas_client.get(url).context["form"])
    dinas_client.post(reverse("intake:batch_undo", args=[batch.pk]), {"confirm": "on"})
    businesses = Business.objects.count()
    response = dinas_client.get(url)
    content = response.content.decode()
    assert "sudah dibatalkan" in content and 'data-testid="fix-form"' not in content
    nik_index = next(c["index"] for c in batch.layout[row.sheet]["columns"] if c["field"] == "nik")
    assert str(row.raw[nik_index]) not in content
    data["nik"] = SYNTHETIC_NIK
    dinas_client.post(url, data)
    row.refresh_from_db()
    assert row.status == RowStatus.QUARANTINED and row.corrections == {}
    assert Business.objects.count() == businesses


# --------------------------------------------------------------------------------------------
# Undo
# --------------------------------------------------------------------------------------------


def test_undo_needs_the_confirmation_then_removes_what_the_import_created(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(dinas_client, "google_form.csv", settings, django_capture_on_commit_callbacks)
    created = list(batch.rows.values_list("business_id", flat=True))
    undo = reverse("intake:batch_undo", args=[batch.pk])
    dinas_client.post(undo, {})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    response = dinas_client.post(undo, {"confirm": "on"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    assert not Business.objects.filter(pk__in=created).exists()
    content = response.content.decode()
    assert "Impor dibatalkan" in content and "sudah dibatalkan" in content
    assert 'action="' + undo not in content
    # and the same file can be imported again
    assert upload(dinas_client, "google_form.csv").status_code == 302
    assert ImportBatch.objects.count() == 2


def test_undo_is_refused_when_a_business_was_changed_since(
    dinas_client, settings, django_capture_on_commit_callbacks
) -> None:
    batch = finished(dinas_client, "google_form.csv", settings, django_capture_on_commit_callbacks)
    business_id = batch.rows.filter(status=RowStatus.PROMOTED).first().business_id
    Business.objects.filter(pk=business_id).update(updated_at=F("created_at") + timedelta(hours=1))
    response = dinas_client.post(
        reverse("intake:batch_undo", args=[batch.pk]), {"confirm": "on"}, follow=True
    )
    assert "tidak dapat dibatalkan" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE


def test_a_wrong_upload_can_be_thrown_away_before_it_runs(dinas_client) -> None:
    batch = staged(dinas_client, "google_form.csv")
    dinas_client.post(reverse("intake:batch_undo", args=[batch.pk]), {"confirm": "on"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE


# --------------------------------------------------------------------------------------------
# Who may
# --------------------------------------------------------------------------------------------


def _urls(batch: ImportBatch) -> list[tuple[str, str]]:
    row = batch.rows.order_by("pk").first()
    return [
        ("get", reverse("intake:batch_list")),
        ("post", reverse("intake:batch_list")),
        ("get", reverse("intake:batch_detail", args=[batch.pk])),
        ("post", reverse("intake:batch_detail", args=[batch.pk])),
        ("post", reverse("intake:batch_resume", args=[batch.pk])),
        ("post", reverse("intake:batch_undo", args=[batch.pk])),
        ("get", reverse("intake:row_list", args=[batch.pk])),
        ("get", reverse("intake:row_fix", args=[batch.pk, row.pk])),
        ("post", reverse("intake:row_fix", args=[batch.pk, row.pk])),
    ]


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER])
def test_roles_without_the_import_capability_get_403(client, dinas_client, role: Role) -> None:
    batch = staged(dinas_client, "google_form.csv")
    client.force_login(make_user(role))
    for method, url in _urls(batch):
        assert getattr(client, method)(url).status_code == 403, (role, method, url)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED
    home = client.get(reverse("accounts:self")).content.decode()
    assert reverse("intake:batch_list") not in home


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIPMIKINDO])
def test_other_officers_see_every_import(client, dinas_client, role: Role) -> None:
    batch = staged(dinas_client, "google_form.csv")
    client.force_login(make_user(role))
    response = client.get(reverse("intake:batch_list"))
    assert response.status_code == 200
    assert reverse("intake:batch_detail", args=[batch.pk]) in response.content.decode()
    assert f'href="{reverse("intake:batch_list")}"' in response.content.decode()  # nav link
    assert client.get(reverse("intake:batch_detail", args=[batch.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client) -> None:
    response = client.get(reverse("intake:batch_list"))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    response = client.post(
        reverse("intake:batch_list"), {"file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert response.status_code == 302 and not ImportBatch.objects.exists()


def test_the_upload_is_csrf_protected(dinas_user) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(dinas_user)
    response = upload(client, "google_form.csv")
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_unknown_batches_and_rows_are_404(dinas_client) -> None:
    unknown = "00000000-0000-0000-0000-00000000abcd"
    assert dinas_client.get(reverse("intake:batch_detail", args=[unknown])).status_code == 404
    assert dinas_client.get(reverse("intake:row_list", args=[unknown])).status_code == 404
    batch = staged(dinas_client, "google_form.csv")
    assert dinas_client.get(reverse("intake:row_fix", args=[batch.pk, 999999])).status_code == 404
