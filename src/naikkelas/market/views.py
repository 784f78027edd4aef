"""Market pages: a business's products, packaging upgrades, listings and storefront (officers
and owners), affiliates, photos, and the public catalogue."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.models import Role
from naikkelas.accounts.permissions import Capability, public, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.service_calls import call_service
from naikkelas.market import services
from naikkelas.market.forms import (
    AffiliateForm,
    CatalogueSearchForm,
    ListingForm,
    PhotoForm,
    ProductForm,
    ResultForm,
    StorefrontForm,
    UpgradeForm,
)
from naikkelas.market.models import Affiliate, Listing, Product, ProductPhoto, Storefront
from naikkelas.market.selectors import (
    business_listings,
    business_products,
    catalogue,
    catalogue_product,
    listing_counts,
)
from naikkelas.registry.access import business_get_accessible, business_scope

MAX_UPLOAD = 12 * 1024 * 1024  # what a form may carry; images are capped again by the service


def _read(upload: Any) -> bytes | None:
    if not upload:
        return None
    if upload.size > MAX_UPLOAD:
        raise ApplicationError(_("Berkas terlalu besar."))
    return b"".join(upload.chunks())


def _market_url(business: Any, owner: bool) -> str:
    from django.urls import reverse

    name = "market:my_business" if owner else "market:business"
    return reverse(name, args=[business.pk])


def _business_market(request: HttpRequest, business: Any, *, owner: bool) -> HttpResponse:
    back = _market_url(business, owner)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "product":
            form = ProductForm(request.POST)
            if form.is_valid():
                product = call_service(
                    request,
                    lambda: services.product_create(
                        actor=request.user,
                        business=business,
                        data=form.cleaned_data,
                        request=request,
                    ),
                    _("Produk disimpan."),
                )
                if product is not None:
                    return redirect(_product_url(product, owner))
            else:
                messages.error(request, _("Produk tidak lengkap: periksa isian."))
        elif action == "listing":
            listing_form = ListingForm(request.POST, business=business)
            if listing_form.is_valid():
                call_service(
                    request,
                    lambda: services.listing_save(
                        actor=request.user,
                        business=business,
                        data=listing_form.cleaned_data,
                        request=request,
                    ),
                    _("Pemasaran disimpan."),
                )
            else:
                messages.error(request, _("Pemasaran tidak lengkap: periksa isian."))
        elif action == "storefront":
            store_form = StorefrontForm(request.POST)
            if store_form.is_valid():
                data = dict(store_form.cleaned_data)
                if owner and data["published"] and not data["consent_note"]:
                    data["consent_note"] = _("disetujui pemilik lewat portal")
                call_service(
                    request,
                    lambda: services.storefront_set(
                        actor=request.user, business=business, request=request, **data
                    ),
                    _("Etalase katalog disimpan."),
                )
            else:
                messages.error(request, _("Etalase tidak lengkap: periksa isian."))
        else:
            raise Http404
        return redirect(back)
    storefront = Storefront.objects.filter(business=business).first()
    return render(
        request,
        "market/business.html",
        {
            "business": business,
            "owner_view": owner,
            "products": business_products(business=business),
            "listings": business_listings(business=business),
            "product_form": ProductForm(),
            "listing_form": ListingForm(business=business, initial={"since": timezone.localdate()}),
            "storefront": storefront,
            "storefront_form": StorefrontForm(
                initial={
                    "display_name": storefront.display_name if storefront else business.name,
                    "whatsapp": storefront.whatsapp if storefront else "",
                    "about": storefront.about if storefront else "",
                    "published": storefront.published if storefront else False,
                }
            ),
        },
    )


@requires(Capability.MARKET_MANAGE)
def business_market(request: HttpRequest, business_id: Any) -> HttpResponse:
    return _business_market(
        request, business_get_accessible(user=request.user, business_id=business_id), owner=False
    )


@requires(Capability.OWNER_PORTAL)
def my_business_market(request: HttpRequest, business_id: Any) -> HttpResponse:
    return _business_market(
        request, business_get_accessible(user=request.user, business_id=business_id), owner=True
    )


def _product_url(product: Product, owner: bool) -> str:
    from django.urls import reverse

    return reverse("market:my_product" if owner else "market:product", args=[product.pk])


def _product_for(request: HttpRequest, product_id: Any) -> Product:
    """The product, if its business is in the user's scope (404 otherwise)."""
    product = get_object_or_404(Product.objects.select_related("business"), pk=product_id)
    business_get_accessible(user=request.user, business_id=product.business_id)
    return product


