"""Writing the audit log. Called by services inside their transaction."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models

from naikkelas.core.data_version import note_data_change
from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.core.models import AuditEvent


def mask_name(value: str) -> str:
    """``"Hj. Siti Rohmah"`` -> ``"H** S*** R*****"``: enough to tell records apart."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in value.split())


def _hidden(value: str) -> str:
    return "***"


# Identifiers: masked in the audit log whatever model they belong to.
MASKED_FIELDS = {"nik": mask_nik, "npwp": mask_nik, "phone": mask_phone}
# The other fields of a person (an owner): masked too, so that the append-only log is not a
# second copy of personal data that outlives a deletion request.
PERSONAL_FIELDS = {
    **MASKED_FIELDS,
    "full_name": mask_name,
    "email": _hidden,
    "address": _hidden,
    "birth_date": _hidden,
}
PERSONAL_MODELS = {"registry.owner"}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)  # UUIDs, dates, Decimals, lazy translations


def _masked(field: str, value: Any, *, personal: bool = False) -> Any:
    masker = (PERSONAL_FIELDS if personal else MASKED_FIELDS).get(field)
    if masker is not None and value not in (None, ""):
        return masker(str(value))
    return _jsonable(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``instance`` as stored in the database (FKs by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return values


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, personal: bool = False
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for fields that changed, identifiers masked; ``personal``
    masks every field of a person (name, address, email, birth date) as well."""
    return {
        name: [
            _masked(name, before.get(name), personal=personal),
            _masked(name, after[name], personal=personal),
        ]
        for name in after
        if before.get(name) != after[name]
    }


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The client's address. Behind a trusted proxy (DJANGO_BEHIND_PROXY) the right-most
    X-Forwarded-For entry, which the proxy appended; the client controls the ones before it."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    if getattr(settings, "NAIKKELAS_BEHIND_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1]
        if forwarded.strip():
            return _valid_ip(forwarded)
    return _valid_ip(meta.get("REMOTE_ADDR") or "")


def actor_user(actor: Any) -> Any:
    """The user to record as the one who acted; None for system jobs (demo loader, worker)."""
    return actor if getattr(actor, "is_authenticated", False) else None


# Actions that only read or concern accounts: they change nothing the dashboards count.
_READ_PREFIXES = ("auth.", "user.", "api_token.")
_READ_SUFFIXES = (
    ".export",
    "_export",
    ".export_self",
    ".reveal",
    "_view",
    ".view_full",
    ".whatsapp",
)


def _writes(action: str) -> bool:
    return not (action.startswith(_READ_PREFIXES) or action.endswith(_READ_SUFFIXES))


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
    request: Any = None,
) -> AuditEvent:
    """Record one audit event. ``actor`` may be None for system jobs (the demo loader);
    pass ``request`` to keep the client's IP address with the event."""
    object_repr = ""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = str(instance)[:255]
        if instance._meta.label_lower in PERSONAL_MODELS:
            object_repr = mask_name(object_repr)
    if _writes(action):
        note_data_change()  # services that write with QuerySet.update() bypass model signals
    return AuditEvent.objects.create(
        actor=actor_user(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        source=source,
        changes=dict(changes or {}),
        extra={k: _jsonable(v) for k, v in (extra or {}).items()},
        ip_address=client_ip(request),
    )
