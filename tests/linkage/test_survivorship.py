"""Survivorship: which value a merged record keeps, table by table (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from naikkelas.linkage.survivorship import (
    BUSINESS_GROUPS,
    OWNER_GROUPS,
    Alternate,
    FieldGroup,
    RecordFacts,
    business_is_verified,
    choose_survivor,
    owner_is_verified,
    survive,
)

OLD = datetime(2024, 1, 10, 8, 0, tzinfo=UTC)
NEW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def facts(
    values: dict[str, Any],
    *,
    verified: bool = False,
    updated: datetime = OLD,
    created: datetime = OLD,
    key: str = "a",
) -> RecordFacts:
    return RecordFacts(
        values=values, verified=verified, updated_at=updated, created_at=created, key=key
    )


PHONE = (FieldGroup(("phone",), alternate_kind="phone"),)

# (case, survivor, merged, expected phone, expected alternates)
PHONE_CASES = [
    (
        "non-blank beats blank (survivor blank)",
        facts({"phone": ""}, verified=True, updated=NEW),
        facts({"phone": "+6281200001111"}),
        "+6281200001111",
        [],
    ),
    (
        "non-blank beats blank (merged blank)",
        facts({"phone": "+6281200001111"}),
        facts({"phone": None}, verified=True, updated=NEW),
        "+6281200001111",
        [],
    ),
    (
        "both blank stays blank",
        facts({"phone": ""}),
        facts({"phone": ""}),
        "",
        [],
    ),
    (
        "equal values: nothing lost",
        facts({"phone": "+6281200001111"}),
        facts({"phone": "+6281200001111"}, verified=True, updated=NEW),
        "+6281200001111",
        [],
    ),
    (
        "verified beats unverified even when older",
        facts({"phone": "+6281200001111"}, verified=True, updated=OLD),
        facts({"phone": "+6281200002222"}, verified=False, updated=NEW),
        "+6281200001111",
        [Alternate("phone", "+6281200002222")],
    ),
    (
        "verified merged record beats unverified survivor",
        facts({"phone": "+6281200001111"}, verified=False, updated=NEW),
        facts({"phone": "+6281200002222"}, verified=True, updated=OLD),
        "+6281200002222",
        [Alternate("phone", "+6281200001111")],
    ),
    (
        "both verified: newer wins",
        facts({"phone": "+6281200001111"}, verified=True, updated=OLD),
        facts({"phone": "+6281200002222"}, verified=True, updated=NEW),
        "+6281200002222",
        [Alternate("phone", "+6281200001111")],
    ),
    (
        "neither verified: newer wins",
        facts({"phone": "+6281200001111"}, updated=NEW),
        facts({"phone": "+6281200002222"}, updated=OLD),
        "+6281200001111",
        [Alternate("phone", "+6281200002222")],
    ),
    (
        "full tie: the survivor keeps its value",
        facts({"phone": "+6281200001111"}),
        facts({"phone": "+6281200002222"}),
        "+6281200001111",
        [Alternate("phone", "+6281200002222")],
    ),
]


@pytest.mark.parametrize(
    ("survivor", "merged", "expected", "alternates"),
    [case[1:] for case in PHONE_CASES],
    ids=[case[0] for case in PHONE_CASES],
)
def test_phone_survivorship(
    survivor: RecordFacts, merged: RecordFacts, expected: str, alternates: list[Alternate]
) -> None:
    outcome = survive(survivor=survivor, merged=merged, groups=PHONE)
    assert outcome.values["phone"] == expected
    assert list(outcome.alternates) == alternates


def test_a_group_travels_together() -> None:
    # given a survivor with an unverified NIB and a merged record with a verified one
    survivor = facts({"nib": "1234567890123", "nib_issued_on": date(2020, 1, 1)})
    merged = facts(
        {"nib": "9876543210987", "nib_issued_on": date(2022, 3, 4)}, verified=True, updated=NEW
    )
    # when
    outcome = survive(survivor=survivor, merged=merged, groups=BUSINESS_GROUPS)
    # then the NIB and its issue date come from the same record
    assert outcome.values["nib"] == "9876543210987"
    assert outcome.values["nib_issued_on"] == date(2022, 3, 4)
    assert "nib" in outcome.from_merged
    assert Alternate("nib", "1234567890123") in outcome.alternates


def test_a_blank_lead_field_does_not_take_a_partner_from_the_other_record() -> None:
    survivor = facts({"latitude": None, "longitude": None})
    merged = facts({"latitude": "-6.12", "longitude": "106.15"})
    outcome = survive(survivor=survivor, merged=merged, groups=BUSINESS_GROUPS)
    assert (outcome.values["latitude"], outcome.values["longitude"]) == ("-6.12", "106.15")


BINAAN_CASES = [
    ("neither", (False, None), (False, None), (False, None)),
    ("survivor only", (True, date(2021, 1, 1)), (False, None), (True, date(2021, 1, 1))),
    ("merged only", (False, None), (True, date(2022, 5, 5)), (True, date(2022, 5, 5))),
    (
        "both: the earlier date",
        (True, date(2023, 1, 1)),
        (True, date(2020, 2, 2)),
        (True, date(2020, 2, 2)),
    ),
]


@pytest.mark.parametrize(
    ("survivor", "merged", "expected"),
    [case[1:] for case in BINAAN_CASES],
    ids=[case[0] for case in BINAAN_CASES],
)
def test_binaan_is_kept_if_either_record_says_so(
    survivor: tuple[bool, date | None],
    merged: tuple[bool, date | None],
    expected: tuple[bool, date | None],
) -> None:
    def record(value: tuple[bool, date | None], **kw: Any) -> RecordFacts:
        return facts({"is_binaan": value[0], "binaan_since": value[1]}, **kw)

    outcome = survive(
        survivor=record(survivor, verified=True, updated=NEW),
        merged=record(merged),
        groups=BUSINESS_GROUPS,
    )
    assert (outcome.values["is_binaan"], outcome.values["binaan_since"]) == expected


def test_every_losing_identifier_of_either_record_is_kept() -> None:
    # given two owner records of one person, the merged one newer and verified
    survivor = facts(
        {
            "full_name": "Siti Rohmah",
            "nik": None,
            "phone": "+6281200001111",
            "email": "",
            "address": "Kp. Kalodran",
        }
    )
    merged = facts(
        {
            "full_name": "Hj. Siti Rohmah",
            "nik": "3673065205859001",
            "phone": "+6281200002222",
            "email": "siti@example.org",
            "address": "Kp. Kalodran",
        },
        verified=True,
        updated=NEW,
    )
    # when
    outcome = survive(survivor=survivor, merged=merged, groups=OWNER_GROUPS)
    # then the merged record's values win, and the survivor's losing ones are kept
    assert outcome.values["full_name"] == "Hj. Siti Rohmah"
    assert outcome.values["nik"] == "3673065205859001"
    assert set(outcome.alternates) == {
        Alternate("name", "Siti Rohmah"),
        Alternate("phone", "+6281200001111"),
    }
    assert outcome.changes(survivor) == {
        "full_name": "Hj. Siti Rohmah",
        "nik": "3673065205859001",
        "phone": "+6281200002222",
        "email": "siti@example.org",
    }


VERIFIED_CASES = [
    ("import without NIB", "import", None, False),
    ("import with NIB", "import", "1234567890123", True),
    ("api", "api", None, False),
    ("demo", "demo", None, False),
    ("self-registration", "self", None, True),
    ("ODK field visit", "odk", None, True),
    ("officer desk entry", "manual", None, True),
]


@pytest.mark.parametrize(
    ("source", "nib", "expected"),
    [case[1:] for case in VERIFIED_CASES],
    ids=[case[0] for case in VERIFIED_CASES],
)
def test_business_verification_rule(source: str, nib: str | None, expected: bool) -> None:
    assert business_is_verified(source=source, nib=nib) is expected


@pytest.mark.parametrize(
    ("source", "has_account", "expected"),
    [
        ("import", False, False),
        ("import", True, True),
        ("self", False, True),
        ("api", False, False),
    ],
)
def test_owner_verification_rule(source: str, has_account: bool, expected: bool) -> None:
    assert owner_is_verified(source=source, has_account=has_account) is expected


SURVIVOR_CASES = [
    ("verified first", facts({}, verified=True), facts({}, updated=NEW, key="b"), 0),
    ("verified second", facts({}, updated=NEW), facts({}, verified=True, key="b"), 1),
    ("newer", facts({}, updated=OLD), facts({}, updated=NEW, key="b"), 1),
    (
        "same change time: the older record",
        facts({}, created=NEW),
        facts({}, created=OLD, key="b"),
        1,
    ),
    ("full tie: the smaller id", facts({}, key="b"), facts({}, key="a"), 1),
]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [case[1:] for case in SURVIVOR_CASES],
    ids=[case[0] for case in SURVIVOR_CASES],
)
def test_choose_survivor(first: RecordFacts, second: RecordFacts, expected: int) -> None:
    assert choose_survivor(first, second) == expected
