"""Merging a duplicate business (or owner) into a survivor, and undoing it exactly.

A merge:

1. marks the merged record (``merged_into`` = survivor; a business also gets status "merged"),
   which frees its NIB/NIK for the survivor under the partial unique constraints;
2. gives the survivor the surviving field values (``linkage.survivorship``);
3. moves every child row of the merged record to the survivor, generically: every visible
   reverse foreign key or one-to-one from any installed app (``_meta.related_objects``), so
   apps added later (programme applications, aid ledger entries) move without changes here.
   Hidden relations (``related_name="+"``, e.g. an import row's provenance) keep pointing at
   the record they were about. Records merged into the merged one earlier are re-pointed to
   the survivor, so ``merged_into`` always names an active record (one hop, never a chain);
4. keeps every losing identifier as an ``AlternateIdentifier`` of the survivor;
5. stores in ``MergeRecord.snapshot`` everything an unmerge needs.

Moving and restoring rows is generic and lives in ``services.rows``.

Unique collisions while moving (the same owner on both businesses, a ``YearlyFigure`` of the
same year, a second ``Membership``): the survivor's row is kept and the merged record's row is
removed and stored verbatim (same primary key) in the snapshot, to be recreated by the unmerge.
A second main owner (pemilik) moves as co-owner (pemilik bersama); in an owner merge, when the
survivor only co-owns a business the merged owner ran, the survivor becomes its main owner.

Order of merges and unmerges: a merged record cannot be merged again, nor be a survivor, until
its merge is undone. An unmerge needs the survivor to be as the merge left it: not merged into
a third record since (undo that merge first: last merged, first unmerged), the fields the
merge set not changed since, the moved rows still there. Otherwise it is refused with the
reason; nothing is ever restored half-way.

Snapshot layout (JSON, values by attribute name, dates/decimals/UUIDs as text)::

    {"version": 1,
     "survivor": {"before": {attname: value, ...}, "after": {attname: value, ...}},
     "merged":   {"before": {...}, "after": {...}},      # "after": only what the merge changed
     "moved":    [{"model": "registry.permit", "pk": "...", "field": "business_id",
                   "old": "<merged pk>", "changed": {"role": "pemilik"}}],
     "adjusted": [{"model": "registry.businessowner", "pk": 7,
                   "before": {"role": "pemilik_bersama"}, "after": {"role": "pemilik"}}],
     "removed":  [{"model": "registry.yearlyfigure", "pk": 12, "values": {attname: value}}],
     "superseded": ["<candidate pk>", ...]}

For an owner merge the snapshot holds personal data (NIK, phone, address) exactly as the
owner rows do; ``linkage.services.privacy`` deletes them with the owner's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log, diff
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.text import compact_key
from naikkelas.linkage.models import (
    AlternateIdentifier,
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MatchSource,
    MergeRecord,
)
from naikkelas.linkage.selectors import (
    candidate_kecamatan,
    canonical_pair,
    match_candidate_for_pair,
)
from naikkelas.linkage.services.rows import (
    VOLATILE,
    changed_values,
    conflict,
    field_by_attname,
    load,
    move_children,
    restore_adjusted,
    restore_moved,
    restore_removed,
    values_of,
)
from naikkelas.linkage.survivorship import (
    BUSINESS_GROUPS,
    OWNER_GROUPS,
    FieldGroup,
    RecordFacts,
    business_is_verified,
    owner_is_verified,
    survive,
)
from naikkelas.registry.models import Business, BusinessStatus, Owner, YearlyFigure

MERGE_SAME_RECORD = gettext_noop("Data tidak dapat digabung dengan dirinya sendiri.")
MERGE_ALREADY_MERGED = gettext_noop(
    "Data ini sudah digabung ke data lain; pilih data tujuannya, atau batalkan penggabungan "
    "itu lebih dulu."
)
MERGE_ANONYMISED = gettext_noop(
    "Data pemilik ini sudah dihapus (dianonimkan) dan tidak dapat digabung."
)
MERGE_TWO_ACCOUNTS = gettext_noop(
    "Kedua pemilik punya akun masing-masing; nonaktifkan dan lepaskan salah satu akun sebelum "
    "digabung."
)
UNMERGE_DONE = gettext_noop("Penggabungan ini sudah dibatalkan.")
UNMERGE_REDACTED = gettext_noop(
    "Data pribadi dalam penggabungan ini sudah dihapus atas permintaan pemilik (UU PDP); "
    "pemisahan tidak dapat dilakukan."
)
UNMERGE_SURVIVOR_MERGED = gettext_noop(
    "Data tujuan sudah digabung lagi ke data lain; batalkan penggabungan itu lebih dulu."
)
UNMERGE_RECORD_CHANGED = gettext_noop(
    "Data sudah diubah setelah digabung (%(fields)s), sehingga pemisahan tidak dapat "
    "mengembalikan keadaan semula dengan persis."
)

SNAPSHOT_VERSION = 1
# Kept equal to the latest classified yearly figure: recomputed, not restored.
_DERIVED_BUSINESS = frozenset({"size_class", "size_class_year"})


# ---------------------------------------------------------------------------------------------
# The two levels
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    level: MatchLevel
    model: type[Business] | type[Owner]
    groups: tuple[FieldGroup, ...]
    name_field: str
    derived: frozenset[str]
    personal: bool

    @property
    def prefix(self) -> str:
        return self.level.value

    def facts(self, record: Any) -> RecordFacts:
        values = {f: getattr(record, f) for group in self.groups for f in group.fields}
        if self.level == MatchLevel.BUSINESS:
            verified = business_is_verified(source=record.source, nib=record.nib)
        else:
            verified = owner_is_verified(source=record.source, has_account=bool(record.user_id))
        return RecordFacts(
            values=values,
            verified=verified,
            updated_at=record.updated_at,
            created_at=record.created_at,
            key=str(record.pk),
        )


_BUSINESS = _Level(
    level=MatchLevel.BUSINESS,
    model=Business,
    groups=BUSINESS_GROUPS,
    name_field="name",
    derived=_DERIVED_BUSINESS,
    personal=False,
)
_OWNER = _Level(
    level=MatchLevel.OWNER,
    model=Owner,
    groups=OWNER_GROUPS,
    name_field="full_name",
    derived=frozenset(),
    personal=True,
)


def _lock_pair(spec: _Level, first: Any, second: Any) -> tuple[Any, Any]:
    """Both records, locked in primary-key order (no deadlock between two merges)."""
    locked = {
        r.pk: r
        for r in spec.model._default_manager.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked[second.pk]


def _refresh_size_class(business: Business) -> None:
    """The business's class is that of its latest classified year (as ``registry`` keeps it)."""
    latest = (
        YearlyFigure.objects.filter(business=business)
        .exclude(size_class="")
        .order_by("-year")
        .first()
    )
    size_class = latest.size_class if latest else ""
    year = latest.year if latest else None
    if (business.size_class, business.size_class_year) != (size_class, year):
        business.size_class, business.size_class_year = size_class, year
        business.save(update_fields=["size_class", "size_class_year", "updated_at"])


