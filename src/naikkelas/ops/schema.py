"""The database schema against the code: which migrations are still to be applied."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``app.name`` of every migration the code has and the database has not applied yet,
    in the order ``migrate`` would apply them."""
    executor = MigrationExecutor(connections[using])
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _backwards in executor.migration_plan(targets)]
