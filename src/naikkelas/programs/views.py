"""HTML views of programmes: thin; they parse input, call one service or selector, render."""

from __future__ import annotations

import itertools
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.core.audit import audit_log
from naikkelas.core.service_calls import call_service
from naikkelas.core.table_export import export_table_response
from naikkelas.intake.readers import SheetNotFoundError, UnsupportedFileError, iter_rows
from naikkelas.programs import services
from naikkelas.programs.exports import fairness_tables
from naikkelas.programs.forms import (
    AidRecordForm,
    CycleForm,
    EnrolmentStatusForm,
    NominateForm,
    OutcomeForm,
    OverrideForm,
    PeriodForm,
    ProgrammeForm,
    PublishForm,
    RuleForm,
    ScoreForm,
    SessionForm,
    shares_text,
)
from naikkelas.programs.models import (
    SEAT_HOLDING,
    Application,
    ApplicationStatus,
    Cycle,
    CycleStatus,
    Enrolment,
    Programme,
    SelectionRun,
    Session,
)
from naikkelas.programs.reasons import Labels, describe_decision, describe_rule
from naikkelas.programs.selectors import (
    cumulative_fairness,
    cycle_applications,
    cycle_fairness,
    cycle_list,
    programme_list,
)
from naikkelas.registry.access import business_get_accessible, business_scope
from naikkelas.registry.forms import BusinessFilterForm
from naikkelas.registry.selectors import business_list

APPLICANTS_PER_PAGE = 100


def _cycle(cycle_id: Any) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("programme"), pk=cycle_id)


def _back(cycle: Cycle, anchor: str = "") -> HttpResponseRedirect:
    return redirect(cycle.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- programmes and cycles -------------------------------------------------------------------


@requires(Capability.PROGRAMME_VIEW)
def programme_index(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST":
        if not has_capability(request.user, Capability.PROGRAMME_MANAGE):
            raise PermissionDenied
        if form.is_valid():
            programme = call_service(
                request,
                lambda: services.programme_create(
                    actor=request.user, request=request, **form.cleaned_data
                ),
                _("Program dibuat."),
            )
            if programme is not None:
                return redirect("programs:programme_detail", programme_id=programme.pk)
    return render(
        request,
        "programs/programme_list.html",
        {
            "programmes": programme_list(),
            "cycles": cycle_list()[:50],
            "form": form,
            "can_manage": has_capability(request.user, Capability.PROGRAMME_MANAGE),
        },
    )


@requires(Capability.PROGRAMME_VIEW)
def programme_detail(request: HttpRequest, programme_id: Any) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=programme_id)
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        if not has_capability(request.user, Capability.PROGRAMME_MANAGE):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            sectors = data.pop("sectors")
            cycle = call_service(
                request,
                lambda: services.cycle_create(
                    actor=request.user,
                    programme=programme,
                    sectors=sectors,
                    request=request,
                    **data,
                ),
                _("Angkatan dibuat. Tambahkan syarat, lalu buka pendaftaran."),
            )
            if cycle is not None:
                return redirect(cycle)
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "cycles": cycle_list(programme=programme),
            "form": form,
            "can_manage": has_capability(request.user, Capability.PROGRAMME_MANAGE),
        },
    )


def _cycle_initial(cycle: Cycle) -> dict[str, Any]:
    initial = {name: getattr(cycle, name) for name in CycleForm.base_fields if name != "sectors"}
    initial["sectors"] = list(cycle.sectors.values_list("code", flat=True))
    initial["sector_shares"] = shares_text(cycle.sector_shares)
    return initial


