"""Benchmark metrics for record linkage: pairwise precision/recall/F1, blocking recall,
peak memory and a stopwatch (pure functions; DuckDB only where a connection is passed in).

Pairwise scores compare two clusterings of the same records. A *pair* is an unordered pair
of distinct records in the same cluster. With ``n`` records in a cluster there are
``n * (n - 1) / 2`` pairs, so the counts come from cluster sizes and never list pairs:

* predicted pairs = sum over predicted clusters,
* true pairs = sum over true clusters,
* true positives = sum over the cells of the contingency table (predicted cluster, true
  cluster), i.e. pairs both clusterings put together.

Conventions (the same in :func:`pairwise_scores` and :func:`pairwise_scores_sql`):

* The records scored are the records of ``truth``. A record missing from ``predicted``, or
  whose predicted cluster is ``None``/NULL, is a singleton there; a ``None`` true cluster is
  a singleton in the truth (a record known to have no duplicate). A record in ``predicted``
  but not in ``truth`` is an error (the Python variant raises ``ValueError``).
* precision = 1 when nothing is predicted to match (no claim, no false claim);
  recall = 1 when nothing truly matches; F1 = 0 when precision + recall = 0. So two
  clusterings that are both all-singletons score 1, 1, 1.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Scores",
    "Stopwatch",
    "blocking_recall",
    "pairwise_scores",
    "pairwise_scores_sql",
    "current_rss_mb",
    "peak_rss_mb",
    "scores_from_counts",
]


@dataclass(frozen=True)
class Scores:
    """Pairwise counts and the scores computed from them."""

    tp: int
    predicted_pairs: int
    true_pairs: int
    precision: float
    recall: float
    f1: float

    @property
    def fp(self) -> int:
        return self.predicted_pairs - self.tp

    @property
    def fn(self) -> int:
        return self.true_pairs - self.tp

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "predicted_pairs": self.predicted_pairs,
            "true_pairs": self.true_pairs,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def scores_from_counts(tp: int, predicted_pairs: int, true_pairs: int) -> Scores:
    """Precision, recall and F1 from pair counts, with the module's edge-case rules."""
    tp, predicted_pairs, true_pairs = int(tp), int(predicted_pairs), int(true_pairs)
    if not 0 <= tp <= min(predicted_pairs, true_pairs):
        raise ValueError(
            f"inconsistent counts: tp={tp}, predicted={predicted_pairs}, true={true_pairs}"
        )
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return Scores(tp, predicted_pairs, true_pairs, precision, recall, f1)


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def pairwise_scores(
    predicted: Mapping[str, Hashable | None], truth: Mapping[str, Hashable | None]
) -> Scores:
    """Pairwise precision, recall and F1 of ``predicted`` against ``truth``, both
    ``record_id -> cluster id`` (conventions: module docstring). Linear time: about a second
    per million records."""
    extra = predicted.keys() - truth.keys()
    if extra:
        sample = sorted(map(str, extra))[:3]
        raise ValueError(f"{len(extra)} predicted record(s) not in the truth, e.g. {sample}")
    cells: Counter[tuple[Hashable, Hashable]] = Counter()
    predicted_sizes: Counter[Hashable] = Counter()
    true_sizes: Counter[Hashable] = Counter()
    get = predicted.get
    for record_id, true_cluster in truth.items():
        cluster = get(record_id)
        if true_cluster is not None:
            true_sizes[true_cluster] += 1
        if cluster is not None:
            predicted_sizes[cluster] += 1
            if true_cluster is not None:
                cells[(cluster, true_cluster)] += 1
    return scores_from_counts(
        _pairs(cells.values()),
        _pairs(predicted_sizes.values()),
        _pairs(true_sizes.values()),
    )


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pairwise_scores_sql(con: Any, table: str, predicted_col: str, truth_col: str) -> Scores:
    """:func:`pairwise_scores` inside DuckDB: ``table`` holds one row per record with its
    predicted and true cluster ids (NULL = singleton). ``table`` is a table or view name
    (used as is, so it may be qualified); the column names are quoted."""
    p, t = _ident(predicted_col), _ident(truth_col)
    row = con.execute(
        f"""
        WITH base AS (SELECT {p} AS p, {t} AS t FROM {table}),
        cells AS (SELECT count(*)::HUGEINT AS n FROM base
                  WHERE p IS NOT NULL AND t IS NOT NULL GROUP BY p, t),
        ps AS (SELECT count(*)::HUGEINT AS n FROM base WHERE p IS NOT NULL GROUP BY p),
        ts AS (SELECT count(*)::HUGEINT AS n FROM base WHERE t IS NOT NULL GROUP BY t)
        SELECT (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM cells),
               (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM ps),
               (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM ts)
        """  # noqa: S608 (identifiers quoted; the table name is the caller's)
    ).fetchall()[0]
    return scores_from_counts(int(row[0]), int(row[1]), int(row[2]))


def blocking_recall(
    con: Any,
    pairs_table: str,
    records_table: str,
    *,
    truth_col: str = "truth",
    id_col: str = "record_id",
    left_col: str = "record_id_l",
    right_col: str = "record_id_r",
) -> tuple[float, int, int]:
    """The share of true pairs among the candidate pairs of ``pairs_table``.

    ``records_table`` holds one row per record (``id_col``, ``truth_col``; NULL truth =
    singleton); ``pairs_table`` holds candidate pairs (``left_col``, ``right_col``) in either
    order, duplicates allowed. Returns ``(recall, true pairs found, true pairs)``; recall is 1
    when there are no true pairs."""
    i, t = _ident(id_col), _ident(truth_col)
    lc, rc = _ident(left_col), _ident(right_col)
    found, total = con.execute(
        f"""
        WITH truth AS (SELECT {i} AS id, {t} AS t FROM {records_table} WHERE {t} IS NOT NULL),
        pairs AS (
            SELECT DISTINCT least({lc}, {rc}) AS a, greatest({lc}, {rc}) AS b
            FROM {pairs_table} WHERE {lc} <> {rc}
        )
        SELECT (SELECT count(*) FROM pairs
                JOIN truth ta ON ta.id = pairs.a JOIN truth tb ON tb.id = pairs.b
                WHERE ta.t = tb.t),
               (SELECT coalesce(sum(n * (n - 1) // 2), 0)
                FROM (SELECT count(*)::HUGEINT AS n FROM truth GROUP BY t))
        """  # noqa: S608 (identifiers quoted; table names are the caller's)
    ).fetchall()[0]
    found, total = int(found), int(total)
    return (found / total if total else 1.0), found, total


def peak_rss_mb() -> float:
    """The peak resident set size of *this process* so far, in MiB (``ru_maxrss``: a
    high-water mark over the process's whole life, never reset; run each measured job in a
    fresh process to get its own peak). Children are not included."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float | None:
    """The current resident set size in MiB (Linux ``/proc``), or ``None`` elsewhere."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


@dataclass
class Stopwatch:
    """Wall-clock timing of named steps::

    watch = Stopwatch()
    with watch.lap("predict"):
        ...
    watch.laps  # {"predict": 1.23}
    watch.total  # seconds since the stopwatch was made
    """

    started: float = field(default_factory=time.perf_counter)
    laps: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def lap(self, name: str) -> Iterator[None]:
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.laps[name] = self.laps.get(name, 0.0) + time.perf_counter() - begun

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started
