"""Parse dates as Indonesian spreadsheets hold them, and format dates the Indonesian way.

:func:`parse_date` reads, in this order (the first rule that fits decides; see its docstring):

1. ISO 8601 ``2025-03-17`` (also ``2025/03/17``, the ISO text a reader gives for a DATE cell
   ``2025-03-17T00:00:00``, and the basic form ``20250317``).
2. Day first with digits: ``17/03/2025``, ``17-03-2025``, ``17.03.2025``, ``17/3/25``. Indonesia
   writes the day first (PUEBI/EYD, "Penulisan Angka": *tanggal-bulan-tahun*), so ``03/04/2025``
   is 3 April 2025, never March 4. A month above 12 (``03/17/2025``, US month-first order) is
   rejected with ``date.month_first``, never swapped.
3. A month name, Indonesian (KBBI: Januari … Desember, with the spellings and abbreviations seen
   in practice: ``Pebruari``, ``Nopember``, ``Agt``/``Ags``/``Agu``, ``Okt``, ``Des``), English
   (``March``, ``Aug``, ``Oct``, ``Dec``) or Malay as written across the border (``Mac``,
   ``Julai``, ``Ogos``, ``Disember``): ``17 Maret 2025``, ``17-Mar-25``, ``Senin, 17 Maret 2025``,
   ``March 17, 2025``.
4. An Excel serial number, when the cell was numeric (``kind="number"``) or the text is a whole
   number inside ``SERIAL_TEXT_RANGE`` (1950-01-01 … 2099-12-31 in the 1900 system).

Two-digit years follow Excel's own rule (Microsoft, "How Excel works with two-digit year
numbers"): ``00``–``29`` are 2000–2029 and ``30``–``99`` are 1930–1999, so a date typed as
``17/3/25`` means what the sender saw in Excel.

Excel serial numbers (Microsoft, "Date systems in Excel"): in the 1900 date system serial 1 is
1900-01-01, and serial 60 is the non-existent 1900-02-29 that Excel keeps for compatibility with
Lotus 1-2-3, so serial 61 is 1900-03-01 and serial 45658 is 2025-01-01. In the 1904 date system
(old Mac workbooks; ``date1904`` in the workbook properties) serial 0 is 1904-01-01. A fraction
is the time of day and is dropped.

Every rejection is a :class:`DateError` with a stable ``code`` and a translatable sentence saying
what to write instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.lib.errors import ValueRejected, lazy_message

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTHS_ID",
    "SERIAL_TEXT_RANGE",
    "DateError",
    "date_from_excel_serial",
    "format_date_id",
    "parse_date",
]

# Years outside this range are typing errors in UMKM data (Excel itself cannot hold dates before 1900).
MIN_YEAR = 1900
MAX_YEAR = 2100

MONTHS_ID = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Month words, lower case, without a trailing dot. Indonesian (KBBI and common abbreviations),
# English, and Malay (Dewan Bahasa dan Pustaka spellings) as used on the Sarawak side.
_MONTH_WORDS: dict[str, int] = {}
for _number, _words in {
    1: "januari jan january",
    2: "februari pebruari feb peb febr february",
    3: "maret mar march mac",
    4: "april apr",
    5: "mei may",
    6: "juni jun june",
    7: "juli jul july julai",
    8: "agustus agt ags agu agus aug august ogos ogo",
    9: "september sep sept",
    10: "oktober okt oct october",
    11: "november nopember nov nop",
    12: "desember des dec december disember dis",
}.items():
    for _word in _words.split():
        _MONTH_WORDS[_word] = _number

# Indonesian, English and the Malay names that differ (Isnin, Khamis): "Senin, 17 Maret 2025".
_WEEKDAYS = frozenset(
    {
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "isnin", "khamis",
    }
)  # fmt: skip

_1900_EPOCH = date(1899, 12, 30)  # serial 61 and later: epoch + serial
_1904_EPOCH = date(1904, 1, 1)
_MAX_SERIAL = 2_958_465  # 9999-12-31, the last date Excel holds
# A whole number typed as text is read as a serial only inside this range (1950-01-01 … 2099-12-31
# in the 1900 system), so a year ("2025"), a count or an identifier is never taken for a date.
SERIAL_TEXT_RANGE = (18_264, 73_050)

_INVISIBLE = "\u00a0\u2007\u202f\u200b\u200c\u200d\ufeff"
_TIME = r"(?:[T ]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_RE = re.compile(rf"^(\d{{4}})([-/])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$", re.ASCII)
_ISO_BASIC_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_DMY_RE = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$", re.ASCII)
_DAY_MONTH_NAME_RE = re.compile(
    r"^(\d{1,2})(?:[\s.\-/]+|(?=[a-z]))([a-z]+)\.?(?:[\s.\-/,]+)(\d{4}|\d{2})$", re.ASCII
)
_MONTH_NAME_DAY_RE = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", re.ASCII)
_NUMBER_RE = re.compile(r"^\d+(?:\.\d*)?$", re.ASCII)
_FLOAT_RE = re.compile(r"^-?\d+(?:\.\d*)?(?:e[+-]?\d+)?$", re.ASCII | re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")


_msg = lazy_message


class DateError(ValueRejected):
    """A rejected date, with a stable machine ``code`` and a translatable ``message``."""


def _format_error(raw: str) -> DateError:
    return DateError(
        "date.format",
        _msg(
            _(
                "“%(value)s” is not a date: write the day first, as 17/03/2025 or 17 Maret 2025, "
                "or format the cell as a date."
            ),
            value=raw,
        ),
        raw,
    )


def _invalid_error(raw: str) -> DateError:
    return DateError(
        "date.invalid",
        _msg(
            _("“%(value)s” is not a date that exists (day-month-year): check the day and the month."),
            value=raw,
        ),
        raw,
    )


def _range_error(raw: str) -> DateError:
    return DateError(
        "date.range",
        _msg(
            _("The year of “%(value)s” is not between %(min)d and %(max)d: check the year."),
            value=raw,
            min=MIN_YEAR,
            max=MAX_YEAR,
        ),
        raw,
    )


def _make(year: int, month: int, day: int, raw: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _range_error(raw)
    try:
        return date(year, month, day)
    except ValueError:
        raise _invalid_error(raw) from None


def _full_year(year_text: str) -> int:
    """Return a four-digit year; two digits follow Excel's window (00-29 → 20xx, 30-99 → 19xx)."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year <= 29 else 1900
    return year


