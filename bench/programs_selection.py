"""Benchmark: a whole selection run through the service on a synthetic register (prints
figures, asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/programs_selection.py \
        --businesses 11000 --applicants 5000 --seats 200

Uses a fresh database in the given data directory (SQLite unless DATABASE_URL is set). Times the
steps an officer waits for: nominating from a register filter, publishing the list (fingerprint),
the selection run (eligibility of every applicant, register counts per kecamatan and sector over
the whole register, the allocation, storing the run and the decisions), the replay of the stored
run, and enrolling the selected.
"""

from __future__ import annotations

import argparse
import os
import resource
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=11000)
    parser.add_argument("--applicants", type=int, default=5000)
    parser.add_argument("--seats", type=int, default=200)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.db import connection

    from naikkelas.cli import setup_demo
    from naikkelas.programs import services
    from naikkelas.programs.models import Programme
    from naikkelas.registry.models import Business

    started = time.perf_counter()
    setup_demo(businesses=options.businesses, seed=3673)
    print(f"setup (migrate, regions, demo register): {time.perf_counter() - started:.1f} s")
    print(f"database: {connection.vendor}; businesses: {Business.objects.count()}")

    programme = Programme.objects.create(name="Bench", kind="pelatihan", organiser="dinas")
    today = date.today()
    cycle = services.cycle_create(
        actor=None,
        programme=programme,
        name="Bench",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=35),
        capacity=options.seats,
        unit_value=1_000_000,
        min_per_kecamatan=5,
        sector_shares={"kuliner": 50, "fesyen": 30, "kriya": 20},
        rules=[
            {"kind": "permit_held", "values": ["NIB"]},
            {"kind": "not_received_within", "years": 2},
        ],
    )
    ids = list(
        Business.objects.filter(status="active")
        .order_by("?")
        .values_list("id", flat=True)[: options.applicants]
    )
    figures: list[tuple[str, float]] = []

    def timed(label: str, call) -> object:  # noqa: ANN001
        begun = time.perf_counter()
        result = call()
        figures.append((label, time.perf_counter() - begun))
        return result

    timed(
        "nominate (register filter)",
        lambda: services.applications_nominate_many(
            actor=None, cycle=cycle, businesses=Business.objects.filter(pk__in=ids)
        ),
    )
    timed("publish (fingerprint, seed)", lambda: services.cycle_publish(actor=None, cycle=cycle))
    run = timed("selection run", lambda: services.selection_run(actor=None, cycle=cycle))
    identical = timed("replay of the stored run", lambda: services.selection_replay(run=run))
    timed("enrol the selected", lambda: services.enrol_selected(actor=None, cycle=cycle))

    print(f"applicants: {len(ids)}; seats: {options.seats}; replay identical: {identical[0]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole process (incl. setup): {peak:.0f} MiB")
    for label, seconds in figures:
        print(f"{label:32s} {seconds * 1000:9.0f} ms")


if __name__ == "__main__":
    main()
