"""Kendala pages of owners and officers: the portal (own businesses only), the list with its
filters, one item with every action, logging on behalf, the forum table, the categories and
the planning counts (checked against numbers computed here from the fixtures)."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.kendala import services
from naikkelas.kendala.models import Kendala, KendalaCategory
from naikkelas.programs import services as programme_services
from naikkelas.programs.models import Application
from tests.conftest import make_user
from tests.kendala.conftest import business_at, report
from tests.programs.conftest import new_cycle

pytestmark = pytest.mark.django_db


def no_inline_code(html: str) -> None:
    assert "style=" not in html and "<script" not in html and " onclick" not in html


# --- the owner portal -------------------------------------------------------------------------


def test_owner_reports_for_their_business_and_reads_the_answer(client, owned, officer) -> None:  # noqa: ANN001
    client.force_login(owned["user"])
    page = client.get("/saya/kendala/")
    html = page.content.decode()
    assert page.status_code == 200 and "Keripik Pisang Siti" in html
    assert "Bengkel Dadang" not in html  # not theirs
    no_inline_code(html)
    response = client.post(
        "/saya/kendala/",
        {
            "business": str(owned["business"].pk),
            "category": "bahan-baku",
            "title": "",
            "description": "Harga pisang kepok naik dua kali lipat.",
        },
    )
    assert response.status_code == 302
    kendala = Kendala.objects.get()
    assert (kendala.channel, kendala.business) == ("portal", owned["business"])
    services.kendala_respond(
        actor=officer,
        kendala=kendala,
        response="Kami hubungkan dengan koperasi petani pisang di Curug.",
        status="ditindaklanjuti",
    )
    html = client.get("/saya/kendala/").content.decode()
    assert "Harga pisang kepok" in html and "koperasi petani pisang" in html
    assert "Ditindaklanjuti" in html and kendala.tracking_code in html


def test_owner_cannot_report_for_or_see_another_business(client, owned, officer) -> None:  # noqa: ANN001
    client.force_login(owned["user"])
    response = client.post(
        "/saya/kendala/",
        {"business": str(owned["other"].pk), "category": "pajak", "description": "x"},
    )
    assert response.status_code == 404
    response = client.post(
        "/saya/kendala/", {"business": "bukan-id", "category": "pajak", "description": "x"}
    )
    assert response.status_code == 404
    theirs = report(officer, business=owned["other"], description="Rahasia bengkel")
    html = client.get("/saya/kendala/").content.decode()
    assert "Rahasia bengkel" not in html and theirs.tracking_code not in html
    assert not Kendala.objects.filter(business=owned["business"]).exists()


def test_staff_cannot_use_the_owner_portal(client, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    assert client.get("/saya/kendala/").status_code == 403


# --- officers: list -----------------------------------------------------------------------------


@pytest.fixture
def spread(officer) -> dict[str, Kendala]:  # noqa: ANN001
    """Kendala across kecamatan, sectors, categories and statuses."""
    kasemen = business_at("36.73.02.1001", sector="fesyen", name="Batik Kasemen")
    taktakan = business_at("36.73.06.1001", sector="kuliner", name="Sate Bandeng Taktakan")
    items = {
        "izin": report(officer, business=taktakan, category="perizinan", description="PIRT"),
        "modal": report(officer, business=kasemen, category="permodalan", description="KUR"),
        "pasar": report(officer, category="pemasaran", description="Pasar online"),
        "pajak": report(officer, business=kasemen, category="pajak", description="PPh final"),
    }
    services.kendala_set_status(actor=officer, kendala=items["modal"], status="ditelaah")
    services.kendala_respond(
        actor=officer, kendala=items["pajak"], response="Tarif 0,5%.", status="tidak_dapat"
    )
    Kendala.objects.filter(pk=items["pasar"].pk).update(
        target_date=timezone.localdate() - timedelta(days=1)
    )
    services.kendala_assign(actor=officer, kendala=items["izin"], assignee=officer)
    return items


def codes(html: str, items: dict[str, Kendala]) -> set[str]:
    return {name for name, k in items.items() if k.tracking_code in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"izin", "modal", "pasar", "pajak"}),
        ({"status": "open"}, {"izin", "modal", "pasar"}),
        ({"status": "closed"}, {"pajak"}),
        ({"status": "ditelaah"}, {"modal"}),
        ({"category": "perizinan"}, {"izin"}),
        ({"kecamatan": "36.73.02"}, {"modal", "pajak"}),
        ({"sector": "kuliner"}, {"izin"}),
        ({"assignee": "none"}, {"modal", "pasar", "pajak"}),
        ({"overdue": "on"}, {"pasar"}),
        ({"channel": "petugas"}, {"izin", "modal", "pasar", "pajak"}),
    ],
)
def test_list_filters(client, officer, spread, query, expected) -> None:  # noqa: ANN001
    client.force_login(officer)
    response = client.get("/kendala/kelola/", query)
    assert response.status_code == 200
    assert codes(response.content.decode(), spread) == expected


def test_list_by_assignee_and_overdue_tag(client, officer, spread) -> None:  # noqa: ANN001
    client.force_login(officer)
    html = client.get("/kendala/kelola/", {"assignee": str(officer.pk)}).content.decode()
    assert codes(html, spread) == {"izin"}
    html = client.get("/kendala/kelola/").content.decode()
    assert html.count('data-testid="overdue"') == 1
    no_inline_code(html)


def test_list_pages_with_a_constant_number_of_queries(
    client,
    officer,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for index in range(60):
        report(officer, business=business_at() if index % 3 == 0 else None)
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        first = client.get("/kendala/kelola/")
    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == 50
    second = client.get("/kendala/kelola/", {"page": "2", "channel": "petugas"})
    assert len(second.context["page"].object_list) == 10
    assert "channel=petugas&amp;page=1" in second.content.decode()


def test_pimpinan_and_enumerators_cannot_open_the_officer_pages(client, spread) -> None:  # noqa: ANN001
    for role in (Role.PIMPINAN, Role.ENUMERATOR, Role.OWNER):
        client.force_login(make_user(role, f"tidak-boleh-{role}"))
        assert client.get("/kendala/kelola/").status_code == 403
        url = reverse("kendala:manage_detail", args=[spread["izin"].pk])
        assert client.get(url).status_code == 403


# --- officers: one item -------------------------------------------------------------------------


def test_detail_actions_assign_respond_status_target(client, officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    colleague = make_user(Role.HIPMIKINDO, "rekan-hipmikindo")
    client.force_login(officer)
    detail = reverse("kendala:manage_detail", args=[kendala.pk])
    html = client.get(detail).content.decode()
    assert "+62812****7001" in html and "081200007001" not in html and "+6281200007001" not in html
    no_inline_code(html)

    def act(action: str, data: dict[str, str]) -> None:
        url = reverse("kendala:manage_action", args=[kendala.pk, action])
        assert client.post(url, data)["Location"] == detail

    act("tugaskan", {"assignee": str(colleague.pk)})
    act("status", {"status": "ditelaah"})
    act("target", {"target_date": "2099-12-31"})
    act("tanggapi", {"response": "Kami jadwalkan pendampingan OSS.", "status": "ditindaklanjuti"})
    act("status", {"status": "selesai"})
    kendala.refresh_from_db()
    assert kendala.assignee == colleague and str(kendala.target_date) == "2099-12-31"
    assert kendala.status == "selesai" and kendala.response.startswith("Kami jadwalkan")
    html = client.get(detail).content.decode()
    for label in ("Dilaporkan", "Ditugaskan", "Status diubah", "Target diubah", "Ditanggapi"):
        assert label in html  # the audit trail of this kendala
    assert 'data-testid="respond-form"' not in html  # closed: no more forms


def test_a_refused_step_shows_a_message_and_changes_nothing(client, officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    client.force_login(officer)
    url = reverse("kendala:manage_action", args=[kendala.pk, "status"])
    response = client.post(url, {"status": "selesai"}, follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    kendala.refresh_from_db()
    assert kendala.status == "baru"
    unknown = reverse("kendala:manage_action", args=[kendala.pk, "hapus"])
    assert client.post(unknown).status_code == 404
    assert client.get(url).status_code == 405


def test_full_phone_only_for_person_reveal_and_audited(client, officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    client.force_login(officer)
    url = reverse("kendala:manage_action", args=[kendala.pk, "lihat-hp"])
    html = client.post(url).content.decode()
    assert "+6281200007001" in html
    event = AuditEvent.objects.get(action="person.reveal")
    assert event.actor == officer and event.object_id == str(kendala.pk)
    assert "no-store" in client.post(url)["Cache-Control"]  # never cached
    assert AuditEvent.objects.filter(action="person.reveal").count() == 2


def test_nominate_from_the_detail_page(client, officer, owned) -> None:  # noqa: ANN001
    programme = programme_services.programme_create(
        actor=officer, name="Fasilitasi Halal", kind="halal", organiser="dinas"
    )
    cycle = new_cycle(officer, programme, rules=[])
    kendala = report(officer, business=owned["business"], category="perizinan")
    client.force_login(officer)
    html = client.get(reverse("kendala:manage_detail", args=[kendala.pk])).content.decode()
    assert "Fasilitasi Halal" in html and 'data-testid="nominate-form"' in html
    url = reverse("kendala:manage_action", args=[kendala.pk, "nominasi"])
    client.post(url, {"cycle": str(cycle.pk), "response": ""})
    kendala.refresh_from_db()
    assert kendala.application == Application.objects.get(cycle=cycle)
    assert kendala.status == "ditindaklanjuti" and "Fasilitasi Halal" in kendala.response
    html = client.get(reverse("kendala:manage_detail", args=[kendala.pk])).content.decode()
    assert 'data-testid="application"' in html


# --- officers: recording --------------------------------------------------------------------------


def test_log_on_behalf_by_business_phone_or_for_a_named_person(client, officer) -> None:  # noqa: ANN001
    business = business_at(phone="0254-200100", name="Rabeg Khas Serang")
    client.force_login(officer)
    response = client.post(
        "/kendala/kelola/catat/",
        {
            "business_text": "0254 200100",
            "category": "pemasaran",
            "title": "Ingin masuk oleh-oleh bandara",
            "description": "Butuh kurasi untuk toko oleh-oleh.",
        },
    )
    kendala = Kendala.objects.get()
    assert response["Location"] == kendala.get_absolute_url()
    assert (kendala.business, kendala.channel) == (business, "petugas")
    response = client.post(
        "/kendala/kelola/catat/",
        {"business_text": "Tidak Terdaftar", "category": "pemasaran", "description": "x"},
    )
    assert "tidak ditemukan" in response.content.decode() and Kendala.objects.count() == 1
    client.post(
        "/kendala/kelola/catat/",
        {
            "reporter_name": "Mang Ohim",
            "phone": "0812 0000 7301",
            "desa_kelurahan": "36.73.05.1001",
            "category": "lainnya",
            "description": "Lapak kena gusur.",
        },
    )
    person = Kendala.objects.get(reporter_name="Mang Ohim")
    assert person.reporter_phone == "+6281200007301" and person.kecamatan_id == "36.73.05"


def forum_post(**rows: dict[str, str]) -> dict[str, str]:
    data = {
        "forum_name": "Forum UMKM Cipocok Jaya",
        "forum_date": "2026-02-14",
        "baris-TOTAL_FORMS": "4",
        "baris-INITIAL_FORMS": "0",
        "baris-MIN_NUM_FORMS": "0",
        "baris-MAX_NUM_FORMS": "50",
    }
    for index, row in rows.items():
        for name, value in row.items():
            data[f"baris-{index[1:]}-{name}"] = value
    return data


def test_forum_table_all_or_nothing_keeps_what_was_typed(client, officer) -> None:  # noqa: ANN001
    business_at(nib="9120000000202", name="Gerabah Bumi Agung")
    client.force_login(officer)
    assert 'name="baris-9-description"' in client.get("/kendala/kelola/forum/").content.decode()
    assert (
        'name="baris-24-description"'
        in client.get("/kendala/kelola/forum/", {"baris": "25"}).content.decode()
    )
    data = forum_post(
        r0={"business_text": "9120000000202", "category": "pemasaran", "description": "Pameran"},
        r1={"reporter_name": "Pak Uci", "category": "", "description": "Bahan tanah liat"},
        r3={"business_text": "Usaha Hantu", "category": "pajak", "description": "Pajak"},
    )
    response = client.post("/kendala/kelola/forum/", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Kendala.objects.exists()
    assert html.count('data-testid="row-error"') == 2
    assert "Bahan tanah liat" in html and "Usaha Hantu" in html and "Pak Uci" in html
    no_inline_code(html)
    data["baris-1-category"] = "bahan-baku"
    data["baris-3-business_text"] = ""
    data["baris-3-reporter_name"] = "Bu Onah"
    response = client.post("/kendala/kelola/forum/", data)
    assert response.status_code == 302 and response["Location"].endswith("?channel=forum")
    assert Kendala.objects.filter(channel="forum").count() == 3
    assert set(Kendala.objects.values_list("forum_name", flat=True)) == {"Forum UMKM Cipocok Jaya"}


def test_categories_page_adds_and_retires(client, officer) -> None:  # noqa: ANN001
    client.force_login(officer)
    client.post(
        "/kendala/kelola/kategori/",
        {"code": "listrik", "name": "Listrik dan air", "sort_order": "95", "active": "on"},
    )
    assert KendalaCategory.objects.get(code="listrik").active
    client.post(
        "/kendala/kelola/kategori/", {"code": "listrik", "name": "Listrik", "sort_order": "95"}
    )
    category = KendalaCategory.objects.get(code="listrik")
    assert (category.name, category.active) == ("Listrik", False)
    assert "Listrik" not in client.get("/kendala/").content.decode()  # retired: not offered


# --- counts for planning ---------------------------------------------------------------------------


def test_planning_counts_match_numbers_computed_from_the_fixtures(client, officer) -> None:  # noqa: ANN001
    kasemen = business_at("36.73.02.1003", sector="fesyen")
    walantaka = business_at("36.73.05.1002", sector="kriya")
    made = [
        report(officer, business=kasemen, category="perizinan"),
        report(officer, business=kasemen, category="perizinan"),
        report(officer, business=walantaka, category="kemasan"),
        report(officer, category="permodalan", desa_kelurahan="36.73.05.1001"),
        report(officer, category="permodalan", desa_kelurahan=""),
    ]
    zone = timezone.get_current_timezone()
    # reported in 2025 over several months (one in 2024: not counted); three closed after a
    # known number of days
    moves = [
        (0, datetime(2025, 2, 10, 9, tzinfo=zone), 10),
        (1, datetime(2025, 2, 27, 15, tzinfo=zone), 4),
        (2, datetime(2025, 7, 1, 8, tzinfo=zone), None),
        (3, datetime(2025, 12, 31, 23, 30, tzinfo=zone), 1.5),  # 16:30 UTC: still 2025 (WIB)
        (4, datetime(2024, 12, 20, 10, tzinfo=zone), None),
    ]
    for index, created, days_to_close in moves:
        Kendala.objects.filter(pk=made[index].pk).update(created_at=created)
        if days_to_close is not None:
            services.kendala_set_status(actor=officer, kendala=made[index], status="ditelaah")
            services.kendala_respond(
                actor=officer, kendala=made[index], response="Selesai.", status="selesai"
            )
            Kendala.objects.filter(pk=made[index].pk).update(
                closed_at=created + timedelta(days=days_to_close)
            )
    year = 2025
    this_year = [k for k in Kendala.objects.all() if timezone.localtime(k.created_at).year == year]
    assert len(this_year) == 4
    expected_median = statistics.median(
        (k.closed_at - k.created_at).total_seconds() / 86400
        for k in this_year
        if k.status == "selesai"
    )
    assert expected_median == 4
    expected_open = sum(1 for k in this_year if k.status != "selesai")

    client.force_login(make_user(Role.PIMPINAN, "pimpinan-kendala"))  # aggregates only
    response = client.get("/kendala/laporan/", {"tahun": str(year)})
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts.total == len(this_year)
    assert counts.open == expected_open
    assert counts.median_days == round(expected_median, 1)
    by_category = {row.code: row for row in counts.by_category}
    for code in ("perizinan", "kemasan", "permodalan"):
        mine = [k for k in this_year if k.category.code == code]
        assert by_category[code].total == len(mine)
        for month in range(1, 13):
            assert by_category[code].months[month - 1] == sum(
                1 for k in mine if timezone.localtime(k.created_at).month == month
            )
    assert by_category["perizinan"].months[1] == 2  # both in February
    assert by_category["permodalan"].months[11] == 1  # 31 December, local time
    assert by_category["perizinan"].median_days == 7.0
    assert sum(counts.month_totals) == counts.total
    by_kecamatan = {row.code: row.count for row in counts.by_kecamatan}
    for code in ("36.73.02", "36.73.05"):
        assert by_kecamatan[code] == sum(1 for k in this_year if k.kecamatan_id == code)
    by_sector = {row.code: row.count for row in counts.by_sector}
    assert by_sector["fesyen"] == sum(1 for k in this_year if k.sector_id == "fesyen")
    html = response.content.decode()
    assert 'class="bars"' in html and 'svg class="bar"' in html
    for private in ("Ujang", "+62812", "Belum paham"):
        assert private not in html
    no_inline_code(html)
