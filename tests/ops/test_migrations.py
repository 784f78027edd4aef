"""Migrations never lose data (issue 12, docs/upgrade.md).

* every operation of our migrations can be unapplied (RunPython/RunSQL carry a reverse) and
  none drops a column or table unless declared here with the reason the data is safe;
* on a fresh database every app unapplies to zero and applies again;
* on a populated register, stepping each app back one migration and forward again leaves
  every table's row count and the register checksum as they were;
* the data migrations do what they say and can run twice.
"""

from __future__ import annotations

import importlib
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

from naikkelas.association.models import Member, MembershipType
from naikkelas.kendala.models import KendalaCategory
from naikkelas.registry.models import Membership
from tests.factories import make_business

# (app, migration, operation class) -> why no data is lost. Empty: nothing drops data yet.
DATA_LOSS_DECLARED: dict[tuple[str, str, str], str] = {}
DESTRUCTIVE = (ops.RemoveField, ops.DeleteModel)


def _project_migrations() -> list[tuple[str, str, object]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if type(migration).__module__.startswith("naikkelas."):
            found.append((app, name, migration))
    return found


def test_every_operation_can_be_unapplied_and_none_drops_data_undeclared() -> None:
    migrations = _project_migrations()
    assert len(migrations) > 30
    problems = []
    for app, name, migration in migrations:
        for operation in migration.operations:  # type: ignore[attr-defined]
            kind = type(operation).__name__
            if isinstance(operation, ops.RunPython) and operation.reverse_code is None:
                problems.append(f"{app}.{name}: RunPython without reverse_code (use noop)")
            elif isinstance(operation, ops.RunSQL) and operation.reverse_sql is None:
                problems.append(f"{app}.{name}: RunSQL without reverse_sql")
            elif not operation.reversible:
                problems.append(f"{app}.{name}: {kind} is irreversible")
            if isinstance(operation, DESTRUCTIVE) and (app, name, kind) not in DATA_LOSS_DECLARED:
                problems.append(f"{app}.{name}: {kind} drops data; declare why it is safe")
    assert problems == []


_UNAPPLY_ALL = """
import json
from django.core.management import call_command
from naikkelas.ops.inventory import database_tables
from naikkelas.ops.schema import unapplied_migrations

call_command("migrate", verbosity=0)
before = database_tables()
apps = {apps!r}
for app in apps:
    call_command("migrate", app, "zero", verbosity=0)
left = [t for t in database_tables() if t.split("_")[0] in apps]
call_command("migrate", verbosity=0)
print(json.dumps({{"before": before, "left": left, "after": database_tables(),
                  "pending": unapplied_migrations()}}))
"""


def test_every_app_unapplies_to_zero_and_applies_again(new_instance) -> None:  # noqa: ANN001
    # given an empty installation; when every app is migrated to zero and back
    instance = new_instance()
    project_apps = sorted({app for app, _name, _m in _project_migrations()})
    # top of the dependency order first (dependents go with their dependency anyway)
    order = [
        "reports", "ops", "association", "kendala", "guidance", "market", "programs",
        "fieldwork", "intake", "linkage", "privacy", "registry", "accounts", "core", "regions",
    ]  # fmt: skip
    assert set(project_apps) <= set(order)
    out = instance.python(_UNAPPLY_ALL.format(apps=[a for a in order if a in project_apps]))
    result = json.loads(out.strip().splitlines()[-1])
    # then nothing of ours was left behind, and the schema came back whole
    assert result["left"] == []
    assert result["after"] == result["before"]
    assert result["pending"] == []


_STEP_BACK = """
import json
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.apps import apps
from naikkelas.ops.inventory import inventory

loader = MigrationLoader(None)
steps = {}
for (app, name), migration in loader.disk_migrations.items():
    if type(migration).__module__.startswith("naikkelas."):
        steps.setdefault(app, []).append(name)
before = inventory()
stepped = []
created = []
for app, names in sorted(steps.items()):
    names.sort()
    if len(names) < 2:
        continue  # back to zero would drop the app's tables: that is not an upgrade path
    # Unapplying takes every dependent migration with it; a step that would unapply another
    # app's initial migration drops that app's tables (a downgrade, not an upgrade path).
    plan = MigrationExecutor(connection).migration_plan([(app, names[-2])])
    if any(migration.initial for migration, _backwards in plan if migration.app_label != app):
        continue
    call_command("migrate", app, names[-2], verbosity=0)
    call_command("migrate", verbosity=0)
    stepped.append(f"{app}.{names[-1]}")
    for _migration, _backwards in plan:
        for operation in _migration.operations:
            if type(operation).__name__ == "CreateModel":  # its table goes with the step
                model = apps.get_model(_migration.app_label, operation.name)
                created.append(model._meta.db_table)
print(json.dumps({"before": before, "after": inventory(), "stepped": stepped, "created": created}))
"""


def test_stepping_back_and_forward_keeps_a_populated_register(new_instance) -> None:  # noqa: ANN001
    from naikkelas.ops.inventory import compare

    # given a small demo register
    instance = new_instance()
    instance.run("demo", "--no-serve", "--businesses", "40", timeout=900)
    # when each app steps back one migration and forward again
    result = json.loads(instance.python(_STEP_BACK).strip().splitlines()[-1])
    # then every table holds what it held (but the tables the stepped-back migrations create:
    # a downgrade drops them by definition), and the register is the same
    for table in result["created"]:
        result["before"]["tables"].pop(table, None)
        result["after"]["tables"].pop(table, None)
    assert "linkage_registerrow" in result["created"]
    assert len(result["stepped"]) >= 7
    assert "kendala.0002_seed_categories" in result["stepped"]
    assert "association.0003_registration_status_label" in result["stepped"]
    assert compare(result["before"], result["after"]) == []
    assert sum(result["before"]["tables"].values()) > 1000


def _editor() -> SimpleNamespace:
    """What a data migration reads of its schema editor: the connection being migrated."""
    return SimpleNamespace(connection=connection)


def _migration_function(module: str, name: str):  # noqa: ANN202
    return getattr(importlib.import_module(module), name)


@pytest.mark.django_db
def test_association_data_migration_brings_register_memberships_into_the_books() -> None:
    # given register memberships of every status, and no association members
    forward = _migration_function(
        "naikkelas.association.migrations.0002_types_and_register_members", "forward"
    )
    active = make_business(name="Keripik Aktif")
    Membership.objects.create(
        business=active, number="HPK-2019-0007", since=date(2019, 3, 1), status="aktif"
    )
    candidate = make_business(name="Kue Calon")
    Membership.objects.create(business=candidate, status="calon")
    ended = make_business(name="Batik Berhenti")
    Membership.objects.create(business=ended, since=date(2021, 1, 5), status="tidak_aktif")
    Member.objects.all().delete()
    # when the data migration runs (twice: an upgrade that is repeated must not double)
    from django.apps import apps

    forward(apps, _editor())
    forward(apps, _editor())
    # then the active one keeps its number and join date, the ended one is ended, the
    # candidate became an application; the register rows are untouched
    member = Member.objects.get(business=active)
    assert (member.number, member.joined_on, member.status) == (
        "HPK-2019-0007",
        date(2019, 3, 1),
        "aktif",
    )
    stopped = Member.objects.get(business=ended)
    assert stopped.status == "berhenti" and stopped.ended_on is not None
    assert stopped.number.startswith("HPK-2021-")
    assert not Member.objects.filter(business=candidate).exists()
    assert candidate.membership_applications.filter(status="diajukan").count() == 1
    assert Member.objects.count() == 2
    assert Membership.objects.count() == 3
    assert MembershipType.objects.filter(code="biasa").count() == 1


@pytest.mark.django_db
def test_kendala_seed_keeps_officers_changes_and_can_run_again() -> None:
    seed = _migration_function("naikkelas.kendala.migrations.0002_seed_categories", "seed")
    from django.apps import apps

    renamed = KendalaCategory.objects.get(code="pajak")
    renamed.name = "Pajak dan retribusi"
    renamed.save()
    count = KendalaCategory.objects.count()
    seed(apps, _editor())
    assert KendalaCategory.objects.count() == count
    assert KendalaCategory.objects.get(code="pajak").name == "Pajak dan retribusi"
