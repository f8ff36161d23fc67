"""UMKM size class, derived from figures, never typed.

The one rule used by the web app, the API and the CLI.

Sources
-------
* **PP 7/2021** (Peraturan Pemerintah No. 7 Tahun 2021 tentang Kemudahan, Pelindungan, dan
  Pemberdayaan Koperasi dan UMKM), art. 35:

  - ayat (3): business capital (modal usaha, excluding land and buildings) —
    micro ≤ Rp1.000.000.000; small > Rp1 billion and ≤ Rp5.000.000.000;
    medium > Rp5 billion and ≤ Rp10.000.000.000;
  - ayat (5): annual sales (hasil penjualan tahunan) —
    micro ≤ Rp2.000.000.000; small > Rp2 billion and ≤ Rp15.000.000.000;
    medium > Rp15 billion and ≤ Rp50.000.000.000.
  - ayat (4)-(5): capital is the criterion at establishment/registration; for facilitation,
    protection and empowerment (the office's programmes) annual sales is used.

* **UU 20/2008** (Undang-Undang No. 20 Tahun 2008 tentang UMKM), art. 6, for legacy data:
  net assets excluding land and buildings — micro ≤ Rp50.000.000; small > Rp50 million and
  ≤ Rp500.000.000; medium > Rp500 million and ≤ Rp10.000.000.000; annual sales — micro
  ≤ Rp300.000.000; small > Rp300 million and ≤ Rp2.500.000.000; medium > Rp2.5 billion and
  ≤ Rp50.000.000.000.

Rule (both regimes): when annual sales are known, the class is the class by annual sales (the
criterion for empowerment, PP 7/2021 art. 35(5)); otherwise the class by capital (net assets for
UU 20/2008). Every bound is inclusive ("paling banyak"). Above medium is large (usaha besar).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

MILLION = 1_000_000
BILLION = 1_000_000_000


class SizeClass(models.TextChoices):
    MICRO = "micro", _("micro")
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")

    @property
    def rank(self) -> int:
        """Return 0 for micro up to 3 for large, to compare classes ("naik kelas")."""
        return [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE].index(self)


class Regime(models.TextChoices):
    PP_7_2021 = "pp7_2021", "PP 7/2021"
    UU_20_2008 = "uu20_2008", "UU 20/2008"


class Basis(models.TextChoices):
    ANNUAL_SALES = "annual_sales", _("annual sales")
    CAPITAL = "capital", _("business capital")


# Inclusive upper bounds in rupiah: (micro, small, medium). Above the last is large.
THRESHOLDS: dict[Regime, dict[Basis, tuple[int, int, int]]] = {
    Regime.PP_7_2021: {
        Basis.CAPITAL: (1 * BILLION, 5 * BILLION, 10 * BILLION),  # PP 7/2021 art. 35(3)
        Basis.ANNUAL_SALES: (2 * BILLION, 15 * BILLION, 50 * BILLION),  # PP 7/2021 art. 35(5)
    },
    Regime.UU_20_2008: {
        Basis.CAPITAL: (50 * MILLION, 500 * MILLION, 10 * BILLION),  # UU 20/2008 art. 6(1)-(3) a
        Basis.ANNUAL_SALES: (300 * MILLION, 2_500 * MILLION, 50 * BILLION),  # UU 20/2008 art. 6(1)-(3) b
    },
}

SOURCES: dict[Regime, str] = {
    Regime.PP_7_2021: "PP 7/2021 art. 35 ayat (3) and (5)",
    Regime.UU_20_2008: "UU 20/2008 art. 6",
}


@dataclass(frozen=True)
class Classification:
    """Result of :func:`classify`: the class, the criterion that decided it, and the rule's source."""

    size_class: SizeClass
    basis: Basis
    regime: Regime
    source: str


def class_by(amount_idr: int, *, basis: Basis, regime: Regime = Regime.PP_7_2021) -> SizeClass:
    """Return the size class of one amount (integer rupiah) under one criterion.

    Raises ``ValueError`` for a negative amount or a non-integer (floats and Decimals with
    fractions are refused: money is integer rupiah).
    """
    if isinstance(amount_idr, bool) or not isinstance(amount_idr, int):
        raise ValueError("The amount must be an integer number of rupiah.")
    if amount_idr < 0:
        raise ValueError("The amount must not be negative.")
    micro, small, medium = THRESHOLDS[Regime(regime)][Basis(basis)]
    if amount_idr <= micro:
        return SizeClass.MICRO
    if amount_idr <= small:
        return SizeClass.SMALL
    if amount_idr <= medium:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


def classify(
    *, capital_idr: int | None = None, annual_sales_idr: int | None = None, regime: Regime = Regime.PP_7_2021
) -> Classification | None:
    """Classify an enterprise from its capital and/or annual sales (integer rupiah).

    Returns ``None`` when neither figure is known. Raises ``ValueError`` as :func:`class_by`.
    For ``Regime.UU_20_2008`` pass net assets (excluding land and buildings) as ``capital_idr``.
    """
    regime = Regime(regime)
    if annual_sales_idr is not None:
        return Classification(
            class_by(annual_sales_idr, basis=Basis.ANNUAL_SALES, regime=regime),
            Basis.ANNUAL_SALES,
            regime,
            SOURCES[regime],
        )
    if capital_idr is not None:
        return Classification(
            class_by(capital_idr, basis=Basis.CAPITAL, regime=regime), Basis.CAPITAL, regime, SOURCES[regime]
        )
    return None


def moved_up(before: SizeClass | str | None, after: SizeClass | str | None) -> bool:
    """Return True when ``after`` is a higher class than ``before`` ("naik kelas")."""
    if not before or not after:
        return False
    return SizeClass(after).rank > SizeClass(before).rank
