"""Reference lists other than regions: KBLI 2020 and the staple-price series."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceLoad(models.Model):
    """A record of one load of a shipped reference file: which file, which edition, which checksum."""

    dataset = models.CharField(max_length=64)
    edition = models.CharField(max_length=128)
    source_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "source_sha256"], name="uniq_reference_load"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.edition} ({self.rows} rows)"


class Kbli(models.Model):
    """A KBLI 2020 code (Klasifikasi Baku Lapangan Usaha Indonesia, Perka BPS 2/2020) as served by OSS.

    ``code`` is a string: 2 digits (golongan pokok), 3 (golongan), 4 (subgolongan), 5 (kelompok).
    ``section`` is the category letter A–U.
    """

    class Level(models.TextChoices):
        DIVISION = "golongan_pokok", _("division")
        GROUP = "golongan", _("group")
        CLASS = "subgolongan", _("class")
        SUBCLASS = "kelompok", _("subclass")

    code = models.CharField(max_length=5, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    title = models.CharField(max_length=512)
    parent_code = models.CharField(max_length=5, blank=True)
    section = models.CharField(max_length=1, db_index=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "KBLI"
        verbose_name_plural = "KBLI"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Commodity(models.Model):
    """A staple or important good whose price is tracked (Perpres 71/2015 as amended by Perpres 59/2020)."""

    name = models.CharField(max_length=128, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    unit = models.CharField(max_length=16, default="kg")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "commodities"

    def __str__(self) -> str:
        return self.name


class StaplePrice(models.Model):
    """Monthly average consumer price of a commodity in a regency/city, in rupiah per unit.

    Source: Panel Harga Pangan Nasional (Badan Pangan Nasional), as republished (with imputed gaps).
    Stored as Decimal rupiah because the source holds a few non-integer (imputed) values.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="staple_prices")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="prices")
    month = models.DateField(help_text="First day of the month.")
    price_idr = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(max_length=64)

    class Meta:
        ordering = ["commodity", "region", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "commodity", "month", "source"], name="uniq_staple_price"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.region_id} {self.month:%Y-%m}: {self.price_idr}"
