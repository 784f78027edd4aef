"""Kill the background worker in the middle of linkage: an import's link stage, and the
build of the stored duplicate-check index.

    .venv/bin/python -m bench.resilience.kill_worker_linkage [--register 2000]
        [--first 10000] [--second 15000] [--postgres] [--keep]

1. **Link stage.** A demo installation gets a first synthetic list (``--first`` rows)
   imported; a second list (``--second`` rows, the same generator and seed: its first rows
   are the first list's people again) is then imported through the worker, which is killed
   in the middle of a chunk while most rows are being linked to businesses already in the
   register. A new worker must resume; the result must equal an uninterrupted import of the
   same list into a copy (rows linked to the same businesses, the same review items).
2. **Index build.** The stored index of the online duplicate check is made stale (as a new
   release does); ``naikkelas worker`` starts rebuilding it at start-up and is killed half
   way. Meanwhile the online check must still answer (it falls back to the register). A new
   worker must build the index again: usable, one row per active business, the same rows
   and blocking keys as a build that was never interrupted, and the check the new-business
   form calls (``likely_duplicates_for_user``) finds each sampled business.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

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
from bench.resilience.kill_worker_import import killed_import

STALE = "stale-resilience-test"

_ONLINE_CHECK = """
import json, statistics, time
from naikkelas.accounts.models import User
from naikkelas.linkage.online_views import likely_duplicates_for_user
from naikkelas.linkage.services.register_index import register_index_ready
from naikkelas.registry.models import BusinessOwner

