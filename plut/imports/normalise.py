"""Normalise one spreadsheet row into clean values, keeping what was typed and explaining every rejection.

``normalise_row(row, hmap, ctx)`` reads each mapped cell (a column index beyond the row's cells is
a blank cell), keeps ``raw[field] = cell.text`` for every mapped field, and puts the normalised
value in ``data[field]``. A blank optional cell (empty, whitespace, or a lone ``-`` as spreadsheets
use for "nothing") leaves its field out of ``data``: "not reported" is never turned into 0 or False.

``data`` by field (see the handlers below for every rule):

===================== ======================================================================
business_name,        text, spaces collapsed; required (``<field>.required``)
owner_name
nik                   16 digits (``check_nik``); when rejected, ``nik`` is absent and
                      ``nik_untrusted`` is True so the matcher never matches on it
owner_sex             ``"M"``/``"F"``: from the NIK when valid (warning
                      ``owner_sex.nik_mismatch`` when a sex column contradicts it), else
                      from the column (L/P, Laki-laki/Perempuan, Pria/Wanita, M/F)
birth_date            ``date`` from a valid NIK
nib, npwp, phone      normalised strings (``check_nib``, ``check_npwp``, ``check_phone``: E.164)
kbli                  list of 5-digit codes (several allowed, separated by , ; / or spaces)
sector, address,      text, spaces collapsed
row_ref
email                 lower-cased domain
products              list of names (split on , ; / and line breaks, duplicates dropped)
pirt                  the P-IRT number, 15-20 digits as a string (Tidak/Belum: absent; Ya
                      without a number: absent, warning ``pirt.number_missing``)
halal                 ``{"held": bool, "number": str}`` (a certificate number, or Ya/Tidak)
trademark             ``{"held": bool, "number": str, "name": str}`` (a DJKI number, a brand
                      name, or Ya/Tidak)
sells_to_malaysia     bool
cross_border_brand    ``"own"``, ``"unbranded"``, ``"repackaged"`` or ``"unknown"``
                      (``plut.enterprises.models.CrossBorderBrand``)
annual_sales,         int rupiah (``parse_rupiah``)
capital, assets
workers               int ≥ 0
established_year      int, 1900 … this year
latitude, longitude   float, inside Kalimantan Barat's bounding box
data_date             ``date`` (``parse_date``; an Excel serial when the cell was numeric)
regency, district,    ``Region`` objects as resolved; ``region`` is the lowest of them
village, region
===================== ======================================================================

Every :class:`~plut.imports.types.Problem` carries the spreadsheet row number, the header as
written, the cell text as typed, the validator's code and its message as a full sentence.

Speed: a row costs tens of microseconds. Everything that would repeat per row is done once in
:class:`NormaliseContext` (known KBLI codes, region names) or cached there (region resolutions,
KBLI cells, rupiah amounts, the per-HeaderMap plan); no row touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.imports.types import Cell, CellKind, HeaderMap, Problem, Row, RowResult
from plut.lib.dates import DateError, parse_date
from plut.lib.errors import lazy_message
from plut.lib.identifiers import (
    IdentifierError,
    check_kbli,
    check_nib,
    check_nik,
    check_npwp,
    check_phone,
    nik_birth_date,
)
from plut.lib.money import MoneyError, parse_rupiah
from plut.regions.models import Level, Region
from plut.regions.resolver import FUZZY_THRESHOLD, Resolution, resolve_region

__all__ = ["KALBAR_BBOX", "REQUIRED_FIELDS", "NormaliseContext", "normalise_row"]

REQUIRED_FIELDS = ("business_name", "owner_name")

# Kalimantan Barat's bounding box in decimal degrees (WGS84), with a small margin around the
# province boundary shipped in plut/regions/data/boundaries: latitude −3.1 … 2.1, longitude 108.0 … 114.3.
KALBAR_BBOX = {"latitude": (-3.1, 2.1), "longitude": (108.0, 114.3)}
# The coordinate names as shown in messages.
COORDINATE_NAMES = {"latitude": _("latitude"), "longitude": _("longitude")}

MAX_WORKERS = 100_000
_CACHE_LIMIT = 20_000  # entries per cache: bounded memory; common values (amounts, names) repeat early

_BLANK = Cell(text="", kind=CellKind.EMPTY)
_EMPTY = CellKind.EMPTY
_BLANK_WORDS = frozenset({"-", "--", "—", "–"})
_YES = frozenset({"ya", "y", "iya", "yes", "true", "1", "ada", "sudah", "punya", "memiliki"})
_NO = frozenset({"tidak", "t", "tdk", "no", "n", "false", "0", "tidak ada", "belum", "belum ada", "tak ada"})
_SEX = {
    "l": "M",
    "lk": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "laki": "M",
    "pria": "M",
    "m": "M",
    "male": "M",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "wanita": "F",
    "f": "F",
    "female": "F",
}
_BRAND = {
    # "Ya" answers the template's question "Dijual dengan merek sendiri?"; "Tidak" stays ambiguous
    # (unbranded or repackaged) and is refused with the list of answers.
    "ya": "own",
    "merek sendiri": "own",
    "sendiri": "own",
    "own": "own",
    "own brand": "own",
    "tanpa merek": "unbranded",
    "tidak bermerek": "unbranded",
    "tidak ada merek": "unbranded",
    "unbranded": "unbranded",
    "dikemas ulang": "repackaged",
    "merek pembeli": "repackaged",
    "merek malaysia": "repackaged",
    "repackaged": "repackaged",
    "tidak tahu": "unknown",
    "tidak diketahui": "unknown",
    "unknown": "unknown",
}

_LIST_RE = re.compile(r"\s*[,;/\n]+\s*")
_KBLI_SPLIT_RE = re.compile(r"[,;/\s]+")
_PHONE_FAST_RE = re.compile(r"^(?:\+62|0)([1-9][0-9 \-]{6,17})$", re.ASCII)
_WORKERS_RE = re.compile(
    r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:\s*(?:orang|org|jiwa|pekerja|karyawan|tk|tenaga kerja)\.?)?$",
    re.ASCII | re.IGNORECASE,
)
_NUMERIC_CELL_RE = re.compile(r"^-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$", re.ASCII)
_YEAR_RE = re.compile(r"^(\d{4})(?:\.0+)?$", re.ASCII)
_DEGREES_RE = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d+)?$", re.ASCII)
_SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$", re.ASCII)
_PERMIT_PREFIX_RE = re.compile(r"^(?:(?:spp-?irt|p-?irt|sh|no|nomor|nomer)\b[\s.:]*)+", re.IGNORECASE)
_PERMIT_NUMBER_RE = re.compile(r"^[A-Z]{0,4}[0-9][0-9A-Z./\-]{4,40}$", re.ASCII)
_TRADEMARK_NUMBER_RE = re.compile(r"^(?:IDM|DID|JID|IPT)\d{6,}$", re.ASCII)
_NON_DIGITS_RE = re.compile(r"[^0-9]", re.ASCII)
_SEPARATORS_RE = re.compile(r"[\s.\-/]+")


_msg = lazy_message


_FORMULA_CHARS = frozenset("=+-@")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _word(text: str) -> str:
    """Lower-case, spaces collapsed, trailing dots removed: for matching Ya/Tidak and similar words."""
    return " ".join(text.lower().split()).rstrip(".")


# A handler puts its value in data[field] and returns None (clean) or a list of (code, message, is_error).
Found = list[tuple[str, Any, bool]] | None
Handler = Callable[["NormaliseContext", Cell, str, dict[str, Any], str], Found]


@dataclass
class _Plan:
    """What to do with each column of one HeaderMap, computed once per import."""

    columns: dict[str, int]
    # (field, column index, header as written, handler, required, deferred)
    fields: list[tuple[str, int, str, Handler | None, bool, bool]]
    missing_required: list[str]
    region_headers: dict[str, str]
    # (regency, district, village) cell texts → (data values, problems): a file repeats its places.
    region_outcomes: dict[tuple, tuple[dict[str, Any], list]] = field(default_factory=dict)


@dataclass
class _RegionAnswer:
    region: Region | None
    code: str = ""
    message: Any = None
    is_error: bool = False


@dataclass
class NormaliseContext:
    """Everything a row needs that does not change from row to row, plus the caches.

    ``regency`` is the regency the import is for (a regency officer's own, or chosen by the office);
    rows naming another regency are rejected. ``known_kbli`` holds the 5-digit KBLI 2020 codes (an
    empty set skips the "unknown code" check, for use without reference data). ``today`` bounds
    future dates and years. ``date1904`` is the workbook's date system. ``region_names`` maps a
    region code to its name, for candidate lists in messages. ``fuzzy_min_confidence``: a misspelt
    region name is accepted (with a warning) when the resolver's confidence reaches it; the
    default is the resolver's own threshold (one wrong letter in a name of 7+ letters).
    Build it with :meth:`build`.
    """

    regency: Region | None = None
    known_kbli: set[str] | frozenset[str] = field(default_factory=frozenset)
    today: date = field(default_factory=timezone.localdate)
    date1904: bool = False
    region_names: dict[str, str] = field(default_factory=dict)
    fuzzy_min_confidence: float = FUZZY_THRESHOLD
    _regions: dict[tuple, _RegionAnswer] = field(default_factory=dict, repr=False)
    # Per field: (cell text, cell kind) → (normalised value or _MISSING, problems) for the pure handlers.
    _values: dict[str, dict[tuple[str, str], tuple[Any, Found]]] = field(default_factory=dict, repr=False)
    _birth_dates: dict[str, date] = field(default_factory=dict, repr=False)
    _plans: dict[int, tuple[HeaderMap, _Plan]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        regency: Region | str | None = None,
        *,
        today: date | None = None,
        date1904: bool = False,
    ) -> NormaliseContext:
        """Return a context with the KBLI codes and region names loaded (two queries, once per import).

        ``regency`` is a regency Region or its Kemendagri code (``"61.12"``); an unknown code
        raises ``ValueError``.
        """
        from plut.reference.models import Kbli

        if isinstance(regency, str):
            found = resolve_region(regency, level=Level.REGENCY)
            if found.status != "exact":
                raise ValueError(f"unknown regency code {regency!r}")
            regency = found.region
        known = frozenset(Kbli.objects.filter(level=Kbli.Level.SUBCLASS).values_list("code", flat=True))
        names = dict(Region.objects.values_list("code", "name"))
        return cls(
            regency=regency,
            known_kbli=known,
            today=today or timezone.localdate(),
            date1904=date1904,
            region_names=names,
        )

    def plan(self, hmap: HeaderMap) -> _Plan:
        """Return the column plan of ``hmap`` (cached; rebuilt if its columns change)."""
        cached = self._plans.get(id(hmap))
        if cached is not None and cached[0] is hmap and cached[1].columns == hmap.columns:
            return cached[1]
        fields = []
        region_headers = {}
        for name, index in hmap.columns.items():
            header = hmap.header_of(name)
            if name in _REGION_FIELDS:
                region_headers[name] = header
            handler = _HANDLERS.get(name)
            if name in _CACHED:
                handler = _cached(handler)
            fields.append((name, index, header, handler, name in REQUIRED_FIELDS, name in _DEFERRED))
        plan = _Plan(
            columns=dict(hmap.columns),
            fields=fields,
            missing_required=[name for name in REQUIRED_FIELDS if name not in hmap.columns],
            region_headers=region_headers,
        )
        self._plans[id(hmap)] = (hmap, plan)
        return plan


# --- Handlers --------------------------------------------------------------------------------


def _from_checked(checked, data: dict[str, Any], name: str) -> Found:
    data[name] = checked.value
    if checked.warnings:
        return [(issue.code, issue.message, False) for issue in checked.warnings]
    return None


def _text(ctx, cell, text, data, name) -> Found:
    data[name] = _collapse(text)
    return None


def _required_text(ctx, cell, text, data, name) -> Found:
    value = _collapse(text)
    data[name] = value
    if len(value) > 200:
        return [
            (
                f"{name}.too_long",
                _msg(
                    _("“%(value)s…” is longer than 200 characters: shorten the name."),
                    value=value[:40],
                ),
                True,
            )
        ]
    return None


def _nik(ctx, cell, text, data, name) -> Found:
    try:
        checked = check_nik(text, from_numeric_cell=cell.kind == CellKind.NUMBER)
    except IdentifierError as error:
        data["nik_untrusted"] = True
        return [(error.code, error.message, True)]
    value = checked.value
    data["nik"] = value
    data["owner_sex"] = "F" if int(value[6:8]) > 40 else "M"
    born = ctx._birth_dates.get(value[6:12])
    if born is None:
        born = ctx._birth_dates[value[6:12]] = nik_birth_date(value, today=ctx.today)
    data["birth_date"] = born
    if checked.warnings:
        return [(issue.code, issue.message, False) for issue in checked.warnings]
    return None


def _identifier(check):
    def handler(ctx, cell, text, data, name) -> Found:
        try:
            checked = check(text, from_numeric_cell=cell.kind == CellKind.NUMBER)
        except IdentifierError as error:
            return [(error.code, error.message, True)]
        return _from_checked(checked, data, name)

    return handler


def _mobile_check():
    """Return a test of "valid Indonesian mobile number", built from phonenumbers' own ID metadata.

    ``phonenumbers.is_valid_number`` accepts a national number when it matches the region's
    general description and one of its type descriptions (each: a possible length and a pattern);
    a number matching the general and the mobile descriptions is therefore valid. This is that
    test without the per-call overhead, for the commonest case.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    general, mobile = metadata.general_desc, metadata.mobile
    general_re = re.compile(general.national_number_pattern)
    mobile_re = re.compile(mobile.national_number_pattern)
    general_lengths = frozenset(general.possible_length)
    mobile_lengths = frozenset(mobile.possible_length) or general_lengths

    def is_mobile(national: str) -> bool:
        size = len(national)
        return (
            (not general_lengths or size in general_lengths)
            and (not mobile_lengths or size in mobile_lengths)
            and general_re.fullmatch(national) is not None
            and mobile_re.fullmatch(national) is not None
        )

    return is_mobile


_is_id_mobile = _mobile_check()


def _phone(ctx, cell, text, data, name) -> Found:
    """Fast path for the common clean forms (0812-…, +62 812 …), else ``check_phone``.

    The fast path gives exactly what ``check_phone`` gives for those forms (the tests compare
    the two): phonenumbers strips the trunk 0 the same way (``national_prefix_for_parsing`` of
    ID is "0"), and validity is phonenumbers' own test on the same number (see
    :func:`_mobile_check`). It skips the costly ``phonenumbers.parse`` (about 35 µs of a 45 µs check).
    """
    match = _PHONE_FAST_RE.match(text.strip())
    if match:
        national = match.group(1).replace(" ", "").replace("-", "")
        if _is_id_mobile(national) or phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=62, national_number=int(national))
        ):
            data[name] = "+62" + national
            return None
    try:
        checked = check_phone(text, from_numeric_cell=cell.kind == CellKind.NUMBER)
    except IdentifierError as error:
        return [(error.code, error.message, True)]
    return _from_checked(checked, data, name)


