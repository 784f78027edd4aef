from django.contrib import admin

from naikkelas.core.admin import ReadOnlyAdmin
from naikkelas.ops.models import TaskRetry, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("host", "pid", "version", "started_at", "last_seen")
    ordering = ("-last_seen",)


@admin.register(TaskRetry)
class TaskRetryAdmin(ReadOnlyAdmin):
    list_display = ("task_path", "attempt", "original_task_id", "retry_task_id", "retried_by")
    list_select_related = ("retried_by",)
    ordering = ("-retried_at",)