def date_from_excel_serial(serial: float, *, date1904: bool = False, raw: str | None = None) -> date:
    """Return the date of an Excel serial number (the fraction, a time of day, is dropped).

    1900 system: 1 = 1900-01-01, 59 = 1900-02-28, 60 = Excel's fictitious 1900-02-29 (rejected,
    ``date.serial_fictitious``), 61 = 1900-03-01, 45658 = 2025-01-01. 1904 system: 0 = 1904-01-01.
    Serials below the first day or above 9999-12-31 are ``date.serial_range``.
    """
    raw = str(serial) if raw is None else raw
    whole = int(serial)
    if date1904:
        if not 0 <= whole <= _MAX_SERIAL - 1462:
            raise _serial_range_error(raw)
        result = _1904_EPOCH + timedelta(days=whole)
    elif whole == 60:
        raise DateError(
            "date.serial_fictitious",
            _msg(
                _(
                    "The date number %(value)s is 29 February 1900, a day that never existed (Excel "
                    "keeps it for compatibility): type the date as 17/03/2025."
                ),
                value=raw,
            ),
            raw,
        )
    elif 1 <= whole < 60:
        result = _1900_EPOCH + timedelta(days=whole + 1)
    elif 61 <= whole <= _MAX_SERIAL:
        result = _1900_EPOCH + timedelta(days=whole)
    else:
        raise _serial_range_error(raw)
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise _range_error(raw)
    return result


def _serial_range_error(raw: str) -> DateError:
    return DateError(
        "date.serial_range",
        _msg(
            _(
                "The number %(value)s is not a spreadsheet date: format the cell as a date or type 17/03/2025."
            ),
            value=raw,
        ),
        raw,
    )


