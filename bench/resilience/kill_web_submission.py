"""Kill the web server while ODK Collect-like clients send census submissions.

    .venv/bin/python -m bench.resilience.kill_web_submission [--submissions 300]
        [--enumerators 8] [--photo-kb 300] [--kills 2] [--postgres] [--keep]

``naikkelas serve --no-worker`` (gunicorn) receives submissions from ``--enumerators``
threads, each sending its share the way Collect does (multipart POST with the XML and a
photo, ``/odk/c/<device key>/submission``). While requests are in flight, the whole server
(master and workers: its process group) is killed with SIGKILL, ``--kills`` times, and
started again. A client resends every submission that did not get a 201 or 202, as Collect
does; afterwards a sample of confirmed submissions is resent once more (a lost response).

Checks: the server starts cleanly after each kill; every submission that was confirmed is
stored exactly once, complete, with its photo (bytes checked); a resent instanceID is never
stored twice and is answered 202 when the server already had it; nothing was refused as a
conflict; then a worker takes every submission into the register pipeline, once.
"""

from __future__ import annotations

import hashlib
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.fieldwork_submissions import _xml
from bench.resilience.common import (
    Instance,
    Report,
    Service,
    arguments,
    free_port,
    new_instance,
    prepare,
    wait_until,
    workspace,
)

CONFIRMED = (201, 202)


@dataclass
class Planned:
    number: int
    enumerator: int
    instance_id: str
    photo_kb: int

    @property
    def photo_name(self) -> str:
        return f"foto-{self.number}.jpg"

    def photo(self) -> bytes:
        """A JPEG-looking photo of its own (the server sniffs the magic bytes)."""
        body = random.Random(self.number).randbytes(self.photo_kb * 1024)
        return b"\xff\xd8\xff\xe0" + body

    def sha256(self) -> str:
        return hashlib.sha256(self.photo()).hexdigest()


@dataclass
class Outcome:
    attempts: list[str] = field(default_factory=list)  # status codes or error names

    @property
    def confirmed(self) -> bool:
        return any(a.isdigit() and int(a) in CONFIRMED for a in self.attempts)


def plan(count: int, enumerators: int, *, photo_kb: int, seed: int) -> list[Planned]:
    rng = random.Random(seed)
    return [
        Planned(n, n % enumerators, f"uuid:{uuid.UUID(int=rng.getrandbits(128))}", photo_kb)
        for n in range(count)
    ]


class CollectClient:
    """What ODK Collect does on the wire: HEAD, then a multipart POST with the XML part and
    the photo; success is a 201 or 202 only."""

    def __init__(self, base: str, key: str, form: dict[str, Any]) -> None:
        import requests

        self.url = f"{base}/odk/c/{key}/submission"
        self.form = SimpleNamespace(form_id=form["form_id"], version=form["form_version"])
        self.session = requests.Session()
        self.session.headers["X-OpenRosa-Version"] = "1.0"

    def head(self) -> int:
        return int(self.session.head(self.url, timeout=10).status_code)

    def send(self, item: Planned) -> tuple[str, str]:
        """One POST: (status code or the error's name, the response's content type)."""
        import requests

        xml = _xml(self.form, item.instance_id, item.number, item.photo_name)
        parts = [
            ("xml_submission_file", ("instance.xml", xml, "text/xml")),
            (item.photo_name, (item.photo_name, item.photo(), "image/jpeg")),
        ]
        try:
            response = self.session.post(self.url, files=parts, timeout=60)
        except requests.RequestException as error:
            self.session.close()  # a broken keep-alive connection is not reused
            return type(error).__name__, ""
        return str(response.status_code), response.headers.get("Content-Type", "")


def server_up(base: str, key: str) -> bool:
    import requests

    try:
        return requests.head(f"{base}/odk/c/{key}/submission", timeout=5).status_code == 204
    except requests.RequestException:
        return False


