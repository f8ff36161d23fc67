"""The border API (``/api/v1/border``) and pages: figures, scope, denied roles, exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plut.accounts.models import User
from plut.accounts.services import api_token_create
from plut.border.models import ExchangeRate, Survey
from plut.reference.models import Commodity

pytestmark = pytest.mark.django_db
URL = "/api/v1/border"


def bearer(username: str) -> dict[str, str]:
    key, _ = api_token_create(actor=None, user=User.objects.get(username=username), name="t")
    return {"authorization": f"Bearer {key}"}


class TestApi:
    def test_indicators_by_district(self, client, dataset):
        body = client.get(f"{URL}/indicators?by=district", headers=bearer("admin")).json()
        entikong = next(r for r in body if r["key"] == "61.03.21")
        assert entikong["dependency"] == {"value": "66.67", "my": 4, "n": 6}
        assert entikong["weighted_dependency"]["value"] == "61.11"
        assert entikong["rupiah_share"]["value"] == "33.33"
        assert entikong["price_gaps"][0]["gap_pct"] == "-5.94"

    def test_indicators_are_scoped_and_denied_to_the_ministry(self, client, dataset):
        body = client.get(f"{URL}/indicators?by=regency", headers=bearer("officer_sambas")).json()
        assert [r["key"] for r in body] == ["61.01"]
        assert client.get(f"{URL}/indicators", headers=bearer("ministry")).status_code == 403

    def test_surveys_list_and_create(self, client, dataset):
        body = client.get(f"{URL}/surveys", headers=bearer("officer_sanggau")).json()
        assert body["count"] == 2
        assert {s["market"] for s in body["items"]} == {"Pasar PLBN Entikong"}
        payload = {
            "market_id": dataset.entikong.pk,
            "surveyed_on": "2025-03-08",
            "observations": [
                {
                    "commodity": "gula-konsumsi",
                    "origin": "MY",
                    "price": "4.30",
                    "currency": "MYR",
                    "paid_currency": "MYR",
                }
            ],
        }
        response = client.post(
            f"{URL}/surveys", payload, content_type="application/json", headers=bearer("officer_sanggau")
        )
        assert response.status_code == 201, response.content
        obs = response.json()["observations"][0]
        assert (obs["price"], obs["rate"], obs["rate_date"], obs["price_idr"]) == (
            "4.30",
            "3500.0000",
            "2025-03-08",
            15050,
        )

    def test_a_missing_rate_is_a_422_naming_the_date(self, client, dataset):
        payload = {
            "market_id": dataset.entikong.pk,
            "surveyed_on": "2025-01-15",
            "observations": [
                {"commodity": "gula-konsumsi", "origin": "MY", "price": "4.30", "currency": "MYR"}
            ],
        }
        response = client.post(
            f"{URL}/surveys", payload, content_type="application/json", headers=bearer("admin")
        )
        assert response.status_code == 422
        assert "15 Januari 2025" in response.json()["detail"]["observations.1.currency"][0]

    def test_an_officer_cannot_survey_another_regency(self, client, dataset):
        payload = {
            "market_id": dataset.entikong.pk,
            "surveyed_on": "2025-03-08",
            "observations": [
                {"commodity": "gula-konsumsi", "origin": "ID", "price": "16000", "currency": "IDR"}
            ],
        }
        response = client.post(
            f"{URL}/surveys", payload, content_type="application/json", headers=bearer("officer_sambas")
        )
        assert response.status_code == 404
        assert Survey.objects.count() == 3

    def test_rates(self, client, dataset):
        body = client.get(f"{URL}/rates", headers=bearer("analyst")).json()
        assert [(r["on_date"], r["idr_per_unit"]) for r in body["items"]] == [
            ("2025-04-05", "3600.0000"),
            ("2025-03-08", "3500.0000"),
        ]
        payload = {"on_date": "2025-05-02", "idr_per_unit": "3650.25", "source": "JISDOR"}
        assert (
            client.post(
                f"{URL}/rates", payload, content_type="application/json", headers=bearer("analyst")
            ).status_code
            == 403
        )
        response = client.post(
            f"{URL}/rates", payload, content_type="application/json", headers=bearer("admin")
        )
        assert response.status_code == 201
        assert str(ExchangeRate.objects.get(on_date="2025-05-02").idr_per_unit) == "3650.2500"


class TestPages:
    def test_the_dashboard_shows_the_indicators_in_scope(self, client, dataset):
        client.force_login(User.objects.get(username="officer_sambas"))
        response = client.get("/border/")
        assert response.status_code == 200
        assert [r["key"] for r in response.context["by_district"]] == ["61.01.09"]
        assert b'data-testid="dependency-61.01.09" data-value="33.33"' in response.content

    def test_entrepreneurs_and_the_ministry_are_refused(self, client, dataset):
        for name in ("entrepreneur", "ministry"):
            client.force_login(User.objects.get(username=name))
            assert client.get("/border/").status_code == 403
            assert client.get("/border/trend.json").status_code == 403

    def test_the_map_and_trend_feeds(self, client, dataset):
        client.force_login(User.objects.get(username="admin"))
        geo = client.get("/border/map/districts.geojson").json()
        props = {f["properties"]["code"]: f["properties"] for f in geo["features"]}
        assert props["61.03.21"]["dependency_pct"] == 66.67
        assert props["61.01.09"]["dependency_pct"] == 33.33
        assert props["61.01.08"]["dependency_pct"] is None  # a border district without a survey
        trend = client.get("/border/trend.json").json()
        assert trend["months"] == ["2025-03", "2025-04"]
        assert trend["dependency"] == [66.67, 33.33]

    def test_the_survey_form_records_and_a_missing_rate_is_shown(self, client, dataset):
        client.force_login(User.objects.get(username="admin"))
        gula = Commodity.objects.get(name="Gula Konsumsi")
        data = {
            "market": dataset.aruk.pk,
            "surveyed_on": "2025-02-20",
            "obs-TOTAL_FORMS": "1",
            "obs-INITIAL_FORMS": "0",
            "obs-0-commodity": gula.pk,
            "obs-0-origin": "MY",
            "obs-0-price": "4.20",
            "obs-0-currency": "MYR",
            "obs-0-availability": "available",
            "buy-TOTAL_FORMS": "0",
            "buy-INITIAL_FORMS": "0",
        }
        response = client.post("/border/surveys/new/", data)
        assert response.status_code == 400
        assert "20 Februari 2025" in response.content.decode()
        data["surveyed_on"] = "2025-04-06"
        response = client.post("/border/surveys/new/", data)
        assert response.status_code == 302
        assert Survey.objects.filter(surveyed_on="2025-04-06").get().observations.get().price_idr == 15120

    def test_the_indicator_workbook_keeps_codes_as_text_and_neutralises_formulas(self, client, dataset):
        dataset.entikong.name = "=HYPERLINK(1)"
        dataset.entikong.save(update_fields=["name"])
        client.force_login(User.objects.get(username="analyst"))
        for by in ("district", "market"):
            response = client.get(f"/border/indicators.xlsx?by={by}")
            wb = load_workbook(io.BytesIO(response.content))
            rows = list(wb.active.iter_rows(values_only=True))
            if by == "district":
                assert rows[1][:4] == ("61.01.09", "Sajingan Besar", 3, 33.33)
                assert wb.active.cell(row=2, column=1).number_format == "@"
            else:
                assert "'=HYPERLINK(1)" in [r[1] for r in rows[1:]]


class TestMore:
    def test_prices_beside_bapanas_over_the_api(self, client, dataset):
        body = client.get(f"{URL}/indicators/prices?month=2025-04", headers=bearer("analyst")).json()
        assert body[0] == {
            "regency_code": "61.01",
            "regency": "Kabupaten Sambas",
            "month": "2025-04",
            "commodity": "Beras Premium",
            "unit": "kg",
            "my_mean_idr": "12600.00",
            "id_mean_idr": "15000.00",
            "bapanas_idr": "16513.00",
            "pontianak_idr": "17000.00",
        }
        assert client.get(f"{URL}/indicators/prices", headers=bearer("ministry")).status_code == 403

    def test_the_dashboard_shows_the_bapanas_comparison(self, client, dataset):
        client.force_login(User.objects.get(username="admin"))
        html = client.get("/border/?month=2025-04").content.decode()
        assert 'id="beside-table"' in html and "16.513" in html

    def test_the_branding_workbook(self, client, seeded):
        client.force_login(User.objects.get(username="consultant"))
        wb = load_workbook(io.BytesIO(client.get("/border/branding.xlsx").content))
        # The consultant covers Sanggau and Bengkayang: Amplang Temajuk (Sambas) is not theirs.
        assert list(wb.active.iter_rows(values_only=True))[1:] == []
        client.force_login(User.objects.get(username="admin"))
        wb = load_workbook(io.BytesIO(client.get("/border/branding.xlsx").content))
        rows = list(wb.active.iter_rows(values_only=True))[1:]
        assert rows == [
            (
                "Amplang Temajuk",
                "61.01.08.2007",
                "1234567890123",
                "trademark, pirt_or_halal, own_packaging",
                None,
            )
        ]


class TestSurveyDetailAndSettings:
    def test_a_survey_page_says_which_rate_was_used(self, client, dataset):
        client.force_login(User.objects.get(username="officer_sanggau"))
        html = client.get(f"/border/surveys/{dataset.s2.pk}/").content.decode()
        assert "3500,0000" in html or "3500.0000" in html
        assert "2025-03-08" in html and "15.400" in html
        # Another regency's officer gets a 404, not a hint.
        client.force_login(User.objects.get(username="officer_sambas"))
        assert client.get(f"/border/surveys/{dataset.s2.pk}/").status_code == 404

    def test_the_office_sets_weights_allowance_and_markets(self, client, dataset):
        from plut.border.models import BasketWeight, Market, TradeAllowance

        client.force_login(User.objects.get(username="analyst"))
        assert client.get("/border/settings/").status_code == 403
        client.force_login(User.objects.get(username="admin"))
        gula = Commodity.objects.get(name="Gula Konsumsi")
        response = client.post(
            "/border/settings/",
            {
                "action": "weight",
                "weight-commodity": gula.pk,
                "weight-weight": "3",
                "weight-valid_from": "2025-06-01",
            },
        )
        assert response.status_code == 302
        assert list(
            BasketWeight.objects.filter(commodity=gula)
            .order_by("valid_from")
            .values_list("weight", "valid_from", "valid_to")
        ) == [
            (Decimal("2.000"), dt.date(2025, 1, 1), dt.date(2025, 5, 31)),
            (Decimal("3.000"), dt.date(2025, 6, 1), None),
        ]
        response = client.post(
            "/border/settings/",
            {
                "action": "market",
                "market-name": "Pasar Perbatasan Temajuk",
                "market-kind": "border",
                "market-region_code": "61.01.08.2007",
                "market-latitude": "1.950000",
                "market-longitude": "109.520000",
                "market-market_days": ["6", "7"],
            },
        )
        assert response.status_code == 302
        market = Market.objects.get(name="Pasar Perbatasan Temajuk")
        assert (market.district_code, market.regency_code, market.market_days) == (
            "61.01.08",
            "61.01",
            [6, 7],
        )
        response = client.post(
            "/border/settings/",
            {
                "action": "allowance",
                "allowance-amount": "600",
                "allowance-currency": "MYR",
                "allowance-valid_from": "1970-08-24",
                "allowance-source": "x",
            },
        )
        assert response.status_code == 400  # must start after the current one
        assert TradeAllowance.objects.count() == 1


def test_the_dashboard_query_count_does_not_grow_with_the_data(client, dataset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plut.border import services
    from plut.border.tests.conftest import obs

    admin = User.objects.get(username="admin")
    client.force_login(admin)
    client.get("/border/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as before:
        assert client.get("/border/").status_code == 200
    for day in (11, 12, 13):
        services.survey_record(
            actor=admin,
            market=dataset.entikong,
            surveyed_on=dt.date(2025, 3, day),
            observations=[
                obs("Gula Konsumsi", "MY", "4.50", "MYR", "MYR"),
                obs("Beras Premium", "ID", "15500", "IDR"),
            ],
            purchases=[{"amount": Decimal("800"), "currency": "MYR"}],
        )
    with CaptureQueriesContext(connection) as after:
        assert client.get("/border/").status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
