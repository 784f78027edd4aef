"""Eligibility rules as data, and their evaluation (pure: no Django, no database).

A cycle's rules are a list of small records an officer composes in the UI, e.g.
``{"kind": "permit_missing", "values": ["HALAL"]}`` or
``{"kind": "not_received_within", "values": ["kemasan"], "years": 2}``. All must pass.
``evaluate`` answers pass/fail for each rule *with the reason*, as a code and its arguments; the
web layer turns them into sentences in the reader's language ("tidak memenuhi: belum punya NIB").

A business's facts come in a ``Profile`` that a selector builds from the register for one date;
the same profile feeds the allocator (times assisted) so a rule and a priority never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class RuleKind(StrEnum):
    SIZE_CLASS_IN = "size_class_in"  # values: size classes (mikro, kecil, menengah)
    SECTOR_IN = "sector_in"  # values: sector codes
    AREA_IN = "area_in"  # values: kecamatan or desa/kelurahan codes
    PERMIT_HELD = "permit_held"  # values: permit kinds (NIB, SPP_IRT, BPOM_MD, HALAL, ...); all
    PERMIT_MISSING = "permit_missing"  # values: permit kinds the business must not hold yet
    CONSENT_ACTIVE = "consent_active"  # the owner's consent to processing is in force
    NOT_RECEIVED_WITHIN = "not_received_within"  # values: programme kinds ([] = any); years
    OMZET_RANGE = "omzet_range"  # latest yearly omzet within [minimum, maximum] rupiah
    BINAAN = "binaan"  # flag: must (not) be UMKM binaan
    MEMBER = "member"  # flag: must (not) be an active Hipmikindo member


# "NIB" is a permit for the rules although the register keeps it on the business itself.
NIB = "NIB"


@dataclass(frozen=True)
class AidFact:
    kind: str
    received_on: date


@dataclass(frozen=True)
class Profile:
    """What the rules may look at, for one business on one date."""

    business_id: str
    active: bool
    size_class: str
    sector: str
    kecamatan: str
    desa_kelurahan: str
    permits: frozenset[str]  # valid on the evaluation date, NIB included when held
    consent_active: bool
    omzet: int | None  # latest yearly figure
    omzet_year: int | None
    is_binaan: bool
    is_member: bool
    aid: tuple[AidFact, ...] = ()

    @property
    def times_assisted(self) -> int:
        return len(self.aid)


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    values: tuple[str, ...] = ()
    years: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    flag: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value}
        if self.values:
            data["values"] = list(self.values)
        for name in ("years", "minimum", "maximum", "flag"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass(frozen=True)
class RuleResult:
    rule: Rule | None  # None for the facts every cycle requires (an active business)
    passed: bool
    code: str  # e.g. "permit_missing.fail"
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    results: tuple[RuleResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.passed)


def _int_or_none(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a whole number")
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected a whole number") from exc
    if number < 0:
        raise ValueError(f"{name}: must not be negative")
    return number


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Parse and check one stored rule.

    Raises:
        ValueError: unknown kind, missing values, a bad number or an empty range.
    """
    try:
        kind = RuleKind(str(data.get("kind", "")))
    except ValueError as exc:
        raise ValueError(f"unknown rule kind {data.get('kind')!r}") from exc
    raw_values = data.get("values") or ()
    if isinstance(raw_values, str) or not isinstance(raw_values, Iterable):
        raise ValueError("values: expected a list")
    values = tuple(sorted({str(v).strip() for v in raw_values if str(v).strip()}))
    years = _int_or_none(data.get("years"), "years")
    minimum = _int_or_none(data.get("minimum"), "minimum")
    maximum = _int_or_none(data.get("maximum"), "maximum")
    flag = data.get("flag")
    if flag is not None and not isinstance(flag, bool):
        raise ValueError("flag: expected true or false")
    needs_values = {
        RuleKind.SIZE_CLASS_IN,
        RuleKind.SECTOR_IN,
        RuleKind.AREA_IN,
        RuleKind.PERMIT_HELD,
        RuleKind.PERMIT_MISSING,
    }
    if kind in needs_values and not values:
        raise ValueError(f"{kind.value}: choose at least one value")
    if kind == RuleKind.NOT_RECEIVED_WITHIN and not years:
        raise ValueError("not_received_within: years must be 1 or more")
    if kind == RuleKind.OMZET_RANGE:
        if minimum is None and maximum is None:
            raise ValueError("omzet_range: give a minimum, a maximum or both")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValueError("omzet_range: the minimum is above the maximum")
    if kind in {RuleKind.BINAAN, RuleKind.MEMBER} and flag is None:
        flag = True
    return Rule(
        kind=kind,
        values=values,
        years=years if kind == RuleKind.NOT_RECEIVED_WITHIN else None,
        minimum=minimum if kind == RuleKind.OMZET_RANGE else None,
        maximum=maximum if kind == RuleKind.OMZET_RANGE else None,
        flag=flag if kind in {RuleKind.BINAAN, RuleKind.MEMBER} else None,
    )


