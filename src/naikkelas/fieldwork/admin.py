"""Read-only admin views of field collection. Submission XML and refused bodies hold
personal data (NIK, phone, photos) and are not shown here."""

from django.contrib import admin
from django.http import HttpRequest

from naikkelas.fieldwork.models import (
    DeviceKey,
    FormVersion,
    RejectedSubmission,
    SelfRegistration,
    Submission,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FormVersion)
class FormVersionAdmin(_ReadOnly):
    list_display = ("form_id", "version", "title", "is_current", "md5", "created_at")
    fields = ("form_id", "version", "title", "is_current", "md5", "created_at")


@admin.register(Submission)
class SubmissionAdmin(_ReadOnly):
    list_display = ("instance_id", "form_id", "version", "status", "kelurahan", "created_at")
    list_filter = ("status", "form_id")
    fields = (
        "form_id",
        "version",
        "instance_id",
        "deprecated_id",
        "status",
        "kelurahan",
        "submitted_by",
        "device_id",
        "posts",
        "import_row",
        "created_at",
    )


@admin.register(RejectedSubmission)
class RejectedSubmissionAdmin(_ReadOnly):
    list_display = ("reason", "form_id", "instance_id", "submitted_by", "created_at", "resolved_at")
    list_filter = ("reason",)
    fields = (
        "reason",
        "detail",
        "form_id",
        "instance_id",
        "submitted_by",
        "device_id",
        "created_at",
    )


@admin.register(DeviceKey)
class DeviceKeyAdmin(_ReadOnly):
    list_display = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(SelfRegistration)
class SelfRegistrationAdmin(_ReadOnly):
    list_display = ("tracking_code", "status", "created_at")
    list_filter = ("status",)
    fields = ("tracking_code", "status", "import_row", "created_at")
