"""Pages of field collection for signed-in staff: the enumerator's ODK Collect setup."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.accounts.twofactor import qr_svg_data_uri
from naikkelas.fieldwork.collect_settings import collect_settings_payload
from naikkelas.fieldwork.models import DeviceKey, FormVersion
from naikkelas.fieldwork.services.devices import device_key_create, device_key_revoke


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


urlpatterns: list[URLPattern] = [
    path("odk-collect/", collect_setup, name="collect_setup"),
]
