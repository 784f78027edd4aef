"""The register list as XLSX and CSV: the same businesses as the list page (filters, default
status, scope), NIK and phone masked, streamed without a query per row, refused as XLSX when too
large, audited without personal data, and only for the roles that hold REGISTER_EXPORT."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts import permissions
from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.accounts.permissions import Capability
from naikkelas.core.models import AuditEvent
from naikkelas.regions.models import Region, RegionLevel
from naikkelas.registry import export_views
from naikkelas.registry.models import Business, BusinessOwner
from naikkelas.registry.services import business_close
from tests.conftest import make_user
from tests.exports.conftest import content_of, csv_rows, xlsx_sheets
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

URL = "/usaha/ekspor/"
HEADER = (
    "ID register",
    "Nama usaha",
    "Sektor",
    "Kecamatan",
    "Desa/kelurahan",
    "Status",
    "Kelas usaha",
    "Binaan",
    "NIB",
    "Pemilik utama",
    "NIK pemilik (disamarkan)",
    "HP pemilik (disamarkan)",
    "Tanggal terdaftar",
    "Sumber",
)
TAKTAKAN, KASEMEN = "36.73.06.1005", "36.73.02.1001"


@pytest.fixture
def register(dinas_user) -> dict[str, Business]:  # noqa: ANN001
    made = {
        "emping": make_business(
            owner=make_owner(full_name="Iyah Rohayati", nik="3673065205859001"),
            name="Emping Melinjo Bu Iyah",
            desa_kelurahan=TAKTAKAN,
            is_binaan=True,
            nib="9120000000001",
        ),
        "batik": make_business(
            owner=make_owner(full_name="Dadang Suhendar"),
            name="Batik Kasemen",
            sector="fesyen",
            desa_kelurahan=KASEMEN,
        ),
        "sate": make_business(
            owner=make_owner(full_name="Ujang Permana", nik=None, phone=""),
            name="Sate Bandeng Kasemen",
            desa_kelurahan="36.73.02.1007",
        ),
        "tutup": make_business(
            owner=make_owner(full_name="Asep Tutup"),
            name="Warung Tutup",
            desa_kelurahan=KASEMEN,
        ),
        # a formula typed into a name reaches the spreadsheet as text
        "rumus": make_business(
            owner=make_owner(full_name="Rudi Rumus"),
            name='=HYPERLINK("http://x","klik")',
            desa_kelurahan=TAKTAKAN,
        ),
    }
    business_close(actor=dinas_user, business=made["tutup"], reason="Pindah usaha")
    # a business of Kabupaten Serang: outside the deployment area (Kota Serang)
    outside = make_business(owner=make_owner(full_name="Luar Kota"), name="Usaha Luar Kota")
    kelurahan = (
        Region.objects.filter(code__startswith="36.04.", level=RegionLevel.DESA_KELURAHAN)
        .order_by("code")
        .first()
    )
    assert kelurahan is not None
    Business.objects.filter(pk=outside.pk).update(
        desa_kelurahan=kelurahan, kecamatan_id=kelurahan.parent_id
    )
    made["outside"] = Business.objects.get(pk=outside.pk)
    return made


def expected_row(business: Business) -> tuple[Any, ...]:
    """The export's row, computed here from the record (not through the export code)."""
    business.refresh_from_db()
    owner = BusinessOwner.objects.get(business=business, role="pemilik").owner
    nik = f"{owner.nik[:4]}********{owner.nik[12:]}" if owner.nik else ""
    phone = f"'{owner.phone[:6]}****{owner.phone[-4:]}" if owner.phone else ""
    name = "'" + business.name if business.name.startswith("=") else business.name
    return (
        str(business.pk),
        name,
        business.sector.name,
        business.kecamatan.name,
        business.desa_kelurahan.name,
        {"active": "Aktif", "closed": "Tutup", "merged": "Digabung"}[business.status],
        business.size_class,
        "ya" if business.is_binaan else "tidak",
        business.nib or "",
        owner.full_name,
        nik,
        phone,
        timezone.localtime(business.created_at).date().isoformat(),
        "Input petugas",
    )