def _kbli(ctx, cell, text, data, name) -> Found:
    numeric = cell.kind == CellKind.NUMBER
    codes: list[str] = []
    found: list = []
    parts = [text] if numeric else [p for p in _KBLI_SPLIT_RE.split(text.strip()) if p]
    for part in parts:
        try:
            checked = check_kbli(part, from_numeric_cell=numeric, known_codes=ctx.known_kbli or None)
        except IdentifierError as error:
            found.append((error.code, error.message, True))
            continue
        if checked.value not in codes:
            codes.append(checked.value)
        found.extend((issue.code, issue.message, False) for issue in checked.warnings)
    data[name] = codes
    return found or None


def _money(ctx, cell, text, data, name) -> Found:
    try:
        data[name] = parse_rupiah(text, from_numeric_cell=cell.kind == CellKind.NUMBER)
    except MoneyError as error:
        return [(error.code, error.message, True)]
    return None


def _workers(ctx, cell, text, data, name) -> Found:
    stripped = text.strip()
    count: int | None = None
    if cell.kind == CellKind.NUMBER and _NUMERIC_CELL_RE.match(stripped):
        value = float(stripped)
        if value >= 0 and value == int(value):
            count = int(value)
    else:
        match = _WORKERS_RE.match(stripped)
        if match:
            count = int(match.group(1).replace(".", ""))
    if count is None:
        return [
            (
                "workers.format",
                _msg(
                    _("“%(value)s” is not a number of workers: write a whole number of people, such as 5."),
                    value=stripped,
                ),
                True,
            )
        ]
    if count > MAX_WORKERS:
        return [
            (
                "workers.too_large",
                _msg(
                    _("%(value)s workers is more than %(max)d: check the number of workers."),
                    value=stripped,
                    max=MAX_WORKERS,
                ),
                True,
            )
        ]
    data[name] = count
    return None


