"""Forums, trainings and meetings: create and edit, registration, attendance, reminders.

Capacity counts the registrations that stand (``terdaftar``); every write that may take a
seat locks the event's row first, so two officers (or an officer and an owner scanning the
QR) registering at the same moment never exceed it (ADR 0004's shape: never read a count,
decide and write as separate steps without the lock).

Registration is refused when it is closed, when the event has ended, when the business is not
active in the register, when the event is for members and the business is not a member in good
standing, and when the event is full. Attendance (by QR scan or from the list) registers a
walk-in on the spot if a seat is free, whether pre-registration is still open or not: closing
registration does not turn people away at the door. Both are idempotent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.association.event_messages import reminder_subject, reminder_text
from naikkelas.association.models import (
    AssociationEvent,
    AttendanceMethod,
    EventKind,
    EventRegistration,
    Member,
    RegistrationStatus,
)
from naikkelas.association.status import IN_GOOD_STANDING
from naikkelas.core.audit import actor_user, audit_log, diff, snapshot
from naikkelas.core.exceptions import ApplicationError
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.models import Business, BusinessOwner, BusinessStatus, OwnerRole

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "kecamatan",
    "capacity",
    "members_only",
    "registration_open",
)

# Refusals, reused by the tests.
EVENT_ENDS_BEFORE_START = gettext_lazy("Waktu selesai tidak boleh sebelum waktu mulai.")
EVENT_CAPACITY_MIN = gettext_lazy("Kapasitas minimal 1 (kosongkan bila tanpa batas).")
REGISTRATION_CLOSED = "closed"
EVENT_FULL = "full"
MEMBERS_ONLY = "members_only"


def _check_event(values: Mapping[str, Any]) -> None:
    if not str(values.get("title") or "").strip():
        raise ApplicationError(_("Judul kegiatan wajib diisi."), code="title")
    if values.get("kind") not in EventKind.values:
        raise ApplicationError(_("Jenis kegiatan tidak dikenal."), code="kind")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise ApplicationError(_("Waktu mulai dan selesai wajib diisi."), code="starts_at")
    if ends_at < starts_at:
        raise ApplicationError(str(EVENT_ENDS_BEFORE_START), code="ends_at")
    capacity = values.get("capacity")
    if capacity is not None and int(capacity) < 1:
        raise ApplicationError(str(EVENT_CAPACITY_MIN), code="capacity")
    kecamatan = values.get("kecamatan")
    if kecamatan and not kecamatan_list().filter(code=kecamatan).exists():
        raise ApplicationError(_("Kecamatan tidak dikenal."), code="kecamatan")


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in EVENT_FIELDS if k in data}
    for name in ("title", "description", "venue"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "kecamatan" in values:
        values["kecamatan"] = values["kecamatan"] or None
    return values


def _snapshot(event: AssociationEvent) -> dict[str, Any]:
    return snapshot(event, EVENT_FIELDS)


def event_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    description: str = "",
    kecamatan: str | None = None,
    capacity: int | None = None,
    members_only: bool = True,
    registration_open: bool = True,
    request: Any = None,
) -> AssociationEvent:
    """A new forum, training or meeting with its own check-in code.

    Raises:
        ApplicationError: the end is before the start, the capacity is below 1, the kind or
            kecamatan is unknown, or the title is empty (``code`` names the field).
    """
    values = _values(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue": venue,
            "kecamatan": kecamatan,
            "capacity": capacity,
            "members_only": members_only,
            "registration_open": registration_open,
        }
    )
    _check_event(values)
    with transaction.atomic():
        event = AssociationEvent(
            checkin_code=secrets.token_urlsafe(16),
            created_by=actor_user(actor),
            **{k: v for k, v in values.items() if k != "kecamatan"},
            kecamatan_id=values["kecamatan"],
        )
        event.save()
        audit_log(
            actor=actor,
            action="event.create",
            instance=event,
            request=request,
            changes=diff({}, _snapshot(event)),
        )
    return event


def event_update(
    *, actor: Any, event: AssociationEvent, data: Mapping[str, Any], request: Any = None
) -> AssociationEvent:
    """Change the fields in ``data`` (others stay).

    Raises:
        ApplicationError: as :func:`event_create`, or the capacity would fall below the
            registrations that stand.
    """
    with transaction.atomic():
        event = AssociationEvent.objects.select_for_update().get(pk=event.pk)
        before = _snapshot(event)
        values = {**before, **_values(data)}
        _check_event(values)
        capacity = values["capacity"]
        if capacity is not None and capacity < _registered_count(event):
            raise ApplicationError(
                _("Kapasitas tidak boleh lebih kecil dari jumlah yang sudah terdaftar."),
                code="capacity",
            )
        for name in EVENT_FIELDS:
            if name == "kecamatan":
                event.kecamatan_id = values[name]
            else:
                setattr(event, name, values[name])
        event.save()
        changes = diff(before, _snapshot(event))
        if changes:
            audit_log(
                actor=actor, action="event.update", instance=event, request=request, changes=changes
            )
    return event


# --- registration ----------------------------------------------------------------------------


def _registered_count(event: AssociationEvent) -> int:
    return EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.TERDAFTAR
    ).count()


def seats_left(event: AssociationEvent) -> int | None:
    """Free seats (None: no limit)."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - _registered_count(event))


