"""Guidance for one business on one date: effective dates (day before/after), food permits,
expiry and renewal, halal routes at the exact turnover boundary, unknown answers, the roadmap,
and the rule versions used."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from naikkelas.guidance.evaluation import (
    BusinessFacts,
    Finding,
    FindingStatus,
    Guidance,
    evaluate,
    minus_months,
    tanggal,
)
from naikkelas.guidance.rulebase import RuleSpec, packaged_rules
from naikkelas.guidance.tax import TaxRegime

RULES = packaged_rules()
JUTA = 1_000_000
MILIAR = 1_000_000_000
TODAY = date(2026, 11, 29)

MISSING = FindingStatus.MISSING
IN_PROGRESS = FindingStatus.IN_PROGRESS
DONE = FindingStatus.DONE
NOT_APPLICABLE = FindingStatus.NOT_APPLICABLE


def facts(**kw: Any) -> BusinessFacts:
    """A micro home-food business that has sorted out everything but halal."""
    base: dict[str, Any] = {
        "sector": "kuliner",
        "legal_form": "PERORANGAN",
        "annual_omzet": 300 * JUTA,
        "modal": None,
        "omzet_year": 2026,
        "has_nib": True,
        "permits": {"SPP_IRT": date(2029, 1, 1)},
        "food": "kemasan_rendah",
        "halal_simple_process": True,
        "tax_first_year": 2024,
        "previous_year_omzet": 250 * JUTA,
        "has_npwp": None,
        "has_expiry_label": True,
        "has_barcode": True,
        "steady_supply": True,
        "has_product_photos": True,
        "has_payout_account": True,
    }
    base.update(kw)
    return BusinessFacts(**base)


def run(on: date = TODAY, rules: tuple[RuleSpec, ...] = RULES, **kw: Any) -> Guidance:
    return evaluate(facts(**kw), rules, on=on)


def finding(guidance: Guidance, key: str) -> Finding:
    found = guidance.finding(key)
    assert found is not None, f"no {key} finding in {[f.rule_key for f in guidance.findings]}"
    return found


def keys(guidance: Guidance) -> list[str]:
    return [f.rule_key for f in guidance.findings]


def rule(key: str, version: int = 1) -> RuleSpec:
    return next(r for r in RULES if r.key == key and r.version == version)


# --- halal: the day before and after each effective date ------------------------------------


@pytest.mark.parametrize(
    ("omzet", "on", "overdue", "wording"),
    [
        (300 * JUTA, date(2026, 10, 17), False, "Usaha kuliner mikro wajib bersertifikat halal mulai 18 Oktober 2026."),
        (300 * JUTA, date(2026, 10, 18), True, "Usaha kuliner mikro wajib bersertifikat halal sejak 18 Oktober 2026."),
        (3 * MILIAR, date(2026, 10, 17), False, "Usaha kuliner kecil wajib bersertifikat halal mulai 18 Oktober 2026."),
        (3 * MILIAR, date(2026, 10, 18), True, "Usaha kuliner kecil wajib bersertifikat halal sejak 18 Oktober 2026."),
    ],
)  # fmt: skip
def test_halal_deadline_for_micro_and_small(
    omzet: int, on: date, overdue: bool, wording: str
) -> None:
    halal = finding(run(on=on, annual_omzet=omzet), "halal_wajib")
    assert halal.status == MISSING
    assert halal.deadline == date(2026, 10, 18)
    assert halal.overdue is overdue
    assert halal.why.id == wording


@pytest.mark.parametrize(
    ("on", "overdue", "when"),
    [(date(2024, 10, 17), False, "mulai"), (date(2024, 10, 18), True, "sejak")],
)
def test_halal_deadline_for_medium(on: date, overdue: bool, when: str) -> None:
    guidance = run(on=on, annual_omzet=20 * MILIAR, omzet_year=2024)
    assert guidance.size_class == "menengah"
    halal = finding(guidance, "halal_wajib")
    assert halal.deadline == date(2024, 10, 18)
    assert halal.overdue is overdue
    assert (
        halal.why.id == f"Usaha kuliner menengah wajib bersertifikat halal {when} 18 Oktober 2024."
    )
    assert halal.why.en.startswith("Medium food businesses must be halal-certified")


def test_halal_rules_start_with_pp_42_2024() -> None:
    assert "halal_wajib" not in keys(run(on=date(2024, 10, 16), omzet_year=2024))


def test_halal_english_sentence() -> None:
    halal = finding(run(on=date(2026, 10, 18)), "halal_wajib")
    assert halal.why.en == "Micro food businesses must be halal-certified since 18 October 2026."


@pytest.mark.parametrize(
    ("permits", "status", "fragment"),
    [
        ({"HALAL": date(2030, 1, 1)}, DONE, "berlaku sampai 1 Januari 2030"),
        ({"HALAL": None}, DONE, "sudah punya sertifikat halal"),
        ({"HALAL": date(2026, 1, 31)}, MISSING, "habis berlaku pada 31 Januari 2026"),
    ],
)
def test_halal_certificate_held_or_lapsed(
    permits: dict[str, date | None], status: FindingStatus, fragment: str
) -> None:
    guidance = run(permits={"SPP_IRT": date(2029, 1, 1), **permits})
    assert finding(guidance, "halal_wajib").status == status
    assert fragment in finding(guidance, "halal_wajib").why.id
    routes = {"halal_self_declare", "halal_reguler"} & set(keys(guidance))
    assert bool(routes) is (status != DONE)


def test_halal_unknown_size_names_both_dates_without_a_deadline() -> None:
    halal = finding(run(annual_omzet=None, modal=None), "halal_wajib")
    assert halal.status == MISSING and halal.deadline is None and not halal.overdue
    assert "Kelas usaha belum diketahui" in halal.why.id
    assert "18 Oktober 2026" in halal.why.id and "18 Oktober 2024" in halal.why.id


def test_no_halal_or_food_permit_for_non_food() -> None:
    guidance = run(sector="fesyen", food=None, permits={})
    assert not {"halal_wajib", "spp_irt", "bpom_md", "halal_self_declare"} & set(keys(guidance))


# --- halal: free self-declare or the regular route -------------------------------------------


@pytest.mark.parametrize(
    ("kw", "key", "status", "free", "fragment"),
    [
        ({"annual_omzet": 500 * JUTA}, "halal_self_declare", MISSING, True, "memenuhi syarat sertifikasi halal gratis"),
        ({"annual_omzet": 500 * JUTA + 1}, "halal_reguler", MISSING, False, "omzet Rp500.000.001 di atas Rp500.000.000"),
        ({"halal_simple_process": False}, "halal_reguler", MISSING, False, "proses produksi tidak sederhana"),
        ({"annual_omzet": 20 * MILIAR}, "halal_reguler", MISSING, False, "usaha menengah, bukan mikro/kecil"),
        ({"halal_simple_process": None}, "halal_self_declare", IN_PROGRESS, True, "mungkin bisa gratis"),
        ({"has_nib": None}, "halal_self_declare", IN_PROGRESS, True, "Belum diketahui: NIB"),
        ({"has_nib": False}, "halal_self_declare", MISSING, True, "Setelah punya NIB"),
        ({"annual_omzet": None, "modal": None}, "halal_self_declare", IN_PROGRESS, True, "kelas usaha, omzet setahun"),
    ],
)  # fmt: skip
def test_halal_route(
    kw: dict[str, Any], key: str, status: FindingStatus, free: bool, fragment: str
) -> None:
    guidance = run(on=date(2026, 6, 1), **kw)
    route = finding(guidance, key)
    assert route.status == status
    assert route.free is free
    assert fragment.lower() in route.why.id.lower()
    other = {"halal_self_declare": "halal_reguler", "halal_reguler": "halal_self_declare"}[key]
    assert guidance.finding(other) is None
    assert route.deadline == finding(guidance, "halal_wajib").deadline


def test_unknown_simple_process_points_to_p3h() -> None:
    route = finding(run(halal_simple_process=None), "halal_self_declare")
    assert "cek dengan pendamping P3H" in route.why.id


def test_self_declare_by_modal_when_turnover_unknown_is_still_unknown() -> None:
    guidance = run(annual_omzet=None, modal=100 * JUTA)
    assert guidance.size_class == "mikro" and guidance.size_basis == "modal"
    route = finding(guidance, "halal_self_declare")
    assert route.status == IN_PROGRESS and "omzet setahun" in route.why.id


# --- food permits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sector", "food", "key", "status", "fragment"),
    [
        ("kuliner", "kemasan_rendah", "spp_irt", MISSING, "perlu SPP-IRT"),
        ("kuliner", "kemasan_tinggi", "bpom_md", MISSING, "BPOM MD, bukan P-IRT"),
        ("kuliner", "siap_saji", "pangan_tanpa_izin_edar", NOT_APPLICABLE, "siap saji"),
        ("kuliner", "awet_pendek", "pangan_tanpa_izin_edar", NOT_APPLICABLE, "kurang dari 7 hari"),
        ("kuliner", None, "spp_irt", IN_PROGRESS, "belum diketahui"),
        ("perdagangan", "kemasan_rendah", "spp_irt", MISSING, "perlu SPP-IRT"),
    ],
)
def test_food_permit_by_kind(
    sector: str, food: str | None, key: str, status: FindingStatus, fragment: str
) -> None:
    guidance = run(sector=sector, food=food, permits={})
    found = finding(guidance, key)
    assert found.status == status
    assert fragment in found.why.id
    permit_keys = {"spp_irt", "bpom_md", "pangan_tanpa_izin_edar"} & set(keys(guidance))
    assert permit_keys == {key}


def test_not_applicable_food_carries_its_unverified_source() -> None:
    found = finding(run(food="siap_saji", permits={}), "pangan_tanpa_izin_edar")
    assert "blog" in found.unverified and found.free
    assert "halal_wajib" in keys(run(food="siap_saji", permits={}))  # halal still applies


def test_bpom_md_flags_its_unverified_boundary() -> None:
    found = finding(run(food="kemasan_tinggi", permits={}), "bpom_md")
    assert "blog" in found.unverified and not found.free


def test_bpom_md_instead_of_spp_irt_counts() -> None:
    found = finding(run(permits={"BPOM_MD": date(2030, 1, 1)}), "spp_irt")
    assert found.status == DONE and "BPOM MD" in found.why.id


# SPP-IRT expiring 1 June 2027: renewal due by 1 December 2026 (6 months, from params).
@pytest.mark.parametrize(
    ("on", "status", "overdue", "deadline", "fragment"),
    [
        (date(2026, 11, 30), DONE, False, date(2026, 12, 1), "berlaku sampai 1 Juni 2027"),
        (date(2026, 12, 1), IN_PROGRESS, False, date(2027, 6, 1), "Perpanjang"),
        (date(2027, 6, 1), IN_PROGRESS, False, date(2027, 6, 1), "Perpanjang"),
        (date(2027, 6, 2), MISSING, True, date(2027, 6, 1), "sudah habis berlaku"),
    ],
)
def test_spp_irt_expiry_and_renewal_window(
    on: date, status: FindingStatus, overdue: bool, deadline: date, fragment: str
) -> None:
    found = finding(run(on=on, permits={"SPP_IRT": date(2027, 6, 1)}), "spp_irt")
    assert (found.status, found.overdue, found.deadline) == (status, overdue, deadline)
    assert fragment in found.why.id


def test_spp_irt_with_unknown_expiry() -> None:
    found = finding(run(permits={"SPP_IRT": None}), "spp_irt")
    assert found.status == IN_PROGRESS
    assert "belum diketahui" in found.why.id and "dua digit terakhir" in found.why.id


@pytest.mark.parametrize(
    ("expiry", "status", "overdue"),
    [
        (date(2026, 11, 29), DONE, False),
        (date(2026, 11, 28), MISSING, True),
        (None, IN_PROGRESS, False),
    ],
)
def test_bpom_md_expiry(expiry: date | None, status: FindingStatus, overdue: bool) -> None:
    found = finding(run(food="kemasan_tinggi", permits={"BPOM_MD": expiry}), "bpom_md")
    assert (found.status, found.overdue) == (status, overdue)


def test_renewal_window_comes_from_params() -> None:
    data = rule("spp_irt").as_data()
    data["version"] = 2
    data["params"]["renew_months_before"] = 3
    rules = (*RULES, RuleSpec.from_data(data))
    found = finding(
        run(on=date(2026, 12, 1), rules=rules, permits={"SPP_IRT": date(2027, 6, 1)}), "spp_irt"
    )
    assert found.status == DONE and found.rule_version == 2
    assert found.deadline == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 6, 1), 6, date(2026, 12, 1)),
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 15), 13, date(2025, 12, 15)),
    ],
)
def test_minus_months(day: date, months: int, expected: date) -> None:
    assert minus_months(day, months) == expected


def test_tanggal() -> None:
    assert tanggal(date(2026, 10, 18)).id == "18 Oktober 2026"
    assert tanggal(date(2026, 10, 18)).en == "18 October 2026"


# --- NIB and NPWP: versions by date ---------------------------------------------------------


@pytest.mark.parametrize(("on", "version"), [(date(2025, 6, 4), 1), (date(2025, 6, 5), 2)])
def test_nib_pp_28_2025(on: date, version: int) -> None:
    found = finding(run(on=on, omzet_year=2025), "nib")
    assert found.rule_version == version
    assert found.legal_basis.startswith("PP 28/2025" if version == 2 else "PP 5/2021")
    assert ("nib", version) in run(on=on, omzet_year=2025).rule_versions


@pytest.mark.parametrize(
    ("has_nib", "status", "fragment"),
    [
        (True, DONE, "sudah punya NIB"),
        (False, MISSING, "belum punya NIB"),
        (None, IN_PROGRESS, "Belum diketahui"),
    ],
)
def test_nib_answers(has_nib: bool | None, status: FindingStatus, fragment: str) -> None:
    found = finding(run(has_nib=has_nib), "nib")
    assert found.status == status and fragment in found.why.id
    assert found.free


@pytest.mark.parametrize(
    ("on", "version", "fragment"),
    [
        (date(2024, 6, 30), 1, "NPWP 15 digit lama masih bisa dipakai sampai 30 Juni 2024"),
        (date(2024, 7, 1), 2, "NIK Anda adalah NPWP Anda (sejak 1 Juli 2024)."),
    ],
)
@pytest.mark.parametrize("form", ["PERORANGAN", "UD"])
def test_nik_is_npwp_for_individuals(on: date, version: int, fragment: str, form: str) -> None:
    found = finding(run(on=on, legal_form=form, has_npwp=False, omzet_year=2024), "npwp_nik")
    assert found.status == DONE and found.rule_version == version
    assert fragment in found.why.id


@pytest.mark.parametrize(
    ("has_npwp", "status", "fragment"),
    [
        (True, DONE, "sudah punya NPWP"),
        (False, MISSING, "NPWP 16 digit"),
        (None, IN_PROGRESS, "Belum diketahui"),
    ],
)
@pytest.mark.parametrize("form", ["CV", "PT", "PT_PERORANGAN", "KOPERASI", "FIRMA", "LAINNYA"])
def test_entities_need_their_own_npwp(
    form: str, has_npwp: bool | None, status: FindingStatus, fragment: str
) -> None:
    found = finding(run(legal_form=form, has_npwp=has_npwp), "npwp_nik")
    assert found.status == status and fragment in found.why.id


# --- tax in the guidance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("omzet", "status", "tax"),
    [
        (500 * JUTA, NOT_APPLICABLE, 0),
        (500 * JUTA + 1, NOT_APPLICABLE, 0),
        (600 * JUTA, IN_PROGRESS, 500_000),
    ],
)
def test_tax_finding(omzet: int, status: FindingStatus, tax: int) -> None:
    guidance = run(annual_omzet=omzet)
    assert guidance.tax is not None and guidance.tax.tax == tax
    assert finding(guidance, "pph_final").status == status
    assert finding(guidance, "pph_final").why == guidance.tax.summary


def test_tax_year_defaults_to_the_turnover_year_and_can_be_given() -> None:
    assert run(omzet_year=2025).tax.tax_year == 2025  # type: ignore[union-attr]
    given = evaluate(facts(), RULES, on=TODAY, tax_year=2027)
    assert given.tax.tax_year == 2027  # type: ignore[union-attr]


def test_tax_after_the_time_limit_points_to_general_rates() -> None:
    guidance = run(tax_first_year=2018, annual_omzet=900 * JUTA)
    assert guidance.tax.regime == TaxRegime.NORMAL  # type: ignore[union-attr]
    assert finding(guidance, "pph_final").status == IN_PROGRESS


# --- unknown answers never pretend --------------------------------------------------------------


def test_unknown_answers_are_said_to_be_unknown() -> None:
    guidance = evaluate(
        BusinessFacts(sector="kuliner", legal_form="CV"), RULES, on=TODAY
    )  # everything else unknown
    assert guidance.size_class is None and guidance.size_basis is None
    assert guidance.tax is not None and guidance.tax.regime == TaxRegime.UNKNOWN
    for key in ("nib", "spp_irt", "halal_self_declare", "pph_final", "npwp_nik", "kelas_usaha"):
        assert finding(guidance, key).status == IN_PROGRESS, key
    assert "belum diketahui" in finding(guidance, "nib").why.id.lower()
    assert "belum diketahui" in finding(guidance, "kelas_usaha").why.id.lower()
    retail = finding(guidance, "ritel_modern")
    assert retail.status == MISSING  # no halal certificate is a known gap
    assert "Barcode GS1 (899): belum diketahui" in retail.why.id
    assert "Pasokan stabil: belum diketahui" in retail.why.id
    assert all(not item.known for item in retail.items if item.code in ("barcode", "pasokan"))


# --- size class comes from registry.classification ------------------------------------------


@pytest.mark.parametrize(
    ("kw", "size", "basis"),
    [
        ({"annual_omzet": 2 * MILIAR}, "mikro", "omzet"),
        ({"annual_omzet": 2 * MILIAR + 1}, "kecil", "omzet"),
        ({"annual_omzet": 50 * MILIAR + 1}, "besar", "omzet"),
        ({"annual_omzet": None, "modal": 1 * MILIAR + 1}, "kecil", "modal"),
    ],
)
def test_size_class(kw: dict[str, Any], size: str, basis: str) -> None:
    guidance = run(**kw)
    assert (guidance.size_class, guidance.size_basis) == (size, basis)
    assert finding(guidance, "kelas_usaha").status == DONE


def test_size_criteria_disagreeing_is_shown() -> None:
    why = finding(run(annual_omzet=300 * JUTA, modal=2 * MILIAR), "kelas_usaha").why.id
    assert "tergolong mikro menurut omzet Rp300.000.000" in why and "Menurut modal: kecil" in why


# --- retail and online checklists -------------------------------------------------------------


def test_checklists_done_when_everything_is_in_place() -> None:
    guidance = run(permits={"SPP_IRT": date(2029, 1, 1), "HALAL": None})
    assert finding(guidance, "ritel_modern").status == DONE
    assert finding(guidance, "ecommerce").status == DONE
    assert guidance.roadmap == ()


@pytest.mark.parametrize(
    ("kw", "status", "fragment"),
    [
        ({"has_barcode": False}, MISSING, "Barcode GS1 (899): belum"),
        ({"has_expiry_label": None}, IN_PROGRESS, "kode produksi: belum diketahui"),
        ({"wants_retail": False}, NOT_APPLICABLE, "tidak berencana"),
        ({"sector": "jasa", "food": None}, NOT_APPLICABLE, "Usaha jasa"),
    ],
)
def test_retail_checklist(kw: dict[str, Any], status: FindingStatus, fragment: str) -> None:
    retail = finding(
        run(permits={"SPP_IRT": date(2029, 1, 1), "HALAL": None}, **kw), "ritel_modern"
    )
    assert retail.status == status and fragment in retail.why.id
    assert "indikatif" in retail.unverified.lower() or "Indikatif" in retail.unverified


def test_retail_items_for_non_food_skip_food_items() -> None:
    retail = finding(run(sector="kriya", food=None), "ritel_modern")
    assert [i.code for i in retail.items] == ["nib", "barcode", "npwp", "pasokan"]


@pytest.mark.parametrize(
    ("kw", "status"),
    [
        ({"has_product_photos": False}, MISSING),
        ({"has_payout_account": None}, IN_PROGRESS),
        ({"wants_online": False}, NOT_APPLICABLE),
        ({"has_nib": False}, MISSING),
    ],
)
def test_ecommerce_checklist(kw: dict[str, Any], status: FindingStatus) -> None:
    online = finding(run(**kw), "ecommerce")
    assert online.status == status
    assert "bukan aturan hukum" in online.unverified


# --- roadmap ----------------------------------------------------------------------------------

STARTER = {
    "legal_form": "CV",
    "has_nib": False,
    "permits": {},
    "has_npwp": False,
    "tax_first_year": 2025,
    "has_expiry_label": False,
    "has_barcode": False,
    "steady_supply": False,
    "has_product_photos": False,
}


def roadmap(guidance: Guidance) -> list[str]:
    return [f"{s.rule_key}:{s.item}" if s.item else s.rule_key for s in guidance.roadmap]


def test_roadmap_order_before_the_halal_deadline() -> None:
    guidance = run(on=date(2026, 6, 1), **STARTER)
    assert roadmap(guidance) == [
        "nib",
        "spp_irt",
        "halal_self_declare",
        "npwp_nik",
        "pph_final",
        "ritel_modern:label",
        "ritel_modern:barcode",
        "ritel_modern",
        "ecommerce",
    ]
    assert [s.order for s in guidance.roadmap] == list(range(1, 10))
    first = guidance.roadmap[0]
    assert first.free and "gratis" in first.action.id
    halal = guidance.roadmap[2]
    assert halal.free and halal.deadline == date(2026, 10, 18) and not halal.overdue


def test_roadmap_puts_overdue_halal_right_after_nib() -> None:
    guidance = run(on=date(2026, 11, 29), **STARTER)
    assert roadmap(guidance)[:3] == ["nib", "halal_self_declare", "spp_irt"]
    assert guidance.roadmap[1].overdue


def test_roadmap_keeps_nib_first_even_when_other_steps_are_overdue() -> None:
    guidance = run(on=date(2026, 11, 29), **{**STARTER, "permits": {"SPP_IRT": date(2026, 1, 1)}})
    assert roadmap(guidance)[:3] == ["nib", "spp_irt", "halal_self_declare"]
    assert all(step.overdue for step in guidance.roadmap[1:3])


def test_roadmap_regular_route_and_no_nib_step_when_held() -> None:
    guidance = run(annual_omzet=700 * JUTA)
    assert roadmap(guidance) == ["halal_reguler", "pph_final", "ritel_modern"]
    assert "jalur reguler" in guidance.roadmap[0].action.id
    assert not guidance.roadmap[0].free


# --- rule versions recorded; the rules passed in are the ones used ---------------------------


def test_rule_versions_cover_every_finding_and_are_sorted() -> None:
    guidance = run(legal_form="CV", has_npwp=True)
    used = set(guidance.rule_versions)
    assert list(guidance.rule_versions) == sorted(guidance.rule_versions)
    for f in (*guidance.findings, *guidance.announced):
        assert (f.rule_key, f.rule_version) in used
    assert {("pph_final", 1), ("pph_final_perubahan", 1), ("nib", 2), ("npwp_nik", 2)} <= used


def test_a_new_rule_version_passed_in_is_the_one_used() -> None:
    data = rule("halal_wajib").as_data()
    data.update(version=2, effective_from="2026-10-01", last_reviewed="2026-11-30")
    data["params"]["deadline_mikro_kecil"] = "2027-10-18"
    postponed = RuleSpec.from_data(data)
    guidance = run(rules=(*RULES, postponed))
    halal = finding(guidance, "halal_wajib")
    assert (halal.rule_version, halal.deadline, halal.overdue) == (2, date(2027, 10, 18), False)
    assert ("halal_wajib", 2) in guidance.rule_versions
    assert ("halal_wajib", 1) not in guidance.rule_versions
    # the day before the new version: the old one
    before = finding(run(on=date(2026, 9, 30), rules=(*RULES, postponed)), "halal_wajib")
    assert before.rule_version == 1


def test_an_announced_version_is_flagged_not_applied() -> None:
    planned = replace(
        rule("halal_wajib"),
        version=2,
        status="announced",
        effective_from=date(2026, 11, 1),
    )
    guidance = run(rules=(*RULES, planned))
    assert finding(guidance, "halal_wajib").rule_version == 1
    flagged = [a for a in guidance.announced if a.rule_key == "halal_wajib"]
    assert len(flagged) == 1 and flagged[0].rule_status == "announced"
    assert flagged[0].why.id.startswith("DIUMUMKAN, BELUM BERLAKU")
    assert ("halal_wajib", 2) in guidance.rule_versions


def test_only_the_rules_passed_in_are_used() -> None:
    subset = tuple(r for r in RULES if r.key in {"nib", "kelas_usaha"})
    guidance = run(rules=subset)
    assert keys(guidance) == ["nib", "kelas_usaha"]
    assert guidance.tax is None and guidance.announced == ()
    assert guidance.rule_versions == (("kelas_usaha", 1), ("nib", 2))


# --- announced tax change ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "fragment"),
    [
        ("PERORANGAN", "orang pribadi diperpanjang sampai tahun pajak 2029"),
        ("PT_PERORANGAN", "PT perorangan diperpanjang"),
        ("CV", "tidak ada perpanjangan"),
    ],
)
def test_announced_tax_change_touches_taxpayers(form: str, fragment: str) -> None:
    guidance = run(legal_form=form, has_npwp=True)
    (change,) = guidance.announced
    assert change.rule_key == "pph_final_perubahan" and change.rule_status == "announced"
    assert fragment in change.why.id
    assert "2029" in change.unverified


def test_announced_change_not_known_before_it_was_announced() -> None:
    assert run(on=date(2025, 9, 14), omzet_year=2025).announced == ()


def test_announced_change_skips_unknown_legal_forms() -> None:
    assert run(legal_form="LAINNYA", has_npwp=True).announced == ()


# --- facts validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"food": "gorengan"}, "food must be"), ({"annual_omzet": -1}, "never negative")],
)
def test_bad_facts_are_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        facts(**kw)


def test_findings_carry_their_rule_metadata() -> None:
    found = finding(run(), "halal_wajib")
    spec = rule("halal_wajib")
    assert found.legal_basis == spec.legal_basis and found.sources == spec.sources
    assert found.effective_from == spec.effective_from and found.rule_status == "in_force"
    assert found.cost == spec.cost and found.steps == spec.steps and found.topic == "halal"
    assert FindingStatus.MISSING.label.id == "belum"
    assert FindingStatus.IN_PROGRESS.label.id == "perlu tindakan"
