"""Reads of the clinic, scoped like the registry (``plut.accounts.scope``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from plut.accounts.models import Role
from plut.accounts.scope import region_q
from plut.clinic.models import Case, Session


def case_scope(user) -> QuerySet[Case]:
    """Return the cases ``user`` may see: consultants and regency officers their regions', the
    office all, an entrepreneur their own enterprises', a ministry reviewer none."""
    if user is None or not user.is_authenticated or not Role(user.role).can_view_registry:
        return Case.objects.none()
    return Case.objects.filter(region_q(user, owner_user_field="enterprise__owner__user"))


def case_list(*, user, status: str | None = None, mine: bool = False) -> QuerySet[Case]:
    """Return the cases in scope, newest first; ``mine`` keeps the user's own consultant queue."""
    qs = (
        case_scope(user)
        .select_related("enterprise", "enterprise__owner", "consultant")
        .prefetch_related("areas")
    )
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(consultant=user) | qs.filter(status=Case.Status.REQUESTED)
    return qs


def get_case_for_user(*, user, pk: int, rw: bool = False) -> Case:
    """Return case ``pk`` if ``user`` may see it (``Http404`` otherwise); with ``rw``, raise
    ``PermissionDenied`` for roles that do not run the practice."""
    case = (
        case_scope(user).select_related("enterprise", "enterprise__owner", "consultant").filter(pk=pk).first()
    )
    if case is None:
        raise Http404("No case found.")
    if rw and Role(user.role) not in {Role.OFFICE_ADMIN, Role.CONSULTANT}:
        raise PermissionDenied("This role may not change clinic cases.")
    return case


def followups(*, user, today: dt.date | None = None, days: int = 30) -> dict[str, list[Session]]:
    """Return ``{"overdue": [...], "upcoming": [...]}`` follow-ups of the user's open cases."""
    today = today or timezone.localdate()
    qs = (
        Session.objects.filter(case__in=case_scope(user), follow_up_on__isnull=False, follow_up_done=False)
        .exclude(case__status__in=[Case.Status.CLOSED, Case.Status.CANCELLED])
        .select_related("case", "case__enterprise")
        .order_by("follow_up_on")
    )
    if Role(user.role) == Role.CONSULTANT:
        qs = qs.filter(case__consultant=user)
    return {
        "overdue": list(qs.filter(follow_up_on__lt=today)),
        "upcoming": list(
            qs.filter(follow_up_on__gte=today, follow_up_on__lte=today + dt.timedelta(days=days))
        ),
    }


def enterprise_record(*, enterprise) -> list[dict]:
    """Return the enterprise's clinic record as one timeline, oldest first.

    Each item: ``{"at": datetime|date, "kind": str, "case": Case, "obj": model instance}``.
    """
    items: list[dict] = []
    for case in enterprise.cases.prefetch_related(
        "diagnoses", "sessions", "referrals", "actions"
    ).select_related("outcome"):
        items.append({"at": case.opened_at, "kind": "case", "case": case, "obj": case})
        items += [{"at": d.at, "kind": "diagnosis", "case": case, "obj": d} for d in case.diagnoses.all()]
        items += [{"at": s.held_on, "kind": "session", "case": case, "obj": s} for s in case.sessions.all()]
        items += [
            {"at": r.referred_on, "kind": "referral", "case": case, "obj": r} for r in case.referrals.all()
        ]
        if hasattr(case, "outcome"):
            items.append(
                {"at": case.outcome.recorded_at, "kind": "outcome", "case": case, "obj": case.outcome}
            )

    def key(item):
        at = item["at"]
        return at.date() if isinstance(at, dt.datetime) else at

    return sorted(items, key=key)
