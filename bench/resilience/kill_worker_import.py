"""Kill the background worker in the middle of an import, several times; it must resume.

    .venv/bin/python -m bench.resilience.kill_worker_import [--rows 30000] [--register 2000]
        [--postgres] [--keep]

A demo installation (``--register`` synthetic businesses and their duplicate-check index) is
copied twice. In the first copy a synthetic spreadsheet of ``--rows`` rows is staged and
queued for the worker as the web and the API do (``import_batch_stage`` +
``import_batch_enqueue``); ``naikkelas worker`` runs it and is killed with SIGKILL in the
middle of a chunk (validation, linkage and promotion of that chunk under way) at about 10%,
50% and 90% of the rows. After each kill the database must hold whole chunks only; then a
new worker is started and must take the run over by itself. The second copy imports the same
file without interruption (``naikkelas import``): both must end with the same result, row by
row (where two candidates score exactly the same, either may be chosen: such rows are scored
again and accepted when both tie).

With ``--postgres`` also the narrowest window: the worker killed after taking an import's
task and before claiming the batch (a row lock on the batch holds it there); a new worker
must run the batch.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.resilience.common import (
    Instance,
    Report,
    arguments,
    new_instance,
    prepare,
    wait_until,
    workspace,
    write_spreadsheet,
)

PENDING = "pending"
OUTCOMES = ("promoted", "linked", "quarantined", "duplicate")


# --------------------------------------------------------------------------------------------
# A batch seen from the database
# --------------------------------------------------------------------------------------------


def enqueue_import(instance: Instance, path: Path, *, queue: bool = True) -> str:
    """Stage ``path`` and queue it for the worker (what the upload page and the API do;
    ``queue=False``: stage only); returns the batch id."""
    return str(
        instance.python(
            "import json\nfrom pathlib import Path\n"
            "from naikkelas.intake.services import import_batch_stage\n"
            "from naikkelas.intake.tasks import import_batch_enqueue\n"
            f"batch, created = import_batch_stage(actor=None, path=Path({str(path)!r}), "
            f"file_name={path.name!r}, source={path.name!r})\n"
            "assert created, 'imported before'\n"
            f"if {queue!r}:\n"
            "    import_batch_enqueue(actor=None, batch=batch)\n"
            "print(json.dumps(str(batch.pk)))\n"
        )
    )


def queue_import(instance: Instance, batch_id: str) -> None:
    """Queue a staged batch for the worker."""
    instance.python(
        "from naikkelas.intake.models import ImportBatch\n"
        "from naikkelas.intake.tasks import import_batch_enqueue\n"
        f"import_batch_enqueue(actor=None, batch=ImportBatch.objects.get(pk={batch_id!r}))\n"
    )


@dataclass
class BatchState:
    status: str
    runner: str
    counters: dict[str, int]  # the batch's stored counters
    rows: Counter[str]  # rows by status, counted

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def decided(self) -> int:
        return self.total - self.rows[PENDING]


def batch_state(instance: Instance, batch_id: str) -> BatchState:
    key = instance.id_sql(batch_id)
    status, runner, rows_in, promoted, linked, quarantined, duplicates = instance.query(
        "SELECT status, runner, rows_in, promoted, linked, quarantined, duplicates_in_file "
        f"FROM intake_importbatch WHERE id = {key}"
    )[0]
    rows = Counter(
        {
            str(s): int(n)
            for s, n in instance.query(
                f"SELECT status, count(*) FROM intake_importrow WHERE batch_id = {key} "
                "GROUP BY status"
            )
        }
    )
    counters = {
        "rows_in": rows_in,
        "promoted": promoted,
        "linked": linked,
        "quarantined": quarantined,
        "duplicate": duplicates,
    }
    return BatchState(str(status), str(runner or ""), counters, rows)


def decided_rows(instance: Instance, batch_id: str) -> int:
    return int(
        instance.scalar(
            "SELECT count(*) FROM intake_importrow WHERE batch_id = "
            f"{instance.id_sql(batch_id)} AND status <> '{PENDING}'"
        )
    )


def provenance_prefix(file_name: str) -> str:
    """How a business remembers the file it came from (``ImportRow.reference``)."""
    return f"{file_name} › "


def file_businesses(instance: Instance, file_name: str) -> tuple[int, int]:
    """(businesses whose provenance is this file, distinct provenance references)."""
    like = provenance_prefix(file_name).replace("'", "''") + "%"
    count, distinct = instance.query(
        "SELECT count(*), count(DISTINCT source_ref) FROM registry_business "
        f"WHERE source_ref LIKE '{like}'"
    )[0]
    return int(count), int(distinct)


def owners_without_business(instance: Instance) -> int:
    return int(
        instance.scalar(
            "SELECT count(*) FROM registry_owner o WHERE NOT EXISTS "
            "(SELECT 1 FROM registry_businessowner bo WHERE bo.owner_id = o.id)"
        )
    )


def row_outcomes(instance: Instance, batch_id: str, file_name: str) -> dict[tuple[str, int], Any]:
    """(sheet, row) -> (status, the business it became or was linked to, the row it
    duplicates). A business of this file is named by its provenance (the same in any copy),
    one already in the register by its id (copies share the ids)."""
    prefix = provenance_prefix(file_name)
    outcomes: dict[tuple[str, int], Any] = {}
    for sheet, number, status, business_id, source_ref, duplicate_of in instance.query(
        "SELECT r.sheet, r.row_number, r.status, r.business_id, b.source_ref, d.row_number "
        "FROM intake_importrow r "
        "LEFT JOIN registry_business b ON b.id = r.business_id "
        "LEFT JOIN intake_importrow d ON d.id = r.duplicate_of_id "
        f"WHERE r.batch_id = {instance.id_sql(batch_id)}"
    ):
        business = None
        if business_id is not None:
            business = source_ref if (source_ref or "").startswith(prefix) else str(business_id)
        outcomes[(str(sheet), int(number))] = (str(status), business, duplicate_of)
    return outcomes


def review_pairs(instance: Instance, batch_id: str, file_name: str) -> set[tuple[Any, ...]]:
    """The doubtful pairs the import queued: (level, one side, other side, probability), each
    side named by its provenance when it came from this file (a new owner by its business)."""
    prefix = provenance_prefix(file_name)
    found = set()
    for level, sides, probability in (
        (level, ((lb, lbr), (rb, rbr), (lo, lor), (ro, ror)), probability)
        for level, lb, lbr, rb, rbr, lo, lor, ro, ror, probability in instance.query(
            "WITH ob AS (SELECT bo.owner_id AS owner, min(b.source_ref) AS ref FROM "
            "registry_businessowner bo JOIN registry_business b ON b.id = bo.business_id "
            "GROUP BY bo.owner_id) "
            "SELECT m.level, m.left_business_id, lb.source_ref, m.right_business_id, "
            "rb.source_ref, m.left_owner_id, lo.ref, m.right_owner_id, ro.ref, "
            "m.match_probability FROM linkage_matchcandidate m "
            "LEFT JOIN registry_business lb ON lb.id = m.left_business_id "
            "LEFT JOIN registry_business rb ON rb.id = m.right_business_id "
            "LEFT JOIN ob lo ON lo.owner = m.left_owner_id "
            "LEFT JOIN ob ro ON ro.owner = m.right_owner_id "
            f"WHERE m.source = 'import' AND m.source_ref = '{batch_id}'"
        )
    ):
        names = sorted(
            ref if (ref or "").startswith(prefix) else str(key)
            for key, ref in sides
            if key is not None
        )
        found.add((str(level), *names, round(float(probability or 0), 4)))
    return found


def untied_differences(
    mine: set[tuple[Any, ...]], theirs: set[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Pairs queued by one run only that a tie does not explain. When two candidates score
    the same, which one a row's review item names depends on the order the linkage index
    holds them in; a pair is explained by a tie when the other run queued a pair for the same
    record with the same probability."""
    only_mine, only_theirs = mine - theirs, theirs - mine

    def explained(pair: tuple[Any, ...], other: set[tuple[Any, ...]]) -> bool:
        sides = set(pair[1:3])
        return any(sides & set(o[1:3]) and o[3] == pair[3] for o in other)

    return [p for p in only_mine if not explained(p, only_theirs)] + [
        p for p in only_theirs if not explained(p, only_mine)
    ]


