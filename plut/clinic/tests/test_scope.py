"""Scoping of clinic cases: who sees which case, who may change it, with the denied case for every role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.clinic.models import Case
from plut.clinic.selectors import case_list, case_scope, get_case_for_user
from plut.clinic.services import case_cancel, case_open, session_log

pytestmark = pytest.mark.django_db

# Which cases each cast role sees: one case per cast enterprise.
VISIBLE = {
    "admin": {"sambas", "sanggau", "pontianak"},
    "analyst": {"sambas", "sanggau", "pontianak"},
    "officer_sambas": {"sambas"},
    "officer_sanggau": {"sanggau"},
    "consultant": {"sanggau"},
    "ministry": set(),
    "entrepreneur": {"sambas"},
}
# Roles that run the practice may open a visible case for writing; the others only read it.
WRITERS = {"admin", "consultant"}
TARGETS = ["sambas", "sanggau", "pontianak"]


@pytest.fixture
def cases(cast) -> dict[str, Case]:
    """One open case per cast enterprise, opened by the office administrator."""
    return {
        key: case_open(
            actor=cast.admin,
            enterprise=getattr(cast, f"ent_{key}"),
            channel=Case.Channel.WALK_IN,
            complaint="Penjualan turun, butuh bantuan pemasaran.",
        )
        for key in TARGETS
    }


def _keys(cases, qs) -> set[str]:
    by_pk = {c.pk: k for k, c in cases.items()}
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True)}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_case_scope_returns_only_the_roles_cases(cast, cases, role):
    assert _keys(cases, case_scope(getattr(cast, role))) == VISIBLE[role]


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_case_list_returns_only_the_roles_cases(cast, cases, role):
    assert _keys(cases, case_list(user=getattr(cast, role))) == VISIBLE[role]


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("target", TARGETS)
def test_get_case_for_user_reads_in_scope_and_hides_the_rest(cast, cases, role, target):
    user, case = getattr(cast, role), cases[target]
    if target in VISIBLE[role]:
        assert get_case_for_user(user=user, pk=case.pk) == case
    else:
        with pytest.raises(Http404):
            get_case_for_user(user=user, pk=case.pk)


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("target", TARGETS)
def test_get_case_for_user_for_writing_is_for_the_practice_only(cast, cases, role, target):
    user, case = getattr(cast, role), cases[target]
    if target not in VISIBLE[role]:
        # Out of scope is "not found" even for writing: the case's existence is not revealed.
        with pytest.raises(Http404):
            get_case_for_user(user=user, pk=case.pk, rw=True)
    elif role in WRITERS:
        assert get_case_for_user(user=user, pk=case.pk, rw=True) == case
    else:
        with pytest.raises(PermissionDenied):
            get_case_for_user(user=user, pk=case.pk, rw=True)


def test_a_consultant_of_other_regencies_gets_404(cast, cases):
    other = user_create(
        actor=None,
        username="consultant_ptk",
        role=Role.CONSULTANT,
        region_codes=["61.71"],
        password="x",
        check_password=False,
    )
    assert _keys(cases, case_scope(other)) == {"pontianak"}
    for target in ("sambas", "sanggau"):
        with pytest.raises(Http404):
            get_case_for_user(user=other, pk=cases[target].pk)
        with pytest.raises(Http404):
            get_case_for_user(user=other, pk=cases[target].pk, rw=True)


def test_the_ministry_sees_no_case_at_all(cast, cases):
    assert list(case_scope(cast.ministry)) == []
    for case in cases.values():
        with pytest.raises(Http404):
            get_case_for_user(user=cast.ministry, pk=case.pk)


def test_an_entrepreneur_sees_only_their_own_cases_including_requests(cast, cases):
    request = case_open(
        actor=cast.entrepreneur,
        enterprise=cast.ent_sambas,
        channel=Case.Channel.ONLINE,
        complaint="Saya ingin mendaftarkan merek.",
        consent=True,
    )
    assert set(case_scope(cast.entrepreneur)) == {cases["sambas"], request}
    assert get_case_for_user(user=cast.entrepreneur, pk=request.pk) == request
    # Another entrepreneur sees none of them.
    stranger = user_create(
        actor=None,
        username="entrepreneur2",
        role=Role.ENTREPRENEUR,
        password="x",
        check_password=False,
    )
    assert list(case_scope(stranger)) == []
    with pytest.raises(Http404):
        get_case_for_user(user=stranger, pk=request.pk)


def test_an_inactive_consultant_sees_nothing(cast, cases):
    cast.consultant.is_active = False
    cast.consultant.save()
    assert list(case_scope(cast.consultant)) == []
    with pytest.raises(Http404):
        get_case_for_user(user=cast.consultant, pk=cases["sanggau"].pk)


def test_consultant_queue_holds_their_cases_and_open_requests(cast, cases):
    mine = case_open(
        actor=cast.consultant,
        enterprise=cast.ent_sanggau,
        channel=Case.Channel.PHONE,
        complaint="Butuh modal usaha.",
    )
    # ``cases["sanggau"]`` was opened by the administrator without a consultant: not in the queue.
    assert list(case_list(user=cast.consultant, mine=True)) == [mine]


@pytest.mark.parametrize("role", ["officer_sanggau", "analyst", "entrepreneur", "ministry"])
def test_readers_cannot_change_a_case_through_the_services(cast, cases, role):
    case = cases["sambas"] if role == "entrepreneur" else cases["sanggau"]
    with pytest.raises(PermissionDenied):
        case_cancel(actor=getattr(cast, role), case=case, note="tidak jadi")
    with pytest.raises(PermissionDenied):
        session_log(
            actor=getattr(cast, role),
            case=case,
            held_on=case.opened_at.date(),
            mode="office",
            topic="Pemasaran",
            duration_minutes=30,
        )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.sessions.count() == 0


def test_a_consultant_cannot_change_a_case_outside_their_regencies(cast, cases):
    with pytest.raises(PermissionDenied):
        case_cancel(actor=cast.consultant, case=cases["sambas"], note="salah wilayah")
    cases["sambas"].refresh_from_db()
    assert cases["sambas"].status == Case.Status.OPEN
