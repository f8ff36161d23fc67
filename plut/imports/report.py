"""The error workbook returned to the regency: its own rows and columns, plus why each was rejected."""

from __future__ import annotations

import io
import json

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from plut.imports.models import ImportBatch, ImportRow

# Spreadsheet formula injection (OWASP "CSV injection"): a cell beginning with one of these is
# written with a leading apostrophe so that Excel shows it as text and never evaluates it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Return ``value`` neutralised against formula injection."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def build_error_workbook(batch: ImportBatch) -> bytes:
    """Return an XLSX of the batch's rejected rows: the file's header, the row's cells as text, the reasons.

    Every cell is written as text (number format ``@``) so identifiers keep all their digits;
    column "Baris asal" gives the row number in the sent file, "Alasan penolakan" the reasons.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Rejected rows")[:31])
    headers = _headers(batch)
    bold = Font(bold=True)
    head = []
    for text in [_("Source row"), *headers, _("Reasons for rejection")]:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in (
        ImportRow.objects.filter(batch=batch, outcome=ImportRow.Outcome.REJECTED)
        .order_by("number")
        .iterator(2000)
    ):
        cells = json.loads(row.raw) if row.raw else []
        cells += [""] * (len(headers) - len(cells))
        reasons = " ".join(
            f"[{e['column']}] {e['reason']}" if e.get("column") else e["reason"] for e in row.errors
        )
        out = [WriteOnlyCell(ws, value=row.number)]
        for text in [*cells, reasons]:
            c = WriteOnlyCell(ws, value=safe_text(str(text)))
            c.number_format = "@"
            out.append(c)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _headers(batch: ImportBatch) -> list[str]:
    # The header texts in file column order, as recorded when the header was mapped.
    stored = batch.header_map.get("_headers") if isinstance(batch.header_map, dict) else None
    if stored:
        return list(stored)
    return list(batch.header_map.values())
