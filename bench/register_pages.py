"""Benchmark: register pages and API on a synthetic register (prints figures, asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/register_pages.py --businesses 11000

Uses a fresh database in the given data directory (SQLite unless DATABASE_URL is set), loads the
demo register, then times each page through Django's test client (no network, no browser).
"""

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
    from django.conf import settings
    from django.test import Client

    from naikkelas.accounts.models import Role, User
    from naikkelas.accounts.services import user_create
    from naikkelas.cli import setup_demo
    from naikkelas.registry.models import Business

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    setup_demo(businesses=options.businesses, seed=3673)
    print(f"setup (migrate, regions, demo register): {time.perf_counter() - started:.1f} s")
    print(f"businesses in register: {Business.objects.count()}")

    user = User.objects.filter(username="bench").first() or user_create(
        username="bench", password="Bench-12345!", role=Role.DINAS
    )
    client = Client()
    client.force_login(user)
    business = Business.objects.order_by("id").first()
    assert business is not None
    cases = {
        "dashboard": "/",
        "list (page 1)": "/usaha/",
        "list search name": "/usaha/?q=emping+melinjo",
        "list search phone": "/usaha/?q=0812-0000-1",
        "list filters": "/usaha/?kecamatan=36.73.06&sector=kuliner&has_nib=1",
        "detail": f"/usaha/{business.pk}/",
        "api list": "/api/v1/businesses?limit=50",
        "api search": "/api/v1/businesses?q=batik&limit=50",
        "api detail": f"/api/v1/businesses/{business.pk}",
    }
    print(f"{'page':<22}{'p50 ms':>9}{'p95 ms':>9}  (n={options.repeat})")
    for name, url in cases.items():
        timings = []
        for _ in range(options.repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:<22}{statistics.median(timings):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
