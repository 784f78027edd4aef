"""Validate, link and promote staged rows, chunk by chunk; resumable after a crash.

Each chunk is one transaction: its rows' fates and the businesses they created commit
together, so a killed import leaves whole chunks done and the rest pending, never a row
promoted without its status (or the reverse). Running again continues with pending rows.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log
from naikkelas.core.bulk_write import bulk_update
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services.linking import ImportLinker, linkage_record
from naikkelas.intake.validation import Context, FieldIssue, RowResult, validate_row
from naikkelas.linkage.services.register_index import register_index_sync
from naikkelas.regions.catalogue import kecamatan_digit_codes
from naikkelas.regions.lookup import Candidate, NameIndex
from naikkelas.regions.selectors import desa_kelurahan_list, kecamatan_list
from naikkelas.registry.models import (
    Business,
    BusinessOwner,
    BusinessStatus,
    Membership,
    Owner,
    Source,
)
from naikkelas.registry.services.bulk import NewBusiness, business_bulk_register

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
IMPORT_BUSY = gettext_noop("Impor sedang diproses; tunggu sampai selesai.")
Progress = Callable[[int, int], None]


def build_context(batch: ImportBatch) -> Context:
    kelurahan = NameIndex(
        Candidate(r.code, r.name, r.parent_id)
        for r in desa_kelurahan_list().only("code", "name", "parent_id")
    )
    kecamatan = NameIndex(Candidate(r.code, r.name, r.parent_id) for r in kecamatan_list())
    return Context(
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        known_regions=kecamatan_digit_codes(),
        today=timezone.localdate(),
        omzet_period=batch.options.get("omzet_period"),
        default_year=batch.options.get("year"),
        default_desa_kelurahan=batch.options.get("default_desa_kelurahan"),
    )


def row_data(batch: ImportBatch, row: ImportRow) -> dict[str, Any]:
    """The row as ``{canonical field: raw cell}``, with the officer's corrections on top."""
    data: dict[str, Any] = {}
    for column in batch.layout.get(row.sheet, {}).get("columns", []):
        field_name = column["field"]
        if field_name and field_name != "row_id" and column["index"] < len(row.raw):
            data[field_name] = row.raw[column["index"]]
    data.update(dict(row.corrections.items()))
    return data


def _issues(result: RowResult) -> list[dict[str, str]]:
    return [issue.as_dict() for issue in result.issues]


def _link(results: dict[int, RowResult]) -> tuple[dict[str, Business], dict[str, Owner]]:
    """Businesses already in the register by NIB, owners by NIK (exact matches only; the
    linkage engine replaces this)."""
    nibs = {r.business["nib"] for r in results.values() if r.business.get("nib")}
    niks = {r.owner["nik"] for r in results.values() if r.owner.get("nik")}
    # Filter on the indexed key only and drop the default ordering: "merged_into IS NULL"
    # would lead SQLite's planner to the merged_into index, i.e. to every owner.
    by_nib = {
        b.nib: b
        for b in Business.objects.filter(nib__in=nibs).order_by()
        if b.nib and b.status != BusinessStatus.MERGED
    }
    by_nik = {
        o.nik: o
        for o in Owner.objects.filter(nik__in=niks).order_by()
        if o.nik and o.merged_into_id is None
    }
    return by_nib, by_nik


class FirstRows:
    """Fingerprint → the batch's first promoted or linked row with it (in-file duplicates).

    A whole run loads the map once; corrections of a few rows ask the database only for the
    fingerprints at hand (an indexed lookup), not for all 100,000 of a big batch.
    """

    def __init__(self, batch: ImportBatch, *, preload: bool) -> None:
        self._rows = batch.rows.exclude(fingerprint="").filter(
            status__in=[RowStatus.PROMOTED, RowStatus.LINKED]
        )
        self._known: dict[str, int] = {}
        self._complete = preload
        if preload:
            self._known = dict(self._rows.order_by("-pk").values_list("fingerprint", "pk"))

    def load(self, fingerprints: Iterable[str]) -> None:
        if self._complete:
            return
        missing = sorted({f for f in fingerprints if f and f not in self._known})
        if missing:
            found = self._rows.filter(fingerprint__in=missing).order_by("-pk")
            self._known.update(found.values_list("fingerprint", "pk"))

    def get(self, fingerprint: str) -> int | None:
        return self._known.get(fingerprint)

    def add(self, fingerprint: str, pk: int) -> None:
        self._known[fingerprint] = pk