def _established_year(ctx, cell, text, data, name) -> Found:
    stripped = text.strip()
    year: int | None = None
    match = _YEAR_RE.match(stripped)
    if match:
        year = int(match.group(1))
    elif cell.kind != CellKind.NUMBER:
        try:
            year = parse_date(stripped, kind=str(cell.kind), date1904=ctx.date1904).year
        except DateError:
            year = None
    if year is None:
        return [
            (
                "established_year.format",
                _msg(
                    _("“%(value)s” is not a year: write the year the business started, such as 2015."),
                    value=stripped,
                ),
                True,
            )
        ]
    if not 1900 <= year <= ctx.today.year:
        return [
            (
                "established_year.range",
                _msg(
                    _(
                        "The year %(value)d is not between 1900 and %(this_year)d: check the year the business started."
                    ),
                    value=year,
                    this_year=ctx.today.year,
                ),
                True,
            )
        ]
    data[name] = year
    return None


def _degrees(ctx, cell, text, data, name) -> Found:
    stripped = text.strip()
    if not _DEGREES_RE.match(stripped):
        return [
            (
                f"{name}.format",
                _msg(
                    _(
                        "“%(value)s” is not a coordinate in decimal degrees: write it as -0.026330 for "
                        "latitude or 109.342504 for longitude (not degrees, minutes and seconds)."
                    ),
                    value=stripped,
                ),
                True,
            )
        ]
    value = float(stripped.replace(",", "."))
    low, high = KALBAR_BBOX[name]
    if low <= value <= high:
        data[name] = value
        return None
    other = "longitude" if name == "latitude" else "latitude"
    other_low, other_high = KALBAR_BBOX[other]
    if other_low <= value <= other_high:
        return [
            (
                f"{name}.swapped",
                _msg(
                    _(
                        "%(value)s looks like a %(other)s, not a %(field)s: latitude and longitude seem to "
                        "be swapped (in Kalimantan Barat latitude is between -3.1 and 2.1, longitude "
                        "between 108.0 and 114.3)."
                    ),
                    value=stripped,
                    other=COORDINATE_NAMES[other],
                    field=COORDINATE_NAMES[name],
                ),
                True,
            )
        ]
    return [
        (
            f"{name}.outside",
            _msg(
                _(
                    "The %(field)s %(value)s is outside Kalimantan Barat (latitude -3.1 to 2.1, longitude "
                    "108.0 to 114.3): check the coordinate."
                ),
                field=COORDINATE_NAMES[name],
                value=stripped,
            ),
            True,
        )
    ]


