"""PPh final 0.5 % (PP 55/2022): exact boundaries, time limits, rounding, plain-words lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from naikkelas.guidance.rulebase import RuleSpec, current, packaged_rules
from naikkelas.guidance.tax import (
    GENERAL_RATES,
    TaxEstimate,
    TaxRegime,
    estimate_tax,
    format_decimal_rupiah,
    format_rate,
    format_rupiah,
)

RULES = packaged_rules()
RULE = current(RULES, "pph_final", date(2026, 11, 29))
CHANGE = next(r for r in RULES if r.key == "pph_final_perubahan")
JUTA = 1_000_000
MILIAR = 1_000_000_000
assert RULE is not None


def est(**kw: Any) -> TaxEstimate:
    args: dict[str, Any] = {
        "omzet": 300 * JUTA,
        "legal_form": "PERORANGAN",
        "tax_year": 2026,
        "first_year": 2024,
        "previous_year_omzet": 1 * MILIAR,
        "rule": RULE,
    }
    args.update(kw)
    return estimate_tax(**args)


def ids(lines: tuple[Any, ...]) -> list[str]:
    return [line.id for line in lines]


# --- the Rp500 juta allowance for individuals -------------------------------------------------


@pytest.mark.parametrize(
    ("omzet", "regime", "tax", "exempt_portion", "taxable"),
    [
        (0, TaxRegime.EXEMPT, 0, 0, 0),
        (300 * JUTA, TaxRegime.EXEMPT, 0, 300 * JUTA, 0),
        (500 * JUTA - 1, TaxRegime.EXEMPT, 0, 500 * JUTA - 1, 0),
        (500 * JUTA, TaxRegime.EXEMPT, 0, 500 * JUTA, 0),
        (500 * JUTA + 1, TaxRegime.PPH_FINAL, 0, 500 * JUTA, 1),  # 0.005 rounded down
        (500 * JUTA + 199, TaxRegime.PPH_FINAL, 0, 500 * JUTA, 199),  # 0.995 rounded down
        (500 * JUTA + 200, TaxRegime.PPH_FINAL, 1, 500 * JUTA, 200),
        (600 * JUTA, TaxRegime.PPH_FINAL, 500_000, 500 * JUTA, 100 * JUTA),
        (4_800 * JUTA, TaxRegime.PPH_FINAL, 21_500_000, 500 * JUTA, 4_300 * JUTA),
    ],
)
@pytest.mark.parametrize("form", ["PERORANGAN", "UD"])
def test_individual_pays_only_above_the_allowance(
    form: str, omzet: int, regime: TaxRegime, tax: int, exempt_portion: int, taxable: int
) -> None:
    result = est(omzet=omzet, legal_form=form)
    assert result.regime == regime
    assert result.tax == tax and isinstance(result.tax, int)
    assert result.exempt_portion == exempt_portion
    assert result.taxable == taxable
    assert result.rate == Decimal("0.005")
    assert (result.rule_key, result.rule_version) == ("pph_final", 1)
    assert result.taxpayer_type == "orang_pribadi"


@pytest.mark.parametrize("form", ["PT_PERORANGAN", "CV", "FIRMA", "KOPERASI", "PT"])
@pytest.mark.parametrize(
    ("omzet", "tax"),
    [(0, 0), (199, 0), (200, 1), (300 * JUTA, 1_500_000), (1 * MILIAR + 199, 5_000_000)],
)
def test_entities_pay_on_all_turnover(form: str, omzet: int, tax: int) -> None:
    result = est(omzet=omzet, legal_form=form, first_year=2025)
    assert result.regime == TaxRegime.PPH_FINAL
    assert result.tax == tax
    assert result.exempt_portion == 0 and result.taxable == omzet
    assert not any("Suami" in line for line in ids(result.notes))


def test_rounding_down_is_shown() -> None:
    result = est(omzet=1 * MILIAR + 199, legal_form="CV", first_year=2025)
    assert (
        "0,5% × Rp1.000.000.199 = Rp5.000.000 (dibulatkan ke bawah ke rupiah penuh; "
        "tepatnya Rp5.000.000,995)."
    ) in ids(result.lines)


# --- the Rp4,8 miliar ceiling (previous year) --------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "regime"),
    [
        (None, TaxRegime.PPH_FINAL),
        (0, TaxRegime.PPH_FINAL),
        (4_800 * JUTA, TaxRegime.PPH_FINAL),
        (4_800 * JUTA + 1, TaxRegime.NORMAL),
    ],
)
def test_previous_year_ceiling(previous: int | None, regime: TaxRegime) -> None:
    result = est(omzet=600 * JUTA, previous_year_omzet=previous)
    assert result.regime == regime
    if regime == TaxRegime.NORMAL:
        assert result.tax is None and result.taxable is None and result.rate is None
        assert GENERAL_RATES in result.lines
        assert "Rp4.800.000.001 lebih dari Rp4.800.000.000" in result.summary.id
    else:
        assert result.tax == 500_000


def test_unknown_previous_year_is_assumed_within_the_ceiling_and_said() -> None:
    result = est(previous_year_omzet=None)
    assert any("Omzet tahun 2025 belum diketahui" in n for n in ids(result.notes))


def test_general_rates_wording() -> None:
    assert GENERAL_RATES.id == "Tarif umum UU PPh Pasal 17/31E; hitung dengan konsultan/KPP."


def test_passing_the_ceiling_this_year_keeps_the_rate_until_year_end() -> None:
    result = est(omzet=5 * MILIAR, previous_year_omzet=4 * MILIAR, legal_form="CV", first_year=2025)
    assert result.regime == TaxRegime.PPH_FINAL
    assert result.tax == 25 * JUTA
    assert any("Pasal 61" in n and "akhir tahun 2026" in n for n in ids(result.notes))


def test_married_couples_note_for_individuals() -> None:
    assert any("Suami dan istri" in n and "Pasal 58" in n for n in ids(est().notes))


# --- time limits (Pasal 59) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "first_year", "last_final_year"),
    [
        ("PERORANGAN", 2018, 2024),
        ("PERORANGAN", 2010, 2024),  # registered before 2018: counted from 2018
        ("UD", 2021, 2027),
        ("PT_PERORANGAN", 2022, 2025),
        ("CV", 2018, 2021),
        ("FIRMA", 2023, 2026),
        ("KOPERASI", 2020, 2023),
        ("PT", 2018, 2020),
        ("PT", 2024, 2026),
    ],
)
def test_time_limit_last_year_in_first_year_out(
    form: str, first_year: int, last_final_year: int
) -> None:
    inside = est(omzet=800 * JUTA, legal_form=form, first_year=first_year, tax_year=last_final_year)
    outside = est(
        omzet=800 * JUTA, legal_form=form, first_year=first_year, tax_year=last_final_year + 1
    )
    assert inside.regime == TaxRegime.PPH_FINAL and inside.tax is not None and inside.tax > 0
    assert inside.last_final_year == last_final_year
    assert any(f"sampai tahun pajak {last_final_year}" in n for n in ids(inside.notes))
    assert outside.regime == TaxRegime.NORMAL and outside.tax is None
    assert f"berakhir pada tahun pajak {last_final_year}" in outside.summary.id


def test_individual_registered_2018_is_out_from_2025_under_pp_55() -> None:
    result = est(first_year=2018, tax_year=2025, omzet=300 * JUTA)
    assert result.regime == TaxRegime.NORMAL


def test_unknown_first_year_assumes_within_the_limit_with_a_note() -> None:
    result = est(first_year=None, tax_year=2030, omzet=600 * JUTA)
    assert result.regime == TaxRegime.PPH_FINAL
    assert result.last_final_year is None
    assert any("Tahun mulai terdaftar belum diketahui" in n for n in ids(result.notes))


# --- not enough data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"omzet": None}, "omzet setahun belum diketahui"),
        ({"legal_form": "LAINNYA"}, "tanyakan ke KPP"),
        ({"legal_form": ""}, "tanyakan ke KPP"),
    ],
)
def test_unknown_inputs_give_unknown(kw: dict[str, Any], fragment: str) -> None:
    result = est(**kw)
    assert result.regime == TaxRegime.UNKNOWN
    assert result.tax is None and result.rate is None
    assert fragment in result.summary.id


def test_negative_turnover_is_an_error() -> None:
    with pytest.raises(ValueError, match="never negative"):
        est(omzet=-1)


# --- the arithmetic in words ------------------------------------------------------------------


def test_lines_show_the_arithmetic_with_indonesian_numbers() -> None:
    result = est(omzet=600 * JUTA)
    lines = ids(result.lines)
    assert lines[0] == "Omzet tahun 2026: Rp600.000.000."
    assert lines[1].startswith("Rp600.000.000 − Rp500.000.000 = Rp100.000.000")
    assert lines[2] == "0,5% × Rp100.000.000 = Rp500.000"
    english = [line.en for line in result.lines]
    assert english[1].startswith("Rp600.000.000 − Rp500.000.000 = Rp100.000.000")
    assert english[2] == "0,5% × Rp100.000.000 = Rp500.000"
    assert result.summary.id == "Perkiraan PPh final tahun 2026: Rp500.000 (0,5% × Rp100.000.000)."


def test_exempt_lines() -> None:
    lines = ids(est(omzet=300 * JUTA).lines)
    assert any(line.startswith("Rp300.000.000 ≤ Rp500.000.000") for line in lines)


def test_entity_lines() -> None:
    lines = ids(est(omzet=1 * MILIAR, legal_form="PT", first_year=2025).lines)
    assert "0,5% × Rp1.000.000.000 = Rp5.000.000" in lines
    assert any("tanpa bagian bebas" in line for line in lines)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "Rp0"), (999, "Rp999"), (1_000, "Rp1.000"), (4_800 * JUTA, "Rp4.800.000.000")],
)
def test_format_rupiah(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [("0.005", "0,5%"), ("0.01", "1%"), ("0.0025", "0,25%"), ("0.1", "10%")],
)
def test_format_rate(rate: str, text: str) -> None:
    assert format_rate(Decimal(rate)) == text


def test_format_decimal_rupiah() -> None:
    assert format_decimal_rupiah(Decimal("5000000.995")) == "Rp5.000.000,995"
    assert format_decimal_rupiah(Decimal("0.005")) == "Rp0,005"
    assert format_decimal_rupiah(Decimal("12")) == "Rp12"


# --- the numbers come from the rule version passed in ----------------------------------------


def _variant(**params: Any) -> RuleSpec:
    data = RULE.as_data()  # type: ignore[union-attr]
    data["version"] = 2
    data["params"].update(params)
    return RuleSpec.from_data(data)


def test_a_new_rule_version_changes_the_numbers() -> None:
    rule = _variant(rate="0.01", exempt_allowance_individual=600 * JUTA)
    result = est(omzet=700 * JUTA, rule=rule)
    assert result.tax == 1_000_000  # 1 % of Rp100 juta
    assert (result.rule_key, result.rule_version) == ("pph_final", 2)
    assert "1% × Rp100.000.000 = Rp1.000.000" in ids(result.lines)


def test_time_limits_come_from_params() -> None:
    rule = _variant(time_limit_years={**RULE.params["time_limit_years"], "orang_pribadi": 12})  # type: ignore[union-attr]
    assert est(first_year=2018, tax_year=2029, rule=rule).regime == TaxRegime.EXEMPT
    assert est(first_year=2018, tax_year=2030, rule=rule).regime == TaxRegime.NORMAL


# --- the announced change is a flagged note, never the computation ---------------------------


def test_announced_extension_for_individuals_is_flagged_not_applied() -> None:
    result = est(first_year=2018, tax_year=2025, announced=CHANGE)
    assert result.regime == TaxRegime.NORMAL  # PP 55/2022 still decides
    note = next(n for n in result.notes if n.id.startswith("DIUMUMKAN"))
    assert "belum terverifikasi" in note.id and "2029" in note.id
    assert "tanpa batas waktu" in note.id
    assert "DJP membolehkan orang pribadi tetap membayar 0,5%" in note.id  # tax year 2025
    assert note.en.startswith("ANNOUNCED, NOT IN FORCE (unverified)")


def test_announced_note_for_2026_has_no_2025_allowance() -> None:
    result = est(first_year=2018, tax_year=2026, announced=CHANGE)
    note = next(n for n in result.notes if n.id.startswith("DIUMUMKAN"))
    assert "DJP membolehkan" not in note.id


@pytest.mark.parametrize("form", ["CV", "FIRMA", "PT"])
def test_no_extension_for_cv_pt_firma(form: str) -> None:
    result = est(legal_form=form, first_year=2020, tax_year=2026, announced=CHANGE)
    assert result.regime == TaxRegime.NORMAL
    assert any("tidak ada perpanjangan" in n for n in ids(result.notes))


def test_cooperative_note_shows_the_conflict() -> None:
    result = est(legal_form="KOPERASI", first_year=2024, announced=CHANGE)
    note = next(n for n in result.notes if n.id.startswith("DIUMUMKAN"))
    assert "DJP menyatakan tidak ada perpanjangan" in note.id


def test_without_the_announced_rule_no_announced_note() -> None:
    assert not any(n.id.startswith("DIUMUMKAN") for n in est(first_year=2018).notes)
