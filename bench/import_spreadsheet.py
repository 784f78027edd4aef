"""Benchmark: import a large synthetic spreadsheet (prints figures, asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/import_spreadsheet.py --rows 100000

Uses a fresh database in the given data directory (SQLite unless DATABASE_URL points at
PostgreSQL): migrates, loads the regions of Kota and Kabupaten Serang and the sectors (no demo
register), writes a synthetic XLSX with ``tests/fixtures/intake/make_fixtures.write_large_xlsx``
and then measures, in this order:

1. **baseline**: the first ``--baseline-rows`` rows validated like the import does and
   registered one by one through the regular services (``business_register_with_owner``, one
   transaction per row, as the web form and the API do), then removed again; the rate is
   extrapolated to all rows and marked so;
2. **bulk import**: ``import_batch_stage`` (read + store raw rows) and ``import_batch_run``
   (validate + link + promote, chunks of 1,000), timed separately, with the peak RSS after
   each phase (``ru_maxrss``, whole process, never goes down);
3. **undo** of that import, timed;
4. **memory pass** (unless ``--no-tracemalloc``): the same stage + run again under
   ``tracemalloc``, for the peak of Python objects per phase. Its timings carry tracemalloc's
   overhead and are printed only for reference.

``--profile`` instead runs stage + run under cProfile and prints the top functions by
cumulative and by own time (use ``--rows 10000``).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import itertools
import os
import pstats
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TEST_AREAS = ("36.73", "36.04")


def _make_fixtures() -> Any:
    path = REPO / "tests" / "fixtures" / "intake" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("naikkelas_bench_make_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def _setup_database() -> float:
    from django.core.management import call_command

    from naikkelas.regions.services import region_catalogue_load
    from naikkelas.registry.services import sector_catalogue_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    region_catalogue_load(within=TEST_AREAS)
    sector_catalogue_load()
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Baseline: the regular one-row-at-a-time services
# --------------------------------------------------------------------------------------------


def _mapped_rows(path: Path, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` data rows as ``{field: cell}``, mapped as staging maps them."""
    from naikkelas.intake.headers import detect_header_row, map_columns
    from naikkelas.intake.readers import iter_rows
    from naikkelas.intake.services.staging import json_cell

    head = list(itertools.islice(iter_rows(path), 30))
    header_row = detect_header_row(head)
    assert header_row is not None
    headers = next(cells for number, cells in head if number == header_row)
    fields = {m.index: m.field for m in map_columns(headers) if m.field and m.field != "row_id"}
    rows: list[dict[str, Any]] = []
    for number, cells in iter_rows(path):
        if number <= header_row or not cells:
            continue
        rows.append({f: json_cell(cells[i]) for i, f in fields.items() if i < len(cells)})
        if len(rows) >= limit:
            break
    return rows


def baseline(path: Path, limit: int) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    from naikkelas.intake.models import ImportBatch
    from naikkelas.intake.services.processing import build_context
    from naikkelas.intake.validation import validate_row
    from naikkelas.registry.models import Business, BusinessOwner, Owner, Source, YearlyFigure
    from naikkelas.registry.services import business_register_with_owner

    rows = _mapped_rows(path, limit)
    started = time.perf_counter()
    ctx = build_context(ImportBatch(options={}))
    registered, refused, quarantined = [], 0, 0
    new_owners: list[Any] = []
    for data in rows:
        result = validate_row(data, ctx)
        if not result.ok:
            quarantined += 1
            continue
        owner_data = {k: v for k, v in result.owner.items() if v not in (None, "")}
        business_data = {k: v for k, v in result.business.items() if v is not None}
        try:
            business, reused = business_register_with_owner(
                actor=None,
                owner_data=owner_data,
                business_data=business_data,
                figure=result.figure,
                source=Source.IMPORT,
                source_ref="bench-baseline",
            )
        except ValidationError:
            refused += 1
            continue
        registered.append(business.pk)
        if not reused:
            new_owners.append(business.ownerships.get().owner_id)
    seconds = time.perf_counter() - started
    # leave the register empty again for the bulk import
    YearlyFigure.objects.filter(business__in=registered).delete()
    BusinessOwner.objects.filter(business__in=registered).delete()
    Business.objects.filter(pk__in=registered).delete()
    Owner.objects.filter(pk__in=new_owners).delete()
    return {
        "rows": len(rows),
        "seconds": seconds,
        "registered": len(registered),
        "quarantined": quarantined,
        "refused": refused,
    }


# --------------------------------------------------------------------------------------------
# Bulk import
# --------------------------------------------------------------------------------------------