def _process_chunk(
    *,
    actor: Any,
    batch: ImportBatch,
    rows: Sequence[ImportRow],
    ctx: Context,
    seen: FirstRows,
    linker: ImportLinker,
) -> None:
    results = {row.pk: validate_row(row_data(batch, row), ctx) for row in rows}
    seen.load(r.fingerprint()[:255] for r in results.values() if r.ok)
    by_nib, by_nik = _link({pk: r for pk, r in results.items() if r.ok})
    features = {
        pk: linker.features(pk, linkage_record(r.owner, r.business))
        for pk, r in results.items()
        if r.ok
    }
    linker.prefetch(list(features.values()))
    members_taken = set(
        Membership.objects.filter(
            number__in=[r.member_number for r in results.values() if r.member_number]
        ).values_list("number", flat=True)
    )
    to_create: list[tuple[ImportRow, NewBusiness]] = []
    for row in rows:
        result = results[row.pk]
        row.issues = _issues(result)
        if not result.ok:
            row.status = RowStatus.QUARANTINED
            continue
        row.fingerprint = result.fingerprint()[:255]
        first = seen.get(row.fingerprint)
        if first is not None:
            row.status, row.duplicate_of_id = RowStatus.DUPLICATE, first
            continue
        seen.add(row.fingerprint, row.pk)
        nib = result.business.get("nib")
        if nib and nib in by_nib:
            business = by_nib[nib]
            row.status, row.business_id = RowStatus.LINKED, business.pk
            main = BusinessOwner.objects.filter(business=business, role="pemilik").first()
            row.owner_id = main.owner_id if main else None
            continue
        owner = by_nik.get(result.owner.get("nik") or "")
        decision = linker.decide(
            row.pk, features[row.pk], nik_owner=owner.pk if owner is not None else None
        )
        if decision.kind == "linked":
            row.status, row.business_id = RowStatus.LINKED, decision.business_id
            row.owner_id = decision.owner_id
            continue
        if decision.kind == "duplicate":
            row.status, row.duplicate_of_id = RowStatus.DUPLICATE, decision.duplicate_of_row
            continue
        owner_id = decision.owner_id
        member = result.member_number
        if member and member in members_taken:
            row.issues.append(
                FieldIssue(
                    "member_number",
                    "member_number_taken",
                    "Nomor anggota sudah dipakai usaha lain; tidak dicatat.",
                    "warning",
                ).as_dict()
            )
            member = ""
        if member:
            members_taken.add(member)
        linker.pending(row.pk, decision.reviews)
        to_create.append(
            (
                row,
                NewBusiness(
                    business=result.business,
                    owner=result.owner if owner_id is None else {},
                    owner_id=owner_id,
                    figure=result.figure,
                    permits=result.permits,
                    channels=result.channels,
                    member_number=member,
                    source_ref=row.reference,
                ),
            )
        )
    _promote(actor=actor, batch=batch, to_create=to_create)
    for row, _item in to_create:
        linker.promoted(row.pk, row.business_id, row.owner_id)
    linker.record_reviews()
    _save_rows(rows)


ROW_FIELDS = ("status", "issues", "fingerprint", "duplicate_of", "business", "owner")
_ROW_ATTNAMES = (
    "id",
    "status",
    "issues",
    "fingerprint",
    "duplicate_of_id",
    "business_id",
    "owner_id",
)


def _save_rows(rows: Sequence[ImportRow]) -> None:
    """Write the rows' fates in one go (``bulk_update`` builds a CASE expression per field over
    the whole chunk, which cost more than validating the rows; see ADR 0009)."""
    bulk_update(
        ImportRow,
        ROW_FIELDS,
        ({name: getattr(row, name) for name in _ROW_ATTNAMES} for row in rows),
    )


_BATCH_SOURCES = {"odk": Source.ODK, "self": Source.SELF}