def _data_date(ctx, cell, text, data, name) -> Found:
    try:
        data[name] = parse_date(
            text, kind=str(cell.kind), date1904=ctx.date1904, today=ctx.today, allow_future=False
        )
    except DateError as error:
        return [(error.code, error.message, True)]
    return None


def _email(ctx, cell, text, data, name) -> Found:
    value = text.strip()
    try:
        validate_email(value)
    except ValidationError:
        return [
            (
                "email.invalid",
                _msg(_("“%(value)s” is not an e-mail address: write it as nama@contoh.co.id."), value=value),
                True,
            )
        ]
    local, _at, domain = value.rpartition("@")
    data[name] = f"{local}@{domain.lower()}"
    return None


def _products(ctx, cell, text, data, name) -> Found:
    seen: set[str] = set()
    products = []
    for part in _LIST_RE.split(text.strip()):
        product = _collapse(part)
        if product and product.casefold() not in seen:
            seen.add(product.casefold())
            products.append(product)
    data[name] = products
    return None


def _yes_no(ctx, cell, text, data, name) -> Found:
    word = _word(text)
    if word in _YES:
        data[name] = True
    elif word in _NO:
        data[name] = False
    else:
        return [
            (
                f"{name}.invalid",
                _msg(_("“%(value)s” is not Ya or Tidak: write Ya or Tidak."), value=text.strip()),
                True,
            )
        ]
    return None


