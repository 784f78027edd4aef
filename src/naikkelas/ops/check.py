"""What ``naikkelas check`` finds wrong with an installation, decided from a snapshot of its
settings and a few facts about the machine (``Facts``), without Django: every rule can be
tested with a hand-made snapshot. ``naikkelas.ops.commands.check`` gathers the facts.

Levels: ``error`` (unsafe or broken: the command exits 1), ``warning`` (fix before going
live), ``info`` (worth knowing). Messages are Indonesian for the operator; each finding has
a stable code for scripts (``--json``) and a hint saying what to change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_TITLES = {"error": "GALAT", "warning": "PERINGATAN", "info": "INFO"}

EXPECTED_TIME_ZONE = "Asia/Jakarta"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5
BACKUP_STALE = timedelta(days=2)
BACKUP_VERY_STALE = timedelta(days=7)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"})  # noqa: S104
# Keys copied from documentation and examples, never a real one.
PLACEHOLDER_KEYS = frozenset({"change-me", "changeme", "secret", "secret-key", "your-secret-key"})

# Django deploy checks that evaluate the same settings as a rule here: left out so that one
# problem is reported once (W008, SECURE_SSL_REDIRECT, is deliberately off behind nginx,
# which redirects; W021, HSTS preload, is the office's decision: docs/security.md).
DJANGO_CHECKS_COVERED = frozenset(
    {
        "security.W004",  # SECURE_HSTS_SECONDS
        "security.W008",  # SECURE_SSL_REDIRECT
        "security.W009",  # SECRET_KEY
        "security.W012",  # SESSION_COOKIE_SECURE
        "security.W016",  # CSRF_COOKIE_SECURE
        "security.W018",  # DEBUG
        "security.W020",  # ALLOWED_HOSTS
    }
)
DJANGO_CHECKS_INFO = frozenset({"security.W021"})


@dataclass(frozen=True)
class DjangoMessage:
    """One message of Django's system checks, in plain values."""

    id: str
    level: int  # django.core.checks: DEBUG 10, INFO 20, WARNING 30, ERROR 40, CRITICAL 50
    msg: str
    hint: str = ""


@dataclass(frozen=True)
class Facts:
    """A snapshot of the settings and the machine, as ``naikkelas check`` saw them."""

    debug: bool = False
    secret_key: str = ""
    secret_key_from_file: bool = False  # generated into DATA_DIR/secret_key
    secret_key_file_mode: int | None = None  # its permission bits, when it exists
    allowed_hosts: tuple[str, ...] = ()
    csrf_trusted_origins: tuple[str, ...] = ()
    base_url: str = ""
    secure_cookies: bool = False  # SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE
    hsts_seconds: int = 0
    ssl_redirect: bool = False
    behind_proxy: bool = False
    database_engine: str = ""
    database_error: str = ""  # why the database could not be opened ("" = it could)
    unapplied_migrations: tuple[str, ...] = ()
    backup_dir: str = ""
    backup_dir_exists: bool = False
    backup_dir_writable: bool = False
    backup_times: tuple[datetime, ...] = ()  # of the archives found, any order
    backup_encrypted: bool = False  # a passphrase file is configured
    backup_passphrase_problem: str = ""  # the configured passphrase file cannot be read
    backup_same_disk: bool = False  # the backup directory is on the data directory's disk
    worker_required: bool = False  # jobs wait for `naikkelas worker` (database task backend)
    worker_age_s: float | None = None  # since the newest worker heartbeat (None: never seen)
    worker_stale_s: int = 180
    email_backend: str = ""
    data_dir: str = ""
    data_dir_mode: int | None = None
    disk_free_mb: int | None = None
    disk_min_free_mb: int = 1024
    time_zone: str = EXPECTED_TIME_ZONE  # settings.TIME_ZONE
    system_time_zone: str | None = None  # the server's zone (None: unknown)
    django_messages: tuple[DjangoMessage, ...] = ()
    now: datetime = field(default_factory=lambda: datetime.fromtimestamp(0, tz=UTC))


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    message: str
    hint: str = ""


