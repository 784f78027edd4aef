"""The production install's files (deploy/): the scripts parse, the systemd units agree with
install.sh, the nginx site renders and nginx accepts it, its limits fit the app's, and the
settings install.sh writes pass ``naikkelas check``. Static checks that run in CI; the whole
install on a fresh Debian is bench/ops/install_in_chroot.sh."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from naikkelas.fieldwork.services.submissions import MAX_FILE_BYTES
from naikkelas.intake.forms import MAX_UPLOAD_BYTES

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALL = DEPLOY / "install.sh"
SCRIPTS = [INSTALL, REPO / "bench" / "ops" / "install_in_chroot.sh"]
UNITS = {
    "naikkelas-web.service": "serve",
    "naikkelas-worker.service": "worker",
    "naikkelas-backup.service": "backup",
}
NGINX_TEMPLATE = DEPLOY / "nginx" / "naikkelas.conf.template"
ENV_TEMPLATE = DEPLOY / "naikkelas.env.template"
PLACEHOLDER = re.compile(r"@([A-Z0-9_]+)@")
BASH = shutil.which("bash") or "/bin/bash"


def install_var(name: str) -> str:
    """A top-level ``NAME=value`` of install.sh, with $OTHER expanded."""
    text = INSTALL.read_text()
    match = re.search(rf"^{name}=(\S+)$", text, re.MULTILINE)
    assert match, f"install.sh has no {name}="
    value = match.group(1)
    return re.sub(r"\$(\w+)", lambda m: install_var(m.group(1)), value)


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def render(template: Path, values: dict[str, str]) -> str:
    """install.sh's ``render``: every @KEY@ replaced, none left unknown."""

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return PLACEHOLDER.sub(value, template.read_text())


def nk_keys_passed(function: str) -> set[str]:
    """The NK_* variables install.sh passes to ``render`` inside one shell function."""
    text = INSTALL.read_text()
    body = re.search(rf"^{function}\(\) \{{\n(.*?)^\}}", text, re.MULTILINE | re.DOTALL)
    assert body, f"install.sh has no function {function}"
    return set(re.findall(r"\bNK_([A-Z0-9_]+)=", body.group(1)))


NGINX_VALUES = {
    "DOMAIN": "umkm.example.go.id",
    "APP_ADDRESS": "127.0.0.1:8000",
    "DATA_DIR": "/var/lib/naikkelas",
    "TLS_CERT": "/etc/naikkelas/tls/fullchain.pem",
    "TLS_KEY": "/etc/naikkelas/tls/privkey.pem",
    "ACME_ROOT": "/var/www/letsencrypt",
}


