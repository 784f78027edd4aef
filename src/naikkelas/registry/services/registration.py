"""Registering a business together with its owner in one step (the web form, the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from naikkelas.core.identifiers import parse_nik
from naikkelas.registry.models import Business, Owner, Source
from naikkelas.registry.services.businesses import business_register, business_validate
from naikkelas.registry.services.details import yearly_figure_set
from naikkelas.registry.services.owners import owner_create, owner_validate

OWNER_PREFIX = "owner_"


def _existing_owner(nik: Any) -> Owner | None:
    if nik in (None, ""):
        return None
    info = parse_nik(nik)
    if not info.ok:
        return None
    return Owner.objects.filter(nik=info.nik, merged_into__isnull=True).first()


@transaction.atomic
def business_register_with_owner(
    *,
    actor: Any,
    owner_data: Mapping[str, Any],
    business_data: Mapping[str, Any],
    figure: Mapping[str, Any] | None = None,
    source: Source | str = Source.MANUAL,
    source_ref: str = "",
) -> tuple[Business, bool]:
    """Register a business and its owner; an owner whose NIK is already known is reused.

    Returns the business and whether an existing owner was reused. Errors of owner fields are
    keyed ``owner_<field>``, figure errors ``figure_<field>``.

    Raises:
        ValidationError: every problem of the owner, the business and the figures at once.
    """
    errors: dict[str, list[str]] = {}
    owner = _existing_owner(owner_data.get("nik"))
    if owner is None:
        try:
            owner_validate(data=owner_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[OWNER_PREFIX + field] = messages
    try:
        business_validate(data=business_data)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    reused = owner is not None
    if owner is None:
        owner = owner_create(actor=actor, source=source, **owner_data)
    business = business_register(
        actor=actor, owner=owner, data=business_data, source=source, source_ref=source_ref
    )
    if figure and any(figure.get(k) is not None for k in ("omzet", "modal", "workers")):
        try:
            yearly_figure_set(actor=actor, business=business, **figure)
        except ValidationError as error:
            raise ValidationError(
                {f"figure_{field}": msgs for field, msgs in error.message_dict.items()}
            ) from error
        business.refresh_from_db()
    return business, reused
