"""Test settings: the same settings, with work done inline and fast hashing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PLUT_STATIC_FROM_FINDERS", "1")

from plut.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWRhdGEta2V5LWZvci1wbHV0LXRlc3Q="]
DATA_HASH_KEY = "test-hash-key"
# WhiteNoise warns when the static root is missing; tests serve from the finders instead.
STATIC_ROOT = Path(tempfile.gettempdir()) / "plut-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
# The live server thread must not keep a connection open, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
