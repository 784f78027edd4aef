"""Every table of the kendala planning page and of the fairness pages (per cycle and
cumulative) downloads as XLSX (with a metadata sheet) and CSV through ``core.table_export``:
the rows agree with numbers computed here from the fixtures, the period and year filters go
with the file, the pimpinan's files hold no overrides, and each download is audited."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.core.table_export import table_export_response
from naikkelas.kendala import services as kendala_services
from naikkelas.kendala.models import Kendala
from naikkelas.programs import services
from naikkelas.programs.models import Application, ApplicationStatus
from tests.conftest import make_user
from tests.exports.conftest import csv_rows, xlsx_sheets
from tests.kendala.conftest import business_at, report
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db

PLANNING = "/kendala/laporan/"


def blank(row: tuple[object, ...]) -> list[object]:
    return ["" if value is None else value for value in row]


# --- the shared helper -----------------------------------------------------------------------


def test_helper_writes_both_formats_and_rejects_others(rf, dinas_user) -> None:  # noqa: ANN001
    def export(fmt: str):  # noqa: ANN202
        request = rf.get("/x/", {"format": fmt})
        request.user = dinas_user
        return table_export_response(
            request,
            name="uji",
            title="Tabel uji",
            header=["Kode", "Nama"],
            rows=[["a", "=1+1"], ["b", 2]],
            filters={"tahun": 2025},
        )

    rows, about = xlsx_sheets(export("xlsx"))
    assert rows == [("Kode", "Nama"), ("a", "'=1+1"), ("b", 2)]
    assert about["Laporan"] == "Tabel uji" and about["Filter: tahun"] == 2025
    assert about["Oleh"] == dinas_user.username and about["rows"] == 2
    assert csv_rows(export("csv")) == [["Kode", "Nama"], ["a", "'=1+1"], ["b", "2"]]
    with pytest.raises(Http404):
        export("pdf")
    events = AuditEvent.objects.filter(action="report.export", object_id="uji")
    assert sorted(e.extra["format"] for e in events) == ["csv", "xlsx"]
    assert all(e.extra["rows"] == 2 and e.extra["filters"] == {"tahun": 2025} for e in events)


# --- kendala planning --------------------------------------------------------------------------


@pytest.fixture
def kendala_2025(officer) -> list[Kendala]:  # noqa: ANN001
    kendala_services.kendala_categories_load()
    kasemen = business_at("36.73.02.1003", sector="fesyen")
    walantaka = business_at("36.73.05.1002", sector="kriya")
    made = [
        report(officer, business=kasemen, category="perizinan"),
        report(officer, business=kasemen, category="perizinan"),
        report(officer, business=walantaka, category="kemasan"),
        report(officer, category="permodalan", desa_kelurahan="36.73.05.1001"),
        report(officer, category="permodalan", desa_kelurahan="36.73.05.1001"),
    ]
    zone = timezone.get_current_timezone()
    created = [
        datetime(2025, 2, 10, 9, tzinfo=zone),
        datetime(2025, 3, 2, 9, tzinfo=zone),
        datetime(2025, 7, 1, 8, tzinfo=zone),
        datetime(2025, 12, 31, 23, 30, tzinfo=zone),
        datetime(2024, 12, 20, 10, tzinfo=zone),  # another year: not counted
    ]
    for kendala, when in zip(made, created, strict=True):
        Kendala.objects.filter(pk=kendala.pk).update(created_at=when)
    kendala_services.kendala_set_status(actor=officer, kendala=made[0], status="ditelaah")
    kendala_services.kendala_respond(
        actor=officer, kendala=made[0], response="Sudah dibantu.", status="selesai"
    )
    Kendala.objects.filter(pk=made[0].pk).update(closed_at=created[0] + timedelta(days=4))
    return [Kendala.objects.get(pk=k.pk) for k in made[:4]]


def test_planning_tables_export_what_the_page_counts(client, kendala_2025) -> None:  # noqa: ANN001
    client.force_login(make_user(Role.PIMPINAN, "pimpinan-ekspor-kendala"))  # counts only
    page = client.get(PLANNING, {"tahun": "2025"}).content.decode()
    for table in ("kategori", "kecamatan", "sektor", "status"):
        assert f'href="?tahun=2025&amp;tabel={table}&amp;format=xlsx"' in page
        assert f'href="?tahun=2025&amp;tabel={table}&amp;format=csv"' in page

    rows, about = xlsx_sheets(client.get(PLANNING, {"tahun": "2025", "tabel": "kategori"}))
    assert rows[0][:2] == ("Kode", "Kategori") and len(rows[0]) == 2 + 12 + 2
    by_code = {r[0]: r for r in rows[1:-1]}
    for code in ("perizinan", "kemasan", "permodalan"):
        mine = [k for k in kendala_2025 if k.category.code == code]
        months = Counter(timezone.localtime(k.created_at).month for k in mine)
        assert list(by_code[code][2:14]) == [months.get(m, 0) for m in range(1, 13)]
        assert by_code[code][14] == len(mine)
    assert by_code["perizinan"][15] == 4.0  # one closed after 4 days
    assert blank(rows[-1])[:2] == ["", "Jumlah"] and rows[-1][14] == len(kendala_2025)
    assert about["Filter: tahun"] == 2025 and about["Oleh"] == "pimpinan-ekspor-kendala"

    kecamatan = csv_rows(
        client.get(PLANNING, {"tahun": "2025", "tabel": "kecamatan"} | {"format": "csv"})
    )
    assert kecamatan[0] == ["Kode", "Kecamatan", "Jumlah", "Terbuka", "Ditutup", "%"]
    counted = {r[0]: r for r in kecamatan[1:]}
    for code in ("36.73.02", "36.73.05"):
        mine = [k for k in kendala_2025 if k.kecamatan_id == code]
        still_open = sum(1 for k in mine if k.status != "selesai")
        assert counted[code][2:5] == [str(len(mine)), str(still_open), str(len(mine) - still_open)]
    assert counted["36.73.02"][5] == str(round(100 * 2 / 4, 1))

    sectors, _about = xlsx_sheets(client.get(PLANNING, {"tahun": "2025", "tabel": "sektor"}))
    assert {r[0]: r[2] for r in sectors[1:]}["fesyen"] == sum(
        1 for k in kendala_2025 if k.sector_id == "fesyen"
    )
    statuses, _about = xlsx_sheets(client.get(PLANNING, {"tahun": "2025", "tabel": "status"}))
    assert {r[0]: r[2] for r in statuses[1:]}["selesai"] == 1
    assert sum(r[2] for r in statuses[1:]) == len(kendala_2025)
    # counts only: no reporter, phone or text in any file
    for table in ("kategori", "kecamatan", "sektor", "status"):
        text = client.get(PLANNING, {"tahun": "2025", "tabel": table, "format": "csv"})
        body = text.content.decode("utf-8-sig")
        for private in ("Ujang", "+62812", "Belum paham"):
            assert private not in body

    events = AuditEvent.objects.filter(action="report.export", object_type="report")
    assert events.count() == 8
    assert events.filter(object_id="kendala-kecamatan-2025").first().extra["rows"] == len(
        kecamatan[1:]
    )
    assert client.get(PLANNING, {"tabel": "rahasia"}).status_code == 404
    assert client.get(PLANNING, {"tabel": "status", "format": "docx"}).status_code == 404


# --- fairness per cycle ------------------------------------------------------------------------


@pytest.fixture
def selected_cycle(officer, cycle):  # noqa: ANN001, ANN201
    for kecamatan in ("36.73.01", "36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05"):
        services.application_nominate(actor=officer, cycle=cycle, business=business_in(kecamatan))
    services.cycle_publish(actor=officer, cycle=cycle)
    services.selection_run(actor=officer, cycle=cycle)
    waiting = Application.objects.filter(cycle=cycle, status=ApplicationStatus.WAITLISTED).first()
    services.application_override(
        actor=officer,
        application=waiting,
        to_status="not_selected",
        reason="Sudah pindah ke Kabupaten Serang",
    )
    cycle.refresh_from_db()
    return cycle, waiting


def test_cycle_fairness_tables(dinas_client, selected_cycle) -> None:  # noqa: ANN001
    cycle, overridden = selected_cycle
    url = reverse("programs:cycle_fairness", args=[cycle.pk])
    page = dinas_client.get(url).content.decode()
    for table in ("kecamatan", "sektor", "jenis-kelamin", "perubahan"):
        assert f'href="?tabel={table}&amp;format=xlsx"' in page

    rows, about = xlsx_sheets(dinas_client.get(url, {"tabel": "kecamatan", "format": "xlsx"}))
    assert rows[0] == (
        "Kode",
        "Kecamatan",
        "Usaha di register",
        "Bagian register (%)",
        "Kursi",
        "Bagian kursi (%)",
        "Selisih (poin)",
        "Rupiah",
    )
    selected = Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED)
    seats = Counter(a.business.kecamatan_id for a in selected)
    run = cycle.runs.order_by("-number").first()
    register = Counter()
    for kecamatan, _sector, n in run.register_counts:
        register[kecamatan] += n
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == set(register) | set(seats)
    for code, row in by_code.items():
        assert row[2] == register[code]
        assert row[4] == seats[code]
        assert row[5] == round(100 * seats[code] / sum(seats.values()), 1)
        assert row[7] == seats[code] * cycle.unit_value
    assert about["Filter: angkatan"] == cycle.name
    assert about["Filter: program"] == cycle.programme.name and about["Oleh"] == "test-dinas"

    sexes = csv_rows(dinas_client.get(url, {"tabel": "jenis-kelamin", "format": "csv"}))
    assert sum(int(r[2]) for r in sexes[1:]) == selected.count()
    changes = csv_rows(dinas_client.get(url, {"tabel": "perubahan", "format": "csv"}))
    assert changes[0] == ["Waktu", "Usaha", "Perubahan", "Alasan", "Petugas"]
    assert [r[1:] for r in changes[1:]] == [
        [
            overridden.business.name,
            "Cadangan → Tidak terpilih",
            "Sudah pindah ke Kabupaten Serang",
            "petugas-program",
        ]
    ]
    sectors = csv_rows(dinas_client.get(url, {"tabel": "sektor", "format": "csv"}))
    assert {r[0]: r[4] for r in sectors[1:]}["kuliner"] == str(selected.count())

    events = AuditEvent.objects.filter(action="programme.export")
    assert events.count() == 4
    assert {e.extra["rows"] for e in events if e.object_id.endswith("-perubahan")} == {1}
    assert dinas_client.get(url, {"tabel": "pemilik"}).status_code == 404
    assert dinas_client.get(url, {"tabel": "sektor", "format": "json"}).status_code == 404


# --- cumulative fairness ---------------------------------------------------------------------


def test_cumulative_fairness_tables_carry_the_period_and_hide_overrides_from_pimpinan(
    client, officer, selected_cycle
) -> None:  # noqa: ANN001
    today = timezone.localdate()
    helped = business_in("36.73.05", sex="P")
    services.aid_record_create(
        actor=officer,
        business=helped,
        kind="kemasan",
        description="Cetak kemasan",
        value=2_000_000,
        received_on=today,
    )
    earlier = business_in("36.73.06")
    services.aid_record_create(
        actor=officer,
        business=earlier,
        kind="kemasan",
        description="Sebelum periode",
        value=5_000_000,
        received_on=date(today.year - 2, 6, 1),
    )
    period = {"date_from": date(today.year, 1, 1).isoformat(), "date_to": today.isoformat()}
    url = reverse("programs:fairness")

    client.force_login(make_user(Role.PIMPINAN, "pimpinan-keadilan"))
    page = client.get(url, period).content.decode()
    query = f"date_from={period['date_from']}&amp;date_to={period['date_to']}"
    assert f'href="?{query}&amp;tabel=kecamatan&amp;format=xlsx"' in page
    assert "tabel=perubahan" not in page

    rows, about = xlsx_sheets(client.get(url, {**period, "tabel": "kecamatan"}))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["36.73.05"][4] == 1 and by_code["36.73.05"][7] == 2_000_000
    assert by_code["36.73.06"][4] == 0 and by_code["36.73.06"][7] == 0  # outside the period
    assert about["Filter: dari"] == period["date_from"]
    assert about["Filter: sampai"] == period["date_to"]
    sexes = csv_rows(client.get(url, {**period, "tabel": "jenis-kelamin", "format": "csv"}))
    assert sexes[1:] == [["P", "Perempuan", "1"]]
    # no names, no overrides for the pimpinan: the table is not there
    for fmt in ("xlsx", "csv"):
        refused = client.get(url, {**period, "tabel": "perubahan", "format": fmt})
        assert refused.status_code == 404
    body = b"".join(
        client.get(url, {**period, "tabel": t, "format": "csv"}).content
        for t in ("kecamatan", "sektor", "jenis-kelamin")
    ).decode("utf-8-sig")
    assert helped.name not in body and "Sudah pindah" not in body

    # a wider period counts the earlier aid too
    wide = {"date_from": date(today.year - 3, 1, 1).isoformat(), "date_to": today.isoformat()}
    rows, about = xlsx_sheets(client.get(url, {**wide, "tabel": "kecamatan"}))
    assert {r[0]: r[7] for r in rows[1:]}["36.73.06"] == 5_000_000
    assert about["Filter: dari"] == wide["date_from"]

    officer_client = Client()
    officer_client.force_login(officer)
    assert "tabel=perubahan" in officer_client.get(url, period).content.decode()
    changes = csv_rows(officer_client.get(url, {**period, "tabel": "perubahan", "format": "csv"}))
    assert [r[3] for r in changes[1:]] == ["Sudah pindah ke Kabupaten Serang"]

    events = AuditEvent.objects.filter(action="report.export", object_id__startswith="pemerataan")
    assert events.count() == 7
    assert all(set(e.extra["filters"]) == {"dari", "sampai"} for e in events)
