"""Rows in and out of a merge: the snapshot's values, moving child rows, putting them back.

Generic over every installed app: a child row is any row whose visible foreign key (or
one-to-one) points at the merged record (``_meta.related_objects``). See ``services.merge``
for the rules; this module only knows rows, not businesses or owners.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.exceptions import ApplicationError
from naikkelas.linkage.models import MatchCandidate, MatchLevel, MergeRecord
from naikkelas.registry.models import BusinessOwner, OwnerRole

MERGE_DEPENDENT_ROW = gettext_noop(
    "Data terkait (%(what)s) tidak dapat digabung karena masih dirujuk data lain."
)
UNMERGE_ROWS_CHANGED = gettext_noop(
    "Data terkait yang dipindahkan saat penggabungan sudah diubah atau dihapus (%(what)s), "
    "sehingga pemisahan tidak dapat mengembalikan keadaan semula dengan persis."
)
UNMERGE_CONFLICT = gettext_noop(
    "Pemisahan tidak dapat dilakukan: isian data yang dipisah (%(what)s) kini sudah dipakai "
    "data lain."
)
# Never compared or restored: they change on every save.
VOLATILE = frozenset({"updated_at"})


# ---------------------------------------------------------------------------------------------
# Values in and out of the JSON snapshot
# ---------------------------------------------------------------------------------------------


def dump(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()  # full precision (DjangoJSONEncoder drops microseconds)
    return str(value)  # UUIDs, Decimals


def load(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def _concrete(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def values_of(instance: models.Model) -> dict[str, Any]:
    """Every stored field of ``instance`` by attribute name, JSON-ready."""
    return {f.attname: dump(getattr(instance, f.attname)) for f in _concrete(type(instance))}


def field_by_attname(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(attname)


def _attname(model: type[models.Model], name: str) -> str:
    return cast(models.Field[Any, Any], model._meta.get_field(name)).attname


def changed_values(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in after.items() if k not in VOLATILE and before.get(k) != v}


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


# ---------------------------------------------------------------------------------------------
# Moving child rows
# ---------------------------------------------------------------------------------------------


def _relations(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The foreign keys (and one-to-ones) of other rows that point at ``model``, minus the
    linkage history itself (candidates and merge records name the records they were about)."""
    fields: list[models.ForeignKey[Any, Any]] = []
    for rel in model._meta.related_objects:
        field = rel.field
        if rel.many_to_many or not isinstance(field, models.ForeignKey) or not field.concrete:
            continue  # a many-to-many through model is listed with its own foreign key
        if rel.related_model in (MatchCandidate, MergeRecord):
            continue
        fields.append(field)
    return fields


def _collides(row: models.Model, field: models.ForeignKey[Any, Any]) -> bool:
    """Would ``row`` (holding its new foreign key value) break a unique rule of its table?"""
    model = type(row)
    manager = model._base_manager
    value = getattr(row, field.attname)
    if field.unique and manager.filter(**{field.attname: value}).exclude(pk=row.pk).exists():
        return True
    for together in model._meta.unique_together:
        if field.name in together:
            lookup = {name: getattr(row, _attname(model, name)) for name in together}
            if manager.filter(**lookup).exclude(pk=row.pk).exists():
                return True
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields:
            try:
                constraint.validate(model, row)  # type: ignore[attr-defined]
            except ValidationError:
                return True
    return False


def _fallback_changes(row: models.Model, level: str) -> list[dict[str, Any]]:
    """Other field values to try when a moved row collides (tried in order)."""
    if (
        level == MatchLevel.BUSINESS
        and isinstance(row, BusinessOwner)
        and row.role == OwnerRole.PEMILIK
    ):
        # The survivor already has a main owner: this one stays on as co-owner.
        return [{"role": OwnerRole.PEMILIK_BERSAMA}]
    return []


