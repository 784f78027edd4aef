"""Guidance endpoints: the rule base, a business's guidance (stored with its rule versions), a
self-check for given facts and the tax estimate. Texts come in both languages."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.core.exceptions import ApplicationError
from naikkelas.guidance.evaluation import BusinessFacts, evaluate
from naikkelas.guidance.models import GuidanceRule
from naikkelas.guidance.rulebase import current
from naikkelas.guidance.selectors import stored_rules
from naikkelas.guidance.services.evaluations import guidance_evaluate
from naikkelas.guidance.snapshot import to_data
from naikkelas.guidance.tax import estimate_tax
from naikkelas.registry.access import business_get_accessible

router = Router(tags=["guidance"])
SIGNED_IN = capability_auth(Capability.ACCOUNT_SELF)


class RuleOut(Schema):
    key: str
    version: int
    status: str
    effective_from: date
    effective_to: date | None
    origin: str
    data: dict[str, Any]


class FactsIn(Schema):
    sector: str
    legal_form: str = "PERORANGAN"
    annual_omzet: int | None = Field(default=None, ge=0)
    tax_year: int | None = None
    previous_year_omzet: int | None = Field(default=None, ge=0)
    tax_first_year: int | None = None
    has_nib: bool | None = None
    permits: dict[str, date | None] = Field(
        default_factory=dict, description='held permits and their expiry, e.g. {"SPP_IRT": null}'
    )
    food: str | None = Field(
        default=None, description="kemasan_rendah, kemasan_tinggi, siap_saji, awet_pendek or null"
    )
    halal_simple_process: bool | None = None
    has_npwp: bool | None = None
    has_expiry_label: bool | None = None
    has_barcode: bool | None = None
    steady_supply: bool | None = None
    has_product_photos: bool | None = None
    has_payout_account: bool | None = None


class TaxIn(Schema):
    omzet: int = Field(ge=0)
    legal_form: str = "PERORANGAN"
    tax_year: int
    previous_year_omzet: int | None = Field(default=None, ge=0)
    tax_first_year: int | None = None


@router.get("/guidance/rules", response=list[RuleOut], auth=SIGNED_IN)
def rule_list_api(request: HttpRequest) -> Any:
    return GuidanceRule.objects.order_by("key", "version")


@router.post("/guidance/check", response=dict[str, Any], auth=SIGNED_IN)
def check_api(request: HttpRequest, payload: FactsIn) -> Any:
    """Guidance for the facts given (nothing stored)."""
    today = timezone.localdate()
    data = payload.dict()
    tax_year = data.pop("tax_year") or today.year
    try:
        facts = BusinessFacts(omzet_year=tax_year, modal=None, **data)
    except ValueError as exc:  # an unknown food kind, a negative amount
        raise ApplicationError(str(exc), code="invalid_facts") from exc
    return to_data(evaluate(facts, stored_rules(), on=today, tax_year=tax_year))


@router.post("/guidance/tax", response=dict[str, Any], auth=SIGNED_IN)
def tax_api(request: HttpRequest, payload: TaxIn) -> Any:
    rule = current(stored_rules(), "pph_final", date(payload.tax_year, 12, 31))
    if rule is None:
        raise ApplicationError("Tidak ada aturan PPh final untuk tahun ini.", code="no_rule")
    return to_data(
        estimate_tax(
            omzet=payload.omzet,
            legal_form=payload.legal_form,
            tax_year=payload.tax_year,
            first_year=payload.tax_first_year,
            previous_year_omzet=payload.previous_year_omzet,
            rule=rule,
        )
    )


@router.get(
    "/businesses/{business_id}/guidance",
    response=dict[str, Any],
    auth=capability_auth(Capability.REGISTER_VIEW),
)
def business_guidance_api(request: HttpRequest, business_id: UUID) -> Any:
    """Today's guidance for a business the caller may see; stored with its rule versions."""
    business = business_get_accessible(user=request.user, business_id=business_id)
    guidance, evaluation = guidance_evaluate(
        actor=request.user, business=business, on=timezone.localdate()
    )
    result = evaluation.result if evaluation is not None else to_data(guidance)
    return {"evaluation_id": str(evaluation.pk) if evaluation else None, **result}
