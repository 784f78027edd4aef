"""The task worker survives a database error (a full disk, a restarted PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from naikkelas import cli


def test_the_task_worker_starts_again_after_a_database_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs: list[str] = []
    naps: list[float] = []

    def db_worker(name: str, **options: object) -> None:
        runs.append(name)
        if len(runs) < 3:
            raise OperationalError("database or disk is full")

    monkeypatch.setattr("django.core.management.call_command", db_worker)
    monkeypatch.setattr("time.sleep", naps.append)
    cli.run_task_worker()
    assert runs == ["db_worker"] * 3  # two failures, then a normal stop
    assert naps == [cli.WORKER_RETRY_SECONDS] * 2
    assert "dicoba lagi" in capsys.readouterr().err


def test_other_errors_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str, **options: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.core.management.call_command", broken)
    with pytest.raises(RuntimeError):
        cli.run_task_worker()
