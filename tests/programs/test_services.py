"""Programme services on the database: nominate, publish, select, override, enrol, ledger."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.programs import services
from naikkelas.programs.models import (
    AidRecord,
    Application,
    ApplicationStatus,
    Attendance,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    Override,
)
from naikkelas.programs.reasons import Labels, describe_decision
from naikkelas.programs.selectors import cycle_fairness, register_eligible_counts
from naikkelas.registry.models import Business
from tests.programs.conftest import business_in, new_cycle

pytestmark = pytest.mark.django_db


def nominate(officer, cycle, businesses):  # noqa: ANN001, ANN201
    return [
        services.application_nominate(actor=officer, cycle=cycle, business=b) for b in businesses
    ]


def test_one_application_per_business_and_cycle(officer, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.01")
    services.application_nominate(actor=officer, cycle=cycle, business=business)
    with pytest.raises(ApplicationError) as caught:
        services.application_nominate(actor=officer, cycle=cycle, business=business)
    assert caught.value.code == "duplicate"
    services.cycle_open(actor=officer, cycle=cycle)
    with pytest.raises(ApplicationError):
        services.application_apply(actor=officer, cycle=cycle, business=business)
    assert Application.objects.filter(cycle=cycle).count() == 1


def test_database_refuses_a_second_application_too(officer, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.01")
    services.application_nominate(actor=officer, cycle=cycle, business=business)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(cycle=cycle, business=business, channel="officer")


def test_bulk_nomination_counts_what_it_skipped(officer, cycle) -> None:  # noqa: ANN001
    a, b = business_in("36.73.01"), business_in("36.73.02")
    services.application_nominate(actor=officer, cycle=cycle, business=a)
    result = services.applications_nominate_many(
        actor=officer, cycle=cycle, businesses=Business.objects.filter(pk__in=[a.pk, b.pk])
    )
    assert (result.created, result.already) == (1, 1)


def test_list_nomination_matches_nib_and_id_and_reports_the_rest(officer, cycle) -> None:  # noqa: ANN001
    a, b = business_in("36.73.01"), business_in("36.73.02")
    lines = [a.nib, f"  {b.pk}  ", "0000000000000", "Warung tidak ada", "", "Warung 17"]
    result = services.applications_nominate_list(
        actor=officer, cycle=cycle, rows=[[line] for line in lines], base=Business.objects.all()
    )
    assert result.created == 2
    # a line without digits (a header, a name) is skipped; one with digits is reported
    assert result.unmatched == ["0000000000000", "Warung 17"]


def test_owner_applies_only_while_open(officer, cycle) -> None:  # noqa: ANN001
    business = business_in("36.73.03")
    with pytest.raises(ApplicationError, match="tidak dibuka"):
        services.application_apply(actor=officer, cycle=cycle, business=business)
    services.cycle_open(actor=officer, cycle=cycle)
    application = services.application_apply(actor=officer, cycle=cycle, business=business)
    assert application.channel == "owner"


def test_seed_is_fixed_before_the_draw_and_the_list_then_frozen(officer, cycle) -> None:  # noqa: ANN001
    nominate(officer, cycle, [business_in("36.73.01"), business_in("36.73.02")])
    cycle = services.cycle_publish(actor=officer, cycle=cycle, public_value="4711")
    assert len(cycle.seed) == 16 and len(cycle.fingerprint) == 64
    assert cycle.seed == services.seed_from(cycle.fingerprint, "4711")
    with pytest.raises(ApplicationError, match="sudah ditetapkan"):
        services.application_nominate(actor=officer, cycle=cycle, business=business_in("36.73.03"))
    # A change behind the service's back (e.g. a score edited in the admin) is detected.
    Application.objects.filter(cycle=cycle).update(need_score=5)
    with pytest.raises(ApplicationError, match="berubah"):
        services.selection_run(actor=officer, cycle=cycle)


def test_unpublish_gives_a_new_seed(officer, cycle) -> None:  # noqa: ANN001
    nominate(officer, cycle, [business_in("36.73.01")])
    first = services.cycle_publish(actor=officer, cycle=cycle).seed
    services.cycle_unpublish(actor=officer, cycle=cycle)
    nominate(officer, cycle, [business_in("36.73.02")])
    assert services.cycle_publish(actor=officer, cycle=cycle).seed != first


def test_selection_decides_everyone_with_a_reason_and_is_reproducible(officer, cycle) -> None:  # noqa: ANN001
    eligible = [business_in(k) for k in ("36.73.01", "36.73.02", "36.73.03", "36.73.04")] + [
        business_in("36.73.01"),
        business_in("36.73.02"),
    ]
    no_nib = business_in("36.73.05", nib=False)
    nominate(officer, cycle, [*eligible, no_nib])
    services.cycle_publish(actor=officer, cycle=cycle)
    run = services.selection_run(actor=officer, cycle=cycle)

    statuses = dict(Application.objects.filter(cycle=cycle).values_list("business_id", "status"))
    assert statuses[no_nib.pk] == ApplicationStatus.INELIGIBLE
    assert sum(s == ApplicationStatus.SELECTED for s in statuses.values()) == 4
    assert sum(s == ApplicationStatus.WAITLISTED for s in statuses.values()) == 2
    labels = Labels.load()
    texts = {
        a.business_id: describe_decision(a.reason, labels, a.position)
        for a in Application.objects.filter(cycle=cycle)
    }
    assert texts[no_nib.pk] == "tidak memenuhi: belum punya NIB"
    assert all(
        t.startswith(("terpilih: kuota", "cadangan no.", "tidak memenuhi")) for t in texts.values()
    )
    waitlist = sorted(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.WAITLISTED).values_list(
            "position", flat=True
        )
    )
    assert waitlist == [1, 2]

    identical, _allocation = services.selection_replay(run=run)
    assert identical
    again = services.selection_run(actor=officer, cycle=cycle)
    assert again.result_digest == run.result_digest and again.number == 2
    assert cycle.__class__.objects.get(pk=cycle.pk).status == CycleStatus.SELECTED


def test_a_tampered_stored_run_does_not_verify(officer, cycle) -> None:  # noqa: ANN001
    nominate(officer, cycle, [business_in("36.73.01"), business_in("36.73.02")])
    services.cycle_publish(actor=officer, cycle=cycle)
    run = services.selection_run(actor=officer, cycle=cycle)
    run.candidates[0]["times_assisted"] = 9
    run.candidates[1]["times_assisted"] = 0
    run.parameters["seats"] = 1
    assert not services.selection_replay(run=run)[0]


def test_never_assisted_goes_before_the_assisted(officer, programme, cycle) -> None:  # noqa: ANN001
    helped = business_in("36.73.01")
    services.aid_record_create(
        actor=officer,
        business=helped,
        kind="pelatihan",
        description="Pelatihan 2025",
        received_on=date(2025, 6, 1),
        value=500_000,
    )
    fresh = business_in("36.73.01")
    small = new_cycle(officer, programme, name="Angkatan kecil", capacity=1)
    nominate(officer, small, [helped, fresh])
    services.cycle_publish(actor=officer, cycle=small)
    services.selection_run(actor=officer, cycle=small)
    decided = {a.business_id: a for a in Application.objects.filter(cycle=small)}
    assert decided[fresh.pk].status == ApplicationStatus.SELECTED
    assert "belum pernah dibantu" in describe_decision(decided[fresh.pk].reason, Labels.load())
    assert decided[helped.pk].status == ApplicationStatus.WAITLISTED


def test_register_counts_follow_the_rules(officer, cycle) -> None:  # noqa: ANN001
    business_in("36.73.01")
    business_in("36.73.01", sector="fesyen")
    business_in("36.73.02", nib=False)
    from naikkelas.programs.eligibility import rules_from_data

    counts = register_eligible_counts(rules=rules_from_data(cycle.rules), on=date(2026, 12, 1))
    assert counts.get(("36.73.01", "kuliner"), 0) >= 1
    assert counts.get(("36.73.01", "fesyen"), 0) >= 1
    assert ("36.73.02", "kuliner") not in counts or all(
        b.nib for b in Business.objects.filter(kecamatan_id="36.73.02")
    )


def selected_cycle(officer, cycle, n: int = 6):  # noqa: ANN001, ANN201
    businesses = [business_in(f"36.73.0{i % 6 + 1}") for i in range(n)]
    nominate(officer, cycle, businesses)
    services.cycle_publish(actor=officer, cycle=cycle)
    services.selection_run(actor=officer, cycle=cycle)
    return businesses


def test_override_needs_a_written_reason_and_respects_capacity(officer, cycle) -> None:  # noqa: ANN001
    selected_cycle(officer, cycle)
    waiting = Application.objects.filter(cycle=cycle, status=ApplicationStatus.WAITLISTED).first()
    chosen = Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED).first()
    with pytest.raises(ApplicationError, match="alasan"):
        services.application_override(
            actor=officer, application=waiting, to_status="selected", reason="  "
        )
    with pytest.raises(ApplicationError, match="penuh"):
        services.application_override(
            actor=officer,
            application=waiting,
            to_status="selected",
            reason="Pemilik penyandang disabilitas, prioritas daerah",
        )
    services.application_override(
        actor=officer,
        application=chosen,
        to_status="not_selected",
        reason="Usaha ternyata sudah tutup sejak Oktober",
    )
    services.application_override(
        actor=officer,
        application=waiting,
        to_status="selected",
        reason="Menggantikan usaha yang sudah tutup",
    )
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.SELECTED and waiting.overridden
    assert Override.objects.filter(application__cycle=cycle).count() == 2
    text = describe_decision(waiting.reason, Labels.load(), waiting.position)
    assert "diubah petugas: Menggantikan usaha yang sudah tutup" in text
    assert AuditEvent.objects.filter(action="application.override").count() == 2


def test_enrolment_never_exceeds_capacity(officer, cycle) -> None:  # noqa: ANN001
    selected_cycle(officer, cycle)
    enrolled, left = services.enrol_selected(actor=officer, cycle=cycle)
    assert (enrolled, left) == (4, 0)
    seats = sorted(Enrolment.objects.filter(cycle=cycle).values_list("seat", flat=True))
    assert seats == [1, 2, 3, 4]
    with pytest.raises(ApplicationError, match="penuh"):
        services.waitlist_promote(actor=officer, cycle=cycle)


def test_database_refuses_a_seat_twice_or_beyond_capacity(officer, cycle) -> None:  # noqa: ANN001
    selected_cycle(officer, cycle)
    services.enrol_selected(actor=officer, cycle=cycle)
    spare = Application.objects.filter(cycle=cycle, status=ApplicationStatus.WAITLISTED).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            cycle=cycle, application=spare, business=spare.business, seat=5, seat_limit=4
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            cycle=cycle, application=spare, business=spare.business, seat=2, seat_limit=4
        )


def test_withdrawal_frees_the_seat_for_the_first_on_the_waitlist(officer, cycle) -> None:  # noqa: ANN001
    selected_cycle(officer, cycle)
    services.enrol_selected(actor=officer, cycle=cycle)
    leaving = Enrolment.objects.get(cycle=cycle, seat=2)
    with pytest.raises(ApplicationError, match="alasan"):
        services.enrolment_set_status(actor=officer, enrolment=leaving, status="withdrawn")
    services.enrolment_set_status(
        actor=officer, enrolment=leaving, status="withdrawn", reason="Pindah ke luar kota"
    )
    first = Application.objects.get(cycle=cycle, status=ApplicationStatus.WAITLISTED, position=1)
    enrolment = services.waitlist_promote(actor=officer, cycle=cycle)
    assert enrolment.application_id == first.pk and enrolment.seat == 2
    assert "terpilih dari cadangan no. 1" == describe_decision(
        Application.objects.get(pk=first.pk).reason, Labels.load()
    )


def test_completion_writes_the_ledger_which_then_blocks_the_next_cycle(
    officer, programme, cycle
) -> None:  # noqa: ANN001
    businesses = selected_cycle(officer, cycle, n=4)
    services.session_add(
        actor=officer, cycle=cycle, title="Desain kemasan", held_on=date(2026, 12, 7)
    )
    session = cycle.sessions.get()
    services.enrol_selected(actor=officer, cycle=cycle)
    enrolments = list(Enrolment.objects.filter(cycle=cycle))
    services.attendance_record(actor=officer, session=session, present=[enrolments[0].pk])
    services.attendance_record(
        actor=officer, session=session, present=[e.pk for e in enrolments[:3]]
    )
    assert Attendance.objects.filter(session=session, present=True).count() == 3
    assert Attendance.objects.filter(session=session).count() == 4
    done = services.enrolment_set_status(
        actor=officer, enrolment=enrolments[0], status="completed", completed_on=date(2026, 12, 11)
    )
    assert done.status == EnrolmentStatus.COMPLETED
    record = AidRecord.objects.get(enrolment=done)
    assert (record.value, record.kind, record.received_on) == (
        1_500_000,
        "kemasan",
        date(2026, 12, 11),
    )
    services.outcome_record(
        actor=officer,
        enrolment=done,
        kind="omzet",
        observed_on=date(2027, 3, 1),
        omzet_before=3_000_000,
        omzet_after=4_500_000,
    )
    with pytest.raises(ApplicationError):
        services.outcome_record(
            actor=officer, enrolment=done, kind="omzet", observed_on=date(2027, 3, 1)
        )
    with pytest.raises(ApplicationError, match="sudah selesai"):
        services.enrolment_set_status(
            actor=officer, enrolment=done, status="dropped", reason="salah klik"
        )

    later = new_cycle(
        officer,
        programme,
        name="Angkatan 2",
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 2, 5),
        rules=[{"kind": "not_received_within", "values": ["kemasan"], "years": 2}],
    )
    nominate(officer, later, [done.business])
    services.cycle_publish(actor=officer, cycle=later)
    services.selection_run(actor=officer, cycle=later, on=date(2027, 1, 20))
    application = Application.objects.get(cycle=later)
    assert application.status == ApplicationStatus.INELIGIBLE
    text = describe_decision(application.reason, Labels.load())
    assert text.startswith("tidak memenuhi: sudah menerima Bantuan kemasan")
    assert businesses


def test_fairness_of_a_cycle_against_the_register(officer, cycle) -> None:  # noqa: ANN001
    women = [business_in("36.73.01", sex="P"), business_in("36.73.02", sex="P")]
    men = [business_in("36.73.01", sex="L"), business_in("36.73.03", sex="L")]
    nominate(officer, cycle, women + men)
    services.cycle_publish(actor=officer, cycle=cycle)
    run = services.selection_run(actor=officer, cycle=cycle)
    counts = {(a, s): n for a, s, n in run.register_counts}
    report = cycle_fairness(cycle=cycle, register_counts=counts)
    assert report.beneficiaries == 4
    assert report.by_sex == {"P": 2, "L": 2}
    assert report.rupiah == 4 * 1_500_000
    assert report.first_time == 4 and report.repeat == 0
    total_register = sum(counts.values())
    by_area = {row.key: row for row in report.by_area}
    assert by_area["36.73.01"].seats == 2
    assert by_area["36.73.01"].register == sum(
        n for (a, _s), n in counts.items() if a == "36.73.01"
    )
    assert (
        abs(by_area["36.73.01"].register_share - by_area["36.73.01"].register / total_register)
        < 1e-9
    )
