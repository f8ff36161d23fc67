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
    """A staple or important good whose price or origin is tracked.

    ``category`` follows Perpres 71/2015 art. 2(6) as amended by Perpres 59/2020: ``staple`` (barang
    kebutuhan pokok, art. 2(6)(a)), ``important`` (barang penting, art. 2(6)(b)); ``other`` is a good
    the office tracks besides them (bawang putih, garam, local products). ``basis`` cites the article.
    ``kbli_codes`` are the KBLI 2020 subclasses of the businesses that make or trade it and
    ``product_terms`` the words or phrases (separated by ";") that find it in product names; both
    drive import-substitution matching in ``plut.border``. The office may add commodities.
    """

    class Category(models.TextChoices):
        STAPLE = "staple", _("staple (barang kebutuhan pokok)")
        IMPORTANT = "important", _("important good (barang penting)")
        OTHER = "other", _("other tracked good")

    class Group(models.TextChoices):
        AGRICULTURE = "agriculture", _("agricultural product")
        INDUSTRY = "industry", _("industrial product")
        LIVESTOCK_FISHERY = "livestock_fishery", _("livestock and fishery product")

    name = models.CharField(max_length=128, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    unit = models.CharField(max_length=16, default="kg")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    group = models.CharField(max_length=24, choices=Group.choices, blank=True)
    basis = models.CharField(max_length=255, blank=True, help_text=_("The rule that lists it."))
    kbli_codes = models.ManyToManyField(Kbli, blank=True, related_name="commodities")
    product_terms = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "commodities"

    def __str__(self) -> str:
        return self.name

    @property
    def terms(self) -> list[str]:
        """Return the product-name search phrases, e.g. ``"cabai;cabe"`` → ``["cabai", "cabe"]``."""
        return [t.strip().lower() for t in self.product_terms.split(";") if t.strip()]


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
