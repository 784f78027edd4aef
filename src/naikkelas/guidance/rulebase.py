"""The guidance rule base: versioned legal rules as reviewable data (pure: no Django).

Each rule *version* is one ``[[rule]]`` table in ``rulebase.toml`` (shipped in this package).
A version carries its legal basis, sources, effective dates, review date, what is not verified,
the texts shown to owners (Bahasa Indonesia + English) and the legal numbers the evaluation
reads (``params``: thresholds, deadlines, rates). No legal number lives in Python.

Conventions of the data:

* dates are ``date`` objects (TOML dates); in :meth:`RuleSpec.as_data` they become ISO strings,
  and :meth:`RuleSpec.from_data` reads both. Inside ``params`` a string of the form
  ``YYYY-MM-DD`` *is* a date (that is what makes ``as_data``/``from_data`` round-trip).
* money and rates are never floats: rupiah are integers, a rate is a decimal string
  (``rate = "0.005"``); a float in ``params`` is rejected.
* ``effective_to`` is inclusive, like the size-class rules in ``registry.classification``.
* ``status``: ``in_force`` (law or practice applied now), ``under_revision`` (in force while
  a change is being prepared) and ``announced`` (publicly announced, not enacted: never replaces
  an in-force version; see :func:`announced`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

TOPICS = frozenset({"perizinan", "pangan", "halal", "pajak", "kelas", "ritel", "ecommerce"})
STATUSES = frozenset({"in_force", "announced", "under_revision"})
IN_FORCE = "in_force"
ANNOUNCED = "announced"
UNDER_REVISION = "under_revision"

PACKAGED_FILE = "rulebase.toml"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Texts that come in an Indonesian/English pair: field ``x`` and ``x_en``.
_TEXT_FIELDS = ("title", "summary", "cost", "where")
_REQUIRED = (
    "key",
    "version",
    "topic",
    "status",
    "effective_from",
    "legal_basis",
    "sources",
    "last_reviewed",
    *_TEXT_FIELDS,
    "steps",
    "params",
)
# ``x_en`` is required when ``x`` is a plain string (the TOML shape), absent when ``x`` is a
# ``{"id": ..., "en": ...}`` table (the ``as_data`` shape).
_EN_FIELDS = (*(f"{base}_en" for base in _TEXT_FIELDS), "steps_en")
_OPTIONAL = ("effective_to", "unverified", *_EN_FIELDS)
_KNOWN = frozenset(_REQUIRED + _OPTIONAL)


class _DecimalString:
    """Marker type for a param that must be a decimal string (a rate)."""


# The params each rule kind (key) needs, with their types. Keys not listed need none, so a new
# kind of rule can be added as data; the evaluation ignores keys it does not know.
REQUIRED_PARAMS: Mapping[str, Mapping[str, type]] = MappingProxyType(
    {
        "nib": {"nib_digits": int, "free": bool},
        "spp_irt": {"max_valid_years": int, "renew_months_before": int, "free": bool},
        "bpom_md": {"valid_years": int, "free": bool},
        "pangan_tanpa_izin_edar": {"max_shelf_life_days": int},
        "halal_wajib": {
            "deadline_mikro_kecil": date,
            "deadline_menengah_besar": date,
            "free": bool,
        },
        "halal_self_declare": {
            "max_annual_turnover": int,
            "size_classes": tuple,
            "quota_per_year": int,
            "free": bool,
        },
        "halal_reguler": {"working_days": int, "free": bool},
        "pph_final": {
            "rate": _DecimalString,
            "exempt_allowance_individual": int,
            "ceiling_previous_year": int,
            "count_from_year": int,
            "time_limit_years": Mapping,
        },
        "pph_final_perubahan": {
            "announced_on": date,
            "extended_types": tuple,
            "extended_until_tax_year": int,
            "no_extension_types": tuple,
            "conflicting_types": tuple,
        },
        "npwp_nik": {"npwp_digits": int, "free": bool},
        "kelas_usaha": {
            "modal_mikro_max": int,
            "modal_kecil_max": int,
            "modal_menengah_max": int,
            "omzet_mikro_max": int,
            "omzet_kecil_max": int,
            "omzet_menengah_max": int,
        },
        "ritel_modern": {"gs1_prefix": str},
        "ecommerce": {},
    }
)


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("id", "en", "en-us" ...); Indonesian when there is none."""
        if lang.lower().startswith("en") and self.en:
            return self.en
        return self.id


