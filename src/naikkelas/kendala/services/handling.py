"""Handling a kendala: assign it, answer it, move it along the workflow, set its target date,
or answer it with a nomination to a programme cycle. Each locks the row and is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.accounts.permissions import Capability, has_capability
from naikkelas.core.audit import actor_user, audit_log, diff
from naikkelas.core.exceptions import ApplicationError
from naikkelas.kendala import workflow
from naikkelas.kendala.models import Kendala, KendalaStatus
from naikkelas.programs.models import Application, Cycle
from naikkelas.programs.services import application_nominate

NOT_AN_OFFICER = gettext_noop("Kendala hanya dapat ditugaskan kepada petugas pengelola kendala.")
CLOSED = gettext_noop("Kendala ini sudah ditutup.")
NEEDS_RESPONSE = gettext_noop("Tuliskan tanggapan untuk pelapor sebelum menutup kendala.")
NOT_ALLOWED = gettext_noop("Status tidak dapat diubah dari “%(current)s” ke “%(target)s”.")
UNKNOWN_STATUS = gettext_noop("Status tidak dikenal.")
EMPTY_RESPONSE = gettext_noop("Tuliskan tanggapannya.")
TARGET_IN_PAST = gettext_noop("Target selesai tidak boleh sebelum tanggal laporan.")
NO_BUSINESS = gettext_noop(
    "Kendala ini belum terhubung dengan usaha di register; tidak dapat dinominasikan."
)
NOMINATED = gettext_noop(
    "Usaha Anda kami usulkan sebagai peserta %(programme)s — %(cycle)s. Petugas akan "
    "menghubungi Anda tentang jadwal dan syaratnya."
)


def _locked(kendala: Kendala) -> Kendala:
    return Kendala.objects.select_for_update().get(pk=kendala.pk)


def _label(status: str) -> str:
    return str(dict(KendalaStatus.choices).get(status, status))


def _move(kendala: Kendala, target: str) -> list[str]:
    """Apply ``current -> target`` to the locked row (not saved); the fields it changed."""
    refusal = workflow.transition_refusal(
        kendala.status, target, has_response=bool(kendala.response.strip())
    )
    if refusal == workflow.UNKNOWN_STATUS:
        raise ApplicationError(_(UNKNOWN_STATUS), code="status")
    if refusal == workflow.RESPONSE_REQUIRED:
        raise ApplicationError(_(NEEDS_RESPONSE), code="response_required")
    if refusal is not None:
        raise ApplicationError(
            _(NOT_ALLOWED) % {"current": _label(kendala.status), "target": _label(target)},
            code="transition",
        )
    kendala.status = target
    if target in workflow.CLOSED:
        kendala.closed_at = timezone.now()
        return ["status", "closed_at"]
    return ["status"]


def kendala_assign(*, actor: Any, kendala: Kendala, assignee: Any, request: Any = None) -> Kendala:
    """Give the item to an officer (``None`` takes it back to the common queue).

    Raises:
        ApplicationError: the assignee does not manage kendala; the item is closed.
    """
    if assignee is not None and not has_capability(assignee, Capability.KENDALA_MANAGE):
        raise ApplicationError(_(NOT_AN_OFFICER), code="assignee")
    with transaction.atomic():
        kendala = _locked(kendala)
        if not kendala.is_open:
            raise ApplicationError(_(CLOSED), code="closed")
        before = kendala.assignee_id
        kendala.assignee = assignee
        kendala.save(update_fields=["assignee", "updated_at"])
        audit_log(
            actor=actor,
            action="kendala.assign",
            instance=kendala,
            changes={"assignee": [before, kendala.assignee_id]},
            request=request,
        )
    return kendala


def kendala_respond(
    *,
    actor: Any,
    kendala: Kendala,
    response: str,
    status: str = "",
    request: Any = None,
) -> Kendala:
    """Write (or rewrite) the answer the reporter reads, optionally moving the status in the
    same step (closing needs a response: this one counts).

    Raises:
        ApplicationError: empty response; a closed item; a transition the workflow refuses.
    """
    text = response.strip()
    if not text:
        raise ApplicationError(_(EMPTY_RESPONSE), code="response")
    with transaction.atomic():
        kendala = _locked(kendala)
        if not kendala.is_open:
            raise ApplicationError(_(CLOSED), code="closed")
        before = {"response": kendala.response, "status": kendala.status}
        kendala.response = text
        kendala.responded_at = timezone.now()
        kendala.responded_by = actor_user(actor)
        fields = ["response", "responded_at", "responded_by"]
        if status and status != kendala.status:
            fields += _move(kendala, status)
        kendala.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            action="kendala.respond",
            instance=kendala,
            changes={
                name: [before[name], getattr(kendala, name)]
                for name in ("response", "status")
                if before[name] != getattr(kendala, name)
            },
            request=request,
        )
    return kendala


def kendala_set_status(
    *, actor: Any, kendala: Kendala, status: str, request: Any = None
) -> Kendala:
    """Move the item along the workflow (``kendala.workflow.TRANSITIONS``).

    Raises:
        ApplicationError: a transition the workflow refuses, or closing without a response.
    """
    with transaction.atomic():
        kendala = _locked(kendala)
        before = kendala.status
        fields = _move(kendala, status)
        kendala.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            action="kendala.status",
            instance=kendala,
            changes={"status": [before, kendala.status]},
            request=request,
        )
    return kendala


def kendala_set_target(
    *, actor: Any, kendala: Kendala, target_date: date | None, request: Any = None
) -> Kendala:
    """Set the date the item should be handled by. A new date not yet passed re-arms the
    escalation, so an item escalates once per missed target.

    Raises:
        ApplicationError: a closed item; a date before the report.
    """
    with transaction.atomic():
        kendala = _locked(kendala)
        if not kendala.is_open:
            raise ApplicationError(_(CLOSED), code="closed")
        reported = timezone.localdate(kendala.created_at)
        if target_date is not None and target_date < reported:
            raise ApplicationError(_(TARGET_IN_PAST), code="target_date")
        before = kendala.target_date
        kendala.target_date = target_date
        fields = ["target_date"]
        if kendala.escalated_at is not None and (
            target_date is None or target_date >= timezone.localdate()
        ):
            kendala.escalated_at = None
            fields.append("escalated_at")
        kendala.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            action="kendala.target",
            instance=kendala,
            changes=diff({"target_date": before}, {"target_date": target_date}),
            request=request,
        )
    return kendala


def kendala_answer_by_nomination(
    *,
    actor: Any,
    kendala: Kendala,
    cycle: Cycle,
    response: str = "",
    request: Any = None,
) -> Kendala:
    """Answer with help: nominate the kendala's business to ``cycle`` (a programme cycle still
    taking nominations) through ``programs.services.application_nominate``, link the
    application, and set the status "ditindaklanjuti" with a response the owner sees (the
    given one, or a standard sentence naming the programme). A business already in the cycle
    is linked to its existing application.

    Raises:
        ApplicationError: no business; a closed item; the cycle refuses nominations (or the
        business, e.g. a closed one).
    """
    with transaction.atomic():
        kendala = _locked(kendala)
        if kendala.business is None:
            raise ApplicationError(_(NO_BUSINESS), code="no_business")
        if not kendala.is_open:
            raise ApplicationError(_(CLOSED), code="closed")
        existing = Application.objects.filter(cycle=cycle, business=kendala.business).first()
        application = existing or application_nominate(
            actor=actor,
            cycle=cycle,
            business=kendala.business,
            note=f"Kendala {kendala.tracking_code}",
            request=request,
        )
        text = response.strip()
        if not text:
            cycle = Cycle.objects.select_related("programme").get(pk=cycle.pk)
            with translation.override(settings.LANGUAGE_CODE):  # stored: the owner's language
                text = _(NOMINATED) % {"programme": cycle.programme.name, "cycle": cycle.name}
        before = {"status": kendala.status, "response": kendala.response}
        kendala.application = application
        kendala.response = text
        kendala.responded_at = timezone.now()
        kendala.responded_by = actor_user(actor)
        fields = ["application", "response", "responded_at", "responded_by"]
        if kendala.status != KendalaStatus.DITINDAKLANJUTI:
            fields += _move(kendala, KendalaStatus.DITINDAKLANJUTI)
        kendala.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            action="kendala.nominate",
            instance=kendala,
            changes={
                "status": [before["status"], kendala.status],
                "response": [before["response"], kendala.response],
            },
            extra={"application": application.pk, "cycle": cycle.pk, "existing": bool(existing)},
            request=request,
        )
    return kendala
