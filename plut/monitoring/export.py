"""Streaming XLSX export of enterprises in the ministry's field order (memory flat in the rows).

openpyxl's write-only workbook keeps only the current row in memory and spools rows to a temporary
file; rows are read from the database in chunks (``iterator``). Identifiers are text cells
(number format ``@``) neutralised against formula injection; amounts and counts are numbers.
"""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext as _

from plut.imports.report import safe_text
from plut.monitoring.reports import MINISTRY_FIELDS, ministry_rows


def enterprises_xlsx(queryset, out: BinaryIO) -> int:
    """Write the enterprises of ``queryset`` to ``out`` as XLSX; return the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Enterprises")[:31])
    ws.append([_(label) for _k, label, _t in MINISTRY_FIELDS])
    count = 0
    text_cell = None
    for row in ministry_rows(queryset):
        cells = []
        for key, _label, kind in MINISTRY_FIELDS:
            value = row[key]
            if kind in ("id", "text"):
                text_cell = WriteOnlyCell(ws, value=safe_text(str(value or "")))
                text_cell.number_format = "@"
                cells.append(text_cell)
            else:
                cells.append(value)
        ws.append(cells)
        count += 1
    wb.save(out)
    return count
