"""Quarantine round trip: export to Excel, fix cells in Excel (openpyxl here), import back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.intake.headers import FIELD_LABELS
from naikkelas.intake.models import ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services import import_batch_run, import_batch_stage, import_row_correct
from naikkelas.intake.services.quarantine import (
    COLUMN_ID,
    COLUMN_ISSUES,
    quarantine_export_xlsx,
    quarantine_import_xlsx,
)
from naikkelas.registry.models import Owner

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
NIK_TYPED_AS_TEXT = "3673012505859123"  # synthetic: serial in 9000-9999 (ADR 0005)
NIK_TYPED_AS_NUMBER = 3673014507859124


def run(name: str) -> ImportBatch:
    batch, _created = import_batch_stage(
        actor=None, path=FIXTURES / name, file_name=name, source=name
    )
    return import_batch_run(actor=None, batch=batch)


def export(batch: ImportBatch, tmp_path: Path) -> Path:
    path = tmp_path / "karantina.xlsx"
    with path.open("wb") as stream:
        quarantine_export_xlsx(actor=None, batch=batch, stream=stream)
    return path


def header_of(ws: Any) -> list[str]:
    return [cell.value for cell in next(ws.iter_rows(min_row=1, max_row=1))]


def nik_damaged(row: ImportRow) -> bool:
    return any(i["field"] == "nik" and i["severity"] == "error" for i in row.issues)


def sheet_rows(ws: Any) -> dict[int, list[Any]]:
    """``{ID baris: row of cells}`` of an exported sheet (openpyxl cells, editable)."""
    return {row[0].value: row for row in ws.iter_rows(min_row=2)}


def test_export_lists_every_quarantined_row_with_current_values_and_reasons(tmp_path) -> None:
    batch = run("kelurahan_cipare.xlsx")
    assert batch.quarantined > 0
    wb = load_workbook(export(batch, tmp_path))
    ws = wb.active
    header = header_of(ws)
    sheet = next(iter(batch.layout))
    mapped = [
        c["field"] for c in batch.layout[sheet]["columns"] if c["field"] not in (None, "row_id")
    ]
    assert header == [
        COLUMN_ID,
        "Lembar",
        "Baris",
        *(FIELD_LABELS[f] for f in mapped),
        COLUMN_ISSUES,
    ]
    rows = sheet_rows(ws)
    quarantined = {r.pk: r for r in batch.rows.filter(status=RowStatus.QUARANTINED)}
    assert set(rows) == set(quarantined)
    nik_column = header.index("NIK")
    for row_id, cells in rows.items():
        row = quarantined[row_id]
        assert cells[1].value == row.sheet and cells[2].value == row.row_number
        errors = [i["message"] for i in row.issues if i["severity"] == "error"]
        assert cells[-1].value == "; ".join(errors)
        if nik_damaged(row):
            # the Excel-damaged NIK is exported as the number it is, never "repaired"
            value = cells[nik_column].value
            assert isinstance(value, int | float) and not isinstance(value, bool)
    event = AuditEvent.objects.get(action="import.quarantine_export")
    assert event.extra["rows"] == len(rows) == batch.quarantined
    assert event.object_id == str(batch.pk)


def test_round_trip_fixes_a_nik_typed_as_text_and_keeps_a_number_in_quarantine(
    tmp_path,
) -> None:
    batch = run("kelurahan_cipare.xlsx")
    damaged = [r for r in batch.rows.filter(status=RowStatus.QUARANTINED) if nik_damaged(r)]
    assert len(damaged) >= 3
    fixed, typed_as_number, untouched = damaged[0], damaged[1], damaged[2]
    path = export(batch, tmp_path)
    wb = load_workbook(path)
    ws = wb.active
    header = header_of(ws)
    rows = sheet_rows(ws)
    nik, phone = header.index("NIK"), header.index(FIELD_LABELS["phone"])
    # the officer retypes one NIK as text and empties the phone of that row ...
    rows[fixed.pk][nik].value = NIK_TYPED_AS_TEXT
    rows[fixed.pk][phone].value = None
    # ... types another NIK as a number (Excel keeps it as a float) ...
    rows[typed_as_number.pk][nik].value = NIK_TYPED_AS_NUMBER
    # ... and adds a row that is not one of ours.
    ws.append([999_999_999, "DATA UMKM", 99, "Siapa", NIK_TYPED_AS_TEXT])
    wb.save(path)

    counts = quarantine_import_xlsx(actor=None, batch=batch, path=path)

    assert counts["rows"] == batch.quarantined + 1
    assert counts["corrected"] == 2
    assert counts["promoted"] == 1
    assert counts["ignored"] == 1
    assert counts["still_quarantined"] == batch.quarantined - 1
    assert counts["rows"] == (
        counts["ignored"] + counts["promoted"] + counts["still_quarantined"] + counts["duplicates"]
    )
    assert "999999999" in counts["notes"][0]

    fixed.refresh_from_db()
    assert fixed.status == RowStatus.PROMOTED, fixed.issues
    assert fixed.corrections == {"nik": NIK_TYPED_AS_TEXT, "phone": None}
    owner = Owner.objects.get(pk=fixed.owner_id) if fixed.owner_id else None
    assert owner is not None
    assert (owner.nik, owner.phone) == (NIK_TYPED_AS_TEXT, "")

    typed_as_number.refresh_from_db()
    assert typed_as_number.status == RowStatus.QUARANTINED
    assert typed_as_number.corrections == {"nik": float(NIK_TYPED_AS_NUMBER)}
    message = next(i["message"] for i in typed_as_number.issues if i["field"] == "nik")
    assert "Excel" in message

    untouched.refresh_from_db()
    assert untouched.status == RowStatus.QUARANTINED and untouched.corrections == {}

    batch.refresh_from_db()
    assert batch.quarantined == counts["still_quarantined"]
    assert batch.rows_in == batch.promoted + batch.linked + batch.quarantined + (
        batch.duplicates_in_file
    )
    # one event for the whole upload, naming every corrected row
    corrected = AuditEvent.objects.get(action="import.row_correct")
    assert corrected.extra["count"] == 2 and len(corrected.extra["rows"]) == 2
    assert corrected.extra["statuses"] == {"promoted": 1, "quarantined": 1}
    event = AuditEvent.objects.get(action="import.quarantine_import")
    assert event.extra["promoted"] == 1 and event.extra["corrected"] == 2


def test_an_untouched_file_changes_nothing_and_formulas_are_neutralised(tmp_path) -> None:
    batch = run("kelurahan_cipare.xlsx")
    row = next(r for r in batch.rows.filter(status=RowStatus.QUARANTINED) if nik_damaged(r))
    formula = '=HYPERLINK("http://contoh.invalid","klik")'
    row = import_row_correct(
        actor=None, row=row, corrections={"business_name": formula, "phone": "+6281200001234"}
    )
    assert row.status == RowStatus.QUARANTINED  # the NIK is still damaged
    path = export(batch, tmp_path)
    ws = load_workbook(path).active
    header = header_of(ws)
    cells = sheet_rows(ws)[row.pk]
    name = cells[header.index(FIELD_LABELS["business_name"])]
    assert name.data_type == "s" and name.value == "'" + formula
    assert cells[header.index(FIELD_LABELS["phone"])].value == "'+6281200001234"

    before = dict(ImportRow.objects.filter(batch=batch).values_list("pk", "corrections"))
    counts = quarantine_import_xlsx(actor=None, batch=batch, path=path)

    assert counts["corrected"] == 0 and counts["promoted"] == 0
    assert (
        counts["still_quarantined"]
        == counts["rows"]
        == batch.rows.filter(status=RowStatus.QUARANTINED).count()
    )
    assert dict(ImportRow.objects.filter(batch=batch).values_list("pk", "corrections")) == before


def test_a_list_without_kelurahan_gets_a_column_to_fill_in(tmp_path) -> None:
    batch = run("hipmikindo_anggota.csv")
    assert batch.quarantined > 0
    path = export(batch, tmp_path)
    wb = load_workbook(path)
    ws = wb.active
    header = header_of(ws)
    kelurahan = header.index(FIELD_LABELS["desa_kelurahan"])  # not a column of the list
    for cells in sheet_rows(ws).values():
        cells[kelurahan].value = "36.73.01.1002"
    wb.save(path)

    counts = quarantine_import_xlsx(actor=None, batch=batch, path=path)

    assert counts["corrected"] == counts["rows"] == batch.quarantined
    assert counts["promoted"] > 0


def test_rows_of_another_batch_and_repeated_ids_are_ignored(tmp_path) -> None:
    batch = run("kelurahan_cipare.xlsx")
    other = run("google_form.csv")
    foreign = other.rows.order_by("pk").first()
    assert foreign is not None
    path = export(batch, tmp_path)
    wb = load_workbook(path)
    ws = wb.active
    first_id = next(iter(sheet_rows(ws)))
    ws.append([foreign.pk, "CSV", 2, "x"])
    ws.append([first_id, "DATA UMKM", 5, "x"])
    ws.append([None, None, None, "tanpa id"])
    wb.save(path)

    counts = quarantine_import_xlsx(actor=None, batch=batch, path=path)

    assert counts["ignored"] == 3
    foreign.refresh_from_db()
    assert foreign.corrections == {}


def test_a_file_without_the_id_column_is_refused(tmp_path) -> None:
    batch = run("kelurahan_cipare.xlsx")
    path = tmp_path / "lain.xlsx"
    wb = Workbook()
    wb.active.append(["Nama Pemilik", "NIK"])
    wb.save(path)
    with pytest.raises(ValidationError) as error:
        quarantine_import_xlsx(actor=None, batch=batch, path=path)
    assert "ID baris" in str(error.value)
    pdf = tmp_path / "surat.xlsx"
    pdf.write_bytes(b"%PDF-1.4 bukan spreadsheet")
    with pytest.raises(ValidationError):
        quarantine_import_xlsx(actor=None, batch=batch, path=pdf)


def test_a_batch_that_did_not_run_cannot_take_corrections(tmp_path) -> None:
    batch, _ = import_batch_stage(
        actor=None,
        path=FIXTURES / "kelurahan_cipare.xlsx",
        file_name="kelurahan_cipare.xlsx",
        source="x",
    )
    stream = io.BytesIO()
    assert quarantine_export_xlsx(actor=None, batch=batch, stream=stream) == 0
    path = tmp_path / "k.xlsx"
    path.write_bytes(stream.getvalue())
    with pytest.raises(ApplicationError):
        quarantine_import_xlsx(actor=None, batch=batch, path=path)
