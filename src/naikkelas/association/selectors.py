"""Reading the association's books: members, applications, the board, the report's counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from naikkelas.association.models import (
    ApplicationStatus,
    AssociationEvent,
    BoardPosition,
    BoardTerm,
    DuesPayment,
    EventRegistration,
    Member,
    MembershipApplication,
    MemberStatus,
)
from naikkelas.core.data_version import cached_by_data_version
from naikkelas.core.text import compact_key


def member_list(*, q: str = "", status: str = "", type_code: str = "") -> QuerySet[Member]:
    qs = Member.objects.select_related("business", "business__kecamatan", "type")
    if status:
        qs = qs.filter(status=status)
    if type_code:
        qs = qs.filter(type_id=type_code)
    query = q.strip()
    if query:
        key = compact_key(query)
        qs = qs.filter(Q(number__icontains=query) | Q(business__name_key__contains=key))
    return qs.order_by("number")


def member_get(*, member_id: Any) -> Member | None:
    try:
        return (
            Member.objects.select_related(
                "business", "business__kecamatan", "business__desa_kelurahan", "type"
            )
            .prefetch_related("status_changes")
            .get(pk=member_id)
        )
    except (Member.DoesNotExist, ValueError):
        return None


def register_memberships_waiting() -> int:
    """Memberships the register holds (aktif or calon) that the books do not, yet."""
    from naikkelas.registry.models import Membership

    return (
        Membership.objects.filter(status__in=["aktif", "calon"])
        .exclude(business__in=Member.objects.values("business"))
        .count()
    )


def pending_applications() -> QuerySet[MembershipApplication]:
    return (
        MembershipApplication.objects.filter(status=ApplicationStatus.DIAJUKAN)
        .select_related("business", "business__kecamatan", "type", "submitted_by")
        .order_by("created_at")
    )


def current_board(*, today: date) -> tuple[BoardTerm | None, list[BoardPosition]]:
    term = BoardTerm.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    if term is None:
        return None, []
    return term, list(term.positions.select_related("business", "user"))


@dataclass
class AssociationReport:
    by_status: dict[str, int] = field(default_factory=dict)
    by_kecamatan: list[tuple[str, str, int]] = field(default_factory=list)
    by_sector: list[tuple[str, str, int]] = field(default_factory=list)
    joined_by_year: list[tuple[int, int]] = field(default_factory=list)
    dues_by_month: list[tuple[date, int, int]] = field(default_factory=list)  # month, n, rupiah
    dues_total: int = 0
    events: int = 0
    registrations: int = 0
    attended: int = 0


@cached_by_data_version
def association_report(*, year: int) -> AssociationReport:
    """Members by status, kecamatan and sector; joins per year; dues collected per month of
    ``year``; events held in ``year`` and their attendance. Counts only."""
    report = AssociationReport()
    report.by_status = dict(Member.objects.values_list("status").annotate(n=Count("pk")).order_by())
    standing = Member.objects.filter(
        status__in=[MemberStatus.BARU, MemberStatus.AKTIF, MemberStatus.MASA_TENGGANG]
    )
    report.by_kecamatan = sorted(
        (
            (code or "", name or "", n)
            for code, name, n in standing.values_list(
                "business__kecamatan_id", "business__kecamatan__name"
            )
            .annotate(n=Count("pk"))
            .order_by()
        ),
        key=lambda row: -row[2],
    )
    report.by_sector = sorted(
        (
            (code or "", name or "", n)
            for code, name, n in standing.values_list(
                "business__sector_id", "business__sector__name"
            )
            .annotate(n=Count("pk"))
            .order_by()
        ),
        key=lambda row: -row[2],
    )
    joined: Counter[int] = Counter()
    for joined_on in Member.objects.values_list("joined_on", flat=True):
        joined[joined_on.year] += 1
    report.joined_by_year = sorted(joined.items())
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for month, n, total in (
        DuesPayment.objects.filter(voided_at__isnull=True, paid_on__year=year)
        .annotate(month=TruncMonth("paid_on"))
        .values_list("month")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    ):
        key = month if isinstance(month, date) else month.date()
        months[key][0] += n
        months[key][1] += int(total or 0)
    report.dues_by_month = [(m, v[0], v[1]) for m, v in sorted(months.items())]
    report.dues_total = sum(v[1] for v in months.values())
    events = AssociationEvent.objects.filter(starts_at__year=year)
    report.events = events.count()
    registrations = EventRegistration.objects.filter(event__in=events, status="terdaftar")
    report.registrations = registrations.count()
    report.attended = EventRegistration.objects.filter(
        event__in=events, attended_at__isnull=False
    ).count()
    return report
