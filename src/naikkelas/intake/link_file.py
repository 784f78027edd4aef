"""Standalone cleaning: deduplicate any CSV/XLSX list without touching the register.

``naikkelas link INPUT --out OUTPUT``: the file is read like an import (same readers, same
header recognition), its records go through the linkage engine, and one output row per
input row tells which business (``cluster_id``) and which owner (``owner_cluster_id``) it
belongs to, how sure the engine is and why. No Django, no database: a Hipmikindo officer can
clean a list on a laptop, and the benchmarks run the same way.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from naikkelas.core.text import fold
from naikkelas.intake.headers import detect_header_row, header_key, map_columns
from naikkelas.intake.readers import iter_rows
from naikkelas.intake.values import known_sector
from naikkelas.linkage.batch import (
    LinkOutcome,
    Thresholds,
    connect,
    feature_table,
    link,
    load_record_tables,
)
from naikkelas.linkage.features import FeatureMaker
from naikkelas.linkage.places import kelurahan_resolver

__all__ = ["LINK_FIELDS", "LinkFileSummary", "NoHeaderError", "link_file", "read_records"]

HEADER_SCAN = 25
# The canonical input columns (issue 5) and the import field each one is read from.
LINK_FIELDS: dict[str, str] = {
    "owner_name": "owner_name",
    "nik": "nik",
    "business_name": "business_name",
    "phone": "phone",
    "address": "address",
    "kelurahan": "desa_kelurahan",
    "sector": "sector",
    "nib": "nib",
}
_RECORD_ID_HEADERS = frozenset({"recordid", "record_id", "id", "idrecord", "idrekaman"})


class NoHeaderError(ValueError):
    """The file has no recognisable header row."""


def _column_map(headers: list[Any]) -> tuple[dict[str, int], int | None]:
    by_field: dict[str, int] = {}
    record_id: int | None = None
    for match in map_columns(headers):
        key = header_key(match.header).replace(" ", "")
        if record_id is None and (key in _RECORD_ID_HEADERS or fold(match.header) == "record_id"):
            record_id = match.index
            continue
        if match.field and match.field not in by_field:
            by_field[match.field] = match.index
    columns = {name: by_field[field] for name, field in LINK_FIELDS.items() if field in by_field}
    return columns, record_id


def read_records(
    path: Path, *, sheet: str | int | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The recognised canonical columns and an iterator of records (``record_id`` is the
    file's own when it has one, else the spreadsheet row number)."""
    head = list(itertools.islice(iter_rows(path, sheet=sheet), HEADER_SCAN + 5))
    header_row = detect_header_row(head, max_scan=HEADER_SCAN)
    if header_row is None:
        raise NoHeaderError(
            "Baris judul kolom tidak ditemukan: perlu kolom seperti 'Nama Usaha', "
            "'Nama Pemilik', 'NIK', 'No HP', 'Alamat', 'Kelurahan'."
        )
    headers = next(cells for number, cells in head if number == header_row)
    columns, record_id_column = _column_map(list(headers))

    def records() -> Iterator[dict[str, Any]]:
        for number, cells in iter_rows(path, sheet=sheet):
            if number <= header_row or not any(c not in (None, "") for c in cells):
                continue
            record = {
                name: cells[index] if index < len(cells) else None
                for name, index in columns.items()
            }
            rid = (
                cells[record_id_column]
                if record_id_column is not None and record_id_column < len(cells)
                else None
            )
            record["record_id"] = str(rid).strip() if rid not in (None, "") else str(number)
            yield record

    return list(columns), records()


# Normalisation is pure Python (names, addresses): it runs in worker processes, chunk by
# chunk, while the parent reads the file and loads DuckDB.
MAX_PROCESSES = 4
_CHUNK = 20_000
_worker_maker: FeatureMaker | None = None


def _init_worker(area_code: str) -> None:
    global _worker_maker  # noqa: PLW0603 (one per worker process)
    # Feature rows are plain tuples of strings (no reference cycles): the cyclic garbage
    # collector only costs time here (~10% of a worker's).
    gc.disable()
    _worker_maker = FeatureMaker(
        place=kelurahan_resolver(area_code), sector=known_sector, sector_of_name=known_sector
    )


def _worker_table(chunk: list[dict[str, Any]]) -> pa.Table:
    """A chunk's feature rows as an Arrow table: columns travel back to the parent process
    far cheaper than a million tuples."""
    assert _worker_maker is not None
    return feature_table([_worker_maker.row(record, record["record_id"]) for record in chunk])


@contextmanager
def _feature_pool(area_code: str, processes: int) -> Iterator[Any]:
    if processes <= 1:
        _init_worker(area_code)
        yield None
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_init_worker, initargs=(area_code,)) as pool:
        yield pool


def _chunked(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, _CHUNK)):
        yield chunk


def _feature_tables(records: Iterable[dict[str, Any]], pool: Any) -> Iterator[pa.Table]:
    chunks = _chunked(records)
    if pool is None:
        for chunk in chunks:
            yield _worker_table(chunk)
        return
    yield from pool.imap(_worker_table, chunks)


@dataclass(frozen=True)
class LinkFileSummary:
    records: int
    columns: list[str]
    businesses: int
    owners: int
    linked_records: int
    review_pairs: int
    pairs_scored: int
    seconds: dict[str, float]


def link_file(
    path: Path,
    out: Path,
    *,
    sheet: str | int | None = None,
    area_code: str = "36.73",
    thresholds: Thresholds | None = None,
    review_out: Path | None = None,
    memory_limit: str = "3GB",
    window: int = 0,
) -> LinkFileSummary:
    """Deduplicate the records in ``path``; write one CSV row per record to ``out`` (and the
    doubtful pairs to ``review_out``)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    columns, records = read_records(path, sheet=sheet)
    processes = max(1, min(os.cpu_count() or 1, MAX_PROCESSES))
    # The worker processes start (fork) before DuckDB starts its threads.
    gc.disable()  # reading builds a million short-lived rows and no cycles
    try:
        with _feature_pool(area_code, processes) as pool:
            con = connect(memory_limit=memory_limit)
            count = load_record_tables(con, _feature_tables(records, pool))
    finally:
        gc.enable()
    seconds["load_normalise"] = time.perf_counter() - started
    outcome: LinkOutcome = link(con, thresholds=thresholds, window=window)
    seconds.update(outcome.seconds)
    started = time.perf_counter()
    outcome.write_csv(out, review_path=review_out)
    seconds["write"] = time.perf_counter() - started
    businesses, owners, linked = con.execute(
        "SELECT count(DISTINCT cluster_id), count(DISTINCT owner_cluster_id), "
        "count(*) FILTER (WHERE decision = 'linked') FROM results"
    ).fetchall()[0]
    con.close()
    return LinkFileSummary(
        records=count,
        columns=columns,
        businesses=int(businesses),
        owners=int(owners),
        linked_records=int(linked),
        review_pairs=outcome.review_pairs,
        pairs_scored=outcome.pairs_scored,
        seconds=seconds,
    )
