"""Read-only admin views: programme data changes only through the services (audited)."""

from django.contrib import admin

from naikkelas.core.admin import ReadOnlyAdmin
from naikkelas.programs.models import AidRecord, Cycle, Programme, SelectionRun


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "organiser", "created_at")
    list_filter = ("kind", "organiser")


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("name", "programme", "starts_on", "capacity", "status")
    list_filter = ("status",)


@admin.register(SelectionRun)
class SelectionRunAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "number", "seed", "fingerprint", "result_digest", "created_at")
    fields = ("cycle", "number", "seed", "fingerprint", "parameters", "result_digest", "created_at")


@admin.register(AidRecord)
class AidRecordAdmin(ReadOnlyAdmin):
    list_display = ("description", "kind", "value", "received_on")
    list_filter = ("kind",)
    fields = ("kind", "description", "provider", "value", "received_on", "created_at")
