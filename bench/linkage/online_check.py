"""Benchmark: the online duplicate check (``linkage.candidates.likely_duplicates``) on a
synthetic register of a given size. Prints figures, asserts nothing.

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python -m bench.linkage.online_check \\
        --businesses 11000

    psql -h 127.0.0.1 -U postgres -c 'create database naikkelas_bench_online'
    DATABASE_URL=postgres://postgres@127.0.0.1/naikkelas_bench_online \\
    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python -m bench.linkage.online_check \\
        --businesses 1000000 --profile

Without ``NAIKKELAS_DATA_DIR`` a temporary directory is used (a throwaway SQLite database);
with ``DATABASE_URL`` the PostgreSQL database must exist and be empty, or hold a register
this script loaded before (then it is reused: pass the same ``--businesses``).

The register is the demo generator's (``registry.demo_data``), loaded with bulk inserts of
only the three tables the check reads (owners, businesses, ownerships). One change: at sizes
beyond the generator's 20,000 synthetic phone numbers, phones are widened to 5-digit tails
over more mobile prefixes (still the ``0000`` block of ADR 0005), so that one number is not
shared by 50 businesses, which no real register shows.

The stored index of the check (``linkage.services.register_index``) is built when missing
(its build time is printed). Then ``--records`` typed records (re-typed registered businesses
with typing variants, the same owners' new businesses, and new people) are checked the way a
request does it: a fresh ``RegisterIndex`` per call. Timed: the engine alone, the scoped
selector the view and the API use, and the HTTP view through Django's test client
(``--paths``); with ``--fallback`` also the engine without the stored index (the kelurahan
loaded and featurised per call); and the engine again after ``--touch`` businesses were
edited (the first check then brings the index up to date).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

CHUNK = 20_000
# Mobile prefixes for widened synthetic numbers (+62 8xx 0000 xxxxx).
PREFIXES = (
    "811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858 817 818 819 859 877 878"
).split()
NEW_BUSINESS_NAMES = (
    "Warung Nasi Uduk",
    "Toko Kelontong Berkah",
    "Konveksi Jaya",
    "Jasa Jahit",
    "Kerajinan Bambu",
    "Kue Basah",
    "Laundry Kiloan",
    "Bengkel Motor",
    "Pangkas Rambut",
    "Keripik Singkong",
)
GIVEN = ("Asep", "Iyah", "Dedi", "Siti", "Ujang", "Euis", "Rahmat", "Nurhayati", "Agus", "Yayah")
FAMILY = ("Saepudin", "Rohayati", "Kurniawan", "Aminah", "Sudrajat", "Hidayat", "Maryam")


def _setup_environment() -> None:
    if not os.environ.get("NAIKKELAS_DATA_DIR"):
        os.environ["NAIKKELAS_DATA_DIR"] = tempfile.mkdtemp(prefix="naikkelas-bench-online-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _summary(name: str, timings: Sequence[float]) -> str:
    return (
        f"{name:<34}{statistics.median(timings):>9.1f}{_percentile(timings, 0.95):>9.1f}"
        f"{max(timings):>9.1f}"
    )


# -- the register ------------------------------------------------------------------------------


def _widened_phones(rng: random.Random, count: int) -> Iterator[str]:
    space = len(PREFIXES) * 100_000
    for number in rng.sample(range(space), min(count, space)):
        prefix, tail = divmod(number, 100_000)
        yield f"+62{PREFIXES[prefix]}0000{tail:05d}"


def register_load(*, businesses: int, seed: int, area: str) -> tuple[int, int]:
    """Generate and bulk-insert a register; returns (owners, businesses)."""
    from django.db import transaction

    from naikkelas.core.text import compact_key
    from naikkelas.regions.models import Region
    from naikkelas.registry.demo_data import generate_register
    from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole, Source

    kelurahan = [
        (r.code, r.name, r.parent_id or "")
        for r in Region.objects.filter(level=4, code__startswith=area + ".").order_by("code")
    ]
    started = time.perf_counter()
    register = generate_register(
        businesses=businesses, kelurahan=kelurahan, seed=seed, today=date(2026, 1, 1)
    )
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)

    phones: dict[str, str] = {}
    if businesses > 20_000:
        fresh = _widened_phones(random.Random(seed), len(register.owners) + businesses)
        phones = {o.key: next(fresh) for o in register.owners if o.phone}
    else:
        fresh = iter(())
    owners: dict[str, Owner] = {}
    original_phone = {o.key: o.phone for o in register.owners}
    for o in register.owners:
        owners[o.key] = Owner(
            full_name=o.full_name,
            name_key=compact_key(o.full_name),
            nik=o.nik,
            sex=o.sex,
            birth_date=o.birth_date,
            phone=phones.get(o.key, o.phone or ""),
            address=o.address,
            source=Source.DEMO,
        )
    owner_rows = list(owners.values())
    for start in range(0, len(owner_rows), CHUNK):
        with transaction.atomic():
            Owner.objects.bulk_create(owner_rows[start : start + CHUNK], batch_size=2000)
    print(f"  {len(owner_rows):,} owners in {time.perf_counter() - started:.0f} s", flush=True)

    parents = {code: parent for code, _, parent in kelurahan}
    seen_nib: set[str] = set()
    rows: list[Business] = []
    links: list[BusinessOwner] = []

    def flush() -> None:
        with transaction.atomic():
            Business.objects.bulk_create(rows, batch_size=2000)
            BusinessOwner.objects.bulk_create(links, batch_size=2000)
        rows.clear()
        links.clear()

    for count, demo in enumerate(register.businesses, start=1):
        nib = demo.nib if demo.nib and demo.nib not in seen_nib else None
        if nib:
            seen_nib.add(nib)
        phone = demo.phone or ""
        if phones and phone:
            main = demo.owner_keys[0]
            phone = phones[main] if phone == original_phone[main] else next(fresh)
        business = Business(
            name=demo.name,
            name_key=compact_key(demo.name),
            legal_form=demo.legal_form,
            sector_id=demo.sector,
            kbli_code=demo.kbli_code,
            products=demo.products,
            kecamatan_id=parents[demo.kelurahan_code],
            desa_kelurahan_id=demo.kelurahan_code,
            address=demo.address,
            phone=phone,
            established_year=demo.established_year,
            nib=nib,
            source=Source.DEMO,
            source_ref=f"bench seed {seed}",
        )
        rows.append(business)
        for index, key in enumerate(demo.owner_keys):
            role = OwnerRole.PEMILIK if index == 0 else OwnerRole.PEMILIK_BERSAMA
            links.append(BusinessOwner(business=business, owner=owners[key], role=role))
        if len(rows) >= CHUNK:
            flush()
        if count % 200_000 == 0:
            print(f"  {count:,} businesses in {time.perf_counter() - started:.0f} s", flush=True)
    flush()
    return len(owner_rows), len(register.businesses)


def _analyze() -> None:
    """Fresh statistics for the planner (PostgreSQL's autovacuum would get there later;
    SQLite has none until ANALYZE runs)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- typed records -----------------------------------------------------------------------------


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _owner_variant(name: str, rng: random.Random) -> str:
    words = [w for w in name.replace(",", " ").split() if w.rstrip(".") not in ("H", "Hj")]
    r = rng.random()
    if r < 0.3 and len(words) > 1:
        words = words[:2]
    elif r < 0.5:
        words = [_typo(w, rng) if len(w) > 4 else w for w in words]
    elif r < 0.6:
        words = ["Hj." if rng.random() < 0.5 else "H.", *words]
    return " ".join(words)


