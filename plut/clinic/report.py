"""The PLUT report: what the clinic did in a period and what changed for the enterprises it assisted.

Figures, per group (service area, consultant, regency, border vs non-border) and in total:

* ``assisted``: enterprises with a case active at some time in the period; ``new`` of them had
  their first case opened in the period, ``continuing`` the rest;
* ``sessions``: sessions held in the period; ``referrals``: referrals made in the period, and
  ``referrals_succeeded`` with their outcome recorded as a success in the period;
* ``closed``: cases closed in the period; of those, ``naik_kelas`` moved up a size class,
  ``formalised`` gained at least one of NIB, P-IRT, halal, trademark, BPOM MD;
  ``finance_idr`` KUR obtained (integer rupiah);
* requested (not yet picked up) and cancelled cases are left out;
* ``growth_pct``: the ministry's KPI, growth in business volume of assisted enterprises =
  (Σ annual sales after − Σ annual sales at baseline) / Σ at baseline × 100, over the cases closed in
  the period that have both figures (``growth_cases``), as a Decimal rounded to 0.01.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Min, Q

from plut.clinic.models import Case, Outcome, Referral, Session
from plut.clinic.selectors import case_scope

GROUPINGS = ("total", "area", "consultant", "regency", "border")


def period_bounds(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """Return the first and last day of month ``number`` (kind "month"), quarter, or the year."""
    if kind == "month":
        return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])
    if kind == "quarter":
        first = 3 * (number - 1) + 1
        return dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise ValueError(f"Unknown period kind {kind!r}.")


def _empty() -> dict[str, Any]:
    return {
        "assisted": set(),
        "new": set(),
        "sessions": 0,
        "referrals": 0,
        "referrals_succeeded": 0,
        "closed": 0,
        "naik_kelas": 0,
        "formalised": 0,
        "finance_idr": 0,
        "sales_before": 0,
        "sales_after": 0,
        "growth_cases": 0,
    }


def _keys(case: Case, grouping: str) -> list[Any]:
    if grouping == "total":
        return ["total"]
    if grouping == "area":
        return [a.code for a in case.areas.all()] or ["—"]
    if grouping == "consultant":
        return [case.consultant.username if case.consultant_id else "—"]
    if grouping == "regency":
        return [case.region_path[:5]]
    return ["border" if case.is_border else "non_border"]


def plut_report(*, user, start: dt.date, end: dt.date, grouping: str = "total") -> dict[str, dict[str, Any]]:
    """Return ``{group: figures}`` for cases in ``user``'s scope between ``start`` and ``end`` (inclusive).

    Raises ``ValueError`` for an unknown grouping.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"Unknown grouping {grouping!r}.")
    end_dt = dt.datetime.combine(end, dt.time.max)
    start_dt = dt.datetime.combine(start, dt.time.min)
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start_dt, end_dt = timezone.make_aware(start_dt, tz), timezone.make_aware(end_dt, tz)
    cases = list(
        case_scope(user)
        .filter(opened_at__lte=end_dt)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start_dt))
        .exclude(status__in=[Case.Status.REQUESTED, Case.Status.CANCELLED])
        .select_related("consultant")
        .prefetch_related("areas")
    )
    first_case = dict(
        Case.objects.filter(enterprise_id__in={c.enterprise_id for c in cases})
        .exclude(status=Case.Status.REQUESTED)
        .values_list("enterprise_id")
        .annotate(first=Min("opened_at"))
    )
    ids = [c.pk for c in cases]
    sessions = defaultdict(int)
    for case_id in Session.objects.filter(case_id__in=ids, held_on__range=(start, end)).values_list(
        "case_id", flat=True
    ):
        sessions[case_id] += 1
    referrals, succeeded = defaultdict(int), defaultdict(int)
    for r in Referral.objects.filter(case_id__in=ids).values(
        "case_id", "referred_on", "status", "outcome_on"
    ):
        if start <= r["referred_on"] <= end:
            referrals[r["case_id"]] += 1
        if r["status"] == Referral.Status.SUCCEEDED and r["outcome_on"] and start <= r["outcome_on"] <= end:
            succeeded[r["case_id"]] += 1
    outcomes = {o.case_id: o for o in Outcome.objects.filter(case_id__in=ids)}
    groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
    for case in cases:
        for key in _keys(case, grouping):
            g = groups[key]
            g["assisted"].add(case.enterprise_id)
            if start_dt <= first_case[case.enterprise_id] <= end_dt:
                g["new"].add(case.enterprise_id)
            g["sessions"] += sessions[case.pk]
            g["referrals"] += referrals[case.pk]
            g["referrals_succeeded"] += succeeded[case.pk]
            closed_in = case.closed_at is not None and start_dt <= case.closed_at <= end_dt
            out = outcomes.get(case.pk)
            if closed_in and out is not None:
                g["closed"] += 1
                g["naik_kelas"] += int(out.moved_up)
                g["formalised"] += int(bool(out.formalised))
                g["finance_idr"] += out.finance_obtained_idr
                if out.sales_before_idr and out.sales_after_idr is not None:
                    g["sales_before"] += out.sales_before_idr
                    g["sales_after"] += out.sales_after_idr
                    g["growth_cases"] += 1
    result = {}
    for key, g in sorted(groups.items(), key=lambda kv: str(kv[0])):
        growth = None
        if g["sales_before"]:
            growth = (
                Decimal(g["sales_after"] - g["sales_before"]) * 100 / Decimal(g["sales_before"])
            ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        result[key] = {
            "assisted": len(g["assisted"]),
            "new": len(g["new"]),
            "continuing": len(g["assisted"] - g["new"]),
            "sessions": g["sessions"],
            "referrals": g["referrals"],
            "referrals_succeeded": g["referrals_succeeded"],
            "closed": g["closed"],
            "naik_kelas": g["naik_kelas"],
            "formalised": g["formalised"],
            "finance_idr": g["finance_idr"],
            "growth_pct": growth,
            "growth_cases": g["growth_cases"],
        }
    if grouping == "total" and not result:
        result["total"] = {
            k: (0 if k != "growth_pct" else None)
            for k in (
                "assisted",
                "new",
                "continuing",
                "sessions",
                "referrals",
                "referrals_succeeded",
                "closed",
                "naik_kelas",
                "formalised",
                "finance_idr",
                "growth_pct",
                "growth_cases",
            )
        }
    return result
