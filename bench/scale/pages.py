"""Time the register pages, the API and the dashboards on a large register (prints figures only).

    NAIKKELAS_DATA_DIR=... .venv/bin/python -m bench.scale.pages [--repeat 30] [--json out.json]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale ... -m bench.scale.pages

Runs against the database ``bench.scale.generate`` filled (nothing is written except the
session of the ``bench`` officer, the audit events of the PDF export and a data-change marker
before each dashboard, whose first view is then timed without its cache: column "first ms").
Every page goes through ``django.test.Client`` (whole request: middleware, view, template),
logged in as a
Dinas officer with ``force_login``. For each page: one warm-up request, then up to
``--repeat`` timed requests (fewer when a page is slow: at most ``--budget`` seconds per page,
at least 3, only one over 10 s), p50/p95, the number of SQL queries and the time spent in SQL
(one extra request under ``CaptureQueriesContext``), the rows the filter matched, and the
slowest queries. For the slowest pages the slowest query is explained:
``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.scale._env import database_size, describe_database, django_setup


@dataclass
class Case:
    group: str  # list / search / filter / detail / api / dashboard
    name: str
    url: str
    params: dict[str, str] = field(default_factory=dict)  # list pages: what the form receives


@dataclass
class Result:
    group: str
    name: str
    url: str
    n: int = 0
    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0
    first: float = 0.0  # the warm-up request; for dashboards after invalidating their cache
    queries: int = 0
    sql_ms: float = 0.0
    kb: float = 0.0
    matched: str = ""
    status: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def short_sql(sql: str, width: int = 240) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= width else sql[: width - 3] + "..."


# ------------------------------------------------------------------------------------------------
# Sample values taken from the database, so every search and filter has something to find
# ------------------------------------------------------------------------------------------------


def samples() -> dict[str, Any]:
    from naikkelas.registry.models import Business, BusinessOwner, Permit

    halal = (
        Permit.objects.filter(kind="HALAL", business__status="active", business__nib__isnull=False)
        .order_by("id")
        .values_list("business_id", flat=True)[:200]
    )
    business = None
    for business_id in halal:
        candidate = Business.objects.get(pk=business_id)
        link = (
            BusinessOwner.objects.filter(business=candidate, role="pemilik")
            .select_related("owner")
            .first()
        )
        if link and link.owner.nik and link.owner.phone and candidate.figures.count() >= 4:
            business, owner = candidate, link.owner
            break
    if business is None:  # a small register: take what there is
        business = Business.objects.filter(status="active").order_by("id").first()
        owner = business.ownerships.select_related("owner").first().owner
    assert business is not None
    national = owner.phone.removeprefix("+62")
    ordered = Business.objects.filter(status="active").order_by("name_key", "id")
    total = ordered.count()

    def cursor_at(position: int) -> str:
        from naikkelas.core.keyset import encode_cursor

        row = ordered.values_list("name_key", "id")[max(0, position - 1)]
        return encode_cursor(row)

    return {
        "cursor_100": cursor_at(99 * 50),
        "cursor_middle": cursor_at(total // 2),
        "cursor_last": cursor_at(max(0, total - 30)),
        "business": business,
        "owner": owner,
        "name_word": "emping",
        "business_name": business.name,
        "owner_name": owner.full_name,
        "nik_prefix": (owner.nik or "3673060101909000")[:10],
        "nik": owner.nik or "",
        "phone_typed": f"0{national[:3]}-{national[3:7]}-{national[7:]}",
        "nib": business.nib or "",
        "kecamatan": business.kecamatan_id,
        "kelurahan": business.desa_kelurahan_id,
    }


def cases(s: dict[str, Any], total: int) -> list[Case]:
    from django.utils import timezone

    today = timezone.localdate()
    last_page = max(1, math.ceil(total / 50))

    def page(group: str, name: str, **params: str) -> Case:
        if group in ("search", "filter"):
            params["status"] = "active"  # as the filter form submits it
        query = f"?{urlencode(params)}" if params else ""
        return Case(group, name, f"/usaha/{query}", params)

    def api(name: str, **params: str) -> Case:
        params.setdefault("limit", "50")
        return Case("api", name, f"/api/v1/businesses?{urlencode(params)}", params)

    return [
        page("list", "list page 1"),
        page("list", "list page 100 (cursor)", setelah=s["cursor_100"], hal="100"),
        page("list", "list middle page (cursor)", setelah=s["cursor_middle"], hal="2"),
        page("list", "list last page (cursor)", setelah=s["cursor_last"], hal="3"),
        page("list", "list middle page (?page=N: OFFSET)", page=str(last_page // 2)),
        page("search", "search name word 'emping'", q=s["name_word"]),
        page("search", "search business name", q=s["business_name"]),
        page("search", "search owner name", q=s["owner_name"]),
        page("search", "search NIK prefix (10)", q=s["nik_prefix"]),
        page("search", "search NIK (16)", q=s["nik"]),
        page("search", "search phone 08xx-xxxx-xxxxx", q=s["phone_typed"]),
        page("search", "search NIB", q=s["nib"]),
        page("filter", "filter kecamatan", kecamatan=s["kecamatan"]),
        page("filter", "filter kelurahan", desa_kelurahan=s["kelurahan"]),
        page("filter", "filter sector kuliner", sector="kuliner"),
        page("filter", "filter size class kecil", size_class="kecil"),
        page("filter", "filter NIB yes", has_nib="1"),
        page("filter", "filter halal yes", has_halal="1"),
        page("filter", "filter binaan yes", is_binaan="1"),
        page("filter", "filter member yes", is_member="1"),
        page(
            "filter",
            "filter kec+sector+NIB",
            kecamatan=s["kecamatan"],
            sector="kuliner",
            has_nib="1",
        ),  # fmt: skip
        page(
            "filter", "filter kelurahan+search", desa_kelurahan=s["kelurahan"], q=s["name_word"]
        ),  # fmt: skip
        Case("detail", "business page", f"/usaha/{s['business'].pk}/"),
        api("api list"),
        api("api list cursor middle", after=s["cursor_middle"]),
        api("api list offset middle (OFFSET)", offset=str(total // 2)),
        api("api search name", q=s["name_word"]),
        api("api search phone", q=s["phone_typed"]),
        api("api filter kecamatan", kecamatan=s["kecamatan"]),
        api("api filter halal", has_halal="true"),
        Case("api", "api business", f"/api/v1/businesses/{s['business'].pk}"),
        Case("dashboard", "/ringkasan/ (register)", "/ringkasan/"),
        Case("dashboard", "/program/keadilan/ (this year)", "/program/keadilan/"),
        Case(
            "dashboard",
            "/program/keadilan/ (2019-today)",
            f"/program/keadilan/?date_from=2019-01-01&date_to={today.isoformat()}",
        ),
        Case("dashboard", "/kendala/laporan/ (this year)", "/kendala/laporan/"),
        Case("dashboard", "/pasar/laporan/", "/pasar/laporan/"),
        Case("dashboard", "/laporan/ (coverage, weeks, quality)", "/laporan/"),
        Case("dashboard", "/laporan/naik-kelas/", "/laporan/naik-kelas/"),
        Case("dashboard", "/laporan/pimpinan/", "/laporan/pimpinan/"),
        Case("dashboard", "/laporan/bulanan.pdf", "/laporan/bulanan.pdf"),
    ]


def matched(case: Case, user: Any, response: Any) -> str:
    """How many businesses the page's filter matched (list pages through the same form)."""
    if case.group == "api" and response.headers.get("Content-Type", "").startswith("application"):
        body = json.loads(response.content)
        return f"{body['count']:,}" if isinstance(body, dict) and "count" in body else ""
    if case.url.startswith("/usaha/?") or case.url == "/usaha/":
        from naikkelas.registry.access import business_scope
        from naikkelas.registry.forms import BusinessFilterForm
        from naikkelas.registry.selectors import BusinessFilters, business_list

        form = BusinessFilterForm(case.params or {"status": "active"})
        valid = form.is_valid()
        filters = form.filters() if valid else BusinessFilters()
        count = business_list(base=business_scope(user=user), filters=filters).count()
        if valid:
            return f"{count:,}"
        return f"{count:,} (form invalid: {','.join(form.errors)}; filters ignored)"
    return ""


