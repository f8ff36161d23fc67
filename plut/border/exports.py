"""XLSX exports of the border pages: indicators and the import-substitution lead list.

Identifiers (region codes, KBLI codes, NIB) are written as text (number format ``@``), and every
text cell is neutralised against formula injection with :func:`plut.imports.report.safe_text`.
Percentages and rupiah are numbers (rupiah as integers; percentages with two decimals).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from plut.imports.report import safe_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(ws, row: int, col: int, value: str) -> None:
    cell = ws.cell(row=row, column=col, value=safe_text(str(value)))
    cell.number_format = "@"


def _number(value):
    return None if value is None else float(value) if not isinstance(value, int) else value


def _head(ws, titles: list[str]) -> None:
    ws.append(titles)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def indicators_xlsx(rows: list[dict[str, Any]], *, by: str) -> bytes:
    """Return the indicator table (one row per group) and the price gaps as a workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Indicators")[:31]
    _head(
        ws,
        [
            _("Group"),
            _("Name"),
            _("Observations"),
            _("Dependency index (%)"),
            _("Weighted dependency index (%)"),
            _("Rupiah share of transactions (%)"),
            _("Availability gap (%)"),
            _("Not or scarcely available"),
        ],
    )
    for r in rows:
        ws.append(
            [
                None,
                None,
                r["observations"],
                _number(r["dependency"]["value"]),
                _number(r["weighted_dependency"]["value"]),
                _number(r["rupiah_share"]["value"]),
                _number(r["availability_gap"]["value"]),
                None,
            ]
        )
        n = ws.max_row
        _text(ws, n, 1, r["key"])
        _text(ws, n, 2, r["label"])
        _text(ws, n, 8, ", ".join(r["availability_gap"]["commodities"]))
        for col in (4, 5, 6, 7):
            ws.cell(row=n, column=col).number_format = "0.00"
    gaps = wb.create_sheet(_("Price gaps")[:31])
    _head(
        gaps,
        [
            _("Group"),
            _("Commodity"),
            _("Unit"),
            _("Malaysian (Rp)"),
            _("Indonesian (Rp)"),
            _("Price gap (%)"),
        ],
    )
    for r in rows:
        for g in r["price_gaps"]:
            gaps.append(
                [
                    None,
                    None,
                    None,
                    _number(g["my_mean_idr"]),
                    _number(g["id_mean_idr"]),
                    _number(g["gap_pct"]),
                ]
            )
            n = gaps.max_row
            _text(gaps, n, 1, r["key"])
            _text(gaps, n, 2, g["commodity"])
            _text(gaps, n, 3, g["unit"])
            gaps.cell(row=n, column=6).number_format = "0.00"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def leads_xlsx(leads: list[dict[str, Any]]) -> bytes:
    """Return the lead list: one row per (market, Malaysian-origin commodity, candidate enterprise)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Leads")[:31]
    _head(
        ws,
        [
            _("Market"),
            _("Commodity"),
            _("Rank"),
            _("Enterprise"),
            _("Region code"),
            _("NIB"),
            _("Distance (km)"),
            _("Size class"),
            _("Permits"),
            _("Matched on"),
        ],
    )
    for lead in leads:
        for rank, c in enumerate(lead["candidates"], start=1):
            ent = c["enterprise"]
            ws.append([None, None, rank, None, None, None, _number(c["distance_km"])])
            n = ws.max_row
            for col, value in (
                (1, lead["market"].name),
                (2, lead["commodity"].name),
                (4, ent.name),
                (5, ent.region.code),
                (6, ent.nib),
                (8, c["size_class"]),
                (9, ", ".join(c["permits"])),
                (10, "; ".join(c["matched_on"])),
            ):
                _text(ws, n, col, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def branding_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """Return the branding list: exporting enterprises and what each lacks (codes), with any clinic case."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Branding list")[:31]
    _head(ws, [_("Enterprise"), _("Region code"), _("NIB"), _("Lacks"), _("Clinic case")])
    for r in rows:
        ent = r["enterprise"]
        ws.append([None] * 5)
        n = ws.max_row
        for col, value in (
            (1, ent.name),
            (2, ent.region.code),
            (3, ent.nib),
            (4, ", ".join(r["missing"])),
            (5, r["case"].number if r["case"] else ""),
        ):
            _text(ws, n, col, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SURVEY_TEMPLATE_HEADERS = [
    "Pasar",
    "Tanggal",
    "Komoditas",
    "Merek",
    "Asal",
    "Satuan",
    "Harga",
    "Mata uang",
    "Ketersediaan",
    "Mata uang transaksi",
]


def survey_template_xlsx(*, markets: list[str], commodities: list[tuple[str, str]]) -> bytes:
    """Return the survey workbook enumerators fill in: the header of ``plut.border.imports``, drop-down lists
    (markets, commodities, origin, currency, availability) from a "Lists" sheet, all columns as text."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Survei"
    _head(ws, SURVEY_TEMPLATE_HEADERS)
    lists = wb.create_sheet("Daftar")
    columns = {
        "A": markets,
        "B": [name for name, _unit in commodities],
        "C": ["Indonesia", "Malaysia", "lainnya"],
        "D": ["IDR", "MYR"],
        "E": ["tersedia", "langka", "tidak ada"],
    }
    for letter, values in columns.items():
        for row, value in enumerate(values, start=1):
            lists[f"{letter}{row}"] = safe_text(value)
    for letter, target in (("A", "A"), ("B", "C"), ("C", "E"), ("D", "H"), ("E", "I"), ("D", "J")):
        n = max(len(columns[letter]), 1)
        dv = DataValidation(type="list", formula1=f"=Daftar!${letter}$1:${letter}${n}", allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"{target}2:{target}1000")
    for col in range(1, len(SURVEY_TEMPLATE_HEADERS) + 1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.column_dimensions[letter].width = 20
        if letter not in ("B", "G"):
            for row in range(2, 201):
                ws.cell(row=row, column=col).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
