"""Region scope: one query per user object, refreshed when the user's regions change."""

from __future__ import annotations

import pytest
from django.db.models import Q

from plut.accounts.scope import can_see_region, region_paths, region_q
from plut.regions.models import Region

pytestmark = pytest.mark.django_db


def test_region_paths_are_read_once_per_user_object(cast, django_assert_num_queries):
    consultant = cast.consultant
    with django_assert_num_queries(1):
        assert region_paths(consultant) == ["61.03.", "61.07."]
        nothing = Q(pk__in=[])
        assert region_q(consultant) == nothing | Q(region_path__startswith="61.03.") | Q(
            region_path__startswith="61.07."
        )
        assert can_see_region(consultant, "61.07.02.2001.") is True
        assert can_see_region(consultant, "61.01.") is False


def test_changing_regions_clears_the_cached_paths(cast):
    officer = cast.officer_sambas
    assert region_paths(officer) == ["61.01."]
    officer.regions.set([Region.objects.get(code="61.03")])
    assert region_paths(officer) == ["61.03."]
    officer.regions.add(Region.objects.get(code="61.05"))
    assert region_paths(officer) == ["61.03.", "61.05."]
    officer.regions.clear()
    assert region_paths(officer) == []
    assert region_q(officer) == Q(pk__in=[])
