"""The background jobs page (/operasi/tugas/): who may see it, what it shows and hides, and
the audited retry of a failed task."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_tasks_db.models import DBTaskResult

from naikkelas.accounts.models import Role
from naikkelas.core.daily import enqueue_due
from naikkelas.core.models import AuditEvent
from naikkelas.intake.models import BatchStatus, ImportBatch
from naikkelas.intake.tasks import import_batch_run_task
from naikkelas.kendala.tasks import kendala_escalate_task
from naikkelas.ops import jobs
from naikkelas.ops.models import TaskRetry, WorkerHeartbeat
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NIK = "3273010101019001"
PHONE = "0812-0000-9001"


@pytest.fixture
def admin(client):  # noqa: ANN001, ANN201
    user = make_user(Role.ADMIN, "admin-ops")
    client.force_login(user)
    return user


def failed_import_task(batch_id: str | None = None, actor_id: int | None = 7) -> DBTaskResult:
    """An import task that failed with personal data in its error (as a careless message
    could carry)."""
    queued = import_batch_run_task.enqueue(batch_id or str(uuid.uuid4()), actor_id)
    result = DBTaskResult.objects.get(pk=queued.id)
    try:
        raise ValueError(f"owner NIK {NIK} phone {PHONE} rejected")
    except ValueError as error:
        result.set_failed(error)
    return result


# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args_kwargs", "shown"),
    [
        (
            {"args": ["8d1f0b6a-3c55-4b0e-9e0a-2a7f1c9d4e21", 7], "kwargs": {}},
            "8d1f0b6a-3c55-4b0e-9e0a-2a7f1c9d4e21, 7",
        ),
        ({"args": [], "kwargs": {"actor_id": None, "dry": True}}, "actor_id=None, dry=True"),
        ({"args": ["Siti Rohmah", NIK, "08120000900"], "kwargs": {"nik": NIK}}, "…, …, …, nik=…"),
        ({"args": [[1, 2], {"a": 1}], "kwargs": {}}, "…, …"),
        ({}, ""),
        (None, ""),
    ],
)
def test_only_ids_are_shown_of_a_tasks_arguments(args_kwargs: object, shown: str) -> None:
    assert jobs.safe_args(args_kwargs) == shown


def test_numbers_count_as_ids_only_below_a_billion() -> None:
    """Larger numbers may be phone numbers (8123456789) or a NIK kept as a number."""
    args = [999_999_999, "999999999", 8_123_456_789, "8123456789", int(NIK), "0812345"]
    assert jobs.safe_args({"args": args}) == "999999999, 999999999, …, …, …, …"


def test_the_error_summary_is_the_last_line_masked_and_short() -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
        f"ValueError: owner {NIK} mail siti@example.com {'x' * 500}\n"
    )
    summary = jobs.error_summary(exception_class_path="builtins.ValueError", traceback=traceback)
    assert summary.startswith("ValueError: owner [NIK] mail [EMAIL] xxx")
    assert len(summary) == jobs.SUMMARY_LENGTH and summary.endswith("…")
    assert jobs.error_summary(exception_class_path="a.b.Boom", traceback="") == "Boom"


def test_durations_read_naturally() -> None:
    with override("id"):
        assert jobs.format_duration(0.42) == "0,4 dtk"
        assert jobs.format_duration(42) == "42 dtk"
        assert jobs.format_duration(185) == "3 mnt 5 dtk"
        assert jobs.format_duration(7440) == "2 jam 4 mnt"


def test_an_unknown_status_filter_means_all() -> None:
    assert jobs.status_filter("FAILED") == "FAILED"
    assert jobs.status_filter("DROP TABLE") is None
    assert jobs.status_filter(None) is None


# --------------------------------------------------------------------------------------------
# Who may see it
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_the_administrator_sees_the_jobs_page(role: Role) -> None:
    client = Client()
    client.force_login(make_user(role, f"ops-{role}"))
    assert client.get(reverse("ops:jobs")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:  # noqa: ANN001
    response = client.get(reverse("ops:jobs"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_is_linked_from_the_administration_menu(client, admin) -> None:  # noqa: ANN001
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert reverse("ops:jobs") in page


# --------------------------------------------------------------------------------------------
# What it shows
# --------------------------------------------------------------------------------------------


def test_the_page_shows_tasks_imports_daily_jobs_and_workers(client, admin) -> None:  # noqa: ANN001
    # given
    now = timezone.now()
    failed = failed_import_task()
    import_batch_run_task.enqueue(str(uuid.uuid4()), None)
    batch = ImportBatch.objects.create(
        source="kelurahan-uji",
        file_name="daftar-kasemen.xlsx",
        file_sha256="a" * 64,
        file_format="xlsx",
        status=BatchStatus.FAILED,
        error=f"Row 12: NIK {NIK} invalid\nmore",
        started_at=now - timedelta(minutes=5),
    )
    enqueue_due(today=timezone.localdate())
    WorkerHeartbeat.objects.create(
        host="box-1", pid=321, started_at=now - timedelta(hours=2), last_seen=now, version="0.1.0"
    )
    WorkerHeartbeat.objects.create(
        host="box-2",
        pid=654,
        started_at=now - timedelta(hours=3),
        last_seen=now - timedelta(hours=1),
    )

    # when
    response = client.get(reverse("ops:jobs"))

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "intake.tasks.import_batch_run_task" in page
    assert reverse("ops:task_detail", args=[failed.pk]) in page
    assert reverse("ops:task_retry", args=[failed.pk]) in page
    assert "ValueError: owner NIK [NIK] phone [PHONE] rejected" in page
    assert reverse("intake:batch_detail", args=[batch.pk]) in page
    assert "Row 12: NIK [NIK] invalid" in page
    assert "kendala.escalate" in page
    assert "box-1" in page and "box-2" in page
    assert "tidak terdengar" in page  # box-2 is gone
    assert NIK not in page and "0812-0000-9001" not in page


def test_the_status_filter_narrows_the_list(client, admin) -> None:  # noqa: ANN001
    failed = failed_import_task()
    waiting = import_batch_run_task.enqueue(str(uuid.uuid4()), None)
    page = client.get(reverse("ops:jobs"), {"status": "FAILED"}).content.decode()
    assert reverse("ops:task_detail", args=[failed.pk]) in page
    assert reverse("ops:task_detail", args=[waiting.id]) not in page
    assert "Gagal (1)" in page and "Menunggu (1)" in page


def test_the_detail_shows_the_masked_traceback_and_no_other_arguments(client, admin) -> None:  # noqa: ANN001
    queued = import_batch_run_task.enqueue(NIK, None)  # a NIK where an id belongs
    result = DBTaskResult.objects.get(pk=queued.id)
    try:
        raise RuntimeError(f"cannot read siti@example.com {PHONE}")
    except RuntimeError as error:
        result.set_failed(error)
    response = client.get(reverse("ops:task_detail", args=[result.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Traceback (most recent call last)" in page
    assert "RuntimeError: cannot read [EMAIL] [PHONE]" in page
    assert "…, None" in page
    for secret in (NIK, "siti@example.com", PHONE):
        assert secret not in page


def test_an_unknown_task_is_404(client, admin) -> None:  # noqa: ANN001
    assert client.get(reverse("ops:task_detail", args=[uuid.uuid4()])).status_code == 404


# --------------------------------------------------------------------------------------------
# Retry
# --------------------------------------------------------------------------------------------


def test_retry_queues_the_same_task_with_the_same_arguments_and_is_audited(client, admin) -> None:  # noqa: ANN001
    # given
    batch_id = str(uuid.uuid4())
    failed = failed_import_task(batch_id, 7)

    # when
    response = client.post(reverse("ops:task_retry", args=[failed.pk]))

    # then
    retry = TaskRetry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ops:task_detail", args=[retry.retry_task_id])
    new = DBTaskResult.objects.get(pk=retry.retry_task_id)
    assert new.status == "READY"
    assert new.task_path == failed.task_path == "naikkelas.intake.tasks.import_batch_run_task"
    assert new.args_kwargs == failed.args_kwargs == {"args": [batch_id, 7], "kwargs": {}}
    assert (new.queue_name, new.priority, new.backend_name) == (
        failed.queue_name,
        failed.priority,
        failed.backend_name,
    )
    assert retry.original_task_id == failed.pk and retry.attempt == 2
    assert retry.retried_by == admin
    event = AuditEvent.objects.get(action="task.retry")
    assert event.actor == admin
    assert event.object_id == str(failed.pk)
    assert event.extra == {
        "task": "intake.tasks.import_batch_run_task",
        "retry_task_id": str(new.pk),
        "attempt": 2,
    }
    assert event.ip_address == "127.0.0.1"
    # the new task's page knows where it came from; the old one where it went
    detail = client.get(reverse("ops:task_detail", args=[new.pk])).content.decode()
    assert reverse("ops:task_detail", args=[failed.pk]) in detail
    old = client.get(reverse("ops:task_detail", args=[failed.pk])).content.decode()
    assert reverse("ops:task_detail", args=[new.pk]) in old
    assert 'data-testid="retry"' not in old


def test_a_second_click_queues_nothing_more(client, admin) -> None:  # noqa: ANN001
    failed = failed_import_task()
    client.post(reverse("ops:task_retry", args=[failed.pk]))
    response = client.post(reverse("ops:task_retry", args=[failed.pk]), follow=True)
    assert str(jobs.TASK_ALREADY_RETRIED) in response.content.decode()
    assert DBTaskResult.objects.count() == 2
    assert AuditEvent.objects.filter(action="task.retry").count() == 1


def test_a_retry_that_fails_again_can_be_retried_as_the_third_attempt(admin) -> None:  # noqa: ANN001
    first = failed_import_task()
    second_id = jobs.task_retry(actor=admin, task_id=first.pk)
    second = DBTaskResult.objects.get(pk=second_id)
    second.set_failed(RuntimeError("again"))
    third_id = jobs.task_retry(actor=admin, task_id=second.pk)
    assert TaskRetry.objects.get(retry_task_id=third_id).attempt == 3
    assert jobs.task_get(task_id=third_id).attempt == 3


@pytest.mark.parametrize("status", ["READY", "RUNNING", "SUCCESSFUL"])
def test_only_failed_tasks_are_retried(admin, status: str) -> None:  # noqa: ANN001
    queued = kendala_escalate_task.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(status=status)
    with pytest.raises(jobs.ApplicationError) as raised:
        jobs.task_retry(actor=admin, task_id=queued.id)
    assert raised.value.code == "task_not_failed"
    assert not TaskRetry.objects.exists()


def test_a_task_whose_code_is_gone_is_not_retried(admin) -> None:  # noqa: ANN001
    failed = failed_import_task()
    DBTaskResult.objects.filter(pk=failed.pk).update(task_path="naikkelas.gone.tasks.old_task")
    with pytest.raises(jobs.ApplicationError) as raised:
        jobs.task_retry(actor=admin, task_id=failed.pk)
    assert raised.value.code == "task_gone"
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR, Role.PIMPINAN])
def test_others_cannot_retry(role: Role) -> None:
    failed = failed_import_task()
    client = Client()
    client.force_login(make_user(role, f"retry-{role}"))
    assert client.post(reverse("ops:task_retry", args=[failed.pk])).status_code == 403
    assert DBTaskResult.objects.count() == 1
    assert not AuditEvent.objects.filter(action="task.retry").exists()


def test_retry_is_post_only(client, admin) -> None:  # noqa: ANN001
    failed = failed_import_task()
    assert client.get(reverse("ops:task_retry", args=[failed.pk])).status_code == 405
    assert DBTaskResult.objects.count() == 1


def test_retry_needs_the_csrf_token(admin) -> None:  # noqa: ANN001
    failed = failed_import_task()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(reverse("ops:task_retry", args=[failed.pk])).status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_the_daily_job_is_matched_with_the_task_it_queued() -> None:
    today = timezone.localdate()
    started = enqueue_due(today=today)
    assert "kendala.escalate" in started
    runs = {run.name: run for run in jobs.daily_job_runs(today=today)}
    run = runs["kendala.escalate"]
    result = DBTaskResult.objects.get(task_path="naikkelas.kendala.tasks.kendala_escalate_task")
    assert run.task_id == result.pk and run.task_status == "READY"
