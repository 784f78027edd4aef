"""Size class of a business (mikro, kecil, menengah) from its yearly figures (pure).

The thresholds are versioned rules with their legal basis and dates:

* PP 7/2021 Pasal 35 (in force 2 Feb 2021): modal usaha excluding land and buildings
  (mikro <= Rp1 M, kecil <= Rp5 M, menengah <= Rp10 M) or annual sales
  (mikro <= Rp2 M, kecil <= Rp15 M, menengah <= Rp50 M). Businesses already operating are
  classified by annual sales (Pasal 35 ayat 6); modal is for establishment/registration (ayat 2).
* UU 20/2008 Pasal 6 (for figures of years before 2021): net assets excluding land and
  buildings (<= Rp50 juta, <= Rp500 juta, <= Rp10 M) or sales (<= Rp300 juta, <= Rp2.5 M,
  <= Rp50 M).

Every bound is inclusive: a business with exactly Rp2.000.000.000 sales is still mikro.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

JUTA = 1_000_000
MILIAR = 1_000_000_000


class SizeClass(StrEnum):
    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"  # above menengah: not an UMKM


class Basis(StrEnum):
    OMZET = "omzet"  # hasil penjualan tahunan
    MODAL = "modal"  # modal usaha / kekayaan bersih, excluding land and buildings


@dataclass(frozen=True, slots=True)
class ClassificationRule:
    id: str
    legal_basis: str
    effective_from: date
    effective_to: date | None
    modal_limits: tuple[tuple[SizeClass, int], ...]  # inclusive upper bounds, ascending
    omzet_limits: tuple[tuple[SizeClass, int], ...]

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


UU_20_2008 = ClassificationRule(
    id="uu-20-2008",
    legal_basis="UU No. 20 Tahun 2008 tentang UMKM, Pasal 6",
    effective_from=date(2008, 7, 4),
    effective_to=date(2021, 2, 1),
    modal_limits=(
        (SizeClass.MIKRO, 50 * JUTA),
        (SizeClass.KECIL, 500 * JUTA),
        (SizeClass.MENENGAH, 10 * MILIAR),
    ),
    omzet_limits=(
        (SizeClass.MIKRO, 300 * JUTA),
        (SizeClass.KECIL, 2_500 * JUTA),
        (SizeClass.MENENGAH, 50 * MILIAR),
    ),
)

PP_7_2021 = ClassificationRule(
    id="pp-7-2021",
    legal_basis="PP No. 7 Tahun 2021, Pasal 35 ayat (3) dan (5)",
    effective_from=date(2021, 2, 2),
    effective_to=None,
    modal_limits=(
        (SizeClass.MIKRO, 1 * MILIAR),
        (SizeClass.KECIL, 5 * MILIAR),
        (SizeClass.MENENGAH, 10 * MILIAR),
    ),
    omzet_limits=(
        (SizeClass.MIKRO, 2 * MILIAR),
        (SizeClass.KECIL, 15 * MILIAR),
        (SizeClass.MENENGAH, 50 * MILIAR),
    ),
)

RULES: tuple[ClassificationRule, ...] = (UU_20_2008, PP_7_2021)


@dataclass(frozen=True, slots=True)
class Classification:
    size_class: SizeClass
    basis: Basis
    rule: ClassificationRule
    by_omzet: SizeClass | None
    by_modal: SizeClass | None

    @property
    def criteria_disagree(self) -> bool:
        """Modal and sales point to different classes (PP 7/2021 allows either)."""
        return None not in (self.by_omzet, self.by_modal) and self.by_omzet != self.by_modal


def rule_for_year(year: int) -> ClassificationRule:
    """The rule that governs the figures of a whole year: the one in force on 31 December."""
    day = date(year, 12, 31)
    for rule in RULES:
        if rule.covers(day):
            return rule
    raise ValueError(f"no size-class rule covers the year {year}")


def _band(amount: int, limits: tuple[tuple[SizeClass, int], ...]) -> SizeClass:
    if amount < 0:
        raise ValueError("amounts are never negative")
    for size_class, upper in limits:
        if amount <= upper:
            return size_class
    return SizeClass.BESAR


def classify(*, year: int, omzet: int | None, modal: int | None) -> Classification | None:
    """Classify one year's figures; ``None`` when neither omzet nor modal is known.

    Sales decide when known (PP 7/2021 Pasal 35 ayat 6: existing businesses are classified by
    annual sales); otherwise modal does. Both results are returned for display.
    """
    if omzet is None and modal is None:
        return None
    rule = rule_for_year(year)
    by_omzet = _band(omzet, rule.omzet_limits) if omzet is not None else None
    by_modal = _band(modal, rule.modal_limits) if modal is not None else None
    if by_omzet is not None:
        return Classification(by_omzet, Basis.OMZET, rule, by_omzet, by_modal)
    assert by_modal is not None
    return Classification(by_modal, Basis.MODAL, rule, by_omzet, by_modal)
