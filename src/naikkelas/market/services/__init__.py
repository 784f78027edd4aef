"""Services of the market app: typed, keyword-only, owning their transaction and audit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import ean

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.identifiers import parse_phone
from naikkelas.market.images import ImageRejectedError, clean_image
from naikkelas.market.models import (
    Affiliate,
    AffiliateResult,
    Listing,
    ListingKind,
    PackagingStatus,
    PackagingUpgrade,
    PhotoKind,
    Product,
    ProductPhoto,
    Storefront,
)
from naikkelas.registry.models import Business, BusinessStatus

PRODUCT_FIELDS = (
    "name",
    "description",
    "price",
    "unit",
    "capacity",
    "capacity_unit",
    "spp_irt_number",
    "bpom_md_number",
    "halal_number",
    "halal_expires_on",
    "barcode",
    "packaging_status",
    "in_catalogue",
)


def _clean_product(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in PRODUCT_FIELDS if k in data}
    if "name" in values and not str(values["name"]).strip():
        raise ApplicationError(_("Nama produk wajib diisi."))
    if values.get("price") is not None and int(values["price"]) < 0:
        raise ApplicationError(_("Harga tidak boleh negatif."))
    barcode = str(values.get("barcode") or "").replace(" ", "")
    if barcode:
        if not ean.is_valid(barcode) or len(barcode) not in (8, 12, 13, 14):
            raise ApplicationError(
                _("Barcode %(code)s tidak sah (angka cek GTIN/EAN salah).") % {"code": barcode}
            )
        values["barcode"] = barcode
    for key in (
        "name",
        "description",
        "unit",
        "capacity_unit",
        "spp_irt_number",
        "bpom_md_number",
        "halal_number",
    ):
        if key in values and values[key] is not None:
            values[key] = str(values[key]).strip()
    if values.get("packaging_status") and values["packaging_status"] not in PackagingStatus.values:
        raise ApplicationError(_("Status kemasan tidak dikenal."))
    return values


def _active(business: Business) -> None:
    if business.status != BusinessStatus.ACTIVE:
        raise ApplicationError(_("Produk hanya untuk usaha yang aktif."))


def product_create(
    *, actor: Any, business: Business, data: Mapping[str, Any], request: Any = None
) -> Product:
    _active(business)
    values = _clean_product(data)
    if not values.get("name"):
        raise ApplicationError(_("Nama produk wajib diisi."))
    with transaction.atomic():
        product = Product.objects.create(business=business, created_by=actor_user(actor), **values)
        audit_log(
            actor=actor,
            action="product.create",
            instance=product,
            request=request,
            extra={"business": business.pk},
        )
    return product


def product_update(
    *, actor: Any, product: Product, data: Mapping[str, Any], request: Any = None
) -> Product:
    values = _clean_product(data)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        changes = {
            k: [str(getattr(product, k)), str(v)]
            for k, v in values.items()
            if getattr(product, k) != v
        }
        for key, value in values.items():
            setattr(product, key, value)
        product.save()
        audit_log(
            actor=actor, action="product.update", instance=product, request=request, changes=changes
        )
    return product


def product_photo_add(
    *,
    actor: Any,
    product: Product,
    data: bytes,
    kind: str = PhotoKind.PRODUCT,
    caption: str = "",
    max_bytes: int | None = None,
    request: Any = None,
) -> ProductPhoto:
    """Store a validated, metadata-free copy of an uploaded image and its thumbnail.

    Raises:
        ApplicationError: not an acceptable image (the reason is for the person who sent it).
    """
    if kind not in PhotoKind.values:
        raise ApplicationError(_("Jenis foto tidak dikenal."))
    from django.conf import settings

    try:
        clean = clean_image(data, max_bytes=max_bytes or settings.NAIKKELAS_IMAGE_MAX_BYTES)
    except ImageRejectedError as exc:
        raise ApplicationError(str(exc), code="image") from exc
    name = uuid.uuid4().hex
    with transaction.atomic():
        photo = ProductPhoto(
            product=product,
            kind=kind,
            width=clean.width,
            height=clean.height,
            sha256=clean.sha256,
            caption=caption.strip()[:150],
            uploaded_by=actor_user(actor),
        )
        photo.image.save(f"{name}.{clean.extension}", ContentFile(clean.content), save=False)
        photo.thumbnail.save(
            f"{name}-thumb.{clean.extension}", ContentFile(clean.thumbnail), save=False
        )
        photo.save()
        audit_log(
            actor=actor,
            action="product.photo_add",
            instance=product,
            request=request,
            extra={"kind": kind, "sha256": clean.sha256, "bytes": len(clean.content)},
        )
    return photo


def product_photo_remove(*, actor: Any, photo: ProductPhoto, request: Any = None) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="product.photo_remove",
            instance=photo.product,
            request=request,
            extra={"photo": photo.pk, "kind": photo.kind},
        )
        image, thumbnail = photo.image, photo.thumbnail
        photo.delete()
        transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))


def packaging_upgrade_record(
    *,
    actor: Any,
    product: Product,
    to_status: str,
    done_on: date,
    description: str,
    before: bytes | None = None,
    after: bytes | None = None,
    cycle: Any = None,
    request: Any = None,
) -> PackagingUpgrade:
    """Packaging help given to a product (e.g. full-colour printing) with its before/after
    photos; the product's packaging status moves to ``to_status``."""
    if to_status not in PackagingStatus.values:
        raise ApplicationError(_("Status kemasan tidak dikenal."))
    if not description.strip():
        raise ApplicationError(_("Uraikan bantuan kemasannya."))
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        before_photo = (
            product_photo_add(actor=actor, product=product, data=before, kind=PhotoKind.BEFORE)
            if before
            else None
        )
        after_photo = (
            product_photo_add(actor=actor, product=product, data=after, kind=PhotoKind.AFTER)
            if after
            else None
        )
        upgrade = PackagingUpgrade.objects.create(
            product=product,
            from_status=product.packaging_status,
            to_status=to_status,
            done_on=done_on,
            description=description.strip()[:255],
            cycle=cycle,
            before_photo=before_photo,
            after_photo=after_photo,
            recorded_by=actor_user(actor),
        )
        product.packaging_status = to_status
        product.save(update_fields=["packaging_status", "updated_at"])
        audit_log(
            actor=actor,
            action="product.packaging_upgrade",
            instance=product,
            request=request,
            changes={"packaging_status": [upgrade.from_status, to_status]},
            extra={"description": upgrade.description},
        )
    return upgrade