def blank(row: tuple[Any, ...] | list[Any]) -> tuple[Any, ...]:
    return tuple("" if value is None else value for value in row)


def in_list_order(businesses: list[Business]) -> list[Business]:
    return sorted(businesses, key=lambda b: (b.name_key, str(b.pk)))


def listed(client: Client, params: dict[str, str]) -> list[str]:
    """Ids of the businesses the list page shows for ``params`` (fewer than a page here)."""
    page = client.get(reverse("registry:business_list"), params).context["page"]
    return [str(b.pk) for b in page]


def test_xlsx_has_the_active_businesses_of_the_area_masked_with_metadata(
    dinas_client, register
) -> None:  # noqa: ANN001
    rows, about = xlsx_sheets(dinas_client.get(URL, {"format": "xlsx"}))
    assert rows[0] == HEADER
    active = in_list_order([register[k] for k in ("emping", "batik", "sate", "rumus")])
    assert [blank(r) for r in rows[1:]] == [expected_row(b) for b in active]
    # what the page shows, in the page's order
    assert [r[0] for r in rows[1:]] == listed(dinas_client, {})
    emping = next(r for r in rows if r[1] == "Emping Melinjo Bu Iyah")
    assert emping[10] == "3673********9001" and "3673065205859001" not in str(rows)
    assert emping[11].startswith("'+62812") and "****" in emping[11]
    assert about["Laporan"] == "Register usaha" and about["Oleh"] == "test-dinas"
    assert about["Filter: status"] == "active" and about["rows"] == 4
    assert "Dibuat" in about

    event = AuditEvent.objects.get(action="register.export")
    assert event.actor.username == "test-dinas"
    assert event.extra == {"format": "xlsx", "rows": 4, "filters": {"status": "active"}}


def test_csv_streams_the_same_rows(dinas_client, register) -> None:  # noqa: ANN001
    response = dinas_client.get(URL, {"format": "csv"})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="register-usaha-')
    rows = csv_rows(response)
    assert tuple(rows[0]) == HEADER
    active = in_list_order([register[k] for k in ("emping", "batik", "sate", "rumus")])
    assert [tuple(r) for r in rows[1:]] == [expected_row(b) for b in active]
    assert AuditEvent.objects.get(action="register.export").extra["rows"] == 4


def test_a_filtered_export_matches_the_filtered_list(dinas_client, register) -> None:  # noqa: ANN001
    params = {"kecamatan": "36.73.02", "status": "", "q": "kasemen"}
    rows, about = xlsx_sheets(dinas_client.get(URL, {**params, "format": "xlsx"}))
    ids = [r[0] for r in rows[1:]]
    assert ids == listed(dinas_client, params)
    expected = {register["batik"], register["sate"]}  # the closed one has no "Kasemen" name
    assert set(ids) == {str(b.pk) for b in expected}
    assert about["Filter: kecamatan"] == "36.73.02" and about["Filter: status"] == "semua"
    # the search text may be a name, NIK or phone: masked in the file and the audit log
    assert about["Filter: q"] == "k******"
    closed = dinas_client.get(URL, {"status": "closed", "format": "csv"})
    assert [r[1] for r in csv_rows(closed)[1:]] == ["Warung Tutup"]
    by_nik = dinas_client.get(URL, {"q": "3673065205859001", "format": "csv"})
    assert [r[1] for r in csv_rows(by_nik)[1:]] == ["Emping Melinjo Bu Iyah"]
    events = list(AuditEvent.objects.filter(action="register.export").order_by("id"))
    assert [e.extra["rows"] for e in events] == [2, 1, 1]
    logged = json.dumps([e.extra for e in events])
    for private in ("3673065205859001", "kasemen", "Iyah", "+62812"):
        assert private not in logged


def test_invalid_filters_export_what_the_list_shows(dinas_client, register) -> None:  # noqa: ANN001
    params = {"kecamatan": "99.99", "is_binaan": "mungkin"}
    rows = csv_rows(dinas_client.get(URL, {**params, "format": "csv"}))
    assert [r[0] for r in rows[1:]] == listed(dinas_client, params)


