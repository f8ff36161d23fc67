"""Programmes of the ministry and the province for border UMKM (MISSION.md, capability 6).

* ``Programme``: a programme as data (type, funding body, period, budget), with dated eligibility
  rules (``EligibilityRule``) and a versioned required-document checklist (``Checklist`` and
  ``ChecklistItem``).
* ``Proposal``: a regency's market-building proposal, its state machine (``services.ALLOWED_TRANSITIONS``),
  its history (``ProposalStatusChange``) and its documents (``ProposalDocument``, every upload a version).
* ``PromotionCall`` / ``PromotionApplication`` / ``ApplicationScore`` / ``PromotionReport``: promotion
  financing from the call to the post-event report.
* ``OutreachEvent`` / ``OutreachAttendee``: socialisation events per regency.

Money is integer rupiah (``*_idr``); foreign amounts are (amount, currency, rate, rate date).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A programme (e.g. the ministry's border-market building), its funder, period and budget."""

    class Kind(models.TextChoices):
        MARKET_BUILDING = "market_building", _("Market building")
        PROMOTION = "promotion", _("Promotion financing")
        OTHER = "other", _("Other")

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    funding_body = models.CharField(max_length=255)
    period_start = models.DateField()
    period_end = models.DateField()
    budget_idr = models.PositiveBigIntegerField(help_text=_("Integer rupiah."))
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-period_start", "code"]

    def __str__(self) -> str:
        return self.name


class EligibilityRule(models.Model):
    """A dated eligibility rule of a programme; edit by closing one (``valid_to``) and adding another."""

    class Rule(models.TextChoices):
        # Regencies with at least one district on the land border (regions.BorderDistrict on the date).
        LAND_BORDER_REGENCY = "land_border_regency", _("Regencies with a land border")
        # An explicit list of regency codes (``regency_codes``).
        LISTED_REGENCIES = "listed_regencies", _("Listed regencies")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="eligibility_rules")
    rule = models.CharField(max_length=32, choices=Rule.choices)
    regency_codes = models.JSONField(default=list, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=255, help_text=_("The regulation or letter the rule comes from."))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.rule} {self.valid_from}"


class Checklist(models.Model):
    """One version of a programme's required-document checklist; a proposal keeps the version it began with."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="checklists")
    version = models.PositiveIntegerField()
    valid_from = models.DateField()
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="uniq_programme_checklist_version")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} v{self.version}"


class ChecklistItem(models.Model):
    """A document of a checklist; ``required`` ones must be present before submission."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=48)
    label = models.CharField(max_length=255)
    required = models.BooleanField(default=True)
    allowed_types = models.CharField(
        max_length=128, default="application/pdf", help_text=_("Space-separated MIME types.")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["checklist", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="uniq_checklist_item")]

    def __str__(self) -> str:
        return self.label


class Proposal(models.Model):
    """A regency's proposal to a programme (a border market); ``version`` is the optimistic lock."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under province review")
        RETURNED = "returned", _("Returned for revision")
        ENDORSED = "endorsed", _("Endorsed by the province")
        SENT = "sent_to_ministry", _("Sent to the ministry")
        MINISTRY_REVIEW = "ministry_review", _("Under ministry review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CONSTRUCTION = "construction", _("Under construction")
        HANDED_OVER = "handed_over", _("Handed over")
        OPERATING = "operating", _("Operating")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="proposals")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="proposals")
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="proposals")
    region_path = models.CharField(max_length=32, db_index=True)
    title = models.CharField(max_length=255)
    location = models.CharField(max_length=255, blank=True)
    requested_amount_idr = models.PositiveBigIntegerField(null=True, blank=True)
    approved_amount_idr = models.PositiveBigIntegerField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalStatusChange(models.Model):
    """One transition of a proposal: when, by whom, from and to, with the actor's comment."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=32, choices=Proposal.Status.choices)
    to_status = models.CharField(max_length=32, choices=Proposal.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


def _document_path(instance: ProposalDocument, filename: str) -> str:
    # The stored name is generated: the uploader's file name never reaches the storage path.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.content_type, "bin"
    )
    return f"programmes/proposals/{instance.proposal_id}/{uuid.uuid4().hex}.{ext}"


class ProposalDocument(models.Model):
    """One version of one checklist item of a proposal (re-uploads add versions; none is deleted)."""

    ENDORSEMENT_LETTER = "endorsement_letter"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    item_code = models.SlugField(max_length=48)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_document_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "item_code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "item_code", "version"], name="uniq_proposal_doc_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_code} v{self.version}"


class PromotionCall(models.Model):
    """A call for promotion financing (an expo or stand), with its budget, criteria and event."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(max_length=255)
    opens_on = models.DateField()
    closes_on = models.DateField()
    budget_idr = models.PositiveBigIntegerField(help_text=_("Integer rupiah."))
    # Criteria the reviewers score (0..max each): border district, P-IRT or halal, own brand.
    require_border_district = models.BooleanField(default=True)
    require_pirt_or_halal = models.BooleanField(default=False)
    require_own_brand = models.BooleanField(default=False)
    criteria_note = models.TextField(blank=True)
    event_name = models.CharField(max_length=255, blank=True)
    event_place = models.CharField(max_length=255, blank=True)
    event_start = models.DateField(null=True, blank=True)
    event_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PromotionApplication(models.Model):
    """An enterprise's application to a call, by the entrepreneur or by a consultant on their behalf."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(PromotionCall, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=32, db_index=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(default=False)
    products = models.TextField(blank=True)
    requested_amount_idr = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    awarded_amount_idr = models.PositiveBigIntegerField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "enterprise"], name="uniq_call_enterprise_application")
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.enterprise_id}"


class ApplicationScore(models.Model):
    """A reviewer's score of an application against one criterion (0..10)."""

    class Criterion(models.TextChoices):
        BORDER_DISTRICT = "border_district", _("Enterprise in a border district")
        PRODUCT_READINESS = "product_readiness", _("Product readiness (P-IRT or halal)")
        OWN_BRAND = "own_brand", _("Sells under its own brand")
        OTHER = "other", _("Other")

    application = models.ForeignKey(PromotionApplication, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(max_length=32, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="uniq_score_per_reviewer_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.criterion}={self.score}"


class PromotionReport(models.Model):
    """The post-event report of an awarded application: sales (amount, currency, rate), buyers."""

    class Currency(models.TextChoices):
        IDR = "IDR", "IDR"
        MYR = "MYR", "MYR"

    application = models.OneToOneField(PromotionApplication, on_delete=models.CASCADE, related_name="report")
    transactions = models.PositiveIntegerField()
    buyers_met = models.PositiveIntegerField()
    buyer_countries = models.CharField(max_length=255, help_text=_("ISO 3166 codes, comma-separated."))
    sales_amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    rate_idr = models.DecimalField(
        max_digits=12, decimal_places=4, help_text=_("Rupiah per unit of the currency (1 for IDR).")
    )
    rate_date = models.DateField()
    sales_idr = models.PositiveBigIntegerField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"report {self.application_id}"


class OutreachEvent(models.Model):
    """A socialisation (sosialisasi) event of a programme in a regency (and district)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="outreach_events")
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(max_length=32, db_index=True)
    held_on = models.DateField()
    place = models.CharField(max_length=255, blank=True)
    materials = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.held_on}"


class OutreachAttendee(models.Model):
    """A person at an outreach event, linked to a registry enterprise where there is one."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=255)
    organisation = models.CharField(max_length=255, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name