def owner_count(instance: Instance) -> int:
    return int(instance.scalar("SELECT count(*) FROM registry_owner"))


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def check_cut_off(
    report: Report,
    instance: Instance,
    batch_id: str,
    *,
    label: str,
    file_name: str,
    orphans_before: int,
) -> BatchState:
    """The state a SIGKILL left: RUNNING, whole chunks decided (the first rows by id), every
    promoted row with its business and no business of the file without its row."""
    state = batch_state(instance, batch_id)
    chunk = int(instance.info["chunk_size"])
    key = instance.id_sql(batch_id)
    last_decided, first_pending = instance.query(
        "SELECT (SELECT max(id) FROM intake_importrow WHERE batch_id = "
        f"{key} AND status <> '{PENDING}'), (SELECT min(id) FROM intake_importrow WHERE "
        f"batch_id = {key} AND status = '{PENDING}')"
    )[0]
    report.check(
        f"{label}: the run was cut off, the batch is left RUNNING",
        state.status == "running" and state.rows[PENDING] > 0,
        f"status {state.status}, {state.rows[PENDING]:,} rows pending",
    )
    prefix = last_decided is None or first_pending is None or last_decided < first_pending
    report.check(
        f"{label}: whole chunks only",
        state.decided % chunk == 0 and prefix,
        f"{state.decided:,} of {state.total:,} rows decided = {state.decided // chunk} chunks "
        f"of {chunk}; decided rows are the first by id: {prefix}",
    )
    businesses, distinct = file_businesses(instance, file_name)
    promoted = state.rows["promoted"]
    missing = int(
        instance.scalar(
            f"SELECT count(*) FROM intake_importrow r WHERE r.batch_id = {key} AND "
            "r.status = 'promoted' AND NOT EXISTS "
            "(SELECT 1 FROM registry_business b WHERE b.id = r.business_id)"
        )
    )
    report.check(
        f"{label}: promoted rows = businesses from the file (no half chunk)",
        businesses == distinct == promoted and missing == 0,
        f"{promoted:,} promoted rows, {businesses:,} businesses with this file's provenance "
        f"({distinct:,} distinct), {missing} promoted rows without their business",
    )
    orphans = owners_without_business(instance)
    report.check(
        f"{label}: no owner left without a business",
        orphans == orphans_before,
        f"{orphans} owners without a business (before the import: {orphans_before})",
    )
    return state


