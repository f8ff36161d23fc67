"""Bulk entry of market surveys and exchange rates from a spreadsheet (CSV, XLSX, XLS, ODS).

Files are read by :func:`plut.imports.readers.open_table`; every rejected value is a
:class:`plut.imports.types.Problem` (row, column as written, value as typed, code, reason), exactly as
in the registry import. The first non-blank row is the header. Nothing is written unless every row is
valid (all or nothing) and ``commit`` is asked for; the result lists ``errors`` and ``warnings``.

Survey sheet, one row per observation (headers in Indonesian or English, any order):
``pasar`` (market name), ``tanggal`` (date), ``komoditas`` (commodity name or slug), ``merek``,
``asal`` (Indonesia/ID, Malaysia/MY, lainnya/XX), ``satuan``, ``harga``, ``mata uang`` (IDR/Rp, MYR/RM),
``ketersediaan`` (tersedia/ada, langka, tidak ada), ``mata uang transaksi`` (currency the sampled
transaction was paid in). Rows of one market and date form one survey.

Rate sheet: ``tanggal``, ``kurs`` (rupiah per ringgit), optional ``mata uang`` (default MYR), ``sumber``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from plut.border import access, services
from plut.border.models import Availability, Currency, Market, Origin
from plut.imports.mapping import normalise_header
from plut.imports.readers import open_table
from plut.imports.types import Cell, ImportFileError, Problem, Row
from plut.lib.dates import DateError, parse_date
from plut.lib.money import MoneyError, parse_rupiah
from plut.reference.models import Commodity

SURVEY_FIELDS: dict[str, tuple[str, ...]] = {
    "market": ("pasar", "market", "namapasar"),
    "date": ("tanggal", "date", "tanggalsurvei", "tgl"),
    "commodity": ("komoditas", "commodity", "barang"),
    "brand": ("merek", "merk", "brand"),
    "origin": ("asal", "origin", "negaraasal", "asalbarang"),
    "unit": ("satuan", "unit"),
    "price": ("harga", "price"),
    "currency": ("matauang", "currency", "matauangharga"),
    "availability": ("ketersediaan", "availability", "stok"),
    "paid_currency": ("matauangtransaksi", "paidcurrency", "dibayardengan", "transaksi"),
}
SURVEY_REQUIRED = ("market", "date", "commodity")
RATE_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("tanggal", "date", "tgl"),
    "rate": ("kurs", "rate", "nilaitukar", "idrpermyr", "rupiahperringgit"),
    "currency": ("matauang", "currency"),
    "source": ("sumber", "source"),
}
RATE_REQUIRED = ("date", "rate")

ORIGINS = {
    "id": Origin.INDONESIA,
    "indonesia": Origin.INDONESIA,
    "ri": Origin.INDONESIA,
    "lokal": Origin.INDONESIA,
    "my": Origin.MALAYSIA,
    "malaysia": Origin.MALAYSIA,
    "mys": Origin.MALAYSIA,
    "xx": Origin.OTHER,
    "lainnya": Origin.OTHER,
    "lain": Origin.OTHER,
    "other": Origin.OTHER,
}
CURRENCIES = {
    "idr": Currency.IDR,
    "rp": Currency.IDR,
    "rupiah": Currency.IDR,
    "myr": Currency.MYR,
    "rm": Currency.MYR,
    "ringgit": Currency.MYR,
}
AVAILABILITY = {
    "": Availability.AVAILABLE,
    "tersedia": Availability.AVAILABLE,
    "ada": Availability.AVAILABLE,
    "available": Availability.AVAILABLE,
    "langka": Availability.SCARCE,
    "sedikit": Availability.SCARCE,
    "scarce": Availability.SCARCE,
    "tidakada": Availability.UNAVAILABLE,
    "kosong": Availability.UNAVAILABLE,
    "habis": Availability.UNAVAILABLE,
    "unavailable": Availability.UNAVAILABLE,
    "notavailable": Availability.UNAVAILABLE,
}
_DECIMAL_RE = re.compile(r"^\d+(?:[.,]\d+)?$")


def _map(header: Row, fields: dict[str, tuple[str, ...]], required: tuple[str, ...], filename: str):
    index = {alias: name for name, aliases in fields.items() for alias in aliases}
    columns: dict[str, int] = {}
    headers = [c.text.strip() for c in header.cells]
    warnings = []
    for i, text in enumerate(headers):
        name = index.get(normalise_header(text))
        if name and name not in columns:
            columns[name] = i
        elif text:
            warnings.append(
                Problem(
                    header.number,
                    text,
                    text,
                    "header.unknown",
                    _("The column %(column)s is not used.") % {"column": text},
                )
            )
    missing = [f for f in required if f not in columns]
    if missing:
        raise ImportFileError(
            [
                Problem(
                    header.number,
                    f,
                    "",
                    "header.missing",
                    _("The file %(filename)s has no column %(column)s; add it to the first row.")
                    % {"filename": filename, "column": fields[f][0]},
                )
                for f in missing
            ]
        )
    return columns, headers, warnings


class _RowReader:
    def __init__(self, row: Row, columns: dict[str, int], headers: list[str]):
        self.row, self.columns, self.headers = row, columns, headers
        self.errors: list[Problem] = []

    def cell(self, name: str) -> Cell:
        i = self.columns.get(name)
        if i is None or i >= len(self.row.cells):
            return Cell("")
        return self.row.cells[i]

    def text(self, name: str) -> str:
        return self.cell(name).text.strip()

    def reject(self, name: str, code: str, reason: str, value: str | None = None) -> None:
        column = self.headers[self.columns[name]] if name in self.columns else name
        self.errors.append(
            Problem(self.row.number, column, self.text(name) if value is None else value, code, reason)
        )


def _date(reader: _RowReader) -> dt.date | None:
    cell = reader.cell("date")
    try:
        return parse_date(cell.text, kind=str(cell.kind), allow_future=False)
    except DateError as exc:
        reader.reject("date", exc.code, str(exc.message))
        return None


def _price(reader: _RowReader, currency: str) -> Decimal | None:
    cell = reader.cell("price")
    text = cell.text.strip()
    if not text:
        return None
    if currency == Currency.IDR:
        try:
            return Decimal(parse_rupiah(text, from_numeric_cell=cell.from_numeric_cell))
        except MoneyError as exc:
            reader.reject("price", exc.code, str(exc.message))
            return None
    compact = text.upper().removeprefix("RM").strip()
    if not _DECIMAL_RE.match(compact):
        reader.reject(
            "price",
            "price.format",
            _("Write a ringgit price as digits with at most one decimal separator, e.g. 4.50."),
        )
        return None
    return Decimal(compact.replace(",", "."))


def _choice(
    reader: _RowReader, name: str, table: dict[str, str], reason: str, default: str = ""
) -> str | None:
    text = reader.text(name)
    if not text:
        return default
    value = table.get(normalise_header(text))
    if value is None:
        reader.reject(name, f"{name}.unknown", reason)
    return value


def _read(source: BinaryIO, filename: str, fields, required):
    table = open_table(source, filename=filename)
    rows = iter(table.raw_rows())
    header = next(rows, None)
    if header is None:
        raise ImportFileError(
            [
                Problem(
                    None,
                    "",
                    filename,
                    "file.empty",
                    _("The file %(filename)s is empty.") % {"filename": filename},
                )
            ]
        )
    columns, headers, warnings = _map(header, fields, required, filename)
    return table, rows, columns, headers, warnings


def surveys_import(*, actor, source: BinaryIO, filename: str, commit: bool = False) -> dict[str, Any]:
    """Check (and with ``commit``, record) the surveys of a spreadsheet; return the outcome.

    Returns ``{"ok", "committed", "surveys", "observations", "errors", "warnings"}`` with problems as
    dicts. Raises :class:`ImportFileError` when the file cannot be read or lacks a required column.
    """
    access.require_view(actor)
    table, rows, columns, headers, warnings = _read(source, filename, SURVEY_FIELDS, SURVEY_REQUIRED)
    markets = {m.name.casefold(): m for m in Market.objects.all()}
    commodities = {}
    for c in Commodity.objects.filter(is_active=True):
        commodities[c.name.casefold()] = c
        commodities[c.slug] = c
    errors: list[Problem] = []
    groups: dict[tuple[int, dt.date], list[dict[str, Any]]] = defaultdict(list)
    count = 0
    for row in rows:
        count += 1
        r = _RowReader(row, columns, headers)
        market = markets.get(r.text("market").casefold())
        if market is None:
            r.reject(
                "market", "market.unknown", _("No market has this name; use a name from the list of markets.")
            )
        else:
            try:
                access.require_survey_writer(actor, market.region_path)
            except PermissionDenied as exc:
                r.reject("market", "market.scope", str(exc))
        day = _date(r)
        commodity = commodities.get(r.text("commodity").casefold())
        if commodity is None:
            r.reject(
                "commodity",
                "commodity.unknown",
                _("No commodity has this name; use a name from the commodity list."),
            )
        origin = _choice(r, "origin", ORIGINS, _("Write the origin as Indonesia, Malaysia or lainnya."))
        currency = _choice(r, "currency", CURRENCIES, _("Write the currency as IDR (Rp) or MYR (RM)."))
        paid = _choice(r, "paid_currency", CURRENCIES, _("Write the currency as IDR (Rp) or MYR (RM)."))
        availability = _choice(
            r,
            "availability",
            AVAILABILITY,
            _("Write the availability as tersedia, langka or tidak ada."),
            Availability.AVAILABLE,
        )
        price = _price(r, currency) if currency else None
        if r.errors:
            errors += r.errors
            continue
        data = {
            "commodity": commodity,
            "brand": r.text("brand"),
            "origin": origin,
            "unit": r.text("unit"),
            "price": price,
            "currency": currency,
            "availability": availability,
            "paid_currency": paid,
        }
        try:
            services.build_observation(data, day)
        except services.FieldRejected as exc:
            r.reject(exc.field, exc.code, str(exc.message))
            errors += r.errors
            continue
        groups[(market.pk, day)].append(data)
    table.close()
    result = {
        "ok": not errors,
        "committed": False,
        "rows": count,
        "surveys": len(groups),
        "observations": sum(len(v) for v in groups.values()),
        "errors": [p.as_dict() for p in errors],
        "warnings": [p.as_dict() for p in [*warnings, *table.warnings]],
    }
    if commit and not errors:
        with transaction.atomic():
            by_id = Market.objects.in_bulk({m for m, _d in groups})
            for (market_id, day), items in groups.items():
                services.survey_record(
                    actor=actor, market=by_id[market_id], surveyed_on=day, observations=items, source="import"
                )
        result["committed"] = True
    return result


def _rate_value(reader: _RowReader) -> Decimal | None:
    text = reader.text("rate").replace(" ", "")
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        reader.reject("rate", "rate.format", _("Write the rate as rupiah per ringgit, e.g. 3512,45."))
        return None
    if not value.is_finite() or value <= 0:
        reader.reject("rate", "rate.positive", _("The rate must be a positive number of rupiah."))
        return None
    return value


def rates_import(*, actor, source: BinaryIO, filename: str, commit: bool = False) -> dict[str, Any]:
    """Check (and with ``commit``, record) the dated IDR/MYR rates of a CSV or workbook; return the outcome."""
    access.require_office_admin(actor)
    table, rows, columns, headers, warnings = _read(source, filename, RATE_FIELDS, RATE_REQUIRED)
    errors: list[Problem] = []
    found: list[dict[str, Any]] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        r = _RowReader(row, columns, headers)
        day = _date(r)
        value = _rate_value(r)
        currency = _choice(r, "currency", CURRENCIES, _("Write the currency as MYR (RM)."), Currency.MYR)
        if currency == Currency.IDR:
            r.reject(
                "currency",
                "currency.idr",
                _("A rate is the rupiah value of a foreign currency; IDR has none."),
            )
        if day and currency and (currency, day) in seen:
            r.reject(
                "date",
                "rate.duplicate",
                _("This date already has a rate in row %(row)s.") % {"row": seen[(currency, day)]},
            )
        if r.errors:
            errors += r.errors
            continue
        seen[(currency, day)] = row.number
        found.append(
            {"on_date": day, "idr_per_unit": value, "currency": currency, "source": r.text("source")}
        )
    table.close()
    result = {
        "ok": not errors,
        "committed": False,
        "rates": len(found),
        "errors": [p.as_dict() for p in errors],
        "warnings": [p.as_dict() for p in [*warnings, *table.warnings]],
    }
    if commit and not errors:
        with transaction.atomic():
            for item in found:
                services.rate_record(actor=actor, **item)
        result["committed"] = True
    return result
