"""Pages of field collection for signed-in staff: the enumerator's ODK Collect setup."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from naikkelas.accounts.permissions import Capability, public, requires
from naikkelas.accounts.twofactor import qr_svg_data_uri
from naikkelas.fieldwork.collect_settings import collect_settings_payload
from naikkelas.fieldwork.forms import CONSENT_TEXT, SelfRegistrationForm
from naikkelas.fieldwork.models import DeviceKey, FormVersion, RejectedSubmission, Submission
from naikkelas.fieldwork.openrosa import InvalidSubmission, parse_instance
from naikkelas.fieldwork.selectors import campaign_progress
from naikkelas.fieldwork.services.campaign import campaign_targets_set, rejected_submission_resolve
from naikkelas.fieldwork.services.devices import device_key_create, device_key_revoke
from naikkelas.fieldwork.services.self_registration import (
    challenge_check,
    challenge_new,
    client_hash,
    self_registration_allowed,
    self_registration_status,
    self_registration_submit,
)
from naikkelas.regions.selectors import desa_kelurahan_list


@requires(Capability.FIELD_SUBMIT)
@require_http_methods(["GET", "POST"])
def collect_setup(request: HttpRequest) -> HttpResponse:
    """Set up ODK Collect: a new device key shown once as a QR code; revoke the key."""
    context: dict[str, object] = {}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            device_key_revoke(actor=request.user, user=request.user)
            context["revoked"] = True
        else:
            _device, key = device_key_create(actor=request.user, user=request.user)
            server_url = request.build_absolute_uri(
                reverse("fieldwork:key_root", kwargs={"key": key})
            ).rstrip("/")
            payload = collect_settings_payload(
                server_url=server_url, project_name=f"naikkelas {settings.NAIKKELAS_AREA_CODE}"
            )
            context.update(server_url=server_url, qr=qr_svg_data_uri(payload, scale=4))
    user: Any = request.user  # signed in (@requires)
    context["device"] = DeviceKey.objects.filter(user=user, revoked_at__isnull=True).first()
    context["forms"] = FormVersion.objects.filter(is_current=True).order_by("form_id")
    context["basic_url"] = request.build_absolute_uri(reverse("fieldwork:root")).rstrip("/")
    context["secure"] = request.is_secure()
    return render(request, "fieldwork/collect_setup.html", context)


@requires(Capability.IMPORT_MANAGE)
@require_http_methods(["GET", "POST"])
def campaign(request: HttpRequest) -> HttpResponse:
    """Progress of the census campaign per kelurahan and per enumerator; targets editable."""
    if request.method == "POST":
        changed = campaign_targets_set(actor=request.user, targets=_posted_targets(request))
        messages.success(request, _("%(n)d target disimpan.") % {"n": changed})
        return redirect("fieldwork:campaign")
    kelurahan, enumerators, totals = campaign_progress()
    return render(
        request,
        "fieldwork/campaign.html",
        {"kelurahan": kelurahan, "enumerators": enumerators, "totals": totals},
    )


def _posted_targets(request: HttpRequest) -> dict[str, int | None]:
    """``target-<code>`` fields: a number sets the target, empty returns to the estimate;
    anything else is ignored."""
    targets: dict[str, int | None] = {}
    for name in request.POST:
        if not name.startswith("target-"):
            continue
        text = str(request.POST.get(name, "")).strip()
        if text == "":
            targets[name.removeprefix("target-")] = None
        elif text.isdigit() and len(text) <= 7:
            targets[name.removeprefix("target-")] = int(text)
    return targets


MAP_POINTS = 2000


@requires(Capability.IMPORT_MANAGE)
@csp_update({"img-src": ["https://tile.openstreetmap.org"]})
def campaign_map(request: HttpRequest) -> HttpResponse:
    """Where the census submissions were made: a map when the OpenStreetMap tiles load, and
    always the table. Points carry the business name and kelurahan, never the owner's data."""
    kelurahan = dict(desa_kelurahan_list().values_list("code", "name"))
    points = []
    for submission in Submission.objects.filter(latitude__isnull=False).order_by("-created_at")[
        :MAP_POINTS
    ]:
        try:
            name = parse_instance(submission.xml.encode()).by_name().get("business_name", "")
        except InvalidSubmission:  # erased at the data subject's request
            name = "—"
        place = kelurahan.get(submission.kelurahan, submission.kelurahan)
        points.append(
            {
                "lat": round(submission.latitude or 0.0, 5),
                "lon": round(submission.longitude or 0.0, 5),
                "label": f"{name} ({place}), {timezone.localtime(submission.created_at):%d-%m-%Y}",
            }
        )
    return render(request, "fieldwork/campaign_map.html", {"points": points})


