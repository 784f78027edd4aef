"""The stored blocking index of the register: feature rows and blocking keys in tables.

The online check (``linkage.candidates``) must answer in under a second at a million
businesses. Featurising every business of the record's kelurahan per request cannot (15,000
rows in a dense synthetic city); reading the businesses that share one of the record's
blocking keys can: one indexed lookup of some twenty 64-bit key hashes, then a few dozen
stored rows (ADR 0012).

* :func:`register_index_rebuild` featurises the whole register and writes
  :class:`~naikkelas.linkage.models.RegisterRow` and
  :class:`~naikkelas.linkage.models.RegisterKey` (``naikkelas manage linkage_index``; the
  worker runs it when the index is missing or was built by other code).
* :func:`register_index_sync` brings the index up to date with the register from the
  ``updated_at`` stamps of businesses and owners and the creation stamps of ownerships. It
  runs before every check, costs two indexed queries when nothing changed, and needs no
  write path to remember it: imports, merges, edits and erasures all stamp what they touch.
  Changes are re-read from a little before the last sync (:data:`SYNC_SLACK`, two minutes),
  because a transaction that stamped a row before the last sync may have committed after it.
* :func:`register_index_ready` says whether the index may be used; until then the check
  falls back to loading the kelurahan (correct, slower at scale).

Stored rows are derived data; the version (a hash of the code that makes rows and keys,
and of the area) tells when a new release makes them stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from naikkelas.core import text as core_text
from naikkelas.core.bulk_write import bulk_insert
from naikkelas.linkage import features as features_module
from naikkelas.linkage import model as model_module
from naikkelas.linkage import normalise as normalise_module
from naikkelas.linkage import places as places_module
from naikkelas.linkage.features import FeatureMaker
from naikkelas.linkage.model import blocking_keys
from naikkelas.linkage.models import RegisterIndexState, RegisterKey, RegisterRow
from naikkelas.linkage.places import kelurahan_resolver
from naikkelas.registry.models import Business, BusinessOwner, BusinessStatus, OwnerRole

__all__ = [
    "SYNC_SLACK",
    "IndexBuildRunningError",
    "index_version",
    "key_hash",
    "register_index_rebuild",
    "register_index_ready",
    "register_index_sync",
    "register_ownerships",
    "register_record",
    "sector_code",
]

# Changes stamped this long before the last sync are read again: a transaction may commit
# after a sync what it stamped before it. Longer than any write transaction of the product
# (an import commits chunk by chunk, seconds each; merges and edits take milliseconds).
SYNC_SLACK = timedelta(minutes=2)
_CHUNK = 2000  # businesses per query / write
_VALUES = (
    "business_id",
    "owner_id",
    "business__name",
    "business__phone",
    "business__address",
    "business__desa_kelurahan_id",
    "business__sector_id",
    "business__nib",
    "business__updated_at",
    "owner__full_name",
    "owner__nik",
    "owner__phone",
    "owner__address",
    "owner__updated_at",
)


def key_hash(key: Sequence[Any]) -> int:
    """A blocking key (``("owner_kel", "siti aminah", "3673011001")``) as a signed 64-bit
    integer. A collision only adds a candidate, which scoring then judges."""
    text = "\x1f".join("" if part is None else str(part) for part in key)
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


@cache
def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in (core_text, normalise_module, features_module, model_module, places_module):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def index_version() -> str:
    """Changes whenever stored rows or keys would come out differently: the code that makes
    them, or the area whose kelurahan names resolve to codes."""
    digest = hashlib.sha256(f"{_code_fingerprint()}|{settings.NAIKKELAS_AREA_CODE}".encode())
    return digest.hexdigest()[:32]


def sector_code(text: str) -> str | None:
    """A register business's sector as a feature (its code; \"lainnya\" is no sector)."""
    code = text.strip()
    return code if code and code != "lainnya" else None  # "lainnya" tells nothing


def register_maker(area_code: str) -> FeatureMaker:
    """How register businesses are featurised (the online check's register side)."""
    return FeatureMaker(place=kelurahan_resolver(area_code), sector=sector_code)


def register_record(values: Mapping[str, Any]) -> dict[str, Any]:
    """An ownership row (:data:`_VALUES` or ``candidates``' values) in canonical columns."""
    return {
        "owner_name": values["owner__full_name"],
        "nik": values["owner__nik"] or "",
        "business_name": values["business__name"],
        "phone": values["business__phone"] or values["owner__phone"] or "",
        "address": values["business__address"] or values["owner__address"] or "",
        "kelurahan": values["business__desa_kelurahan_id"] or "",
        "sector": values["business__sector_id"] or "",
        "nib": values["business__nib"] or "",
    }


