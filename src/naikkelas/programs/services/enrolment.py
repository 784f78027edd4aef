"""After selection: seats, attendance, completion, outcomes and the aid ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.programs.models import (
    SEAT_HOLDING,
    AidRecord,
    Application,
    ApplicationStatus,
    Attendance,
    Cycle,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    OutcomeKind,
    ProgrammeKind,
    Session,
)
from naikkelas.programs.selectors import next_position
from naikkelas.registry.models import Business

CYCLE_FULL = "Kuota angkatan ini sudah penuh."


def _free_seat(cycle: Cycle) -> int | None:
    taken = set(
        Enrolment.objects.filter(cycle=cycle, status__in=SEAT_HOLDING).values_list(
            "seat", flat=True
        )
    )
    return next((n for n in range(1, cycle.capacity + 1) if n not in taken), None)


def enrolment_create(*, actor: Any, application: Application, request: Any = None) -> Enrolment:
    """Give a selected applicant a seat.

    The cycle's row is locked (PostgreSQL) and the seat number is unique per cycle and within
    the capacity by database constraints: a second officer at the same moment gets "full", never
    a seat beyond the capacity.
    """
    try:
        with transaction.atomic():
            cycle = Cycle.objects.select_for_update().get(pk=application.cycle_id)
            application = Application.objects.select_for_update().get(pk=application.pk)
            if cycle.status not in (CycleStatus.SELECTED,):
                raise ApplicationError(_("Peserta didaftarkan setelah seleksi dijalankan."))
            if application.status != ApplicationStatus.SELECTED:
                raise ApplicationError(_("Hanya pendaftar terpilih yang dapat menjadi peserta."))
            existing = Enrolment.objects.filter(application=application).first()
            if existing is not None and existing.status in SEAT_HOLDING:
                raise ApplicationError(_("Usaha ini sudah menjadi peserta."))
            seat = _free_seat(cycle)
            if seat is None:
                raise ApplicationError(_(CYCLE_FULL), code="full")
            if existing is not None:  # withdrawn before, selected again
                existing.seat, existing.seat_limit = seat, cycle.capacity
                existing.status, existing.status_reason = EnrolmentStatus.ENROLLED, ""
                existing.enrolled_by = actor_user(actor)
                existing.save()
                enrolment = existing
            else:
                enrolment = Enrolment.objects.create(
                    cycle=cycle,
                    application=application,
                    business_id=application.business_id,
                    seat=seat,
                    seat_limit=cycle.capacity,
                    enrolled_by=actor_user(actor),
                )
            audit_log(
                actor=actor,
                action="enrolment.create",
                instance=enrolment,
                request=request,
                extra={"seat": seat, "cycle": cycle.pk},
            )
    except IntegrityError as exc:
        # Another transaction took the seat between our read and our write (SQLite has no row
        # lock): the constraint held; the officer tries again or sees the cycle is full.
        raise ApplicationError(_(CYCLE_FULL), code="full") from exc
    return enrolment


def enrol_selected(*, actor: Any, cycle: Cycle, request: Any = None) -> tuple[int, int]:
    """Enrol every selected applicant without a seat, in selection order, until full.

    Returns (enrolled, left without a seat)."""
    pending = list(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED)
        .exclude(enrolment__status__in=SEAT_HOLDING)
        .order_by("position", "id")
    )
    enrolled = 0
    for application in pending:
        try:
            enrolment_create(actor=actor, application=application, request=request)
        except ApplicationError as exc:
            if exc.code == "full":
                break
            raise
        enrolled += 1
    return enrolled, len(pending) - enrolled


def waitlist_promote(*, actor: Any, cycle: Cycle, request: Any = None) -> Enrolment:
    """Give a free seat to the first applicant on the waitlist."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        selected = Application.objects.filter(
            cycle=locked, status=ApplicationStatus.SELECTED
        ).exclude(enrolment__status=EnrolmentStatus.WITHDRAWN)
        if selected.count() >= locked.capacity:
            raise ApplicationError(_(CYCLE_FULL), code="full")
        first = (
            Application.objects.select_for_update()
            .filter(cycle=locked, status=ApplicationStatus.WAITLISTED)
            .order_by("position", "id")
            .first()
        )
        if first is None:
            raise ApplicationError(_("Daftar cadangan kosong."))
        reason = {**first.reason, "outcome": "selected", "promoted_from": first.position}
        first.position = next_position(cycle=locked, status=ApplicationStatus.SELECTED)
        first.status = ApplicationStatus.SELECTED
        first.reason = reason
        first.save(update_fields=["status", "reason", "position", "updated_at"])
        audit_log(
            actor=actor,
            action="application.promote",
            instance=first,
            request=request,
            extra={"waitlist_position": first.position},
        )
        return enrolment_create(actor=actor, application=first, request=request)