def _product_page(request: HttpRequest, product: Product, *, owner: bool) -> HttpResponse:
    back = _product_url(product, owner)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "update":
                form = ProductForm(request.POST)
                if not form.is_valid():
                    raise ApplicationError(_("Produk tidak lengkap: periksa isian."))
                services.product_update(
                    actor=request.user, product=product, data=form.cleaned_data, request=request
                )
                messages.success(request, _("Produk disimpan."))
            elif action == "photo":
                photo_form = PhotoForm(request.POST, request.FILES)
                if not photo_form.is_valid():
                    raise ApplicationError(_("Pilih berkas foto."))
                services.product_photo_add(
                    actor=request.user,
                    product=product,
                    data=_read(photo_form.cleaned_data["image"]) or b"",
                    caption=photo_form.cleaned_data["caption"],
                    request=request,
                )
                messages.success(request, _("Foto ditambahkan."))
            elif action == "upgrade":
                upgrade_form = UpgradeForm(request.POST, request.FILES)
                if not upgrade_form.is_valid():
                    raise ApplicationError(_("Peningkatan kemasan tidak lengkap: periksa isian."))
                data = upgrade_form.cleaned_data
                services.packaging_upgrade_record(
                    actor=request.user,
                    product=product,
                    to_status=data["to_status"],
                    done_on=data["done_on"],
                    description=data["description"],
                    before=_read(data.get("before")),
                    after=_read(data.get("after")),
                    request=request,
                )
                messages.success(request, _("Peningkatan kemasan dicatat."))
            elif action == "photo_remove":
                photo = get_object_or_404(
                    ProductPhoto, pk=request.POST.get("photo"), product=product
                )
                services.product_photo_remove(actor=request.user, photo=photo, request=request)
                messages.success(request, _("Foto dihapus."))
            else:
                raise Http404
        except ApplicationError as error:
            messages.error(request, error.message)
        except (ValueError, ValidationError):  # a malformed photo id
            raise Http404 from None
        return redirect(back)
    initial = {name: getattr(product, name) for name in ProductForm.base_fields}
    return render(
        request,
        "market/product.html",
        {
            "product": product,
            "owner_view": owner,
            "form": ProductForm(initial=initial),
            "photo_form": PhotoForm(),
            "upgrade_form": UpgradeForm(initial={"done_on": timezone.localdate()}),
            "photos": product.photos.order_by("kind", "created_at"),
            "upgrades": product.upgrades.select_related("before_photo", "after_photo").order_by(
                "-done_on"
            ),
            "market_url": _market_url(product.business, owner),
        },
    )


@requires(Capability.MARKET_MANAGE)
def product_page(request: HttpRequest, product_id: Any) -> HttpResponse:
    return _product_page(request, _product_for(request, product_id), owner=False)


@requires(Capability.OWNER_PORTAL)
def my_product_page(request: HttpRequest, product_id: Any) -> HttpResponse:
    return _product_page(request, _product_for(request, product_id), owner=True)


@require_POST
@requires(Capability.MARKET_MANAGE)
def listing_update(request: HttpRequest, listing_id: Any) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("business"), pk=listing_id)
    business = business_get_accessible(user=request.user, business_id=listing.business_id)
    form = ListingForm(request.POST, business=business)
    if form.is_valid():
        call_service(
            request,
            lambda: services.listing_save(
                actor=request.user,
                business=business,
                data=form.cleaned_data,
                listing=listing,
                request=request,
            ),
            _("Pemasaran diperbarui."),
        )
    else:
        messages.error(request, _("Pemasaran tidak lengkap: periksa isian."))
    return redirect("market:business", business_id=business.pk)


def _may_see_photo(request: HttpRequest, photo: ProductPhoto) -> bool:
    if catalogue().filter(pk=photo.product_id).exists():
        return True
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    if Role(user.role) == Role.PIMPINAN:  # type: ignore[union-attr]
        return False
    return business_scope(user=user).filter(pk=photo.product.business_id).exists()


@public
def photo(request: HttpRequest, photo_id: Any, size: str) -> FileResponse:
    """A product photo: public when the product is in the catalogue, otherwise only for those
    who may see the business. Served from whatever storage holds it."""
    item = get_object_or_404(ProductPhoto.objects.select_related("product"), pk=photo_id)
    if size not in ("besar", "kecil") or not _may_see_photo(request, item):
        raise Http404
    field = item.image if size == "besar" else item.thumbnail
    response = FileResponse(
        field.open("rb"), content_type="image/png" if field.name.endswith(".png") else "image/jpeg"
    )
    response["Cache-Control"] = "public, max-age=86400" if request.user.is_anonymous else "private"
    return response


