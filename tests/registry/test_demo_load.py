"""Loading the synthetic demo register into the database."""

from __future__ import annotations

import pytest
from django.db.models import F

from naikkelas.core.models import AuditEvent
from naikkelas.registry.models import Business, BusinessOwner, Owner, YearlyFigure
from naikkelas.registry.services.demo import demo_register_load

pytestmark = pytest.mark.django_db


def test_demo_register_loads_consistent_rows_once() -> None:
    # when
    added = demo_register_load(businesses=300, seed=7)
    # then every business has exactly one main owner, a kelurahan of Kota Serang and its class
    assert added == 300
    assert Business.objects.count() == 300
    assert BusinessOwner.objects.filter(role="pemilik").count() == 300
    assert not Business.objects.exclude(desa_kelurahan__code__startswith="36.73.").exists()
    assert not Business.objects.exclude(kecamatan_id=F("desa_kelurahan__parent_id")).exists()
    latest = YearlyFigure.objects.order_by("business", "-year").first()
    assert latest is not None and latest.size_class and latest.rule_id
    assert (
        Owner.objects.filter(nik__isnull=False).exclude(nik__regex=r"^\d{12}9\d{3}$").count() == 0
    )
    assert AuditEvent.objects.filter(action="registry.demo_load").count() == 1
    # and loading again adds nothing
    assert demo_register_load(businesses=300, seed=7) == 0
    assert Business.objects.count() == 300


def test_sqlite_runs_in_wal_mode(settings) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
