"""Reading programmes: eligibility profiles from the register, lists, the aid ledger, fairness."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.privacy.models import Consent
from naikkelas.programs.eligibility import NIB, AidFact, Profile, Rule, evaluate
from naikkelas.programs.models import (
    AidRecord,
    Application,
    ApplicationStatus,
    Cycle,
    Enrolment,
    Programme,
)
from naikkelas.registry.access import deployment_area_filter
from naikkelas.registry.models import (
    Business,
    BusinessOwner,
    BusinessStatus,
    Membership,
    MembershipStatus,
    OwnerRole,
    Permit,
    YearlyFigure,
)

CHUNK = 2000


def _chunks(ids: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def profiles_for(*, business_ids: Sequence[Any], on: date) -> dict[str, Profile]:
    """Eligibility profiles of these businesses on date ``on`` (a few queries per 2,000)."""
    profiles: dict[str, Profile] = {}
    for chunk in _chunks(list(business_ids)):
        profiles.update(_profiles_chunk(chunk, on))
    return profiles


def _profiles_chunk(ids: Sequence[Any], on: date) -> dict[str, Profile]:
    permits: dict[str, set[str]] = defaultdict(set)
    valid = Q(issued_on__isnull=True) | Q(issued_on__lte=on)
    valid &= Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    for business_id, kind in Permit.objects.filter(valid, business_id__in=ids).values_list(
        "business_id", "kind"
    ):
        permits[str(business_id)].add(kind)
    members = {
        str(b)
        for b in Membership.objects.filter(
            business_id__in=ids, status=MembershipStatus.AKTIF
        ).values_list("business_id", flat=True)
    }
    consenting = {
        str(b)
        for b in BusinessOwner.objects.filter(business_id__in=ids, role=OwnerRole.PEMILIK)
        .filter(
            Exists(Consent.objects.filter(owner=OuterRef("owner_id"), withdrawn_at__isnull=True))
        )
        .values_list("business_id", flat=True)
    }
    omzet: dict[str, tuple[int, int]] = {}
    for business_id, year, value in (
        YearlyFigure.objects.filter(business_id__in=ids, omzet__isnull=False, year__lte=on.year)
        .order_by("business_id", "year")
        .values_list("business_id", "year", "omzet")
    ):
        if value is not None:
            omzet[str(business_id)] = (year, value)  # the last year wins
    aid: dict[str, list[AidFact]] = defaultdict(list)
    for business_id, kind, received_on in (
        AidRecord.objects.filter(business_id__in=ids, received_on__lte=on)
        .order_by("received_on")
        .values_list("business_id", "kind", "received_on")
    ):
        aid[str(business_id)].append(AidFact(kind=kind, received_on=received_on))
    profiles: dict[str, Profile] = {}
    rows = Business.objects.filter(pk__in=ids).values_list(
        "id",
        "status",
        "size_class",
        "sector_id",
        "kecamatan_id",
        "desa_kelurahan_id",
        "nib",
        "is_binaan",
    )
    for pk, status, size_class, sector, kecamatan, desa, nib, is_binaan in rows:
        key = str(pk)
        held = set(permits.get(key, ()))
        if nib:
            held.add(NIB)
        year_omzet = omzet.get(key)
        profiles[key] = Profile(
            business_id=key,
            active=status == BusinessStatus.ACTIVE,
            size_class=size_class or "",
            sector=sector or "",
            kecamatan=kecamatan or "",
            desa_kelurahan=desa or "",
            permits=frozenset(held),
            consent_active=key in consenting,
            omzet=year_omzet[1] if year_omzet else None,
            omzet_year=year_omzet[0] if year_omzet else None,
            is_binaan=bool(is_binaan),
            is_member=key in members,
            aid=tuple(aid.get(key, ())),
        )
    return profiles


def register_base() -> QuerySet[Business]:
    """The deployment's active businesses: the population quotas are shared in proportion to."""
    return Business.objects.filter(deployment_area_filter(), status=BusinessStatus.ACTIVE)