@requires(Capability.IMPORT_MANAGE)
@require_http_methods(["GET", "POST"])
def rejected_list(request: HttpRequest) -> HttpResponse:
    """What the server refused (kept with the reason); an officer marks an item handled once
    the enumerator has re-sent a fixed copy or the item needs nothing more."""
    if request.method == "POST":
        try:
            wanted = uuid.UUID(request.POST.get("id", ""))
        except ValueError:
            return redirect("fieldwork:rejected_list")
        rejected = RejectedSubmission.objects.filter(pk=wanted).first()
        if rejected is not None:
            rejected_submission_resolve(actor=request.user, rejected=rejected)
            messages.success(request, _("Ditandai sudah ditangani."))
        return redirect("fieldwork:rejected_list")
    show_all = request.GET.get("semua") == "1"
    items = RejectedSubmission.objects.select_related("submitted_by").order_by("-created_at")
    if not show_all:
        items = items.filter(resolved_at__isnull=True)
    return render(
        request,
        "fieldwork/rejected_list.html",
        {"items": items[:500], "show_all": show_all},
    )


urlpatterns: list[URLPattern] = [
    path("ditolak/", rejected_list, name="rejected_list"),
    path("odk-collect/", collect_setup, name="collect_setup"),
    path("kemajuan/", campaign, name="campaign"),
    path("peta/", campaign_map, name="campaign_map"),
]


# -- self-registration (public) -----------------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _whatsapp_link(code: str = "") -> str:
    number = "".join(ch for ch in settings.NAIKKELAS_OFFICE_WHATSAPP if ch.isdigit())
    text = _("Halo, saya mendaftar UMKM di naikkelas")
    if code:
        text += _(" dengan kode %(code)s") % {"code": code}
    return f"https://wa.me/{number}?text={quote(text + '.')}"


@public
@require_http_methods(["GET", "POST"])
def self_register(request: HttpRequest) -> HttpResponse:
    """The public registration page (no account, no JavaScript, light on a 3G phone)."""
    client = client_hash(_client_address(request))
    if not self_registration_allowed(client):
        response = render(request, "fieldwork/self_register_limit.html", status=429)
        response["Retry-After"] = "3600"
        return response
    challenge = challenge_new()
    if request.method == "POST":
        form = SelfRegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            human = challenge_check(data["challenge"], data["answer"]) and not data["website"]
            if human:
                record = {
                    key: data[key]
                    for key in (
                        "owner_name",
                        "nik",
                        "phone",
                        "business_name",
                        "sector",
                        "products",
                        "desa_kelurahan",
                        "address",
                    )
                }
                registration = self_registration_submit(
                    data=record, consent_text=str(CONSENT_TEXT), client=client
                )
                return redirect("fieldwork:self_register_done", code=registration.tracking_code)
            form.add_error("answer", _("Jawaban pertanyaan pengaman belum benar. Coba lagi."))
        # a fresh question either way (the old token must not be replayed)
        fresh = request.POST.copy()
        fresh["challenge"], fresh["answer"] = challenge.token, ""
        errors = form.errors
        form = SelfRegistrationForm(fresh, question=challenge.question)
        setattr(form, "_errors", errors)  # noqa: B010 (keep the errors with the new question)
    else:
        form = SelfRegistrationForm(
            initial={"challenge": challenge.token}, question=challenge.question
        )
    return render(
        request, "fieldwork/self_register.html", {"form": form, "whatsapp": _whatsapp_link()}
    )


@public
def self_register_done(request: HttpRequest, code: str) -> HttpResponse:
    status = self_registration_status(code)
    if status is None:
        return render(request, "fieldwork/self_register_status.html", {"unknown": True}, status=404)
    return render(
        request,
        "fieldwork/self_register_done.html",
        {"code": code, "status": status, "whatsapp": _whatsapp_link(code)},
    )


@public
def self_register_status(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "").strip().upper()[:12]
    status = self_registration_status(code) if code else None
    return render(
        request,
        "fieldwork/self_register_status.html",
        {
            "code": code,
            "status": status,
            "unknown": bool(code) and status is None,
            "whatsapp": _whatsapp_link(code if status else ""),
        },
    )


public_urlpatterns: list[URLPattern] = [
    path("daftar/", self_register, name="self_register"),
    path("daftar/terima/<str:code>/", self_register_done, name="self_register_done"),
    path("daftar/status/", self_register_status, name="self_register_status"),
]
