"""Read access to regions and the border reference tables."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import BorderDistrict, Level, Region


def regions_at_level(level: Level | int) -> QuerySet[Region]:
    """Return the active regions of one level, ordered by code."""
    return Region.objects.filter(level=int(level), retired_in__isnull=True).order_by("code")


def region_children(parent_code: str) -> QuerySet[Region]:
    """Return the active direct children of the region with this Kemendagri code, ordered by code."""
    return Region.objects.filter(parent__code=parent_code, retired_in__isnull=True).order_by("code")


def border_district_codes(on: date | None = None) -> set[str]:
    """Return the codes of the districts touching Sarawak on a date (today by default)."""
    on = on or timezone.localdate()
    return set(
        BorderDistrict.objects.filter(touches_border=True, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("region__code", flat=True)
    )


def is_border_district(region: Region, on: date | None = None) -> bool:
    """Return True when the region is a border district, or a village inside one, on a date."""
    if region.level < Level.DISTRICT:
        return False
    district_code = ".".join(region.code.split(".")[:3])
    return district_code in border_district_codes(on)
