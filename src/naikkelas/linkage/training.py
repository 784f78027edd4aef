"""Estimating the model's parameters with Splink (no Django, no ORM).

* :func:`train_from_labels` -- on the synthetic benchmark, whose ground truth is known: u by
  random sampling, m from the labelled pairs, the prior from the label counts. This is how
  the shipped ``linkage/params/*.json`` are made (``bench/linkage/train.py``).
* :func:`reestimate_em` -- on a live register without labels: u by random sampling, m by
  expectation maximisation over blocked pairs, starting from the shipped parameters.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import duckdb

from naikkelas.linkage.features import FEATURE_COLUMNS
from naikkelas.linkage.model import (
    BUSINESS,
    OWNER_NAMED,
    ModelLevel,
    comparisons_for,
    level_key,
    level_of,
    settings_for,
)
from naikkelas.linkage.scoring import Params

__all__ = [
    "EM_BLOCKING_RULES",
    "label_prior",
    "reestimate_em",
    "train_from_labels",
    "condition_owner_named",
    "train_given_owner",
]

# Each EM session fixes the comparisons its blocking rule uses and estimates the others.
EM_BLOCKING_RULES: tuple[str, ...] = (
    "l.nik = r.nik",
    "l.phone = r.phone",
    "l.business_name = r.business_name AND l.kelurahan = r.kelurahan",
    "l.owner_name = r.owner_name AND l.kelurahan = r.kelurahan",
)


def label_prior(con: duckdb.DuckDBPyConnection, label_column: str) -> float:
    """The probability that two random records share a label (matching pairs / all pairs)."""
    n, matching = con.execute(
        f"SELECT sum(c), sum(c * (c - 1) / 2) FROM "
        f'(SELECT count(*) AS c FROM records GROUP BY "{label_column}")'
    ).fetchall()[0]
    total = n * (n - 1) / 2
    return max(float(matching) / total, 1e-12)


def _linker(con: duckdb.DuckDBPyConnection, settings: dict[str, Any]) -> Any:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    return Linker(db_api.register("records"), settings, log_level=None)


def train_from_labels(
    con: duckdb.DuckDBPyConnection,
    *,
    level: ModelLevel,
    label_column: str,
    seed: int = 3673,
    max_pairs: float = 2e7,
) -> dict[str, Any]:
    """Splink model settings with m from labels, u from random sampling (table ``records``
    must hold the feature columns and ``label_column``)."""
    settings = settings_for(level)
    settings["probability_two_random_records_match"] = label_prior(con, label_column)
    linker = _linker(con, settings)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs, seed=seed, min_count_per_level=None
    )
    linker.training.estimate_m_from_label_column(label_column)
    model: dict[str, Any] = linker.misc.save_model_to_json()
    _floor_probabilities(model)
    Params.from_model(level, model)  # fails loudly on an untrained level
    return model


def condition_owner_named(
    con: duckdb.DuckDBPyConnection,
    model: dict[str, Any],
    *,
    business_label: str,
    owner_label: str,
) -> dict[str, dict[str, float]]:
    """Re-weigh the business comparison's ``owner_named*`` levels (a business name that is
    only a name both owners bear) *given that the owner names agree*: m among such pairs of
    one business, u among such pairs of different owners (table ``records`` with both
    labels). Trained unconditionally, the levels would count the owner's name a second time
    ("Warung Dede" of two different Dede Supriatnas). The levels are fixed against EM."""
    levels = [lv for lv in BUSINESS.levels if lv.key.startswith(OWNER_NAMED)]
    columns = ("owner_name", "business_name", "sector")
    picked = ", ".join(f"{side}.{c} AS {c}_{side}" for side in ("l", "r") for c in columns)
    # the first level a pair reaches, as in the comparison itself
    which = " ".join(f"WHEN coalesce({lv.sql}, false) THEN {i}" for i, lv in enumerate(levels))
    counts = con.execute(
        f"""
        WITH pairs AS (
            SELECT {picked},
                   l."{business_label}" = r."{business_label}" AS same_business,
                   l."{owner_label}" <> r."{owner_label}" AS other_owner
            FROM records l JOIN records r
              ON l.owner_name = r.owner_name AND l.record_id < r.record_id
        ), judged AS (
            SELECT same_business, other_owner, CASE {which} ELSE -1 END AS level FROM pairs
        )
        SELECT level, count(*) FILTER (WHERE same_business),
               count(*) FILTER (WHERE other_owner)
        FROM judged GROUP BY level
        """
    ).fetchall()
    same = sum(row[1] for row in counts)
    other = sum(row[2] for row in counts)
    if not same or not other:
        raise ValueError("conditioning needs labelled pairs with agreeing owner names")
    by_level = {row[0]: row for row in counts}
    found: dict[str, dict[str, float]] = {}
    for index, level in enumerate(levels):
        _, in_same, in_other = by_level.get(index, (index, 0, 0))
        found[level.key] = {
            "m": (in_same + 1.0) / (same + 2.0),
            "u": (in_other + 1.0) / (other + 2.0),
        }
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != BUSINESS.name:
            continue
        for item in comparison["comparison_levels"]:
            rates = found.get(item.get("label_for_charts", ""))
            if rates is not None:
                item.update(
                    m_probability=rates["m"],
                    u_probability=rates["u"],
                    fix_m_probability=True,
                    fix_u_probability=True,
                )
    return found


def _floor_probabilities(model: dict[str, Any], floor: float = 1e-6) -> None:
    """Give levels never observed in training a small probability instead of none: a
    level the benchmark lacks must weigh little, not break the model."""
    for comparison in model["comparisons"]:
        for item in comparison["comparison_levels"]:
            if item.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                value = item.get(key)
                if value is None or not math.isfinite(value) or value <= 0:
                    item[key] = floor


def reestimate_em(
    con: duckdb.DuckDBPyConnection,
    *,
    start: Params,
    seed: int = 3673,
    max_pairs: float = 2e7,
) -> dict[str, Any]:
    """Re-estimate a model on unlabelled records (table ``records``) by EM."""
    from splink import block_on  # noqa: F401  (documented entry point; rules are SQL)

    settings = dict(start.splink_settings)
    linker = _linker(con, settings)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs, seed=seed, min_count_per_level=None
    )
    for rule in EM_BLOCKING_RULES:
        if start.level == "owner" and "business_name" in rule:
            continue
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    model: dict[str, Any] = linker.misc.save_model_to_json()
    _floor_probabilities(model)
    Params.from_model(start.level, model)
    return model


def _share(
    counter: Counter[tuple[str, str]], name: str, key: str, keys: list[str], smoothing: float
) -> float:
    """The smoothed share of one level among a comparison's non-null levels."""
    total = sum(counter[(name, k)] for k in keys)
    return (counter[(name, key)] + smoothing) / (total + smoothing * len(keys))


