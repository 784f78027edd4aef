"""The OpenRosa server ODK Collect and KoboCollect talk to (docs/odk-openrosa.md).

Two ways in, both per enumerator:

* ``/odk/c/<key>/`` -- the server URL with the enumerator's device key, set up on the phone
  by a QR code (no password on the phone; a new key revokes the old one). gunicorn's access
  log redacts the key (``config.access_log``); a proxy in front must do the same.
* ``/odk/`` -- HTTP Basic with the enumerator's username and password, for KoboCollect users
  who type them. Collect sends Basic only over HTTPS and only after a ``401`` challenge,
  which every unauthenticated request here gets (never a 403: Collect would not prompt).

Endpoints under either base: ``formList``, ``forms/<form_id>/form.xml`` (the exact bytes whose
MD5 the list announces), ``submission`` (``HEAD`` -> 204, ``POST`` -> 201/202/409...). Every
answer carries ``X-OpenRosa-Version: 1.0``; submission answers also
``X-OpenRosa-Accept-Content-Length`` and an ``OpenRosaResponse`` body.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, path, reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from naikkelas.accounts.permissions import Capability, device_rule, has_capability
from naikkelas.fieldwork.models import FormVersion
from naikkelas.fieldwork.openrosa import FormEntry, form_list_xml, openrosa_message
from naikkelas.fieldwork.services.devices import device_key_user
from naikkelas.fieldwork.services.submissions import (
    MAX_FILE_BYTES,
    MAX_XML_BYTES,
    submission_receive,
)

REALM = "naikkelas"
XML_PART = "xml_submission_file"
INCOMPLETE = "*isIncomplete*"


def _openrosa(response: HttpResponse, *, accept_length: bool = False) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    if accept_length:
        response["X-OpenRosa-Accept-Content-Length"] = str(MAX_FILE_BYTES)
    return response


def _xml(body: bytes, status: int = 200, *, accept_length: bool = False) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return _openrosa(response, accept_length=accept_length)


def _challenge(message: str) -> HttpResponse:
    response = _xml(openrosa_message(message), 401, accept_length=True)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _basic_user(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not sep:
        return None
    return authenticate(request, username=username, password=password)


def _device(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate a phone (device key in the path, or Basic over HTTPS) and require
    FIELD_SUBMIT; sets ``request.device_user`` and ``request.odk_base`` (the base URL)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, key: str = "", **kwargs: Any) -> HttpResponse:
        if key:
            user = device_key_user(key)
            base = reverse("fieldwork:key_root", kwargs={"key": key})
        elif request.is_secure():
            user = _basic_user(request)
            base = reverse("fieldwork:root")
        else:
            return _challenge(
                _("Gunakan alamat server pribadi Anda (kode QR di profil) atau HTTPS.")
            )
        if user is None:
            return _challenge(_("Nama pengguna, kata sandi atau kunci perangkat salah."))
        if not has_capability(user, Capability.FIELD_SUBMIT):
            return _challenge(_("Akun ini tidak boleh mengirim formulir pendataan."))
        request.device_user = user  # type: ignore[attr-defined]
        request.odk_base = request.build_absolute_uri(base)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return device_rule(Capability.FIELD_SUBMIT)(wrapped)


@_device
def form_list(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _xml(openrosa_message(_("Metode tidak didukung.")), 405)
    forms = FormVersion.objects.filter(is_current=True).order_by("form_id")
    wanted = request.GET.get("formID")
    if wanted:
        forms = forms.filter(form_id=wanted)
    base: str = request.odk_base  # type: ignore[attr-defined]
    entries = [
        FormEntry(
            form_id=form.form_id,
            name=form.title,
            version=form.version,
            md5=form.md5,
            download_url=f"{base}forms/{form.form_id}/form.xml",
        )
        for form in forms
    ]
    return _xml(form_list_xml(entries))


@_device
def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    form = FormVersion.objects.filter(form_id=form_id, is_current=True).first()
    if form is None:
        return _xml(openrosa_message(_("Formulir tidak ditemukan.")), 404)
    # the exact bytes whose MD5 the form list announced: Collect keys the form by it
    return _xml(form.xml.encode())


@csrf_exempt
@_device
def submission(request: HttpRequest) -> HttpResponse:
    if request.method == "HEAD":
        return _openrosa(HttpResponse(status=204), accept_length=True)
    if request.method != "POST":
        return _xml(openrosa_message(_("Metode tidak didukung.")), 405, accept_length=True)
    try:
        part = request.FILES.get(XML_PART)
    except (MultiPartParserError, SuspiciousOperation) as error:
        # a broken multipart body, too many parts or fields: a clear 400, never a 500
        status = 413 if isinstance(error, RequestDataTooBig) else 400
        return _xml(
            openrosa_message(_("Kiriman tidak dapat dibaca (multipart rusak).")),
            status,
            accept_length=True,
        )
    if part is None:
        return _xml(
            openrosa_message(_("Kiriman tanpa berkas XML (%(part)s).") % {"part": XML_PART}),
            400,
            accept_length=True,
        )
    xml = part.read(MAX_XML_BYTES + 1)
    files: list[tuple[str, UploadedFile]] = []
    for name in request.FILES:
        upload = request.FILES.get(name)
        if name != XML_PART and isinstance(upload, UploadedFile):
            files.append((name, upload))
    receipt = submission_receive(
        user=request.device_user,  # type: ignore[attr-defined]
        xml=xml,
        files=files,
        incomplete=request.POST.get(INCOMPLETE, "").lower() == "yes",
        device_id=request.GET.get("deviceID", ""),
    )
    nature = "submit_success" if receipt.status in (201, 202) else ""
    return _xml(
        openrosa_message(receipt.message, nature=nature), receipt.status, accept_length=True
    )


@device_rule(Capability.FIELD_SUBMIT)
def root(request: HttpRequest, key: str = "") -> HttpResponse:
    """The base URL itself (what an enumerator types into Collect); phones never GET it."""
    return _challenge(_("Ini alamat server ODK; masukkan di pengaturan Collect."))


urlpatterns: list[URLPattern] = [
    path("", root, name="root"),
    path("formList", form_list, name="form_list"),
    path("forms/<str:form_id>/form.xml", form_download, name="form_download"),
    path("submission", submission, name="submission"),
    path("c/<str:key>/", root, name="key_root"),
    path("c/<str:key>/formList", form_list, name="key_form_list"),
    path("c/<str:key>/forms/<str:form_id>/form.xml", form_download, name="key_form_download"),
    path("c/<str:key>/submission", submission, name="key_submission"),
]
