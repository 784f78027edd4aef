"""The baseline: Splink's standard setup, with no Indonesian features.

What "standard" means here (the recipe of Splink's own tutorials, nothing tuned to the
data, nothing we know about Indonesian names, NIKs, phones or addresses):

* **Cleaning**: values are cast to text, lower-cased and stripped; empty means missing.
  No other normalisation (no honorifics, no phone formats, no address parsing).
* **Comparisons**: one per column, straight from ``splink.comparison_library`` by the
  column's kind (:func:`infer_kind`, or the caller's ``kinds``):

  - ``name``: ``cl.NameComparison`` (exact, Jaro-Winkler 0.92 / 0.88 / 0.70) with term
    frequency adjustments, as in Splink's examples;
  - ``identifier``: ``cl.ExactMatch``;
  - ``date``: ``cl.DateOfBirthComparison`` (text input, ``date_format``, invalid dates as
    missing);
  - ``string`` (anything else): ``cl.JaroWinklerAtThresholds`` (exact, 0.9, 0.7).

* **Blocking** (pairs compared at all, unless ``blocking`` is given): exact equality of
  each identifier column, then of each of the first two name columns.
* **Prior** (``probability_two_random_records_match``):
  ``estimate_probability_two_random_records_match`` with deterministic rules -- exact
  equality of each identifier column, and of all name and date columns together -- at a
  nominal recall of 0.8 (the value of Splink's tutorials).
* **u**: random sampling, ``max_pairs`` (1e7) and a fixed ``seed``.
* **m**: expectation maximisation over two blocking rules (by default the first two
  blocking rules on different columns, so every comparison gets estimated in at least
  one session).
* **Decision**: ``predict`` and connected components
  (``linker.clustering.cluster_pairwise_predictions_at_threshold``) at match probability
  0.95.

Scale, measured on ``bench.linkage.generate`` records (columns owner_name, nik,
business_name, phone, address, kelurahan, sector; 2 shared cores): 100,000 records take
about 35 s (6.5 million blocked pairs, peak RSS 0.6 GB); 1,000,000 records take about 22
minutes (658 million pairs -- exact-name blocks grow with the square of the data -- peak
RSS 3.6 GB plus some 17 GB spilled by DuckDB) and the clusters collapse into one giant
component, because Excel-damaged NIKs (``3.67301e+15``) and shared phones are "exact
matches" that chain unrelated businesses together.

Usage::

    clusters = splink_baseline(df, columns=[...], id_column="record_id")
    # {"r1": 17, "r2": 17, "r3": 5, ...}   record id -> cluster id
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import duckdb
import pyarrow as pa
from bench.linkage.metrics import Stopwatch

__all__ = ["DEFAULT_THRESHOLD", "Kind", "baseline_settings", "infer_kind", "splink_baseline"]

logger = logging.getLogger(__name__)

Kind = Literal["name", "identifier", "date", "string"]
DEFAULT_THRESHOLD = 0.95
DETERMINISTIC_RECALL = 0.8

_IDENTIFIER = re.compile(r"(^|_)(nik|nib|npwp|phone|hp|telp|id|ssn|soc_sec_id|email)($|_)")
_DATE = re.compile(r"(^|_)(dob|date|tanggal|birth)($|_)")


def infer_kind(column: str) -> Kind:
    """A column's kind from its name: ``*name*`` is a name; ``nik``, ``nib``, ``phone``,
    ``*_id``, ``email`` ... are identifiers; ``dob``/``*date*`` is a date; the rest are
    strings."""
    lowered = column.lower()
    if _DATE.search(lowered):
        return "date"
    if "name" in lowered:
        return "name"
    if _IDENTIFIER.search(lowered):
        return "identifier"
    return "string"


def _comparison(column: str, kind: Kind, *, date_format: str, tf_names: bool) -> Any:
    import splink.comparison_library as cl

    if kind == "name":
        name = cl.NameComparison(column)
        return name.configure(term_frequency_adjustments=True) if tf_names else name
    if kind == "identifier":
        return cl.ExactMatch(column)
    if kind == "date":
        return cl.DateOfBirthComparison(
            column, input_is_string=True, datetime_format=date_format, invalid_dates_as_null=True
        )
    return cl.JaroWinklerAtThresholds(column)


def _rule(rule: str) -> Any:
    """A blocking rule: SQL (mentions ``l.``) as is, else column names joined by ``+``."""
    from splink import block_on

    if "l." in rule:
        return rule
    return block_on(*[part.strip() for part in rule.split("+")])


def _rule_columns(rule: str) -> frozenset[str]:
    if "l." in rule:
        return frozenset(re.findall(r"\bl\.\"?(\w+)", rule))
    return frozenset(part.strip() for part in rule.split("+"))


def default_blocking(kinds: Mapping[str, Kind]) -> list[str]:
    identifiers = [c for c, k in kinds.items() if k == "identifier"]
    names = [c for c, k in kinds.items() if k == "name"][:2]
    return identifiers + names


def default_deterministic(kinds: Mapping[str, Kind]) -> list[str]:
    rules = [c for c, k in kinds.items() if k == "identifier"]
    together = [c for c, k in kinds.items() if k in ("name", "date")]
    if together:
        rules.append("+".join(together))
    return rules


def default_em_blocking(blocking: Sequence[str]) -> list[str]:
    """The first blocking rule and the next one on other columns."""
    if not blocking:
        raise ValueError("no blocking rules to train on")
    first = blocking[0]
    for rule in blocking[1:]:
        if not _rule_columns(rule) & _rule_columns(first):
            return [first, rule]
    raise ValueError(f"need two blocking rules on different columns, got {list(blocking)}")


def baseline_settings(
    kinds: Mapping[str, Kind],
    *,
    blocking: Sequence[str],
    link_type: str = "dedupe_only",
    date_format: str = "%Y%m%d",
    tf_names: bool = True,
) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            _comparison(column, kind, date_format=date_format, tf_names=tf_names)
            for column, kind in kinds.items()
        ],
        blocking_rules_to_generate_predictions=[_rule(rule) for rule in blocking],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _arrow(records: Any, columns: Sequence[str]) -> pa.Table:
    if isinstance(records, pa.Table):
        return records.select(list(columns))
    if isinstance(records, list):
        return pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in records])
    return pa.Table.from_pandas(records[list(columns)], preserve_index=False)


def _load(
    con: duckdb.DuckDBPyConnection, name: str, records: Any, columns: Sequence[str], id_column: str
) -> int:
    view = f"{name}_arrow"
    con.register(view, _arrow(records, [id_column, *columns]))
    clean = [f'nullif(lower(trim(CAST("{c}" AS VARCHAR))), \'\') AS "{c}"' for c in columns]
    con.execute(f"DROP TABLE IF EXISTS {name}")
    expressions = ", ".join([f'CAST("{id_column}" AS VARCHAR) AS unique_id', *clean])
    con.view(view).select(expressions).create(name)
    con.unregister(view)
    return _count(con, name)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.table(table).aggregate("count(*)").fetchall()[0][0])


def _pairs_to_score(
    inputs: Sequence[Any], blocking: Sequence[str], link_type: str, records: int
) -> int:
    """The number of pairs the blocking rules generate (Splink's count; from a 5% sample of
    records on each side above 200,000 records, so then an estimate)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    counts = count_comparisons_from_blocking_rules(
        list(inputs) if len(inputs) > 1 else inputs[0],
        blocking_rules=[_rule(rule) for rule in blocking],
        link_type=link_type,
        record_sample_proportion=1.0 if records <= 200_000 else 0.05,
    )
    return int(counts[-1]["cumulative_comparison_count"])


