"""Benchmark: many enumerators sending census submissions at once to a real server.

    .venv/bin/python -m bench.fieldwork_submissions                      # SQLite (WAL)
    psql -h 127.0.0.1 -U postgres -c 'create database naikkelas_bench_odk'
    DATABASE_URL=postgres://postgres@127.0.0.1/naikkelas_bench_odk \\
        .venv/bin/python -m bench.fieldwork_submissions

A fresh data directory (and the given, empty database) gets the census form and
``--enumerators`` users with device keys; gunicorn serves it (``--server-workers`` sync
workers; no job worker: the submission endpoint alone is measured). Each simulated
enumerator, in its own thread, sends its share of ``--submissions`` the way ODK Collect does
(HEAD, then POST with a photo); ``--resend`` of them are sent a second time (a timeout
retry), ``--split`` as two POSTs (the XML alone marked ``*isIncomplete*``, then with the
photo). Then a few hostile requests (broken XML, an entity bomb, an oversized photo, a
wrong content type) must get a 4xx while the server keeps serving.

Prints throughput, p50/p95/max latency per kind of POST, and checks in the database: every
submission exactly once, complete, with its photo; nothing refused but the hostile ones.
Asserts nothing: it prints what it found (exit code 1 if anything was lost or doubled).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

JPEG = b"\xff\xd8\xff\xe0" + os.urandom(40_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _setup(enumerators: int) -> tuple[object, list[str]]:
    """Migrate, load the reference data, publish the form, make the users; (form, keys)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from naikkelas.accounts.models import Role
    from naikkelas.accounts.services import user_create
    from naikkelas.fieldwork.services.devices import device_key_create
    from naikkelas.fieldwork.services.forms import census_form_publish
    from naikkelas.regions.services import region_catalogue_load
    from naikkelas.registry.services import sector_catalogue_load

    call_command("migrate", interactive=False, verbosity=0)
    region_catalogue_load(within=("36.73",))
    sector_catalogue_load()
    form, _new = census_form_publish(actor=None, validate=False)
    keys = []
    for number in range(enumerators):
        user = user_create(
            username=f"enum-bench-{number}",
            password=f"Bench-{number}-Rahasia!",
            role=Role.ENUMERATOR,
        )
        keys.append(device_key_create(actor=None, user=user)[1])
    return form, keys


