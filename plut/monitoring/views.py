"""Monitoring pages: dashboard with drill-down and map, entry form, rounds, flags, reach, reports.

Thin: each view reads its input, calls one selector or service, and renders.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plut.accounts.models import Role
from plut.enterprises.filters import KBLI_SECTIONS
from plut.enterprises.selectors import get_enterprise_for_user
from plut.enterprises.sizeclass import SizeClass
from plut.monitoring import periods, reach, reports, selectors, services
from plut.monitoring.aggregates import ALL
from plut.monitoring.models import Flag, Report, Round, ValueType
from plut.monitoring.periods import PeriodType
from plut.regions.models import Boundary, Level, Region
from plut.regions.selectors import border_district_codes


def _filters(request: HttpRequest) -> dict:
    """Read the dashboard filters; unknown values fall back to "all"."""
    g = request.GET
    ptype = g.get("period_type", PeriodType.MONTH)
    if ptype not in PeriodType.values:
        ptype = PeriodType.MONTH
    start = None
    if g.get("period"):
        try:
            start = periods.parse(ptype, g["period"])
        except ValueError:
            start = None
    start = start or selectors.latest_period(ptype) or periods.period_start(ptype, timezone.localdate())
    section = g.get("section", ALL)
    section = section if section in dict(KBLI_SECTIONS) or section == "-" else ALL
    size = g.get("size", ALL)
    size = size if size in SizeClass.values else ALL
    border = g.get("border", ALL)
    border = border if border in ("0", "1") else ALL
    return {"period_type": ptype, "period_start": start, "section": section, "size": size, "border": border}


def _query(f: dict, **extra) -> str:
    from urllib.parse import urlencode

    params = {
        "period_type": f["period_type"],
        "period": periods.key(f["period_type"], f["period_start"]),
        "section": f["section"],
        "size": f["size"],
        "border": f["border"],
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v not in ("", ALL)})


def _breadcrumb(region: Region) -> list[Region]:
    return list(Region.objects.filter(code__in=region.ancestor_codes()).order_by("level"))


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Figures of one region and period in the viewer's scope, its children, map and chart."""
    f = _filters(request)
    region = selectors.region_for_user(user=request.user, code=request.GET.get("region", "61"))
    dims = {"section": f["section"], "size": f["size"], "border": f["border"]}
    figures = selectors.region_figures(
        user=request.user,
        region_code=region.code,
        period_type=f["period_type"],
        period_start=f["period_start"],
        **dims,
    )
    children = selectors.region_children_figures(
        user=request.user,
        region_code=region.code,
        period_type=f["period_type"],
        period_start=f["period_start"],
        **dims,
    )
    for child in children:
        child["url"] = "?" + _query(f, region=child["code"])
    enterprises = None
    if region.level == Level.VILLAGE:
        enterprises = selectors.drill_enterprises(user=request.user, region=region, **dims)[:200]
    context = {
        "region": region,
        "breadcrumb": [(r, "?" + _query(f, region=r.code)) for r in _breadcrumb(region)],
        "f": f,
        "period_key": periods.key(f["period_type"], f["period_start"]),
        "period_label": periods.label(f["period_type"], f["period_start"]),
        "figures": figures,
        "children": children,
        "enterprises": enterprises,
        "sections": KBLI_SECTIONS,
        "sizes": SizeClass.choices,
        "period_types": PeriodType.choices,
        "map": region.level in (Level.PROVINCE, Level.REGENCY),
        "query": _query(f, region=region.code),
        "base_query": _query(f),
    }
    return render(request, "monitoring/dashboard.html", context)


@require_GET
@login_required
def map_geojson(request: HttpRequest) -> JsonResponse:
    """The children of ``?region=`` with boundaries and their figures (``n``, ``sales_idr``, …)."""
    f = _filters(request)
    region = selectors.region_for_user(user=request.user, code=request.GET.get("region", "61"))
    rows = {
        r["code"]: r
        for r in selectors.region_children_figures(
            user=request.user,
            region_code=region.code,
            period_type=f["period_type"],
            period_start=f["period_start"],
            section=f["section"],
            size=f["size"],
            border=f["border"],
        )
    }
    border = border_district_codes()
    features = []
    for b in (
        Boundary.objects.filter(region__code__in=list(rows)).select_related("region").order_by("region__code")
    ):
        r = rows[b.region.code]
        fig = r["figures"]
        features.append(
            {
                "type": "Feature",
                "id": b.region.code,
                "geometry": b.geometry,
                "properties": {
                    "code": b.region.code,
                    "name": b.region.name,
                    "n": fig["n"] if fig else None,
                    "sales_idr": fig["sales_idr"] if fig else None,
                    "growth_pct": fig["growth_pct"] if fig else None,
                    "is_border": b.region.code in border
                    or any(c.startswith(b.region.code + ".") for c in border),
                    "url": "?" + _query(f, region=b.region.code),
                },
            }
        )
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def series_json(request: HttpRequest) -> JsonResponse:
    """The region's figures over every period of the chosen type (indicator charts)."""
    f = _filters(request)
    region = selectors.region_for_user(user=request.user, code=request.GET.get("region", "61"))
    series = selectors.region_series(
        user=request.user,
        region_code=region.code,
        period_type=f["period_type"],
        section=f["section"],
        size=f["size"],
        border=f["border"],
    )
    return JsonResponse(
        {
            "labels": [periods.label(f["period_type"], s["period_start"]) for s in series],
            "n": [s["figures"]["n"] for s in series],
            "sales_idr": [s["figures"]["sales_idr"] for s in series],
            "growth_pct": [s["figures"]["growth_pct"] for s in series],
        }
    )