def register_ownerships(condition: Q) -> Iterator[dict[str, Any]]:
    """Main ownerships (one per business: a database constraint) of active businesses and
    unmerged owners matching ``condition``, as the values :func:`register_record` reads."""
    # "owner not merged" is checked here, not in SQL: given ``merged_into IS NULL``, SQLite
    # drives the join from the owners' merged_into index (every owner) and probes the
    # business-id list for each, ~2.5 ms per business of a sync after a large import instead
    # of one index lookup per business. Merged owners are few; their rows are dropped below.
    rows = (
        BusinessOwner.objects.filter(
            condition,
            ~Q(business__status=BusinessStatus.MERGED),
            role=OwnerRole.PEMILIK,
        )
        .order_by()
        .values(*_VALUES, "owner__merged_into_id")
        .iterator(chunk_size=_CHUNK)
    )
    return (row for row in rows if row.pop("owner__merged_into_id") is None)


def _write(maker: FeatureMaker, values: Iterable[dict[str, Any]]) -> int:
    rows: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for v in values:
        row = maker.row(register_record(v), str(v["business_id"]))
        rows.append(
            {
                "business_id": v["business_id"],
                "owner_id": v["owner_id"],
                "row": json.dumps(row, ensure_ascii=False, separators=(",", ":")),
                "business_updated": v["business__updated_at"],
                "owner_updated": v["owner__updated_at"],
            }
        )
        keys.extend(
            {"key": key_hash(key), "business_id": v["business_id"]} for key in blocking_keys(row)
        )
    bulk_insert(RegisterRow, rows)
    bulk_insert(RegisterKey, keys)
    return len(rows)


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class IndexBuildRunningError(Exception):
    """Another build of the stored index is running (started less than an hour ago by a
    process that is still alive, as far as this host can tell)."""


_BUILDING = "building"
_BUILD_STALE = timedelta(hours=1)


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:12]


def _builder() -> str:
    """The state's version while this process builds: ``building:<host>:<pid>``."""
    return f"{_BUILDING}:{_host_tag()}:{os.getpid()}"


def _builder_gone(version: str) -> bool:
    """True when ``version`` names a build by a process of this host that no longer exists
    (a worker killed half way): it is taken over at once instead of after an hour."""
    _building, _sep, rest = version.partition(":")
    host, _sep, pid = rest.partition(":")
    if host != _host_tag() or not pid.isdigit() or int(pid) == os.getpid():
        return False  # another machine's build, or an older release's: only time tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by another user
    return False


def _begin_build(started: datetime) -> None:
    """Mark the index unusable (checks fall back, nobody waits on it) and claim the build."""
    with transaction.atomic():
        state = RegisterIndexState.objects.select_for_update().filter(pk=1).first()
        if (
            state is not None
            and state.version.partition(":")[0] == _BUILDING
            and started - state.built_at < _BUILD_STALE
            and not _builder_gone(state.version)
        ):
            raise IndexBuildRunningError(f"a build started at {state.built_at:%Y-%m-%d %H:%M}")
        RegisterIndexState.objects.update_or_create(
            pk=1,
            defaults={"version": _builder(), "built_at": started, "synced_to": started, "rows": 0},
        )


