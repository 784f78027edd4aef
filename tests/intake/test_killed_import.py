"""A killed import: whole chunks done, the rest pending, never half-promoted; it then resumes.

The import runs in a real child process (`naikkelas import`) on its own database (a SQLite file,
or a fresh PostgreSQL database when the suite runs on PostgreSQL) and is killed with SIGKILL
after its first chunk commits, as a crashed worker or a power cut would stop it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.intake.services.processing import (
    CHUNK_SIZE,
    import_batch_can_resume,
    import_batches_interrupted,
)
from tests.fixtures.intake.make_fixtures import write_large_xlsx

SETUP = (
    "from django.core.management import call_command;"
    "call_command('migrate', verbosity=0);"
    "from naikkelas.regions.services import region_catalogue_load;"
    "region_catalogue_load(within=('36.73',));"
    "from naikkelas.registry.services import sector_catalogue_load;"
    "sector_catalogue_load()"
)

Query = Callable[[str], Any]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[dict[str, str], Query]]:
    """Environment for child processes, and a function reading one value from their DB."""
    env = {**os.environ, "NAIKKELAS_DATA_DIR": str(tmp_path / "data")}
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        db = settings.DATABASES["default"]
        server = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER'] or 'postgres'}"
        name = f"naikkelas_kill_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        )

        def query(sql: str) -> Any:
            with psycopg.connect(f"{server} dbname={name}") as conn:
                return conn.execute(sql).fetchone()[0]  # type: ignore[index]

        yield env, query
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        import sqlite3

        path = tmp_path / "kill.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def query(sql: str) -> Any:
            with sqlite3.connect(path, timeout=10) as conn:
                return conn.execute(sql).fetchone()[0]

        yield env, query


def naikkelas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "naikkelas.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_killed_import_keeps_whole_chunks_and_resumes(
    tmp_path: Path, database: tuple[dict[str, str], Query]
) -> None:
    env, query = database
    assert naikkelas(env, "manage", "shell", "-c", SETUP).returncode == 0
    rows = 8 * CHUNK_SIZE
    path = write_large_xlsx(tmp_path / "besar.xlsx", rows=rows, seed=11)

    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "naikkelas.cli", "import", str(path), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    done = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and child.poll() is None:
            try:
                done = query("SELECT count(*) FROM intake_importrow WHERE status <> 'pending'")
            except Exception:  # noqa: BLE001 (tables not there yet, or locked for a moment)
                done = 0
            if done >= CHUNK_SIZE:
                break
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert CHUNK_SIZE <= done < rows, "the import was not caught mid-run"

    # killed: whole chunks done, the rest pending, and nothing promoted without its row
    assert query("SELECT status FROM intake_importbatch") == BatchStatus.RUNNING
    pending = query("SELECT count(*) FROM intake_importrow WHERE status = 'pending'")
    finished = rows - pending
    assert pending > 0 and finished % CHUNK_SIZE == 0
    promoted = query("SELECT count(*) FROM intake_importrow WHERE status = 'promoted'")
    assert query("SELECT count(*) FROM registry_business") == promoted
    assert (
        query(
            "SELECT count(*) FROM intake_importrow WHERE status = 'promoted' AND business_id IS NULL"
        )
        == 0
    )

    # importing the same file again resumes the run (its process is gone) and finishes it
    again = naikkelas(env, "import", str(path), "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["rows_in"] == rows and summary["accounted_ok"] is True
    assert summary["already_imported"] is True
    assert query("SELECT status FROM intake_importbatch") == BatchStatus.DONE
    assert query("SELECT count(*) FROM intake_importrow WHERE status = 'pending'") == 0
    # no business twice: one per promoted row, each row's reference once
    assert query("SELECT count(*) FROM registry_business") == summary["promoted"]
    assert query("SELECT count(DISTINCT source_ref) FROM registry_business") == summary["promoted"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_interrupted_runs_are_found_by_heartbeat_or_by_their_dead_process() -> None:
    host = socket.gethostname()
    now = timezone.now()

    def running(runner: str, *, silent_for: timedelta = timedelta(0)) -> ImportBatch:
        batch = ImportBatch.objects.create(
            source="uji",
            file_name=f"{runner}.csv",
            file_sha256=uuid.uuid4().hex * 2,
            file_format="csv",
            status=BatchStatus.RUNNING,
            runner=runner,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(updated_at=now - silent_for)
        batch.refresh_from_db()
        return batch

    dead_here = running(f"{host}:{_dead_pid()}")
    alive_here = running(f"{host}:{os.getpid()}")
    elsewhere_recent = running("server-lain:4242")
    elsewhere_silent = running("server-lain:4243", silent_for=timedelta(minutes=10))

    found = {b.pk for b in import_batches_interrupted()}
    assert found == {dead_here.pk, elsewhere_silent.pk}
    assert import_batch_can_resume(dead_here)
    assert not import_batch_can_resume(alive_here)
    assert not import_batch_can_resume(elsewhere_recent)


@pytest.mark.django_db
def test_a_starting_worker_queues_the_interrupted_runs_again(
    django_capture_on_commit_callbacks,
) -> None:
    from naikkelas.intake.tasks import import_batches_resume_interrupted

    batch = ImportBatch.objects.create(
        source="uji",
        file_name="putus.csv",
        file_sha256="3" * 64,
        file_format="csv",
        status=BatchStatus.RUNNING,
        runner=f"{socket.gethostname()}:{_dead_pid()}",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert import_batches_resume_interrupted() == [str(batch.pk)]
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED


def _staged_batch() -> ImportBatch:
    from naikkelas.intake.services import import_batch_stage

    name = "google_form.csv"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
    batch, _created = import_batch_stage(
        actor=None, path=fixtures / name, file_name=name, source=name
    )
    return batch


@pytest.mark.django_db
def test_a_batch_running_in_a_live_process_is_not_run_twice() -> None:
    from naikkelas.core.exceptions import ApplicationError
    from naikkelas.intake.services import import_batch_run

    batch = _staged_batch()
    # another live process on this host (the test runner's parent) is running it
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, runner=f"{socket.gethostname()}:{os.getppid()}"
    )
    with pytest.raises(ApplicationError) as caught:
        import_batch_run(actor=None, batch=batch)
    assert caught.value.code == "import_busy"
    assert not batch.rows.exclude(status="pending").exists()
    # once that process is gone, the run is taken over and finishes
    ImportBatch.objects.filter(pk=batch.pk).update(runner=f"{socket.gethostname()}:{_dead_pid()}")
    done = import_batch_run(actor=None, batch=batch)
    assert done.status == BatchStatus.DONE
    assert done.rows_in == done.promoted + done.linked + done.quarantined + done.duplicates_in_file


@pytest.mark.django_db
def test_a_run_that_lost_its_claim_stops_and_leaves_the_batch_alone(monkeypatch) -> None:
    from naikkelas.core.exceptions import ApplicationError
    from naikkelas.intake.services import import_batch_run, processing

    batch = _staged_batch()
    original = processing._process_chunk

    def taken_over(**kwargs: Any) -> None:
        original(**kwargs)
        # meanwhile another process claimed the batch
        ImportBatch.objects.filter(pk=batch.pk).update(runner="server-lain:1")

    monkeypatch.setattr(processing, "CHUNK_SIZE", 5)
    monkeypatch.setattr(processing, "_process_chunk", taken_over)
    with pytest.raises(ApplicationError) as caught:
        import_batch_run(actor=None, batch=batch)
    assert caught.value.code == "import_taken_over"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and batch.runner == "server-lain:1"
    assert batch.rows.exclude(status="pending").count() == 5  # only the first chunk
