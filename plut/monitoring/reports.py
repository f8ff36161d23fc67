"""Standard monitoring reports, issued as frozen snapshots.

``report_issue`` computes a report and stores its rows in :class:`Report.data`; nothing recomputes
an issued report, so a later data correction never changes it. Issuing the same report (kind,
period) again creates the next version; :func:`report_diff` lists what changed from the previous
version (row, column, old value, new value).

Kinds: the province's UMKM profile per regency; the border districts profile (with reach); the
enterprise rows of the national UMKM database in the ministry's field order (``MINISTRY_FIELDS``);
the programme reach per district. Formats: on screen, XLSX (identifiers as text, formula
prefixes neutralised), PDF with the office letterhead; Indonesian notation (Rp 1.500.000; 12,5%;
29 November 2026).
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plut.accounts.models import Role
from plut.core.services import audit_log_write
from plut.enterprises.models import Enterprise, FigureSnapshot
from plut.imports.report import safe_text
from plut.lib.dates import format_date_id
from plut.lib.money import format_rupiah
from plut.monitoring import periods, reach, selectors
from plut.monitoring.models import Report
from plut.monitoring.periods import PeriodType
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes

# Reads for reports are province-wide, whoever (or the scheduler) issues them.
SYSTEM_VIEWER = SimpleNamespace(
    role=Role.OFFICE_ANALYST.value, is_authenticated=True, is_active=True, pk=None
)

PROFILE_COLUMNS = [
    ("code", gettext_noop("Code"), "id"),
    ("name", gettext_noop("Region"), "text"),
    ("n", gettext_noop("Enterprises with figures"), "int"),
    ("sales_idr", gettext_noop("Annual sales (Rp)"), "idr"),
    ("sales_median_idr", gettext_noop("Median annual sales (Rp)"), "idr"),
    ("workers", gettext_noop("Workers"), "int"),
    ("growth_pct", gettext_noop("Sales growth (%)"), "pct"),
    ("moved_up", gettext_noop("Moved up a class"), "int"),
    ("formalised", gettext_noop("Formalised"), "int"),
]
REACH_COLUMNS = [
    ("code", gettext_noop("Code"), "id"),
    ("name", gettext_noop("District"), "text"),
    ("regency", gettext_noop("Regency/city"), "text"),
    ("is_border", gettext_noop("Border district"), "bool"),
    ("enterprises", gettext_noop("Enterprises"), "int"),
    ("touched", gettext_noop("Touched by a service"), "int"),
    ("share_pct", gettext_noop("Reach (%)"), "pct"),
]
# The national UMKM database's field order (Kementerian UMKM data collection form: identity,
# location, business, scale). Personal identifiers are masked in the report.
MINISTRY_FIELDS = [
    ("nib", gettext_noop("NIB"), "id"),
    ("nik_masked", gettext_noop("Owner NIK (masked)"), "id"),
    ("owner", gettext_noop("Owner name"), "text"),
    ("name", gettext_noop("Business name"), "text"),
    ("province_code", gettext_noop("Province code"), "id"),
    ("regency_code", gettext_noop("Regency/city code"), "id"),
    ("district_code", gettext_noop("District code"), "id"),
    ("village_code", gettext_noop("Village code"), "id"),
    ("kbli", gettext_noop("KBLI"), "id"),
    ("size_class", gettext_noop("Business scale"), "text"),
    ("sales_idr", gettext_noop("Annual sales (Rp)"), "idr"),
    ("workers", gettext_noop("Workers"), "int"),
]


def _profile_row(code: str, name: str, figures: dict | None) -> dict[str, Any]:
    f = figures or {}
    return {
        "key": code,
        "values": {
            "code": code,
            "name": name,
            **{k: f.get(k) for k, _l, _t in PROFILE_COLUMNS if k not in ("code", "name")},
        },
    }


def _columns(spec) -> list[dict[str, str]]:
    return [{"key": k, "label": label, "kind": kind} for k, label, kind in spec]


def build_province(period_type: str, start: dt.date) -> dict[str, Any]:
    rows = [
        _profile_row(r["code"], r["name"], r["figures"])
        for r in selectors.region_children_figures(
            user=SYSTEM_VIEWER, region_code="61", period_type=period_type, period_start=start
        )
    ]
    total = selectors.region_figures(
        user=SYSTEM_VIEWER, region_code="61", period_type=period_type, period_start=start
    )
    return {
        "columns": _columns(PROFILE_COLUMNS),
        "rows": rows,
        "total": _profile_row("61", "Kalimantan Barat", total),
    }


def build_border(period_type: str, start: dt.date) -> dict[str, Any]:
    end = periods.period_end(period_type, start)
    reach_rows = {r["code"]: r for r in reach.reach_by_district(user=SYSTEM_VIEWER, start=start, end=end)}
    rows = []
    for d in Region.objects.filter(code__in=border_district_codes(), level=Level.DISTRICT).order_by("code"):
        figures = selectors.region_figures(
            user=SYSTEM_VIEWER, region_code=d.code, period_type=period_type, period_start=start
        )
        row = _profile_row(d.code, d.name, figures)
        row["values"]["share_pct"] = reach_rows.get(d.code, {}).get("share_pct")
        rows.append(row)
    columns = _columns(PROFILE_COLUMNS) + [
        {"key": "share_pct", "label": gettext_noop("Reach (%)"), "kind": "pct"}
    ]
    return {"columns": columns, "rows": rows}


def build_reach(period_type: str, start: dt.date) -> dict[str, Any]:
    end = periods.period_end(period_type, start)
    rows = [
        {"key": r["code"], "values": r}
        for r in reach.reach_by_district(user=SYSTEM_VIEWER, start=start, end=end)
    ]
    return {"columns": _columns(REACH_COLUMNS), "rows": rows}


def build_ministry(period_type: str, start: dt.date) -> dict[str, Any]:
    rows = [{"key": str(r["id"]), "values": r} for r in ministry_rows(Enterprise.objects.all())]
    return {"columns": _columns(MINISTRY_FIELDS), "rows": rows}


def ministry_rows(queryset):
    """Yield the ministry database fields of every enterprise of ``queryset`` (streaming).

    Sales and workers are those of the enterprise's latest dated figures.
    """
    latest = FigureSnapshot.objects.filter(enterprise=OuterRef("pk")).order_by("-as_of", "-id")
    qs = (
        queryset.annotate(
            latest_sales=Subquery(latest.values("annual_sales_idr")[:1]),
            latest_workers=Subquery(latest.values("workers")[:1]),
        )
        .order_by("id")
        .values(
            "latest_sales",
            "latest_workers",
            "id",
            "nib",
            "owner__nik_last4",
            "owner__full_name",
            "name",
            "regency_code",
            "district_code",
            "region_path",
            "primary_kbli__code",
            "kbli_section",
            "size_class",
        )
    )
    for e in qs.iterator(chunk_size=5000):
        path = e["region_path"]
        yield {
            "id": e["id"],
            "nib": e["nib"],
            "nik_masked": ("*" * 12 + e["owner__nik_last4"]) if e["owner__nik_last4"] else "",
            "owner": e["owner__full_name"],
            "name": e["name"],
            "province_code": "61",
            "regency_code": e["regency_code"],
            "district_code": e["district_code"],
            "village_code": path[:-1] if path.count(".") == 4 else "",
            "kbli": e["primary_kbli__code"] or e["kbli_section"],
            "size_class": e["size_class"],
            "sales_idr": e["latest_sales"],
            "workers": e["latest_workers"],
        }


BUILDERS = {
    Report.Kind.PROVINCE: build_province,
    Report.Kind.BORDER: build_border,
    Report.Kind.MINISTRY: build_ministry,
    Report.Kind.REACH: build_reach,
}


def _jsonable(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def report_issue(
    *, actor, kind: str, period_type: str, period_start: dt.date, scheduled: bool = False
) -> Report:
    """Compute and freeze a report; return the new version.

    Raises ``PermissionDenied`` unless ``actor`` is an office administrator or analyst (``None``
    is the scheduler).
    """
    if actor is not None and not Role(actor.role).is_province_wide:
        raise PermissionDenied(_("Only the office issues monitoring reports."))
    start = periods.period_start(period_type, period_start)
    data = BUILDERS[Report.Kind(kind)](period_type, start)
    data["period_label"] = periods.label(period_type, start)
    data["period_key"] = periods.key(period_type, start)
    last = (
        Report.objects.select_for_update()
        .filter(kind=kind, period_type=period_type, period_start=start)
        .aggregate(m=Max("version"))["m"]
        or 0
    )
    report = Report(
        kind=kind,
        period_type=period_type,
        period_start=start,
        version=last + 1,
        data=_jsonable(data),
        issued_by=actor,
        issued_at=timezone.now(),
        scheduled=scheduled,
    )
    report.full_clean()
    report.save()
    audit_log_write(
        actor=actor, action="monitoring.report_issue", target=report, data={"version": report.version}
    )
    return report


def reports_issue_scheduled(*, period_start: dt.date) -> list[Report]:
    """Issue the four standard reports of the month starting ``period_start`` unless the scheduler
    already did (idempotent: running the monthly job twice issues nothing new)."""
    start = periods.period_start(PeriodType.MONTH, period_start)
    out = []
    for kind in Report.Kind.values:
        if Report.objects.filter(
            kind=kind, period_type=PeriodType.MONTH, period_start=start, scheduled=True
        ).exists():
            continue
        out.append(
            report_issue(
                actor=None, kind=kind, period_type=PeriodType.MONTH, period_start=start, scheduled=True
            )
        )
    return out


def report_previous(report: Report) -> Report | None:
    return (
        Report.objects.filter(
            kind=report.kind,
            period_type=report.period_type,
            period_start=report.period_start,
            version__lt=report.version,
        )
        .order_by("-version")
        .first()
    )


def report_diff(report: Report) -> list[dict[str, Any]]:
    """Return the changes from the previous version: ``[{"key", "column", "old", "new"}]`` (a row
    added or removed shows ``column = ""`` and the whole row as ``old``/``new``)."""
    prev = report_previous(report)
    if prev is None:
        return []
    old_rows = {r["key"]: r["values"] for r in prev.data.get("rows", [])}
    new_rows = {r["key"]: r["values"] for r in report.data.get("rows", [])}
    if "total" in report.data:
        old_rows["__total__"] = prev.data.get("total", {}).get("values", {})
        new_rows["__total__"] = report.data["total"]["values"]
    changes = []
    for key in sorted(set(old_rows) | set(new_rows)):
        old, new = old_rows.get(key), new_rows.get(key)
        if old is None or new is None:
            changes.append({"key": key, "column": "", "old": old, "new": new})
            continue
        for col in report.data["columns"]:
            k = col["key"]
            if old.get(k) != new.get(k):
                changes.append({"key": key, "column": col["label"], "old": old.get(k), "new": new.get(k)})
    return changes


# --- formats -----------------------------------------------------------------------------------


def format_number(value: int) -> str:
    """``1500000`` → ``"1.500.000"`` (Indonesian grouping)."""
    return f"{value:,}".replace(",", ".")


def format_cell(value: Any, kind: str) -> str:
    """Return a report value as shown on screen and in the PDF (Indonesian notation)."""
    if value is None or value == "":
        return "–"
    if kind == "idr":
        return format_rupiah(int(value))
    if kind == "int":
        return format_number(int(value))
    if kind == "pct":
        return f"{value:.1f}".replace(".", ",") + "%"
    if kind == "bool":
        return "ya" if value else "tidak"
    return str(value)


def display_rows(report: Report) -> list[list[str]]:
    cols = report.data["columns"]
    rows = [r["values"] for r in report.data["rows"]]
    if "total" in report.data:
        rows.append(report.data["total"]["values"])
    return [[format_cell(r.get(c["key"]), c["kind"]) for c in cols] for r in rows]


def report_title(report: Report) -> str:
    return f"{report.get_kind_display()} — {report.data.get('period_label', '')}"


def report_xlsx(report: Report) -> bytes:
    """Return the report as XLSX: identifier and text columns as text (``@``), formula prefixes
    neutralised, amounts and counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(report.get_kind_display())[:31])
    ws.append([report_title(report)])
    ws.append(
        [
            _("Version %(v)d, issued %(date)s")
            % {"v": report.version, "date": format_date_id(timezone.localtime(report.issued_at))}
        ]
    )
    cols = report.data["columns"]
    ws.append([_(c["label"]) for c in cols])
    rows = [r["values"] for r in report.data["rows"]]
    if "total" in report.data:
        rows.append(report.data["total"]["values"])
    for values in rows:
        out = []
        for c in cols:
            v = values.get(c["key"])
            if c["kind"] in ("id", "text"):
                cell = WriteOnlyCell(ws, value=safe_text(str(v or "")))
                cell.number_format = "@"
            elif c["kind"] == "bool":
                cell = WriteOnlyCell(ws, value="ya" if v else "tidak")
            else:
                cell = WriteOnlyCell(ws, value=v)
                if c["kind"] == "idr":
                    cell.number_format = "#,##0"
            out.append(cell)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_pdf(report: Report) -> bytes:
    """Return the report as a PDF with the office letterhead (``monitoring/report_pdf.html``)."""
    from plut.clinic.pdf import render_pdf

    return render_pdf(
        "monitoring/report_pdf.html",
        {
            "report": report,
            "title": report_title(report),
            "columns": [_(c["label"]) for c in report.data["columns"]],
            "rows": display_rows(report),
            "issued_on": format_date_id(timezone.localtime(report.issued_at)),
            "changes": report_diff(report),
        },
    )