def _empty_and_drop_key_indexes() -> None:
    """Empty both tables; on PostgreSQL also drop the key table's indexes (a million
    businesses make some fifteen million keys: indexing them once after loading is several
    times faster than maintaining the indexes row by row). SQLite, the laptop database,
    keeps them (its schema editor cannot run inside a transaction)."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            RegisterKey.objects.all().delete()
            RegisterRow.objects.all().delete()
        return
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (RegisterKey, RegisterRow)
    )
    with transaction.atomic():
        connection.check_constraints()  # pending foreign key checks forbid TRUNCATE too
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
            for index in RegisterKey._meta.indexes:  # IF EXISTS: a build that died
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")


def _create_key_indexes() -> None:
    if connection.vendor != "postgresql":
        return
    with transaction.atomic():
        # foreign keys are checked at commit; inside a caller's transaction their pending
        # checks would forbid CREATE INDEX: run them now
        connection.check_constraints()
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, RegisterKey._meta.db_table)
        with connection.schema_editor() as editor:
            for index in RegisterKey._meta.indexes:
                if index.name not in existing:
                    editor.add_index(RegisterKey, index)


def register_index_rebuild(*, progress: Any = None) -> int:
    """Featurise every active register business and replace the stored index; returns the
    number of rows.

    Checks are never held up: the index is marked unusable first (they fall back to loading
    the kelurahan), rows are written in chunks of their own transactions, the key indexes
    are built once at the end, and the index becomes usable again with its change mark at
    the start of the build -- the first sync then reads what changed meanwhile. A build
    that dies leaves the index unusable, and the next worker start builds it again (a build
    whose process on this host is gone is taken over at once; another host's, after an
    hour).

    Raises:
        IndexBuildRunningError: another build started less than an hour ago and its
            process is alive (or on another host).
    """
    maker = register_maker(settings.NAIKKELAS_AREA_CODE)
    started = timezone.now()
    _begin_build(started)
    _empty_and_drop_key_indexes()
    written = 0
    try:
        for chunk in _chunks(register_ownerships(Q())):
            with transaction.atomic():
                written += _write(maker, chunk)
            if progress is not None:
                progress(written)
    finally:
        _create_key_indexes()
    with transaction.atomic():
        RegisterIndexState.objects.filter(pk=1).update(
            version=index_version(), built_at=started, synced_to=started, rows=written
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the lookups' plans
            cursor.execute(f"ANALYZE {connection.ops.quote_name(RegisterKey._meta.db_table)}")
    return written


def register_index_ready() -> bool:
    """Whether the stored index was built by this code for this area."""
    return RegisterIndexState.objects.filter(pk=1, version=index_version()).exists()


def _changed_since(since: datetime) -> set[Any]:
    """Businesses whose stored row may differ from the register: stamped since ``since``
    themselves, through their main owner, or given a new main ownership -- and not already
    stored with those stamps (three anti-joins over the indexed stamps, so a quiet register
    or a re-read of an import already synced returns next to nothing)."""
    stored_business = RegisterRow.objects.filter(
        business_id=OuterRef("pk"), business_updated=OuterRef("updated_at")
    )
    changed = set(
        Business.objects.filter(updated_at__gte=since)
        .exclude(Exists(stored_business))
        .order_by()
        .values_list("pk", flat=True)
    )
    main = BusinessOwner.objects.filter(role=OwnerRole.PEMILIK).order_by()
    stored_owner = RegisterRow.objects.filter(
        business_id=OuterRef("business_id"),
        owner_id=OuterRef("owner_id"),
        owner_updated=OuterRef("owner__updated_at"),
    )
    changed.update(
        main.filter(owner__updated_at__gte=since)
        .exclude(Exists(stored_owner))
        .values_list("business_id", flat=True)
    )
    stored_ownership = RegisterRow.objects.filter(
        business_id=OuterRef("business_id"), owner_id=OuterRef("owner_id")
    )
    changed.update(
        main.filter(created_at__gte=since)
        .exclude(Exists(stored_ownership))
        .values_list("business_id", flat=True)
    )
    return changed


def _refresh(maker: FeatureMaker, business_ids: Iterable[Any]) -> tuple[int, int]:
    """Re-featurise the businesses whose stamps or owner differ from their stored row, drop
    the rows of businesses no longer active; returns (rows changed, change in row count)."""
    changed = delta = 0
    for chunk in _chunks(business_ids):
        current = {v["business_id"]: v for v in register_ownerships(Q(business_id__in=chunk))}
        stored = {
            b: (o, bu, ou)
            for b, o, bu, ou in RegisterRow.objects.filter(business_id__in=chunk).values_list(
                "business_id", "owner_id", "business_updated", "owner_updated"
            )
        }
        stale = [
            b
            for b in chunk
            if b in stored
            and (
                b not in current
                or stored[b]
                != (
                    current[b]["owner_id"],
                    current[b]["business__updated_at"],
                    current[b]["owner__updated_at"],
                )
            )
        ]
        fresh = [v for b, v in current.items() if b not in stored or b in stale]
        if stale:
            RegisterKey.objects.filter(business_id__in=stale).delete()
            RegisterRow.objects.filter(business_id__in=stale).delete()
        if fresh:
            _write(maker, fresh)
        changed += len(set(stale) | {v["business_id"] for v in fresh})
        delta += len(fresh) - len(stale)
    return changed, delta


def register_index_sync(*, business_ids: Iterable[Any] = ()) -> int | None:
    """Bring the stored index up to date with the register (plus ``business_ids``, which a
    caller knows changed); returns the number of rows changed, or ``None`` when there is no
    usable index (the caller falls back; the worker rebuilds).

    A quiet register costs reads only: the write transaction (a lock on the state row; on
    SQLite the database's write lock) is taken only when something changed or the change
    mark is due to move, so an officer's check does not queue behind an import's chunk."""
    business_ids = set(business_ids)
    state = RegisterIndexState.objects.filter(pk=1, version=index_version()).first()
    if state is None:
        return None
    now = timezone.now()
    due = now - state.synced_to > SYNC_SLACK / 4
    if not due and not business_ids and not _changed_since(state.synced_to - SYNC_SLACK):
        return 0
    with transaction.atomic():
        state = (
            RegisterIndexState.objects.select_for_update()
            .filter(pk=1, version=index_version())
            .first()
        )
        if state is None:
            return None
        todo = _changed_since(state.synced_to - SYNC_SLACK) | business_ids
        changed, delta = (
            _refresh(register_maker(settings.NAIKKELAS_AREA_CODE), todo) if todo else (0, 0)
        )
        if changed or now - state.synced_to > SYNC_SLACK / 4:
            # a quiet register still moves the mark now and then, so the re-read window of
            # late commits does not grow
            state.synced_to = max(state.synced_to, now)
            state.rows += delta
            state.save(update_fields=["synced_to", "rows"])
        return changed
