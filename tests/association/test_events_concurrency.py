"""Capacity under concurrency: owners scanning and officers registering at the same moment
never exceed the seats (PostgreSQL only: SQLite serialises writers itself)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.association.models import EventRegistration
from naikkelas.association.services import events
from naikkelas.core.exceptions import ApplicationError
from tests.conftest import load_reference_data, make_user
from tests.factories import make_business


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["register", "walk_in"])
def test_simultaneous_registrations_never_exceed_the_capacity(path: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs truly concurrent transactions (PostgreSQL)")
    load_reference_data()  # a transactional test starts from an emptied database
    officer = make_user(Role.HIPMIKINDO, "petugas-kegiatan")
    now = timezone.now()
    event = events.event_create(
        actor=officer,
        kind="pelatihan",
        title="Pelatihan Foto Produk",
        starts_at=now,
        ends_at=now + timedelta(hours=3),
        venue="Aula",
        capacity=3,
        members_only=False,
    )
    businesses = [make_business(name=f"Usaha {i}") for i in range(8)]
    barrier = threading.Barrier(len(businesses))
    outcomes: list[str] = []
    lock = threading.Lock()

    def take(business) -> None:  # noqa: ANN001
        try:
            barrier.wait(timeout=30)
            if path == "register":
                events.event_register(actor=officer, event=event, business=business)
            else:
                events.attendance_record(actor=officer, event=event, business=business, method="qr")
            outcome = "ok"
        except ApplicationError as error:
            outcome = error.code
        except Exception as error:  # noqa: BLE001 (reported below, never swallowed)
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=take, args=(b,)) for b in businesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3, outcomes
    assert EventRegistration.objects.filter(event=event, status="terdaftar").count() == 3
