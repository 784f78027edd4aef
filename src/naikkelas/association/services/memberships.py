"""Membership lifecycle: apply, approve or refuse, status by date, override, end.

Every change is audited and keeps the register's flag (``registry.Membership``) in step:
members in good standing (baru, aktif, masa tenggang) are ``aktif`` there, an open application
is ``calon``, a lapsed or ended membership ``tidak_aktif``.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.association.access import can_approve_members
from naikkelas.association.models import (
    ApplicationChannel,
    ApplicationStatus,
    DuesPayment,
    Member,
    MemberNumberSequence,
    MembershipApplication,
    MembershipType,
    MemberStatus,
    MemberStatusChange,
)
from naikkelas.association.status import (
    IN_GOOD_STANDING,
    Override,
    Status,
    member_status,
)
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.registry.models import Business, BusinessStatus, Membership, MembershipStatus
from naikkelas.registry.services import membership_set

DEFAULT_TYPES = (
    # (code, name, description, sort order). Dues start at 0 (no dues) until the association
    # sets the amount of each type (ADR 0019).
    ("biasa", "Anggota biasa", "Pelaku UMKM yang terdaftar sebagai anggota penuh.", 1),
    ("luar_biasa", "Anggota luar biasa", "Mitra, pendamping, atau lembaga pendukung.", 2),
    ("kehormatan", "Anggota kehormatan", "Diangkat oleh pengurus; tanpa iuran.", 3),
)


def membership_type_catalogue_load() -> int:
    """Create the default membership types that are missing (idempotent)."""
    created = 0
    for code, name, description, order in DEFAULT_TYPES:
        _type, was_created = MembershipType.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
        created += was_created
    return created


def issue_member_number(*, prefix: str, year: int) -> str:
    """The next number ``PREFIX-YEAR-0001`` (serial per prefix and year; call inside a
    transaction: the sequence row is locked until it commits)."""
    sequence, _created = MemberNumberSequence.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    while True:
        sequence.last += 1
        number = f"{prefix}-{year}-{sequence.last:04d}"
        if not Member.objects.filter(number=number).exists():  # numbers typed in before
            break
    sequence.save(update_fields=["last"])
    return number


def _register_number(business: Business) -> str:
    """The member number the register already holds for ``business`` (from an imported list),
    when no member of the books uses it."""
    flag = Membership.objects.filter(business=business).exclude(number="").first()
    if flag is None or Member.objects.filter(number=flag.number).exists():
        return ""
    return flag.number


def members_from_register(*, actor: Any, membership_type: MembershipType) -> int:
    """Bring the register's memberships that the books do not hold yet (e.g. from an imported
    member list) into the books: ``aktif`` ones become members (their number and join date
    kept), ``calon`` ones open applications. Returns how many members were made."""
    made = 0
    waiting = (
        Membership.objects.filter(status__in=[MembershipStatus.AKTIF, MembershipStatus.CALON])
        .exclude(business__in=Member.objects.values("business"))
        .select_related("business")
    )
    for flag in waiting:
        if flag.business.status != BusinessStatus.ACTIVE:
            continue
        with transaction.atomic():
            if flag.status == MembershipStatus.CALON:
                if not MembershipApplication.objects.filter(
                    business=flag.business, status=ApplicationStatus.DIAJUKAN
                ).exists():
                    MembershipApplication.objects.create(
                        business=flag.business,
                        type=membership_type,
                        channel=ApplicationChannel.PETUGAS,
                        note=_("Dari register"),
                        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
                continue
            joined = flag.since or flag.created_at.date()
            member = Member(
                business=flag.business,
                type=membership_type,
                number=_register_number(flag.business)
                or issue_member_number(prefix=membership_type.number_prefix, year=joined.year),
                joined_on=joined,
                card_code=secrets.token_urlsafe(16),
                status=MemberStatus.BARU,
                status_since=timezone.localdate(),
            )
            member.status = computed_status(member, today=timezone.localdate())
            member.save()
            MemberStatusChange.objects.create(
                member=member,
                new_status=member.status,
                changed_on=member.status_since,
                reason=_("Diambil dari register"),
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _sync_register(actor=actor, member=member)
            made += 1
    audit_log(
        actor=actor,
        action="member.from_register",
        object_type="association.member",
        extra={"members": made, "type": membership_type.code},
    )
    return made


def _register_flag(member: Member) -> str:
    if member.status in IN_GOOD_STANDING:
        return MembershipStatus.AKTIF
    return MembershipStatus.TIDAK_AKTIF


def _sync_register(*, actor: Any, member: Member) -> None:
    membership_set(
        actor=actor,
        business=member.business,
        number=member.number,
        since=member.joined_on,
        status=_register_flag(member),
    )


def computed_status(member: Member, *, today: date) -> Status:
    override = (
        Override(Status(member.override_status), member.override_until)
        if member.override_status
        else None
    )
    return member_status(
        today=today,
        terms=member.type.terms,
        joined_on=member.joined_on,
        paid_until=member.paid_until,
        ended_on=member.ended_on,
        override=override,
    )


def member_refresh(
    *, member: Member, today: date | None = None, actor: Any = None, reason: str = ""
) -> bool:
    """Store the status the dates give today; record the change and keep the register's flag
    in step. Returns whether the status changed."""
    today = today or timezone.localdate()
    new = computed_status(member, today=today)
    if new == member.status:
        return False
    old = member.status
    member.status, member.status_since = new, today
    member.save(update_fields=["status", "status_since", "updated_at"])
    MemberStatusChange.objects.create(
        member=member,
        old_status=old,
        new_status=new,
        changed_on=today,
        reason=reason[:255],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="member.status",
        instance=member,
        changes={"status": [old, new]},
        extra={"reason": reason[:255]},
    )
    _sync_register(actor=actor, member=member)
    return True


def member_validity_recompute(*, member: Member, actor: Any = None, reason: str = "") -> Member:
    """``paid_until`` from the payments that stand (not voided), then the status.

    The dues services call this after recording or voiding a payment.
    """
    paid_until = DuesPayment.objects.filter(member=member, voided_at__isnull=True).aggregate(
        end=Max("period_end")
    )["end"]
    if paid_until != member.paid_until:
        audit_log(
            actor=actor,
            action="member.validity",
            instance=member,
            changes={"paid_until": [str(member.paid_until or ""), str(paid_until or "")]},
        )
        member.paid_until = paid_until
        member.save(update_fields=["paid_until", "updated_at"])
    member_refresh(member=member, actor=actor, reason=reason or _("Pembayaran iuran"))
    return member


def application_submit(
    *,
    actor: Any,
    business: Business,
    membership_type: MembershipType,
    channel: str = ApplicationChannel.PETUGAS,
    note: str = "",
) -> MembershipApplication:
    """Ask for membership of ``business`` (from the owner portal or recorded by an officer).

    Raises:
        ValidationError: the business is not active, is already a member in good standing,
            already has an open application, or the type is not in use.
    """
    if business.status != BusinessStatus.ACTIVE:
        raise ValidationError(_("Hanya usaha yang aktif di register yang dapat menjadi anggota."))
    if not membership_type.active:
        raise ValidationError({"type": _("Jenis keanggotaan ini tidak dipakai lagi.")})
    member = Member.objects.filter(business=business).first()
    if member is not None and member.status in IN_GOOD_STANDING:
        raise ValidationError(
            _("Usaha ini sudah anggota (%(number)s).") % {"number": member.number}
        )
    with transaction.atomic():
        if MembershipApplication.objects.filter(
            business=business, status=ApplicationStatus.DIAJUKAN
        ).exists():
            raise ValidationError(_("Usaha ini sudah punya pengajuan yang menunggu keputusan."))
        application = MembershipApplication.objects.create(
            business=business,
            type=membership_type,
            channel=channel,
            note=note.strip()[:500],
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            actor=actor,
            action="member.apply",
            instance=business,
            extra={"type": membership_type.code, "channel": channel},
        )
        flag = Membership.objects.filter(business=business).first()
        if member is None and (flag is None or flag.status != MembershipStatus.AKTIF):
            membership_set(  # the register shows a candidate (an imported number is kept)
                actor=actor,
                business=business,
                number=flag.number if flag else "",
                since=flag.since if flag else None,
                status=MembershipStatus.CALON,
            )
    return application


def application_approve(
    *, actor: Any, application: MembershipApplication, joined_on: date | None = None
) -> Member:
    """Approve: the business becomes a member (or rejoins, keeping its number).

    Raises:
        PermissionDenied: the actor does not hold the secretary's seat.
        ApplicationError: the application was already decided.
    """
    if not can_approve_members(actor):
        raise PermissionDenied(
            _("Hanya sekretaris (pengurus yang ditugasi) yang dapat menyetujui.")
        )
    joined_on = joined_on or timezone.localdate()
    with transaction.atomic():
        application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.DIAJUKAN:
            raise ApplicationError(_("Pengajuan ini sudah diputuskan."))
        member = Member.objects.filter(business=application.business).first()
        if member is None:
            member = Member(
                business=application.business,
                number=_register_number(application.business)
                or issue_member_number(prefix=application.type.number_prefix, year=joined_on.year),
                card_code=secrets.token_urlsafe(16),
            )
        member.type = application.type
        member.joined_on = joined_on
        member.paid_until = None
        member.ended_on = None
        member.end_reason = ""
        member.override_status = ""
        member.override_until = None
        member.override_reason = ""
        member.status = computed_status(member, today=timezone.localdate())
        member.status_since = timezone.localdate()
        member.save()
        MemberStatusChange.objects.create(
            member=member,
            new_status=member.status,
            changed_on=member.status_since,
            reason=_("Pengajuan disetujui"),
            actor=actor,
        )
        application.status = ApplicationStatus.DISETUJUI
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.member = member
        application.save()
        audit_log(
            actor=actor,
            action="member.approve",
            instance=member,
            extra={"application": str(application.pk), "type": member.type_id},
        )
        _sync_register(actor=actor, member=member)
    return member


def application_refuse(
    *, actor: Any, application: MembershipApplication, reason: str
) -> MembershipApplication:
    """Refuse with a written reason (the applicant sees it).

    Raises:
        PermissionDenied: the actor does not hold the secretary's seat.
        ValidationError: no reason.
        ApplicationError: already decided.
    """
    if not can_approve_members(actor):
        raise PermissionDenied(_("Hanya sekretaris (pengurus yang ditugasi) yang dapat menolak."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan penolakan.")})
    with transaction.atomic():
        application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.DIAJUKAN:
            raise ApplicationError(_("Pengajuan ini sudah diputuskan."))
        application.status = ApplicationStatus.DITOLAK
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_reason = reason[:500]
        application.save()
        audit_log(
            actor=actor,
            action="member.refuse",
            instance=application.business,
            extra={"application": str(application.pk)},
        )
        if not Member.objects.filter(business=application.business).exists():
            membership_set(
                actor=actor,
                business=application.business,
                number="",
                since=None,
                status=MembershipStatus.TIDAK_AKTIF,
            )
    return application


def member_override(
    *, actor: Any, member: Member, status: str, reason: str, until: date | None = None
) -> Member:
    """Set the status by hand (with a reason; optionally until a date), e.g. a waiver.

    Raises:
        ValidationError: unknown status, no reason, or a date in the past.
    """
    if status not in MemberStatus.values or status == MemberStatus.BERHENTI:
        raise ValidationError({"status": _("Pilih status baru, aktif, masa tenggang, atau lewat.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan penetapan status.")})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("Tanggal berakhir tidak boleh di masa lalu.")})
    with transaction.atomic():
        member.override_status, member.override_until = status, until
        member.override_reason = reason[:255]
        member.save(
            update_fields=["override_status", "override_until", "override_reason", "updated_at"]
        )
        audit_log(
            actor=actor,
            action="member.override",
            instance=member,
            extra={"status": status, "until": str(until or ""), "reason": reason[:255]},
        )
        member_refresh(member=member, actor=actor, reason=reason)
    return member


def member_override_clear(*, actor: Any, member: Member) -> Member:
    with transaction.atomic():
        member.override_status, member.override_until, member.override_reason = "", None, ""
        member.save(
            update_fields=["override_status", "override_until", "override_reason", "updated_at"]
        )
        audit_log(actor=actor, action="member.override_clear", instance=member)
        member_refresh(member=member, actor=actor, reason=_("Penetapan status dicabut"))
    return member


def member_end(*, actor: Any, member: Member, reason: str, ended_on: date | None = None) -> Member:
    """End a membership (resigned, removed); history and payments stay.

    Raises:
        ValidationError: no reason.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan berhenti.")})
    with transaction.atomic():
        member.ended_on = ended_on or timezone.localdate()
        member.end_reason = reason[:255]
        member.save(update_fields=["ended_on", "end_reason", "updated_at"])
        audit_log(
            actor=actor,
            action="member.end",
            instance=member,
            extra={"ended_on": str(member.ended_on), "reason": reason[:255]},
        )
        member_refresh(member=member, actor=actor)  # a future end date: the daily task moves it
    return member


