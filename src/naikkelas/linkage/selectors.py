"""Reading the review queue and merge history, scoped like the register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404

from naikkelas.linkage.models import (
    CandidateStatus,
    MatchCandidate,
    MatchLevel,
    MergeRecord,
)
from naikkelas.registry.access import business_scope, owner_scope
from naikkelas.registry.models import Business, BusinessOwner, Owner


def canonical_pair(first: Any, second: Any) -> tuple[Any, Any]:
    """The pair in stored order: the record with the smaller id on the left.

    UUID7 ids compare the same way as their canonical text, in Python and in both databases.
    """
    return (first, second) if str(first.pk) < str(second.pk) else (second, first)


def match_candidate_for_pair(*, level: str, first: Any, second: Any) -> MatchCandidate | None:
    """The stored candidate (pending or decided) for two records, in either order."""
    left, right = canonical_pair(first, second)
    prefix = "business" if level == MatchLevel.BUSINESS else "owner"
    return MatchCandidate.objects.filter(
        level=level, **{f"left_{prefix}": left, f"right_{prefix}": right}
    ).first()


def candidate_kecamatan(*, level: str, left: Any) -> str | None:
    """The kecamatan a pair is filed under: the left business's, or for owners the kecamatan
    of the left owner's main business (any business when they run none)."""
    if level == MatchLevel.BUSINESS:
        return cast(str | None, left.kecamatan_id)
    code = (
        BusinessOwner.objects.filter(owner=left)
        .order_by("role", "created_at")  # "pemilik" sorts before "pemilik_bersama"
        .values_list("business__kecamatan_id", flat=True)
        .first()
    )
    return cast(str | None, code)


def match_candidate_scope(*, user: Any) -> QuerySet[MatchCandidate]:
    """Candidates whose two records the user may both see (``registry.access`` decides).

    Whether the user may review at all is the caller's capability check.
    """
    businesses = business_scope(user=user).values("pk")
    owners = owner_scope(user=user).values("pk")
    return MatchCandidate.objects.filter(
        Q(level=MatchLevel.BUSINESS, left_business__in=businesses, right_business__in=businesses)
        | Q(level=MatchLevel.OWNER, left_owner__in=owners, right_owner__in=owners)
    )


@dataclass(frozen=True)
class CandidateFilters:
    kecamatan: str = ""
    source: str = ""
    level: str = ""


def match_candidate_pending_list(
    *, base: QuerySet[MatchCandidate] | None = None, filters: CandidateFilters | None = None
) -> QuerySet[MatchCandidate]:
    """The review queue: pending pairs, most likely duplicates first.

    ``base`` is the caller's scope (``match_candidate_scope``).
    """
    filters = filters or CandidateFilters()
    qs = (base if base is not None else MatchCandidate.objects.all()).filter(
        status=CandidateStatus.PENDING
    )
    if filters.kecamatan:
        qs = qs.filter(kecamatan_id=filters.kecamatan)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.level:
        qs = qs.filter(level=filters.level)
    return qs.select_related(
        "left_business", "right_business", "left_owner", "right_owner", "kecamatan"
    ).order_by(F("match_probability").desc(nulls_last=True), "created_at", "id")


def match_candidate_get_accessible(*, user: Any, candidate_id: Any) -> MatchCandidate:
    """The candidate if it exists and the user may see both records; otherwise ``Http404``.

    Raises:
        Http404: for an unknown or malformed id and for a pair outside the user's scope.
    """
    try:
        return match_candidate_scope(user=user).get(pk=candidate_id)
    except (MatchCandidate.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def merge_record_list_for_business(*, business: Business) -> QuerySet[MergeRecord]:
    """Every merge the business took part in, as survivor or as merged record, newest first."""
    return MergeRecord.objects.filter(
        Q(survivor_business=business) | Q(merged_business=business)
    ).order_by("-merged_at", "-id")


def merge_record_list_for_owner(*, owner: Owner) -> QuerySet[MergeRecord]:
    return MergeRecord.objects.filter(Q(survivor_owner=owner) | Q(merged_owner=owner)).order_by(
        "-merged_at", "-id"
    )
