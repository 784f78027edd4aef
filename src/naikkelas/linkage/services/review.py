"""The review queue: pairs the engine found doubtful, and the decisions officers take on them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.linkage.models import (
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MatchSource,
    MergeRecord,
)
from naikkelas.linkage.selectors import candidate_kecamatan, canonical_pair
from naikkelas.linkage.services.merge import business_merge, owner_merge
from naikkelas.linkage.survivorship import (
    RecordFacts,
    business_is_verified,
    choose_survivor,
    owner_is_verified,
)
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole

CANDIDATE_DECIDED = gettext_noop("Pasangan data ini sudah diputuskan.")
CANDIDATE_SUPERSEDED = gettext_noop(
    "Pasangan data ini tidak berlaku lagi: salah satunya sudah digabung ke data lain."
)
DECISION_INVALID = gettext_noop("Keputusan ini tidak berlaku untuk pasangan data pemilik.")
NO_MAIN_OWNER = gettext_noop("Salah satu usaha belum punya pemilik utama; tidak ada yang digabung.")

_MODELS = {MatchLevel.BUSINESS: Business, MatchLevel.OWNER: Owner}


def _check_pair(level: str, left: Any, right: Any) -> None:
    model = _MODELS[MatchLevel(level)]
    if not isinstance(left, model) or not isinstance(right, model):
        raise ValueError(f"a {level}-level pair needs two {model.__name__} records")
    if left.pk == right.pk:
        raise ValueError("a record cannot be paired with itself")


def _check_scores(probability: float, weight: float, explanation: Mapping[str, Any]) -> None:
    if not (0.0 <= probability <= 1.0) or not math.isfinite(weight):
        raise ValueError("probability must be within [0, 1] and the weight finite")
    if not isinstance(explanation, Mapping):
        raise ValueError("explanation must be a mapping")


@transaction.atomic
def match_candidate_record(
    *,
    level: MatchLevel | str,
    left: Business | Owner,
    right: Business | Owner,
    probability: float,
    weight: float,
    explanation: Mapping[str, Any],
    source: MatchSource | str,
    source_ref: str = "",
) -> MatchCandidate | None:
    """Queue a doubtful pair for review; idempotent (``left``/``right`` in any order).

    Returns the pending candidate (new, or the stored one with the new scores), or None when
    there is nothing to review: the pair was decided before (a decided pair is never
    re-opened), or either record has been merged. A superseded pair becomes pending again.
    Not audited: a candidate changes nothing in the register; the decision is audited.

    Raises:
        ValueError: records of the wrong kind, a record paired with itself, bad scores.
    """
    level = MatchLevel(level)
    _check_pair(level, left, right)
    _check_scores(probability, weight, explanation)
    # From the database: the engine may hold records it loaded before a merge.
    records: QuerySet[Any] = (
        Business.objects.all() if level == MatchLevel.BUSINESS else Owner.objects.all()
    )
    if records.filter(pk__in=[left.pk, right.pk], merged_into__isnull=False).exists():
        return None
    left, right = canonical_pair(left, right)
    prefix = level.value
    pair = {f"left_{prefix}": left, f"right_{prefix}": right}
    scores = {
        "match_probability": float(probability),
        "match_weight": float(weight),
        "explanation": dict(explanation),
        "source": MatchSource(source),
        "source_ref": source_ref[:255],
    }
    for _attempt in range(2):
        existing = MatchCandidate.objects.select_for_update().filter(level=level, **pair).first()
        if existing is not None:
            if existing.status == CandidateStatus.DECIDED:
                return None
            for name, value in scores.items():
                setattr(existing, name, value)
            existing.status = CandidateStatus.PENDING
            existing.save(update_fields=[*scores, "status", "updated_at"])
            return existing
        try:
            with transaction.atomic():
                return MatchCandidate.objects.create(
                    level=level,
                    **pair,
                    **scores,
                    kecamatan_id=candidate_kecamatan(level=level, left=left),
                )
        except IntegrityError:
            continue  # another worker stored the same pair just now: update that one
    raise RuntimeError("match candidate could not be stored")  # pragma: no cover


def _main_owner(business: Any) -> Owner | None:
    link = (
        BusinessOwner.objects.filter(business=business, role=OwnerRole.PEMILIK)
        .select_related("owner")
        .first()
    )
    return link.owner if link else None


def _survivor_first(level: MatchLevel, first: Any, second: Any) -> tuple[Any, Any]:
    """(survivor, merged) as survivorship chooses them: verified, then most recently changed."""

    def facts(record: Any) -> RecordFacts:
        if level == MatchLevel.BUSINESS:
            verified = business_is_verified(source=record.source, nib=record.nib)
        else:
            verified = owner_is_verified(source=record.source, has_account=bool(record.user_id))
        return RecordFacts(
            values={},
            verified=verified,
            updated_at=record.updated_at,
            created_at=record.created_at,
            key=str(record.pk),
        )

    chosen = choose_survivor(facts(first), facts(second))
    return (first, second) if chosen == 0 else (second, first)


def _merge_for(
    *, actor: Any, candidate: MatchCandidate, decision: Decision, note: str
) -> MergeRecord | None:
    if decision == Decision.DIFFERENT:
        return None
    if candidate.level == MatchLevel.OWNER:
        if decision != Decision.SAME_OWNER:
            raise ApplicationError(_(DECISION_INVALID), code="decision_invalid")
        owners = (candidate.left_owner, candidate.right_owner)
    elif decision == Decision.SAME_BUSINESS:
        survivor, merged = _survivor_first(
            MatchLevel.BUSINESS, candidate.left_business, candidate.right_business
        )
        return business_merge(
            actor=actor, survivor=survivor, merged=merged, reason=note, candidate=candidate
        )
    else:
        # Same person, two businesses: the two main-owner records become one.
        left, right = _main_owner(candidate.left_business), _main_owner(candidate.right_business)
        if left is None or right is None:
            raise ApplicationError(_(NO_MAIN_OWNER), code="no_main_owner")
        if left.pk == right.pk:
            return None
        owners = (left, right)
    survivor, merged = _survivor_first(MatchLevel.OWNER, *owners)
    return owner_merge(
        actor=actor, survivor=survivor, merged=merged, reason=note, candidate=candidate
    )


@transaction.atomic
def match_candidate_decide(
    *, actor: Any, candidate: MatchCandidate, decision: Decision | str, note: str = ""
) -> MergeRecord | None:
    """Record an officer's decision on a pending pair, and act on it.

    * ``same_business``: the two businesses are merged; the survivor is the verified record,
      then the one changed most recently (``survivorship.choose_survivor``);
    * ``same_owner``: for a pair of businesses, their two main owners are merged (when they
      are different records) and both businesses stay; for a pair of owners, they are merged;
    * ``different``: only remembered, so the pair never comes back.

    Returns the merge, if one was made.

    Raises:
        ApplicationError: the pair was decided before (``candidate_decided``) or one of its
            records has been merged since (``candidate_superseded``); ``same_business`` for a
            pair of owners (``decision_invalid``); a business without a main owner
            (``no_main_owner``); and whatever the merge refuses.
        ValueError: an unknown decision.
    """
    decision = Decision(decision)
    candidate = (
        MatchCandidate.objects.select_for_update(of=("self",))
        .select_related("left_business", "right_business", "left_owner", "right_owner")
        .get(pk=candidate.pk)
    )
    if candidate.status == CandidateStatus.DECIDED:
        raise ApplicationError(_(CANDIDATE_DECIDED), code="candidate_decided")
    records = (
        candidate.left_business or candidate.left_owner,
        candidate.right_business or candidate.right_owner,
    )
    if candidate.status == CandidateStatus.SUPERSEDED or any(
        r is None or r.merged_into_id is not None for r in records
    ):
        raise ApplicationError(_(CANDIDATE_SUPERSEDED), code="candidate_superseded")
    merge = _merge_for(actor=actor, candidate=candidate, decision=decision, note=note)
    candidate.status = CandidateStatus.DECIDED
    candidate.decision = decision
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.note = note.strip()
    candidate.save(
        update_fields=["status", "decision", "decided_by", "decided_at", "note", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="match.decide",
        object_type=candidate._meta.label_lower,
        object_id=str(candidate.pk),
        extra={
            "level": candidate.level,
            "decision": decision.value,
            "left": records[0].pk if records[0] else None,
            "right": records[1].pk if records[1] else None,
            "merge": merge.pk if merge else None,
            "probability": candidate.match_probability,
        },
    )
    return merge
