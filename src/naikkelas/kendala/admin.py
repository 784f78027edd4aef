"""Read-only admin views: kendala change only through the services (audited)."""

from django.contrib import admin

from naikkelas.core.admin import ReadOnlyAdmin
from naikkelas.kendala.models import Kendala, KendalaCategory


@admin.register(KendalaCategory)
class KendalaCategoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "active", "sort_order")


@admin.register(Kendala)
class KendalaAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "title", "category", "status", "channel", "created_at")
    list_filter = ("status", "channel", "category")
    fields = (
        "tracking_code",
        "channel",
        "category",
        "title",
        "status",
        "target_date",
        "escalated_at",
        "closed_at",
        "created_at",
    )
