"""Trained parameters and the score of one pair, with its explanation (pure: no Django).

The parameters (``linkage/params/{business,owner,given_owner}.json``, Splink's model file
format) are produced by ``bench/linkage/train.py`` on the synthetic benchmark; the
``business`` model is re-estimable by EM on a live register. The batch engine hands them to
Splink and to its SQL; here they score single pairs for the online check and explain any
pair from its comparison vector.

A term's ``weight`` is the log2 Bayes factor ``log2(m/u)`` of the level the pair reached;
the match weight is the prior's log-odds plus the sum of the terms (Fellegi-Sunter).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from naikkelas.linkage.features import FEATURE_COLUMNS
from naikkelas.linkage.model import ModelLevel, comparisons_for, level_key, level_of

__all__ = [
    "Explanation",
    "FastScorer",
    "PairScore",
    "Params",
    "Term",
    "load_params",
    "probability_from_weight",
    "score_pair",
]


@dataclass(frozen=True)
class Term:
    comparison: str
    level: str  # "null", "else" or a level key of linkage.model
    weight: float  # log2 Bayes factor; 0 for a null level

    def as_dict(self) -> dict[str, Any]:
        return {"comparison": self.comparison, "level": self.level, "weight": round(self.weight, 2)}


@dataclass(frozen=True)
class Explanation:
    """One model's verdict on a pair: the prior and one term per comparison."""

    level: ModelLevel
    prior_weight: float
    terms: tuple[Term, ...]

    @property
    def match_weight(self) -> float:
        return self.prior_weight + sum(t.weight for t in self.terms)

    @property
    def match_probability(self) -> float:
        return probability_from_weight(self.match_weight)

    def reason(self) -> str:
        """A compact, stable text of the compared terms in model order, null levels left
        out (the batch engine writes the same text in SQL)."""
        return "; ".join(
            f"{t.comparison}={t.level} ({t.weight:+.1f})" for t in self.terms if t.level != "null"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "prior_weight": round(self.prior_weight, 2),
            "match_weight": round(self.match_weight, 2),
            "match_probability": self.match_probability,
            "terms": [t.as_dict() for t in self.terms],
        }


# The comparisons that describe the business itself (not its owner): their agreement is
# also evidence of the *same owner* (one owner's businesses resemble each other more than
# random pairs do), weighed by ``related_weight``.
BUSINESS_COMPARISONS = ("business", "kind", "nib")


@dataclass(frozen=True)
class PairScore:
    """Three hypotheses about a pair, as a three-class naive Bayes (ADR 0010):

    * **B**, the same business: the ``business`` model (every comparison; m among pairs of
      one business, u among random pairs) gives log-odds ``lb`` of B against D;
    * **O**, the same owner with another business: the ``owner`` model's terms for the
      person's comparisons, plus for the business comparisons the ratio of their
      distribution among one owner's *other* businesses (``given_owner`` u) to random pairs
      (``business`` u); prior: the same-owner prior times the share of other-business pairs
      among same-owner pairs. Log-odds ``lo`` of O against D;
    * **D**, different owners.

    P(B) = 2^lb / (1 + 2^lb + 2^lo); P(same owner) = P(B) + P(O).
    """

    business: Explanation
    owner: Explanation
    related: tuple[Term, ...]  # business comparisons: log2(u among other businesses / u)
    other_business_prior: float  # log2 of the share of other-business pairs (<= 0)

    @property
    def other_business_weight(self) -> float:
        return (
            self.owner.match_weight
            + self.other_business_prior
            + sum(t.weight for t in self.related)
        )

    @property
    def business_probability(self) -> float:
        return business_probability(self.business.match_weight, self.other_business_weight)

    @property
    def owner_probability(self) -> float:
        return owner_probability(self.business.match_weight, self.other_business_weight)

    def reason(self) -> str:
        return self.business.reason()

    def as_dict(self) -> dict[str, Any]:
        """The explanation stored with a review item."""
        return {
            "business_probability": self.business_probability,
            "owner_probability": self.owner_probability,
            "business": self.business.as_dict(),
            "owner": self.owner.as_dict(),
            "related": [t.as_dict() for t in self.related],
            "other_business_prior": round(self.other_business_prior, 3),
        }


def business_probability(lb: float, lo: float) -> float:
    """P(same business) from the log-odds of B and of O against D (see PairScore)."""
    return 1.0 / (1.0 + _exp2(-lb) + _exp2(lo - lb))


def owner_probability(lb: float, lo: float) -> float:
    """P(same owner) = P(B) + P(O)."""
    top = max(lb, lo)
    log_sum = top + math.log2(1.0 + _exp2(min(lb, lo) - top))
    return 1.0 / (1.0 + _exp2(-log_sum))


def _exp2(x: float) -> float:
    return 2.0 ** min(max(x, -1000.0), 1000.0)


def other_business_prior(given_owner: Params) -> float:
    """log2 of the share of pairs of one owner's records that are *other* businesses."""
    return math.log2(1.0 - given_owner.prior)


def related_weight(given_owner: Params, business: Params, comparison: str, key: str) -> float:
    """log2 r: how much likelier a level is between one owner's other businesses than
    between random records (both u probabilities; 0 for a null level)."""
    if key == "null":
        return 0.0
    return math.log2(given_owner.u[comparison][key] / business.u[comparison][key])


