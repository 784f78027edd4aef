"""The public kendala page (no account, no JavaScript, light on a 3G phone), its receipt and
the status page a reporter checks with the tracking code. Bots are held off as on the public
registration page: a signed arithmetic question answered no faster than a person reads, a
hidden field, and a per-client hourly limit on a keyed hash of the address."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from naikkelas.accounts.permissions import Capability, has_capability, public
from naikkelas.core.exceptions import ApplicationError
from naikkelas.fieldwork.services.self_registration import (
    challenge_check,
    challenge_new,
    client_hash,
)
from naikkelas.kendala import services
from naikkelas.kendala.forms import CONSENT_TEXT, PublicKendalaForm
from naikkelas.kendala.models import KendalaChannel
from naikkelas.kendala.selectors import kendala_by_code

# Which form field a service refusal belongs to (its ``code``).
_ERROR_FIELDS = {
    "reporter_name": "reporter_name",
    "phone": "phone",
    "consent": "consent",
    "kelurahan": "desa_kelurahan",
    "sector": "sector",
    "category": "category",
    "description": "description",
}


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def whatsapp_link(code: str = "") -> str:
    number = "".join(ch for ch in settings.NAIKKELAS_OFFICE_WHATSAPP if ch.isdigit())
    text = _("Halo, saya menyampaikan kendala usaha lewat naikkelas")
    if code:
        text += _(" dengan kode %(code)s") % {"code": code}
    return f"https://wa.me/{number}?text={quote(text + '.')}"


@public
@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest) -> HttpResponse:
    if has_capability(request.user, Capability.OWNER_PORTAL):
        return redirect("kendala:my_kendala")  # a signed-in owner reports for their business
    client = client_hash(_client_address(request))
    if not services.kendala_public_allowed(client):
        response = render(request, "kendala/public_limit.html", status=429)
        response["Retry-After"] = "3600"
        return response
    challenge = challenge_new()
    if request.method == "POST":
        form = PublicKendalaForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if challenge_check(data["challenge"], data["answer"]) and not data["website"]:
                try:
                    kendala = services.kendala_report(
                        actor=None,
                        channel=KendalaChannel.PUBLIK,
                        category=data["category"],
                        description=data["description"],
                        reporter_name=data["reporter_name"],
                        reporter_phone=data["phone"],
                        reporter_business_name=data["business_name"],
                        desa_kelurahan=data["desa_kelurahan"],
                        sector=data["sector"],
                        consent_text=str(CONSENT_TEXT),
                        client=client,
                    )
                except ApplicationError as error:
                    form.add_error(_ERROR_FIELDS.get(error.code), error.message)
                else:
                    return redirect("kendala:public_done", code=kendala.tracking_code)
            else:
                form.add_error("answer", _("Jawaban pertanyaan pengaman belum benar. Coba lagi."))
        # a fresh question either way (the old token must not be replayed)
        fresh = request.POST.copy()
        fresh["challenge"], fresh["answer"] = challenge.token, ""
        errors = form.errors
        form = PublicKendalaForm(fresh, question=challenge.question)
        setattr(form, "_errors", errors)  # noqa: B010 (keep the errors with the new question)
    else:
        form = PublicKendalaForm(
            initial={"challenge": challenge.token}, question=challenge.question
        )
    return render(
        request, "kendala/public_report.html", {"form": form, "whatsapp": whatsapp_link()}
    )


@public
@require_GET
def public_done(request: HttpRequest, code: str) -> HttpResponse:
    kendala = kendala_by_code(code=code)
    if kendala is None:
        raise Http404
    return render(
        request,
        "kendala/public_done.html",
        {"code": kendala.tracking_code, "whatsapp": whatsapp_link(kendala.tracking_code)},
    )


@public
@require_GET
def public_status(request: HttpRequest) -> HttpResponse:
    """Status and the officer's response by tracking code; nothing about the person."""
    typed = request.GET.get("kode", "").strip()[:16]
    kendala = kendala_by_code(code=typed) if typed else None
    return render(
        request,
        "kendala/public_status.html",
        {
            "code": typed,
            "kendala": kendala,
            "unknown": bool(typed) and kendala is None,
            "whatsapp": whatsapp_link(kendala.tracking_code if kendala else ""),
        },
        status=404 if typed and kendala is None else 200,
    )