def _freeze(value: Any, where: str) -> Any:
    """Params as read-only values: tables -> mappingproxy, arrays -> tuples, ISO strings -> date."""
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        raise ValueError(
            f"{where}: floats are not allowed (money is whole rupiah, a rate a decimal string)"
        )
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError as exc:
                raise ValueError(f"{where}: not a real date: {value!r}") from exc
        return value
    if isinstance(value, date):
        if type(value) is not date:  # a datetime: a rule speaks in days
            raise ValueError(f"{where}: a date without a time is expected")
        return value
    if isinstance(value, Mapping):
        return MappingProxyType(
            {str(k): _freeze(v, f"{where}.{k}") for k, v in sorted(value.items())}
        )
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, f"{where}[{i}]") for i, v in enumerate(value))
    raise ValueError(f"{where}: unsupported value {value!r}")


def _thaw(value: Any) -> Any:
    """The JSON-able form of a frozen param value."""
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _as_date(value: Any, name: str, label: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{label}: {name} is not a date (YYYY-MM-DD): {value!r}") from exc
    if isinstance(value, date) and type(value) is date:
        return value
    raise ValueError(f"{label}: {name} must be a date (YYYY-MM-DD), got {value!r}")


def _as_text(value: Any, name: str, label: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{label}: {name} must be text, got {value!r}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{label}: {name} must not be empty")
    return value.strip()


def _as_text_list(value: Any, name: str, label: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{label}: {name} must be a list of texts")
    return tuple(_as_text(v, f"{name}[{i}]", label) for i, v in enumerate(value))


def _as_bilingual(data: Mapping[str, Any], name: str, label: str) -> Text:
    """A text given as ``name`` + ``name_en`` strings, or as ``{"id": ..., "en": ...}``."""
    value = data[name]
    if isinstance(value, Mapping):
        if f"{name}_en" in data:
            raise ValueError(f"{label}: give {name} as a table or with {name}_en, not both")
        if set(value) - {"id", "en"}:
            raise ValueError(f"{label}: {name} may only have 'id' and 'en'")
        return Text(
            _as_text(value.get("id"), f"{name}.id", label),
            _as_text(value.get("en"), f"{name}.en", label),
        )
    if f"{name}_en" not in data or data[f"{name}_en"] is None:
        raise ValueError(f"{label}: missing field {name + '_en'!r}")
    return Text(_as_text(value, name, label), _as_text(data[f"{name}_en"], f"{name}_en", label))


def _as_steps(data: Mapping[str, Any], label: str) -> tuple[Text, ...]:
    value = data["steps"]
    if not isinstance(value, list | tuple):
        raise ValueError(f"{label}: steps must be a list")
    if value and all(isinstance(v, Mapping) for v in value):
        if "steps_en" in data:
            raise ValueError(f"{label}: give steps as tables or with steps_en, not both")
        return tuple(
            _as_bilingual({"step": v}, "step", f"{label}: steps[{i}]") for i, v in enumerate(value)
        )
    if "steps_en" not in data or data["steps_en"] is None:
        raise ValueError(f"{label}: missing field 'steps_en'")
    steps_id = _as_text_list(value, "steps", label)
    steps_en = _as_text_list(data["steps_en"], "steps_en", label)
    if len(steps_id) != len(steps_en):
        raise ValueError(
            f"{label}: steps has {len(steps_id)} items but steps_en has {len(steps_en)}"
        )
    return tuple(Text(i, e) for i, e in zip(steps_id, steps_en, strict=True))


def _check_params(key: str, params: Mapping[str, Any], label: str) -> None:
    for name, kind in REQUIRED_PARAMS.get(key, {}).items():
        if name not in params:
            raise ValueError(f"{label}: params.{name} is required for a {key!r} rule")
        value = params[name]
        if kind is _DecimalString:
            ok = isinstance(value, str)
            if ok:
                try:
                    rate = Decimal(value)
                except InvalidOperation:
                    ok = False
                else:
                    ok = rate.is_finite() and 0 <= rate < 1
            if not ok:
                raise ValueError(
                    f"{label}: params.{name} must be a decimal string between 0 and 1, "
                    f'e.g. "0.005"; got {value!r}'
                )
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{label}: params.{name} must be a whole number >= 0")
        elif not isinstance(value, kind):
            raise ValueError(f"{label}: params.{name} must be a {kind.__name__}, got {value!r}")
    if key == "pph_final":
        for kind_name, years in params["time_limit_years"].items():
            if isinstance(years, bool) or not isinstance(years, int) or years < 1:
                raise ValueError(
                    f"{label}: params.time_limit_years.{kind_name} must be a whole number >= 1"
                )


@dataclass(frozen=True)
class RuleSpec:
    """One version of one rule."""

    key: str
    version: int
    topic: str
    status: str
    effective_from: date
    effective_to: date | None
    legal_basis: str
    sources: tuple[str, ...]
    last_reviewed: date
    unverified: str
    title: Text
    summary: Text
    cost: Text
    where: Text
    steps: tuple[Text, ...]
    # Read-only (mappingproxy); left out of the hash because a mapping has none.
    params: Mapping[str, Any] = field(hash=False)

    @property
    def ident(self) -> tuple[str, int]:
        return (self.key, self.version)

    @property
    def is_announced(self) -> bool:
        return self.status == ANNOUNCED

    @property
    def free(self) -> bool:
        """Doing what the rule asks costs nothing (``params.free``)."""
        return self.params.get("free") is True

    def covers(self, day: date) -> bool:
        """``day`` lies in the version's effective range (both ends inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def as_data(self) -> dict[str, Any]:
        """A JSON-able dict; :meth:`from_data` reads it back unchanged. Texts are
        ``{"id": ..., "en": ...}`` tables and steps a list of them (the TOML writes the same
        as ``x``/``x_en`` pairs; ``from_data`` reads both shapes)."""
        data: dict[str, Any] = {
            "key": self.key,
            "version": self.version,
            "topic": self.topic,
            "status": self.status,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "legal_basis": self.legal_basis,
            "sources": list(self.sources),
            "last_reviewed": self.last_reviewed.isoformat(),
            "unverified": self.unverified,
        }
        for base in _TEXT_FIELDS:
            text: Text = getattr(self, base)
            data[base] = {"id": text.id, "en": text.en}
        data["steps"] = [{"id": step.id, "en": step.en} for step in self.steps]
        data["params"] = _thaw(self.params)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RuleSpec:
        """Validate one rule version (a TOML table or :meth:`as_data` output)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a rule must be a table, got {type(data).__name__}")
        label = f"rule {data.get('key', '?')!s} v{data.get('version', '?')!s}"
        for name in _REQUIRED:
            if name not in data or data[name] is None:
                raise ValueError(f"{label}: missing field {name!r}")
        unknown = sorted(set(data) - _KNOWN)
        if unknown:
            raise ValueError(f"{label}: unknown field(s) {', '.join(map(repr, unknown))}")

        key = _as_text(data["key"], "key", label)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise ValueError(f"{label}: key must be lower_snake_case, got {key!r}")
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(f"{label}: version must be a whole number >= 1, got {version!r}")
        topic = data["topic"]
        if topic not in TOPICS:
            raise ValueError(f"{label}: topic {topic!r} is not one of {sorted(TOPICS)}")
        status = data["status"]
        if status not in STATUSES:
            raise ValueError(f"{label}: status {status!r} is not one of {sorted(STATUSES)}")

        effective_from = _as_date(data["effective_from"], "effective_from", label)
        raw_to = data.get("effective_to")
        effective_to = None if raw_to is None else _as_date(raw_to, "effective_to", label)
        if effective_to is not None and effective_to < effective_from:
            raise ValueError(
                f"{label}: effective_to {effective_to} is before effective_from {effective_from}"
            )
        last_reviewed = _as_date(data["last_reviewed"], "last_reviewed", label)

        sources = _as_text_list(data["sources"], "sources", label)
        if not sources:
            raise ValueError(f"{label}: at least one source URL is required")
        for url in sources:
            if not re.match(r"^https?://[^\s/]+\.[^\s/]+", url):
                raise ValueError(f"{label}: source {url!r} is not an http(s) URL")
            if "..." in url or "…" in url:
                raise ValueError(f"{label}: source {url!r} is truncated")

        texts = {base: _as_bilingual(data, base, label) for base in _TEXT_FIELDS}
        steps = _as_steps(data, label)

        if not isinstance(data["params"], Mapping):
            raise ValueError(f"{label}: params must be a table")
        params = _freeze(data["params"], f"{label}: params")
        _check_params(key, params, label)

        return cls(
            key=key,
            version=version,
            topic=topic,
            status=status,
            effective_from=effective_from,
            effective_to=effective_to,
            legal_basis=_as_text(data["legal_basis"], "legal_basis", label),
            sources=sources,
            last_reviewed=last_reviewed,
            unverified=_as_text(
                data.get("unverified") or "", "unverified", label, allow_empty=True
            ),
            title=texts["title"],
            summary=texts["summary"],
            cost=texts["cost"],
            where=texts["where"],
            steps=steps,
            params=params,
        )


def load_rules(text: str) -> tuple[RuleSpec, ...]:
    """Parse and validate a rule-base TOML document (``[[rule]]`` tables)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"rule base is not valid TOML: {exc}") from exc
    tables = document.get("rule")
    if not isinstance(tables, list) or not tables:
        raise ValueError("rule base has no [[rule]] tables")
    extra = sorted(set(document) - {"rule"})
    if extra:
        raise ValueError(f"rule base has unknown top-level key(s): {', '.join(extra)}")
    rules = tuple(RuleSpec.from_data(table) for table in tables)
    check_unique(rules)
    return rules


def check_unique(rules: Iterable[RuleSpec]) -> None:
    """Raise ``ValueError`` when a (key, version) appears twice."""
    seen: set[tuple[str, int]] = set()
    for rule in rules:
        if rule.ident in seen:
            raise ValueError(f"rule {rule.key} v{rule.version} is defined twice")
        seen.add(rule.ident)


@lru_cache(maxsize=1)
def packaged_rules() -> tuple[RuleSpec, ...]:
    """The rule base shipped with the package (``naikkelas/guidance/rulebase.toml``)."""
    text = resources.files("naikkelas.guidance").joinpath(PACKAGED_FILE).read_text("utf-8")
    return load_rules(text)


def current(rules: Iterable[RuleSpec], key: str, on: date) -> RuleSpec | None:
    """The version of ``key`` that applies on ``on``: the highest non-announced version whose
    effective range covers the day. Announced versions never count (see :func:`announced`)."""
    best: RuleSpec | None = None
    for rule in rules:
        if rule.key != key or rule.is_announced or not rule.covers(on):
            continue
        if best is None or rule.version > best.version:
            best = rule
    return best


def announced(rules: Iterable[RuleSpec], on: date) -> tuple[RuleSpec, ...]:
    """Announced (not enacted) changes known on ``on``: per key the highest announced version
    whose range covers the day, ordered by key."""
    best: dict[str, RuleSpec] = {}
    for rule in rules:
        if not rule.is_announced or not rule.covers(on):
            continue
        if rule.key not in best or rule.version > best[rule.key].version:
            best[rule.key] = rule
    return tuple(best[key] for key in sorted(best))
