"""Aggregates for the dashboards: counts only, never a person's data.

Each function answers one table of a dashboard; the export of that table uses the same rows.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek, TruncYear
from django.utils import timezone

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.fieldwork.models import KelurahanTarget
from naikkelas.fieldwork.targets import spread_targets
from naikkelas.intake.models import ImportRow, RowStatus
from naikkelas.linkage.models import CandidateStatus, MatchCandidate
from naikkelas.regions.selectors import desa_kelurahan_list, kecamatan_list
from naikkelas.registry.access import deployment_area_filter
from naikkelas.registry.models import (
    Business,
    BusinessStatus,
    Owner,
    Permit,
    PermitKind,
    Sector,
    Source,
    YearlyFigure,
)
from naikkelas.reports.models import SectorTarget


def _area_businesses() -> Any:
    return Business.objects.filter(deployment_area_filter(), status=BusinessStatus.ACTIVE)


@dataclass(frozen=True)
class TargetRow:
    code: str
    name: str
    registered: int
    target: int
    target_set: bool

    @property
    def percent(self) -> int:
        return round(100 * self.registered / self.target) if self.target else 0

    @property
    def bar(self) -> int:
        return min(100, self.percent)


@dataclass(frozen=True)
class Coverage:
    registered: int
    estimate: int
    by_kecamatan: list[TargetRow]
    by_sector: list[TargetRow]

    @property
    def percent(self) -> int:
        return round(100 * self.registered / self.estimate) if self.estimate else 0


@cached_by_data_version
def coverage() -> Coverage:
    """Registered businesses against the estimate and the targets: per kecamatan (the sum of
    its kelurahan targets, as the census campaign keeps them) and per sector (targets set
    here, otherwise the estimate spread by the register's sector shares)."""
    estimate = settings.NAIKKELAS_UMKM_ESTIMATE
    by_kelurahan: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    for kelurahan, sector, n in (
        _area_businesses().values_list("desa_kelurahan_id", "sector_id").annotate(n=Count("pk"))
    ).order_by():  # one pass over the register
        by_kelurahan[kelurahan] += n
        by_sector[sector] += n
    places = list(desa_kelurahan_list())
    spread = spread_targets(estimate, [p.code for p in places], dict(by_kelurahan))
    entered = dict(KelurahanTarget.objects.values_list("region_id", "target"))
    kec_target: Counter[str] = Counter()
    by_kec: Counter[str] = Counter()
    kec_set: set[str] = set()
    for place in places:
        kecamatan = place.parent_id or ""
        kec_target[kecamatan] += entered.get(place.code, spread[place.code])
        by_kec[kecamatan] += by_kelurahan.get(place.code, 0)
        if place.code in entered:
            kec_set.add(kecamatan)
    kecamatan_rows = [
        TargetRow(
            k.code, k.name, by_kec.get(k.code, 0), kec_target.get(k.code, 0), k.code in kec_set
        )
        for k in kecamatan_list()
    ]
    sectors = list(Sector.objects.all())
    sector_spread = spread_targets(estimate, [s.code for s in sectors], dict(by_sector))
    sector_set = dict(SectorTarget.objects.values_list("sector_id", "target"))
    sector_rows = [
        TargetRow(
            s.code,
            s.name,
            by_sector.get(s.code, 0),
            sector_set.get(s.code, sector_spread[s.code]),
            s.code in sector_set,
        )
        for s in sectors
    ]
    return Coverage(sum(by_kelurahan.values()), estimate, kecamatan_rows, sector_rows)


@dataclass(frozen=True)
class WeekRow:
    week: date
    by_source: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_source.values())


