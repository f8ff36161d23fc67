"""Import batches: one row per uploaded spreadsheet, one row per spreadsheet row with its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plut.core.crypto import EncryptedTextField


class ImportBatch(models.Model):
    """One uploaded spreadsheet and what became of it.

    The original file is kept byte for byte (encrypted at rest, since it holds NIKs and phone
    numbers) through Django's storage API; ``counts`` holds
    ``{"rows", "created", "updated", "unchanged", "rejected", "duplicates"}``.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        PREVIEWED = "previewed", _("previewed (dry run)")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        COMMITTED = "committed", _("committed")
        PARTIAL = "partial", _("valid rows committed")
        REJECTED = "rejected", _("rejected: nothing committed")
        FAILED = "failed", _("failed: nothing committed")

    class Mode(models.TextChoices):
        ATOMIC = "atomic", _("all rows or none")
        COMMIT_VALID = "commit_valid", _("commit the valid rows")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    regency = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    original = models.FileField(upload_to="imports/originals/%Y/%m/")
    original_name = models.CharField(max_length=255)
    original_sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField()
    file_format = models.CharField(max_length=8, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text=_("Explicit field → header mapping."))
    header_map = models.JSONField(default=dict, blank=True, help_text=_("Field → header text as found."))
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ATOMIC)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED, db_index=True)
    dry_run = models.BooleanField(default=True)
    counts = models.JSONField(default=dict, blank=True)
    file_problems = models.JSONField(default=list, blank=True, help_text=_("File-level errors and warnings."))
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    error_report = models.FileField(upload_to="imports/reports/%Y/%m/", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.COMMITTED,
            self.Status.PARTIAL,
            self.Status.REJECTED,
            self.Status.FAILED,
        }


class ImportRow(models.Model):
    """The outcome of one spreadsheet row in the last run of a batch.

    ``raw`` is the row's cells by header (encrypted: it holds personal data); ``changes`` is
    ``{field: [before, after]}`` for an updated enterprise, personal fields masked.
    """

    class Outcome(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        UNCHANGED = "unchanged", _("unchanged")
        REJECTED = "rejected", _("rejected")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text=_("Row number in the spreadsheet (header = 1)."))
    outcome = models.CharField(max_length=16, choices=Outcome.choices, db_index=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_rows"
    )
    raw = EncryptedTextField(
        blank=True, help_text=_("JSON list of the row's cell texts, in file column order.")
    )
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="uniq_import_row")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number} {self.outcome}"
