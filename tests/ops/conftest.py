"""Whole installations for the operations tests: a data directory and a database of their
own (a SQLite file, or a scratch PostgreSQL database on the server the suite runs against),
driven through the real ``naikkelas`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE_URL.startswith(("postgres://", "postgresql://"))
# The PostgreSQL server for scratch databases: the suite's own, else this one (CI has it;
# NAIKKELAS_REQUIRE_POSTGRES=1 turns "not reachable" from a skip into a failure).
POSTGRES_SERVER_URL = (
    SUITE_DATABASE_URL
    if ON_POSTGRES
    else os.environ.get(
        "NAIKKELAS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
)


def _server_url(database: str) -> str:
    """The scratch PostgreSQL server with another database name."""
    base, _, _name = POSTGRES_SERVER_URL.rpartition("/")
    return f"{base}/{database}"


def require_postgres_server() -> None:
    """Skip (fail under NAIKKELAS_REQUIRE_POSTGRES=1) when no PostgreSQL server answers."""
    import psycopg

    try:
        psycopg.connect(_server_url("postgres"), connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("NAIKKELAS_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no PostgreSQL server for scratch databases: {error}")


def _admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def scratch_postgres_database() -> str:
    """A new empty PostgreSQL database on the suite's server; returns its URL."""
    name = f"naikkelas_ops_{uuid.uuid4().hex[:12]}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    return _server_url(name)


def drop_postgres_database(url: str) -> None:
    name = url.rpartition("/")[2]
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Instance:
    """One installation: its data directory and database URL ('' = SQLite in data_dir)."""

    data_dir: Path
    database_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["NAIKKELAS_DATA_DIR"] = str(self.data_dir)
        env["DJANGO_SETTINGS_MODULE"] = "naikkelas.config.settings"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def run(self, *args: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess:
        """``naikkelas ARGS`` for this installation (text output captured)."""
        result = subprocess.run(
            [sys.executable, "-m", "naikkelas.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=kwargs.pop("timeout", 600),
            **kwargs,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"naikkelas {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def python(self, code: str) -> str:
        """Run Python with Django set up for this installation; returns its stdout."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise AssertionError(f"python failed\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def inventory(self, *, all_tables: bool = True) -> dict[str, Any]:
        import json

        out = self.python(
            "import json\nfrom naikkelas.ops.inventory import inventory\n"
            f"print(json.dumps(inventory(all_tables={all_tables!r})))"
        )
        return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def new_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A factory of empty installations (nothing migrated) on the suite's engine."""
    made: list[Instance] = []

    def make(*, engine: str | None = None) -> Instance:
        use_postgres = (engine or ("postgresql" if ON_POSTGRES else "sqlite")) == "postgresql"
        if use_postgres:
            require_postgres_server()
        instance = Instance(
            data_dir=tmp_path_factory.mktemp("instance"),
            database_url=scratch_postgres_database() if use_postgres else "",
        )
        made.append(instance)
        return instance

    yield make
    for instance in made:
        if instance.database_url:
            drop_postgres_database(instance.database_url)


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """One installation with a small synthetic demo register (shared; do not change it)."""
    instance = Instance(
        data_dir=tmp_path_factory.mktemp("demo-instance"),
        database_url=scratch_postgres_database() if ON_POSTGRES else "",
    )
    instance.run("demo", "--no-serve", "--businesses", "120", timeout=900)
    yield instance
    if instance.database_url:
        drop_postgres_database(instance.database_url)


@pytest.fixture(scope="module")
def module_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Like ``new_instance``, for installations shared by the tests of one module."""
    made: list[Instance] = []

    def make(*, engine: str | None = None) -> Instance:
        use_postgres = (engine or ("postgresql" if ON_POSTGRES else "sqlite")) == "postgresql"
        if use_postgres:
            require_postgres_server()
        instance = Instance(
            data_dir=tmp_path_factory.mktemp("instance"),
            database_url=scratch_postgres_database() if use_postgres else "",
        )
        made.append(instance)
        return instance

    yield make
    for instance in made:
        if instance.database_url:
            drop_postgres_database(instance.database_url)
