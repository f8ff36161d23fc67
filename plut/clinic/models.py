"""The PLUT clinic: cases of an enterprise taken from complaint to outcome.

The steps follow the national competence standard for UMKM mentors (SKKNI, Kepmenaker
181/2017): needs assessment (diagnosis) → mentoring plan and agreement → sessions →
monitoring (follow-ups, referrals) → report (outcome).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceArea(models.Model):
    """A PLUT service area (configurable by the office; seeded with the seven standard areas)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=128)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ConsultantProfile(models.Model):
    """The service areas a PLUT consultant works in (their regencies are ``User.regions``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_profile"
    )
    areas = models.ManyToManyField(ServiceArea, blank=True, related_name="consultants")

    def __str__(self) -> str:
        return str(self.user)


class Case(models.Model):
    """One consultation of an enterprise, from its complaint to its outcome."""

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", _("walk-in")
        PHONE = "phone", _("phone call")
        FIELD_VISIT = "field_visit", _("field visit")
        ONLINE = "online", _("online request")
        REFERRAL = "referral", _("referral")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")  # an online request not yet picked up
        OPEN = "open", _("open")  # intake done, consultant assigned
        DIAGNOSED = "diagnosed", _("diagnosed")  # health check done
        PLANNED = "planned", _("planned")  # mentoring plan and agreement
        MENTORING = "mentoring", _("in mentoring")  # sessions under way
        CLOSED = "closed", _("closed")  # outcome recorded
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(max_length=32, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="cases")
    region_path = models.CharField(max_length=32, db_index=True)
    is_border = models.BooleanField(default=False)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    complaint = models.TextField(help_text=_("The complaint in the entrepreneur's own words."))
    consent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Consent to process personal data (UU 27/2022).")
    )
    consent_text = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="clinic_cases"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    areas = models.ManyToManyField(ServiceArea, blank=True, related_name="cases")
    suggested_areas = models.JSONField(
        default=list, blank=True, help_text=_("[{code, confidence}] from triage.")
    )
    suggestion_model = models.CharField(max_length=64, blank=True)
    areas_confirmed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Optimistic lock."))

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.number


# A case in these statuses is an assistance that has started: only then may a letter say that the
# enterprise is assisted (binaan) by the PLUT (clinic.pdf.letter_issue).
LETTER_CASE_STATUSES = frozenset(
    {Case.Status.OPEN, Case.Status.DIAGNOSED, Case.Status.PLANNED, Case.Status.MENTORING, Case.Status.CLOSED}
)


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Dimension(models.TextChoices):
    """Dimensions of the business health check."""

    LEGALITY = "legality", _("legality")
    PRODUCTION = "production", _("production")
    PACKAGING = "packaging", _("packaging and brand")
    MARKETING = "marketing", _("marketing and market reach")
    FINANCE = "finance", _("finance and bookkeeping")
    HUMAN_RESOURCES = "human_resources", _("human resources")
    DIGITAL = "digital", _("digital")


class HealthInstrument(models.Model):
    """A version of the health-check questionnaire. Published versions are never edited."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=128)
    published_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class HealthQuestion(models.Model):
    """One question: ``options`` is ``[{"label": str, "points": int}, …]``; the best option has the most points."""

    instrument = models.ForeignKey(HealthInstrument, on_delete=models.CASCADE, related_name="questions")
    dimension = models.CharField(max_length=32, choices=Dimension.choices)
    code = models.SlugField(max_length=48)
    text = models.TextField()
    options = models.JSONField()
    weight = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "dimension", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="uniq_question_code")]

    def __str__(self) -> str:
        return self.code


