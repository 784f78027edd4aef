"""Fill the disk under a running installation; nothing accepted may be lost, and everything
must work again once space is freed.

    .venv/bin/python -m bench.resilience.full_disk [--size-mb 256] [--rows 20000]
        [--postgres] [--keep]

Needs root (``mount -t tmpfs``). The data directory (SQLite database, uploaded files, photos,
static files) lives on a small tmpfs; with ``--postgres`` the database is a scratch
PostgreSQL database and only the files are on the small disk. The script

1. starts the web server (``naikkelas serve --no-worker``) and ``naikkelas worker``, sends
   ODK submissions with photos and imports a first list through the API: accepted data;
2. starts a larger import through the API and, once some chunks are done, fills the disk
   with a filler file; meanwhile it sends submissions, uploads a list and reads through the
   API, and records what the application answers (status, content type);
3. checks that the database is sound (``PRAGMA integrity_check``), the data accepted before
   is intact, the interrupted import holds whole chunks only;
4. deletes the filler and checks that the same operations now succeed, the submissions that
   failed go through when resent, and the interrupted import resumes and finishes.

The tmpfs is unmounted at the end, also after a failure.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.resilience.common import (
    Instance,
    Report,
    Service,
    arguments,
    free_port,
    prepare,
    scratch_database,
    wait_until,
    workspace,
    write_spreadsheet,
)
from bench.resilience.kill_web_submission import (
    CollectClient,
    Outcome,
    Planned,
    check_stored,
    plan,
    server_up,
    start_server,
)
from bench.resilience.kill_worker_import import (
    batch_state,
    check_finished,
    file_businesses,
    owners_without_business,
)

FILLER = "filler.bin"


@contextlib.contextmanager
def small_disk(path: Path, size_mb: int) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` MB mounted at ``path``; unmounted (and removed) afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(path)],  # noqa: S607
        check=True,
    )
    try:
        yield path
    finally:
        result = subprocess.run(["umount", str(path)], check=False)  # noqa: S603, S607
        if result.returncode != 0:  # something still holds a file: detach it anyway
            subprocess.run(["umount", "-l", str(path)], check=False)  # noqa: S603, S607
        with contextlib.suppress(OSError):
            path.rmdir()


def free_bytes(path: Path) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


def fill(path: Path) -> int:
    """Write a filler file until the disk says no space; returns the bytes written."""
    written = 0
    block = 4 * 1024 * 1024
    with (path / FILLER).open("wb", buffering=0) as out:
        while block >= 512:
            try:
                written += out.write(b"\0" * block)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                block //= 4
    return written


class Api:
    """The import API (``/api/v1/imports``) with the officer's token."""

    def __init__(self, base: str, token: str) -> None:
        import requests

        self.base = f"{base}/api/v1/imports"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, url: str, **kwargs: Any) -> tuple[str, Any]:
        import requests

        try:
            response = self.session.request(method, url, timeout=120, **kwargs)
        except requests.RequestException as error:
            return type(error).__name__, None
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:200]
        kind = response.headers.get("Content-Type", "").split(";")[0]
        return f"{response.status_code} {kind}", body

    def upload(self, path: Path) -> tuple[str, Any]:
        with path.open("rb") as stream:
            return self._call("POST", self.base, files={"file": (path.name, stream)})

    def run(self, batch_id: str) -> tuple[str, Any]:
        return self._call("POST", f"{self.base}/{batch_id}/run")

    def get(self, batch_id: str) -> tuple[str, Any]:
        return self._call("GET", f"{self.base}/{batch_id}")


def _send_all(
    client: CollectClient, items: list[Planned], outcomes: dict[int, Outcome]
) -> list[str]:
    answers = []
    for item in items:
        status, kind = client.send(item)
        outcomes[item.number].attempts.append(status)
        answers.append(f"{status} {kind.split(';')[0]}".strip())
    return answers


def _imported(instance: Instance, api: Api, path: Path, report: Report, label: str) -> str | None:
    """Upload and run ``path`` through the API and wait for the worker to finish it."""
    status, body = api.upload(path)
    if not status.startswith("201"):
        report.check(f"{label}: uploaded", False, f"{status}: {body}")
        return None
    batch_id = str(body["id"])
    status, body = api.run(batch_id)
    if not status.startswith("202"):
        report.check(f"{label}: queued", False, f"{status}: {body}")
        return None
    wait_until(
        lambda: batch_state(instance, batch_id).status in ("done", "failed"),
        timeout=600,
        what=f"{label} finished",
        interval=0.5,
    )
    return batch_id