# ------------------------------------------------------------------------------------------------
# Plans
# ------------------------------------------------------------------------------------------------


def _pg_lines(node: dict[str, Any], depth: int, out: list[str]) -> None:
    label = node["Node Type"]
    if node.get("Relation Name"):
        label += f" on {node['Relation Name']}"
    if node.get("Index Name"):
        label += f" using {node['Index Name']}"
    detail = []
    for key in ("Filter", "Index Cond", "Hash Cond", "Recheck Cond", "Join Filter", "Sort Key"):
        if node.get(key):
            value = node[key] if isinstance(node[key], str) else ", ".join(node[key])
            detail.append(f"{key}: {short_sql(value, 110)}")
    removed = node.get("Rows Removed by Filter")
    loops = node.get("Actual Loops", 1)
    out.append(
        f"{'  ' * depth}{label}  (actual {node.get('Actual Total Time', 0):.1f} ms x{loops}, "
        f"rows {node.get('Actual Rows', 0):,}"
        + (f", removed {removed:,}" if removed else "")
        + (f", workers {node['Workers Launched']}" if node.get("Workers Launched") else "")
        + ")"
        + (f"  [{'; '.join(detail)}]" if detail else "")
    )
    for child in node.get("Plans", []):
        _pg_lines(child, depth + 1, out)


