"""Fair (merata) allocation of programme seats: the pure core, and the spec people audit.

Pure: no Django, no ORM, no I/O. The programme services turn a cycle's applications into
``Candidate`` rows and the cycle settings into ``Params``, call ``allocate`` and persist the
returned ``Decision`` for every application. Everything below is deterministic: the same
candidates (in any order) with the same parameters always give the same ``Allocation`` (with
the same numpy/scipy versions: the cell step below uses floating point and the HiGHS solver).

**The draw.** Ties are broken by a lottery that anyone can re-run. Before the draw the list of
applicants is frozen: ``applicant_fingerprint`` hashes the applicant rows and the seed is
derived from that fingerprint (and an optional public value; ``programs.services.selection``),
so the seed itself proves which list was drawn from (adding or removing an applicant afterwards
changes every lottery key). A candidate's lottery key is ``sha256("<seed>:<application id>")``
in hex; it depends on nothing else, so it can be checked by hand.

**Seats per kecamatan (area quotas).** Each kecamatan's weight is its number of eligible
businesses in the whole register (``register_counts`` summed over sectors), so seats follow
where businesses are, not who applied most. Seats are apportioned by the bounded largest-
remainder (Hamilton) method, ``apportion``: every area gets at least ``min_per_area`` (or all
its eligible applicants, if fewer) and at most its number of eligible applicants. The
continuous quotas are found by water-filling: ``q_a = clamp(lambda * weight_a, lower_a,
upper_a)`` with the single ``lambda`` that makes them sum to the seats, computed exactly with
fractions. So when a kecamatan has fewer applicants than its share, its surplus flows to the
other kecamatan in proportion to their weights. Whole seats are the floors of the quotas, and
the seats left over go to the largest fractional parts (ties by area code, never by the seed:
quotas do not depend on the lottery). ``area_entitlement`` is the plain proportional share
``seats * weight / total weight``, before any bound or rounding, for the fairness report. If the
seats cannot even cover every area's minimum, the seats are shared in proportion to those
minimums (largest remainder again, each capped at its minimum). Every area with eligible
applicants takes part, also one the register has no businesses for (weight 0): it gets its
minimum and, beyond that, only seats nobody else can take.

**Seats per sector (optional).** With ``sector_shares`` (e.g. kuliner 50 %, fesyen 30 %, kriya
20 %; the numbers are weights, they need not sum to 1, and sectors nobody applied from are
dropped), sector quotas are apportioned the same way, capped by eligible applicants per sector.
A sector without a share (including the unknown sector ``""``) only receives seats that would
otherwise stay empty. Then each (kecamatan, sector) cell gets a whole number of seats, never more
than its eligible applicants, chosen by a small integer program (HiGHS through
``scipy.optimize.milp``) with this order of precedence:

1. the kecamatan quotas are met exactly (always possible);
2. the sector quotas are met as closely as possible (total absolute deviation): exactly whenever
   the applicants allow it; when they do not (e.g. every kriya applicant lives in one kecamatan
   that has few seats), the kecamatan promise wins and the sector gets fewer seats;
3. among those, cells stay closest (total absolute deviation) to the biproportional target: the
   register counts scaled (iterative proportional fitting) to match both sets of quotas.

**Who gets a seat inside a cell.** Candidates are ranked by priority tiers: fewest previous
assistance first (``times_assisted`` ascending, so "never assisted" comes first), then the
officers' ``score`` (higher first), then the lottery key (ascending). The cell's quota is taken
from the top; without sector shares the cell is the whole kecamatan. Ineligible applications are
never selected or waitlisted.

**Order, waitlist and reasons.** Selected candidates are numbered 1..n and waitlisted ones
1..m, both in the same global priority order (tier, score, lottery). Every decision carries the
inputs that explain it: area, sector, tier, lottery key, the quota the seat counted against and
the candidate's rank in their cell (``rank_in_cell``, out of ``cell_quota`` seats).

**Overflow.** A seat "flowed" when an area (or sector) receives more than its own share, the
share it would get if every area (sector) had applicants enough; the extra seats come from areas
(sectors) that had too few applicants, or from sectors without a share. Within such an area or
sector, the selected candidates ranked below its own share are marked ``overflow``. As a safety
net, if any seat were still unfilled while eligible candidates wait, it would be given out in
proportion to the areas' weights among areas with waiting candidates (also ``overflow``); so
``unused_seats`` is 0 unless every eligible candidate was selected.

**Known properties.** Hamilton satisfies quota (every unbounded share is its entitlement rounded
down or up) but, like every largest-remainder method, it can show the Alabama paradox: one more
seat in total can cost a small area a seat. Seats are fixed per cycle before the draw, so this
only matters when comparing cycles of different sizes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

import numpy as np

__all__ = [
    "Allocation",
    "Candidate",
    "Decision",
    "Outcome",
    "Params",
    "allocate",
    "applicant_fingerprint",
    "apportion",
    "lottery_key",
]

Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One application in a programme cycle."""

    id: str  # application id (stable string, e.g. a UUID)
    area: str  # kecamatan code, e.g. "36.73.01"
    sector: str  # sector code, e.g. "kuliner" ("" if unknown)
    eligible: bool
    times_assisted: int = 0  # aid-ledger entries before this cycle (any programme)
    score: float = 0.0  # officer-weighted need/readiness; higher goes first


