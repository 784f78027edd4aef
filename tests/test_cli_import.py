"""`naikkelas import FILE`: synchronous import with a summary; --dry-run changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from naikkelas.accounts.models import Role
from naikkelas.cli import main
from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "intake"
CIPARE = FIXTURES / "kelurahan_cipare.xlsx"


def run_json(capsys, *args: str) -> dict[str, Any]:  # noqa: ANN001
    main(["import", *args, "--json"])
    return json.loads(capsys.readouterr().out)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_import_prints_counts_that_account_for_every_row(capsys) -> None:
    summary = run_json(capsys, str(CIPARE), "--source", "kelurahan-cipare")
    assert summary["rows_in"] == 25
    assert summary["rows_in"] == (
        summary["promoted"] + summary["linked"] + summary["quarantined"] + summary["duplicates"]
    )
    assert summary["accounted_ok"] is True
    assert summary["quarantined"] >= 3 and summary["duplicates"] == 1
    assert summary["dry_run"] is False and summary["already_imported"] is False
    batch = ImportBatch.objects.get(pk=summary["batch_id"])
    assert batch.status == BatchStatus.DONE and batch.source == "kelurahan-cipare"
    assert Business.objects.filter(source="import").count() == summary["promoted"]
    # the system ran it: audited without an actor
    assert AuditEvent.objects.get(action="import.run").actor is None


def test_progress_goes_to_stderr_and_the_text_summary_to_stdout(capsys) -> None:
    main(["import", str(CIPARE)])
    captured = capsys.readouterr()
    assert "25/25" in captured.err and "[" in captured.err
    assert "baris masuk" in captured.out and "(cocok)" in captured.out


def test_dry_run_leaves_the_database_and_the_file_store_unchanged(capsys) -> None:
    businesses, owners, batches = (
        Business.objects.count(),
        Owner.objects.count(),
        ImportBatch.objects.count(),
    )
    audit_events, files = AuditEvent.objects.count(), stored_files()
    summary = run_json(capsys, str(CIPARE), "--dry-run")
    assert summary["dry_run"] is True
    assert summary["promoted"] > 0  # what would have happened
    assert summary["rows_in"] == (
        summary["promoted"] + summary["linked"] + summary["quarantined"] + summary["duplicates"]
    )
    assert Business.objects.count() == businesses
    assert Owner.objects.count() == owners
    assert ImportBatch.objects.count() == batches
    assert AuditEvent.objects.count() == audit_events
    assert stored_files() == files
    # and the real import afterwards does the same as the dry run said
    real = run_json(capsys, str(CIPARE))
    assert {k: real[k] for k in ("promoted", "quarantined", "duplicates", "linked")} == {
        k: summary[k] for k in ("promoted", "quarantined", "duplicates", "linked")
    }


def test_the_same_file_twice_reports_the_earlier_import(capsys) -> None:
    first = run_json(capsys, str(CIPARE))
    businesses = Business.objects.count()
    again = run_json(capsys, str(CIPARE))
    assert again["already_imported"] is True and again["batch_id"] == first["batch_id"]
    assert Business.objects.count() == businesses


def test_a_mapping_file_sets_columns_and_options(capsys, tmp_path) -> None:
    mapping = tmp_path / "pemetaan.json"
    mapping.write_text(
        json.dumps({"columns": {}, "options": {"default_desa_kelurahan": "36.73.01.1002"}})
    )
    summary = run_json(capsys, str(FIXTURES / "hipmikindo_anggota.csv"), "--mapping", str(mapping))
    assert summary["promoted"] > 0
    assert (
        Business.objects.filter(desa_kelurahan_id="36.73.01.1002").count() == (summary["promoted"])
    )


def test_user_option_records_the_actor(capsys) -> None:
    user = make_user(Role.DINAS)
    run_json(capsys, str(FIXTURES / "google_form.csv"), "--user", user.username)
    assert AuditEvent.objects.get(action="import.run").actor == user
    assert ImportBatch.objects.get().created_by == user


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.xlsx", b"%PDF-1.7 ini surat, bukan daftar"),
        ("rusak.xlsx", b"PK\x03\x04 zip yang terpotong"),
        ("catatan.csv", b"halo\nini bukan daftar umkm\n"),
    ],
)
def test_an_unreadable_file_exits_with_2(capsys, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(path)])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.strip() and not captured.out
    assert ImportBatch.objects.count() == 0


def test_bad_arguments_exit_with_2(capsys, tmp_path) -> None:
    with pytest.raises(SystemExit) as missing:
        main(["import", str(tmp_path / "tidak-ada.xlsx")])
    assert missing.value.code == 2
    with pytest.raises(SystemExit) as unknown_user:
        main(["import", str(CIPARE), "--user", "siapa"])
    assert unknown_user.value.code == 2
    make_user(Role.PIMPINAN, "pimpinan")
    with pytest.raises(SystemExit) as not_allowed:
        main(["import", str(CIPARE), "--user", "pimpinan"])
    assert not_allowed.value.code == 2
    mapping = tmp_path / "m.json"
    mapping.write_text('{"columns": {"DATA UMKM": {"1": "ukuran_sepatu"}}}')
    with pytest.raises(SystemExit) as bad_mapping:
        main(["import", str(CIPARE), "--mapping", str(mapping)])
    assert bad_mapping.value.code == 2
    assert "ukuran_sepatu" in capsys.readouterr().err
    assert ImportBatch.objects.count() == 0  # refused before the file was staged