def explain(sql: str, limit: int = 18) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            lines = [
                f"execution {plan['Execution Time']:.1f} ms, planning {plan['Planning Time']:.1f} ms"
            ]
            _pg_lines(plan["Plan"], 1, lines)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            lines = [f"  {'  ' * (row[1] > 0)}{row[3]}" for row in cursor.fetchall()]
    if len(lines) > limit:
        lines = lines[:limit] + [f"  ... {len(lines) - limit} more plan lines"]
    return lines


# ------------------------------------------------------------------------------------------------
# Timing
# ------------------------------------------------------------------------------------------------


def run_case(client: Any, user: Any, case: Case, repeat: int, budget: float) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(case.group, case.name, case.url)
    if case.group == "dashboard":  # time the first view after a change (nothing cached)
        from naikkelas.core.data_version import note_data_change

        note_data_change()
    t0 = time.perf_counter()
    response = client.get(case.url)  # warm-up
    first = time.perf_counter() - t0
    result.first = first * 1000
    result.status = response.status_code
    result.kb = len(response.content) / 1024
    if response.status_code != 200:
        return result
    result.matched = matched(case, user, response)
    # at least 3 timed requests, fewer than --repeat when slow; a page over 10 s is timed once
    n = 1 if first > 10 else max(3, min(repeat, int(budget / max(first, 1e-3))))
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.get(case.url)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    result.n = n
    result.p50 = statistics.median(timings)
    result.p95 = percentile(timings, 0.95)
    result.max = timings[-1]
    with CaptureQueriesContext(connection) as captured:
        client.get(case.url)
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    result.queries = len(queries)
    result.sql_ms = sum(t for t, _ in queries)
    result.slowest = sorted(queries, key=lambda q: -q[0])[:3]
    return result


