"""Reads of the registry. Every read goes through these functions, which apply the region scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from plut.accounts.models import Role
from plut.accounts.scope import region_q
from plut.enterprises.filters import EnterpriseFilter
from plut.enterprises.models import Enterprise


def enterprise_scope(user) -> QuerySet[Enterprise]:
    """Return every enterprise ``user`` may see (no filters, no joins)."""
    if user is None or not user.is_authenticated or not Role(user.role).can_view_registry:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(region_q(user, owner_user_field="owner__user"))


def enterprise_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[Enterprise]:
    """Return the enterprises ``user`` may see, filtered by :class:`EnterpriseFilter` fields.

    Raises ``django.core.exceptions.ValidationError`` when a filter value is invalid.
    """
    qs = enterprise_scope(user).select_related("owner", "region", "region__parent", "primary_kbli")
    fs = EnterpriseFilter(data=filters or {}, queryset=qs)
    if not fs.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(fs.errors)
    return fs.qs


def enterprise_filterset(*, user, data) -> EnterpriseFilter:
    """Return the bound filter set over ``user``'s scope (for forms that show the filters)."""
    qs = enterprise_scope(user).select_related("owner", "region", "region__parent", "primary_kbli")
    return EnterpriseFilter(data=data, queryset=qs)


def get_enterprise_for_user(*, user, pk: int, rw: bool = False) -> Enterprise:
    """Return the enterprise ``pk`` if ``user`` may see it.

    Raises ``Http404`` when it does not exist or lies outside the user's scope (no hint that it
    exists), and ``PermissionDenied`` when ``rw`` is asked of a read-only role.
    """
    try:
        enterprise = enterprise_scope(user).select_related("owner", "region", "region__parent").get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("No enterprise found.") from None
    # Read-only roles (analyst) and entrepreneurs' foreign rows never reach here; analysts stop here.
    if (
        rw
        and not Role(user.role).can_edit_registry
        and not (Role(user.role) == Role.ENTREPRENEUR and enterprise.owner.user_id == user.pk)
    ):
        raise PermissionDenied("This role may not change registry records.")
    return enterprise


def enterprise_counts(*, user, by: str) -> list[dict[str, Any]]:
    """Return ``[{by: value, "n": count}, ...]`` over ``user``'s scope, ordered by ``by``."""
    allowed = {"regency_code", "district_code", "is_border", "size_class", "kbli_section"}
    if by not in allowed:
        raise ValueError(f"Cannot count by {by!r}.")
    return list(enterprise_scope(user).values(by).annotate(n=Count("id")).order_by(by))
