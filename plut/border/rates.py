"""Converting ringgit to rupiah (and back) at a dated rate.

The rule (the office's, written here once): an amount observed on day D is converted at the IDR/MYR
rate of day D. When no rate was entered for D itself, the latest rate of the
:data:`MAX_RATE_AGE_DAYS` days before D is used, because markets are held on weekends and holidays,
when Bank Indonesia publishes no rate (its JISDOR and transaction rates are published on working
days only). An older rate is never used: the conversion fails with :class:`RateMissing`, an error
that names the date, and nothing is stored. A rate of zero cannot be entered. The date of the rate
actually used is stored beside every converted amount (``rate_date``), so every figure says which
rate it used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from plut.lib.dates import format_date_id
from plut.lib.errors import ValueRejected, lazy_message

MAX_RATE_AGE_DAYS = 7
CENT = Decimal("0.01")


class RateMissing(ValueRejected):
    """No usable rate for a date; ``value`` is the date (ISO) and the message names it."""


@dataclass(frozen=True)
class Converted:
    """An amount in its own currency with its rupiah value and the rate used (``None`` for rupiah)."""

    amount: Decimal
    currency: str
    rate: Decimal | None
    rate_date: dt.date | None
    amount_idr: int


def rate_for(currency: str, on_date: dt.date):
    """Return the :class:`ExchangeRate` to use for ``on_date`` (see the module rule), or raise RateMissing."""
    from plut.border.models import ExchangeRate

    rate = (
        ExchangeRate.objects.filter(
            currency=currency,
            on_date__lte=on_date,
            on_date__gte=on_date - dt.timedelta(days=MAX_RATE_AGE_DAYS),
        )
        .order_by("-on_date")
        .first()
    )
    if rate is None:
        raise RateMissing(
            "rate.missing",
            lazy_message(
                _(
                    "There is no %(currency)s/IDR exchange rate for %(date)s nor for the %(days)s days "
                    "before it: enter the rate of %(date)s first."
                ),
                currency=currency,
                date=format_date_id(on_date),
                days=MAX_RATE_AGE_DAYS,
            ),
            on_date.isoformat(),
        )
    return rate


def to_rupiah(amount: Decimal, currency: str, on_date: dt.date) -> Converted:
    """Return ``amount`` of ``currency`` in integer rupiah (half-up) at the rate for ``on_date``."""
    if currency == "IDR":
        return Converted(
            amount, currency, None, None, int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        )
    rate = rate_for(currency, on_date)
    idr = (amount * rate.idr_per_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Converted(amount, currency, rate.idr_per_unit, rate.on_date, int(idr))


def to_ringgit(
    amount: Decimal, currency: str, on_date: dt.date
) -> tuple[Decimal, Decimal | None, dt.date | None]:
    """Return ``(amount in MYR rounded half-up to sen, rate used, rate date)`` for an IDR or MYR amount."""
    if currency == "MYR":
        return amount.quantize(CENT, rounding=ROUND_HALF_UP), None, None
    rate = rate_for("MYR", on_date)
    return (
        (amount / rate.idr_per_unit).quantize(CENT, rounding=ROUND_HALF_UP),
        rate.idr_per_unit,
        rate.on_date,
    )
