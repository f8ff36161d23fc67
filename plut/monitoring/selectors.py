"""Scoped reads of monitoring: dashboard figures, drill-down, series, rounds, flags.

Every figure respects the viewer's scope (``plut.accounts.scope``): office roles see the whole
province; consultants and regency officers see the regions assigned to them — a region above their
scope (the province for a regency officer) shows the sum over the parts of it they may see, never
more; entrepreneurs and ministry reviewers see no aggregate (``PermissionDenied``).
Figures come from the pre-aggregated :class:`AggregateCell` rows (one indexed read per figure),
except village views filtered by a dimension, computed from the fact table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.accounts.scope import region_paths, region_q
from plut.enterprises.selectors import enterprise_scope
from plut.monitoring.aggregates import ALL, MEASURES, _measures_annotations, median
from plut.monitoring.models import AggregateCell, Assignment, EnterprisePeriod, Flag, Round, Submission
from plut.regions.models import Level, Region

CELL_FIELDS = (*MEASURES, "sales_median_idr", "median_stale")


def viewer_scope(user) -> list[str] | None:
    """Return the region paths the user's figures are limited to (``None``: whole province).

    Raises ``PermissionDenied`` for roles that see no aggregate.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    role = Role(user.role)
    if role.is_province_wide:
        return None
    if role.is_region_scoped:
        return region_paths(user)  # from the user row (User.scope_paths): no query
    raise PermissionDenied(_("Your role does not see monitoring figures."))


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(MEASURES, 0), "sales_median_idr": None, "median_stale": False}


def _combine(cells: list[dict], *, partial: bool) -> dict[str, Any]:
    out = _empty()
    for cell in cells:
        for m in MEASURES:
            out[m] += cell[m]
    if len(cells) == 1 and not partial:
        out["sales_median_idr"] = cells[0]["sales_median_idr"]
        out["median_stale"] = cells[0]["median_stale"]
    out["growth_pct"] = (
        round((out["paired_sales_idr"] / out["paired_prev_sales_idr"] - 1) * 100, 2)
        if out["paired_prev_sales_idr"]
        else None
    )
    out["partial"] = partial
    return out


def _dims(section: str, size: str, border: str) -> dict[str, str]:
    return {"section": section or ALL, "size_class": size or ALL, "border": border or ALL}


def _visible(code: str, scope: list[str] | None) -> tuple[bool, list[str]]:
    """Return (whole region visible, codes of the scope regions inside it)."""
    if scope is None:
        return True, []
    path = code + "."
    if any(path.startswith(p) for p in scope):
        return True, []
    return False, [p[:-1] for p in scope if p.startswith(path)]


def _live(code: str, level: int, period_type: str, period_start: dt.date, dims: dict[str, str]) -> dict:
    column = {1: None, 2: "regency_code", 3: "district_code", 4: "village_code"}[level]
    q = Q(period_type=period_type, period_start=period_start)
    if column:
        q &= Q(**{column: code})
    if dims["section"] != ALL:
        q &= Q(section=dims["section"])
    if dims["size_class"] != ALL:
        q &= Q(size_class=dims["size_class"])
    if dims["border"] != ALL:
        q &= Q(is_border=dims["border"] == "1")
    facts = EnterprisePeriod.objects.filter(q)
    row = facts.aggregate(**_measures_annotations())
    cell = {
        **{m: row.get(m, 0) for m in MEASURES if m in row},
        "sales_idr": row["sales_idr_sum"],
        "workers": row["workers_sum"],
        "capital_idr": row["capital_idr_sum"],
        "moved_up": row["moved_up_n"],
        **{c: row[f"{c}_n"] for c in ("gained_nib", "gained_pirt", "gained_halal", "gained_trademark")},
        "sales_median_idr": median(
            list(facts.filter(sales_idr__isnull=False).values_list("sales_idr", flat=True))
        ),
        "median_stale": False,
    }
    return cell