def _clean(raw: str) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"dates are parsed from str, got {type(raw).__name__}")
    text = raw.strip().strip(_INVISIBLE).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def _parse_text(text: str, raw: str, date1904: bool) -> date:
    match = _ISO_RE.match(text)
    if match:
        return _make(int(match.group(1)), int(match.group(3)), int(match.group(4)), raw)
    match = _DMY_RE.match(text)
    if match:
        day, month, year = int(match.group(1)), int(match.group(3)), _full_year(match.group(4))
        if month > 12 and 1 <= day <= 12 and month <= 31:
            raise DateError(
                "date.month_first",
                _msg(
                    _(
                        "“%(value)s” has the month first (month/day/year); write the day first, as "
                        "%(day)02d/%(month)02d/%(year)d."
                    ),
                    value=raw,
                    day=month,
                    month=day,
                    year=year,
                ),
                raw,
            )
        return _make(year, month, day, raw)
    lowered = _SPACES_RE.sub(" ", text.lower())
    head, sep, rest = lowered.partition(",")
    if sep and head.strip() in _WEEKDAYS:
        lowered = rest.strip()
    else:
        head, sep, rest = lowered.partition(" ")
        if sep and head in _WEEKDAYS:
            lowered = rest.strip()
    match = _DAY_MONTH_NAME_RE.match(lowered)
    if match:
        day_text, word, year_text = match.groups()
    else:
        match = _MONTH_NAME_DAY_RE.match(lowered)
        if match:
            word, day_text, year_text = match.groups()
    if match:
        month = _MONTH_WORDS.get(word)
        if month is None:
            raise DateError(
                "date.month_name",
                _msg(
                    _(
                        "“%(value)s” has the month “%(month)s”, which is not a month name: write it as 17 Maret 2025."
                    ),
                    value=raw,
                    month=word,
                ),
                raw,
            )
        return _make(_full_year(year_text), month, int(day_text), raw)
    match = _ISO_BASIC_RE.match(text)
    if match:
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), raw)
    if _NUMBER_RE.match(text):
        serial = float(text)
        low, high = SERIAL_TEXT_RANGE
        if date1904:
            low, high = low - 1462, high - 1462
        if low <= serial < high + 1:
            return date_from_excel_serial(serial, date1904=date1904, raw=raw)
    raise _format_error(raw)


def parse_date(
    text: str,
    *,
    kind: str = "text",
    date1904: bool = False,
    today: date | None = None,
    allow_future: bool = True,
) -> date:
    """Return the date written in ``text`` (see the module docstring for every accepted form).

    ``kind`` is what the file said the cell was (``plut.imports.types.CellKind`` values):
    ``"number"`` reads the text as an Excel serial number of the workbook's date system
    (``date1904``); ``"date"`` expects the reader's ISO text but accepts any form below.
    ``today`` (default: today in the project's time zone) is the reference for
    ``allow_future=False``, which rejects dates after it (``date.future``).

    Errors (``DateError.code``): ``date.empty``; ``date.format`` (not a date at all);
    ``date.invalid`` (31/02/2025); ``date.month_first`` (03/17/2025: month above 12 where the day
    should be, read as US order and refused); ``date.month_name`` (unknown month word);
    ``date.range`` (year outside 1900–2100); ``date.serial_range``/``date.serial_fictitious``
    (serial numbers); ``date.future``.
    """
    raw = text
    text = _clean(text)
    if not text:
        raise DateError("date.empty", _("The date is empty."), raw)
    if kind == "number" and _FLOAT_RE.match(text):
        try:
            serial = float(text)
        except ValueError:  # pragma: no cover - the pattern admits only floats
            raise _format_error(raw) from None
        if serial < 0:
            raise _serial_range_error(raw)
        result = date_from_excel_serial(serial, date1904=date1904, raw=raw)
    else:
        result = _parse_text(text, raw, date1904)
    if not allow_future:
        today = today or timezone.localdate()
        if result > today:
            raise DateError(
                "date.future",
                _msg(
                    _("The date %(value)s is after today (%(today)s): check the day, month and year."),
                    value=format_date_id(result),
                    today=format_date_id(today),
                ),
                raw,
            )
    return result


def format_date_id(value: date | datetime) -> str:
    """Return ``value`` as Indonesian prose: ``date(2026, 11, 29)`` → ``"29 November 2026"``."""
    return f"{value.day} {MONTHS_ID[value.month]} {value.year}"
