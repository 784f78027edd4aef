"""Likely duplicates of one new record in the register: the online check (issue 5).

An officer typing a new business, a submission arriving and every row of an import ask
the same question: which businesses already in the register could this be? The answer
comes in three steps:

1. **Candidates** by the model's blocking rules (:func:`blocking_keys`): the businesses
   sharing one of the record's keys, read from the stored index of the register
   (``services.register_index``: key hashes and feature rows in tables, brought up to date
   before each check). Without a usable stored index (not built yet, or built by older
   code) the register itself is loaded -- every business of the record's kelurahan, and
   anywhere the same NIK (region + birth part), phone or NIB. Either way the rows are kept
   in dictionaries keyed like the rules.
2. **Scoring** of each candidate with both trained models (``linkage.scoring``), in Python.
3. **Ranking**: the best business matches first, each with its explanation.

A :class:`RegisterIndex` lives as long as one request or one import run; an import adds the
businesses it creates (:meth:`RegisterIndex.add`), so two rows of one file find each other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import duckdb
from django.db.models import Count, Q

from naikkelas.linkage.batch import comparison_vectors, connect
from naikkelas.linkage.features import FEATURE_COLUMNS, FeatureMaker, SectorResolver
from naikkelas.linkage.model import BLOCKING_KEYS, blocking_keys
from naikkelas.linkage.models import RegisterKey, RegisterRow
from naikkelas.linkage.places import kelurahan_resolver
from naikkelas.linkage.scoring import (
    FastScorer,
    PairScore,
    business_probability,
    load_params,
    owner_probability,
)
from naikkelas.linkage.services.register_index import (
    key_hash,
    register_index_sync,
    register_ownerships,
    register_record,
    sector_code,
)

__all__ = ["Candidate", "RegisterIndex", "likely_duplicates"]

# A blocking key shared by more businesses than its cap is skipped, as in batch linkage
# (linkage.model.BLOCKING_KEYS): common names in a whole kecamatan would make one record cost
# hundreds of scores, and the pairs they add are almost all non-matches.
_CAPS = {name: min(cap, 30) for name, _sql, cap in BLOCKING_KEYS}  # stricter: Python scores


_COL = {name: index for index, name in enumerate(FEATURE_COLUMNS)}
_NIK12, _PHONE, _KEL = _COL["nik12"], _COL["phone"], _COL["kelurahan"]
_OWNER, _BUSINESS, _STREET = _COL["owner_name"], _COL["business_name"], _COL["street"]
_NIB, _KEC = _COL["nib"], _COL["kecamatan"]


@dataclass
class Candidate:
    """A register business scored against the new record, at both levels."""

    business_id: Any
    owner_id: Any
    gammas: tuple[int, ...]
    lb: float  # log-odds: same business vs different owners
    lo: float  # log-odds: same owner, other business vs different owners
    scorer: FastScorer = field(repr=False)

    @cached_property
    def same_business_probability(self) -> float:
        return business_probability(self.lb, self.lo)

    @cached_property
    def same_owner_probability(self) -> float:
        return owner_probability(self.lb, self.lo)

    @cached_property
    def score(self) -> PairScore:
        """The explanation (built on demand: most candidates are never shown)."""
        return self.scorer.explain(self.gammas)


@cache
def _shipped_scorer() -> FastScorer:
    return FastScorer(
        business=load_params("business"),
        owner=load_params("owner"),
        given_owner=load_params("given_owner"),
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RegisterIndex:
    """Feature rows of active register businesses, loaded on demand and kept, with the
    blocking keys of the model as dictionary keys (no scan of a whole kelurahan per row)."""

    def __init__(
        self,
        *,
        area_code: str = "36.73",
        sector_of_name: SectorResolver | None = None,
        use_stored_index: bool = True,
    ) -> None:
        self._maker = FeatureMaker(
            place=kelurahan_resolver(area_code),
            sector=sector_code,
            sector_of_name=sector_of_name,
        )
        self._rows: dict[Any, tuple[Any, tuple[Any, ...]]] = {}  # business -> (owner, row)
        self._dicts: dict[Any, dict[str, Any]] = {}  # business -> row as a mapping
        # record id -> business -> comparison vector (compare_many)
        self._vectors: dict[str, dict[Any, tuple[int, ...]]] = {}
        self._duck: duckdb.DuckDBPyConnection | None = None  # compare_many, made on demand
        self._by_key: dict[tuple[Any, ...], set[Any]] = defaultdict(set)
        self._loaded: set[tuple[str, str]] = set()  # ("kel"|"nik12"|"phone"|"nib", value)
        # with the stored index: keys already read, and keys of more businesses than the cap
        self._use_stored: bool | None = None if use_stored_index else False
        self._fetched_keys: set[tuple[Any, ...]] = set()
        self._over_cap: set[tuple[Any, ...]] = set()
        self.scorer = _shipped_scorer()

    # -- loading -------------------------------------------------------------------------

    def features(self, data: Mapping[str, Any]) -> tuple[Any, ...]:
        """The feature row of a record in canonical columns (see ``linkage.features``)."""
        return self._maker.row(data, str(data.get("record_id") or "new"))

    def _store(self, values: Iterable[Mapping[str, Any]]) -> None:
        for v in values:
            row = self._maker.row(register_record(v), str(v["business_id"]))
            self.add(v["business_id"], v["owner_id"], row)

    def _query(self, condition: Q) -> None:
        self._store(register_ownerships(condition))

    def _new(self, kind: str, values: Iterable[str | None]) -> list[str]:
        fresh = sorted({v for v in values if v and (kind, v) not in self._loaded})
        self._loaded.update((kind, v) for v in fresh)
        return fresh

    def prefetch(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Load the register businesses these feature rows (an import chunk, or one typed
        record) could block with: from the stored index when it is usable
        (``services.register_index``), otherwise from the register itself."""
        rows = list(rows)
        if self._use_stored is None:
            self._use_stored = register_index_sync() is not None
        if self._use_stored:
            self._prefetch_stored(rows)
        else:
            self._prefetch_register(rows)

    def _prefetch_stored(self, rows: list[tuple[Any, ...]]) -> None:
        """Every business sharing a blocking key with the rows, unless the key is shared by
        more businesses than its cap (then none: :meth:`_blocked` skips it anyway). Three
        indexed queries: key sizes, members of the small keys, their stored rows."""
        wanted: dict[int, tuple[Any, ...]] = {}
        for row in rows:
            for key in blocking_keys(row):
                if key not in self._fetched_keys:
                    self._fetched_keys.add(key)
                    wanted[key_hash(key)] = key
        small: list[int] = []
        for chunk in _chunks(list(wanted), 500):
            sizes = (
                RegisterKey.objects.filter(key__in=chunk)
                .order_by()
                .values_list("key")
                .annotate(n=Count("*"))
            )
            for hashed, n in sizes:
                if n > _CAPS[wanted[hashed][0]]:
                    self._over_cap.add(wanted[hashed])
                else:
                    small.append(hashed)
        members: set[Any] = set()
        for chunk in _chunks(small, 500):
            members.update(
                RegisterKey.objects.filter(key__in=chunk).values_list("business_id", flat=True)
            )
        missing = [b for b in members if b not in self._rows]
        for chunk in _chunks(missing, 1000):
            stored = RegisterRow.objects.filter(business_id__in=chunk).values_list(
                "business_id", "owner_id", "row"
            )
            for business_id, owner_id, text in stored:
                self.add(business_id, owner_id, tuple(json.loads(text)))

    def _prefetch_register(self, rows: list[tuple[Any, ...]]) -> None:
        """Without a stored index: every business of the rows' kelurahan, and anywhere the
        same NIK (region and birth part), phone or NIB."""
        kelurahan = self._new("kel", (r[_KEL] for r in rows))
        niks = self._new("nik12", (r[_NIK12] for r in rows))
        phones = self._new("phone", (r[_PHONE] for r in rows))
        nibs = self._new("nib", (r[_NIB] for r in rows))
        dotted = [f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in kelurahan if len(c) == 10]
        for start in range(0, len(dotted), 500):
            self._query(Q(business__desa_kelurahan_id__in=dotted[start : start + 500]))
        for start in range(0, len(niks), 200):
            query = Q()
            for prefix in niks[start : start + 200]:
                # a range, not LIKE: the btree index serves it under any collation
                query |= Q(owner__nik__range=(prefix + "0000", prefix + "9999"))
            self._query(query)
        for start in range(0, len(phones), 500):
            plus = [f"+{p}" for p in phones[start : start + 500]]
            # two indexed lookups: an OR across the two joined tables makes PostgreSQL scan
            # every table (1.8 s at a million businesses, against 2 x 1.6 ms)
            self._query(Q(business__phone__in=plus))
            self._query(Q(owner__phone__in=plus))
        for start in range(0, len(nibs), 500):
            self._query(Q(business__nib__in=nibs[start : start + 500]))

    def add(self, business_id: Any, owner_id: Any, row: tuple[Any, ...]) -> None:
        """Make a business findable (e.g. one an import just created, or a row of the file
        being imported under a placeholder id)."""
        if business_id in self._rows:
            return
        self._rows[business_id] = (owner_id, row)
        self._dicts[business_id] = dict(zip(FEATURE_COLUMNS, row, strict=True))
        for key in blocking_keys(row):
            self._by_key[key].add(business_id)

    def row_of(self, business_id: Any) -> tuple[Any, ...]:
        """The feature row of a business the index holds."""
        return self._rows[business_id][1]

    def forget(self, business_id: Any) -> None:
        """Stop offering a business (merged, or its import undone)."""
        entry = self._rows.pop(business_id, None)
        self._dicts.pop(business_id, None)
        if entry is not None:
            for key in blocking_keys(entry[1]):
                self._by_key[key].discard(business_id)

    # -- matching ------------------------------------------------------------------------

    def _blocked(self, row: tuple[Any, ...]) -> set[Any]:
        found: set[Any] = set()
        for key in blocking_keys(row):
            members = self._by_key.get(key, set())
            if len(members) > _CAPS[key[0]] or key in self._over_cap:
                continue  # "Siti Aminah" in a whole kecamatan: no help in finding this one
            found |= members
        return found

    def compare_many(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Comparison vectors of many rows against the register businesses they block with,
        computed at once in DuckDB with the model's SQL (the same levels as the Python
        tests, see tests/linkage/test_model_parity.py); :meth:`candidates` then only looks
        them up. For an import chunk: a thousand rows and some twenty thousand pairs take
        milliseconds instead of a second of Python. Returns the number of pairs."""
        lefts: list[tuple[Any, ...]] = []
        rights: list[tuple[Any, ...]] = []
        owners: list[tuple[str, Any]] = []
        for row in rows:
            for business_id in self._blocked(row):
                lefts.append(row)
                rights.append(self._rows[business_id][1])
                owners.append((row[0], business_id))
        self._vectors = {}
        if not owners:
            return 0
        if self._duck is None:
            self._duck = connect(memory_limit="512MB", threads=1)
        vectors = comparison_vectors(self._duck, lefts, rights)
        for (record_id, business_id), gammas in zip(owners, vectors, strict=True):
            self._vectors.setdefault(record_id, {})[business_id] = gammas
        return len(owners)

    def candidates(
        self,
        row: tuple[Any, ...],
        *,
        minimum: float = 0.05,
        exclude: Iterable[Any] = (),
        prefetched: bool = False,
    ) -> list[Candidate]:
        """Register businesses that could be this record, best first (``minimum``: the
        same-owner probability below which a business is not worth showing)."""
        if not prefetched:
            self.prefetch([row])
        found_ids = self._blocked(row) - set(exclude)
        found: list[Candidate] = []
        left = dict(zip(FEATURE_COLUMNS, row, strict=True))
        known = self._vectors.get(row[0], {})
        for business_id in found_ids:
            owner_id, _other = self._rows[business_id]
            gammas = known.get(business_id) or self.scorer.gammas(left, self._dicts[business_id])
            lb, lo = self.scorer.weights(gammas)
            candidate = Candidate(business_id, owner_id, gammas, lb, lo, self.scorer)
            if candidate.same_owner_probability >= minimum:
                found.append(candidate)
        # Best first; exact ties by business id, so the same input links the same way
        # whatever order the blocking index (a set) yields them in.
        found.sort(
            key=lambda c: (
                -c.same_business_probability,
                -c.same_owner_probability,
                str(c.business_id),
            )
        )
        return found


def likely_duplicates(
    data: Mapping[str, Any],
    *,
    limit: int = 5,
    index: RegisterIndex | None = None,
    scorer: FastScorer | None = None,
) -> list[Candidate]:
    """Up to ``limit`` register businesses that could be the record ``data`` (canonical
    columns: owner_name, nik, business_name, phone, address, kelurahan, sector, nib)."""
    index = index or RegisterIndex()
    if scorer is not None:
        index.scorer = scorer
    return index.candidates(index.features(data))[:limit]
