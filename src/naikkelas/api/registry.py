"""Register endpoints: businesses and owners (list, detail, create, update)."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from naikkelas.accounts.models import Role
from naikkelas.api.schemas import (
    BusinessIn,
    BusinessListOut,
    BusinessOut,
    BusinessPatch,
    OwnerIn,
    OwnerOut,
    OwnerPatch,
)
from naikkelas.registry import services
from naikkelas.registry.models import Business, Owner, Source
from naikkelas.registry.selectors import (
    BusinessFilters,
    business_get,
    business_list,
    owner_get,
    owner_list,
)

router = Router(tags=["register"])

REGISTER_ROLES = {Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}


def _check_access(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in REGISTER_ROLES:
        raise PermissionDenied


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


def _business(business_id: UUID) -> Business:
    business = business_get(business_id=business_id)
    if business is None:
        raise Http404
    return business


def _owner(owner_id: UUID) -> Owner:
    owner = owner_get(owner_id=owner_id)
    if owner is None:
        raise Http404
    return owner


@router.get("/businesses", response=list[BusinessListOut])
@paginate(LimitOffsetPagination)
def business_list_api(request: HttpRequest, filters: Query[BusinessQuery]) -> Any:
    _check_access(request)
    return business_list(filters=BusinessFilters(**filters.dict()))


@router.get("/businesses/{business_id}", response=BusinessOut)
def business_detail_api(request: HttpRequest, business_id: UUID) -> Any:
    _check_access(request)
    return _business(business_id)


@router.post("/businesses", response={201: BusinessOut})
def business_create_api(request: HttpRequest, payload: BusinessIn) -> Any:
    _check_access(request)
    data = payload.dict(exclude={"owner_id", "owner", "figures"}, exclude_none=True)
    figures = [f.dict() for f in payload.figures]
    with transaction.atomic():
        if payload.owner_id is not None:
            owner = owner_get(owner_id=payload.owner_id)
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
    return Status(201, _business(business.pk))


@router.patch("/businesses/{business_id}", response=BusinessOut)
def business_update_api(request: HttpRequest, business_id: UUID, payload: BusinessPatch) -> Any:
    _check_access(request)
    business = _business(business_id)
    services.business_update(
        actor=request.user, business=business, data=payload.dict(exclude_unset=True)
    )
    return _business(business_id)


class OwnerQuery(Schema):
    q: str = ""


@router.get("/owners", response=list[OwnerOut])
@paginate(LimitOffsetPagination)
def owner_list_api(request: HttpRequest, filters: Query[OwnerQuery]) -> Any:
    _check_access(request)
    return owner_list(q=filters.q)


@router.get("/owners/{owner_id}", response=OwnerOut)
def owner_detail_api(request: HttpRequest, owner_id: UUID) -> Any:
    _check_access(request)
    return _owner(owner_id)


@router.post("/owners", response={201: OwnerOut})
def owner_create_api(request: HttpRequest, payload: OwnerIn) -> Any:
    _check_access(request)
    owner = services.owner_create(actor=request.user, source=Source.API, **payload.dict())
    return Status(201, owner)


@router.patch("/owners/{owner_id}", response=OwnerOut)
def owner_update_api(request: HttpRequest, owner_id: UUID, payload: OwnerPatch) -> Any:
    _check_access(request)
    owner = _owner(owner_id)
    return services.owner_update(
        actor=request.user, owner=owner, data=payload.dict(exclude_unset=True)
    )
