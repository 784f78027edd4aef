"""Evaluating a business against the stored rule base, and keeping what it was told."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.guidance.evaluation import Guidance, evaluate
from naikkelas.guidance.models import GuidanceAnswers, GuidanceEvaluation, GuidanceRule
from naikkelas.guidance.selectors import ANSWER_FIELDS, business_facts, stored_rules
from naikkelas.guidance.snapshot import digest, to_data
from naikkelas.registry.models import Business

FOOD_KINDS = ("kemasan_rendah", "kemasan_tinggi", "siap_saji", "awet_pendek")


def guidance_evaluate(
    *, actor: Any, business: Business, on: date, store: bool = True
) -> tuple[Guidance, GuidanceEvaluation | None]:
    """The guidance for ``business`` on ``on``. When ``store``, it is kept with the rule
    versions it used — once per distinct result (looking again at an unchanged business adds
    nothing)."""
    guidance = evaluate(business_facts(business=business, on=on), stored_rules(), on=on)
    if not store:
        return guidance, None
    result = to_data(guidance)
    result_digest = digest(result)
    with transaction.atomic():
        last = GuidanceEvaluation.objects.filter(business=business).order_by("-created_at").first()
        if last is not None and last.digest == result_digest and last.evaluated_on == on:
            return guidance, last
        evaluation = GuidanceEvaluation.objects.create(
            business=business,
            evaluated_on=on,
            rule_versions=[list(v) for v in guidance.rule_versions],
            result=result,
            digest=result_digest,
            created_by=actor_user(actor),
        )
        wanted = {tuple(v) for v in guidance.rule_versions}
        rows = [
            r
            for r in GuidanceRule.objects.filter(key__in={k for k, _v in wanted})
            if (r.key, r.version) in wanted
        ]
        evaluation.rules.set(rows)
    return guidance, evaluation


def _clean_answer(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if name == "food":
        if value not in FOOD_KINDS and value != "bukan":
            raise ApplicationError("food")
        return value
    if name == "tax_first_year":
        year = int(value)
        if not 1990 <= year <= 2100:
            raise ApplicationError("tax_first_year")
        return year
    if isinstance(value, bool):
        return value
    return {"ya": True, "1": True, "true": True, "tidak": False, "0": False, "false": False}.get(
        str(value).lower()
    )


def guidance_answers_set(
    *, actor: Any, business: Business, answers: dict[str, Any], request: Any = None
) -> GuidanceAnswers:
    cleaned = {k: _clean_answer(k, v) for k, v in answers.items() if k in ANSWER_FIELDS}
    with transaction.atomic():
        row, _created = GuidanceAnswers.objects.select_for_update().get_or_create(business=business)
        before = dict(row.answers)
        row.answers = {k: v for k, v in {**before, **cleaned}.items() if v is not None}
        row.updated_by = actor_user(actor)
        row.save()
        audit_log(
            actor=actor,
            action="guidance.answers",
            instance=business,
            request=request,
            changes={
                k: [before.get(k), row.answers.get(k)]
                for k in cleaned
                if before.get(k) != row.answers.get(k)
            },
        )
    return row
