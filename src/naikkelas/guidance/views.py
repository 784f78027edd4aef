"""Guidance pages: the public self-check, tax calculator, myths and facts and rule list (no
login, nothing stored); a business's guidance for officers and owners; findings across the
register for officers; rule revisions for administrators."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import Capability, has_capability, public, requires
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.guidance.evaluation import BusinessFacts, Guidance, evaluate
from naikkelas.guidance.forms import AnswersForm, RuleReviseForm, SelfCheckForm, TaxForm, yes_no
from naikkelas.guidance.models import GuidanceRule
from naikkelas.guidance.plan import plan_pdf, plan_text
from naikkelas.guidance.rulebase import current
from naikkelas.guidance.selectors import (
    ANSWER_FIELDS,
    business_answers,
    evaluation_history,
    facts_for,
    stored_rules,
)
from naikkelas.guidance.services.evaluations import guidance_answers_set, guidance_evaluate
from naikkelas.guidance.services.rules import rule_revise
from naikkelas.guidance.snapshot import to_data
from naikkelas.guidance.tax import estimate_tax
from naikkelas.programs.models import Cycle, CycleStatus
from naikkelas.registry.access import business_get_accessible, business_scope
from naikkelas.registry.forms import BusinessFilterForm
from naikkelas.registry.selectors import business_list


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _facts_from_form(data: dict[str, Any]) -> BusinessFacts:
    permits: dict[str, date | None] = {}
    for field, kind in (
        ("has_spp_irt", "SPP_IRT"),
        ("has_bpom", "BPOM_MD"),
        ("has_halal", "HALAL"),
    ):
        if data.get(field):
            permits[kind] = None
    food = data.get("food")
    return BusinessFacts(
        sector=data["sector"],
        legal_form=data["legal_form"],
        annual_omzet=data["omzet"],
        modal=None,
        omzet_year=data["tax_year"],
        has_nib=yes_no(data.get("has_nib")),
        permits=permits,
        food=None if food in (None, "", "bukan") else food,
        halal_simple_process=yes_no(data.get("halal_simple_process")),
        tax_first_year=data.get("tax_first_year"),
        previous_year_omzet=data.get("previous_year_omzet"),
        has_npwp=yes_no(data.get("has_npwp")),
        has_expiry_label=yes_no(data.get("has_expiry_label")),
        has_barcode=yes_no(data.get("has_barcode")),
        steady_supply=yes_no(data.get("steady_supply")),
        has_product_photos=yes_no(data.get("has_product_photos")),
        has_payout_account=yes_no(data.get("has_payout_account")),
    )


def _share_link(text: str) -> str:
    """WhatsApp's own share page with the plain-text plan (no number: the person picks one)."""
    return "https://wa.me/?text=" + quote(text)


@public
def self_check(request: HttpRequest) -> HttpResponse:
    """The public questionnaire (GET only: the answers live in the address, nothing is
    stored) and the checklist it gives."""
    today = timezone.localdate()
    bound = "omzet" in request.GET
    form = SelfCheckForm(request.GET if bound else None, initial={"tax_year": today.year})
    context: dict[str, Any] = {"form": form}
    if bound and form.is_valid():
        guidance = evaluate(
            _facts_from_form(form.cleaned_data),
            stored_rules(),
            on=today,
            tax_year=form.cleaned_data["tax_year"],
        )
        text = plan_text(guidance=to_data(guidance), lang=_lang(), title=_("Rencana usaha saya"))
        context.update(
            guidance=to_data(guidance),
            share=_share_link(text),
            pdf_query=request.GET.urlencode(),
        )
    return render(request, "guidance/self_check.html", context)


