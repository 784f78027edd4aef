"""Privacy pages: consent, revealing personal data, data-subject requests, the owner portal.

Thin views: they fetch objects through ``registry.access`` (404 for "not found" and "not
yours" alike), parse a form, call one service and render.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.form_errors import apply_errors
from naikkelas.core.identifiers import format_nik
from naikkelas.privacy import selectors, services
from naikkelas.privacy.forms import (
    ConsentForm,
    CorrectionForm,
    OfficerRequestForm,
    OwnerRequestForm,
    ProcessForm,
    WithdrawForm,
)
from naikkelas.privacy.models import RequestKind, RequestStatus
from naikkelas.registry.access import (
    business_get_accessible,
    business_scope,
    owner_get_accessible,
    owner_scope,
)
from naikkelas.registry.models import Owner


def _apply_errors(form: Any, error: ValidationError) -> None:
    apply_errors(form, error, label_unknown=True)


def invitation_url(request: HttpRequest, token: str) -> str:
    """The absolute accept link of an invitation (the accounts app builds the page)."""
    try:
        path = reverse("accounts:invitation_accept", kwargs={"token": token})
    except NoReverseMatch:
        path = f"/akun/undangan/{token}/"
    return request.build_absolute_uri(path)


# ---------------------------------------------------------------------------------------------
# Consent (officers)
# ---------------------------------------------------------------------------------------------


def _consent_page(
    request: HttpRequest, owner: Owner, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "owner": owner,
        "businesses": owner.businesses.filter(pk__in=business_scope(user=request.user)),
        "consents": selectors.consent_history(owner=owner),
        "has_active_consent": selectors.owner_has_active_consent(owner),
        "requests": selectors.dsr_of_owner(owner=owner),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "request_form": forms.get("request_form") or OfficerRequestForm(),
        "invitation_link": forms.get("invitation_link"),
        "invited_username": forms.get("invited_username", ""),
        "can_process": has_capability(request.user, Capability.DSR_PROCESS),
    }
    return render(request, "privacy/consent.html", context, status=status)


@requires(Capability.CONSENT_RECORD)
@never_cache
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest, owner_id: Any) -> HttpResponse:
    """An owner's consent history, with forms to record, withdraw, file a request, invite."""
    owner = owner_get_accessible(user=request.user, owner_id=owner_id)
    if request.method == "GET":
        return _consent_page(request, owner)
    action = request.POST.get("action", "")
    if action == "record":
        consent_form = ConsentForm(request.POST, request.FILES)
        if consent_form.is_valid():
            try:
                services.consent_record(
                    actor=request.user, owner=owner, **consent_form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(consent_form, error)
            except ApplicationError as error:
                consent_form.add_error(None, error.message)
            else:
                messages.success(request, _("Persetujuan dicatat."))
                return redirect("privacy:consent", owner_id=owner.pk)
        return _consent_page(request, owner, status=400, consent_form=consent_form)
    if action == "withdraw":
        withdraw_form = WithdrawForm(request.POST)
        if withdraw_form.is_valid():
            try:
                count = services.consent_withdraw(
                    actor=request.user, owner=owner, reason=withdraw_form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _apply_errors(withdraw_form, error)
            else:
                if count:
                    messages.success(request, _("Persetujuan dicabut."))
                else:
                    messages.info(request, _("Tidak ada persetujuan aktif yang dapat dicabut."))
                return redirect("privacy:consent", owner_id=owner.pk)
        return _consent_page(request, owner, status=400, withdraw_form=withdraw_form)
    if action == "request":
        request_form = OfficerRequestForm(request.POST)
        if request_form.is_valid():
            try:
                services.dsr_create(actor=request.user, owner=owner, **request_form.cleaned_data)
            except ValidationError as error:
                _apply_errors(request_form, error)
            except ApplicationError as error:
                request_form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Permintaan dicatat. Batas waktu tanggapan 3 x 24 jam.")
                )
                return redirect("privacy:consent", owner_id=owner.pk)
        return _consent_page(request, owner, status=400, request_form=request_form)
    if action == "invite":
        try:
            token = services.owner_account_invite(actor=request.user, owner=owner)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("privacy:consent", owner_id=owner.pk)
        # Rendered directly, never stored in the session: the link is shown this once.
        owner.refresh_from_db()
        return _consent_page(
            request,
            owner,
            invitation_link=invitation_url(request, token),
            invited_username=owner.user.username if owner.user else "",
        )
    return redirect("privacy:consent", owner_id=owner.pk)


@requires(Capability.CONSENT_RECORD)
@never_cache
@require_GET
def consent_evidence(request: HttpRequest, consent_id: Any) -> FileResponse:
    """The stored photo/scan of a signed consent form (audited)."""
    consent = selectors.consent_get(consent_id=consent_id)
    if consent is None or not consent.evidence:
        raise Http404
    owner_get_accessible(user=request.user, owner_id=consent.owner_id)
    services.consent_evidence_view_log(actor=request.user, consent=consent)
    return FileResponse(consent.evidence.open("rb"), as_attachment=True)


# ---------------------------------------------------------------------------------------------
# Revealing a person's full data (officers)
# ---------------------------------------------------------------------------------------------


@requires(Capability.PERSON_REVEAL)
@never_cache
@require_POST
def person_reveal(request: HttpRequest, business_id: Any, owner_id: Any) -> HttpResponse:
    """Show one owner's full NIK, phone, address and birth date; the view is audited."""
    business = business_get_accessible(user=request.user, business_id=business_id)
    link = next(
        (link for link in business.ownerships.all() if str(link.owner_id) == str(owner_id)), None
    )
    if link is None:
        raise Http404
    data = services.person_reveal(actor=request.user, owner=link.owner, business=business)
    return render(
        request,
        "privacy/person_reveal.html",
        {"business": business, "owner": link.owner, "role": link.get_role_display(), "data": data},
    )


# ---------------------------------------------------------------------------------------------
# Data-subject requests (officers)
# ---------------------------------------------------------------------------------------------


@requires(Capability.DSR_PROCESS)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    base = selectors.dsr_scope(owners=owner_scope(user=request.user))
    return render(
        request,
        "privacy/request_list.html",
        {
            "open_requests": selectors.dsr_open_list(base=base),
            "processed_requests": selectors.dsr_processed_list(base=base),
        },
    )


def _correction_initial(owner: Owner) -> dict[str, Any]:
    return {name: getattr(owner, name) for name in services.CORRECTABLE_FIELDS}


@requires(Capability.DSR_PROCESS)
@never_cache
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: Any) -> HttpResponse:
    """One request with the owner's current data (audited) and the forms to answer it."""
    base = selectors.dsr_scope(owners=owner_scope(user=request.user))
    dsr = selectors.dsr_get(request_id=request_id, base=base)
    if dsr is None:
        raise Http404
    owner = dsr.owner
    is_correction = dsr.kind == RequestKind.CORRECTION
    process_form = ProcessForm(kind=dsr.kind)
    correction_form = CorrectionForm(initial=_correction_initial(owner), prefix="fix")
    status = 200
    if request.method == "POST":
        process_form = ProcessForm(request.POST, kind=dsr.kind)
        correction_form = CorrectionForm(
            request.POST, initial=_correction_initial(owner), prefix="fix"
        )
        forms_ok = process_form.is_valid()
        decision = process_form.cleaned_data.get("decision") if forms_ok else None
        wants_corrections = is_correction and decision == RequestStatus.DONE
        if wants_corrections:
            forms_ok = correction_form.is_valid() and forms_ok
        if forms_ok:
            try:
                services.dsr_process(
                    actor=request.user,
                    request=dsr,
                    decision=process_form.cleaned_data["decision"],
                    resolution=process_form.cleaned_data["resolution"],
                    corrections=correction_form.corrections() if wants_corrections else None,
                )
            except ValidationError as error:
                if wants_corrections and hasattr(error, "error_dict"):
                    fields = set(error.message_dict)
                    if fields & set(correction_form.fields):
                        _apply_errors(correction_form, error)
                    else:
                        _apply_errors(process_form, error)
                else:
                    _apply_errors(process_form, error)
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("privacy:request_detail", request_id=dsr.pk)
            else:
                messages.success(request, _("Permintaan sudah diproses."))
                return redirect("privacy:request_list")
        status = 400
    services.person_view_full_log(actor=request.user, owner=owner, context="dsr")
    return render(
        request,
        "privacy/request_detail.html",
        {
            "dsr": dsr,
            "owner": owner,
            "nik_display": format_nik(owner.nik) if owner.nik else "",
            "process_form": process_form,
            "correction_form": correction_form if is_correction else None,
            "businesses": owner.businesses.filter(pk__in=business_scope(user=request.user)),
            "is_open": dsr.status == RequestStatus.OPEN,
            "now": timezone.now(),
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# The owner's portal
# ---------------------------------------------------------------------------------------------


def _own_record(request: HttpRequest) -> Owner | None:
    return owner_scope(user=request.user).filter(anonymised_at__isnull=True).first()


@requires(Capability.OWNER_PORTAL)
@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the register holds about the signed-in owner, and their requests."""
    owner = _own_record(request)
    if owner is None:
        return render(request, "privacy/my_data_missing.html")
    request_form = OwnerRequestForm()
    withdraw_form = WithdrawForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "request":
            request_form = OwnerRequestForm(request.POST)
            if request_form.is_valid():
                try:
                    services.dsr_create(
                        actor=request.user,
                        owner=owner,
                        kind=request_form.cleaned_data["kind"],
                        details=request_form.cleaned_data["details"],
                    )
                except ValidationError as error:
                    _apply_errors(request_form, error)
                except ApplicationError as error:
                    request_form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        _(
                            "Permintaan Anda sudah kami terima dan akan ditanggapi dalam 3 x 24 jam."
                        ),
                    )
                    return redirect("privacy:my_data")
        elif action == "withdraw":
            withdraw_form = WithdrawForm(request.POST)
            if withdraw_form.is_valid():
                try:
                    services.consent_withdraw(
                        actor=request.user,
                        owner=owner,
                        reason=withdraw_form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    _apply_errors(withdraw_form, error)
                else:
                    messages.success(request, _("Persetujuan Anda sudah dicabut."))
                    return redirect("privacy:my_data")
        else:
            return redirect("privacy:my_data")
        status = 400
    return render(
        request,
        "privacy/my_data.html",
        {
            "owner": owner,
            "nik_display": format_nik(owner.nik) if owner.nik else "",
            "businesses": selectors.owner_businesses(businesses=business_scope(user=request.user)),
            "consents": selectors.consent_history(owner=owner),
            "has_active_consent": selectors.owner_has_active_consent(owner),
            "requests": selectors.dsr_of_owner(owner=owner),
            "request_form": request_form,
            "withdraw_form": withdraw_form,
        },
        status=status,
    )


@requires(Capability.OWNER_PORTAL)
@never_cache
@require_GET
def my_business(request: HttpRequest, business_id: Any) -> HttpResponse:
    """One of the owner's own businesses (404 for anyone else's)."""
    owner = _own_record(request)
    if owner is None:
        raise Http404
    business = business_get_accessible(user=request.user, business_id=business_id)
    business = selectors.owner_businesses(businesses=business_scope(user=request.user)).get(
        pk=business.pk
    )
    return render(request, "privacy/my_business.html", {"owner": owner, "business": business})


@requires(Capability.OWNER_PORTAL)
@never_cache
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    """All the owner's data as a JSON file (data portability), audited."""
    owner = _own_record(request)
    if owner is None:
        raise Http404
    data = services.owner_data_export(
        actor=request.user, owner=owner, businesses=business_scope(user=request.user)
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"data-saya-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
