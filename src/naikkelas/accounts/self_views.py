"""The signed-in user's own account ("Akun saya") and the two-step sign-in.

"Akun saya" (``ACCOUNT_SELF``, every role): the account's facts, changing the password, the
user's own API tokens (the key shown once), and — for admin and dinas — two-factor sign-in
with a TOTP authenticator app and single-use recovery codes.

Signing in (public): ``TwoStepLoginView`` is Django's ``LoginView`` (so django-axes' lockout
and the login audit work unchanged); when the user has two-factor sign-in on, a correct
password does not sign in but opens the second step, ``login_totp``, for five minutes and at
most five wrong codes.

Thin views: they parse input, call one service or selector, render.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.accounts import services, twofactor
from naikkelas.accounts.forms import (
    ApiTokenCreateForm,
    SelfPasswordChangeForm,
    TotpCodeForm,
    TotpDisableForm,
    TotpLoginForm,
)
from naikkelas.accounts.models import ApiToken, User
from naikkelas.accounts.permissions import Capability, public, requires
from naikkelas.core.exceptions import ApplicationError

PENDING_LOGIN_KEY = "naikkelas_totp_pending"
PENDING_LOGIN_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages with a secret on them (a token key, a TOTP secret, recovery codes)."""
    response["Cache-Control"] = "no-store"
    return response


# --- Akun saya ---------------------------------------------------------------------------


def _self_page(
    request: HttpRequest,
    *,
    password_form: SelfPasswordChangeForm | None = None,
    token_form: ApiTokenCreateForm | None = None,
    totp_disable_form: TotpDisableForm | None = None,
    new_token: ApiToken | None = None,
    new_key: str = "",
) -> HttpResponse:
    user = _me(request)
    device = services.totp_device_get(user=user)
    context: dict[str, Any] = {
        "account": user,
        "areas": user.area_assignments.select_related("region"),
        "tokens": services.api_token_list_own(user=user),
        "now": timezone.now(),
        "password_form": password_form or SelfPasswordChangeForm(user),
        "token_form": token_form or ApiTokenCreateForm(),
        "new_token": new_token,
        "new_key": new_key,
        "totp_available": services.totp_available(user=user),
        "totp_active": device is not None and device.is_active,
        "totp_pending": device is not None and not device.is_active,
        "totp_since": device.confirmed_at if device is not None else None,
        "recovery_codes_left": services.totp_recovery_codes_left(user=user),
        "totp_disable_form": totp_disable_form or TotpDisableForm(),
    }
    return _no_store(render(request, "accounts/self_account.html", context))


@requires(Capability.ACCOUNT_SELF)
@require_GET
def account_self(request: HttpRequest) -> HttpResponse:
    return _self_page(request)


