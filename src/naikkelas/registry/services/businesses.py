from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log, diff, snapshot
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.text import compact_key
from naikkelas.registry.models import (
    Business,
    BusinessOwner,
    BusinessStatus,
    LegalForm,
    Owner,
    OwnerRole,
    Sector,
    Source,
)
from naikkelas.registry.services.cleaning import (
    Problems,
    clean_desa_kelurahan,
    clean_nib,
    clean_npwp,
    clean_phone,
)

# Fields a person may set on a business through ``business_register``/``business_update``.
BUSINESS_FIELDS = (
    "name",
    "legal_form",
    "sector",
    "kbli_code",
    "products",
    "desa_kelurahan",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "established_year",
    "nib",
    "nib_issued_on",
    "npwp",
    "is_binaan",
    "binaan_since",
)
AUDITED_FIELDS = (*BUSINESS_FIELDS, "kecamatan", "status", "closed_on", "closed_reason")

BUSINESS_CLOSED_ALREADY = "Usaha ini sudah berstatus tutup."
BUSINESS_NOT_CLOSED = "Hanya usaha yang berstatus tutup yang dapat dibuka kembali."
BUSINESS_MERGED = "Usaha ini sudah digabung ke data lain dan tidak dapat diubah."


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# Indonesia's bounding box, as in the business_gps_pair_in_indonesia constraint.
COORDINATE_BOUNDS = {
    "latitude": (Decimal("-11.5"), Decimal("6.5")),
    "longitude": (Decimal("94.5"), Decimal("141.5")),
}


