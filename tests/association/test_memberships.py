"""Membership lifecycle: applications, the secretary's approval, numbers, the register's flag,
the daily status sweep, overrides and ending; the daily scheduler."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from naikkelas.accounts.models import Role
from naikkelas.association.models import (
    BoardPosition,
    BoardTerm,
    DuesPayment,
    Member,
    MembershipType,
    MemberStatusChange,
)
from naikkelas.association.services import memberships
from naikkelas.core.daily import DAILY_JOBS, enqueue_due
from naikkelas.core.models import AuditEvent, DailyJobRun
from naikkelas.registry.models import Membership
from tests.conftest import make_user
from tests.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def biasa() -> MembershipType:
    memberships.membership_type_catalogue_load()
    kind = MembershipType.objects.get(code="biasa")
    kind.dues, kind.period_months, kind.grace_days, kind.new_days = 120_000, 12, 30, 90
    kind.save()
    return kind


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, "admin-asosiasi")


def join(business, kind, actor, joined_on: date) -> Member:  # noqa: ANN001
    application = memberships.application_submit(
        actor=actor, business=business, membership_type=kind
    )
    return memberships.application_approve(
        actor=actor, application=application, joined_on=joined_on
    )


def pay(member: Member, start: date, end: date) -> None:
    DuesPayment.objects.create(
        member=member,
        paid_on=start,
        amount=120_000,
        periods=1,
        period_start=start,
        period_end=end,
        method="tunai",
        receipt_number=f"KW-T-{start.isoformat()}",
    )
    memberships.member_validity_recompute(member=member)


def test_approval_makes_a_member_with_a_number_and_the_register_follows(biasa, admin) -> None:
    day = date.today()
    first = join(make_business(name="Emping Satu"), biasa, admin, day)
    second = join(make_business(name="Emping Dua"), biasa, admin, day)
    assert (first.number, second.number) == (f"HPK-{day.year}-0001", f"HPK-{day.year}-0002")
    assert first.status == "baru"  # a new member has the grace period for the first dues
    assert len(first.card_code) >= 16 and first.card_code != second.card_code
    flag = Membership.objects.get(business=first.business)
    assert (flag.status, flag.number, flag.since) == ("aktif", first.number, day)
    # never paid: after the grace period the register no longer counts it
    memberships.members_sweep(today=day + timedelta(days=31))
    assert Membership.objects.get(business=first.business).status == "tidak_aktif"
    assert AuditEvent.objects.filter(action="member.approve").count() == 2


def test_only_the_secretary_approves(biasa) -> None:
    officer = make_user(Role.HIPMIKINDO, "pengurus-biasa")
    business = make_business(name="Batik Kasemen")
    application = memberships.application_submit(
        actor=officer, business=business, membership_type=biasa
    )
    assert Membership.objects.get(business=business).status == "calon"
    with pytest.raises(PermissionDenied):
        memberships.application_approve(actor=officer, application=application)
    term = BoardTerm.objects.create(
        name="2026–2031",
        sk_number="SK-01/2026",
        sk_date=date(2026, 1, 10),
        starts_on=date(2026, 1, 10),
        ends_on=date(2031, 1, 9),
    )
    BoardPosition.objects.create(
        term=term, title="Sekretaris", holder_name="Rina", user=officer, approves_members=True
    )
    member = memberships.application_approve(actor=officer, application=application)
    assert member.business == business


def test_refusal_needs_a_reason_and_double_applications_are_refused(biasa, admin) -> None:
    business = make_business(name="Kopi Banten")
    application = memberships.application_submit(
        actor=admin, business=business, membership_type=biasa
    )
    with pytest.raises(ValidationError):
        memberships.application_submit(actor=admin, business=business, membership_type=biasa)
    with pytest.raises(ValidationError):
        memberships.application_refuse(actor=admin, application=application, reason="  ")
    memberships.application_refuse(actor=admin, application=application, reason="Belum 1 tahun")
    application.refresh_from_db()
    assert application.status == "ditolak" and application.decision_reason == "Belum 1 tahun"
    member = join(business, biasa, admin, date.today())  # may apply again
    with pytest.raises(ValidationError):  # a member in good standing
        memberships.application_submit(actor=admin, business=business, membership_type=biasa)
    assert member.status == "baru"


def test_status_moves_by_date_without_anyone_touching_it(biasa, admin) -> None:
    member = join(make_business(name="Dodol Serang"), biasa, admin, date(2025, 1, 1))
    pay(member, date(2025, 1, 1), date(2025, 12, 31))
    flags = []
    for day, expected in (
        (date(2025, 3, 31), "baru"),  # within the first 90 days
        (date(2025, 4, 1), "aktif"),
        (date(2025, 12, 31), "aktif"),  # the last paid day
        (date(2026, 1, 1), "masa_tenggang"),
        (date(2026, 1, 30), "masa_tenggang"),  # the grace period's last day
        (date(2026, 1, 31), "lewat"),
    ):
        memberships.members_sweep(today=day)
        member.refresh_from_db()
        assert member.status == expected, day
        flags.append(Membership.objects.get(business=member.business).status)
    assert flags[-1] == "tidak_aktif" and flags[3] == "aktif"  # grace still counts as member
    changes = list(
        MemberStatusChange.objects.filter(member=member)
        .order_by("id")
        .values_list("new_status", flat=True)
    )
    assert changes[-3:] == ["aktif", "masa_tenggang", "lewat"]
    # paying again (late, after the grace period) revives it
    pay(member, date(2026, 2, 10), date(2027, 2, 9))
    member.refresh_from_db()
    assert member.paid_until == date(2027, 2, 9)


def test_override_lasts_until_its_date_then_the_rules_apply_again(biasa, admin) -> None:
    member = join(make_business(name="Sate Bandeng"), biasa, admin, date(2024, 1, 1))
    memberships.members_sweep(today=date(2026, 11, 29))
    member.refresh_from_db()
    assert member.status == "lewat"  # never paid
    with pytest.raises(ValidationError):
        memberships.member_override(actor=admin, member=member, status="aktif", reason="")
    until = date.today() + timedelta(days=10)
    memberships.member_override(
        actor=admin, member=member, status="aktif", reason="Iuran dibebaskan (bencana)", until=until
    )
    member.refresh_from_db()
    assert member.status == "aktif"
    memberships.members_sweep(today=until + timedelta(days=1))
    member.refresh_from_db()
    assert member.status == "lewat"


def test_ending_and_rejoining_keeps_the_number(biasa, admin) -> None:
    business = make_business(name="Kerupuk Kulit")
    member = join(business, biasa, admin, date(2026, 1, 5))
    with pytest.raises(ValidationError):
        memberships.member_end(actor=admin, member=member, reason="")
    memberships.member_end(actor=admin, member=member, reason="Mengundurkan diri")
    member.refresh_from_db()
    assert member.status == "berhenti"
    assert Membership.objects.get(business=business).status == "tidak_aktif"
    again = join(business, biasa, admin, date(2026, 6, 1))
    assert again.pk == member.pk and again.number == member.number and again.ended_on is None


def test_a_type_without_dues_never_lapses(admin) -> None:
    memberships.membership_type_catalogue_load()
    honour = MembershipType.objects.get(code="kehormatan")
    member = join(make_business(name="Tokoh UMKM"), honour, admin, date(2020, 1, 1))
    memberships.members_sweep(today=date(2030, 1, 1))
    member.refresh_from_db()
    assert member.status == "aktif"


def test_the_daily_jobs_are_queued_once_a_day() -> None:
    assert {
        "association.members_sweep",
        "association.renewal_reminders",
        "kendala.escalate",
    } <= set(DAILY_JOBS)
    day = date(2026, 11, 29)
    first = enqueue_due(today=day)
    assert set(first) == set(DAILY_JOBS)
    assert enqueue_due(today=day) == []  # claimed already
    assert set(enqueue_due(today=day + timedelta(days=1))) == set(DAILY_JOBS)
    assert DailyJobRun.objects.filter(day=day).count() == len(DAILY_JOBS)
