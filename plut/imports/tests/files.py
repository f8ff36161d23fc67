"""Write small spreadsheets for import tests (invented people only).

Every writer takes ``rows``: a sequence of rows, each a sequence of values. ``None`` is an empty cell.

- ``write_csv`` writes text exactly as given (``None`` → empty field), in any encoding and delimiter.
- ``write_xlsx`` writes typed cells: ``int``/``float`` → numeric cell, ``bool`` → boolean cell,
  ``str`` → text cell, ``datetime``/``date`` → date cell (formatted ``DD/MM/YYYY``), a ``str`` starting
  with ``=`` → formula without a cached value, :class:`Formula` → formula with a cached value (the value
  Excel would have saved; patched into the sheet XML after openpyxl writes it, because openpyxl never
  writes cached values).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

__all__ = ["Formula", "write_csv", "write_ods", "write_xlsx"]


@dataclass(frozen=True)
class Formula:
    """A formula cell: ``formula`` as typed (``"=C2*12"``) and the ``cached`` result Excel saved."""

    formula: str
    cached: int | float | str | bool | None = None


def write_csv(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    bom: bool = False,
    line_ending: str = "\r\n",
) -> Path:
    """Write ``rows`` as delimited text; ``bom=True`` prefixes the UTF-8 byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_ending)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Data",
    text_columns: Iterable[int] = (),
    number_formats: dict[str, str] | None = None,
    merged: Iterable[str] = (),
    start_column: int = 1,
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """Write ``rows`` to the first sheet of a new workbook and return ``path``.

    ``text_columns`` are 0-based column indices formatted as text (``@``); ``number_formats`` maps a cell
    reference (``"C2"``) to its number format; ``merged`` lists ranges to merge (``"A1:B1"``);
    ``start_column`` is the 1-based column of each row's first value; ``extra_sheets`` adds sheets after it.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    text_columns = set(text_columns)
    cached: dict[str, Any] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            cell = ws.cell(row=r, column=start_column + c)
            if isinstance(value, Formula):
                cell.value = value.formula
                cached[cell.coordinate] = value.cached
            else:
                cell.value = value
            if isinstance(value, datetime | date):
                cell.number_format = "DD/MM/YYYY"
            if c in text_columns:
                cell.number_format = "@"
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    for ref in merged:
        ws.merge_cells(ref)
    for name, extra_rows in (extra_sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    wb.save(path)
    if cached:
        _patch_cached_values(path, cached)
    return path


def _patch_cached_values(path: Path, cached: dict[str, Any]) -> None:
    # openpyxl writes a formula cell as <c r="E2"><f>…</f><v /></c>; put the cached result in <v>.
    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]

    def patch(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref not in cached or cached[ref] is None:
            return match.group(0)
        value = cached[ref]
        if isinstance(value, bool):
            type_attr, text = ' t="b"', "1" if value else "0"
        elif isinstance(value, int | float):
            type_attr, text = "", repr(value) if isinstance(value, float) else str(value)
        else:
            type_attr, text = ' t="str"', escape(str(value))
        return f'<c r="{ref}"{match.group(3)}{type_attr}>{match.group(4)}<v>{text}</v></c>'

    pattern = re.compile(r'<c( r="([A-Z]+\d+)")([^>]*)>(<f>.*?</f>)<v\s*/></c>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = pattern.sub(patch, data.decode("utf-8")).encode("utf-8")
            zf.writestr(info, data)


def write_ods(path: Path, rows: Iterable[Sequence[Any]], *, sheet_name: str = "Data") -> Path:
    """Write ``rows`` as a minimal OpenDocument spreadsheet (text and float cells only)."""
    body = []
    for row in rows:
        cells = []
        for value in row:
            if value is None:
                cells.append("<table:table-cell/>")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
                )
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet_name)}">'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def column_letter(index: int) -> str:
    """Return the spreadsheet column letter of a 0-based column ``index``."""
    return get_column_letter(index + 1)
