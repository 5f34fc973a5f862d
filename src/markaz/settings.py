"""Markaz settings: everything that differs between installations comes from the environment.

| variable | default | meaning |
| --- | --- | --- |
| MARKAZ_DATA_DIR | ./var | SQLite file, uploads, keys |
| DATABASE_URL | (unset: SQLite in the data dir) | e.g. postgres://markaz@db/markaz |
| MARKAZ_SECRET_KEY | generated into the data dir (0600) | Django's signing key |
| MARKAZ_DEBUG | off | Django debug pages; only for development and the demo |
| MARKAZ_ALLOWED_HOSTS | localhost,127.0.0.1 | comma-separated host names |
| MARKAZ_COUNTRY | TJ | country whose data (regions, phone region, law) is used |
| MARKAZ_TIME_ZONE | Asia/Dushanbe | the zone times are shown in (stored in UTC) |
| MARKAZ_INTEL_GUARD_REPORTS | 200 | reports an indicator may link before an analyst confirms it |
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from markaz.core.keys import instance_secret

BASE_DIR = Path(__file__).resolve().parent


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("MARKAZ_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("MARKAZ_SECRET_KEY") or instance_secret(DATA_DIR, "secret_key")
DEBUG = _env_flag("MARKAZ_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MARKAZ_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]

MARKAZ_COUNTRY = os.environ.get("MARKAZ_COUNTRY", "TJ").upper()
# Behind a reverse proxy, the header that carries the client address (e.g. HTTP_X_FORWARDED_FOR).
MARKAZ_TRUSTED_PROXY_HEADER = os.environ.get("MARKAZ_TRUSTED_PROXY_HEADER", "")
MARKAZ_UPLOAD_DIR = DATA_DIR / "uploads"
MARKAZ_KEY_DIR = DATA_DIR / "keys"
# Sealed evidence blobs (markaz.evidence.store) and court packages; the key is in keys/.
MARKAZ_EVIDENCE_DIR = DATA_DIR / "evidence"
# Largest single evidence upload; it streams to disk, so this is about disk, not memory.
MARKAZ_EVIDENCE_MAX_BYTES = int(os.environ.get("MARKAZ_EVIDENCE_MAX_BYTES", str(256 * 1024**3)))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "markaz.core",
    "markaz.accounts",
    "markaz.audit",
    "markaz.intake",
    "markaz.cases",
    "markaz.intel",
    "markaz.evidence",
    "markaz.flows",
    "markaz.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "markaz.web.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "markaz.web.middleware.RequestSourceMiddleware",
]

ROOT_URLCONF = "markaz.urls"
WSGI_APPLICATION = "markaz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "markaz.web.context_processors.markaz",
                "markaz.web.intel.context_processors.notifications",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "markaz.sqlite3"),
            "OPTIONS": {
                # WAL lets the inbox read while a report is being written; IMMEDIATE avoids
                # "database is locked" when two writers upgrade their locks at once.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache shared by every worker process: the rate limiter counts in it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "markaz_cache",
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "intake:inbox"
LOGOUT_REDIRECT_URL = "accounts:login"

# Languages: Tajik first and default; the centre's staff correct wording in the .po files.
LANGUAGE_CODE = "tg"
LANGUAGES = [
    ("tg", _("Tajik")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = os.environ.get("MARKAZ_TIME_ZONE", "Asia/Dushanbe")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project's own CSS, JS and vendored libraries: `markaz` is not an app, so the app
# finder alone would never find them (pages would render unstyled, without markaz.js).
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = MARKAZ_UPLOAD_DIR

# Uploads: small files stay in memory, larger ones go to a temporary file; the form
# validates counts and sizes (intake.forms) and the body of a non-file field is capped here.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and _env_flag("MARKAZ_HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Public intake limits (see intake.forms). Kept here so a centre can tune them.
MARKAZ_MAX_ATTACHMENTS = int(os.environ.get("MARKAZ_MAX_ATTACHMENTS", "5"))
MARKAZ_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("MARKAZ_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
)
MARKAZ_MAX_NARRATIVE_CHARS = 20_000
MARKAZ_SUBMISSIONS_PER_HOUR = int(os.environ.get("MARKAZ_SUBMISSIONS_PER_HOUR", "10"))
MARKAZ_STATUS_CHECKS_PER_HOUR = int(os.environ.get("MARKAZ_STATUS_CHECKS_PER_HOUR", "30"))
# An indicator named as the suspect's in more reports than this is held until an analyst
# confirms it (like MISP's correlation limit): very common values must not glue reports.
MARKAZ_INTEL_GUARD_REPORTS = int(os.environ.get("MARKAZ_INTEL_GUARD_REPORTS", "200"))

# Supervisor dashboard: an active case with no timeline entry for this many days is "idle".
MARKAZ_CASE_IDLE_DAYS = int(os.environ.get("MARKAZ_CASE_IDLE_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MARKAZ_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
