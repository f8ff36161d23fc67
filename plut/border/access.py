"""Who may see and write border-economy records (one place; scope from ``plut.accounts.scope``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.accounts.scope import can_see_region

# Office staff, consultants and regency officers see border figures (within their regions);
# entrepreneurs and ministry reviewers do not.
VIEW_ROLES = {Role.OFFICE_ADMIN, Role.OFFICE_ANALYST, Role.CONSULTANT, Role.REGENCY_OFFICER}
# Enumerators: consultants and regency officers in their regions, and the office administrator.
SURVEY_ROLES = {Role.OFFICE_ADMIN, Role.CONSULTANT, Role.REGENCY_OFFICER}


def can_view(user) -> bool:
    """Return True when ``user`` may open the border pages at all."""
    return bool(user and user.is_authenticated and user.is_active and Role(user.role) in VIEW_ROLES)


def require_view(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may see border figures."""
    if not can_view(user):
        raise PermissionDenied(_("Your role does not give access to the border economy pages."))


def require_survey_writer(user, region_path: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may record surveys for a place with ``region_path``."""
    # A role that never records surveys.
    if not user or Role(user.role) not in SURVEY_ROLES:
        raise PermissionDenied(_("Your role may not record market surveys."))
    # A place outside the user's regions.
    if not can_see_region(user, region_path):
        raise PermissionDenied(_("This market is outside your scope."))


def require_office_admin(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is an office administrator (rates, weights, limits)."""
    if not user or Role(user.role) != Role.OFFICE_ADMIN:
        raise PermissionDenied(_("Only an office administrator may change this configuration."))
