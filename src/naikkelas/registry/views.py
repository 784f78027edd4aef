"""HTML views of the register: thin; they parse input, call one service or selector, render."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.models import Role
from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.form_errors import apply_errors
from naikkelas.core.keyset import COUNT_CAP, SEARCH_COUNT_CAP, capped_count, keyset_page
from naikkelas.registry import services
from naikkelas.registry.access import business_get_accessible, business_scope, region_in_scope
from naikkelas.registry.forms import (
    BusinessFilterForm,
    BusinessForm,
    ChannelForm,
    CloseForm,
    FigureForm,
    MembershipForm,
    OwnerForm,
    PermitForm,
)
from naikkelas.registry.models import Business, MarketChannel, Permit
from naikkelas.registry.selectors import BusinessFilters, business_list, register_summary

PAGE_SIZE = 50
LIST_ORDER = ("name_key", "id")  # business_list's order; unique thanks to the id


@requires(Capability.ACCOUNT_SELF)
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person starts: owners their own data, everyone else the overview."""
    if request.user.role == Role.OWNER:  # type: ignore[union-attr]
        return redirect("privacy:my_data")
    if request.user.role == Role.PIMPINAN:  # type: ignore[union-attr]
        return redirect("reports:leadership")  # the phone-sized summary
    return redirect("registry:dashboard")