def register_eligible_counts(
    *, rules: Sequence[Rule], on: date, base: QuerySet[Business] | None = None
) -> dict[tuple[str, str], int]:
    """Businesses of the register that pass ``rules`` on ``on``, per (kecamatan, sector)."""
    ids = list((base if base is not None else register_base()).values_list("id", flat=True))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for chunk in _chunks(ids):
        for profile in _profiles_chunk(chunk, on).values():
            if evaluate(rules, profile, on=on).passed:
                counts[(profile.kecamatan, profile.sector)] += 1
    return dict(counts)


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.annotate(cycle_count=Count("cycles")).order_by("name", "id")


def cycle_list(*, programme: Programme | None = None) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related("programme").annotate(
        application_count=Count("applications", distinct=True),
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("-starts_on", "id")


DECISION_ORDER = [
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.PENDING,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.WITHDRAWN,
]


def cycle_applications(*, cycle: Cycle) -> QuerySet[Application]:
    """Applicants in their decided order: selected, waitlist, others; then by name."""
    order = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(DECISION_ORDER)),
        default=Value(len(DECISION_ORDER)),
    )
    return (
        Application.objects.filter(cycle=cycle)
        .select_related("business", "business__kecamatan", "business__sector", "enrolment")
        .annotate(decision_order=order)
        .order_by("decision_order", "position", "business__name_key", "id")
    )


