"""Encryption at rest and keyed hashing of personal data (UU 27/2022 on personal data protection).

Personal data (NIK, a person's phone number, a person's home address) is stored encrypted with
Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography` package) under the keys in
``settings.DATA_ENCRYPTION_KEYS``; the first key encrypts, every key decrypts (MultiFernet), so a
key can be rotated by prepending a new one and running ``plut rotate-keys``.
Lookups ("is this NIK already registered?") use an HMAC-SHA256 of the normalised value under
``settings.DATA_HASH_KEY`` instead of decrypting every row.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PLUT_DATA_KEY is empty; personal data cannot be encrypted.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PLUT_DATA_KEY must be url-safe base64 of 32 bytes (see `plut generate-keys`)."
        ) from exc


def encrypt(value: str) -> str:
    """Encrypt a text value; return a url-safe base64 Fernet token."""
    return _fernet(tuple(settings.DATA_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a Fernet token made by :func:`encrypt`; raise ``InvalidToken`` on a wrong key."""
    return _fernet(tuple(settings.DATA_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key."""
    return _fernet(tuple(settings.DATA_ENCRYPTION_KEYS)).rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    """Return the hex HMAC-SHA256 of a normalised value under ``settings.DATA_HASH_KEY``."""
    return hmac.new(settings.DATA_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; Python code sees the plain text.

    Not searchable or sortable in SQL by design: pair it with a keyed-hash column for lookups.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):  # noqa: ARG002
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "Personal data cannot be decrypted: PLUT_DATA_KEY does not hold the key it was encrypted with."
            ) from exc

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


# Files: chunks of up to 1 MiB, each a Fernet token prefixed by its length (4 bytes, big-endian).
FILE_CHUNK = 1024 * 1024


def encrypt_file(src, dst) -> tuple[int, str]:
    """Encrypt the binary stream ``src`` into ``dst`` chunk by chunk; return (plain size, plain SHA-256).

    Memory stays bounded by one chunk whatever the file size.
    """
    f = _fernet(tuple(settings.DATA_ENCRYPTION_KEYS))
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(FILE_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        token = f.encrypt(chunk)
        dst.write(len(token).to_bytes(4, "big"))
        dst.write(token)
    return size, digest.hexdigest()


def decrypt_file(src, dst) -> None:
    """Decrypt a stream written by :func:`encrypt_file` into ``dst``; raise ``InvalidToken`` on a wrong key."""
    f = _fernet(tuple(settings.DATA_ENCRYPTION_KEYS))
    while header := src.read(4):
        token = src.read(int.from_bytes(header, "big"))
        dst.write(f.decrypt(token))
