"""An officer opens the duplicates queue, opens a pair, decides with the keyboard, and finds
the merge in the history."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.linkage.models import CandidateStatus, MatchCandidate, MatchSource, MergeRecord
from naikkelas.linkage.services import match_candidate_record
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.browser

EXPLANATION = {
    "business_probability": 0.88,
    "owner_probability": 0.96,
    "business": {
        "level": "business",
        "prior_weight": -12.5,
        "match_weight": 2.9,
        "match_probability": 0.88,
        "terms": [
            {"comparison": "business", "level": "name_close", "weight": 7.2},
            {"comparison": "phone", "level": "exact", "weight": 9.1},
            {"comparison": "address", "level": "else", "weight": -0.9},
        ],
    },
    "owner": {
        "level": "owner",
        "prior_weight": -10.0,
        "match_weight": 4.4,
        "match_probability": 0.96,
        "terms": [{"comparison": "owner_name", "level": "jw92", "weight": 6.3}],
    },
    "related": [],
    "other_business_prior": -1.2,
}


@pytest.mark.django_db(transaction=True)
def test_officer_merges_a_pair_with_the_keyboard(live_server, page, tmp_path) -> None:
    # given an officer and two records of one business waiting in the queue
    load_reference_data()
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    left = make_business(
        owner=make_owner(full_name="Hj. Iyah Rohayati"),
        name="Emping Melinjo Bu Iyah",
        phone="0812-0000-4321",
    )
    right = make_business(
        owner=make_owner(full_name="Iyah Rohayati"), name="Emping Bu Iyah", phone="0812-0000-4321"
    )
    candidate = match_candidate_record(
        level="business",
        left=left,
        right=right,
        probability=0.88,
        weight=2.9,
        explanation=EXPLANATION,
        source=MatchSource.IMPORT,
    )
    assert candidate is not None

    # when the officer signs in and opens the queue from the menu
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    page.click("nav >> text=Data ganda")
    page.wait_for_selector("[data-testid=queue]")
    assert "1 pasangan menunggu keputusan" in page.inner_text("[data-testid=queue-count]")

    # and opens the pair
    page.click("[data-testid=pair-link]")
    page.wait_for_selector("h1:has-text('Apakah ini usaha yang sama?')")
    assert "nama hampir sama" in page.inner_text("[data-testid=terms-business]")
    page.screenshot(path=tmp_path / "review-pair.png", full_page=True)

    # and types a note containing the shortcut letters: nothing is decided while typing
    page.locator("#id_note").press_sequentially("sudah dicek")
    page.keyboard.press("Escape")
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING

    # and the help comes and goes with "?"
    page.keyboard.press("?")
    assert page.locator("[data-testid=shortcut-help]").is_visible()
    page.keyboard.press("?")
    assert not page.locator("[data-testid=shortcut-help]").is_visible()

    # and presses "s"
    page.keyboard.press("s")

    # then the two businesses are merged, with the note, and the (now empty) queue shows it
    page.wait_for_selector("text=Kedua usaha digabung menjadi satu.")
    page.wait_for_selector("[data-testid=queue-empty]")
    merge = MergeRecord.objects.get()
    assert {merge.survivor_business_id, merge.merged_business_id} == {left.pk, right.pk}
    assert merge.reason == "sudah dicek"
    assert MatchCandidate.objects.get(pk=candidate.pk).decision == "same_business"

    # and the merge is in the history, with its unmerge
    page.click("text=Riwayat penggabungan")
    page.wait_for_selector(f"[data-merge='{merge.pk}']")
    assert page.locator(f"[data-testid='unmerge-{merge.pk}']").count() == 1
    page.screenshot(path=tmp_path / "merge-history.png", full_page=True)
