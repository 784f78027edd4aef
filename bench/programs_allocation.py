"""Benchmark: fair allocation of programme seats (prints figures, asserts nothing).

    .venv/bin/python bench/programs_allocation.py --candidates 50000 --seats 200 --repeat 20

Generates synthetic applicants for Kota Serang (6 kecamatan) and for a 29-kecamatan kabupaten
(Kabupaten Serang's codes), 8 sectors (7 plus unknown), skewed register counts, 20 % ineligible,
some assisted before, and times ``allocate`` with ``min_per_area=5`` and sector shares. Pure
Python: imports only ``naikkelas.programs.allocation`` (no Django, no database).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
import uuid
from collections import Counter

from naikkelas.programs.allocation import Candidate, Outcome, Params, allocate

KOTA_SERANG = tuple(f"36.73.{i:02d}" for i in range(1, 7))
KABUPATEN_SERANG = tuple(f"36.04.{i:02d}" for i in range(5, 36) if i not in (10, 21))
SECTORS = ("kuliner", "perdagangan", "jasa", "fesyen", "kriya", "pertanian", "lainnya", "")
SECTOR_MIX = (0.40, 0.22, 0.14, 0.11, 0.05, 0.05, 0.02, 0.01)  # the register's (and applicants')
SECTOR_SHARES = {"kuliner": 0.35, "fesyen": 0.20, "kriya": 0.15, "jasa": 0.15, "pertanian": 0.15}


def synthetic(
    areas: tuple[str, ...], candidates: int, rng: random.Random
) -> tuple[list[Candidate], dict[tuple[str, str], int]]:
    """Applicants and register counts; area sizes skewed (Zipf-like), sectors by a fixed mix."""
    area_size = [1.0 / (rank + 1) ** 0.8 for rank in range(len(areas))]
    rng.shuffle(area_size)
    register: dict[tuple[str, str], int] = {}
    for area, size in zip(areas, area_size, strict=True):
        for sector, share in zip(SECTORS, SECTOR_MIX, strict=True):
            register[(area, sector)] = round(40_000 * size * share * rng.uniform(0.6, 1.4))
    # Applicants over-represent the central kecamatan (they hear about programmes first).
    pull = [size**1.5 for size in area_size]
    rows: list[Candidate] = []
    for _ in range(candidates):
        area = rng.choices(areas, weights=pull)[0]
        sector = rng.choices(SECTORS, weights=SECTOR_MIX)[0]
        rows.append(
            Candidate(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                area=area,
                sector=sector,
                eligible=rng.random() >= 0.20,
                times_assisted=rng.choices((0, 1, 2, 3), weights=(70, 18, 8, 4))[0],
                score=round(rng.uniform(0, 100), 1),
            )
        )
    return rows, register


def measure(label: str, areas: tuple[str, ...], options: argparse.Namespace) -> None:
    rng = random.Random(3673)
    candidates, register = synthetic(areas, options.candidates, rng)
    params = Params(
        seats=options.seats,
        seed="bench-2025",
        register_counts=register,
        min_per_area=5,
        sector_shares=SECTOR_SHARES,
    )
    timings: list[float] = []
    result = allocate(candidates, params)
    for _ in range(options.repeat):
        started = time.perf_counter()
        result = allocate(candidates, params)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    allocate(candidates, params)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    outcomes = Counter(d.outcome for d in result.decisions)
    overflow = sum(d.overflow for d in result.decisions)
    print(
        f"{label:<24}{len(areas):>5}{len(candidates):>9}{outcomes[Outcome.SELECTED]:>6}"
        f"{outcomes[Outcome.WAITLISTED]:>8}{statistics.median(timings) * 1000:>9.0f}"
        f"{p95 * 1000:>8.0f}{peak / 2**20:>9.1f}"
    )
    if options.details:
        print("  area quota (entitlement):")
        for area, quota in result.area_quota.items():
            print(f"    {area}  {quota:>4}  ({result.area_entitlement[area]:.1f})")
        print("  sector quota / given:")
        for sector, quota in result.sector_quota.items():
            print(f"    {sector or '(unknown)':<12}{quota:>4}{result.sector_given[sector]:>5}")
        print(f"  overflow seats: {overflow}; unused: {result.unused_seats}")
        for note in result.notes:
            print(f"  note: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--seats", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--details", action="store_true", help="print quotas per area/sector")
    options = parser.parse_args()
    print(
        f"allocate(): {options.seats} seats, min_per_area=5, sector shares "
        f"{SECTOR_SHARES}; {options.repeat} repeats"
    )
    print(
        f"{'case':<24}{'areas':>5}{'cands':>9}{'sel':>6}{'wait':>8}{'p50 ms':>9}{'p95 ms':>8}"
        f"{'peak MiB':>9}"
    )
    measure("Kota Serang", KOTA_SERANG, options)
    measure("kabupaten (29 kec.)", KABUPATEN_SERANG, options)


if __name__ == "__main__":
    main()