def test_the_export_stays_within_the_users_scope(client, register, monkeypatch) -> None:  # noqa: ANN001
    # officers: the deployment area only (no Kabupaten Serang business)
    client.force_login(make_user(Role.HIPMIKINDO, "hipmikindo-ekspor"))
    rows = csv_rows(client.get(URL, {"status": "", "format": "csv"}))
    names = {r[1] for r in rows[1:]}
    assert "Usaha Luar Kota" not in names and "Warung Tutup" in names
    # an area-scoped user (were the capability ever granted to enumerators) gets only the
    # businesses of their kecamatan that they may see, like on the list page
    monkeypatch.setitem(
        permissions.GRANTS,
        Capability.REGISTER_EXPORT,
        frozenset({*permissions.GRANTS[Capability.REGISTER_EXPORT], Role.ENUMERATOR}),
    )
    enumerator = make_user(Role.ENUMERATOR, "enum-kasemen-ekspor")
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.02")
    mine = make_business(
        enumerator,
        owner=make_owner(full_name="Gipang Owner"),
        name="Gipang Kasemen",
        desa_kelurahan=KASEMEN,
    )
    make_business(
        enumerator,
        owner=make_owner(full_name="Elsewhere Owner"),
        name="Emping Taktakan Enumerator",
        desa_kelurahan=TAKTAKAN,
    )
    scoped = Client()
    scoped.force_login(enumerator)
    rows = csv_rows(scoped.get(URL, {"status": "", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == [str(mine.pk)]


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER])
def test_roles_without_the_capability_are_refused(client, register, role) -> None:  # noqa: ANN001
    client.force_login(make_user(role, f"no-export-{role}"))
    for fmt in ("xlsx", "csv"):
        assert client.get(URL, {"format": fmt}).status_code == 403
    assert not AuditEvent.objects.filter(action="register.export").exists()


def test_anonymous_is_sent_to_sign_in(client, register) -> None:  # noqa: ANN001
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302 and "/masuk/" in response.url


def test_malformed_format_is_404(dinas_client, register) -> None:  # noqa: ANN001
    for fmt in ("pdf", "", "XLSX", "csv;drop"):
        assert dinas_client.get(URL, {"format": fmt}).status_code == 404
    assert dinas_client.post(URL, {"format": "csv"}).status_code == 405
    assert not AuditEvent.objects.filter(action="register.export").exists()


def test_xlsx_above_the_limit_is_refused_with_a_message(
    dinas_client, register, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(export_views, "XLSX_MAX_ROWS", 2)
    response = dinas_client.get(URL, {"sector": "kuliner", "format": "xlsx"})
    assert response.status_code == 302
    assert response.url == reverse("registry:business_list") + "?sector=kuliner"
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "lebih dari batas unduhan XLSX" in message and "CSV" in message
    assert not AuditEvent.objects.filter(action="register.export").exists()
    # CSV has no limit; a narrower filter fits XLSX
    assert len(csv_rows(dinas_client.get(URL, {"format": "csv"}))) == 5
    rows, _about = xlsx_sheets(dinas_client.get(URL, {"sector": "fesyen", "format": "xlsx"}))
    assert len(rows) == 2


def test_no_query_per_row(dinas_client, register) -> None:  # noqa: ANN001
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            content_of(dinas_client.get(URL, {"format": "csv"}))
        return len(captured.captured_queries)

    few = queries_for_export()
    for number in range(12):
        make_business(
            owner=make_owner(full_name=f"Pemilik Banyak {number}"), name=f"Usaha {number}"
        )
    assert queries_for_export() == few


def test_the_list_page_links_the_export_with_its_filters(client, dinas_client, register) -> None:  # noqa: ANN001
    page = dinas_client.get(reverse("registry:business_list"), {"kecamatan": "36.73.02"})
    html = page.content.decode()
    assert f'href="{URL}?kecamatan=36.73.02&amp;format=xlsx"' in html
    assert f'href="{URL}?kecamatan=36.73.02&amp;format=csv"' in html
    assert f'href="{URL}?format=csv"' in dinas_client.get("/usaha/").content.decode()
    enumerator = make_user(Role.ENUMERATOR, "enum-tanpa-ekspor")
    client.force_login(enumerator)
    assert URL not in client.get(reverse("registry:business_list")).content.decode()
