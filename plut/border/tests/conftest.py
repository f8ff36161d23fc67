"""A small survey dataset whose indicators are worked out by hand in ``test_indicators``.

Rates (IDR per MYR): 8 March 2025 = 3,500; 5 April 2025 = 3,600. Basket: Gula Konsumsi 2,
Minyak Goreng Kemasan 1, Beras Premium 1 (from 1 January 2025).

Survey S1, Pasar PLBN Entikong (61.03.21, Sanggau), Saturday 8 March 2025 — a mixed IDR/MYR day:
  1 Gula Konsumsi        MY  RM 4.20/kg  = Rp 14,700  paid MYR
  2 Gula Konsumsi        ID  Rp 16,000/kg             paid IDR
  3 Minyak Goreng Kemasan MY RM 6.00/l   = Rp 21,000  paid MYR
  4 Minyak Goreng Kemasan ID Rp 20,000/l              (no transaction sampled)
  5 Tepung Terigu Kemasan MY RM 3.10/kg  = Rp 10,850  paid IDR
  6 Telur Ayam Ras       not available
  7 LPG 3 kg (important good, not a staple) MY RM 9.00 = Rp 31,500 paid MYR
  purchases: RM 700 (above RM 600); Rp 2,000,000 = RM 571.43 (not above)
Survey S2, Pasar PLBN Entikong, Monday 10 March 2025 (no rate that day: the 8 March rate is used):
  8 Gula Konsumsi        MY  RM 4.40/kg  = Rp 15,400  paid MYR
Survey S3, Pasar PLBN Aruk (61.01.09, Sambas), 5 April 2025:
  9 Gula Konsumsi        ID  Rp 17,000/kg             paid IDR
 10 Beras Premium        MY  RM 3.50/kg  = Rp 12,600  paid IDR
 11 Beras Premium        ID  Rp 15,000/kg
  purchases: Rp 2,500,000 = RM 694.44 (above RM 600 by RM 94.44)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from plut.border import services
from plut.border.models import Market, Survey
from plut.reference.models import Commodity

D = Decimal


@dataclass
class Dataset:
    entikong: Market
    aruk: Market
    s1: Survey
    s2: Survey
    s3: Survey


def obs(name: str, origin: str = "", price: str | None = None, currency: str = "", paid: str = "", **kw):
    return {
        "commodity": Commodity.objects.get(name=name),
        "origin": origin,
        "price": D(price) if price is not None else None,
        "currency": currency,
        "paid_currency": paid,
        **kw,
    }


@pytest.fixture
def seeded(cast):
    services.border_seed()
    return cast


@pytest.fixture
def dataset(seeded) -> Dataset:
    admin = seeded.admin
    services.rate_record(actor=admin, on_date=dt.date(2025, 3, 8), idr_per_unit=D("3500"), source="test")
    services.rate_record(actor=admin, on_date=dt.date(2025, 4, 5), idr_per_unit=D("3600"), source="test")
    for name, weight in (("Gula Konsumsi", "2"), ("Minyak Goreng Kemasan", "1"), ("Beras Premium", "1")):
        services.basket_weight_set(
            actor=admin,
            commodity=Commodity.objects.get(name=name),
            weight=D(weight),
            valid_from=dt.date(2025, 1, 1),
        )
    entikong = Market.objects.get(name="Pasar PLBN Entikong")
    aruk = Market.objects.get(name="Pasar PLBN Aruk")
    s1 = services.survey_record(
        actor=admin,
        market=entikong,
        surveyed_on=dt.date(2025, 3, 8),
        observations=[
            obs("Gula Konsumsi", "MY", "4.20", "MYR", "MYR", brand="Gula Prai"),
            obs("Gula Konsumsi", "ID", "16000", "IDR", "IDR", brand="Gulaku"),
            obs("Minyak Goreng Kemasan", "MY", "6.00", "MYR", "MYR", brand="Buruh", unit="liter"),
            obs("Minyak Goreng Kemasan", "ID", "20000", "IDR", "", brand="Bimoli", unit="liter"),
            obs("Tepung Terigu Kemasan", "MY", "3.10", "MYR", "IDR"),
            obs("Telur Ayam Ras", availability="unavailable"),
            obs("LPG 3 kg", "MY", "9.00", "MYR", "MYR", unit="tabung"),
        ],
        purchases=[
            {"goods": "sembako", "amount": D("700"), "currency": "MYR"},
            {"goods": "gula", "amount": D("2000000"), "currency": "IDR"},
        ],
    )
    s2 = services.survey_record(
        actor=admin,
        market=entikong,
        surveyed_on=dt.date(2025, 3, 10),
        observations=[obs("Gula Konsumsi", "MY", "4.40", "MYR", "MYR")],
    )
    s3 = services.survey_record(
        actor=admin,
        market=aruk,
        surveyed_on=dt.date(2025, 4, 5),
        observations=[
            obs("Gula Konsumsi", "ID", "17000", "IDR", "IDR"),
            obs("Beras Premium", "MY", "3.50", "MYR", "IDR"),
            obs("Beras Premium", "ID", "15000", "IDR"),
        ],
        purchases=[{"goods": "beras", "amount": D("2500000"), "currency": "IDR"}],
    )
    return Dataset(entikong=entikong, aruk=aruk, s1=s1, s2=s2, s3=s3)
