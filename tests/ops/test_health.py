"""/healthz (database, worker heartbeat, disk, migrations) and the worker's heartbeat."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from naikkelas.ops import health
from naikkelas.ops.heartbeat import (
    FORGET_AFTER,
    Heartbeat,
    WorkerIdentity,
    heartbeat_beat,
    heartbeat_loop,
    start_heartbeat,
)
from naikkelas.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_cache() -> Iterator[None]:
    health._pending_cache.clear()
    yield
    health._pending_cache.clear()


@pytest.fixture
def roomy_disk(settings) -> None:  # noqa: ANN001
    settings.NAIKKELAS_DISK_MIN_FREE_MB = 0


def beat(*, seconds_ago: float = 0, pid: int = 4242) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        host="worker-host",
        pid=pid,
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(seconds=seconds_ago),
        version="0.1.0",
    )


def get_health(client):  # noqa: ANN001, ANN201
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


# --------------------------------------------------------------------------------------------
# /healthz
# --------------------------------------------------------------------------------------------


def test_all_well_is_ok(client, roomy_disk) -> None:  # noqa: ANN001
    beat(seconds_ago=5)
    response, body = get_health(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["ok"] is True and checks["database"]["latency_ms"] >= 0
    assert checks["worker"]["ok"] is True and 4 <= checks["worker"]["age_s"] < 60
    assert checks["worker"]["alive"] == 1
    assert checks["migrations"] == {"ok": True, "pending": 0}
    assert checks["disk"]["ok"] is True
    assert checks["disk"]["data_dir"]["free_mb"] > 0
    assert checks["disk"]["media_root"]["free_mb"] > 0
    assert "sessionid" not in response.cookies


def test_a_stale_worker_is_degraded_not_down(client, settings, roomy_disk) -> None:  # noqa: ANN001
    settings.NAIKKELAS_WORKER_STALE_SECONDS = 180
    beat(seconds_ago=600)
    response, body = get_health(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["alive"] == 0
    assert body["checks"]["worker"]["age_s"] >= 600


def test_no_worker_ever_seen_is_degraded(client, roomy_disk) -> None:  # noqa: ANN001
    response, body = get_health(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["last_seen"] is None


def test_no_worker_needed_with_the_immediate_backend(client, roomy_disk) -> None:  # noqa: ANN001
    with mock.patch.object(health, "worker_required", return_value=False):
        _response, body = get_health(client)
    assert body["status"] == "ok"
    assert body["checks"]["worker"] == {"ok": True, "required": False}


def test_low_disk_is_degraded(client, settings) -> None:  # noqa: ANN001
    beat()
    settings.NAIKKELAS_DISK_MIN_FREE_MB = 10**12  # an exabyte
    response, body = get_health(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["disk"]["data_dir"]["ok"] is False


def test_pending_migrations_fail(client, roomy_disk) -> None:  # noqa: ANN001
    beat()
    with mock.patch.object(health, "unapplied_migrations", return_value=["ops.0002_next"]):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["migrations"] == {"ok": False, "pending": 1}


def test_the_migration_files_are_read_again_only_when_the_database_record_changes() -> None:
    with mock.patch.object(health, "unapplied_migrations", return_value=[]) as plan:
        assert health.pending_migrations() == 0
        assert health.pending_migrations() == 0
        assert plan.call_count == 1
        MigrationRecorder(connections["default"]).record_applied("ops", "9999_somebody_migrated")
        assert health.pending_migrations() == 0
        assert plan.call_count == 2


def test_a_database_that_does_not_answer_gives_503_json(client, roomy_disk) -> None:  # noqa: ANN001
    broken = OperationalError("connection to server at 10.0.0.5 port 5432 failed: password")
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=broken):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["worker"]["skipped"] is True
    assert "10.0.0.5" not in response.content.decode()


def test_healthz_is_public_cheap_and_never_redirected(client, roomy_disk) -> None:  # noqa: ANN001
    beat()
    client.get("/healthz")  # the first report of a process reads the migration files
    with mock.patch.object(health, "unapplied_migrations", side_effect=AssertionError):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/healthz")
            elapsed = time.perf_counter() - started
    assert response.status_code == 200
    # SELECT 1, the migration record, the heartbeats; nothing for sessions or users
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert elapsed < 1.0  # generous: the machine is shared; typically a few milliseconds
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# --------------------------------------------------------------------------------------------
# The heartbeat
# --------------------------------------------------------------------------------------------


def worker(pid: int = 777) -> WorkerIdentity:
    return WorkerIdentity(
        host="box", pid=pid, started_at=timezone.now() - timedelta(minutes=5), version="0.1.0"
    )


def test_a_beat_creates_then_updates_the_workers_row() -> None:
    me = worker()
    first = heartbeat_beat(worker=me)
    later = timezone.now() + timedelta(seconds=30)
    second = heartbeat_beat(worker=me, now=later)
    assert first.pk == second.pk
    row = WorkerHeartbeat.objects.get()
    assert row.last_seen == later
    assert row.started_at == me.started_at
    assert (row.host, row.pid, row.version) == ("box", 777, "0.1.0")


def test_a_beat_forgets_workers_gone_for_a_day_but_keeps_recent_ones() -> None:
    long_gone = beat(seconds_ago=(FORGET_AFTER + timedelta(minutes=1)).total_seconds(), pid=1)
    died_lately = beat(seconds_ago=3600, pid=2)
    heartbeat_beat(worker=worker())
    remaining = set(WorkerHeartbeat.objects.values_list("pk", flat=True))
    assert long_gone.pk not in remaining
    assert died_lately.pk in remaining
    assert len(remaining) == 2


def test_the_heartbeat_survives_a_database_outage(caplog) -> None:  # noqa: ANN001
    """A failed beat is logged once, the loop goes on, and says when it is back."""
    heartbeat = Heartbeat(worker=worker(), interval=0.01)
    calls: list[int] = []

    def flaky(**kwargs: object) -> None:
        calls.append(1)
        if len(calls) in (1, 2):
            raise OperationalError("server closed the connection unexpectedly")
        if len(calls) >= 4:
            heartbeat.stop_event.set()

    with (
        caplog.at_level(logging.INFO, logger="naikkelas.ops.heartbeat"),
        mock.patch("naikkelas.ops.heartbeat.heartbeat_beat", side_effect=flaky),
    ):
        thread = threading.Thread(target=heartbeat_loop, args=(heartbeat,), daemon=True)
        thread.start()
        thread.join(10)
    assert not thread.is_alive()
    assert len(calls) == 4
    messages = [r.getMessage() for r in caplog.records if r.name == "naikkelas.ops.heartbeat"]
    assert messages == [
        "worker heartbeat not written (OperationalError); retrying every 0.01 s",
        "worker heartbeat written again",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_stamps_its_row_at_every_beat() -> None:
    heartbeat = start_heartbeat(interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not WorkerHeartbeat.objects.exists():
            time.sleep(0.02)
        first = WorkerHeartbeat.objects.get()
        while time.monotonic() < deadline:
            row = WorkerHeartbeat.objects.get()
            if row.last_seen > first.last_seen:
                break
            time.sleep(0.02)
    finally:
        heartbeat.stop()
    assert row.pid == heartbeat.worker.pid and row.last_seen > first.last_seen
    assert heartbeat.thread is not None and heartbeat.thread.daemon
    assert not heartbeat.thread.is_alive()
