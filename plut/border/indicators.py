"""The border indicators, computed from observation rows (pure functions; the reads are in ``selectors``).

Every percentage is a ``Decimal`` rounded half-up to 0.01, or ``None`` when its denominator is zero
("not observed" never reads as 0 %). Formulas (unit: percent, %):

* **Dependency index** DI = 100 × M / N, where N = observations of staple commodities
  (``Commodity.category == "staple"``, Perpres 71/2015 art. 2(6)(a) jo. Perpres 59/2020) found on sale
  (available or scarce) with an origin, and M = those of Malaysian origin.
* **Basket-weighted dependency index** WDI = 100 × Σ_c w_c · (M_c / N_c) / Σ_c w_c over the basket
  commodities c observed in the group (N_c > 0), with the office's weights w_c valid on the group's
  last survey date (``BasketWeight``). Commodities outside the basket do not count.
* **Price gap** of a commodity (per unit) = 100 × (P_MY − P_ID) / P_ID, where P_MY and P_ID are the
  mean rupiah prices (``price_idr``, converted at the day's rate) of its Malaysian- and Indonesian-origin
  observations in the same unit; positive means the Malaysian product is dearer. Needs both origins.
* **Rupiah share** of observed transactions = 100 × T_IDR / (T_IDR + T_MYR), where T are the sampled
  transactions (observations with a ``paid_currency``) paid in each currency.
* **Availability gap** = 100 × U / S, where S = staple observations and U = those not available;
  the commodities found scarce or not available are listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ObsRow:
    """One observation with the fields the indicators need."""

    market_id: int
    market_name: str
    district_code: str
    regency_code: str
    surveyed_on: dt.date
    commodity_id: int
    commodity_name: str
    category: str
    origin: str
    unit: str
    price_idr: int | None
    availability: str
    paid_currency: str

    @property
    def month(self) -> str:
        return self.surveyed_on.strftime("%Y-%m")


def pct(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """Return 100 × numerator / denominator rounded half-up to 0.01, ``None`` when the denominator is 0."""
    if not denominator:
        return None
    return (HUNDRED * Decimal(numerator) / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(CENT, rounding=ROUND_HALF_UP)


KEYS: dict[str, Callable[[ObsRow], str]] = {
    "market": lambda r: str(r.market_id),
    "district": lambda r: r.district_code,
    "regency": lambda r: r.regency_code,
    "month": lambda r: r.month,
}


def indicators_of(rows: list[ObsRow], weights_on: Callable[[dt.date], dict[int, Decimal]]) -> dict[str, Any]:
    """Return every indicator of one group of observations (see the module docstring)."""
    staples = [r for r in rows if r.category == "staple"]
    on_sale = [r for r in staples if r.availability != "unavailable" and r.origin]
    my = [r for r in on_sale if r.origin == "MY"]
    # Weighted index: per-commodity shares with the basket in force on the last survey date.
    as_of = max((r.surveyed_on for r in rows), default=None)
    weights = weights_on(as_of) if as_of else {}
    per_commodity: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in on_sale:
        per_commodity[r.commodity_id][1] += 1
        if r.origin == "MY":
            per_commodity[r.commodity_id][0] += 1
    num, den = Decimal(0), Decimal(0)
    for cid, (m, n) in per_commodity.items():
        w = weights.get(cid)
        if w:
            num += w * Decimal(m) / Decimal(n)
            den += w
    weighted = (HUNDRED * num / den).quantize(CENT, rounding=ROUND_HALF_UP) if den else None
    # Price gaps per (commodity, unit).
    prices: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: {"MY": [], "ID": []})
    for r in rows:
        if r.price_idr is not None and r.origin in ("MY", "ID"):
            prices[(r.commodity_name, r.unit)][r.origin].append(r.price_idr)
    gaps = []
    for (name, unit), by_origin in sorted(prices.items()):
        if by_origin["MY"] and by_origin["ID"]:
            p_my, p_id = _mean(by_origin["MY"]), _mean(by_origin["ID"])
            gaps.append(
                {
                    "commodity": name,
                    "unit": unit,
                    "my_mean_idr": p_my,
                    "id_mean_idr": p_id,
                    "gap_pct": pct(p_my - p_id, p_id),
                    "n_my": len(by_origin["MY"]),
                    "n_id": len(by_origin["ID"]),
                }
            )
    paid = [r for r in rows if r.paid_currency]
    paid_idr = sum(1 for r in paid if r.paid_currency == "IDR")
    unavailable = [r for r in staples if r.availability == "unavailable"]
    short = sorted({r.commodity_name for r in rows if r.availability != "available"})
    return {
        "observations": len(rows),
        "dependency": {"value": pct(len(my), len(on_sale)), "my": len(my), "n": len(on_sale)},
        "weighted_dependency": {
            "value": weighted,
            "as_of": as_of,
            "commodities": sum(1 for cid in per_commodity if weights.get(cid)),
        },
        "rupiah_share": {"value": pct(paid_idr, len(paid)), "idr": paid_idr, "n": len(paid)},
        "availability_gap": {
            "value": pct(len(unavailable), len(staples)),
            "unavailable": len(unavailable),
            "n": len(staples),
            "commodities": short,
        },
        "price_gaps": gaps,
    }


def group_indicators(
    rows: Iterable[ObsRow], *, by: str, weights_on: Callable[[dt.date], dict[int, Decimal]]
) -> dict[str, dict[str, Any]]:
    """Return ``{group key: indicators}`` with ``by`` one of market, district, regency, month (sorted keys)."""
    key = KEYS[by]
    groups: dict[str, list[ObsRow]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return {k: indicators_of(groups[k], weights_on) for k in sorted(groups)}
