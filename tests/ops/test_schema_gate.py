"""Upgrades: the server and the worker refuse to run on a database the installed release's
migrations have not reached; `naikkelas migrate` says what it will apply and applies it."""

from __future__ import annotations


def test_serve_and_worker_refuse_an_unmigrated_database_and_migrate_fixes_it(
    new_instance,  # noqa: ANN001
) -> None:
    # given an installation whose database was never migrated
    instance = new_instance()
    # when the server or the worker starts, they stop at once with a clear message
    for command in (("serve", "--port", "8799", "--no-worker"), ("worker",)):
        refused = instance.run(*command, check=False, timeout=120)
        assert refused.returncode == 3, refused.stderr
        assert "naikkelas migrate" in refused.stderr
        assert "Traceback" not in refused.stderr
    # the plan lists what would be applied, without applying it
    plan = instance.run("migrate", "--plan")
    assert "registry.0001_initial" in plan.stdout
    assert "registry.0001_initial" in instance.run("migrate", "--plan").stdout
    # then migrate (nothing to back up in an empty database) brings it up to date
    instance.run("migrate")
    assert "sudah mutakhir" in instance.run("migrate", "--plan").stdout
