"""Review queue of likely duplicates, decisions, merge history and unmerge (thin views)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
