"""Batch linkage of a whole file or register: Splink on DuckDB (no Django, no ORM).

load (feature rows) -> block (:func:`block`: the candidate pairs, by the model's blocking
keys) -> compare (Splink ``predict`` on those pairs: comparison vectors and weights) -> score
(the owner model and the same-business-given-owner model over the same vectors, in SQL) ->
decide (thresholds) -> cluster (:mod:`linkage.clustering`) at both levels.

Everything runs inside one DuckDB connection, in memory with a memory limit (DuckDB spills
to a temporary directory beyond it), using every core. The outcome's tables can be read
back in chunks (:meth:`LinkOutcome.iter_results`) or written straight to CSV.
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from naikkelas.linkage.clustering import ClusterRules, cluster_array
from naikkelas.linkage.features import FEATURE_COLUMNS
from naikkelas.linkage.model import (
    BLOCKING_KEYS,
    Comparison,
    Level,
    comparisons_for,
    level_key,
)
from naikkelas.linkage.scoring import (
    BUSINESS_COMPARISONS,
    Params,
    load_params,
    other_business_prior,
    related_weight,
)

__all__ = [
    "RESULT_COLUMNS",
    "REVIEW_COLUMNS",
    "LinkOutcome",
    "Thresholds",
    "connect",
    "feature_table",
    "link",
    "load_record_tables",
    "load_records",
]

logger = logging.getLogger(__name__)

RESULT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "cluster_id",
    "match_probability",
    "match_reason",
    "decision",
    "matched_record_id",
    "owner_cluster_id",
    "owner_match_probability",
    "owner_matched_record_id",
)
REVIEW_COLUMNS: tuple[str, ...] = (
    "level",
    "record_id_l",
    "record_id_r",
    "match_probability",
    "match_weight",
    "match_reason",
)
_CHUNK = 100_000
# Sorted-neighbourhood window inside a blocking group above its cap (see block()). Off by
# default: at 1M synthetic records, 1 neighbour gives +0.007 blocking recall and +0.0015 F1
# for 13 % more pairs (ADR 0010); a dense list may want it (``naikkelas link --window``).
_WINDOW = 0
_WINDOW_ORDER = "coalesce(business_name, '') || '|' || coalesce(owner_name, '')"
# Candidate pairs scored by Splink at once (see link()): bounds the memory of a large run.
_PAIRS_PER_PART = 6_000_000
# A record's best pair is reported from this probability up (below: 0, "no candidate"); most
# scored pairs are hopeless and reporting them costs a sort of every pair twice.
_SHOWN = 0.001


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities: at or above ``link`` records are linked automatically; from
    ``review`` up to ``link`` a person decides; below ``review`` a record is new.
    Defaults and their precision/recall: ADR 0010."""

    link: float = 0.95
    review: float = 0.50
    # Surely one owner (owner probability >= ``link``) and a business probability below
    # this: two businesses of one owner, never clustered together. Between this and
    # ``review`` the pair is doubtful (one list's wrong sector on an otherwise identical
    # record lands there) and constrains nothing.
    apart: float = 0.15
    # A business shows up in a handful of lists (kelurahan, training, enumerator, own
    # registration, association): a bigger cluster is more likely a chain of near misses
    # ("Siti Aminah" -> "Siti Aminah" -> ...), so inside one only edges this sure hold.
    large_cluster: int = 8
    large_cluster_link: float = 0.99

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.link < 1.0:
            raise ValueError("thresholds need 0 < review <= link < 1")
        if not 0.0 <= self.apart <= 1.0:
            raise ValueError("thresholds need 0 <= apart <= 1")
        # a review threshold set below the default keeps the doubtful band free of it
        object.__setattr__(self, "apart", min(self.apart, self.review))


