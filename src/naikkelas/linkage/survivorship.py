"""Which value survives when two records of one business (or one person) are merged.

Pure: no Django, no ORM. The merge services turn records into ``RecordFacts`` (field values by
attribute name, plus what we know about the record as a whole), call ``survive`` and persist
the outcome; the review workflow calls ``choose_survivor`` to pick the record that is kept.

The rules, in order, for each group of fields (fields that only make sense together, such as
NIB and its issue date, or latitude and longitude, travel as one):

1. A non-blank value beats a blank one (``None`` and ``""`` are blank).
2. Equal values: nothing to decide, the survivor's stays.
3. Different values: the value of a *verified* record beats that of an unverified one.
4. Both (or neither) verified: the value of the record changed most recently wins.
5. Still a tie: the survivor's value stays (the merge never changes a record needlessly).

Exceptions: "UMKM binaan" is kept if either record says so, with the earlier ``binaan_since``.

What "verified" means (``business_is_verified`` / ``owner_is_verified``): the data were typed by
the owner (source ``self``) or by an officer who met them (``odk`` field visit, ``manual`` desk
entry), or are backed by the national systems: a business with a NIB (issued through OSS), an
owner who signed in with their own account. Spreadsheet imports, other systems' API pushes and
demo data are second-hand and unverified; they are where most duplicates and typos come from.

Nothing is lost: every non-blank identifier (name, NIB, NPWP, NIK, phone, email, address) that
does not survive, from either record, is returned as an alternate to keep with the survivor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

__all__ = [
    "BUSINESS_GROUPS",
    "OWNER_GROUPS",
    "VERIFIED_SOURCES",
    "Alternate",
    "FieldGroup",
    "Outcome",
    "RecordFacts",
    "business_is_verified",
    "choose_survivor",
    "is_blank",
    "owner_is_verified",
    "survive",
]

# Sources whose data were given first-hand (registry ``Source`` values).
VERIFIED_SOURCES = frozenset({"self", "odk", "manual"})


def business_is_verified(*, source: str, nib: str | None) -> bool:
    """A business record is verified when it has a NIB or first-hand data."""
    return bool(nib) or source in VERIFIED_SOURCES


def owner_is_verified(*, source: str, has_account: bool) -> bool:
    """An owner record is verified when the person signed in, or the data are first-hand."""
    return has_account or source in VERIFIED_SOURCES


@dataclass(frozen=True)
class RecordFacts:
    """One record as survivorship sees it. ``key`` (its id) breaks the last tie."""

    values: Mapping[str, Any]
    verified: bool
    updated_at: datetime
    created_at: datetime
    key: str = ""


Combine = Literal["prefer", "flag_since"]


@dataclass(frozen=True)
class FieldGroup:
    """Fields decided together; the first one's blankness and value decide.

    ``alternate_kind`` names the identifier kept when the first field's value loses.
    ``flag_since``: a (boolean, date) pair kept true if either record is, with the earlier date.
    """

    fields: tuple[str, ...]
    alternate_kind: str = ""
    combine: Combine = "prefer"


@dataclass(frozen=True)
class Alternate:
    kind: str
    value: str


@dataclass(frozen=True)
class Outcome:
    """Every field's surviving value, which groups came from the merged record, and the
    identifiers that lost (to keep as alternates of the survivor)."""

    values: dict[str, Any]
    from_merged: tuple[str, ...] = ()
    alternates: tuple[Alternate, ...] = field(default_factory=tuple)

    def changes(self, survivor: RecordFacts) -> dict[str, Any]:
        """Only the fields whose value differs from the survivor's current one."""
        return {
            name: value for name, value in self.values.items() if survivor.values.get(name) != value
        }


# Attribute names (``sector_id``, not ``sector``): the services read and write ``attname``s.
BUSINESS_GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup(("name",), alternate_kind="name"),
    FieldGroup(("legal_form",)),
    FieldGroup(("sector_id",)),
    FieldGroup(("kbli_code",)),
    FieldGroup(("products",)),
    FieldGroup(("desa_kelurahan_id", "kecamatan_id")),
    FieldGroup(("address",), alternate_kind="address"),
    FieldGroup(("latitude", "longitude")),
    FieldGroup(("phone",), alternate_kind="phone"),
    FieldGroup(("email",), alternate_kind="email"),
    FieldGroup(("established_year",)),
    FieldGroup(("nib", "nib_issued_on"), alternate_kind="nib"),
    FieldGroup(("npwp",), alternate_kind="npwp"),
    FieldGroup(("is_binaan", "binaan_since"), combine="flag_since"),
)

OWNER_GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup(("full_name",), alternate_kind="name"),
    FieldGroup(("nik",), alternate_kind="nik"),
    FieldGroup(("sex",)),
    FieldGroup(("birth_date",)),
    FieldGroup(("phone",), alternate_kind="phone"),
    FieldGroup(("email",), alternate_kind="email"),
    FieldGroup(("address",), alternate_kind="address"),
)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _newer_wins(survivor: RecordFacts, merged: RecordFacts) -> bool:
    """Does the merged record win a conflict (rules 3-5)?"""
    if survivor.verified != merged.verified:
        return merged.verified
    return merged.updated_at > survivor.updated_at


def choose_survivor(first: RecordFacts, second: RecordFacts) -> Literal[0, 1]:
    """The record to keep (0 = first, 1 = second): verified, then most recently changed,
    then the older record (more history and references point at it), then the smaller id."""

    def rank(record: RecordFacts) -> tuple[bool, datetime, float]:
        # larger is better; an older creation time is better, hence the negated timestamp
        return (record.verified, record.updated_at, -record.created_at.timestamp())

    a, b = rank(first), rank(second)
    if a != b:
        return 0 if a > b else 1
    return 0 if first.key <= second.key else 1


def _earliest(values: Sequence[Any]) -> Any:
    dates = [v for v in values if isinstance(v, date)]
    return min(dates) if dates else None


def _flag_since(group: FieldGroup, survivor: RecordFacts, merged: RecordFacts) -> dict[str, Any]:
    flag, since = group.fields
    records = [r for r in (survivor, merged) if r.values.get(flag)]
    if not records:
        return {flag: bool(survivor.values.get(flag)), since: survivor.values.get(since)}
    return {flag: True, since: _earliest([r.values.get(since) for r in records])}


def survive(
    *,
    survivor: RecordFacts,
    merged: RecordFacts,
    groups: Sequence[FieldGroup],
) -> Outcome:
    """Decide every field of ``groups`` (see the module docstring for the rules)."""
    values: dict[str, Any] = {}
    from_merged: list[str] = []
    alternates: list[Alternate] = []
    for group in groups:
        if group.combine == "flag_since":
            values.update(_flag_since(group, survivor, merged))
            continue
        lead = group.fields[0]
        mine, theirs = survivor.values.get(lead), merged.values.get(lead)
        take_theirs = not is_blank(theirs) and (
            is_blank(mine) or (mine != theirs and _newer_wins(survivor, merged))
        )
        source = merged if take_theirs else survivor
        for name in group.fields:
            values[name] = source.values.get(name)
        if take_theirs:
            from_merged.append(lead)
        if group.alternate_kind:
            chosen = values[lead]
            seen: set[str] = set()
            for candidate in (mine, theirs):
                if is_blank(candidate) or candidate == chosen:
                    continue
                text = str(candidate).strip()
                if text not in seen:
                    seen.add(text)
                    alternates.append(Alternate(group.alternate_kind, text))
    return Outcome(values=values, from_merged=tuple(from_merged), alternates=tuple(alternates))
