"""The review pages: the queue (scoped, filtered, counted), one pair side by side with the
evidence, the three decisions through POST, the merge history and unmerge, and service
refusals shown as messages (never a 500)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.linkage.models import (
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MatchSource,
    MergeRecord,
)
from naikkelas.linkage.services import business_merge, match_candidate_record
from naikkelas.registry.models import Business, BusinessStatus, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

QUEUE = reverse("linkage:queue")
MERGES = reverse("linkage:merge_list")

# As ``PairScore.as_dict()`` stores it (weights: log2 Bayes factors).
EXPLANATION: dict[str, Any] = {
    "business_probability": 0.912,
    "owner_probability": 0.975,
    "business": {
        "level": "business",
        "prior_weight": -12.5,
        "match_weight": 3.4,
        "match_probability": 0.912,
        "terms": [
            {"comparison": "business", "level": "name_close", "weight": 7.2},
            {"comparison": "phone", "level": "exact", "weight": 9.1},
            {"comparison": "nib", "level": "null", "weight": 0.0},
            {"comparison": "address", "level": "else", "weight": -1.9},
        ],
    },
    "owner": {
        "level": "owner",
        "prior_weight": -10.0,
        "match_weight": 5.1,
        "match_probability": 0.97,
        "terms": [
            {"comparison": "owner_name", "level": "jw92", "weight": 6.3},
            {"comparison": "nik", "level": "exact", "weight": 14.8},
        ],
    },
    "related": [{"comparison": "business", "level": "name_close", "weight": 2.5}],
    "other_business_prior": -1.2,
}


# What the CSP would block: style/on* attributes, inline <script>/<style>, javascript: URLs.
# A <script src="..."> file under static/ is allowed (script-src 'self').
INLINE_CODE = re.compile(
    r"""<[a-z][^>]*\s(?:style|on[a-z]+)\s*=|<script(?![^>]*\ssrc=)|<style|javascript:""",
    re.IGNORECASE,
)


def record(left: Any, right: Any, probability: float = 0.8, **kw: Any) -> MatchCandidate:
    level = "business" if isinstance(left, Business) else "owner"
    candidate = match_candidate_record(
        level=level,
        left=left,
        right=right,
        probability=probability,
        weight=2.0,
        explanation=kw.pop("explanation", EXPLANATION),
        source=kw.pop("source", MatchSource.BATCH),
        **kw,
    )
    assert candidate is not None
    return candidate


def pair_url(candidate: MatchCandidate, **query: str) -> str:
    url = reverse("linkage:pair", kwargs={"candidate_id": candidate.pk})
    return f"{url}?{urlencode(query)}" if query else url


def decide_url(candidate: MatchCandidate, **query: str) -> str:
    url = reverse("linkage:decide", kwargs={"candidate_id": candidate.pk})
    return f"{url}?{urlencode(query)}" if query else url


def unmerge_url(merge: MergeRecord) -> str:
    return reverse("linkage:unmerge", kwargs={"merge_id": merge.pk})


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def queue_ids(response: Any) -> list[str]:
    return [str(c.pk) for c in response.context["page"]]


def move_outside_the_area(*businesses: Business) -> None:
    """Into the neighbouring regency (Kabupaten Serang): outside every officer's scope."""
    Business.objects.filter(pk__in=[b.pk for b in businesses]).update(
        kecamatan_id="36.04.05", desa_kelurahan_id="36.04.05.2001"
    )


