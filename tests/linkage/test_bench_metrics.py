"""bench.linkage.metrics: pairwise scores (Python and DuckDB), blocking recall, helpers."""

from __future__ import annotations

import itertools
import time

import duckdb
import pyarrow as pa
import pytest
from bench.linkage.metrics import (
    Scores,
    Stopwatch,
    blocking_recall,
    pairwise_scores,
    pairwise_scores_sql,
    peak_rss_mb,
    scores_from_counts,
)
from hypothesis import given, settings
from hypothesis import strategies as st


def _brute(predicted: dict, truth: dict) -> tuple[int, int, int]:
    """Pairs listed one by one (the definition), for small inputs."""
    tp = pp = tt = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same_p = predicted.get(a) is not None and predicted.get(a) == predicted.get(b)
        same_t = truth[a] is not None and truth[a] == truth[b]
        pp += same_p
        tt += same_t
        tp += same_p and same_t
    return tp, pp, tt


_CON = duckdb.connect()


def _sql(predicted: dict, truth: dict) -> Scores:
    ids = list(truth)
    table = pa.table(
        {
            "record_id": pa.array(ids, pa.string()),
            "pred": pa.array(
                [None if predicted.get(r) is None else str(predicted[r]) for r in ids],
                pa.string(),
            ),
            "truth": pa.array([truth[r] for r in ids], pa.string()),
        }
    )
    _CON.register("r", table)
    try:
        return pairwise_scores_sql(_CON, "r", "pred", "truth")
    finally:
        _CON.unregister("r")


def test_hand_computed_case() -> None:
    # truth: {a b c} {d e} {f}  -> 3 + 1 = 4 true pairs
    # predicted: {a b} {c d e f} -> 1 + 6 = 7 predicted pairs
    # cells: (P1,T1)=2 -> 1; (P2,T1)=1; (P2,T2)=2 -> 1; (P2,T3)=1  -> tp = 2
    truth = {"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2", "f": "T3"}
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2, "f": 2}
    scores = pairwise_scores(predicted, truth)
    assert (scores.tp, scores.predicted_pairs, scores.true_pairs) == (2, 7, 4)
    assert scores.precision == pytest.approx(2 / 7)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(2 * (2 / 7) * 0.5 / (2 / 7 + 0.5))
    assert (scores.fp, scores.fn) == (5, 2)
    assert _sql(predicted, truth) == scores


def test_perfect_and_all_singletons() -> None:
    truth = {"a": "x", "b": "x", "c": "y"}
    assert pairwise_scores(truth, truth) == Scores(1, 1, 1, 1.0, 1.0, 1.0)
    singletons = {"a": "1", "b": "2", "c": "3"}
    # Nothing predicted: precision 1 by convention, recall 0.
    assert pairwise_scores(singletons, truth) == Scores(0, 0, 1, 1.0, 0.0, 0.0)
    # Nothing to find and nothing claimed: perfect.
    assert pairwise_scores(singletons, {"a": "1", "b": "2", "c": "3"}).f1 == 1.0
    # Something claimed where nothing matches: precision 0, recall 1, F1 0.
    assert pairwise_scores(truth, singletons) == Scores(0, 1, 0, 0.0, 1.0, 0.0)


def test_empty_inputs() -> None:
    assert pairwise_scores({}, {}) == Scores(0, 0, 0, 1.0, 1.0, 1.0)
    assert _sql({}, {}) == Scores(0, 0, 0, 1.0, 1.0, 1.0)


def test_missing_and_none_are_singletons() -> None:
    truth = {"a": "x", "b": "x", "c": "x", "d": None, "e": None}
    predicted = {"a": 1, "b": 1, "d": 2, "e": 2}  # c missing: a singleton
    scores = pairwise_scores(predicted, truth)
    # predicted pairs: ab, de; true pairs: ab, ac, bc (None truth never pairs).
    assert (scores.tp, scores.predicted_pairs, scores.true_pairs) == (1, 2, 3)
    assert pairwise_scores({"a": None, "b": None}, {"a": "x", "b": "x"}).tp == 0
    assert _sql(predicted, truth) == scores