def train_given_owner(
    rows: Iterable[tuple[tuple[Any, ...], str, str]], *, smoothing: float = 1.0
) -> dict[str, Any]:
    """The second-stage model from labelled records ``(feature row, business, owner)``:
    among pairs of one owner's records, m from the pairs of the same business and u from
    the pairs of that owner's other businesses (additive smoothing per level). The prior
    is the share of same-business pairs among same-owner pairs."""
    comparisons = comparisons_for("given_owner")
    by_owner: dict[str, list[tuple[dict[str, Any], str]]] = defaultdict(list)
    for features, business, owner in rows:
        by_owner[owner].append((dict(zip(FEATURE_COLUMNS, features, strict=True)), business))
    same: Counter[tuple[str, str]] = Counter()
    other: Counter[tuple[str, str]] = Counter()
    pairs_same = pairs_other = 0
    for records in by_owner.values():
        for (left, lb), (right, rb) in itertools.combinations(records, 2):
            counter = same if lb == rb else other
            if lb == rb:
                pairs_same += 1
            else:
                pairs_other += 1
            for comparison in comparisons:
                key = level_key(comparison, level_of(comparison, left, right))
                counter[(comparison.name, key)] += 1
    if not pairs_same or not pairs_other:
        raise ValueError("training needs owners with one business seen twice and with two")
    model_comparisons = []
    for comparison in comparisons:
        keys = [level.key for level in comparison.levels] + ["else"]

        levels: list[dict[str, Any]] = [{"label_for_charts": "null", "is_null_level": True}]
        for key in keys:
            levels.append(
                {
                    "label_for_charts": key,
                    "m_probability": _share(same, comparison.name, key, keys, smoothing),
                    "u_probability": _share(other, comparison.name, key, keys, smoothing),
                }
            )
        model_comparisons.append(
            {"output_column_name": comparison.name, "comparison_levels": levels}
        )
    model = {
        "probability_two_random_records_match": pairs_same / (pairs_same + pairs_other),
        "comparisons": model_comparisons,
        "training": {"same_business_pairs": pairs_same, "other_business_pairs": pairs_other},
    }
    Params.from_model("given_owner", model)
    return model
