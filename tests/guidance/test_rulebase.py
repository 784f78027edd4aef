"""The packaged rule base validates, cites its sources, flags what is unverified, round-trips,
and ``current()`` picks the right version on each side of an effective date."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from naikkelas.guidance.rulebase import (
    STATUSES,
    TOPICS,
    RuleSpec,
    Text,
    announced,
    check_unique,
    current,
    load_rules,
    packaged_rules,
)
from naikkelas.registry.classification import PP_7_2021, SizeClass

RULES = packaged_rules()
BY_ID = {rule.ident: rule for rule in RULES}
IDS = [f"{rule.key}-v{rule.version}" for rule in RULES]

REQUIRED_KEYS = {
    "nib",
    "spp_irt",
    "bpom_md",
    "pangan_tanpa_izin_edar",
    "halal_wajib",
    "halal_self_declare",
    "halal_reguler",
    "pph_final",
    "pph_final_perubahan",
    "npwp_nik",
    "kelas_usaha",
    "ritel_modern",
    "ecommerce",
}


def rule(key: str, version: int = 1) -> RuleSpec:
    return BY_ID[(key, version)]


def flat(data: dict[str, Any]) -> dict[str, Any]:
    """``as_data`` output rewritten in the TOML's flat shape (``x`` + ``x_en``)."""
    out = dict(data)
    for base in ("title", "summary", "cost", "where"):
        out[base], out[f"{base}_en"] = data[base]["id"], data[base]["en"]
    out["steps"] = [s["id"] for s in data["steps"]]
    out["steps_en"] = [s["en"] for s in data["steps"]]
    return out


# --- the packaged file ------------------------------------------------------------------------


def test_packaged_rules_cover_every_required_key() -> None:
    assert REQUIRED_KEYS <= {r.key for r in RULES}
    check_unique(RULES)  # no duplicate (key, version)


@pytest.mark.parametrize("spec", RULES, ids=IDS)
def test_every_rule_is_complete_and_cited(spec: RuleSpec) -> None:
    assert spec.topic in TOPICS and spec.status in STATUSES
    assert spec.version >= 1
    assert spec.sources and all(s.startswith(("http://", "https://")) for s in spec.sources)
    assert spec.legal_basis.strip()
    assert isinstance(spec.effective_from, date)
    assert spec.last_reviewed == date(2026, 11, 29)
    for text in (spec.title, spec.summary, spec.cost, spec.where):
        assert text.id.strip() and text.en.strip()
    assert spec.steps and all(s.id and s.en for s in spec.steps)


@pytest.mark.parametrize("spec", RULES, ids=IDS)
def test_params_are_read_only_and_free_of_floats(spec: RuleSpec) -> None:
    with pytest.raises(TypeError):
        spec.params["x"] = 1  # type: ignore[index]

    def walk(value: Any) -> None:
        assert not isinstance(value, float)
        if isinstance(value, MappingProxyType):
            for v in value.values():
                walk(v)

    walk(spec.params)
    hash(spec)  # usable in sets


# Where domain-facts says UNVERIFIED (or only a blog/news source exists), the rule says so.
@pytest.mark.parametrize(
    ("key", "version", "fragment"),
    [
        ("nib", 2, "gratis"),
        ("spp_irt", 1, "Biaya"),
        ("spp_irt", 1, "OSS"),
        ("bpom_md", 1, "blog"),
        ("pangan_tanpa_izin_edar", 1, "blog"),
        ("halal_wajib", 1, "PP 42/2024"),
        ("halal_self_declare", 1, "KMA 1360"),
        ("halal_self_declare", 1, "1,35 juta"),
        ("halal_reguler", 1, "Biaya"),
        ("pph_final", 1, "Pasal 60"),
        ("pph_final_perubahan", 1, "tanpa batas waktu"),
        ("pph_final_perubahan", 1, "2029"),
        ("pph_final_perubahan", 1, "nomor"),
        ("npwp_nik", 2, "NITKU"),
        ("kelas_usaha", 1, "Pasal 36"),
        ("ritel_modern", 1, "Indomaret"),
        ("ritel_modern", 1, "2018"),
        ("ecommerce", 1, "bukan aturan hukum"),
    ],
)
def test_unverified_facts_are_flagged(key: str, version: int, fragment: str) -> None:
    assert fragment in rule(key, version).unverified