@public
def self_check_pdf(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SelfCheckForm(request.GET)
    if not form.is_valid():
        return redirect("guidance:self_check")
    guidance = evaluate(
        _facts_from_form(form.cleaned_data),
        stored_rules(),
        on=today,
        tax_year=form.cleaned_data["tax_year"],
    )
    content = plan_pdf(
        guidance=to_data(guidance),
        lang=_lang(),
        title=_("Rencana usaha saya"),
        subtitle=_("Hasil cek mandiri %(day)s") % {"day": today.strftime("%d/%m/%Y")},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="rencana-usaha.pdf"'
    return response


@public
def tax_calculator(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bound = "omzet" in request.GET
    form = TaxForm(request.GET if bound else None, initial={"tax_year": today.year})
    context: dict[str, Any] = {"form": form}
    if bound and form.is_valid():
        data = form.cleaned_data
        rule = current(stored_rules(), "pph_final", date(data["tax_year"], 12, 31))
        if rule is None:
            raise Http404
        estimate = estimate_tax(
            omzet=data["omzet"],
            legal_form=data["legal_form"],
            tax_year=data["tax_year"],
            first_year=data.get("tax_first_year"),
            previous_year_omzet=data.get("previous_year_omzet"),
            rule=rule,
        )
        context.update(estimate=to_data(estimate), rule=to_data(rule))
    return render(request, "guidance/tax.html", context)


MYTHS = ("nib", "halal_self_declare", "pph_final", "npwp_nik", "spp_irt")


@public
def myths(request: HttpRequest) -> HttpResponse:
    """Myths and facts, each fact with the rule (and version) it comes from."""
    today = timezone.localdate()
    rules = stored_rules()
    facts = {key: current(rules, key, today) for key in MYTHS}
    return render(
        request,
        "guidance/myths.html",
        {"rules": {k: to_data(v) for k, v in facts.items() if v is not None}},
    )


@public
def rule_list(request: HttpRequest) -> HttpResponse:
    """The whole rule base, every version, with its legal basis, sources and dates."""
    rows = list(GuidanceRule.objects.order_by("key", "-version"))
    grouped: dict[str, list[GuidanceRule]] = {}
    for row in rows:
        grouped.setdefault(row.key, []).append(row)
    return render(
        request,
        "guidance/rule_list.html",
        {"groups": grouped, "can_revise": has_capability(request.user, Capability.GUIDANCE_MANAGE)},
    )


@requires(Capability.GUIDANCE_MANAGE)
def rule_revise_view(request: HttpRequest, key: str) -> HttpResponse:
    latest = GuidanceRule.objects.filter(key=key).order_by("-version").first()
    if latest is None:
        raise Http404
    data = latest.data
    initial = {
        "status": data.get("status"),
        "effective_from": data.get("effective_from"),
        "effective_to": data.get("effective_to"),
        "legal_basis": data.get("legal_basis"),
        "sources": "\n".join(data.get("sources", [])),
        "last_reviewed": timezone.localdate(),
        "summary": (data.get("summary") or {}).get("id", ""),
        "summary_en": (data.get("summary") or {}).get("en", ""),
        "params": json.dumps(data.get("params", {}), indent=1, ensure_ascii=False),
    }
    form = RuleReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            params = json.loads(cleaned["params"])
        except ValueError:
            form.add_error("params", _("Parameter harus JSON yang sah."))
        else:
            changes = {
                "status": cleaned["status"],
                "effective_from": cleaned["effective_from"].isoformat(),
                "effective_to": cleaned["effective_to"].isoformat()
                if cleaned["effective_to"]
                else None,
                "legal_basis": cleaned["legal_basis"],
                "sources": [s.strip() for s in cleaned["sources"].splitlines() if s.strip()],
                "last_reviewed": cleaned["last_reviewed"].isoformat(),
                "summary": {"id": cleaned["summary"], "en": cleaned["summary_en"]},
                "params": params,
            }
            try:
                row = rule_revise(
                    actor=request.user,
                    key=key,
                    changes=changes,
                    note=cleaned["note"],
                    request=request,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Versi %(v)s aturan %(key)s disimpan.") % {"v": row.version, "key": key},
                )
                return redirect("guidance:rule_list")
    return render(request, "guidance/rule_revise.html", {"form": form, "latest": latest})


def _business_page(request: HttpRequest, business: Any, *, owner: bool) -> HttpResponse:
    today = timezone.localdate()
    can_edit = has_capability(request.user, Capability.REGISTER_EDIT) or owner
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = AnswersForm(request.POST)
        if form.is_valid():
            try:
                guidance_answers_set(
                    actor=request.user,
                    business=business,
                    answers=form.cleaned_data,
                    request=request,
                )
            except (ApplicationError, ValueError):
                messages.error(request, _("Jawaban tidak sah."))
            else:
                messages.success(request, _("Jawaban disimpan; panduan diperbarui."))
            return redirect(request.path)
    guidance, evaluation = guidance_evaluate(actor=request.user, business=business, on=today)
    data = evaluation.result if evaluation is not None else to_data(guidance)
    text = plan_text(guidance=data, lang=_lang(), title=business.name)
    answers = {k: v for k, v in business_answers(business=business).items() if k in ANSWER_FIELDS}
    initial = {k: ({True: "ya", False: "tidak"}.get(v, v)) for k, v in answers.items()}
    return render(
        request,
        "guidance/business.html",
        {
            "business": business,
            "guidance": data,
            "evaluation": evaluation,
            "history": evaluation_history(business=business),
            "answers_form": AnswersForm(initial=initial),
            "can_edit": can_edit,
            "share": _share_link(text),
            "owner_view": owner,
        },
    )


@requires(Capability.REGISTER_VIEW)
def business_guidance(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    return _business_page(request, business, owner=False)


@requires(Capability.OWNER_PORTAL)
def my_guidance(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    return _business_page(request, business, owner=True)


def _plan_response(request: HttpRequest, business: Any) -> HttpResponse:
    today = timezone.localdate()
    guidance, evaluation = guidance_evaluate(actor=request.user, business=business, on=today)
    data = evaluation.result if evaluation is not None else to_data(guidance)
    audit_log(actor=request.user, action="guidance.export", instance=business, request=request)
    content = plan_pdf(
        guidance=data,
        lang=_lang(),
        title=business.name,
        subtitle=_("Panduan izin dan pajak, %(day)s") % {"day": today.strftime("%d/%m/%Y")},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="panduan-{business.pk}.pdf"'
    return response


@requires(Capability.REGISTER_VIEW)
def business_guidance_pdf(request: HttpRequest, business_id: Any) -> HttpResponse:
    """The one-page plan of a business, for an officer."""
    return _plan_response(
        request, business_get_accessible(user=request.user, business_id=business_id)
    )


@requires(Capability.OWNER_PORTAL)
def my_guidance_pdf(request: HttpRequest, business_id: Any) -> HttpResponse:
    """The same for the owner of the business."""
    return _plan_response(
        request, business_get_accessible(user=request.user, business_id=business_id)
    )


# Findings an officer can look for across the register: (rule key, wanted, label).
FINDING_FILTERS: dict[str, tuple[str, str, str]] = {
    "nib-missing": ("nib", "missing", "Belum punya NIB"),
    "halal-overdue": ("halal_wajib", "overdue", "Wajib halal, tenggat sudah lewat"),
    "halal-missing": ("halal_wajib", "missing", "Wajib halal, belum bersertifikat"),
    "halal-free": ("halal_self_declare", "eligible", "Bisa halal gratis (self-declare)"),
    "pirt-missing": ("spp_irt", "missing", "Pangan kemasan tanpa SPP-IRT"),
    "pirt-renew": ("spp_irt", "in_progress", "SPP-IRT perlu diperpanjang"),
    "retail-ready": ("ritel_modern", "done", "Siap ritel modern"),
}


def _matches(guidance: Guidance, key: str, wanted: str) -> bool:
    for finding in guidance.findings:
        if finding.rule_key != key:
            continue
        status = str(getattr(finding.status, "value", finding.status))
        if wanted == "overdue":
            return bool(finding.overdue)
        if wanted == "eligible":
            return bool(finding.free) and status != "done"
        return status == wanted
    return False


@requires(Capability.PROGRAMME_VIEW)
def findings(request: HttpRequest) -> HttpResponse:
    """Businesses of the register with a finding (e.g. kuliner without halal after the
    deadline), filtered like the register; the list feeds programme nominations."""
    today = timezone.localdate()
    chosen = request.GET.get("temuan", "")
    form = BusinessFilterForm(request.GET or {"status": "active"})
    matched: list[Any] = []
    if chosen in FINDING_FILTERS and form.is_valid():
        key, wanted, _label = FINDING_FILTERS[chosen]
        rules = stored_rules()
        base = business_list(
            base=business_scope(user=request.user), filters=form.filters()
        ).prefetch_related(None)  # owners are not needed to evaluate
        for chunk_start in range(0, base.count(), 2000):
            chunk = list(base[chunk_start : chunk_start + 2000])
            facts = facts_for(businesses=chunk, on=today)
            for business in chunk:
                if _matches(evaluate(facts[business.pk], rules, on=today), key, wanted):
                    matched.append(business)
    page = Paginator(matched, 100).get_page(request.GET.get("page"))
    cycles = list(
        Cycle.objects.filter(status__in=[CycleStatus.DRAFT, CycleStatus.OPEN]).select_related(
            "programme"
        )
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "guidance/findings.html",
        {
            "form": form,
            "choices": [(k, _(v[2])) for k, v in FINDING_FILTERS.items()],
            "chosen": chosen,
            "page": page,
            "total": len(matched),
            "ids": "\n".join(str(b.pk) for b in matched),
            "cycles": cycles,
            "query": query.urlencode(),
        },
    )
