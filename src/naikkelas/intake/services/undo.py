"""Undoing a whole import while nothing downstream depends on it (set-based)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    ForeignObject,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.intake.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from naikkelas.intake.services.processing import IMPORT_BUSY, import_batch_is_stale
from naikkelas.linkage.models import CandidateStatus, MatchCandidate
from naikkelas.registry.models import (
    Business,
    BusinessAssignment,
    BusinessOwner,
    MarketChannel,
    Membership,
    Owner,
    Permit,
    YearlyFigure,
)

UNDO_BLOCKED = gettext_noop(
    "Impor ini tidak dapat dibatalkan: %(n)s usaha darinya sudah diubah atau dipakai setelah "
    "impor (%(why)s)."
)
# Rows written by one import chunk share a timestamp; later work is seconds or days later.
SAME_MOMENT = timedelta(seconds=5)
# Children of a business: one written later than the business means someone worked on it.
_CHILDREN: tuple[tuple[type[Any], str], ...] = (
    (BusinessOwner, "created_at"),
    (YearlyFigure, "updated_at"),
    (Permit, "updated_at"),
    (MarketChannel, "updated_at"),
    (Membership, "updated_at"),
    (BusinessAssignment, "created_at"),
)


def import_batch_can_undo(batch: ImportBatch) -> bool:
    """Whether the batch's state allows an undo (what it created may still refuse it)."""
    if batch.status in (BatchStatus.STAGED, BatchStatus.DONE, BatchStatus.FAILED):
        return True
    return import_batch_is_stale(batch)  # a run whose worker was killed


def _blockers(batch: ImportBatch, created: QuerySet[Any], owners: QuerySet[Any]) -> dict[str, int]:
    """What depends on the import, as ``{reason: number of records}``; empty when none."""
    late = F("created_at") + SAME_MOMENT
    worked_on: set[Any] = set()
    for model, stamp in _CHILDREN:
        worked_on.update(
            model.objects.filter(business__in=created)
            .filter(**{f"{stamp}__gt": F("business__created_at") + SAME_MOMENT})
            .values_list("business_id", flat=True)
        )
    worked_on.update(
        BusinessOwner.objects.filter(business__in=created)
        .values("business_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("business_id", flat=True)
    )
    other_rows = ImportRow.objects.exclude(batch=batch)
    counts = {
        _("diubah"): Business.objects.filter(pk__in=created, updated_at__gt=late).count(),
        _("digabung"): Business.objects.filter(merged_into__in=created)
        .values("merged_into")
        .distinct()
        .count(),
        _("data terkait ditambah"): len(worked_on),
        _("dirujuk impor lain"): other_rows.filter(business__in=created)
        .values("business_id")
        .distinct()
        .count(),
        _("pemilik dirujuk impor lain"): other_rows.filter(owner__in=owners)
        .values("owner_id")
        .distinct()
        .count(),
        # consents and data requests are counted below, with every other reverse relation
        _("pemilik sudah diubah atau punya akun"): owners.filter(
            Q(updated_at__gt=late) | Q(user__isnull=False)
        ).count(),
    }
    known = {model for model, _stamp in _CHILDREN} | {ImportRow, Business, Owner}
    for rel in [*Business._meta.related_objects, *Owner._meta.related_objects]:
        referring = cast(type[Model], rel.related_model)
        if referring in known or not isinstance(rel.field, ForeignObject):
            continue
        # a consent, a data request, a programme, a kendala (apps built later) refers to it
        target = created if rel.model is Business else owners.values("pk")
        referrers = referring._default_manager.filter(**{f"{rel.field.name}__in": target})
        if referring is MatchCandidate:
            # The engine's open suggestions go with the records; a decision stays and blocks.
            referrers = referrers.exclude(status__in=_ENGINE_OUTPUT)
        key = str(referring._meta.verbose_name_plural)  # several FKs may share one model
        counts[key] = counts.get(key, 0) + referrers.count()
    return {reason: n for reason, n in counts.items() if n}


_ENGINE_OUTPUT = (CandidateStatus.PENDING, CandidateStatus.SUPERSEDED)


def _delete_where_pk_in(model: type[Any], keys: QuerySet[Any]) -> int:
    """``DELETE FROM table WHERE pk IN (sub-query)``: one statement, without the ORM's
    collector (which loads every row and sets or cascades each relation in batches)."""
    sql, params = keys.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)  # noqa: S608
        return int(cursor.rowcount)


@transaction.atomic
def import_batch_undo(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Remove the businesses (and new owners) this batch created and mark it undone.

    Set-based: a handful of queries whatever the size of the import. Refused when any of
    them was changed after the import, gained data the import did not create (permits, figures,
    other owners, assignments), was merged into, is referenced by another import, or when one
    of its new owners was edited, gave consent, asked for their data or has an account. Linked
    rows only pointed at existing records; those stay.

    Raises:
        ApplicationError: the batch is queued or running (``import_busy``), or something
            depends on what it created (``import_undo_blocked``).
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.UNDONE:
        return batch
    if not import_batch_can_undo(batch):
        raise ApplicationError(_(IMPORT_BUSY), code="import_busy")
    promoted = batch.rows.filter(status=RowStatus.PROMOTED)
    created = promoted.exclude(business__isnull=True).values("business_id")
    # Owners this run created (new since it started) that own nothing outside this batch.
    owners = Owner.objects.filter(
        pk__in=promoted.exclude(owner__isnull=True).values("owner_id"),
        source="import",
        created_at__gte=batch.started_at or batch.created_at,
    ).exclude(
        # NOT EXISTS, not NOT IN: PostgreSQL runs a NOT IN whose list outgrows work_mem once
        # per owner (quadratic; a 100,000-row undo took minutes)
        Exists(BusinessOwner.objects.filter(owner=OuterRef("pk")).exclude(business__in=created))
    )
    blockers = _blockers(batch, created, owners)
    if blockers:
        why = ", ".join(f"{reason}: {n}" for reason, n in blockers.items())
        raise ApplicationError(
            _(UNDO_BLOCKED) % {"n": max(blockers.values()), "why": why},
            code="import_undo_blocked",
        )
    business_count = Business.objects.filter(pk__in=created).count()
    owner_count = owners.count()
    # Sub-queries, not id lists: no parameter limit whatever the size. Nothing else refers to
    # these rows (checked above); the batch's own rows still point at them until the end of
    # the transaction, which the deferred foreign keys allow.
    for model, _stamp in _CHILDREN:
        model.objects.filter(business__in=created).delete()
    MatchCandidate.objects.filter(
        Q(left_business__in=created)
        | Q(right_business__in=created)
        | Q(left_owner__in=owners.values("pk"))
        | Q(right_owner__in=owners.values("pk")),
        status__in=_ENGINE_OUTPUT,
    ).delete()
    doomed_owners = Owner.objects.filter(pk__in=owners.values("pk"), ownerships__isnull=True)
    _delete_where_pk_in(Business, created)
    _delete_where_pk_in(Owner, doomed_owners.values("pk"))
    batch.rows.update(business=None, owner=None)
    batch.status = BatchStatus.UNDONE
    batch.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="import.undo",
        instance=batch,
        extra={"businesses": business_count, "owners": owner_count},
    )
    return batch
