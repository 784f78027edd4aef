"""Eligibility rules (pure): each kind passes and fails with its reason, at its boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from naikkelas.programs.eligibility import (
    NIB,
    AidFact,
    Profile,
    Rule,
    RuleKind,
    evaluate,
    rule_from_dict,
    rules_from_data,
)

DAY = date(2026, 11, 29)

BASE = Profile(
    business_id="b1",
    active=True,
    size_class="mikro",
    sector="kuliner",
    kecamatan="36.73.02",
    desa_kelurahan="36.73.02.1001",
    permits=frozenset({NIB, "SPP_IRT"}),
    consent_active=True,
    omzet=120_000_000,
    omzet_year=2025,
    is_binaan=True,
    is_member=False,
)


def verdict(rule: dict, profile: Profile = BASE, on: date = DAY) -> tuple[bool, str, dict]:
    result = evaluate([rule_from_dict(rule)], profile, on=on).results[0]
    return result.passed, result.code, dict(result.args)


@pytest.mark.parametrize(
    ("rule", "passed"),
    [
        ({"kind": "size_class_in", "values": ["mikro", "kecil"]}, True),
        ({"kind": "size_class_in", "values": ["kecil"]}, False),
        ({"kind": "sector_in", "values": ["kuliner"]}, True),
        ({"kind": "sector_in", "values": ["fesyen", "kriya"]}, False),
        ({"kind": "area_in", "values": ["36.73.02"]}, True),
        ({"kind": "area_in", "values": ["36.73.02.1001"]}, True),
        ({"kind": "area_in", "values": ["36.73.01"]}, False),
        ({"kind": "permit_held", "values": ["NIB"]}, True),
        ({"kind": "permit_held", "values": ["NIB", "HALAL"]}, False),
        ({"kind": "permit_missing", "values": ["HALAL"]}, True),
        ({"kind": "permit_missing", "values": ["SPP_IRT"]}, False),
        ({"kind": "consent_active"}, True),
        ({"kind": "binaan"}, True),
        ({"kind": "binaan", "flag": False}, False),
        ({"kind": "member"}, False),
        ({"kind": "member", "flag": False}, True),
    ],
)
def test_each_kind_passes_or_fails(rule: dict, passed: bool) -> None:
    assert verdict(rule)[0] is passed


def test_missing_permits_are_named_in_the_reason() -> None:
    passed, code, args = verdict({"kind": "permit_held", "values": ["HALAL", "NIB"]})
    assert (passed, code) == (False, "permit_held.fail")
    assert args["permits"] == ("HALAL",)


def test_without_nib_the_nib_rule_fails() -> None:
    profile = replace(BASE, permits=frozenset())
    assert verdict({"kind": "permit_held", "values": ["NIB"]}, profile)[:2] == (
        False,
        "permit_held.fail",
    )


@pytest.mark.parametrize(
    ("omzet", "passed"),
    [(49_999_999, False), (50_000_000, True), (300_000_000, True), (300_000_001, False)],
)
def test_omzet_range_boundaries_are_inclusive(omzet: int, passed: bool) -> None:
    rule = {"kind": "omzet_range", "minimum": 50_000_000, "maximum": 300_000_000}
    assert verdict(rule, replace(BASE, omzet=omzet))[0] is passed


def test_unknown_omzet_fails_with_its_own_reason() -> None:
    passed, code, _args = verdict({"kind": "omzet_range", "maximum": 1}, replace(BASE, omzet=None))
    assert (passed, code) == (False, "omzet_range.unknown")


@pytest.mark.parametrize(
    ("received_on", "passed"),
    [
        (date(2024, 11, 29), True),  # exactly two years ago: outside "within 2 years"
        (date(2024, 11, 30), False),  # one day inside
        (date(2026, 11, 29), False),  # today
        (date(2026, 11, 30), True),  # a future record is not "received"
    ],
)
def test_not_received_within_years_window(received_on: date, passed: bool) -> None:
    profile = replace(BASE, aid=(AidFact(kind="kemasan", received_on=received_on),))
    rule = {"kind": "not_received_within", "values": ["kemasan"], "years": 2}
    result = verdict(rule, profile)
    assert result[0] is passed
    if not passed:
        assert result[2]["kind"] == "kemasan"
        assert result[2]["received_on"] == received_on.isoformat()


def test_not_received_within_looks_only_at_named_kinds_unless_none_named() -> None:
    profile = replace(BASE, aid=(AidFact(kind="pelatihan", received_on=date(2026, 1, 5)),))
    assert verdict({"kind": "not_received_within", "values": ["kemasan"], "years": 3}, profile)[0]
    assert not verdict({"kind": "not_received_within", "years": 3}, profile)[0]


def test_leap_day_window() -> None:
    """A year before 29 February is 28 February: that day is outside, the next inside."""
    rule = {"kind": "not_received_within", "years": 1}
    outside = replace(BASE, aid=(AidFact(kind="halal", received_on=date(2027, 2, 28)),))
    inside = replace(BASE, aid=(AidFact(kind="halal", received_on=date(2027, 3, 1)),))
    assert verdict(rule, outside, on=date(2028, 2, 29))[0]
    assert not verdict(rule, inside, on=date(2028, 2, 29))[0]


def test_a_closed_business_never_passes() -> None:
    evaluation = evaluate([], replace(BASE, active=False), on=DAY)
    assert not evaluation.passed
    assert evaluation.failures[0].code == "business.inactive"


def test_no_rules_means_every_active_business_passes() -> None:
    assert evaluate([], BASE, on=DAY).passed


def test_all_rules_must_pass_and_every_failure_is_listed() -> None:
    rules = rules_from_data(
        [
            {"kind": "sector_in", "values": ["fesyen"]},
            {"kind": "permit_held", "values": ["HALAL"]},
            {"kind": "consent_active"},
        ]
    )
    evaluation = evaluate(rules, BASE, on=DAY)
    assert not evaluation.passed
    assert [f.code for f in evaluation.failures] == ["sector_in.fail", "permit_held.fail"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "nope"}, "unknown rule kind"),
        ({"kind": "sector_in"}, "at least one value"),
        ({"kind": "sector_in", "values": "kuliner"}, "expected a list"),
        ({"kind": "not_received_within", "years": 0}, "years"),
        ({"kind": "not_received_within", "years": "dua"}, "whole number"),
        ({"kind": "omzet_range"}, "minimum, a maximum"),
        ({"kind": "omzet_range", "minimum": 5, "maximum": 1}, "above the maximum"),
        ({"kind": "omzet_range", "minimum": -1}, "negative"),
        ({"kind": "binaan", "flag": "ya"}, "true or false"),
    ],
)
def test_malformed_rules_are_refused_with_a_message(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rule_from_dict(data)


def test_rules_round_trip_through_storage() -> None:
    rule = Rule(RuleKind.NOT_RECEIVED_WITHIN, values=("halal", "kemasan"), years=2)
    assert rule_from_dict(rule.as_dict()) == rule
    stored = rule_from_dict({"kind": "sector_in", "values": ["kriya", "fesyen", "kriya", " "]})
    assert stored.values == ("fesyen", "kriya")
