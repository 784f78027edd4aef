"""The fair-allocation core: apportionment, quotas per kecamatan and sector, the draw."""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from naikkelas.programs.allocation import (
    Allocation,
    Candidate,
    Decision,
    Outcome,
    Params,
    allocate,
    applicant_fingerprint,
    apportion,
    lottery_key,
)

AREAS = ("36.73.01", "36.73.02", "36.73.03", "36.73.04")
SECTORS = ("kuliner", "fesyen", "kriya", "")


def applicants(area: str, sector: str, count: int) -> list[Candidate]:
    """``count`` eligible applicants of one cell, never assisted, equal scores."""
    return [Candidate(f"{area}-{sector}-{i:03d}", area, sector, True) for i in range(count)]


def by_outcome(result: Allocation, outcome: Outcome) -> list[Decision]:
    return [d for d in result.decisions if d.outcome == outcome]


# ---------------------------------------------------------------------------------------------
# apportion: examples


def test_hamilton_textbook_example() -> None:
    # Tannenbaum, Excursions in Modern Mathematics, "Parador": 250 seats, divisor 50,000.
    populations = {
        "Azucar": 1_646_000,
        "Bahia": 6_936_000,
        "Cafe": 154_000,
        "Diamante": 2_091_000,
        "Esmeralda": 685_000,
        "Felicidad": 988_000,
    }
    result = apportion(250, {k: float(v) for k, v in populations.items()})
    assert result == {
        "Azucar": 33,
        "Bahia": 139,
        "Cafe": 3,
        "Diamante": 42,
        "Esmeralda": 13,
        "Felicidad": 20,
    }


def test_hamilton_shows_the_alabama_paradox() -> None:
    # One more seat in total costs the small state a seat: a known property of the method.
    weights = {"A": 6.0, "B": 6.0, "C": 2.0}
    assert apportion(10, weights) == {"A": 4, "B": 4, "C": 2}
    assert apportion(11, weights) == {"A": 5, "B": 5, "C": 1}


def test_ties_go_by_tie_break() -> None:
    assert apportion(1, {"a": 1.0, "b": 1.0}) == {"a": 1, "b": 0}
    reverse = {"a": "2", "b": "1"}
    assert apportion(1, {"a": 1.0, "b": 1.0}, tie_break=reverse.__getitem__) == {"a": 0, "b": 1}


def test_upper_bound_surplus_flows_proportionally() -> None:
    # c is capped at 2; its surplus goes to a and b in proportion 3:1.
    result = apportion(20, {"a": 3.0, "b": 1.0, "c": 4.0}, upper={"c": 2})
    assert result == {"a": 14, "b": 4, "c": 2}  # 18 * 3/4 = 13.5 -> 14 (tie by key), 4.5 -> 4
    assert apportion(20, {"a": 1.0}, upper={"a": 7}) == {"a": 7}  # sum = min(seats, sum upper)


def test_lower_bound_lifts_a_small_key() -> None:
    assert apportion(20, {"big": 95.0, "small": 5.0}) == {"big": 19, "small": 1}
    assert apportion(20, {"big": 95.0, "small": 5.0}, lower={"small": 5}) == {
        "big": 15,
        "small": 5,
    }
    # lower' = min(lower, upper): the small key has only 2 applicants.
    assert apportion(20, {"big": 95.0, "small": 5.0}, lower={"small": 5}, upper={"small": 2}) == {
        "big": 18,
        "small": 2,
    }


def test_unmeetable_minimums_are_shared_in_proportion_to_them() -> None:
    weights = {f"k{i}": float(10 * (i + 1)) for i in range(6)}
    result = apportion(12, weights, lower=dict.fromkeys(weights, 5))
    assert result == dict.fromkeys(weights, 2)
    lower = {"k0": 4, "k1": 4, "k2": 2, "k3": 0, "k4": 0, "k5": 0}
    assert apportion(5, weights, lower=lower) == {
        "k0": 2,
        "k1": 2,
        "k2": 1,
        "k3": 0,
        "k4": 0,
        "k5": 0,
    }


