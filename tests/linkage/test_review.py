"""The review queue: pairs stored once in canonical order, decisions never re-opened, decisions
acted on (merge businesses, merge owners, or just remember), and the queue scoped by area."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.http import Http404

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.linkage.models import (
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MatchSource,
    MergeRecord,
)
from naikkelas.linkage.selectors import (
    CandidateFilters,
    match_candidate_get_accessible,
    match_candidate_pending_list,
    match_candidate_scope,
)
from naikkelas.linkage.services import (
    business_merge,
    business_unmerge,
    match_candidate_decide,
    match_candidate_record,
)
from naikkelas.registry import services
from naikkelas.registry.models import Business, BusinessAssignment, BusinessStatus, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

OLD = datetime(2024, 1, 10, 8, 0, tzinfo=UTC)

EXPLANATION = {
    "prior_weight": -9.9,
    "terms": [
        {"comparison": "name", "level": "jw92", "label": "Nama usaha mirip", "weight": 6.1},
        {"comparison": "phone", "level": "exact", "label": "Nomor HP sama", "weight": 8.2},
    ],
}


def record(left: Any, right: Any, probability: float = 0.8, **kw: Any) -> MatchCandidate | None:
    level = "business" if isinstance(left, Business) else "owner"
    return match_candidate_record(
        level=kw.pop("level", level),
        left=left,
        right=right,
        probability=probability,
        weight=kw.pop("weight", 2.0),
        explanation=kw.pop("explanation", EXPLANATION),
        source=kw.pop("source", MatchSource.BATCH),
        **kw,
    )


def test_a_pair_is_stored_once_in_canonical_order() -> None:
    # given
    a, b = make_business(), make_business(name="Emping Bu Iyah")
    # when the engine reports the pair twice, in both orders
    first = record(b, a, 0.7, source_ref="run-1")
    second = record(a, b, 0.9, source_ref="run-2")
    # then
    assert first is not None and second is not None
    assert first.pk == second.pk
    assert MatchCandidate.objects.count() == 1
    stored = MatchCandidate.objects.get()
    assert str(stored.left_business_id) < str(stored.right_business_id)
    assert (stored.match_probability, stored.source_ref) == (0.9, "run-2")
    assert stored.explanation == EXPLANATION
    assert stored.kecamatan_id == "36.73.06"
    assert stored.status == CandidateStatus.PENDING


def test_a_decided_pair_never_comes_back(dinas_user: Any) -> None:
    a, b = make_business(), make_business(name="Emping Bu Iyah")
    candidate = record(a, b)
    assert candidate is not None
    assert match_candidate_decide(actor=dinas_user, candidate=candidate, decision="different") is (
        None
    )
    # when the engine finds the pair again
    again = record(b, a, 0.99)
    # then
    assert again is None
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision) == (CandidateStatus.DECIDED, Decision.DIFFERENT)
    assert candidate.match_probability == 0.8
    assert MatchCandidate.objects.count() == 1


def test_pairs_with_a_merged_record_are_not_queued(dinas_user: Any) -> None:
    a, b, c = make_business(), make_business(), make_business()
    business_merge(actor=dinas_user, survivor=a, merged=b)
    assert record(b, c) is None
    assert not MatchCandidate.objects.exists()


def test_record_rejects_malformed_pairs() -> None:
    a = make_business()
    with pytest.raises(ValueError, match="itself"):
        record(a, a)
    with pytest.raises(ValueError, match="Owner"):
        record(a, make_business(), level="owner")
    with pytest.raises(ValueError, match="probability"):
        record(a, make_business(), 1.5)


def test_same_business_merges_into_the_verified_record(dinas_user: Any) -> None:
    # given an imported record (unverified, newer) and an officer's record (verified, older)
    typed = make_business(dinas_user, name="Emping Melinjo Bu Iyah")
    imported = services.business_register(
        actor=None,
        owner=make_owner(),
        data={"name": "Emping Bu Iyah", "sector": "kuliner", "desa_kelurahan": "36.73.06.1005"},
        source="import",
    )
    candidate = record(imported, typed)
    assert candidate is not None
    # when
    merge = match_candidate_decide(
        actor=dinas_user, candidate=candidate, decision=Decision.SAME_BUSINESS, note="cek lapangan"
    )
    # then
    assert merge is not None
    assert merge.survivor_business_id == typed.pk
    assert merge.merged_business_id == imported.pk
    assert merge.candidate_id == candidate.pk
    assert merge.reason == "cek lapangan"
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision, candidate.decided_by) == (
        CandidateStatus.DECIDED,
        Decision.SAME_BUSINESS,
        dinas_user,
    )
    assert candidate.decided_at is not None
    event = AuditEvent.objects.get(action="match.decide")
    assert event.object_id == str(candidate.pk)
    assert event.extra["decision"] == "same_business"
    assert event.extra["merge"] == str(merge.pk)
    assert "cek lapangan" not in str(event.extra)


def test_unmerging_a_decided_merge_turns_the_decision_into_different(dinas_user: Any) -> None:
    a, b = make_business(), make_business()
    candidate = record(a, b)
    assert candidate is not None
    merge = match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_business")
    assert merge is not None
    business_unmerge(actor=dinas_user, merge=merge)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision) == (CandidateStatus.DECIDED, Decision.DIFFERENT)
    assert MatchCandidate.objects.count() == 1
    assert record(a, b) is None


def test_same_owner_merges_the_main_owners_and_keeps_both_businesses(dinas_user: Any) -> None:
    # given one person registered twice, each record running a business
    first_owner = make_owner(full_name="Asep Saepudin")
    second_owner = make_owner(full_name="Asep Saepuddin")
    a = make_business(owner=first_owner, name="Bengkel Asep")
    b = make_business(owner=second_owner, name="Cuci Motor Asep")
    candidate = record(a, b)
    assert candidate is not None
    # when
    merge = match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_owner")
    # then
    assert merge is not None
    assert merge.level == MatchLevel.OWNER
    assert {merge.survivor_owner_id, merge.merged_owner_id} == {first_owner.pk, second_owner.pk}
    survivor = Owner.objects.get(pk=merge.survivor_owner_id)
    assert set(survivor.businesses.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert set(Business.objects.values_list("status", flat=True)) == {BusinessStatus.ACTIVE}


def test_same_owner_with_one_owner_record_just_remembers(dinas_user: Any) -> None:
    owner = make_owner()
    a, b = make_business(owner=owner), make_business(owner=owner, name="Kios Pulsa")
    candidate = record(a, b)
    assert candidate is not None
    assert match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_owner") is (
        None
    )
    assert not MergeRecord.objects.exists()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME_OWNER


def test_an_owner_pair_merges_owners(dinas_user: Any) -> None:
    left, right = make_owner(), make_owner()
    candidate = record(left, right)
    assert candidate is not None
    assert candidate.level == MatchLevel.OWNER
    with pytest.raises(ApplicationError) as caught:
        match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_business")
    assert caught.value.code == "decision_invalid"
    merge = match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_owner")
    assert merge is not None
    assert Owner.objects.filter(merged_into__isnull=False).count() == 1


def test_a_decision_is_taken_once(dinas_user: Any) -> None:
    a, b = make_business(), make_business()
    candidate = record(a, b)
    assert candidate is not None
    match_candidate_decide(actor=dinas_user, candidate=candidate, decision="different")
    with pytest.raises(ApplicationError) as caught:
        match_candidate_decide(actor=dinas_user, candidate=candidate, decision="same_business")
    assert caught.value.code == "candidate_decided"
    assert not MergeRecord.objects.exists()


def test_a_pair_whose_record_was_merged_elsewhere_is_superseded(dinas_user: Any) -> None:
    a, b, c = make_business(), make_business(), make_business()
    # b changed least recently: a is kept, b merged into it
    Business.objects.filter(pk=b.pk).update(updated_at=OLD)
    first, second = record(a, b), record(b, c)
    assert first is not None and second is not None
    merge = match_candidate_decide(actor=dinas_user, candidate=first, decision="same_business")
    assert merge is not None and merge.merged_business_id == b.pk
    # then b is gone: the b~c pair is no longer what was scored
    second.refresh_from_db()
    assert second.status == CandidateStatus.SUPERSEDED
    with pytest.raises(ApplicationError) as caught:
        match_candidate_decide(actor=dinas_user, candidate=second, decision="different")
    assert caught.value.code == "candidate_superseded"
    # and the unmerge puts it back in the queue
    business_unmerge(actor=dinas_user, merge=merge)
    second.refresh_from_db()
    assert second.status == CandidateStatus.PENDING


def test_the_queue_filters_and_orders_by_probability() -> None:
    a, b, c = make_business(), make_business(), make_business()
    elsewhere = [make_business(desa_kelurahan="36.73.01.1002") for _ in range(2)]
    low = record(a, b, 0.55)
    high = record(a, c, 0.95, source=MatchSource.IMPORT)
    other = record(*elsewhere, 0.75)
    owners = record(make_owner(), make_owner(), 0.6)
    assert low and high and other and owners
    queue = list(match_candidate_pending_list())
    assert queue == [high, other, owners, low]
    assert list(match_candidate_pending_list(filters=CandidateFilters(kecamatan="36.73.01"))) == [
        other
    ]
    assert list(match_candidate_pending_list(filters=CandidateFilters(source="import"))) == [high]
    assert list(match_candidate_pending_list(filters=CandidateFilters(level="owner"))) == [owners]


def test_the_queue_is_scoped_like_the_register(dinas_user: Any) -> None:
    # given an enumerator assigned to one business of a pair, and to both of another
    enumerator = make_user(Role.ENUMERATOR)
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.06")
    a, b, c = make_business(), make_business(), make_business()
    for business in (a, b):
        BusinessAssignment.objects.create(business=business, user=enumerator)
    visible = record(a, b)
    hidden = record(a, c)
    assert visible and hidden
    # then
    assert list(match_candidate_scope(user=enumerator)) == [visible]
    assert set(match_candidate_scope(user=dinas_user)) == {visible, hidden}
    assert match_candidate_get_accessible(user=enumerator, candidate_id=visible.pk) == visible
    with pytest.raises(Http404):
        match_candidate_get_accessible(user=enumerator, candidate_id=hidden.pk)
    with pytest.raises(Http404):
        match_candidate_get_accessible(user=enumerator, candidate_id="not-an-id")
    assert not match_candidate_scope(user=make_user(Role.PIMPINAN)).exists()
