"""Aggregates on the small fixture (tests/conftest.py), every figure computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from plut.enterprises.services import figures_record
from plut.monitoring.aggregates import aggregates_rebuild, median
from plut.monitoring.models import AggregateCell, EnterprisePeriod
from plut.monitoring.selectors import region_children_figures, region_figures, region_series

Y2025 = dt.date(2025, 1, 1)


def fig(user, code, **dims):
    return region_figures(user=user, region_code=code, period_type="year", period_start=Y2025, **dims)


def cells_snapshot():
    return sorted(
        AggregateCell.objects.values_list(
            "region_code",
            "period_type",
            "period_start",
            "section",
            "size_class",
            "border",
            "n",
            "n_sales",
            "sales_idr",
            "workers",
            "capital_idr",
            "sales_median_idr",
            "n_paired",
            "paired_sales_idr",
            "paired_prev_sales_idr",
            "moved_up",
            "formalised",
            "gained_halal",
        )
    )


class TestProvinceYear:
    def test_the_province_cell_by_hand(self, registry, refreshed_medians):
        refreshed_medians()
        f = fig(registry.admin, "61")
        # Facts of 2025: Sambas 2.5 bn (prev 1.5 bn, micro → small), Sanggau capital 6 bn, no sales,
        # Pontianak 1.2 bn (prev 0.8 bn, micro → micro), halal certificate in March.
        assert f["n"] == 3
        assert f["n_sales"] == 2
        assert f["sales_idr"] == 3_700_000_000
        assert f["capital_idr"] == 6_000_000_000
        assert f["sales_median_idr"] == 1_850_000_000  # (2.5 bn + 1.2 bn) / 2
        assert f["n_paired"] == 2
        assert f["paired_prev_sales_idr"] == 2_300_000_000
        assert f["growth_pct"] == 60.87  # 3.7 / 2.3 - 1 = 0.608695…
        assert f["moved_up"] == 1
        assert f["formalised"] == 1
        assert f["gained_halal"] == 1
        assert f["partial"] is False

    def test_dimensions(self, registry, refreshed_medians):
        refreshed_medians()
        border = fig(registry.admin, "61", border="1")
        assert (border["n"], border["sales_idr"], border["capital_idr"]) == (2, 2_500_000_000, 6_000_000_000)
        assert border["sales_median_idr"] == 2_500_000_000
        assert border["growth_pct"] == 66.67  # 2.5 / 1.5 - 1
        inland = fig(registry.admin, "61", border="0")
        assert (inland["n"], inland["sales_idr"], inland["growth_pct"]) == (1, 1_200_000_000, 50.0)
        small_c = fig(registry.admin, "61.01", section="C", size="small", border="1")
        assert (small_c["n"], small_c["moved_up"]) == (1, 1)
        micro = fig(registry.admin, "61", size="micro")
        assert (micro["n"], micro["sales_idr"], micro["formalised"]) == (1, 1_200_000_000, 1)
        medium = fig(registry.admin, "61", size="medium")
        assert (medium["n"], medium["n_sales"], medium["sales_median_idr"]) == (1, 0, None)

    def test_levels_district_and_village(self, registry, refreshed_medians):
        refreshed_medians()
        assert fig(registry.admin, "61.01.08")["sales_idr"] == 2_500_000_000
        village = fig(registry.admin, "61.01.08.2007")
        assert (village["n"], village["sales_median_idr"]) == (1, 2_500_000_000)
        # A village filtered by a dimension is computed from the facts.
        assert fig(registry.admin, "61.01.08.2007", section="C")["n"] == 1
        assert fig(registry.admin, "61.01.08.2007", section="A")["n"] == 0

    def test_quarter_and_month(self, registry):
        # The halal certificate of 2025-03-10: a Q1 2025 fact without figures, formalised.
        q1 = region_figures(
            user=registry.admin, region_code="61", period_type="quarter", period_start=dt.date(2025, 1, 1)
        )
        assert (q1["n"], q1["formalised"]) == (0, 1)
        dec = region_figures(
            user=registry.admin, region_code="61", period_type="month", period_start=dt.date(2025, 12, 1)
        )
        # No figures in November 2025: no growth pairs in December.
        assert (dec["n"], dec["n_paired"], dec["growth_pct"]) == (3, 0, None)

    def test_series_over_time(self, registry):
        series = region_series(user=registry.admin, region_code="61", period_type="year")
        assert [(s["period_start"].year, s["figures"]["sales_idr"]) for s in series] == [
            (2024, 2_300_000_000),
            (2025, 3_700_000_000),
        ]


class TestScope:
    def test_a_regency_officer_sees_only_their_regency(self, registry, refreshed_medians):
        refreshed_medians()
        officer = registry.officer_sambas
        province = fig(officer, "61")
        own = fig(officer, "61.01")
        # The province total equals the sum over their own scope: Sambas only.
        assert province["n"] == own["n"] == 1
        assert province["sales_idr"] == own["sales_idr"] == 2_500_000_000
        assert province["partial"] is True
        assert province["sales_median_idr"] is None
        assert fig(officer, "61.03") is None
        assert fig(officer, "61.71") is None
        children = {
            r["code"]: r["figures"]
            for r in region_children_figures(
                user=officer, region_code="61", period_type="year", period_start=Y2025
            )
        }
        assert children["61.01"]["sales_idr"] == 2_500_000_000
        assert children["61.03"] is None and children["61.71"] is None
        assert sum(r["n"] for r in children.values() if r) == province["n"]

    def test_a_consultant_of_two_regencies(self, registry):
        f = fig(registry.consultant, "61")
        assert (f["n"], f["sales_idr"], f["capital_idr"]) == (1, 0, 6_000_000_000)

    def test_entrepreneurs_and_ministry_see_no_aggregate(self, registry):
        for user in (registry.entrepreneur, registry.ministry):
            with pytest.raises(PermissionDenied):
                fig(user, "61")


class TestIncrementalEqualsRebuild:
    def test_the_cells_after_changes_equal_a_full_rebuild(self, registry, refreshed_medians):
        figures_record(
            actor=registry.admin,
            enterprise=registry.ent_sanggau,
            as_of=dt.date(2025, 6, 30),
            annual_sales_idr=400_000_000,
            workers=3,
        )
        registry.ent_pontianak.figures.filter(as_of=dt.date(2024, 12, 31)).delete()
        refreshed_medians()
        incremental = cells_snapshot()
        facts = EnterprisePeriod.objects.count()
        assert aggregates_rebuild()["facts"] == facts
        assert cells_snapshot() == incremental
        # Pontianak lost its 2024 figures: only Sambas is paired now (2.5 / 1.5 - 1).
        assert fig(registry.admin, "61")["growth_pct"] == 66.67

    def test_median_rule(self):
        assert median([3, 1, 2]) == 2
        assert median([1, 2, 3, 4]) == 2  # (2 + 3) // 2
        assert median([]) is None