def _business_variant(name: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return name.upper()
    if r < 0.5:
        return _typo(name, rng)
    if r < 0.7:
        return " ".join(w for w in name.split() if w not in ("Bu", "Pak", "Ibu", "Mang", "Teh"))
    return name


def _national(phone: str) -> str:
    return "0" + phone[3:] if phone.startswith("+62") else phone


def typed_records(count: int, seed: int) -> list[tuple[str, Any, dict[str, str]]]:
    """(kind, the registered business it comes from or None, record) for ``count`` records."""
    from naikkelas.registry.models import BusinessOwner, OwnerRole

    rng = random.Random(seed)
    mains = BusinessOwner.objects.filter(role=OwnerRole.PEMILIK)
    ids = list(mains.order_by("business_id").values_list("business_id", flat=True))
    picked = rng.sample(ids, min(count, len(ids)))
    by_id = {
        s["business_id"]: s
        for s in mains.filter(business_id__in=picked).values(
            "business_id",
            "business__name",
            "business__address",
            "business__phone",
            "business__desa_kelurahan_id",
            "business__sector_id",
            "owner__full_name",
            "owner__nik",
            "owner__phone",
        )
    }
    sample = [by_id[business_id] for business_id in picked]
    kelurahan = sorted({s["business__desa_kelurahan_id"] for s in sample})
    records: list[tuple[str, Any, dict[str, str]]] = []
    for index, s in enumerate(sample):
        nik = s["owner__nik"] or ""
        phone = s["business__phone"] or s["owner__phone"] or ""
        r = index / count
        if r < 0.6:  # the same business typed again, as an officer would
            record = {
                "business_name": _business_variant(s["business__name"], rng),
                "owner_name": _owner_variant(s["owner__full_name"], rng),
                "nik": nik if rng.random() < 0.7 else "",
                "phone": _national(phone) if rng.random() < 0.5 else "",
                "address": s["business__address"] if rng.random() < 0.5 else "",
                "kelurahan": s["business__desa_kelurahan_id"],
                "sector": s["business__sector_id"],
            }
            records.append(("same business", s["business_id"], record))
        elif r < 0.8:  # the same owner's new business
            record = {
                "business_name": rng.choice(NEW_BUSINESS_NAMES),
                "owner_name": s["owner__full_name"],
                "nik": nik,
                "phone": _national(s["owner__phone"] or ""),
                "kelurahan": s["business__desa_kelurahan_id"],
                "sector": "jasa",
            }
            records.append(("same owner", s["business_id"], record))
        else:  # somebody new
            birth = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99)}"
            record = {
                "business_name": rng.choice(NEW_BUSINESS_NAMES),
                "owner_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "nik": f"367301{birth}{rng.randint(9000, 9999)}",
                "phone": f"0899{rng.randint(0, 99_999_999):08d}",
                "kelurahan": rng.choice(kelurahan),
                "sector": "kuliner",
            }
            records.append(("new", None, record))
    rng.shuffle(records)
    return records


