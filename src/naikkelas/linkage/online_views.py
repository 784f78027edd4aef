"""The online duplicate check: likely duplicates of a business being typed (thin views)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
