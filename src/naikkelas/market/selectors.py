"""Reading market data: a business's products and listings, the public catalogue, counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from naikkelas.market.models import (
    Listing,
    ListingKind,
    ListingStatus,
    PhotoKind,
    Product,
    ProductPhoto,
)
from naikkelas.registry.models import Business, BusinessStatus

SHOWN_PHOTOS = [PhotoKind.PRODUCT.value, PhotoKind.AFTER.value]


def business_products(*, business: Business) -> QuerySet[Product]:
    return (
        Product.objects.filter(business=business)
        .prefetch_related("photos", "upgrades__before_photo", "upgrades__after_photo")
        .order_by("name", "id")
    )


def business_listings(*, business: Business) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(business=business)
        .select_related("product")
        .order_by("kind", "-since", "id")
    )


def catalogue(*, q: str = "", sector: str = "", kecamatan: str = "") -> QuerySet[Product]:
    """Products the public may see: of active binaan businesses whose owner agreed to publish
    their storefront, and not hidden by the owner."""
    qs = Product.objects.filter(
        in_catalogue=True,
        business__status=BusinessStatus.ACTIVE,
        business__is_binaan=True,
        business__storefront__published=True,
    )
    if sector:
        qs = qs.filter(business__sector_id=sector)
    if kecamatan:
        qs = qs.filter(business__kecamatan_id=kecamatan)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(business__storefront__display_name__icontains=word)
        )
    photos = ProductPhoto.objects.filter(kind__in=SHOWN_PHOTOS).order_by("-kind", "created_at")
    return (
        qs.select_related("business__storefront", "business__kecamatan", "business__sector")
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="shown_photos"))
        .order_by("name", "id")
    )


def catalogue_product(*, product_id: Any) -> Product | None:
    try:
        return catalogue().filter(pk=product_id).first()
    except (ValueError, TypeError):
        return None


def listing_counts() -> dict[str, Any]:
    """Active listings per retailer and platform, and businesses listed (for reports)."""
    active = Listing.objects.filter(status=ListingStatus.LISTED)
    retail = dict(
        active.filter(kind=ListingKind.RETAIL).values_list("retailer").annotate(n=Count("id"))
    )
    online = dict(
        active.filter(kind=ListingKind.ONLINE).values_list("platform").annotate(n=Count("id"))
    )
    return {
        "retail": retail,
        "online": online,
        "businesses_retail": active.filter(kind=ListingKind.RETAIL)
        .values("business")
        .distinct()
        .count(),
        "businesses_online": active.filter(kind=ListingKind.ONLINE)
        .values("business")
        .distinct()
        .count(),
    }