# -- timing ------------------------------------------------------------------------------------


def time_calls(
    call: Callable[[dict[str, str]], Any], records: Sequence[tuple[str, Any, dict[str, str]]]
) -> tuple[list[float], list[Any]]:
    timings: list[float] = []
    answers: list[Any] = []
    for _kind, _source, record in records:
        started = time.perf_counter()
        answers.append(call(record))
        timings.append((time.perf_counter() - started) * 1000)
    return timings, answers


# -- the stored index under change ------------------------------------------------------------


def touch_businesses(count: int, seed: int) -> None:
    """Edit ``count`` register businesses the way officers do (one service call each), so
    that the next check has to bring the stored index up to date first."""
    from naikkelas.registry.models import Business
    from naikkelas.registry.services import business_update

    rng = random.Random(seed)
    ids = list(Business.objects.order_by("?").values_list("pk", flat=True)[: count * 2])
    for business in Business.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))):
        business_update(actor=None, business=business, data={"name": business.name + " Baru"})


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=11_000)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3673)
    parser.add_argument(
        "--paths", default="engine,user,http", help="engine, user (scoped selector), http"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile 50 engine calls")
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="also time the check without the stored index (loads the kelurahan per call)",
    )
    parser.add_argument(
        "--touch", type=int, default=100, help="businesses edited before the 'after edits' run"
    )
    options = parser.parse_args(argv)

    _setup_environment()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from naikkelas.accounts.models import Role, User
    from naikkelas.accounts.services import user_create
    from naikkelas.linkage.candidates import RegisterIndex, likely_duplicates
    from naikkelas.linkage.models import RegisterIndexState
    from naikkelas.linkage.online_views import likely_duplicates_for_user
    from naikkelas.linkage.services.register_index import (
        SYNC_SLACK,
        register_index_ready,
        register_index_rebuild,
    )
    from naikkelas.regions.services import region_catalogue_load
    from naikkelas.registry.models import Business
    from naikkelas.registry.services import sector_catalogue_load

    area = settings.NAIKKELAS_AREA_CODE
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    region_catalogue_load(within=(area,))
    sector_catalogue_load()
    existing = Business.objects.count()
    if existing == 0:
        print(f"loading a register of {options.businesses:,} businesses in {area}…", flush=True)
        owners, businesses = register_load(
            businesses=options.businesses, seed=options.seed, area=area
        )
        _analyze()
        elapsed = time.perf_counter() - started
        print(f"register built: {businesses:,} businesses, {owners:,} owners in {elapsed:.0f} s")
    else:
        print(f"reusing the register in the database: {existing:,} businesses")

    records = typed_records(options.records, options.seed)
    user = User.objects.filter(username="bench").first() or user_create(
        username="bench", password="Bench-12345!", role=Role.DINAS
    )

    def engine(record: dict[str, str]) -> Any:
        index = RegisterIndex(area_code=area)  # one per request, as in the view
        return likely_duplicates(record, limit=5, index=index), len(index._rows)

    def fallback(record: dict[str, str]) -> Any:
        index = RegisterIndex(area_code=area, use_stored_index=False)
        return likely_duplicates(record, limit=5, index=index), len(index._rows)

    client = Client()
    client.force_login(user)

    def http(record: dict[str, str]) -> Any:
        response = client.post("/data-ganda/cek/", record)
        assert response.status_code == 200, response.status_code
        return response

    calls: dict[str, Callable[[dict[str, str]], Any]] = {
        "engine (likely_duplicates)": engine,
        "user (scoped selector)": lambda r: likely_duplicates_for_user(user=user, data=r),
        "http (POST /data-ganda/cek/)": http,
    }
    wanted = {p.strip() for p in options.paths.split(",")}

    if register_index_ready():
        print("stored index: usable (built before)")
    else:
        started = time.perf_counter()
        rows = register_index_rebuild()
        _analyze()
        print(f"stored index built: {rows:,} businesses in {time.perf_counter() - started:.0f} s")
    if existing == 0:
        # Right after a bulk load every check re-reads the loaded rows for SYNC_SLACK (late
        # commits): timed once, then the steady state, as if the load were older.
        timings, _answers = time_calls(engine, records[:50])
        print(_summary(f"engine, < {SYNC_SLACK} after the load", timings).replace("(n=", ""))
        RegisterIndexState.objects.update(synced_to=timezone.now() + SYNC_SLACK)
    first = time.perf_counter()
    engine(records[0][2])  # parameters and the kelurahan catalogue: loaded once per process
    print(f"first call of the process: {(time.perf_counter() - first) * 1000:.0f} ms")

    print(f"\n{'path':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  (n={len(records)})")
    answers_of: dict[str, list[Any]] = {}
    if options.fallback:
        timings, answers_of["fallback"] = time_calls(fallback, records)
        print(_summary("engine, no stored index", timings), flush=True)
    for name, call in calls.items():
        if name.split(" ")[0] not in wanted:
            continue
        timings, answers = time_calls(call, records)
        if call is engine:
            answers_of["engine"] = answers
        print(_summary(name, timings), flush=True)
    if "engine" in wanted and options.touch:
        touch_businesses(options.touch, options.seed)
        started = time.perf_counter()
        engine(records[0][2])
        first_after = (time.perf_counter() - started) * 1000
        timings, _answers = time_calls(engine, records[1:])
        print(_summary(f"engine, after {options.touch} edits", [first_after, *timings]))
        print(
            f"  the first check after the edits (brings the index up to date): {first_after:.0f} ms"
        )

    engine_answers = answers_of.get("engine", [])
    if engine_answers:
        loaded = [rows for _found, rows in engine_answers]
        print(f"\nrows read per call: p50 {statistics.median(loaded):,.0f}, max {max(loaded):,}")
        for kind in ("same business", "same owner", "new"):
            picked = [
                (source, found)
                for (k, source, _r), (found, _rows) in zip(records, engine_answers, strict=True)
                if k == kind
            ]
            if kind == "new":
                shown = sum(
                    1 for _s, found in picked if any(c.same_owner_probability >= 0.5 for c in found)
                )
                print(f"{kind:>14}: {len(picked)} records, {shown} with a candidate >= 0.5")
                continue
            top = sum(1 for source, found in picked if found and found[0].business_id == source)
            listed = sum(
                1
                for source, found in picked
                if any(c.business_id == source and c.same_owner_probability >= 0.5 for c in found)
            )
            print(
                f"{kind:>14}: {len(picked)} records, source ranked first {top}, "
                f"listed (>= 0.5) {listed}"
            )
        if "fallback" in answers_of:
            same = sum(
                1
                for (mine, _r), (theirs, _t) in zip(
                    engine_answers, answers_of["fallback"], strict=True
                )
                if [c.business_id for c in mine[:1]] == [c.business_id for c in theirs[:1]]
            )
            print(
                f"same first candidate with and without the stored index: {same} of {len(records)}"
            )

    if options.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _kind, _source, record in records[:50]:
            engine(record)
        profiler.disable()
        stats = pstats.Stats(profiler)
        print("\nprofile of 50 engine calls, by cumulative time:")
        stats.sort_stats("cumulative").print_stats(25)
        print("by own time:")
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