def _promote(
    *, actor: Any, batch: ImportBatch, to_create: list[tuple[ImportRow, NewBusiness]]
) -> None:
    """Create the new businesses; rows of one new owner (same NIK) share that owner."""
    owner_of_nik: dict[str, Any] = {}
    first_pass: list[tuple[ImportRow, NewBusiness]] = []
    later: list[tuple[ImportRow, NewBusiness]] = []
    for row, item in to_create:
        nik = item.owner.get("nik") if item.owner_id is None else None
        if nik and nik in owner_of_nik:
            later.append((row, item))
        else:
            if nik:
                owner_of_nik[nik] = None
            first_pass.append((row, item))
    for group in (first_pass, later):
        if not group:
            continue
        for _row, item in group:
            nik = item.owner.get("nik")
            if item.owner_id is None and nik and owner_of_nik.get(nik) is not None:
                item.owner_id, item.owner = owner_of_nik[nik], {}
        created = business_bulk_register(
            actor=actor,
            items=[item for _row, item in group],
            audit_extra={"import_batch": str(batch.pk)},
            # rows of ODK Collect submissions and self-registrations (fieldwork) are no file
            source=_BATCH_SOURCES.get(batch.file_format, Source.IMPORT),
        )
        for (row, item), (owner_id, business_id) in zip(group, created, strict=True):
            row.status, row.owner_id, row.business_id = RowStatus.PROMOTED, owner_id, business_id
            nik = item.owner.get("nik")
            if nik:
                owner_of_nik[nik] = owner_id


def _recount(batch: ImportBatch) -> None:
    counts = dict(batch.rows.values_list("status").annotate(n=Count("pk")).order_by())
    batch.promoted = counts.get(RowStatus.PROMOTED, 0)
    batch.linked = counts.get(RowStatus.LINKED, 0)
    batch.quarantined = counts.get(RowStatus.QUARANTINED, 0)
    batch.duplicates_in_file = counts.get(RowStatus.DUPLICATE, 0)
    batch.rows_in = sum(counts.values())


def _chunks(batch: ImportBatch, statuses: Iterable[str]) -> Iterable[list[ImportRow]]:
    last = 0
    while True:
        chunk = list(
            batch.rows.filter(status__in=list(statuses), pk__gt=last).order_by("pk")[:CHUNK_SIZE]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def import_batch_run(
    *, actor: Any, batch: ImportBatch, progress: Progress | None = None
) -> ImportBatch:
    """Process every pending row of a batch (resumes where a killed run stopped).

    The run claims the batch first: a batch another live process is running is refused, and
    a run that lost its claim (taken over after a long silence) stops before its next chunk.

    Raises:
        ApplicationError: the batch is running elsewhere (``import_busy``) or was undone.
    """
    me = this_process()
    with transaction.atomic():
        claimed = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if claimed.status == BatchStatus.UNDONE or (
            claimed.status == BatchStatus.RUNNING and not import_batch_is_stale(claimed)
        ):
            raise ApplicationError(_(IMPORT_BUSY), code="import_busy")
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.RUNNING,
            started_at=claimed.started_at or timezone.now(),
            error="",
            runner=me,
        )
    batch.refresh_from_db()
    ctx = build_context(batch)
    seen = FirstRows(batch, preload=True)
    linker = ImportLinker(batch_ref=str(batch.pk))
    total = batch.rows.count()
    done = total - batch.rows.filter(status=RowStatus.PENDING).count()
    synced = time.monotonic()
    sync_ok = True
    try:
        for chunk in _chunks(batch, [RowStatus.PENDING]):
            with transaction.atomic():
                # heartbeat (a RUNNING batch whose updated_at stops moving was interrupted),
                # and proof that this process still owns the run
                if not ImportBatch.objects.filter(pk=batch.pk, runner=me).update(
                    updated_at=timezone.now()
                ):
                    raise ApplicationError(
                        _("Impor diambil alih oleh proses lain."), code="import_taken_over"
                    )
                _process_chunk(
                    actor=actor, batch=batch, rows=chunk, ctx=ctx, seen=seen, linker=linker
                )
            done += len(chunk)
            if progress is not None:
                progress(done, total)
            if sync_ok and time.monotonic() - synced > INDEX_SYNC_SECONDS:
                # one failure (e.g. a nearly full disk) ends the syncing of this run: each
                # retry would redo a growing backlog; the end of the run tries once more
                sync_ok = _index_sync()
                synced = time.monotonic()
    except Exception as error:
        # a run that lost its claim leaves the batch to the process that took it over
        ImportBatch.objects.filter(pk=batch.pk, runner=me).update(
            status=BatchStatus.FAILED, error=str(error)[:2000]
        )
        raise
    with transaction.atomic():
        batch.refresh_from_db()
        _recount(batch)
        batch.status = BatchStatus.DONE
        batch.finished_at = timezone.now()
        batch.save()
        audit_log(
            actor=actor,
            action="import.run",
            instance=batch,
            source=batch.source,
            extra={
                "rows_in": batch.rows_in,
                "promoted": batch.promoted,
                "linked": batch.linked,
                "quarantined": batch.quarantined,
                "duplicates_in_file": batch.duplicates_in_file,
            },
        )
    _index_sync()
    return batch