def _cross_border_brand(ctx, cell, text, data, name) -> Found:
    word = _word(text).replace("merk", "merek")
    brand = _BRAND.get(word)
    if brand is None:
        return [
            (
                "cross_border_brand.invalid",
                _msg(
                    _(
                        "“%(value)s” is not one of the answers: write “merek sendiri” (sold under the "
                        "maker's own brand), “tanpa merek” (unbranded) or “dikemas ulang” (repackaged "
                        "under the buyer's brand)."
                    ),
                    value=text.strip(),
                ),
                True,
            )
        ]
    data[name] = brand
    return None


def _permit_number(name: str, label, cell: Cell, text: str) -> tuple[str | None, Found]:
    """Clean a certificate number (P-IRT, halal); return (number, problems)."""
    stripped = text.strip().lstrip("'").strip()
    if _SCIENTIFIC_RE.match(stripped.replace(" ", "")):
        return None, [
            (
                f"{name}.scientific",
                _msg(
                    _(
                        "The %(label)s number “%(value)s” is in scientific notation, so its last digits are "
                        "lost: format the column as text and re-enter the number from the certificate."
                    ),
                    label=label,
                    value=stripped,
                ),
                True,
            )
        ]
    if cell.kind == CellKind.NUMBER:
        if stripped.endswith(".0"):
            stripped = stripped[:-2]
        if len(stripped.lstrip("0")) >= 16:
            return None, [
                (
                    f"{name}.numeric_cell",
                    _msg(
                        _(
                            "The %(label)s number “%(value)s” was read from a number cell, and spreadsheets "
                            "keep only 15 significant digits, so it cannot be trusted: format the column as "
                            "text and re-enter the number from the certificate."
                        ),
                        label=label,
                        value=stripped,
                    ),
                    True,
                )
            ]
    return _PERMIT_PREFIX_RE.sub("", stripped).strip(), None


def _pirt(ctx, cell, text, data, name) -> Found:
    word = _word(text)
    if word in _NO:
        return None  # no P-IRT: the same as a blank cell
    if word in _YES:
        return [
            (
                "pirt.number_missing",
                _msg(
                    _(
                        "“%(value)s” says the business has a P-IRT but gives no number, so the permit is "
                        "not recorded: write the P-IRT number from the SPP-IRT certificate."
                    ),
                    value=text.strip(),
                ),
                False,
            )
        ]
    number, found = _permit_number(name, "P-IRT", cell, text)
    if found:
        return found
    digits = _SEPARATORS_RE.sub("", number)
    if not digits.isascii() or not digits.isdigit() or not 15 <= len(digits) <= 20:
        return [
            (
                "pirt.format",
                _msg(
                    _(
                        "“%(value)s” is not a P-IRT number (15 or more digits) nor Ya/Tidak: copy the number "
                        "from the SPP-IRT certificate, formatted as text."
                    ),
                    value=text.strip(),
                ),
                True,
            )
        ]
    data[name] = digits
    return None