def enrolment_set_status(
    *,
    actor: Any,
    enrolment: Enrolment,
    status: str,
    reason: str = "",
    completed_on: date | None = None,
    request: Any = None,
) -> Enrolment:
    """Withdraw (gives the seat back), drop out, or complete (writes the aid ledger)."""
    if status not in EnrolmentStatus.values:
        raise ApplicationError(_("Status peserta tidak dikenal."))
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("cycle__programme", "application")
            .get(pk=enrolment.pk)
        )
        before = enrolment.status
        if before == status:
            return enrolment
        if before == EnrolmentStatus.COMPLETED:
            raise ApplicationError(_("Peserta sudah selesai; catatan bantuannya sudah dibuat."))
        if status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DROPPED) and not reason.strip():
            raise ApplicationError(_("Tuliskan alasannya."))
        enrolment.status = status
        enrolment.status_reason = reason.strip()[:255]
        if status == EnrolmentStatus.WITHDRAWN:
            enrolment.application.status = ApplicationStatus.WITHDRAWN
            enrolment.application.withdrawn_reason = enrolment.status_reason
            enrolment.application.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        if status == EnrolmentStatus.COMPLETED:
            cycle = enrolment.cycle
            enrolment.completed_on = completed_on or cycle.ends_on
            AidRecord.objects.create(
                business_id=enrolment.business_id,
                kind=cycle.programme.kind,
                programme=cycle.programme,
                cycle=cycle,
                enrolment=enrolment,
                description=str(cycle),
                provider=cycle.programme.get_organiser_display(),
                value=cycle.unit_value,
                received_on=enrolment.completed_on,
                recorded_by=actor_user(actor),
            )
        enrolment.save()
        audit_log(
            actor=actor,
            action="enrolment.status",
            instance=enrolment,
            request=request,
            changes={"status": [before, status]},
            extra={"reason": reason.strip()},
        )
    return enrolment


def attendance_record(
    *, actor: Any, session: Session, present: Iterable[Any], request: Any = None
) -> int:
    """Record who came to a session: every seat-holder of the cycle is marked present or
    absent (recording again replaces the earlier answer). Returns the number present."""
    present_ids = {str(p) for p in present}
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.filter(cycle_id=session.cycle_id, status__in=SEAT_HOLDING)
        )
        unknown = present_ids - {str(e.pk) for e in enrolments}
        if unknown:
            raise ApplicationError(_("Ada peserta yang tidak terdaftar di angkatan ini."))
        for enrolment in enrolments:
            Attendance.objects.update_or_create(
                session=session,
                enrolment=enrolment,
                defaults={
                    "present": str(enrolment.pk) in present_ids,
                    "recorded_by": actor_user(actor),
                },
            )
        audit_log(
            actor=actor,
            action="attendance.record",
            instance=session.cycle,
            request=request,
            extra={
                "session": session.number,
                "present": len(present_ids),
                "enrolled": len(enrolments),
            },
        )
    return len(present_ids)


def outcome_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    kind: str,
    observed_on: date,
    detail: str = "",
    omzet_before: int | None = None,
    omzet_after: int | None = None,
    request: Any = None,
) -> Outcome:
    if kind not in OutcomeKind.values:
        raise ApplicationError(_("Jenis hasil tidak dikenal."))
    if kind == OutcomeKind.OMZET and (omzet_before is None or omzet_after is None):
        raise ApplicationError(_("Perubahan omzet perlu omzet sebelum dan sesudah."))
    if any(v is not None and v < 0 for v in (omzet_before, omzet_after)):
        raise ApplicationError(_("Omzet tidak boleh negatif."))
    if enrolment.status not in SEAT_HOLDING:
        raise ApplicationError(_("Hasil hanya dicatat untuk peserta."))
    with transaction.atomic():
        outcome = Outcome.objects.create(
            enrolment=enrolment,
            kind=kind,
            observed_on=observed_on,
            detail=detail.strip()[:255],
            omzet_before=omzet_before,
            omzet_after=omzet_after,
            recorded_by=actor_user(actor),
        )
        audit_log(
            actor=actor,
            action="outcome.record",
            instance=enrolment,
            request=request,
            extra={"kind": kind, "observed_on": observed_on},
        )
    return outcome


def aid_record_create(
    *,
    actor: Any,
    business: Business,
    kind: str,
    description: str,
    received_on: date,
    value: int = 0,
    provider: str = "",
    request: Any = None,
) -> AidRecord:
    """Record help given outside a naikkelas cycle (earlier years, another office)."""
    if kind not in ProgrammeKind.values:
        raise ApplicationError(_("Jenis bantuan tidak dikenal."))
    if not description.strip():
        raise ApplicationError(_("Uraian bantuan wajib diisi."))
    if value < 0:
        raise ApplicationError(_("Nilai bantuan tidak boleh negatif."))
    with transaction.atomic():
        record = AidRecord.objects.create(
            business=business,
            kind=kind,
            description=description.strip()[:255],
            provider=provider.strip()[:150],
            value=value,
            received_on=received_on,
            recorded_by=actor_user(actor),
        )
        audit_log(
            actor=actor,
            action="aid.record",
            instance=business,
            request=request,
            extra={"kind": kind, "value": value, "received_on": received_on},
        )
    return record