def evaluate(facts: Facts) -> list[Finding]:
    """Every finding for the snapshot, errors first (then warnings, then infos)."""
    findings = [
        *_debug(facts),
        *_secret_key(facts),
        *_hosts(facts),
        *_https(facts),
        *_database(facts),
        *_backups(facts),
        *_worker(facts),
        *_email(facts),
        *_data_dir(facts),
        *_time_zone(facts),
        *_django(facts),
    ]
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def exit_code(findings: list[Finding]) -> int:
    return 1 if any(f.level == "error" for f in findings) else 0


# --- rules -------------------------------------------------------------------------------------


def _debug(facts: Facts) -> list[Finding]:
    if not facts.debug:
        return []
    return [
        Finding(
            "error",
            "debug-on",
            "DEBUG menyala: halaman galat memperlihatkan pengaturan dan data ke siapa pun.",
            "Hapus DJANGO_DEBUG atau isi DJANGO_DEBUG=false.",
        )
    ]


def secret_key_weakness(key: str) -> str | None:
    """Why a SECRET_KEY is weak (in Indonesian), or None for a good one."""
    if not key:
        return "kosong"
    if key.startswith("django-insecure") or key.lower() in PLACEHOLDER_KEYS:
        return "contoh/bawaan, bukan kunci acak"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"terlalu pendek ({len(key)} karakter, minimal {SECRET_KEY_MIN_LENGTH})"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return f"terlalu seragam ({len(set(key))} karakter berbeda)"
    return None


def _secret_key(facts: Facts) -> list[Finding]:
    weakness = secret_key_weakness(facts.secret_key)
    if weakness is not None:
        return [
            Finding(
                "error",
                "secret-key-weak",
                f"DJANGO_SECRET_KEY lemah: {weakness}.",
                "Isi DJANGO_SECRET_KEY dengan 50+ karakter acak, misalnya: python3 -c "
                "'import secrets; print(secrets.token_urlsafe(50))'. Semua sesi berakhir.",
            )
        ]
    findings = []
    if facts.secret_key_from_file:
        findings.append(
            Finding(
                "info",
                "secret-key-file",
                f"Kunci rahasia dibuat otomatis di {facts.data_dir}/secret_key.",
                "Baik untuk uji coba; di server simpan sebagai DJANGO_SECRET_KEY di berkas "
                "pengaturan (deploy/install.sh melakukannya).",
            )
        )
        mode = facts.secret_key_file_mode
        if mode is not None and mode & 0o077:
            findings.append(
                Finding(
                    "error",
                    "secret-key-file-mode",
                    f"Berkas secret_key bisa dibaca pengguna lain (mode {mode:04o}).",
                    f"chmod 600 {facts.data_dir}/secret_key",
                )
            )
    return findings


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def _on_server(facts: Facts) -> bool:
    """Signs that this is a server for others, not a laptop pilot."""
    base_host = _host(facts.base_url)
    return (
        facts.behind_proxy or facts.secure_cookies or bool(base_host and not _is_local(base_host))
    )


def _hosts(facts: Facts) -> list[Finding]:
    hosts = [h.lower() for h in facts.allowed_hosts]
    findings = []
    if "*" in hosts:
        findings.append(
            Finding(
                "warning",
                "allowed-hosts-any",
                "DJANGO_ALLOWED_HOSTS menerima nama host apa pun (*).",
                "Isi dengan nama domain server saja, misalnya umkm.serangkota.go.id.",
            )
        )
    elif not hosts or all(_is_local(h.strip(".")) for h in hosts):
        findings.append(
            Finding(
                "warning" if _on_server(facts) else "info",
                "allowed-hosts-local",
                "DJANGO_ALLOWED_HOSTS hanya berisi localhost: tidak terjangkau dari komputer lain.",
                "Tambahkan nama domain server ke DJANGO_ALLOWED_HOSTS.",
            )
        )
    base_host = _host(facts.base_url)
    if base_host and "*" not in hosts and not _host_allowed(base_host, hosts):
        findings.append(
            Finding(
                "error",
                "base-url-host-not-allowed",
                f"Host NAIKKELAS_BASE_URL ({base_host}) tidak ada di DJANGO_ALLOWED_HOSTS.",
                f"Tambahkan {base_host} ke DJANGO_ALLOWED_HOSTS.",
            )
        )
    return findings