def test_announced_change_is_announced_and_says_so() -> None:
    spec = rule("pph_final_perubahan")
    assert spec.status == "announced"
    assert spec.summary.id.startswith("DIUMUMKAN, BELUM BERLAKU")
    assert spec.summary.en.startswith("ANNOUNCED, NOT IN FORCE")
    assert "belum ada nomor PP" in spec.legal_basis
    assert set(spec.params["no_extension_types"]) == {"cv", "firma", "pt"}


def test_checklists_say_they_are_not_law() -> None:
    assert rule("ritel_modern").status == "in_force"
    assert "indikatif" in rule("ritel_modern").legal_basis
    assert "bukan kewajiban hukum" in rule("ecommerce").legal_basis


@pytest.mark.parametrize(
    ("key", "param", "value"),
    [
        ("pph_final", "rate", "0.005"),
        ("pph_final", "exempt_allowance_individual", 500_000_000),
        ("pph_final", "ceiling_previous_year", 4_800_000_000),
        ("pph_final", "count_from_year", 2018),
        ("halal_wajib", "deadline_mikro_kecil", date(2026, 10, 18)),
        ("halal_wajib", "deadline_menengah_besar", date(2024, 10, 18)),
        ("halal_self_declare", "max_annual_turnover", 500_000_000),
        ("halal_self_declare", "size_classes", ("mikro", "kecil")),
        ("halal_reguler", "working_days", 21),
        ("spp_irt", "max_valid_years", 5),
        ("spp_irt", "renew_months_before", 6),
        ("pangan_tanpa_izin_edar", "max_shelf_life_days", 7),
        ("nib", "nib_digits", 13),
        ("ritel_modern", "gs1_prefix", "899"),
    ],
)
def test_legal_numbers_are_params(key: str, param: str, value: Any) -> None:
    assert current(RULES, key, date(2026, 11, 29)).params[param] == value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("taxpayer", "years"),
    [
        ("orang_pribadi", 7),
        ("koperasi", 4),
        ("cv", 4),
        ("firma", 4),
        ("bumdes", 4),
        ("pt_perorangan", 4),
        ("pt", 3),
    ],
)
def test_time_limits_per_taxpayer_type(taxpayer: str, years: int) -> None:
    assert rule("pph_final").params["time_limit_years"][taxpayer] == years


def test_size_class_display_params_match_registry_classification() -> None:
    params = rule("kelas_usaha").params
    modal = dict(PP_7_2021.modal_limits)
    omzet = dict(PP_7_2021.omzet_limits)
    for size in (SizeClass.MIKRO, SizeClass.KECIL, SizeClass.MENENGAH):
        assert params[f"modal_{size.value}_max"] == modal[size]
        assert params[f"omzet_{size.value}_max"] == omzet[size]
    assert rule("kelas_usaha").effective_from == PP_7_2021.effective_from


# --- as_data / from_data ----------------------------------------------------------------------


@pytest.mark.parametrize("spec", RULES, ids=IDS)
def test_as_data_round_trips_through_json(spec: RuleSpec) -> None:
    data = json.loads(json.dumps(spec.as_data()))
    assert RuleSpec.from_data(data) == spec
    assert data["title"] == {"id": spec.title.id, "en": spec.title.en}


@pytest.mark.parametrize("spec", RULES, ids=IDS)
def test_flat_toml_shape_is_read_too(spec: RuleSpec) -> None:
    assert RuleSpec.from_data(flat(spec.as_data())) == spec


