"""Size class at and around every PP 7/2021 and UU 20/2008 threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plut.enterprises.sizeclass import Basis, Regime, SizeClass, class_by, classify, moved_up

M, B = 1_000_000, 1_000_000_000

# (regime, basis, amount, expected): each bound, one rupiah above it, and zero.
CASES = [
    (Regime.PP_7_2021, Basis.CAPITAL, 0, "micro"),
    (Regime.PP_7_2021, Basis.CAPITAL, 1 * B, "micro"),
    (Regime.PP_7_2021, Basis.CAPITAL, 1 * B + 1, "small"),
    (Regime.PP_7_2021, Basis.CAPITAL, 5 * B, "small"),
    (Regime.PP_7_2021, Basis.CAPITAL, 5 * B + 1, "medium"),
    (Regime.PP_7_2021, Basis.CAPITAL, 10 * B, "medium"),
    (Regime.PP_7_2021, Basis.CAPITAL, 10 * B + 1, "large"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 2 * B, "micro"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 2 * B + 1, "small"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 15 * B, "small"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 15 * B + 1, "medium"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 50 * B, "medium"),
    (Regime.PP_7_2021, Basis.ANNUAL_SALES, 50 * B + 1, "large"),
    (Regime.UU_20_2008, Basis.CAPITAL, 50 * M, "micro"),
    (Regime.UU_20_2008, Basis.CAPITAL, 50 * M + 1, "small"),
    (Regime.UU_20_2008, Basis.CAPITAL, 500 * M, "small"),
    (Regime.UU_20_2008, Basis.CAPITAL, 500 * M + 1, "medium"),
    (Regime.UU_20_2008, Basis.CAPITAL, 10 * B, "medium"),
    (Regime.UU_20_2008, Basis.CAPITAL, 10 * B + 1, "large"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 300 * M, "micro"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 300 * M + 1, "small"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 2_500 * M, "small"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 2_500 * M + 1, "medium"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 50 * B, "medium"),
    (Regime.UU_20_2008, Basis.ANNUAL_SALES, 50 * B + 1, "large"),
]


@pytest.mark.parametrize(("regime", "basis", "amount", "expected"), CASES)
def test_class_at_and_around_each_threshold(regime, basis, amount, expected):
    assert class_by(amount, basis=basis, regime=regime) == SizeClass(expected)


def test_annual_sales_decides_when_both_are_known():
    result = classify(capital_idr=20 * B, annual_sales_idr=1 * B)
    assert (result.size_class, result.basis, result.source) == (
        SizeClass.MICRO,
        Basis.ANNUAL_SALES,
        "PP 7/2021 art. 35 ayat (3) and (5)",
    )


def test_capital_decides_without_sales():
    result = classify(capital_idr=3 * B)
    assert (result.size_class, result.basis) == (SizeClass.SMALL, Basis.CAPITAL)


def test_legacy_regime_reads_the_same_figures_differently():
    assert classify(annual_sales_idr=400 * M, regime=Regime.UU_20_2008).size_class == SizeClass.SMALL
    assert classify(annual_sales_idr=400 * M).size_class == SizeClass.MICRO


def test_no_figures_gives_no_class():
    assert classify() is None


@pytest.mark.parametrize("bad", [1.5e9, Decimal("1000.5"), -1, True, "1000"])
def test_non_integer_or_negative_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        class_by(bad, basis=Basis.CAPITAL)


def test_moved_up_compares_ranks():
    assert moved_up("micro", "small") is True
    assert moved_up("small", "small") is False
    assert moved_up("medium", "small") is False
    assert moved_up(None, "small") is False