@cached_by_data_version
def registrations_by_week(*, today: date, weeks: int = 12) -> list[WeekRow]:
    """New businesses per ISO week (Monday) and source, the last ``weeks`` weeks."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    since = timezone.make_aware(datetime.combine(start, time.min))  # an indexed range
    rows = (
        Business.objects.exclude(status=BusinessStatus.MERGED)
        .filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week", "source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for week, source, n in rows:
        day = week.date() if hasattr(week, "date") else week
        counts[day][source] = counts[day].get(source, 0) + n
    return [
        WeekRow(start + timedelta(weeks=i), counts.get(start + timedelta(weeks=i), {}))
        for i in range(weeks)
    ]


SOURCES = [(s.value, s.label) for s in Source]


@dataclass(frozen=True)
class Quality:
    businesses: int
    owners: int
    owners_with_nik: int
    owners_with_warnings: int
    with_nib: int
    kuliner: int
    kuliner_with_halal: int
    pending_duplicates: int
    quarantined_rows: int

    @staticmethod
    def share(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def rows(self) -> list[tuple[str, int, int, int]]:
        """(label key, count, out of, percent) for the table and its export."""
        return [
            (
                "nik",
                self.owners_with_nik,
                self.owners,
                self.share(self.owners_with_nik, self.owners),
            ),
            (
                "warnings",
                self.owners_with_warnings,
                self.owners,
                self.share(self.owners_with_warnings, self.owners),
            ),
            ("nib", self.with_nib, self.businesses, self.share(self.with_nib, self.businesses)),
            (
                "halal",
                self.kuliner_with_halal,
                self.kuliner,
                self.share(self.kuliner_with_halal, self.kuliner),
            ),
            ("duplicates", self.pending_duplicates, 0, 0),
            ("quarantine", self.quarantined_rows, 0, 0),
        ]


@cached_by_data_version
def data_quality(*, today: date) -> Quality:
    active = _area_businesses()
    totals = active.aggregate(
        businesses=Count("pk"),
        with_nib=Count("pk", filter=Q(nib__isnull=False)),
        kuliner=Count("pk", filter=Q(sector_id="kuliner")),
    )
    halal = Permit.objects.filter(kind=PermitKind.HALAL).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    kuliner_with_halal = active.filter(
        sector_id="kuliner", pk__in=halal.values("business_id")
    ).count()
    owners = Owner.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    owner_totals = owners.aggregate(
        owners=Count("pk"),
        with_nik=Count("pk", filter=Q(nik__isnull=False) & ~Q(nik="")),
        warned=Count("pk", filter=~Q(data_warnings=[])),
    )
    return Quality(
        businesses=totals["businesses"],
        owners=owner_totals["owners"],
        owners_with_nik=owner_totals["with_nik"],
        owners_with_warnings=owner_totals["warned"],
        with_nib=totals["with_nib"],
        kuliner=totals["kuliner"],
        kuliner_with_halal=kuliner_with_halal,
        pending_duplicates=MatchCandidate.objects.filter(status=CandidateStatus.PENDING).count(),
        quarantined_rows=ImportRow.objects.filter(status=RowStatus.QUARANTINED).count(),
    )


CLASSES = ["mikro", "kecil", "menengah", "besar"]


@dataclass
class ClassMoves:
    year_from: int
    year_to: int
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def up(self) -> int:
        return sum(
            n
            for a, row in self.matrix.items()
            for b, n in row.items()
            if a in CLASSES and b in CLASSES and CLASSES.index(b) > CLASSES.index(a)
        )

    @property
    def down(self) -> int:
        return sum(
            n
            for a, row in self.matrix.items()
            for b, n in row.items()
            if a in CLASSES and b in CLASSES and CLASSES.index(b) < CLASSES.index(a)
        )


@cached_by_data_version
def class_distribution() -> dict[int, dict[str, int]]:
    """Businesses per size class per year (from the yearly figures)."""
    table: dict[int, dict[str, int]] = defaultdict(dict)
    for year, size, n in (
        YearlyFigure.objects.exclude(size_class="")
        .filter(business__status=BusinessStatus.ACTIVE)
        .values_list("year", "size_class")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        table[year][size] = n
    return dict(sorted(table.items()))


@cached_by_data_version
def class_moves(*, year_from: int, year_to: int) -> ClassMoves:
    """How businesses with figures in both years moved between size classes (one join of the
    yearly figures with themselves, counted in the database)."""
    table = connection.ops.quote_name(YearlyFigure._meta.db_table)
    moves = ClassMoves(year_from, year_to)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.size_class, b.size_class, COUNT(*) FROM {table} a "  # noqa: S608
            f"JOIN {table} b ON b.business_id = a.business_id AND b.year = %s "
            "WHERE a.year = %s AND a.size_class <> '' AND b.size_class <> '' "
            "GROUP BY a.size_class, b.size_class",
            [year_to, year_from],
        )
        for before, after, n in cursor.fetchall():
            moves.matrix.setdefault(before, {})[after] = n
    return moves


@dataclass(frozen=True)
class BinaanYear:
    year: int
    businesses: int
    omzet_total: int
    omzet_median: int
    workers_total: int


@cached_by_data_version
def binaan_trends() -> list[BinaanYear]:
    """Omzet and workers per year of the binaan businesses (figures as recorded)."""
    by_year: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for year, omzet, workers in YearlyFigure.objects.filter(
        business__is_binaan=True, business__status=BusinessStatus.ACTIVE
    ).values_list("year", "omzet", "workers"):
        by_year[year].append((omzet, workers))
    rows = []
    for year in sorted(by_year):
        omzets = [o for o, _w in by_year[year] if o is not None]
        rows.append(
            BinaanYear(
                year=year,
                businesses=len(by_year[year]),
                omzet_total=sum(omzets),
                omzet_median=int(statistics.median(omzets)) if omzets else 0,
                workers_total=sum(w for _o, w in by_year[year] if w is not None),
            )
        )
    return rows


@cached_by_data_version
def permits_by_year() -> dict[int, dict[str, int]]:
    """Permits obtained per year of issue (NIB from the business, the others from permits)."""
    table: dict[int, dict[str, int]] = defaultdict(dict)
    for year, n in (
        Business.objects.exclude(status=BusinessStatus.MERGED)
        .filter(nib_issued_on__isnull=False)
        .annotate(y=TruncYear("nib_issued_on"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        table[year.year]["NIB"] = n
    for year, kind, n in (
        Permit.objects.filter(issued_on__isnull=False)
        .annotate(y=TruncYear("issued_on"))
        .values_list("y", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        table[year.year][kind] = n
    return dict(sorted(table.items()))