# --- scripts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_parses(script: Path) -> None:
    result = subprocess.run([BASH, "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_passes_shellcheck(script: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run([shellcheck, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_install_prints_its_packages_without_root() -> None:
    local = subprocess.run(
        [BASH, str(INSTALL), "--print-apt-packages"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"postgresql", "nginx", "certbot", "python3-venv", "tzdata"} <= set(local)
    external = subprocess.run(
        [BASH, str(INSTALL), "--print-apt-packages", "--database-url", "postgres://x@db/x"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "postgresql" not in external and "postgresql-client" in external


def test_install_refuses_unknown_options_with_usage_exit_code() -> None:
    result = subprocess.run([BASH, str(INSTALL), "--frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Usage:" in result.stderr


# --- systemd units -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "command"), UNITS.items())
def test_units_run_the_installed_command_as_the_service_user(name: str, command: str) -> None:
    service = unit(name)["Service"]
    executable = f"{install_var('VENV')}/bin/naikkelas"
    assert service["ExecStart"].split()[:2] == [executable, command]
    assert service["User"] == service["Group"] == install_var("SERVICE_USER")
    assert service["EnvironmentFile"] == install_var("ENV_FILE")
    assert service["WorkingDirectory"] == install_var("DATA_DIR")
    assert service["ReadWritePaths"] == install_var("DATA_DIR")
    for key, value in {
        "NoNewPrivileges": "true",
        "ProtectSystem": "strict",
        "ProtectHome": "true",
        "PrivateTmp": "true",
    }.items():
        assert service[key] == value, f"{name}: {key}"


def test_web_unit_serves_on_the_address_nginx_proxies_to() -> None:
    exec_start = unit("naikkelas-web.service")["Service"]["ExecStart"].split()
    host = exec_start[exec_start.index("--host") + 1]
    port = exec_start[exec_start.index("--port") + 1]
    assert f"{host}:{port}" == install_var("APP_ADDRESS") == "127.0.0.1:8000"
    assert "--no-worker" in exec_start  # the worker is a unit of its own
    assert "proxy_pass http://@APP_ADDRESS@;" in NGINX_TEMPLATE.read_text()


def test_long_running_units_restart_but_not_on_pending_migrations() -> None:
    for name in ("naikkelas-web.service", "naikkelas-worker.service"):
        service = unit(name)["Service"]
        assert service["Restart"] in {"always", "on-failure"}
        assert service["RestartPreventExitStatus"] == "3"  # serve/worker: unapplied migrations
    assert unit("naikkelas-worker.service")["Service"]["Restart"] == "always"


def test_backup_timer_runs_the_backup_daily_in_wib() -> None:
    timer = unit("naikkelas-backup.timer")
    assert timer["Timer"]["OnCalendar"].endswith("Asia/Jakarta")
    assert timer["Timer"]["Persistent"] == "true"
    assert unit("naikkelas-backup.service")["Service"]["Type"] == "oneshot"


def test_every_variable_in_exec_start_is_in_the_settings_template() -> None:
    defined = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_TEMPLATE.read_text(), re.MULTILINE))
    for name in UNITS:
        used = set(re.findall(r"\$\{(\w+)\}", unit(name)["Service"]["ExecStart"]))
        assert used <= defined, f"{name}: {used - defined}"


def test_install_installs_every_unit_file() -> None:
    text = INSTALL.read_text()
    shipped = {p.name for p in (DEPLOY / "systemd").iterdir()}
    listed = set(re.search(r"^UNITS=\((.*)\)$", text, re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    assert listed == shipped


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # verify also wants the ExecStart binary to exist: point it at one that does
    executable = f"{install_var('VENV')}/bin/naikkelas"
    for path in (DEPLOY / "systemd").iterdir():
        (tmp_path / path.name).write_text(path.read_text().replace(executable, "/bin/true"))
    names = sorted(f"./{p.name}" for p in tmp_path.iterdir())
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


# --- nginx -------------------------------------------------------------------------------------


def test_install_passes_every_placeholder_of_its_templates() -> None:
    assert set(PLACEHOLDER.findall(NGINX_TEMPLATE.read_text())) == nk_keys_passed(
        "write_nginx_site"
    )
    assert set(PLACEHOLDER.findall(ENV_TEMPLATE.read_text())) == nk_keys_passed("write_config")


def body_size_bytes(config: str) -> int:
    match = re.search(r"^\s*client_max_body_size\s+(\d+)([kKmMgG]?);", config, re.MULTILINE)
    assert match, "no client_max_body_size"
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(match.group(1)) * factor


def test_upload_limit_fits_the_apps_largest_uploads_with_room() -> None:
    config = render(NGINX_TEMPLATE, NGINX_VALUES)
    largest = max(
        MAX_FILE_BYTES,  # an ODK attachment (advertised X-OpenRosa-Accept-Content-Length)
        MAX_UPLOAD_BYTES,  # a spreadsheet import
        settings.NAIKKELAS_IMAGE_MAX_BYTES,  # a product photo
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,  # form fields
    )
    # a submission POST carries the XML and multipart framing besides its largest file
    assert body_size_bytes(config) >= 2 * largest


def test_proxy_headers_cannot_be_forged_by_the_client() -> None:
    config = NGINX_TEMPLATE.read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    assert "proxy_set_header Host $host;" in config


def test_http_redirects_and_the_acme_challenge_stays_on_http() -> None:
    http_server = NGINX_TEMPLATE.read_text().split("server {")[1]
    assert "listen 80;" in http_server
    assert "return 301 https://@DOMAIN@$request_uri;" in http_server
    assert "location ^~ /.well-known/acme-challenge/" in http_server


def test_uploaded_files_are_never_served_from_disk() -> None:
    config = render(NGINX_TEMPLATE, NGINX_VALUES)
    directives = [line.split("#")[0] for line in config.splitlines()]
    roots = [d.split()[1].rstrip(";") for d in directives if d.split()[:1] in (["root"], ["alias"])]
    data_dir = NGINX_VALUES["DATA_DIR"]
    # the only root under the data directory is the one /static/ maps into DATA_DIR/static
    assert roots.count(data_dir) == 1
    assert not any("media" in root for root in roots)
    static_block = config.split("location /static/ {")[1].split("}")[0]
    assert f"root {data_dir};" in static_block
    assert (
        Path(settings.STATIC_ROOT).name == "static" and settings.STATIC_URL.strip("/") == "static"
    )


def test_access_log_hides_device_keys_and_query_strings() -> None:
    config = NGINX_TEMPLATE.read_text()
    log_format = config.split("log_format naikkelas")[1].split(";")[0]
    assert "$naikkelas_log_uri" in log_format
    assert "$request_uri" not in log_format and "$request " not in log_format
    assert "$http_referer" not in log_format  # a referer carries the page's query string
    key_rule = re.search(r'"~\^\(\?<nk_prefix>([^)]+)\)', config)
    assert key_rule and key_rule.group(1) == "/odk/c/"


def test_nginx_accepts_the_rendered_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "umkm.example.go.id")])
    now = datetime.now(tz=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    values = NGINX_VALUES | {
        "TLS_CERT": str(tmp_path / "cert.pem"),
        "TLS_KEY": str(tmp_path / "key.pem"),
        "DATA_DIR": str(tmp_path / "data"),
        "ACME_ROOT": str(tmp_path / "acme"),
    }
    site = render(NGINX_TEMPLATE, values).replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# --- the settings file install.sh writes -------------------------------------------------------


def test_settings_template_keeps_secrets_out_of_the_repository() -> None:
    text = ENV_TEMPLATE.read_text()
    assert re.search(r"^DJANGO_SECRET_KEY=@SECRET_KEY@$", text, re.MULTILINE)
    assert re.search(r"^DATABASE_URL=@DATABASE_URL@$", text, re.MULTILINE)
    assert not re.search(r"^EMAIL_HOST_PASSWORD=\S", text, re.MULTILINE)


def test_generated_settings_pass_naikkelas_check(tmp_path: Path) -> None:
    import secrets

    values = {
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DOMAIN": "umkm.example.go.id",
        "WORKERS": "3",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NAIKKELAS_"))}
    env.pop("DATABASE_URL", None)
    for line in render(ENV_TEMPLATE, values).splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value.strip('"')
    env["DJANGO_SETTINGS_MODULE"] = "naikkelas.config.settings"
    result = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", "check", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # HSTS preload (django:security.W021) is information only: the office's decision
    found = json.loads(result.stdout)["findings"]
    findings = {f["code"] for f in found if f["level"] != "info"}
    configuration = {
        code
        for code in findings
        if code.startswith(("debug", "secret-key", "allowed-hosts", "https", "base-url", "csrf"))
        or code.startswith("django:security")
    }
    assert configuration == set(), result.stdout


# --- install.sh's helper functions (sourced, nothing installed) --------------------------------


def install_functions(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash after sourcing install.sh (which then defines, not installs),
    with its configuration paths moved into ``tmp_path``."""
    prelude = (
        f"source {INSTALL}\n"
        f"CONF_DIR={tmp_path}; ENV_FILE={tmp_path}/naikkelas.env\n"
        f"INSTALL_CONF={tmp_path}/install.conf; SERVICE_USER=root\n"
    )
    return subprocess.run(
        [BASH, "-c", prelude + script], capture_output=True, text=True, timeout=60
    )


def test_env_set_replaces_the_active_line_and_keeps_everything_else(tmp_path: Path) -> None:
    (tmp_path / "naikkelas.env").write_text(
        "# comment with DATABASE_URL=old\nDATABASE_URL=old\nOTHER=1\n# DJANGO_DEBUG=true\n"
    )
    url = "postgres://u:p&a|s/s\\w@db:5432/naikkelas"
    result = install_functions(
        f"env_set DATABASE_URL '{url}'\nenv_set NEW 'two words'\nenv_get DATABASE_URL", tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == url
    assert (tmp_path / "naikkelas.env").read_text() == (
        f"# comment with DATABASE_URL=old\nDATABASE_URL={url}\nOTHER=1\n# DJANGO_DEBUG=true\n"
        "NEW=two words\n"
    )
    assert oct((tmp_path / "naikkelas.env").stat().st_mode & 0o777) == "0o640"


def test_env_default_adds_only_missing_settings(tmp_path: Path) -> None:
    (tmp_path / "naikkelas.env").write_text("DJANGO_SECURE_COOKIES=false\n# DJANGO_DEBUG=x\n")
    result = install_functions(
        "env_default DJANGO_SECURE_COOKIES true\nenv_default DJANGO_DEBUG false", tmp_path
    )
    assert result.returncode == 0, result.stderr
    # the operator's choice stays; the commented-out one does not count as set
    assert (tmp_path / "naikkelas.env").read_text() == (
        "DJANGO_SECURE_COOKIES=false\n# DJANGO_DEBUG=x\nDJANGO_DEBUG=false\n"
    )
    assert "DJANGO_DEBUG ditambahkan" in result.stdout


def test_render_fills_placeholders_and_refuses_unknown_ones(tmp_path: Path) -> None:
    template = tmp_path / "t.template"
    template.write_text("a=@DOMAIN@ mail=it@example.go.id b=@DOMAIN@\n")
    ok = install_functions(f"NK_DOMAIN=umkm.example.go.id render {template}", tmp_path)
    assert ok.stdout == "a=umkm.example.go.id mail=it@example.go.id b=umkm.example.go.id\n"
    missing = install_functions(f"render {template}", tmp_path)
    assert missing.returncode != 0 and "no value for @DOMAIN@" in missing.stderr


def test_a_rerun_without_options_takes_the_first_runs_choices(tmp_path: Path) -> None:
    script = (
        "DOMAIN=umkm.example.go.id TLS_MODE=self-signed EMAIL= DB_MODE=local\n"
        "save_install_conf\n"
        "DOMAIN= TLS_MODE= EMAIL= DB_MODE=local\n"
        "load_install_conf\n"
        'echo "$DOMAIN $TLS_MODE $DB_MODE"\n'
        "DOMAIN=other.example.go.id TLS_MODE=\n"
        "load_install_conf\n"
        'echo "$DOMAIN $TLS_MODE"\n'
    )
    result = install_functions(script, tmp_path)
    assert result.returncode == 0, result.stderr
    # given options win over the remembered ones
    assert result.stdout.splitlines() == [
        "umkm.example.go.id self-signed local",
        "other.example.go.id self-signed",
    ]
    remembered = (tmp_path / "install.conf").read_text()
    keys = {line.split("=")[0] for line in remembered.splitlines() if not line.startswith("#")}
    assert keys == {"DOMAIN", "TLS_MODE", "EMAIL", "DB_MODE"}  # nothing secret


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        ("DOMAIN=", "--domain is needed"),
        ("DOMAIN='bad host'", "not a host name"),
        ("TLS_MODE=", "choose a certificate"),
        ("TLS_MODE=letsencrypt EMAIL=", "--email is needed"),
        ("WORKERS=0", "--workers must be"),
        ("OFFLINE=1 WHEELHOUSE=", "--offline needs --wheelhouse"),
    ],
)
def test_bad_choices_stop_before_anything_changes(
    assignments: str, message: str, tmp_path: Path
) -> None:
    defaults = "DOMAIN=umkm.example.go.id TLS_MODE=self-signed WORKERS= OFFLINE=0 WHEELHOUSE="
    result = install_functions(f"{defaults}\n{assignments}\nvalidate_args", tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
