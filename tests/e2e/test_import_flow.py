"""An officer imports a kelurahan's spreadsheet, fixes a quarantined row, and cannot import it twice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.intake.models import BatchStatus, ImportBatch, RowStatus
from naikkelas.registry.models import Business
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser

CIPARE = Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "kelurahan_cipare.xlsx"
SYNTHETIC_NIK = "3673012505859123"  # region 367301, born 25-05-1985, serial 9123
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_officer_imports_a_spreadsheet_and_fixes_a_quarantined_row(
    live_server, page, settings, tmp_path
) -> None:
    # given an officer of the Dinas, and imports that run as soon as they are queued
    load_reference_data()
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    settings.TASKS = IMMEDIATE
    shots = Path(os.environ.get("NAIKKELAS_SCREENSHOTS") or tmp_path)

    # when the officer signs in and uploads the kelurahan's list
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    page.click("nav >> text=Impor")
    page.wait_for_selector("h1:has-text('Impor daftar UMKM')")
    page.fill("#id_source", "kelurahan-cipare-2024")
    page.set_input_files("#id_file", str(CIPARE))
    page.click("button:has-text('Unggah')")

    # then the mapping preview shows the detected columns and the first rows
    page.wait_for_selector("[data-testid=mapping]")
    assert page.locator("select[aria-label='Kolom B (Nama Pemilik)']").input_value() == (
        "owner_name"
    )
    assert page.locator("select[aria-label='Kolom C (NIK)']").input_value() == "nik"
    assert page.locator("select[aria-label='Kolom K (Omzet/bulan)']").input_value() == (
        "omzet_month"
    )
    assert "25 baris data" in page.inner_text("[data-testid=sheet]")
    page.screenshot(path=shots / "import-mapping.png", full_page=True)

    # when the officer runs the import
    page.click("button:has-text('Jalankan impor')")

    # then the result accounts for every row and lists the quarantined ones
    page.wait_for_selector("[data-testid=invariant]")
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.DONE
    invariant = page.inner_text("[data-testid=invariant]")
    assert (
        f"25 baris masuk = {batch.promoted} baru + {batch.linked} cocok + "
        f"{batch.quarantined} karantina + {batch.duplicates_in_file} ganda"
    ) in invariant
    quarantined = int(page.inner_text("[data-testid=quarantined]"))
    assert quarantined == batch.quarantined >= 4
    businesses = Business.objects.count()
    assert businesses == batch.promoted
    page.screenshot(path=shots / "import-result.png", full_page=True)

    # when the officer opens a row whose NIK Excel damaged and types it from the KTP
    damaged = page.locator("[data-testid=quarantine] tbody tr", has_text="NIK rusak oleh Excel")
    where = damaged.first.get_attribute("data-row")
    damaged.first.locator("a:has-text('Perbaiki')").click()
    page.wait_for_selector("[data-testid=fix-form]")
    assert "NIK rusak oleh Excel" in page.inner_text("[data-field=nik]")
    assert "angka" in page.inner_text("[data-testid=raw-cells]")
    page.screenshot(path=shots / "import-fix.png", full_page=True)
    page.fill("#id_nik", SYNTHETIC_NIK)
    page.click("button:has-text('Simpan dan proses ulang')")

    # then the row is promoted and the quarantine has one row less
    page.wait_for_selector("text=sekarang: Masuk register (baru)")
    assert int(page.inner_text("[data-testid=count-quarantined]")) == quarantined - 1
    sheet, number = where.rsplit(":", 1)
    row = batch.rows.get(sheet=sheet, row_number=int(number))
    assert row.status == RowStatus.PROMOTED
    assert row.business.owners.get().nik == SYNTHETIC_NIK
    assert Business.objects.count() == businesses + 1
    page.screenshot(path=shots / "import-quarantine.png", full_page=True)

    # when the same file is uploaded again
    page.click("nav >> text=Impor")
    page.set_input_files("#id_file", str(CIPARE))
    page.click("button:has-text('Unggah')")

    # then it is recognised as already imported and nothing new enters the register
    page.wait_for_selector("[data-testid=duplicate]")
    assert "sudah pernah diimpor" in page.inner_text("[data-testid=duplicate]")
    assert ImportBatch.objects.count() == 1
    assert Business.objects.count() == businesses + 1
    page.click("[data-testid=duplicate] >> text=Lihat impor itu")
    page.wait_for_selector("[data-testid=invariant]")
