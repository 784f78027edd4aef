"""What every resilience script needs: an installation of its own, its processes, and a report.

* :class:`Instance` -- a data directory and a database (a SQLite file in the data directory,
  or a scratch PostgreSQL database made for the run and dropped after it), driven only from
  outside: the real ``naikkelas`` command in child processes, ``python -c`` with Django set up
  for the services, and plain SQL (``sqlite3``/``psycopg``) to look at the tables. The script
  itself never sets Django up, so it also runs inside the test suite.
* :class:`Service` -- a long-running ``naikkelas worker`` or ``naikkelas serve`` in a process
  group of its own, killed with SIGKILL as a crash or a power cut would stop it.
* :class:`Report` -- every check printed as it is made (PASS/FAIL with the measured numbers)
  and a last ``RESULT`` line; the exit code says whether all passed.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
POSTGRES_SERVER_URL = os.environ.get(
    "NAIKKELAS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


class Report:
    """Checks and measured figures of one script, printed as they come."""

    def __init__(self, title: str, *, quiet: bool = False) -> None:
        self.title = title
        self.quiet = quiet
        self.checks: list[Check] = []
        self.started = time.perf_counter()
        self._say(f"== {title} ==")

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        self._say(f"{'PASS' if ok else 'FAIL'}  {name}" + (f" -- {detail}" if detail else ""))
        return bool(ok)

    def note(self, text: str) -> None:
        """A measured figure or an observation (not a check)."""
        self._say(f"      {text}")

    def section(self, text: str) -> None:
        self._say(f"-- {text}")

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def finish(self) -> int:
        """Print the RESULT line; returns the exit code (0 only when every check passed)."""
        passed = sum(check.ok for check in self.checks)
        seconds = time.perf_counter() - self.started
        self._say(
            f"RESULT {self.title}: {'PASS' if self.ok else 'FAIL'} -- {len(self.checks)} checks, "
            f"{passed} passed, {len(self.checks) - passed} failed ({seconds:.0f} s)"
        )
        return 0 if self.ok else 1

    def text(self) -> str:
        return "\n".join(
            f"{'PASS' if c.ok else 'FAIL'}  {c.name}" + (f" -- {c.detail}" if c.detail else "")
            for c in self.checks
        )


def wait_until(
    condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.05
) -> T:
    """The first true value of ``condition()``; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------
# PostgreSQL scratch databases
# --------------------------------------------------------------------------------------------


def _server_url(database: str, server: str = POSTGRES_SERVER_URL) -> str:
    base, _sep, _name = server.rpartition("/")
    return f"{base}/{database}"


def _admin(sql: str, server: str = POSTGRES_SERVER_URL) -> None:
    import psycopg

    with psycopg.connect(_server_url("postgres", server), autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def scratch_database(*, template: str = "", server: str = POSTGRES_SERVER_URL) -> str:
    """A new PostgreSQL database (a copy of ``template``'s when given); returns its URL."""
    name = f"naikkelas_resilience_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    _admin(f'CREATE DATABASE "{name}"{copy}', server)
    return _server_url(name, server)


def drop_database(url: str) -> None:
    name = url.rpartition("/")[2]
    server = _server_url("postgres", url)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------

_LIVE: set[Service] = set()


class Service:
    """``naikkelas ARGS`` running in the background in its own process group (gunicorn's
    workers and ``serve``'s job worker are in it too), its output appended to ``log``."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log
        self.started = time.monotonic()
        with log.open("ab") as out:
            out.write(f"\n===== {name}: naikkelas {' '.join(args)} =====\n".encode())
            out.flush()
            self.process = subprocess.Popen(  # noqa: S603 (our own command)
                [sys.executable, "-m", "naikkelas.cli", *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self) -> float:
        """SIGKILL to the whole process group (nothing runs a handler); returns the seconds
        the service had been running."""
        ran = time.monotonic() - self.started
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)
        _LIVE.discard(self)
        return ran

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (a clean shutdown), SIGKILL after ``timeout`` seconds."""
        if self.alive():
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=30)
        # gunicorn's or serve's children may outlive a master that exited
        self._signal_group(signal.SIGKILL)
        _LIVE.discard(self)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@atexit.register