def bulk_import(path: Path, *, trace: bool) -> dict[str, Any]:
    from naikkelas.intake.services import import_batch_run, import_batch_stage

    figures: dict[str, Any] = {}
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    batch, created = import_batch_stage(
        actor=None, path=path, file_name=path.name, source="bench-besar"
    )
    assert created, "the file was imported before"
    figures["stage_s"] = time.perf_counter() - started
    figures["stage_rss_mb"] = _rss_mb()
    if trace:
        figures["stage_py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.reset_peak()
    run_started = time.perf_counter()
    marks: list[tuple[int, float]] = [(0, run_started)]

    def progress(done: int, total: int) -> None:
        marks.append((done, time.perf_counter()))

    batch = import_batch_run(actor=None, batch=batch, progress=progress)
    figures["run_s"] = time.perf_counter() - run_started
    # ms per row in each tenth of the run: flat means the run scales linearly
    tenths = []
    for tenth in range(1, 11):
        upto = [m for m in marks if m[0] <= batch.rows_in * tenth / 10]
        before = [m for m in marks if m[0] <= batch.rows_in * (tenth - 1) / 10]
        (done_a, at_a), (done_b, at_b) = before[-1], upto[-1]
        if done_b > done_a:
            tenths.append((at_b - at_a) * 1000 / (done_b - done_a))
    figures["run_ms_per_row_by_tenth"] = tenths
    figures["total_s"] = time.perf_counter() - started
    figures["run_rss_mb"] = _rss_mb()
    if trace:
        figures["run_py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    figures["batch"] = batch
    return figures


def _synthetic_nik(i: int) -> str:
    """A valid-looking NIK of Kecamatan Serang with a serial in 9000-9999 (ADR 0005)."""
    day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30
    return f"367301{day:02d}{month:02d}{year:02d}{9000 + i % 1000:04d}"


def quarantine_round_trip(batch: Any, fixes: int, directory: Path) -> dict[str, Any]:
    """Export the quarantine, retype ``fixes`` Excel-damaged NIKs as text, import it back."""
    from openpyxl import load_workbook

    from naikkelas.intake.services.quarantine import (
        quarantine_export_xlsx,
        quarantine_import_xlsx,
    )

    path = directory / "karantina.xlsx"
    started = time.perf_counter()
    with path.open("wb") as stream:
        exported = quarantine_export_xlsx(actor=None, batch=batch, stream=stream)
    export_s = time.perf_counter() - started
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    nik = header.index("NIK")
    edited = 0
    for cells in sheet.iter_rows(min_row=2):
        if edited >= fixes:
            break
        if "Excel" in str(cells[-1].value or "") and isinstance(cells[nik].value, int | float):
            cells[nik].value = _synthetic_nik(edited)
            edited += 1
    workbook.save(path)
    started = time.perf_counter()
    counts = quarantine_import_xlsx(actor=None, batch=batch, path=path)
    return {
        "exported": exported,
        "export_s": export_s,
        "edited": edited,
        "import_s": time.perf_counter() - started,
        "counts": counts,
    }


def undo(batch: Any) -> float:
    from naikkelas.intake.services import import_batch_undo

    started = time.perf_counter()
    import_batch_undo(actor=None, batch=batch)
    return time.perf_counter() - started


def profile(path: Path, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    figures = bulk_import(path, trace=False)
    profiler.disable()
    batch = figures["batch"]
    print(
        f"profiled stage {figures['stage_s']:.1f} s + run {figures['run_s']:.1f} s "
        f"({batch.rows_in} rows, cProfile overhead included)\n"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(f"--- top {top} by {order} ---")
        print(out.getvalue().split("\n", 6)[-1].rstrip() + "\n")


# --------------------------------------------------------------------------------------------


def _note(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3673)
    parser.add_argument("--baseline-rows", type=int, default=5000)
    parser.add_argument("--file", type=Path, help="reuse this XLSX instead of writing one")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the memory pass")
    parser.add_argument(
        "--quarantine-fixes",
        type=int,
        default=200,
        help="NIKs retyped in the quarantine round trip (0: skip it)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile stage + run only")
    parser.add_argument("--top", type=int, default=15)
    options = parser.parse_args()
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    data_dir = Path(settings.DATA_DIR)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    print(f"setup (migrate, regions, sectors): {_setup_database():.1f} s")

    path = options.file
    if path is None:
        path = data_dir / f"umkm-{options.rows}-{options.seed}.xlsx"
        if not path.exists():
            started = time.perf_counter()
            _make_fixtures().write_large_xlsx(path, rows=options.rows, seed=options.seed)
            print(f"wrote {path.name}: {time.perf_counter() - started:.1f} s")
    print(f"file: {path} ({path.stat().st_size / 1024 / 1024:.1f} MB)")
    print(f"peak RSS before import: {_rss_mb():.0f} MB\n")

    if options.profile:
        profile(path, options.top)
        return

    base = baseline(path, options.baseline_rows)
    _note(f"baseline: {base['rows']} rows in {base['seconds']:.1f} s")
    figures = bulk_import(path, trace=False)
    batch = figures["batch"]
    rows = batch.rows_in
    _note(f"bulk import: stage {figures['stage_s']:.1f} s, run {figures['run_s']:.1f} s")
    _note(
        "run, ms per row in each tenth: "
        + " ".join(f"{ms:.2f}" for ms in figures["run_ms_per_row_by_tenth"])
    )
    result = (batch.promoted, batch.linked, batch.quarantined, batch.duplicates_in_file)
    fixes = None
    if options.quarantine_fixes:
        fixes = quarantine_round_trip(batch, options.quarantine_fixes, data_dir)
        _note(f"quarantine round trip: import {fixes['import_s']:.1f} s")
        batch.refresh_from_db()
    undo_s = undo(batch)
    _note(f"undo: {undo_s:.1f} s")

    base_rate = base["rows"] / base["seconds"]
    base_all_s = rows / base_rate
    print(f"{'phase':<44}{'seconds':>10}{'rows/s':>10}{'peak RSS MB':>13}")
    print("-" * 77)
    print(
        f"{'stage (read + store raw rows)':<44}{figures['stage_s']:>10.1f}"
        f"{_rate(rows, figures['stage_s']):>10}{figures['stage_rss_mb']:>13.0f}"
    )
    print(
        f"{'run (validate + link + promote)':<44}{figures['run_s']:>10.1f}"
        f"{_rate(rows, figures['run_s']):>10}{figures['run_rss_mb']:>13.0f}"
    )
    print(
        f"{'bulk import total':<44}{figures['total_s']:>10.1f}{_rate(rows, figures['total_s']):>10}"
    )
    print(
        f"{'undo of the import (businesses/s)':<44}{undo_s:>10.1f}{_rate(batch.promoted, undo_s):>10}"
    )
    print(
        f"{'baseline: row by row, ' + format(base['rows'], ',') + ' rows (measured)':<44}"
        f"{base['seconds']:>10.1f}{base_rate:>10,.0f}"
    )
    print(
        f"{'baseline: ' + format(rows, ',') + ' rows (EXTRAPOLATED)':<44}"
        f"{base_all_s:>10.0f}{base_rate:>10,.0f}"
    )
    print("-" * 77)
    print(
        f"bulk run vs baseline (validate + register): "
        f"{base_all_s / figures['run_s']:.1f}x faster; "
        f"whole bulk import incl. staging: {base_all_s / figures['total_s']:.1f}x"
    )
    print(
        f"baseline rows: {base['registered']} registered, {base['quarantined']} invalid, "
        f"{base['refused']} refused by the services (then removed again)"
    )
    if fixes is not None:
        counts = fixes["counts"]
        print(
            f"quarantine round trip: export of {fixes['exported']:,} rows "
            f"{fixes['export_s']:.1f} s; import with {fixes['edited']} retyped NIKs "
            f"{fixes['import_s']:.1f} s ({fixes['import_s'] / max(counts['corrected'], 1):.2f} s "
            f"per corrected row): {counts['corrected']} corrected, {counts['promoted']} promoted, "
            f"{counts['still_quarantined']:,} still quarantined"
        )
    promoted, linked, quarantined, duplicates = result
    print(
        f"\nresult of the bulk run: rows_in {rows:,} = promoted {promoted:,} + linked {linked:,} "
        f"+ quarantined {quarantined:,} + duplicates {duplicates:,}  "
        f"({'ok' if rows == sum(result) else 'MISMATCH'})"
    )
    if options.no_tracemalloc:
        return
    _note("memory pass: the same import again under tracemalloc (slow)")
    traced = bulk_import(path, trace=True)
    print(
        f"tracemalloc peak of Python objects: stage {traced['stage_py_peak_mb']:.1f} MB, "
        f"run {traced['run_py_peak_mb']:.1f} MB  (memory pass, after undo; its times "
        f"with tracemalloc: stage {traced['stage_s']:.0f} s, run {traced['run_s']:.0f} s)"
    )


if __name__ == "__main__":
    main()