@requires(Capability.DASHBOARD_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = register_summary()
    return render(request, "registry/dashboard.html", {"summary": summary})


@requires(Capability.REGISTER_VIEW)
def business_list_view(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "status" not in data:  # the default list (and its later pages) shows active businesses
        data["status"] = "active"
    form = BusinessFilterForm(data)
    filters = form.filters() if form.is_valid() else BusinessFilters()
    businesses = business_list(base=business_scope(user=request.user), filters=filters)
    page = keyset_page(
        businesses,
        ordering=LIST_ORDER,
        size=PAGE_SIZE,
        after=request.GET.get("setelah"),
        before=request.GET.get("sebelum"),
        number=_int(request.GET.get("hal"), default=1),
        offset=(_int(request.GET.get("page"), default=1) - 1) * PAGE_SIZE,
    )
    count, exact = capped_count(businesses, cap=SEARCH_COUNT_CAP if filters.q else COUNT_CAP)
    query = request.GET.copy()
    for key in ("page", "setelah", "sebelum", "hal"):
        query.pop(key, None)
    return render(
        request,
        "registry/business_list.html",
        {
            "form": form,
            "page": page,
            "count": count,
            "count_exact": exact,
            "pages": math.ceil(count / PAGE_SIZE) if exact else None,
            "query": query.urlencode(),
        },
    )


def _int(raw: str | None, *, default: int) -> int:
    try:
        return min(max(int(raw or default), 1), 1_000_000)
    except ValueError:
        return default


def business_detail_context(request: HttpRequest, business: Business) -> dict[str, Any]:
    membership = getattr(business, "membership", None)
    return {
        "business": business,
        "membership": membership,
        "figure_form": FigureForm(initial={"year": timezone.localdate().year - 1}),
        "permit_form": PermitForm(),
        "channel_form": ChannelForm(),
        "close_form": CloseForm(initial={"closed_on": timezone.localdate()}),
        "can_manage": has_capability(request.user, Capability.REGISTER_MANAGE),
        "can_review_linkage": has_capability(request.user, Capability.LINKAGE_REVIEW),
        "can_reveal": has_capability(request.user, Capability.PERSON_REVEAL),
        "can_record_consent": has_capability(request.user, Capability.CONSENT_RECORD),
    }


@requires(Capability.REGISTER_VIEW)
def business_detail(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    context = business_detail_context(request, business)
    return render(request, "registry/business_detail.html", context)


def _figure_data(form: FigureForm) -> dict[str, Any] | None:
    data = form.cleaned_data
    if all(data.get(k) is None for k in ("omzet", "modal", "workers")):
        return None
    return {k: data.get(k) for k in ("year", "omzet", "modal", "workers")}


def _optional_figure_form(data: Any = None, **kwargs: Any) -> FigureForm:
    """The figures section of the registration form: empty is fine, a value needs a year."""
    form = FigureForm(data, prefix="figure", **kwargs)
    form.fields["year"].required = False
    return form


@requires(Capability.REGISTER_EDIT)
def business_create(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year - 1
    if request.method == "POST":
        form = BusinessForm(request.POST)
        owner_form = OwnerForm(request.POST, prefix="owner")
        figure_form = _optional_figure_form(request.POST)
        valid = form.is_valid() & owner_form.is_valid() & figure_form.is_valid()
        if form.is_valid() and not region_in_scope(
            user=request.user, desa_kelurahan_code=form.cleaned_data["desa_kelurahan"]
        ):
            form.add_error("desa_kelurahan", _("Wilayah ini di luar wilayah tugas Anda."))
            valid = False
        if valid and _figure_data(figure_form) and not figure_form.cleaned_data.get("year"):
            figure_form.add_error("year", _("Isi tahun untuk data tahunan."))
            valid = False
        if valid:
            try:
                business, reused = services.business_register_with_owner(
                    actor=request.user,
                    owner_data=owner_form.cleaned_data,
                    business_data=form.cleaned_data,
                    figure=_figure_data(figure_form),
                )
            except ValidationError as error:
                apply_errors(form, error)
                apply_errors(owner_form, error, prefix="owner_")
                apply_errors(figure_form, error, prefix="figure_")
            else:
                if reused:
                    messages.info(
                        request,
                        _(
                            "Pemilik dengan NIK ini sudah terdaftar; usaha baru dikaitkan kepadanya."
                        ),
                    )
                messages.success(request, _("Usaha berhasil didaftarkan."))
                return redirect(business)
    else:
        form = BusinessForm(initial={"legal_form": "PERORANGAN"})
        owner_form = OwnerForm(prefix="owner")
        figure_form = _optional_figure_form(initial={"year": year})
    return render(
        request,
        "registry/business_form.html",
        {"form": form, "owner_form": owner_form, "figure_form": figure_form, "creating": True},
    )


def _business_initial(business: Business) -> dict[str, Any]:
    fields = BusinessForm.base_fields
    initial = {name: getattr(business, name) for name in fields if hasattr(business, name)}
    initial["sector"] = business.sector_id
    initial["desa_kelurahan"] = business.desa_kelurahan_id
    return initial


@requires(Capability.REGISTER_EDIT)
def business_edit(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    membership = getattr(business, "membership", None)
    if request.method == "POST":
        form = BusinessForm(request.POST)
        member_form = MembershipForm(request.POST, prefix="member")
        valid = form.is_valid() & member_form.is_valid()
        if valid and not region_in_scope(
            user=request.user, desa_kelurahan_code=form.cleaned_data["desa_kelurahan"]
        ):
            form.add_error("desa_kelurahan", _("Wilayah ini di luar wilayah tugas Anda."))
            valid = False
        if valid:
            try:
                services.business_update(
                    actor=request.user, business=business, data=form.cleaned_data
                )
                member = member_form.cleaned_data
                if membership is not None or member["number"] or member["since"]:
                    services.membership_set(actor=request.user, business=business, **member)
            except ValidationError as error:
                apply_errors(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Perubahan disimpan."))
                return redirect(business)
    else:
        form = BusinessForm(initial=_business_initial(business))
        member_form = MembershipForm(
            prefix="member",
            initial={
                "number": membership.number if membership else "",
                "since": membership.since if membership else None,
                "status": membership.status if membership else "aktif",
            },
        )
    return render(
        request,
        "registry/business_form.html",
        {"form": form, "member_form": member_form, "business": business, "creating": False},
    )


def _child_form_post(
    request: HttpRequest,
    business_id: Any,
    form_class: type,
    action: Callable[[Business, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Handle the small forms on the detail page (figures, permits, channels, closing)."""
    business = business_get_accessible(user=request.user, business_id=business_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(business, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(business)
    for field, field_errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in field_errors:
            messages.error(request, f"{label}: {message}" if label else message)
    return redirect(business)


@require_POST
@requires(Capability.REGISTER_EDIT)
def figure_set(request: HttpRequest, business_id: Any) -> HttpResponse:
    return _child_form_post(
        request,
        business_id,
        FigureForm,
        lambda b, d: services.yearly_figure_set(actor=request.user, business=b, **d),
        _("Data tahunan disimpan."),
    )


@require_POST
@requires(Capability.REGISTER_EDIT)
def permit_add(request: HttpRequest, business_id: Any) -> HttpResponse:
    return _child_form_post(
        request,
        business_id,
        PermitForm,
        lambda b, d: services.permit_add(actor=request.user, business=b, **d),
        _("Izin/sertifikat ditambahkan."),
    )


@require_POST
@requires(Capability.REGISTER_EDIT)
def channel_add(request: HttpRequest, business_id: Any) -> HttpResponse:
    return _child_form_post(
        request,
        business_id,
        ChannelForm,
        lambda b, d: services.channel_add(actor=request.user, business=b, **d),
        _("Saluran pasar ditambahkan."),
    )


@require_POST
@requires(Capability.REGISTER_MANAGE)
def business_close(request: HttpRequest, business_id: Any) -> HttpResponse:
    def close(business: Business, data: dict[str, Any]) -> object:
        closed_on: date | None = data.get("closed_on")
        return services.business_close(
            actor=request.user, business=business, reason=data["reason"], closed_on=closed_on
        )

    return _child_form_post(request, business_id, CloseForm, close, _("Usaha ditandai tutup."))


@require_POST
@requires(Capability.REGISTER_MANAGE)
def business_reopen(request: HttpRequest, business_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    try:
        services.business_reopen(actor=request.user, business=business)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Usaha dibuka kembali."))
    return redirect(business)


@require_POST
@requires(Capability.REGISTER_EDIT)
def permit_remove(request: HttpRequest, business_id: Any, permit_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    permit = Permit.objects.filter(business=business, pk=permit_id).first()
    if permit is None:
        raise Http404
    services.permit_remove(actor=request.user, permit=permit)
    messages.success(request, _("Izin/sertifikat dihapus."))
    return redirect(business)


@require_POST
@requires(Capability.REGISTER_EDIT)
def channel_remove(request: HttpRequest, business_id: Any, channel_id: Any) -> HttpResponse:
    business = business_get_accessible(user=request.user, business_id=business_id)
    channel = MarketChannel.objects.filter(business=business, pk=channel_id).first()
    if channel is None:
        raise Http404
    services.channel_remove(actor=request.user, channel=channel)
    messages.success(request, _("Saluran pasar dihapus."))
    return redirect(business)
