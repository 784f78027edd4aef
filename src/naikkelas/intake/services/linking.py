"""Linkage of imported rows against the register and against each other (issue 5).

One :class:`ImportLinker` lives for one import run (or one round of corrections). For each
valid row it answers, with the trained model (``linkage.candidates``):

* **the same business** as one already in the register (probability at or above the link
  threshold) -> the row is *linked* to it; as a row of this same file -> *duplicate* of
  that row;
* otherwise a **new business**, attached to an existing **owner** when the model is sure it
  is the same person (and the row brings no NIK the owner lacks: an identifier is never
  dropped by an automatic decision);
* pairs in the doubt band become **review items** once the new records exist.

Rows of the file are offered to later rows under a placeholder id until they are promoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from naikkelas.intake.values import known_sector
from naikkelas.linkage.batch import Thresholds
from naikkelas.linkage.candidates import Candidate, RegisterIndex
from naikkelas.linkage.features import FEATURE_COLUMNS
from naikkelas.linkage.models import MatchLevel, MatchSource
from naikkelas.linkage.scoring import PairScore
from naikkelas.linkage.services import match_candidate_record
from naikkelas.registry.models import Business, Owner

__all__ = ["ImportLinker", "LinkDecision", "import_thresholds"]

_NIK = FEATURE_COLUMNS.index("nik")


def import_thresholds() -> Thresholds:
    """The deployment's thresholds (``NAIKKELAS_LINK_THRESHOLD``/``..._REVIEW_THRESHOLD``)."""
    return Thresholds(
        link=float(getattr(settings, "NAIKKELAS_LINK_THRESHOLD", Thresholds.link)),
        review=float(getattr(settings, "NAIKKELAS_REVIEW_THRESHOLD", Thresholds.review)),
    )


@dataclass
class LinkDecision:
    kind: str  # "linked" | "duplicate" | "new"
    business_id: Any = None  # linked: the register business
    owner_id: Any = None  # linked: its main owner; new: an existing owner to attach to
    duplicate_of_row: int | None = None  # duplicate: the earlier row of this file
    probability: float = 0.0
    reviews: list[tuple[str, Candidate]] = field(default_factory=list)  # (level, candidate)


# Business-comparison levels that, with the same NIK, make the same business. The sector is
# not required to agree: lists label sectors loosely (ADR 0010).
SAME_NAME = frozenset({"name_exact", "name_close", "name_close_other_sector"})


def _business_level(candidate: Candidate) -> str:
    return next(
        (t.level for t in candidate.score.business.terms if t.comparison == "business"), "null"
    )


def _placeholder(row_pk: int) -> tuple[str, int]:
    return ("row", row_pk)


def _is_placeholder(business_id: Any) -> bool:
    return isinstance(business_id, tuple) and business_id[:1] == ("row",)


def linkage_record(owner: Mapping[str, Any], business: Mapping[str, Any]) -> dict[str, Any]:
    """A validated row (``RowResult.owner``/``.business``) in the engine's canonical columns."""
    return {
        "owner_name": owner.get("full_name") or "",
        "nik": owner.get("nik") or "",
        "business_name": business.get("name") or "",
        "phone": business.get("phone") or owner.get("phone") or "",
        "address": business.get("address") or owner.get("address") or "",
        "kelurahan": business.get("desa_kelurahan") or "",
        "sector": business.get("sector") or "",
        "nib": business.get("nib") or "",
    }


