"""Putting businesses forward for a cycle: officers nominate, owners apply; one per business."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.text import digits
from naikkelas.programs.models import (
    Application,
    ApplicationChannel,
    Cycle,
    CycleStatus,
)
from naikkelas.registry.models import Business, BusinessStatus

NOMINATION_OPEN = (CycleStatus.DRAFT, CycleStatus.OPEN)
ALREADY_APPLIED = "Usaha ini sudah terdaftar di angkatan ini."


def _nominations_open(cycle: Cycle) -> None:
    if cycle.status not in NOMINATION_OPEN:
        raise ApplicationError(
            _("Daftar pendaftar angkatan ini sudah ditetapkan; tidak dapat menambah pendaftar.")
        )


def _check_business(business: Business) -> None:
    if business.status != BusinessStatus.ACTIVE:
        raise ApplicationError(_("Hanya usaha yang aktif yang dapat didaftarkan."))


def _create(
    *,
    cycle: Cycle,
    business: Business,
    channel: str,
    actor: Any,
    note: str,
    need_score: int = 0,
    readiness_score: int = 0,
) -> Application:
    """The row, once: a second application of the business to the cycle is refused by the
    database's unique constraint (also when two requests race)."""
    try:
        with transaction.atomic():
            return Application.objects.create(
                cycle=cycle,
                business=business,
                channel=channel,
                submitted_by=actor_user(actor),
                note=note.strip()[:255],
                need_score=need_score,
                readiness_score=readiness_score,
            )
    except IntegrityError as exc:
        raise ApplicationError(_(ALREADY_APPLIED), code="duplicate") from exc


def application_nominate(
    *,
    actor: Any,
    cycle: Cycle,
    business: Business,
    note: str = "",
    need_score: int = 0,
    readiness_score: int = 0,
    request: Any = None,
) -> Application:
    """One business nominated by an officer."""
    _check_scores(need_score, readiness_score)
    _check_business(business)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _nominations_open(cycle)
        application = _create(
            cycle=cycle,
            business=business,
            channel=ApplicationChannel.OFFICER,
            actor=actor,
            note=note,
            need_score=need_score,
            readiness_score=readiness_score,
        )
        audit_log(
            actor=actor,
            action="application.nominate",
            instance=application,
            request=request,
            extra={"cycle": cycle.pk, "business": business.pk},
        )
    return application


@dataclass
class BulkNomination:
    created: int = 0
    already: int = 0
    inactive: int = 0
    unmatched: list[str] = field(default_factory=list)


def applications_nominate_many(
    *, actor: Any, cycle: Cycle, businesses: QuerySet[Business], request: Any = None
) -> BulkNomination:
    """Nominate every business of ``businesses`` (a register filter, already scoped to the
    officer) that is not yet in the cycle; the others are counted, not errors."""
    result = BulkNomination()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _nominations_open(cycle)
        present = set(Application.objects.filter(cycle=cycle).values_list("business_id", flat=True))
        new: list[Application] = []
        for pk, status in businesses.values_list("pk", "status").order_by("pk"):
            if pk in present:
                result.already += 1
            elif status != BusinessStatus.ACTIVE:
                result.inactive += 1
            else:
                present.add(pk)
                new.append(
                    Application(
                        cycle=cycle,
                        business_id=pk,
                        channel=ApplicationChannel.OFFICER,
                        submitted_by=actor_user(actor),
                    )
                )
        Application.objects.bulk_create(new, batch_size=500)
        result.created = len(new)
        audit_log(
            actor=actor,
            action="application.nominate_many",
            instance=cycle,
            request=request,
            extra={
                "created": result.created,
                "already": result.already,
                "inactive": result.inactive,
            },
        )
    return result


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as typed: a whole number stored as a float loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _match_line(line: str, base: QuerySet[Business]) -> Business | None:
    """One cell of a list: a NIB, a register id, or the phone of the business or its owner
    (matched only when exactly one business has it)."""
    text = line.strip()
    number = digits(text)
    if len(number) == 13 and len(number) >= len(text.replace(" ", "")) - 1:
        return base.filter(nib=number).first()
    try:
        return base.filter(pk=uuid.UUID(text)).first()
    except ValueError:
        pass  # not a register id: try the phone below
    if 9 <= len(number) <= 14 and number.startswith(("0", "62", "8")):
        tail = number[-9:]
        phone = Q(phone__endswith=tail) | Q(ownerships__owner__phone__endswith=tail)
        matches = list(base.filter(phone).distinct()[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def applications_nominate_list(
    *,
    actor: Any,
    cycle: Cycle,
    rows: Iterable[Sequence[Any]],
    base: QuerySet[Business],
    request: Any = None,
) -> BulkNomination:
    """Nominate from a list: pasted lines (one cell each) or a spreadsheet's rows. A row is
    matched by the first of its cells that is a NIB, a register id or a business phone of one
    business in the officer's scope. Rows that match nothing (or two businesses) are returned,
    never guessed; a row without any digit (a header) is skipped."""
    matched: list[Any] = []
    unmatched: list[str] = []
    for row in rows:
        cells = [_cell_text(c) for c in row if c is not None and _cell_text(c)]
        if not cells or not any(ch.isdigit() for cell in cells for ch in cell):
            continue
        business = next((b for b in (_match_line(c, base) for c in cells) if b), None)
        if business is None:
            unmatched.append(" | ".join(cells)[:100])
        else:
            matched.append(business.pk)
    result = applications_nominate_many(
        actor=actor, cycle=cycle, businesses=base.filter(pk__in=matched), request=request
    )
    result.unmatched = unmatched
    return result


def application_apply(
    *, actor: Any, cycle: Cycle, business: Business, note: str = "", request: Any = None
) -> Application:
    """An owner applies for their own business from the portal while applications are open."""
    _check_business(business)
    today = timezone.localdate()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        closed = cycle.applications_close_on is not None and today > cycle.applications_close_on
        if cycle.status != CycleStatus.OPEN or closed:
            raise ApplicationError(_("Pendaftaran angkatan ini tidak dibuka."))
        application = _create(
            cycle=cycle,
            business=business,
            channel=ApplicationChannel.OWNER,
            actor=actor,
            note=note,
        )
        audit_log(
            actor=actor,
            action="application.apply",
            instance=application,
            request=request,
            extra={"cycle": cycle.pk, "business": business.pk},
        )
    return application


def _check_scores(*scores: int) -> None:
    if any(not isinstance(s, int) or s < 0 or s > 5 for s in scores):
        raise ApplicationError(_("Skor kebutuhan dan kesiapan harus 0 sampai 5."))


def application_score(
    *,
    actor: Any,
    application: Application,
    need_score: int,
    readiness_score: int,
    request: Any = None,
) -> Application:
    """The officer's need and readiness scores (used for priority inside a tier)."""
    _check_scores(need_score, readiness_score)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _nominations_open(application.cycle)
        before = [application.need_score, application.readiness_score]
        application.need_score, application.readiness_score = need_score, readiness_score
        application.save(update_fields=["need_score", "readiness_score", "updated_at"])
        audit_log(
            actor=actor,
            action="application.score",
            instance=application,
            request=request,
            changes={"scores": [before, [need_score, readiness_score]]},
        )
    return application


def application_remove(*, actor: Any, application: Application, request: Any = None) -> None:
    """Take an application off the list before it is published (mistaken nomination)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _nominations_open(application.cycle)
        audit_log(
            actor=actor,
            action="application.remove",
            instance=application,
            request=request,
            extra={"business": application.business_id},
        )
        application.delete()