def start_server(instance: Instance, port: int, name: str, workers: int = 2) -> Service:
    return instance.start(
        name, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    )  # fmt: skip


@dataclass
class Traffic:
    """The clients' shared state: outcomes per submission, requests in flight."""

    outcomes: dict[int, Outcome]
    in_flight: int = 0
    confirmed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def stored_submissions(instance: Instance) -> dict[str, tuple[int, str]]:
    """instanceID -> (rows with it, status) in the database."""
    found: dict[str, tuple[int, str]] = {}
    for instance_id, count, status in instance.query(
        "SELECT instance_id, count(*), max(status) FROM fieldwork_submission GROUP BY instance_id"
    ):
        found[str(instance_id)] = (int(count), str(status))
    return found


def stored_photos(instance: Instance) -> dict[str, list[tuple[str, str, int]]]:
    """instanceID -> [(file name in storage, sha256 recorded, size)]."""
    photos: dict[str, list[tuple[str, str, int]]] = {}
    for instance_id, name, sha, size in instance.query(
        "SELECT s.instance_id, a.file, a.sha256, a.size FROM fieldwork_attachment a "
        "JOIN fieldwork_submission s ON s.id = a.submission_id"
    ):
        photos.setdefault(str(instance_id), []).append((str(name), str(sha), int(size)))
    return photos


def orphan_files(instance: Instance, photos: dict[str, list[tuple[str, str, int]]]) -> int:
    """Files under media/submissions that no attachment names (a request killed after
    writing its photo, before its transaction committed)."""
    root = instance.data_dir / "media"
    named = {name for files in photos.values() for name, _sha, _size in files}
    on_disk = {
        str(path.relative_to(root)) for path in (root / "submissions").rglob("*") if path.is_file()
    }
    return len(on_disk - named)


def check_stored(
    report: Report,
    instance: Instance,
    items: list[Planned],
    outcomes: dict[int, Outcome],
    *,
    label: str,
) -> None:
    """Every confirmed submission stored once, complete, with its photo (bytes checked)."""
    stored = stored_submissions(instance)
    photos = stored_photos(instance)
    confirmed = [i for i in items if outcomes[i.number].confirmed]
    lost = [i.instance_id for i in confirmed if i.instance_id not in stored]
    doubled = [k for k, (count, _s) in stored.items() if count != 1]
    report.check(
        f"{label}: every confirmed submission is stored exactly once",
        not lost and not doubled,
        f"{len(confirmed)} confirmed, {len(stored)} stored, {len(lost)} lost, "
        f"{len(doubled)} stored more than once",
    )
    unconfirmed = [i for i in items if not outcomes[i.number].confirmed]
    extra = sorted(set(stored) - {i.instance_id for i in items})
    report.check(
        f"{label}: nothing stored that was not sent",
        not extra,
        f"{len(unconfirmed)} never confirmed"
        + (
            f" ({sum(i.instance_id in stored for i in unconfirmed)} of them stored)"
            if unconfirmed
            else ""
        )
        + f", {len(extra)} unknown instanceIDs",
    )
    incomplete = [
        k for k, (_c, status) in stored.items() if status not in ("complete", "processed")
    ]
    media = instance.data_dir / "media"
    bad: list[str] = []
    for item in confirmed:
        files = photos.get(item.instance_id, [])
        expected = item.sha256()
        if len(files) != 1 or files[0][1] != expected:
            bad.append(item.instance_id)
            continue
        path = media / files[0][0]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            bad.append(item.instance_id)
    report.check(
        f"{label}: no partial records (complete, with the photo on disk, bytes intact)",
        not incomplete and not bad,
        f"{len(incomplete)} not complete, {len(bad)} without their exact photo; "
        f"{sum(len(f) for f in photos.values())} photos stored",
    )
    orphans = orphan_files(instance, photos)
    report.note(
        f"{label}: photo files on disk that no record names (left by requests killed or "
        f"failed before their transaction committed): {orphans}"
    )


