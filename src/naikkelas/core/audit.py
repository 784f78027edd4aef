"""Writing the audit log. Called by services inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.core.models import AuditEvent

# Fields whose values are personal data: the audit log keeps them masked.
MASKED_FIELDS = {"nik": mask_nik, "npwp": mask_nik, "phone": mask_phone}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _masked(field: str, value: Any) -> Any:
    masker = MASKED_FIELDS.get(field)
    if masker is not None and isinstance(value, str) and value:
        return masker(value)
    return _jsonable(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``instance`` as stored in the database (FKs by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for fields that changed, personal data masked."""
    return {
        name: [_masked(name, before.get(name)), _masked(name, after[name])]
        for name in after
        if before.get(name) != after[name]
    }


def audit_log(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    source: str = "",
    changes: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record one audit event. ``actor`` may be None for system jobs (the demo loader)."""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(instance)[:255] if instance is not None else "",
        source=source,
        changes=dict(changes or {}),
        extra={k: _jsonable(v) for k, v in (extra or {}).items()},
    )
