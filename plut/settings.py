"""Settings for plut, read from the environment (twelve-factor).

Every value that differs between a laptop and a production server comes from an
environment variable; nothing else differs. See README.md, "Configuration".
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# Where the embedded database, uploaded files and collected static files live by default.
DATA_DIR = Path(os.environ.get("PLUT_DATA_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("PLUT_DEBUG", False)
# The insecure fallback keys exist only so that `make run` works on a fresh laptop;
# `plut check --deploy` and the production section of the README require real ones.
SECRET_KEY = os.environ.get("PLUT_SECRET_KEY", "insecure-dev-key-change-me-in-production")
# Fernet keys (url-safe base64, 32 bytes) that encrypt personal data at rest (UU 27/2022).
# Comma-separated: the first encrypts, all decrypt, so keys can be rotated.
DATA_ENCRYPTION_KEYS = [
    k.strip()
    for k in os.environ.get("PLUT_DATA_KEY", "ZGV2LW9ubHktZGF0YS1rZXktY2hhbmdlLW1lLTMyYiE=").split(",")
    if k.strip()
]
# Keyed hash (HMAC-SHA256) key used to find encrypted identifiers without decrypting them.
DATA_HASH_KEY = os.environ.get("PLUT_HASH_KEY", "dev-only-hash-key-change-me")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PLUT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PLUT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not a CDN
    "plut.core",
    "plut.accounts",
    "plut.regions",
    "plut.reference",
    "plut.enterprises",
    "plut.imports",
    "plut.clinic",
    "plut.border",
    "plut.programmes",
    "plut.monitoring",
    "plut.dashboard",
    "plut.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plut.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "plut.urls"
WSGI_APPLICATION = "plut.wsgi.application"
ASGI_APPLICATION = "plut.asgi.application"

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
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'plut.sqlite3'}"),
        conn_max_age=int(os.environ.get("PLUT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The embedded default must work on a fresh clone: create its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first; English through Django i18n. Malay comes with the public catalogue.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PLUT_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("PLUT_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "PLUT_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve static files straight from the app directories in development (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("PLUT_STATIC_FROM_FINDERS", False)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("PLUT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Cache: shared state across processes (import progress). A file cache on one machine; set
# PLUT_CACHE_URL=redis://127.0.0.1:6379/0 when several app servers and workers share the work.
_cache_url = os.environ.get("PLUT_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    )
}

EMAIL_BACKEND = os.environ.get("PLUT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("PLUT_DEFAULT_FROM_EMAIL", "plut@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PLUT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PLUT_LOG_LEVEL", "INFO")},
}

# Size of one page in registry lists and API lists; the API never returns more than the maximum.
PLUT_PAGE_SIZE = 50
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000
# The public address of this installation, printed on letters for their verification link.
PLUT_PUBLIC_URL = os.environ.get("PLUT_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Programme documents: the largest upload accepted (bytes), and the class that sends notifications.
PLUT_PROGRAMMES_MAX_UPLOAD_BYTES = int(os.environ.get("PLUT_PROGRAMMES_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
PLUT_PROGRAMMES_NOTIFICATION_CHANNEL = os.environ.get(
    "PLUT_PROGRAMMES_NOTIFICATION_CHANNEL", "plut.programmes.notify.EmailChannel"
)

# Programme reach (plut.monitoring.reach): functions f(*, start: date, end: date) returning a flat
# values_list of the ids of the enterprises a service touched in the period.
PLUT_REACH_SOURCES = [
    "plut.monitoring.reach.clinic_cases",
    "plut.programmes.reach.enterprises_touched",
]
