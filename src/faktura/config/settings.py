"""Django settings, read from the environment so one build runs anywhere.

Everything an operator sets is an environment variable (``DATABASE_URL`` and
``FAKTURA_*``), documented in the README. Defaults give a working embedded
instance on SQLite under ``./var``; production points ``DATABASE_URL`` at
PostgreSQL and sets a secret key.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

from faktura.config.env import env_bool, env_list, persistent_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FAKTURA_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("FAKTURA_DEBUG", default=False)
SECRET_KEY = os.environ.get("FAKTURA_SECRET_KEY") or persistent_secret_key(DATA_DIR / "secret_key")

ALLOWED_HOSTS = env_list("FAKTURA_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("FAKTURA_CSRF_TRUSTED_ORIGINS", default=[])
FAKTURA_BASE_URL = os.environ.get("FAKTURA_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "faktura.apps.accounts",
    "faktura.apps.audit",
    "faktura.apps.sales",
    "faktura.apps.invoicing",
    "faktura.apps.payments",
    "faktura.apps.integrations",
    "faktura.apps.automation",
    "faktura.apps.layouts",
    "faktura.apps.delivery",
    "faktura.apps.portal",
    "faktura.apps.exports",
    "faktura.web",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "faktura.config.urls"
WSGI_APPLICATION = "faktura.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "faktura.web.context_processors.seller",
                "faktura.web.navigation.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'faktura.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run while one writer commits; IMMEDIATE takes the
        # write lock at BEGIN, so two writers queue on the busy timeout instead
        # of failing with "database is locked" when both try to upgrade.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "timeout": float(os.environ.get("FAKTURA_SQLITE_TIMEOUT", "30")),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests that start real worker processes need a file, not :memory:;
        # one per test run, so parallel runs never share (and corrupt) it.
        test_name = Path(tempfile.gettempdir()) / f"faktura-test-{os.getpid()}.sqlite3"
        config["TEST"] = {"NAME": os.environ.get("FAKTURA_TEST_SQLITE", str(test_name))}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Every language documents are printed in; the buyer portal speaks them all.
LANGUAGES = [
    ("en", "English"),
    ("ro", "Română"),
    ("sk", "Slovenčina"),
    ("hu", "Magyar"),
    ("cs", "Čeština"),
    ("de", "Deutsch"),
    ("pl", "Polski"),
]
# The seller web app is translated into these (issue 7).
FAKTURA_WEB_LANGUAGES = ["en", "ro", "sk", "hu"]
LOGIN_URL = "web:sign-in"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve app static files straight from their packages too, so a fresh
# instance works before (or without) collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("FAKTURA_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Bulk downloads and exports (F7.4): up to this many documents stream in the request, more run as a job
# whose file is kept this many hours, then deleted.
FAKTURA_EXPORT_DIRECT_LIMIT = int(os.environ.get("FAKTURA_EXPORT_DIRECT_LIMIT", "200"))
FAKTURA_EXPORT_RETENTION_HOURS = float(os.environ.get("FAKTURA_EXPORT_RETENTION_HOURS", "24"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FAKTURA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Outbound webhooks go to public addresses only; these networks (CIDRs) are allowed besides.
FAKTURA_WEBHOOK_ALLOWED_NETWORKS = env_list(
    "FAKTURA_WEBHOOK_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else []
)

# Email to buyers (F6). SMTP by default; FAKTURA_EMAIL_BACKEND names another Django email backend
# (django-anymail's for a provider's API). See docs/operators.md, "Email to buyers".
EMAIL_BACKEND = os.environ.get("FAKTURA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("FAKTURA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FAKTURA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FAKTURA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FAKTURA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FAKTURA_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("FAKTURA_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = float(os.environ.get("FAKTURA_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("FAKTURA_EMAIL_FROM", "faktura@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
FAKTURA_EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("FAKTURA_EMAIL_MESSAGE_ID_DOMAIN", "")
# Seconds before each retry of a temporary failure; after the last the message fails (about a day in all).
FAKTURA_EMAIL_RETRY_DELAYS = [
    int(s)
    for s in env_list("FAKTURA_EMAIL_RETRY_DELAYS", default=["60", "300", "900", "3600", "10800", "21600", "43200"])
]
# A worker that has not finished an attempt this many seconds after claiming it is taken for dead: it is sent again.
FAKTURA_EMAIL_SEND_LEASE = float(os.environ.get("FAKTURA_EMAIL_SEND_LEASE", "300"))
# How long the signed document link in an email opens.
FAKTURA_DOCUMENT_LINK_DAYS = int(os.environ.get("FAKTURA_DOCUMENT_LINK_DAYS", "90"))

# The buyer portal (/my/, docs/operators.md "Buyer portal"). On a marketplace instance (the default) a buyer sees
# the documents of every seller they bought from; off, a session sees the one seller whose link it came from.
FAKTURA_PORTAL_ALL_SELLERS = env_bool("FAKTURA_PORTAL_ALL_SELLERS", default=True)
# Minutes a sign-in link opens; days a buyer's session lasts.
FAKTURA_PORTAL_LINK_MINUTES = int(os.environ.get("FAKTURA_PORTAL_LINK_MINUTES", "15"))
FAKTURA_PORTAL_SESSION_DAYS = int(os.environ.get("FAKTURA_PORTAL_SESSION_DAYS", "7"))
# Sign-in link requests allowed per email address and per client address within the window (seconds).
FAKTURA_PORTAL_LIMIT_PER_EMAIL = int(os.environ.get("FAKTURA_PORTAL_LIMIT_PER_EMAIL", "5"))
FAKTURA_PORTAL_LIMIT_PER_IP = int(os.environ.get("FAKTURA_PORTAL_LIMIT_PER_IP", "30"))
FAKTURA_PORTAL_LIMIT_WINDOW = int(os.environ.get("FAKTURA_PORTAL_LIMIT_WINDOW", "3600"))
# The request header holding the client's address when a proxy in front sets it (e.g. "X-Real-IP"); empty: the
# connection's address. Only set it when every request passes through that proxy, or clients choose their address.
FAKTURA_PORTAL_CLIENT_IP_HEADER = os.environ.get("FAKTURA_PORTAL_CLIENT_IP_HEADER", "")

# How long a stored Idempotency-Key response is replayed; `faktura prune_idempotency_keys` deletes older keys.
FAKTURA_IDEMPOTENCY_RETENTION_DAYS = int(os.environ.get("FAKTURA_IDEMPOTENCY_RETENTION_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAKTURA_LOG_LEVEL", "INFO")},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