def run(
    root: Path,
    *,
    submissions: int,
    enumerators: int,
    photo_kb: int,
    kills: int,
    postgres: bool,
    seed: int,
    resend_share: float = 0.1,
    through_register: bool = True,
    base: Instance | None = None,
    quiet: bool = False,
) -> Report:
    engine = "postgresql" if postgres else "sqlite"
    report = Report(f"kill_web_submission ({engine})", quiet=quiet)
    if base is None:
        started = time.perf_counter()
        instance = prepare(new_instance(root, "web", postgres=postgres), enumerators=enumerators)
        report.note(f"installation ready in {time.perf_counter() - started:.0f} s")
    else:
        instance = base.clone(root / "web")
    server: Service | None = None
    try:
        keys = list(instance.info["keys"])[:enumerators]
        if len(keys) < enumerators:
            raise ValueError(f"the installation has {len(keys)} device keys, not {enumerators}")
        items = plan(submissions, enumerators, photo_kb=photo_kb, seed=seed)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start_server(instance, port, "web-1")
        started = time.perf_counter()
        wait_until(
            lambda: server_up(base_url, keys[0]), timeout=120, what="the server", interval=0.2
        )
        report.note(f"server up in {time.perf_counter() - started:.1f} s (port {port})")

        traffic = Traffic({item.number: Outcome() for item in items})
        stop = threading.Event()

        def work(enumerator: int) -> None:
            client = CollectClient(base_url, keys[enumerator], instance.info)
            for item in items:
                if item.enumerator != enumerator:
                    continue
                while not stop.is_set():
                    with traffic.lock:
                        traffic.in_flight += 1
                    status, _type = client.send(item)
                    with traffic.lock:
                        traffic.in_flight -= 1
                        traffic.outcomes[item.number].attempts.append(status)
                        if status.isdigit() and int(status) in CONFIRMED:
                            traffic.confirmed += 1
                            break
                    time.sleep(0.3)  # Collect tries again later

        threads = [threading.Thread(target=work, args=(e,)) for e in range(enumerators)]
        sending = time.perf_counter()
        for thread in threads:
            thread.start()
        restarts: list[float] = []
        for number in range(1, kills + 1):
            share = number / (kills + 1)
            wait_until(
                lambda share=share: (
                    traffic.confirmed >= share * submissions and traffic.in_flight > 0
                ),
                timeout=300,
                what=f"{share:.0%} of the submissions confirmed",
                interval=0.01,
            )
            with traffic.lock:
                flying, confirmed = traffic.in_flight, traffic.confirmed
            server.kill()
            report.section(
                f"server killed (SIGKILL to its process group) with {flying} requests in "
                f"flight, {confirmed} of {submissions} confirmed so far"
            )
            time.sleep(1.0)
            server = start_server(instance, port, f"web-{number + 1}")
            started = time.perf_counter()
            try:
                wait_until(
                    lambda: server_up(base_url, keys[0]), timeout=120, what="restart", interval=0.1
                )
                restarts.append(time.perf_counter() - started)
                report.check(
                    f"kill {number}: the server starts again cleanly",
                    server.alive(),
                    f"answering HEAD 204 {restarts[-1]:.1f} s after the start",
                )
            except TimeoutError as error:
                report.check(
                    f"kill {number}: the server starts again cleanly",
                    False,
                    f"{error}; log: {server.log_text()[-500:]}",
                )
                stop.set()
        for thread in threads:
            thread.join(timeout=600)
        stop.set()
        seconds = time.perf_counter() - sending
        outcomes = traffic.outcomes
        report.note(
            f"{submissions} submissions ({photo_kb} KB photos) from {enumerators} clients in "
            f"{seconds:.1f} s, {sum(len(o.attempts) for o in outcomes.values())} POSTs"
        )
        every = Counter(a for o in outcomes.values() for a in o.attempts)
        report.note(f"answers and errors seen by the clients: {dict(sorted(every.items()))}")
        retried = [o for o in outcomes.values() if len(o.attempts) > 1]
        stored_before = sum(1 for o in retried if o.attempts[-1] == "202")
        report.note(
            f"resent after an error: {len(retried)} submissions; of these {stored_before} "
            f"had been stored although their answer was lost (the resend got 202), "
            f"{len(retried) - stored_before} were stored by the resend (201)"
        )
        report.check(
            "every submission was confirmed in the end (resending what failed)",
            all(o.confirmed for o in outcomes.values()),
            f"{sum(o.confirmed for o in outcomes.values())} of {submissions}",
        )
        odd = sorted(
            {a for o in outcomes.values() for a in o.attempts if a.isdigit() and int(a) >= 400}
        )
        report.check(
            "no error answers, only cut connections while the server was down",
            not odd,
            f"HTTP errors: {odd}" if odd else "none",
        )

        # a lost response: Collect sends the same instance again
        sample = random.Random(seed).sample(items, max(1, int(len(items) * resend_share)))
        client = CollectClient(base_url, keys[0], instance.info)
        again = Counter(client.send(item)[0] for item in sample)
        report.check(
            "a confirmed submission sent again is answered 202 (already received)",
            again == Counter({"202": len(sample)}),
            f"{len(sample)} resent: {dict(again)}",
        )
        server.stop()

        check_stored(report, instance, items, outcomes, label="after the kills")
        rejected = dict(
            instance.query(
                "SELECT reason, count(*) FROM fieldwork_rejectedsubmission GROUP BY reason"
            )
        )
        report.check(
            "nothing refused (no conflicts for resent instanceIDs)",
            not rejected,
            f"refused and kept: {rejected}" if rejected else "none",
        )
        integrity = instance.integrity()
        report.check("database integrity after the kills", integrity == "ok", integrity)

        if through_register:
            through_the_register(report, instance, submissions)
        if restarts:
            report.note(f"restart to first answer: {', '.join(f'{s:.1f} s' for s in restarts)}")
    finally:
        if server is not None:
            server.stop()
        instance.drop()
    return report


