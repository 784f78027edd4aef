"""Likely duplicates of a record before it is registered (the online check, for API clients).

ODK-side tools and the portal ask the question the new-business form asks while an officer
types::

    POST /api/v1/linkage/likely-duplicates
    {"business_name": "Emping Bu Iyah", "owner_name": "Iyah", "nik": "3673065205859001",
     "phone": "0812...", "address": "...", "kelurahan": "36.73.06.1005", "sector": "kuliner"}
    -> 200 [{"business_id", "business_name", "same_business_probability",
             "same_owner_probability", "explanation": {...}, ...}]

Only businesses the caller may see are returned, at most five, the most likely first; an
empty list when the record says too little (a business name and the owner's name, NIK or
phone are needed) or nothing is likely. Malformed values are not an error: they are simply
not evidence.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.api.schemas import RegionOut
from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.linkage.online_views import LikelyDuplicate, likely_duplicates_for_user

router = Router(tags=["linkage"])


class TypedRecordIn(Schema):
    """A record as typed or collected, in the canonical linkage columns (all optional)."""

    # Spreadsheet and ODK tools send NIKs and phones as numbers.
    model_config = ConfigDict(coerce_numbers_to_str=True)

    business_name: str | None = None
    owner_name: str | None = None
    nik: str | None = Field(default=None, description="16 digits, as on the KTP")
    phone: str | None = None
    address: str | None = None
    kelurahan: str | None = Field(
        default=None, description="Kemendagri code (36.73.06.1005) or name"
    )
    sector: str | None = Field(default=None, description="sector code, e.g. kuliner")
    nib: str | None = None


class LikelyDuplicateOut(Schema):
    business_id: UUID
    business_name: str
    desa_kelurahan: RegionOut
    status: str
    owner_name: str
    owner_nik_masked: str
    owner_phone_masked: str
    same_business_probability: float
    same_owner_probability: float
    explanation: dict[str, Any] = Field(
        description="the engine's explanation: both models' terms (log2 Bayes factors) and "
        "'terms', the business model's terms labelled, strongest evidence first"
    )


def _out(found: LikelyDuplicate) -> dict[str, Any]:
    business, owner = found.business, found.owner
    return {
        "business_id": business.pk,
        "business_name": business.name,
        "desa_kelurahan": business.desa_kelurahan,
        "status": business.status,
        "owner_name": owner.full_name if owner else "",
        "owner_nik_masked": mask_nik(owner.nik) if owner and owner.nik else "",
        "owner_phone_masked": mask_phone(owner.phone) if owner and owner.phone else "",
        "same_business_probability": found.same_business_probability,
        "same_owner_probability": found.same_owner_probability,
        "explanation": found.explanation(),
    }


@router.post(
    "/likely-duplicates",
    response=list[LikelyDuplicateOut],
    auth=capability_auth(Capability.REGISTER_EDIT),
)
def likely_duplicates_api(request: HttpRequest, payload: TypedRecordIn) -> Any:
    """Businesses of your scope that this record could be (at most five, most likely first)."""
    data = payload.dict(exclude_none=True)
    return [_out(found) for found in likely_duplicates_for_user(user=request.user, data=data)]