class ImportLinker:
    def __init__(self, *, batch_ref: str, thresholds: Thresholds | None = None) -> None:
        self.index = RegisterIndex(
            area_code=settings.NAIKKELAS_AREA_CODE, sector_of_name=known_sector
        )
        self.thresholds = thresholds or import_thresholds()
        self.batch_ref = batch_ref
        self._features: dict[int, tuple[Any, ...]] = {}
        self._promoted: dict[int, tuple[Any, Any]] = {}  # row pk -> (business, owner)
        self._reviews: list[tuple[int, str, Candidate]] = []

    def features(self, row_pk: int, record: Mapping[str, Any]) -> tuple[Any, ...]:
        features = self.index.features({**record, "record_id": str(row_pk)})
        self._features[row_pk] = features
        return features

    def prefetch(self, rows: list[tuple[Any, ...]]) -> None:
        self.index.prefetch(rows)
        self.index.compare_many(rows)

    def decide(self, row_pk: int, features: tuple[Any, ...], *, nik_owner: Any) -> LinkDecision:
        """What to do with a valid row. ``nik_owner``: the register owner with the row's
        exact NIK (the row's business then belongs to that owner whatever the model says)."""
        link, review = self.thresholds.link, self.thresholds.review
        candidates = self.index.candidates(features, prefetched=True, minimum=0.0)
        if nik_owner is not None:
            # Deterministic rule before the model: the same NIK and the same (or nearly the
            # same) business name is the same business.
            for candidate in candidates:
                if candidate.owner_id == nik_owner and _business_level(candidate) in SAME_NAME:
                    return LinkDecision(
                        "linked",
                        business_id=candidate.business_id,
                        owner_id=nik_owner,
                        probability=candidate.same_business_probability,
                    )
        best = candidates[0] if candidates else None
        if best is not None and best.same_business_probability >= link:
            if _is_placeholder(best.business_id):
                return LinkDecision(
                    "duplicate",
                    duplicate_of_row=best.business_id[1],
                    probability=best.same_business_probability,
                )
            return LinkDecision(
                "linked",
                business_id=best.business_id,
                owner_id=best.owner_id,
                probability=best.same_business_probability,
            )
        decision = LinkDecision("new", owner_id=nik_owner)
        if best is not None and best.same_business_probability >= review:
            decision.reviews.append((MatchLevel.BUSINESS, best))
        if nik_owner is None:
            owners = sorted(
                (c for c in candidates if not _is_placeholder(c.business_id)),
                key=lambda c: c.same_owner_probability,
                reverse=True,
            )
            top = owners[0] if owners else None
            if top is not None and any(c is top for _level, c in decision.reviews):
                pass  # the business-level review item offers "same owner" as a decision
            elif top is not None and top.same_owner_probability >= link:
                other_nik = self.index.row_of(top.business_id)[_NIK]
                if features[_NIK] is None or features[_NIK] == other_nik:
                    decision.owner_id = top.owner_id
                else:
                    decision.reviews.append((MatchLevel.OWNER, top))
            elif top is not None and top.same_owner_probability >= review:
                decision.reviews.append((MatchLevel.OWNER, top))
        return decision

    def pending(self, row_pk: int, reviews: list[tuple[str, Candidate]]) -> None:
        """A row that will become a new business: findable by the next rows of the file."""
        self.index.add(_placeholder(row_pk), None, self._features[row_pk])
        self._reviews.extend((row_pk, level, candidate) for level, candidate in reviews)

    def promoted(self, row_pk: int, business_id: Any, owner_id: Any) -> None:
        """The row's business exists now: offer it under its real id."""
        self.index.forget(_placeholder(row_pk))
        self.index.add(business_id, owner_id, self._features.pop(row_pk))
        self._promoted[row_pk] = (business_id, owner_id)

    def record_reviews(self) -> int:
        """Queue the doubtful pairs of the rows promoted so far; returns how many."""
        queued = 0
        keep: list[tuple[int, str, Candidate]] = []
        for row_pk, level, candidate in self._reviews:
            mine = self._promoted.get(row_pk)
            other_business, other_owner = candidate.business_id, candidate.owner_id
            if _is_placeholder(other_business):
                other_business, other_owner = self._promoted.get(other_business[1], (None, None))
            if mine is None or other_business is None:
                keep.append((row_pk, level, candidate))  # its other half is not created yet
                continue
            queued += self._queue(level, mine, (other_business, other_owner), candidate.score)
        self._reviews = keep
        return queued

    def _queue(
        self, level: str, mine: tuple[Any, Any], other: tuple[Any, Any], score: PairScore
    ) -> int:
        if level == MatchLevel.BUSINESS:
            left: Business | Owner = Business(pk=mine[0])
            right: Business | Owner = Business(pk=other[0])
            probability, weight = score.business_probability, score.business.match_weight
        else:
            if mine[1] is None or other[1] is None or mine[1] == other[1]:
                return 0
            left, right = Owner(pk=mine[1]), Owner(pk=other[1])
            probability, weight = score.owner_probability, score.other_business_weight
        if left.pk == right.pk:
            return 0
        created = match_candidate_record(
            level=level,
            left=left,
            right=right,
            probability=probability,
            weight=weight,
            explanation=score.as_dict(),
            source=MatchSource.IMPORT,
            source_ref=self.batch_ref,
        )
        return 1 if created is not None else 0
