"""Dues services: recording (amount, periods, receipt numbers, validations), voiding, the
member's validity and status that follow, the audit trail, and the renewal reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.association.models import DuesPayment, MemberStatus
from naikkelas.association.services import memberships
from naikkelas.association.services.dues import (
    RENEWAL_REMINDER_ACTION,
    dues_record,
    dues_reminder_email_send,
    dues_void,
    renewal_reminders_send,
)
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from tests.association.dues_helpers import honorary_type, join, yearly_type
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

JOINED = date(2024, 1, 15)


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, "admin-iuran")


@pytest.fixture
def kind():
    return yearly_type()


@pytest.fixture
def member(admin, kind):  # noqa: ANN001
    return join(admin=admin, kind=kind, joined_on=JOINED)


def record(admin, member, paid_on=JOINED, periods=1, **kwargs):  # noqa: ANN001, ANN003, ANN201
    return dues_record(
        actor=admin, member=member, paid_on=paid_on, periods=periods, method="tunai", **kwargs
    )


def test_amount_defaults_to_periods_times_dues(admin, member) -> None:
    # when
    payment = record(admin, member, periods=2)
    # then
    assert payment.amount == 240_000
    assert (payment.period_start, payment.period_end) == (JOINED, date(2026, 1, 14))
    member.refresh_from_db()
    assert member.paid_until == date(2026, 1, 14)


def test_an_explicit_amount_is_kept(admin, member) -> None:
    assert record(admin, member, amount=100_000).amount == 100_000


def test_renewal_within_grace_continues_from_paid_until(admin, member) -> None:
    # given: paid through 2025-01-14
    record(admin, member)
    # when: paid on the grace period's last day
    renewal = record(admin, member, paid_on=date(2025, 2, 13))
    # then: no gap, no lost days
    assert (renewal.period_start, renewal.period_end) == (date(2025, 1, 15), date(2026, 1, 14))


def test_lapsed_renewal_starts_on_the_payment_date(admin, member) -> None:
    record(admin, member)
    renewal = record(admin, member, paid_on=date(2025, 2, 14))  # the day after the grace
    assert (renewal.period_start, renewal.period_end) == (date(2025, 2, 14), date(2026, 2, 13))
    member.refresh_from_db()
    assert member.paid_until == date(2026, 2, 13)


def test_void_restores_validity_and_status(admin, kind) -> None:
    # given: a member paid up to a year from now, who renews once more
    today = timezone.localdate()
    member = join(admin=admin, kind=kind, joined_on=today - timedelta(days=200))
    first = record(admin, member, paid_on=today)
    second = record(admin, member, paid_on=today)
    member.refresh_from_db()
    assert member.paid_until == second.period_end
    # when
    dues_void(actor=admin, payment=second, reason="Salah catat, dobel")
    # then
    member.refresh_from_db()
    assert member.paid_until == first.period_end
    assert member.status == MemberStatus.AKTIF
    dues_void(actor=admin, payment=first, reason="Uang dikembalikan")
    member.refresh_from_db()
    assert member.paid_until is None
    assert member.status == MemberStatus.LEWAT  # never paid, past the first grace period
    assert DuesPayment.objects.filter(member=member).count() == 2  # kept, never deleted


def test_void_needs_a_reason_and_happens_once(admin, member) -> None:
    payment = record(admin, member)
    with pytest.raises(ValidationError) as error:
        dues_void(actor=admin, payment=payment, reason="  ")
    assert "reason" in error.value.message_dict
    dues_void(actor=admin, payment=payment, reason="Salah anggota")
    with pytest.raises(ApplicationError):
        dues_void(actor=admin, payment=payment, reason="Lagi")


def test_receipt_numbers_are_sequential_per_year_and_unique(admin, member) -> None:
    numbers = [record(admin, member).receipt_number for _ in range(3)]
    numbers.append(record(admin, member, paid_on=date(2025, 3, 1)).receipt_number)
    assert numbers == ["KW-2024-00001", "KW-2024-00002", "KW-2024-00003", "KW-2025-00001"]


def test_a_typed_receipt_number_is_kept_and_skipped_by_the_sequence(admin, member) -> None:
    assert record(admin, member, receipt_number="KW-2024-00001").receipt_number == "KW-2024-00001"
    assert record(admin, member).receipt_number == "KW-2024-00002"
    with pytest.raises(ValidationError) as error:
        record(admin, member, receipt_number="KW-2024-00002")
    assert "receipt_number" in error.value.message_dict


def test_member_numbers_and_receipts_do_not_share_serials(admin, kind, member) -> None:
    record(admin, member)
    other = join(admin=admin, kind=kind, joined_on=JOINED, name="Kerupuk Kulit Pak Ujang")
    assert other.number.endswith("-0002")


def test_transfer_requires_a_reference(admin, member) -> None:
    with pytest.raises(ValidationError) as error:
        dues_record(actor=admin, member=member, paid_on=JOINED, periods=1, method="transfer")
    assert list(error.value.message_dict) == ["reference"]
    payment = dues_record(
        actor=admin,
        member=member,
        paid_on=JOINED,
        periods=1,
        method="transfer",
        reference=" BRI 0042 ",
    )
    assert payment.reference == "BRI 0042"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"periods": 0}, "periods"),
        ({"periods": 11}, "periods"),
        ({"method": "qris"}, "method"),
        ({"amount": 0}, "amount"),
        ({"paid_on": date(2999, 1, 1)}, "paid_on"),
        ({"paid_on": None}, "paid_on"),
    ],
)
def test_invalid_input_is_refused_by_field(admin, member, changes, field) -> None:  # noqa: ANN001
    values = {"paid_on": JOINED, "periods": 1, "method": "tunai", **changes}
    with pytest.raises(ValidationError) as error:
        dues_record(actor=admin, member=member, **values)
    assert field in error.value.message_dict
    assert not DuesPayment.objects.exists()


def test_berhenti_member_is_refused(admin, member) -> None:
    memberships.member_end(actor=admin, member=member, reason="Mengundurkan diri")
    with pytest.raises(ValidationError) as error:
        record(admin, member)
    assert "member" in error.value.message_dict


def test_type_without_dues_is_refused(admin) -> None:
    member = join(admin=admin, kind=honorary_type(), joined_on=JOINED)
    with pytest.raises(ValidationError) as error:
        record(admin, member)
    assert "member" in error.value.message_dict


def test_record_and_void_are_audited(admin, member) -> None:
    payment = record(admin, member)
    dues_void(actor=admin, payment=payment, reason="Salah catat")
    recorded = AuditEvent.objects.get(action="dues.record")
    assert recorded.actor == admin
    assert recorded.object_id == str(member.pk)
    assert recorded.extra["receipt"] == "KW-2024-00001"
    assert recorded.extra["amount"] == 120_000
    voided = AuditEvent.objects.get(action="dues.void")
    assert voided.extra["reason"] == "Salah catat"
    assert (
        AuditEvent.objects.filter(action="member.validity", object_id=str(member.pk)).count() == 2
    )


# --- reminders -------------------------------------------------------------------------------


def _paid_until(admin, kind, *, days_left: int, name: str, email: str = "pemilik@example.com"):  # noqa: ANN001, ANN202
    """A member whose validity ends ``days_left`` days from today."""
    today = timezone.localdate()
    member = join(
        admin=admin, kind=kind, joined_on=today - timedelta(days=400), name=name, email=email
    )
    record(admin, member, paid_on=today - timedelta(days=400))
    member.refresh_from_db()
    # move validity to the wanted end by a typed period (a correction the office could make)
    DuesPayment.objects.filter(member=member).update(period_end=today + timedelta(days=days_left))
    memberships.member_validity_recompute(member=member)
    return member


def test_renewal_reminders_go_once_per_milestone(
    admin, kind, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    in_30 = _paid_until(admin, kind, days_left=30, name="Keripik Tiga Puluh")
    in_7 = _paid_until(admin, kind, days_left=7, name="Keripik Tujuh")
    _paid_until(admin, kind, days_left=31, name="Keripik Belum")
    _paid_until(admin, kind, days_left=20, name="Keripik Tanpa Email", email="")
    with django_capture_on_commit_callbacks(execute=True):
        sent = renewal_reminders_send(today=today)
    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["pemilik@example.com"] * 2
    assert any(in_30.number in m.subject for m in mailoutbox)
    assert any(in_7.number in m.body for m in mailoutbox)
    # a second run the same day sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=today) == 0
    # 23 days later the first reaches the 7-day milestone, the third the 30-day one; the
    # second has had its reminder (its validity ended)
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=today + timedelta(days=23)) == 2
    assert len(mailoutbox) == 4
    milestones = sorted(
        (e.object_id == str(in_30.pk), e.extra["milestone"])
        for e in AuditEvent.objects.filter(action=RENEWAL_REMINDER_ACTION)
    )
    assert milestones == [(False, 7), (False, 30), (True, 7), (True, 30)]


def test_a_renewed_member_is_reminded_again_next_time(
    admin, kind, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    member = _paid_until(admin, kind, days_left=5, name="Dodol Bandeng")
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=today) == 1
    record(admin, member, paid_on=today)  # continuous: a year more
    member.refresh_from_db()
    later = member.paid_until - timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=later) == 1


def test_reminder_email_now_needs_an_address(
    admin, kind, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    with_mail = join(
        admin=admin, kind=kind, joined_on=today - timedelta(days=400), email="iyah@example.com"
    )
    without = join(admin=admin, kind=kind, joined_on=today, name="Sate Bandeng Tanpa Email")
    with django_capture_on_commit_callbacks(execute=True):
        to = dues_reminder_email_send(actor=admin, member=with_mail, kind="tunggakan", today=today)
    assert to == "iyah@example.com"
    assert len(mailoutbox) == 1
    assert "Rp240.000" in mailoutbox[0].body and "2 periode" in mailoutbox[0].body
    with pytest.raises(ValidationError):
        dues_reminder_email_send(actor=admin, member=without, kind="tunggakan", today=today)
    with pytest.raises(ValidationError):
        dues_reminder_email_send(actor=admin, member=with_mail, kind="spam", today=today)
    assert AuditEvent.objects.filter(action="dues.reminder_email").count() == 1
