"""Register endpoints: businesses and owners (list, detail, create, update)."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.api.pagination import KeysetPagination
from naikkelas.api.schemas import (
    BusinessIn,
    BusinessListOut,
    BusinessOut,
    BusinessPatch,
    OwnerIn,
    OwnerOut,
    OwnerPatch,
)
from naikkelas.regions.selectors import normalise_code
from naikkelas.registry import services
from naikkelas.registry.access import (
    business_get_accessible,
    business_scope,
    owner_get_accessible,
    owner_scope,
    region_in_scope,
)
from naikkelas.registry.models import Source
from naikkelas.registry.selectors import BusinessFilters, business_list, owner_list

router = Router(tags=["register"])
OUT_OF_AREA = "Wilayah ini di luar wilayah tugas Anda."


class BusinessQuery(Schema):
    q: str = ""
    kecamatan: str = ""
    desa_kelurahan: str = ""
    sector: str = ""
    size_class: str = ""
    is_member: bool | None = None
    is_binaan: bool | None = None
    has_nib: bool | None = None
    has_halal: bool | None = None
    status: str = "active"


def _check_region(request: HttpRequest, desa_kelurahan: str | None) -> None:
    """Enumerators register only inside their areas (names are resolved by the service)."""
    if desa_kelurahan and desa_kelurahan.replace(".", "").isdigit():
        code = normalise_code(desa_kelurahan)
        if not region_in_scope(user=request.user, desa_kelurahan_code=code):
            raise ValidationError({"desa_kelurahan": OUT_OF_AREA})


@router.get(
    "/businesses", response=list[BusinessListOut], auth=capability_auth(Capability.REGISTER_VIEW)
)
@paginate(KeysetPagination)
def business_list_api(request: HttpRequest, filters: Query[BusinessQuery]) -> Any:
    return business_list(
        base=business_scope(user=request.user), filters=BusinessFilters(**filters.dict())
    )


@router.get(
    "/businesses/{business_id}",
    response=BusinessOut,
    auth=capability_auth(Capability.REGISTER_VIEW),
)
def business_detail_api(request: HttpRequest, business_id: UUID) -> Any:
    return business_get_accessible(user=request.user, business_id=business_id)


@router.post(
    "/businesses", response={201: BusinessOut}, auth=capability_auth(Capability.REGISTER_EDIT)
)
def business_create_api(request: HttpRequest, payload: BusinessIn) -> Any:
    data = payload.dict(exclude={"owner_id", "owner", "figures"}, exclude_none=True)
    figures = [f.dict() for f in payload.figures]
    _check_region(request, payload.desa_kelurahan)
    with transaction.atomic():
        if payload.owner_id is not None:
            owner = owner_scope(user=request.user).filter(pk=payload.owner_id).first()
            if owner is None:
                raise ValidationError({"owner_id": "Pemilik tidak ditemukan."})
            business = services.business_register(
                actor=request.user, owner=owner, data=data, source=Source.API
            )
        elif payload.owner is not None:
            business, _reused = services.business_register_with_owner(
                actor=request.user,
                owner_data=payload.owner.dict(),
                business_data=data,
                source=Source.API,
            )
        else:
            raise ValidationError({"owner": "Isi owner_id atau data owner."})
        for index, figure in enumerate(figures):
            try:
                services.yearly_figure_set(actor=request.user, business=business, **figure)
            except ValidationError as error:
                raise ValidationError(
                    {f"figures.{index}.{k}": v for k, v in error.message_dict.items()}
                ) from error
        if not business_scope(user=request.user).filter(pk=business.pk).exists():
            # a name resolved to a kelurahan outside the enumerator's areas
            raise ValidationError({"desa_kelurahan": OUT_OF_AREA})
    return Status(201, business_get_accessible(user=request.user, business_id=business.pk))


@router.patch(
    "/businesses/{business_id}",
    response=BusinessOut,
    auth=capability_auth(Capability.REGISTER_EDIT),
)
def business_update_api(request: HttpRequest, business_id: UUID, payload: BusinessPatch) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    with transaction.atomic():
        services.business_update(
            actor=request.user, business=business, data=payload.dict(exclude_unset=True)
        )
        if not business_scope(user=request.user).filter(pk=business.pk).exists():
            raise ValidationError({"desa_kelurahan": OUT_OF_AREA})
    return business_get_accessible(user=request.user, business_id=business_id)


class OwnerQuery(Schema):
    q: str = ""


@router.get("/owners", response=list[OwnerOut], auth=capability_auth(Capability.REGISTER_VIEW))
@paginate(KeysetPagination)
def owner_list_api(request: HttpRequest, filters: Query[OwnerQuery]) -> Any:
    return owner_list(base=owner_scope(user=request.user), q=filters.q)


@router.get("/owners/{owner_id}", response=OwnerOut, auth=capability_auth(Capability.REGISTER_VIEW))
def owner_detail_api(request: HttpRequest, owner_id: UUID) -> Any:
    return owner_get_accessible(user=request.user, owner_id=owner_id)


@router.post("/owners", response={201: OwnerOut}, auth=capability_auth(Capability.REGISTER_EDIT))
def owner_create_api(request: HttpRequest, payload: OwnerIn) -> Any:
    owner = services.owner_create(actor=request.user, source=Source.API, **payload.dict())
    return Status(201, owner)


@router.patch(
    "/owners/{owner_id}", response=OwnerOut, auth=capability_auth(Capability.REGISTER_EDIT)
)
def owner_update_api(request: HttpRequest, owner_id: UUID, payload: OwnerPatch) -> Any:
    owner = owner_get_accessible(user=request.user, owner_id=owner_id)
    return services.owner_update(
        actor=request.user, owner=owner, data=payload.dict(exclude_unset=True)
    )
