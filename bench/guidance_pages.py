"""Benchmark: guidance pages on a synthetic register (prints figures, asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/guidance_pages.py --businesses 11000

Times the public self-check, the tax calculator, a business's guidance page (which stores an
evaluation the first time), the pure evaluation alone, and the officers' findings search over
the whole register (SQLite unless DATABASE_URL is set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=11000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from naikkelas.accounts.models import Role
    from naikkelas.accounts.services import user_create
    from naikkelas.cli import setup_demo
    from naikkelas.guidance.evaluation import evaluate
    from naikkelas.guidance.selectors import facts_for, stored_rules
    from naikkelas.registry.models import Business

    settings.ALLOWED_HOSTS = ["*"]
    setup_demo(businesses=options.businesses, seed=3673)
    officer = user_create(username="bench-guidance", password="Rahasia-bench-1", role=Role.DINAS)
    client = Client()
    client.force_login(officer)
    anonymous = Client()
    businesses = list(Business.objects.filter(status="active").order_by("?")[: options.repeat])
    query = {
        "sector": "kuliner",
        "food": "kemasan_rendah",
        "legal_form": "PERORANGAN",
        "omzet": "750000000",
        "tax_year": "2026",
        "has_nib": "tidak",
    }

    def timed(label: str, calls: list) -> None:  # noqa: ANN001
        times = []
        for call in calls:
            started = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
            assert response is None or response.status_code == 200, response.status_code
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:44s} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms")

    timed(
        "public self-check (GET with answers)",
        [lambda: anonymous.get("/cek/", query)] * options.repeat,
    )
    timed(
        "tax calculator",
        [
            lambda: anonymous.get(
                "/cek/pajak/",
                {"omzet": "750000000", "tax_year": "2026", "legal_form": "PERORANGAN"},
            )
        ]
        * options.repeat,
    )
    timed(
        "business guidance page (first view stores)",
        [lambda b=b: client.get(f"/usaha/{b.pk}/panduan/") for b in businesses],
    )
    timed(
        "business guidance page (again, nothing new)",
        [lambda b=b: client.get(f"/usaha/{b.pk}/panduan/") for b in businesses],
    )
    rules = stored_rules()
    all_active = list(Business.objects.filter(status="active"))
    started = time.perf_counter()
    facts = facts_for(businesses=all_active, on=timezone.localdate())
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for business in all_active:
        evaluate(facts[business.pk], rules, on=timezone.localdate())
    pure = time.perf_counter() - started
    print(
        f"facts of {len(all_active)} businesses: {loaded * 1000:.0f} ms; "
        f"evaluate all: {pure * 1000:.0f} ms ({pure / len(all_active) * 1e6:.0f} µs each)"
    )
    timed(
        "findings search 'halal, deadline passed'",
        [lambda: client.get("/panduan/temuan/", {"temuan": "halal-overdue", "status": "active"})]
        * 3,
    )


if __name__ == "__main__":
    main()