def probability_from_weight(weight: float) -> float:
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds = 2.0**weight
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class Params:
    """Trained m/u probabilities of one model level, keyed by comparison and level key."""

    level: ModelLevel
    prior: float  # probability that two random records match
    weights: Mapping[str, Mapping[str, float]]  # comparison -> level key -> log2(m/u)
    splink_settings: Mapping[str, Any]
    u: Mapping[str, Mapping[str, float]]  # comparison -> level key -> u probability

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def weight(self, comparison: str, key: str) -> float:
        if key == "null":
            return 0.0
        return self.weights[comparison][key]

    @classmethod
    def from_model(cls, level: ModelLevel, settings: Mapping[str, Any]) -> Params:
        weights: dict[str, dict[str, float]] = {}
        us: dict[str, dict[str, float]] = {}
        for comparison in settings["comparisons"]:
            name = comparison["output_column_name"]
            levels: dict[str, float] = {}
            us[name] = {}
            for item in comparison["comparison_levels"]:
                if item.get("is_null_level"):
                    continue
                m = item.get("m_probability")
                u = item.get("u_probability")
                if m is None or u is None or m <= 0 or u <= 0:
                    raise ValueError(f"untrained level {name}/{item['label_for_charts']}")
                levels[item["label_for_charts"]] = math.log2(m / u)
                us[name][item["label_for_charts"]] = u
            weights[name] = levels
        expected = {c.name for c in comparisons_for(level)}
        if set(weights) != expected:
            raise ValueError(f"{level} parameters do not fit the model: {sorted(weights)}")
        return cls(
            level=level,
            prior=float(settings["probability_two_random_records_match"]),
            weights=weights,
            splink_settings=settings,
            u=us,
        )


def _params_path(level: ModelLevel) -> Any:
    return resources.files("naikkelas.linkage") / "params" / f"{level}.json"


@cache
def _shipped(level: ModelLevel) -> Params:
    return Params.from_model(level, json.loads(_params_path(level).read_text("utf-8")))


def load_params(level: ModelLevel, path: Path | None = None) -> Params:
    """The shipped parameters of a model level, or those in ``path`` (a Splink model file)."""
    if path is None:
        return _shipped(level)
    return Params.from_model(level, json.loads(path.read_text("utf-8")))


def as_row(values: tuple[Any, ...] | Mapping[str, Any]) -> Mapping[str, Any]:
    """A feature row as a mapping (feature rows are tuples in :data:`FEATURE_COLUMNS`)."""
    if isinstance(values, Mapping):
        return values
    return dict(zip(FEATURE_COLUMNS, values, strict=True))


def explain_gammas(params: Params, gammas: Mapping[str, int]) -> Explanation:
    """One model's explanation of a pair from its comparison vector."""
    terms: list[Term] = []
    for comparison in comparisons_for(params.level):
        key = level_key(comparison, gammas[comparison.name])
        terms.append(Term(comparison.name, key, params.weight(comparison.name, key)))
    return Explanation(params.level, params.prior_weight, tuple(terms))


def gammas_of(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, int]:
    """The comparison vector of a pair (every comparison of the model)."""
    return {c.name: level_of(c, left, right) for c in comparisons_for("business")}


def _pair_score(
    gammas: Mapping[str, int], business: Params, owner: Params, given_owner: Params
) -> PairScore:
    related = []
    for comparison in comparisons_for("business"):
        if comparison.name in BUSINESS_COMPARISONS:
            key = level_key(comparison, gammas[comparison.name])
            weight = related_weight(given_owner, business, comparison.name, key)
            related.append(Term(comparison.name, key, weight))
    return PairScore(
        business=explain_gammas(business, gammas),
        owner=explain_gammas(owner, gammas),
        related=tuple(related),
        other_business_prior=other_business_prior(given_owner),
    )


def score_pair(
    left: tuple[Any, ...] | Mapping[str, Any],
    right: tuple[Any, ...] | Mapping[str, Any],
    *,
    owner: Params | None = None,
    given_owner: Params | None = None,
    business: Params | None = None,
) -> PairScore:
    """Score and explain one pair of feature rows (shipped parameters by default)."""
    return _pair_score(
        gammas_of(as_row(left), as_row(right)),
        business or load_params("business"),
        owner or load_params("owner"),
        given_owner or load_params("given_owner"),
    )


class FastScorer:
    """The two log-odds of :class:`PairScore` straight from a comparison vector, by table
    lookup: for ranking many candidates, when only a few need their explanation."""

    def __init__(self, *, business: Params, owner: Params, given_owner: Params) -> None:
        self.business, self.owner, self.given_owner = business, owner, given_owner
        self._comparisons = comparisons_for("business")
        owner_names = {c.name for c in comparisons_for("owner")}
        self._lb: list[list[float]] = []
        self._lo: list[list[float]] = []
        for comparison in self._comparisons:
            top = len(comparison.levels)
            keys = [level_key(comparison, gamma) for gamma in range(-1, top + 1)]
            self._lb.append([business.weight(comparison.name, key) for key in keys])
            if comparison.name in owner_names:
                self._lo.append([owner.weight(comparison.name, key) for key in keys])
            elif comparison.name in BUSINESS_COMPARISONS:
                self._lo.append(
                    [related_weight(given_owner, business, comparison.name, key) for key in keys]
                )
            else:
                self._lo.append([0.0] * len(keys))
        self._lb0 = business.prior_weight
        self._lo0 = owner.prior_weight + other_business_prior(given_owner)

    def gammas(self, left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[int, ...]:
        return tuple(level_of(c, left, right) for c in self._comparisons)

    def weights(self, gammas: tuple[int, ...]) -> tuple[float, float]:
        """(lb, lo): index gamma + 1 (gamma -1 is the null level)."""
        lb, lo = self._lb0, self._lo0
        for i, gamma in enumerate(gammas):
            lb += self._lb[i][gamma + 1]
            lo += self._lo[i][gamma + 1]
        return lb, lo

    def explain(self, gammas: tuple[int, ...]) -> PairScore:
        by_name = {c.name: g for c, g in zip(self._comparisons, gammas, strict=True)}
        return _pair_score(by_name, self.business, self.owner, self.given_owner)