def check_finished(
    report: Report,
    instance: Instance,
    batch_id: str,
    *,
    label: str,
    file_name: str,
    rows: int,
    orphans_before: int,
) -> BatchState:
    state = batch_state(instance, batch_id)
    c = state.counters
    parts = c["promoted"] + c["linked"] + c["quarantined"] + c["duplicate"]
    report.check(
        f"{label}: DONE, rows_in = promoted + linked + quarantined + duplicates",
        state.status == "done" and c["rows_in"] == parts == rows and state.rows[PENDING] == 0,
        f"status {state.status}: {c['rows_in']:,} = {c['promoted']:,} + {c['linked']:,} + "
        f"{c['quarantined']:,} + {c['duplicate']:,} (file rows {rows:,}, pending "
        f"{state.rows[PENDING]})",
    )
    counted = {name: state.rows[name] for name in OUTCOMES}
    stored = {name: c[name] for name in OUTCOMES}
    report.check(
        f"{label}: the batch's counters match its rows", counted == stored, f"rows {counted}"
    )
    businesses, distinct = file_businesses(instance, file_name)
    doubled_rows = int(
        instance.scalar(
            "SELECT count(*) - count(DISTINCT business_id) FROM intake_importrow WHERE "
            f"batch_id = {instance.id_sql(batch_id)} AND status = 'promoted'"
        )
    )
    report.check(
        f"{label}: no business created twice",
        businesses == distinct == c["promoted"] and doubled_rows == 0,
        f"{businesses:,} businesses from the file, {distinct:,} distinct source rows, "
        f"{c['promoted']:,} promoted rows, {doubled_rows} rows sharing a business",
    )
    orphans = owners_without_business(instance)
    report.check(
        f"{label}: no owner left without a business",
        orphans == orphans_before,
        f"{orphans} (before the import: {orphans_before})",
    )
    return state