def connect(*, memory_limit: str = "3GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a memory limit and a spill directory."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 2)}")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/naikkelas-duckdb'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def feature_table(rows: Iterable[tuple[Any, ...]], *, extra: tuple[str, ...] = ()) -> pa.Table:
    """Feature rows (plus ``extra`` trailing string columns) as an Arrow table, column by
    column: what a worker process hands back to :func:`load_record_tables`."""
    columns = FEATURE_COLUMNS + extra
    values = list(zip(*rows, strict=True)) or [()] * len(columns)
    return pa.Table.from_arrays(
        [pa.array(list(column), type=pa.string()) for column in values],
        schema=pa.schema([(name, pa.string()) for name in columns]),
    )


def load_record_tables(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[pa.Table],
    *,
    extra: tuple[str, ...] = (),
) -> int:
    """Load :func:`feature_table` chunks into the table ``records``, with ``position``: each
    row's 1-based place in the input. Returns the number of rows. Record ids must be
    unique."""
    columns = FEATURE_COLUMNS + extra
    con.execute("DROP TABLE IF EXISTS records")
    con.execute(
        "CREATE TABLE records ("
        + ", ".join(f'"{c}" VARCHAR' for c in columns)
        + ", position BIGINT NOT NULL)"
    )
    total = 0
    for table in tables:
        if table.num_rows == 0:
            continue
        # the row's place in the input: output order and the integer pair key
        positions = pa.array(range(total + 1, total + table.num_rows + 1), type=pa.int64())
        con.register("records_chunk", table.append_column("position", positions))
        con.execute("INSERT INTO records SELECT * FROM records_chunk")
        con.unregister("records_chunk")
        total += table.num_rows
    duplicates = con.execute("SELECT count(*) - count(DISTINCT record_id) FROM records").fetchall()[
        0
    ]
    if duplicates and duplicates[0]:
        raise ValueError(f"{duplicates[0]} duplicate record_id values")
    return total


def load_records(
    con: duckdb.DuckDBPyConnection,
    rows: Iterable[tuple[Any, ...]],
    *,
    extra: tuple[str, ...] = (),
) -> int:
    """Load feature rows (plus ``extra`` trailing string columns, e.g. ground truth) into
    the table ``records``, with ``position``: each row's 1-based place in ``rows``. Returns
    the number of rows. Record ids must be unique."""
    iterator = iter(rows)

    def chunks() -> Iterator[pa.Table]:
        while chunk := list(itertools.islice(iterator, _CHUNK)):
            yield feature_table(chunk, extra=extra)

    return load_record_tables(con, chunks(), extra=extra)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _weight_case(params: Params, comparison: Comparison, prefix: str = "") -> str:
    top = len(comparison.levels)
    whens = [
        f"WHEN {gamma} THEN {params.weight(comparison.name, level_key(comparison, gamma))!r}"
        for gamma in range(0, top + 1)
    ]
    return f"(CASE {prefix}gamma_{comparison.name} {' '.join(whens)} ELSE 0.0 END)"


def _weight_sql(params: Params, prefix: str = "") -> str:
    """SQL for a model's match weight: its prior plus one CASE per comparison."""
    return " + ".join(
        [repr(params.prior_weight)]
        + [_weight_case(params, c, prefix) for c in comparisons_for(params.level)]
    )


def _frequency_levels() -> list[tuple[Comparison, int, Level]]:
    """(comparison, gamma, level) of the levels weighed by their value's frequency."""
    found = []
    for comparison in comparisons_for("business"):
        for index, level in enumerate(comparison.levels):
            if level.tf_column:
                found.append((comparison, len(comparison.levels) - index, level))
    return found


def _frequency_tables(con: duckdb.DuckDBPyConnection, records: int) -> None:
    """``tf_<column>``: each value's share of the records (its chance to agree by luck)."""
    for column in sorted({str(level.tf_column) for _, _, level in _frequency_levels()}):
        con.execute(
            f"CREATE OR REPLACE TABLE tf_{column} AS SELECT {column} AS value, "
            f"count(*)::DOUBLE / {max(records, 1)} AS tf "
            f"FROM records WHERE {column} IS NOT NULL GROUP BY 1"
        )