@requires(Capability.PROGRAMME_MANAGE)
def cycle_edit(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    form = CycleForm(request.POST or None, initial=_cycle_initial(cycle))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        done = call_service(
            request,
            lambda: services.cycle_update(
                actor=request.user, cycle=cycle, data=data, sectors=sectors, request=request
            ),
            _("Angkatan diperbarui."),
        )
        if done is not None:
            return redirect(cycle)
    return render(request, "programs/cycle_form.html", {"cycle": cycle, "form": form})


def _decorate(applications: list[Application], labels: Labels) -> list[Application]:
    for a in applications:
        a.reason_text = describe_decision(a.reason, labels, a.position)  # type: ignore[attr-defined]
    return applications


@requires(Capability.PROGRAMME_VIEW)
def cycle_detail(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    labels = Labels.load()
    page = Paginator(cycle_applications(cycle=cycle), APPLICANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    applications = _decorate(list(page.object_list), labels)
    enrolments = list(
        Enrolment.objects.filter(cycle=cycle)
        .select_related("business", "business__kecamatan")
        .prefetch_related("outcomes", "attendance")
        .order_by("status", "seat")
    )
    sessions = list(cycle.sessions.all())
    seat_holders = [e for e in enrolments if e.status in SEAT_HOLDING]
    for e in enrolments:
        attended = {a.session_id for a in e.attendance.all() if a.present}
        e.attended = len(attended)  # type: ignore[attr-defined]
    counts = dict(
        Application.objects.filter(cycle=cycle)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    filter_form = BusinessFilterForm(initial={"status": "active"})
    context = {
        "cycle": cycle,
        "rules": [describe_rule(r, labels) for r in cycle.rules],
        "applications": applications,
        "page": page,
        "application_total": page.paginator.count,
        "count_rows": [(s.label, counts[s.value]) for s in ApplicationStatus if s.value in counts],
        "enrolments": enrolments,
        "seat_holders": len(seat_holders),
        "sessions": sessions,
        "runs": list(cycle.runs.order_by("-number")),
        "can_manage": has_capability(request.user, Capability.PROGRAMME_MANAGE),
        "can_reveal": has_capability(request.user, Capability.PERSON_REVEAL),
        "rule_form": RuleForm(),
        "session_form": SessionForm(initial={"held_on": cycle.starts_on}),
        "nominate_form": NominateForm(),
        "filter_form": filter_form,
        "publish_form": PublishForm(),
        "override_form": OverrideForm(),
        "score_form": ScoreForm(),
        "status_form": EnrolmentStatusForm(initial={"completed_on": cycle.ends_on}),
        "outcome_form": OutcomeForm(initial={"observed_on": timezone.localdate()}),
        "editable": cycle.status in (CycleStatus.DRAFT, CycleStatus.OPEN),
    }
    return render(request, "programs/cycle_detail.html", context)


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def cycle_action(request: HttpRequest, cycle_id: Any, action: str) -> HttpResponse:
    """The cycle's one-button steps: open, publish, reopen, select, enrol, promote."""
    cycle = _cycle(cycle_id)
    actor = request.user
    if action == "open":
        call_service(
            request,
            lambda: services.cycle_open(actor=actor, cycle=cycle, request=request),
            _("Pendaftaran dibuka; pemilik usaha dapat mendaftar dari portal."),
        )
    elif action == "publish":
        form = PublishForm(request.POST)
        public_value = form.cleaned_data["public_value"] if form.is_valid() else ""
        call_service(
            request,
            lambda: services.cycle_publish(
                actor=actor, cycle=cycle, public_value=public_value, request=request
            ),
            _("Daftar pendaftar ditetapkan. Benih undian diumumkan sebelum seleksi."),
        )
    elif action == "unpublish":
        call_service(
            request,
            lambda: services.cycle_unpublish(actor=actor, cycle=cycle, request=request),
            _("Daftar pendaftar dibuka kembali."),
        )
    elif action == "select":
        run = call_service(
            request,
            lambda: services.selection_run(actor=actor, cycle=cycle, request=request),
            _("Seleksi selesai."),
        )
        if run is not None:
            return _back(cycle, "pendaftar")
    elif action == "enrol":
        result = call_service(
            request, lambda: services.enrol_selected(actor=actor, cycle=cycle, request=request), ""
        )
        if result is not None:
            enrolled, left = result
            messages.success(request, _("%(n)s peserta didaftarkan.") % {"n": enrolled})
            if left:
                messages.warning(
                    request, _("%(n)s terpilih tidak mendapat kursi (kuota penuh).") % {"n": left}
                )
        return _back(cycle, "peserta")
    elif action == "promote":
        call_service(
            request,
            lambda: services.waitlist_promote(actor=actor, cycle=cycle, request=request),
            _("Cadangan pertama mendapat kursi."),
        )
        return _back(cycle, "peserta")
    else:
        raise Http404
    return _back(cycle)


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def rule_add(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    form = RuleForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            lambda: services.cycle_rule_add(
                actor=request.user, cycle=cycle, rule=form.rule(), request=request
            ),
            _("Syarat ditambahkan."),
        )
    else:
        messages.error(request, _("Syarat tidak lengkap: periksa isian."))
    return _back(cycle, "syarat")


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def rule_remove(request: HttpRequest, cycle_id: Any, index: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    call_service(
        request,
        lambda: services.cycle_rule_remove(
            actor=request.user, cycle=cycle, index=index, request=request
        ),
        _("Syarat dihapus."),
    )
    return _back(cycle, "syarat")


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def session_add(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            lambda: services.session_add(
                actor=request.user, cycle=cycle, request=request, **form.cleaned_data
            ),
            _("Sesi ditambahkan."),
        )
    else:
        messages.error(request, _("Sesi tidak lengkap: isi materi dan tanggal."))
    return _back(cycle, "sesi")


# --- applications ----------------------------------------------------------------------------


def _bulk_message(request: HttpRequest, result: services.BulkNomination) -> None:
    messages.success(
        request,
        _("%(created)s usaha dinominasikan; %(already)s sudah ada; %(inactive)s tidak aktif.")
        % {"created": result.created, "already": result.already, "inactive": result.inactive},
    )
    if result.unmatched:
        messages.warning(
            request,
            _("Tidak ditemukan di register (%(n)s): %(lines)s")
            % {"n": len(result.unmatched), "lines": "; ".join(result.unmatched[:20])},
        )


MAX_LIST_ROWS = 20_000


def _list_rows(form: NominateForm) -> list[list[Any]]:
    """The pasted lines, or the rows of the uploaded spreadsheet (first sheet).

    Raises:
        UnsupportedFileError: not a spreadsheet (the reader's message says what to do).
    """
    upload = form.cleaned_data.get("file")
    if not upload:
        return [[line] for line in form.cleaned_data["businesses"].splitlines()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return [list(cells) for _n, cells in itertools.islice(iter_rows(path), MAX_LIST_ROWS)]
        except (SheetNotFoundError, OSError, ValueError) as error:
            if isinstance(error, UnsupportedFileError):
                raise
            raise UnsupportedFileError(str(error)) from error


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def nominate(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    """Nominate a pasted list, or the result of a register filter (the register's own filter
    fields). One business is nominated from its page (``nominate_business``)."""
    return _nominate(request, _cycle(cycle_id))


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def nominate_chosen(request: HttpRequest) -> HttpResponse:
    """The same, into the cycle chosen in the form (``cycle``): from pages that list
    businesses, such as the guidance findings."""
    try:
        cycle = Cycle.objects.select_related("programme").get(pk=request.POST.get("cycle", ""))
    except (Cycle.DoesNotExist, ValidationError):
        messages.error(request, _("Pilih angkatan."))
        return redirect("programs:programme_list")
    return _nominate(request, cycle)


def _nominate(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    base = business_scope(user=request.user)
    mode = request.POST.get("mode", "list")
    if mode == "list":
        form = NominateForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Daftar tidak sah."),
            )
            return _back(cycle, "pendaftar")
        try:
            rows = _list_rows(form)
        except UnsupportedFileError as error:
            messages.error(request, str(error))
            return _back(cycle, "pendaftar")
        result = call_service(
            request,
            lambda: services.applications_nominate_list(
                actor=request.user, cycle=cycle, rows=rows, base=base, request=request
            ),
            "",
        )
        if result is not None:
            _bulk_message(request, result)
    elif mode == "filter":
        filter_form = BusinessFilterForm(request.POST)
        if not filter_form.is_valid():
            messages.error(request, _("Filter tidak sah."))
            return _back(cycle, "pendaftar")
        filters = filter_form.filters()
        result = call_service(
            request,
            lambda: services.applications_nominate_many(
                actor=request.user,
                cycle=cycle,
                businesses=business_list(base=base, filters=filters),
                request=request,
            ),
            "",
        )
        if result is not None:
            _bulk_message(request, result)
    else:
        raise Http404
    return _back(cycle, "pendaftar")


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def nominate_business(request: HttpRequest, business_id: Any) -> HttpResponse:
    """One business, from its page in the register, into the chosen cycle."""
    business = business_get_accessible(user=request.user, business_id=business_id)
    try:
        cycle = Cycle.objects.get(pk=request.POST.get("cycle", ""))
    except (Cycle.DoesNotExist, ValidationError):
        messages.error(request, _("Pilih angkatan."))
        return redirect(business.get_absolute_url() + "#bantuan")
    call_service(
        request,
        lambda: services.application_nominate(
            actor=request.user, cycle=cycle, business=business, request=request
        ),
        _("%(name)s dinominasikan ke %(cycle)s.") % {"name": business.name, "cycle": cycle},
    )
    return redirect(business.get_absolute_url() + "#bantuan")


def _application(application_id: Any) -> Application:
    return get_object_or_404(
        Application.objects.select_related("cycle", "business"), pk=application_id
    )


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def application_change(request: HttpRequest, application_id: Any, action: str) -> HttpResponse:
    application = _application(application_id)
    cycle = application.cycle
    if action == "score":
        form = ScoreForm(request.POST)
        if form.is_valid():
            call_service(
                request,
                lambda: services.application_score(
                    actor=request.user,
                    application=application,
                    request=request,
                    **form.cleaned_data,
                ),
                _("Skor disimpan."),
            )
        else:
            messages.error(request, _("Skor harus 0 sampai 5."))
    elif action == "remove":
        call_service(
            request,
            lambda: services.application_remove(
                actor=request.user, application=application, request=request
            ),
            _("Pendaftar dihapus dari daftar."),
        )
    elif action == "override":
        override_form = OverrideForm(request.POST)
        if override_form.is_valid():
            call_service(
                request,
                lambda: services.application_override(
                    actor=request.user,
                    application=application,
                    request=request,
                    **override_form.cleaned_data,
                ),
                _("Keputusan diubah; alasan tercatat."),
            )
        else:
            messages.error(request, _("Pilih keputusan dan tuliskan alasannya."))
    elif action == "enrol":
        call_service(
            request,
            lambda: services.enrolment_create(
                actor=request.user, application=application, request=request
            ),
            _("Peserta didaftarkan."),
        )
        return _back(cycle, "peserta")
    else:
        raise Http404
    return _back(cycle, "pendaftar")


# --- selection runs --------------------------------------------------------------------------


@requires(Capability.PROGRAMME_VIEW)
def run_detail(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = get_object_or_404(SelectionRun.objects.select_related("cycle__programme"), pk=run_id)
    same, _allocation = services.selection_replay(run=run)
    labels = Labels.load()
    entitlement = run.result.get("area_entitlement", {})
    quota = run.result.get("area_quota", {})
    areas = [
        {
            "code": code,
            "name": labels.area(code),
            "entitlement": entitlement.get(code, 0),
            "quota": quota.get(code, 0),
        }
        for code in sorted(set(entitlement) | set(quota), key=labels.area)
    ]
    if request.GET.get("format") == "json":
        from django.http import JsonResponse

        response = JsonResponse(
            {
                "cycle": str(run.cycle_id),
                "number": run.number,
                "seed": run.seed,
                "fingerprint": run.fingerprint,
                "parameters": run.parameters,
                "register_counts": run.register_counts,
                "candidates": run.candidates,
                "result": run.result,
                "result_digest": run.result_digest,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Content-Disposition"] = f'attachment; filename="seleksi-{run.number}.json"'
        return response
    return render(
        request,
        "programs/run_detail.html",
        {
            "run": run,
            "replayed": same,
            "areas": areas,
            "labels": labels,
            "sector_quota": {
                labels.sector(k): v for k, v in run.result.get("sector_quota", {}).items()
            },
        },
    )


# --- after selection -------------------------------------------------------------------------


def _enrolment(enrolment_id: Any) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("cycle__programme", "business"), pk=enrolment_id
    )


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def enrolment_change(request: HttpRequest, enrolment_id: Any, action: str) -> HttpResponse:
    enrolment = _enrolment(enrolment_id)
    if action == "status":
        form = EnrolmentStatusForm(request.POST)
        if form.is_valid():
            call_service(
                request,
                lambda: services.enrolment_set_status(
                    actor=request.user,
                    enrolment=enrolment,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    completed_on=form.cleaned_data["completed_on"],
                    request=request,
                ),
                _("Status peserta disimpan."),
            )
        else:
            messages.error(request, _("Status tidak sah."))
    elif action == "outcome":
        outcome_form = OutcomeForm(request.POST)
        if outcome_form.is_valid():
            call_service(
                request,
                lambda: services.outcome_record(
                    actor=request.user,
                    enrolment=enrolment,
                    request=request,
                    **outcome_form.cleaned_data,
                ),
                _("Hasil dicatat."),
            )
        else:
            messages.error(request, _("Hasil tidak lengkap: periksa isian."))
    else:
        raise Http404
    return _back(enrolment.cycle, "peserta")


@requires(Capability.PROGRAMME_MANAGE)
def attendance(request: HttpRequest, cycle_id: Any, session_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    session = get_object_or_404(Session, pk=session_id, cycle=cycle)
    if request.method == "POST":
        done = call_service(
            request,
            lambda: services.attendance_record(
                actor=request.user,
                session=session,
                present=request.POST.getlist("present"),
                request=request,
            ),
            "",
        )
        if done is not None:
            messages.success(
                request,
                _("Kehadiran sesi %(n)s disimpan: %(p)s hadir.") % {"n": session.number, "p": done},
            )
            return _back(cycle, "sesi")
    enrolments = list(
        Enrolment.objects.filter(cycle=cycle, status__in=SEAT_HOLDING)
        .select_related("business", "business__kecamatan")
        .order_by("seat")
    )
    present = set(session.attendance.filter(present=True).values_list("enrolment_id", flat=True))
    return render(
        request,
        "programs/attendance.html",
        {"cycle": cycle, "session": session, "enrolments": enrolments, "present": present},
    )


@requires(Capability.PROGRAMME_MANAGE)
def whatsapp(request: HttpRequest, application_id: Any) -> HttpResponse:
    """Open WhatsApp with a prepared message to the owner (audited: it reveals the number,
    so the person must also hold PERSON_REVEAL)."""
    if not has_capability(request.user, Capability.PERSON_REVEAL):
        raise PermissionDenied
    application = _application(application_id)
    from naikkelas.programs.letters import whatsapp_message
    from naikkelas.registry.models import BusinessOwner, OwnerRole

    ownership = (
        BusinessOwner.objects.filter(business=application.business, role=OwnerRole.PEMILIK)
        .select_related("owner")
        .first()
    )
    phone = (ownership.owner.phone if ownership else "") or application.business.phone
    if not phone:
        messages.error(request, _("Nomor HP pemilik belum tercatat."))
        return _back(application.cycle, "pendaftar")
    number = phone.lstrip("+")
    if number.startswith("0"):
        number = "62" + number[1:]
    audit_log(
        actor=request.user,
        action="person.whatsapp",
        instance=application.business,
        request=request,
        extra={"application": application.pk},
    )
    text = whatsapp_message(
        application=application, owner_name=ownership.owner.full_name if ownership else ""
    )
    return HttpResponseRedirect(f"https://wa.me/{number}?text={quote(text)}")


@requires(Capability.PROGRAMME_VIEW)
def participants_pdf(request: HttpRequest, cycle_id: Any, kind: str) -> HttpResponse:
    """The printable participant list (with signature column per session) or the letters."""
    from naikkelas.programs.letters import letters_pdf, participant_list_pdf

    cycle = _cycle(cycle_id)
    if kind == "daftar":
        content = participant_list_pdf(cycle=cycle)
    elif kind == "surat":
        content = letters_pdf(cycle=cycle)
    else:
        raise Http404
    audit_log(
        actor=request.user,
        action="programme.export",
        instance=cycle,
        request=request,
        extra={"document": kind},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{cycle.pk}.pdf"'
    return response


@requires(Capability.PROGRAMME_VIEW)
def cycle_export(request: HttpRequest, cycle_id: Any, fmt: str) -> HttpResponse:
    """The applicants with decisions and reasons as XLSX (with a metadata sheet) or CSV;
    audited like every export."""
    from naikkelas.core.table_export import table_bytes
    from naikkelas.programs.exports import applicant_header, applicant_rows, metadata

    cycle = _cycle(cycle_id)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    content, count, content_type = table_bytes(
        fmt,
        header=applicant_header(),
        rows=applicant_rows(cycle=cycle),
        title=_("Pendaftar"),
        metadata=metadata(cycle=cycle, user=request.user) if fmt == "xlsx" else (),
    )
    audit_log(
        actor=request.user,
        action="programme.export",
        instance=cycle,
        request=request,
        extra={"document": f"applicants.{fmt}", "rows": count},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="pendaftar-{cycle.pk}.{fmt}"'
    return response


# --- fairness and the ledger -----------------------------------------------------------------


@requires(Capability.PROGRAMME_VIEW)
def cycle_fairness_view(request: HttpRequest, cycle_id: Any) -> HttpResponse:
    cycle = _cycle(cycle_id)
    run = cycle.runs.order_by("-number").first()
    if run is None:
        messages.info(request, _("Seleksi belum dijalankan."))
        return _back(cycle)
    counts = {(a, s): n for a, s, n in run.register_counts}
    report = cycle_fairness(cycle=cycle, register_counts=counts)
    if "tabel" in request.GET:  # one table as XLSX/CSV (404 for an unknown one)
        return export_table_response(
            request,
            fairness_tables(report, name=f"keadilan-{cycle.pk}", show_overrides=True),
            filters={
                "program": cycle.programme.name,
                "angkatan": cycle.name,
                "angkatan_id": str(cycle.pk),
                "seleksi": run.number,
            },
            action="programme.export",
        )
    return render(
        request,
        "programs/fairness.html",
        {
            "report": report,
            "cycle": cycle,
            "run": run,
            "show_overrides": True,
            "title": _("Keadilan seleksi: %(cycle)s") % {"cycle": cycle},
        },
    )


@requires(Capability.DASHBOARD_VIEW)
def fairness_cumulative(request: HttpRequest) -> HttpResponse:
    """All aid in a period against the register: no person's data (pimpinan may see it)."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"date_from": date(today.year, 1, 1), "date_to": today})
    if form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    else:
        date_from, date_to = date(today.year, 1, 1), today
    report = cumulative_fairness(date_from=date_from, date_to=date_to)
    show_overrides = has_capability(request.user, Capability.PROGRAMME_VIEW)
    period = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    if "tabel" in request.GET:  # one table as XLSX/CSV; overrides only for who sees them
        return export_table_response(
            request,
            fairness_tables(
                report,
                name=f"pemerataan-{date_from:%Y%m%d}-{date_to:%Y%m%d}",
                show_overrides=show_overrides,
            ),
            filters={"dari": period["date_from"], "sampai": period["date_to"]},
        )
    return render(
        request,
        "programs/fairness.html",
        {
            "report": report,
            "form": form,
            "show_overrides": show_overrides,
            "export_query": urlencode(period),
            "title": _("Pemerataan bantuan %(a)s – %(b)s")
            % {"a": date_from.strftime("%d/%m/%Y"), "b": date_to.strftime("%d/%m/%Y")},
        },
    )


@require_POST
@requires(Capability.PROGRAMME_MANAGE)
def aid_add(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    form = AidRecordForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            lambda: services.aid_record_create(
                actor=request.user, business=business, request=request, **form.cleaned_data
            ),
            _("Bantuan dicatat di buku bantuan."),
        )
    else:
        messages.error(request, _("Catatan bantuan tidak lengkap: periksa isian."))
    return redirect(business.get_absolute_url() + "#bantuan")