def members_sweep(*, today: date | None = None) -> dict[str, int]:
    """Move every member to the status today's date gives (the daily task). Returns the number
    of members that moved into each status."""
    today = today or timezone.localdate()
    moved: dict[str, int] = {}
    for member in Member.objects.select_related("type", "business").iterator(chunk_size=500):
        if computed_status(member, today=today) != member.status:
            with transaction.atomic():
                member_refresh(member=member, today=today, reason=_("Perubahan otomatis (tanggal)"))
            moved[member.status] = moved.get(member.status, 0) + 1
    return moved


def membership_type_update(
    *, actor: Any, membership_type: MembershipType, data: dict[str, Any]
) -> MembershipType:
    """Change a type's name, dues and time rules; members of the type are moved to the status
    the new rules give today.

    Raises:
        ValidationError: keyed by field.
    """
    fields = ("name", "description", "dues", "period_months", "grace_days", "new_days", "active")
    before = {f: getattr(membership_type, f) for f in fields}
    for field in fields:
        if field in data:
            setattr(membership_type, field, data[field])
    membership_type.full_clean()
    with transaction.atomic():
        membership_type.save()
        changes = {
            f: [str(before[f]), str(getattr(membership_type, f))]
            for f in fields
            if before[f] != getattr(membership_type, f)
        }
        if changes:
            audit_log(
                actor=actor,
                action="member.type_update",
                object_type="association.membershiptype",
                object_id=membership_type.code,
                changes=changes,
            )
    today = timezone.localdate()
    for member in Member.objects.filter(type=membership_type).select_related("type", "business"):
        member.type = membership_type
        if computed_status(member, today=today) != member.status:
            with transaction.atomic():
                member_refresh(
                    member=member,
                    today=today,
                    actor=actor,
                    reason=_("Aturan jenis keanggotaan diubah"),
                )
    return membership_type