def through_the_register(report: Report, instance: Instance, submissions: int) -> None:
    """A worker takes every stored submission through the intake pipeline, once (the
    queueing of some was cut off with the server)."""
    worker = instance.start("worker", "worker")
    started = time.perf_counter()
    try:
        wait_until(
            lambda: (
                instance.scalar(
                    "SELECT count(*) FROM fieldwork_submission s LEFT JOIN intake_importrow r "
                    "ON r.id = s.import_row_id WHERE r.id IS NULL OR r.status = 'pending'"
                )
                == 0
            ),
            timeout=120 + submissions / 5,
            what="every submission through the register pipeline",
            interval=0.5,
        )
        taken, rows = instance.query(
            "SELECT count(*), count(DISTINCT import_row_id) FROM fieldwork_submission"
        )[0]
        report.check(
            "a worker takes every stored submission into the register, once",
            taken == rows == submissions,
            f"{rows} submissions with their own import row, {time.perf_counter() - started:.1f} s",
        )
    except TimeoutError as error:
        report.check("a worker takes every stored submission into the register", False, str(error))
    finally:
        worker.stop()


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.strip().splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--enumerators", type=int, default=8)
    parser.add_argument("--photo-kb", type=int, default=300)
    parser.add_argument("--kills", type=int, default=2)
    options = parser.parse_args(argv)
    with workspace(options.keep, "kill-web") as root:
        report = run(
            root,
            submissions=options.submissions,
            enumerators=options.enumerators,
            photo_kb=options.photo_kb,
            kills=options.kills,
            postgres=options.postgres,
            seed=options.seed,
        )
        return report.finish()


if __name__ == "__main__":
    sys.exit(main())
