"""Background jobs of record linkage (django-tasks; run by `naikkelas worker`)."""

from __future__ import annotations

from django_tasks import task

from naikkelas.linkage.services.register_index import (
    register_index_ready,
    register_index_rebuild,
)


@task()
def register_index_build_task() -> int:
    """Build the stored index of the online check when it is missing or was built by
    another release (a new release changes how rows are made). Returns the rows written,
    0 when the index was usable already."""
    if register_index_ready():
        return 0
    return register_index_rebuild()


def register_index_enqueue_if_needed() -> bool:
    """Queue a build when the index is not usable (called when a worker starts)."""
    if register_index_ready():
        return False
    register_index_build_task.enqueue()
    return True
