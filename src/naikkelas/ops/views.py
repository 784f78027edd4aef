"""Operations pages: ``/healthz`` and ``/metrics`` for machines, the background jobs page for
the administrator."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from naikkelas.accounts.permissions import Capability, public, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.ops import jobs
from naikkelas.ops.health import health_report
from naikkelas.ops.metrics import scrape_allowed, scrape_registry


@public
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: no sign-in, no personal data (ops.health)."""
    report = health_report()
    return JsonResponse(report.as_dict(), status=report.http_status)


@public  # guarded by its own rule: a bearer token, or a scraper on this machine
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.NAIKKELAS_METRICS_ENABLED:
        raise Http404
    token = settings.NAIKKELAS_METRICS_TOKEN
    if not scrape_allowed(request, token=token):
        response = HttpResponse(status=401 if token else 403)
        if token:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


@requires(Capability.OPS_VIEW)
def jobs_overview(request: HttpRequest) -> HttpResponse:
    status = jobs.status_filter(request.GET.get("status"))
    now = timezone.now()
    counts = jobs.task_status_counts()
    return render(
        request,
        "ops/jobs.html",
        {
            "status": status,
            "statuses": [(code, label, counts[code]) for code, label in jobs.STATUS_LABELS.items()],
            "tasks": jobs.task_list(status=status),
            "list_size": jobs.LIST_SIZE,
            "batches": jobs.import_batches_needing_attention(),
            "daily_runs": jobs.daily_job_runs(today=timezone.localdate(now)),
            "workers": jobs.worker_list(now=now),
            "stale_seconds": settings.NAIKKELAS_WORKER_STALE_SECONDS,
        },
    )


@requires(Capability.OPS_VIEW)
def task_detail(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    task = jobs.task_get(task_id=task_id)
    if task is None:
        raise Http404
    return render(request, "ops/task_detail.html", {"task": task})


@require_POST
@requires(Capability.OPS_MANAGE)
def task_retry(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    try:
        new_id = jobs.task_retry(actor=request.user, task_id=task_id, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("ops:task_detail", task_id=task_id)
    messages.success(request, _("Tugas diantrekan lagi dengan argumen yang sama."))
    return redirect("ops:task_detail", task_id=new_id)