def region_figures(
    *,
    user,
    region_code: str,
    period_type: str,
    period_start: dt.date,
    section: str = ALL,
    size: str = ALL,
    border: str = ALL,
) -> dict[str, Any] | None:
    """Return the figures of one region and period within ``user``'s scope; ``None`` if outside.

    Keys: the :data:`MEASURES` (counts, sums in rupiah), ``sales_median_idr`` (``None`` when the
    figure covers several scope regions), ``growth_pct``, ``partial`` (True when only part of the
    region is in scope).
    """
    scope = viewer_scope(user)
    dims = _dims(section, size, border)
    whole, inside = _visible(region_code, scope)
    level = region_code.count(".") + 1
    if whole:
        if level == Level.VILLAGE and dims != _dims(ALL, ALL, ALL):
            return _combine([_live(region_code, level, period_type, period_start, dims)], partial=False)
        cells = list(
            AggregateCell.objects.filter(
                region_code=region_code, period_type=period_type, period_start=period_start, **dims
            ).values(*CELL_FIELDS)
        )
        return _combine(cells, partial=False)
    if not inside:
        return None
    cells = list(
        AggregateCell.objects.filter(
            region_code__in=inside, period_type=period_type, period_start=period_start, **dims
        ).values(*CELL_FIELDS)
    )
    return _combine(cells, partial=True)


def region_children_figures(
    *, user, region_code: str, period_type: str, period_start: dt.date, section=ALL, size=ALL, border=ALL
) -> list[dict[str, Any]]:
    """Return ``[{"code", "name", "figures" (None outside scope)}]`` for the region's children."""
    scope = viewer_scope(user)
    dims = _dims(section, size, border)
    children = list(Region.objects.filter(parent__code=region_code, retired_in__isnull=True).order_by("code"))
    if not children:
        return []
    level = children[0].level
    if level == Level.VILLAGE and dims != _dims(ALL, ALL, ALL):
        cells = {}
        for child in children:
            if _visible(child.code, scope)[0]:
                cells[child.code] = _live(child.code, level, period_type, period_start, dims)
    else:
        cells = {
            c["region_code"]: c
            for c in AggregateCell.objects.filter(
                region_code__in=[c.code for c in children],
                period_type=period_type,
                period_start=period_start,
                **dims,
            ).values("region_code", *CELL_FIELDS)
        }
    rows = []
    for child in children:
        whole, inside = _visible(child.code, scope)
        if whole:
            figures = _combine([cells[child.code]] if child.code in cells else [], partial=False)
        elif inside:
            figures = region_figures(
                user=user,
                region_code=child.code,
                period_type=period_type,
                period_start=period_start,
                **{"section": dims["section"], "size": dims["size_class"], "border": dims["border"]},
            )
        else:
            figures = None
        rows.append({"code": child.code, "name": child.name, "level": child.level, "figures": figures})
    return rows


def region_series(
    *, user, region_code: str, period_type: str, section=ALL, size=ALL, border=ALL
) -> list[dict[str, Any]]:
    """Return ``[{"period_start", "figures"}]`` over every period with data, oldest first."""
    scope = viewer_scope(user)
    dims = _dims(section, size, border)
    whole, inside = _visible(region_code, scope)
    codes = [region_code] if whole else inside
    if not codes:
        return []
    by_period: dict[dt.date, list[dict]] = {}
    for cell in (
        AggregateCell.objects.filter(region_code__in=codes, period_type=period_type, **dims)
        .order_by("period_start")
        .values("period_start", *CELL_FIELDS)
    ):
        by_period.setdefault(cell["period_start"], []).append(cell)
    return [
        {"period_start": p, "figures": _combine(c, partial=not whole)} for p, c in sorted(by_period.items())
    ]


def latest_period(period_type: str) -> dt.date | None:
    """Return the latest period with aggregate data."""
    return (
        AggregateCell.objects.filter(period_type=period_type, level=1)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )


def region_for_user(*, user, code: str) -> Region:
    """Return the region ``code`` if the user sees any of it; ``Http404`` otherwise."""
    region = Region.objects.filter(code=code, retired_in__isnull=True).select_related("parent").first()
    if region is None:
        raise Http404
    scope = viewer_scope(user)
    whole, inside = _visible(code, scope)
    if not whole and not inside:
        raise Http404
    return region


