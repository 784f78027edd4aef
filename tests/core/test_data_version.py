"""The data version behind the dashboard cache: it moves with every kind of write the
dashboards count (signals, bulk writes, audited updates), not with reads, and a rolled-back
change leaves it where it was; cached aggregates are recomputed when it moves."""

from __future__ import annotations

import pytest
from django.db import transaction

from naikkelas.core.audit import audit_log
from naikkelas.core.bulk_write import bulk_insert
from naikkelas.core.data_version import cached_aggregate, data_version, note_data_change
from naikkelas.core.models import DataChange
from naikkelas.registry.models import Business, BusinessStatus, Sector
from naikkelas.registry.selectors import register_summary
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def test_a_registered_business_moves_the_version_and_the_summary_follows() -> None:
    before = register_summary()
    version = data_version()
    make_business(name="Kopi Jahe Merah")
    assert data_version() != version
    after = register_summary()
    assert after.total == before.total + 1
    # computed independently of the selector
    assert after.total == Business.objects.filter(status=BusinessStatus.ACTIVE).count()


def test_every_write_in_one_transaction_moves_the_version() -> None:
    with transaction.atomic():
        make_business(name="Satu")
        first = data_version()
        assert register_summary().total == Business.objects.filter(status="active").count()
        make_business(name="Dua")
        assert data_version() != first
        assert register_summary().total == Business.objects.filter(status="active").count()


def test_one_marker_row_per_transaction() -> None:
    rows = DataChange.objects.count()
    with transaction.atomic():
        for name in ("Satu", "Dua", "Tiga"):
            make_business(name=name)
    assert DataChange.objects.count() == rows + 1


def test_a_rolled_back_change_leaves_the_version_alone() -> None:
    version = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_business(name="Batal")
        raise RuntimeError
    assert data_version() == version


def test_bulk_writes_and_audited_updates_move_it_reads_do_not() -> None:
    version = data_version()
    bulk_insert(Sector, [{"code": "uji", "name": "Uji", "sort_order": 99}])
    assert data_version() != version
    version = data_version()
    Business.objects.update(is_binaan=True)  # no signal...
    audit_log(actor=None, action="business.update", object_type="registry.business")
    assert data_version() != version  # ...but the service's audit event
    version = data_version()
    audit_log(actor=None, action="report.export", object_type="report")
    audit_log(actor=None, action="person.reveal", object_type="registry.owner")
    assert data_version() == version


def test_cached_aggregate_is_reused_until_the_version_moves() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cached_aggregate("uji", compute, "a") == 1
    assert cached_aggregate("uji", compute, "a") == 1  # reused
    assert cached_aggregate("uji", compute, "b") == 2  # other arguments
    note_data_change()
    assert cached_aggregate("uji", compute, "a") == 3  # recomputed
