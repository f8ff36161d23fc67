"""Checking uploaded documents before they are stored.

Rules:

* the type is sniffed from the first bytes (never from the file name or the browser's
  Content-Type); only PDF, PNG and JPEG are accepted, and an executable (ELF, PE/MZ, Mach-O, a
  ``#!`` script) is named as such in the refusal;
* the size is at most ``settings.PLUT_PROGRAMMES_MAX_UPLOAD_BYTES`` (20 MiB by default);
* a PDF must parse with pypdf, must not be encrypted (its content could not be checked), and must
  carry no active content: JavaScript (``/JS``, ``/JavaScript``), launch actions (``/Launch``),
  embedded files (``/EmbeddedFile(s)``), rich media, or form submission/import actions. Such a file
  is refused, not neutralised, so the regency sends a clean export of the document;
* the original file name is kept for display only, reduced to its last path segment.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}

# Magic numbers of executables, named in the refusal so the sender knows what went wrong.
_EXECUTABLES = (
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows (MZ/PE)"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O / Java class"),
    (b"#!", "script"),
)
# PDF dictionary keys and action types that carry active content (ISO 32000-1, 12.6.4 and 7.11.4).
_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/SubmitForm",
    "/ImportData",
}


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its bytes, sniffed MIME type, SHA-256 and display name."""

    data: bytes
    content_type: str
    sha256: str
    display_name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def max_upload_bytes() -> int:
    return int(getattr(settings, "PLUT_PROGRAMMES_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    """Raise ``ValidationError`` when ``size`` bytes exceed the upload limit (checked before reading)."""
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {"size": size, "limit": limit},
            code="document.too_large",
        )


def safe_display_name(name: str) -> str:
    """Return the last path segment of ``name`` made safe for a header (``../../etc/passwd.pdf`` → ``passwd.pdf``)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = get_valid_filename(name.strip(". ")) if name.strip(". ") else ""
    return (name or "dokumen")[:200]


def sniff(data: bytes) -> str | None:
    """Return the MIME type recognised from the first bytes, or ``None``."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def _walk_for_active_content(root) -> str | None:
    """Return the first active-content key found in the objects reachable from ``root``."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for k, v in obj.items():
                if k in _ACTIVE_KEYS:
                    return str(k)
                # An action dictionary names its type as a value: ``/S /JavaScript``.
                if k == "/S" and isinstance(v, NameObject) and v in _ACTIVE_KEYS:
                    return str(v)
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def check_pdf(data: bytes) -> None:
    """Raise ``ValidationError`` unless ``data`` is a readable, unencrypted PDF without active content."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is encrypted, so its content cannot be checked. Send it without a password."),
                code="document.encrypted",
            )
        if len(reader.pages) < 1:
            raise ValidationError(_("The PDF has no page."), code="document.pdf")
        found = _walk_for_active_content(reader.trailer)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise ValidationError(
            _("The file starts like a PDF but cannot be read as one (%(reason)s). Export it again as PDF.")
            % {"reason": str(exc)[:120] or type(exc).__name__},
            code="document.pdf",
        ) from exc
    if found:
        raise ValidationError(
            _(
                "The PDF carries active content (%(key)s: JavaScript, an embedded file or a launch action) "
                "and is refused. Print it again to a plain PDF and upload that."
            )
            % {"key": found},
            code="document.active_content",
        )


def check_upload(*, name: str, data: bytes, allowed_types: set[str] | None = None) -> CheckedFile:
    """Check an upload (see the module docstring); return a ``CheckedFile`` or raise ``ValidationError``."""
    allowed = allowed_types or {PDF}
    limit = max_upload_bytes()
    if not data:
        raise ValidationError(_("The file is empty."), code="document.empty")
    if len(data) > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": len(data), "limit": limit},
            code="document.too_large",
        )
    content_type = sniff(data)
    if content_type is None:
        kind = next((label for magic, label in _EXECUTABLES if data.startswith(magic)), None)
        if kind:
            raise ValidationError(
                _("The file is an executable program (%(kind)s), not a document, whatever its name says.")
                % {"kind": kind},
                code="document.executable",
            )
        raise ValidationError(
            _("The file's content is not a PDF, PNG or JPEG document, whatever its name says."),
            code="document.type",
        )
    if content_type not in allowed:
        raise ValidationError(
            _("This document must be one of: %(allowed)s; the file is %(type)s.")
            % {"allowed": ", ".join(sorted(allowed)), "type": content_type},
            code="document.type",
        )
    if content_type == PDF:
        check_pdf(data)
    return CheckedFile(
        data=data,
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=safe_display_name(name),
    )