def _refresh_derived(spec: _Level, record: Any) -> None:
    if spec.level == MatchLevel.BUSINESS:
        _refresh_size_class(record)


# ---------------------------------------------------------------------------------------------
# Merge
# ---------------------------------------------------------------------------------------------


def _check_mergeable(spec: _Level, survivor: Any, merged: Any) -> None:
    if survivor.pk == merged.pk:
        raise ApplicationError(_(MERGE_SAME_RECORD), code="merge_same_record")
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise ApplicationError(_(MERGE_ALREADY_MERGED), code="merge_already_merged")
    if spec.level == MatchLevel.OWNER:
        if survivor.anonymised_at is not None or merged.anonymised_at is not None:
            raise ApplicationError(_(MERGE_ANONYMISED), code="merge_anonymised")
        if survivor.user_id is not None and merged.user_id is not None:
            raise ApplicationError(_(MERGE_TWO_ACCOUNTS), code="merge_two_accounts")


def _mark_merged(spec: _Level, survivor: Any, merged: Any) -> Any:
    """Take the merged record out of the active set; return the account it hands over."""
    merged.merged_into = survivor
    fields = ["merged_into", "updated_at"]
    account = None
    if spec.level == MatchLevel.BUSINESS:
        merged.status = BusinessStatus.MERGED
        fields.append("status")
    elif merged.user_id is not None:
        # The person's sign-in follows them to the surviving record.
        account, merged.user = merged.user_id, None
        fields.append("user")
    merged.save(update_fields=fields)
    return account


