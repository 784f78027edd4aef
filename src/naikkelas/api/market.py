"""Market endpoints: a business's products and listings, and the catalogue."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.market import services
from naikkelas.market.models import Product
from naikkelas.market.selectors import business_listings, business_products, catalogue
from naikkelas.registry.access import business_get_accessible

router = Router(tags=["market"])
MANAGE = capability_auth(Capability.MARKET_MANAGE)


class ProductIn(Schema):
    name: str
    description: str = ""
    price: int | None = Field(default=None, ge=0)
    unit: str = ""
    capacity: int | None = Field(default=None, ge=0)
    capacity_unit: str = ""
    spp_irt_number: str = ""
    bpom_md_number: str = ""
    halal_number: str = ""
    halal_expires_on: date | None = None
    barcode: str = ""
    packaging_status: str = "polos"
    in_catalogue: bool = True


class ProductOut(ProductIn):
    id: UUID
    business_id: UUID


class ListingIn(Schema):
    kind: str = Field(description="retail or online")
    retailer: str = ""
    platform: str = ""
    other_name: str = ""
    product_id: UUID | None = None
    region: str = ""
    url: str = ""
    since: date | None = None
    status: str = "listed"
    notes: str = ""


class ListingOut(Schema):
    id: UUID
    kind: str
    retailer: str
    platform: str
    channel_name: str
    product_id: UUID | None
    region: str
    url: str
    since: date | None
    status: str


class CatalogueOut(Schema):
    id: UUID
    name: str
    price: int | None
    unit: str
    store: str
    kecamatan: str


class CatalogueQuery(Schema):
    q: str = ""
    sector: str = ""
    kecamatan: str = ""


@router.get("/businesses/{business_id}/products", response=list[ProductOut], auth=MANAGE)
def product_list_api(request: HttpRequest, business_id: UUID) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    return business_products(business=business)


@router.post("/businesses/{business_id}/products", response={201: ProductOut}, auth=MANAGE)
def product_create_api(request: HttpRequest, business_id: UUID, payload: ProductIn) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    product = services.product_create(
        actor=request.user, business=business, data=payload.dict(), request=request
    )
    return Status(201, product)


@router.get("/businesses/{business_id}/listings", response=list[ListingOut], auth=MANAGE)
def listing_list_api(request: HttpRequest, business_id: UUID) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    return business_listings(business=business)


@router.post("/businesses/{business_id}/listings", response={201: ListingOut}, auth=MANAGE)
def listing_create_api(request: HttpRequest, business_id: UUID, payload: ListingIn) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    data = payload.dict()
    product_id = data.pop("product_id")
    data["product"] = (
        Product.objects.filter(pk=product_id, business=business).first() if product_id else None
    )
    listing = services.listing_save(
        actor=request.user, business=business, data=data, request=request
    )
    return Status(201, listing)


@router.get(
    "/catalogue", response=list[CatalogueOut], auth=capability_auth(Capability.ACCOUNT_SELF)
)
@paginate(LimitOffsetPagination)
def catalogue_api(request: HttpRequest, filters: Query[CatalogueQuery]) -> Any:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "price": p.price,
            "unit": p.unit,
            "store": p.business.storefront.display_name,
            "kecamatan": p.business.kecamatan.name,
        }
        for p in catalogue(**filters.dict())
    ]
