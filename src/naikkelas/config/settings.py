"""Settings for naikkelas, read from the environment (django-environ).

One variable, ``DATABASE_URL``, switches between the embedded SQLite default and PostgreSQL.
Everything production-specific is environment-driven; see ``.env.example``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF

from naikkelas.config.paths import data_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DATA_DIR = data_dir()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    # A per-installation key kept in the data directory: safe defaults without set-up.
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    # Listed so django-ninja serves Swagger UI from its own static files, not a CDN (CSP).
    "ninja",
    "naikkelas.core",
    "naikkelas.regions",
    "naikkelas.accounts",
    "naikkelas.registry",
    "naikkelas.privacy",
    "naikkelas.linkage",
    "naikkelas.intake",
    "naikkelas.fieldwork",
    "naikkelas.programs",
    "naikkelas.guidance",
    "naikkelas.market",
    "naikkelas.kendala",
    "naikkelas.association",
    "naikkelas.reports",
    "naikkelas.ops",
    "django_tasks",
    "django_tasks_db",
    "naikkelas.api",
]

MIDDLEWARE = [
    # First: an id for every request's log lines, then the request metrics (their timing
    # covers every other middleware; left out unless NAIKKELAS_METRICS_ENABLED).
    "naikkelas.ops.json_logs.RequestIdMiddleware",
    "naikkelas.ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "naikkelas.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # a full disk answers 507 with a message (OpenRosa, JSON or a page), not a 500
    "naikkelas.ops.storage_full.StorageFullMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naikkelas.config.urls"
WSGI_APPLICATION = "naikkelas.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "naikkelas.core.context_processors.deployment",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'naikkelas.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Keep server connections across requests (a new PostgreSQL connection per request cost
    # ~5 ms of each ODK submission, bench/fieldwork_submissions.py); checked before reuse.
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", env.int("NAIKKELAS_DB_CONN_MAX_AGE", default=60)
    )
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids lock-upgrade deadlocks.
    # A 64 MB page cache (default 2 MB) keeps the UUID-keyed indexes in memory during imports.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Argon2id for new and changed passwords; the others only so that older hashes still verify
# (Django upgrades them to Argon2 at the next successful login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks for a lockout first; it never authenticates anyone itself.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files (product photos, consent scans) on S3-compatible storage (AWS, MinIO, Wasabi…)
# instead of MEDIA_ROOT: set the bucket and install the extra (`pip install naikkelas[s3]`).
NAIKKELAS_S3_BUCKET = env.str("NAIKKELAS_S3_BUCKET", default="")
if NAIKKELAS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NAIKKELAS_S3_BUCKET,
            "endpoint_url": env.str("NAIKKELAS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("NAIKKELAS_S3_REGION", default="") or None,
            "access_key": env.str("NAIKKELAS_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("NAIKKELAS_S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
NAIKKELAS_IMAGE_MAX_BYTES = env.int("NAIKKELAS_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
WHITENOISE_USE_FINDERS = True

# Sessions last one working day at most and end when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
# CSRF protection is on for every view (CsrfViewMiddleware); forms carry the token, no script
# reads the cookie, and Django's docs note HttpOnly on it adds nothing, so it stays default.
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. HSTS only once the site is served over HTTPS (secure cookies on).
SECURE_HSTS_SECONDS = env.int(
    "DJANGO_HSTS_SECONDS", default=31536000 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
# Behind a reverse proxy that terminates TLS and overwrites X-Forwarded-Proto and appends the
# client address to X-Forwarded-For (see docs/security.md). Never set it without such a proxy.
NAIKKELAS_BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if NAIKKELAS_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only this site's own files; no inline script or
# style anywhere, so templates use classes and SVG attributes instead of style="...".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Login throttling (django-axes): 5 failed attempts for one username from one address lock
# that pair out for 15 minutes; a successful login clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
# Logins are recorded in our own audit log (accounts.signals); no second copy of IP addresses
# and browser strings in axes' access log.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "naikkelas.accounts.signals.client_ip"
AXES_USERNAME_CALLABLE = "naikkelas.accounts.signals.attempted_username"

# The deployment's own kota/kabupaten (Kemendagri code); 36.73 = Kota Serang.
NAIKKELAS_AREA_CODE = env.str("NAIKKELAS_AREA_CODE", default="36.73")
# The estimated number of UMKM in the area: the denominator of register coverage, spread into
# the census campaign's kelurahan targets.
NAIKKELAS_UMKM_ESTIMATE = env.int("NAIKKELAS_UMKM_ESTIMATE", default=11000)
# Linkage decisions (ADR 0010): link automatically at/above, review from .. up to the link one.
NAIKKELAS_LINK_THRESHOLD = env.float("NAIKKELAS_LINK_THRESHOLD", default=0.95)
NAIKKELAS_REVIEW_THRESHOLD = env.float("NAIKKELAS_REVIEW_THRESHOLD", default=0.50)

# Logs carry no personal data: NIK-like numbers, phone numbers, e-mail addresses and device
# keys are masked in every line (ops.json_logs). NAIKKELAS_LOG_FORMAT=json writes one JSON
# object per line (also gunicorn's, under `naikkelas serve`); text keeps plain lines.
NAIKKELAS_LOG_FORMAT = env.str("NAIKKELAS_LOG_FORMAT", default="text").strip().lower()
if NAIKKELAS_LOG_FORMAT not in ("text", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NAIKKELAS_LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "naikkelas.ops.json_logs.RedactingFormatter"},
        "json": {"()": "naikkelas.ops.json_logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": NAIKKELAS_LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("NAIKKELAS_LOG_LEVEL", default="INFO")},
    # django-axes reports every login at INFO; lockouts (WARNING) are what an operator needs.
    "loggers": {"axes": {"level": env.str("NAIKKELAS_AXES_LOG_LEVEL", default="WARNING")}},
}

# Background jobs (imports): django-tasks with its database backend; run the worker with
# `naikkelas worker` (`naikkelas serve` starts one). "immediate" runs jobs inside the request.
TASKS = {
    "default": {
        "BACKEND": env.str("NAIKKELAS_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# ODK Collect sends up to 101 files per POST (the XML and 100 attachments); Django's default
# cap of 100 would refuse a full one (docs/odk-openrosa.md §1.7).
DATA_UPLOAD_MAX_NUMBER_FILES = 250
# The office's WhatsApp number, for the click-to-chat links of public pages (synthetic default,
# ADR 0005: set NAIKKELAS_OFFICE_WHATSAPP to the real one).
NAIKKELAS_OFFICE_WHATSAPP = env.str("NAIKKELAS_OFFICE_WHATSAPP", default="+6281200000000")

# Mail (kendala escalations, reminders): the console by default; SMTP in production, e.g.
# NAIKKELAS_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend plus Django's EMAIL_* vars.
EMAIL_BACKEND = env.str(
    "NAIKKELAS_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("NAIKKELAS_FROM_EMAIL", default="naikkelas@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Absolute links in e-mails (https://umkm.serangkota.go.id); relative paths when empty.
NAIKKELAS_BASE_URL = env.str("NAIKKELAS_BASE_URL", default="")

# Operations (docs/install.md, docs/upgrade.md). Backups: `naikkelas backup` writes dated,
# checksummed archives here and keeps the newest per day/week/month; a passphrase (in a file
# readable only by the service user) turns on encryption.
NAIKKELAS_BACKUP_DIR = Path(env.str("NAIKKELAS_BACKUP_DIR", default=str(DATA_DIR / "backups")))
NAIKKELAS_BACKUP_KEEP_DAILY = env.int("NAIKKELAS_BACKUP_KEEP_DAILY", default=7)
NAIKKELAS_BACKUP_KEEP_WEEKLY = env.int("NAIKKELAS_BACKUP_KEEP_WEEKLY", default=4)
NAIKKELAS_BACKUP_KEEP_MONTHLY = env.int("NAIKKELAS_BACKUP_KEEP_MONTHLY", default=12)
NAIKKELAS_BACKUP_PASSPHRASE_FILE = env.str("NAIKKELAS_BACKUP_PASSPHRASE_FILE", default="")
# Health (/healthz): the worker counts as gone when its heartbeat is older than this; the data
# directory's disk as low under this many megabytes free.
NAIKKELAS_WORKER_HEARTBEAT_SECONDS = env.int("NAIKKELAS_WORKER_HEARTBEAT_SECONDS", default=30)
NAIKKELAS_WORKER_STALE_SECONDS = env.int("NAIKKELAS_WORKER_STALE_SECONDS", default=180)
NAIKKELAS_DISK_MIN_FREE_MB = env.int("NAIKKELAS_DISK_MIN_FREE_MB", default=1024)
# Prometheus metrics at /metrics: off unless enabled; then only with the bearer token (or
# from the server itself when no token is set).
NAIKKELAS_METRICS_ENABLED = env.bool("NAIKKELAS_METRICS_ENABLED", default=False)
NAIKKELAS_METRICS_TOKEN = env.str("NAIKKELAS_METRICS_TOKEN", default="")