user = User.objects.get(username="resiliensi")
main = BusinessOwner.objects.filter(role="pemilik", business__status="active").order_by("business_id")
ids = list(main.values_list("pk", flat=True))
sample = ids[:: max(1, len(ids) // {n})][:{n}]
found = top = 0
times = []
for ownership in BusinessOwner.objects.filter(pk__in=sample).select_related("business", "owner"):
    business, owner = ownership.business, ownership.owner
    typed = {{
        "business_name": business.name,
        "owner_name": owner.full_name,
        "kelurahan": business.desa_kelurahan_id or "",
        "phone": business.phone or owner.phone or "",
        "nik": owner.nik or "",
    }}
    started = time.perf_counter()
    answer = likely_duplicates_for_user(user=user, data=typed)
    times.append((time.perf_counter() - started) * 1000)
    found += any(d.business.pk == business.pk for d in answer)
    top += bool(answer) and answer[0].business.pk == business.pk
print(json.dumps({{
    "ready": register_index_ready(),
    "checked": len(times),
    "found": found,
    "top": top,
    "first_ms": times[0] if times else 0,
    "p50_ms": statistics.median(times) if times else 0,
    "max_ms": max(times) if times else 0,
}}))
"""


def online_check(instance: Instance, samples: int = 20) -> dict[str, float]:
    """The new-business form's duplicate check for ``samples`` register businesses typed
    again (name, owner, kelurahan, phone, NIK): how many it finds, and how fast."""
    return dict(instance.python(_ONLINE_CHECK.format(n=samples)))


def register_size(instance: Instance) -> int:
    """Businesses the index must hold: active (not merged) with an unmerged main owner."""
    return int(
        instance.scalar(
            "SELECT count(*) FROM registry_businessowner bo "
            "JOIN registry_business b ON b.id = bo.business_id "
            "JOIN registry_owner o ON o.id = bo.owner_id "
            "WHERE bo.role = 'pemilik' AND b.status <> 'merged' AND o.merged_into_id IS NULL"
        )
    )


def index_state(instance: Instance) -> tuple[str, int]:
    rows = instance.query("SELECT version, rows FROM linkage_registerindexstate WHERE id = 1")
    return (str(rows[0][0]), int(rows[0][1])) if rows else ("", 0)


def index_rows(instance: Instance) -> int:
    return int(instance.scalar("SELECT count(*) FROM linkage_registerrow"))


def index_digest(instance: Instance) -> tuple[int, int, str]:
    """(rows, keys, a digest of every row and key): equal for equal indexes."""
    digest = hashlib.sha256()
    rows = sorted(
        (str(b), str(r))
        for b, r in instance.query("SELECT business_id, row FROM linkage_registerrow")
    )
    for business, row in rows:
        digest.update(f"{business}|{row}\n".encode())
    keys = sorted(
        (str(b), int(k))
        for b, k in instance.query("SELECT business_id, key FROM linkage_registerkey")
    )
    for business, key in keys:
        digest.update(f"{business}|{key}\n".encode())
    return len(rows), len(keys), digest.hexdigest()[:16]


def missing_key_indexes(instance: Instance) -> list[str]:
    """PostgreSQL: the key table's indexes a build drops while loading and makes again."""
    if not instance.database_url:
        return []
    present = {
        str(name)
        for (name,) in instance.query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'linkage_registerkey'"
        )
    }
    wanted = ["register_key_key_idx", "register_key_business_idx"]
    return [name for name in wanted if name not in present]


def killed_index_build(report: Report, base: Instance, root: Path, *, kill_share: float) -> None:
    killed = base.clone(root / "index-killed")
    reference = base.clone(root / "index-reference")
    ready_version = str(base.info["index_version"])
    try:
        for instance in (killed, reference):
            instance.execute(f"UPDATE linkage_registerindexstate SET version = '{STALE}'")
        expected = register_size(killed)
        started = time.perf_counter()
        reference.naikkelas("manage", "linkage_index")
        reference_seconds = time.perf_counter() - started
        report.note(
            f"index: an uninterrupted build of {expected:,} businesses took "
            f"{reference_seconds:.1f} s (naikkelas manage linkage_index)"
        )

        worker = killed.start("worker-index-1", "worker")
        emptied: list[bool] = []  # the build empties the tables first, then writes chunks

        def half_built() -> bool:
            building = index_state(killed)[0] != STALE
            written = index_rows(killed)
            if building and written < expected * kill_share / 2:
                emptied.append(True)
            return bool(emptied) and written >= expected * kill_share

        wait_until(
            half_built,
            timeout=120 + expected / 100,
            what="the worker's build under way",
            interval=0.02,
        )
        ran = worker.kill()
        written = index_rows(killed)
        version, _rows = index_state(killed)
        report.section(
            f"index: worker killed (SIGKILL) {ran:.1f} s after its start, {written:,} of "
            f"{expected:,} rows written"
        )
        report.check(
            "index: the killed build left the index marked unusable",
            version not in (ready_version, STALE) and written < expected,
            f"state {version!r}, {written:,} rows",
        )
        fallback = online_check(killed)
        report.check(
            "index: the online check still answers while the index is unusable (fallback)",
            not fallback["ready"] and fallback["found"] == fallback["checked"] > 0,
            f"{fallback['found']:.0f} of {fallback['checked']:.0f} typed businesses found, "
            f"p50 {fallback['p50_ms']:.0f} ms, max {fallback['max_ms']:.0f} ms",
        )

        worker = killed.start("worker-index-2", "worker")
        started = time.perf_counter()
        try:
            wait_until(
                lambda: index_state(killed)[0] == ready_version,
                timeout=120 + 4 * reference_seconds,
                what="the index usable again",
                interval=0.5,
            )
            report.check(
                "index: a new worker builds the index again by itself",
                True,
                f"usable {time.perf_counter() - started:.1f} s after the worker started",
            )
        except TimeoutError as error:
            failure = [
                line
                for line in worker.log_text().splitlines()
                if "Error" in line and "register_index" not in line
            ]
            report.check(
                "index: a new worker builds the index again by itself",
                False,
                f"{error}; state {index_state(killed)[0]!r}; worker log: "
                f"{failure[-1] if failure else '(no error)'}",
            )
            return
        finally:
            worker.stop()

        rows, keys, digest = index_digest(killed)
        _version, stated = index_state(killed)
        report.check(
            "index: one row per active business",
            rows == stated == expected,
            f"{rows:,} rows, state says {stated:,}, register {expected:,}",
        )
        r_rows, r_keys, r_digest = index_digest(reference)
        report.check(
            "index: the same rows and blocking keys as an uninterrupted build",
            (rows, keys, digest) == (r_rows, r_keys, r_digest),
            f"{rows:,} rows + {keys:,} keys ({digest}) vs {r_rows:,} + {r_keys:,} ({r_digest})",
        )
        if killed.database_url:
            missing = missing_key_indexes(killed)
            report.check(
                "index: the key table's indexes exist again (PostgreSQL)",
                not missing,
                f"missing: {missing}"
                if missing
                else "register_key_key_idx, register_key_business_idx",
            )
        check = online_check(killed)
        report.check(
            "index: the online duplicate check works on the rebuilt index",
            check["ready"] and check["found"] == check["checked"] > 0,
            f"{check['found']:.0f} of {check['checked']:.0f} typed businesses found "
            f"({check['top']:.0f} as the first candidate), p50 {check['p50_ms']:.0f} ms, "
            f"max {check['max_ms']:.0f} ms",
        )
        integrity = killed.integrity()
        report.check("index: database integrity", integrity == "ok", integrity)
    finally:
        killed.drop()
        reference.drop()


def first_check_after_import(report: Report, base: Instance, root: Path) -> None:
    """A figure, not a check: the stored index does not follow an import, so the first
    online check after one brings it up to date inside the request."""
    copy = base.clone(root / "first-check")
    try:
        behind = register_size(copy) - index_rows(copy)
        check = online_check(copy, samples=3)
        report.note(
            f"first online duplicate check after the import: {check['first_ms'] / 1000:.1f} s "
            f"(it syncs the {behind:,} businesses the stored index is behind; gunicorn's "
            f"timeout is 30 s); the next ones {check['p50_ms']:.0f} ms"
        )
    finally:
        copy.drop()


def run(
    root: Path,
    *,
    register: int,
    first: int,
    second: int,
    postgres: bool,
    seed: int,
    quiet: bool = False,
) -> Report:
    engine = "postgresql" if postgres else "sqlite"
    report = Report(f"kill_worker_linkage ({engine})", quiet=quiet)
    started = time.perf_counter()
    base = prepare(new_instance(root, "base", postgres=postgres), businesses=register)
    try:
        first_path = write_spreadsheet(root / f"umkm-pertama-{first}.xlsx", rows=first, seed=seed)
        second_path = write_spreadsheet(root / f"umkm-kedua-{second}.xlsx", rows=second, seed=seed)
        base.naikkelas("import", str(first_path), "--json", timeout=3600)
        report.note(
            f"demo installation with {register:,} businesses and a first list of {first:,} "
            f"rows imported: {time.perf_counter() - started:.0f} s; register "
            f"{register_size(base):,} businesses"
        )
        first_check_after_import(report, base, root)
        killed_import(
            report,
            base,
            root,
            path=second_path,
            rows=second,
            kill_at=(0.35, 0.6),
            label="link stage",
            seed=seed,
        )
        killed_index_build(report, base, root, kill_share=0.4)
    finally:
        base.drop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.strip().splitlines()[0])
    parser.add_argument("--register", type=int, default=2000, help="demo businesses first")
    parser.add_argument("--first", type=int, default=10_000, help="rows of the first list")
    parser.add_argument("--second", type=int, default=15_000, help="rows of the second list")
    options = parser.parse_args(argv)
    with workspace(options.keep, "kill-worker-linkage") as root:
        report = run(
            root,
            register=options.register,
            first=options.first,
            second=options.second,
            postgres=options.postgres,
            seed=options.seed,
        )
        return report.finish()


if __name__ == "__main__":
    sys.exit(main())
