"""Estimate of the UMKM final income tax (PP 55/2022) for one business and tax year (pure).

Every legal number (rate, the Rp500 juta allowance for individuals, the Rp4,8 miliar ceiling,
the time limits per taxpayer type and the year counting starts) comes from the ``pph_final``
rule version passed in. Money is whole rupiah (``int``); the tax is rounded *down* to the rupiah
with integer arithmetic (no floats).

Regimes:

* ``exempt`` — an individual whose turnover is within the yearly allowance: nothing to pay;
* ``pph_final`` — 0.5 % of the turnover above the allowance (individuals) or of all turnover
  (entities);
* ``normal`` — last year's turnover passed the ceiling, or the time limit has passed: general
  rates (UU PPh Pasal 17/31E); no number is computed here;
* ``unknown`` — not enough data (turnover or legal form unknown).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from naikkelas.guidance.rulebase import RuleSpec, Text

# Registry legal forms (registry.models.LegalForm values) -> taxpayer type of PP 55/2022.
# PERORANGAN and UD (usaha dagang, not a legal entity) are individuals. LAINNYA is unknown.
TAXPAYER_TYPE: Mapping[str, str] = {
    "PERORANGAN": "orang_pribadi",
    "UD": "orang_pribadi",
    "PT_PERORANGAN": "pt_perorangan",
    "CV": "cv",
    "FIRMA": "firma",
    "KOPERASI": "koperasi",
    "PT": "pt",
}
INDIVIDUAL = "orang_pribadi"

TYPE_LABEL: Mapping[str, Text] = {
    "orang_pribadi": Text("orang pribadi", "individuals"),
    "pt_perorangan": Text("PT perorangan", "single-founder PT"),
    "cv": Text("CV", "CV"),
    "firma": Text("firma", "firma (partnership)"),
    "koperasi": Text("koperasi", "cooperatives"),
    "pt": Text("PT", "PT"),
    "bumdes": Text("BUMDes/BUMDesma", "BUMDes/BUMDesma"),
}

GENERAL_RATES = Text(
    "Tarif umum UU PPh Pasal 17/31E; hitung dengan konsultan/KPP.",
    "Normal rates under the Income Tax Law (UU PPh) Article 17/31E; compute with a tax "
    "consultant or the KPP.",
)


class TaxRegime(StrEnum):
    EXEMPT = "exempt"
    PPH_FINAL = "pph_final"
    NORMAL = "normal"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TaxEstimate:
    regime: TaxRegime
    tax: int | None  # whole rupiah, rounded down; None when not computed
    exempt_portion: int | None  # turnover not taxed (individuals: up to the allowance)
    taxable: int | None  # turnover the rate applies to
    rate: Decimal | None  # e.g. Decimal("0.005"); None outside the final regime
    lines: tuple[Text, ...]  # the arithmetic, in words
    notes: tuple[Text, ...]  # time limit, announced change, Pasal 61, married couples ...
    summary: Text  # one sentence for the owner
    rule_key: str
    rule_version: int
    tax_year: int
    taxpayer_type: str | None
    last_final_year: int | None  # last tax year of the final regime, when known


def format_rupiah(amount: int) -> str:
    """Indonesian formatting: ``Rp600.000.000`` (dots between thousands)."""
    sign = "−" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def format_decimal_rupiah(amount: Decimal) -> str:
    """An exact amount with a fraction in Indonesian style: ``Rp500.000,5``."""
    whole = int(amount)
    fraction = amount - whole
    if fraction == 0:
        return format_rupiah(whole)
    digits = format(fraction.normalize(), "f").split(".")[1]
    return f"{format_rupiah(whole)},{digits}"


def format_rate(rate: Decimal) -> str:
    """``Decimal("0.005")`` -> ``0,5%``."""
    percent = format((rate * 100).normalize(), "f")
    return percent.replace(".", ",") + "%"


def taxpayer_type(legal_form: str) -> str | None:
    return TAXPAYER_TYPE.get(legal_form)


def is_individual(legal_form: str) -> bool:
    return TAXPAYER_TYPE.get(legal_form) == INDIVIDUAL


def _floor_tax(taxable: int, rate: Decimal) -> tuple[int, bool]:
    """``taxable × rate`` rounded down to the rupiah, and whether anything was cut off."""
    numerator, denominator = rate.as_integer_ratio()
    tax, remainder = divmod(taxable * numerator, denominator)
    return tax, remainder != 0


def announced_note(
    announced: RuleSpec | None, ttype: str, tax_year: int, last_final_year: int | None
) -> Text | None:
    """The announced change to PP 55/2022 as it touches this taxpayer type — flagged."""
    if announced is None or not announced.is_announced:
        return None
    params: Mapping[str, Any] = announced.params
    label = TYPE_LABEL.get(ttype, Text(ttype, ttype))
    until = params.get("extended_until_tax_year")
    conflicting = ttype in params.get("conflicting_types", ())
    if ttype in params.get("extended_types", ()):
        if not conflicting:
            conflict_id = conflict_en = ""
        elif ttype == "koperasi":
            conflict_id = " Sumber bertentangan: DJP menyatakan tidak ada perpanjangan bagi badan."
            conflict_en = " Sources conflict: DJP says there is no extension for entities."
        else:
            conflict_id = f" Sumber bertentangan: sampai {until} atau tanpa batas waktu."
            conflict_en = f" Sources conflict: until {until} or with no time limit."
        note = Text(
            f"DIUMUMKAN, BELUM BERLAKU (belum terverifikasi): pemerintah mengumumkan PPh final "
            f"0,5% untuk {label.id} diperpanjang sampai tahun pajak {until}.{conflict_id} "
            "Belum ada PP yang diundangkan; perhitungan ini memakai PP 55/2022.",
            f"ANNOUNCED, NOT IN FORCE (unverified): the government announced the 0.5% final tax "
            f"for {label.en} will be extended to tax year {until}.{conflict_en} No regulation "
            "has been enacted; this estimate follows PP 55/2022.",
        )
        allowed = params.get("djp_allowed_individual_tax_year")
        if (
            ttype == INDIVIDUAL
            and allowed == tax_year
            and last_final_year is not None
            and tax_year > last_final_year
        ):
            note = Text(
                note.id + f" Untuk tahun {tax_year} DJP membolehkan orang pribadi tetap membayar "
                "0,5% walau PP 55/2022 belum diubah — tanyakan ke KPP.",
                note.en + f" For {tax_year} DJP let individuals keep paying 0.5% although "
                "PP 55/2022 was not amended — ask your KPP.",
            )
        return note
    if ttype in params.get("no_extension_types", ()):
        end_id = f" tetap berakhir pada tahun pajak {last_final_year}" if last_final_year else ""
        end_en = f" still ends with tax year {last_final_year}" if last_final_year else ""
        return Text(
            f"DJP (20 November 2025): tidak ada perpanjangan PPh final 0,5% untuk {label.id}; "
            f"batas waktu Anda{end_id or ' tidak berubah'}. Rencana perubahan PP 55/2022 belum "
            "diundangkan (belum terverifikasi).",
            f"DJP (20 November 2025): no extension of the 0.5% final tax for {label.en}; your "
            f"time limit{end_en or ' is unchanged'}. The planned amendment of PP 55/2022 has not "
            "been enacted (unverified).",
        )
    return None


def estimate_tax(
    *,
    omzet: int | None,
    legal_form: str,
    tax_year: int,
    first_year: int | None,
    previous_year_omzet: int | None,
    rule: RuleSpec,
    announced: RuleSpec | None = None,
) -> TaxEstimate:
    """Estimate the PPh final for ``tax_year`` with the ``pph_final`` rule version ``rule``.

    ``first_year`` is the first tax year the business used (or was registered for) the final
    regime; before ``count_from_year`` (2018) it counts from that year. ``announced`` is the
    announced-change rule (``pph_final_perubahan``), shown as a flagged note only.
    """
    params = rule.params
    rate = Decimal(params["rate"])
    allowance: int = params["exempt_allowance_individual"]
    ceiling: int = params["ceiling_previous_year"]
    count_from: int = params["count_from_year"]
    limits: Mapping[str, int] = params["time_limit_years"]
    rate_text = format_rate(rate)

    ttype = taxpayer_type(legal_form)
    lines: list[Text] = []
    notes: list[Text] = []

    def result(
        regime: TaxRegime,
        summary: Text,
        *,
        tax: int | None = None,
        exempt_portion: int | None = None,
        taxable: int | None = None,
        regime_rate: Decimal | None = None,
        last_final_year: int | None = None,
    ) -> TaxEstimate:
        return TaxEstimate(
            regime=regime,
            tax=tax,
            exempt_portion=exempt_portion,
            taxable=taxable,
            rate=regime_rate,
            lines=tuple(lines),
            notes=tuple(notes),
            summary=summary,
            rule_key=rule.key,
            rule_version=rule.version,
            tax_year=tax_year,
            taxpayer_type=ttype,
            last_final_year=last_final_year,
        )

    if ttype is None or ttype not in limits:
        lines.append(
            Text(
                f'Bentuk usaha "{legal_form or "-"}" belum bisa dihitung di sini.',
                f'Legal form "{legal_form or "-"}" cannot be computed here.',
            )
        )
        return result(
            TaxRegime.UNKNOWN,
            Text(
                f"Pajak belum bisa diperkirakan: tanyakan ke KPP apakah PPh final {rate_text} "
                "berlaku untuk bentuk usaha Anda.",
                f"Tax cannot be estimated: ask the KPP whether the {rate_text} final tax applies "
                "to your legal form.",
            ),
        )
    if omzet is None:
        lines.append(Text("Omzet setahun belum diketahui.", "Yearly turnover is not known."))
        return result(
            TaxRegime.UNKNOWN,
            Text(
                f"Pajak tahun {tax_year} belum bisa diperkirakan: omzet setahun belum diketahui.",
                f"Tax for {tax_year} cannot be estimated: yearly turnover is not known.",
            ),
        )
    if omzet < 0 or (previous_year_omzet is not None and previous_year_omzet < 0):
        raise ValueError("turnover is never negative")

    individual = ttype == INDIVIDUAL
    years = limits[ttype]
    label = TYPE_LABEL.get(ttype, Text(ttype, ttype))

    # Time limit (Pasal 59): counted from the year of registration, or from 2018.
    last_final_year: int | None = None
    if first_year is None:
        notes.append(
            Text(
                f"Tahun mulai terdaftar belum diketahui: dianggap masih dalam batas waktu "
                f"{years} tahun pajak untuk {label.id} (dihitung sejak tahun terdaftar, "
                f"paling awal {count_from}).",
                f"First registration year not known: assumed to be within the {years}-tax-year "
                f"limit for {label.en} (counted from the registration year, {count_from} at the "
                "earliest).",
            )
        )
    else:
        start = max(first_year, count_from)
        last_final_year = start + years - 1
        notes.append(
            Text(
                f"Batas waktu PPh final {rate_text} untuk {label.id}: {years} tahun pajak sejak "
                f"{start}, yaitu sampai tahun pajak {last_final_year}.",
                f"Time limit of the {rate_text} final tax for {label.en}: {years} tax years from "
                f"{start}, i.e. up to tax year {last_final_year}.",
            )
        )

    announced_note_ = announced_note(announced, ttype, tax_year, last_final_year)

    # Normal rates: ceiling passed last year (Pasal 58) or time limit over (Pasal 59).
    reasons: list[Text] = []
    if previous_year_omzet is not None and previous_year_omzet > ceiling:
        reasons.append(
            Text(
                f"omzet tahun {tax_year - 1} {format_rupiah(previous_year_omzet)} lebih dari "
                f"{format_rupiah(ceiling)}",
                f"turnover in {tax_year - 1} of {format_rupiah(previous_year_omzet)} is above "
                f"{format_rupiah(ceiling)}",
            )
        )
    if last_final_year is not None and tax_year > last_final_year:
        reasons.append(
            Text(
                f"batas waktu {years} tahun pajak berakhir pada tahun pajak {last_final_year}",
                f"the {years}-tax-year limit ended with tax year {last_final_year}",
            )
        )
    if reasons:
        why_id = "; ".join(r.id for r in reasons)
        why_en = "; ".join(r.en for r in reasons)
        lines.append(
            Text(
                f"PPh final {rate_text} tidak berlaku untuk tahun pajak {tax_year}: {why_id}.",
                f"The {rate_text} final tax does not apply to tax year {tax_year}: {why_en}.",
            )
        )
        lines.append(GENERAL_RATES)
        if announced_note_:
            notes.append(announced_note_)
        return result(
            TaxRegime.NORMAL,
            Text(
                f"Tahun pajak {tax_year} memakai tarif umum ({why_id}); hitung dengan "
                "konsultan/KPP.",
                f"Tax year {tax_year} uses the normal rates ({why_en}); compute with a tax "
                "consultant or the KPP.",
            ),
            last_final_year=last_final_year,
        )
    if previous_year_omzet is None:
        notes.append(
            Text(
                f"Omzet tahun {tax_year - 1} belum diketahui: dianggap paling banyak "
                f"{format_rupiah(ceiling)}.",
                f"Turnover in {tax_year - 1} is not known: assumed to be at most "
                f"{format_rupiah(ceiling)}.",
            )
        )

    # The final regime (Pasal 56-60).
    lines.append(
        Text(
            f"Omzet tahun {tax_year}: {format_rupiah(omzet)}.",
            f"Turnover in {tax_year}: {format_rupiah(omzet)}.",
        )
    )
    if individual:
        exempt_portion = min(omzet, allowance)
        taxable = omzet - exempt_portion
        if taxable == 0:
            lines.append(
                Text(
                    f"{format_rupiah(omzet)} ≤ {format_rupiah(allowance)}: orang pribadi tidak "
                    "membayar PPh final atas omzet sampai batas ini (Rp0).",
                    f"{format_rupiah(omzet)} ≤ {format_rupiah(allowance)}: individuals pay no "
                    "final tax on turnover up to this amount (Rp0).",
                )
            )
        else:
            lines.append(
                Text(
                    f"{format_rupiah(omzet)} − {format_rupiah(allowance)} = "
                    f"{format_rupiah(taxable)} (bagian omzet yang kena pajak; "
                    f"{format_rupiah(allowance)} pertama bebas untuk orang pribadi).",
                    f"{format_rupiah(omzet)} − {format_rupiah(allowance)} = "
                    f"{format_rupiah(taxable)} (taxable part; the first "
                    f"{format_rupiah(allowance)} is free for individuals).",
                )
            )
    else:
        exempt_portion = 0
        taxable = omzet
        lines.append(
            Text(
                f"Badan usaha ({label.id}): seluruh omzet kena pajak, tanpa bagian bebas "
                f"{format_rupiah(allowance)}.",
                f"Business entity ({label.en}): all turnover is taxed, with no "
                f"{format_rupiah(allowance)} allowance.",
            )
        )

    tax, cut = _floor_tax(taxable, rate)
    if taxable > 0 or not individual:
        if cut:
            exact = format_decimal_rupiah(Decimal(taxable) * rate)
            lines.append(
                Text(
                    f"{rate_text} × {format_rupiah(taxable)} = {format_rupiah(tax)} (dibulatkan "
                    f"ke bawah ke rupiah penuh; tepatnya {exact}).",
                    f"{rate_text} × {format_rupiah(taxable)} = {format_rupiah(tax)} (rounded "
                    f"down to the whole rupiah; exactly {exact}).",
                )
            )
        else:
            formula = f"{rate_text} × {format_rupiah(taxable)} = {format_rupiah(tax)}"
            lines.append(Text(formula, formula))

    if omzet > ceiling:
        notes.append(
            Text(
                f"Omzet tahun {tax_year} lebih dari {format_rupiah(ceiling)}: {rate_text} tetap "
                f"berlaku sampai akhir tahun {tax_year}; mulai tahun {tax_year + 1} memakai tarif "
                "umum (PP 55/2022 Pasal 61).",
                f"Turnover in {tax_year} is above {format_rupiah(ceiling)}: {rate_text} still "
                f"applies until the end of {tax_year}; from {tax_year + 1} the normal rates apply "
                "(PP 55/2022 Article 61).",
            )
        )
    if individual:
        notes.append(
            Text(
                "Suami dan istri yang masing-masing punya usaha: omzet keduanya digabung untuk "
                f"batas {format_rupiah(ceiling)} (PP 55/2022 Pasal 58).",
                "A married couple who each run a business: their turnover is combined for the "
                f"{format_rupiah(ceiling)} ceiling (PP 55/2022 Article 58).",
            )
        )
    if announced_note_:
        notes.append(announced_note_)

    if individual and taxable == 0:
        return result(
            TaxRegime.EXEMPT,
            Text(
                f"Omzet {format_rupiah(omzet)} tidak lebih dari {format_rupiah(allowance)}: "
                f"tidak ada PPh final yang dibayar untuk tahun {tax_year}.",
                f"Turnover of {format_rupiah(omzet)} is not above {format_rupiah(allowance)}: "
                f"no final tax to pay for {tax_year}.",
            ),
            tax=0,
            exempt_portion=exempt_portion,
            taxable=0,
            regime_rate=rate,
            last_final_year=last_final_year,
        )
    return result(
        TaxRegime.PPH_FINAL,
        Text(
            f"Perkiraan PPh final tahun {tax_year}: {format_rupiah(tax)} "
            f"({rate_text} × {format_rupiah(taxable)}).",
            f"Estimated final tax for {tax_year}: {format_rupiah(tax)} "
            f"({rate_text} × {format_rupiah(taxable)}).",
        ),
        tax=tax,
        exempt_portion=exempt_portion,
        taxable=taxable,
        regime_rate=rate,
        last_final_year=last_final_year,
    )
