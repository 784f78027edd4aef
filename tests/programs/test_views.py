"""Programme pages as an officer and as an owner: every step through the web forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditEvent
from naikkelas.programs import services
from naikkelas.programs.models import (
    AidRecord,
    Application,
    ApplicationStatus,
    Attendance,
    Cycle,
    CycleStatus,
    Enrolment,
    Programme,
)
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.programs.conftest import business_in, new_cycle

pytestmark = pytest.mark.django_db


def test_officer_creates_a_programme_and_a_cycle(dinas_client) -> None:  # noqa: ANN001
    response = dinas_client.post(
        reverse("programs:programme_list"),
        {"name": "Pelatihan Kuliner 2027", "kind": "pelatihan", "organiser": "dinas"},
    )
    programme = Programme.objects.get(name="Pelatihan Kuliner 2027")
    assert response.status_code == 302
    response = dinas_client.post(
        reverse("programs:programme_detail", args=[programme.pk]),
        {
            "name": "Angkatan I",
            "starts_on": "2027-02-01",
            "ends_on": "2027-02-05",
            "capacity": "150",
            "unit_value": "1000000",
            "location": "Aula",
            "sectors": ["kuliner"],
            "min_per_kecamatan": "5",
            "sector_shares": "",
            "need_weight": "2",
            "readiness_weight": "1",
        },
    )
    cycle = Cycle.objects.get(programme=programme)
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert (cycle.capacity, cycle.min_per_kecamatan, cycle.need_weight) == (150, 5, 2)
    assert list(cycle.sectors.values_list("code", flat=True)) == ["kuliner"]


def test_bad_cycle_input_shows_errors_and_keeps_nothing(dinas_client, programme) -> None:  # noqa: ANN001
    url = reverse("programs:programme_detail", args=[programme.pk])
    response = dinas_client.post(
        url,
        {
            "name": "X",
            "starts_on": "2027-02-05",
            "ends_on": "2027-02-01",
            "capacity": "3",
            "unit_value": "0",
            "min_per_kecamatan": "0",
            "need_weight": "1",
            "readiness_weight": "1",
            "sector_shares": "kuliner=70, fesyen=20",
        },
    )
    assert response.status_code == 200
    assert not Cycle.objects.filter(programme=programme).exists()
    response = dinas_client.post(
        url,
        {
            "name": "X",
            "starts_on": "2027-02-01",
            "ends_on": "2027-02-05",
            "capacity": "3",
            "unit_value": "0",
            "min_per_kecamatan": "0",
            "need_weight": "1",
            "readiness_weight": "1",
            "sector_shares": "kuliner 70",
        },
    )
    assert response.status_code == 200
    assert "sektor=persen" in response.content.decode()


def test_rules_are_composed_in_the_ui(dinas_client, cycle) -> None:  # noqa: ANN001
    url = reverse("programs:rule_add", args=[cycle.pk])
    dinas_client.post(url, {"kind": "sector_in", "sectors": ["kuliner", "fesyen"]})
    dinas_client.post(
        url, {"kind": "not_received_within", "programme_kinds": ["kemasan"], "years": "2"}
    )
    dinas_client.post(url, {"kind": "omzet_range", "minimum": "", "maximum": "500000000"})
    response = dinas_client.post(url, {"kind": "sector_in"}, follow=True)
    assert "pilih" in response.content.decode().lower() or "tidak sah" in (
        response.content.decode()
    )
    cycle.refresh_from_db()
    assert [r["kind"] for r in cycle.rules] == [
        "permit_held",
        "sector_in",
        "not_received_within",
        "omzet_range",
    ]
    page = dinas_client.get(cycle.get_absolute_url()).content.decode()
    assert (
        "Belum menerima bantuan Bantuan kemasan (termasuk cetak full colour) dalam 2 tahun" in page
    )
    dinas_client.post(reverse("programs:rule_remove", args=[cycle.pk, 0]))
    dinas_client.post(reverse("programs:rule_remove", args=[cycle.pk, 99]))
    cycle.refresh_from_db()
    assert cycle.rules[0]["kind"] == "sector_in" and len(cycle.rules) == 3


def test_full_path_in_the_browser_forms(dinas_client, dinas_user, cycle) -> None:  # noqa: ANN001
    for kecamatan in ("36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06"):
        business_in(kecamatan)
    outside = business_in("36.73.01", sector="fesyen")
    nominate = reverse("programs:nominate", args=[cycle.pk])
    response = dinas_client.post(
        nominate, {"mode": "filter", "sector": "kuliner", "status": "active"}, follow=True
    )
    assert "dinominasikan" in response.content.decode()
    kuliner = Business.objects.filter(sector_id="kuliner", status="active").count()
    assert Application.objects.filter(cycle=cycle).count() == kuliner
    dinas_client.post(nominate, {"mode": "list", "businesses": f"{outside.nib}\nbukan-apa-apa"})
    assert Application.objects.filter(cycle=cycle, business=outside).exists()

    step = lambda action: dinas_client.post(  # noqa: E731
        reverse("programs:cycle_action", args=[cycle.pk, action]), follow=True
    )
    assert step("open").status_code == 200
    dinas_client.post(
        reverse("programs:cycle_action", args=[cycle.pk, "publish"]), {"public_value": "2026"}
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED
    page = dinas_client.get(cycle.get_absolute_url()).content.decode()
    assert cycle.seed in page
    step("select")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SELECTED
    page = dinas_client.get(cycle.get_absolute_url()).content.decode()
    assert "terpilih: kuota" in page and "cadangan no. 1" in page
    run = cycle.runs.get()
    run_page = dinas_client.get(reverse("programs:run_detail", args=[run.pk])).content.decode()
    assert "hasilnya sama persis" in run_page
    dump = dinas_client.get(reverse("programs:run_detail", args=[run.pk]) + "?format=json")
    assert dump.json()["result_digest"] == run.result_digest
    fairness = dinas_client.get(reverse("programs:cycle_fairness", args=[cycle.pk]))
    assert fairness.status_code == 200 and "Per kecamatan" in fairness.content.decode()

    step("enrol")
    assert Enrolment.objects.filter(cycle=cycle).count() == cycle.capacity
    services.session_add(
        actor=dinas_user, cycle=cycle, title="Foto produk", held_on=date(2026, 12, 8)
    )
    session = cycle.sessions.get()
    attendance_url = reverse("programs:attendance", args=[cycle.pk, session.pk])
    assert dinas_client.get(attendance_url).status_code == 200
    first, second = Enrolment.objects.filter(cycle=cycle).order_by("seat")[:2]
    dinas_client.post(attendance_url, {"present": [str(first.pk), str(second.pk)]})
    assert Attendance.objects.filter(session=session, present=True).count() == 2
    response = dinas_client.post(attendance_url, {"present": ["not-a-uuid"]})
    assert response.status_code == 200  # refused with a message, nothing changed
    assert Attendance.objects.filter(session=session, present=True).count() == 2

    change = reverse("programs:enrolment_change", args=[first.pk, "status"])
    dinas_client.post(change, {"status": "completed", "completed_on": "2026-12-11"})
    assert AidRecord.objects.filter(enrolment=first, value=cycle.unit_value).exists()
    dinas_client.post(
        reverse("programs:enrolment_change", args=[first.pk, "outcome"]),
        {"kind": "retail", "observed_on": "2027-03-01", "detail": "Alfamart"},
    )
    assert first.outcomes.get().kind == "retail"

    for kind in ("daftar", "surat"):
        pdf = dinas_client.get(reverse("programs:participants_pdf", args=[cycle.pk, kind]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert len(pdf.content) > 1500
    assert AuditEvent.objects.filter(action="programme.export").count() == 2

    application = Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED).first()
    wa = dinas_client.get(reverse("programs:whatsapp", args=[application.pk]))
    assert wa.status_code == 302 and wa["Location"].startswith("https://wa.me/62812")
    assert "terpilih" in wa["Location"] or "terpilih".replace(" ", "%20") in wa["Location"]
    assert AuditEvent.objects.filter(action="person.whatsapp").count() == 1

    business_page = dinas_client.get(first.business.get_absolute_url()).content.decode()
    assert 'data-testid="aid-ledger"' in business_page and cycle.name in business_page


def test_business_page_nominates_and_records_outside_aid(dinas_client, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.02")
    page = dinas_client.get(business.get_absolute_url()).content.decode()
    assert 'data-testid="nominate-one"' in page and str(cycle) in page
    dinas_client.post(
        reverse("programs:nominate_business", args=[business.pk]), {"cycle": str(cycle.pk)}
    )
    assert Application.objects.filter(cycle=cycle, business=business).exists()
    response = dinas_client.post(
        reverse("programs:nominate_business", args=[business.pk]), {"cycle": "bukan-uuid"}
    )
    assert response.status_code == 302
    dinas_client.post(
        reverse("programs:aid_add", args=[business.pk]),
        {
            "kind": "halal",
            "description": "Fasilitasi halal Kemenag 2024",
            "provider": "Kemenag",
            "value": "0",
            "received_on": "2024-08-17",
        },
    )
    record = AidRecord.objects.get(business=business)
    assert (record.kind, record.provider) == ("halal", "Kemenag")
    page = dinas_client.get(business.get_absolute_url()).content.decode()
    assert "Fasilitasi halal Kemenag 2024" in page


def test_owner_sees_open_cycles_checks_eligibility_and_applies(client, officer, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.03")
    owner = business.owners.get()
    no_nib = business_in("36.73.03", nib=False, owner=owner)
    owner_user = make_user(Role.OWNER, "pemilik-program")
    Owner.objects.filter(pk=owner.pk).update(user=owner_user)
    assert no_nib.owners.get() == owner
    services.cycle_open(actor=officer, cycle=cycle)
    client.force_login(owner_user)
    page = client.get(reverse("programs:my_programmes")).content.decode()
    assert "memenuhi syarat" in page and "belum punya NIB" in page
    client.post(reverse("programs:my_apply", args=[cycle.pk]), {"business": str(business.pk)})
    application = Application.objects.get(cycle=cycle, business=business)
    assert application.channel == "owner"
    other = business_in("36.73.04")
    response = client.post(
        reverse("programs:my_apply", args=[cycle.pk]), {"business": str(other.pk)}
    )
    assert response.status_code == 404  # not theirs
    services.cycle_publish(actor=officer, cycle=cycle)
    services.selection_run(actor=officer, cycle=cycle)
    page = client.get(reverse("programs:my_programmes")).content.decode()
    assert "Terpilih" in page and "terpilih: kuota" in page


def test_cumulative_fairness_for_pimpinan_without_names(client, officer, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.05", sex="P")
    services.aid_record_create(
        actor=officer,
        business=business,
        kind="kemasan",
        description="Cetak kemasan",
        value=2_000_000,
        received_on=timezone.localdate(),
    )
    # an override (it names a business) must not reach the pimpinan's page
    others = [business_in("36.73.01") for _ in range(5)]
    for b in others:
        services.application_nominate(actor=officer, cycle=cycle, business=b)
    services.cycle_publish(actor=officer, cycle=cycle)
    services.selection_run(actor=officer, cycle=cycle)
    waiting = Application.objects.get(cycle=cycle, status=ApplicationStatus.WAITLISTED)
    services.application_override(
        actor=officer,
        application=waiting,
        to_status="not_selected",
        reason="Sudah pindah ke Kabupaten Serang",
    )
    client.force_login(make_user(Role.PIMPINAN, "pimpinan-x"))
    response = client.get(reverse("programs:fairness"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rp2.000.000" in page
    for b in [business, *others]:
        assert b.name not in page
    assert "Sudah pindah" not in page
    bad = client.get(reverse("programs:fairness"), {"date_from": "kemarin"})
    assert bad.status_code == 200
    officer_client = Client()
    officer_client.force_login(officer)
    assert "Sudah pindah" in officer_client.get(reverse("programs:fairness")).content.decode()


def test_unknown_step_and_objects_are_404(dinas_client, cycle) -> None:  # noqa: ANN001
    assert (
        dinas_client.post(reverse("programs:cycle_action", args=[cycle.pk, "meledak"])).status_code
        == 404
    )
    assert (
        dinas_client.get(
            reverse("programs:cycle_detail", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


def test_a_second_cycle_of_the_same_programme_lists(dinas_client, officer, programme) -> None:  # noqa: ANN001
    new_cycle(officer, programme, name="Angkatan A")
    new_cycle(officer, programme, name="Angkatan B")
    page = dinas_client.get(reverse("programs:programme_detail", args=[programme.pk]))
    assert "Angkatan A" in page.content.decode() and "Angkatan B" in page.content.decode()


def test_nominate_from_an_uploaded_spreadsheet(dinas_client, cycle, tmp_path) -> None:  # noqa: ANN001
    from openpyxl import Workbook

    by_nib = business_in("36.73.01")
    by_owner_phone = business_in("36.73.02", nib=False)
    phone = by_owner_phone.owners.get().phone  # +62812...
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama usaha", "NIB", "HP pemilik"])
    sheet.append([by_nib.name, float(by_nib.nib), None])  # Excel keeps the NIB as a number
    sheet.append([by_owner_phone.name, None, "0" + phone[3:]])
    sheet.append(["Usaha tak dikenal", "9999999999999", None])
    path = tmp_path / "daftar.xlsx"
    book.save(path)
    with path.open("rb") as upload:
        response = dinas_client.post(
            reverse("programs:nominate", args=[cycle.pk]),
            {"mode": "list", "businesses": "", "file": upload},
            follow=True,
        )
    page = response.content.decode()
    assert "2 usaha dinominasikan" in page
    assert "Usaha tak dikenal | 9999999999999" in page
    assert set(Application.objects.filter(cycle=cycle).values_list("business_id", flat=True)) == {
        by_nib.pk,
        by_owner_phone.pk,
    }
    not_a_sheet = tmp_path / "foto.xlsx"
    not_a_sheet.write_bytes(b"%PDF-1.4 bukan spreadsheet")
    with not_a_sheet.open("rb") as upload:
        response = dinas_client.post(
            reverse("programs:nominate", args=[cycle.pk]),
            {"mode": "list", "file": upload},
            follow=True,
        )
    assert response.status_code == 200 and "PDF" in response.content.decode()
    empty = dinas_client.post(
        reverse("programs:nominate", args=[cycle.pk]), {"mode": "list"}, follow=True
    )
    assert "Tempel daftar atau unggah berkas" in empty.content.decode()


def test_applicants_export_with_metadata_and_no_formulas(dinas_client, officer, cycle) -> None:  # noqa: ANN001
    import csv
    import io

    from openpyxl import load_workbook

    tricky = business_in("36.73.01", name='=HYPERLINK("http://contoh.invalid","klik")')
    plain = business_in("36.73.02")
    for b in (tricky, plain):
        services.application_nominate(actor=officer, cycle=cycle, business=b)
    services.cycle_publish(actor=officer, cycle=cycle)
    services.selection_run(actor=officer, cycle=cycle)
    response = dinas_client.get(reverse("programs:cycle_export", args=[cycle.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "Usaha" and len(rows) == 3
    names = {r[1] for r in rows[1:]}
    assert '\'=HYPERLINK("http://contoh.invalid","klik")' in names  # text, not a formula
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Benih undian"] == cycle.__class__.objects.get(pk=cycle.pk).seed
    assert about["Oleh"] == "test-dinas" and about["rows"] == 2
    text = dinas_client.get(reverse("programs:cycle_export", args=[cycle.pk, "csv"]))
    parsed = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert len(parsed) == 3 and all(r[1][0] != "=" for r in parsed[1:])
    assert AuditEvent.objects.filter(action="programme.export").count() == 2
    assert (
        dinas_client.get(reverse("programs:cycle_export", args=[cycle.pk, "pdf"])).status_code
        == 404
    )
