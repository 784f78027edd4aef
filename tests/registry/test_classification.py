"""PP 7/2021 size classes: every bound is inclusive; sales decide when known."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.registry.classification import (
    MILIAR,
    PP_7_2021,
    UU_20_2008,
    Basis,
    SizeClass,
    classify,
    rule_for_year,
)

JUTA = 1_000_000


@pytest.mark.parametrize(
    ("omzet", "expected"),
    [
        (0, SizeClass.MIKRO),
        (2 * MILIAR, SizeClass.MIKRO),
        (2 * MILIAR + 1, SizeClass.KECIL),
        (15 * MILIAR, SizeClass.KECIL),
        (15 * MILIAR + 1, SizeClass.MENENGAH),
        (50 * MILIAR, SizeClass.MENENGAH),
        (50 * MILIAR + 1, SizeClass.BESAR),
    ],
)
def test_sales_bounds_pp_7_2021(omzet: int, expected: SizeClass) -> None:
    result = classify(year=2024, omzet=omzet, modal=None)
    assert result is not None
    assert result.size_class == expected
    assert result.basis == Basis.OMZET
    assert result.rule is PP_7_2021


@pytest.mark.parametrize(
    ("modal", "expected"),
    [
        (1 * MILIAR, SizeClass.MIKRO),
        (1 * MILIAR + 1, SizeClass.KECIL),
        (5 * MILIAR, SizeClass.KECIL),
        (5 * MILIAR + 1, SizeClass.MENENGAH),
        (10 * MILIAR, SizeClass.MENENGAH),
        (10 * MILIAR + 1, SizeClass.BESAR),
    ],
)
def test_modal_bounds_pp_7_2021(modal: int, expected: SizeClass) -> None:
    result = classify(year=2025, omzet=None, modal=modal)
    assert result is not None
    assert (result.size_class, result.basis) == (expected, Basis.MODAL)


def test_sales_decide_when_both_known_and_disagreement_is_reported() -> None:
    # given a shop with small sales but large capital
    result = classify(year=2024, omzet=900 * JUTA, modal=3 * MILIAR)
    # then sales decide (Pasal 35 ayat 6) and both results are shown
    assert result is not None
    assert result.size_class == SizeClass.MIKRO
    assert result.by_modal == SizeClass.KECIL
    assert result.criteria_disagree is True


def test_nothing_known_gives_no_class() -> None:
    assert classify(year=2024, omzet=None, modal=None) is None


def test_years_before_2021_use_uu_20_2008() -> None:
    assert rule_for_year(2020) is UU_20_2008
    assert rule_for_year(2021) is PP_7_2021
    result = classify(year=2019, omzet=300 * JUTA + 1, modal=None)
    assert result is not None
    assert result.size_class == SizeClass.KECIL
    assert classify(year=2019, omzet=300 * JUTA, modal=None).size_class == SizeClass.MIKRO  # type: ignore[union-attr]


def test_negative_amounts_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        classify(year=2024, omzet=-1, modal=None)


ORDER = [SizeClass.MIKRO, SizeClass.KECIL, SizeClass.MENENGAH, SizeClass.BESAR]


@given(
    a=st.integers(min_value=0, max_value=100 * MILIAR),
    b=st.integers(min_value=0, max_value=100 * MILIAR),
    year=st.integers(min_value=2009, max_value=2030),
)
def test_class_never_decreases_with_sales(a: int, b: int, year: int) -> None:
    low, high = sorted((a, b))
    small = classify(year=year, omzet=low, modal=None)
    large = classify(year=year, omzet=high, modal=None)
    assert small is not None and large is not None
    assert ORDER.index(small.size_class) <= ORDER.index(large.size_class)