def _dependants(row: models.Model) -> list[str]:
    """What still refers to ``row`` (which would block removing it), hidden relations included:
    deleting would cascade to them or fail."""
    found = []
    for rel in type(row)._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ForeignObjectRel) or rel.many_to_many:
            continue
        model = cast(type[models.Model], rel.related_model)
        if model._base_manager.filter(**{rel.field.name: row}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def _survivor_twin(row: models.Model, field: models.ForeignKey[Any, Any]) -> Any:
    """In an owner merge, the survivor's own ownership of the business ``row`` is about."""
    if isinstance(row, BusinessOwner) and field.name == "owner":
        return BusinessOwner.objects.filter(business_id=row.business_id, owner_id=row.owner_id)
    return None


@dataclass
class Moves:
    moved: list[dict[str, Any]]
    adjusted: list[dict[str, Any]]
    removed: list[dict[str, Any]]


def _remove(row: models.Model, moves: Moves) -> None:
    blockers = _dependants(row)
    if blockers:
        raise ApplicationError(
            _(MERGE_DEPENDENT_ROW) % {"what": ", ".join(blockers)}, code="merge_dependent_row"
        )
    # ``row`` holds the survivor in its foreign key by now; the stored values are the original.
    original = type(row)._base_manager.get(pk=row.pk)
    moves.removed.append(
        {"model": label_of(type(row)), "pk": dump(row.pk), "values": values_of(original)}
    )
    type(row)._base_manager.filter(pk=row.pk).delete()


def _promote_twin(row: models.Model, field: models.ForeignKey[Any, Any], moves: Moves) -> None:
    """Owner merge: the merged owner ran the business, the survivor only co-owned it."""
    twins = _survivor_twin(row, field)
    if twins is None or not isinstance(row, BusinessOwner) or row.role != OwnerRole.PEMILIK:
        return
    twin = twins.first()
    if twin is not None and twin.role == OwnerRole.PEMILIK_BERSAMA:
        BusinessOwner.objects.filter(pk=twin.pk).update(role=OwnerRole.PEMILIK)
        moves.adjusted.append(
            {
                "model": label_of(BusinessOwner),
                "pk": twin.pk,
                "before": {"role": OwnerRole.PEMILIK_BERSAMA.value},
                "after": {"role": OwnerRole.PEMILIK.value},
            }
        )


def move_children(*, level: str, model: type[models.Model], survivor: Any, merged: Any) -> Moves:
    """Move every child row of ``merged`` to ``survivor`` (see ``linkage.services.merge``)."""
    moves = Moves(moved=[], adjusted=[], removed=[])
    for field in _relations(model):
        child = cast(type[models.Model], field.model)
        old_value = getattr(merged, field.target_field.attname)
        new_value = getattr(survivor, field.target_field.attname)
        rows = child._base_manager.filter(**{field.attname: old_value}).order_by("pk")
        for row in rows:
            setattr(row, field.attname, new_value)
            changes: dict[str, Any] = {}
            collides = _collides(row, field)
            for fallback in _fallback_changes(row, level) if collides else []:
                old = {name: getattr(row, name) for name in fallback}
                for name, value in fallback.items():
                    setattr(row, name, value)
                if not _collides(row, field):
                    changes, collides = old, False
                    break
                for name, value in old.items():
                    setattr(row, name, value)
            if collides:
                _remove(row, moves)
                _promote_twin(row, field, moves)
                continue
            child._base_manager.filter(pk=row.pk).update(
                **{field.attname: new_value}, **{name: getattr(row, name) for name in changes}
            )
            moves.moved.append(
                {
                    "model": label_of(child),
                    "pk": dump(row.pk),
                    "field": field.attname,
                    "old": dump(old_value),
                    "changed": {name: dump(value) for name, value in changes.items()},
                }
            )
    return moves


# ---------------------------------------------------------------------------------------------
# Putting them back
# ---------------------------------------------------------------------------------------------


def _rows_changed(what: str) -> ApplicationError:
    return ApplicationError(_(UNMERGE_ROWS_CHANGED) % {"what": what}, code="unmerge_rows_changed")


def conflict(what: str) -> ApplicationError:
    return ApplicationError(_(UNMERGE_CONFLICT) % {"what": what}, code="unmerge_conflict")


def restore_adjusted(entries: Iterable[Mapping[str, Any]]) -> None:
    for entry in entries:
        model = model_of(entry["model"])
        row = model._base_manager.filter(pk=entry["pk"]).first()
        current = values_of(row) if row is not None else {}
        if row is None or any(current.get(k) != v for k, v in entry["after"].items()):
            raise _rows_changed(str(model._meta.verbose_name_plural))
        model._base_manager.filter(pk=row.pk).update(
            **{k: load(field_by_attname(model, k), v) for k, v in entry["before"].items()}
        )


def restore_moved(entries: Iterable[Mapping[str, Any]], survivor: Any) -> None:
    for entry in entries:
        model = model_of(entry["model"])
        field = cast(models.ForeignKey[Any, Any], field_by_attname(model, entry["field"]))
        row = model._base_manager.filter(pk=entry["pk"]).first()
        target = getattr(survivor, field.target_field.attname)
        if row is None or str(getattr(row, field.attname)) != str(target):
            raise _rows_changed(str(model._meta.verbose_name_plural))
        restore = {entry["field"]: entry["old"], **entry["changed"]}
        for attname, value in restore.items():
            setattr(row, attname, load(field_by_attname(model, attname), value))
        if _collides(row, field):
            raise conflict(str(model._meta.verbose_name_plural))
        model._base_manager.filter(pk=row.pk).update(
            **{attname: getattr(row, attname) for attname in restore}
        )


def restore_removed(entries: Iterable[Mapping[str, Any]]) -> None:
    for entry in entries:
        model = model_of(entry["model"])
        what = str(model._meta.verbose_name_plural)
        if model._base_manager.filter(pk=entry["pk"]).exists():
            raise conflict(what)
        values = {
            attname: load(field_by_attname(model, attname), value)
            for attname, value in entry["values"].items()
        }
        row = model(pk=load(model._meta.pk, entry["pk"]), **values)
        try:
            row.validate_unique()
            row.validate_constraints()
        except ValidationError:
            raise conflict(what) from None
        row.save(force_insert=True)
        # ``auto_now``/``auto_now_add`` stamped the insert; the row's own times come back.
        stamps = {
            f.attname: values[f.attname]
            for f in _concrete(model)
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            and f.attname in values
        }
        if stamps:
            model._base_manager.filter(pk=row.pk).update(**stamps)
