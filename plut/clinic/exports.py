"""The PLUT report as a file: an XLSX workbook (openpyxl) and a PDF (WeasyPrint)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from plut.imports.report import safe_text

# The figures of a report row, in column order, with their column titles.
COLUMNS: list[tuple[str, str]] = [
    ("assisted", gettext_noop("Enterprises assisted")),
    ("new", gettext_noop("New")),
    ("continuing", gettext_noop("Continuing")),
    ("sessions", gettext_noop("Sessions")),
    ("referrals", gettext_noop("Referrals")),
    ("referrals_succeeded", gettext_noop("Referrals succeeded")),
    ("closed", gettext_noop("Cases closed")),
    ("naik_kelas", gettext_noop("Moved up a class")),
    ("formalised", gettext_noop("Formalised")),
    ("finance_idr", gettext_noop("Finance obtained (Rp)")),
    ("growth_pct", gettext_noop("Growth in business volume (%)")),
    ("growth_cases", gettext_noop("Cases with growth figures")),
]

GROWTH_COLUMN = 2 + [key for key, _title in COLUMNS].index("growth_pct")


def column_titles() -> list[str]:
    """Return the translated column titles (in the active language)."""
    return [_(title) for _key, title in COLUMNS]


def report_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Return ``[{"group": str, "values": [...]}]`` of a ``plut_report`` result, in column order."""
    return [
        {"group": str(group), "values": [figures[key] for key, _title in COLUMNS]}
        for group, figures in result["rows"].items()
    ]


def report_xlsx(result: dict[str, Any]) -> bytes:
    """Return the report as an XLSX workbook.

    Group names (regency codes, usernames, area codes) are written as text, so "61.01" is never
    read as a number, and neutralised against formula injection; figures are numbers.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = _("PLUT report")[:31]
    bold = Font(bold=True)
    ws.append([_("PLUT report"), f"{result['start']:%Y-%m-%d} – {result['end']:%Y-%m-%d}"])
    ws["A1"].font = bold
    ws.append([_("Group"), *column_titles()])
    for cell in ws[2]:
        cell.font = bold
    for row in report_rows(result):
        ws.append([safe_text(row["group"]), *row["values"]])
        ws.cell(row=ws.max_row, column=1).number_format = "@"
        ws.cell(row=ws.max_row, column=GROWTH_COLUMN).number_format = "0.00"
    ws.column_dimensions["A"].width = 24
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_pdf(result: dict[str, Any]) -> bytes:
    """Return the report as a PDF rendered from ``clinic/report_pdf.html``."""
    from weasyprint import HTML

    html = render_to_string(
        "clinic/report_pdf.html",
        {
            "result": result,
            "titles": column_titles(),
            "rows": report_rows(result),
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()
