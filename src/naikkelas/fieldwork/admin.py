"""Read-only admin views of field collection. Submission XML and refused bodies hold
personal data (NIK, phone, photos) and are not shown here."""

from django.contrib import admin

from naikkelas.core.admin import ReadOnlyAdmin
from naikkelas.fieldwork.models import (
    DeviceKey,
    FormVersion,
    RejectedSubmission,
    SelfRegistration,
    Submission,
)


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyAdmin):
    list_display = ("form_id", "version", "title", "is_current", "md5", "created_at")
    fields = ("form_id", "version", "title", "is_current", "md5", "created_at")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
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
class RejectedSubmissionAdmin(ReadOnlyAdmin):
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
class DeviceKeyAdmin(ReadOnlyAdmin):
    list_display = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(SelfRegistration)
class SelfRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "status", "created_at")
    list_filter = ("status",)
    fields = ("tracking_code", "status", "import_row", "created_at")
