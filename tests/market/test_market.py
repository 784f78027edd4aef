"""Products, packaging upgrades with photos, listings, the storefront and the public catalogue;
affiliates; access rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.market import services
from naikkelas.market.models import (
    Affiliate,
    AffiliateResult,
    Listing,
    PackagingUpgrade,
    Product,
    ProductPhoto,
)
from naikkelas.registry.models import Owner
from tests.conftest import make_user
from tests.market.test_images import jpeg_with_gps
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def binaan(dinas_user):  # noqa: ANN001, ANN201
    return business_in("36.73.02", is_binaan=True, binaan_since=date(2025, 1, 10))


def published(actor, business):  # noqa: ANN001, ANN201
    return services.storefront_set(
        actor=actor,
        business=business,
        display_name="Keripik Teh Imas",
        whatsapp="0812-0000-7788",
        about="Keripik singkong pedas dari Kasemen",
        published=True,
        consent_note="formulir kertas 12/11/2026",
    )


def test_products_validate_their_barcode_and_price(dinas_user, binaan) -> None:  # noqa: ANN001
    product = services.product_create(
        actor=dinas_user,
        business=binaan,
        data={
            "name": "Keripik singkong pedas",
            "price": 15000,
            "unit": "pak 200 g",
            "barcode": "8992761111113",
        },
    )
    assert product.barcode == "8992761111113"
    with pytest.raises(ApplicationError, match="Barcode"):
        services.product_create(
            actor=dinas_user, business=binaan, data={"name": "x", "barcode": "8992761111112"}
        )
    with pytest.raises(ApplicationError, match="negatif"):
        services.product_update(actor=dinas_user, product=product, data={"price": -1})


def test_packaging_upgrade_with_before_and_after_photos(dinas_client, dinas_user, binaan) -> None:  # noqa: ANN001
    product = services.product_create(
        actor=dinas_user,
        business=binaan,
        data={"name": "Keripik singkong", "packaging_status": "polos"},
    )
    url = reverse("market:product", args=[product.pk])
    response = dinas_client.post(
        url,
        {
            "action": "upgrade",
            "to_status": "full_colour",
            "done_on": "2026-11-20",
            "description": "Cetak standing pouch full colour",
            "before": SimpleUploadedFile("sebelum.jpg", jpeg_with_gps((800, 600)), "image/jpeg"),
            "after": SimpleUploadedFile("sesudah.png", jpeg_with_gps((800, 600)), "image/png"),
        },
    )
    assert response.status_code == 302
    upgrade = PackagingUpgrade.objects.get(product=product)
    assert (upgrade.from_status, upgrade.to_status) == ("polos", "full_colour")
    assert upgrade.before_photo.kind == "before" and upgrade.after_photo.kind == "after"
    product.refresh_from_db()
    assert product.packaging_status == "full_colour"
    stored = upgrade.after_photo.image.read()
    assert b"Exif" not in stored  # the GPS of the upload never reached the storage
    page = dinas_client.get(url).content.decode()
    assert "Cetak standing pouch full colour" in page and "sesudah" in page
    # a file that is not an image is refused with a message, nothing is stored
    response = dinas_client.post(
        url,
        {
            "action": "photo",
            "image": SimpleUploadedFile("foto.jpg", b"%PDF-1.4", "image/jpeg"),
        },
        follow=True,
    )
    assert "bukan gambar" in response.content.decode()
    assert ProductPhoto.objects.filter(product=product).count() == 2
    bad = dinas_client.post(url, {"action": "photo_remove", "photo": "bukan-uuid"})
    assert bad.status_code == 404


def test_listing_in_alfamart_and_online(dinas_client, dinas_user, binaan) -> None:  # noqa: ANN001
    product = services.product_create(actor=dinas_user, business=binaan, data={"name": "Emping"})
    url = reverse("market:business", args=[binaan.pk])
    dinas_client.post(
        url,
        {
            "action": "listing",
            "kind": "retail",
            "retailer": "alfamart",
            "product": str(product.pk),
            "region": "Alfamart Ciceri",
            "since": "2026-11-25",
            "status": "listed",
            "notes": "lolos kurasi rasa",
        },
    )
    dinas_client.post(
        url,
        {
            "action": "listing",
            "kind": "online",
            "platform": "shopee",
            "url": "https://shopee.co.id/empingimas",
            "status": "listed",
        },
    )
    kinds = sorted(
        Listing.objects.filter(business=binaan).values_list("kind", "retailer", "platform")
    )
    assert kinds == [("online", "", "shopee"), ("retail", "alfamart", "")]
    response = dinas_client.post(
        url, {"action": "listing", "kind": "retail", "status": "listed"}, follow=True
    )
    assert "Pilih peritelnya" in response.content.decode()
    business_page = dinas_client.get(binaan.get_absolute_url()).content.decode()
    assert "Alfamart" in business_page and 'data-testid="business-market"' in business_page


def test_catalogue_shows_only_consenting_binaan_businesses(client, dinas_user, binaan) -> None:  # noqa: ANN001
    product = services.product_create(
        actor=dinas_user, business=binaan, data={"name": "Keripik singkong pedas", "price": 15000}
    )
    services.product_photo_add(actor=dinas_user, product=product, data=jpeg_with_gps((600, 600)))
    not_binaan = business_in("36.73.03")
    other = services.product_create(
        actor=dinas_user, business=not_binaan, data={"name": "Keripik pisang"}
    )
    services.storefront_set(
        actor=dinas_user,
        business=not_binaan,
        display_name="X",
        published=True,
        consent_note="lisan",
    )
    assert client.get(reverse("market:catalogue")).content.decode().count("Keripik") == 0
    with pytest.raises(ApplicationError, match="menyetujui"):
        services.storefront_set(
            actor=dinas_user, business=binaan, display_name="Imas", published=True
        )
    published(dinas_user, binaan)
    page = client.get(reverse("market:catalogue"), {"q": "keripik"}).content.decode()
    assert "Keripik singkong pedas" in page and "Keripik pisang" not in page
    assert "Rp15.000" in page
    owner_name = binaan.owners.get().full_name
    detail = client.get(reverse("market:catalogue_detail", args=[product.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert 'property="og:title" content="Keripik singkong pedas — Keripik Teh Imas"' in html
    assert 'property="og:image" content="http://testserver/pasar/foto/' in html
    assert "https://wa.me/62812" in html
    assert owner_name not in html and binaan.owners.get().phone not in html
    assert client.get(reverse("market:catalogue_detail", args=[other.pk])).status_code == 404
    photo = product.photos.get()
    assert client.get(reverse("market:photo", args=[photo.pk, "kecil"])).status_code == 200
    services.storefront_set(actor=dinas_user, business=binaan, display_name="Imas", published=False)
    assert client.get(reverse("market:catalogue_detail", args=[product.pk])).status_code == 404
    assert client.get(reverse("market:photo", args=[photo.pk, "kecil"])).status_code == 404
    by_sector = client.get(reverse("market:catalogue"), {"sector": "fesyen"})
    assert by_sector.status_code == 200


def test_owner_keeps_their_products_and_consents_from_the_portal(
    client, dinas_user, binaan
) -> None:  # noqa: ANN001
    owner_user = make_user(Role.OWNER, "pemilik-pasar")
    Owner.objects.filter(pk=binaan.owners.get().pk).update(user=owner_user)
    other = business_in("36.73.04")
    client.force_login(owner_user)
    url = reverse("market:my_business", args=[binaan.pk])
    client.post(
        url,
        {
            "action": "product",
            "name": "Sambal bawang",
            "packaging_status": "label",
            "in_catalogue": "on",
        },
    )
    product = Product.objects.get(business=binaan)
    client.post(
        url,
        {
            "action": "storefront",
            "display_name": "Sambal Bu Imas",
            "whatsapp": "081200001111",
            "published": "on",
        },
    )
    store = binaan.storefront
    store.refresh_from_db()
    assert store.published and store.consent_note == "disetujui pemilik lewat portal"
    assert client.get(reverse("market:my_product", args=[product.pk])).status_code == 200
    assert client.get(reverse("market:my_business", args=[other.pk])).status_code == 404
    assert client.get(reverse("market:business", args=[binaan.pk])).status_code == 403
    anonymous = Client()
    assert "Sambal bawang" in anonymous.get(reverse("market:catalogue")).content.decode()


def test_affiliate_results_by_month(dinas_client, dinas_user) -> None:  # noqa: ANN001
    response = dinas_client.post(
        reverse("market:affiliates"),
        {
            "name": "Rina (anak pemilik)",
            "relation": "keluarga",
            "platforms": ["tiktok"],
            "handle": "rina.jajanan",
        },
    )
    affiliate = Affiliate.objects.get()
    assert response.status_code == 302
    url = reverse("market:affiliate", args=[affiliate.pk])
    dinas_client.post(
        url,
        {
            "action": "result",
            "month": "2026-10-15",
            "orders": "12",
            "sales": "540000",
            "commission": "27000",
        },
    )
    dinas_client.post(
        url,
        {
            "action": "result",
            "month": "2026-10-02",
            "orders": "14",
            "sales": "600000",
            "commission": "30000",
        },
    )
    result = AffiliateResult.objects.get()
    assert (result.month, result.orders) == (date(2026, 10, 1), 14)
    owner_user = make_user(Role.OWNER, "rina")
    Affiliate.objects.filter(pk=affiliate.pk).update(user=owner_user)
    client = Client()
    client.force_login(owner_user)
    own = client.get(reverse("market:my_affiliate"))
    assert own.status_code == 200 and "600.000" in own.content.decode()
    report = dinas_client.get(reverse("market:report"))
    assert report.status_code == 200
    assert AuditEvent.objects.filter(action="affiliate.result").count() == 2


def test_market_api(client, dinas_user, binaan) -> None:  # noqa: ANN001
    from naikkelas.accounts.services import api_token_create

    _token, key = api_token_create(user=dinas_user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    created = client.post(
        f"/api/v1/businesses/{binaan.pk}/products",
        data={"name": "Kopi robusta", "price": 35000},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    listing = client.post(
        f"/api/v1/businesses/{binaan.pk}/listings",
        data={"kind": "retail", "retailer": "indomaret", "product_id": created.json()["id"]},
        content_type="application/json",
        **auth,
    )
    assert listing.status_code == 201 and listing.json()["channel_name"] == "Indomaret"
    bad = client.post(
        f"/api/v1/businesses/{binaan.pk}/listings",
        data={"kind": "retail"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 409
    published(dinas_user, binaan)
    items = client.get("/api/v1/catalogue?q=kopi", **auth).json()["items"]
    assert [i["name"] for i in items] == ["Kopi robusta"]
