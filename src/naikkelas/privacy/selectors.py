"""Reading consent and data-subject requests, and what the register holds about one person.

Contract for everyone who *uses* owners' data for a purpose beyond keeping the register itself
(programme selection, the public catalogue, mailings, exports for partners):

* filter owners with ``owners_with_active_consent(qs)`` and businesses with
  ``businesses_with_consenting_owner(qs)``, applied to the caller's scope from
  ``registry.access`` (these helpers narrow a queryset; they never widen it);
* an owner who withdrew consent (``privacy.services.consent_withdraw``) or whose data was
  deleted (``owner_anonymise``) drops out at once: the filters are ``Exists`` subqueries
  evaluated on every query, there is no cached flag to forget;
* owners who never gave consent are treated like owners who withdrew (no basis to process,
  UU 27/2022 Pasal 20).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from naikkelas.privacy.models import Consent, DataSubjectRequest, RequestStatus
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole


def _active_consent(owner_ref: str) -> Exists:
    return Exists(Consent.objects.filter(owner=OuterRef(owner_ref), withdrawn_at__isnull=True))


def _any_consent(owner_ref: str) -> Exists:
    return Exists(Consent.objects.filter(owner=OuterRef(owner_ref)))


def owner_has_active_consent(owner: Owner) -> bool:
    """True while the owner has at least one consent that is not withdrawn."""
    if owner.anonymised_at is not None:
        return False
    return Consent.objects.filter(owner=owner, withdrawn_at__isnull=True).exists()


def owners_with_active_consent(qs: QuerySet[Owner]) -> QuerySet[Owner]:
    """Narrow ``qs`` to owners with an active consent whose data has not been deleted."""
    return qs.filter(_active_consent("pk"), anonymised_at__isnull=True)


def businesses_with_consenting_owner(qs: QuerySet[Business]) -> QuerySet[Business]:
    """Narrow ``qs`` to businesses that may be used for programmes and the public catalogue.

    A business qualifies when its main owner (pemilik) has an active consent and is not
    anonymised, and none of its co-owners has withdrawn consent or had their data deleted.
    A co-owner who was never asked does not block the business, but callers must not show or
    use that co-owner's personal data (use ``owners_with_active_consent`` for that).
    """
    main_consents = Exists(
        BusinessOwner.objects.filter(
            business=OuterRef("pk"), role=OwnerRole.PEMILIK, owner__anonymised_at__isnull=True
        ).filter(_active_consent("owner_id"))
    )
    withdrawn_owner = Exists(
        BusinessOwner.objects.filter(business=OuterRef("pk")).filter(
            Q(owner__anonymised_at__isnull=False)
            | (Q(_any_consent("owner_id")) & ~Q(_active_consent("owner_id")))
        )
    )
    return qs.filter(main_consents).exclude(withdrawn_owner)


def consent_history(*, owner: Owner) -> QuerySet[Consent]:
    """All consents of the owner, newest first."""
    return (
        Consent.objects.filter(owner=owner)
        .select_related("recorded_by", "withdrawn_recorded_by")
        .order_by("-given_at", "-created_at")
    )


def consent_get(*, consent_id: Any) -> Consent | None:
    try:
        return Consent.objects.select_related("owner").get(pk=consent_id)
    except (Consent.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


# ---------------------------------------------------------------------------------------------
# Data-subject requests
# ---------------------------------------------------------------------------------------------


def _with_overdue(qs: QuerySet[DataSubjectRequest]) -> QuerySet[DataSubjectRequest]:
    return qs.annotate(
        is_overdue=Case(
            When(status=RequestStatus.OPEN, due_at__lt=timezone.now(), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def dsr_scope(*, owners: QuerySet[Owner]) -> QuerySet[DataSubjectRequest]:
    """Requests of the given owners (the caller's ``registry.access.owner_scope``)."""
    return _with_overdue(
        DataSubjectRequest.objects.filter(owner__in=owners).select_related("owner", "handled_by")
    )


def dsr_open_list(*, base: QuerySet[DataSubjectRequest]) -> QuerySet[DataSubjectRequest]:
    """Open requests, the one due first on top."""
    return base.filter(status=RequestStatus.OPEN).order_by("due_at", "created_at")


def dsr_processed_list(
    *, base: QuerySet[DataSubjectRequest], limit: int = 50
) -> QuerySet[DataSubjectRequest]:
    """The most recently answered requests."""
    return base.exclude(status=RequestStatus.OPEN).order_by("-handled_at", "-created_at")[:limit]


def dsr_get(*, request_id: Any, base: QuerySet[DataSubjectRequest]) -> DataSubjectRequest | None:
    try:
        return base.get(pk=request_id)
    except (DataSubjectRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def dsr_of_owner(*, owner: Owner) -> QuerySet[DataSubjectRequest]:
    return _with_overdue(DataSubjectRequest.objects.filter(owner=owner)).order_by("-created_at")


# ---------------------------------------------------------------------------------------------
# Everything about one person (owner portal, JSON download)
# ---------------------------------------------------------------------------------------------


def owner_businesses(*, businesses: QuerySet[Business]) -> QuerySet[Business]:
    """``businesses`` (already scoped) with everything the owner portal shows."""
    return (
        businesses.select_related("sector", "kecamatan", "desa_kelurahan", "membership")
        .prefetch_related("figures", "permits", "channels", "ownerships")
        .order_by("name_key", "id")
    )


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def owner_data_collect(*, owner: Owner, businesses: QuerySet[Business]) -> dict[str, Any]:
    """All data held about the owner, JSON-ready (machine-readable, UU 27/2022 Pasal 13)."""
    rows = []
    for business in owner_businesses(businesses=businesses):
        membership = getattr(business, "membership", None)
        role = next(
            (link.role for link in business.ownerships.all() if link.owner_id == owner.pk), ""
        )
        rows.append(
            {
                "id": str(business.pk),
                "name": business.name,
                "role": role,
                "legal_form": business.legal_form,
                "sector": business.sector_id,
                "kbli_code": business.kbli_code,
                "products": business.products,
                "address": business.address,
                "desa_kelurahan": business.desa_kelurahan_id,
                "desa_kelurahan_name": business.desa_kelurahan.name,
                "kecamatan": business.kecamatan_id,
                "kecamatan_name": business.kecamatan.name,
                "latitude": str(business.latitude) if business.latitude is not None else None,
                "longitude": str(business.longitude) if business.longitude is not None else None,
                "phone": business.phone,
                "email": business.email,
                "established_year": business.established_year,
                "nib": business.nib,
                "nib_issued_on": _iso(business.nib_issued_on),
                "npwp": business.npwp,
                "size_class": business.size_class,
                "size_class_year": business.size_class_year,
                "is_binaan": business.is_binaan,
                "binaan_since": _iso(business.binaan_since),
                "status": business.status,
                "closed_on": _iso(business.closed_on),
                "closed_reason": business.closed_reason,
                "source": business.source,
                "created_at": _iso(business.created_at),
                "updated_at": _iso(business.updated_at),
                "yearly_figures": [
                    {
                        "year": f.year,
                        "omzet": f.omzet,
                        "modal": f.modal,
                        "workers": f.workers,
                        "size_class": f.size_class,
                        "size_class_basis": f.size_class_basis,
                        "rule": f.rule_id,
                    }
                    for f in business.figures.all()
                ],
                "permits": [
                    {
                        "kind": p.kind,
                        "number": p.number,
                        "issued_on": _iso(p.issued_on),
                        "expires_on": _iso(p.expires_on),
                        "detail": p.detail,
                    }
                    for p in business.permits.all()
                ],
                "market_channels": [
                    {"kind": c.kind, "name": c.name, "url": c.url, "since": _iso(c.since)}
                    for c in business.channels.all()
                ],
                "membership": (
                    {
                        "number": membership.number,
                        "since": _iso(membership.since),
                        "status": membership.status,
                    }
                    if membership is not None
                    else None
                ),
            }
        )
    return {
        "format": "naikkelas-data-subject-export/1",
        "exported_at": timezone.now().isoformat(),
        "owner": {
            "id": str(owner.pk),
            "full_name": owner.full_name,
            "nik": owner.nik,
            "sex": owner.sex,
            "birth_date": _iso(owner.birth_date),
            "phone": owner.phone,
            "email": owner.email,
            "address": owner.address,
            "data_warnings": owner.data_warnings,
            "source": owner.source,
            "created_at": _iso(owner.created_at),
            "updated_at": _iso(owner.updated_at),
        },
        "businesses": rows,
        "consents": [
            {
                "purpose": c.purpose,
                "method": c.method,
                "given_by": c.given_by,
                "given_at": _iso(c.given_at),
                "has_evidence": bool(c.evidence),
                "withdrawn_at": _iso(c.withdrawn_at),
                "withdrawn_reason": c.withdrawn_reason,
            }
            for c in consent_history(owner=owner)
        ],
        "requests": [
            {
                "kind": r.kind,
                "details": r.details,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "due_at": _iso(r.due_at),
                "handled_at": _iso(r.handled_at),
                "resolution": r.resolution,
            }
            for r in dsr_of_owner(owner=owner)
        ],
    }
