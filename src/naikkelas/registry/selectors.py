"""Reading the register: lists with search and filters, one business, the summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.models import (
    Business,
    BusinessOwner,
    BusinessStatus,
    Membership,
    MembershipStatus,
    Owner,
    Permit,
    PermitKind,
    Sector,
)
from naikkelas.registry.search import owner_search, search


@dataclass(frozen=True)
class BusinessFilters:
    q: str = ""
    kecamatan: str = ""
    desa_kelurahan: str = ""
    sector: str = ""
    size_class: str = ""
    is_member: bool | None = None
    is_binaan: bool | None = None
    has_nib: bool | None = None
    has_halal: bool | None = None
    status: str = BusinessStatus.ACTIVE


def business_list(
    *, base: QuerySet[Business] | None = None, filters: BusinessFilters | None = None
) -> QuerySet[Business]:
    """Search and filter ``base`` (the caller's scope from ``registry.access``)."""
    filters = filters or BusinessFilters()
    qs = (base if base is not None else Business.objects.all()).select_related(
        "sector", "kecamatan", "desa_kelurahan"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kecamatan:
        qs = qs.filter(kecamatan_id=filters.kecamatan)
    if filters.desa_kelurahan:
        qs = qs.filter(desa_kelurahan_id=filters.desa_kelurahan)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.is_binaan is not None:
        qs = qs.filter(is_binaan=filters.is_binaan)
    if filters.has_nib is not None:
        qs = qs.filter(nib__isnull=not filters.has_nib)
    # "id IN (ids of the other table)": the database hashes the ids once and checks each row
    # of the list's order index against them (a correlated EXISTS probes per row)
    if filters.is_member is not None:
        members = Membership.objects.filter(status=MembershipStatus.AKTIF).values("business_id")
        qs = qs.filter(pk__in=members) if filters.is_member else qs.exclude(pk__in=members)
    if filters.has_halal is not None:
        halal = Permit.objects.filter(kind=PermitKind.HALAL).values("business_id")
        qs = qs.filter(pk__in=halal) if filters.has_halal else qs.exclude(pk__in=halal)
    qs = search(qs, filters.q)
    main_owner = BusinessOwner.objects.filter(role="pemilik").select_related("owner")
    return qs.prefetch_related(
        Prefetch("ownerships", queryset=main_owner, to_attr="main_ownerships")
    ).order_by("name_key", "id")


def business_get(*, business_id: Any, base: QuerySet[Business] | None = None) -> Business | None:
    """One business with everything its detail page shows, or None."""
    try:
        return (
            (base if base is not None else Business.objects.all())
            .select_related("sector", "kecamatan", "desa_kelurahan", "created_by", "merged_into")
            .prefetch_related(
                Prefetch(
                    "ownerships",
                    queryset=BusinessOwner.objects.select_related("owner").order_by("-role"),
                ),
                "figures",
                "permits",
                "channels",
            )
            .get(pk=business_id)
        )
    except (Business.DoesNotExist, ValueError, TypeError, ValidationError):
        return None  # unknown id and malformed id look the same to the caller


def owner_list(*, base: QuerySet[Owner] | None = None, q: str = "") -> QuerySet[Owner]:
    qs = (base if base is not None else Owner.objects.all()).filter(merged_into__isnull=True)
    return owner_search(qs, q).order_by("name_key", "id")


def owner_get(*, owner_id: Any, base: QuerySet[Owner] | None = None) -> Owner | None:
    try:
        qs = base if base is not None else Owner.objects.all()
        return qs.prefetch_related("businesses").get(pk=owner_id)
    except (Owner.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


@dataclass(frozen=True)
class CountRow:
    code: str
    name: str
    count: int
    share: float  # of all active businesses, 0..1


@dataclass(frozen=True)
class RegisterSummary:
    total: int
    estimate: int
    by_kecamatan: list[CountRow]
    by_sector: list[CountRow]
    by_class: list[CountRow]
    binaan: int
    members: int
    with_nib: int

    @property
    def coverage(self) -> float:
        """Registered share of the estimated number of UMKM, 0..1 (may exceed 1)."""
        return self.total / self.estimate if self.estimate else 0.0

    @property
    def coverage_percent(self) -> float:
        return 100 * self.coverage


@cached_by_data_version
def register_summary() -> RegisterSummary:
    """Counts of active businesses against the estimate, per kecamatan, sector and class
    (one GROUP BY over the register, summed here)."""
    by_kec: Counter[str] = Counter()
    by_sector_code: Counter[str] = Counter()
    by_size: Counter[str] = Counter()
    binaan = with_nib = 0
    for kecamatan, sector, size, is_binaan, nib, n in (
        Business.objects.filter(status=BusinessStatus.ACTIVE)
        .values_list("kecamatan_id", "sector_id", "size_class", "is_binaan")
        .annotate(nib=Count("nib"), n=Count("pk"))
        .order_by()
    ):
        by_kec[kecamatan] += n
        by_sector_code[sector] += n
        by_size[size] += n
        binaan += n if is_binaan else 0
        with_nib += nib
    total = sum(by_kec.values())

    def share(count: int) -> float:
        return count / total if total else 0.0

    by_kecamatan = [
        CountRow(k.code, k.name, by_kec[k.code], share(by_kec[k.code])) for k in kecamatan_list()
    ]
    by_sector = [
        CountRow(s.code, s.name, by_sector_code[s.code], share(by_sector_code[s.code]))
        for s in Sector.objects.all()
    ]
    by_class = [
        CountRow(code, label, by_size[code], share(by_size[code]))
        for code, label in (
            ("mikro", _("Mikro")),
            ("kecil", _("Kecil")),
            ("menengah", _("Menengah")),
            ("besar", _("Besar (bukan UMKM)")),
            ("", _("Belum diketahui")),
        )
    ]
    members = Membership.objects.filter(
        status=MembershipStatus.AKTIF, business__status=BusinessStatus.ACTIVE
    ).count()
    return RegisterSummary(
        total=total,
        estimate=settings.NAIKKELAS_UMKM_ESTIMATE,
        by_kecamatan=by_kecamatan,
        by_sector=by_sector,
        by_class=by_class,
        binaan=binaan,
        members=members,
        with_nib=with_nib,
    )