@dataclass(frozen=True, slots=True)
class Params:
    """The cycle's settings."""

    seats: int
    seed: str
    # eligible businesses in the whole register per (area, sector)
    register_counts: Mapping[tuple[str, str], int]
    min_per_area: int = 0
    # e.g. {"kuliner": 0.5, "fesyen": 0.3, "kriya": 0.2}; None (or empty) = no sector quota
    sector_shares: Mapping[str, float] | None = None


class Outcome(StrEnum):
    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    INELIGIBLE = "ineligible"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one candidate, with what explains it."""

    candidate_id: str
    outcome: Outcome
    position: int | None  # SELECTED: 1..n; WAITLISTED: 1..m; INELIGIBLE: None
    area: str
    sector: str
    quota_area: str  # the area quota the seat counted against; "" when not selected
    quota_sector: str  # the sector quota the seat counted against; "" without sector shares
    times_assisted: int
    overflow: bool  # selected with a seat that flowed from another share
    lottery: str  # the candidate's lottery key (hex)
    # rank among the eligible candidates of the same cell, by priority (1 = first); None when
    # ineligible. The cell is (area, sector) with sector shares, else (area, "").
    rank_in_cell: int | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    """All decisions plus the quotas behind them (for the fairness report)."""

    # one per candidate: selected by position, waitlisted by position, then ineligible (by id)
    decisions: tuple[Decision, ...]
    area_entitlement: dict[str, float]  # seats * register share, before bounds/rounding
    area_quota: dict[str, int]  # seats finally given to each area
    sector_quota: dict[str, int]  # apportioned sector quotas; {} when no sector shares
    cell_quota: dict[Cell, int]  # (area, sector) -> seats; (area, "") without sector shares
    unused_seats: int  # seats nobody eligible could take
    sector_entitlement: dict[str, float] = field(default_factory=dict)  # seats * share
    sector_given: dict[str, int] = field(default_factory=dict)  # seats actually given per sector
    notes: tuple[str, ...] = ()  # plain-English notes on bounds that could not all be met


# ---------------------------------------------------------------------------------------------
# The draw


def lottery_key(seed: str, candidate_id: str) -> str:
    """``sha256("<seed>:<candidate_id>")`` in hex: the tie-breaker anyone can recompute."""
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


def applicant_fingerprint(rows: Iterable[Sequence[str]]) -> str:
    """sha256 (hex) of the applicant list, independent of its order.

    Each row is encoded as a compact JSON array of strings (so no separator can be forged), the
    encoded rows are sorted and joined by newlines. Publish it with the seed before the draw.
    """
    encoded: list[str] = []
    for row in rows:
        values = list(row)
        if not all(isinstance(value, str) for value in values):
            raise ValueError(f"applicant rows must hold strings only: {values!r}")
        encoded.append(json.dumps(values, ensure_ascii=False, separators=(",", ":")))
    encoded.sort()
    return hashlib.sha256("\n".join(encoded).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Apportionment


def _check_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    return value


def _check_weight(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite non-negative number, got {value!r}")
    return Fraction(value)


def _water_fill(
    target: int, weight: dict[str, Fraction], lower: dict[str, int], upper: dict[str, int | None]
) -> dict[str, Fraction] | None:
    """Continuous quotas ``clamp(lam * w, lower, upper)`` summing to ``target`` (exact).

    Assumes ``sum(lower) < target``. Returns None when the positive-weight keys are all at
    their upper bound before reaching the target (the rest must go to weight-0 keys).
    """
    events: list[tuple[Fraction, Fraction, int]] = []  # (lam, change of slope, change of level)
    for key, w in weight.items():
        if w > 0:
            events.append((lower[key] / w, w, -lower[key]))
            bound = upper[key]
            if bound is not None:
                events.append((bound / w, -w, bound))
    events.sort(key=lambda event: event[0])
    level = Fraction(sum(lower.values()))  # f(lam) = level + slope * lam between events
    slope = Fraction(0)
    lam: Fraction | None = None
    for at, d_slope, d_level in events:
        if level + slope * at >= target:
            lam = (target - level) / slope
            break
        level += d_level
        slope += d_slope
    if lam is None:
        if slope == 0:
            return None
        lam = (target - level) / slope
    quotas: dict[str, Fraction] = {}
    for key, w in weight.items():
        q = max(Fraction(lower[key]), lam * w)
        bound = upper[key]
        quotas[key] = q if bound is None else min(q, Fraction(bound))
    return quotas


def apportion(
    seats: int,
    weights: Mapping[str, float],
    *,
    lower: Mapping[str, int] | None = None,
    upper: Mapping[str, int] | None = None,
    tie_break: Callable[[str], str] | None = None,
) -> dict[str, int]:
    """Share ``seats`` among ``weights``' keys by the bounded largest-remainder method.

    The result sums to ``min(seats, sum(upper))`` (upper defaults to unbounded) and every key
    gets ``lower' <= x <= upper`` where ``lower' = min(lower, upper)``. Continuous quotas are
    ``clamp(lam * w, lower', upper)`` with the exact ``lam`` that makes them sum to the seats;
    each key gets its quota's floor and the leftover seats go to the largest fractional parts,
    ties by ``tie_break(key)`` (default: the key). Without bounds this is classic Hamilton.

    Weight-0 keys get only their lower bound, unless seats would otherwise stay unused: those
    go to them in proportion to their room (``upper - lower'``; equally among keys without an
    upper bound). If the seats cannot cover ``sum(lower')``, they are shared in proportion to
    ``lower'`` with ``lower'`` as the cap (so nobody gets more than their minimum).
    """
    seats = _check_count(seats, "seats")
    lower = lower or {}
    upper = upper or {}
    for bounds, name in ((lower, "lower"), (upper, "upper")):
        unknown = sorted(set(bounds) - set(weights))
        if unknown:
            raise ValueError(f"{name} bound for keys without a weight: {unknown}")
    rank = tie_break or (lambda key: key)
    keys = sorted(weights)
    weight = {key: _check_weight(weights[key], f"weight of {key!r}") for key in keys}
    up: dict[str, int | None] = {
        key: _check_count(upper[key], f"upper bound of {key!r}") if key in upper else None
        for key in keys
    }
    low: dict[str, int] = {}
    for key in keys:
        wanted = _check_count(lower.get(key, 0), f"lower bound of {key!r}")
        bound = up[key]
        low[key] = wanted if bound is None else min(wanted, bound)

    bounded = [bound for bound in up.values() if bound is not None]
    target = min(seats, sum(bounded)) if len(bounded) == len(keys) else seats
    floor_total = sum(low.values())
    if floor_total == target:
        return dict(low)
    if floor_total > target:
        # The minimums cannot all be met: share the seats in proportion to them, capped by them.
        return apportion(
            target,
            {key: float(low[key]) for key in keys},
            upper=low,
            tie_break=tie_break,
        )

    quotas = _water_fill(target, weight, low, up)
    if quotas is None:
        # Every positive-weight key is full: the rest goes to weight-0 keys by their room.
        result = {key: int(up[key] or 0) if weight[key] > 0 else low[key] for key in keys}
        rest = target - sum(result.values())
        zero = [key for key in keys if weight[key] == 0]
        unbounded = [key for key in zero if up[key] is None]
        if unbounded:
            extra = apportion(rest, dict.fromkeys(unbounded, 1.0), tie_break=tie_break)
        else:
            room = {key: int(up[key] or 0) - low[key] for key in zero}
            extra = apportion(
                rest, {key: float(r) for key, r in room.items()}, upper=room, tie_break=tie_break
            )
        for key, more in extra.items():
            result[key] += more
        return result

    floors = {key: math.floor(q) for key, q in quotas.items()}
    leftover = target - sum(floors.values())
    by_remainder = sorted(keys, key=lambda key: (-(quotas[key] - floors[key]), rank(key), key))
    for key in by_remainder[:leftover]:
        floors[key] += 1
    return floors


# ---------------------------------------------------------------------------------------------
# Cells: (kecamatan, sector) quotas meeting both marginals


def _biproportional_target(
    cells: list[Cell],
    seed_counts: Mapping[Cell, float],
    fallback: Mapping[Cell, int],
    area_quota: Mapping[str, int],
    sector_quota: Mapping[str, int],
) -> dict[Cell, float]:
    """Register counts scaled (iterative proportional fitting) to both sets of quotas."""
    areas = sorted({a for a, _ in cells})
    sectors = sorted({s for _, s in cells})
    ai = {a: i for i, a in enumerate(areas)}
    si = {s: j for j, s in enumerate(sectors)}
    m = np.zeros((len(areas), len(sectors)))
    present = np.zeros_like(m, dtype=bool)
    alt = np.zeros_like(m)
    for a, s in cells:
        m[ai[a], si[s]] = float(seed_counts.get((a, s), 0))
        alt[ai[a], si[s]] = float(fallback[(a, s)])
        present[ai[a], si[s]] = True
    rows = np.array([float(area_quota[a]) for a in areas])
    cols = np.array([float(sector_quota.get(s, 0)) for s in sectors])
    # A row or column the register says nothing about: use the applicants' spread instead.
    empty_rows = (m.sum(axis=1) == 0) & (rows > 0)
    m[empty_rows] = alt[empty_rows]
    empty_cols = (m.sum(axis=0) == 0) & (cols > 0)
    m[:, empty_cols] = alt[:, empty_cols]
    m[~present] = 0.0
    for _ in range(200):
        rs = m.sum(axis=1)
        m *= np.divide(rows, rs, out=np.zeros_like(rows), where=rs > 0)[:, None]
        cs = m.sum(axis=0)
        m *= np.divide(cols, cs, out=np.zeros_like(cols), where=cs > 0)[None, :]
        if np.abs(m.sum(axis=1) - rows).max(initial=0.0) < 1e-9:
            break
    return {(a, s): float(m[ai[a], si[s]]) for a, s in cells}


def _area_split(
    area_quota: Mapping[str, int], n_cell: Mapping[Cell, int], weight: Mapping[Cell, float]
) -> dict[Cell, int]:
    """Fallback: each area's seats split over its cells by register weight (capped)."""
    result: dict[Cell, int] = {}
    by_area: dict[str, list[Cell]] = defaultdict(list)
    for cell in sorted(n_cell):
        by_area[cell[0]].append(cell)
    for area, cells in by_area.items():
        shares = apportion(
            area_quota.get(area, 0),
            {cell[1]: float(weight.get(cell, 0)) for cell in cells},
            upper={cell[1]: n_cell[cell] for cell in cells},
        )
        result.update({(area, sector): x for sector, x in shares.items()})
    return result


def _cell_quotas(
    area_quota: Mapping[str, int],
    sector_quota: Mapping[str, int],
    n_cell: Mapping[Cell, int],
    register_counts: Mapping[Cell, int],
) -> tuple[dict[Cell, int], list[str]]:
    """Integer cell quotas: areas exact, then sectors as close as possible, then near target."""
    quotas = dict.fromkeys(n_cell, 0)
    cells = sorted(cell for cell, n in n_cell.items() if n > 0 and area_quota.get(cell[0], 0) > 0)
    if not cells:
        return quotas, []
    areas = sorted({a for a, _ in cells})
    sectors = sorted(set(sector_quota) | {s for _, s in cells})
    target = _biproportional_target(cells, register_counts, n_cell, area_quota, sector_quota)
    k, ns = len(cells), len(sectors)
    nvar = 3 * k + 2 * ns  # x (cell seats), p/m (above/below target), u/v (sector short/over)
    total = sum(area_quota[a] for a in areas)
    big = 2.0 * total + 1.0  # one seat of sector deviation outweighs any cell-level change
    cost = np.concatenate([np.zeros(k), np.ones(2 * k), np.full(2 * ns, big)])
    a_index = {a: i for i, a in enumerate(areas)}
    s_index = {s: j for j, s in enumerate(sectors)}
    matrix = np.zeros((len(areas) + ns + k, nvar))
    lo = np.zeros(len(areas) + ns + k)
    for c, (a, s) in enumerate(cells):
        matrix[a_index[a], c] = 1.0
        matrix[len(areas) + s_index[s], c] = 1.0
        row = len(areas) + ns + c
        matrix[row, c] = 1.0
        matrix[row, k + c] = -1.0
        matrix[row, 2 * k + c] = 1.0
        lo[row] = target[(a, s)]
    for j, s in enumerate(sectors):
        matrix[len(areas) + j, 3 * k + j] = 1.0
        matrix[len(areas) + j, 3 * k + ns + j] = -1.0
        lo[len(areas) + j] = float(sector_quota.get(s, 0))
    for a, i in a_index.items():
        lo[i] = float(area_quota[a])
    upper_bounds = np.concatenate(
        [np.array([float(n_cell[cell]) for cell in cells]), np.full(2 * k + 2 * ns, np.inf)]
    )
    # imported here: scipy.optimize costs ~0.35 s of start-up for every process that loads the
    # app (commands, workers), and only a selection with sector shares needs it
    from scipy.optimize import Bounds, LinearConstraint, milp

    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lo, lo),
        integrality=np.concatenate([np.ones(k), np.zeros(2 * k + 2 * ns)]),
        bounds=Bounds(np.zeros(nvar), upper_bounds),
        options={"time_limit": 30.0, "mip_rel_gap": 0.0},
    )
    solved: dict[Cell, int] | None = None
    if result.status == 0 and result.x is not None:
        solved = {cell: int(round(result.x[c])) for c, cell in enumerate(cells)}
        per_area: Counter[str] = Counter()
        for (a, _), x in solved.items():
            per_area[a] += x
        if any(per_area[a] != area_quota[a] for a in areas) or any(
            not 0 <= x <= n_cell[cell] for cell, x in solved.items()
        ):
            solved = None
    notes: list[str] = []
    if solved is None:
        notes.append(
            f"the cell solver failed ({result.message}); each kecamatan's seats were split over "
            "its sectors by register counts, sector quotas were not enforced"
        )
        weights = {cell: float(register_counts.get(cell, 0)) for cell in cells}
        solved = _area_split(
            {a: area_quota[a] for a in areas}, {c: n_cell[c] for c in cells}, weights
        )
    quotas.update(solved)
    return quotas, notes


