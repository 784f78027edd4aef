"""One error shape for the whole API, the same as django-ninja's own 422 body:

``{"detail": [{"loc": ["body", "nik"], "msg": "...", "type": "value_error"}]}``
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from naikkelas.core.exceptions import ApplicationError


def validation_detail(error: ValidationError, *, location: str = "body") -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": [location, field], "msg": message, "type": "value_error"}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": [location], "msg": m, "type": "value_error"} for m in error.messages]


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": validation_detail(exc)}, status=422)

    @api.exception_handler(ApplicationError)
    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        body = {"detail": [{"loc": [], "msg": exc.message, "type": exc.code}]}
        return api.create_response(request, body, status=409)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        body = {"detail": [{"loc": [], "msg": "Akses ditolak.", "type": "permission_denied"}]}
        return api.create_response(request, body, status=403)
