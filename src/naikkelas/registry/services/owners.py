from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log, diff, snapshot
from naikkelas.core.text import compact_key
from naikkelas.registry.models import Owner, Source
from naikkelas.registry.services.cleaning import Problems, clean_owner_data

OWNER_FIELDS = ("full_name", "nik", "sex", "birth_date", "phone", "email", "address")


def _check_nik_free(nik: str | None, problems: Problems, *, exclude: Owner | None = None) -> None:
    if not nik:
        return
    taken = Owner.objects.filter(nik=nik, merged_into__isnull=True)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        problems.error("nik", _("NIK ini sudah terdaftar atas pemilik lain di register."))


def owner_validate(*, data: Mapping[str, Any]) -> None:
    """Check a new owner's fields without saving anything.

    Raises:
        ValidationError: keyed by field.
    """
    unknown = set(data) - set(OWNER_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in sorted(unknown)})
    problems = Problems()
    cleaned = clean_owner_data({"full_name": "", **data}, problems)
    _check_nik_free(cleaned.get("nik"), problems)
    problems.raise_if_any()


@transaction.atomic
def owner_create(
    *,
    actor: Any,
    full_name: str,
    nik: str | int | None = None,
    sex: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
    source: Source | str = Source.MANUAL,
) -> Owner:
    """Register a person who owns businesses.

    Raises:
        ValidationError: keyed by field, with every problem found (bad NIK, phone, ...).
    """
    problems = Problems()
    cleaned = clean_owner_data(
        {
            "full_name": full_name,
            "nik": nik,
            "sex": sex,
            "birth_date": birth_date,
            "phone": phone,
            "email": email,
            "address": address,
        },
        problems,
    )
    _check_nik_free(cleaned.get("nik"), problems)
    problems.raise_if_any()
    owner = Owner(
        **cleaned,
        name_key=compact_key(cleaned["full_name"]),
        data_warnings=problems.warnings,
        source=Source(source),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    owner.full_clean()
    owner.save()
    audit_log(
        actor=actor,
        action="owner.create",
        instance=owner,
        source=owner.source,
        changes=diff({}, snapshot(owner, OWNER_FIELDS), personal=True),
    )
    return owner


@transaction.atomic
def owner_update(*, actor: Any, owner: Owner, data: Mapping[str, Any]) -> Owner:
    """Change the given fields of an owner (others stay as they are).

    Raises:
        ValidationError: keyed by field.
    """
    unknown = set(data) - set(OWNER_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom ini tidak dapat diubah.") for name in unknown})
    owner = Owner.objects.select_for_update().get(pk=owner.pk)
    before = snapshot(owner, OWNER_FIELDS)
    problems = Problems()
    cleaned = clean_owner_data(data, problems)
    _check_nik_free(cleaned.get("nik"), problems, exclude=owner)
    problems.raise_if_any()
    for name, value in cleaned.items():
        setattr(owner, name, value)
    owner.name_key = compact_key(owner.full_name)
    if "nik" in cleaned or "phone" in cleaned:
        owner.data_warnings = problems.warnings
    owner.full_clean()
    owner.save()
    changes = diff(before, snapshot(owner, OWNER_FIELDS), personal=True)
    if changes:
        audit_log(actor=actor, action="owner.update", instance=owner, changes=changes)
    return owner
