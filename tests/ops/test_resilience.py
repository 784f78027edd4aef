"""Resilience (issue 12): fast variants of the scripts in ``bench/resilience``.

The scripts run a real installation in child processes (``naikkelas worker``,
``naikkelas serve``) and kill them with SIGKILL; here they run on small inputs against a
copy of one prepared installation (SQLite, or scratch PostgreSQL databases when the suite
runs on PostgreSQL). A failing check prints the script's whole report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.resilience import kill_web_submission, kill_worker_import
from bench.resilience.common import Instance, new_instance, prepare
from django.utils import timezone

from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.intake.services import import_batch_stage
from naikkelas.intake.tasks import import_batch_run_task, import_batches_resume_interrupted
from naikkelas.linkage.services import register_index
from naikkelas.linkage.services.register_index import (
    IndexBuildRunningError,
    register_index_ready,
    register_index_rebuild,
)
from tests.factories import make_business, make_owner
from tests.ops.conftest import ON_POSTGRES, POSTGRES_SERVER_URL, require_postgres_server


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """Migrated, reference data, the census form, an officer and three enumerators."""
    if ON_POSTGRES:
        require_postgres_server()
    root = tmp_path_factory.mktemp("resilience")
    instance = new_instance(root, "template", postgres=ON_POSTGRES, server=POSTGRES_SERVER_URL)
    try:
        yield prepare(instance, enumerators=3)
    finally:
        instance.drop()


def test_a_worker_killed_mid_import_leaves_whole_chunks_and_a_new_worker_finishes_it(
    installation: Instance, tmp_path: Path
) -> None:
    chunk = int(installation.info["chunk_size"])
    report = kill_worker_import.run(
        tmp_path,
        rows=3 * chunk,  # killed in the second chunk; the third is left even on a fast machine
        register=0,
        postgres=ON_POSTGRES,
        seed=11,
        kill_at=(1 / 3,),
        base=installation,
        parallel_reference=True,
        quiet=True,
    )
    assert report.ok, report.text()
    names = " ".join(check.name for check in report.checks)
    assert "whole chunks only" in names and "same outcome for every row" in names


def test_submissions_resent_after_the_web_server_was_killed_are_stored_once(
    installation: Instance, tmp_path: Path
) -> None:
    report = kill_web_submission.run(
        tmp_path,
        submissions=30,
        enumerators=3,
        photo_kb=100,
        kills=1,
        postgres=ON_POSTGRES,
        seed=11,
        through_register=False,
        base=installation,
        quiet=True,
    )
    assert report.ok, report.text()
    names = " ".join(check.name for check in report.checks)
    assert "answered 202" in names and "stored exactly once" in names


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _claim_build_as(pid: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state a worker with ``pid`` leaves when it begins a build (and is then killed)."""
    with monkeypatch.context() as patch:
        patch.setattr(os, "getpid", lambda: pid)
        register_index._begin_build(timezone.now())


def test_an_index_build_whose_worker_was_killed_is_taken_over_at_once(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a build cut off by SIGKILL kept the index unusable for an hour, because
    the next worker's build was refused as "running" (bench/resilience/kill_worker_linkage)."""
    make_business(owner=make_owner(full_name="Agus Salim"), name="Mebel Agus")
    _claim_build_as(_dead_pid(), monkeypatch)
    assert not register_index_ready()
    assert register_index_rebuild() == 1
    assert register_index_ready()
    # a build by a live process on this host is still left alone
    _claim_build_as(os.getppid(), monkeypatch)
    with pytest.raises(IndexBuildRunningError):
        register_index_rebuild()


def _queued_batch() -> ImportBatch:
    name = "google_form.csv"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
    batch, _created = import_batch_stage(
        actor=None, path=fixtures / name, file_name=name, source=name
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_a_batch_left_queued_by_a_worker_killed_before_claiming_it_is_run_again(
    django_capture_on_commit_callbacks,
) -> None:
    """Regression: a worker killed after taking a batch's task and before claiming the batch
    left it queued for ever (no task left; not resumable from the page, the API or the
    command), found with a row lock on PostgreSQL (bench/resilience/kill_worker_import)."""
    batch = _queued_batch()  # its task died with the worker
    with django_capture_on_commit_callbacks() as callbacks:
        assert import_batches_resume_interrupted() == [str(batch.pk)]
    assert len(callbacks) == 1
    import_batch_run_task.call(str(batch.pk))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.rows_in == batch.accounted > 0
    # the task that was still waiting when the worker started finds the run over
    runs = AuditEvent.objects.filter(action="import.run").count()
    import_batch_run_task.call(str(batch.pk))
    assert AuditEvent.objects.filter(action="import.run").count() == runs