def test_dates_in_params_round_trip() -> None:
    data = rule("halal_wajib").as_data()
    assert data["params"]["deadline_mikro_kecil"] == "2026-10-18"
    assert RuleSpec.from_data(data).params["deadline_mikro_kecil"] == date(2026, 10, 18)


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(rule("pph_final").as_data())
    change(data)
    return data


def _set(path: str, value: Any) -> Any:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for name in parents:
            target = target[name]
        target[last] = value

    return apply


def _drop(path: str) -> Any:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for name in parents:
            target = target[name]
        del target[last]

    return apply


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop("legal_basis"), "missing field 'legal_basis'"),
        (_drop("sources"), "missing field 'sources'"),
        (_drop("last_reviewed"), "missing field 'last_reviewed'"),
        (_drop("params"), "missing field 'params'"),
        (_set("status", "draft"), "status 'draft'"),
        (_set("topic", "lainnya"), "topic 'lainnya'"),
        (_set("version", 0), "version must be"),
        (_set("version", True), "version must be"),
        (_set("effective_to", "2022-12-19"), "is before effective_from"),
        (_set("effective_from", "20-12-2022"), "not a date"),
        (_set("sources", []), "at least one source"),
        (_set("sources", ["ftp://example.org/x"]), "not an http(s) URL"),
        (_set("sources", ["www.example.org/x"]), "not an http(s) URL"),
        (_set("sources", ["https://news.ddtc.co.id/berita/..."]), "truncated"),
        (_set("legal_basis", "  "), "legal_basis must not be empty"),
        (_set("title", {"id": "Judul"}), "title.en must be text"),
        (_set("surprise", 1), "unknown field"),
        (_drop("params.rate"), "params.rate is required"),
        (_set("params.rate", 0.005), "floats are not allowed"),
        (_set("params.rate", "setengah persen"), "decimal string"),
        (_set("params.rate", "1.5"), "decimal string"),
        (_set("params.ceiling_previous_year", "4,8 miliar"), "whole number"),
        (_set("params.time_limit_years.pt", 0), "time_limit_years.pt"),
        (_set("params.count_from_year", -1), "whole number"),
    ],
)
def test_from_data_rejects_with_a_clear_message(change: Any, message: str) -> None:
    with pytest.raises(ValueError, match="rule pph_final v") as error:
        RuleSpec.from_data(_broken(change))
    assert message in str(error.value)


def test_flat_shape_needs_the_english_twin() -> None:
    data = flat(rule("nib", 2).as_data())
    del data["summary_en"]
    with pytest.raises(ValueError, match="missing field 'summary_en'"):
        RuleSpec.from_data(data)
    data = flat(rule("nib", 2).as_data())
    data["steps_en"] = data["steps_en"][:-1]
    with pytest.raises(ValueError, match="steps_en has"):
        RuleSpec.from_data(data)


def test_both_shapes_at_once_are_refused() -> None:
    data = rule("nib", 2).as_data()
    data["title_en"] = "NIB"
    with pytest.raises(ValueError, match="not both"):
        RuleSpec.from_data(data)


def test_a_kind_with_required_params_needs_them() -> None:
    data = rule("halal_wajib").as_data()
    del data["params"]["deadline_mikro_kecil"]
    with pytest.raises(ValueError, match="deadline_mikro_kecil is required"):
        RuleSpec.from_data(data)


def test_a_new_kind_of_rule_needs_no_params() -> None:
    data = rule("ecommerce").as_data()
    data["key"] = "sertifikat_standar"
    assert RuleSpec.from_data(data).key == "sertifikat_standar"


TOML_RULE = """
[[rule]]
key = "contoh"
version = 1
topic = "perizinan"
status = "in_force"
effective_from = 2025-01-01
legal_basis = "PP 1/2025 Pasal 1"
sources = ["https://example.org/pp-1-2025"]
last_reviewed = 2026-11-29
title = "Contoh"
title_en = "Example"
summary = "Ringkas."
summary_en = "Short."
cost = "Gratis."
cost_en = "Free."
where = "OSS."
where_en = "OSS."
steps = ["Satu."]
steps_en = ["One."]
params = {}
"""


