"""What would make the slow pages fast: candidate indexes and query shapes, measured on the
bench database (prints figures, asserts nothing; the application's code is not changed).

    # time the current query shapes against alternatives (read-only)
    ... -m bench.scale.experiments shapes
    # add the candidate indexes to the bench database (then run bench.scale.pages again)
    ... -m bench.scale.experiments indexes --apply
    ... -m bench.scale.experiments indexes --drop

Candidate indexes are named ``bench_*`` and live only in the bench database. On PostgreSQL they
are pg_trgm GIN indexes (``LIKE '%...%'`` on names and phones) and btree indexes that cover the
register's ordering
(``status, name_key, id`` and per kecamatan/sector); the existing btree indexes on NIK and NIB
already serve ``LIKE '...%'`` under the C collation (another collation needs
``varchar_pattern_ops``). On SQLite: the ordering indexes, and FTS5
trigram tables for names (``shapes`` then times ``MATCH`` against ``LIKE``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.scale._env import describe_database, django_setup

PG_INDEXES = {
    "bench_business_name_trgm": "CREATE INDEX {c} bench_business_name_trgm ON registry_business "
    "USING gin (name_key gin_trgm_ops)",
    "bench_owner_name_trgm": "CREATE INDEX {c} bench_owner_name_trgm ON registry_owner "
    "USING gin (name_key gin_trgm_ops)",
    "bench_business_phone_trgm": "CREATE INDEX {c} bench_business_phone_trgm ON registry_business "
    "USING gin (phone gin_trgm_ops)",
    "bench_owner_phone_trgm": "CREATE INDEX {c} bench_owner_phone_trgm ON registry_owner "
    "USING gin (phone gin_trgm_ops)",
    "bench_business_status_name": "CREATE INDEX {c} bench_business_status_name ON registry_business "
    "(status, name_key, id)",
    "bench_business_status_kec_name": "CREATE INDEX {c} bench_business_status_kec_name ON "
    "registry_business (status, kecamatan_id, name_key, id)",
    "bench_business_status_sector_name": "CREATE INDEX {c} bench_business_status_sector_name ON "
    "registry_business (status, sector_id, name_key, id)",
}
SQLITE_INDEXES = {
    "bench_business_status_name": "CREATE INDEX bench_business_status_name ON registry_business "
    "(status, name_key, id)",
    "bench_business_status_kec_name": "CREATE INDEX bench_business_status_kec_name ON "
    "registry_business (status, kecamatan_id, name_key, id)",
    "bench_business_status_sector_name": "CREATE INDEX bench_business_status_sector_name ON "
    "registry_business (status, sector_id, name_key, id)",
}
SQLITE_FTS = {
    "bench_business_fts": (
        "CREATE VIRTUAL TABLE bench_business_fts USING fts5(name_key, tokenize='trigram')",
        "INSERT INTO bench_business_fts(rowid, name_key) SELECT rowid, name_key "
        "FROM registry_business",
    ),
    "bench_owner_fts": (
        "CREATE VIRTUAL TABLE bench_owner_fts USING fts5(name_key, tokenize='trigram')",
        "INSERT INTO bench_owner_fts(rowid, name_key) SELECT rowid, name_key FROM registry_owner",
    ),
}


def execute(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def indexes(apply: bool) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        if apply:
            execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, sql in PG_INDEXES.items():
            t0 = time.perf_counter()
            if apply:
                execute(sql.format(c="IF NOT EXISTS"))
            else:
                execute(f"DROP INDEX IF EXISTS {name}")
            size = ""
            if apply:
                (bytes_,) = execute("SELECT pg_relation_size(%s::regclass)", [name])[0]
                size = f", {bytes_ / 2**20:,.0f} MB"
            print(
                f"{'created' if apply else 'dropped'} {name}: {time.perf_counter() - t0:.1f} s{size}"
            )
        if apply:
            execute("ANALYZE registry_business")
            execute("ANALYZE registry_owner")
        return
    for name, sql in SQLITE_INDEXES.items():
        t0 = time.perf_counter()
        execute(sql if apply else f"DROP INDEX IF EXISTS {name}")
        print(f"{'created' if apply else 'dropped'} {name}: {time.perf_counter() - t0:.1f} s")
    for name, statements in SQLITE_FTS.items():
        t0 = time.perf_counter()
        if apply:
            for sql in statements:
                execute(sql)
        else:
            execute(f"DROP TABLE IF EXISTS {name}")
        print(f"{'created' if apply else 'dropped'} {name}: {time.perf_counter() - t0:.1f} s")
    if apply:
        execute("ANALYZE")


# ------------------------------------------------------------------------------------------------
# Query shapes
# ------------------------------------------------------------------------------------------------


def timed(label: str, fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()  # warm
    timings = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(timings)
    shown = result if isinstance(result, int) else len(result) if hasattr(result, "__len__") else ""
    print(f"  {label:<66}{median:>9.1f} ms   -> {shown}")
    return median


def count_sql(qs: Any) -> int:
    sql, params = qs.values("pk").query.sql_with_params()
    return execute(f"SELECT COUNT(*) FROM ({sql}) s", params)[0][0]  # noqa: S608


def capped_count(qs: Any, cap: int = 10_001) -> int:
    sql, params = qs.order_by().values("pk")[:cap].query.sql_with_params()
    return execute(f"SELECT COUNT(*) FROM ({sql}) s", params)[0][0]  # noqa: S608


def shapes(repeat: int) -> None:  # noqa: C901 (a list of experiments)
    from django.db import connection
    from django.db.models import Count, Q

    from naikkelas.accounts.models import User
    from naikkelas.core.text import compact_key, digits
    from naikkelas.registry.access import business_scope
    from naikkelas.registry.models import Business, BusinessOwner, Owner
    from naikkelas.registry.selectors import BusinessFilters, business_list, register_summary

    pg = connection.vendor == "postgresql"
    user = User.objects.get(username="bench")
    base = business_scope(user=user)
    active = base.filter(status="active")
    plain = Business.objects.filter(status="active")

    def current(**filters: Any) -> Any:
        return business_list(base=base, filters=BusinessFilters(**filters))

    def rows(qs: Any, start: int = 0) -> Callable[[], list[Any]]:
        return lambda: list(qs[start : start + 50])

    total = active.count()
    print(f"\n[count] the paginator's COUNT(*) on every list page ({total:,} active)")
    timed("current: COUNT(*) scope LIKE '36.%' + status", lambda: active.count(), repeat)
    timed("without the scope LIKE (deployment = whole table)", lambda: plain.count(), repeat)
    timed("capped: COUNT(*) of the first 10,001 ids", lambda: capped_count(active), repeat)
    if pg:
        timed(
            "estimate: pg_class.reltuples",
            lambda: int(
                execute("SELECT reltuples FROM pg_class WHERE relname='registry_business'")[0][0]
            ),
            repeat,
        )

    print("\n[page] rows of one page (ordering name_key, id; no prefetch)")
    listing = current()
    timed("page 1: current queryset [0:50]", rows(listing.prefetch_related(None)), repeat)
    middle = total // 2
    timed(f"OFFSET {middle:,}: current queryset", rows(listing.prefetch_related(None), middle))
    anchor = list(
        active.order_by("name_key", "id").values_list("name_key", "id")[middle - 1 : middle]
    )[0]
    keyset = (
        base.filter(status="active")
        .filter(Q(name_key__gt=anchor[0]) | Q(name_key=anchor[0], id__gt=anchor[1]))
        .select_related("sector", "kecamatan", "desa_kelurahan")
        .order_by("name_key", "id")
    )
    timed("same page by keyset: name_key > a OR (name_key = a AND id > b)", rows(keyset), repeat)
    table = Business._meta.db_table
    timed(
        "same page by keyset, row comparison (name_key, id) > (a, b), raw SQL",
        lambda: execute(
            f"SELECT id FROM {table} WHERE status = 'active' AND (name_key, id) > (%s, %s) "  # noqa: S608
            "ORDER BY name_key, id LIMIT 50",
            [anchor[0], anchor[1] if pg else anchor[1].hex],
        ),
        repeat,
    )

    word = "emping"
    key = compact_key(word)
    print(f"\n[search name] q={word!r}: name_key LIKE '%{key}%' OR EXISTS(owner name LIKE)")
    qs = current(q=word)
    timed("current: count", lambda: qs.count(), repeat)
    timed("current: page 1 rows", rows(qs.prefetch_related(None)), repeat)
    name_ids = Business.objects.filter(name_key__contains=key).values("id")
    owner_ids = BusinessOwner.objects.filter(owner__name_key__contains=key).values("business_id")
    union = (
        active.filter(Q(pk__in=name_ids) | Q(pk__in=owner_ids))
        .select_related("sector", "kecamatan", "desa_kelurahan")
        .order_by("name_key", "id")
    )
    timed("pk IN (name match) OR pk IN (owner match): count", lambda: union.count(), repeat)
    timed("pk IN (name match) OR pk IN (owner match): page 1", rows(union), repeat)
    timed("only the business name (no owner EXISTS): count",
          lambda: active.filter(name_key__contains=key).count(), repeat)  # fmt: skip
    if not pg and _has_table("bench_business_fts"):
        timed(
            "SQLite FTS5 trigram MATCH: business + owner names, count",
            lambda: execute(
                "SELECT COUNT(*) FROM registry_business b WHERE b.status='active' AND "
                "(b.rowid IN (SELECT rowid FROM bench_business_fts WHERE name_key MATCH %s) "
                "OR b.id IN (SELECT bo.business_id FROM registry_businessowner bo "
                "JOIN registry_owner o ON o.id = bo.owner_id WHERE o.rowid IN "
                "(SELECT rowid FROM bench_owner_fts WHERE name_key MATCH %s)))",
                [f'"{key}"', f'"{key}"'],
            )[0][0],
            repeat,
        )

    owner = (
        Owner.objects.filter(nik__isnull=False)
        .exclude(phone="")
        .annotate(n=Count("businesses"))
        .filter(n__gte=1)
        .order_by("id")
        .first()
    )
    assert owner is not None
    full_name = owner.full_name
    print(f"\n[search owner name] q={full_name!r}")
    qs = current(q=full_name)
    timed("current: count", lambda: qs.count(), repeat)
    key = compact_key(full_name)
    owner_ids = BusinessOwner.objects.filter(owner__name_key__contains=key).values("business_id")
    name_ids = Business.objects.filter(name_key__contains=key).values("id")
    union = active.filter(Q(pk__in=name_ids) | Q(pk__in=owner_ids))
    timed("pk IN (...) OR pk IN (...): count", lambda: union.count(), repeat)

    nik = owner.nik or ""
    print(f"\n[search NIK] prefix {nik[:10]} and full {nik}")
    for q in (nik[:10], nik):
        qs = current(q=q)
        timed(f"current ({len(q)} digits): nib/phone/EXISTS(nik, phone): count",
              lambda qs=qs: qs.count(), repeat)  # fmt: skip
        ids = BusinessOwner.objects.filter(owner__nik__startswith=q).values("business_id")
        timed(f"pk IN (owner nik LIKE '{q[:4]}..%'): count",
              lambda ids=ids: active.filter(pk__in=ids).count(), repeat)  # fmt: skip

    phone = owner.phone
    typed = "0" + phone.removeprefix("+62")
    national = digits(typed)[1:]
    print(f"\n[search phone] typed {typed}")
    qs = current(q=typed)
    timed("current: nib LIKE / phone LIKE '%..%' / EXISTS(owner ...): count",
          lambda: qs.count(), repeat)  # fmt: skip
    exact = active.filter(
        Q(phone=phone)
        | Q(pk__in=BusinessOwner.objects.filter(owner__phone=phone).values("business_id"))
    )
    timed("normalised to E.164, equality on the indexed phone columns: count",
          lambda: exact.count(), repeat)  # fmt: skip
    contains = active.filter(
        Q(phone__contains=national)
        | Q(
            pk__in=BusinessOwner.objects.filter(owner__phone__contains=national).values(
                "business_id"
            )
        )
    )
    timed(
        "phone LIKE '%..%' as pk IN (...) (trgm-friendly): count", lambda: contains.count(), repeat
    )

    print("\n[filters] current count vs capped count")
    for label, filters in (
        ("kecamatan", {"kecamatan": owner.businesses.first().kecamatan_id}),
        ("sector kuliner", {"sector": "kuliner"}),
        ("halal", {"has_halal": True}),
        ("member", {"is_member": True}),
        ("kecil", {"size_class": "kecil"}),
    ):
        qs = current(**filters)
        timed(f"{label}: count", lambda qs=qs: qs.count(), repeat)
        timed(f"{label}: page 1 rows", rows(qs.prefetch_related(None)), repeat)
        timed(f"{label}: capped count", lambda qs=qs: capped_count(qs), repeat)

    print("\n[dashboard] register summary")
    timed("current register_summary() (5 aggregate queries)", register_summary, repeat)
    timed(
        "one GROUP BY kecamatan, sector, size_class, binaan, has NIB",
        lambda: list(
            plain.values("kecamatan_id", "sector_id", "size_class", "is_binaan")
            .annotate(n=Count("pk"), nib=Count("nib"))
            .order_by()
        ),
        repeat,
    )


def _has_table(name: str) -> bool:
    from django.db import connection

    return name in connection.introspection.table_names()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=["shapes", "indexes"])
    parser.add_argument("--apply", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    django_setup()
    print(f"database: {describe_database()}")
    if options.what == "indexes":
        if options.apply == options.drop:
            parser.error("indexes: give --apply or --drop")
        indexes(options.apply)
    else:
        shapes(options.repeat)


if __name__ == "__main__":
    main()
