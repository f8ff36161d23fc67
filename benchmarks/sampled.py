"""Summarise a py-spy ``--format raw`` profile (collapsed stacks) of one import.

Percentages are of the samples taken inside the measured part (``_run_import`` in the worker),
idle samples included (``py-spy record --idle``), so time spent waiting for the database counts.
"""

from __future__ import annotations

import linecache
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
MEASURED = "_run_import"


def _parse(frame: str) -> tuple[str, str, int | None]:
    match = _FRAME.match(frame)
    if not match:
        return frame, "", None
    line = match.group("line")
    return match.group("name"), match.group("file"), int(line) if line else None


def _source(file: str, line: int | None) -> str:
    if line is None:
        return ""
    for base in (ROOT, ROOT / ".venv/lib/python3.11/site-packages"):
        text = linecache.getline(str(base / file), line).strip()
        if text:
            return text
    return ""


def summarise(raw: Path, *, top: int = 40, lines: int = 25) -> str:
    """Return a text summary: top functions by inclusive share, then the costliest plut lines."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    plut_lines: Counter[tuple[str, int]] = Counter()
    measured = 0
    for entry in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = entry.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        names = [_parse(f) for f in frames]
        try:
            start = next(i for i, (name, _f, _l) in enumerate(names) if name == MEASURED)
        except StopIteration:
            continue
        n = int(count)
        measured += n
        inner = names[start + 1 :]
        for key in {f"{name} ({file})" for name, file, _l in inner}:
            inclusive[key] += n
        if inner:
            name, file, _l = inner[-1]
            own[f"{name} ({file})"] += n
        for key in {(file, line) for _n, file, line in inner if file.startswith("plut/") and line}:
            plut_lines[key] += n
    if not measured:
        return "no samples inside the measured part\n"
    out = [f"{measured:,} samples inside the measured import (idle included)", ""]
    out.append(f"{'incl %':>7} {'self %':>7}  function (file)")
    for key, n in inclusive.most_common(top):
        out.append(f"{100 * n / measured:7.1f} {100 * own[key] / measured:7.1f}  {key}")
    out += ["", "Costliest lines of plut/ (inclusive %):"]
    for (file, line), n in plut_lines.most_common(lines):
        out.append(f"{100 * n / measured:7.1f}  {file}:{line}  {_source(file, line)[:90]}")
    out += ["", "Top self time (where the CPU or the wait actually is):"]
    for key, n in own.most_common(20):
        out.append(f"{100 * n / measured:7.1f}  {key}")
    return "\n".join(out) + "\n"