def test_zero_weight_keys_get_only_unused_seats() -> None:
    assert apportion(5, {"a": 1.0, "b": 0.0}) == {"a": 5, "b": 0}
    assert apportion(5, {"a": 1.0, "b": 0.0}, lower={"b": 1}) == {"a": 4, "b": 1}
    assert apportion(5, {"a": 1.0, "b": 0.0}, upper={"a": 3}) == {"a": 3, "b": 2}
    # leftover shared by room: b has 1, c has 5 -> 0.5 and 2.5 -> b 1 (tie by key), c 2
    assert apportion(4, {"a": 1.0, "b": 0.0, "c": 0.0}, upper={"a": 1, "b": 1, "c": 5}) == {
        "a": 1,
        "b": 1,
        "c": 2,
    }
    assert apportion(3, {"a": 0.0, "b": 0.0}) == {"a": 2, "b": 1}
    assert apportion(3, {"a": 5e-324, "b": 0.0}) == {"a": 3, "b": 0}  # exact, even subnormal
    assert apportion(0, {}) == {}
    assert apportion(3, {}) == {}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: apportion(-1, {"a": 1.0}), "seats"),
        (lambda: apportion(1, {"a": -1.0}), "weight"),
        (lambda: apportion(1, {"a": math.nan}), "weight"),
        (lambda: apportion(1, {"a": math.inf}), "weight"),
        (lambda: apportion(1, {"a": 1.0}, lower={"a": -1}), "lower"),
        (lambda: apportion(1, {"a": 1.0}, upper={"b": 1}), "without a weight"),
    ],
)
def test_apportion_rejects_bad_input(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# apportion: properties


def reference_quotas(
    seats: int, weights: Mapping[str, float], lower: Mapping[str, int], upper: Mapping[str, int]
) -> dict[str, float] | None:
    """Continuous water-filling quotas by bisection (None: outside the general case)."""
    low = {k: min(lower.get(k, 0), upper.get(k, 10**9)) for k in weights}
    up = {k: upper.get(k, 10**9) for k in weights}
    target = min(seats, sum(up.values()))
    reachable = sum(up[k] if w > 0 else low[k] for k, w in weights.items())
    if sum(low.values()) >= target or reachable < target:
        return None

    exact = {k: Fraction(w) for k, w in weights.items()}

    def fill(lam: Fraction) -> dict[str, Fraction]:
        return {k: min(max(lam * w, Fraction(low[k])), Fraction(up[k])) for k, w in exact.items()}

    lo, hi = Fraction(0), Fraction(1)
    while sum(fill(hi).values()) < target:
        lo, hi = hi, hi * 2
    for _ in range(100):  # bisection, exact arithmetic: no overflow for tiny weights
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(fill(mid).values()) < target else (lo, mid)
    return {k: float(q) for k, q in fill(hi).items()}


keys_st = st.sampled_from("abcdefg")
weights_st = st.dictionaries(
    keys_st, st.integers(0, 1000).map(float) | st.floats(0, 1000, allow_subnormal=False), max_size=7
)


@settings(max_examples=300, deadline=None)
@given(
    seats=st.integers(0, 300),
    weights=weights_st,
    lower=st.dictionaries(keys_st, st.integers(0, 40), max_size=7),
    upper=st.dictionaries(keys_st, st.integers(0, 80), max_size=7),
)
def test_apportion_properties(
    seats: int, weights: dict[str, float], lower: dict[str, int], upper: dict[str, int]
) -> None:
    lower = {k: v for k, v in lower.items() if k in weights}
    upper = {k: v for k, v in upper.items() if k in weights}
    result = apportion(seats, weights, lower=lower, upper=upper)

    assert set(result) == set(weights)
    bounded = len(upper) == len(weights)
    assert sum(result.values()) == (min(seats, sum(upper.values())) if bounded else seats)
    low = {k: min(lower.get(k, 0), upper.get(k, 10**9)) for k in weights}
    for key, seats_given in result.items():
        assert seats_given <= upper.get(key, 10**9)
        if sum(low.values()) <= seats:
            assert seats_given >= low[key]
    # Quota property: within one seat of the continuous (water-filled) quota.
    quotas = reference_quotas(seats, weights, lower, upper)
    if quotas is not None:
        for key, seats_given in result.items():
            assert abs(seats_given - quotas[key]) < 1 + 1e-6
    # Deterministic, whatever the mapping's order.
    assert apportion(seats, dict(reversed(list(weights.items()))), lower=lower, upper=upper) == (
        result
    )


@settings(max_examples=200, deadline=None)
@given(seats=st.integers(0, 500), weights=weights_st)
def test_unbounded_apportion_is_hamilton(seats: int, weights: dict[str, float]) -> None:
    assume(sum(weights.values()) > 0)
    result = apportion(seats, weights)
    total = sum(weights.values())
    quotas = {k: seats * w / total for k, w in weights.items()}
    assert sum(result.values()) == seats
    for key, q in quotas.items():
        assert math.floor(q) - 1e-9 <= result[key] <= math.ceil(q) + 1e-9


# ---------------------------------------------------------------------------------------------
# The draw


def test_lottery_key_is_sha256_of_seed_and_id() -> None:
    expected = hashlib.sha256(b"2025-umkm:app-1").hexdigest()
    assert lottery_key("2025-umkm", "app-1") == expected


def test_fingerprint_ignores_order_and_sees_changes() -> None:
    rows = [("a", "36.73.01", "kuliner"), ("b", "36.73.02", "")]
    fingerprint = applicant_fingerprint(rows)
    assert fingerprint == applicant_fingerprint(list(reversed(rows)))
    assert fingerprint != applicant_fingerprint(rows[:1])
    # No separator can be forged: ("a,b",) differs from ("a", "b").
    assert applicant_fingerprint([("a,b",)]) != applicant_fingerprint([("a", "b")])
    assert len(fingerprint) == 64
    with pytest.raises(ValueError, match="strings"):
        applicant_fingerprint([("a", 1)])  # type: ignore[list-item]


# ---------------------------------------------------------------------------------------------
# allocate: examples


def test_priority_tiers_then_score_then_lottery() -> None:
    people = [
        Candidate("old-high", "A", "", True, times_assisted=1, score=99.0),
        Candidate("new-low", "A", "", True, times_assisted=0, score=1.0),
        Candidate("new-high", "A", "", True, times_assisted=0, score=50.0),
        Candidate("twice", "A", "", True, times_assisted=2, score=100.0),
    ] + [Candidate(f"tie-{i}", "A", "", True, times_assisted=1, score=5.0) for i in range(4)]
    result = allocate(people, Params(seats=5, seed="s", register_counts={("A", ""): 10}))
    chosen = [d.candidate_id for d in by_outcome(result, Outcome.SELECTED)]
    assert chosen[:3] == ["new-high", "new-low", "old-high"]
    ties = sorted((f"tie-{i}" for i in range(4)), key=lambda i: lottery_key("s", i))
    assert chosen[3:] == ties[:2]
    waiting = [d.candidate_id for d in by_outcome(result, Outcome.WAITLISTED)]
    assert waiting == [*ties[2:], "twice"]
    assert [d.position for d in by_outcome(result, Outcome.WAITLISTED)] == [1, 2, 3]


def test_surplus_of_a_kecamatan_with_few_applicants_flows_to_the_others() -> None:
    register = {("X", ""): 100, ("Y", ""): 100, ("Z", ""): 100}
    people = applicants("X", "", 4) + applicants("Y", "", 50) + applicants("Z", "", 50)
    result = allocate(people, Params(seats=30, seed="s", register_counts=register))
    assert result.area_entitlement == {"X": 10.0, "Y": 10.0, "Z": 10.0}
    assert result.area_quota == {"X": 4, "Y": 13, "Z": 13}
    assert result.unused_seats == 0
    selected = by_outcome(result, Outcome.SELECTED)
    assert Counter(d.area for d in selected) == {"X": 4, "Y": 13, "Z": 13}
    # Y and Z each hold 3 seats that flowed from X: their 3 lowest-ranked selected.
    flowed = Counter(d.area for d in selected if d.overflow)
    assert flowed == {"Y": 3, "Z": 3}
    for area in ("Y", "Z"):
        ranks = sorted((d.rank_in_cell or 0, d.overflow) for d in selected if d.area == area)
        assert [over for _, over in ranks] == [False] * 10 + [True] * 3


def test_min_per_area_lifts_a_small_kecamatan() -> None:
    register = {("big", "kuliner"): 900, ("big", "kriya"): 50, ("small", "kuliner"): 50}
    people = applicants("big", "kuliner", 40) + applicants("small", "kuliner", 10)
    plain = allocate(people, Params(seats=20, seed="s", register_counts=register))
    assert plain.area_quota == {"big": 19, "small": 1}
    lifted = allocate(people, Params(seats=20, seed="s", register_counts=register, min_per_area=5))
    assert lifted.area_quota == {"big": 15, "small": 5}
    assert lifted.area_entitlement == {"big": 19.0, "small": 1.0}
    # A kecamatan in the register with nobody applying gets nothing (its minimum flows on).
    register[("empty", "kuliner")] = 10
    result = allocate(people, Params(seats=20, seed="s", register_counts=register, min_per_area=5))
    assert result.area_quota["empty"] == 0
    assert sum(result.area_quota.values()) == 20


def test_unmeetable_minimums_are_noted() -> None:
    register = {(a, ""): 10 * (i + 1) for i, a in enumerate("ABCDEF")}
    people = [c for a in "ABCDEF" for c in applicants(a, "", 8)]
    result = allocate(people, Params(seats=12, seed="s", register_counts=register, min_per_area=5))
    assert result.area_quota == dict.fromkeys("ABCDEF", 2)
    assert any("minimum" in note for note in result.notes)


def test_sector_shares_met_exactly_when_feasible() -> None:
    register = {
        ("A", "kuliner"): 60,
        ("A", "fesyen"): 40,
        ("B", "kuliner"): 60,
        ("B", "fesyen"): 40,
    }
    people = [c for cell in register for c in applicants(*cell, 20)]
    shares = {"kuliner": 0.6, "fesyen": 0.4}
    result = allocate(
        people, Params(seats=10, seed="s", register_counts=register, sector_shares=shares)
    )
    assert result.area_quota == {"A": 5, "B": 5}
    assert result.sector_quota == {"fesyen": 4, "kuliner": 6}
    assert result.sector_given == result.sector_quota
    assert result.cell_quota == {
        ("A", "fesyen"): 2,
        ("A", "kuliner"): 3,
        ("B", "fesyen"): 2,
        ("B", "kuliner"): 3,
    }
    assert result.notes == ()
    selected = by_outcome(result, Outcome.SELECTED)
    assert Counter((d.quota_area, d.quota_sector) for d in selected) == result.cell_quota
    assert not any(d.overflow for d in selected)


def test_sector_shares_met_by_shifting_seats_between_cells() -> None:
    # Fesyen applicants are all in B: B's seats go to fesyen first, A's to kuliner.
    register = {("A", "kuliner"): 100, ("B", "kuliner"): 90, ("B", "fesyen"): 10}
    people = applicants("A", "kuliner", 10) + applicants("B", "kuliner", 10)
    people += applicants("B", "fesyen", 3)
    shares = {"kuliner": 0.7, "fesyen": 0.3}
    result = allocate(
        people, Params(seats=10, seed="s", register_counts=register, sector_shares=shares)
    )
    assert result.area_quota == {"A": 5, "B": 5}
    assert result.sector_given == {"fesyen": 3, "kuliner": 7}
    assert result.cell_quota == {("A", "kuliner"): 5, ("B", "fesyen"): 3, ("B", "kuliner"): 2}


def test_infeasible_marginals_keep_kecamatan_quotas() -> None:
    # Kriya applicants all live in B, which is owed 1 seat: kecamatan quotas take precedence.
    register = {("A", "kuliner"): 900, ("B", "kriya"): 100}
    people = applicants("A", "kuliner", 20) + applicants("B", "kriya", 5)
    people += applicants("B", "kuliner", 5)
    shares = {"kuliner": 0.5, "kriya": 0.5}
    result = allocate(
        people, Params(seats=10, seed="s", register_counts=register, sector_shares=shares)
    )
    assert result.area_quota == {"A": 9, "B": 1}
    assert result.sector_quota == {"kriya": 5, "kuliner": 5}
    assert result.sector_given == {"kriya": 1, "kuliner": 9}
    assert result.cell_quota == {("A", "kuliner"): 9, ("B", "kriya"): 1, ("B", "kuliner"): 0}
    assert any("kecamatan take precedence" in note for note in result.notes)
    selected = by_outcome(result, Outcome.SELECTED)
    assert Counter(d.area for d in selected) == {"A": 9, "B": 1}
    assert sum(d.overflow for d in selected if d.sector == "kuliner") == 4


def test_sector_without_a_share_only_takes_unused_seats() -> None:
    register = {("A", "kuliner"): 50, ("A", "fesyen"): 50}
    people = applicants("A", "kuliner", 3) + applicants("A", "fesyen", 10)
    result = allocate(
        people,
        Params(seats=5, seed="s", register_counts=register, sector_shares={"kuliner": 1.0}),
    )
    assert result.sector_quota == {"fesyen": 2, "kuliner": 3}
    assert result.sector_entitlement == {"fesyen": 0.0, "kuliner": 5.0}
    selected = by_outcome(result, Outcome.SELECTED)
    assert {d.candidate_id for d in selected if d.overflow} == {
        d.candidate_id for d in selected if d.sector == "fesyen"
    }


def test_everyone_selected_when_seats_exceed_applicants() -> None:
    people = applicants("A", "", 3) + [Candidate("no", "A", "", False)]
    result = allocate(people, Params(seats=10, seed="s", register_counts={("A", ""): 5}))
    assert result.unused_seats == 7
    assert [d.outcome for d in result.decisions] == [Outcome.SELECTED] * 3 + [Outcome.INELIGIBLE]
    assert result.decisions[-1].position is None
    empty = allocate([], Params(seats=10, seed="s", register_counts={}))
    assert empty.decisions == () and empty.unused_seats == 10


def test_quotas_do_not_depend_on_the_seed() -> None:
    rng = random.Random(7)
    people = [
        Candidate(f"c{i}", rng.choice(AREAS), rng.choice(SECTORS), rng.random() > 0.2)
        for i in range(300)
    ]
    register = {(a, s): rng.randint(1, 50) for a in AREAS for s in SECTORS}
    shares = {"kuliner": 0.5, "fesyen": 0.3, "kriya": 0.2}

    def run(seed: str) -> Allocation:
        params = Params(30, seed, register, min_per_area=2, sector_shares=shares)
        return allocate(people, params)

    one, two = run("2025-a"), run("2025-b")
    assert one.area_quota == two.area_quota and one.cell_quota == two.cell_quota
    assert [d.candidate_id for d in one.decisions] != [d.candidate_id for d in two.decisions]


@pytest.mark.parametrize(
    ("people", "params", "message"),
    [
        ([], Params(-1, "s", {}), "seats"),
        ([], Params(1, "s", {}, min_per_area=-1), "min_per_area"),
        ([], Params(1, "s", {("A", ""): -3}), "register count"),
        ([], Params(1, "s", {}, sector_shares={"kuliner": -0.5}), "sector share"),
        ([], Params(1, "s", {}, sector_shares={"kuliner": math.nan}), "sector share"),
        (
            [Candidate("x", "A", "", True), Candidate("x", "B", "", False)],
            Params(1, "s", {}),
            "duplicate candidate ids",
        ),
        ([Candidate("x", "A", "", True, score=math.nan)], Params(1, "s", {}), "score"),
        ([Candidate("x", "A", "", True, times_assisted=-1)], Params(1, "s", {}), "times_assisted"),
    ],
)
def test_allocate_rejects_bad_input(people: list[Candidate], params: Params, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(people, params)


def test_fifty_thousand_candidates_in_well_under_a_few_seconds() -> None:
    rng = random.Random(3673)
    areas = [f"36.73.0{i}" for i in range(1, 7)]
    sectors = ["kuliner", "perdagangan", "jasa", "fesyen", "kriya", "pertanian", "lainnya", ""]
    people = [
        Candidate(
            f"{i:08x}",
            rng.choice(areas),
            rng.choice(sectors),
            rng.random() > 0.2,
            rng.choice((0, 0, 0, 1, 2)),
            float(rng.randint(0, 100)),
        )
        for i in range(50_000)
    ]
    register = {(a, s): rng.randint(10, 5000) for a in areas for s in sectors}
    params = Params(200, "bench", register, 5, {"kuliner": 0.5, "fesyen": 0.3, "kriya": 0.2})
    result = allocate(people, params)  # speed is measured in bench/programs_allocation.py
    check_invariants(people, params, result)


# ---------------------------------------------------------------------------------------------
# allocate: properties


def check_invariants(people: list[Candidate], params: Params, result: Allocation) -> None:
    by_id = {c.id: c for c in people}
    ids = [d.candidate_id for d in result.decisions]
    assert sorted(ids) == sorted(by_id)  # exactly one decision each
    selected = by_outcome(result, Outcome.SELECTED)
    waiting = by_outcome(result, Outcome.WAITLISTED)
    ineligible = by_outcome(result, Outcome.INELIGIBLE)
    assert result.decisions == (*selected, *waiting, *ineligible)  # order of the tuple
    assert [d.candidate_id for d in ineligible] == sorted(d.candidate_id for d in ineligible)
    assert all(not by_id[d.candidate_id].eligible for d in ineligible)
    assert all(by_id[d.candidate_id].eligible for d in selected + waiting)
    assert [d.position for d in selected] == list(range(1, len(selected) + 1))
    assert [d.position for d in waiting] == list(range(1, len(waiting) + 1))

    def key(d: Decision) -> tuple[int, float, str]:
        c = by_id[d.candidate_id]
        return (c.times_assisted, -c.score, d.lottery)

    assert [key(d) for d in selected] == sorted(key(d) for d in selected)
    assert [key(d) for d in waiting] == sorted(key(d) for d in waiting)
    assert all(d.lottery == lottery_key(params.seed, d.candidate_id) for d in result.decisions)

    # Capacity, sums and the flow-back invariant.
    eligible = [c for c in people if c.eligible]
    assert len(selected) <= params.seats
    assert len(selected) == min(params.seats, len(eligible))
    if waiting:
        assert len(selected) == params.seats
    assert result.unused_seats == params.seats - len(selected)
    assert result.unused_seats == 0 or not waiting
    by_sector = bool(params.sector_shares)
    n_cell = Counter((c.area, c.sector if by_sector else "") for c in eligible)
    n_area = Counter(c.area for c in eligible)
    got_cell = Counter((d.area, d.sector if by_sector else "") for d in selected)
    assert sum(result.cell_quota.values()) == len(selected)
    for cell, quota in result.cell_quota.items():
        assert got_cell[cell] == quota <= n_cell[cell]
    assert Counter(d.area for d in selected) == +Counter(result.area_quota)
    assert sum(result.area_quota.values()) == len(selected)
    assert all(d.quota_area == d.area for d in selected)
    assert all(d.quota_sector == (d.sector if by_sector else "") for d in selected)
    if by_sector:
        assert sum(result.sector_quota.values()) == len(selected)
        assert Counter(d.sector for d in selected) == +Counter(result.sector_given)
        if not any("sector" in note for note in result.notes):
            assert result.sector_given == result.sector_quota
    else:
        assert result.sector_quota == {} and result.sector_given == {}

    # Lower bounds met when feasible.
    wanted = {a: min(params.min_per_area, n_area[a]) for a in result.area_quota}
    if sum(wanted.values()) <= params.seats:
        assert all(result.area_quota[a] >= wanted[a] for a in result.area_quota)

    # Tier order inside each cell: the selected are exactly the cell's top candidates.
    cells: dict[tuple[str, str], list[Decision]] = {}
    for d in selected + waiting:
        cells.setdefault((d.area, d.sector if by_sector else ""), []).append(d)
    for members in cells.values():
        members.sort(key=key)
        outcomes = [d.outcome for d in members]
        assert outcomes == sorted(outcomes, key=lambda o: o != Outcome.SELECTED)
        assert [d.rank_in_cell for d in members] == list(range(1, len(members) + 1))
        chosen = [d for d in members if d.outcome == Outcome.SELECTED]
        others = [d for d in members if d.outcome == Outcome.WAITLISTED]
        if chosen and others:
            worst = max(key(d)[:2] for d in chosen)
            assert all(not (key(d)[:2] < worst) for d in others)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Candidate], Params]:
    count = draw(st.integers(0, 40))
    people = [
        Candidate(
            id=f"app-{i}",
            area=draw(st.sampled_from(AREAS)),
            sector=draw(st.sampled_from(SECTORS)),
            eligible=draw(st.booleans() | st.just(True)),
            times_assisted=draw(st.integers(0, 3)),
            score=draw(st.sampled_from((0.0, 1.0, 2.5, 10.0))),
        )
        for i in range(count)
    ]
    register = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(AREAS), st.sampled_from(SECTORS)), st.integers(0, 60)
        )
    )
    shares = draw(
        st.none()
        | st.dictionaries(
            st.sampled_from(SECTORS[:3] + ("jasa",)), st.floats(0, 1), min_size=1, max_size=4
        )
    )
    params = Params(
        seats=draw(st.integers(0, 30)),
        seed=draw(st.sampled_from(("2025-1", "umkm", ""))),
        register_counts=register,
        min_per_area=draw(st.integers(0, 6)),
        sector_shares=shares,
    )
    return people, params


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(), shuffle_seed=st.integers(0, 2**32 - 1))
def test_allocate_properties(instance: tuple[list[Candidate], Params], shuffle_seed: int) -> None:
    people, params = instance
    result = allocate(people, params)
    check_invariants(people, params, result)
    # Deterministic and independent of the input order.
    shuffled = list(people)
    random.Random(shuffle_seed).shuffle(shuffled)
    assert allocate(shuffled, params) == result


@settings(max_examples=100, deadline=None)
@given(
    weights=st.lists(st.integers(1, 1000), min_size=1, max_size=6),
    seats=st.integers(0, 60),
)
def test_area_quota_within_one_seat_of_entitlement(weights: list[int], seats: int) -> None:
    # No bound binds: no minimum, and every kecamatan has applicants enough for all seats.
    register = {(AREAS[i % 4] + f".{i}", ""): w for i, w in enumerate(weights)}
    people = [c for (area, _) in register for c in applicants(area, "", seats)]
    result = allocate(people, Params(seats, "s", register))
    for area, quota in result.area_quota.items():
        assert abs(quota - result.area_entitlement[area]) < 1
    assert not any(d.overflow for d in result.decisions)
