"""Administrative regions of Kalimantan Barat (Kemendagri codes), border reference tables and posts.

Sources: Kepmendagri No 300.2.2-2138 Tahun 2025 for codes and names; see
``plut/regions/data/PROVENANCE.md`` for every shipped file.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.IntegerChoices):
    """Depth in the Kemendagri hierarchy (number of dotted code segments)."""

    PROVINCE = 1, _("province")
    REGENCY = 2, _("regency/city")
    DISTRICT = 3, _("district")
    VILLAGE = 4, _("village")


class RegionEdition(models.Model):
    """One loaded edition of the region list (e.g. Kepmendagri 300.2.2-2138/2025)."""

    name = models.CharField(max_length=128, unique=True)
    decree = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["loaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A province, regency/city, district (kecamatan) or village (desa/kelurahan).

    ``code`` is the Kemendagri dotted code (``61``, ``61.01``, ``61.01.08``, ``61.01.08.2007``).
    ``path`` is the code followed by a dot, so ``path__startswith=region.path`` selects a region's
    whole subtree with one indexed predicate (the scope of every user and every aggregate).
    ``bps_code`` is the BPS (statistics) code, which differs for some regencies
    (Sanggau 61.03 vs BPS 6105); the two are never mixed.
    """

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("province")
        REGENCY = "kabupaten", _("regency")
        CITY = "kota", _("city")
        DISTRICT = "kecamatan", _("district")
        VILLAGE = "desa", _("village")
        URBAN_VILLAGE = "kelurahan", _("urban village")

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=128)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=32, unique=True)
    bps_code = models.CharField(max_length=16, blank=True, db_index=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_km2 = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    label_lat = models.FloatField(null=True, blank=True)
    label_lng = models.FloatField(null=True, blank=True)
    # Editions: a region absent from a later edition is retired, never deleted.
    first_edition = models.ForeignKey(RegionEdition, null=True, on_delete=models.PROTECT, related_name="+")
    retired_in = models.ForeignKey(
        RegionEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="retired_regions"
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.retired_in_id is None

    @property
    def label(self) -> str:
        """Return the display name with its kind for districts and villages, e.g. "Kec. Paloh"."""
        prefix = {Level.DISTRICT: "Kec. ", Level.VILLAGE: ""}.get(self.level, "")
        return prefix + self.name

    def ancestor_codes(self) -> list[str]:
        """Return the codes of this region and its ancestors, province first."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]


class RegionChange(models.Model):
    """A change of a region between editions (name, parent, retirement)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="changes")
    edition = models.ForeignKey(RegionEdition, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=32)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["edition", "region__code"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class RegionAlias(models.Model):
    """Another name a region is known by: a former name, a common spelling, an abbreviation.

    Example: "Kabupaten Pontianak" is the former name of Kabupaten Mempawah (UU 34/2014 did not
    rename it; PP 58/2014 did), never Kota Pontianak.
    """

    class Kind(models.TextChoices):
        FORMER_NAME = "former", _("former name")
        SPELLING = "spelling", _("spelling variant")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="uniq_region_alias")]

    def __str__(self) -> str:
        return f"{self.name} → {self.region.name}"


class Boundary(models.Model):
    """A region's boundary polygon as GeoJSON geometry (WGS84, [lng, lat])."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"boundary of region {self.region_id}"


class BorderDistrict(models.Model):
    """A district (kecamatan) on the land border with Sarawak, valid over a date range.

    Dated and editable: the office decides which districts it treats as border districts.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="border_records")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    touches_border = models.BooleanField(default=True)
    border_length_km = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    source = models.CharField(max_length=255)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["region__code", "valid_from"]

    def __str__(self) -> str:
        return f"{self.region.name} ({self.valid_from}–{self.valid_to or '…'})"


class BorderVillage(models.Model):
    """A village whose boundary runs within 1 km of Sarawak (derived geometrically; dated)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="border_village_records")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    border_length_km = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    source = models.CharField(max_length=255)

    class Meta:
        ordering = ["region__code"]

    def __str__(self) -> str:
        return f"border village {self.region_id} ({self.valid_from}–{self.valid_to or '…'})"


class BorderPost(models.Model):
    """A PLBN (Pos Lintas Batas Negara, state border crossing post)."""

    class Status(models.TextChoices):
        OPERATIONAL = "operational", pgettext_lazy("border post", "operational")
        PLANNED = "planned", pgettext_lazy("border post", "planned")
        CLOSED = "closed", pgettext_lazy("border post", "closed")

    name = models.CharField(max_length=128, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="border_posts")
    malaysia_counterpart = models.CharField(max_length=255, blank=True)
    milestones = models.TextField(blank=True)
    lat = models.FloatField()
    lng = models.FloatField()
    coord_basis = models.CharField(max_length=255)
    sources = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
