"""Keeping the stored rule base: packaged versions copied in, administrators' new versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.guidance.models import GuidanceRule, RuleOrigin
from naikkelas.guidance.rulebase import RuleSpec, packaged_rules


def content_hash(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _row(spec: RuleSpec, *, origin: str, actor: Any = None, note: str = "") -> GuidanceRule:
    data = spec.as_data()
    return GuidanceRule(
        key=spec.key,
        version=spec.version,
        topic=spec.topic,
        status=spec.status,
        effective_from=spec.effective_from,
        effective_to=spec.effective_to,
        data=data,
        content_hash=content_hash(data),
        origin=origin,
        change_note=note[:255],
        created_by=actor_user(actor),
    )


def rules_sync_packaged(*, using: str = "default") -> int:
    """Copy the package's rule versions that the database does not have yet (by key and
    version); stored versions are never changed. Returns the number added.

    A packaged version whose number an administrator's version already took is stored under
    the next free number, so neither is lost."""
    added = 0
    existing = {
        (key, version): digest
        for key, version, digest in GuidanceRule.objects.using(using).values_list(
            "key", "version", "content_hash"
        )
    }
    known_hashes = set(existing.values())
    for spec in packaged_rules():
        row = _row(spec, origin=RuleOrigin.PACKAGE)
        if row.content_hash in known_hashes:
            continue
        if (spec.key, spec.version) in existing:
            last = max(v for (k, v) in existing if k == spec.key)
            row.version = last + 1
            row.data = {**row.data, "version": row.version}
            row.content_hash = content_hash(row.data)
        row.save(using=using)
        existing[(row.key, row.version)] = row.content_hash
        known_hashes.add(row.content_hash)
        added += 1
    return added


def rule_specs(rows: Any = None) -> list[RuleSpec]:
    """Every stored version as the pure core's ``RuleSpec``."""
    queryset = rows if rows is not None else GuidanceRule.objects.all()
    return [RuleSpec.from_data(r.data) for r in queryset]


def rule_revise(
    *, actor: Any, key: str, changes: Mapping[str, Any], note: str, request: Any = None
) -> GuidanceRule:
    """An administrator's new version of a rule: the latest version with ``changes`` applied.
    The old versions (and every evaluation that used them) stay as they were."""
    if not note.strip():
        raise ApplicationError(_("Tuliskan catatan perubahan (apa dan mengapa)."))
    with transaction.atomic():
        latest = (
            GuidanceRule.objects.select_for_update().filter(key=key).order_by("-version").first()
        )
        if latest is None:
            raise ApplicationError(_("Aturan tidak ditemukan."))
        data = {**latest.data, **dict(changes), "key": key, "version": latest.version + 1}
        try:
            spec = RuleSpec.from_data(data)
        except ValueError as exc:
            raise ApplicationError(_("Aturan tidak sah: %(error)s") % {"error": exc}) from exc
        row = _row(spec, origin=RuleOrigin.ADMIN, actor=actor, note=note.strip())
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # two administrators at once
            raise ApplicationError(_("Aturan baru saja diubah orang lain; muat ulang.")) from exc
        audit_log(
            actor=actor,
            action="guidance.rule_revise",
            instance=row,
            request=request,
            changes={
                k: [latest.data.get(k), data.get(k)]
                for k in changes
                if latest.data.get(k) != data.get(k)
            },
            extra={"note": note.strip()},
        )
    return row
