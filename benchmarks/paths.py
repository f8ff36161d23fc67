"""Keep machine paths out of saved benchmark results: they name a checkout, not a measurement."""

from __future__ import annotations

import site
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _replacements() -> list[tuple[str, str]]:
    pairs = [(p, "<site-packages>") for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]]]
    pairs += [(sysconfig.get_paths()["stdlib"], "<stdlib>"), (str(REPO), "<repo>")]
    pairs += [(sys.prefix, "<venv>"), (tempfile.gettempdir(), "<tmp>")]
    # Longest first, so a path inside another is replaced by its own name.
    return sorted({(a, b) for a, b in pairs if a}, key=lambda ab: -len(ab[0]))


def scrub(text: str) -> str:
    """Return ``text`` with this machine's install, checkout and temp paths replaced by placeholders."""
    for path, name in _replacements():
        text = text.replace(path, name)
    return text