def scenario(
    report: Report, instance: Instance, disk: Path, *, rows: int, seed: int, root: Path
) -> None:
    chunk = int(instance.info["chunk_size"])
    keys = list(instance.info["keys"])
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    services: list[Service] = []

    def web() -> Service:
        server = start_server(instance, port, f"web-{len(services) + 1}")
        services.append(server)
        wait_until(lambda: server_up(base_url, keys[0]), timeout=180, what="server", interval=0.2)
        return server

    try:
        server = web()
        worker = instance.start("worker-1", "worker")
        services.append(worker)
        api = Api(base_url, str(instance.info["token"]))
        client = CollectClient(base_url, keys[0], instance.info)
        items = plan(40, 1, photo_kb=200, seed=seed)
        before, during = items[:20], items[20:30]
        outcomes = {item.number: Outcome() for item in items}

        # 1. accepted data
        answers = _send_all(client, before, outcomes)
        report.check(
            "before: submissions with photos accepted",
            all(a.startswith("201") for a in answers),
            f"{len(before)} sent: {sorted(set(answers))}",
        )
        first = write_spreadsheet(root / "umkm-sebelum.xlsx", rows=2 * chunk, seed=seed)
        first_batch = _imported(instance, api, first, report, "before: first import")
        if first_batch is None:
            return
        first_state = batch_state(instance, first_batch)
        first_businesses = file_businesses(instance, first.name)
        report.check(
            "before: first import done",
            first_state.status == "done",
            f"{first_state.counters}",
        )
        orphans_before = owners_without_business(instance)

        # 2. a large import under way, then the disk fills up
        big = write_spreadsheet(root / f"umkm-besar-{rows}.xlsx", rows=rows, seed=seed + 1)
        status, body = api.upload(big)
        if not status.startswith("201"):
            report.check("big import uploaded", False, f"{status}: {body}")
            return
        big_batch = str(body["id"])
        api.run(big_batch)
        wait_until(
            lambda: batch_state(instance, big_batch).decided >= 2 * chunk,
            timeout=600,
            what="two chunks of the big import",
            interval=0.2,
        )
        free = free_bytes(disk)
        started = time.perf_counter()
        filled = fill(disk)
        decided_at_fill = batch_state(instance, big_batch).decided
        report.section(
            f"disk filled: {filled / 2**20:.0f} MB filler written in "
            f"{time.perf_counter() - started:.1f} s ({free / 2**20:.0f} MB were free), "
            f"{free_bytes(disk)} bytes free now; big import at {decided_at_fill:,} of "
            f"{rows:,} rows"
        )
        stalled: list[tuple[float, int]] = []

        def stopped() -> bool:
            state = batch_state(instance, big_batch)
            if state.status != "running":
                return True
            now = time.monotonic()
            if not stalled or stalled[-1][1] != state.decided:
                stalled.append((now, state.decided))
            return now - stalled[-1][0] > 30  # no chunk for 30 s

        try:
            wait_until(stopped, timeout=600, what="the big import stopping", interval=0.5)
        except TimeoutError:
            pass
        state = batch_state(instance, big_batch)
        error_text = str(
            instance.scalar(
                f"SELECT error FROM intake_importbatch WHERE id = {instance.id_sql(big_batch)}"
            )
            or ""
        )
        report.note(
            f"the big import while the disk is full: status {state.status}, "
            f"{state.decided:,} of {rows:,} rows decided, worker "
            f"{'alive' if worker.alive() else 'exited'}; error: {error_text[:160]!r}"
        )
        if state.status == "done":
            report.note("(the import needed no more disk: it finished)")
        else:
            businesses, distinct = file_businesses(instance, big.name)
            report.check(
                "full: the interrupted import holds whole chunks only",
                state.decided % chunk == 0
                and businesses == distinct == state.rows["promoted"]
                and owners_without_business(instance) == orphans_before,
                f"{state.decided:,} rows decided ({state.decided // chunk} chunks), "
                f"{state.rows['promoted']:,} promoted = {businesses:,} businesses",
            )
        answers = _send_all(client, during, outcomes)
        clean = all(a.startswith("507 text/xml") for a in answers)
        report.note(f"full: ODK submissions answered {sorted(set(answers))}")
        report.check(
            "full: submissions refused with 507 and an OpenRosa message (no dropped connection)",
            clean,
            f"{len(during)} sent",
        )
        small = write_spreadsheet(root / "umkm-saat-penuh.xlsx", rows=200, seed=seed + 2)
        upload_status, upload_body = api.upload(small)
        report.note(f"full: import upload answered {upload_status}: {str(upload_body)[:120]!r}")
        report.check(
            "full: an import upload is refused with 507 and a JSON reason",
            upload_status == "507 application/json"
            and isinstance(upload_body, dict)
            and upload_body.get("code") == "storage_full",
            upload_status,
        )
        read_status, _body = api.get(first_batch)
        report.note(f"full: reading a batch through the API answered {read_status}")
        report.check(
            "full: the server keeps answering (OpenRosa HEAD)",
            server_up(base_url, keys[0]) and server.alive(),
            "HEAD 204",
        )
        integrity = instance.integrity()
        report.check("full: database integrity", integrity == "ok", integrity)
        check_stored(
            report, instance, before + during, outcomes, label="full: data accepted before"
        )
        kept = batch_state(instance, first_batch)
        report.check(
            "full: the first import is intact",
            kept.counters == first_state.counters
            and file_businesses(instance, first.name) == first_businesses,
            f"{kept.counters}, {first_businesses[0]:,} businesses",
        )

        # 3. space again
        (disk / FILLER).unlink()
        report.section(f"filler deleted: {free_bytes(disk) / 2**20:.0f} MB free")
        answers = _send_all(client, during + items[30:], outcomes)
        report.check(
            "freed: the refused submissions go through when resent, and new ones too",
            all(a.startswith("201") for a in answers),
            f"{len(answers)} sent: {sorted(set(answers))}",
        )
        small_batch = _imported(instance, api, small, report, "freed: the refused upload")
        if small_batch is not None:
            small_state = batch_state(instance, small_batch)
            report.check(
                "freed: the refused upload imports",
                small_state.status == "done",
                f"{small_state.counters}",
            )
        state = batch_state(instance, big_batch)
        resumed_by = ""
        if state.status != "done":
            status, _body = api.run(big_batch)
            if status.startswith("202"):
                resumed_by = "the API's run (resume) call"
            else:
                report.note(
                    f"freed: the API refused to resume the big import: {status} (batch "
                    f"{state.status}, its worker {'alive' if worker.alive() else 'gone'})"
                )
                if worker.alive():
                    worker.stop()
                worker = instance.start("worker-2", "worker")
                services.append(worker)
                resumed_by = "a new worker (the old one stopped)"
            try:
                wait_until(
                    lambda: batch_state(instance, big_batch).status == "done",
                    timeout=120 + rows / 20,
                    what="the big import finishing",
                    interval=0.5,
                )
                report.check("freed: the interrupted import resumes and finishes", True, resumed_by)
            except TimeoutError as error:
                state = batch_state(instance, big_batch)
                report.check(
                    "freed: the interrupted import resumes and finishes",
                    False,
                    f"{error} after {resumed_by}: status {state.status}, {state.decided:,} rows",
                )
        check_finished(
            report,
            instance,
            big_batch,
            label="freed: big import",
            file_name=big.name,
            rows=rows,
            orphans_before=orphans_before,
        )
        for service in services:
            service.stop()
        check_stored(report, instance, items, outcomes, label="freed: all submissions")
        integrity = instance.integrity()
        report.check("freed: database integrity", integrity == "ok", integrity)
    finally:
        for service in services:
            service.stop()