def code_version() -> str:
    """The commit the pages ran on (the application changes while the bench is developed)."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "src") else ""
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


def profile(client: Any, case: Case, top: int = 22) -> None:
    """Where one request's time goes in Python (cProfile, by cumulative time)."""
    import cProfile
    import io
    import pstats

    client.get(case.url)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    client.get(case.url)
    profiler.disable()
    elapsed = (time.perf_counter() - t0) * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(
        r"naikkelas|django/(template|db/models/sql/compiler|forms|core/paginator)", top
    )
    print(f"\n### profile of {case.name} ({case.url}): {elapsed:.0f} ms under cProfile")
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    for line in lines[start:]:
        print("   " + line[:150])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per page")
    parser.add_argument(
        "--explain", type=int, default=8, help="pages whose slowest query to explain"
    )
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--json", default="", help="write the results to this file")
    parser.add_argument(
        "--profile", default="", help="cProfile one request of each page whose name contains this"
    )
    options = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.test import Client

    from naikkelas.accounts.models import Role, User
    from naikkelas.accounts.services import user_create
    from naikkelas.registry.models import Business

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.filter(username="bench").first() or user_create(
        username="bench", password="Bench-12345!", role=Role.DINAS, full_name="Bench Officer"
    )
    client = Client()
    client.force_login(user)
    t0 = time.perf_counter()
    total = Business.objects.count()
    active = Business.objects.filter(status="active").count()
    print(f"database: {describe_database()}, size {database_size()}; code at {code_version()}")
    print(
        f"area {settings.NAIKKELAS_AREA_CODE}; businesses {total:,} ({active:,} active); "
        f"counted in {time.perf_counter() - t0:.2f} s; officer role {user.role}"
    )
    s = samples()
    print(
        "samples: "
        + "; ".join(f"{k}={v}" for k, v in s.items() if k not in ("business", "owner"))
        + f"; business id {s['business'].pk}"
    )
    results: list[Result] = []
    header = (
        f"{'group':<10}{'page':<36}{'n':>3}{'p50 ms':>9}{'p95 ms':>9}{'first ms':>9}{'queries':>8}"
        f"{'SQL ms':>9}{'KB':>6}  matched"
    )
    print()
    print(header)
    print("-" * len(header))
    started = time.perf_counter()
    for case in cases(s, active):
        if options.only and options.only not in case.name:
            continue
        result = run_case(client, user, case, options.repeat, options.budget)
        results.append(result)
        if result.status != 200:
            print(f"{case.group:<10}{case.name:<36} HTTP {result.status}  {case.url}")
            continue
        print(
            f"{result.group:<10}{result.name:<36}{result.n:>3}{result.p50:>9.1f}{result.p95:>9.1f}"
            f"{result.first:>9.0f}{result.queries:>8}{result.sql_ms:>9.1f}{result.kb:>6.0f}  {result.matched}",
            flush=True,
        )
    print(f"(timing took {time.perf_counter() - started:.0f} s)")
    if options.profile:
        for case in cases(s, active):
            if options.profile in case.name:
                profile(client, case)

    print("\nSlowest queries per page (ms, one captured request):")
    for result in results:
        if not result.slowest:
            continue
        print(f"- {result.name} ({result.url})")
        for ms, sql in result.slowest[:2]:
            print(f"    {ms:8.1f}  {short_sql(sql)}")

    print(f"\nPlans of the slowest query of the {options.explain} slowest pages:")
    ranked = sorted((r for r in results if r.slowest), key=lambda r: -r.p50)[: options.explain]
    for result in ranked:
        ms, sql = result.slowest[0]
        result.plan = explain(sql)
        print(f"\n## {result.name}: p50 {result.p50:.0f} ms; its slowest query {ms:.1f} ms")
        print(f"   {short_sql(sql, 400)}")
        for line in result.plan:
            print(f"   {line}")

    if options.json:
        with open(options.json, "w") as out:
            json.dump(
                {
                    "database": describe_database(),
                    "businesses": total,
                    "results": [asdict(r) for r in results],
                },
                out,
                indent=1,
            )
        print(f"\nresults written to {options.json}")


if __name__ == "__main__":
    main()
