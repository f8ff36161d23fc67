"""The border economy (MISSION.md capability 5): markets, surveys, exchange rates, cross-border sales.

Money: a foreign amount is always stored as (amount, currency, rate, rate date) beside its value in
integer rupiah; rates are IDR per one unit of the foreign currency (``Decimal``), never floats.
Region-bound rows copy their region's ``path`` into ``region_path`` so the scope of
``plut.accounts.scope.region_q`` is one indexed predicate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    IDR = "IDR", _("rupiah (IDR)")
    MYR = "MYR", _("ringgit (MYR)")


class Origin(models.TextChoices):
    """Country a product was made in, as the enumerator reads it from the label or is told."""

    INDONESIA = "ID", _("Indonesia")
    MALAYSIA = "MY", _("Malaysia")
    OTHER = "XX", _("other country")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("available")
    SCARCE = "scarce", _("scarce")
    UNAVAILABLE = "unavailable", _("not available")


class Market(models.Model):
    """A border market or a market at a PLBN post, as a place.

    ``region`` is the village (desa/kelurahan) where known, else the district. ``market_days`` lists
    the weekdays it is held (ISO numbers, 1 = Monday … 7 = Sunday; empty = not recorded).
    """

    class Kind(models.TextChoices):
        PLBN = "plbn", _("PLBN market")
        BORDER = "border", _("border market")
        OTHER = "other", _("other market")

    name = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.BORDER)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="markets")
    region_path = models.CharField(max_length=32, db_index=True)
    district_code = models.CharField(max_length=12, db_index=True)
    regency_code = models.CharField(max_length=8, db_index=True)
    border_post = models.ForeignKey(
        "regions.BorderPost", null=True, blank=True, on_delete=models.SET_NULL, related_name="markets"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    coord_basis = models.CharField(max_length=255, blank=True)
    market_days = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["regency_code", "name"]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """The rupiah value of one unit of a foreign currency on a date (e.g. 1 MYR = 3 500.0000 IDR)."""

    currency = models.CharField(max_length=3, choices=[(Currency.MYR, Currency.MYR.label)])
    on_date = models.DateField()
    idr_per_unit = models.DecimalField(max_digits=12, decimal_places=4)
    source = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on_date", "currency"]
        constraints = [models.UniqueConstraint(fields=["currency", "on_date"], name="uniq_rate_per_day")]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.idr_per_unit} IDR ({self.on_date})"


class BasketWeight(models.Model):
    """The office's weight of a commodity in the basket of the weighted dependency index (dated)."""

    commodity = models.ForeignKey("reference.Commodity", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=7, decimal_places=3)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["commodity__name", "valid_from"]

    def __str__(self) -> str:
        return f"{self.commodity_id}: {self.weight} ({self.valid_from}–{self.valid_to or '…'})"


class TradeAllowance(models.Model):
    """A dated border-trade limit: what one person may buy across the border in one month.

    Seeded with RM600 per person per month (Border Trade Agreement between Indonesia and Malaysia,
    Jakarta, 24 August 1970, art. on purchases by border-pass holders).
    """

    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=255)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount} ({self.valid_from}–{self.valid_to or '…'})"


class Survey(models.Model):
    """One enumerator's visit to one market on one day."""

    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="surveys")
    region_path = models.CharField(max_length=32, db_index=True)
    surveyed_on = models.DateField(db_index=True)
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, default="form")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-surveyed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.market} {self.surveyed_on}"


class Observation(models.Model):
    """One commodity seen on a survey: brand, origin, price in its currency and in rupiah, availability.

    ``price`` is per ``unit`` in ``currency``; ``rate``/``rate_date`` are the IDR rate used for a
    foreign price (empty for rupiah) and ``price_idr`` is the price in integer rupiah. ``paid_currency``
    is the currency the sampled transaction of this item was paid in (empty when not sampled).
    An unavailable item has no price.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="observations")
    commodity = models.ForeignKey("reference.Commodity", on_delete=models.PROTECT, related_name="+")
    brand = models.CharField(max_length=128, blank=True)
    origin = models.CharField(max_length=2, choices=Origin.choices, blank=True)
    unit = models.CharField(max_length=16)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, blank=True)
    rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    price_idr = models.BigIntegerField(null=True, blank=True)
    availability = models.CharField(
        max_length=16, choices=Availability.choices, default=Availability.AVAILABLE
    )
    paid_currency = models.CharField(max_length=3, choices=Currency.choices, blank=True)

    class Meta:
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.origin} {self.price} {self.currency}"


class BorderPurchase(models.Model):
    """What one (anonymous) person said they spent across the border in the month of the survey.

    ``amount_myr`` is the amount in ringgit (converted at the survey date's rate when given in rupiah),
    compared with the :class:`TradeAllowance` valid on the survey date.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="purchases")
    goods = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    amount_myr = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class CrossBorderSale(models.Model):
    """Sales of an enterprise's local product across the border over a period.

    ``brand`` is under whose name the product reaches the buyer (own, unbranded, repackaged);
    ``own_packaging`` whether it leaves in the maker's own packaging.
    """

    class Channel(models.TextChoices):
        TRADER = "trader", _("Malaysian trader or wholesaler")
        SHOP = "shop", _("shop across the border")
        DIRECT = "direct", _("buyers crossing the border")
        AGENT = "agent", _("Indonesian middleman")
        OTHER = "other", _("other")

    class Brand(models.TextChoices):
        OWN = "own", _("under its own brand")
        UNBRANDED = "unbranded", _("unbranded")
        REPACKAGED = "repackaged", _("repackaged by the buyer")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="cross_border_sales"
    )
    region_path = models.CharField(max_length=32, db_index=True)
    district_code = models.CharField(max_length=12, blank=True, db_index=True)
    period_start = models.DateField()
    period_end = models.DateField()
    product = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    buyer = models.CharField(max_length=200, blank=True, help_text=_("Through whom (a business name)."))
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    amount_idr = models.BigIntegerField()
    brand = models.CharField(max_length=16, choices=Brand.choices)
    own_packaging = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.product} {self.amount} {self.currency}"


class BrandingReferral(models.Model):
    """A clinic case opened from the branding list for an exporting enterprise."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("clinic.Case", on_delete=models.CASCADE, related_name="+")
    missing = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.case_id}"
