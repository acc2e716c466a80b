"""Navet settings: one module, driven by environment variables.

SQLite in the data directory is the default; ``DATABASE_URL`` selects PostgreSQL.
Every outside service (SMTP, later Kolada and object storage) is reached through a setting.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
SRC_DIR = BASE_DIR / "src"
if str(SRC_DIR) not in sys.path:
    sys.path.insert(0, str(SRC_DIR))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("NAVET_DATA_DIR", BASE_DIR / "data"))

DEBUG = env_bool("NAVET_DEBUG", default=False)
# The development key is only accepted while DEBUG is on; production must set its own.
SECRET_KEY = os.environ.get("NAVET_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set NAVET_SECRET_KEY (or NAVET_DEBUG=1 for local development).")
    SECRET_KEY = "navet-local-development-only"  # noqa: S105

ALLOWED_HOSTS = [
    h for h in os.environ.get("NAVET_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("NAVET_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# An expired or missing form token gets a page in the site's layout that says what to do.
CSRF_FAILURE_VIEW = "navet.core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.mfa's security key list
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",  # background tasks (TASKS below)
    "django_tasks_db",
    "navet.core",
    "navet.accounts",
    "navet.networks",
    "navet.meetings",
    "navet.evaluations",
    "navet.reports",
    "navet.indicators",
    "navet.fees",
    "navet.budget",
    "navet.hours",
    "navet.documents",
    "navet.search",
    "navet.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "navet.core.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "navet.core.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "navet.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "navet.core.middleware.AccountPagesMiddleware",
    "navet.core.middleware.AdminMFAMiddleware",
    "navet.core.middleware.SessionLifetimeMiddleware",
    "navet.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "navet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Production keeps each worker's connection for ten minutes, checked before reuse: opening a
# PostgreSQL connection per request cost 4 ms and cold catalog caches. Development opens one
# per request, so a restarted database is picked up at once.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'navet.sqlite3'}"),
        conn_max_age=int(os.environ.get("NAVET_DB_CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, each reading the user's person with the user. (Sessions
# name the backend that logged them in: sessions from before these names need a new login.)
AUTHENTICATION_BACKENDS = [
    "navet.accounts.backends.ModelBackend",
    "navet.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "networks:home"

# django-allauth: login by email, no public sign-up (people are invited by coordinators).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "navet.accounts.adapter.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Navet] "
# A person's email address is the Person's, set by the person on their profile, by an admin or
# by a coordinator; allauth's own email management page is switched off
# (navet.core.middleware.AccountPagesMiddleware answers 404 there), and no account may hold a
# second address.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
# Failed logins: one address gets 5 tries a minute and 20 an hour, so a guesser from one IP is
# slowed to a crawl; one account gets 10 tries in 5 minutes from all addresses together, so a
# spread-out attack is slowed too but the real person is never locked out for more than 5
# minutes. Counters live in the shared cache (CACHES below), not in one worker's memory.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/m/ip,20/h/ip,10/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy the client address is the last one the proxy adds to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("NAVET_TRUSTED_PROXY_COUNT", "1" if env_bool("NAVET_BEHIND_PROXY") else "0")
)

# Two-step verification (allauth.mfa): an authenticator app, a security key, recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Navet"
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers only offer security keys on https pages (and on localhost in development).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Superusers without a second factor may only set one up (AdminMFAMiddleware).
NAVET_REQUIRE_MFA_FOR_ADMINS = env_bool("NAVET_REQUIRE_MFA_FOR_ADMINS", default=not DEBUG)

# Sessions: two weeks for most people; coordinators and platform admins, who can see and change
# many people's data, are logged out after a working day (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = int(float(os.environ.get("NAVET_SESSION_DAYS", "14")) * 86400)
NAVET_COORDINATOR_SESSION_HOURS = float(os.environ.get("NAVET_COORDINATOR_SESSION_HOURS", "8"))

# The shared cache holds the login rate limits: Redis when configured, otherwise a table in the
# database (created by a migration), so every worker process counts the same attempts.
REDIS_URL = os.environ.get("NAVET_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NAVET_CACHE_KEY_PREFIX", "navet"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "navet_cache",
        }
    }

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "navet" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Archive files are served by the archive's download views (documents:file), which check who may
# see the document; nothing serves MEDIA_ROOT directly.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NAVET_MEDIA_ROOT", DATA_DIR / "media"))

# Uploaded files live in MEDIA_ROOT unless NAVET_STORAGE=s3 puts them in an S3-compatible
# bucket (django-storages). The bucket stays private: nothing is public, every URL is signed
# and lives NAVET_S3_URL_SECONDS, and it is only handed out by the download view after its
# access check (documents.downloads). Objects are stored as an opaque attachment, so even a
# URL signed without response headers never renders a file in the browser. Point
# NAVET_S3_ENDPOINT_URL at another S3-compatible service (or a local stand-in in the tests).
NAVET_STORAGE = os.environ.get("NAVET_STORAGE", "filesystem").strip().lower()
if NAVET_STORAGE not in {"filesystem", "s3"}:
    raise RuntimeError("NAVET_STORAGE must be 'filesystem' or 's3'.")
NAVET_S3_URL_SECONDS = int(os.environ.get("NAVET_S3_URL_SECONDS", "60"))
if NAVET_STORAGE == "s3":
    if not os.environ.get("NAVET_S3_BUCKET"):
        raise RuntimeError("NAVET_STORAGE=s3 needs NAVET_S3_BUCKET.")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["NAVET_S3_BUCKET"],
            "endpoint_url": os.environ.get("NAVET_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NAVET_S3_REGION") or None,
            "access_key": os.environ.get("NAVET_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("NAVET_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            "querystring_expire": NAVET_S3_URL_SECONDS,
            "file_overwrite": False,
            "object_parameters": {
                "ContentType": "application/octet-stream",
                "ContentDisposition": "attachment",
                "CacheControl": "private, no-store",
            },
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static-build"
STATICFILES_DIRS = [SRC_DIR / "navet" / "static"]

# Email: console by default; SMTP as soon as an SMTP host is configured.
DEFAULT_FROM_EMAIL = os.environ.get("NAVET_FROM_EMAIL", "Navet <noreply@navet.example>")
EMAIL_HOST = os.environ.get("NAVET_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("NAVET_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("NAVET_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("NAVET_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("NAVET_EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Public base address used in links inside emails sent outside a request.
NAVET_BASE_URL = os.environ.get("NAVET_BASE_URL", "http://127.0.0.1:8000")

# Kolada (open statistics for municipalities and regions). Point the address at a local
# stand-in to test or to run offline; the limits are Kolada's published fair-use rules.
KOLADA_BASE_URL = os.environ.get("NAVET_KOLADA_BASE_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_REQUESTS_PER_SECOND = float(os.environ.get("NAVET_KOLADA_REQUESTS_PER_SECOND", "5"))
KOLADA_TIMEOUT_SECONDS = float(os.environ.get("NAVET_KOLADA_TIMEOUT_SECONDS", "30"))
KOLADA_MAX_RETRIES = int(os.environ.get("NAVET_KOLADA_MAX_RETRIES", "4"))

# Background tasks (Django's tasks framework through the django-tasks backport): Kolada syncs,
# text extraction, outgoing email. "database" (the default) keeps the queue in the database,
# so nothing else is needed and `manage.py db_worker` carries the tasks out; "rq" keeps it in
# Redis (NAVET_REDIS_URL) for `manage.py rqworker --job-class django_tasks_rq.Job`;
# "immediate" runs each task at once in the process that queues it (no worker, for trying
# things out only: a Kolada sync then holds up the page that started it).
NAVET_TASKS_BACKEND = os.environ.get("NAVET_TASKS_BACKEND", "database").strip().lower()
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if NAVET_TASKS_BACKEND not in TASK_BACKENDS:
    raise RuntimeError(
        f"NAVET_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, "
        f"not {NAVET_TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[NAVET_TASKS_BACKEND], "QUEUES": ["default"]}}
if NAVET_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise RuntimeError("NAVET_TASKS_BACKEND=rq needs NAVET_REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # RQ stops a job after its timeout; a sync of every municipality takes minutes.
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": int(os.environ.get("NAVET_TASKS_RQ_TIMEOUT_SECONDS", "3600")),
        }
    }
# Outgoing email is sent by a task too (navet.core.mail), so no page waits for the mail
# server: by default whenever an SMTP host is set, or as NAVET_EMAIL_IN_BACKGROUND says. The
# task sends with the backend chosen above.
NAVET_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
if env_bool("NAVET_EMAIL_IN_BACKGROUND", default=bool(EMAIL_HOST)):
    EMAIL_BACKEND = "navet.core.mail.BackgroundEmailBackend"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS: off for development on http://127.0.0.1; NAVET_HTTPS=1 in production turns on the
# redirect, secure cookies and HSTS (a year, subdomains, preload: each can be set on its own).
# NAVET_BEHIND_PROXY=1 trusts the proxy's X-Forwarded-Proto header (only behind a proxy that
# sets it and strips it from clients).
NAVET_HTTPS = env_bool("NAVET_HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("NAVET_SSL_REDIRECT", default=NAVET_HTTPS)
SESSION_COOKIE_SECURE = NAVET_HTTPS
CSRF_COOKIE_SECURE = NAVET_HTTPS
SECURE_HSTS_SECONDS = int(
    os.environ.get("NAVET_HSTS_SECONDS", str(365 * 86400) if NAVET_HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NAVET_HSTS_INCLUDE_SUBDOMAINS", default=NAVET_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("NAVET_HSTS_PRELOAD", default=NAVET_HTTPS)
if env_bool("NAVET_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): only this site's own scripts, styles and images (and
# data: images, for QR codes and charts); no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# models.W040: SQLite has no covering indexes; Django creates indicators' value_ranking index
# there without its INCLUDE columns, which is what we want (PostgreSQL gets the full one).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NAVET_LOG_LEVEL", "WARNING")},
}

# Every file field refuses files over this size (bounds.check_upload_size); the request body
# limit sits just above it, so a larger upload is refused before it reaches a form.
NAVET_MAX_UPLOAD_BYTES = int(float(os.environ.get("NAVET_MAX_UPLOAD_MB", "50")) * 1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = NAVET_MAX_UPLOAD_BYTES + 1_000_000
