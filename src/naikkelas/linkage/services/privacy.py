"""Deleting what linkage keeps of a person when their data are deleted (UU 27/2022).

Merges keep old identifiers (``AlternateIdentifier``) and both records' values (the merge
snapshot): for an owner these are personal data, and they must go with the owner's own. Call
``person_linkage_erase`` in the same transaction as ``privacy.owner_anonymise``, *before* it
blanks the owner (the old NIK is needed to find an NPWP that equals it). A merge whose snapshot
was redacted can no longer be undone exactly, and its unmerge is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q

from naikkelas.core.audit import audit_log
from naikkelas.linkage.models import (
    AlternateIdentifier,
    IdentifierKind,
    MergeRecord,
    RegisterKey,
    RegisterRow,
)
from naikkelas.privacy.services import ANONYMISED_OWNER_FIELDS, REDACTED
from naikkelas.registry.models import BusinessOwner, Owner, OwnerRole

# The person's fields on an owner (as ``owner_anonymise`` blanks them) and the derived key.
OWNER_PERSONAL = frozenset({*ANONYMISED_OWNER_FIELDS, "name_key"})
# A business's contact data are its main owner's (as ``owner_anonymise`` treats them).
BUSINESS_CONTACT = frozenset({"phone", "email"})


def owner_with_merged(owner: Owner) -> list[Any]:
    """The owner and every record merged into it, transitively."""
    found = [owner.pk]
    frontier = [owner.pk]
    while frontier:
        frontier = list(
            Owner.objects.filter(merged_into__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.extend(frontier)
    return found


def _redact(values: Mapping[str, Any], fields: Iterable[str], niks: set[str]) -> dict[str, Any]:
    fields = set(fields)
    redacted = {}
    for name, value in values.items():
        personal = name in fields or (name == "npwp" and value in niks)
        redacted[name] = REDACTED if personal and value not in (None, "", []) else value
    return redacted


def _redact_snapshot(merge: MergeRecord, fields: Iterable[str], niks: set[str]) -> None:
    snapshot = dict(merge.snapshot)
    for side in ("survivor", "merged"):
        snapshot[side] = {
            part: _redact(values, fields, niks) for part, values in snapshot[side].items()
        }
    snapshot["redacted"] = True
    merge.snapshot = snapshot
    merge.save(update_fields=["snapshot", "updated_at"])


@transaction.atomic
def person_linkage_erase(*, actor: Any, owner: Owner) -> dict[str, int]:
    """Delete the person's alternate identifiers and stored linkage rows, and redact their
    values in merge snapshots.

    Covers the owner and the duplicates merged into it; and, for businesses the person runs
    (pemilik), their phone and email, plus an NPWP equal to the person's NIK. Returns counts.
    """
    owners = owner_with_merged(owner)
    niks = {nik for nik in Owner.objects.filter(pk__in=owners).values_list("nik", flat=True) if nik}
    runs = BusinessOwner.objects.filter(owner__in=owners, role=OwnerRole.PEMILIK).values(
        "business_id"
    )
    business_kinds = Q(kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL]) | Q(
        kind=IdentifierKind.NPWP, value__in=niks
    )
    alternates, _detail = AlternateIdentifier.objects.filter(
        Q(owner__in=owners) | (Q(business__in=runs) & business_kinds)
    ).delete()
    # The stored linkage index holds the person's folded name and NIK: drop the rows now
    # (the next sync rebuilds them from the anonymised owner).
    RegisterKey.objects.filter(
        business_id__in=RegisterRow.objects.filter(owner__in=owners).values("business_id")
    ).delete()
    index_rows, _detail = RegisterRow.objects.filter(owner__in=owners).delete()
    snapshots = 0
    for merge in MergeRecord.objects.filter(
        Q(survivor_owner__in=owners) | Q(merged_owner__in=owners)
    ):
        _redact_snapshot(merge, OWNER_PERSONAL, set())
        snapshots += 1
    for merge in MergeRecord.objects.filter(
        Q(survivor_business__in=runs) | Q(merged_business__in=runs)
    ):
        _redact_snapshot(merge, BUSINESS_CONTACT, niks)
        snapshots += 1
    audit_log(
        actor=actor,
        action="linkage.erase",
        object_type=owner._meta.label_lower,
        object_id=str(owner.pk),
        extra={"alternates": alternates, "snapshots": snapshots, "index_rows": index_rows},
    )
    return {"alternates": alternates, "snapshots": snapshots, "index_rows": index_rows}


def erase_on_anonymise(sender: Any, *, actor: Any, owner: Owner, **kwargs: Any) -> None:
    """Receiver of ``privacy.signals.owner_anonymising``: erase linkage's copies first."""
    person_linkage_erase(actor=actor, owner=owner)
