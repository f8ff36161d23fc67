"""The seed (commodities, PLBN markets, allowance) and the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from plut.border.models import Market, TradeAllowance
from plut.reference.models import Commodity

pytestmark = pytest.mark.django_db


def test_the_seed_completes_the_bapanas_commodities_and_adds_the_perpres_goods(reference_data):
    out = StringIO()
    call_command("border_seed", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["markets"], body["allowances"], body["market_total"]) == (5, 1, 5)
    # 20 Bapanas commodities completed (none duplicated) + 9 important goods of Perpres 71/2015 art. 2(6)(b).
    assert Commodity.objects.count() == 29
    assert Commodity.objects.filter(category="staple").count() == 18
    assert sorted(Commodity.objects.filter(category="important").values_list("name", flat=True)) == [
        "Baja Ringan",
        "Benih Jagung",
        "Benih Kedelai",
        "Benih Padi",
        "Besi Baja Konstruksi",
        "LPG 3 kg",
        "Pupuk",
        "Semen",
        "Triplek",
    ]
    gula = Commodity.objects.get(name="Gula Konsumsi")
    assert (gula.unit, gula.group) == ("kg", "industry")
    assert sorted(gula.kbli_codes.values_list("code", flat=True)) == ["10721", "46331", "47243", "47823"]
    assert "59/2020" in gula.basis
    assert Commodity.objects.get(name="Minyak Goreng Kemasan").unit == "liter"  # Bapanas unit kept
    nanga = Market.objects.get(name="Pasar PLBN Nanga Badau (PLBN Terpadu Badau)")
    assert (nanga.region.code, nanga.district_code, nanga.regency_code, nanga.kind) == (
        "61.06.14",
        "61.06.14",
        "61.06",
        "plbn",
    )
    allowance = TradeAllowance.objects.get()
    assert (allowance.amount, allowance.currency) == (Decimal("600.00"), "MYR")
    # Idempotent.
    call_command("border_seed", "--json", stdout=StringIO())
    assert (Market.objects.count(), Commodity.objects.count(), TradeAllowance.objects.count()) == (5, 29, 1)


def test_border_import_exits_1_and_lists_the_rejected_rows(reference_data, cast, tmp_path):
    call_command("border_seed", stdout=StringIO())
    path = tmp_path / "kurs.csv"
    path.write_text("tanggal,kurs\n2025-03-08,abc\n")
    out = StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("border_import", str(path), "--rates", "--user", "admin", "--json", stdout=out)
    assert info.value.code == 1
    body = json.loads(out.getvalue())
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(2, "kurs", "rate.format")]


def test_the_demo_writes_marked_synthetic_surveys_once(reference_data, cast):
    from plut.border.demo import DEMO_NOTE, SYNTHETIC_RATE_SOURCE
    from plut.border.models import ExchangeRate, Survey

    out = StringIO()
    call_command("border_seed", "--demo", "--json", stdout=out)
    body = json.loads(out.getvalue())
    # 5 PLBN markets × 6 months (Mar–Aug 2025, the last Bapanas months); one synthetic rate a month.
    assert (body["demo_surveys"], body["demo_rates"]) == (30, 6)
    assert set(Survey.objects.values_list("source", "note")) == {("demo", DEMO_NOTE)}
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {SYNTHETIC_RATE_SOURCE}
    call_command("border_seed", "--demo", "--json", stdout=StringIO())
    assert Survey.objects.count() == 30