# The stored blocking index of the online duplicate check is brought up to date by the run
# itself, every so often and at the end: otherwise the first check after a large import
# catches up inside an officer's request (ADR 0012).
INDEX_SYNC_SECONDS = 20.0


def _index_sync() -> bool:
    """Sync the stored index; False when it failed (it is derived data: the next check or
    the worker syncs it)."""
    try:
        register_index_sync()
    except DatabaseError as error:
        logger.warning(
            "import: the duplicate-check index was not synced (%s)", type(error).__name__
        )
        return False
    return True


STALE_AFTER = timedelta(minutes=5)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _runner_gone(runner: str) -> bool:
    """True when ``runner`` ("host:pid") was a process on this host that no longer exists."""
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only the heartbeat can tell
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by another user
    return False


def import_batch_is_stale(batch: ImportBatch) -> bool:
    """A run that stopped without finishing (worker killed): no heartbeat for
    :data:`STALE_AFTER`, or its process on this host is gone. It may be resumed."""
    if batch.status != BatchStatus.RUNNING:
        return False
    return batch.updated_at < timezone.now() - STALE_AFTER or _runner_gone(batch.runner)


def import_batch_can_resume(batch: ImportBatch) -> bool:
    return batch.status == BatchStatus.FAILED or import_batch_is_stale(batch)


def import_batches_interrupted() -> list[ImportBatch]:
    """Runs whose worker died (for the worker to resume when it starts)."""
    running = ImportBatch.objects.filter(status=BatchStatus.RUNNING).order_by("created_at")
    return [batch for batch in running if import_batch_is_stale(batch)]


@transaction.atomic
def import_rows_correct(
    *, actor: Any, batch: ImportBatch, corrections: Mapping[int, Mapping[str, Any]]
) -> dict[int, ImportRow]:
    """Apply officers' corrections ``{row id: {field: value}}`` to quarantined rows of one
    batch and process those rows again, chunk by chunk (the quarantine Excel round trip sends
    thousands at once). Rows of other batches and rows no longer quarantined are left as they
    are. Returns the rows by id with their new status.

    Raises:
        ApplicationError: the import is not finished (queued, running or undone).
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (BatchStatus.DONE, BatchStatus.FAILED):
        raise ApplicationError(
            _("Baris hanya bisa diperbaiki setelah impor selesai."), code="import_not_finished"
        )
    rows = {
        row.pk: row
        for row in batch.rows.select_for_update().filter(pk__in=list(corrections)).order_by("pk")
    }
    fixable = [row for row in rows.values() if row.status == RowStatus.QUARANTINED]
    for row in fixable:
        row.corrections = {**row.corrections, **dict(corrections[row.pk].items())}
        row.status = RowStatus.PENDING
    bulk_update(
        ImportRow,
        ("corrections", "status"),
        ({"id": r.pk, "corrections": r.corrections, "status": r.status} for r in fixable),
    )
    if fixable:
        ctx = build_context(batch)
        seen = FirstRows(batch, preload=False)
        linker = ImportLinker(batch_ref=str(batch.pk))
        for start in range(0, len(fixable), CHUNK_SIZE):
            _process_chunk(
                actor=actor,
                batch=batch,
                rows=fixable[start : start + CHUNK_SIZE],
                ctx=ctx,
                seen=seen,
                linker=linker,
            )
        _recount(batch)
        batch.save(
            update_fields=[
                "rows_in",
                "promoted",
                "linked",
                "quarantined",
                "duplicates_in_file",
                "updated_at",
            ]
        )
        fields = sorted({name for row in fixable for name in corrections[row.pk]})
        audit_log(
            actor=actor,
            action="import.row_correct",
            instance=batch,
            extra={
                "rows": [row.pk for row in fixable][:1000],
                "count": len(fixable),
                "fields": fields,
                "statuses": dict(Counter(row.status for row in fixable)),
            },
        )
    return rows


def import_row_correct(*, actor: Any, row: ImportRow, corrections: dict[str, Any]) -> ImportRow:
    """Apply an officer's corrections to one quarantined row and process it again (a row
    that is not quarantined is returned unchanged).

    Raises:
        ApplicationError: the import is not finished (queued, running or undone).
    """
    done = import_rows_correct(actor=actor, batch=row.batch, corrections={row.pk: corrections})
    return done.get(row.pk, row)
