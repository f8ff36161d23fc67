"""Import-substitution matching on a small fixture: exactly these enterprises, in this order.

The Entikong market stands at (0.958022, 110.314635). Along a meridian one degree of latitude is
6,371.0088 km × π / 180 = 111.195 km, so an enterprise 0.1° north is 11.1 km away and one 1.0° north
111.2 km (rounded half-up to 0.1 km).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plut.border import matching
from plut.border.exports import leads_xlsx
from plut.enterprises.models import Permit, Product
from plut.enterprises.services import enterprise_register, figures_record, owner_register
from plut.regions.models import Region

pytestmark = pytest.mark.django_db
D = Decimal


def _enterprise(admin, name, village, kbli, *, lat=None, lng=None, products=()):
    owner, _w = owner_register(actor=admin, full_name=f"Pemilik {name}")
    ent, _w = enterprise_register(
        actor=admin,
        owner=owner,
        name=name,
        region=Region.objects.get(code=village),
        kbli_codes=[kbli],
        latitude=D(lat) if lat else None,
        longitude=D(lng) if lng else None,
    )
    for p in products:
        Product.objects.create(enterprise=ent, name=p)
    return ent


@pytest.fixture
def suppliers(dataset):
    admin = dataset.s1.enumerator
    market = dataset.entikong
    assert (market.latitude, market.longitude) == (D("0.958022"), D("110.314635"))
    toko = _enterprise(
        admin, "Toko Sembako Batas", "61.03.21.2003", "47243", lat="0.958022", lng="110.314635"
    )
    aren = _enterprise(
        admin,
        "Gula Aren Sekayam",
        "61.03.21.2003",
        "10722",
        lat="1.058022",
        lng="110.314635",
        products=["Gula Aren Cetak"],
    )
    pabrik = _enterprise(
        admin, "Pabrik Gula Paloh", "61.01.08.2007", "10721", lat="1.958022", lng="110.314635"
    )
    kopi = _enterprise(admin, "Kopi Batas", "61.03.21.2003", "56101", products=["Kopi bubuk"])
    Permit.objects.create(enterprise=toko, kind=Permit.Kind.HALAL, number="ID61110000123450124")
    Permit.objects.create(
        enterprise=toko, kind=Permit.Kind.PIRT, number="2066101010123-29", status=Permit.Status.EXPIRED
    )
    figures_record(actor=admin, enterprise=aren, as_of=dt.date(2025, 12, 31), annual_sales_idr=3_000_000_000)
    return {"toko": toko, "aren": aren, "pabrik": pabrik, "kopi": kopi}


def _lead(leads, market, commodity):
    return next(x for x in leads if x["market"].name == market and x["commodity"].name == commodity)


class TestMatching:
    def test_malaysian_items_are_every_market_and_commodity_seen_of_malaysian_origin(
        self, dataset, suppliers
    ):
        items = matching.malaysian_items(user=dataset.s1.enumerator)
        assert [(m.name, c.name) for m, c in items] == [
            ("Pasar PLBN Aruk", "Beras Premium"),
            ("Pasar PLBN Entikong", "Gula Konsumsi"),
            ("Pasar PLBN Entikong", "LPG 3 kg"),
            ("Pasar PLBN Entikong", "Minyak Goreng Kemasan"),
            ("Pasar PLBN Entikong", "Tepung Terigu Kemasan"),
        ]

    def test_sugar_at_entikong_finds_the_makers_and_traders_nearest_first(self, dataset, suppliers):
        leads = matching.lead_list(user=dataset.s1.enumerator)
        found = _lead(leads, "Pasar PLBN Entikong", "Gula Konsumsi")["candidates"]
        assert [
            (c["enterprise"].name, c["distance_km"], c["size_class"], c["permits"], c["matched_on"])
            for c in found
        ] == [
            # KBLI 47243 (retail of sugar) is linked to Gula Konsumsi; an expired P-IRT does not count.
            ("Toko Sembako Batas", D("0.0"), "", ["halal"], ["KBLI 47243"]),
            # KBLI 10722 (palm sugar) is not linked, but the product name holds "gula"; sales Rp3 bn: small.
            ("Gula Aren Sekayam", D("11.1"), "small", [], ["Gula Aren Cetak"]),
            # KBLI 10721 (white sugar industry), 1° north.
            ("Pabrik Gula Paloh", D("111.2"), "", [], ["KBLI 10721"]),
        ]

    def test_nothing_matches_lpg_and_the_coffee_shop_never_appears(self, dataset, suppliers):
        leads = matching.lead_list(user=dataset.s1.enumerator)
        assert _lead(leads, "Pasar PLBN Entikong", "LPG 3 kg")["candidates"] == []
        names = {c["enterprise"].name for lead in leads for c in lead["candidates"]}
        assert "Kopi Batas" not in names

    def test_a_regency_officer_sees_only_their_markets_and_enterprises(self, dataset, suppliers):
        from plut.accounts.models import User

        officer = User.objects.get(username="officer_sanggau")
        leads = matching.lead_list(user=officer)
        assert {x["market"].name for x in leads} == {"Pasar PLBN Entikong"}
        found = _lead(leads, "Pasar PLBN Entikong", "Gula Konsumsi")["candidates"]
        assert [c["enterprise"].name for c in found] == ["Toko Sembako Batas", "Gula Aren Sekayam"]

    def test_the_lead_list_workbook_keeps_identifiers_as_text(self, dataset, suppliers):
        import io

        leads = matching.lead_list(user=dataset.s1.enumerator)
        wb = load_workbook(io.BytesIO(leads_xlsx(leads)))
        rows = list(wb.active.iter_rows(values_only=True))
        sugar = [r for r in rows[1:] if r[1] == "Gula Konsumsi"]
        assert [(r[2], r[3], r[4], r[6]) for r in sugar] == [
            (1, "Toko Sembako Batas", "61.03.21.2003", 0),
            (2, "Gula Aren Sekayam", "61.03.21.2003", 11.1),
            (3, "Pabrik Gula Paloh", "61.01.08.2007", 111.2),
        ]
        assert wb.active.cell(row=2, column=5).number_format == "@"
