"""Rules the database itself enforces, whatever code writes to it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from naikkelas.registry.models import Business, BusinessOwner, OwnerRole, YearlyFigure
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def _violates(update: dict, model=Business, pk=None) -> None:  # noqa: ANN001
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**update)


def test_database_rejects_broken_business_rows() -> None:
    business = make_business()
    _violates({"nib": "123"}, pk=business.pk)
    _violates({"status": "merged"}, pk=business.pk)
    _violates({"status": "closed"}, pk=business.pk)
    _violates({"latitude": -6.1}, pk=business.pk)
    _violates({"binaan_since": "2024-01-01", "is_binaan": False}, pk=business.pk)
    _violates({"status": "whatever"}, pk=business.pk)


def test_only_one_main_owner_per_business() -> None:
    business = make_business()
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessOwner.objects.create(business=business, owner=make_owner(), role=OwnerRole.PEMILIK)


def test_one_figure_per_year_and_no_negative_amounts() -> None:
    business = make_business()
    YearlyFigure.objects.create(business=business, year=2024, omzet=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigure.objects.create(business=business, year=2024, omzet=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigure.objects.create(business=business, year=2023, omzet=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigure.objects.create(business=business, year=2022)