def listing_save(
    *,
    actor: Any,
    business: Business,
    data: Mapping[str, Any],
    listing: Listing | None = None,
    request: Any = None,
) -> Listing:
    """Create or update a retail or online listing (kept current by officers or owners)."""
    kind = data.get("kind") or (listing.kind if listing else "")
    if kind not in ListingKind.values:
        raise ApplicationError(_("Jenis pemasaran tidak dikenal."))
    if kind == ListingKind.RETAIL and not data.get("retailer"):
        raise ApplicationError(_("Pilih peritelnya."))
    if kind == ListingKind.ONLINE and not data.get("platform"):
        raise ApplicationError(_("Pilih platformnya."))
    product = data.get("product")
    if product is not None and product.business_id != business.pk:
        raise ApplicationError(_("Produk ini milik usaha lain."))
    fields = (
        "kind",
        "retailer",
        "platform",
        "other_name",
        "region",
        "url",
        "since",
        "status",
        "notes",
        "product",
    )
    with transaction.atomic():
        created = listing is None
        row = listing or Listing(business=business)
        for key in fields:
            if key in data:
                setattr(
                    row,
                    key,
                    data[key]
                    if data[key] is not None
                    else ("" if key not in ("since", "product") else None),
                )
        if kind == ListingKind.RETAIL:
            row.platform = ""
        else:
            row.retailer = ""
        row.kind = kind
        row.updated_by = actor_user(actor)
        row.save()
        audit_log(
            actor=actor,
            action="listing.create" if created else "listing.update",
            instance=business,
            request=request,
            extra={"listing": row.pk, "channel": row.channel_name, "status": row.status},
        )
    return row


def storefront_set(
    *,
    actor: Any,
    business: Business,
    display_name: str,
    whatsapp: str = "",
    about: str = "",
    published: bool,
    consent_note: str = "",
    request: Any = None,
) -> Storefront:
    """What the owner agreed to publish. Publishing needs the owner's consent (recorded with
    how it was given); withdrawing it takes the business out of the catalogue at once."""
    if not display_name.strip():
        raise ApplicationError(_("Nama di katalog wajib diisi."))
    number = ""
    if whatsapp.strip():
        parsed = parse_phone(whatsapp)
        if not parsed.ok or not parsed.value:
            raise ApplicationError(_("Nomor WhatsApp tidak sah."))
        number = parsed.value
    if published and not consent_note.strip():
        raise ApplicationError(_("Catat bagaimana pemilik menyetujui penayangan."))
    with transaction.atomic():
        row, _created = Storefront.objects.select_for_update().get_or_create(
            business=business, defaults={"display_name": display_name.strip()}
        )
        before = {"published": row.published, "whatsapp": row.whatsapp}
        row.display_name = display_name.strip()[:150]
        row.whatsapp = number
        row.about = about.strip()[:255]
        if published and not row.published:
            row.consent_at = timezone.now()
            row.consent_note = consent_note.strip()[:150]
        row.published = published
        row.updated_by = actor_user(actor)
        row.save()
        audit_log(
            actor=actor,
            action="storefront.set",
            instance=business,
            request=request,
            changes={"published": [before["published"], published]},
            extra={"consent_note": row.consent_note},
        )
    return row


def affiliate_save(
    *,
    actor: Any,
    data: Mapping[str, Any],
    affiliate: Affiliate | None = None,
    products: list[Product] | None = None,
    request: Any = None,
) -> Affiliate:
    if not str(data.get("name", affiliate.name if affiliate else "")).strip():
        raise ApplicationError(_("Nama afiliasi wajib diisi."))
    with transaction.atomic():
        row = affiliate or Affiliate()
        for key in (
            "name",
            "relation",
            "business",
            "platforms",
            "handle",
            "trained_on",
            "active",
            "user",
        ):
            if key in data:
                setattr(row, key, data[key])
        row.save()
        if products is not None:
            row.products.set(products)
        audit_log(actor=actor, action="affiliate.save", instance=row, request=request)
    return row


def affiliate_result_set(
    *,
    actor: Any,
    affiliate: Affiliate,
    month: date,
    orders: int,
    sales: int,
    commission: int,
    request: Any = None,
) -> AffiliateResult:
    """One month's results (entering the same month again replaces it)."""
    if min(orders, sales, commission) < 0:
        raise ApplicationError(_("Angka tidak boleh negatif."))
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ApplicationError(_("Bulan ini belum terjadi."))
    with transaction.atomic():
        row, _created = AffiliateResult.objects.update_or_create(
            affiliate=affiliate,
            month=first,
            defaults={
                "orders": orders,
                "sales": sales,
                "commission": commission,
                "entered_by": actor_user(actor),
            },
        )
        audit_log(
            actor=actor,
            action="affiliate.result",
            instance=affiliate,
            request=request,
            extra={"month": first, "orders": orders, "sales": sales},
        )
    return row
