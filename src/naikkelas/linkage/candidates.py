"""Likely duplicates of one new record in the register: the online check (issue 5).

An officer typing a new business, a submission arriving and every row of an import ask
the same question: which businesses already in the register could this be? The answer
comes in three steps:

1. **Candidates** by the model's blocking keys, found with indexed queries: the same NIK
   (or its region + birth part), the same phone, and the businesses of the same kelurahan
   (one pool per kelurahan, loaded once and kept). Inside a pool the remaining blocking
   rules (same owner name, same business name, same street, same first letters) pick the
   pairs to score.
2. **Scoring** of each candidate with both trained models (``linkage.scoring``), in Python.
3. **Ranking**: the best business matches first, each with its explanation.

A :class:`RegisterIndex` lives as long as one request or one import run; an import adds the
businesses it creates (:meth:`RegisterIndex.add`), so two rows of one file find each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from naikkelas.linkage.features import FEATURE_COLUMNS, FeatureMaker
from naikkelas.linkage.places import kelurahan_resolver
from naikkelas.linkage.scoring import PairScore, Params, load_params, score_pair
from naikkelas.registry.models import BusinessOwner, BusinessStatus, OwnerRole

__all__ = ["Candidate", "RegisterIndex", "likely_duplicates"]

_COL = {name: index for index, name in enumerate(FEATURE_COLUMNS)}
_NIK12, _PHONE, _KEL = _COL["nik12"], _COL["phone"], _COL["kelurahan"]
_OWNER, _BUSINESS, _STREET = _COL["owner_name"], _COL["business_name"], _COL["street"]
_NIB = _COL["nib"]


@dataclass(frozen=True)
class Candidate:
    """A register business scored against the new record, at both levels."""

    business_id: Any
    owner_id: Any
    score: PairScore

    @property
    def same_business_probability(self) -> float:
        return self.score.business_probability

    @property
    def same_owner_probability(self) -> float:
        return self.score.owner_probability


def _sector_code(text: str) -> str | None:
    code = text.strip()
    return code if code and code != "lainnya" else None  # "lainnya" tells nothing


def _record_values() -> tuple[str, ...]:
    return (
        "business_id",
        "owner_id",
        "business__name",
        "business__phone",
        "business__address",
        "business__desa_kelurahan_id",
        "business__sector_id",
        "business__nib",
        "owner__full_name",
        "owner__nik",
        "owner__phone",
        "owner__address",
    )


class RegisterIndex:
    """Feature rows of active register businesses, loaded on demand and kept."""

    def __init__(self, *, area_code: str = "36.73") -> None:
        self._maker = FeatureMaker(place=kelurahan_resolver(area_code), sector=_sector_code)
        self._rows: dict[Any, tuple[Any, tuple[Any, ...]]] = {}  # business -> (owner, row)
        self._by_nik12: dict[str, set[Any]] = defaultdict(set)
        self._by_phone: dict[str, set[Any]] = defaultdict(set)
        self._pools: dict[str, set[Any]] = {}  # kelurahan code -> businesses
        self._loaded_nik12: set[str] = set()
        self._loaded_phones: set[str] = set()
        self.business = load_params("business")
        self.owner = load_params("owner")
        self.given_owner = load_params("given_owner")

    # -- loading -------------------------------------------------------------------------

    def features(self, data: Mapping[str, Any]) -> tuple[Any, ...]:
        """The feature row of a record in canonical columns (see ``linkage.features``)."""
        return self._maker.row(data, str(data.get("record_id") or "new"))

    def _store(self, values: Iterable[Mapping[str, Any]]) -> None:
        for v in values:
            record = {
                "owner_name": v["owner__full_name"],
                "nik": v["owner__nik"] or "",
                "business_name": v["business__name"],
                "phone": v["business__phone"] or v["owner__phone"] or "",
                "address": v["business__address"] or v["owner__address"] or "",
                "kelurahan": v["business__desa_kelurahan_id"] or "",
                "sector": v["business__sector_id"] or "",
                "nib": v["business__nib"] or "",
            }
            self.add(
                v["business_id"], v["owner_id"], self._maker.row(record, str(v["business_id"]))
            )

    def _query(self, condition: Q) -> None:
        active = ~Q(business__status=BusinessStatus.MERGED) & Q(owner__merged_into__isnull=True)
        main = Q(role=OwnerRole.PEMILIK)
        self._store(
            BusinessOwner.objects.filter(condition & active & main)
            .order_by()
            .values(*_record_values())
            .iterator(chunk_size=5000)
        )

    def prefetch(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Load what these feature rows need, in a few queries (an import chunk)."""
        rows = list(rows)
        niks = {r[_NIK12] for r in rows if r[_NIK12]} - self._loaded_nik12
        phones = {r[_PHONE] for r in rows if r[_PHONE]} - self._loaded_phones
        kelurahan = {r[_KEL] for r in rows if r[_KEL]} - set(self._pools)
        for code in kelurahan:
            self._pools[code] = set()
        if kelurahan:
            dotted = [f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in kelurahan if len(c) == 10]
            self._query(Q(business__desa_kelurahan_id__in=dotted))
        if niks:
            query = Q()
            for prefix in niks:  # a range, not LIKE: the btree index serves any collation
                query |= Q(owner__nik__range=(prefix + "0000", prefix + "9999"))
            self._query(query)
            self._loaded_nik12 |= niks
        if phones:
            plus = [f"+{p}" for p in phones]
            self._query(Q(business__phone__in=plus) | Q(owner__phone__in=plus))
            self._loaded_phones |= phones

    def add(self, business_id: Any, owner_id: Any, row: tuple[Any, ...]) -> None:
        """Make a business (e.g. one an import just created) findable."""
        if business_id in self._rows:
            return
        self._rows[business_id] = (owner_id, row)
        if row[_NIK12]:
            self._by_nik12[row[_NIK12]].add(business_id)
        if row[_PHONE]:
            self._by_phone[row[_PHONE]].add(business_id)
        if row[_KEL]:
            self._pools.setdefault(row[_KEL], set()).add(business_id)

    def forget(self, business_id: Any) -> None:
        """Stop offering a business (merged, or its import undone)."""
        self._rows.pop(business_id, None)

    # -- matching ------------------------------------------------------------------------

    def _blocked(self, row: tuple[Any, ...]) -> set[Any]:
        found: set[Any] = set()
        if row[_NIK12]:
            found |= self._by_nik12.get(row[_NIK12], set())
        if row[_PHONE]:
            found |= self._by_phone.get(row[_PHONE], set())
        pool = self._pools.get(row[_KEL], set()) if row[_KEL] else set()
        owner, business, street = row[_OWNER], row[_BUSINESS], row[_STREET]
        for business_id in pool:
            entry = self._rows.get(business_id)
            if entry is None:
                continue
            other = entry[1]
            if (
                (owner and other[_OWNER] == owner)
                or (business and other[_BUSINESS] == business)
                or (street and other[_STREET] == street)
                or (
                    business
                    and owner
                    and other[_BUSINESS]
                    and other[_OWNER]
                    and other[_BUSINESS][:3] == business[:3]
                    and other[_OWNER][:2] == owner[:2]
                )
                or (row[_NIB] and other[_NIB] == row[_NIB])
            ):
                found.add(business_id)
        return found

    def candidates(
        self, row: tuple[Any, ...], *, minimum: float = 0.05, exclude: Iterable[Any] = ()
    ) -> list[Candidate]:
        """Register businesses that could be this record, best first."""
        self.prefetch([row])
        skip = set(exclude)
        found: list[Candidate] = []
        for business_id in self._blocked(row) - skip:
            entry = self._rows.get(business_id)
            if entry is None:
                continue
            owner_id, other = entry
            candidate = Candidate(
                business_id=business_id,
                owner_id=owner_id,
                score=score_pair(
                    row,
                    other,
                    business=self.business,
                    owner=self.owner,
                    given_owner=self.given_owner,
                ),
            )
            if candidate.same_owner_probability >= minimum:
                found.append(candidate)
        found.sort(
            key=lambda c: (c.same_business_probability, c.same_owner_probability), reverse=True
        )
        return found


def likely_duplicates(
    data: Mapping[str, Any],
    *,
    limit: int = 5,
    index: RegisterIndex | None = None,
    params: tuple[Params, Params, Params] | None = None,
) -> list[Candidate]:
    """Up to ``limit`` register businesses that could be the record ``data`` (canonical
    columns: owner_name, nik, business_name, phone, address, kelurahan, sector, nib)."""
    index = index or RegisterIndex()
    if params is not None:
        index.business, index.owner, index.given_owner = params
    return index.candidates(index.features(data))[:limit]
