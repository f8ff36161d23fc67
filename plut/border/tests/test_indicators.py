"""Every indicator on the hand-worked dataset of ``conftest.py`` (expected values computed below)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plut.border import selectors, services
from plut.border.models import BorderPurchase, Observation
from plut.border.rates import RateMissing, to_rupiah
from plut.border.tests.conftest import obs

D = Decimal
pytestmark = pytest.mark.django_db


def by_key(rows):
    return {r["key"]: r for r in rows}


class TestConversion:
    def test_a_mixed_day_stores_amount_currency_rate_and_rate_date(self, dataset):
        rows = list(
            Observation.objects.filter(survey=dataset.s1)
            .order_by("id")
            .values_list("price", "currency", "rate", "rate_date", "price_idr")
        )
        march8 = dt.date(2025, 3, 8)
        assert rows == [
            (D("4.20"), "MYR", D("3500.0000"), march8, 14700),  # 4.20 × 3,500
            (D("16000.00"), "IDR", None, None, 16000),
            (D("6.00"), "MYR", D("3500.0000"), march8, 21000),
            (D("20000.00"), "IDR", None, None, 20000),
            (D("3.10"), "MYR", D("3500.0000"), march8, 10850),
            (None, "", None, None, None),  # not available: no price
            (D("9.00"), "MYR", D("3500.0000"), march8, 31500),
        ]

    def test_a_day_without_a_rate_uses_the_latest_rate_of_the_week_before_and_says_which(self, dataset):
        o = Observation.objects.get(survey=dataset.s2)
        assert (o.rate, o.rate_date, o.price_idr) == (D("3500.0000"), dt.date(2025, 3, 8), 15400)

    def test_a_missing_rate_is_an_error_naming_the_date_and_nothing_is_saved(self, dataset):
        before = Observation.objects.count()
        with pytest.raises(ValidationError) as info:
            services.survey_record(
                actor=dataset.s1.enumerator,
                market=dataset.aruk,
                surveyed_on=dt.date(2025, 2, 20),
                observations=[
                    obs("Gula Konsumsi", "ID", "16000", "IDR"),
                    obs("Gula Konsumsi", "MY", "4.20", "MYR"),
                ],
            )
        message = info.value.message_dict["observations.2.currency"][0]
        assert "20 Februari 2025" in message
        assert Observation.objects.count() == before

    def test_a_rate_older_than_seven_days_is_not_used(self, dataset):
        # 8 March + 7 days = 15 March is the last day the 8 March rate covers.
        assert to_rupiah(D("1"), "MYR", dt.date(2025, 3, 15)).amount_idr == 3500
        with pytest.raises(RateMissing) as info:
            to_rupiah(D("1"), "MYR", dt.date(2025, 3, 16))
        assert info.value.value == "2025-03-16"
        assert "16 Maret 2025" in str(info.value)

    def test_a_rupiah_price_needs_no_rate(self, seeded):
        assert to_rupiah(D("16000"), "IDR", dt.date(2000, 1, 1)).amount_idr == 16000


class TestIndicatorsByDistrict:
    def test_dependency_index(self, dataset):
        rows = by_key(selectors.indicators(user=dataset.s1.enumerator, by="district"))
        assert list(rows) == ["61.01.09", "61.03.21"]
        # Entikong: staples on sale with an origin = obs 1,2,3,4,5,8 (6); Malaysian = 1,3,5,8 (4).
        # LPG 3 kg (7) is an important good, not a staple; Telur (6) is not on sale. 100 × 4/6 = 66.67 %.
        assert rows["61.03.21"]["dependency"] == {"value": D("66.67"), "my": 4, "n": 6}
        # Aruk: obs 9, 10, 11; Malaysian = 10. 100 × 1/3 = 33.33 %.
        assert rows["61.01.09"]["dependency"] == {"value": D("33.33"), "my": 1, "n": 3}
        assert rows["61.03.21"]["label"] == "Entikong"

    def test_weighted_dependency_index(self, dataset):
        rows = by_key(selectors.indicators(user=dataset.s1.enumerator, by="district"))
        # Entikong: Gula 2 of 3 Malaysian (w 2), Minyak 1 of 2 (w 1); Tepung has no weight.
        # 100 × (2 × 2/3 + 1 × 1/2) / (2 + 1) = 100 × 1.8333… / 3 = 61.11 %.
        assert rows["61.03.21"]["weighted_dependency"] == {
            "value": D("61.11"),
            "as_of": dt.date(2025, 3, 10),
            "commodities": 2,
        }
        # Aruk: Gula 0 of 1 (w 2), Beras 1 of 2 (w 1): 100 × (0 + 0.5) / 3 = 16.67 %.
        assert rows["61.01.09"]["weighted_dependency"]["value"] == D("16.67")

    def test_price_gap(self, dataset):
        rows = by_key(selectors.indicators(user=dataset.s1.enumerator, by="district"))
        # Gula: Malaysian mean (14,700 + 15,400) / 2 = 15,050 vs 16,000: 100 × −950 / 16,000 = −5.94 %.
        # Minyak: 21,000 vs 20,000: +5.00 %. Tepung and LPG have no Indonesian price: no gap.
        assert rows["61.03.21"]["price_gaps"] == [
            {
                "commodity": "Gula Konsumsi",
                "unit": "kg",
                "my_mean_idr": D("15050.00"),
                "id_mean_idr": D("16000.00"),
                "gap_pct": D("-5.94"),
                "n_my": 2,
                "n_id": 1,
            },
            {
                "commodity": "Minyak Goreng Kemasan",
                "unit": "liter",
                "my_mean_idr": D("21000.00"),
                "id_mean_idr": D("20000.00"),
                "gap_pct": D("5.00"),
                "n_my": 1,
                "n_id": 1,
            },
        ]
        # Beras at Aruk: 12,600 vs 15,000: 100 × −2,400 / 15,000 = −16.00 %.
        assert [(g["commodity"], g["gap_pct"]) for g in rows["61.01.09"]["price_gaps"]] == [
            ("Beras Premium", D("-16.00"))
        ]

    def test_rupiah_share(self, dataset):
        rows = by_key(selectors.indicators(user=dataset.s1.enumerator, by="district"))
        # Entikong sampled transactions: 1 MYR, 2 IDR, 3 MYR, 5 IDR, 7 MYR, 8 MYR: 100 × 2/6 = 33.33 %.
        assert rows["61.03.21"]["rupiah_share"] == {"value": D("33.33"), "idr": 2, "n": 6}
        assert rows["61.01.09"]["rupiah_share"] == {"value": D("100.00"), "idr": 2, "n": 2}

    def test_availability_gap(self, dataset):
        rows = by_key(selectors.indicators(user=dataset.s1.enumerator, by="district"))
        # Entikong staples observed: 1,2,3,4,5,6,8 (7); not available: 6. 100 × 1/7 = 14.29 %.
        assert rows["61.03.21"]["availability_gap"] == {
            "value": D("14.29"),
            "unavailable": 1,
            "n": 7,
            "commodities": ["Telur Ayam Ras"],
        }
        assert rows["61.01.09"]["availability_gap"]["value"] == D("0.00")


class TestOtherGroupings:
    def test_by_regency_market_and_month(self, dataset):
        user = dataset.s1.enumerator
        regency = by_key(selectors.indicators(user=user, by="regency"))
        assert {k: v["dependency"]["value"] for k, v in regency.items()} == {
            "61.01": D("33.33"),
            "61.03": D("66.67"),
        }
        market = by_key(selectors.indicators(user=user, by="market"))
        assert {v["label"]: v["dependency"]["value"] for v in market.values()} == {
            "Pasar PLBN Entikong": D("66.67"),
            "Pasar PLBN Aruk": D("33.33"),
        }
        # Trend over months: March is Entikong only, April Aruk only.
        month = by_key(selectors.indicators(user=user, by="month"))
        assert {k: v["rupiah_share"]["value"] for k, v in month.items()} == {
            "2025-03": D("33.33"),
            "2025-04": D("100.00"),
        }

    def test_one_day_of_one_market(self, dataset):
        # Entikong in March holds both S1 and S2: 66.67 % as by district.
        rows = selectors.indicators(
            user=dataset.s1.enumerator, by="market", market=dataset.entikong.pk, month="2025-03"
        )
        assert rows[0]["dependency"]["value"] == D("66.67")
        # S1 alone: staples on sale 1,2,3,4,5 (5), Malaysian 1,3,5 (3): 100 × 3/5 = 60.00 %.
        only_s1 = [
            r for r in selectors.observation_rows(user=dataset.s1.enumerator) if r.surveyed_on.day == 8
        ]
        from plut.border.indicators import indicators_of

        assert indicators_of(only_s1, selectors.weights_on)["dependency"]["value"] == D("60.00")

    def test_a_regency_officer_sees_only_their_regency(self, dataset):
        rows = selectors.indicators(user=dataset_user(dataset, "officer_sambas"), by="district")
        assert [r["key"] for r in rows] == ["61.01.09"]

    def test_ministry_and_entrepreneur_see_nothing(self, dataset):
        for name in ("ministry", "entrepreneur"):
            assert selectors.indicators(user=dataset_user(dataset, name), by="district") == []


def dataset_user(dataset, username):
    from plut.accounts.models import User

    return User.objects.get(username=username)


class TestAllowance:
    def test_purchases_above_rm600_are_flagged(self, dataset):
        amounts = list(BorderPurchase.objects.order_by("id").values_list("amount_myr", "rate", "rate_date"))
        assert amounts == [
            (D("700.00"), None, None),
            (D("571.43"), D("3500.0000"), dt.date(2025, 3, 8)),  # 2,000,000 / 3,500
            (D("694.44"), D("3600.0000"), dt.date(2025, 4, 5)),  # 2,500,000 / 3,600
        ]
        flagged = selectors.purchases_over_allowance(user=dataset.s1.enumerator)
        assert [(f["purchase"].amount_myr, f["excess_myr"]) for f in flagged] == [
            (D("700.00"), D("100.00")),
            (D("694.44"), D("94.44")),
        ]
        assert flagged[0]["allowance"].amount == D("600.00")

    def test_a_new_allowance_applies_from_its_date(self, dataset):
        services.allowance_set(
            actor=dataset.s1.enumerator,
            amount=D("650"),
            currency="MYR",
            valid_from=dt.date(2025, 4, 1),
            source="test: a hypothetical new agreement",
        )
        flagged = selectors.purchases_over_allowance(user=dataset.s1.enumerator)
        assert [f["purchase"].amount_myr for f in flagged] == [D("700.00"), D("694.44")]
        services.allowance_set(
            actor=dataset.s1.enumerator,
            amount=D("700"),
            currency="MYR",
            valid_from=dt.date(2025, 4, 2),
            source="t",
        )
        flagged = selectors.purchases_over_allowance(user=dataset.s1.enumerator)
        assert [f["purchase"].amount_myr for f in flagged] == [D("700.00")]


class TestBesideBapanas:
    def test_survey_prices_sit_beside_the_regency_and_pontianak_series(self, dataset):
        rows = selectors.prices_beside_bapanas(user=dataset.s1.enumerator)
        got = [
            (
                r["regency_code"],
                r["month"],
                r["commodity"],
                r["my_mean_idr"],
                r["id_mean_idr"],
                r["bapanas_idr"],
                r["pontianak_idr"],
            )
            for r in rows
        ]
        # Bapanas values from reference/data/harga (Sambas, Sanggau and Kota Pontianak, March/April 2025).
        assert got == [
            ("61.01", "2025-04", "Beras Premium", D("12600.00"), D("15000.00"), D("16513.00"), D("17000.00")),
            ("61.01", "2025-04", "Gula Konsumsi", None, D("17000.00"), D("18000.00"), D("18505.00")),
            ("61.03", "2025-03", "Gula Konsumsi", D("15050.00"), D("16000.00"), D("18000.00"), D("18357.00")),
            ("61.03", "2025-03", "LPG 3 kg", D("31500.00"), None, None, None),
            (
                "61.03",
                "2025-03",
                "Minyak Goreng Kemasan",
                D("21000.00"),
                D("20000.00"),
                D("22000.00"),
                D("19929.00"),
            ),
            got[5],
        ]
        assert got[5][:5] == ("61.03", "2025-03", "Tepung Terigu Kemasan", D("10850.00"), None)
        assert len(got) == 6


class TestContradictions:
    def test_an_unavailable_item_with_a_price_or_a_transaction_is_refused(self, dataset):
        for extra, key in (
            ({"price": D("4")}, "observations.1.price"),
            ({"paid_currency": "IDR"}, "observations.1.paid_currency"),
        ):
            data = obs("Telur Ayam Ras", availability="unavailable")
            data.update(extra)
            with pytest.raises(ValidationError) as info:
                services.survey_record(
                    actor=dataset.s1.enumerator,
                    market=dataset.aruk,
                    surveyed_on=dt.date(2025, 4, 5),
                    observations=[data],
                )
            assert list(info.value.message_dict) == [key]

    def test_a_price_that_is_not_positive_is_refused(self, dataset):
        with pytest.raises(ValidationError) as info:
            services.survey_record(
                actor=dataset.s1.enumerator,
                market=dataset.aruk,
                surveyed_on=dt.date(2025, 4, 5),
                observations=[obs("Gula Konsumsi", "ID", "0", "IDR")],
            )
        assert info.value.error_dict["observations.1.price"][0].code == "price.positive"
