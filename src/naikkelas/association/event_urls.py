"""URLs of the association's events (included by association.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