# ---------------------------------------------------------------------------------------------
# Allocation


def _validate(candidates: Sequence[Candidate], params: Params) -> None:
    _check_count(params.seats, "seats")
    _check_count(params.min_per_area, "min_per_area")
    if not isinstance(params.seed, str):
        raise ValueError(f"seed must be a string, got {params.seed!r}")
    for key, count in params.register_counts.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ValueError(f"register_counts keys must be (area, sector) pairs, got {key!r}")
        _check_count(count, f"register count of {key!r}")
    for sector, share in (params.sector_shares or {}).items():
        _check_weight(share, f"sector share of {sector!r}")
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise ValueError(f"duplicate candidate ids ({len(duplicates)}): {duplicates[:5]}")
    for c in candidates:
        times, score = c.times_assisted, c.score
        if type(times) is not int or times < 0:
            raise ValueError(
                f"times_assisted of candidate {c.id!r} must be a non-negative integer, "
                f"got {times!r}"
            )
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise ValueError(f"score of candidate {c.id!r} must be a finite number, got {score!r}")


def _by_priority(candidates: list[Candidate], lottery: Mapping[str, str]) -> list[Candidate]:
    """Sort by (times_assisted, -score, lottery key): one numpy lexsort, ~3x a Python sort.

    Lottery keys are distinct, so the order is total and does not depend on the input order.
    """
    if not candidates:
        return []
    order = np.lexsort(
        (
            np.array([lottery[c.id] for c in candidates]),
            -np.array([c.score for c in candidates], dtype=np.float64),
            np.array([c.times_assisted for c in candidates], dtype=np.int64),
        )
    )
    return [candidates[i] for i in order.tolist()]