_TIE_SCORES = """
import json
from naikkelas.intake.models import ImportBatch
from naikkelas.intake.services.linking import ImportLinker, linkage_record
from naikkelas.intake.services.processing import build_context, row_data
from naikkelas.intake.validation import validate_row
from naikkelas.registry.models import Business

batch = ImportBatch.objects.get(pk={batch_id!r})
ctx = build_context(batch)

def business(sheet, target):
    if isinstance(target, int):  # the row of the file it duplicates: now that row's business
        return batch.rows.get(sheet=sheet, row_number=target).business_id
    if target.startswith({prefix!r}):
        return Business.objects.get(source_ref=target).pk
    return Business.objects.get(pk=target).pk

scores = []
for sheet, number, mine, theirs in {items!r}:
    row = batch.rows.get(sheet=sheet, row_number=number)
    result = validate_row(row_data(batch, row), ctx)
    linker = ImportLinker(batch_ref="tie-check")
    features = linker.features(row.pk, linkage_record(result.owner, result.business))
    linker.prefetch([features])
    found = linker.index.candidates(features, prefetched=True, minimum=0.0)
    probability = {{str(c.business_id): c.same_business_probability for c in found}}
    scores.append([number, probability.get(str(business(sheet, mine))),
                   probability.get(str(business(sheet, theirs)))])
print(json.dumps(scores))
"""


def _target(outcome: Any) -> Any:
    """What a linked or duplicate row points at: a business, or the row it duplicates."""
    status, business, duplicate_of = outcome
    return business if status == "linked" else duplicate_of


def tie_scores(
    instance: Instance,
    batch_id: str,
    file_name: str,
    rows: list[tuple[str, int, Any, Any]],
) -> list[tuple[int, float | None, float | None]]:
    """For rows linked (or marked duplicate) to A in ``instance`` and to B in another run:
    the row's same-business probability with A and with B, as the linkage engine scores it
    now (with the register of ``instance``)."""
    if not rows:
        return []
    code = _TIE_SCORES.format(batch_id=batch_id, prefix=provenance_prefix(file_name), items=rows)
    return [(int(n), a, b) for n, a, b in instance.python(code)]


def compare_with_reference(
    report: Report,
    *,
    label: str,
    killed: Instance,
    killed_batch: str,
    reference: Instance,
    reference_batch: str,
    file_name: str,
    owners: tuple[int, int],
) -> None:
    """The same result as the uninterrupted import. Where two candidates score exactly the
    same, which one a row is linked to (or whether it is the duplicate of a row of the same
    chunk) follows the order the linkage index holds them in, which differs from run to run;
    such rows are scored again and accepted when both targets tie."""
    a = row_outcomes(killed, killed_batch, file_name)
    b = row_outcomes(reference, reference_batch, file_name)
    differing = sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    pointing = {"linked", "duplicate"}
    candidates = [
        (sheet, number, _target(a[(sheet, number)]), _target(b[(sheet, number)]))
        for sheet, number in differing
        if (sheet, number) in a
        and (sheet, number) in b
        and a[(sheet, number)][0] in pointing
        and b[(sheet, number)][0] in pointing
    ]
    scores = tie_scores(killed, killed_batch, file_name, candidates)
    tied = {
        number for number, p, q in scores if p is not None and q is not None and abs(p - q) < 1e-9
    }
    untied = [key for key in differing if key[1] not in tied]
    mine = batch_state(killed, killed_batch).counters
    theirs = batch_state(reference, reference_batch).counters
    same_totals = all(mine[k] == theirs[k] for k in ("rows_in", "promoted", "quarantined")) and (
        mine["linked"] + mine["duplicate"] == theirs["linked"] + theirs["duplicate"]
    )
    report.check(
        f"{label}: same counts as the uninterrupted import",
        mine == theirs or (same_totals and not untied),
        f"killed+resumed {mine}; uninterrupted {theirs}",
    )
    shown = "; ".join(f"row {k[1]}: {a.get(k)} vs {b.get(k)}" for k in untied[:3])
    ties = sorted({round(p, 6) for n, p, q in scores if n in tied and p is not None})
    report.check(
        f"{label}: same outcome for every row (status, business, row duplicated)",
        not untied,
        f"{len(a):,} rows compared, {len(differing)} differ"
        + (
            f", all between two equally scored businesses (p = {', '.join(map(str, ties))} "
            "for both)"
            if differing and not untied
            else ""
        )
        + (f"; {len(untied)} not explained by a tie: {shown}" if untied else ""),
    )
    mine_pairs = review_pairs(killed, killed_batch, file_name)
    their_pairs = review_pairs(reference, reference_batch, file_name)
    untied = untied_differences(mine_pairs, their_pairs)
    tied = len(mine_pairs ^ their_pairs) - len(untied)
    report.check(
        f"{label}: same review items as the uninterrupted import (up to tied candidates)",
        not untied,
        f"{len(mine_pairs)} vs {len(their_pairs)} doubtful pairs queued; {tied} differ between "
        f"equally scored candidates, {len(untied)} otherwise"
        + (f": {untied[:3]}" if untied else ""),
    )
    report.check(
        f"{label}: same number of new owners",
        owners[0] == owners[1],
        f"{owners[0]:,} vs {owners[1]:,}",
    )


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def _resumed_by(instance: Instance, batch_id: str, worker_pid: int) -> bool:
    state = batch_state(instance, batch_id)
    return state.runner.endswith(f":{worker_pid}") or state.status == "done"