def _host_allowed(host: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        if pattern == host or (pattern.startswith(".") and (host + ".").endswith(pattern + ".")):
            return True
        if pattern.startswith(".") and host == pattern[1:]:
            return True
    return False


def _https(facts: Facts) -> list[Finding]:
    findings = []
    base = facts.base_url
    scheme = urlsplit(base).scheme.lower() if base else ""
    if not facts.secure_cookies:
        findings.append(
            Finding(
                "error",
                "https-cookies-insecure",
                "Cookie sesi dan CSRF tidak bertanda Secure: sesi bisa terbaca di jaringan.",
                "Layani lewat HTTPS dan isi DJANGO_SECURE_COOKIES=true.",
            )
        )
    if facts.hsts_seconds <= 0:
        findings.append(
            Finding(
                "warning",
                "https-no-hsts",
                "HSTS mati: peramban tidak dipaksa memakai HTTPS.",
                "Isi DJANGO_HSTS_SECONDS=31536000 (bawaan bila DJANGO_SECURE_COOKIES=true).",
            )
        )
    if not facts.behind_proxy and not facts.ssl_redirect:
        findings.append(
            Finding(
                "warning",
                "https-no-proxy",
                "Aplikasi tidak tahu permintaan datang lewat HTTPS (tanpa proksi, tanpa "
                "pengalihan): tautan dan Basic auth ODK memakai http.",
                "Di balik nginx (deploy/install.sh): DJANGO_BEHIND_PROXY=true. Tanpa proksi: "
                "DJANGO_SSL_REDIRECT=true.",
            )
        )
    if not base:
        findings.append(
            Finding(
                "warning",
                "base-url-missing",
                "NAIKKELAS_BASE_URL kosong: tautan di surel tidak lengkap.",
                "Isi NAIKKELAS_BASE_URL=https://<domain server>.",
            )
        )
    elif scheme != "https":
        findings.append(
            Finding(
                "warning" if _is_local(_host(base)) else "error",
                "base-url-not-https",
                f"NAIKKELAS_BASE_URL tidak memakai https ({base}); ODK Collect butuh HTTPS.",
                "Pasang sertifikat (docs/install.md) dan isi NAIKKELAS_BASE_URL=https://….",
            )
        )
    if base and scheme == "https":
        origin = f"https://{urlsplit(base).netloc.lower()}"
        if origin not in {o.rstrip("/").lower() for o in facts.csrf_trusted_origins}:
            findings.append(
                Finding(
                    "warning",
                    "csrf-origin-missing",
                    f"{origin} tidak ada di DJANGO_CSRF_TRUSTED_ORIGINS.",
                    f"Isi DJANGO_CSRF_TRUSTED_ORIGINS={origin} (formulir gagal bila proksi "
                    "tidak meneruskan X-Forwarded-Proto).",
                )
            )
    return findings


def _database(facts: Facts) -> list[Finding]:
    if facts.database_error:
        return [
            Finding(
                "error",
                "database-unreachable",
                f"Basis data tidak dapat dibuka: {facts.database_error}",
                "Periksa DATABASE_URL dan apakah PostgreSQL berjalan (systemctl status "
                "postgresql).",
            )
        ]
    findings = []
    if "sqlite" in facts.database_engine:
        findings.append(
            Finding(
                "warning",
                "database-sqlite",
                "Memakai SQLite: cukup untuk uji coba di satu laptop, bukan untuk server kantor.",
                "Pindahkan ke PostgreSQL: naikkelas migrate-to-postgres "
                "(docs/migrate-to-postgres.md).",
            )
        )
    if facts.unapplied_migrations:
        names = ", ".join(facts.unapplied_migrations[:3])
        more = " …" if len(facts.unapplied_migrations) > 3 else ""
        findings.append(
            Finding(
                "error",
                "migrations-unapplied",
                f"{len(facts.unapplied_migrations)} migrasi belum dijalankan ({names}{more}); "
                "layanan web menolak berjalan.",
                "Jalankan naikkelas migrate (membuat cadangan lebih dulu; docs/upgrade.md).",
            )
        )
    return findings


def _backups(facts: Facts) -> list[Finding]:
    where = facts.backup_dir or "(tidak diisi)"
    if not facts.backup_dir_exists:
        return [
            Finding(
                "error",
                "backup-dir-missing",
                f"Direktori cadangan tidak ada: {where}.",
                "Buat direktorinya (milik pengguna layanan) atau betulkan NAIKKELAS_BACKUP_DIR.",
            )
        ]
    findings = []
    if not facts.backup_dir_writable:
        findings.append(
            Finding(
                "error",
                "backup-dir-not-writable",
                f"Direktori cadangan tidak bisa ditulis: {where}.",
                f"chown naikkelas: {where} (cadangan dibuat oleh pengguna layanan).",
            )
        )
    if facts.backup_passphrase_problem:
        findings.append(
            Finding(
                "error",
                "backup-passphrase-unreadable",
                "Kata sandi cadangan tidak dapat dipakai: "
                f"{facts.backup_passphrase_problem.rstrip('.')}.",
                "Betulkan NAIKKELAS_BACKUP_PASSPHRASE_FILE (berkas 0600 milik naikkelas).",
            )
        )
    if not facts.backup_times:
        findings.append(
            Finding(
                "warning",
                "backup-none",
                f"Belum ada cadangan di {where}.",
                "Jalankan naikkelas backup; di server, naikkelas-backup.timer membuatnya "
                "setiap hari (systemctl list-timers naikkelas-backup.timer).",
            )
        )
    else:
        newest = max(facts.backup_times)
        age = facts.now - newest
        if age > BACKUP_STALE:
            findings.append(
                Finding(
                    "error" if age > BACKUP_VERY_STALE else "warning",
                    "backup-stale",
                    f"Cadangan terbaru berumur {age.days} hari "
                    f"({newest.astimezone(facts.now.tzinfo):%Y-%m-%d %H:%M}).",
                    "Periksa naikkelas-backup.timer dan journalctl -u naikkelas-backup.",
                )
            )
    if not facts.backup_encrypted:
        findings.append(
            Finding(
                "info",
                "backup-not-encrypted",
                "Cadangan tidak dienkripsi (berisi NIK dan nomor HP).",
                "Isi NAIKKELAS_BACKUP_PASSPHRASE_FILE sebelum menyalin cadangan ke luar server "
                "(docs/backup.md).",
            )
        )
    if facts.backup_same_disk:
        findings.append(
            Finding(
                "info",
                "backup-same-disk",
                "Cadangan ada di disk yang sama dengan data: hilang bersama bila disk rusak.",
                "Salin cadangan ke disk atau server lain setiap hari (docs/backup.md).",
            )
        )
    return findings


def _worker(facts: Facts) -> list[Finding]:
    if not facts.worker_required or facts.database_error:
        return []
    hint = (
        "Jalankan pekerja latar: systemctl enable --now naikkelas-worker (atau `naikkelas "
        "worker`); lihat journalctl -u naikkelas-worker."
    )
    if facts.worker_age_s is None:
        return [
            Finding(
                "warning",
                "worker-missing",
                "Belum ada pekerja latar yang melapor: impor, indeks cek duplikat dan tugas "
                "harian tidak berjalan.",
                hint,
            )
        ]
    if facts.worker_age_s > facts.worker_stale_s:
        minutes = int(facts.worker_age_s // 60)
        return [
            Finding(
                "warning",
                "worker-stale",
                f"Pekerja latar terakhir melapor {minutes} menit lalu: mungkin berhenti.",
                hint,
            )
        ]
    return []


def _email(facts: Facts) -> list[Finding]:
    if facts.email_backend.endswith(("console.EmailBackend", "dummy.EmailBackend")):
        return [
            Finding(
                "warning",
                "email-console",
                "Surel tidak dikirim (backend console): eskalasi kendala dan pengingat hilang.",
                "Isi NAIKKELAS_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend dan "
                "EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS.",
            )
        ]
    return []


def _data_dir(facts: Facts) -> list[Finding]:
    findings = []
    if facts.disk_free_mb is not None and facts.disk_free_mb < facts.disk_min_free_mb:
        findings.append(
            Finding(
                "error" if facts.disk_free_mb < facts.disk_min_free_mb // 4 else "warning",
                "disk-low",
                f"Sisa disk di {facts.data_dir} tinggal {facts.disk_free_mb} MB "
                f"(batas {facts.disk_min_free_mb} MB): unggahan dan cadangan bisa gagal.",
                "Kosongkan atau perbesar disk; cadangan lama dipangkas otomatis menurut "
                "NAIKKELAS_BACKUP_KEEP_*.",
            )
        )
    mode = facts.data_dir_mode
    if mode is not None and mode & 0o006:
        findings.append(
            Finding(
                "warning",
                "data-dir-open",
                f"Direktori data {facts.data_dir} bisa dibaca atau ditulis semua pengguna "
                f"(mode {mode:04o}).",
                f"chmod 711 {facts.data_dir} (nginx hanya perlu masuk ke static/).",
            )
        )
    return findings


def _time_zone(facts: Facts) -> list[Finding]:
    findings = []
    if facts.time_zone != EXPECTED_TIME_ZONE:
        findings.append(
            Finding(
                "warning",
                "time-zone-settings",
                f"Zona waktu aplikasi {facts.time_zone}, bukan WIB ({EXPECTED_TIME_ZONE}).",
                "TIME_ZONE di pengaturan Django harus Asia/Jakarta.",
            )
        )
    if facts.system_time_zone is not None and facts.system_time_zone != EXPECTED_TIME_ZONE:
        findings.append(
            Finding(
                "warning",
                "time-zone-system",
                f"Zona waktu server {facts.system_time_zone}, bukan WIB: jadwal cadangan dan "
                "log memakai jam yang berbeda dari kantor.",
                "timedatectl set-timezone Asia/Jakarta",
            )
        )
    return findings


def _django(facts: Facts) -> list[Finding]:
    findings = []
    for message in facts.django_messages:
        if message.id in DJANGO_CHECKS_COVERED:
            continue
        if message.id in DJANGO_CHECKS_INFO or message.level < 30:
            level: Level = "info"
        elif message.level < 40:
            level = "warning"
        else:
            level = "error"
        findings.append(
            Finding(level, f"django:{message.id}", _one_line(message.msg), _one_line(message.hint))
        )
    return findings


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- output ------------------------------------------------------------------------------------


def render_table(findings: list[Finding]) -> str:
    """The findings grouped by level, for a terminal; a last line counts them."""
    if not findings:
        return "Tidak ada masalah ditemukan.\n"
    lines: list[str] = []
    code_width = max(len(f.code) for f in findings)
    for level in LEVELS:
        group = [f for f in findings if f.level == level]
        if not group:
            continue
        lines.append(f"{LEVEL_TITLES[level]} ({len(group)})")
        for finding in group:
            lines.append(f"  {finding.code:<{code_width}}  {finding.message}")
            if finding.hint:
                lines.append(f"  {'':<{code_width}}  → {finding.hint}")
        lines.append("")
    lines.append(summary_line(findings))
    return "\n".join(lines) + "\n"


def summary_line(findings: list[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in LEVELS}
    return f"{counts['error']} galat, {counts['warning']} peringatan, {counts['info']} info." + (
        " Perbaiki galat sebelum dipakai." if counts["error"] else ""
    )


def render_json(findings: list[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in LEVELS}
    return json.dumps(
        {
            "ok": exit_code(findings) == 0,
            "counts": counts,
            "findings": [asdict(f) for f in findings],
        },
        ensure_ascii=False,
        indent=2,
    )
