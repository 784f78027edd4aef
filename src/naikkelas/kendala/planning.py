"""Counts of kendala for planning (no personal data): per category and month, per kecamatan,
per sector, open against closed, and the median time to resolution, for one year."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.core.table_export import ExportTable
from naikkelas.kendala import workflow
from naikkelas.kendala.models import OPEN_STATUSES, Kendala, KendalaCategory, KendalaStatus
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.models import Sector

MONTHS = range(1, 13)


@dataclass(frozen=True)
class CountRow:
    code: str
    name: str
    count: int
    share: float  # of all kendala of the year, 0..1
    open: int = 0
    closed: int = 0


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    months: list[int]  # January .. December
    total: int
    share: float
    median_days: float | None  # reported -> selesai, for this category


@dataclass
class PlanningCounts:
    year: int
    total: int = 0
    open: int = 0
    closed: int = 0
    resolved: int = 0  # selesai
    median_days: float | None = None
    by_status: list[CountRow] = field(default_factory=list)
    by_category: list[CategoryRow] = field(default_factory=list)
    month_totals: list[int] = field(default_factory=list)
    by_kecamatan: list[CountRow] = field(default_factory=list)
    by_sector: list[CountRow] = field(default_factory=list)

    @property
    def open_share(self) -> float:
        return self.open / self.total if self.total else 0.0


def _year(year: int) -> QuerySet[Kendala]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone)
    return Kendala.objects.filter(created_at__gte=start, created_at__lt=end)


def _median(durations: list[float]) -> float | None:
    return round(statistics.median(durations), 1) if durations else None


@cached_by_data_version
def kendala_planning_counts(*, year: int) -> PlanningCounts:
    """Every number of the planning page, for kendala reported in ``year`` (local time)."""
    items = _year(year)
    result = PlanningCounts(year=year)
    open_q = Q(status__in=OPEN_STATUSES)
    totals = items.aggregate(total=Count("pk"), open=Count("pk", filter=open_q))
    result.total, result.open = totals["total"], totals["open"]
    result.closed = result.total - result.open

    def share(n: int) -> float:
        return n / result.total if result.total else 0.0

    status_counts = dict(items.values_list("status").annotate(n=Count("pk")).order_by())
    result.by_status = [
        CountRow(code, str(label), status_counts.get(code, 0), share(status_counts.get(code, 0)))
        for code, label in KendalaStatus.choices
    ]

    # Time to resolution (selesai), in days, overall and per category.
    durations: dict[str, list[float]] = {}
    for category_id, created, closed in items.filter(
        status=workflow.SELESAI, closed_at__isnull=False
    ).values_list("category_id", "created_at", "closed_at"):
        if closed is not None:  # filtered above; for the type checker
            days = (closed - created).total_seconds() / 86400
            durations.setdefault(str(category_id), []).append(days)
    everything = [d for values in durations.values() for d in values]
    result.resolved, result.median_days = len(everything), _median(everything)

    cells: dict[tuple[str, int], int] = {}
    for category_id, month, n in (
        items.annotate(month=ExtractMonth("created_at"))
        .values_list("category_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[(str(category_id), month)] = n
    categories = KendalaCategory.objects.all()
    for category in categories:
        key = str(category.pk)
        months = [cells.get((key, m), 0) for m in MONTHS]
        total = sum(months)
        if total == 0 and not category.active:
            continue  # a retired category without kendala this year
        result.by_category.append(
            CategoryRow(
                category.code,
                _(category.name),
                months,
                total,
                share(total),
                _median(durations.get(key, [])),
            )
        )
    result.month_totals = [sum(row.months[m - 1] for row in result.by_category) for m in MONTHS]

    def grouped(column: str) -> dict[str | None, tuple[int, int]]:
        rows = items.values_list(column).annotate(n=Count("pk"), o=Count("pk", filter=open_q))
        return {key: (n, o) for key, n, o in rows.order_by()}

    kecamatan = grouped("kecamatan_id")
    result.by_kecamatan = [
        CountRow(k.code, k.name, n, share(n), o, n - o)
        for k in kecamatan_list()
        for n, o in [kecamatan.get(k.code, (0, 0))]
    ]
    n, o = kecamatan.get(None, (0, 0))
    if n:
        result.by_kecamatan.append(CountRow("", _("Belum diketahui"), n, share(n), o, n - o))
    sectors = grouped("sector_id")
    result.by_sector = [
        CountRow(s.code, _(s.name), n, share(n), o, n - o)
        for s in Sector.objects.all()
        for n, o in [sectors.get(s.code, (0, 0))]
    ]
    n, o = sectors.get(None, (0, 0))
    if n:
        result.by_sector.append(CountRow("", _("Belum diketahui"), n, share(n), o, n - o))
    return result


def kendala_years() -> list[int]:
    """The years with kendala, newest first, and always the current year."""
    this_year = timezone.localdate().year
    first = Kendala.objects.order_by("created_at").values_list("created_at", flat=True).first()
    start = timezone.localtime(first).year if first else this_year
    return list(range(this_year, min(start, this_year) - 1, -1))


def _percent(share: float) -> float:
    return round(share * 100, 1)


def kendala_planning_tables(counts: PlanningCounts) -> dict[str, ExportTable]:
    """The planning page's tables for export (``?tabel=<key>``), the same rows as the page."""
    months = [date_format(date(counts.year, m, 1), "M") for m in MONTHS]
    by_category = [[r.code, r.name, *r.months, r.total, r.median_days] for r in counts.by_category]
    by_category.append(["", _("Jumlah"), *counts.month_totals, counts.total, None])

    def grouped(rows: list[CountRow]) -> list[list[object]]:
        return [[r.code, r.name, r.count, r.open, r.closed, _percent(r.share)] for r in rows]

    grouped_header = [_("Jumlah"), _("Terbuka"), _("Ditutup"), "%"]
    return {
        "kategori": ExportTable(
            name=f"kendala-kategori-bulan-{counts.year}",
            title=_("Kendala per kategori dan bulan"),
            header=[_("Kode"), _("Kategori"), *months, _("Jumlah"), _("Median hari")],
            rows=by_category,
        ),
        "kecamatan": ExportTable(
            name=f"kendala-kecamatan-{counts.year}",
            title=_("Kendala per kecamatan"),
            header=[_("Kode"), _("Kecamatan"), *grouped_header],
            rows=grouped(counts.by_kecamatan),
        ),
        "sektor": ExportTable(
            name=f"kendala-sektor-{counts.year}",
            title=_("Kendala per sektor"),
            header=[_("Kode"), _("Sektor"), *grouped_header],
            rows=grouped(counts.by_sector),
        ),
        "status": ExportTable(
            name=f"kendala-status-{counts.year}",
            title=_("Kendala menurut status"),
            header=[_("Kode"), _("Status"), _("Jumlah"), "%"],
            rows=[[r.code, r.name, r.count, _percent(r.share)] for r in counts.by_status],
        ),
    }