def _halal(ctx, cell, text, data, name) -> Found:
    word = _word(text)
    if word in _YES or word in _NO:
        data[name] = {"held": word in _YES, "number": ""}
        return None
    number, found = _permit_number(name, _("halal certificate"), cell, text)
    if found:
        return found
    compact = number.upper().replace(" ", "")
    if not _PERMIT_NUMBER_RE.match(compact) or len(_NON_DIGITS_RE.sub("", compact)) < 5:
        return [
            (
                "halal.format",
                _msg(
                    _(
                        "“%(value)s” is not a halal certificate number nor Ya/Tidak: copy the number from the "
                        "certificate (such as ID61110000123450124), or write Ya or Tidak."
                    ),
                    value=text.strip(),
                ),
                True,
            )
        ]
    data[name] = {"held": True, "number": compact}
    return None


def _trademark(ctx, cell, text, data, name) -> Found:
    word = _word(text)
    if word in _YES or word in _NO:
        data[name] = {"held": word in _YES, "number": "", "name": ""}
        return None
    compact = _SEPARATORS_RE.sub("", text.strip().upper())
    if _TRADEMARK_NUMBER_RE.match(compact):
        data[name] = {"held": True, "number": compact, "name": ""}
    else:
        data[name] = {"held": True, "number": "", "name": _collapse(text)}
    return None


_MISSING = object()


def _cached(handler: Handler) -> Handler:
    """Wrap a handler whose outcome depends only on the cell's text and kind (and the context).

    Such values repeat across a file (amounts, dates, KBLI codes, Ya/Tidak, products), so each
    distinct (text, kind) is normalised once per import. Lists and dicts are copied on the way
    out, so a row may change its own values without touching another row's.
    """

    def cached_handler(ctx, cell, text, data, name) -> Found:
        cache = ctx._values.get(name)
        if cache is None:
            cache = ctx._values[name] = {}
        key = (text, cell.kind)
        hit = cache.get(key)
        if hit is None:
            scratch: dict[str, Any] = {}
            found = handler(ctx, cell, text, scratch, name)
            hit = (scratch.get(name, _MISSING), found)
            if len(cache) < _CACHE_LIMIT:
                cache[key] = hit
        value, found = hit
        if value is not _MISSING:
            if type(value) is list:
                value = list(value)
            elif type(value) is dict:
                value = dict(value)
            data[name] = value
        return found

    return cached_handler


_HANDLERS: dict[str, Handler] = {
    "business_name": _required_text,
    "owner_name": _required_text,
    "nik": _nik,
    "address": _text,
    "phone": _phone,
    "email": _email,
    "kbli": _kbli,
    "sector": _text,
    "nib": _identifier(check_nib),
    "npwp": _identifier(check_npwp),
    "annual_sales": _money,
    "capital": _money,
    "assets": _money,
    "workers": _workers,
    "established_year": _established_year,
    "products": _products,
    "pirt": _pirt,
    "halal": _halal,
    "trademark": _trademark,
    "sells_to_malaysia": _yes_no,
    "cross_border_brand": _cross_border_brand,
    "latitude": _degrees,
    "longitude": _degrees,
    "data_date": _data_date,
    "row_ref": _text,
}
# Handled after the other fields: the sex column is checked against the NIK, regions depend on each other.
_REGION_FIELDS = ("regency", "district", "village")
_DEFERRED = frozenset({"owner_sex", *_REGION_FIELDS})
# Handlers whose outcome depends only on the cell (see _cached); identifiers and names are unique per row.
_CACHED = frozenset(
    {
        "kbli", "sector", "annual_sales", "capital", "assets", "workers", "established_year", "products",
        "pirt", "halal", "trademark", "sells_to_malaysia", "cross_border_brand", "latitude", "longitude",
        "data_date",
    }
)  # fmt: skip


# --- Regions ---------------------------------------------------------------------------------

_LEVEL_OF = {"regency": Level.REGENCY, "district": Level.DISTRICT, "village": Level.VILLAGE}


def _describe(ctx: NormaliseContext, region: Region) -> str:
    """``61.12.01 Sungai Raya (Kabupaten Kubu Raya)``: code, name, and the regions above it."""
    names = ctx.region_names
    parts = region.code.split(".")
    above = [names.get(".".join(parts[:i]), ".".join(parts[:i])) for i in range(len(parts) - 1, 1, -1)]
    if region.level == Level.VILLAGE and above:
        above[0] = "Kec. " + above[0]
    suffix = f" ({', '.join(above)})" if above else ""
    return f"{region.code} {region.name}{suffix}"