def next_position(*, cycle: Cycle, status: str) -> int:
    """The number after the last of a list (selected or waitlist): where a late entry joins."""
    last = (
        Application.objects.filter(cycle=cycle, status=status)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


def enrolled_count(*, cycle: Cycle) -> int:
    from naikkelas.programs.models import SEAT_HOLDING

    return Enrolment.objects.filter(cycle=cycle, status__in=SEAT_HOLDING).count()


def aid_ledger(*, business: Business) -> QuerySet[AidRecord]:
    return AidRecord.objects.filter(business=business).select_related("programme", "cycle")


@dataclass(frozen=True)
class ShareRow:
    """One kecamatan (or sector) in a fairness table."""

    key: str
    label: str
    register: int
    register_share: float
    seats: int
    seat_share: float
    rupiah: int

    @property
    def gap(self) -> float:
        """Share of seats minus share of the register, in percentage points."""
        return round((self.seat_share - self.register_share) * 100, 1)


@dataclass(frozen=True)
class Fairness:
    by_area: list[ShareRow]
    by_sector: list[ShareRow]
    beneficiaries: int
    first_time: int
    repeat: int
    by_sex: dict[str, int]
    rupiah: int
    overrides: list[Any]

    @property
    def first_time_share(self) -> float:
        return self.first_time / self.beneficiaries if self.beneficiaries else 0.0


def _share_rows(
    register: dict[str, int], seats: dict[str, int], rupiah: dict[str, int], labels: dict[str, str]
) -> list[ShareRow]:
    total_register = sum(register.values())
    total_seats = sum(seats.values())
    keys = sorted(set(register) | set(seats), key=lambda k: labels.get(k, k))
    return [
        ShareRow(
            key=k,
            label=labels.get(k, k) or "—",
            register=register.get(k, 0),
            register_share=register.get(k, 0) / total_register if total_register else 0.0,
            seats=seats.get(k, 0),
            seat_share=seats.get(k, 0) / total_seats if total_seats else 0.0,
            rupiah=rupiah.get(k, 0),
        )
        for k in keys
    ]


def fairness_report(
    *,
    beneficiary_ids: Iterable[Any],
    value_per: dict[str, int],
    register_counts: dict[tuple[str, str], int],
    repeat_ids: set[str],
    overrides: list[Any],
    beneficiary_query: QuerySet[Any] | None = None,
) -> Fairness:
    """Seats and rupiah per kecamatan and sector against their register share; first-time and
    repeat beneficiaries (``repeat_ids``: helped before); owners by sex. ``value_per`` maps a
    business id to the rupiah it received. ``beneficiary_query`` (the same ids as a subquery)
    spares the database a literal list of tens of thousands of ids."""
    from naikkelas.regions.models import Region
    from naikkelas.registry.models import Sector

    ids = list(dict.fromkeys(str(b) for b in beneficiary_ids))
    among: Any = beneficiary_query if beneficiary_query is not None else ids
    rows = {
        str(pk): (kec, sector)
        for pk, kec, sector in Business.objects.filter(pk__in=among).values_list(
            "id", "kecamatan_id", "sector_id"
        )
    }
    area_seats: dict[str, int] = defaultdict(int)
    sector_seats: dict[str, int] = defaultdict(int)
    area_rupiah: dict[str, int] = defaultdict(int)
    sector_rupiah: dict[str, int] = defaultdict(int)
    for pk in ids:
        kec, sector = rows.get(pk, ("", ""))
        area_seats[kec] += 1
        sector_seats[sector] += 1
        area_rupiah[kec] += value_per.get(pk, 0)
        sector_rupiah[sector] += value_per.get(pk, 0)
    area_register: dict[str, int] = defaultdict(int)
    sector_register: dict[str, int] = defaultdict(int)
    for (kec, sector), n in register_counts.items():
        area_register[kec] += n
        sector_register[sector] += n
    area_labels = dict(
        Region.objects.filter(code__in=set(area_register) | set(area_seats)).values_list(
            "code", "name"
        )
    )
    sector_labels = dict(Sector.objects.values_list("code", "name"))
    by_sex: dict[str, int] = defaultdict(int)
    sexes = {
        str(b): s
        for b, s in BusinessOwner.objects.filter(
            business_id__in=among, role=OwnerRole.PEMILIK
        ).values_list("business_id", "owner__sex")
    }
    for pk in ids:
        by_sex[sexes.get(pk) or "?"] += 1
    repeat = sum(1 for pk in ids if pk in repeat_ids)
    return Fairness(
        by_area=_share_rows(dict(area_register), dict(area_seats), dict(area_rupiah), area_labels),
        by_sector=_share_rows(
            dict(sector_register), dict(sector_seats), dict(sector_rupiah), sector_labels
        ),
        beneficiaries=len(ids),
        first_time=len(ids) - repeat,
        repeat=repeat,
        by_sex=dict(by_sex),
        rupiah=sum(value_per.get(pk, 0) for pk in ids),
        overrides=overrides,
    )


def cycle_fairness(*, cycle: Cycle, register_counts: dict[tuple[str, str], int]) -> Fairness:
    """A cycle's selected (or enrolled) businesses against the register."""
    from naikkelas.programs.models import Override

    selected = list(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED).values_list(
            "business_id", flat=True
        )
    )
    overrides = list(
        Override.objects.filter(application__cycle=cycle)
        .select_related("application__business", "decided_by")
        .order_by("created_at")
    )
    return fairness_report(
        beneficiary_ids=selected,
        value_per={str(b): cycle.unit_value for b in selected},
        register_counts=register_counts,
        repeat_ids={
            str(b)
            for b in AidRecord.objects.filter(
                business_id__in=selected, received_on__lt=cycle.starts_on
            )
            .exclude(cycle=cycle)
            .values_list("business_id", flat=True)
        },
        overrides=overrides,
    )


@cached_by_data_version
def cumulative_fairness(*, date_from: date, date_to: date) -> Fairness:
    """Everything the aid ledger holds between two dates, against today's whole register."""
    from naikkelas.programs.models import Override

    records = AidRecord.objects.filter(received_on__gte=date_from, received_on__lte=date_to)
    value_per: dict[str, int] = {
        str(row["business_id"]): int(row["total"] or 0)
        for row in records.values("business_id").annotate(total=Sum("value"))
    }
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kec, sector, n in (
        register_base().values_list("kecamatan_id", "sector_id").annotate(n=Count("id"))
    ):
        counts[(kec, sector)] += n
    overrides = list(
        Override.objects.filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
        .select_related("application__business", "application__cycle", "decided_by")
        .order_by("created_at")
    )
    return fairness_report(
        beneficiary_ids=list(value_per),
        value_per=value_per,
        register_counts=dict(counts),
        # Repeat: helped at least twice up to the period's end (before it or within it).
        repeat_ids={
            str(row["business_id"])
            for row in AidRecord.objects.filter(
                business_id__in=records.values("business_id"), received_on__lte=date_to
            )
            .values("business_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        },
        overrides=overrides,
        beneficiary_query=records.values("business_id"),
    )