def _take_values(spec: _Level, survivor: Any, changes: Mapping[str, Any], account: Any) -> None:
    fields = list(changes)
    for name, value in changes.items():
        setattr(survivor, name, value)
    if spec.name_field in changes:
        survivor.name_key = compact_key(getattr(survivor, spec.name_field))
        fields.append("name_key")
    if account is not None:
        survivor.user_id = account
        fields.append("user")
    if fields:
        survivor.save(update_fields=[*fields, "updated_at"])


def _supersede(spec: _Level, merged: Any, candidate: MatchCandidate | None) -> list[str]:
    """Pending pairs with the merged record are no longer what was scored."""
    prefix = spec.prefix
    pending = MatchCandidate.objects.filter(status=CandidateStatus.PENDING).filter(
        Q(**{f"left_{prefix}": merged}) | Q(**{f"right_{prefix}": merged})
    )
    if candidate is not None:
        pending = pending.exclude(pk=candidate.pk)
    ids = [str(pk) for pk in pending.values_list("pk", flat=True)]
    pending.update(status=CandidateStatus.SUPERSEDED, updated_at=timezone.now())
    return ids


def _audit_changes(
    spec: _Level, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """``{field name: [old, new]}`` of the changed attributes, identifiers masked."""
    model = spec.model
    named_before = {field_by_attname(model, k).name: before.get(k) for k in after}
    named_after = {field_by_attname(model, k).name: v for k, v in after.items()}
    return diff(named_before, named_after, personal=spec.personal)


def _merge(
    *,
    spec: _Level,
    actor: Any,
    survivor: Any,
    merged: Any,
    reason: str,
    candidate: MatchCandidate | None,
) -> MergeRecord:
    if survivor.pk == merged.pk:
        raise ApplicationError(_(MERGE_SAME_RECORD), code="merge_same_record")
    survivor, merged = _lock_pair(spec, survivor, merged)
    _check_mergeable(spec, survivor, merged)
    survivor_facts = spec.facts(survivor)
    outcome = survive(survivor=survivor_facts, merged=spec.facts(merged), groups=spec.groups)
    survivor_before, merged_before = values_of(survivor), values_of(merged)

    account = _mark_merged(spec, survivor, merged)
    _take_values(spec, survivor, outcome.changes(survivor_facts), account)
    moves = move_children(level=spec.level, model=spec.model, survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    _refresh_derived(spec, survivor)
    merged.refresh_from_db()
    superseded = _supersede(spec, merged, candidate)

    survivor_after = changed_values(survivor_before, values_of(survivor))
    merged_after = changed_values(merged_before, values_of(merged))
    prefix = spec.prefix
    record = MergeRecord.objects.create(
        level=spec.level,
        **{f"survivor_{prefix}": survivor, f"merged_{prefix}": merged},
        snapshot={
            "version": SNAPSHOT_VERSION,
            "survivor": {"before": survivor_before, "after": survivor_after},
            "merged": {"before": merged_before, "after": merged_after},
            "moved": moves.moved,
            "adjusted": moves.adjusted,
            "removed": moves.removed,
            "superseded": superseded,
        },
        reason=reason.strip(),
        candidate=candidate,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    AlternateIdentifier.objects.bulk_create(
        AlternateIdentifier(
            **{prefix: survivor}, kind=alternate.kind, value=alternate.value[:255], merge=record
        )
        for alternate in outcome.alternates
    )
    extra = {
        "merge": record.pk,
        "candidate": candidate.pk if candidate else None,
        "moved": len(moves.moved),
        "removed": len(moves.removed),
        "alternates": len(outcome.alternates),
    }
    audit_log(
        actor=actor,
        action=f"{prefix}.merge",
        instance=survivor,
        changes=_audit_changes(spec, survivor_before, survivor_after),
        extra={**extra, "role": "survivor", "merged": merged.pk},
    )
    audit_log(
        actor=actor,
        action=f"{prefix}.merge",
        instance=merged,
        changes=_audit_changes(spec, merged_before, merged_after),
        extra={**extra, "role": "merged", "survivor": survivor.pk},
    )
    return record


@transaction.atomic
def business_merge(
    *,
    actor: Any,
    survivor: Business,
    merged: Business,
    reason: str = "",
    candidate: MatchCandidate | None = None,
) -> MergeRecord:
    """Merge the business ``merged`` into ``survivor`` (see the module docstring).

    Raises:
        ApplicationError: a record merged into itself (``merge_same_record``), either record
            already merged (``merge_already_merged``), a colliding child row still referred to
            by other data (``merge_dependent_row``).
    """
    return _merge(
        spec=_BUSINESS,
        actor=actor,
        survivor=survivor,
        merged=merged,
        reason=reason,
        candidate=candidate,
    )


@transaction.atomic
def owner_merge(
    *,
    actor: Any,
    survivor: Owner,
    merged: Owner,
    reason: str = "",
    candidate: MatchCandidate | None = None,
) -> MergeRecord:
    """Merge the owner ``merged`` into ``survivor``: ownerships, consents and data requests move.

    The merged owner keeps its NIK (the NIK is unique among active owners only). Its account,
    if any, moves to the survivor.

    Raises:
        ApplicationError: as ``business_merge``; also ``merge_anonymised`` (an owner whose data
            were deleted) and ``merge_two_accounts`` (both owners have an account).
    """
    return _merge(
        spec=_OWNER,
        actor=actor,
        survivor=survivor,
        merged=merged,
        reason=reason,
        candidate=candidate,
    )


# ---------------------------------------------------------------------------------------------
# Unmerge
# ---------------------------------------------------------------------------------------------


def _verbose(model: type[models.Model], attnames: Iterable[str]) -> str:
    return ", ".join(str(field_by_attname(model, a).verbose_name) for a in attnames)


def _check_unchanged(record: Any, after: Mapping[str, Any], ignore: frozenset[str]) -> None:
    current = values_of(record)
    changed = [k for k, v in after.items() if k not in ignore and current.get(k) != v]
    if changed:
        raise ApplicationError(
            _(UNMERGE_RECORD_CHANGED) % {"fields": _verbose(type(record), changed)},
            code="unmerge_record_changed",
        )


def _restore_fields(record: Any, before: Mapping[str, Any], attnames: Iterable[str]) -> None:
    model = type(record)
    names = [a for a in attnames if a not in VOLATILE]
    for attname in names:
        setattr(record, attname, load(field_by_attname(model, attname), before.get(attname)))
    if names:
        record.save(update_fields=[*names, "updated_at"])


def _reopen_superseded(ids: Iterable[str]) -> None:
    """Pairs the merge took out of the queue come back, unless a record is merged elsewhere."""
    MatchCandidate.objects.filter(pk__in=list(ids), status=CandidateStatus.SUPERSEDED).exclude(
        Q(left_business__merged_into__isnull=False)
        | Q(right_business__merged_into__isnull=False)
        | Q(left_owner__merged_into__isnull=False)
        | Q(right_owner__merged_into__isnull=False)
    ).update(status=CandidateStatus.PENDING, updated_at=timezone.now())


def _remember_different(
    spec: _Level, actor: Any, record: MergeRecord, survivor: Any, merged: Any
) -> None:
    """An unmerge says the two records are not one: the engine must not propose them again."""
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    note = _("Dipisah kembali setelah digabung.")
    candidate = match_candidate_for_pair(level=spec.level, first=survivor, second=merged)
    if candidate is None:
        left, right = canonical_pair(survivor, merged)
        MatchCandidate.objects.create(
            level=spec.level,
            **{f"left_{spec.prefix}": left, f"right_{spec.prefix}": right},
            source=MatchSource.MANUAL,
            source_ref=f"unmerge:{record.pk}",
            status=CandidateStatus.DECIDED,
            decision=Decision.DIFFERENT,
            decided_by=user,
            decided_at=now,
            note=note,
            kecamatan_id=candidate_kecamatan(level=spec.level, left=left),
        )
        return
    candidate.status = CandidateStatus.DECIDED
    candidate.decision = Decision.DIFFERENT
    candidate.decided_by = user
    candidate.decided_at = now
    candidate.note = f"{candidate.note}\n{note}".strip()
    candidate.save(
        update_fields=["status", "decision", "decided_by", "decided_at", "note", "updated_at"]
    )


def _unmerge(*, spec: _Level, actor: Any, merge: MergeRecord) -> None:
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise ApplicationError(_(UNMERGE_DONE), code="unmerge_done")
    if merge.snapshot.get("redacted"):
        raise ApplicationError(_(UNMERGE_REDACTED), code="unmerge_redacted")
    prefix = spec.prefix
    survivor, merged = _lock_pair(
        spec, getattr(merge, f"survivor_{prefix}"), getattr(merge, f"merged_{prefix}")
    )
    if survivor.merged_into_id is not None:
        raise ApplicationError(_(UNMERGE_SURVIVOR_MERGED), code="unmerge_survivor_merged")
    snapshot = merge.snapshot
    _check_unchanged(survivor, snapshot["survivor"]["after"], spec.derived)
    _check_unchanged(merged, snapshot["merged"]["after"], frozenset())
    survivor_now, merged_now = values_of(survivor), values_of(merged)
    try:
        with transaction.atomic():
            # The survivor gives back what it took (a NIB, a NIK, an account) before the merged
            # record becomes active again and needs it.
            survivor_fields = [a for a in snapshot["survivor"]["after"] if a not in spec.derived]
            _restore_fields(survivor, snapshot["survivor"]["before"], survivor_fields)
            restore_adjusted(snapshot["adjusted"])
            restore_moved(snapshot["moved"], survivor)
            restore_removed(snapshot["removed"])
            _restore_fields(merged, snapshot["merged"]["before"], snapshot["merged"]["after"])
    except IntegrityError:
        raise conflict(str(spec.model._meta.verbose_name)) from None
    _refresh_derived(spec, survivor)
    _refresh_derived(spec, merged)
    merge.alternates.all().delete()
    _reopen_superseded(snapshot.get("superseded", []))
    _remember_different(spec, actor, merge, survivor, merged)
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor if getattr(actor, "is_authenticated", False) else None
    merge.save(update_fields=["unmerged_at", "unmerged_by", "updated_at"])
    survivor.refresh_from_db()
    merged.refresh_from_db()
    extra = {"merge": merge.pk, "moved_back": len(snapshot["moved"])}
    audit_log(
        actor=actor,
        action=f"{prefix}.unmerge",
        instance=survivor,
        changes=_audit_changes(
            spec, survivor_now, changed_values(survivor_now, values_of(survivor))
        ),
        extra={**extra, "role": "survivor", "merged": merged.pk},
    )
    audit_log(
        actor=actor,
        action=f"{prefix}.unmerge",
        instance=merged,
        changes=_audit_changes(spec, merged_now, changed_values(merged_now, values_of(merged))),
        extra={**extra, "role": "merged", "survivor": survivor.pk},
    )


@transaction.atomic
def business_unmerge(*, actor: Any, merge: MergeRecord) -> None:
    """Undo a business merge: both records, their child rows and the alternates are restored
    exactly as they were before it; the pair is remembered as "different".

    Raises:
        ApplicationError: already undone (``unmerge_done``); the survivor was merged into a
            third record since (``unmerge_survivor_merged``); a field the merge set was changed
            since (``unmerge_record_changed``); a moved row was changed or removed since
            (``unmerge_rows_changed``); a value to restore is now taken (``unmerge_conflict``);
            the person's data in the snapshot were deleted since (``unmerge_redacted``).
    """
    if merge.level != MatchLevel.BUSINESS:
        raise ValueError("not a business merge")
    _unmerge(spec=_BUSINESS, actor=actor, merge=merge)


@transaction.atomic
def owner_unmerge(*, actor: Any, merge: MergeRecord) -> None:
    """Undo an owner merge, exactly (see ``business_unmerge``)."""
    if merge.level != MatchLevel.OWNER:
        raise ValueError("not an owner merge")
    _unmerge(spec=_OWNER, actor=actor, merge=merge)
