"""The UMKM registry: owners (persons), enterprises, products, permits and dated figures.

Identifiers are strings; each normalised value is stored beside the value as typed (``*_raw``).
Personal data of owners (NIK, phone, home address) is encrypted at rest (UU 27/2022) and found
through keyed hashes (``*_hash``); see ``plut.core.crypto``.
Size class is derived from figures by ``plut.enterprises.sizeclass.classify``, never typed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plut.core.crypto import EncryptedTextField
from plut.enterprises.sizeclass import Regime, SizeClass


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Owner(models.Model):
    """A person who owns one or more enterprises (pelaku usaha)."""

    full_name = models.CharField(max_length=200)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    # NIK: 16 digits, encrypted; nik_hash finds it; nik_raw is what was typed (also encrypted).
    nik = EncryptedTextField(blank=True)
    nik_raw = EncryptedTextField(blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True)
    nik_last4 = models.CharField(max_length=4, blank=True)
    phone = EncryptedTextField(blank=True, help_text="E.164")
    phone_raw = EncryptedTextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    address = EncryptedTextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owner"
    )
    is_synthetic = models.BooleanField(
        default=False, help_text=_("Invented by `plut demo`; not a real person.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def nik_masked(self) -> str:
        """Return the NIK with all but its last four digits hidden, e.g. ``************0001``."""
        return ("*" * 12 + self.nik_last4) if self.nik_last4 else ""


class CrossBorderBrand(models.TextChoices):
    """Under whose name a product sold across the border reaches the buyer (MISSION.md, problem 2)."""

    OWN = "own", _("under its own brand")
    UNBRANDED = "unbranded", _("unbranded")
    REPACKAGED = "repackaged", _("repackaged by the buyer")
    UNKNOWN = "unknown", _("unknown")


class Enterprise(models.Model):
    """One business (usaha). ``region`` is the lowest known region, a village where known.

    ``region_path`` copies ``region.path`` so that scope filters are one indexed predicate.
    ``size_class`` caches :func:`plut.enterprises.sizeclass.classify` of the latest figures; it is
    refreshed by ``enterprise_refresh_size_class`` and never typed.
    """

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="enterprises")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="enterprises")
    region_path = models.CharField(max_length=32, db_index=True)
    regency_code = models.CharField(max_length=8, db_index=True)
    district_code = models.CharField(max_length=12, blank=True, db_index=True)
    is_border = models.BooleanField(default=False, db_index=True, help_text=_("In a border district."))
    address = models.CharField(max_length=255, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    nib = models.CharField(max_length=13, blank=True, db_index=True)
    nib_raw = models.CharField(max_length=64, blank=True)
    npwp = models.CharField(max_length=16, blank=True)
    npwp_raw = models.CharField(max_length=64, blank=True)
    phone = EncryptedTextField(blank=True, help_text="E.164")
    phone_raw = EncryptedTextField(blank=True)
    kbli_codes = models.ManyToManyField(
        "reference.Kbli", through="EnterpriseKbli", related_name="enterprises"
    )
    primary_kbli = models.ForeignKey(
        "reference.Kbli", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kbli_section = models.CharField(max_length=1, blank=True, db_index=True)
    sector = models.CharField(max_length=64, blank=True, help_text=_("Sector as reported, e.g. kuliner."))
    established_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sells_cross_border = models.BooleanField(default=False, db_index=True)
    cross_border_brand = models.CharField(
        max_length=16, choices=CrossBorderBrand.choices, default=CrossBorderBrand.UNKNOWN
    )
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True, db_index=True)
    size_regime = models.CharField(max_length=16, choices=Regime.choices, default=Regime.PP_7_2021)
    has_nib = models.BooleanField(default=False, db_index=True)
    is_synthetic = models.BooleanField(
        default=False, help_text=_("Invented by `plut demo`; not a real business.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["regency_code", "size_class"])]

    def __str__(self) -> str:
        return self.name


class EnterpriseKbli(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE)
    kbli = models.ForeignKey("reference.Kbli", on_delete=models.PROTECT)
    kbli_raw = models.CharField(max_length=32, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "kbli"], name="uniq_enterprise_kbli")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.kbli_id}"


class Product(models.Model):
    """A product an enterprise makes or sells. Price in integer rupiah per ``unit``."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=32, blank=True)
    price_idr = models.BigIntegerField(null=True, blank=True)
    brand = models.CharField(max_length=128, blank=True)
    kbli = models.ForeignKey(
        "reference.Kbli", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Permit(models.Model):
    """A permit or certification held by an enterprise."""

    class Kind(models.TextChoices):
        NIB = "nib", "NIB"
        PIRT = "pirt", "P-IRT"
        HALAL = "halal", _("Halal")
        BPOM_MD = "bpom_md", "BPOM MD"
        TRADEMARK = "trademark", _("Trademark")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        APPLIED = "applied", _("applied")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    number = models.CharField(max_length=64, blank=True)
    number_raw = models.CharField(max_length=64, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["kind", "issued_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class FigureSnapshot(models.Model):
    """Dated figures of an enterprise. Money in integer rupiah; ``None`` means not reported.

    ``capital_idr`` is business capital excluding land and buildings (PP 7/2021 art. 35(3));
    ``assets_idr`` is net assets excluding land and buildings (UU 20/2008 art. 6).
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("spreadsheet import")
        FORM = "form", _("form")
        DIAGNOSIS = "diagnosis", _("clinic diagnosis")
        MONITORING = "monitoring", _("monitoring round")
        SELF = "self", _("entrepreneur")
        DEMO = "demo", _("synthetic demo data")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="figures")
    as_of = models.DateField()
    capital_idr = models.BigIntegerField(null=True, blank=True)
    annual_sales_idr = models.BigIntegerField(null=True, blank=True)
    assets_idr = models.BigIntegerField(null=True, blank=True)
    workers = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    note = models.CharField(max_length=255, blank=True)
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "as_of", "id"]
        indexes = [models.Index(fields=["enterprise", "as_of"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} @ {self.as_of}"