# --------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client: Client) -> None:
    candidate = record(make_business(), make_business())
    for url in (QUEUE, pair_url(candidate), MERGES):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(decide_url(candidate), {"decision": "different"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


@pytest.mark.parametrize("role", [Role.HIPMIKINDO, Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER])
def test_roles_without_the_capability_get_403(client: Client, role: Role) -> None:
    candidate = record(make_business(), make_business())
    client.force_login(make_user(role))
    assert client.get(QUEUE).status_code == 403
    assert client.get(pair_url(candidate)).status_code == 403
    assert client.get(MERGES).status_code == 403
    assert client.post(decide_url(candidate), {"decision": "different"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_pairs_and_merges_outside_the_area_are_404(dinas_client: Client, dinas_user: Any) -> None:
    # given a pair and a merge of two businesses outside the deployment's area
    a, b = make_business(), make_business()
    candidate = record(a, b)
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    c, d = make_business(), make_business()
    outside_pair = record(c, d)
    move_outside_the_area(a, b, c, d)
    # then the officer cannot reach them, and they are not listed
    assert dinas_client.get(pair_url(outside_pair)).status_code == 404
    assert dinas_client.post(decide_url(outside_pair), {"decision": "different"}).status_code == (
        404
    )
    assert dinas_client.post(unmerge_url(merge), {"confirm": "on"}).status_code == 404
    assert dinas_client.get(pair_url(candidate)).status_code == 404
    assert queue_ids(dinas_client.get(QUEUE)) == []
    assert list(dinas_client.get(MERGES).context["page"]) == []
    merge.refresh_from_db()
    assert merge.unmerged_at is None


def test_the_pages_have_no_inline_script_or_style(dinas_client: Client, dinas_user: Any) -> None:
    a, b = make_business(), make_business()
    candidate = record(a, b)
    record(make_owner(), make_owner())
    business_merge(actor=dinas_user, survivor=make_business(), merged=make_business())
    for url in (QUEUE, pair_url(candidate), MERGES):
        response = dinas_client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_CODE.search(response.content.decode()), url
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_nav_links_the_queue_only_for_reviewers(client: Client) -> None:
    client.force_login(make_user(Role.DINAS))
    assert QUEUE in client.get(reverse("registry:dashboard")).content.decode()
    client.force_login(make_user(Role.HIPMIKINDO))
    assert QUEUE not in client.get(reverse("registry:dashboard")).content.decode()


# --------------------------------------------------------------------------------------------
# The queue
# --------------------------------------------------------------------------------------------


def test_the_queue_lists_pending_pairs_by_probability_with_filters_and_counts(
    dinas_client: Client,
) -> None:
    # given pairs in two kecamatan, from two sources, at both levels
    a, b, c = make_business(), make_business(), make_business()
    elsewhere = [make_business(desa_kelurahan="36.73.01.1002") for _ in range(2)]
    low = record(a, b, 0.55)
    high = record(a, c, 0.95, source=MatchSource.IMPORT)
    other = record(*elsewhere, 0.75)
    owners = record(make_owner(), make_owner(), 0.6)

    # when the officer opens the queue
    response = dinas_client.get(QUEUE)

    # then every pending pair shows, most likely first, with the counts per level
    assert response.status_code == 200
    assert queue_ids(response) == [str(p.pk) for p in (high, other, owners, low)]
    tabs = {tab["value"]: tab["count"] for tab in response.context["level_tabs"]}
    assert tabs == {"": 4, "business": 3, "owner": 1}
    html = response.content.decode()
    assert "4 pasangan menunggu keputusan" in html
    # and each filter narrows the list (the level counts follow the other filters)
    assert queue_ids(dinas_client.get(QUEUE, {"kecamatan": "36.73.01"})) == [str(other.pk)]
    assert queue_ids(dinas_client.get(QUEUE, {"source": "import"})) == [str(high.pk)]
    response = dinas_client.get(QUEUE, {"level": "owner"})
    assert queue_ids(response) == [str(owners.pk)]
    response = dinas_client.get(QUEUE, {"kecamatan": "36.73.06", "level": "business"})
    assert queue_ids(response) == [str(high.pk), str(low.pk)]
    tabs = {tab["value"]: tab["count"] for tab in response.context["level_tabs"]}
    assert tabs == {"": 2, "business": 2, "owner": 0}
    # and the pair links keep the filters
    assert f"{pair_url(high)}?kecamatan=36.73.06&amp;level=business" in response.content.decode()
    # and an unknown filter value is ignored, not an error
    assert len(queue_ids(dinas_client.get(QUEUE, {"level": "nope", "kecamatan": "x"}))) == 4


def test_the_queue_page_needs_a_bounded_number_of_queries(
    dinas_client: Client, django_assert_max_num_queries: Any
) -> None:
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert dinas_client.get(QUEUE).status_code == 200
        return len(captured)

    record(make_business(), make_business())
    record(make_owner(), make_owner())
    few = count_queries()
    for _ in range(6):
        record(make_business(), make_business(desa_kelurahan="36.73.01.1002"))
        record(make_owner(), make_owner())
    assert count_queries() == few
    # session, user, kecamatan choices, count, counts per level, the page
    with django_assert_max_num_queries(6):
        dinas_client.get(QUEUE, {"kecamatan": "36.73.01", "source": "batch", "level": "business"})
    pair = MatchCandidate.objects.filter(level="business").first()
    assert pair is not None
    with django_assert_max_num_queries(12):
        dinas_client.get(pair_url(pair))


# --------------------------------------------------------------------------------------------
# One pair
# --------------------------------------------------------------------------------------------


def test_the_pair_page_shows_both_records_masked_with_differences_and_evidence(
    dinas_client: Client,
) -> None:
    # given two records of one business, the owners with different NIKs
    left_owner = make_owner(full_name="Hj. Iyah Rohayati")
    right_owner = make_owner(full_name="Iyah Rohayati")
    a = make_business(owner=left_owner, name="Emping Melinjo Bu Iyah", phone="0812-0000-4321")
    b = make_business(owner=right_owner, name="Emping Bu Iyah", phone="0812-0000-4321")
    candidate = record(a, b, 0.91)

    # when
    response = dinas_client.get(pair_url(candidate))

    # then both records are there, NIKs and phones masked, never in full
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emping Melinjo Bu Iyah" in html and "Emping Bu Iyah" in html
    for owner in (left_owner, right_owner):
        assert owner.nik and owner.nik not in html
        assert owner.nik[:4] + "********" + owner.nik[12:] in html
    assert "+6281200004321" not in html
    # and rows that agree and differ are marked
    rows = {row.label: row.same for row in response.context["rows"]}
    assert rows["Nama usaha"] is False
    assert rows["Telepon usaha"] is True
    assert rows["Wilayah"] is True
    assert rows["NIK pemilik"] is False
    assert rows["NIB"] is None  # neither has one: nothing to compare
    # and the evidence is labelled, strongest first, with the probabilities
    evidence = response.context["evidence"]
    assert [t["comparison"] for t in evidence["business"]] == [
        "Nomor HP",
        "Nama & sektor usaha",
        "Alamat",
    ]
    assert [t["tone"] for t in evidence["business"]] == ["agree", "agree", "disagree"]
    assert evidence["business"][0]["bar_width"] == 61  # 9.1 bits on the scale of NIK's 14.8
    assert evidence["business"][2]["bar_x"] == 100 - evidence["business"][2]["bar_width"]
    assert evidence["probability"] == {"business": 91.2, "owner": 97.5}
    assert "nama hampir sama" in html and "91,2%" in html and "97,5%" in html
    # and the three decisions, the reveal through the audited page, the shortcuts script
    for decision in Decision.values:
        assert f'value="{decision}"' in html
    reveal = reverse("privacy:person_reveal", args=[a.pk, left_owner.pk])
    assert f'action="{reveal}"' in html
    assert "linkage/review.js" in html and "<script>" not in html


def test_an_owner_pair_shows_both_people_masked_and_offers_no_business_merge(
    dinas_client: Client,
) -> None:
    # given one person registered twice, one record running a business
    left, right = make_owner(), make_owner(full_name="Asep Saepuddin")
    business = make_business(owner=left, name="Bengkel Asep")
    candidate = record(left, right)
    # when
    response = dinas_client.get(pair_url(candidate))
    # then
    html = response.content.decode()
    assert "Apakah ini orang yang sama?" in html
    assert 'value="same_business"' not in html
    assert 'value="same_owner"' in html and 'value="different"' in html
    for owner in (left, right):
        assert owner.nik and owner.nik not in html
    assert "Bengkel Asep" in html
    rows = {row.label: row.same for row in response.context["rows"]}
    assert (rows["Nama lengkap"], rows["NIK"], rows["Jenis kelamin"]) == (False, False, True)
    # the full data only through the audited reveal page, by way of the person's business
    assert reverse("privacy:person_reveal", args=[business.pk, left.pk]) in html


def test_a_pair_without_explanation_still_shows(dinas_client: Client) -> None:
    candidate = record(make_business(), make_business(), 0.7, explanation={})
    response = dinas_client.get(pair_url(candidate))
    assert response.status_code == 200
    assert 'data-testid="no-explanation"' in response.content.decode()
    assert response.context["evidence"]["probability"] == {"business": 70.0, "owner": None}


def test_the_pair_page_links_its_neighbours_in_the_filtered_queue(dinas_client: Client) -> None:
    a, b, c, d = (make_business() for _ in range(4))
    first, second, third = record(a, b, 0.9), record(a, c, 0.8), record(a, d, 0.7)
    elsewhere = record(*(make_business(desa_kelurahan="36.73.01.1002") for _ in range(2)), 0.85)
    context = dinas_client.get(pair_url(second, kecamatan="36.73.06")).context
    assert context["previous_url"] == pair_url(first, kecamatan="36.73.06")
    assert context["next_url"] == pair_url(third, kecamatan="36.73.06")
    context = dinas_client.get(pair_url(second)).context
    assert context["previous_url"] == pair_url(elsewhere)
    context = dinas_client.get(pair_url(third)).context
    assert context["next_url"] == ""


# --------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------


def test_same_business_merges_and_goes_to_the_next_pair_of_the_filtered_queue(
    dinas_client: Client, dinas_user: Any
) -> None:
    # given three pending business pairs and an owner pair
    a, b = make_business(name="Emping Melinjo Bu Iyah"), make_business(name="Emping Bu Iyah")
    candidate = record(a, b, 0.95)
    following = record(make_business(), make_business(), 0.6)
    record(make_owner(), make_owner(), 0.9)  # another level: filtered out

    # when the officer decides "same business" with a note, filtered to business pairs
    response = dinas_client.post(
        decide_url(candidate, level="business"),
        {"decision": "same_business", "note": "sudah dicek lewat telepon"},
    )

    # then the two businesses are one, the decision remembered, and the next pair opens
    merge = MergeRecord.objects.get()
    assert merge.level == MatchLevel.BUSINESS
    assert {merge.survivor_business_id, merge.merged_business_id} == {a.pk, b.pk}
    assert merge.reason == "sudah dicek lewat telepon"
    assert merge.merged_by == dinas_user
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision) == (CandidateStatus.DECIDED, "same_business")
    assert response.status_code == 302
    assert response["Location"] == pair_url(following, level="business")
    assert "Kedua usaha digabung menjadi satu." in texts(response)[0]
    assert Business.objects.filter(status=BusinessStatus.MERGED).count() == 1


def test_same_owner_merges_the_owners_and_keeps_both_businesses(dinas_client: Client) -> None:
    first, second = make_owner(full_name="Asep Saepudin"), make_owner(full_name="Asep Saepuddin")
    a = make_business(owner=first, name="Bengkel Asep")
    b = make_business(owner=second, name="Cuci Motor Asep")
    candidate = record(a, b)

    response = dinas_client.post(decide_url(candidate), {"decision": "same_owner"})

    merge = MergeRecord.objects.get()
    assert merge.level == MatchLevel.OWNER
    assert {merge.survivor_owner_id, merge.merged_owner_id} == {first.pk, second.pk}
    assert set(Business.objects.values_list("status", flat=True)) == {BusinessStatus.ACTIVE}
    assert Owner.objects.filter(merged_into__isnull=False).count() == 1
    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME_OWNER
    # the queue is empty now: back to it, with a word
    assert response["Location"] == QUEUE
    assert "usaha tetap terpisah" in texts(response)[0]
    assert "Tidak ada lagi pasangan" in texts(response)[1]


def test_different_is_remembered_and_the_pair_never_comes_back(dinas_client: Client) -> None:
    a, b = make_business(), make_business()
    candidate = record(a, b)
    earlier = record(make_business(), make_business(), 0.99)  # above: reached by wrapping round

    response = dinas_client.post(decide_url(candidate), {"decision": "different"})

    assert not MergeRecord.objects.exists()
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision) == (CandidateStatus.DECIDED, "different")
    assert response["Location"] == pair_url(earlier)
    # the engine proposing the pair again changes nothing: it is not in the queue
    assert (
        match_candidate_record(
            level="business",
            left=b,
            right=a,
            probability=0.99,
            weight=9.0,
            explanation=EXPLANATION,
            source=MatchSource.IMPORT,
        )
        is None
    )
    assert queue_ids(dinas_client.get(QUEUE)) == [str(earlier.pk)]
    # and its page says it was decided, without the decision buttons
    html = dinas_client.get(pair_url(candidate)).content.decode()
    assert 'data-testid="pair-status"' in html and 'value="different"' not in html


def test_service_refusals_are_messages_not_errors(dinas_client: Client) -> None:
    # a pair decided already (e.g. by a colleague a moment earlier)
    candidate = record(make_business(), make_business())
    dinas_client.post(decide_url(candidate), {"decision": "different"})
    response = dinas_client.post(
        decide_url(candidate, source="batch"), {"decision": "same_business"}
    )
    assert response.status_code == 302
    assert response["Location"] == pair_url(candidate, source="batch")
    assert "Pasangan data ini sudah diputuskan." in texts(response)
    assert not MergeRecord.objects.exists()
    # "same business" for a pair of owners
    owners = record(make_owner(), make_owner())
    response = dinas_client.post(decide_url(owners), {"decision": "same_business"})
    assert response.status_code == 302
    assert "tidak berlaku untuk pasangan data pemilik" in texts(response)[-1]
    owners.refresh_from_db()
    assert owners.status == CandidateStatus.PENDING
    # an unknown decision, or none
    for data in ({"decision": "merge-everything"}, {}):
        response = dinas_client.post(decide_url(owners), data)
        assert response.status_code == 302
        assert response["Location"] == pair_url(owners)
    # the redirected page shows the message
    response = dinas_client.post(decide_url(candidate), {"decision": "different"}, follow=True)
    assert response.status_code == 200
    assert "Pasangan data ini sudah diputuskan." in response.content.decode()


def test_a_superseded_pair_is_refused_with_the_reason(
    dinas_client: Client, dinas_user: Any
) -> None:
    a, b, c = make_business(), make_business(), make_business()
    # b changed least recently: a is kept, b merged into it
    Business.objects.filter(pk=b.pk).update(updated_at=datetime(2024, 1, 10, 8, 0, tzinfo=UTC))
    first, second = record(a, b, 0.9), record(b, c, 0.8)
    dinas_client.post(decide_url(first), {"decision": "same_business"})
    second.refresh_from_db()
    assert second.status == CandidateStatus.SUPERSEDED
    response = dinas_client.post(decide_url(second), {"decision": "different"})
    assert "tidak berlaku lagi" in texts(response)[-1]
    assert "tidak berlaku lagi" in dinas_client.get(pair_url(second)).content.decode()


# --------------------------------------------------------------------------------------------
# Merge history and unmerge
# --------------------------------------------------------------------------------------------


def test_the_merge_history_lists_merges_and_unmerges_one(
    dinas_client: Client, dinas_user: Any
) -> None:
    # given a merge decided in the queue
    a, b = make_business(name="Batik Kasemen"), make_business(name="Batik Banten Kasemen")
    candidate = record(a, b)
    dinas_client.post(decide_url(candidate), {"decision": "same_business"})
    merge = MergeRecord.objects.get()

    # when the officer opens the history
    response = dinas_client.get(MERGES)
    assert [m.pk for m in response.context["page"]] == [merge.pk]
    html = response.content.decode()
    assert "Batik Kasemen" in html and unmerge_url(merge) in html

    # then without the confirmation nothing happens
    response = dinas_client.post(unmerge_url(merge), {"next": MERGES})
    assert response["Location"] == MERGES
    assert "Centang kotak konfirmasi" in texts(response)[0]
    merge.refresh_from_db()
    assert merge.unmerged_at is None

    # and with it both businesses are back, and the pair is remembered as different
    response = dinas_client.post(unmerge_url(merge), {"confirm": "on", "next": MERGES})
    assert response["Location"] == MERGES
    assert "dipisah kembali" in texts(response)[-1]
    merge.refresh_from_db()
    assert merge.unmerged_at is not None and merge.unmerged_by == dinas_user
    assert set(Business.objects.values_list("status", flat=True)) == {BusinessStatus.ACTIVE}
    candidate.refresh_from_db()
    assert candidate.decision == Decision.DIFFERENT
    assert queue_ids(dinas_client.get(QUEUE)) == []

    # and a second unmerge is refused with the reason, not an error
    response = dinas_client.post(unmerge_url(merge), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == MERGES
    assert "Penggabungan ini sudah dibatalkan." in texts(response)


def test_unmerge_refused_after_a_change_is_a_message_and_returns_to_next(
    dinas_client: Client, dinas_user: Any
) -> None:
    a = make_business(name="Kerupuk Kulit Pak Ade")
    b = make_business(name="Kerupuk Kulit Ade", phone="0812-0000-5555")
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    survivor = Business.objects.get(pk=a.pk)
    assert survivor.phone  # the merge gave the survivor the phone it lacked
    Business.objects.filter(pk=a.pk).update(phone="+6281200009999")
    back = a.get_absolute_url()

    response = dinas_client.post(unmerge_url(merge), {"confirm": "on", "next": back})

    assert response.status_code == 302 and response["Location"] == back
    assert "sudah diubah setelah digabung" in texts(response)[0]
    merge.refresh_from_db()
    assert merge.unmerged_at is None
    # an outside "next" is not followed
    response = dinas_client.post(
        unmerge_url(merge), {"confirm": "on", "next": "https://example.org/"}
    )
    assert response["Location"] == MERGES


def test_the_business_page_include_lists_its_merges(dinas_user: Any) -> None:
    a, b = make_business(name="Sate Bandeng Bu Ela"), make_business(name="Sate Bandeng Ela")
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    request = RequestFactory().get(a.get_absolute_url())
    request.user = dinas_user

    html = render_to_string(
        "linkage/_business_merges.html",
        {"business": a, "can_review_linkage": True},
        request=request,
    )
    assert "Sate Bandeng Ela" in html and unmerge_url(merge) in html
    assert f'name="next" value="{a.get_absolute_url()}"' in html

    html = render_to_string(
        "linkage/_business_merges.html",
        {"business": Business.objects.get(pk=b.pk), "can_review_linkage": False},
        request=request,
    )
    survivor = Business.objects.get(pk=a.pk)
    assert "Usaha ini digabung ke:" in html and survivor.name in html
    assert unmerge_url(merge) not in html
    assert (
        render_to_string(
            "linkage/_business_merges.html",
            {"business": make_business(), "can_review_linkage": True},
            request=request,
        ).strip()
        == ""
    )