def splink_baseline(
    records: Any,
    *,
    columns: Sequence[str],
    id_column: str,
    blocking: Sequence[str] | None = None,
    seed: int = 3673,
    kinds: Mapping[str, Kind] | None = None,
    link_with: Any = None,
    deterministic: Sequence[str] | None = None,
    em_blocking: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    max_pairs: float = 1e7,
    date_format: str = "%Y%m%d",
    con: duckdb.DuckDBPyConnection | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Cluster ``records`` with Splink's standard setup (module docstring); returns
    ``record id -> cluster id`` for every record.

    ``records``: a list of dicts, a pandas DataFrame or a pyarrow Table with ``id_column``
    and ``columns``. ``kinds`` overrides :func:`infer_kind` per column. With ``link_with``
    (a second table of the same shape) the job is ``link_only`` between the two tables;
    record ids must then be unique across both. ``blocking``, ``deterministic`` and
    ``em_blocking`` are rules as SQL (``"l.a = r.a"``) or column names joined by ``+``
    (``"surname+postcode"``). ``details``, when given, receives diagnostics (rules, prior,
    the number of blocked pairs -- counted before scoring, which costs a little --, pairs
    above the threshold, seconds per step).
    """
    from splink import DuckDBAPI, Linker

    from naikkelas.linkage.batch import connect

    kinds = {c: (kinds or {}).get(c) or infer_kind(c) for c in columns}
    blocking = list(blocking) if blocking is not None else default_blocking(kinds)
    deterministic = (
        list(deterministic) if deterministic is not None else default_deterministic(kinds)
    )
    em_blocking = list(em_blocking) if em_blocking is not None else default_em_blocking(blocking)
    link_type = "link_only" if link_with is not None else "dedupe_only"
    watch = Stopwatch()
    con = con or connect()

    with watch.lap("load"):
        n_left = _load(con, "baseline_left", records, columns, id_column)
        tables = ["baseline_left"]
        n_right = 0
        if link_with is not None:
            n_right = _load(con, "baseline_right", link_with, columns, id_column)
            tables.append("baseline_right")
        ids = con.table(tables[0]).select("unique_id")
        for table in tables[1:]:
            ids = ids.union(con.table(table).select("unique_id"))
        distinct = int(ids.aggregate("count(DISTINCT unique_id)").fetchall()[0][0])
        if distinct != n_left + n_right:
            raise ValueError("record ids must be unique (across both tables when linking)")

    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(t) for t in tables]
    settings = baseline_settings(
        kinds, blocking=blocking, link_type=link_type, date_format=date_format
    )
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=None)

    with watch.lap("prior"):
        linker.training.estimate_probability_two_random_records_match(
            [_rule(r) for r in deterministic], recall=DETERMINISTIC_RECALL
        )
    with watch.lap("u"):
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    with watch.lap("m_em"):
        for rule in em_blocking:
            linker.training.estimate_parameters_using_expectation_maximisation(_rule(rule))
    if details is not None:
        with watch.lap("count_pairs"):
            details["pairs_to_score"] = _pairs_to_score(
                inputs, blocking, link_type, n_left + n_right
            )
        logger.info("baseline: about %s pairs to score", details["pairs_to_score"])
    with watch.lap("predict"):
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
    with watch.lap("cluster"):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        result = dict(con.table(clusters.physical_name).select("unique_id, cluster_id").fetchall())
    if details is not None:
        model = linker.misc.save_model_to_json()
        details.update(
            records=n_left + n_right,
            link_type=link_type,
            kinds=dict(kinds),
            blocking=blocking,
            deterministic=deterministic,
            em_blocking=em_blocking,
            threshold=threshold,
            prior=model["probability_two_random_records_match"],
            pairs_above_threshold=_count(con, predictions.physical_name),
            seconds=dict(watch.laps),
        )
    predictions.drop_table_from_database_and_remove_from_cache()
    clusters.drop_table_from_database_and_remove_from_cache()
    return result