def _coordinate(value: Any, field: str, problems: Problems) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = Decimal(_text(value).replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.error(field, _("Koordinat harus berupa angka desimal, misalnya -6.1203."))
        return None
    low, high = COORDINATE_BOUNDS[field]
    if not low <= number <= high:
        problems.error(field, _("Koordinat di luar wilayah Indonesia; periksa lintang dan bujur."))
        return None
    return number.quantize(Decimal("0.000001"))


def _clean_business_data(
    data: Mapping[str, Any], problems: Problems, *, business: Business | None = None
) -> dict[str, Any]:
    """Normalise the business fields present in ``data``; errors go to ``problems``."""
    cleaned: dict[str, Any] = {}
    if "name" in data:
        name = " ".join(_text(data["name"]).split())
        if not name:
            problems.error("name", _("Nama usaha wajib diisi."))
        cleaned["name"] = name
    if "legal_form" in data:
        legal_form = _text(data["legal_form"]) or LegalForm.PERORANGAN
        if legal_form not in LegalForm.values:
            problems.error("legal_form", _("Bentuk usaha tidak dikenal."))
        cleaned["legal_form"] = legal_form
    if "sector" in data:
        value = data["sector"]
        code = value.code if isinstance(value, Sector) else _text(value)
        sector = Sector.objects.filter(code=code).first()
        if sector is None:
            problems.error("sector", _("Sektor '%(code)s' tidak dikenal.") % {"code": code})
        cleaned["sector"] = sector
    if "desa_kelurahan" in data:
        region = clean_desa_kelurahan(data["desa_kelurahan"], problems)
        cleaned["desa_kelurahan"] = region
        cleaned["kecamatan"] = region.parent if region is not None else None
    if "nib" in data:
        cleaned["nib"] = clean_nib(data["nib"], problems)
    if "npwp" in data:
        cleaned["npwp"] = clean_npwp(data["npwp"], problems)
    if "phone" in data:
        cleaned["phone"] = clean_phone(data["phone"], problems)
    for name in ("latitude", "longitude"):
        if name in data:
            cleaned[name] = _coordinate(data[name], name, problems)
    if ("latitude" in cleaned) != ("longitude" in cleaned) or (
        (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None)
    ):
        problems.error("latitude", _("Lintang dan bujur harus diisi berdua, atau dikosongkan."))
    for name in ("kbli_code", "products", "address", "email"):
        if name in data:
            cleaned[name] = _text(data[name])
    for name in ("established_year", "nib_issued_on", "binaan_since"):
        if name in data:
            cleaned[name] = data[name] if data[name] not in ("", None) else None
    if "is_binaan" in data:
        cleaned["is_binaan"] = bool(data["is_binaan"])
    is_binaan = cleaned.get("is_binaan", business.is_binaan if business else False)
    if not is_binaan and "is_binaan" in cleaned:
        cleaned["binaan_since"] = None
    elif not is_binaan and cleaned.get("binaan_since"):
        problems.error("binaan_since", _("Tanggal binaan hanya untuk usaha binaan."))
    elif (
        is_binaan
        and cleaned.get("binaan_since") is None
        and not (business and business.binaan_since)
    ):
        cleaned["binaan_since"] = timezone.localdate()
    nib = cleaned.get("nib")
    if nib:
        taken = Business.objects.filter(nib=nib).exclude(status=BusinessStatus.MERGED)
        if business is not None:
            taken = taken.exclude(pk=business.pk)
        if taken.exists():
            problems.error("nib", _("NIB ini sudah terdaftar untuk usaha lain di register."))
    return cleaned


def _full_clean(business: Business, problems: Problems) -> None:
    """Model validators (KBLI, email, year) reported through the same error shape."""
    try:
        business.full_clean(exclude=["owners", "source"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in problems.errors:
                for message in messages:
                    problems.error(field, message)


def business_validate(*, data: Mapping[str, Any]) -> None:
    """Check a new business's fields without saving anything.

    Raises:
        ValidationError: keyed by field.
    """
    unknown = set(data) - set(BUSINESS_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in sorted(unknown)})
    problems = Problems()
    _new_business(data, problems)
    problems.raise_if_any()


def _new_business(data: Mapping[str, Any], problems: Problems) -> Business:
    required = {"name": "", "sector": "", "desa_kelurahan": ""}
    cleaned = _clean_business_data({**required, **data}, problems)
    business = Business(**cleaned, name_key=compact_key(cleaned.get("name", "")))
    _full_clean(business, problems)
    return business


@transaction.atomic
def business_register(
    *,
    actor: Any,
    owner: Owner,
    co_owners: Sequence[Owner] = (),
    data: Mapping[str, Any],
    source: Source | str = Source.MANUAL,
    source_ref: str = "",
) -> Business:
    """Add a business to the register with its main owner (and co-owners).

    ``data`` holds the fields of ``BUSINESS_FIELDS``; ``desa_kelurahan`` may be a code or a
    name, which is resolved tolerantly within the deployment area.

    Raises:
        ValidationError: keyed by field, with every problem found; nothing is saved.
    """
    unknown = set(data) - set(BUSINESS_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in sorted(unknown)})
    problems = Problems()
    business = _new_business(data, problems)
    problems.raise_if_any()
    business.source = Source(source)
    business.source_ref = source_ref
    business.created_by = actor if getattr(actor, "is_authenticated", False) else None
    business.save()
    BusinessOwner.objects.create(business=business, owner=owner, role=OwnerRole.PEMILIK)
    for co_owner in co_owners:
        if co_owner.pk != owner.pk:
            BusinessOwner.objects.create(
                business=business, owner=co_owner, role=OwnerRole.PEMILIK_BERSAMA
            )
    audit_log(
        actor=actor,
        action="business.register",
        instance=business,
        source=business.source,
        changes=diff({}, snapshot(business, AUDITED_FIELDS)),
        extra={"owner": owner.pk, "warnings": len(problems.warnings), "source_ref": source_ref},
    )
    return business


def _lock(business: Business) -> Business:
    locked = Business.objects.select_for_update().get(pk=business.pk)
    if locked.status == BusinessStatus.MERGED:
        raise ApplicationError(BUSINESS_MERGED, code="business_merged")
    return locked


@transaction.atomic
def business_update(*, actor: Any, business: Business, data: Mapping[str, Any]) -> Business:
    """Change the given fields of a business; the audit log keeps old and new values.

    Raises:
        ValidationError: keyed by field; nothing is saved.
        ApplicationError: the business was merged into another record.
    """
    unknown = set(data) - set(BUSINESS_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom ini tidak dapat diubah.") for name in unknown})
    business = _lock(business)
    before = snapshot(business, AUDITED_FIELDS)
    problems = Problems()
    cleaned = _clean_business_data(data, problems, business=business)
    for name, value in cleaned.items():
        setattr(business, name, value)
    business.name_key = compact_key(business.name)
    _full_clean(business, problems)
    problems.raise_if_any()
    business.save()
    changes = diff(before, snapshot(business, AUDITED_FIELDS))
    if changes:
        audit_log(actor=actor, action="business.update", instance=business, changes=changes)
    return business


@transaction.atomic
def business_close(
    *, actor: Any, business: Business, reason: str, closed_on: date | None = None
) -> Business:
    """Mark a business as closed (tutup). The record stays in the register for history."""
    business = _lock(business)
    if business.status == BusinessStatus.CLOSED:
        raise ApplicationError(BUSINESS_CLOSED_ALREADY, code="business_closed")
    if not reason.strip():
        raise ValidationError({"closed_reason": _("Alasan tutup wajib diisi.")})
    before = snapshot(business, AUDITED_FIELDS)
    business.status = BusinessStatus.CLOSED
    business.closed_on = closed_on or timezone.localdate()
    business.closed_reason = reason.strip()
    business.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="business.close",
        instance=business,
        changes=diff(before, snapshot(business, AUDITED_FIELDS)),
    )
    return business


@transaction.atomic
def business_reopen(*, actor: Any, business: Business) -> Business:
    """Undo a closure (the business turned out to be still running)."""
    business = _lock(business)
    if business.status != BusinessStatus.CLOSED:
        raise ApplicationError(BUSINESS_NOT_CLOSED, code="business_not_closed")
    before = snapshot(business, AUDITED_FIELDS)
    business.status = BusinessStatus.ACTIVE
    business.closed_on = None
    business.closed_reason = ""
    business.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="business.reopen",
        instance=business,
        changes=diff(before, snapshot(business, AUDITED_FIELDS)),
    )
    return business
