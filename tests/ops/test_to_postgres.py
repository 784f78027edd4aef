"""``naikkelas migrate-to-postgres`` (issue 12): a SQLite pilot moved onto PostgreSQL whole.

The pilot is a 120-business demo on SQLite (the shared demo instance on a SQLite suite run, an
own one on a PostgreSQL run); the target a scratch PostgreSQL database. A first move, from a
copy of the pilot with a broken reference, must fail and leave the target as ``migrate`` made
it; the second, from the pilot itself, must bring over every row, id, timestamp and file.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from naikkelas.core.audit import audit_log
from naikkelas.ops import to_postgres as move
from naikkelas.ops.commands.to_postgres import Ends, ends_resolve, files_move, reminders
from naikkelas.ops.inventory import compare, model_checksum, register_checksum
from naikkelas.registry.models import Business, BusinessOwner, Owner
from tests.factories import make_business
from tests.ops.conftest import (
    ON_POSTGRES,
    Instance,
    drop_postgres_database,
    require_postgres_server,
    scratch_postgres_database,
)

# --------------------------------------------------------------------------------------------
# Pure parts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_target_settings_reads_a_postgres_url(scheme: str) -> None:
    config = move.target_settings(f"{scheme}://nk:rahasia@db.local:5433/naikkelas?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("naikkelas", "nk", "rahasia")
    assert (config["HOST"], config["PORT"]) == ("db.local", 5433)
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["AUTOCOMMIT"] is True and config["CONN_MAX_AGE"] == 0  # Django's defaults


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://nk:rahasia@db/naikkelas", "bukan alamat PostgreSQL"),
        ("sqlite:///var/naikkelas.sqlite3", "bukan alamat PostgreSQL"),
        ("naikkelas", "bukan alamat PostgreSQL"),
        ("postgres://nk:rahasia@db", "tidak menyebut nama basis data"),
        ("postgres://nk:rahasia@db/", "tidak menyebut nama basis data"),
    ],
)
def test_target_settings_refuses_other_urls_without_showing_the_password(
    url: str, says: str
) -> None:
    with pytest.raises(move.MoveError) as refused:
        move.target_settings(url)
    assert says in str(refused.value)
    assert "rahasia" not in str(refused.value)


def test_redacted_hides_only_the_password() -> None:
    assert move.redacted("postgres://nk:s3cr3t@db:5432/nk") == "postgres://nk:***@db:5432/nk"
    assert move.redacted("postgres://nk@db/nk") == "postgres://nk@db/nk"
    assert move.redacted("postgres://nk:pw@[::1]/nk") == "postgres://nk:***@[::1]/nk"


def test_blocking_tables_ignore_what_installing_and_the_worker_write() -> None:
    counts = {
        "auth_permission": 328,
        "django_content_type": 82,
        "ops_workerheartbeat": 1,
        "registry_business": 0,
        "accounts_user": 1,
        "axes_accessattempt": 2,
    }
    assert move.blocking_tables(counts) == {"accounts_user": 1, "axes_accessattempt": 2}
    assert move.blocking_tables({"auth_permission": 5, "registry_business": 0}) == {}
    # the system's own audit events do not count; somebody's do
    system_only = {"core_auditevent": 3, move.PEOPLES_EVENTS_TABLE: 0}
    assert move.blocking_tables(system_only) == {}
    assert move.blocking_tables(system_only | {move.PEOPLES_EVENTS_TABLE: 1}) == {
        move.PEOPLES_EVENTS_TABLE: 1
    }


def test_not_empty_message_names_the_register_first() -> None:
    blocking = {f"t{i}": 1000 + i for i in range(10)} | {"registry_business": 120}
    message = move.not_empty_message(blocking)
    assert message.startswith("Basis data tujuan sudah berisi data: registry_business (120 baris)")
    assert "t9 (1.009 baris)" in message and "dan 5 tabel lain" in message


def test_chunks() -> None:
    assert list(move.chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(move.chunks([], 3)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(move.chunks(range(3), 0))


def _check(table: str, source: int, target: int, same_digest: bool = True) -> move.TableCheck:
    return move.TableCheck(
        table=table,
        source_rows=source,
        target_rows=target,
        source_digest="a" * 64,
        target_digest="a" * 64 if same_digest else "b" * 64,
    )


def test_check_problems_name_each_differing_table() -> None:
    checks = [
        _check("registry_business", 11000, 11000),
        _check("registry_owner", 10, 9),
        _check("core_auditevent", 5, 5, same_digest=False),
    ]
    assert move.check_problems(checks, source_register="x", target_register="x") == [
        "registry_owner: 9 baris di tujuan, 10 di sumber",
        "core_auditevent: jumlah baris sama, isinya berbeda",
    ]
    assert move.check_problems(checks[:1], source_register="x", target_register="y") == [
        "checksum register berbeda"
    ]


def test_counts_table_lists_tables_with_rows_and_folds_the_empty_ones() -> None:
    text = move.counts_table(
        [_check("regions_region", 91599, 91599), _check("kendala_kendala", 0, 0)]
        + [_check("registry_owner", 3, 3, same_digest=False)]
    )
    lines = text.splitlines()
    assert lines[1].split() == ["regions_region", "91.599", "91.599", "sama"]
    assert lines[2].split() == ["registry_owner", "3", "3", "BEDA"]
    assert lines[3].split() == ["Jumlah", "91.602", "91.602"]
    assert lines[4] == "(1 tabel lain kosong di kedua sisi)"
    assert "kendala_kendala" not in text


def test_media_copy_copies_verifies_and_skips_identical_files(tmp_path: Path) -> None:
    source, target = tmp_path / "pilot", tmp_path / "server"
    (source / "produk/2026/01").mkdir(parents=True)
    (source / "produk/2026/01/a.jpg").write_bytes(b"\xff\xd8foto-a")
    (source / "consent").mkdir()
    (source / "consent/b.pdf").write_bytes(b"%PDF-b")
    (target / "consent").mkdir(parents=True)
    (target / "consent/b.pdf").write_bytes(b"%PDF-b")  # already there, same content

    plan = move.media_plan(source=source, target=target)
    assert plan.to_copy == ["produk/2026/01/a.jpg"] and plan.present == ["consent/b.pdf"]
    assert plan.bytes_to_copy == len(b"\xff\xd8foto-a") and not plan.conflicts
    done = move.media_copy(plan)
    assert (done.copied, done.present, done.bytes) == (1, 1, len(b"\xff\xd8foto-a"))
    assert (target / "produk/2026/01/a.jpg").read_bytes() == b"\xff\xd8foto-a"
    assert not list(target.rglob("*.naikkelas-partial"))
    assert move.media_plan(source=source, target=target).to_copy == []  # a rerun copies nothing


def test_media_copy_overwrites_nothing(tmp_path: Path) -> None:
    source, target = tmp_path / "pilot", tmp_path / "server"
    source.mkdir()
    (source / "a.jpg").write_bytes(b"pilot")
    (source / "c.jpg").write_bytes(b"c")
    target.mkdir()
    (target / "a.jpg").write_bytes(b"server")
    plan = move.media_plan(source=source, target=target)
    assert plan.conflicts == ["a.jpg"]
    with pytest.raises(move.MoveError, match="isi berbeda"):
        move.media_copy(plan)
    assert (target / "a.jpg").read_bytes() == b"server" and not (target / "c.jpg").exists()


def test_media_plan_of_a_pilot_without_uploads(tmp_path: Path) -> None:
    plan = move.media_plan(source=tmp_path / "none", target=tmp_path / "server")
    assert (plan.to_copy, plan.present, plan.conflicts) == ([], [], [])


def test_secret_key_copy_keeps_a_different_server_key_aside(tmp_path: Path) -> None:
    pilot_key = tmp_path / "pilot" / "secret_key"
    pilot_key.parent.mkdir()
    pilot_key.write_text("kunci-pilot\n")
    server_key = tmp_path / "server" / "secret_key"

    assert move.secret_key_copy(source=pilot_key, target=server_key) == "copied"
    assert server_key.read_text() == "kunci-pilot"
    assert stat.S_IMODE(server_key.stat().st_mode) == 0o600
    assert move.secret_key_copy(source=pilot_key, target=server_key) == "same"

    server_key.write_text("kunci-server")
    assert move.secret_key_copy(source=pilot_key, target=server_key) == "replaced"
    assert server_key.read_text() == "kunci-pilot"
    assert (server_key.parent / "secret_key.before-move").read_text() == "kunci-server"


def test_files_missing(tmp_path: Path) -> None:
    (tmp_path / "produk").mkdir()
    (tmp_path / "produk/a.jpg").write_bytes(b"a")
    names = {"produk/a.jpg", "produk/b.jpg", "consent/c.pdf"}
    assert move.files_missing(names=names, root=tmp_path) == ["consent/c.pdf", "produk/b.jpg"]


def _ends(tmp_path: Path, **overrides: Any) -> Ends:
    values: dict[str, Any] = {
        "source": "default",
        "source_file": tmp_path / "naikkelas.sqlite3",
        "media_root": tmp_path / "media",
        "key_file": tmp_path / "secret_key",
        "target": move.TARGET_ALIAS,
        "target_shown": "postgres://nk:***@db/nk",
        "target_url": "postgres://nk:pw@db/nk",
        "data_dir_to": None,
        "server_key": None,
        "s3": False,
    }
    return Ends(**(values | overrides))


def test_without_data_dir_to_the_summary_says_what_to_carry_by_hand(tmp_path: Path) -> None:
    lines = reminders(_ends(tmp_path), {"media": None, "secret_key": "not-copied"})
    assert f"tetap di {tmp_path / 'media'}" in lines[0]
    assert f"Salin juga {tmp_path / 'secret_key'}" in lines[1]
    assert "DATABASE_URL=postgres://nk:***@db/nk" in lines[2] and "pw" not in "".join(lines)
    lines = reminders(_ends(tmp_path, key_file=None), {"media": None, "secret_key": "not-copied"})
    assert "pasang nilai yang SAMA sebagai DJANGO_SECRET_KEY" in lines[1]


def test_a_server_key_from_the_environment_is_compared_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("kunci-pilot\n")
    server = tmp_path / "server"
    server.mkdir()
    ends = _ends(tmp_path, data_dir_to=server, server_key="kunci-server", target_url=None)
    files = files_move(ends, None)
    assert files["secret_key"] == "env-differs" and not (server / "secret_key").exists()
    lines = reminders(ends, files)
    assert lines[0].startswith("PENTING") and f"cat {tmp_path / 'secret_key'}" in lines[0]
    same = files_move(_ends(tmp_path, data_dir_to=server, server_key="kunci-pilot"), None)
    assert same["secret_key"] == "env-same"


def test_the_pilot_key_file_goes_into_the_server_data_directory(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("kunci-pilot")
    server = tmp_path / "server"
    files = files_move(_ends(tmp_path, data_dir_to=server), None)
    assert files["secret_key"] == "copied"
    assert (server / "secret_key").read_text() == "kunci-pilot"
    lines = reminders(_ends(tmp_path, data_dir_to=server), files)
    assert "Bila server memasang DJANGO_SECRET_KEY" in lines[0]


def test_from_must_be_a_pilot_data_directory(tmp_path: Path) -> None:
    options = argparse.Namespace(url=None, from_dir=str(tmp_path), data_dir_to=None)
    with ExitStack() as stack, pytest.raises(move.MoveError, match="naikkelas.sqlite3 tidak ada"):
        ends_resolve(options, stack)


# --------------------------------------------------------------------------------------------
# The digests taken during the copy are the inventory's (else every move would fail)
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_digest_and_register_digest_equal_the_inventory_checksums() -> None:
    for _ in range(3):
        make_business()
    digests = {}
    for model in move.model_tables().values():
        fields = [f.attname for f in model._meta.concrete_fields]
        digest = move.RowsDigest()
        for row in model._base_manager.values_list(*fields):
            digest.add(row)
        digests[model._meta.db_table] = (digest.rows, digest.hexdigest)
    for model in (Business, Owner, BusinessOwner):
        assert digests[model._meta.db_table] == model_checksum(model)
    assert digests[Business._meta.db_table][0] == 3
    assert move.register_digest(digests) == register_checksum()


@pytest.mark.django_db
def test_target_data_counts_set_apart_the_events_somebody_caused(dinas_user: Any) -> None:
    before = move.target_data_counts(using="default")
    audit_log(actor=None, action="ops.system_note", object_type="test")
    audit_log(actor=dinas_user, action="ops.person_note", object_type="test")
    after = move.target_data_counts(using="default")
    assert after["core_auditevent"] == before["core_auditevent"] + 2
    assert after[move.PEOPLES_EVENTS_TABLE] == before.get(move.PEOPLES_EVENTS_TABLE, 0) + 1


@pytest.mark.django_db
def test_unknown_migrations_are_those_of_a_newer_release() -> None:
    assert move.unknown_migrations(using="default") == []
    MigrationRecorder(connections["default"]).record_applied("registry", "9999_dari_masa_depan")
    assert move.unknown_migrations(using="default") == ["registry.9999_dari_masa_depan"]


# --------------------------------------------------------------------------------------------
# The move itself (subprocesses of the real command)
# --------------------------------------------------------------------------------------------

# One subprocess per side: the inventory and the rows whose ids and times must survive.
PROBE = """
import json
from django.contrib.contenttypes.models import ContentType
from naikkelas.core.models import AuditEvent
from naikkelas.market.models import ProductPhoto
from naikkelas.ops.inventory import inventory
from naikkelas.registry.models import Business
print(json.dumps({
    "inventory": inventory(all_tables=False),
    "audit": [[e.id, e.occurred_at.isoformat()] for e in AuditEvent.objects.order_by("id")],
    "businesses": [
        [str(b.id), b.name, b.status, b.created_at.isoformat(), b.updated_at.isoformat()]
        for b in Business.objects.order_by("id")
    ],
    "content_types": sorted(
        [c.id, c.app_label, c.model] for c in ContentType.objects.all()
    ),
    "photos": sorted(p.image.name for p in ProductPhoto.objects.all()),
}))
"""

# The server as deploy/install.sh leaves it: migrated (counted here), the reference data
# loaded, the worker started once.
INSTALL = """
import json
from django.utils import timezone
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.ops.inventory import model_tables, table_counts
from naikkelas.ops.models import WorkerHeartbeat
from naikkelas.regions.services import region_catalogue_load
from naikkelas.registry.services import sector_catalogue_load
migrated = table_counts(model_tables())
region_catalogue_load(within=("36.73",))  # a part of it: quicker, same tables
sector_catalogue_load()
census_form_publish(actor=None, validate=False)
now = timezone.now()
WorkerHeartbeat.objects.create(host="server", pid=1, started_at=now, last_seen=now)
print(json.dumps({"migrated": migrated, "installed": table_counts(model_tables())}))
"""

# On the server after the move: the register's search box, then new rows with fresh ids.
SERVER_PROBE = """
import json
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from naikkelas.core.audit import audit_log
from naikkelas.core.models import AuditEvent
from naikkelas.registry.selectors import BusinessFilters, business_list
found = business_list(filters=BusinessFilters(q=NAME)).values_list("id", flat=True)
last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
last_type = ContentType.objects.order_by("-id").values_list("id", flat=True).first()
event = audit_log(actor=None, action="ops.move_check", object_type="test", source="test")
content_type = ContentType.objects.create(app_label="ops", model="movecheck")
print(json.dumps({
    "vendor": connection.vendor,
    "found": [str(i) for i in found],
    "audit": [last_audit, event.id],
    "content_type": [last_type, content_type.id],
}))
"""
SERVER_KEY = "kunci-server-dari-install-sh-" + "x" * 30


@dataclass
class Move:
    pilot: Instance
    server: Instance  # the server's environment: its data directory, database and key
    failed: subprocess.CompletedProcess  # from the pilot's environment, a broken copy
    tables: dict[str, dict[str, int]]  # the target as `migrate` left it, then the installer
    done: subprocess.CompletedProcess  # on the server: --from the pilot's data directory
    result: dict[str, Any]
    pilot_facts: dict[str, Any]  # PROBE on each side after the move
    server_facts: dict[str, Any]


@pytest.fixture(scope="module")
def pilot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Instance:
    """A SQLite demo installation (only read here)."""
    if not ON_POSTGRES:
        return request.getfixturevalue("demo_instance")
    instance = Instance(data_dir=tmp_path_factory.mktemp("pilot"))
    instance.run("demo", "--no-serve", "--businesses", "120", timeout=900)
    return instance


@pytest.fixture(scope="module")
def target_url() -> Iterator[str]:
    require_postgres_server()
    url = scratch_postgres_database()
    yield url
    drop_postgres_database(url)


def _broken_copy(pilot: Instance, data_dir: Path) -> Instance:
    """A copy of the pilot in which one business-owner link points at no owner."""
    with (
        sqlite3.connect(pilot.data_dir / "naikkelas.sqlite3") as original,
        sqlite3.connect(data_dir / "naikkelas.sqlite3") as copy,
    ):
        original.backup(copy)
        copy.execute(  # sqlite3 leaves foreign keys unenforced
            "UPDATE registry_businessowner SET owner_id = ? "
            "WHERE id = (SELECT MIN(id) FROM registry_businessowner)",
            ("0" * 32,),
        )
    (data_dir / "secret_key").write_text((pilot.data_dir / "secret_key").read_text())
    return Instance(data_dir=data_dir)


@pytest.fixture(scope="module")
def moved(pilot: Instance, target_url: str, tmp_path_factory: pytest.TempPathFactory) -> Move:
    broken = _broken_copy(pilot, tmp_path_factory.mktemp("broken-pilot"))
    failed = broken.run("migrate-to-postgres", target_url, check=False)
    server = Instance(
        data_dir=tmp_path_factory.mktemp("server") / "data",
        database_url=target_url,
        extra_env={"DJANGO_SECRET_KEY": SERVER_KEY},
    )
    tables = json.loads(server.python(INSTALL).strip().splitlines()[-1])
    done = server.run(
        "migrate-to-postgres", "--from", str(pilot.data_dir), "--batch-size", "500", "--json"
    )
    return Move(
        pilot,
        server,
        failed,
        tables,
        done,
        json.loads(done.stdout),
        pilot_facts=json.loads(pilot.python(PROBE)),
        server_facts=json.loads(server.python(PROBE)),
    )


def test_a_broken_reference_rolls_the_whole_copy_back(moved: Move) -> None:
    assert moved.failed.returncode == 1, moved.failed.stderr
    assert "Rujukan antartabel tidak utuh" in moved.failed.stderr
    assert "registry_businessowner" in moved.failed.stderr
    assert "Traceback" not in moved.failed.stderr
    # nothing of the pilot stayed: only what `migrate` itself writes
    assert move.blocking_tables(moved.tables["migrated"]) == {}
    assert moved.tables["migrated"]["registry_business"] == 0


def test_installing_writes_rows_only_into_the_tables_a_move_replaces(moved: Move) -> None:
    migrated = {table for table, rows in moved.tables["migrated"].items() if rows}
    assert migrated <= move.MIGRATE_FILLED_TABLES, "a data migration fills a new table: list it"
    assert {"django_content_type", "auth_permission"} <= migrated
    installed = {table for table, rows in moved.tables["installed"].items() if rows}
    assert installed <= move.REPLACEABLE_TABLES
    assert {"regions_region", "core_auditevent", "ops_workerheartbeat"} <= installed


def test_the_move_reports_every_table_equal(moved: Move) -> None:
    result = moved.result
    assert result["ok"] is True
    tables = {t["table"]: t for t in result["tables"]}
    assert set(tables) == set(move.model_tables())
    assert all(t["source_rows"] == t["target_rows"] for t in tables.values())
    assert tables["registry_business"]["target_rows"] == 120
    assert tables["regions_region"]["target_rows"] > 1000
    assert result["rows"] == sum(t["source_rows"] for t in tables.values())
    assert "regions_region" in moved.done.stderr  # progress per table
    assert "Traceback" not in moved.done.stderr


def test_counts_and_register_checksum_equal_on_both_sides(moved: Move) -> None:
    pilot = moved.pilot_facts["inventory"]
    server = moved.server_facts["inventory"]
    assert compare(pilot, server) == []
    assert server["register_checksum"] == moved.result["register_checksum"]
    # the installation's own rows were replaced by the pilot's, not added to
    assert server["tables"]["django_content_type"] == pilot["tables"]["django_content_type"]
    assert server["tables"]["ops_workerheartbeat"] == pilot["tables"]["ops_workerheartbeat"]


def test_ids_and_timestamps_are_kept(moved: Move) -> None:
    pilot, server = moved.pilot_facts, moved.server_facts
    assert server == pilot
    assert len(pilot["audit"]) > 10 and len(pilot["businesses"]) == 120
    # updated_at (auto_now) was not stamped anew: equal to the pilot's (above), and where the
    # demo changed a business after creating it, still different from created_at
    assert any(b[3] != b[4] for b in server["businesses"])


def test_uploads_are_in_the_servers_data_directory(moved: Move) -> None:
    pilot_media = moved.pilot.data_dir / "media"
    server_media = moved.server.data_dir / "media"
    originals = {p.relative_to(pilot_media): p for p in pilot_media.rglob("*") if p.is_file()}
    assert originals, "the demo has product photos"
    copies = {p.relative_to(server_media): p for p in server_media.rglob("*") if p.is_file()}
    assert set(copies) == set(originals)
    assert all(
        move.file_sha256(copies[name]) == move.file_sha256(path) for name, path in originals.items()
    )
    assert moved.result["media"]["copied"] == len(originals)
    assert moved.result["files_missing"] == []


def test_a_different_server_key_is_reported_with_how_to_set_the_pilots(moved: Move) -> None:
    assert moved.result["secret_key"] == "env-differs"
    assert not (moved.server.data_dir / "secret_key").exists()  # the environment's key wins
    (advice,) = [r for r in moved.result["reminders"] if r.startswith("PENTING")]
    assert str(moved.pilot.data_dir / "secret_key") in advice and "DJANGO_SECRET_KEY=" in advice


def test_the_server_has_nothing_left_to_migrate(moved: Move) -> None:
    plan = moved.server.run("migrate", "--plan")
    assert "sudah mutakhir" in plan.stdout


def test_a_second_move_into_the_filled_target_is_refused(moved: Move) -> None:
    again = moved.server.run(
        "migrate-to-postgres", "--from", str(moved.pilot.data_dir), check=False
    )
    assert again.returncode == 2
    assert "sudah berisi data: registry_business (120 baris)" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_postgres_installation_is_not_a_source(moved: Move) -> None:
    refused = moved.server.run("migrate-to-postgres", moved.server.database_url, check=False)
    assert refused.returncode == 2
    assert "bukan SQLite" in refused.stderr and "--from" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_an_unreachable_server_is_told_plainly(moved: Move) -> None:
    url = "postgres://nk:rahasia@127.0.0.1:1/naikkelas"
    refused = moved.pilot.run("migrate-to-postgres", url, check=False)
    assert refused.returncode == 2
    assert "Tidak dapat terhubung ke PostgreSQL tujuan" in refused.stderr
    assert "Traceback" not in refused.stderr and "rahasia" not in refused.stderr


def test_a_missing_database_is_named(target_url: str, django_db_blocker: Any) -> None:
    url = target_url.rpartition("/")[0] + "/naikkelas_tidak_ada"
    with django_db_blocker.unblock(), move.target_database(url) as alias:
        with pytest.raises(move.MoveError, match="naikkelas_tidak_ada.*does not exist"):
            move.target_connect(using=alias)
    assert alias not in connections.settings  # the second connection is gone again


def test_an_unmigrated_pilot_is_sent_to_naikkelas_migrate_first(
    tmp_path: Path, target_url: str
) -> None:
    empty = Instance(data_dir=tmp_path)
    sqlite3.connect(tmp_path / "naikkelas.sqlite3").close()
    refused = empty.run("migrate-to-postgres", target_url, check=False)
    assert refused.returncode == 2
    assert "naikkelas migrate" in refused.stderr and "Traceback" not in refused.stderr


# It writes into the server (new rows after the copied ones): the other tests read the
# server's facts taken before, and the refusal only needs it not empty.
def test_search_works_and_new_rows_get_fresh_ids_on_the_server(moved: Move) -> None:
    pilot = moved.pilot_facts
    business_id, name = next(b[:2] for b in pilot["businesses"] if b[2] == "active")
    out = moved.server.python(SERVER_PROBE.replace("NAME", json.dumps(name)))
    server = json.loads(out.strip().splitlines()[-1])
    assert server["vendor"] == "postgresql"
    assert business_id in server["found"]
    last_audit, new_audit = server["audit"]
    assert new_audit == last_audit + 1
    last_type, new_type = server["content_type"]
    assert new_type == last_type + 1