def test_predicted_record_not_in_truth_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the truth"):
        pairwise_scores({"a": 1, "zz": 1}, {"a": "x"})


def test_counts_are_checked() -> None:
    with pytest.raises(ValueError):
        scores_from_counts(5, 4, 10)


clusterings = st.dictionaries(
    st.integers(0, 40).map(lambda i: f"r{i}"),
    st.tuples(st.integers(0, 5), st.one_of(st.none(), st.integers(0, 5))),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(clusterings)
def test_matches_the_definition_and_sql(data: dict) -> None:
    truth = {rid: (None if t is None else f"t{t}") for rid, (_, t) in data.items()}
    predicted = {rid: p for rid, (p, _) in data.items() if p != 0}  # 0: left out
    scores = pairwise_scores(predicted, truth)
    assert (scores.tp, scores.predicted_pairs, scores.true_pairs) == _brute(predicted, truth)
    assert 0.0 <= scores.f1 <= 1.0
    assert _sql(predicted, truth) == scores


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 6), max_size=40))
def test_truth_against_itself_is_perfect(truth: dict) -> None:
    scores = pairwise_scores(truth, truth)
    assert scores.precision == scores.recall == scores.f1 == 1.0
    assert scores.tp == scores.predicted_pairs == scores.true_pairs


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 6), max_size=40))
def test_symmetry(truth: dict) -> None:
    # Swapping roles swaps precision and recall (relabelled clusters change nothing).
    relabelled = {rid: f"c{(c * 7) % 5}" for rid, c in truth.items()}
    forward = pairwise_scores(relabelled, truth)
    backward = pairwise_scores(truth, relabelled)
    assert forward.tp == backward.tp
    assert forward.precision == backward.recall
    assert forward.f1 == pytest.approx(backward.f1)


def test_quoted_identifiers_in_sql() -> None:
    con = duckdb.connect()
    con.execute('CREATE TABLE "my table" ("pred col" INTEGER, "true col" VARCHAR)')
    con.execute("INSERT INTO \"my table\" VALUES (1, 'a'), (1, 'a'), (2, 'a'), (NULL, 'b')")
    scores = pairwise_scores_sql(con, '"my table"', "pred col", "true col")
    assert (scores.tp, scores.predicted_pairs, scores.true_pairs) == (1, 1, 3)


def test_large_input_is_linear() -> None:
    # A coarse guard against anything quadratic (a million records take about a second).
    n = 100_000
    truth = {f"r{i}": i // 4 for i in range(n)}
    predicted = {f"r{i}": i // 2 for i in range(n)}
    started = time.perf_counter()
    scores = pairwise_scores(predicted, truth)
    assert time.perf_counter() - started < 5.0
    assert (scores.tp, scores.predicted_pairs, scores.true_pairs) == (n // 2, n // 2, 3 * n // 2)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(1 / 3)


def test_blocking_recall() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE recs (record_id VARCHAR, truth VARCHAR)")
    con.execute(
        "INSERT INTO recs VALUES ('a', 'x'), ('b', 'x'), ('c', 'x'), ('d', 'y'), ('e', NULL)"
    )
    con.execute("CREATE TABLE pairs (record_id_l VARCHAR, record_id_r VARCHAR)")
    # ab twice (both orders), ad (not a true pair), de (e has no truth), aa (self).
    con.execute(
        "INSERT INTO pairs VALUES ('a', 'b'), ('b', 'a'), ('a', 'd'), ('d', 'e'), ('a', 'a')"
    )
    assert blocking_recall(con, "pairs", "recs") == (pytest.approx(1 / 3), 1, 3)
    con.execute("DELETE FROM recs WHERE truth = 'x'")
    assert blocking_recall(con, "pairs", "recs") == (1.0, 0, 0)


def test_stopwatch_and_memory() -> None:
    watch = Stopwatch()
    with watch.lap("a"):
        time.sleep(0.01)
    with watch.lap("a"):
        pass
    assert watch.laps["a"] >= 0.01
    assert watch.total >= watch.laps["a"]
    assert peak_rss_mb() > 10
