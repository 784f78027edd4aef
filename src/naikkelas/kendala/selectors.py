"""Reading kendala: the officers' filtered list, an owner's own, one by tracking code, the
audit trail of one item, and the business picker of the forum table."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.accounts.permissions import GRANTS, Capability
from naikkelas.core.models import AuditEvent
from naikkelas.core.text import compact_key, digits
from naikkelas.kendala import workflow
from naikkelas.kendala.models import OPEN_STATUSES, Kendala, KendalaCategory
from naikkelas.programs.models import Cycle, CycleStatus
from naikkelas.registry.access import business_scope
from naikkelas.registry.models import Business, BusinessOwner, BusinessStatus

UNASSIGNED = "none"


@dataclass(frozen=True)
class KendalaFilters:
    status: str = ""  # a status, or "open"/"closed"
    category: str = ""  # category code
    kecamatan: str = ""  # region code
    sector: str = ""  # sector code
    assignee: str = ""  # a user id, or UNASSIGNED
    overdue: bool = False
    channel: str = ""


def _overdue(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, target_date__lt=today)


def kendala_list(*, filters: KendalaFilters | None = None, today: date) -> QuerySet[Kendala]:
    """All kendala (officers see the whole city), filtered, newest first, with what the list
    shows joined in one query and ``overdue`` annotated."""
    filters = filters or KendalaFilters()
    qs = Kendala.objects.select_related(
        "category", "kecamatan", "desa_kelurahan", "sector", "assignee", "business"
    ).annotate(
        overdue=Case(
            When(_overdue(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.kecamatan:
        qs = qs.filter(kecamatan_id=filters.kecamatan)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    if filters.assignee == UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = (
            qs.filter(assignee_id=int(filters.assignee))
            if filters.assignee.isdigit()
            else qs.none()
        )
    if filters.overdue:
        qs = qs.filter(_overdue(today))
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs.order_by("-created_at", "-id")


def kendala_get(*, kendala_id: Any) -> Kendala | None:
    try:
        return (
            Kendala.objects.select_related(
                "category",
                "kecamatan",
                "desa_kelurahan",
                "sector",
                "assignee",
                "responded_by",
                "created_by",
                "business",
                "application__cycle__programme",
            )
            .filter(pk=kendala_id)
            .first()
        )
    except (ValueError, TypeError, ValidationError):  # a malformed id is an unknown one
        return None


def kendala_of_owner(*, user: Any) -> QuerySet[Kendala]:
    """The kendala of the businesses the owner may see (their own), newest first."""
    return (
        Kendala.objects.filter(business__in=business_scope(user=user))
        .select_related("category", "business")
        .order_by("-created_at", "-id")
    )


def kendala_by_code(*, code: str) -> Kendala | None:
    """The item a public reporter tracks; ``code`` as typed."""
    normalised = workflow.tracking_code_normalise(code)
    if not normalised:
        return None
    return (
        Kendala.objects.select_related("category", "desa_kelurahan")
        .filter(tracking_code=normalised)
        .first()
    )


def kendala_audit_trail(*, kendala: Kendala) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=Kendala._meta.label_lower, object_id=str(kendala.pk)
    ).select_related("actor")


def category_list(*, active_only: bool = True) -> QuerySet[KendalaCategory]:
    qs = KendalaCategory.objects.all()
    return qs.filter(active=True) if active_only else qs


def kendala_managers() -> QuerySet[Any]:
    """Active users who triage kendala (the escalation e-mail goes to them)."""
    roles = [str(role) for role in GRANTS[Capability.KENDALA_MANAGE]]
    return get_user_model().objects.filter(is_active=True, role__in=roles).order_by("username")


def cycles_for_nomination() -> QuerySet[Cycle]:
    """Cycles that still take nominations (as ``programs.services.application_nominate``)."""
    return (
        Cycle.objects.filter(status__in=[CycleStatus.DRAFT, CycleStatus.OPEN])
        .select_related("programme")
        .order_by("starts_on", "name")
    )


# --- the forum table's business picker --------------------------------------------------------

PICK_NONE = gettext_noop(
    "Usaha “%(text)s” tidak ditemukan. Tulis NIB, nomor HP atau nama usaha yang terdaftar, atau kosongkan dan isi nama pelapor."
)
PICK_MANY = gettext_noop(
    "Lebih dari satu usaha cocok dengan “%(text)s”. Tulis NIB atau nomor HP-nya."
)


def _mostly_digits(text: str, number: str) -> bool:
    compact = "".join(text.split())
    return bool(number) and len(number) >= 0.8 * len(compact)


def business_pick(*, text: str, base: QuerySet[Business]) -> tuple[Business | None, str]:
    """One business of ``base`` named by a NIB, a phone of the business or its owner, a
    register id or its name; ``(None, reason)`` when nothing or more than one matches
    (never guessed)."""
    query = text.strip()
    base = base.exclude(status=BusinessStatus.MERGED)
    number = digits(query)
    qs: QuerySet[Business]
    try:
        qs = base.filter(pk=uuid.UUID(query))
    except ValueError:
        if _mostly_digits(query, number) and len(number) == 13:
            qs = base.filter(nib=number)
        elif _mostly_digits(query, number) and 9 <= len(number) <= 14:
            tail = number[-9:]
            owners = BusinessOwner.objects.filter(owner__phone__endswith=tail)
            qs = base.filter(Q(phone__endswith=tail) | Q(pk__in=owners.values("business_id")))
        else:
            key = compact_key(query)
            exact = base.filter(name_key=key) if key else base.none()
            qs = exact if exact.exists() else base.filter(name_key__contains=key or "\x00")
    matches = list(qs.order_by("pk")[:2])
    if len(matches) == 1:
        return matches[0], ""
    message = PICK_MANY if matches else PICK_NONE
    return None, _(message) % {"text": query[:60]}