def _frequency_sql(business: Params) -> tuple[str, str]:
    """(columns, joins) for a ``SELECT ... FROM {source} p``: ``tfw_<comparison>``, the
    frequency adjustment log2(u / tf(value)) of a level's weight (Splink's term-frequency
    adjustment: a rare name agreeing says more than "Siti" does), 0 on other levels. The
    same term applies to both hypotheses of a shared name (same business, same owner)."""
    columns, joins = [], []
    for comparison, gamma, level in _frequency_levels():
        alias, column = f"tf_{comparison.name}", level.tf_column
        u = business.u[comparison.name][level.key]
        columns.append(
            f"(CASE WHEN p.gamma_{comparison.name} = {gamma} AND {alias}.tf > 0 "
            f"THEN log2({u!r} / {alias}.tf) ELSE 0.0 END) AS tfw_{comparison.name}"
        )
        joins.append(f"LEFT JOIN tf_{column} {alias} ON {alias}.value = p.{column}_l")
    return ", ".join(["p.*", *columns]), " ".join(joins)


def _related_sql(given_owner: Params, business: Params) -> str:
    """SQL for log2 r, summed over the business comparisons (see ``scoring.PairScore``)."""
    parts = ["0.0"]
    for comparison in comparisons_for("business"):
        if comparison.name not in BUSINESS_COMPARISONS:
            continue
        whens = []
        for gamma in range(0, len(comparison.levels) + 1):
            key = level_key(comparison, gamma)
            weight = related_weight(given_owner, business, comparison.name, key)
            whens.append(f"WHEN {gamma} THEN {weight!r}")
        parts.append(f"(CASE gamma_{comparison.name} {' '.join(whens)} ELSE 0.0 END)")
    return " + ".join(parts)


def _reason_sql(params: Params, prefix: str = "") -> str:
    """SQL for the explanation text of a pair (as ``Explanation.reason()`` writes it)."""
    adjusted = {(c.name, gamma) for c, gamma, _ in _frequency_levels()}
    parts = []
    for comparison in comparisons_for(params.level):
        top = len(comparison.levels)
        whens = []
        for gamma in range(0, top + 1):
            key = level_key(comparison, gamma)
            weight = params.weight(comparison.name, key)
            if (comparison.name, gamma) in adjusted:  # the weight for this value's frequency
                text = f"{comparison.name}={key} (%+.1f)"
                shown = f"printf({_sql_string(text)}, {weight!r} + {prefix}tfw_{comparison.name})"
            else:
                shown = _sql_string(f"{comparison.name}={key} ({weight:+.1f})")
            whens.append(f"WHEN {gamma} THEN {shown}")
        parts.append(f"(CASE {prefix}gamma_{comparison.name} {' '.join(whens)} END)")
    return f"concat_ws('; ', {', '.join(parts)})"