@public
def catalogue_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    products = catalogue(
        q=filters.get("q", ""),
        sector=filters.get("sector", ""),
        kecamatan=filters.get("kecamatan", ""),
    )
    page = Paginator(products, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "market/catalogue.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def whatsapp_order_link(product: Product) -> str:
    store = product.business.storefront
    if not store.whatsapp:
        return ""
    text = _("Halo %(store)s, saya ingin memesan %(product)s (dari katalog UMKM naikkelas).") % {
        "store": store.display_name,
        "product": product.name,
    }
    return f"https://wa.me/{store.whatsapp.lstrip('+')}?text={quote(text)}"


@public
def catalogue_detail(request: HttpRequest, product_id: Any) -> HttpResponse:
    product = catalogue_product(product_id=product_id)
    if product is None:
        raise Http404
    marketplaces = Listing.objects.filter(
        business=product.business, kind="online", status="listed"
    ).exclude(url="")
    retail = Listing.objects.filter(business=product.business, kind="retail", status="listed")
    image = product.shown_photos[0] if product.shown_photos else None  # type: ignore[attr-defined]
    return render(
        request,
        "market/catalogue_detail.html",
        {
            "product": product,
            "store": product.business.storefront,
            "order_link": whatsapp_order_link(product),
            "marketplaces": marketplaces,
            "retail": retail,
            "image": image,
            "page_url": request.build_absolute_uri(),
            "image_url": request.build_absolute_uri(f"/pasar/foto/{image.pk}/besar")
            if image
            else "",
        },
    )


@requires(Capability.MARKET_MANAGE)
def affiliate_list(request: HttpRequest) -> HttpResponse:
    form = AffiliateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        affiliate = call_service(
            request,
            lambda: services.affiliate_save(
                actor=request.user, data=form.cleaned_data, request=request
            ),
            _("Afiliasi disimpan."),
        )
        if affiliate is not None:
            return redirect("market:affiliate", affiliate_id=affiliate.pk)
    affiliates = Affiliate.objects.prefetch_related("results").order_by("name")
    return render(request, "market/affiliate_list.html", {"affiliates": affiliates, "form": form})


def _affiliate_page(request: HttpRequest, affiliate: Affiliate, *, own: bool) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "result":
            result_form = ResultForm(request.POST)
            if result_form.is_valid():
                call_service(
                    request,
                    lambda: services.affiliate_result_set(
                        actor=request.user,
                        affiliate=affiliate,
                        request=request,
                        **result_form.cleaned_data,
                    ),
                    _("Hasil bulan ini disimpan."),
                )
            else:
                messages.error(request, _("Hasil tidak lengkap: periksa isian."))
        elif action == "products" and not own:
            ids = request.POST.getlist("products")
            chosen = list(catalogue().filter(pk__in=[i for i in ids if i]))
            call_service(
                request,
                lambda: services.affiliate_save(
                    actor=request.user,
                    data={},
                    affiliate=affiliate,
                    products=chosen,
                    request=request,
                ),
                _("Produk yang dipromosikan disimpan."),
            )
        else:
            raise Http404
        return redirect(request.path)
    return render(
        request,
        "market/affiliate.html",
        {
            "affiliate": affiliate,
            "own": own,
            "results": affiliate.results.order_by("-month"),
            "result_form": ResultForm(initial={"month": timezone.localdate()}),
            "catalogue": catalogue()[:200] if not own else [],
            "chosen": set(affiliate.products.values_list("pk", flat=True)),
        },
    )


@requires(Capability.MARKET_MANAGE)
def affiliate_detail(request: HttpRequest, affiliate_id: Any) -> HttpResponse:
    return _affiliate_page(request, get_object_or_404(Affiliate, pk=affiliate_id), own=False)


@requires(Capability.OWNER_PORTAL)
def my_affiliate(request: HttpRequest) -> HttpResponse:
    """An affiliate who is an owner enters their own monthly results."""
    affiliate = Affiliate.objects.filter(user__pk=int(request.user.pk or 0)).first()
    if affiliate is None:
        raise Http404
    return _affiliate_page(request, affiliate, own=True)


@requires(Capability.DASHBOARD_VIEW)
def market_report(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Sum

    from naikkelas.market.models import AffiliateResult, PackagingUpgrade

    counts = listing_counts()
    upgrades = PackagingUpgrade.objects.values("to_status").annotate(n=Count("id"))
    affiliates = (
        AffiliateResult.objects.values("month")
        .annotate(orders=Sum("orders"), sales=Sum("sales"))
        .order_by("-month")[:12]
    )
    return render(
        request,
        "market/report.html",
        {
            "counts": counts,
            "upgrades": upgrades,
            "affiliates": affiliates,
            "catalogue_size": catalogue().count(),
        },
    )
