"""Officers' pages of the kendala channel: the list, one item (assign, answer, status, target,
nomination, audit trail), logging on someone's behalf, the forum table, the categories and the
planning counts. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.service_calls import call_service
from naikkelas.core.table_export import export_table_response
from naikkelas.kendala import services, workflow
from naikkelas.kendala.forms import (
    AssignForm,
    CategoryForm,
    ForumHeaderForm,
    KendalaFilterForm,
    NominateForm,
    OfficerKendalaForm,
    RespondForm,
    StatusForm,
    TargetForm,
    YearForm,
    forum_formset,
)
from naikkelas.kendala.models import Kendala, KendalaChannel
from naikkelas.kendala.planning import (
    kendala_planning_counts,
    kendala_planning_tables,
    kendala_years,
)
from naikkelas.kendala.selectors import (
    KendalaFilters,
    business_pick,
    category_list,
    cycles_for_nomination,
    kendala_audit_trail,
    kendala_get,
    kendala_list,
)
from naikkelas.programs.models import Cycle
from naikkelas.registry.access import business_scope

PER_PAGE = 50
FORUM_ROWS = 10
ACTION_LABELS = {
    "kendala.report": gettext_lazy("Dilaporkan"),
    "kendala.assign": gettext_lazy("Ditugaskan"),
    "kendala.respond": gettext_lazy("Ditanggapi"),
    "kendala.status": gettext_lazy("Status diubah"),
    "kendala.target": gettext_lazy("Target diubah"),
    "kendala.escalate": gettext_lazy("Dieskalasi (lewat target)"),
    "kendala.nominate": gettext_lazy("Dinominasikan ke program"),
    "person.reveal": gettext_lazy("Nomor HP pelapor dilihat"),
}


def _kendala(kendala_id: Any) -> Kendala:
    kendala = kendala_get(kendala_id=kendala_id)
    if kendala is None:
        raise Http404
    return kendala


# --- the list ---------------------------------------------------------------------------------


@requires(Capability.KENDALA_MANAGE)
@require_http_methods(["GET"])
def manage_list(request: HttpRequest) -> HttpResponse:
    form = KendalaFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = KendalaFilters(
        status=data.get("status", ""),
        category=data.get("category", ""),
        kecamatan=data.get("kecamatan", ""),
        sector=data.get("sector", ""),
        assignee=data.get("assignee", ""),
        overdue=bool(data.get("overdue")),
        channel=data.get("channel", ""),
    )
    today = timezone.localdate()
    page = Paginator(kendala_list(filters=filters, today=today), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kendala/manage_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


# --- one item --------------------------------------------------------------------------------


def _detail(request: HttpRequest, kendala: Kendala, **extra: Any) -> HttpResponse:
    next_statuses = workflow.next_statuses(kendala.status)
    cycles = list(cycles_for_nomination()) if kendala.business_id and kendala.is_open else []
    trail = [
        {"event": event, "label": ACTION_LABELS.get(event.action, event.action)}
        for event in kendala_audit_trail(kendala=kendala)[:200]
    ]
    context = {
        "kendala": kendala,
        "overdue": kendala.is_overdue(timezone.localdate()),
        "assign_form": AssignForm(initial={"assignee": kendala.assignee_id or ""}),
        "respond_form": RespondForm(
            initial={"response": kendala.response}, next_statuses=next_statuses
        ),
        "status_form": StatusForm(next_statuses=next_statuses) if next_statuses else None,
        "target_form": TargetForm(initial={"target_date": kendala.target_date}),
        "nominate_form": NominateForm(cycles=cycles) if cycles else None,
        "trail": trail,
        "can_reveal": has_capability(request.user, Capability.PERSON_REVEAL),
        **extra,
    }
    return render(request, "kendala/manage_detail.html", context)


@requires(Capability.KENDALA_MANAGE)
@never_cache
@require_http_methods(["GET"])
def manage_detail(request: HttpRequest, kendala_id: Any) -> HttpResponse:
    return _detail(request, _kendala(kendala_id))


def _assign(request: HttpRequest, kendala: Kendala) -> None:
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih petugas dari daftar."))
        return
    user_id = form.cleaned_data["assignee"]
    assignee = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    call_service(
        request,
        lambda: services.kendala_assign(
            actor=request.user, kendala=kendala, assignee=assignee, request=request
        ),
        _("Petugas ditetapkan."),
    )


def _respond(request: HttpRequest, kendala: Kendala) -> None:
    form = RespondForm(request.POST, next_statuses=workflow.next_statuses(kendala.status))
    if not form.is_valid():
        messages.error(request, _("Tuliskan tanggapan, dan pilih status dari daftar."))
        return
    call_service(
        request,
        lambda: services.kendala_respond(
            actor=request.user,
            kendala=kendala,
            response=form.cleaned_data["response"],
            status=form.cleaned_data["status"],
            request=request,
        ),
        _("Tanggapan disimpan; pelapor dapat membacanya."),
    )


def _status(request: HttpRequest, kendala: Kendala) -> None:
    status = request.POST.get("status", "")
    call_service(
        request,
        lambda: services.kendala_set_status(
            actor=request.user, kendala=kendala, status=status, request=request
        ),
        _("Status diubah."),
    )


def _target(request: HttpRequest, kendala: Kendala) -> None:
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal tidak valid."))
        return
    call_service(
        request,
        lambda: services.kendala_set_target(
            actor=request.user,
            kendala=kendala,
            target_date=form.cleaned_data["target_date"],
            request=request,
        ),
        _("Target selesai disimpan."),
    )


def _nominate(request: HttpRequest, kendala: Kendala) -> None:
    cycles = list(cycles_for_nomination())
    form = NominateForm(request.POST, cycles=cycles)
    if not form.is_valid():
        messages.error(request, _("Pilih angkatan program yang masih menerima nominasi."))
        return
    cycle = Cycle.objects.get(pk=form.cleaned_data["cycle"])
    call_service(
        request,
        lambda: services.kendala_answer_by_nomination(
            actor=request.user,
            kendala=kendala,
            cycle=cycle,
            response=form.cleaned_data["response"],
            request=request,
        ),
        _("Usaha dinominasikan; tanggapan dikirim ke pelapor."),
    )


_ACTIONS: dict[str, Callable[[HttpRequest, Kendala], None]] = {
    "tugaskan": _assign,
    "tanggapi": _respond,
    "status": _status,
    "target": _target,
    "nominasi": _nominate,
}


@require_POST
@requires(Capability.KENDALA_MANAGE)
@never_cache
def manage_action(request: HttpRequest, kendala_id: Any, action: str) -> HttpResponse:
    kendala = _kendala(kendala_id)
    if action == "lihat-hp":
        if not has_capability(request.user, Capability.PERSON_REVEAL):
            raise PermissionDenied
        phone = services.kendala_reporter_reveal(
            actor=request.user, kendala=kendala, request=request
        )
        return _detail(request, kendala, revealed_phone=phone)
    handler = _ACTIONS.get(action)
    if handler is None:
        raise Http404
    handler(request, kendala)
    return redirect(kendala)


# --- recording -------------------------------------------------------------------------------

_OFFICER_FIELDS = {
    "reporter_name": "reporter_name",
    "phone": "phone",
    "kelurahan": "desa_kelurahan",
    "sector": "sector",
    "category": "category",
    "description": "description",
}


@requires(Capability.KENDALA_MANAGE)
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    """Log a kendala heard by phone, WhatsApp or at a visit, on the reporter's behalf."""
    form = OfficerKendalaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        business = None
        if data["business_text"].strip():
            business, problem = business_pick(
                text=data["business_text"], base=business_scope(user=request.user)
            )
            if business is None:
                form.add_error("business_text", problem)
        if not form.errors:
            try:
                kendala = services.kendala_report(
                    actor=request.user,
                    channel=KendalaChannel.PETUGAS,
                    business=business,
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["phone"],
                    desa_kelurahan=data["desa_kelurahan"],
                    sector=data["sector"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    request=request,
                )
            except ApplicationError as error:
                form.add_error(_OFFICER_FIELDS.get(error.code), error.message)
            else:
                messages.success(
                    request,
                    _("Kendala dicatat dengan kode %(code)s.") % {"code": kendala.tracking_code},
                )
                return redirect(kendala)
    return render(request, "kendala/manage_create.html", {"form": form})


@requires(Capability.KENDALA_MANAGE)
@require_http_methods(["GET", "POST"])
def forum(request: HttpRequest) -> HttpResponse:
    """After a forum meeting: many kendala in one table; all saved, or none with the errors
    next to the rows as typed."""
    if request.method == "POST":
        header = ForumHeaderForm(request.POST)
        rows = forum_formset(data=request.POST)
        if header.is_valid() and rows.is_valid():
            typed = [
                services.BulkRow(
                    line=index,
                    business_text=form.cleaned_data.get("business_text", ""),
                    reporter_name=form.cleaned_data.get("reporter_name", ""),
                    category=form.cleaned_data.get("category", ""),
                    description=form.cleaned_data.get("description", ""),
                )
                for index, form in enumerate(rows.forms, start=1)
                if not form.is_blank()
            ]
            try:
                result = services.kendala_bulk_log(
                    actor=request.user,
                    forum_name=header.cleaned_data["forum_name"],
                    forum_date=header.cleaned_data["forum_date"],
                    rows=typed,
                    base=business_scope(user=request.user),
                    request=request,
                )
            except ApplicationError as error:
                header.add_error(None, error.message)
            else:
                if result.ok:
                    messages.success(
                        request,
                        _("%(n)s kendala dari forum dicatat.") % {"n": len(result.created)},
                    )
                    return redirect(reverse("kendala:manage_list") + "?channel=forum")
                for line, problems in result.errors.items():
                    for problem in problems:
                        rows.forms[line - 1].add_error(None, problem)
                messages.error(
                    request,
                    _("Belum ada yang disimpan: perbaiki %(n)s baris yang ditandai.")
                    % {"n": len(result.errors)},
                )
    else:
        # a meeting elsewhere in the product (an association forum) may prefill its name/date
        try:
            day = date.fromisoformat(request.GET.get("tanggal", ""))
        except ValueError:
            day = timezone.localdate()
        header = ForumHeaderForm(
            initial={"forum_date": day, "forum_name": request.GET.get("forum", "")[:150]}
        )
        try:
            count = max(1, min(50, int(request.GET.get("baris", FORUM_ROWS))))
        except ValueError:
            count = FORUM_ROWS
        rows = forum_formset(rows=count)
    return render(request, "kendala/forum.html", {"header": header, "rows": rows})


@requires(Capability.KENDALA_MANAGE)
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            request,
            lambda: services.kendala_category_save(
                actor=request.user, request=request, **form.cleaned_data
            ),
            _("Kategori disimpan."),
        )
        if done is not None:
            return redirect("kendala:categories")
    return render(
        request,
        "kendala/categories.html",
        {"form": form, "categories": category_list(active_only=False)},
    )


# --- counts for planning ---------------------------------------------------------------------


@requires(Capability.DASHBOARD_VIEW)
@require_http_methods(["GET"])
def planning(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data["tahun"]:
        year = form.cleaned_data["tahun"]
    counts = kendala_planning_counts(year=year)
    if "tabel" in request.GET:  # one table as XLSX/CSV (404 for an unknown one)
        return export_table_response(
            request, kendala_planning_tables(counts), filters={"tahun": year}
        )
    return render(
        request,
        "kendala/planning.html",
        {
            "counts": counts,
            "export_query": urlencode({"tahun": year}),
            "years": kendala_years(),
            "year": year,
            "months": [date(year, month, 1) for month in range(1, 13)],
        },
    )
