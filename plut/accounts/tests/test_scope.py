"""Region scope: read from the user row (no query), kept equal to the user's regions."""

from __future__ import annotations

import pytest
from django.db.models import Q

from plut.accounts.models import User
from plut.accounts.scope import can_see_region, region_paths, region_q
from plut.regions.models import Region

pytestmark = pytest.mark.django_db


def test_scope_needs_no_query_beyond_the_user(cast, django_assert_num_queries):
    consultant = User.objects.get(pk=cast.consultant.pk)  # as a request loads it
    with django_assert_num_queries(0):
        assert region_paths(consultant) == ["61.03.", "61.07."]
        nothing = Q(pk__in=[])
        assert region_q(consultant) == nothing | Q(region_path__startswith="61.03.") | Q(
            region_path__startswith="61.07."
        )
        assert can_see_region(consultant, "61.07.02.2001.") is True
        assert can_see_region(consultant, "61.05.") is False


def test_changing_regions_keeps_the_paths(cast):
    officer = cast.officer_sambas
    assert region_paths(officer) == ["61.01."]
    officer.regions.set([Region.objects.get(code="61.03")])
    assert region_paths(officer) == ["61.03."]
    officer.regions.add(Region.objects.get(code="61.05"))
    assert region_paths(officer) == ["61.03.", "61.05."]
    assert User.objects.get(pk=officer.pk).scope_paths == ["61.03.", "61.05."]
    officer.regions.remove(Region.objects.get(code="61.03"))
    assert region_paths(User.objects.get(pk=officer.pk)) == ["61.05."]
    officer.regions.clear()
    assert region_paths(officer) == []
    assert region_q(officer) == Q(pk__in=[])


def test_changes_from_the_region_side_are_kept_too(cast):
    sanggau = Region.objects.get(code="61.03")
    sanggau.users.add(cast.officer_sambas)
    assert User.objects.get(pk=cast.officer_sambas.pk).scope_paths == ["61.01.", "61.03."]
    sanggau.users.remove(cast.officer_sambas)
    assert User.objects.get(pk=cast.officer_sambas.pk).scope_paths == ["61.01."]
    sanggau.users.clear()  # the consultant and the Sanggau officer lose Sanggau
    assert User.objects.get(pk=cast.consultant.pk).scope_paths == ["61.07."]
    assert User.objects.get(pk=cast.officer_sanggau.pk).scope_paths == []