def is_member_in_good_standing(business: Business) -> bool:
    return Member.objects.filter(business=business, status__in=IN_GOOD_STANDING).exists()


def _check_may_take_seat(event: AssociationEvent, business: Business) -> None:
    """Call with the event's row locked."""
    if business.status != BusinessStatus.ACTIVE:
        raise ApplicationError(
            _("Hanya usaha yang aktif di register yang dapat didaftarkan."), code="business"
        )
    if event.members_only and not is_member_in_good_standing(business):
        raise ApplicationError(
            _("Kegiatan ini khusus anggota Hipmikindo yang aktif."), code=MEMBERS_ONLY
        )
    if event.capacity is not None and _registered_count(event) >= event.capacity:
        raise ApplicationError(_("Kegiatan ini sudah penuh."), code=EVENT_FULL)


def _locked(event: AssociationEvent) -> AssociationEvent:
    return AssociationEvent.objects.select_for_update().get(pk=event.pk)


def _take_seat(
    *, actor: Any, event: AssociationEvent, business: Business, registration: Any
) -> EventRegistration:
    """Register ``business`` (new, or again after a cancellation). Event row locked."""
    _check_may_take_seat(event, business)
    if registration is None:
        registration = EventRegistration(event=event, business=business)
    registration.status = RegistrationStatus.TERDAFTAR
    registration.registered_by = actor_user(actor)
    registration.save()
    return registration


def event_register(
    *, actor: Any, event: AssociationEvent, business: Business, request: Any = None
) -> EventRegistration:
    """Register ``business`` for ``event`` (again after a cancellation). A business already
    registered is returned as it is.

    Raises:
        ApplicationError: registration is closed or the event has ended (``closed``), the
            event is for members and the business is not one in good standing
            (``members_only``), the event is full (``full``), the business is not active.
    """
    with transaction.atomic():
        event = _locked(event)
        registration = EventRegistration.objects.filter(event=event, business=business).first()
        if registration is not None and registration.status == RegistrationStatus.TERDAFTAR:
            return registration
        if not event.registration_open:
            raise ApplicationError(_("Pendaftaran kegiatan ini ditutup."), code=REGISTRATION_CLOSED)
        if event.ends_at < timezone.now():
            raise ApplicationError(_("Kegiatan ini sudah selesai."), code=REGISTRATION_CLOSED)
        again = registration is not None
        registration = _take_seat(
            actor=actor, event=event, business=business, registration=registration
        )
        audit_log(
            actor=actor,
            action="event.register",
            instance=registration,
            request=request,
            extra={"event": event.pk, "business": business.pk, "again": again},
        )
    return registration


def event_cancel_registration(
    *, actor: Any, event: AssociationEvent, business: Business, request: Any = None
) -> EventRegistration:
    """Cancel a registration (the seat is freed). Cancelling twice changes nothing.

    Raises:
        ApplicationError: the business is not registered, or has already attended.
    """
    with transaction.atomic():
        event = _locked(event)
        registration = EventRegistration.objects.filter(event=event, business=business).first()
        if registration is None:
            raise ApplicationError(_("Usaha ini tidak terdaftar pada kegiatan ini."))
        if registration.status == RegistrationStatus.BATAL:
            return registration
        if registration.attended_at is not None:
            raise ApplicationError(
                _("Usaha ini sudah tercatat hadir; pendaftaran tidak dibatalkan.")
            )
        registration.status = RegistrationStatus.BATAL
        registration.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="event.cancel_registration",
            instance=registration,
            request=request,
            extra={"event": event.pk, "business": business.pk},
        )
    return registration


# --- attendance ------------------------------------------------------------------------------


def attendance_record(
    *,
    actor: Any,
    event: AssociationEvent,
    business: Business,
    method: str,
    request: Any = None,
) -> EventRegistration:
    """Record ``business`` present (by QR scan or from the list). A walk-in is registered on
    the spot when a seat is free; a business already present is returned unchanged.

    Raises:
        ApplicationError: a walk-in for a full event, or not a member for a members-only one.
        ValueError: an unknown ``method``.
    """
    if method not in AttendanceMethod.values:
        raise ValueError(f"unknown attendance method {method!r}")
    with transaction.atomic():
        event = _locked(event)
        registration = EventRegistration.objects.filter(event=event, business=business).first()
        if registration is not None and registration.attended_at is not None:
            return registration  # a cancellation is refused once present
        walk_in = registration is None or registration.status != RegistrationStatus.TERDAFTAR
        if walk_in:
            registration = _take_seat(
                actor=actor, event=event, business=business, registration=registration
            )
        assert registration is not None
        registration.attended_at = timezone.now()
        registration.attendance_method = method
        registration.save(update_fields=["attended_at", "attendance_method", "updated_at"])
        audit_log(
            actor=actor,
            action="event.attend",
            instance=registration,
            request=request,
            extra={
                "event": event.pk,
                "business": business.pk,
                "method": method,
                "walk_in": walk_in,
            },
        )
    return registration