def test_load_rules_reads_toml_and_refuses_duplicates() -> None:
    (spec,) = load_rules(TOML_RULE)
    assert spec.key == "contoh" and spec.unverified == "" and spec.effective_to is None
    with pytest.raises(ValueError, match="defined twice"):
        load_rules(TOML_RULE + TOML_RULE)
    with pytest.raises(ValueError, match="not valid TOML"):
        load_rules("[[rule]\nkey=")
    with pytest.raises(ValueError, match="no \\[\\[rule\\]\\] tables"):
        load_rules("title = 'x'")


# --- Text, covers, current, announced ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (Text("gratis", "free"), "id", "gratis"),
        (Text("gratis", "free"), "en", "free"),
        (Text("gratis", "free"), "en-us", "free"),
        (Text("gratis", "free"), "jv", "gratis"),
        (Text("gratis", ""), "en", "gratis"),
    ],
)
def test_text_get_falls_back_to_indonesian(text: Text, lang: str, expected: str) -> None:
    assert text.get(lang) == expected


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        (date(2021, 2, 1), False),
        (date(2021, 2, 2), True),
        (date(2025, 6, 4), True),
        (date(2025, 6, 5), False),
    ],
)
def test_covers_is_inclusive_at_both_ends(day: date, covered: bool) -> None:
    assert rule("nib", 1).covers(day) is covered


@pytest.mark.parametrize(
    ("key", "day", "version"),
    [
        ("nib", date(2021, 2, 1), None),
        ("nib", date(2025, 6, 4), 1),
        ("nib", date(2025, 6, 5), 2),
        ("npwp_nik", date(2022, 7, 13), None),
        ("npwp_nik", date(2024, 6, 30), 1),
        ("npwp_nik", date(2024, 7, 1), 2),
        ("halal_wajib", date(2024, 10, 16), None),
        ("halal_wajib", date(2024, 10, 17), 1),
        ("pph_final", date(2022, 12, 19), None),
        ("pph_final", date(2022, 12, 20), 1),
        ("pph_final_perubahan", date(2026, 11, 29), None),  # announced: never current
        ("tidak_ada", date(2026, 11, 29), None),
    ],
)
def test_current_picks_the_version_in_force(key: str, day: date, version: int | None) -> None:
    found = current(RULES, key, day)
    assert (found.version if found else None) == version


def test_current_prefers_the_highest_overlapping_version() -> None:
    newer = replace(rule("nib", 2), version=3, effective_from=date(2026, 1, 1))
    rules = (*RULES, newer)
    assert current(rules, "nib", date(2025, 12, 31)).version == 2  # type: ignore[union-attr]
    assert current(rules, "nib", date(2026, 1, 1)).version == 3  # type: ignore[union-attr]


def test_announced_never_replaces_in_force_and_is_listed_separately() -> None:
    planned = replace(
        rule("pph_final"), version=2, status="announced", effective_from=date(2026, 1, 1)
    )
    rules = (*RULES, planned)
    assert current(rules, "pph_final", date(2026, 11, 29)) == rule("pph_final")
    assert planned in announced(rules, date(2026, 11, 29))
    assert planned not in announced(rules, date(2025, 12, 31))


@pytest.mark.parametrize(
    ("day", "keys"),
    [
        (date(2025, 9, 14), []),
        (date(2025, 9, 15), ["pph_final_perubahan"]),
        (date(2026, 11, 29), ["pph_final_perubahan"]),
    ],
)
def test_announced_on_a_day(day: date, keys: list[str]) -> None:
    assert [r.key for r in announced(RULES, day)] == keys


def test_under_revision_still_counts_as_current() -> None:
    revising = replace(rule("spp_irt"), version=2, status="under_revision")
    assert current((*RULES, revising), "spp_irt", date(2026, 1, 1)) == revising
