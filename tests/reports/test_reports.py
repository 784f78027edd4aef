"""Dashboards agree with the register (numbers computed independently on fixtures), export
with a metadata sheet, stay free of personal data, and answer each role as the matrix says."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.fieldwork.models import KelurahanTarget
from naikkelas.registry.models import Business, BusinessStatus
from naikkelas.registry.services import permit_add, yearly_figure_set
from naikkelas.reports import selectors
from naikkelas.reports.models import SectorTarget
from tests.conftest import make_user
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(dinas_user):  # noqa: ANN001, ANN201
    made = [
        business_in("36.73.01"),
        business_in("36.73.01", sector="fesyen"),
        business_in("36.73.02", nib=False),
        business_in("36.73.06", is_binaan=True, binaan_since=date(2024, 3, 1)),
    ]
    for business, figures in zip(
        made,
        [
            {2024: 900_000_000, 2025: 2_500_000_000},  # mikro -> kecil
            {2024: 300_000_000, 2025: 350_000_000},  # mikro -> mikro
            {2025: 100_000_000},
            {2024: 400_000_000, 2025: 600_000_000},
        ],
        strict=True,
    ):
        for year, omzet in figures.items():
            yearly_figure_set(
                actor=dinas_user, business=business, year=year, omzet=omzet, modal=None, workers=3
            )
    permit_add(
        actor=dinas_user,
        business=made[0],
        kind="HALAL",
        number="ID3673-0001",
        issued_on=date(2025, 5, 1),
    )
    return made


def test_coverage_counts_and_targets(register) -> None:  # noqa: ANN001
    cover = selectors.coverage()
    active = Business.objects.filter(status=BusinessStatus.ACTIVE)
    assert cover.registered == active.count() == 4
    by_kec = {r.code: r for r in cover.by_kecamatan}
    assert by_kec["36.73.01"].registered == active.filter(kecamatan_id="36.73.01").count() == 2
    # kecamatan targets add up to the estimate (spread over kelurahan by the register)
    assert sum(r.target for r in cover.by_kecamatan) == cover.estimate
    KelurahanTarget.objects.create(region_id="36.73.01.1001", target=500)
    SectorTarget.objects.create(sector_id="fesyen", target=1200)
    cover = selectors.coverage()
    assert {r.code: r.target_set for r in cover.by_kecamatan}["36.73.01"] is True
    fesyen = {r.code: r for r in cover.by_sector}["fesyen"]
    assert (fesyen.target, fesyen.registered, fesyen.target_set) == (1200, 1, True)


def test_weekly_registrations_and_quality(register) -> None:  # noqa: ANN001
    today = timezone.localdate()
    weeks = selectors.registrations_by_week(today=today, weeks=4)
    assert len(weeks) == 4 and weeks[-1].total == 4  # all made this week
    assert weeks[-1].by_source == {"manual": 4}
    quality = selectors.data_quality(today=today)
    assert (quality.businesses, quality.with_nib) == (4, 3)
    assert (quality.kuliner, quality.kuliner_with_halal) == (3, 1)
    assert quality.owners == 4 and quality.owners_with_nik == 4


def test_class_moves_and_binaan_trends(register) -> None:  # noqa: ANN001
    distribution = selectors.class_distribution()
    assert distribution[2024] == {"mikro": 3}
    assert distribution[2025] == {"kecil": 1, "mikro": 3}
    moves = selectors.class_moves(year_from=2024, year_to=2025)
    assert moves.matrix == {"mikro": {"kecil": 1, "mikro": 2}}
    assert (moves.up, moves.down) == (1, 0)
    trends = {t.year: t for t in selectors.binaan_trends()}
    assert trends[2025].omzet_total == 600_000_000 and trends[2025].workers_total == 3
    permits = selectors.permits_by_year()
    assert permits[2025]["HALAL"] == 1


def test_pages_and_exports_for_dinas(dinas_client, register) -> None:  # noqa: ANN001
    page = dinas_client.get(reverse("reports:overview"))
    assert page.status_code == 200 and 'data-testid="coverage-kecamatan"' in page.content.decode()
    response = dinas_client.get(
        reverse("reports:overview"), {"tabel": "kecamatan", "format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Kode", "Kecamatan", "Terdaftar", "Target", "%")
    assert {r[0]: r[2] for r in rows[1:]}["36.73.01"] == 2
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Oleh"] == "test-dinas" and about["Laporan"] == "Cakupan per kecamatan"
    csv = dinas_client.get(reverse("reports:overview"), {"tabel": "mutu", "format": "csv"})
    assert "Usaha ber-NIB" in csv.content.decode("utf-8-sig")
    for table in ("kelas", "binaan", "izin"):
        assert dinas_client.get(reverse("reports:naik_kelas"), {"tabel": table}).status_code == 200
    assert AuditEvent.objects.filter(action="report.export").count() == 5
    assert dinas_client.get(reverse("reports:overview"), {"tabel": "x"}).status_code == 404
    naik = dinas_client.get(reverse("reports:naik_kelas"), {"dari": "2024", "sampai": "2025"})
    assert "1 naik kelas" in naik.content.decode()
    pdf = dinas_client.get(
        reverse("reports:monthly"), {"bulan": timezone.localdate().strftime("%Y-%m")}
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert dinas_client.get(reverse("reports:monthly"), {"bulan": "bulan-lalu"}).status_code == 404


def test_leadership_page_has_no_personal_data(register) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(make_user(Role.PIMPINAN, "pimpinan-laporan"))
    assert client.get("/").url == reverse("reports:leadership")
    page = client.get(reverse("reports:leadership")).content.decode()
    assert 'data-testid="registered">4<' in page
    for business in register:
        assert business.name not in page
        assert business.owners.get().full_name not in page
    assert client.get(reverse("reports:overview")).status_code == 200
    assert client.get(reverse("reports:sector_targets")).status_code == 403


def test_sector_targets_are_edited_by_the_office(dinas_client) -> None:  # noqa: ANN001
    response = dinas_client.post(
        reverse("reports:sector_targets"), {"kuliner": "6000", "fesyen": "", "kriya": "abc"}
    )
    assert response.status_code == 302
    assert not SectorTarget.objects.exists()  # nothing saved with an invalid value
    dinas_client.post(reverse("reports:sector_targets"), {"kuliner": "6000", "fesyen": "2000"})
    assert dict(SectorTarget.objects.values_list("sector_id", "target")) == {
        "kuliner": 6000,
        "fesyen": 2000,
    }