def block(con: duckdb.DuckDBPyConnection, *, source: str = "records", window: int = _WINDOW) -> int:
    """Table ``blocked_pairs`` (match_key, join_key_l, join_key_r): each pair of records of
    ``source`` sharing one of :data:`model.BLOCKING_KEYS` under its cap, once, by
    ``position`` (left < right); ``match_key`` is the first key the pair shares. Returns the
    number of pairs.

    Under the caps, the same pairs as Splink's blocking with :data:`model.BLOCKING_RULES`
    over the capped ``bk_*`` columns (a test checks it), found in one pass: every record's
    keys go into one long table as 64-bit hashes of (key number, value) and one self-join on
    the hash yields all pairs. Splink instead joins once per rule and excludes, for each
    rule, the pairs of every earlier rule (19 rules: 171 exclusions per pair), several times
    slower at a million records. A hash collision between two different keys can only add a
    pair, never lose one.

    A group above its cap ("Siti Aminah" fifty times in one kelurahan) is not paired in
    full: its records are sorted by business name, then owner name, and each is paired with
    the next ``window`` ones (a sorted neighbourhood), so the records most alike still meet
    while the pairs grow linearly.
    """
    # the window's order (sorting every group costs seconds at 1M: only when it is used)
    order = f", {_WINDOW_ORDER} AS o" if window > 0 else ""
    rank = ", row_number() OVER (PARTITION BY h ORDER BY o, position) AS rank" if window else ""
    keys = " UNION ALL ".join(
        f"SELECT position, {number} AS k, hash({number}, {expression}) AS h{order} "
        f"FROM {source} WHERE ({expression}) IS NOT NULL"
        for number, (_, expression, _) in enumerate(BLOCKING_KEYS)
    )
    caps = " ".join(f"WHEN {n} THEN {cap}" for n, (_, _, cap) in enumerate(BLOCKING_KEYS))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE blocking_keys AS SELECT position, k, h, "
        f"count(*) OVER (PARTITION BY h) > (CASE k {caps} END) AS over{rank} "
        f"FROM ({keys}) QUALIFY count(*) OVER (PARTITION BY h) >= 2"
    )
    con.execute(
        "CREATE OR REPLACE TABLE blocked_pairs AS "
        "SELECT min(k)::UTINYINT AS match_key, l AS join_key_l, r AS join_key_r FROM ("
        "SELECT a.k, a.position AS l, b.position AS r FROM blocking_keys a "
        "JOIN blocking_keys b ON a.h = b.h AND a.position < b.position "
        "WHERE NOT a.over AND NOT b.over"
        + (
            " UNION ALL SELECT a.k, least(a.position, b.position), "
            "greatest(a.position, b.position) FROM "
            f"(SELECT *, unnest(range(rank + 1, rank + {int(window) + 1})) AS next "
            "FROM blocking_keys WHERE over) a "
            "JOIN blocking_keys b ON b.h = a.h AND b.rank = a.next"
            if window > 0
            else ""
        )
        + ") GROUP BY l, r"
    )
    con.execute("DROP TABLE blocking_keys")
    return int(con.execute("SELECT count(*) FROM blocked_pairs").fetchall()[0][0])


@dataclass
class LinkOutcome:
    con: duckdb.DuckDBPyConnection
    records: int
    pairs_scored: int
    business_edges: int
    owner_edges: int
    review_pairs: int
    seconds: dict[str, float] = field(default_factory=dict)

    def iter_results(self, *, chunk: int = _CHUNK) -> Iterator[tuple[Any, ...]]:
        cursor = self.con.execute(
            f"SELECT {', '.join(RESULT_COLUMNS)} FROM results ORDER BY position"
        )
        while batch := cursor.fetchmany(chunk):
            yield from batch

    def iter_review_pairs(self) -> Iterator[dict[str, Any]]:
        cursor = self.con.execute(
            f"SELECT {', '.join(REVIEW_COLUMNS)} FROM review_pairs "
            "ORDER BY level, match_probability DESC"
        )
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                yield dict(zip(REVIEW_COLUMNS, row, strict=True))

    def write_csv(self, path: Path, *, review_path: Path | None = None) -> None:
        self.con.execute(
            f"COPY (SELECT {', '.join(RESULT_COLUMNS)} FROM results ORDER BY position) "
            f"TO {_sql_string(str(path))} (HEADER, DELIMITER ',')"
        )
        if review_path is not None:
            self.con.execute(
                f"COPY (SELECT {', '.join(REVIEW_COLUMNS)} FROM review_pairs "
                "ORDER BY level, match_probability DESC) "
                f"TO {_sql_string(str(review_path))} (HEADER, DELIMITER ',')"
            )


