"""Programme reach: the share of a district's enterprises touched by any service in a period.

Sources are pluggable: setting ``PLUT_REACH_SOURCES`` lists dotted paths to functions
``f(*, start: date, end: date)`` returning a flat ``values_list`` of enterprise ids (duplicates
allowed). This module provides the clinic's; ``plut.programmes.reach.enterprises_touched`` (awards,
outreach attendance) is added to the setting when that app is installed.

Share = enterprises touched (the union over every source, counted once) / enterprises registered in
the district, in percent with one decimal. A district with no enterprise has no share (``None``).
Ordering: border districts first, lowest share first (no share last), then the other districts
the same way: the evidence for "programmes that do not reach border UMKM" (MISSION.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Q
from django.utils.module_loading import import_string

from plut.enterprises.selectors import enterprise_scope
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes


def clinic_cases(*, start: dt.date, end: dt.date):
    """Enterprises with a clinic case open at any time in ``[start, end]`` (dates, inclusive)."""
    from plut.clinic.models import Case

    return (
        Case.objects.filter(opened_at__date__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
        .values_list("enterprise_id", flat=True)
    )


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]):
    return [import_string(p) for p in paths]


def sources():
    """Return the reach source functions named in ``PLUT_REACH_SOURCES``."""
    return _load(tuple(getattr(settings, "PLUT_REACH_SOURCES", ["plut.monitoring.reach.clinic_cases"])))


def touched_ids(*, start: dt.date, end: dt.date) -> set[int]:
    """Return the ids of every enterprise touched by any source in the period."""
    ids: set[int] = set()
    for source in sources():
        ids.update(source(start=start, end=end))
    return ids


def reach_by_district(*, user, start: dt.date, end: dt.date) -> list[dict]:
    """Return one row per district in ``user``'s scope, ordered as the module docstring says.

    Row: ``{"code", "name", "regency", "is_border", "enterprises", "touched", "share_pct"}``.
    """
    scope = enterprise_scope(user)
    totals = {
        r["district_code"]: r["n"]
        for r in scope.exclude(district_code="").values("district_code").annotate(n=Count("id"))
    }
    touched_rows = (
        scope.filter(pk__in=list(touched_ids(start=start, end=end)))
        .exclude(district_code="")
        .values("district_code")
        .annotate(n=Count("id"))
    )
    touched = {r["district_code"]: r["n"] for r in touched_rows}
    border = set(border_district_codes())
    districts = Region.objects.filter(
        level=Level.DISTRICT, code__in=list(totals), retired_in__isnull=True
    ).select_related("parent")
    rows = []
    for d in districts:
        n = totals.get(d.code, 0)
        t = touched.get(d.code, 0)
        rows.append(
            {
                "code": d.code,
                "name": d.name,
                "regency": d.parent.name if d.parent else "",
                "is_border": d.code in border,
                "enterprises": n,
                "touched": t,
                "share_pct": round(100 * t / n, 1) if n else None,
            }
        )
    rows.sort(key=lambda r: (not r["is_border"], r["share_pct"] is None, r["share_pct"] or 0, r["code"]))
    return rows
