"""Synthetic border-economy data for ``plut border-seed --demo`` (a demonstration, never real figures).

Every survey it writes has ``source="demo"`` and a note saying it is synthetic; every exchange rate has
the source ``SYNTHETIC_RATE_SOURCE``. Prices are drawn around the Bapanas price of the market's regency
for the month (Indonesian products) and a Malaysian price 5–15 % below it, in ringgit at the synthetic
rate; the share of Malaysian items is higher near the PLBN posts of Sambas and Sanggau.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from plut.border import services
from plut.border.models import ExchangeRate, Market, Survey
from plut.reference.models import Commodity, StaplePrice

SYNTHETIC_RATE_SOURCE = "SYNTHETIC (plut demo), not a real rate"
DEMO_NOTE = "Survei SINTETIS dibuat oleh plut border-seed --demo; bukan data sebenarnya."  # stored data, shown as is
# Probability that an item on sale is of Malaysian origin, by regency (invented for the demo).
MALAYSIAN_SHARE = {"61.01": 0.6, "61.03": 0.55, "61.07": 0.4, "61.06": 0.45, "61.05": 0.3}
DEMO_COMMODITIES = [
    "Gula Konsumsi",
    "Minyak Goreng Kemasan",
    "Tepung Terigu Kemasan",
    "Beras Premium",
    "Telur Ayam Ras",
]


@transaction.atomic
def border_demo(*, actor, seed: int = 2026, months: int = 6) -> dict[str, int]:
    """Write synthetic rates and one survey per market per month for the last ``months`` Bapanas months.

    Idempotent: does nothing when demo surveys exist. Returns counts.
    """
    if Survey.objects.filter(source="demo").exists():
        return {"surveys": 0, "rates": 0}
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    last = StaplePrice.objects.order_by("-month").values_list("month", flat=True).first()
    if last is None:
        return {"surveys": 0, "rates": 0}
    month_starts = []
    day = last
    for _ in range(months):
        month_starts.append(day)
        day = (day - dt.timedelta(days=1)).replace(day=1)
    commodities = {c.name: c for c in Commodity.objects.filter(name__in=DEMO_COMMODITIES)}
    rates = 0
    surveys = 0
    for start in sorted(month_starts):
        survey_day = start + dt.timedelta(days=9)
        if not ExchangeRate.objects.filter(currency="MYR", on_date=survey_day).exists():
            value = Decimal(3400 + rng.randint(0, 300)).quantize(Decimal(1))
            services.rate_record(
                actor=actor, on_date=survey_day, idr_per_unit=value, source=SYNTHETIC_RATE_SOURCE
            )
            rates += 1
        rate = ExchangeRate.objects.get(currency="MYR", on_date=survey_day).idr_per_unit
        for market in Market.objects.filter(is_active=True).order_by("name"):
            share = MALAYSIAN_SHARE.get(market.regency_code, 0.3)
            observations = []
            for name in DEMO_COMMODITIES:
                commodity = commodities.get(name)
                if commodity is None:
                    continue
                bapanas = (
                    StaplePrice.objects.filter(
                        commodity=commodity, region__code=market.regency_code, month=start
                    )
                    .values_list("price_idr", flat=True)
                    .first()
                )
                if bapanas is None or rng.random() < 0.08:
                    observations.append({"commodity": commodity, "availability": "unavailable"})
                    continue
                malaysian = rng.random() < share
                if malaysian:
                    idr = bapanas * Decimal(1 - rng.uniform(0.05, 0.15))
                    price = (idr / rate).quantize(Decimal("0.05"), rounding=ROUND_HALF_UP)
                    currency, origin = "MYR", "MY"
                else:
                    price = (bapanas * Decimal(rng.uniform(0.95, 1.08))).quantize(Decimal(500))
                    currency, origin = "IDR", "ID"
                paid = rng.choice(["IDR", "MYR", ""]) if malaysian else rng.choice(["IDR", "IDR", ""])
                observations.append(
                    {
                        "commodity": commodity,
                        "origin": origin,
                        "price": price,
                        "currency": currency,
                        "paid_currency": paid,
                    }
                )
            services.survey_record(
                actor=actor,
                market=market,
                surveyed_on=survey_day,
                observations=observations,
                note=DEMO_NOTE,
                source="demo",
            )
            surveys += 1
    return {"surveys": surveys, "rates": rates}
