"""Monitoring (pemantauan): data sets defined as data, rounds, entries, plausibility flags,
pre-aggregated figures and frozen reports.

* A :class:`DataSet` is versioned: its indicators and rules hang off a :class:`DataSetVersion`.
  A published version is frozen (services refuse to change it); a changed definition is a new
  version, so old values keep the meaning they were entered with.
* A :class:`Round` assigns one version and one period to a set of enterprises
  (:class:`Assignment`); a :class:`Submission` holds the :class:`Value` rows entered for one
  assignment and the :class:`plut.enterprises.models.FigureSnapshot` they produced.
* :class:`Rule` rows are the validation rules; soft rules raise :class:`Flag` rows.
* :class:`EnterprisePeriod` (one row per enterprise and period) and :class:`AggregateCell`
  (region × period × KBLI section × size class × border) are derived tables, kept by
  ``plut.monitoring.aggregates``: never write them elsewhere.
* :class:`Report` rows are frozen snapshots of a standard report.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plut.monitoring.periods import PeriodType


class DataSet(models.Model):
    """What the office collects, e.g. "Laporan bulanan UMKM binaan" (monthly)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    period_type = models.CharField(max_length=8, choices=PeriodType.choices)
    # Roles (plut.accounts.models.Role values) that report this data set.
    reporter_roles = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> DataSetVersion | None:
        """Return the latest published version, ``None`` when none is published."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class DataSetVersion(models.Model):
    """One definition of a data set. Published versions never change (services enforce it)."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["dataset", "number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="uniq_dataset_version")]

    def __str__(self) -> str:
        return f"{self.dataset.code} v{self.number}"


class ValueType(models.TextChoices):
    INTEGER = "integer", _("whole number")
    MONEY = "money", _("rupiah")
    TEXT = "text", _("text")
    DATE = "date", _("date")
    BOOLEAN = "boolean", _("yes/no")


class Indicator(models.Model):
    """One figure of a data set version, e.g. monthly sales in rupiah.

    ``figure_field`` names the ``FigureSnapshot`` column the value lands in (``annual_sales_idr``,
    ``capital_idr``, ``assets_idr``, ``workers``); a sales value of a monthly or quarterly data
    set is annualised (× 12 or × 4) before it lands in ``annual_sales_idr``.
    """

    class FigureField(models.TextChoices):
        NONE = "", _("not a registry figure")
        ANNUAL_SALES = "annual_sales_idr", _("sales")
        CAPITAL = "capital_idr", _("business capital")
        ASSETS = "assets_idr", _("net assets")
        WORKERS = "workers", _("workers")

    version = models.ForeignKey(DataSetVersion, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    unit = models.CharField(max_length=32, blank=True)
    value_type = models.CharField(max_length=8, choices=ValueType.choices)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    figure_field = models.CharField(max_length=20, choices=FigureField.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="uniq_indicator_code")]

    def __str__(self) -> str:
        return self.label


class Rule(models.Model):
    """A validation rule of a data set version; the checks are in ``plut.monitoring.rules``.

    ``params`` depends on ``test`` (see ``rules.CHECKS``), e.g. ``{"indicator": "workers",
    "min": 0}`` or ``{"indicator": "sales", "factor": 5}``. Hard rules reject the entry with
    ``message``; soft rules save it and raise a :class:`Flag` that needs a comment.
    """

    class Severity(models.TextChoices):
        HARD = "hard", _("reject")
        SOFT = "soft", _("flag for follow-up")

    class Check(models.TextChoices):
        MIN_VALUE = "min_value", _("value at least a minimum")
        NOT_GREATER = "not_greater", _("value not greater than another value")
        DATE_IN_PERIOD = "date_in_period", _("date inside the period")
        CHANGE_FACTOR = "change_factor", _("changed more than a factor from the previous period")
        DROP_TO_ZERO = "drop_to_zero", _("dropped to zero")
        CLASS_JUMP = "class_jump", _("size class jumped")
        PEER_OUTLIER = "peer_outlier", _("far outside the peer group (median/MAD)")

    version = models.ForeignKey(DataSetVersion, on_delete=models.PROTECT, related_name="rules")
    code = models.SlugField(max_length=40)
    severity = models.CharField(max_length=4, choices=Severity.choices)
    test = models.CharField(max_length=16, choices=Check.choices)
    params = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["version", "severity", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="uniq_rule_code")]

    def __str__(self) -> str:
        return self.code


class Round(models.Model):
    """A data set version and a period assigned to a set of enterprises."""

    class Target(models.TextChoices):
        CLINIC = "clinic", _("enterprises assisted by the clinic")
        BORDER = "border", _("enterprises in border districts")
        REGION = "region", _("enterprises of a region")

    name = models.CharField(max_length=200)
    version = models.ForeignKey(DataSetVersion, on_delete=models.PROTECT, related_name="rounds")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    target = models.CharField(max_length=8, choices=Target.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="round_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_type(self) -> str:
        return self.version.dataset.period_type


class Assignment(models.Model):
    """One enterprise to report in a round. ``region_path`` copies the enterprise's for scoping."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    region_path = models.CharField(max_length=32, db_index=True)
    regency_code = models.CharField(max_length=8)
    district_code = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["round", "region_path", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="uniq_round_enterprise")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.enterprise_id}"


class Submission(models.Model):
    """The values entered for one assignment. A correction replaces the values (new snapshot)."""

    class Channel(models.TextChoices):
        FORM = "form", _("form")
        SPREADSHEET = "spreadsheet", _("spreadsheet")
        API = "api", _("API")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="submission")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(help_text=_("The date the figures refer to."))
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.FORM)
    snapshot = models.ForeignKey(
        "enterprises.FigureSnapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment}"

    @property
    def on_time(self) -> bool:
        return self.submitted_at.date() <= self.assignment.round.due_on


class Value(models.Model):
    """One indicator value. Integers/money in ``number`` (whole units, rupiah), others as text."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = models.BigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator__order", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="uniq_value")]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.number if self.number is not None else self.text}"