def killed_import(
    report: Report,
    base: Instance,
    root: Path,
    *,
    path: Path,
    rows: int,
    kill_at: Sequence[float],
    label: str,
    seed: int,
    parallel_reference: bool = False,
) -> None:
    """Import ``path`` in a copy of ``base`` through the worker, killed at each fraction of
    ``kill_at``, and compare with an uninterrupted import in another copy (run at the same
    time with ``parallel_reference``: quicker, but both runs' seconds mean less)."""
    rng = random.Random(seed)
    chunk = int(base.info["chunk_size"])
    killed = base.clone(root / f"{label}-killed")
    reference = base.clone(root / f"{label}-reference")
    uninterrupted: subprocess.Popen[bytes] | None = None
    try:
        orphans_before = owners_without_business(killed)
        owners_before = owner_count(killed)
        reference_started = time.perf_counter()
        if parallel_reference:
            uninterrupted = _import_in_background(reference, path)
        started = time.perf_counter()
        batch_id = enqueue_import(killed, path)
        report.note(
            f"{label}: {rows:,} rows staged and queued in {time.perf_counter() - started:.1f} s"
        )
        run_started = time.perf_counter()
        previous = 0
        for number, fraction in enumerate(kill_at, start=1):
            worker = killed.start(f"worker-{number}", "worker")
            if number > 1:
                try:
                    seconds = time.perf_counter()
                    wait_until(
                        lambda w=worker: _resumed_by(killed, batch_id, w.pid),
                        timeout=120,
                        what="the new worker taking the run over",
                    )
                    report.check(
                        f"{label}: worker {number} resumed the interrupted run by itself",
                        True,
                        f"runner = its pid after {time.perf_counter() - seconds:.1f} s",
                    )
                except TimeoutError as error:
                    report.check(
                        f"{label}: worker {number} resumed the interrupted run", False, str(error)
                    )
                    worker.stop()
                    return
            # two chunks or more left after the target: the kill lands before the end
            last = (rows - 1) // chunk * chunk - chunk
            target = min(max(previous + chunk, int(rows * fraction) // chunk * chunk), last)
            if target < previous + chunk:
                raise ValueError(f"{rows} rows are too few for kills at {list(kill_at)}")
            marks: list[tuple[float, int]] = []

            def reached(target: int = target, marks: list[tuple[float, int]] = marks) -> bool:
                done = decided_rows(killed, batch_id)
                if not marks or marks[-1][1] != done:
                    marks.append((time.perf_counter(), done))
                return done >= target

            wait_until(reached, timeout=60 + rows / 50, what=f"{target:,} rows decided")
            # kill inside the next chunk: a random share of the quickest chunk seen so far
            # (after the first decided rows, i.e. without the worker's start)
            seen = [m for m in marks if m[1] > 0]
            steps = [
                (b[0] - a[0]) * chunk / (b[1] - a[1]) for a, b in zip(seen, seen[1:], strict=False)
            ]
            per_chunk = min(steps) if steps else 1.0
            pause = rng.uniform(0.2, 0.8) * per_chunk
            time.sleep(pause)
            ran = worker.kill()
            at = decided_rows(killed, batch_id)
            report.section(
                f"{label}: worker {number} killed (SIGKILL) after {ran:.1f} s, {at:,} of "
                f"{rows:,} rows decided ({at // chunk} chunks), {pause:.1f} s after "
                f"{target:,} were (~{per_chunk:.1f} s per chunk): inside a chunk"
            )
            check_cut_off(
                report,
                killed,
                batch_id,
                label=f"{label}, kill {number} ({fraction:.0%})",
                file_name=path.name,
                orphans_before=orphans_before,
            )
            previous = at
        worker = killed.start(f"worker-{len(kill_at) + 1}", "worker")
        try:
            seconds = time.perf_counter()
            wait_until(
                lambda: _resumed_by(killed, batch_id, worker.pid),
                timeout=120,
                what="the new worker taking the run over",
            )
            report.check(
                f"{label}: the last worker resumed the run by itself",
                True,
                f"after {time.perf_counter() - seconds:.1f} s",
            )
            wait_until(
                lambda: batch_state(killed, batch_id).status in ("done", "failed"),
                timeout=120 + rows / 20,
                what="the import finishing",
                interval=0.5,
            )
        except TimeoutError as error:
            report.check(f"{label}: the run finished after the kills", False, str(error))
            return
        finally:
            worker.stop()
        killed_seconds = time.perf_counter() - run_started
        check_finished(
            report,
            killed,
            batch_id,
            label=f"{label}, after resuming",
            file_name=path.name,
            rows=rows,
            orphans_before=orphans_before,
        )
        leftover = killed.scalar(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
        report.note(
            f"{label}: killed + resumed run took {killed_seconds:.1f} s in all (worker starts "
            f"included); task results left RUNNING by the killed workers: {leftover}"
        )

        if uninterrupted is None:
            reference_started = time.perf_counter()
            uninterrupted = _import_in_background(reference, path)
        if uninterrupted.wait(timeout=3600) != 0:
            raise RuntimeError(f"the uninterrupted import failed: see {reference.log_dir}")
        reference_seconds = time.perf_counter() - reference_started
        reference_batch = str(
            reference.python(
                "import json\nfrom naikkelas.intake.models import ImportBatch\n"
                f"print(json.dumps(str(ImportBatch.objects.get(file_name={path.name!r}).pk)))"
            )
        )
        report.note(
            f"{label}: the same file imported without interruption in {reference_seconds:.1f} s"
            + (" (at the same time as the killed run)" if parallel_reference else "")
        )
        compare_with_reference(
            report,
            label=label,
            killed=killed,
            killed_batch=batch_id,
            reference=reference,
            reference_batch=reference_batch,
            file_name=path.name,
            owners=(owner_count(killed) - owners_before, owner_count(reference) - owners_before),
        )
        integrity = killed.integrity()
        report.check(f"{label}: database integrity", integrity == "ok", integrity)
    finally:
        if uninterrupted is not None and uninterrupted.poll() is None:
            uninterrupted.kill()
            uninterrupted.wait()
        killed.drop()
        reference.drop()


def _import_tasks_running(instance: Instance) -> int:
    return int(
        instance.scalar(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
            "AND task_path LIKE '%.import_batch_run_task'"
        )
    )


def killed_between_claims(report: Report, base: Instance, root: Path, *, seed: int) -> None:
    """PostgreSQL only: the worker killed after taking an import's task and before claiming
    the batch (a row lock on the batch holds it there), then a new worker started."""
    import psycopg

    label = "claim window"
    instance = base.clone(root / "claim-window")
    try:
        rows = 300
        path = write_spreadsheet(root / "umkm-antre.xlsx", rows=rows, seed=seed + 7)
        batch_id = enqueue_import(instance, path, queue=False)
        orphans_before = owners_without_business(instance)
        with psycopg.connect(instance.database_url) as lock:
            # FOR KEY SHARE: the worker's claim (SELECT ... FOR UPDATE) waits, the status
            # updates of queueing do not
            lock.execute(
                "SELECT id FROM intake_importbatch WHERE id = "  # type: ignore[arg-type]
                f"{instance.id_sql(batch_id)} FOR KEY SHARE"
            )
            worker = instance.start("worker-claim-1", "worker")
            wait_until(
                lambda: "Starting worker" in worker.log_text(),
                timeout=120,
                what="the worker started",
                interval=0.2,
            )
            queue_import(instance, batch_id)  # queued while the worker runs, as from the page
            wait_until(
                lambda: _import_tasks_running(instance) == 1,
                timeout=120,
                what="the worker taking the task",
            )
            time.sleep(0.5)
            worker.kill()
            lock.rollback()
        state = batch_state(instance, batch_id)
        report.check(
            f"{label}: the worker was killed holding the task but not the batch",
            state.status == "queued" and _import_tasks_running(instance) == 1,
            f"batch {state.status}, task left RUNNING",
        )
        worker = instance.start("worker-claim-2", "worker")
        started = time.perf_counter()
        try:
            wait_until(
                lambda: batch_state(instance, batch_id).status == "done",
                timeout=90,
                what="the batch run",
                interval=0.5,
            )
            report.check(
                f"{label}: a new worker runs the batch left queued",
                True,
                f"done {time.perf_counter() - started:.1f} s after the worker started",
            )
        except TimeoutError as error:
            report.check(
                f"{label}: a new worker runs the batch left queued",
                False,
                f"{error}: batch {batch_state(instance, batch_id).status}, no task left to run it",
            )
            return
        finally:
            worker.stop()
        check_finished(
            report,
            instance,
            batch_id,
            label=label,
            file_name=path.name,
            rows=rows,
            orphans_before=orphans_before,
        )
    finally:
        instance.drop()


def _import_in_background(instance: Instance, path: Path) -> subprocess.Popen[bytes]:
    """``naikkelas import PATH`` (the same service, uninterrupted, in the foreground)."""
    with (instance.log_dir / "import.log").open("ab") as log:
        return subprocess.Popen(  # noqa: S603 (our own command)
            [sys.executable, "-m", "naikkelas.cli", "import", str(path), "--json"],
            env=instance.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def run(
    root: Path,
    *,
    rows: int,
    register: int,
    postgres: bool,
    seed: int,
    kill_at: Sequence[float] = (0.1, 0.5, 0.9),
    base: Instance | None = None,
    parallel_reference: bool = False,
    quiet: bool = False,
) -> Report:
    engine = "postgresql" if postgres else "sqlite"
    report = Report(f"kill_worker_import ({engine})", quiet=quiet)
    own_base = base is None
    if base is None:
        started = time.perf_counter()
        base = prepare(new_instance(root, "base", postgres=postgres), businesses=register)
        report.note(
            f"demo installation with {register:,} businesses: {time.perf_counter() - started:.0f} s"
        )
    try:
        path = write_spreadsheet(root / f"umkm-{rows}.xlsx", rows=rows, seed=seed)
        killed_import(
            report,
            base,
            root,
            path=path,
            rows=rows,
            kill_at=kill_at,
            label="import",
            seed=seed,
            parallel_reference=parallel_reference,
        )
        if postgres:
            killed_between_claims(report, base, root, seed=seed)
        else:
            report.note("claim window (killed between the task and the batch): needs --postgres")
    finally:
        if own_base:
            base.drop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.strip().splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--register", type=int, default=2000, help="demo businesses first")
    options = parser.parse_args(argv)
    with workspace(options.keep, "kill-worker-import") as root:
        report = run(
            root,
            rows=options.rows,
            register=options.register,
            postgres=options.postgres,
            seed=options.seed,
        )
        return report.finish()


if __name__ == "__main__":
    sys.exit(main())
