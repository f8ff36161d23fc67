"""Cross-border sales: conversion, the own-brand share by district, the branding list and referrals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plut.accounts.models import User
from plut.border import selectors, services
from plut.border.models import CrossBorderSale
from plut.clinic.models import Case
from plut.enterprises.models import Permit

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def sales(dataset, seeded):
    admin = seeded.admin
    a = services.cross_border_sale_record(
        actor=admin,
        enterprise=seeded.ent_sambas,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 8),
        product="Amplang",
        channel="trader",
        buyer="Syarikat Biawak",
        amount=D("1000"),
        currency="MYR",
        brand="own",
    )
    b = services.cross_border_sale_record(
        actor=admin,
        enterprise=seeded.ent_sambas,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        product="Amplang curah",
        channel="trader",
        amount=D("2000000"),
        currency="IDR",
        brand="repackaged",
    )
    c = services.cross_border_sale_record(
        actor=admin,
        enterprise=seeded.ent_sanggau,
        period_start=dt.date(2025, 3, 1),
        period_end=dt.date(2025, 4, 5),
        product="Lada putih",
        channel="shop",
        amount=D("500"),
        currency="MYR",
        brand="unbranded",
        own_packaging=True,
    )
    Permit.objects.create(enterprise=seeded.ent_sanggau, kind=Permit.Kind.HALAL, number="ID61110000999990124")
    return a, b, c


class TestSales:
    def test_amounts_are_stored_with_currency_rate_rate_date_and_rupiah(self, sales):
        a, b, c = sales
        assert (a.amount, a.currency, a.rate, a.rate_date, a.amount_idr) == (
            D("1000"),
            "MYR",
            D("3500"),
            dt.date(2025, 3, 8),
            3_500_000,
        )
        assert (b.rate, b.rate_date, b.amount_idr) == (None, None, 2_000_000)
        assert (c.rate_date, c.amount_idr) == (dt.date(2025, 4, 5), 1_800_000)  # 500 × 3,600

    def test_own_brand_share_by_district(self, sales, seeded):
        rows = selectors.own_brand_share(user=seeded.admin)
        # Paloh (61.01.08): own 3,500,000 of 5,500,000 = 63.64 %; Entikong (61.03.21): 0 of 1,800,000 = 0.00 %.
        assert [(r["district_code"], r["own_idr"], r["total_idr"], r["own_brand_pct"]) for r in rows] == [
            ("61.01.08", 3_500_000, 5_500_000, D("63.64")),
            ("61.03.21", 0, 1_800_000, D("0.00")),
        ]
        officer = User.objects.get(username="officer_sambas")
        assert [r["district_code"] for r in selectors.own_brand_share(user=officer)] == ["61.01.08"]

    def test_a_sale_without_a_rate_is_refused_naming_the_date(self, seeded):
        with pytest.raises(ValidationError) as info:
            services.cross_border_sale_record(
                actor=seeded.admin,
                enterprise=seeded.ent_sambas,
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 6, 30),
                product="Amplang",
                channel="trader",
                amount=D("10"),
                currency="MYR",
                brand="own",
            )
        assert "30 Juni 2024" in info.value.message_dict["currency"][0]
        assert not CrossBorderSale.objects.exists()

    def test_another_regencys_officer_cannot_record_a_sale(self, seeded):
        from django.http import Http404

        officer = User.objects.get(username="officer_sanggau")
        with pytest.raises(Http404):
            services.cross_border_sale_record(
                actor=officer,
                enterprise=seeded.ent_sambas,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 3, 8),
                product="x",
                channel="trader",
                amount=D("1"),
                currency="IDR",
                brand="own",
            )


class TestBrandingList:
    def test_it_lists_exporters_with_what_they_lack(self, sales, seeded):
        rows = selectors.branding_list(user=seeded.admin)
        assert [(r["enterprise"].name, r["missing"]) for r in rows] == [
            ("Amplang Temajuk", ["trademark", "pirt_or_halal", "own_packaging"]),
            ("Lada Entikong", ["trademark"]),  # active halal, a sale in own packaging
        ]

    def test_one_call_opens_a_referral_case_and_the_list_links_it(self, sales, seeded):
        case = services.branding_referral_create(
            actor=seeded.admin, enterprise=seeded.ent_sanggau, missing=["trademark"]
        )
        assert (case.channel, case.status, case.enterprise_id) == (
            Case.Channel.REFERRAL,
            Case.Status.OPEN,
            seeded.ent_sanggau.pk,
        )
        assert "registered trademark" in case.complaint or "merek" in case.complaint
        rows = {r["enterprise"].name: r for r in selectors.branding_list(user=seeded.admin)}
        assert rows["Lada Entikong"]["case"] == case

    def test_an_analyst_cannot_open_a_case(self, sales, seeded):
        with pytest.raises(PermissionDenied):
            services.branding_referral_create(
                actor=seeded.analyst, enterprise=seeded.ent_sanggau, missing=["trademark"]
            )

    def test_the_refer_view_opens_the_case_and_redirects_to_it(self, sales, seeded, client):
        client.force_login(seeded.admin)
        response = client.post(f"/border/branding/{seeded.ent_sambas.pk}/refer/")
        case = Case.objects.get(enterprise=seeded.ent_sambas)
        assert response.status_code == 302 and response["Location"] == f"/clinic/{case.pk}/"
        # A second click does not open a second case.
        client.post(f"/border/branding/{seeded.ent_sambas.pk}/refer/")
        assert Case.objects.filter(enterprise=seeded.ent_sambas).count() == 1