def _stop_leftovers() -> None:
    for service in list(_LIVE):
        service.stop(timeout=5)


# --------------------------------------------------------------------------------------------
# Installations
# --------------------------------------------------------------------------------------------

SQLITE_NAME = "naikkelas.sqlite3"
INFO_NAME = "resilience.json"


@dataclass
class Instance:
    """One installation: ``data_dir`` (``NAIKKELAS_DATA_DIR``) and a database
    (``database_url``; empty: SQLite in the data directory). ``log_dir`` holds the services'
    output (outside the data directory, which may be a full disk)."""

    data_dir: Path
    log_dir: Path
    database_url: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def engine(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / SQLITE_NAME

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k != "DATABASE_URL" and not k.startswith("NAIKKELAS_")
        }
        env.update(
            NAIKKELAS_DATA_DIR=str(self.data_dir),
            DJANGO_SETTINGS_MODULE="naikkelas.config.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    # -- commands ----------------------------------------------------------------------------

    def naikkelas(
        self, *args: str, timeout: float = 900, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "-m", "naikkelas.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"naikkelas {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def python(self, code: str, *, timeout: float = 900) -> Any:
        """Run ``code`` with Django set up for this installation; returns the JSON value it
        printed last (or None)."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"python failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        lines = result.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def start(self, name: str, *args: str) -> Service:
        return Service(name, list(args), env=self.env, log=self.log_dir / f"{name}.log")

    # -- SQL ---------------------------------------------------------------------------------

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` read directly from the database (no Django)."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                return list(connection.execute(sql).fetchall())  # type: ignore[arg-type]
        connection = sqlite3.connect(self.sqlite_path, timeout=30)
        try:
            return list(connection.execute(sql).fetchall())
        finally:
            connection.close()

    def execute(self, sql: str) -> None:
        """Run one writing statement and commit it."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                connection.execute(sql)  # type: ignore[arg-type]
            return
        connection = sqlite3.connect(self.sqlite_path, timeout=30)
        try:
            with connection:
                connection.execute(sql)
        finally:
            connection.close()

    def id_sql(self, value: str) -> str:
        """A UUID primary key as an SQL literal of this engine (SQLite stores 32 hex digits)."""
        parsed = uuid.UUID(str(value))
        return f"'{parsed}'" if self.database_url else f"'{parsed.hex}'"

    def scalar(self, sql: str) -> Any:
        rows = self.query(sql)
        return rows[0][0] if rows else None

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` on SQLite ('ok' when sound); on PostgreSQL 'ok' when the
        server answers (the server guarantees its own files)."""
        if self.database_url:
            return "ok" if self.scalar("SELECT 1") == 1 else "no answer"
        rows = self.query("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)[:500]

    # -- copies ------------------------------------------------------------------------------

    def clone(self, data_dir: Path, log_dir: Path | None = None) -> Instance:
        """An identical installation (database and files); nothing may be running."""
        shutil.copytree(
            self.data_dir,
            data_dir,
            ignore=shutil.ignore_patterns(f"{SQLITE_NAME}*"),
            dirs_exist_ok=True,
        )
        url = ""
        if self.database_url:
            url = scratch_database(
                template=self.database_url.rpartition("/")[2],
                server=self.database_url,
            )
        else:
            source = sqlite3.connect(self.sqlite_path, timeout=30)
            target = sqlite3.connect(data_dir / SQLITE_NAME)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        log_dir = log_dir or data_dir.parent / f"{data_dir.name}-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        return Instance(data_dir=data_dir, log_dir=log_dir, database_url=url, info=dict(self.info))

    def drop(self) -> None:
        if self.database_url:
            drop_database(self.database_url)


def new_instance(
    root: Path, name: str, *, postgres: bool, server: str = POSTGRES_SERVER_URL
) -> Instance:
    """An empty installation under ``root`` (nothing migrated yet)."""
    data_dir = root / name
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir = root / f"{name}-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    url = scratch_database(server=server) if postgres else ""
    return Instance(data_dir=data_dir, log_dir=log_dir, database_url=url)


_PREPARE = """
import json
from django.core.management import call_command
from naikkelas.accounts.models import Role, User
from naikkelas.accounts.services import api_token_create, user_create
from naikkelas.fieldwork.services.devices import device_key_create
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.intake.services.processing import CHUNK_SIZE
from naikkelas.linkage.services.register_index import index_version
from naikkelas.regions.services import region_catalogue_load
from naikkelas.registry.services import sector_catalogue_load

if {minimal}:
    call_command("migrate", interactive=False, verbosity=0)
    region_catalogue_load(within=("36.73",))
    sector_catalogue_load()
form, _new = census_form_publish(actor=None, validate=False)
officer = user_create(username="resiliensi", password="Resiliensi-Uji-2026!", role=Role.ADMIN)
_token, token = api_token_create(user=officer, name="resiliensi")
keys = []
for number in range({enumerators}):
    user = user_create(
        username=f"enum-resiliensi-{{number}}",
        password=f"Enum-{{number}}-Rahasia!",
        role=Role.ENUMERATOR,
    )
    keys.append(device_key_create(actor=None, user=user)[1])
print(json.dumps({{
    "form_id": form.form_id,
    "form_version": form.version,
    "keys": keys,
    "token": token,
    "chunk_size": CHUNK_SIZE,
    "index_version": index_version(),
}}))
"""


def prepare(instance: Instance, *, businesses: int = 0, enumerators: int = 4) -> Instance:
    """Migrate and load the reference data (with ``businesses`` > 0: ``naikkelas demo
    --no-serve``, a synthetic register of that size and its duplicate-check index); add an
    officer with an API token and ``enumerators`` enumerators with device keys. The facts the
    scripts need are kept in ``instance.info`` (and ``resilience.json``, for copies)."""
    if businesses:
        instance.naikkelas("demo", "--no-serve", "--businesses", str(businesses))
    instance.info = instance.python(
        _PREPARE.format(minimal=not businesses, enumerators=enumerators)
    )
    (instance.data_dir / INFO_NAME).write_text(json.dumps(instance.info))
    return instance


# --------------------------------------------------------------------------------------------
# Synthetic spreadsheets (the generator of tests/fixtures/intake/make_fixtures.py)
# --------------------------------------------------------------------------------------------


def _make_fixtures() -> Any:
    path = REPO / "tests" / "fixtures" / "intake" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("naikkelas_resilience_make_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_spreadsheet(path: Path, *, rows: int, seed: int) -> Path:
    """A synthetic UMKM list of ``rows`` data rows (header on row 1; ~3% Excel-damaged NIKs).
    The same seed gives the same rows: a longer list starts with the shorter one's rows."""
    return Path(_make_fixtures().write_large_xlsx(path, rows=rows, seed=seed))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="a scratch PostgreSQL database (NAIKKELAS_TEST_POSTGRES_URL, default "
        "postgres://postgres@127.0.0.1:5432/postgres) instead of SQLite",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument("--seed", type=int, default=3673)
    return parser


@contextlib.contextmanager
def workspace(keep: bool, prefix: str) -> Iterator[Path]:
    """A temporary directory for the run's installations (kept with ``--keep``)."""
    root = Path(tempfile.mkdtemp(prefix=f"naikkelas-{prefix}-"))
    try:
        yield root
    finally:
        if keep:
            print(f"(kept {root})", flush=True)
        else:
            shutil.rmtree(root, ignore_errors=True)
