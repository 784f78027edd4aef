"""``naikkelas check``: the pure rules on hand-made settings snapshots, and the real command
once in a subprocess."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from naikkelas.ops.check import (
    DjangoMessage,
    Facts,
    Finding,
    evaluate,
    exit_code,
    render_json,
    render_table,
    secret_key_weakness,
)
from naikkelas.ops.commands.check import system_time_zone

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ_-xyz"


def production(**changes: object) -> Facts:
    """A server installed by deploy/install.sh, as it should be: no findings at all."""
    facts = Facts(
        debug=False,
        secret_key=GOOD_KEY,
        secret_key_from_file=False,
        allowed_hosts=("umkm.serangkota.go.id",),
        csrf_trusted_origins=("https://umkm.serangkota.go.id",),
        base_url="https://umkm.serangkota.go.id",
        secure_cookies=True,
        hsts_seconds=31536000,
        ssl_redirect=False,
        behind_proxy=True,
        database_engine="django.db.backends.postgresql",
        backup_dir="/var/lib/naikkelas/backups",
        backup_dir_exists=True,
        backup_dir_writable=True,
        backup_times=(NOW - timedelta(hours=20), NOW - timedelta(days=1, hours=20)),
        backup_encrypted=True,
        backup_same_disk=False,
        worker_required=True,
        worker_age_s=12.0,
        email_backend="django.core.mail.backends.smtp.EmailBackend",
        data_dir="/var/lib/naikkelas",
        data_dir_mode=0o711,
        disk_free_mb=50_000,
        disk_min_free_mb=1024,
        time_zone="Asia/Jakarta",
        system_time_zone="Asia/Jakarta",
        now=NOW,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def codes(facts: Facts) -> dict[str, str]:
    return {f.code: f.level for f in evaluate(facts)}


def test_a_well_installed_server_has_no_findings() -> None:
    assert evaluate(production()) == []
    assert exit_code(evaluate(production())) == 0


# --- DEBUG and the secret key ------------------------------------------------------------------


def test_debug_on_is_an_error() -> None:
    assert codes(production(debug=True)) == {"debug-on": "error"}


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "kosong"),
        ("django-insecure-" + "x" * 60, "contoh"),
        ("change-me", "contoh"),
        ("short-but-random-8f3k2", "terlalu pendek"),
        ("ab" * 30, "terlalu seragam"),
    ],
)
def test_weak_secret_keys_are_errors(key: str, reason: str) -> None:
    weakness = secret_key_weakness(key)
    assert weakness is not None and reason in weakness
    assert codes(production(secret_key=key)) == {"secret-key-weak": "error"}


def test_a_generated_key_file_is_information_and_must_be_private() -> None:
    private = production(secret_key_from_file=True, secret_key_file_mode=0o600)
    assert codes(private) == {"secret-key-file": "info"}
    readable = production(secret_key_from_file=True, secret_key_file_mode=0o644)
    assert codes(readable) == {"secret-key-file": "info", "secret-key-file-mode": "error"}


# --- hosts and HTTPS ---------------------------------------------------------------------------


def test_allowed_hosts_star_is_a_warning() -> None:
    assert codes(production(allowed_hosts=("*",))) == {"allowed-hosts-any": "warning"}


def test_localhost_only_is_a_warning_on_a_server_and_information_on_a_laptop() -> None:
    server = production(allowed_hosts=("127.0.0.1", "localhost"), base_url="")
    assert codes(server)["allowed-hosts-local"] == "warning"
    laptop = Facts(allowed_hosts=("127.0.0.1", "localhost", "[::1]"), now=NOW)
    assert codes(laptop)["allowed-hosts-local"] == "info"


def test_base_url_host_must_be_allowed() -> None:
    found = codes(production(allowed_hosts=("other.example.go.id",)))
    assert found == {"base-url-host-not-allowed": "error"}
    subdomains = production(allowed_hosts=(".serangkota.go.id",))
    assert codes(subdomains) == {}


def test_cookies_without_secure_flag_are_an_error() -> None:
    assert codes(production(secure_cookies=False)) == {"https-cookies-insecure": "error"}


def test_no_hsts_is_a_warning() -> None:
    assert codes(production(hsts_seconds=0)) == {"https-no-hsts": "warning"}


def test_neither_proxy_nor_redirect_is_a_warning_and_either_one_is_enough() -> None:
    assert codes(production(behind_proxy=False)) == {"https-no-proxy": "warning"}
    assert codes(production(behind_proxy=False, ssl_redirect=True)) == {}


def test_base_url_over_http_is_an_error_on_a_public_host() -> None:
    found = codes(production(base_url="http://umkm.serangkota.go.id"))
    assert found == {"base-url-not-https": "error"}
    local = codes(production(base_url="http://127.0.0.1:8000", allowed_hosts=("127.0.0.1",)))
    assert local["base-url-not-https"] == "warning"


def test_missing_base_url_is_a_warning() -> None:
    assert codes(production(base_url=""))["base-url-missing"] == "warning"


def test_base_url_origin_missing_from_csrf_trusted_origins_is_a_warning() -> None:
    found = codes(production(csrf_trusted_origins=()))
    assert found == {"csrf-origin-missing": "warning"}
    assert codes(production(csrf_trusted_origins=("https://UMKM.serangkota.go.id/",))) == {}


# --- database ----------------------------------------------------------------------------------


def test_unreachable_database_is_one_error_without_migration_noise() -> None:
    facts = production(database_error="connection refused", unapplied_migrations=())
    findings = evaluate(facts)
    assert [(f.level, f.code) for f in findings] == [("error", "database-unreachable")]
    assert "connection refused" in findings[0].message


def test_sqlite_is_a_warning_pointing_to_the_move() -> None:
    findings = evaluate(production(database_engine="django.db.backends.sqlite3"))
    assert [(f.level, f.code) for f in findings] == [("warning", "database-sqlite")]
    assert "migrate-to-postgres" in findings[0].hint


def test_unapplied_migrations_are_an_error_naming_a_few() -> None:
    pending = tuple(f"registry.{n:04d}_x" for n in range(1, 6))
    [finding] = evaluate(production(unapplied_migrations=pending))
    assert finding.code == "migrations-unapplied" and finding.level == "error"
    assert "5 migrasi" in finding.message and "registry.0003_x …" in finding.message
    assert "naikkelas migrate" in finding.hint


# --- backups -----------------------------------------------------------------------------------


def test_missing_backup_directory_is_an_error_and_says_nothing_else_about_backups() -> None:
    facts = production(backup_dir_exists=False, backup_dir_writable=False, backup_times=())
    assert codes(facts) == {"backup-dir-missing": "error"}


def test_unwritable_backup_directory_is_an_error() -> None:
    assert codes(production(backup_dir_writable=False)) == {"backup-dir-not-writable": "error"}


def test_no_backup_yet_is_a_warning() -> None:
    assert codes(production(backup_times=())) == {"backup-none": "warning"}


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(hours=47), {}),
        (timedelta(days=3), {"backup-stale": "warning"}),
        (timedelta(days=8), {"backup-stale": "error"}),
    ],
)
def test_the_newest_backup_counts_by_its_age(age: timedelta, expected: dict[str, str]) -> None:
    old = NOW - timedelta(days=30)
    assert codes(production(backup_times=(old, NOW - age))) == expected


def test_stale_backup_message_gives_days_and_the_date_of_the_newest() -> None:
    [finding] = evaluate(production(backup_times=(NOW - timedelta(days=3, hours=1),)))
    assert "3 hari" in finding.message and "2026-11-26" in finding.message


def test_plain_backups_on_the_data_disk_are_two_notes() -> None:
    found = codes(production(backup_encrypted=False, backup_same_disk=True))
    assert found == {"backup-not-encrypted": "info", "backup-same-disk": "info"}


def test_unreadable_passphrase_file_is_an_error() -> None:
    found = codes(production(backup_passphrase_problem="/etc/naikkelas/backup-passphrase"))
    assert found == {"backup-passphrase-unreadable": "error"}


# --- mail, disk, permissions, time zone --------------------------------------------------------


def test_console_mail_is_a_warning() -> None:
    backend = "django.core.mail.backends.console.EmailBackend"
    assert codes(production(email_backend=backend)) == {"email-console": "warning"}


@pytest.mark.parametrize(
    ("free", "expected"),
    [(2000, {}), (900, {"disk-low": "warning"}), (200, {"disk-low": "error"})],
)
def test_low_disk_space(free: int, expected: dict[str, str]) -> None:
    assert codes(production(disk_free_mb=free)) == expected


def test_data_directory_open_to_everyone_is_a_warning() -> None:
    assert codes(production(data_dir_mode=0o755)) == {"data-dir-open": "warning"}
    assert codes(production(data_dir_mode=0o750)) == {}


def test_time_zones_other_than_wib_are_warnings() -> None:
    assert codes(production(system_time_zone="Etc/UTC")) == {"time-zone-system": "warning"}
    assert codes(production(time_zone="UTC")) == {"time-zone-settings": "warning"}
    assert codes(production(system_time_zone=None)) == {}


# --- Django's deployment checks ----------------------------------------------------------------


def test_django_checks_are_included_unless_a_rule_here_covers_them() -> None:
    messages = (
        DjangoMessage("security.W018", 30, "DEBUG on"),  # covered by debug-on
        DjangoMessage("security.W008", 30, "SSL redirect"),  # nginx redirects
        DjangoMessage("security.W021", 30, "HSTS preload"),  # the office's decision
        DjangoMessage("fields.E304", 40, "Reverse   accessor\nclash", "Add related_name"),
        DjangoMessage("admin.W411", 30, "template"),
    )
    found = evaluate(production(django_messages=messages))
    assert {f.code: f.level for f in found} == {
        "django:fields.E304": "error",
        "django:admin.W411": "warning",
        "django:security.W021": "info",
    }
    clash = next(f for f in found if f.code == "django:fields.E304")
    assert clash.message == "Reverse accessor clash" and clash.hint == "Add related_name"


# --- output ------------------------------------------------------------------------------------


def test_findings_come_errors_first_and_the_exit_code_follows_errors() -> None:
    facts = production(hsts_seconds=0, backup_encrypted=False, debug=True)
    levels = [f.level for f in evaluate(facts)]
    assert levels == ["error", "warning", "info"]
    assert exit_code(evaluate(facts)) == 1
    assert exit_code(evaluate(production(hsts_seconds=0))) == 0


def test_table_groups_by_level_with_hints_and_a_count() -> None:
    findings = [
        Finding("error", "debug-on", "DEBUG menyala.", "Matikan."),
        Finding("info", "backup-same-disk", "Satu disk.", ""),
    ]
    table = render_table(findings)
    assert table.splitlines()[0] == "GALAT (1)"
    assert "  debug-on          DEBUG menyala." in table
    assert "→ Matikan." in table
    assert "INFO (1)" in table and "PERINGATAN" not in table
    assert table.rstrip().endswith("1 galat, 0 peringatan, 1 info. Perbaiki galat sebelum dipakai.")
    assert render_table([]) == "Tidak ada masalah ditemukan.\n"


def test_json_has_the_counts_and_every_finding() -> None:
    data = json.loads(render_json(evaluate(production(debug=True, hsts_seconds=0))))
    assert data["ok"] is False
    assert data["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert {f["code"] for f in data["findings"]} == {"debug-on", "https-no-hsts"}
    assert set(data["findings"][0]) == {"level", "code", "message", "hint"}


# --- facts from the machine --------------------------------------------------------------------


def test_system_time_zone_from_debian_file_or_the_localtime_link(tmp_path: Path) -> None:
    zone_file = tmp_path / "timezone"
    link = tmp_path / "localtime"
    os.symlink("/usr/share/zoneinfo/Asia/Makassar", link)
    assert system_time_zone(zone_file, link) == "Asia/Makassar"
    zone_file.write_text("Asia/Jakarta\n")
    assert system_time_zone(zone_file, link) == "Asia/Jakarta"
    assert system_time_zone(tmp_path / "none", tmp_path / "none") is None


# --- the real command --------------------------------------------------------------------------


def test_check_command_on_a_fresh_data_directory(new_instance) -> None:
    instance = new_instance(engine="sqlite")
    (instance.data_dir / "backups").mkdir()
    result = instance.run("check", "--json", check=False)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    found = {f["code"]: f["level"] for f in data["findings"]}
    # unmigrated, no HTTPS settings: errors; a generated key, SQLite, no backup yet
    assert found["migrations-unapplied"] == "error"
    assert found["https-cookies-insecure"] == "error"
    assert found["database-sqlite"] == "warning"
    assert found["backup-none"] == "warning"
    assert found["secret-key-file"] == "info"
    assert "Traceback" not in result.stderr

    instance.run("migrate")
    instance.extra_env.update(
        {
            "DJANGO_DEBUG": "true",
            "DJANGO_SECURE_COOKIES": "true",
            "DJANGO_BEHIND_PROXY": "true",
            "NAIKKELAS_BASE_URL": "https://umkm.example.go.id",
            "DJANGO_ALLOWED_HOSTS": "umkm.example.go.id",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://umkm.example.go.id",
        }
    )
    table = instance.run("check", check=False)
    assert table.returncode == 1
    assert table.stdout.startswith("GALAT (1)\n  debug-on")
    assert "migrations-unapplied" not in table.stdout
    assert "https-cookies-insecure" not in table.stdout


def test_check_command_reports_an_unreachable_database_without_a_traceback(tmp_path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        NAIKKELAS_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="naikkelas.config.settings",
        # a port nothing listens on: refused at once
        DATABASE_URL="postgres://nobody:x@127.0.0.1:9/naikkelas",
    )
    result = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "check", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    found = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["database-unreachable"]["level"] == "error"
    assert "migrations-unapplied" not in found
    assert "Traceback" not in result.stderr


def test_check_usage_error_exits_2(new_instance) -> None:
    result = new_instance(engine="sqlite").run("check", "--nonsense", check=False)
    assert result.returncode == 2


# --- the background worker ---------------------------------------------------------------------


def test_no_worker_ever_seen_is_a_warning() -> None:
    assert codes(production(worker_age_s=None)) == {"worker-missing": "warning"}


def test_a_silent_worker_is_a_warning_after_the_stale_limit() -> None:
    assert codes(production(worker_age_s=179.0)) == {}
    found = evaluate(production(worker_age_s=600.0))
    assert [(f.code, f.level) for f in found] == [("worker-stale", "warning")]
    assert "10 menit" in found[0].message


def test_no_worker_needed_with_the_immediate_backend_or_an_unreachable_database() -> None:
    assert codes(production(worker_required=False, worker_age_s=None)) == {}
    assert "worker-missing" not in codes(production(database_error="OperationalError"))


def test_an_empty_or_missing_passphrase_file_is_a_problem(tmp_path: Path) -> None:
    from naikkelas.ops.commands.check import _unreadable

    empty = tmp_path / "kosong"
    empty.write_text("\n")
    good = tmp_path / "baik"
    good.write_text("kuda-lumping-2026\n")
    assert "kosong" in _unreadable(str(empty))
    assert "tidak dapat dibaca" in _unreadable(str(tmp_path / "tidak-ada"))
    assert _unreadable(str(good)) == ""
    assert _unreadable("") == ""
