"""Validation rules of a data set version, evaluated on one entry.

A :class:`plut.monitoring.models.Rule` row names a check and its parameters; this module holds the
checks. Hard checks return a message that rejects the entry; soft checks return a message that
raises a follow-up flag (the reporter must comment).

Checks and parameters
---------------------
* ``min_value`` ``{"indicator", "min"}``: value < min rejects (workers ≥ 0).
* ``not_greater`` ``{"indicator", "other"}``: value > other value rejects (cross-border sales ≤
  total sales).
* ``date_in_period`` ``{"indicator"}`` (default: the date of the figures, ``as_of``): a date
  outside the round's period rejects.
* ``change_factor`` ``{"indicator", "factor"}``: the value is more than ``factor`` times, or less
  than 1/``factor`` of, the previous value (both > 0).
* ``drop_to_zero`` ``{"indicator"}``: previous value > 0, value = 0.
* ``class_jump`` ``{"steps"}``: the size class (PP 7/2021 art. 35, from this entry's sales or
  capital) differs from the class of the previous figures by ``steps`` classes or more.
* ``peer_outlier`` ``{"indicator", "threshold", "min_peers"}``: the modified z-score
  ``0.6745 × (x − median) / MAD`` over the peer group (other enterprises of the same KBLI section
  and size class with figures in the same period, from the fact table) exceeds ``threshold`` in
  absolute value. Threshold 3.5 after Iglewicz & Hoaglin (1993), "How to Detect and Handle
  Outliers"; fewer than ``min_peers`` (default 5) peers, or MAD = 0, raises nothing (no judgement).

"Previous value": for an indicator that lands in the registry figures, the latest
``FigureSnapshot`` dated before the period (annualised values compared with annualised values);
otherwise the value of the same indicator in the enterprise's latest earlier round of the data set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from plut.enterprises.sizeclass import SizeClass

MODIFIED_Z = 0.6745
DEFAULT_PEER_THRESHOLD = 3.5
DEFAULT_MIN_PEERS = 5


@dataclass
class Context:
    """What a check sees. Values are parsed (int for integer/money, date, bool, str)."""

    values: dict[str, Any]
    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    previous: dict[str, Any] = field(default_factory=dict)
    size_class: str = ""
    previous_size_class: str = ""
    # indicator code → peer values (same section and size class, same period) in the value's unit
    peers: dict[str, list[int]] = field(default_factory=dict)


def _fmt(rule, **extra) -> str:
    try:
        return rule.message % {**rule.params, **extra}
    except (KeyError, TypeError, ValueError):
        return rule.message


def evaluate(rule, ctx: Context) -> str | None:
    """Return the rule's message when it fires on ``ctx``, else ``None``."""
    p = rule.params or {}
    check = rule.test
    ind = p.get("indicator", "")
    value = ctx.values.get(ind)
    if check == "min_value":
        return _fmt(rule) if isinstance(value, int) and value < p.get("min", 0) else None
    if check == "not_greater":
        other = ctx.values.get(p.get("other", ""))
        return _fmt(rule) if isinstance(value, int) and isinstance(other, int) and value > other else None
    if check == "date_in_period":
        day = ctx.as_of if not ind else value
        if isinstance(day, dt.date) and not (ctx.period_start <= day <= ctx.period_end):
            return _fmt(rule)
        return None
    prev = ctx.previous.get(ind)
    if check == "change_factor":
        factor = p.get("factor", 5)
        both_positive = isinstance(value, int) and isinstance(prev, int) and value > 0 and prev > 0
        if both_positive and (value > factor * prev or prev > factor * value):
            return _fmt(rule)
        return None
    if check == "drop_to_zero":
        return _fmt(rule) if value == 0 and isinstance(prev, int) and prev > 0 else None
    if check == "class_jump":
        steps = p.get("steps", 2)
        if ctx.size_class and ctx.previous_size_class:
            moved = SizeClass(ctx.size_class).rank - SizeClass(ctx.previous_size_class).rank
            if abs(moved) >= steps:
                return _fmt(rule)
        return None
    if check == "peer_outlier":
        if not isinstance(value, int):
            return None
        z = modified_z(value, ctx.peers.get(ind, []), min_peers=p.get("min_peers", DEFAULT_MIN_PEERS))
        if z is not None and abs(z) > p.get("threshold", DEFAULT_PEER_THRESHOLD):
            return _fmt(rule)
        return None
    raise ValueError(_("Unknown rule check %(check)s.") % {"check": check})


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def modified_z(value: int, peers: list[int], *, min_peers: int = DEFAULT_MIN_PEERS) -> float | None:
    """Return ``0.6745 × (value − median) / MAD`` over ``peers``; ``None`` if too few peers or MAD = 0."""
    if len(peers) < min_peers:
        return None
    med = _median(peers)
    mad = _median([abs(v - med) for v in peers])
    if mad == 0:
        return None
    return MODIFIED_Z * (value - med) / mad