def _decision(
    c: Candidate,
    outcome: Outcome,
    position: int | None,
    quota: Cell,
    overflow: bool,
    lottery: str,
    rank_in_cell: int | None,
) -> Decision:
    """The decision on candidate ``c``; ``quota`` is (quota_area, quota_sector)."""
    return Decision(
        c.id,
        outcome,
        position,
        c.area,
        c.sector,
        quota[0],
        quota[1],
        c.times_assisted,
        overflow,
        lottery,
        rank_in_cell,
    )


def allocate(candidates: Sequence[Candidate], params: Params) -> Allocation:
    """Select ``params.seats`` candidates evenly across kecamatan (and sectors): see the module."""
    _validate(candidates, params)
    seats = params.seats
    by_sector = bool(params.sector_shares)
    notes: list[str] = []

    # lottery_key(), inlined: 50,000 calls cost more than the hashing itself.
    prefix = f"{params.seed}:"
    sha256 = hashlib.sha256
    lottery = {c.id: sha256((prefix + c.id).encode()).hexdigest() for c in candidates}
    eligible = _by_priority([c for c in candidates if c.eligible], lottery)
    n_cell = Counter((c.area, c.sector) for c in eligible)
    n_area: Counter[str] = Counter()
    n_sector: Counter[str] = Counter()
    for (area, sector), n in n_cell.items():
        n_area[area] += n
        n_sector[sector] += n

    # Area quotas.
    area_weight: dict[str, int] = defaultdict(int)
    for (area, _), count in params.register_counts.items():
        area_weight[area] += count
    areas = sorted(set(n_area) | {a for a, w in area_weight.items() if w > 0})
    weights = {a: float(area_weight.get(a, 0)) for a in areas}
    minimum = dict.fromkeys(areas, params.min_per_area)
    area_quota = apportion(seats, weights, lower=minimum, upper={a: n_area[a] for a in areas})
    area_own = apportion(seats, weights, lower=minimum)
    total_weight = sum(weights.values())
    area_entitlement = {
        a: (seats * weights[a] / total_weight if total_weight > 0 else 0.0) for a in areas
    }
    wanted_minimum = sum(min(params.min_per_area, n_area[a]) for a in areas)
    if wanted_minimum > seats:
        notes.append(
            f"{seats} seats cannot give every kecamatan its minimum of {params.min_per_area} "
            f"({wanted_minimum} needed): seats were shared in proportion to the minimums"
        )

    # Sector and cell quotas.
    sector_quota: dict[str, int] = {}
    sector_own: dict[str, int] = {}
    sector_entitlement: dict[str, float] = {}
    sector_given: dict[str, int] = {}
    if by_sector:
        shares = params.sector_shares or {}
        sector_weights = {s: float(shares.get(s, 0.0)) for s in sorted(n_sector)}
        sector_quota = apportion(seats, sector_weights, upper=dict(n_sector))
        sector_own = apportion(seats, sector_weights)
        share_total = sum(sector_weights.values())
        sector_entitlement = {
            s: (seats * w / share_total if share_total > 0 else 0.0)
            for s, w in sector_weights.items()
        }
        cell_quota, cell_notes = _cell_quotas(
            area_quota, sector_quota, n_cell, params.register_counts
        )
        notes.extend(cell_notes)
        for (_, s), x in cell_quota.items():
            sector_given[s] = sector_given.get(s, 0) + x
        sector_given = {s: sector_given.get(s, 0) for s in sorted(n_sector)}
        short = {s: q - sector_given[s] for s, q in sector_quota.items() if sector_given[s] != q}
        if short:
            notes.append(
                "sector quotas could not all be met without breaking kecamatan quotas "
                "(kecamatan take precedence); quota minus seats given: "
                + ", ".join(f"{s or '(unknown)'} {d:+d}" for s, d in sorted(short.items()))
            )
    else:
        cell_quota = {(a, ""): q for a, q in area_quota.items()}

    # Selection: one pass over the global priority order fills each cell from the top.
    taken: dict[Cell, int] = {}
    rank_in_cell: dict[str, int] = {}
    selected: list[Candidate] = []
    waiting: list[Candidate] = []
    for c in eligible:
        cell = (c.area, c.sector if by_sector else "")
        rank = taken[cell] = taken.get(cell, 0) + 1
        rank_in_cell[c.id] = rank
        if rank <= cell_quota.get(cell, 0):
            selected.append(c)
        else:
            waiting.append(c)

    # Safety net: unfilled seats flow back to areas with waiting candidates.
    flowed: set[str] = set()
    unfilled = min(seats, len(eligible)) - len(selected)
    if unfilled > 0 and waiting:
        room = Counter(c.area for c in waiting)
        extra = apportion(
            unfilled, {a: float(area_weight.get(a, 0)) for a in sorted(room)}, upper=dict(room)
        )
        given: Counter[str] = Counter()
        still: list[Candidate] = []
        for c in waiting:
            if given[c.area] < extra[c.area]:
                given[c.area] += 1
                flowed.add(c.id)
            else:
                still.append(c)
        for area, more in given.items():
            area_quota[area] = area_quota.get(area, 0) + more
        notes.append(f"{sum(given.values())} unfilled seats flowed back to waiting candidates")
        selected = _by_priority([*selected, *(c for c in waiting if c.id in flowed)], lottery)
        waiting = still
    unused = seats - len(selected)

    # Overflow: selected candidates ranked below their area's (sector's) own share.
    area_keep = {a: min(area_quota.get(a, 0), area_own.get(a, 0)) for a in area_quota}
    sector_keep = {s: min(sector_given.get(s, 0), sector_own.get(s, 0)) for s in sector_given}
    seen_area: Counter[str] = Counter()
    seen_sector: Counter[str] = Counter()
    decisions: list[Decision] = []
    for position, c in enumerate(selected, start=1):
        seen_area[c.area] += 1
        over = c.id in flowed or seen_area[c.area] > area_keep.get(c.area, 0)
        if by_sector:
            seen_sector[c.sector] += 1
            over = over or seen_sector[c.sector] > sector_keep.get(c.sector, 0)
        quota = (c.area, c.sector if by_sector else "")
        decisions.append(
            _decision(c, Outcome.SELECTED, position, quota, over, lottery[c.id], rank_in_cell[c.id])
        )
    nowhere = ("", "")
    for position, c in enumerate(waiting, start=1):
        decisions.append(
            _decision(
                c, Outcome.WAITLISTED, position, nowhere, False, lottery[c.id], rank_in_cell[c.id]
            )
        )
    for c in sorted((c for c in candidates if not c.eligible), key=lambda c: c.id):
        decisions.append(
            _decision(c, Outcome.INELIGIBLE, None, nowhere, False, lottery[c.id], None)
        )
    return Allocation(
        decisions=tuple(decisions),
        area_entitlement=area_entitlement,
        area_quota=dict(area_quota),
        sector_quota=sector_quota,
        cell_quota=dict(sorted(cell_quota.items())),
        unused_seats=unused,
        sector_entitlement=sector_entitlement,
        sector_given=sector_given,
        notes=tuple(notes),
    )