def attendance_record_list(
    *, actor: Any, event: AssociationEvent, registration_ids: Iterable[Any], request: Any = None
) -> int:
    """The attendance list ("daftar hadir"): mark the ticked registrations of ``event``
    present, all in one transaction. Returns how many were newly marked."""
    marked = 0
    with transaction.atomic():
        registrations = (
            EventRegistration.objects.filter(
                event=event, pk__in=list(registration_ids), status=RegistrationStatus.TERDAFTAR
            )
            .select_related("business")
            .order_by("pk")
        )
        for registration in registrations:
            if registration.attended_at is not None:
                continue
            attendance_record(
                actor=actor,
                event=event,
                business=registration.business,
                method=AttendanceMethod.DAFTAR,
                request=request,
            )
            marked += 1
    return marked


def attendance_clear(
    *, actor: Any, registration: EventRegistration, request: Any = None
) -> EventRegistration:
    """Undo a presence recorded by mistake (the registration stays)."""
    with transaction.atomic():
        registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.attended_at is None:
            return registration
        method = registration.attendance_method
        registration.attended_at = None
        registration.attendance_method = ""
        registration.save(update_fields=["attended_at", "attendance_method", "updated_at"])
        audit_log(
            actor=actor,
            action="event.attend_clear",
            instance=registration,
            request=request,
            extra={"event": registration.event_id, "method": method},
        )
    return registration


def checkin_open(*, event: AssociationEvent, now: datetime | None = None) -> bool:
    """The printed QR records attendance on the event's day(s) only (local time): a photo of
    it shared in a chat group does not make anyone present a week later."""
    today = timezone.localdate(now or timezone.now())
    return timezone.localdate(event.starts_at) <= today <= timezone.localdate(event.ends_at)


def attendance_by_checkin(
    *, actor: Any, code: str, business: Business, request: Any = None
) -> EventRegistration:
    """An owner scanned the event's QR: record their business present.

    Raises:
        ApplicationError: an unknown code (``not_found``), outside the event's day
            (``checkin_closed``), or as :func:`attendance_record`.
    """
    event = AssociationEvent.objects.filter(checkin_code=code).first()
    if event is None:
        raise ApplicationError(_("Kode kehadiran tidak dikenal."), code="not_found")
    if not checkin_open(event=event):
        raise ApplicationError(
            _("Kehadiran lewat QR hanya dapat dicatat pada hari kegiatan."), code="checkin_closed"
        )
    return attendance_record(
        actor=actor, event=event, business=business, method=AttendanceMethod.QR, request=request
    )


# --- reminders -------------------------------------------------------------------------------


def main_owner_contacts(*, business_ids: Iterable[Any]) -> dict[Any, tuple[str, str, str]]:
    """``{business id: (owner's name, phone, e-mail)}`` of each business's main owner, with
    the business's own phone and e-mail when the owner has none."""
    contacts: dict[Any, tuple[str, str, str]] = {}
    for ownership in BusinessOwner.objects.filter(
        business_id__in=list(business_ids), role=OwnerRole.PEMILIK
    ).select_related("owner", "business"):
        owner, business = ownership.owner, ownership.business
        contacts[business.pk] = (
            owner.full_name,
            owner.phone or business.phone,
            owner.email or business.email,
        )
    return contacts


def event_reminders_send(*, event: AssociationEvent, actor: Any, request: Any = None) -> int:
    """E-mail a reminder to the owner of every registered business that has an e-mail
    (one message each: nobody sees the others' addresses). Returns the number sent."""
    registrations = list(
        EventRegistration.objects.filter(
            event=event, status=RegistrationStatus.TERDAFTAR
        ).select_related("business")
    )
    contacts = main_owner_contacts(business_ids=[r.business_id for r in registrations])
    messages = []
    for registration in registrations:
        name, _phone, email = contacts.get(registration.business_id, ("", "", ""))
        if not email:
            continue
        messages.append(
            EmailMessage(
                subject=reminder_subject(event=event),
                body=reminder_text(
                    event=event, business_name=registration.business.name, owner_name=name
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email],
            )
        )
    sent = get_connection().send_messages(messages) if messages else 0
    audit_log(
        actor=actor,
        action="event.remind",
        instance=event,
        request=request,
        extra={"channel": "email", "sent": sent or 0, "registered": len(registrations)},
    )
    return sent or 0