def _xml(form: object, instance_id: str, number: int, photo: str) -> bytes:
    return (
        f'<data id="{form.form_id}" version="{form.version}">'  # type: ignore[attr-defined]
        f"<consent>ya</consent><owner><owner_name>Pemilik Uji {number}</owner_name>"
        f"<nik/><phone>08120000{number % 10000:04d}</phone></owner>"
        f"<business><business_name>Usaha Uji {number}</business_name><sector>kuliner</sector>"
        f"</business><place><kecamatan>36.73.01</kecamatan>"
        f"<desa_kelurahan>36.73.01.1002</desa_kelurahan><photo_place>{photo}</photo_place></place>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--enumerators", type=int, default=50)
    parser.add_argument("--resend", type=float, default=0.10, help="share sent twice")
    parser.add_argument("--split", type=float, default=0.05, help="share sent in two POSTs")
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3673)
    options = parser.parse_args(argv)

    import requests

    data_dir = tempfile.mkdtemp(prefix="naikkelas-bench-odk-")
    os.environ["NAIKKELAS_DATA_DIR"] = data_dir
    os.environ.setdefault("NAIKKELAS_SECRET_KEY", "bench-" + uuid.uuid4().hex)
    form, keys = _setup(options.enumerators)
    from django.db import connection

    print(f"database: {connection.vendor}; {options.enumerators} enumerators; data {data_dir}")
    connection.close()
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "naikkelas.config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(options.server_workers),
            "--logger-class", "naikkelas.config.access_log.RedactingLogger",
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base}/odk/formList", timeout=5)
            break
        except requests.RequestException:
            time.sleep(0.2)

    rng = random.Random(options.seed)
    plan = []  # (enumerator, number, instance_id, resend, split)
    for number in range(options.submissions):
        plan.append(
            (
                number % options.enumerators,
                number,
                f"uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                rng.random() < options.resend,
                rng.random() < options.split,
            )
        )
    latencies: dict[str, list[float]] = {"first": [], "resend": [], "split": []}
    statuses: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()

    def work(enumerator: int) -> None:
        session = requests.Session()
        session.headers["X-OpenRosa-Version"] = "1.0"
        server_url = f"{base}/odk/c/{keys[enumerator]}"
        assert session.head(f"{server_url}/submission").status_code == 204
        for owner, number, instance_id, resend, split in plan:
            if owner != enumerator:
                continue
            photo = f"{number}.jpg"
            xml = _xml(form, instance_id, number, photo)
            # a split submission: the XML alone first (more to come), then with the photo
            posts = [("split", []), ("first", [photo])] if split else [("first", [photo])]
            if resend:
                posts.append(("resend", [photo]))
            for kind, files in posts:
                parts = [("xml_submission_file", ("instance.xml", xml, "text/xml"))]
                parts += [(name, (name, JPEG, "image/jpeg")) for name in files]
                data = {"*isIncomplete*": "yes"} if kind == "split" else None
                started = time.perf_counter()
                response = session.post(f"{server_url}/submission", files=parts, data=data)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies[kind].append(elapsed)
                    statuses[(kind, response.status_code)] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.enumerators) as pool:
        list(pool.map(work, range(options.enumerators)))
    wall = time.perf_counter() - started

    # hostile requests: a clear 4xx each, and the server still answers afterwards
    hostile_url = f"{base}/odk/c/{keys[0]}/submission"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><data id="pendataan_umkm">&b;</data>'
    )
    hostile = {
        "broken XML": requests.post(
            hostile_url,
            files=[("xml_submission_file", ("i.xml", b"<data", "text/xml"))],
            timeout=120,
        ).status_code,
        "entity bomb": requests.post(
            hostile_url,
            files=[("xml_submission_file", ("i.xml", bomb, "text/xml"))],
            timeout=120,
        ).status_code,
        "oversized photo": requests.post(
            hostile_url,
            files=[
                (
                    "xml_submission_file",
                    ("i.xml", _xml(form, "uuid:big", 1, "big.jpg"), "text/xml"),
                ),
                ("big.jpg", ("big.jpg", JPEG + b"\0" * 11_000_000, "image/jpeg")),
            ],
            timeout=120,
        ).status_code,
        "not multipart": requests.post(
            hostile_url,
            data=b"<data/>",
            headers={"Content-Type": "text/xml"},
            timeout=120,
        ).status_code,
    }
    alive = requests.head(hostile_url, timeout=30).status_code
    server.terminate()
    server.wait(timeout=30)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
    from naikkelas.fieldwork.models import (
        Attachment,
        RejectedSubmission,
        Submission,
        SubmissionStatus,
    )

    expected_ids = {instance_id for _e, _n, instance_id, _r, _s in plan}
    stored = list(Submission.objects.values_list("instance_id", "status"))
    stored_ids = [i for i, _status in stored]
    lost = len(expected_ids - set(stored_ids))
    doubled = len(stored_ids) - len(set(stored_ids))
    incomplete = sum(1 for _i, status in stored if status != SubmissionStatus.COMPLETE)
    photos = Attachment.objects.count()
    rejected = Counter(RejectedSubmission.objects.values_list("reason", flat=True))
    posts = sum(len(v) for v in latencies.values())

    print(
        f"\n{options.submissions:,} submissions, {posts:,} POSTs in {wall:.1f} s: "
        f"{options.submissions / wall:.0f} submissions/s, {posts / wall:.0f} POSTs/s"
    )
    print(f"{'POST':<10}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, values in latencies.items():
        if values:
            print(
                f"{kind:<10}{len(values):>7}{statistics.median(values):>9.0f}"
                f"{_percentile(values, 0.95):>9.0f}{max(values):>9.0f}"
            )
    print("statuses:", dict(sorted(statuses.items())))
    print(
        f"stored {len(stored):,}; lost {lost}; doubled {doubled}; not complete {incomplete}; photos {photos:,}"
    )
    print("refused and kept:", dict(rejected))
    print("hostile requests:", hostile, f"; server afterwards: HEAD {alive}")
    ok = lost == 0 and doubled == 0 and incomplete == 0 and photos == options.submissions
    ok = ok and all(400 <= code < 500 for code in hostile.values()) and alive == 204
    print("OK" if ok else "PROBLEM")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
