"""HTML views of accounts: user management, invitation acceptance, the audit log.

Thin: they parse input, call one service or selector, render. Every view declares its rule
(``@requires`` or ``@public``); the permission matrix test checks it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.accounts import services
from naikkelas.accounts.forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    UserAccessForm,
    UserFilterForm,
    UserInviteForm,
)
from naikkelas.accounts.models import Role, User
from naikkelas.accounts.permissions import Capability, public, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.form_errors import apply_errors
from naikkelas.core.models import AuditEvent

PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50
EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user_or_404(user_id: int) -> User:
    user = services.user_get(user_id=user_id)
    if user is None:
        raise Http404
    return user


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _invitation_page(
    request: HttpRequest, user: User, token: str, *, new_user: bool
) -> HttpResponse:
    """The invitation link, shown once: it is not stored anywhere we could show it from."""
    link = request.build_absolute_uri(reverse("accounts:invitation_accept", args=[token]))
    response = render(
        request,
        "accounts/invitation_link.html",
        {"target": user, "link": link, "new_user": new_user, "days": services.INVITATION_DAYS},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- User management ---------------------------------------------------------------------


@requires(Capability.USERS_MANAGE)
@require_GET
def user_list_view(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    q = role = ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    users = services.user_list(q=q, role=role)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@requires(Capability.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = UserInviteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, token = services.user_invite(
                    actor=request.user,  # type: ignore[arg-type]
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    role=data["role"],
                    area_codes=data["area_codes"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return _invitation_page(request, user, token, new_user=True)
    else:
        form = UserInviteForm(initial={"role": Role.ENUMERATOR})
    return render(request, "accounts/user_invite.html", {"form": form})


@requires(Capability.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _user_or_404(user_id)
    if request.method == "POST":
        form = UserAccessForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_access(
                    actor=request.user,  # type: ignore[arg-type]
                    user=target,
                    role=form.cleaned_data["role"],
                    area_codes=form.cleaned_data["area_codes"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Peran dan wilayah tugas disimpan."))
                return redirect("accounts:user_edit", user_id=target.pk)
    else:
        form = UserAccessForm(
            initial={
                "role": target.role,
                "area_codes": [a.region_id for a in target.area_assignments.all()],
            }
        )
    return render(
        request,
        "accounts/user_edit.html",
        {
            "target": target,
            "form": form,
            "is_owner_account": target.role == Role.OWNER,
            "is_self": target.pk == request.user.pk,
            "areas": target.area_assignments.select_related("region"),
        },
    )


def _set_active(request: HttpRequest, user_id: int, *, active: bool) -> HttpResponse:
    target = _user_or_404(user_id)
    try:
        services.user_set_active(actor=request.user, user=target, active=active)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("Pengguna diaktifkan kembali."))
        else:
            messages.success(
                request, _("Pengguna dinonaktifkan; token API-nya dicabut dan undangannya batal.")
            )
    return redirect("accounts:user_edit", user_id=target.pk)


@requires(Capability.USERS_MANAGE)
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _set_active(request, user_id, active=False)


@requires(Capability.USERS_MANAGE)
@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _set_active(request, user_id, active=True)


@requires(Capability.USERS_MANAGE)
@require_POST
def user_totp_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """For a user who lost both phone and recovery codes (after checking who is asking)."""
    target = _user_or_404(user_id)
    if services.totp_reset(actor=request.user, user=target, request=request):  # type: ignore[arg-type]
        messages.success(request, _("Verifikasi dua langkah pengguna ini dimatikan."))
    else:
        messages.info(request, _("Pengguna ini tidak memakai verifikasi dua langkah."))
    return redirect("accounts:user_edit", user_id=target.pk)


@requires(Capability.USERS_MANAGE)
@require_POST
def user_invitation_resend(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _user_or_404(user_id)
    try:
        token = services.user_invitation_resend(actor=request.user, user=target)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_edit", user_id=target.pk)
    return _invitation_page(request, target, token, new_user=False)


# --- Invitation acceptance (public) ------------------------------------------------------


def _login_backend() -> str:
    backends = list(settings.AUTHENTICATION_BACKENDS)
    model_backend = "django.contrib.auth.backends.ModelBackend"
    return model_backend if model_backend in backends else backends[-1]


def _invitation_invalid(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, used and expired links alike: nothing to learn from it."""
    response = render(
        request,
        "accounts/invitation_invalid.html",
        {"message": _(services.INVITATION_INVALID)},
        status=404,
    )
    response["Cache-Control"] = "no-store"
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_get_valid(token=token)
    if invitation is None:
        return _invitation_invalid(request)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ApplicationError:
            return _invitation_invalid(request)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("new_password1", message)
        else:
            if services.totp_is_active(user=user):
                # a password reset by invitation must not skip the second step
                messages.success(request, _("Kata sandi disimpan. Silakan masuk dengan kode Anda."))
                return redirect("login")
            login(request, user, backend=_login_backend())
            messages.success(request, _("Kata sandi disimpan. Selamat datang!"))
            return redirect("/")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invited": invitation.user},
    )


# --- Audit log -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    changes: list[str]
    ip: str


def _audit_filters(form: AuditFilterForm) -> services.AuditFilters:
    if not form.is_valid():
        return services.AuditFilters()
    data = form.cleaned_data
    return services.AuditFilters(
        action=data["action"],
        actor=data["actor"],
        object_id=data["object_id"],
        q=data["q"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@requires(Capability.AUDIT_VIEW)
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    events = services.audit_event_list(filters=filters)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        AuditRow(
            event=event,
            changes=services.audit_changes_compact(event.changes),
            ip=services.audit_event_ip(event),
        )
        for event in page
    ]
    query = _query_without_page(request)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "rows": rows, "query": query},
    )


@requires(Capability.AUDIT_VIEW)
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | FileResponse:
    fmt = request.GET.get("format", "")
    if fmt not in EXPORT_CONTENT_TYPES:
        return HttpResponseBadRequest(_("Format ekspor tidak dikenal; pilih csv atau xlsx."))
    query = request.GET.copy()
    query.pop("format", None)
    back = f"{reverse('accounts:audit_list')}?{query.urlencode()}"
    form = AuditFilterForm(query or None)
    if query and not form.is_valid():
        return redirect(back)  # the list shows what is wrong with the filters
    # A temporary file keeps memory flat for large exports and lets the export be recorded
    # only once it is complete; FileResponse streams it and closes (deletes) it.
    stream = tempfile.TemporaryFile()
    try:
        services.audit_log_export(
            actor=request.user,  # type: ignore[arg-type]
            filters=_audit_filters(form),
            fmt=fmt,
            stream=stream,
        )
    except ApplicationError as error:
        stream.close()
        messages.error(request, error.message)
        return redirect(back)
    stream.seek(0)
    stamp = timezone.localtime(timezone.now(), services.WIB).strftime("%Y%m%d-%H%M")
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"audit-{stamp}.{fmt}",
        content_type=EXPORT_CONTENT_TYPES[fmt],
    )