def _region_answer(
    ctx: NormaliseContext, name: str, text: str, within: Region | None, result: Resolution
) -> _RegionAnswer:
    level_label = {"regency": _("regency/city"), "district": _("district"), "village": _("village")}[name]
    where = _msg(_(" in %(region)s"), region=within.name) if within is not None else ""
    if result.status == "exact":
        if result.matched_on == "alias":
            return _RegionAnswer(
                result.region,
                f"{name}.alias",
                _msg(
                    _("The %(level)s “%(value)s” was read as %(region)s, its current name."),
                    level=level_label,
                    value=text,
                    region=_describe(ctx, result.region),
                ),
            )
        return _RegionAnswer(result.region)
    candidates = ", ".join(_describe(ctx, r) for r in result.candidates)
    if result.status == "fuzzy" and result.confidence >= ctx.fuzzy_min_confidence:
        return _RegionAnswer(
            result.region,
            f"{name}.fuzzy",
            _msg(
                _("The %(level)s “%(value)s” was read as %(region)s: check the spelling."),
                level=level_label,
                value=text,
                region=_describe(ctx, result.region),
            ),
        )
    if result.status == "ambiguous":
        if name == "district" and within is None:
            template = _(
                "The district “%(value)s” exists in several regencies: %(candidates)s. Fill in the "
                "regency column or write the district code."
            )
        elif name == "village":
            template = _(
                "The village “%(value)s”%(where)s matches several villages: %(candidates)s. Fill in the "
                "district column or write the village code."
            )
        else:
            template = _(
                "The %(level)s “%(value)s”%(where)s matches several regions: %(candidates)s. Write the "
                "full name (Kabupaten … or Kota …) or the code."
            )
        return _RegionAnswer(
            None,
            f"{name}.ambiguous",
            _msg(template, level=level_label, value=text, where=where, candidates=candidates),
            True,
        )
    if candidates:
        message = _msg(
            _(
                "The %(level)s “%(value)s” was not found%(where)s; the closest names are %(candidates)s. "
                "Write the name as in the Kemendagri list, or the code."
            ),
            level=level_label,
            value=text,
            where=where,
            candidates=candidates,
        )
    else:
        message = _msg(
            _(
                "The %(level)s “%(value)s” was not found%(where)s: write the name as in the Kemendagri list, or the code."
            ),
            level=level_label,
            value=text,
            where=where,
        )
    return _RegionAnswer(None, f"{name}.not_found", message, True)


def _resolve(ctx: NormaliseContext, name: str, text: str, within: Region | None) -> _RegionAnswer:
    key = (text, name, within.code if within is not None else None)
    answer = ctx._regions.get(key)
    if answer is None:
        result = resolve_region(text, level=_LEVEL_OF[name], within=within)
        answer = _region_answer(ctx, name, text, within, result)
        if len(ctx._regions) < _CACHE_LIMIT:
            ctx._regions[key] = answer
    return answer


def _ancestor(ctx: NormaliseContext, region: Region, name: str) -> Region | None:
    """Return the regency or district above ``region`` (through the resolver's in-memory index)."""
    depth = _LEVEL_OF[name]
    code = ".".join(region.code.split(".")[:depth])
    return _resolve(ctx, name, code, None).region


def _normalise_regions(
    ctx: NormaliseContext,
    plan: _Plan,
    cells: dict[str, Cell],
    add: Callable[[str, str, str, Any, bool], None],
    data: dict[str, Any],
) -> None:
    found: dict[str, Region] = {}
    headers = plan.region_headers
    regency = ctx.regency
    for name in _REGION_FIELDS:
        cell = cells.get(name)
        if cell is None:
            continue
        text = cell.text.strip()
        if name == "district":
            within = regency
        elif name == "village":
            within = found.get("district") or regency
        else:
            within = None
        answer = _resolve(ctx, name, text, within)
        if answer.code:
            add(headers[name], cell.text, answer.code, answer.message, answer.is_error)
        if answer.is_error:
            return
        region = answer.region
        if name == "regency" and ctx.regency is not None and region.code != ctx.regency.code:
            add(
                headers[name],
                cell.text,
                "regency.other",
                _msg(
                    _(
                        "This row belongs to %(region)s, but this import is for %(import_regency)s: "
                        "send the row to that regency's import, or correct the regency."
                    ),
                    region=region.name,
                    import_regency=ctx.regency.name,
                ),
                True,
            )
            return
        found[name] = region
        if name == "regency":
            regency = region
    lowest = found.get("village") or found.get("district") or regency
    if lowest is None:
        column = next(iter(headers.values()), "regency")
        add(
            column,
            "",
            "region.missing",
            _(
                "The row has no region: fill in the regency, district and village (Kabupaten/Kota, "
                "Kecamatan, Desa/Kelurahan)."
            ),
            True,
        )
        return
    data["region"] = lowest
    if lowest.level >= Level.DISTRICT and "district" not in found:
        found["district"] = lowest if lowest.level == Level.DISTRICT else _ancestor(ctx, lowest, "district")
    if regency is None:
        regency = _ancestor(ctx, lowest, "regency")
    data["regency"] = regency
    if found.get("district") is not None:
        data["district"] = found["district"]
    if "village" in found:
        data["village"] = found["village"]


