"""Benchmark: the public catalogue and the kendala pages on the demo register (prints figures,
asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/market_pages.py --businesses 11000

Times the catalogue list (with a search), a product page, a photo thumbnail, and reports the
bytes a phone downloads for the catalogue's first page (HTML + CSS + thumbnails)."""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=11000)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()
    import re

    from django.conf import settings
    from django.test import Client

    from naikkelas.cli import setup_demo
    from naikkelas.market.selectors import catalogue

    settings.ALLOWED_HOSTS = ["*"]
    setup_demo(businesses=options.businesses, seed=3673)
    client = Client()
    product = catalogue().first()
    assert product is not None

    def timed(label: str, url: str, params: dict | None = None) -> bytes:
        times = []
        body = b""
        for _ in range(options.repeat):
            started = time.perf_counter()
            response = client.get(url, params or {})
            times.append((time.perf_counter() - started) * 1000)
            body = b"".join(response) if response.streaming else response.content
            if response.status_code != 200:
                print(f"  {url}: HTTP {response.status_code}")
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:36s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
            f"{len(body) / 1024:6.1f} KiB"
        )
        return body

    page = timed("catalogue, first page", "/katalog/")
    timed("catalogue, search 'keripik'", "/katalog/", {"q": "keripik"})
    timed("catalogue, product page", f"/katalog/{product.pk}/")
    thumbs = re.findall(rb'src="(/pasar/foto/[^"]+)"', page)
    total = len(page)
    for src in thumbs:
        response = client.get(src.decode())
        total += len(b"".join(response.streaming_content))
    css = client.get("/static/naikkelas/naikkelas.css")
    total += len(b"".join(css.streaming_content)) if css.streaming else len(css.content)
    print(
        f"first catalogue page on a phone: {len(thumbs)} thumbnails, "
        f"{total / 1024:.0f} KiB in all (HTML + CSS + thumbnails)"
    )
    timed("kendala public form", "/kendala/")
    timed("self-check form", "/cek/")


if __name__ == "__main__":
    main()