def drill_enterprises(*, user, region: Region, section=ALL, size=ALL, border=ALL) -> QuerySet:
    """Return the enterprises of ``region`` in ``user``'s scope, filtered by the dashboard's dimensions."""
    qs = enterprise_scope(user).filter(region_path__startswith=region.path)
    if section not in ("", ALL):
        qs = qs.filter(kbli_section="" if section == "-" else section)
    if size not in ("", ALL):
        qs = qs.filter(size_class="" if size == "-" else size)
    if border in ("0", "1"):
        qs = qs.filter(is_border=border == "1")
    return qs.select_related("region").order_by("name", "id")


# --- rounds and flags ---------------------------------------------------------------------------


def round_list(*, user) -> QuerySet[Round]:
    """Return every round (rounds are province-wide; their assignments are scoped)."""
    return Round.objects.select_related("version__dataset").order_by("-period_start", "name")


def round_assignments(*, user, rnd: Round) -> QuerySet[Assignment]:
    """Return the round's assignments in ``user``'s scope (entrepreneurs: their own enterprises)."""
    qs = rnd.assignments.filter(region_q(user, owner_user_field="enterprise__owner__user"))
    return qs.select_related("enterprise", "enterprise__region", "submission").order_by(
        "region_path", "enterprise__name"
    )


def round_progress(*, user, rnd: Round, by: str) -> list[dict[str, Any]]:
    """Return completeness and timeliness per ``by`` (``regency``, ``district`` or ``reporter``).

    Completeness = submitted / assigned; timeliness = submitted by the due date / assigned (both
    percent, one decimal). ``reporter`` rows count the submissions each reporter made (assigned =
    submitted, since an assignment has no reporter until it is reported).
    """
    qs = round_assignments(user=user, rnd=rnd)
    due_end = dt.datetime.combine(rnd.due_on + dt.timedelta(days=1), dt.time.min)
    from django.utils import timezone

    due_end = timezone.make_aware(due_end)
    if by == "reporter":
        rows = (
            Submission.objects.filter(assignment__in=qs)
            .values("reporter__username")
            .annotate(
                assigned=Count("id"),
                submitted=Count("id"),
                on_time=Count("id", filter=Q(submitted_at__lt=due_end)),
            )
            .order_by("reporter__username")
        )
        key = "reporter__username"
    else:
        key = {"regency": "regency_code", "district": "district_code"}[by]
        rows = (
            qs.values(key)
            .annotate(
                assigned=Count("id"),
                submitted=Count("submission"),
                on_time=Count("submission", filter=Q(submission__submitted_at__lt=due_end)),
            )
            .order_by(key)
        )
    names = dict(Region.objects.filter(code__in=[r[key] for r in rows if r[key]]).values_list("code", "name"))
    out = []
    for r in rows:
        assigned = r["assigned"]
        out.append(
            {
                "key": r[key] or "",
                "name": names.get(r[key], r[key] or ""),
                "assigned": assigned,
                "submitted": r["submitted"],
                "on_time": r["on_time"],
                "completeness_pct": round(100 * r["submitted"] / assigned, 1) if assigned else None,
                "timeliness_pct": round(100 * r["on_time"] / assigned, 1) if assigned else None,
            }
        )
    return out


def flag_list(*, user, status: str | None = Flag.Status.OPEN) -> QuerySet[Flag]:
    """Return the follow-up list: the user's own flags; office roles see every flag in scope."""
    qs = Flag.objects.select_related(
        "rule", "reporter", "submission__assignment__enterprise", "submission__assignment__round"
    )
    role = Role(user.role)
    if role.is_province_wide:
        pass
    elif role.is_region_scoped:
        qs = qs.filter(region_q(user))
    else:
        qs = qs.filter(reporter=user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("reporter__username", "-created_at")


def flag_for_user(*, user, pk: int) -> Flag:
    """Return the flag ``pk`` if it is on the user's follow-up list (any status); ``Http404`` otherwise."""
    flag = flag_list(user=user, status=None).filter(pk=pk).first()
    if flag is None:
        raise Http404
    return flag


def assignment_for_user(*, user, rnd: Round, enterprise_id: int) -> Assignment:
    a = round_assignments(user=user, rnd=rnd).filter(enterprise_id=enterprise_id).first()
    if a is None:
        raise Http404
    return a