def _regions_cached(
    ctx: NormaliseContext,
    plan: _Plan,
    cells: dict[str, Cell],
    add: Callable[[str, str, str, Any, bool], None],
    data: dict[str, Any],
) -> None:
    """Run :func:`_normalise_regions` once per distinct (regency, district, village) text of the plan."""
    key = tuple(cells[name].text if name in cells else None for name in _REGION_FIELDS)
    outcome = plan.region_outcomes.get(key)
    if outcome is None:
        problems: list[tuple[str, str, str, Any, bool]] = []
        values: dict[str, Any] = {}
        _normalise_regions(ctx, plan, cells, lambda *problem: problems.append(problem), values)
        outcome = (values, problems)
        if len(plan.region_outcomes) < _CACHE_LIMIT:
            plan.region_outcomes[key] = outcome
    values, problems = outcome
    data.update(values)
    for problem in problems:
        add(*problem)


# --- The row ---------------------------------------------------------------------------------


def normalise_row(row: Row, hmap: HeaderMap, ctx: NormaliseContext) -> RowResult:
    """Return the normalised row: ``data``, ``raw`` and the problems (see the module docstring)."""
    plan = ctx.plan(hmap)
    cells = row.cells
    count = len(cells)
    data: dict[str, Any] = {}
    raw: dict[str, str] = {}
    result = RowResult(number=row.number, data=data, raw=raw)
    number = row.number

    def add(column: str, value: str, code: str, message: Any, is_error: bool) -> None:
        problem = Problem(row=number, column=column, value=value, code=code, reason=str(message))
        (result.errors if is_error else result.warnings).append(problem)

    deferred: dict[str, Cell] = {}
    for name, index, header, handler, required, is_deferred in plan.fields:
        cell = cells[index] if index < count else _BLANK
        text = cell.text
        raw[name] = text
        if text[:1] == "'" and text[1:2] in _FORMULA_CHARS:
            # plut's error workbook writes "'=…" so that Excel never runs a formula; a corrected
            # workbook sent back carries that apostrophe, which is not part of the value.
            text = text[1:]
        stripped = text.strip()
        if not stripped or stripped in _BLANK_WORDS or cell.kind == _EMPTY:
            if required:
                add(header, text, f"{name}.required", _required_message(name), True)
            continue
        if is_deferred:
            deferred[name] = cell
        elif handler is not None:
            found = handler(ctx, cell, text, data, name)
            if found:
                for code, message, is_error in found:
                    add(header, text, code, message, is_error)
    for name in plan.missing_required:
        add(name, "", f"{name}.required", _required_message(name), True)

    if "owner_sex" in deferred:
        _owner_sex(deferred["owner_sex"], hmap.header_of("owner_sex"), data, add)
    if ("latitude" in data) != ("longitude" in data):
        _coordinate_pair(plan, cells, data, add)
    _regions_cached(ctx, plan, deferred, add, data)
    return result


def _required_message(name: str):
    if name == "business_name":
        return _("The business name is empty: every row needs the name of the business.")
    return _("The owner's name is empty: every row needs the name of the business owner.")


def _owner_sex(cell: Cell, header: str, data: dict[str, Any], add) -> None:
    stated = _SEX.get(_word(cell.text))
    if stated is None:
        add(
            header,
            cell.text,
            "owner_sex.invalid",
            _msg(
                _("“%(value)s” is not a sex: write L (laki-laki) or P (perempuan)."),
                value=cell.text.strip(),
            ),
            True,
        )
        return
    from_nik = data.get("owner_sex")
    if "nik" in data and from_nik != stated:
        add(
            header,
            cell.text,
            "owner_sex.nik_mismatch",
            _msg(
                _(
                    "The sex column says %(stated)s but the NIK says %(from_nik)s (women have 40 added to "
                    "the birth day); the NIK was used: check both against the KTP."
                ),
                stated=_("male") if stated == "M" else _("female"),
                from_nik=_("male") if from_nik == "M" else _("female"),
            ),
            False,
        )
        return
    if "nik" not in data:
        data["owner_sex"] = stated


def _coordinate_pair(plan: _Plan, cells, data: dict[str, Any], add) -> None:
    present, missing = ("latitude", "longitude") if "latitude" in data else ("longitude", "latitude")
    index = plan.columns.get(missing)
    if index is not None and index < len(cells) and cells[index].text.strip():
        return  # the other coordinate was given but rejected: its own error says why
    header = next(entry[2] for entry in plan.fields if entry[0] == present)
    add(
        header,
        "",
        "coordinates.incomplete",
        _msg(
            _("The %(present)s is given without the %(missing)s: give both coordinates or neither."),
            present=COORDINATE_NAMES[present],
            missing=COORDINATE_NAMES[missing],
        ),
        True,
    )
    data.pop(present, None)
