"""Reading guidance: a business's facts from the register and its answers; stored rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from naikkelas.guidance.evaluation import BusinessFacts
from naikkelas.guidance.models import GuidanceAnswers, GuidanceEvaluation, GuidanceRule
from naikkelas.guidance.rulebase import RuleSpec
from naikkelas.registry.models import Business, Permit, YearlyFigure

# Answers the register does not hold; each is optional (unknown stays None).
ANSWER_FIELDS = (
    "food",
    "halal_simple_process",
    "tax_first_year",
    "has_expiry_label",
    "has_barcode",
    "steady_supply",
    "has_product_photos",
    "has_payout_account",
)


def stored_rules() -> list[RuleSpec]:
    return [
        RuleSpec.from_data(data) for data in GuidanceRule.objects.values_list("data", flat=True)
    ]


def business_answers(*, business: Business) -> dict[str, Any]:
    row = GuidanceAnswers.objects.filter(business=business).first()
    return dict(row.answers) if row else {}


def facts_for(*, businesses: Iterable[Business], on: date) -> dict[Any, BusinessFacts]:
    """The facts the rules read, from the register plus the stored answers, for many
    businesses at once (four queries per call)."""
    rows = list(businesses)
    ids = [b.pk for b in rows]
    figures: dict[Any, dict[int, tuple[int | None, int | None]]] = defaultdict(dict)
    for business_id, year, omzet, modal in YearlyFigure.objects.filter(
        business_id__in=ids, year__lte=on.year
    ).values_list("business_id", "year", "omzet", "modal"):
        figures[business_id][year] = (omzet, modal)
    permits: dict[Any, dict[str, date | None]] = defaultdict(dict)
    for business_id, kind, expires_on, issued_on in Permit.objects.filter(
        business_id__in=ids
    ).values_list("business_id", "kind", "expires_on", "issued_on"):
        if issued_on is not None and issued_on > on:
            continue
        held = permits[business_id]
        # the longest-running certificate of a kind counts; no expiry beats any date
        if kind not in held or (
            held[kind] is not None and (expires_on is None or expires_on > held[kind])  # type: ignore[operator]
        ):
            held[kind] = expires_on
    answers = dict(
        GuidanceAnswers.objects.filter(business_id__in=ids).values_list("business_id", "answers")
    )
    return {
        b.pk: _facts(b, figures.get(b.pk, {}), permits.get(b.pk, {}), answers.get(b.pk) or {})
        for b in rows
    }


def _facts(
    business: Business,
    figures: dict[int, tuple[int | None, int | None]],
    permits: dict[str, date | None],
    answers: dict[str, Any],
) -> BusinessFacts:
    years = sorted((y for y, (omzet, _m) in figures.items() if omzet is not None), reverse=True)
    omzet_year = years[0] if years else None
    food = answers.get("food")
    return BusinessFacts(
        sector=business.sector_id,
        legal_form=business.legal_form,
        annual_omzet=figures[omzet_year][0] if omzet_year else None,
        modal=figures[omzet_year][1] if omzet_year else None,
        omzet_year=omzet_year,
        has_nib=bool(business.nib),
        permits=permits,
        food=None if food in (None, "", "bukan") else food,
        halal_simple_process=answers.get("halal_simple_process"),
        tax_first_year=answers.get("tax_first_year"),
        previous_year_omzet=figures.get(omzet_year - 1, (None, None))[0] if omzet_year else None,
        has_npwp=True if business.npwp else None,
        has_expiry_label=answers.get("has_expiry_label"),
        has_barcode=answers.get("has_barcode"),
        steady_supply=answers.get("steady_supply"),
        has_product_photos=answers.get("has_product_photos"),
        has_payout_account=answers.get("has_payout_account"),
    )


def business_facts(*, business: Business, on: date) -> BusinessFacts:
    return facts_for(businesses=[business], on=on)[business.pk]


def evaluation_history(*, business: Business) -> list[GuidanceEvaluation]:
    return list(
        GuidanceEvaluation.objects.filter(business=business)
        .select_related("created_by")
        .order_by("-created_at")[:20]
    )
