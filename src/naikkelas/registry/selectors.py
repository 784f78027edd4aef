"""Reading the register: lists with search and filters, one business, the summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from naikkelas.core.text import compact_key, digits
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


def _phone_digits(query: str) -> str:
    """The national significant part of a phone number as typed (0812..., 62812..., +62 812...)."""
    number = digits(query)
    if number.startswith("62"):
        return number[2:]
    if number.startswith("0"):
        return number[1:]
    return number


def _search(qs: QuerySet[Business], query: str) -> QuerySet[Business]:
    """Search business name, owner name, NIK, NIB and phone, tolerant of case and spacing."""
    query = query.strip()
    if not query:
        return qs
    number = digits(query)
    is_number = bool(number) and len(number) >= 0.6 * len(query.replace(" ", ""))
    if is_number and len(number) >= 4:
        phone = _phone_digits(query)
        owner_match = BusinessOwner.objects.filter(business=OuterRef("pk")).filter(
            Q(owner__nik__startswith=number) | Q(owner__phone__contains=phone)
        )
        return qs.filter(Q(nib__startswith=number) | Q(phone__contains=phone) | Exists(owner_match))
    key = compact_key(query)
    if not key:
        return qs
    owner_match = BusinessOwner.objects.filter(
        business=OuterRef("pk"), owner__name_key__contains=key
    )
    return qs.filter(Q(name_key__contains=key) | Exists(owner_match))


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
    if filters.is_member is not None:
        member = Exists(
            Membership.objects.filter(business=OuterRef("pk"), status=MembershipStatus.AKTIF)
        )
        qs = qs.filter(member if filters.is_member else ~member)
    if filters.has_halal is not None:
        halal = Exists(Permit.objects.filter(business=OuterRef("pk"), kind=PermitKind.HALAL))
        qs = qs.filter(halal if filters.has_halal else ~halal)
    qs = _search(qs, filters.q)
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
    query = q.strip()
    if query:
        number = digits(query)
        if number and len(number) >= 4 and len(number) >= 0.6 * len(query.replace(" ", "")):
            qs = qs.filter(Q(nik__startswith=number) | Q(phone__contains=_phone_digits(query)))
        else:
            qs = qs.filter(name_key__contains=compact_key(query))
    return qs.order_by("name_key", "id")


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


def register_summary() -> RegisterSummary:
    """Counts of active businesses against the estimate, per kecamatan, sector and class."""
    active = Business.objects.filter(status=BusinessStatus.ACTIVE)
    totals = active.aggregate(
        total=Count("pk"),
        binaan=Count("pk", filter=Q(is_binaan=True)),
        with_nib=Count("pk", filter=Q(nib__isnull=False)),
    )
    total = totals["total"]

    def share(count: int) -> float:
        return count / total if total else 0.0

    kec_counts = dict(active.values_list("kecamatan_id").annotate(n=Count("pk")).order_by())
    by_kecamatan = [
        CountRow(k.code, k.name, kec_counts.get(k.code, 0), share(kec_counts.get(k.code, 0)))
        for k in kecamatan_list()
    ]
    sector_counts = dict(active.values_list("sector_id").annotate(n=Count("pk")).order_by())
    by_sector = [
        CountRow(s.code, s.name, sector_counts.get(s.code, 0), share(sector_counts.get(s.code, 0)))
        for s in Sector.objects.all()
    ]
    class_counts = dict(active.values_list("size_class").annotate(n=Count("pk")).order_by())
    by_class = [
        CountRow(code, label, class_counts.get(code, 0), share(class_counts.get(code, 0)))
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
        binaan=totals["binaan"],
        members=members,
        with_nib=totals["with_nib"],
    )
