"""Demo market data on the synthetic register: storefronts of some binaan businesses (synthetic
owners only), products with generated pictures, packaging upgrades and listings, so the
catalogue and the market pages have something to show."""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from naikkelas.market.models import Product, Storefront
from naikkelas.market.services import (
    listing_save,
    packaging_upgrade_record,
    product_create,
    product_photo_add,
    storefront_set,
)
from naikkelas.registry.models import Business, BusinessStatus, Source

PRODUCTS = {
    "kuliner": [
        ("Keripik singkong pedas", "pak 200 g", 15000),
        ("Sambal bawang", "botol 150 ml", 25000),
        ("Emping melinjo", "pak 250 g", 30000),
        ("Kue kering nastar", "toples", 65000),
    ],
    "fesyen": [
        ("Batik Banten motif Surosowan", "lembar", 250000),
        ("Kerudung bordir", "pcs", 85000),
    ],
    "kriya": [("Tas anyaman pandan", "pcs", 120000), ("Gerabah Bumijaya", "pcs", 45000)],
}
COLOURS = [(196, 69, 54), (227, 160, 8), (46, 125, 50), (21, 101, 192), (123, 31, 162)]


def _picture(rng: random.Random, label: str) -> bytes:
    image = Image.new("RGB", (600, 600), rng.choice(COLOURS))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 160, 540, 440), fill=(250, 250, 245))
    draw.text((80, 280), label[:40], fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def demo_market_load(*, seed: int = 3673, stores: int = 30) -> int:
    """Idempotent: nothing is added when any storefront exists. Returns products added."""
    if Storefront.objects.exists():
        return 0
    rng = random.Random(seed)
    candidates = list(
        Business.objects.filter(
            source=Source.DEMO,
            status=BusinessStatus.ACTIVE,
            is_binaan=True,
            sector_id__in=list(PRODUCTS),
        ).order_by("name_key")[: stores * 3]
    )
    rng.shuffle(candidates)
    added = 0
    today = timezone.localdate()
    for business in candidates[:stores]:
        storefront_set(
            actor=None,
            business=business,
            display_name=business.name,
            whatsapp=f"0812{rng.randint(10_000_000, 99_999_999)}",
            about=f"UMKM binaan di {business.kecamatan.name}.",
            published=True,
            consent_note="data demo (sintetis)",
        )
        for name, unit, price in rng.sample(
            PRODUCTS[business.sector_id], k=min(2, len(PRODUCTS[business.sector_id]))
        ):
            product: Any = product_create(
                actor=None,
                business=business,
                data={
                    "name": name,
                    "unit": unit,
                    "price": price,
                    "packaging_status": rng.choice(["polos", "label"]),
                },
            )
            product_photo_add(actor=None, product=product, data=_picture(rng, name))
            added += 1
            if rng.random() < 0.3:
                packaging_upgrade_record(
                    actor=None,
                    product=product,
                    to_status="full_colour",
                    done_on=today - timedelta(days=rng.randint(10, 90)),
                    description="Cetak kemasan full colour (program Dinas)",
                    before=_picture(rng, "sebelum"),
                    after=_picture(rng, name),
                )
        if rng.random() < 0.25:
            listing_save(
                actor=None,
                business=business,
                data={
                    "kind": "retail",
                    "retailer": rng.choice(["indomaret", "alfamart"]),
                    "region": "Kota Serang",
                    "since": today - timedelta(days=rng.randint(5, 200)),
                    "status": "listed",
                },
            )
        if rng.random() < 0.5:
            listing_save(
                actor=None,
                business=business,
                data={
                    "kind": "online",
                    "platform": rng.choice(["shopee", "tokopedia", "tiktok"]),
                    "status": "listed",
                    "since": today - timedelta(days=rng.randint(5, 400)),
                },
            )
    return added if Product.objects.exists() else 0
