"""Event services: validation, registration rules, attendance, reminders, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from naikkelas.association.models import AssociationEvent, EventRegistration
from naikkelas.association.services import events
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.registry.services import business_close
from tests.association.events_support import admin_user, make_event, make_member
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def actions(**filters: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


# --- create and update -----------------------------------------------------------------------


def test_create_gives_a_random_checkin_code_and_is_audited() -> None:
    one, two = make_event(), make_event(title="Pelatihan Pemasaran Digital")
    assert len(one.checkin_code) >= 20 and one.checkin_code != two.checkin_code
    assert actions(object_id=str(one.pk)) == ["event.create"]


def test_create_refuses_an_end_before_the_start_and_a_capacity_below_one() -> None:
    now = timezone.now()
    with pytest.raises(ApplicationError) as error:
        make_event(starts_at=now, ends_at=now - timedelta(hours=1))
    assert error.value.code == "ends_at"
    with pytest.raises(ApplicationError) as error:
        make_event(capacity=0)
    assert error.value.code == "capacity"
    assert not AssociationEvent.objects.exists()


def test_update_changes_fields_and_refuses_a_capacity_below_the_registered() -> None:
    event = make_event(members_only=False)
    for name in ("Keripik A", "Keripik B"):
        events.event_register(actor=admin_user(), event=event, business=make_business(name=name))
    event = events.event_update(
        actor=admin_user(), event=event, data={"title": "Forum Anggota (pindah)", "capacity": 2}
    )
    assert event.title == "Forum Anggota (pindah)" and event.capacity == 2
    with pytest.raises(ApplicationError) as error:
        events.event_update(actor=admin_user(), event=event, data={"capacity": 1})
    assert error.value.code == "capacity"
    assert actions(action="event.update") == ["event.update"]


# --- registration ----------------------------------------------------------------------------


def test_members_only_refuses_a_non_member_and_accepts_a_member() -> None:
    event = make_event(members_only=True)
    outsider, member = make_business(name="Bukan Anggota"), make_business(name="Anggota")
    make_member(member)
    with pytest.raises(ApplicationError) as error:
        events.event_register(actor=admin_user(), event=event, business=outsider)
    assert error.value.code == events.MEMBERS_ONLY
    registration = events.event_register(actor=admin_user(), event=event, business=member)
    assert registration.status == "terdaftar"


def test_registration_is_refused_when_closed_full_or_ended() -> None:
    admin = admin_user()
    closed = make_event(members_only=False, registration_open=False)
    with pytest.raises(ApplicationError) as error:
        events.event_register(actor=admin, event=closed, business=make_business())
    assert error.value.code == events.REGISTRATION_CLOSED
    full = make_event(members_only=False, capacity=1)
    events.event_register(actor=admin, event=full, business=make_business(name="Pertama"))
    with pytest.raises(ApplicationError) as error:
        events.event_register(actor=admin, event=full, business=make_business(name="Kedua"))
    assert error.value.code == events.EVENT_FULL
    past = timezone.now() - timedelta(days=3)
    ended = make_event(members_only=False, starts_at=past, ends_at=past + timedelta(hours=2))
    with pytest.raises(ApplicationError):
        events.event_register(actor=admin, event=ended, business=make_business(name="Telat"))


def test_a_closed_business_cannot_register() -> None:
    event = make_event(members_only=False)
    business = make_business()
    business_close(actor=admin_user(), business=business, reason="tutup")
    business.refresh_from_db()
    with pytest.raises(ApplicationError):
        events.event_register(actor=admin_user(), event=event, business=business)


def test_registering_twice_is_idempotent_and_audited_once() -> None:
    event = make_event(members_only=False)
    business = make_business()
    first = events.event_register(actor=admin_user(), event=event, business=business)
    second = events.event_register(actor=admin_user(), event=event, business=business)
    assert first.pk == second.pk
    assert EventRegistration.objects.count() == 1
    assert actions(action="event.register") == ["event.register"]


def test_cancel_frees_the_seat_and_re_registering_works() -> None:
    admin = admin_user()
    event = make_event(members_only=False, capacity=1)
    first, second = make_business(name="Pertama"), make_business(name="Kedua")
    events.event_register(actor=admin, event=event, business=first)
    cancelled = events.event_cancel_registration(actor=admin, event=event, business=first)
    assert cancelled.status == "batal"
    assert events.seats_left(event) == 1
    events.event_cancel_registration(actor=admin, event=event, business=first)  # no-op
    events.event_register(actor=admin, event=event, business=second)
    events.event_cancel_registration(actor=admin, event=event, business=second)
    again = events.event_register(actor=admin, event=event, business=first)
    assert again.pk == cancelled.pk and again.status == "terdaftar"
    assert actions(action="event.cancel_registration") == ["event.cancel_registration"] * 2


def test_cancelling_after_attending_is_refused() -> None:
    event = make_event(members_only=False)
    business = make_business()
    events.attendance_record(actor=admin_user(), event=event, business=business, method="daftar")
    with pytest.raises(ApplicationError):
        events.event_cancel_registration(actor=admin_user(), event=event, business=business)


# --- attendance ------------------------------------------------------------------------------


def test_attendance_is_idempotent_and_keeps_the_first_method() -> None:
    event = make_event(members_only=False)
    business = make_business()
    events.event_register(actor=admin_user(), event=event, business=business)
    first = events.attendance_record(
        actor=admin_user(), event=event, business=business, method="qr"
    )
    again = events.attendance_record(
        actor=admin_user(), event=event, business=business, method="daftar"
    )
    assert again.attended_at == first.attended_at and again.attendance_method == "qr"
    assert actions(action="event.attend") == ["event.attend"]
    audit = AuditEvent.objects.get(action="event.attend")
    assert audit.extra["method"] == "qr" and audit.extra["walk_in"] is False


def test_a_walk_in_is_registered_and_present_while_a_seat_is_free() -> None:
    admin = admin_user()
    event = make_event(members_only=False, capacity=1, registration_open=False)
    walk_in = events.attendance_record(
        actor=admin, event=event, business=make_business(name="Datang Langsung"), method="daftar"
    )
    assert walk_in.status == "terdaftar" and walk_in.attended_at is not None
    assert AuditEvent.objects.get(action="event.attend").extra["walk_in"] is True
    with pytest.raises(ApplicationError) as error:
        events.attendance_record(
            actor=admin, event=event, business=make_business(name="Kedua"), method="daftar"
        )
    assert error.value.code == events.EVENT_FULL


def test_a_walk_in_to_a_members_only_event_must_be_a_member() -> None:
    event = make_event(members_only=True)
    with pytest.raises(ApplicationError) as error:
        events.attendance_record(
            actor=admin_user(), event=event, business=make_business(), method="qr"
        )
    assert error.value.code == events.MEMBERS_ONLY


def test_the_attendance_list_marks_only_ticked_registrations_of_this_event() -> None:
    admin = admin_user()
    event, other = make_event(members_only=False), make_event(members_only=False)
    a, b = make_business(name="A"), make_business(name="B")
    ra = events.event_register(actor=admin, event=event, business=a)
    rb = events.event_register(actor=admin, event=event, business=b)
    foreign = events.event_register(actor=admin, event=other, business=a)
    marked = events.attendance_record_list(
        actor=admin, event=event, registration_ids=[ra.pk, foreign.pk]
    )
    assert marked == 1
    ra.refresh_from_db(), rb.refresh_from_db(), foreign.refresh_from_db()
    assert ra.attendance_method == "daftar" and rb.attended_at is None
    assert foreign.attended_at is None
    assert events.attendance_record_list(actor=admin, event=event, registration_ids=[ra.pk]) == 0


def test_attendance_clear_undoes_a_mistake() -> None:
    event = make_event(members_only=False)
    registration = events.attendance_record(
        actor=admin_user(), event=event, business=make_business(), method="daftar"
    )
    cleared = events.attendance_clear(actor=admin_user(), registration=registration)
    assert cleared.attended_at is None and cleared.attendance_method == ""
    assert "event.attend_clear" in actions()


def test_checkin_by_code_records_a_qr_attendance_on_the_day_only() -> None:
    event = make_event(members_only=False)
    business = make_business()
    registration = events.attendance_by_checkin(
        actor=admin_user(), code=event.checkin_code, business=business
    )
    assert registration.attendance_method == "qr"
    with pytest.raises(ApplicationError) as error:
        events.attendance_by_checkin(actor=admin_user(), code="tidak-ada", business=business)
    assert error.value.code == "not_found"
    later = timezone.now() + timedelta(days=7)
    next_week = make_event(members_only=False, starts_at=later, ends_at=later)
    with pytest.raises(ApplicationError) as error:
        events.attendance_by_checkin(
            actor=admin_user(), code=next_week.checkin_code, business=business
        )
    assert error.value.code == "checkin_closed"


# --- reminders -------------------------------------------------------------------------------


def test_reminders_are_e_mailed_to_registered_owners_with_an_address() -> None:
    admin = admin_user()
    event = make_event(members_only=False)
    with_mail = make_business(
        name="Keripik Siti", owner=make_owner(full_name="Siti", email="siti@example.org")
    )
    without = make_business(name="Emping Iyah", owner=make_owner(full_name="Iyah"))
    gone = make_business(
        name="Batal", owner=make_owner(full_name="Batal", email="batal@example.org")
    )
    for business in (with_mail, without, gone):
        events.event_register(actor=admin, event=event, business=business)
    events.event_cancel_registration(actor=admin, event=event, business=gone)
    assert events.event_reminders_send(event=event, actor=admin) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@example.org"]
    assert "Keripik Siti" in mail.outbox[0].body and event.venue in mail.outbox[0].body
    audit = AuditEvent.objects.get(action="event.remind")
    assert audit.extra == {"channel": "email", "sent": 1, "registered": 2}