# --- enterprise and entry -----------------------------------------------------------------------


@require_GET
@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise: its dated figures and the rounds it reports in."""
    ent = get_enterprise_for_user(user=request.user, pk=pk)
    assignments = ent_assignments(request.user, ent)
    context = {
        "enterprise": ent,
        "figures": ent.figures.order_by("-as_of", "-id")[:24],
        "assignments": assignments,
        "flags": Flag.objects.filter(submission__assignment__enterprise=ent)
        .select_related("rule")
        .order_by("-created_at")[:20],
    }
    return render(request, "monitoring/enterprise.html", context)


def ent_assignments(user, ent):
    from plut.monitoring.models import Assignment

    rows = []
    for a in (
        Assignment.objects.filter(enterprise=ent)
        .select_related("round__version__dataset")
        .order_by("-round__period_start")
    ):
        rows.append(
            {"a": a, "can_report": services.can_report(user, a), "submission": getattr(a, "submission", None)}
        )
    return rows


class EntryForm(forms.Form):
    """Built from the round's indicators: one field per indicator, plus the date of the figures."""

    def __init__(self, *args, indicators, rules, period_end, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"] = forms.DateField(
            label=_("Date of the figures"),
            initial=min(period_end, timezone.localdate()),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        for ind in indicators:
            label = f"{ind.label} ({ind.unit})" if ind.unit else ind.label
            attrs = {"inputmode": "numeric"} if ind.value_type in (ValueType.MONEY, ValueType.INTEGER) else {}
            self.fields[ind.code] = forms.CharField(
                label=label, required=False, help_text=ind.help_text, widget=forms.TextInput(attrs=attrs)
            )
        self.soft_rules = [r for r in rules if r.severity == "soft"]


@require_http_methods(["GET", "POST"])
@login_required
def entry(request: HttpRequest, round_id: int, enterprise_id: int) -> HttpResponse:
    """The entry form of one enterprise and round (mobile-friendly: one column, numeric keypads)."""
    rnd = get_object_or_404(Round.objects.select_related("version__dataset"), pk=round_id)
    a = selectors.assignment_for_user(user=request.user, rnd=rnd, enterprise_id=enterprise_id)
    if not services.can_report(request.user, a):
        raise PermissionDenied
    indicators = list(rnd.version.indicators.all())
    rules = list(rnd.version.rules.all())
    initial = {}
    sub = getattr(a, "submission", None)
    if sub is not None:
        initial = {
            v.indicator.code: (v.number if v.number is not None else v.text)
            for v in sub.values.select_related("indicator")
        }
        initial["as_of"] = sub.as_of
    form = EntryForm(
        request.POST or None, initial=initial, indicators=indicators, rules=rules, period_end=rnd.period_end
    )
    if request.method == "POST" and form.is_valid():
        values = {
            i.code: form.cleaned_data[i.code] for i in indicators if form.cleaned_data.get(i.code, "") != ""
        }
        try:
            _sub, flags = services.submission_record(
                actor=request.user, assignment=a, values=values, as_of=form.cleaned_data["as_of"]
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
        else:
            if flags:
                messages.warning(
                    request,
                    _("Saved. %(n)d value(s) flagged for follow-up: explain them.") % {"n": len(flags)},
                )
                return redirect("monitoring:flags")
            messages.success(request, _("Saved."))
            return redirect("monitoring:enterprise", pk=a.enterprise_id)
    context = {
        "form": form,
        "round": rnd,
        "assignment": a,
        "enterprise": a.enterprise,
        "period_label": periods.label(rnd.period_type, rnd.period_start),
    }
    return render(request, "monitoring/entry.html", context)


# --- rounds -------------------------------------------------------------------------------------


@require_GET
@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/rounds.html", {"rounds": selectors.round_list(user=request.user)})


class BulkForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV, XLSX, XLS, ODS)"))


@require_http_methods(["GET", "POST"])
@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: completeness and timeliness per regency, district and reporter; assignments; bulk entry."""
    rnd = get_object_or_404(Round.objects.select_related("version__dataset"), pk=pk)
    if Role(request.user.role) in (Role.MINISTRY_REVIEWER,):
        raise PermissionDenied
    result = None
    form = BulkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.bulk_entry_run(actor=request.user, rnd=rnd, file=upload, filename=upload.name)
    by = request.GET.get("by", "regency")
    by = by if by in ("regency", "district", "reporter") else "regency"
    context = {
        "round": rnd,
        "progress": selectors.round_progress(user=request.user, rnd=rnd, by=by),
        "by": by,
        "assignments": selectors.round_assignments(user=request.user, rnd=rnd)[:300],
        "form": form,
        "result": result,
        "indicators": list(rnd.version.indicators.all()),
    }
    return render(request, "monitoring/round.html", context)


# --- flags --------------------------------------------------------------------------------------


@require_GET
@login_required
def flags(request: HttpRequest) -> HttpResponse:
    """The follow-up list, grouped by reporter."""
    status = request.GET.get("status", Flag.Status.OPEN)
    status = status if status in Flag.Status.values else None
    return render(
        request,
        "monitoring/flags.html",
        {"flags": selectors.flag_list(user=request.user, status=status), "status": status},
    )


@require_POST
@login_required
def flag_explain(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_for_user(user=request.user, pk=pk)
    try:
        services.flag_explain(actor=request.user, flag=flag, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Explanation saved."))
    return redirect("monitoring:flags")


# --- reach and reports --------------------------------------------------------------------------


@require_GET
@login_required
def reach_view(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    start = f["period_start"]
    end = periods.period_end(f["period_type"], start)
    if Role(request.user.role) in (Role.ENTREPRENEUR, Role.MINISTRY_REVIEWER):
        raise PermissionDenied
    rows = reach.reach_by_district(user=request.user, start=start, end=end)
    return render(
        request,
        "monitoring/reach.html",
        {
            "rows": rows,
            "f": f,
            "period_label": periods.label(f["period_type"], start),
            "period_key": periods.key(f["period_type"], start),
            "period_types": PeriodType.choices,
        },
    )


def _report_viewer(user) -> None:
    role = Role(user.role)
    if not (role.is_province_wide or role == Role.MINISTRY_REVIEWER):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _report_viewer(request.user)
    if request.method == "POST":
        ptype = request.POST.get("period_type", PeriodType.MONTH)
        try:
            start = periods.parse(ptype, request.POST.get("period", ""))
            report = reports.report_issue(
                actor=request.user, kind=request.POST.get("kind", ""), period_type=ptype, period_start=start
            )
        except (ValueError, KeyError):
            messages.error(request, _("Choose a report and a period such as 2026-10."))
            return redirect("monitoring:reports")
        return redirect("monitoring:report", pk=report.pk)
    return render(
        request,
        "monitoring/reports.html",
        {
            "reports": Report.objects.all()[:100],
            "kinds": Report.Kind.choices,
            "period_types": PeriodType.choices,
        },
    )


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _report_viewer(request.user)
    report = get_object_or_404(Report, pk=pk)
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        response = HttpResponse(
            reports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="laporan-{report.kind}-{report.data.get("period_key", "")}-v{report.version}.xlsx"'
        )
        return response
    if fmt == "pdf":
        response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="laporan-{report.kind}-{report.data.get("period_key", "")}-v{report.version}.pdf"'
        )
        return response
    columns = report.data["columns"]
    changes = [
        {
            **c,
            "old_text": reports.format_cell(c["old"], _kind(columns, c["column"])),
            "new_text": reports.format_cell(c["new"], _kind(columns, c["column"])),
        }
        for c in reports.report_diff(report)
    ]
    from plut.lib.dates import format_date_id

    context = {
        "report": report,
        "title": reports.report_title(report),
        "columns": [_(c["label"]) for c in columns],
        "rows": reports.display_rows(report)[:500],
        "changes": changes,
        "issued_on": format_date_id(timezone.localtime(report.issued_at)),
        "previous": reports.report_previous(report),
    }
    return render(request, "monitoring/report.html", context)


def _kind(columns, label) -> str:
    for c in columns:
        if c["label"] == label:
            return c["kind"]
    return "text"


__all__ = ["dt", "reverse"]
