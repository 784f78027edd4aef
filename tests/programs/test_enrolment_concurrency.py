"""Capacity under concurrency: officers enrolling at the same moment never exceed the seats.

Real concurrent HTTP requests (one thread and one database connection per officer) against
PostgreSQL, where two transactions truly overlap. SQLite serialises writers itself (and the
test database there is an in-memory shared cache that refuses concurrent writers outright), so
the test runs on PostgreSQL only; CI runs the suite on both.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.programs import services
from naikkelas.programs.models import Application, ApplicationStatus, Enrolment, Programme
from naikkelas.registry.models import Business
from tests.conftest import load_reference_data, make_user
from tests.programs.conftest import business_in, new_cycle


def make_programme(officer) -> Programme:  # noqa: ANN001
    return services.programme_create(
        actor=officer, name="Kurasi Ritel", kind="ritel", organiser="dinas"
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_enrolments_never_exceed_the_capacity() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs truly concurrent transactions (PostgreSQL)")
    load_reference_data()  # a transactional test starts from an emptied database
    officers = [make_user(Role.DINAS, f"petugas-{i}") for i in range(8)]
    programme = make_programme(officers[0])
    cycle = new_cycle(officers[0], programme, capacity=8, rules=[])
    for i in range(8):
        business_in(f"36.73.0{i % 6 + 1}")
    services.applications_nominate_many(
        actor=officers[0], cycle=cycle, businesses=Business.objects.all()
    )
    services.cycle_publish(actor=officers[0], cycle=cycle)
    services.selection_run(actor=officers[0], cycle=cycle)
    selected = list(Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED))
    assert len(selected) == 8
    # The office learns the hall holds only three: seats are cut after selection.
    services.cycle_update(actor=officers[0], cycle=cycle, data={"capacity": 3})

    barrier = threading.Barrier(len(selected))
    statuses: list[int] = []
    lock = threading.Lock()

    def enrol(officer, application) -> None:  # noqa: ANN001
        client = Client()
        client.force_login(officer)
        url = reverse("programs:application_change", args=[application.pk, "enrol"])
        try:
            barrier.wait(timeout=30)
            response = client.post(url)
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=enrol, args=(officer, application))
        for officer, application in zip(officers, selected, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * 8  # every officer got an answer (a message), never a 500
    seats = sorted(Enrolment.objects.filter(cycle=cycle).values_list("seat", flat=True))
    assert seats == [1, 2, 3], f"{connection.vendor}: {seats}"


@pytest.mark.django_db(transaction=True)
def test_the_database_alone_refuses_a_seat_taken_at_the_same_moment() -> None:
    """Without the service's row lock: two raw inserts of seat 1 race; one wins."""
    if connection.vendor != "postgresql":
        pytest.skip("needs truly concurrent transactions (PostgreSQL)")
    load_reference_data()  # a transactional test starts from an emptied database
    from django.db import IntegrityError, transaction

    officer = make_user(Role.DINAS, "petugas-raw")
    programme = make_programme(officer)
    cycle = new_cycle(officer, programme, capacity=2, rules=[])
    for kecamatan in ("36.73.01", "36.73.02"):
        business_in(kecamatan)
    services.applications_nominate_many(
        actor=officer, cycle=cycle, businesses=Business.objects.all()
    )
    applications = list(Application.objects.filter(cycle=cycle))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def insert(application) -> None:  # noqa: ANN001
        try:
            with transaction.atomic():
                barrier.wait(timeout=30)
                Enrolment.objects.create(
                    cycle=cycle,
                    application=application,
                    business_id=application.business_id,
                    seat=1,
                    seat_limit=2,
                )
            outcomes.append("ok")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Enrolment.objects.filter(cycle=cycle).count() == 1
