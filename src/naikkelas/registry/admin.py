from django.contrib import admin
from django.http import HttpRequest

from naikkelas.registry.models import Business, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order")
    ordering = ("sort_order",)


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    """Read-only: changes to the register go through the audited services and the web forms."""

    list_display = ("name", "sector", "kecamatan", "size_class", "status", "source")
    list_filter = ("status", "sector", "source", "is_binaan")
    search_fields = ("name", "nib")
    list_select_related = ("sector", "kecamatan")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Business | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Business | None = None) -> bool:
        return False
