"""/metrics: off unless enabled, a token or the loopback rule, request metrics by URL name,
the installation's state read at scrape time, and several gunicorn workers added up."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.linkage.tasks import register_index_build_task
from naikkelas.ops.backup_names import backup_file_name
from naikkelas.ops.metrics import InstallationCollector, prepare_multiprocess_dir
from naikkelas.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_on(settings, tmp_path: Path) -> Path:  # noqa: ANN001
    settings.NAIKKELAS_METRICS_ENABLED = True
    settings.NAIKKELAS_METRICS_TOKEN = ""
    settings.NAIKKELAS_BACKUP_DIR = tmp_path / "backups"
    return tmp_path


def scrape(client: Client, **headers: str) -> dict[str, list]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    families = text_string_to_metric_families(response.content.decode())
    return {family.name: family.samples for family in families}


def value(samples: list, name: str, **labels: str) -> float:
    found = [s.value for s in samples if s.name == name and labels.items() <= s.labels.items()]
    assert found, f"no {name} {labels}"
    return sum(found)


# --------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------


def test_metrics_are_off_by_default(client) -> None:  # noqa: ANN001
    assert client.get("/metrics").status_code == 404


def test_a_token_is_required_when_one_is_set(metrics_on, settings) -> None:  # noqa: ANN001
    settings.NAIKKELAS_METRICS_TOKEN = "s3cret-token"
    client = Client()
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-token").status_code == 401
    assert "naikkelas_tasks" in scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token")
    # with a token, the address does not matter
    outside = Client(REMOTE_ADDR="203.0.113.7")
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


@pytest.mark.parametrize(
    ("remote", "headers", "allowed"),
    [
        ("127.0.0.1", {}, True),
        ("::1", {}, True),
        ("10.0.0.5", {}, False),
        ("203.0.113.7", {}, False),
        # through a reverse proxy on the same machine: not local, whatever REMOTE_ADDR says
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, False),
        ("127.0.0.1", {"HTTP_X_REAL_IP": "203.0.113.7"}, False),
        ("127.0.0.1", {"HTTP_FORWARDED": "for=203.0.113.7"}, False),
    ],
)
def test_without_a_token_only_this_machine_may_scrape(
    metrics_on,  # noqa: ANN001
    remote: str,
    headers: dict[str, str],
    allowed: bool,
) -> None:
    status = Client(REMOTE_ADDR=remote).get("/metrics", **headers).status_code
    assert status == (200 if allowed else 403)


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


def test_requests_are_counted_by_url_name_never_by_path(metrics_on) -> None:  # noqa: ANN001
    client = Client()  # set up after the setting: the middleware is in the chain
    batch_id = uuid.uuid4()
    before = scrape(client)
    client.get("/healthz")
    client.get(f"/impor/{batch_id}/")  # login redirect for an anonymous visitor
    client.get(f"/odk/c/s3cr3t-{batch_id}/formList")
    client.get("/tidak-ada-halaman-ini/")
    after = scrape(client)
    requests = after["naikkelas_http_requests"]

    def grew(**labels: str) -> float:
        old = [s for s in before.get("naikkelas_http_requests", []) if s.name.endswith("_total")]
        then = sum(s.value for s in old if labels.items() <= s.labels.items())
        return value(requests, "naikkelas_http_requests_total", **labels) - then

    assert grew(method="GET", view="ops:healthz", status="2xx") == 1
    assert grew(method="GET", view="intake:batch_detail", status="3xx") == 1
    assert grew(view="unresolved", status="4xx") >= 1
    latency = after["naikkelas_http_request_duration_seconds"]
    assert value(latency, "naikkelas_http_request_duration_seconds_count", view="ops:healthz") >= 1
    every_label = {v for samples in after.values() for s in samples for v in s.labels.values()}
    assert not any(str(batch_id) in label or "s3cr3t" in label for label in every_label)
    assert not any(label.startswith("/") for label in every_label)


def test_the_installation_state_is_read_at_scrape_time(metrics_on) -> None:  # noqa: ANN001
    now = timezone.now()
    # given: a queued task, a finished one that ran 30 s, a failed one
    register_index_build_task.enqueue()
    done = register_index_build_task.enqueue()
    DBTaskResult.objects.filter(pk=done.id).update(
        status="SUCCESSFUL",
        started_at=now - timedelta(seconds=40),
        finished_at=now - timedelta(seconds=10),
    )
    failed = register_index_build_task.enqueue()
    DBTaskResult.objects.get(pk=failed.id).set_failed(RuntimeError("boom"))
    # two finished imports (60 s and 90 s), one failed
    for n, seconds in enumerate((60, 90)):
        ImportBatch.objects.create(
            source="uji",
            file_name=f"daftar-{n}.csv",
            file_sha256=f"{n:064d}",
            file_format="csv",
            status=BatchStatus.DONE,
            rows_in=100 + n,
            started_at=now - timedelta(hours=2 - n, seconds=seconds),
            finished_at=now - timedelta(hours=2 - n),
        )
    ImportBatch.objects.create(
        source="uji",
        file_name="rusak.csv",
        file_sha256="f" * 64,
        file_format="csv",
        status=BatchStatus.FAILED,
    )
    WorkerHeartbeat.objects.create(
        host="box",
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(seconds=20),
    )
    backups = metrics_on / "backups"
    backups.mkdir()
    (backups / backup_file_name(now - timedelta(hours=5), encrypted=False)).write_bytes(b"x")

    # when
    metrics = scrape(Client())

    # then
    assert value(metrics["naikkelas_tasks"], "naikkelas_tasks", status="READY") == 1
    assert value(metrics["naikkelas_tasks"], "naikkelas_tasks", status="FAILED") == 1
    assert value(metrics["naikkelas_tasks"], "naikkelas_tasks", status="RUNNING") == 0
    task = "linkage.tasks.register_index_build_task"
    durations = metrics["naikkelas_task_duration_seconds"]
    assert value(
        durations, "naikkelas_task_duration_seconds_sum", task=task, status="SUCCESSFUL"
    ) == pytest.approx(30)
    assert (
        value(durations, "naikkelas_task_duration_seconds_count", task=task, status="SUCCESSFUL")
        == 1
    )
    assert (
        0
        <= value(
            metrics["naikkelas_task_oldest_ready_age_seconds"],
            "naikkelas_task_oldest_ready_age_seconds",
        )
        < 60
    )
    imports = metrics["naikkelas_import_batches"]
    assert value(imports, "naikkelas_import_batches", status="done") == 2
    assert value(imports, "naikkelas_import_batches", status="failed") == 1
    assert value(imports, "naikkelas_import_batches", status="running") == 0
    summary = metrics["naikkelas_import_duration_seconds"]
    assert value(summary, "naikkelas_import_duration_seconds_count") == 2
    assert value(summary, "naikkelas_import_duration_seconds_sum") == pytest.approx(150)
    assert value(
        metrics["naikkelas_import_last_duration_seconds"], "naikkelas_import_last_duration_seconds"
    ) == pytest.approx(90)
    assert value(metrics["naikkelas_import_last_rows"], "naikkelas_import_last_rows") == 101
    assert value(metrics["naikkelas_linkage_index_ready"], "naikkelas_linkage_index_ready") == 0
    assert value(metrics["naikkelas_workers_alive"], "naikkelas_workers_alive") == 1
    age = value(
        metrics["naikkelas_worker_heartbeat_age_seconds"], "naikkelas_worker_heartbeat_age_seconds"
    )
    assert 20 <= age < 80
    assert value(metrics["naikkelas_backups"], "naikkelas_backups") == 1
    backup_age = value(metrics["naikkelas_backup_age_seconds"], "naikkelas_backup_age_seconds")
    assert 5 * 3600 <= backup_age < 5 * 3600 + 60
    assert value(metrics["naikkelas_database_up"], "naikkelas_database_up") == 1
    assert value(metrics["naikkelas_build_info"], "naikkelas_build_info") == 1


def test_the_linkage_index_is_reported_once_built(metrics_on) -> None:  # noqa: ANN001
    from naikkelas.linkage.models import RegisterIndexState

    now = timezone.now()
    RegisterIndexState.objects.create(
        version="v",
        built_at=now - timedelta(hours=3),
        synced_to=now - timedelta(minutes=2),
        rows=11000,
    )
    metrics = scrape(Client())
    assert value(metrics["naikkelas_linkage_index_ready"], "naikkelas_linkage_index_ready") == 1
    assert value(metrics["naikkelas_linkage_index_rows"], "naikkelas_linkage_index_rows") == 11000
    built = value(
        metrics["naikkelas_linkage_index_age_seconds"], "naikkelas_linkage_index_age_seconds"
    )
    assert 3 * 3600 <= built < 3 * 3600 + 60


def test_the_collector_makes_a_handful_of_queries(
    metrics_on, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    for _ in range(5):
        register_index_build_task.enqueue()
    with django_assert_max_num_queries(5):
        families = list(InstallationCollector().collect())
    assert {f.name for f in families} >= {"naikkelas_tasks", "naikkelas_import_batches"}


def test_a_database_error_gives_database_up_0_not_a_failed_scrape(metrics_on) -> None:  # noqa: ANN001
    from unittest import mock

    from django.db import OperationalError

    with mock.patch("naikkelas.ops.metrics.task_families", side_effect=OperationalError("down")):
        metrics = scrape(Client())
    assert value(metrics["naikkelas_database_up"], "naikkelas_database_up") == 0
    assert "naikkelas_tasks" not in metrics
    assert "naikkelas_backups" in metrics


# --------------------------------------------------------------------------------------------
# Several gunicorn workers
# --------------------------------------------------------------------------------------------

RECORD = (
    "import django\ndjango.setup()\n"
    "from naikkelas.ops.metrics import record_request\n"
    "record_request(method='GET', view='ops:healthz', status=200, seconds=0.01)\n"
)
SCRAPE = (
    "import django\ndjango.setup()\n"
    "from prometheus_client import generate_latest\n"
    "from naikkelas.ops.metrics import scrape_registry\n"
    "print(generate_latest(scrape_registry()).decode())\n"
)


def test_request_metrics_of_several_processes_are_added_up(tmp_path: Path) -> None:
    """What `naikkelas serve` sets up: every gunicorn worker writes to the multiprocess
    directory; a scrape answered by any one of them sees them all."""
    directory = prepare_multiprocess_dir(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        NAIKKELAS_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="naikkelas.config.settings",
        PROMETHEUS_MULTIPROC_DIR=str(directory),
    )

    def run(script: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run(RECORD)
    run(RECORD)
    families = {f.name: f.samples for f in text_string_to_metric_families(run(SCRAPE))}
    requests = families["naikkelas_http_requests"]
    assert value(requests, "naikkelas_http_requests_total", view="ops:healthz", status="2xx") == 2
    # no tables in this empty installation: reported, not a failure
    assert value(families["naikkelas_database_up"], "naikkelas_database_up") == 0
    # a new `serve` starts from zero
    assert list(directory.glob("*.db"))
    prepare_multiprocess_dir(tmp_path)
    assert not list(directory.glob("*.db"))