def run(
    root: Path, *, size_mb: int, rows: int, postgres: bool, seed: int, quiet: bool = False
) -> Report:
    engine = (
        "postgresql (files on the small disk)" if postgres else "sqlite (all on the small disk)"
    )
    report = Report(f"full_disk ({engine})", quiet=quiet)
    disk = root / "disk"
    with small_disk(disk, size_mb):
        logs = root / "logs"
        logs.mkdir(exist_ok=True)
        instance = Instance(
            data_dir=disk / "data",
            log_dir=logs,
            database_url=scratch_database() if postgres else "",
        )
        instance.data_dir.mkdir()
        try:
            started = time.perf_counter()
            prepare(instance, enumerators=1)
            report.note(
                f"installation on a {size_mb} MB tmpfs in {time.perf_counter() - started:.0f} s, "
                f"{free_bytes(disk) / 2**20:.0f} MB free"
            )
            scenario(report, instance, disk, rows=rows, seed=seed, root=root)
        finally:
            instance.drop()
    report.note(f"small disk unmounted: {not disk.exists()}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.strip().splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=256)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the big import")
    options = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("full_disk needs root (mount -t tmpfs)", file=sys.stderr)
        return 2
    with workspace(options.keep, "full-disk") as root:
        report = run(
            root,
            size_mb=options.size_mb,
            rows=options.rows,
            postgres=options.postgres,
            seed=options.seed,
        )
        return report.finish()


if __name__ == "__main__":
    sys.exit(main())
