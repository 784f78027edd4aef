"""The association's pages for its officers: members, applications, the board, the report."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.association import selectors
from naikkelas.association.access import can_approve_members
from naikkelas.association.card import check_url, qr_svg
from naikkelas.association.dues_views import dues_context
from naikkelas.association.forms import (
    ApplicationForm,
    BoardPositionForm,
    BoardTermForm,
    DecisionForm,
    EndForm,
    MemberFilterForm,
    MembershipTypeForm,
    OverrideForm,
)
from naikkelas.association.models import (
    ApplicationChannel,
    BoardPosition,
    BoardTerm,
    MembershipApplication,
    MembershipType,
    MemberStatus,
)
from naikkelas.association.services import board as board_services
from naikkelas.association.services import memberships
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.form_errors import apply_errors
from naikkelas.core.table_export import table_export_response
from naikkelas.registry.access import business_get_accessible

PAGE_SIZE = 50


def _member_or_404(member_id: Any) -> Any:
    member = selectors.member_get(member_id=member_id)
    if member is None:
        raise Http404
    return member


def _term_or_404(raw: str) -> BoardTerm:
    try:
        term = BoardTerm.objects.filter(pk=uuid.UUID(raw)).first()
    except ValueError:
        term = None
    if term is None:
        raise Http404
    return term


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@requires(Capability.ASSOCIATION_VIEW)
def member_list(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_list(
        q=data.get("q", ""), status=data.get("status", ""), type_code=data.get("type", "")
    )
    if request.GET.get("format"):
        return table_export_response(
            request,
            name="anggota-hipmikindo",
            title=_("Anggota Hipmikindo"),
            header=[
                _("Nomor anggota"),
                _("Nama usaha"),
                _("Kecamatan"),
                _("Jenis"),
                _("Status"),
                _("Bergabung"),
                _("Iuran lunas sampai"),
            ],
            rows=(
                [
                    m.number,
                    m.business.name,
                    m.business.kecamatan.name if m.business.kecamatan else "",
                    m.type.name,
                    m.get_status_display(),
                    m.joined_on.isoformat(),
                    m.paid_until.isoformat() if m.paid_until else "",
                ]
                for m in members.iterator(chunk_size=1000)
            ),
            filters={k: v for k, v in data.items() if v},
            action="association.export",
            object_type="association.member",
        )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "association/member_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "pending": selectors.pending_applications().count(),
            "register_waiting": selectors.register_memberships_waiting(),
            "can_manage": has_capability(request.user, Capability.ASSOCIATION_MANAGE),
        },
    )


@requires(Capability.ASSOCIATION_VIEW)
def member_detail(request: HttpRequest, member_id: Any) -> HttpResponse:
    member = _member_or_404(member_id)
    context: dict[str, Any] = {
        "member": member,
        "history": list(member.status_changes.all())[:20],  # prefetched by member_get
        "override_form": OverrideForm(),
        "end_form": EndForm(initial={"ended_on": timezone.localdate()}),
        "can_manage": has_capability(request.user, Capability.ASSOCIATION_MANAGE),
    }
    context.update(dues_context(member, user=request.user))
    return render(request, "association/member_detail.html", context)


@requires(Capability.ASSOCIATION_VIEW)
def member_card(request: HttpRequest, member_id: Any) -> HttpResponse:
    """The printable member card; its QR opens the public check."""
    member = _member_or_404(member_id)
    url = check_url(request, member)
    return render(
        request,
        "association/member_card.html",
        {"member": member, "check_url": url, "qr": qr_svg(url)},
    )


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def member_status(request: HttpRequest, member_id: Any) -> HttpResponse:
    member = _member_or_404(member_id)
    if request.POST.get("clear"):
        memberships.member_override_clear(actor=request.user, member=member)
        messages.success(request, _("Penetapan status dicabut."))
        return redirect(member)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa status, tanggal, dan alasan."))
        return redirect(member)
    try:
        memberships.member_override(
            actor=request.user,
            member=member,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Status ditetapkan."))
    return redirect(member)


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def member_end(request: HttpRequest, member_id: Any) -> HttpResponse:
    member = _member_or_404(member_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan berhenti."))
        return redirect(member)
    memberships.member_end(
        actor=request.user,
        member=member,
        reason=form.cleaned_data["reason"],
        ended_on=form.cleaned_data["ended_on"],
    )
    messages.success(request, _("Keanggotaan diakhiri."))
    return redirect(member)


@requires(Capability.ASSOCIATION_VIEW)
def application_list(request: HttpRequest) -> HttpResponse:
    decided = (
        MembershipApplication.objects.exclude(status="diajukan")
        .select_related("business", "type", "decided_by")
        .order_by("-decided_at")[:30]
    )
    return render(
        request,
        "association/application_list.html",
        {
            "pending": selectors.pending_applications(),
            "decided": decided,
            "can_approve": can_approve_members(request.user),
            "decision_form": DecisionForm(initial={"joined_on": timezone.localdate()}),
        },
    )


@requires(Capability.ASSOCIATION_MANAGE)
def application_create(request: HttpRequest) -> HttpResponse:
    """An officer takes a business from the register into membership (``?usaha=<id>``)."""
    business_id = request.POST.get("business") or request.GET.get("usaha")
    business = business_get_accessible(user=request.user, business_id=business_id)
    can_approve = can_approve_members(request.user)
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = memberships.application_submit(
                    actor=request.user,
                    business=business,
                    membership_type=MembershipType.objects.get(code=form.cleaned_data["type"]),
                    channel=ApplicationChannel.PETUGAS,
                    note=form.cleaned_data["note"],
                )
                if form.cleaned_data["approve_now"] and can_approve:
                    member = memberships.application_approve(
                        actor=request.user, application=application
                    )
                    messages.success(
                        request,
                        _("%(name)s menjadi anggota %(number)s.")
                        % {"name": business.name, "number": member.number},
                    )
                    return redirect(member)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Pengajuan dicatat; menunggu keputusan sekretaris."))
                return redirect("association:application_list")
    else:
        form = ApplicationForm(initial={"business": business.pk, "type": "biasa"})
    return render(
        request,
        "association/application_form.html",
        {"form": form, "business": business, "can_approve": can_approve},
    )


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def application_decide(request: HttpRequest, application_id: Any) -> HttpResponse:
    application = (
        MembershipApplication.objects.select_related("business", "type")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("association:application_list")
    try:
        if form.cleaned_data["decision"] == "setujui":
            member = memberships.application_approve(
                actor=request.user,
                application=application,
                joined_on=form.cleaned_data["joined_on"],
            )
            messages.success(
                request,
                _("%(name)s menjadi anggota %(number)s.")
                % {"name": application.business.name, "number": member.number},
            )
        else:
            memberships.application_refuse(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Pengajuan ditolak; alasannya terlihat oleh pemohon."))
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("association:application_list")


@requires(Capability.ASSOCIATION_VIEW)
def board(request: HttpRequest) -> HttpResponse:
    can_manage = has_capability(request.user, Capability.ASSOCIATION_MANAGE)
    term_form = BoardTermForm(prefix="term")
    position_form = BoardPositionForm(prefix="seat")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if "remove" in request.POST:
                position = BoardPosition.objects.filter(pk=request.POST["remove"]).first()
                if position is None:
                    raise Http404
                board_services.board_position_remove(actor=request.user, position=position)
                messages.success(request, _("Jabatan dihapus."))
                return redirect("association:board")
            if "term-name" in request.POST:
                term_form = BoardTermForm(request.POST, prefix="term")
                if term_form.is_valid():
                    board_services.board_term_create(
                        actor=request.user, data=term_form.cleaned_data
                    )
                    messages.success(request, _("Masa bakti disimpan."))
                    return redirect("association:board")
            else:
                position_form = BoardPositionForm(request.POST, prefix="seat")
                seat_term = _term_or_404(request.POST.get("term", ""))
                if position_form.is_valid():
                    data = dict(position_form.cleaned_data)
                    username = data.pop("username", "")
                    board_services.board_position_add(
                        actor=request.user, term=seat_term, data=data, username=username
                    )
                    messages.success(request, _("Jabatan ditambahkan."))
                    return redirect("association:board")
        except ValidationError as error:
            target: Any = position_form if "term-name" not in request.POST else term_form
            apply_errors(target, error)
    today = timezone.localdate()
    term, positions = selectors.current_board(today=today)
    return render(
        request,
        "association/board.html",
        {
            "term": term,
            "positions": positions,
            "terms": BoardTerm.objects.all()[:10],
            "term_form": term_form,
            "position_form": position_form,
            "can_manage": can_manage,
        },
    )


@requires(Capability.ASSOCIATION_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    data = selectors.association_report(year=year)
    labels = dict(MemberStatus.choices)
    table = request.GET.get("tabel")
    tables: dict[str, tuple[str, list[str], list[list[Any]]]] = {
        "status": (
            _("Anggota per status"),
            [_("Status"), _("Jumlah")],
            [[labels.get(s, s), n] for s, n in data.by_status.items()],
        ),
        "kecamatan": (
            _("Anggota per kecamatan"),
            [_("Kode"), _("Kecamatan"), _("Jumlah")],
            [list(row) for row in data.by_kecamatan],
        ),
        "sektor": (
            _("Anggota per sektor"),
            [_("Kode"), _("Sektor"), _("Jumlah")],
            [list(row) for row in data.by_sector],
        ),
        "iuran": (
            _("Iuran per bulan"),
            [_("Bulan"), _("Pembayaran"), _("Jumlah (Rp)")],
            [[m.strftime("%Y-%m"), n, total] for m, n, total in data.dues_by_month],
        ),
    }
    if table:
        if table not in tables:
            raise Http404
        title, header, rows = tables[table]
        return table_export_response(
            request,
            name=f"asosiasi-{table}",
            title=title,
            header=header,
            rows=rows,
            filters={"tahun": year},
        )
    return render(
        request,
        "association/report.html",
        {
            "data": data,
            "year": year,
            "status_rows": [(labels.get(s, s), n) for s, n in data.by_status.items()],
            "peak_kecamatan": max((n for *_rest, n in data.by_kecamatan), default=0) or 1,
            "export_query": f"tahun={year}",
        },
    )


@requires(Capability.ASSOCIATION_VIEW)
def membership_types(request: HttpRequest) -> HttpResponse:
    """The membership types with their dues and time rules; the association edits them."""
    can_manage = has_capability(request.user, Capability.ASSOCIATION_MANAGE)
    kinds = list(MembershipType.objects.all())
    forms = {k.code: MembershipTypeForm(instance=k, prefix=k.code) for k in kinds}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        kind = next((k for k in kinds if k.code == request.POST.get("type")), None)
        if kind is None:
            raise Http404
        form = MembershipTypeForm(request.POST, prefix=kind.code)
        if form.is_valid():
            try:
                memberships.membership_type_update(
                    actor=request.user, membership_type=kind, data=form.cleaned_data
                )
            except ValidationError as error:
                target: Any = form
                apply_errors(target, error)
            else:
                messages.success(request, _("Jenis keanggotaan disimpan."))
                return redirect("association:membership_types")
        forms[kind.code] = form
    return render(
        request,
        "association/membership_types.html",
        {"rows": [(k, forms[k.code]) for k in kinds], "can_manage": can_manage},
    )


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def members_from_register(request: HttpRequest) -> HttpResponse:
    """Bring the register's memberships (e.g. an imported member list) into the books."""
    kind = MembershipType.objects.filter(code=request.POST.get("type", "biasa")).first()
    if kind is None:
        raise Http404
    made = memberships.members_from_register(actor=request.user, membership_type=kind)
    messages.success(
        request,
        _("%(n)s anggota diambil dari register (jenis: %(type)s).")
        % {"n": made, "type": kind.name},
    )
    return redirect("association:member_list")
