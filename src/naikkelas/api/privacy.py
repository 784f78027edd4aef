"""Personal-data endpoints: revealing an owner's full identity (audited)."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.privacy.services import person_reveal
from naikkelas.registry.access import business_get_accessible

router = Router(tags=["personal data"])


class RevealedPersonOut(Schema):
    full_name: str
    nik: str
    phone: str
    address: str
    birth_date: dt.date | None


@router.post(
    "/businesses/{business_id}/owners/{owner_id}/reveal",
    response=RevealedPersonOut,
    auth=capability_auth(Capability.PERSON_REVEAL),
)
def person_reveal_api(request: HttpRequest, business_id: UUID, owner_id: UUID) -> Any:
    """The full NIK, phone, address and birth date of one owner of a business you may see.

    Every call is written to the audit log (``person.reveal``).
    """
    business = business_get_accessible(user=request.user, business_id=business_id)
    owner = next((o for o in business.owners.all() if o.pk == owner_id), None)
    if owner is None:
        raise Http404
    return person_reveal(actor=request.user, owner=owner, business=business)
