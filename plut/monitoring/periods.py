"""Reporting periods: month, quarter, year. A period is named by its type and first day."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from plut.lib.dates import MONTHS_ID


class PeriodType(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


# Months per period: a sales value of the period × (12 / months) is the annualised sales.
MONTHS = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.YEAR: 12}


def period_start(period_type: str, day: dt.date) -> dt.date:
    """Return the first day of the period of ``period_type`` containing ``day``."""
    months = MONTHS[PeriodType(period_type)]
    month = ((day.month - 1) // months) * months + 1
    return dt.date(day.year, month, 1)


def shift(period_type: str, start: dt.date, steps: int) -> dt.date:
    """Return the first day of the period ``steps`` periods after (negative: before) ``start``."""
    months = MONTHS[PeriodType(period_type)] * steps
    index = start.year * 12 + (start.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_end(period_type: str, start: dt.date) -> dt.date:
    """Return the last day of the period starting on ``start``."""
    return shift(period_type, start, 1) - dt.timedelta(days=1)


def previous(period_type: str, start: dt.date) -> dt.date:
    return shift(period_type, start, -1)


def label(period_type: str, start: dt.date) -> str:
    """Return the period in Indonesian: "November 2026", "Triwulan IV 2026", "2026"."""
    pt = PeriodType(period_type)
    if pt == PeriodType.MONTH:
        return f"{MONTHS_ID[start.month]} {start.year}"
    if pt == PeriodType.QUARTER:
        return f"Triwulan {['I', 'II', 'III', 'IV'][(start.month - 1) // 3]} {start.year}"
    return str(start.year)


def parse(period_type: str, text: str) -> dt.date:
    """Read ``2026-11`` (month), ``2026-Q4`` (quarter) or ``2026`` (year); raise ``ValueError``."""
    pt = PeriodType(period_type)
    text = text.strip()
    if pt == PeriodType.YEAR:
        return dt.date(int(text), 1, 1)
    if pt == PeriodType.QUARTER:
        year, q = text.upper().split("-Q")
        if int(q) not in (1, 2, 3, 4):
            raise ValueError(text)
        return dt.date(int(year), (int(q) - 1) * 3 + 1, 1)
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def key(period_type: str, start: dt.date) -> str:
    """The inverse of :func:`parse`."""
    pt = PeriodType(period_type)
    if pt == PeriodType.YEAR:
        return str(start.year)
    if pt == PeriodType.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"