def _write_clusters(con: duckdb.DuckDBPyConnection, out: str, clusters: np.ndarray) -> None:
    """Table ``out`` (record_id, ordinal, cluster_id, cluster_ordinal) for every record, from
    ``clusters[ordinal - 1]``: the cluster's smallest ordinal - 1."""
    clustered = pa.table(
        {
            "ordinal": pa.array(np.arange(1, len(clusters) + 1, dtype=np.int64)),
            "cluster_ordinal": pa.array(clusters + 1),
        }
    )
    con.register("clustered_view", clustered)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {out} AS SELECT i.record_id, i.ordinal, "
            "c.record_id AS cluster_id, c.ordinal AS cluster_ordinal "
            "FROM records_ids i JOIN clustered_view v USING (ordinal) "
            "JOIN records_ids c ON c.ordinal = v.cluster_ordinal"
        )
    finally:
        con.unregister("clustered_view")


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[np.ndarray, np.ndarray]:
    """Two int64 arrays (0-based ordinals) of the (ord_l, ord_r) pairs ``sql`` selects."""
    found = con.execute(sql).fetchnumpy()
    left, right = (np.asarray(found[name], dtype=np.int64) - 1 for name in list(found)[:2])
    return left, right


def _cluster_links(
    con: duckdb.DuckDBPyConnection,
    *,
    links: str,
    out: str,
    rules: ClusterRules,
    apart: str | None = None,
    fixed: str | None = None,
) -> None:
    """Cluster the pairs of table ``links`` (ord_l, ord_r, probability) into table ``out``
    (see :mod:`linkage.clustering`); ``links`` then keeps only the pairs that ended up
    inside one cluster. ``apart`` and ``fixed`` are queries of (ord_l, ord_r) pairs.
    Records are numbered in record-id order (``records_ids.ordinal``): ties are broken and
    clusters named as by record id."""
    nodes = int(con.execute("SELECT count(*) FROM records_ids").fetchall()[0][0])
    edges = con.execute(f"SELECT * FROM {links}").fetchnumpy()
    left, right, probability = (np.asarray(edges[name]) for name in list(edges)[:3])
    niks = con.execute(
        "SELECT i.ordinal - 1 AS node, coalesce(r.nik, r.nik12) AS nik FROM records r "
        "JOIN records_ids i USING (position) "
        f"SEMI JOIN (SELECT ord_l AS id FROM {links} "
        f"UNION SELECT ord_r FROM {links}) e ON e.id = i.ordinal "
        "WHERE r.nik12 IS NOT NULL"
    ).fetchnumpy()
    clusters = cluster_array(
        np.asarray(left, dtype=np.int64) - 1,
        np.asarray(right, dtype=np.int64) - 1,
        np.asarray(probability, dtype=np.float64),
        nodes=nodes,
        niks=(np.asarray(niks["node"], dtype=np.int64), list(niks["nik"])),
        rules=rules,
        fixed=_pairs(con, fixed) if fixed else None,
        apart=_pairs(con, apart) if apart else None,
    )
    _write_clusters(con, out, clusters)
    con.execute(
        f"CREATE OR REPLACE TABLE {links} AS SELECT e.ord_l, e.ord_r "
        f"FROM {links} e JOIN {out} a ON a.ordinal = e.ord_l "
        f"JOIN {out} b ON b.ordinal = e.ord_r WHERE a.cluster_ordinal = b.cluster_ordinal"
    )


