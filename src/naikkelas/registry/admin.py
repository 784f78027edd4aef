from django.contrib import admin

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

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