class Diagnosis(models.Model):
    """A health check of a case: answers, scores 0–100 per dimension, and the baseline figures."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diagnoses")
    instrument = models.ForeignKey(HealthInstrument, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(help_text=_("{question code: chosen option index}"))
    scores = models.JSONField(help_text=_("{dimension: score 0–100}"))
    overall = models.PositiveSmallIntegerField()
    baseline = models.ForeignKey(
        "enterprises.FigureSnapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    baseline_permits = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d}"


class PlanAction(models.Model):
    class Owner(models.TextChoices):
        CONSULTANT = "consultant", _("consultant")
        ENTREPRENEUR = "entrepreneur", _("entrepreneur")

    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        DOING = "doing", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner = models.CharField(max_length=16, choices=Owner.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TODO)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Agreement(models.Model):
    """The mentoring agreement (kontrak pendampingan) of a case, accepted by the entrepreneur."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_on_behalf = models.BooleanField(
        default=False, help_text=_("Accepted in person, recorded by the consultant.")
    )

    def __str__(self) -> str:
        return f"{self.case_id} agreement"


class Session(models.Model):
    class Mode(models.TextChoices):
        OFFICE = "office", _("at the office")
        VISIT = "visit", _("visit")
        PHONE = "phone", _("phone")
        ONLINE = "online", _("online")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    topic = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField()
    next_steps = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    attachment = models.FileField(upload_to="clinic/sessions/%Y/%m/", blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on} {self.topic}"


class Referral(models.Model):
    class Kind(models.TextChoices):
        KUR = "kur", _("bank (KUR credit)")
        HALAL = "halal", _("halal certification")
        BPOM = "bpom", _("BPOM")
        TRADEMARK = "trademark", _("trademark registration")
        OSS_NIB = "oss_nib", _("OSS (NIB)")
        PIRT = "pirt", _("P-IRT")
        TRAINING = "training", _("training")
        CONSULTANT = "consultant", _("another consultant or area")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("did not succeed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    to_name = models.CharField(max_length=200, help_text=_("Bank, body or person referred to."))
    referred_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    amount_idr = models.BigIntegerField(null=True, blank=True, help_text=_("KUR obtained, integer rupiah."))
    document_number = models.CharField(
        max_length=64, blank=True, help_text=_("NIB, certificate or registration number obtained.")
    )
    outcome_note = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    permit = models.ForeignKey(
        "enterprises.Permit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.get_kind_display()}"


class Outcome(models.Model):
    """Before/after of a closed case. Growth in business volume = (after − before) / before × 100 (annual sales)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outcome")
    baseline = models.ForeignKey(
        "enterprises.FigureSnapshot", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    after = models.ForeignKey(
        "enterprises.FigureSnapshot", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sales_before_idr = models.BigIntegerField(null=True, blank=True)
    sales_after_idr = models.BigIntegerField(null=True, blank=True)
    workers_before = models.PositiveIntegerField(null=True, blank=True)
    workers_after = models.PositiveIntegerField(null=True, blank=True)
    formalised = models.JSONField(
        default=list, blank=True, help_text=_("Permit kinds obtained during the case.")
    )
    finance_obtained_idr = models.BigIntegerField(default=0)
    size_before = models.CharField(max_length=8, blank=True)
    size_after = models.CharField(max_length=8, blank=True)
    moved_up = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case_id} outcome"

    @property
    def size_before_label(self) -> str:
        from plut.enterprises.sizeclass import SizeClass

        return SizeClass(self.size_before).label if self.size_before else ""

    @property
    def size_after_label(self) -> str:
        from plut.enterprises.sizeclass import SizeClass

        return SizeClass(self.size_after).label if self.size_after else ""


class Letter(models.Model):
    """A letter the office issued (e.g. confirmation that an enterprise is a UMK assisted by the office)."""

    class Kind(models.TextChoices):
        ASSISTED_UMK = "assisted_umk", _("confirmation of an assisted UMK")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    number = models.CharField(max_length=64, unique=True)
    verification_code = models.CharField(max_length=16, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(upload_to="clinic/letters/%Y/", blank=True)

    def __str__(self) -> str:
        return self.number


class TriageExample(models.Model):
    """A labelled complaint the triage classifier learns from (the office can add more)."""

    text = models.TextField()
    areas = models.JSONField(help_text=_("Service area codes."))
    source = models.CharField(max_length=16, default="office")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:60]