def rules_from_data(data: Sequence[Mapping[str, Any]]) -> tuple[Rule, ...]:
    return tuple(rule_from_dict(item) for item in data)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _check(rule: Rule, profile: Profile, on: date) -> RuleResult:
    kind = rule.kind
    name = kind.value

    def result(passed: bool, **args: Any) -> RuleResult:
        return RuleResult(rule, passed, f"{name}.{'pass' if passed else 'fail'}", args)

    if kind == RuleKind.SIZE_CLASS_IN:
        return result(
            profile.size_class in rule.values, value=profile.size_class, allowed=rule.values
        )
    if kind == RuleKind.SECTOR_IN:
        return result(profile.sector in rule.values, value=profile.sector, allowed=rule.values)
    if kind == RuleKind.AREA_IN:
        inside = profile.kecamatan in rule.values or profile.desa_kelurahan in rule.values
        return result(inside, value=profile.kecamatan, allowed=rule.values)
    if kind == RuleKind.PERMIT_HELD:
        missing = tuple(v for v in rule.values if v not in profile.permits)
        return result(not missing, permits=missing or rule.values)
    if kind == RuleKind.PERMIT_MISSING:
        held = tuple(v for v in rule.values if v in profile.permits)
        return result(not held, permits=held or rule.values)
    if kind == RuleKind.CONSENT_ACTIVE:
        return result(profile.consent_active)
    if kind == RuleKind.NOT_RECEIVED_WITHIN:
        assert rule.years is not None
        since = _years_before(on, rule.years)
        recent = sorted(
            (
                a
                for a in profile.aid
                if since < a.received_on <= on and (not rule.values or a.kind in rule.values)
            ),
            key=lambda a: a.received_on,
        )
        if recent:
            return result(
                False,
                years=rule.years,
                kinds=rule.values,
                kind=recent[-1].kind,
                received_on=recent[-1].received_on.isoformat(),
            )
        return result(True, years=rule.years, kinds=rule.values)
    if kind == RuleKind.OMZET_RANGE:
        if profile.omzet is None:
            return RuleResult(
                rule,
                False,
                "omzet_range.unknown",
                {"minimum": rule.minimum, "maximum": rule.maximum},
            )
        low_ok = rule.minimum is None or profile.omzet >= rule.minimum
        high_ok = rule.maximum is None or profile.omzet <= rule.maximum
        return result(
            low_ok and high_ok,
            omzet=profile.omzet,
            year=profile.omzet_year,
            minimum=rule.minimum,
            maximum=rule.maximum,
        )
    if kind == RuleKind.BINAAN:
        return result(profile.is_binaan == rule.flag, flag=rule.flag)
    if kind == RuleKind.MEMBER:
        return result(profile.is_member == rule.flag, flag=rule.flag)
    raise AssertionError(kind)  # pragma: no cover - RuleKind is closed


def evaluate(rules: Sequence[Rule], profile: Profile, *, on: date) -> Evaluation:
    """Every rule's verdict for ``profile`` on date ``on``; a closed business never passes."""
    results: list[RuleResult] = []
    if not profile.active:
        results.append(RuleResult(None, False, "business.inactive", {}))
    results.extend(_check(rule, profile, on) for rule in rules)
    return Evaluation(tuple(results))