def cluster_business(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    """Table ``business_clusters`` from table ``scored``; ``business_edges``: the links kept."""
    link, review = thresholds.link, thresholds.review
    # Links: sure pairs, and pairs surely of one owner that are rather one business than
    # two (the owner's records then join one business unless one of them says otherwise).
    con.execute(
        "CREATE OR REPLACE TABLE business_edges AS SELECT ord_l, ord_r, bp "
        f"FROM scored WHERE bp >= {link!r} OR (op >= {link!r} AND bp >= {review!r})"
    )
    # ... says otherwise: a pair surely of one owner, surely two businesses
    apart = f"SELECT ord_l, ord_r FROM scored WHERE op >= {link!r} AND bp < {thresholds.apart!r}"
    rules = ClusterRules(large=thresholds.large_cluster, large_link=thresholds.large_cluster_link)
    _cluster_links(con, links="business_edges", out="business_clusters", rules=rules, apart=apart)


def cluster_owners(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    """Table ``owner_clusters``: business clusters joined by same-owner links;
    ``owner_edges``: the links kept (business links included)."""
    con.execute(
        "CREATE OR REPLACE TABLE owner_edges AS SELECT ord_l, ord_r, op "
        f"FROM scored WHERE op >= {thresholds.link!r}"
    )
    fixed = (
        "SELECT ordinal, cluster_ordinal FROM business_clusters WHERE ordinal <> cluster_ordinal"
    )
    _cluster_links(
        con, links="owner_edges", out="owner_clusters", rules=ClusterRules(large=None), fixed=fixed
    )
    con.execute(
        "INSERT INTO owner_edges SELECT ord_l, ord_r FROM business_edges "
        "EXCEPT SELECT ord_l, ord_r FROM owner_edges"
    )


def link(
    con: duckdb.DuckDBPyConnection,
    *,
    thresholds: Thresholds | None = None,
    business: Params | None = None,
    owner: Params | None = None,
    given_owner: Params | None = None,
    window: int = _WINDOW,
) -> LinkOutcome:
    """Deduplicate the table ``records`` (see :func:`load_records`) at both levels;
    ``window``: neighbours paired inside an over-cap blocking group (see :func:`block`)."""
    from splink import DuckDBAPI, Linker

    thresholds = thresholds or Thresholds()
    business = business or load_params("business")
    owner = owner or load_params("owner")
    given_owner = given_owner or load_params("given_owner")
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    # ordinal: the record's place in record-id order (clustering breaks ties by it)
    con.execute(
        "CREATE OR REPLACE TABLE records_ids AS SELECT record_id, position, "
        "row_number() OVER (ORDER BY record_id) AS ordinal FROM records"
    )
    records = int(con.execute("SELECT count(*) FROM records").fetchall()[0][0])
    candidates = block(con, window=window)
    seconds["block"] = time.perf_counter() - started
    started = time.perf_counter()
    db_api = DuckDBAPI(connection=con)
    settings = dict(business.splink_settings)
    # pairs by the integer position; the blocking is ours (block()), the same as the rules
    settings["unique_id_column_name"] = "position"
    settings["blocking_rules_to_generate_predictions"] = []
    linker = Linker(db_api.register("records"), settings, log_level=None)
    logger.info("%d candidate pairs", candidates)

    _frequency_tables(con, records)
    tf_columns, tf_joins = _frequency_sql(business)
    tf_names = [f"tfw_{c.name}" for c, _, _ in _frequency_levels()]
    tf_sum = " + ".join(["0.0", *tf_names])
    tf_kept = "".join(f", {name}" for name in tf_names)
    gammas = ", ".join(f"gamma_{c.name}" for c in comparisons_for("business"))
    # Three hypotheses (scoring.PairScore): lb = Splink's match weight (same business),
    # lo = same owner with another business; both against "different owners".
    prior_other = other_business_prior(given_owner)
    seconds["score"] = seconds["decide"] = 0.0
    # Splink's predictions carry both records' columns: scored a few million pairs at a
    # time, each part narrowed to ``scored`` at once, memory stays bounded.
    parts = max(1, -(-candidates // _PAIRS_PER_PART))
    con.execute("DROP TABLE IF EXISTS scored")
    for part in range(parts):
        started = time.perf_counter()
        con.execute(
            "CREATE OR REPLACE TABLE blocked_part AS SELECT * FROM blocked_pairs "
            f"WHERE join_key_l % {parts} = {part}"
        )
        linker.table_management.register_blocked_pairs_for_predict(db_api.register("blocked_part"))
        # Splink's all-comparison model computes each pair's comparison vector and weight;
        # pairs it finds hopeless (below -15 bits, ~1/30,000 odds) are not kept.
        predictions = linker.inference.predict(threshold_match_weight=-15, warning_mode="never")
        seconds["score"] += time.perf_counter() - started
        started = time.perf_counter()
        into = "CREATE TABLE scored AS" if part == 0 else "INSERT INTO scored"
        con.execute(
            f"""
            {into}
            SELECT il.record_id AS record_id_l, ir.record_id AS record_id_r,
                   il.ordinal AS ord_l, ir.ordinal AS ord_r, lb, lo,
                   1.0 / (1.0 + pow(2.0, -lb) + pow(2.0, lo - lb)) AS bp,
                   1.0 / (1.0 + pow(2.0, -(greatest(lb, lo)
                         + log2(1.0 + pow(2.0, least(lb, lo) - greatest(lb, lo)))))) AS op,
                   {gammas}{tf_kept}
            FROM (
                SELECT *, match_weight + {tf_sum} AS lb,
                       {_weight_sql(owner)} + {prior_other!r}
                       + {_related_sql(given_owner, business)} + {tf_sum} AS lo
                FROM (SELECT {tf_columns} FROM {predictions.physical_name} p {tf_joins})
            ) s
            JOIN records_ids il ON il.position = s.position_l
            JOIN records_ids ir ON ir.position = s.position_r
            """
        )
        predictions.drop_table_from_database_and_remove_from_cache()
        seconds["decide"] += time.perf_counter() - started
    con.execute("DROP TABLE blocked_pairs")
    con.execute("DROP TABLE blocked_part")
    started = time.perf_counter()
    pairs = int(con.execute("SELECT count(*) FROM scored").fetchall()[0][0])
    review_p = thresholds.review
    seconds["decide"] += time.perf_counter() - started

    started = time.perf_counter()
    cluster_business(con, thresholds)
    cluster_owners(con, thresholds)
    seconds["cluster"] = time.perf_counter() - started

    started = time.perf_counter()
    reason = _reason_sql(business, "s.")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE review_pairs AS
        SELECT 'business' AS level, s.record_id_l, s.record_id_r,
               s.bp AS match_probability, s.lb AS match_weight, {reason} AS match_reason
        FROM scored s
        JOIN business_clusters cl ON cl.ordinal = s.ord_l
        JOIN business_clusters cr ON cr.ordinal = s.ord_r
        WHERE s.bp >= {review_p!r} AND cl.cluster_ordinal <> cr.cluster_ordinal
        UNION ALL
        SELECT 'owner', s.record_id_l, s.record_id_r, s.op, s.lo, {reason}
        FROM scored s
        JOIN owner_clusters cl ON cl.ordinal = s.ord_l
        JOIN owner_clusters cr ON cr.ordinal = s.ord_r
        WHERE s.op >= {review_p!r} AND s.bp < {review_p!r}
          AND cl.cluster_ordinal <> cr.cluster_ordinal
        """
    )
    # Each record's best pair (by ordinals; ``pair``: the row of ``scored``), then the
    # explanation of only the pairs shown.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sides AS
        SELECT rowid AS pair, ord_l AS node, ord_r AS other, bp, op
        FROM scored WHERE bp >= {_SHOWN!r} OR op >= {_SHOWN!r}
        UNION ALL
        SELECT rowid, ord_r, ord_l, bp, op
        FROM scored WHERE bp >= {_SHOWN!r} OR op >= {_SHOWN!r}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE results AS
        WITH best_business AS MATERIALIZED (  -- the strongest pair inside the record's cluster, else any
            SELECT node, other, bp, pair
            FROM sides
            JOIN business_clusters a ON a.ordinal = sides.node
            JOIN business_clusters b ON b.ordinal = sides.other
            QUALIFY row_number() OVER (
                PARTITION BY node
                ORDER BY a.cluster_ordinal = b.cluster_ordinal DESC, bp DESC, other
            ) = 1
        ),
        explained AS (
            SELECT bb.node, bb.other, bb.bp, {reason} AS reason
            FROM best_business bb JOIN scored s ON s.rowid = bb.pair
            WHERE bb.bp >= {review_p!r}
        ),
        cluster_sizes AS (
            SELECT cluster_ordinal, count(*) AS n FROM business_clusters GROUP BY 1
        ),
        best_owner AS (
            SELECT node, other, op FROM sides
            QUALIFY row_number() OVER (PARTITION BY node ORDER BY op DESC, other) = 1
        )
        SELECT i.position, i.record_id, bc.cluster_id,
               coalesce(bb.bp, 0.0) AS match_probability,
               coalesce(ex.reason, '') AS match_reason,
               CASE WHEN cs.n > 1 THEN 'linked'
                    WHEN bb.bp >= {review_p!r} THEN 'review'
                    ELSE 'new' END AS decision,
               mb.record_id AS matched_record_id,
               oc.cluster_id AS owner_cluster_id,
               coalesce(bo.op, 0.0) AS owner_match_probability,
               CASE WHEN bo.op >= {review_p!r} THEN mo.record_id END AS owner_matched_record_id
        FROM records_ids i
        JOIN business_clusters bc ON bc.ordinal = i.ordinal
        JOIN cluster_sizes cs ON cs.cluster_ordinal = bc.cluster_ordinal
        JOIN owner_clusters oc ON oc.ordinal = i.ordinal
        LEFT JOIN best_business bb ON bb.node = i.ordinal
        LEFT JOIN explained ex ON ex.node = i.ordinal
        LEFT JOIN records_ids mb ON mb.ordinal = ex.other
        LEFT JOIN best_owner bo ON bo.node = i.ordinal
        LEFT JOIN records_ids mo ON mo.ordinal = bo.other
        """
    )
    con.execute("DROP TABLE sides")
    seconds["explain"] = time.perf_counter() - started

    def count(sql: str) -> int:
        return int(con.execute(sql).fetchall()[0][0])

    return LinkOutcome(
        con=con,
        records=records,
        pairs_scored=pairs,
        business_edges=count("SELECT count(*) FROM business_edges"),
        owner_edges=count("SELECT count(*) FROM owner_edges"),
        review_pairs=count("SELECT count(*) FROM review_pairs"),
        seconds=seconds,
    )


def _gamma_sql(comparison: Comparison) -> str:
    top = len(comparison.levels)
    whens = [f"WHEN {comparison.null_sql} THEN -1"]
    whens += [f"WHEN {level.sql} THEN {top - i}" for i, level in enumerate(comparison.levels)]
    return f"CASE {' '.join(whens)} ELSE 0 END"


def comparison_vectors(
    con: duckdb.DuckDBPyConnection, lefts: list[tuple[Any, ...]], rights: list[tuple[Any, ...]]
) -> list[tuple[int, ...]]:
    """The comparison vector (every comparison of the model, in order) of each pair
    ``(lefts[i], rights[i])`` of feature rows, computed by DuckDB with the model's SQL."""
    columns = {}
    for side, rows in (("l", lefts), ("r", rights)):
        for index, name in enumerate(FEATURE_COLUMNS):
            columns[f"{name}_{side}"] = pa.array([row[index] for row in rows], type=pa.string())
    columns["pair"] = pa.array(range(len(lefts)), type=pa.int64())
    con.register("vector_pairs", pa.table(columns))
    try:
        gammas = ", ".join(_gamma_sql(c) for c in comparisons_for("business"))
        found = con.execute(f"SELECT {gammas} FROM vector_pairs ORDER BY pair").fetchall()
    finally:
        con.unregister("vector_pairs")
    return [tuple(int(g) for g in row) for row in found]
