"""The staple-price feed of the dashboard chart (Panel Harga Pangan Nasional, Bapanas)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRICES = reverse("dashboard:prices_json")


def test_it_requires_login(client):
    response = client.get(PRICES)
    assert response.status_code == 302


def test_it_returns_twenty_months_for_sambas_beras_premium(client, admin_user):
    client.force_login(admin_user)
    response = client.get(PRICES, {"commodity": "beras-premium", "regions": "61.01,61.71"})
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["unit"] == "Rp/kg"
    assert payload["commodity"] == {"slug": "beras-premium", "name": "Beras Premium", "unit": "kg"}
    assert len(payload["months"]) == 20
    assert payload["months"][0] == "2024-01"
    assert payload["months"][-1] == "2025-08"
    sambas, pontianak = payload["series"]
    assert (sambas["code"], sambas["name"]) == ("61.01", "Kabupaten Sambas")
    assert len(sambas["values"]) == 20
    assert sambas["values"][0] == 16000
    assert sambas["values"][1] == 16941
    assert pontianak["code"] == "61.71"
    assert "Badan Pangan Nasional" in payload["source"]


def test_it_defaults_to_the_border_regencies_and_pontianak(client, admin_user):
    client.force_login(admin_user)
    payload = json.loads(client.get(PRICES, {"commodity": "beras-premium"}).content)
    assert [s["code"] for s in payload["series"]] == ["61.01", "61.07", "61.03", "61.05", "61.06", "61.71"]


def test_cooking_oil_is_priced_per_litre(client, admin_user):
    client.force_login(admin_user)
    payload = json.loads(
        client.get(PRICES, {"commodity": "minyak-goreng-kemasan", "regions": "61.06"}).content
    )
    assert payload["unit"] == "Rp/liter"
    assert len(payload["series"][0]["values"]) == 20


def test_ministry_reviewers_see_prices(client, reviewer):
    client.force_login(reviewer)
    response = client.get(PRICES, {"commodity": "beras-premium", "regions": "61.01"})
    assert response.status_code == 200


def test_an_unknown_commodity_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(PRICES, {"commodity": "durian", "regions": "61.01"}).status_code == 404


def test_malformed_regions_are_rejected(client, admin_user):
    client.force_login(admin_user)
    assert (
        client.get(PRICES, {"commodity": "beras-premium", "regions": "61.01,drop table"}).status_code == 400
    )


def test_prices_use_three_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    # Session and user, then commodity, regions, prices.
    with django_assert_num_queries(5):
        client.get(PRICES, {"commodity": "beras-premium", "regions": "61.01,61.03,61.71"})