class Flag(models.Model):
    """A soft rule raised on a submission: the reporter explains it (comment required)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        EXPLAINED = "explained", _("explained")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="flags")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(max_length=500)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_path = models.CharField(max_length=32, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    explained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rule.code}: {self.message}"


class EnterprisePeriod(models.Model):
    """Derived: an enterprise's figures in one period (the latest snapshot dated inside it).

    ``prev_sales_idr`` / ``moved_up`` compare with the immediately preceding period of the same
    type; ``gained_*`` are permits issued inside the period. Dimension columns are copied from
    the enterprise when the row is computed, so aggregation needs no join.
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    period_type = models.CharField(max_length=8, choices=PeriodType.choices)
    period_start = models.DateField()
    regency_code = models.CharField(max_length=8)
    district_code = models.CharField(max_length=12, blank=True)
    village_code = models.CharField(max_length=16, blank=True)
    section = models.CharField(max_length=1)
    size_class = models.CharField(max_length=8)
    is_border = models.BooleanField()
    has_figures = models.BooleanField()
    sales_idr = models.BigIntegerField(null=True)
    workers = models.BigIntegerField(null=True)
    capital_idr = models.BigIntegerField(null=True)
    prev_sales_idr = models.BigIntegerField(null=True)
    moved_up = models.BooleanField(default=False)
    gained_nib = models.BooleanField(default=False)
    gained_pirt = models.BooleanField(default=False)
    gained_halal = models.BooleanField(default=False)
    gained_trademark = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period_type", "period_start"], name="uniq_enterprise_period"
            )
        ]
        # The rebuild groups by period; a cell's median re-reads one period of one region.
        indexes = [models.Index(fields=["period_type", "period_start", "district_code"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period_type} {self.period_start}"


class AggregateCell(models.Model):
    """Derived: figures of one region × period × KBLI section × size class × border/non-border.

    ``section``, ``size_class`` and ``border`` hold ``"*"`` for "all"; ``"-"`` for unknown;
    ``border`` is ``"1"`` (border districts) or ``"0"``. Money in integer rupiah.
    ``n`` counts enterprises with figures in the period; ``sales_median_idr`` is the median annual
    sales of those with sales (mean of the two middle values, rounded down, for an even count).
    Growth = ``paired_sales_idr / paired_prev_sales_idr - 1`` over the ``n_paired`` enterprises
    with sales in this and the preceding period.
    """

    period_type = models.CharField(max_length=8, choices=PeriodType.choices)
    period_start = models.DateField()
    level = models.PositiveSmallIntegerField()
    region_code = models.CharField(max_length=16)
    section = models.CharField(max_length=1)
    size_class = models.CharField(max_length=8)
    border = models.CharField(max_length=1)
    n = models.BigIntegerField(default=0)
    n_sales = models.BigIntegerField(default=0)
    sales_idr = models.BigIntegerField(default=0)
    workers = models.BigIntegerField(default=0)
    capital_idr = models.BigIntegerField(default=0)
    sales_median_idr = models.BigIntegerField(null=True)
    median_stale = models.BooleanField(default=False)
    n_paired = models.BigIntegerField(default=0)
    paired_sales_idr = models.BigIntegerField(default=0)
    paired_prev_sales_idr = models.BigIntegerField(default=0)
    moved_up = models.BigIntegerField(default=0)
    formalised = models.BigIntegerField(default=0)
    gained_nib = models.BigIntegerField(default=0)
    gained_pirt = models.BigIntegerField(default=0)
    gained_halal = models.BigIntegerField(default=0)
    gained_trademark = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "period_type", "period_start", "section", "size_class", "border"],
                name="uniq_aggregate_cell",
            )
        ]
        # Choropleth and charts: all cells of one level and period type.
        indexes = [models.Index(fields=["period_type", "level", "period_start"])]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period_type} {self.period_start} {self.section}/{self.size_class}/{self.border}"

    @property
    def growth_pct(self) -> float | None:
        if not self.paired_prev_sales_idr:
            return None
        return round((self.paired_sales_idr / self.paired_prev_sales_idr - 1) * 100, 2)


class Report(models.Model):
    """A frozen snapshot of a standard report; re-issuing makes a new version."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("UMKM profile of the province per regency")
        BORDER = "border", _("Border districts profile")
        MINISTRY = "ministry", _("National UMKM database (ministry field order)")
        REACH = "reach", _("Programme reach")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_type = models.CharField(max_length=8, choices=PeriodType.choices)
    period_start = models.DateField()
    version = models.PositiveIntegerField()
    data = models.JSONField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    scheduled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_type", "period_start", "version"], name="uniq_report_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m} v{self.version}"

    @property
    def period_end(self) -> dt.date:
        from plut.monitoring.periods import period_end

        return period_end(self.period_type, self.period_start)