@requires(Capability.ACCOUNT_SELF)
@require_POST
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def account_password_change(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = SelfPasswordChangeForm(user, request.POST)
    if form.is_valid():
        try:
            services.user_password_change(
                user=user, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, user)
            messages.success(
                request,
                _("Kata sandi diganti. Sesi Anda di perangkat lain (jika ada) sudah berakhir."),
            )
            return redirect("accounts:self")
    return _self_page(request, password_form=form)


@requires(Capability.ACCOUNT_SELF)
@require_POST
def account_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST)
    if form.is_valid():
        token, key = services.api_token_create(
            user=_me(request), name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        return _self_page(request, new_token=token, new_key=key)
    return _self_page(request, token_form=form)


@requires(Capability.ACCOUNT_SELF)
@require_POST
def account_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_get_own(user=_me(request), token_id=token_id)
    if token is None:
        raise Http404  # someone else's token and an unknown id look the same
    services.api_token_revoke(actor=_me(request), token=token)
    messages.success(
        request, _("Token %(name)s dicabut; token itu tidak dapat dipakai lagi.") % {"name": token}
    )
    return redirect("accounts:self")


# --- Two-factor sign-in: enrol, confirm, disable -------------------------------------------


def _grouped(secret: str) -> str:
    """``"ABCDEFGH…"`` → ``"ABCD EFGH …"``, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _enrol_page(request: HttpRequest, form: TotpCodeForm) -> HttpResponse:
    user = _me(request)
    device = services.totp_device_get(user=user)
    if not services.totp_available(user=user) or device is None or device.is_active:
        return redirect("accounts:self")
    uri = twofactor.provisioning_uri(device.secret, account=user.get_username())
    context = {
        "qr": twofactor.qr_svg_data_uri(uri),
        "secret": _grouped(device.secret),
        "form": form,
        "digits": twofactor.DIGITS,
        "interval": twofactor.INTERVAL,
    }
    return _no_store(render(request, "accounts/self_totp_enrol.html", context))


@requires(Capability.ACCOUNT_SELF)
@require_http_methods(["GET", "POST"])
def account_totp_enrol(request: HttpRequest) -> HttpResponse:
    """GET shows the pending secret as a QR code; POST starts (or restarts) enrolment.

    Only admin and dinas may enrol: the service refuses other roles (403); their GET just
    leads back to "Akun saya", where the section is not shown.
    """
    if request.method == "POST":
        try:
            services.totp_enrol_start(user=_me(request), request=request)
        except ApplicationError as error:
            messages.info(request, error.message)
            return redirect("accounts:self")
        return redirect("accounts:self_totp_enrol")
    return _enrol_page(request, TotpCodeForm())


@requires(Capability.ACCOUNT_SELF)
@require_POST
@sensitive_post_parameters("code")
def account_totp_confirm(request: HttpRequest) -> HttpResponse:
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=_me(request), code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as error:
            if error.code == "totp_wrong_code":
                form.add_error("code", error.message)
            else:
                messages.error(request, error.message)
                return redirect("accounts:self")
        else:
            return _no_store(render(request, "accounts/self_totp_recovery.html", {"codes": codes}))
    return _enrol_page(request, form)


@requires(Capability.ACCOUNT_SELF)
@require_POST
@sensitive_post_parameters("code")
def account_totp_disable(request: HttpRequest) -> HttpResponse:
    form = TotpDisableForm(request.POST)
    if form.is_valid():
        try:
            services.totp_disable(
                user=_me(request), code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as error:
            if error.code != "totp_wrong_code":
                messages.error(request, error.message)
                return redirect("accounts:self")
            form.add_error("code", error.message)
        else:
            messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
            return redirect("accounts:self")
    return _self_page(request, totp_disable_form=form)


# --- Signing in, in one or two steps (public) ------------------------------------------------


def _pending_drop(request: HttpRequest) -> None:
    request.session.pop(PENDING_LOGIN_KEY, None)


class TwoStepLoginView(LoginView):
    """Django's login view; with two-factor sign-in on, the password opens the second step.

    The password is checked by Django's form (``authenticate``), so django-axes counts wrong
    passwords and locks out exactly as before, and ``user_logged_in`` (audit, axes reset)
    fires only when the user is really signed in.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not services.totp_is_active(user=user):
            return super().form_valid(form)
        # A fresh session key: whoever knew the old one cannot finish this sign-in.
        self.request.session.cycle_key()
        self.request.session[PENDING_LOGIN_KEY] = {
            "user_id": user.pk,
            "at": time.time(),
            "failures": 0,
            "next": self.get_redirect_url(),
            "backend": getattr(user, "backend", "") or "",
        }
        return HttpResponseRedirect(reverse("login_totp"))


def _backend(name: str) -> str:
    backends = list(settings.AUTHENTICATION_BACKENDS)
    if name in backends:
        return name
    return MODEL_BACKEND if MODEL_BACKEND in backends else backends[-1]


def _after_login_url(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _start_over(request: HttpRequest, message: str) -> HttpResponse:
    _pending_drop(request)
    messages.error(request, message)
    return redirect("login")


@public
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP code or a recovery code completes the pending sign-in."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not isinstance(pending, dict):
        return redirect("login")
    if time.time() - float(pending.get("at", 0)) > PENDING_LOGIN_SECONDS:
        return _start_over(
            request, _("Waktu untuk memasukkan kode sudah habis. Silakan masuk lagi.")
        )
    user = services.user_get(user_id=int(pending.get("user_id", 0)))
    if user is None or not user.is_active or not services.totp_is_active(user=user):
        return _start_over(request, _("Silakan masuk lagi."))
    form = TotpLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.totp_login_verify(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except ApplicationError:
            return _start_over(request, _("Silakan masuk lagi."))
        if accepted:
            _pending_drop(request)
            login(request, user, backend=_backend(str(pending.get("backend", ""))))
            return redirect(_after_login_url(request, str(pending.get("next") or "")))
        failures = int(pending.get("failures", 0)) + 1
        if failures >= MAX_CODE_FAILURES:
            return _start_over(
                request,
                _("Terlalu banyak kode yang salah. Silakan masuk lagi dari awal."),
            )
        request.session[PENDING_LOGIN_KEY] = {**pending, "failures": failures}
        form.add_error(
            "code",
            _(services.TOTP_WRONG_CODE)
            + " "
            + _("Sisa percobaan: %(left)s.") % {"left": MAX_CODE_FAILURES - failures},
        )
    return render(request, "registration/login_totp.html", {"form": form, "pending_user": user})
