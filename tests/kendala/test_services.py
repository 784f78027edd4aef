"""Kendala services: reporting on every channel, the workflow, the forum table (all or
nothing), escalation (once, with an e-mail) and answering with a programme nomination."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.kendala import services
from naikkelas.kendala.models import Kendala, KendalaCategory, KendalaChannel, KendalaStatus
from naikkelas.kendala.services import BulkRow
from naikkelas.kendala.tasks import kendala_escalate_task
from naikkelas.programs import services as programme_services
from naikkelas.programs.models import Application, ApplicationChannel
from naikkelas.registry.access import business_scope
from tests.conftest import make_user
from tests.kendala.conftest import business_at, report
from tests.programs.conftest import new_cycle

pytestmark = pytest.mark.django_db


# --- reporting -------------------------------------------------------------------------------


def test_the_migration_seeds_the_nine_categories() -> None:
    codes = list(KendalaCategory.objects.values_list("code", flat=True))
    assert codes == [
        "perizinan",
        "permodalan",
        "pemasaran",
        "bahan-baku",
        "kemasan",
        "sdm-pelatihan",
        "teknologi-digital",
        "pajak",
        "lainnya",
    ]


def test_a_public_report_normalises_the_phone_and_masks_it_in_the_audit_log() -> None:
    kendala = services.kendala_report(
        actor=None,
        channel=KendalaChannel.PUBLIK,
        category="permodalan",
        description="Butuh modal untuk membeli oven kedua.\nPesanan naik menjelang Lebaran.",
        reporter_name="Rina Marlina",
        reporter_phone="0812 0000 7002",
        desa_kelurahan="36.73.01.1002",
        consent_text="Saya setuju ...",
        client="hash-1",
    )
    assert kendala.reporter_phone == "+6281200007002"
    assert kendala.kecamatan_id == "36.73.01" and kendala.desa_kelurahan_id == "36.73.01.1002"
    assert kendala.title == "Butuh modal untuk membeli oven kedua."
    assert kendala.status == KendalaStatus.BARU and kendala.business is None
    assert kendala.target_date == timezone.localdate() + timedelta(days=14)
    event = AuditEvent.objects.get(action="kendala.report")
    assert event.actor is None and event.ip_address is None
    assert event.extra["reporter_phone"] == "+62812****7002"
    assert event.extra["reporter_name"] == "R*** M******"
    assert "7002" not in event.object_repr and "Rina" not in event.object_repr


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ({"reporter_phone": ""}, "phone"),
        ({"reporter_phone": "12"}, "phone"),
        ({"consent_text": ""}, "consent"),
        ({"desa_kelurahan": ""}, "kelurahan"),
        ({"desa_kelurahan": "36.04.01.2001"}, "kelurahan"),  # outside Kota Serang
        ({"reporter_name": " "}, "reporter_name"),
        ({"description": "  "}, "description"),
        ({"category": "tidak-ada"}, "category"),
    ],
)
def test_a_public_report_needs_name_phone_consent_kelurahan(missing: dict, code: str) -> None:
    data = {
        "channel": KendalaChannel.PUBLIK,
        "category": "pemasaran",
        "description": "Sulit masuk toko modern.",
        "reporter_name": "Rina Marlina",
        "reporter_phone": "081200007003",
        "desa_kelurahan": "36.73.01.1002",
        "consent_text": "Saya setuju ...",
        **missing,
    }
    with pytest.raises(ApplicationError) as refused:
        services.kendala_report(actor=None, **data)
    assert refused.value.code == code
    assert not Kendala.objects.exists()


def test_a_retired_category_takes_no_new_reports(officer) -> None:  # noqa: ANN001
    services.kendala_category_save(
        actor=officer, code="pajak", name="Pajak", active=False, sort_order=80
    )
    with pytest.raises(ApplicationError):
        report(officer, category="pajak")
    category = services.kendala_category_save(
        actor=officer, code="sertifikasi", name="Sertifikasi produk", sort_order=95
    )
    assert report(officer, category="sertifikasi").category == category
    assert AuditEvent.objects.filter(action="kendala.category_update").get().changes == {
        "active": [True, False]
    }
    with pytest.raises(ApplicationError):
        services.kendala_category_save(actor=officer, code="Bukan Kode", name="x")


def test_a_portal_report_takes_place_and_sector_from_the_business(owned) -> None:  # noqa: ANN001
    business = owned["business"]
    kendala = services.kendala_report(
        actor=owned["user"],
        channel=KendalaChannel.PORTAL,
        business=business,
        category="kemasan",
        title="Kemasan mudah sobek",
        description="Standing pouch kami sobek saat dikirim.",
        reporter_name="ignored",
        reporter_phone="081200007004",
    )
    assert (kendala.kecamatan_id, kendala.desa_kelurahan_id, kendala.sector_id) == (
        business.kecamatan_id,
        business.desa_kelurahan_id,
        business.sector_id,
    )
    assert kendala.reporter_name == "" and kendala.reporter_phone == ""  # none copied
    assert kendala.created_by == owned["user"]
    with pytest.raises(ApplicationError) as refused:
        services.kendala_report(
            actor=owned["user"], channel="portal", category="kemasan", description="x"
        )
    assert refused.value.code == "business"


def test_the_database_refuses_a_report_without_business_or_name() -> None:
    category = KendalaCategory.objects.get(code="lainnya")
    with pytest.raises(IntegrityError), transaction.atomic():
        Kendala.objects.create(
            tracking_code="KAAAA-AAAA",
            channel="petugas",
            category=category,
            title="t",
            description="d",
        )


def test_the_database_refuses_a_closed_item_without_response() -> None:
    kendala = report()
    with pytest.raises(IntegrityError), transaction.atomic():
        Kendala.objects.filter(pk=kendala.pk).update(status="selesai", closed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Kendala.objects.filter(pk=kendala.pk).update(status="diproses")


# --- workflow ---------------------------------------------------------------------------------


def test_the_workflow_moves_forward_and_closing_needs_a_response(officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    with pytest.raises(ApplicationError) as refused:
        services.kendala_set_status(actor=officer, kendala=kendala, status="selesai")
    assert refused.value.code == "transition"
    kendala = services.kendala_set_status(actor=officer, kendala=kendala, status="ditelaah")
    kendala = services.kendala_set_status(actor=officer, kendala=kendala, status="ditindaklanjuti")
    with pytest.raises(ApplicationError) as refused:
        services.kendala_set_status(actor=officer, kendala=kendala, status="selesai")
    assert refused.value.code == "response_required"
    kendala = services.kendala_respond(
        actor=officer,
        kendala=kendala,
        response="NIB dapat diurus gratis di Mal Pelayanan Publik; petugas kami mendampingi.",
        status="selesai",
    )
    assert kendala.status == "selesai" and kendala.closed_at is not None
    assert kendala.responded_by == officer and kendala.responded_at is not None
    with pytest.raises(ApplicationError) as refused:
        services.kendala_set_status(actor=officer, kendala=kendala, status="ditelaah")
    assert refused.value.code == "transition"
    with pytest.raises(ApplicationError):
        services.kendala_respond(actor=officer, kendala=kendala, response="lagi")
    actions = list(
        AuditEvent.objects.filter(object_id=str(kendala.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["kendala.report", "kendala.status", "kendala.status", "kendala.respond"]
    respond = AuditEvent.objects.get(action="kendala.respond")
    assert respond.changes["status"] == ["ditindaklanjuti", "selesai"]


def test_a_refused_transition_changes_nothing(officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    with pytest.raises(ApplicationError):
        services.kendala_respond(
            actor=officer, kendala=kendala, response="Terima kasih.", status="selesai"
        )
    kendala.refresh_from_db()
    assert (kendala.status, kendala.response) == ("baru", "")
    assert not AuditEvent.objects.filter(action="kendala.respond").exists()


def test_assign_only_to_officers_who_manage_kendala(officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    colleague = make_user(Role.HIPMIKINDO, "pengurus-hipmikindo")
    kendala = services.kendala_assign(actor=officer, kendala=kendala, assignee=colleague)
    assert kendala.assignee == colleague
    for role in (Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER):
        with pytest.raises(ApplicationError):
            services.kendala_assign(
                actor=officer, kendala=kendala, assignee=make_user(role, f"bukan-{role}")
            )
    kendala = services.kendala_assign(actor=officer, kendala=kendala, assignee=None)
    assert kendala.assignee is None


def test_target_date_cannot_precede_the_report(officer) -> None:  # noqa: ANN001
    kendala = report(officer)
    with pytest.raises(ApplicationError):
        services.kendala_set_target(
            actor=officer, kendala=kendala, target_date=timezone.localdate() - timedelta(days=1)
        )
    kendala = services.kendala_set_target(
        actor=officer, kendala=kendala, target_date=date(2099, 1, 31)
    )
    assert kendala.target_date == date(2099, 1, 31)


# --- the forum table --------------------------------------------------------------------------


def test_forum_rows_are_saved_all_or_nothing_with_errors_per_row(officer) -> None:  # noqa: ANN001
    listed = business_at("36.73.03.1001", nib="9120000000101")
    named = business_at("36.73.04.1001")
    base = business_scope(user=officer)
    rows = [
        BulkRow(line=1, business_text="9120000000101", category="perizinan", description="PIRT"),
        BulkRow(line=2, reporter_name="Pak Endang", category="pemasaran", description="Pasar"),
        BulkRow(line=3, business_text="Tidak Ada Usaha Ini", category="pajak", description="x"),
        BulkRow(line=4, reporter_name="Bu Enung", category="", description="Bahan baku mahal"),
        BulkRow(line=5, reporter_name="Bu Ijah", category="kemasan", description=""),
    ]
    result = services.kendala_bulk_log(
        actor=officer,
        forum_name="Forum UMKM Kasemen",
        forum_date=date(2026, 3, 5),
        rows=rows,
        base=base,
    )
    assert not result.ok and result.created == []
    assert sorted(result.errors) == [3, 4, 5]
    assert "tidak ditemukan" in result.errors[3][0]
    assert (
        not Kendala.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="kendala.").exists()
    )

    fixed = [
        rows[0],
        rows[1],
        BulkRow(line=3, business_text=named.name, category="pajak", description="Pajak UMKM"),
        BulkRow(line=4, reporter_name="Bu Enung", category="bahan-baku", description="Mahal"),
    ]
    result = services.kendala_bulk_log(
        actor=officer,
        forum_name="Forum UMKM Kasemen",
        forum_date=date(2026, 3, 5),
        rows=fixed,
        base=base,
    )
    assert result.ok and len(result.created) == 4
    saved = {k.description: k for k in Kendala.objects.all()}
    assert saved["PIRT"].business == listed and saved["Pajak UMKM"].business == named
    assert saved["Pasar"].reporter_name == "Pak Endang" and saved["Pasar"].business is None
    assert {k.channel for k in saved.values()} == {"forum"}
    assert {k.forum_name for k in saved.values()} == {"Forum UMKM Kasemen"}
    assert AuditEvent.objects.filter(action="kendala.report").count() == 4
    assert AuditEvent.objects.get(action="kendala.forum_log").extra["rows"] == 4


def test_forum_picker_refuses_an_ambiguous_name(officer) -> None:  # noqa: ANN001
    business_at(name="Kopi Banten Jaya")
    business_at(name="Kopi Banten Jaya Abadi")
    business_at(name="Kopi Banten Jaya Abadi Sentosa")
    result = services.kendala_bulk_log(
        actor=officer,
        forum_name="Temu Hipmikindo",
        forum_date=date(2026, 3, 5),
        rows=[BulkRow(line=1, business_text="Kopi Banten", category="pemasaran", description="x")],
        base=business_scope(user=officer),
    )
    assert "Lebih dari satu" in result.errors[1][0]
    # an exact name is not ambiguous
    result = services.kendala_bulk_log(
        actor=officer,
        forum_name="Temu Hipmikindo",
        forum_date=date(2026, 3, 5),
        rows=[
            BulkRow(line=1, business_text="kopi banten jaya", category="pemasaran", description="x")
        ],
        base=business_scope(user=officer),
    )
    assert result.ok and result.created[0].business.name == "Kopi Banten Jaya"


def test_forum_needs_a_name_date_and_rows(officer) -> None:  # noqa: ANN001
    base = business_scope(user=officer)
    with pytest.raises(ApplicationError):
        services.kendala_bulk_log(actor=officer, forum_name="", forum_date=None, rows=[], base=base)
    with pytest.raises(ApplicationError):
        services.kendala_bulk_log(
            actor=officer, forum_name="Forum", forum_date=date(2026, 1, 1), rows=[], base=base
        )


# --- escalation -------------------------------------------------------------------------------


def test_overdue_items_escalate_once_with_one_mail_per_manager(
    officer,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    hipmikindo = make_user(Role.HIPMIKINDO, "hipmikindo-kendala")
    hipmikindo.email = "sekretariat@hipmikindo.example"
    hipmikindo.save(update_fields=["email"])
    make_user(Role.DINAS, "tanpa-email")  # no address: nobody to mail
    enumerator = make_user(Role.ENUMERATOR, "enum-kendala")
    enumerator.email = "enum@dinas.example"
    enumerator.save(update_fields=["email"])
    late = report(officer, description="Izin edar BPOM belum keluar")
    closed = report(officer, description="Sudah dijawab")
    services.kendala_respond(
        actor=officer, kendala=closed, response="Sudah dijawab.", status="tidak_dapat"
    )
    on_time = report(officer, description="Masih dalam target")
    today = timezone.localdate() + timedelta(days=15)  # the default target is 14 days
    services.kendala_set_target(actor=officer, kendala=on_time, target_date=today)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.kendala_escalate_overdue(today=today) == 1
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == [
        "petugas-kendala@dinas.example",
        "sekretariat@hipmikindo.example",
    ]
    message = mail.outbox[0]
    assert late.tracking_code in message.body and "Ujang" not in message.body
    assert "+62812" not in message.body
    assert AuditEvent.objects.filter(action="kendala.escalate").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert services.kendala_escalate_overdue(today=today) == 0  # once
    assert len(mail.outbox) == 2

    # a new target re-arms it; missing that one escalates again
    services.kendala_set_target(actor=officer, kendala=late, target_date=today)
    late.refresh_from_db()
    assert late.escalated_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.kendala_escalate_overdue(today=today + timedelta(days=1)) == 2


def test_the_command_and_the_task_escalate(officer, capsys) -> None:  # noqa: ANN001
    report(officer)
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    call_command("kendala_escalate", "--today", later)
    assert "1 kendala escalated" in capsys.readouterr().out
    assert kendala_escalate_task.call() == 0  # today: nothing overdue yet


# --- answering with a nomination --------------------------------------------------------------


def test_nomination_links_an_application_and_answers_the_owner(owned, officer) -> None:  # noqa: ANN001
    programme = programme_services.programme_create(
        actor=officer, name="Pelatihan Kemasan", kind="kemasan", organiser="dinas"
    )
    cycle = new_cycle(officer, programme, rules=[])
    kendala = services.kendala_report(
        actor=owned["user"],
        channel=KendalaChannel.PORTAL,
        business=owned["business"],
        category="kemasan",
        description="Kemasan kami kurang menarik.",
    )
    kendala = services.kendala_answer_by_nomination(actor=officer, kendala=kendala, cycle=cycle)
    application = Application.objects.get(cycle=cycle, business=owned["business"])
    assert kendala.application == application
    assert application.channel == ApplicationChannel.OFFICER
    assert kendala.status == "ditindaklanjuti"
    assert "Pelatihan Kemasan" in kendala.response and "Angkatan 1" in kendala.response
    assert AuditEvent.objects.filter(action="application.nominate").exists()
    event = AuditEvent.objects.get(action="kendala.nominate")
    assert event.extra["application"] == str(application.pk)

    # a second kendala of the same business joins the existing application
    again = services.kendala_report(
        actor=owned["user"],
        channel=KendalaChannel.PORTAL,
        business=owned["business"],
        category="pemasaran",
        description="Butuh pembeli.",
    )
    again = services.kendala_answer_by_nomination(
        actor=officer, kendala=again, cycle=cycle, response="Ikut angkatan yang sama."
    )
    assert again.application == application and again.response == "Ikut angkatan yang sama."
    assert Application.objects.filter(cycle=cycle).count() == 1


def test_nomination_needs_a_business_and_an_open_cycle(owned, officer) -> None:  # noqa: ANN001
    programme = programme_services.programme_create(
        actor=officer, name="Kurasi Ritel", kind="ritel", organiser="hipmikindo"
    )
    cycle = new_cycle(officer, programme, rules=[])
    with pytest.raises(ApplicationError) as refused:
        services.kendala_answer_by_nomination(actor=officer, kendala=report(officer), cycle=cycle)
    assert refused.value.code == "no_business"
    programme_services.application_nominate(actor=officer, cycle=cycle, business=business_at())
    programme_services.cycle_publish(actor=officer, cycle=cycle)
    kendala = report(officer, business=owned["business"])
    with pytest.raises(ApplicationError):
        services.kendala_answer_by_nomination(actor=officer, kendala=kendala, cycle=cycle)
    kendala.refresh_from_db()
    assert kendala.status == "baru" and kendala.application is None


# --- personal data ----------------------------------------------------------------------------


def test_anonymising_an_owner_erases_their_public_reports(officer) -> None:  # noqa: ANN001
    from naikkelas.privacy.services import owner_anonymise
    from tests.factories import make_owner

    owner = make_owner(full_name="Yayah Komariah", phone="0812-0000-7101")
    mine = report(officer, reporter_name="Yayah", reporter_phone="081200007101")
    someone = report(officer, reporter_name="Orang Lain", reporter_phone="081200007102")
    owner_anonymise(actor=officer, owner=owner)
    mine.refresh_from_db()
    someone.refresh_from_db()
    assert (mine.reporter_phone, mine.reporter_name) == ("", "[dihapus]")
    assert someone.reporter_phone == "+6281200007102"
    assert AuditEvent.objects.get(action="kendala.erase").extra == {"kendala": 1}


def test_a_business_merge_moves_its_kendala_and_an_unmerge_restores_them(officer) -> None:  # noqa: ANN001
    from naikkelas.linkage.services.merge import business_merge, business_unmerge

    survivor, duplicate = business_at(), business_at()
    kendala = report(officer, business=duplicate)
    record = business_merge(actor=officer, survivor=survivor, merged=duplicate, reason="sama")
    kendala.refresh_from_db()
    assert kendala.business_id == survivor.pk
    business_unmerge(actor=officer, merge=record)
    kendala.refresh_from_db()
    assert kendala.business_id == duplicate.pk
