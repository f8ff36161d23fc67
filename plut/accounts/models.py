"""Users and roles. The region scope of every role is enforced in ``plut.accounts.scope``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of MISSION.md, "Users"; each property says what the role may do."""

    OFFICE_ADMIN = "office_admin", _("Office administrator")
    OFFICE_ANALYST = "office_analyst", _("Office analyst")
    CONSULTANT = "consultant", _("PLUT consultant")
    REGENCY_OFFICER = "regency_officer", _("Regency officer")
    MINISTRY_REVIEWER = "ministry_reviewer", _("Ministry reviewer")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")

    @property
    def is_province_wide(self) -> bool:
        """Sees every region of the province."""
        return self in {Role.OFFICE_ADMIN, Role.OFFICE_ANALYST}

    @property
    def is_region_scoped(self) -> bool:
        """Sees the regions assigned to the user (and their subtrees)."""
        return self in {Role.CONSULTANT, Role.REGENCY_OFFICER}

    @property
    def can_view_registry(self) -> bool:
        """May list and open registry enterprises (within scope)."""
        return self != Role.MINISTRY_REVIEWER

    @property
    def can_edit_registry(self) -> bool:
        """May write registry records (within scope)."""
        return self in {Role.OFFICE_ADMIN, Role.CONSULTANT, Role.REGENCY_OFFICER}

    @property
    def can_reveal_personal_data(self) -> bool:
        """May reveal a masked NIK/phone/address on a detail page; every reveal is logged."""
        return self in {Role.OFFICE_ADMIN, Role.CONSULTANT, Role.REGENCY_OFFICER, Role.ENTREPRENEUR}

    @property
    def can_export(self) -> bool:
        """May export lists (identifiers masked unless the role may reveal them)."""
        return self in {Role.OFFICE_ADMIN, Role.OFFICE_ANALYST, Role.CONSULTANT, Role.REGENCY_OFFICER}

    @property
    def can_manage_users(self) -> bool:
        return self == Role.OFFICE_ADMIN


class User(AbstractUser):
    """A person who signs in. ``regions`` is the scope of consultants and regency officers."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.OFFICE_ANALYST)
    regions = models.ManyToManyField("regions.Region", blank=True, related_name="users")
    phone = models.CharField(max_length=20, blank=True)
    # Derived from ``regions``: their sorted paths, kept by ``accounts.scope`` on every change of
    # ``regions`` (m2m_changed), so a request's scope needs no query beyond loading the user.
    scope_paths = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to recognise the token."))
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user.username}:{self.prefix}…"
