"""The owner's side: open programmes, whether their business qualifies, applying, decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.programs import services
from naikkelas.programs.eligibility import evaluate, rules_from_data
from naikkelas.programs.models import Application, Cycle, CycleStatus
from naikkelas.programs.reasons import Labels, describe_decision, describe_failure, describe_rule
from naikkelas.programs.selectors import profiles_for
from naikkelas.registry.access import business_get_accessible, business_scope


@requires(Capability.OWNER_PORTAL)
def my_programmes(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    businesses = list(business_scope(user=request.user).filter(status="active"))
    labels = Labels.load()
    profiles = profiles_for(business_ids=[b.pk for b in businesses], on=today)
    applied = {
        (a.cycle_id, a.business_id): a
        for a in Application.objects.filter(business__in=businesses).select_related(
            "cycle__programme", "business"
        )
    }
    offers = []
    for cycle in Cycle.objects.filter(status=CycleStatus.OPEN).select_related("programme"):
        if cycle.applications_close_on and today > cycle.applications_close_on:
            continue
        rules = rules_from_data(cycle.rules)
        rows = []
        for business in businesses:
            evaluation = evaluate(rules, profiles[str(business.pk)], on=today)
            rows.append(
                {
                    "business": business,
                    "application": applied.get((cycle.pk, business.pk)),
                    "eligible": evaluation.passed,
                    "failures": [
                        describe_failure(f.code, f.args, labels) for f in evaluation.failures
                    ],
                }
            )
        offers.append(
            {"cycle": cycle, "rules": [describe_rule(r, labels) for r in cycle.rules], "rows": rows}
        )
    history = [
        {
            "application": a,
            "reason": describe_decision(a.reason, labels, a.position) if a.reason else "",
        }
        for a in sorted(applied.values(), key=lambda a: a.created_at, reverse=True)
    ]
    return render(request, "programs/my_programmes.html", {"offers": offers, "history": history})


@require_POST
@requires(Capability.OWNER_PORTAL)
def my_apply(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    business = business_get_accessible(
        user=request.user, business_id=request.POST.get("business", "")
    )
    try:
        services.application_apply(
            actor=request.user,
            cycle=cycle,
            business=business,
            note=request.POST.get("note", ""),
            request=request,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Pendaftaran Anda diterima. Hasil seleksi tampil di halaman ini.")
        )
    return redirect("programs:my_programmes")
