"""Consent and data-subject requests in Django's admin: read-only (changes go through services,
which write the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from naikkelas.privacy.models import Consent, DataSubjectRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("owner_id", "method", "given_at", "withdrawn_at", "recorded_by")
    list_filter = ("method", ("withdrawn_at", admin.EmptyFieldListFilter))
    date_hierarchy = "given_at"
    ordering = ("-given_at",)


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ("owner_id", "kind", "status", "due_at", "handled_at", "handled_by")
    list_filter = ("kind", "status")
    date_hierarchy = "due_at"
    ordering = ("status", "due_at")
