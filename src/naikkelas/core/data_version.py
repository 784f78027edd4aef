"""The data version: when may a cached aggregate be reused? (ADR 0018)

Every change to the data the dashboards count writes a marker row (``core.DataChange``) *in
the same transaction* as the change: a first write in a transaction inserts a row, later
writes in it give that row a new random token. The version a reader sees is (number of
markers, highest id, its token): it changes exactly when a committed change becomes visible
to the reader, in every process and on both databases, and a rolled-back change leaves
nothing behind (a later change reusing the same id gets another token). So a cache entry
keyed on the version is never served for data it was not computed from, and no process has to
tell another one to forget anything (a per-process memory cache is enough).

Writes are noticed three ways: model signals (``post_save``, ``m2m_changed``) of the apps the
dashboards read, ``core.bulk_write`` (which bypasses signals), and ``core.audit.audit_log`` for
write actions (services that delete or use ``QuerySet.update``).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import get_language

T = TypeVar("T")

# Apps whose rows the dashboards and reports count.
TRACKED_APPS = frozenset(
    {
        "registry",
        "programs",
        "kendala",
        "market",
        "intake",
        "linkage",
        "fieldwork",
        "reports",
        "association",
    }
)
# Derived tables no dashboard counts (the stored linkage index is rebuilt from the register).
UNTRACKED_MODELS = frozenset(
    {"linkage.registerrow", "linkage.registerkey", "linkage.registerindexstate"}
)
PRUNE_EVERY = 500  # markers; older ones are deleted by the writer of every 500th
CACHE_SECONDS = 24 * 3600


class _Marker:
    """The on-commit callback that remembers this transaction's marker row."""

    def __init__(self, row_id: int) -> None:
        self.row_id = row_id

    def __call__(self) -> None:  # nothing to do at commit: the row itself is the signal
        pass


def _current_marker() -> _Marker | None:
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _Marker):
            return entry[1]
    return None


def note_data_change() -> None:
    """Record that the data changed (call inside the writing transaction)."""
    from naikkelas.core.models import DataChange

    token = secrets.token_hex(16)
    if connection.in_atomic_block:
        marker = _current_marker()
        if marker is not None:
            DataChange.objects.filter(pk=marker.row_id).update(token=token)
            return
    row = DataChange.objects.create(token=token)
    if row.id % PRUNE_EVERY == 0:
        DataChange.objects.filter(id__lt=row.id - PRUNE_EVERY).delete()
    if connection.in_atomic_block:
        transaction.on_commit(_Marker(row.id))


def data_version() -> str:
    from naikkelas.core.models import DataChange

    with connection.cursor() as cursor:
        table = connection.ops.quote_name(DataChange._meta.db_table)
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), (SELECT token FROM {table} ORDER BY id DESC LIMIT 1) "  # noqa: S608
            f"FROM {table}"
        )
        count, highest, token = cursor.fetchone()
    return f"{count}.{highest or 0}.{token or '-'}"


def cached_aggregate(name: str, compute: Callable[[], T], *parts: Any) -> T:
    """``compute()``, reused while the data version (and ``parts``) stay the same."""
    arguments = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()  # noqa: S324
    key = f"naikkelas:agg:{name}:{data_version()}:{arguments}"
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def cached_by_data_version(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorate an aggregate selector (keyword arguments only): its result is cached per data
    version, arguments, language (labels are translated when computed) and deployment."""

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> T:
        return cached_aggregate(
            f"{fn.__module__}.{fn.__qualname__}",
            lambda: fn(**kwargs),
            get_language(),
            settings.NAIKKELAS_AREA_CODE,
            settings.NAIKKELAS_UMKM_ESTIMATE,
            *(f"{k}={v}" for k, v in sorted(kwargs.items())),
        )

    wrapper.uncached = fn  # type: ignore[attr-defined]
    return wrapper


def is_tracked(model: Any) -> bool:
    """Do the dashboards count rows of this model?"""
    meta = getattr(model, "_meta", None)
    return (
        meta is not None
        and model.__module__ != "__fake__"  # a migration's historical model: no marker yet
        and meta.app_label in TRACKED_APPS
        and meta.label_lower not in UNTRACKED_MODELS
    )


def _on_model_change(sender: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw") and is_tracked(sender):  # raw: loaddata
        note_data_change()


def connect_signals() -> None:
    """Saves and many-to-many changes. Not ``post_delete``: a delete listener makes Django give
    up fast (one-statement) deletes for every model, and every delete in the product goes
    through a service that writes the audit log (which notes the change)."""
    from django.db.models.signals import m2m_changed, post_save

    post_save.connect(_on_model_change, dispatch_uid="naikkelas.data_version.save")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="naikkelas.data_version.m2m")


def _on_m2m_change(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and is_tracked(instance):
        note_data_change()
