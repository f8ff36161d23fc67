"""Scoped reads of programmes, proposals, applications and outreach (scope: ``plut.accounts.scope``).

Who sees which proposal (MISSION.md, "Users"):

* office administrator and analyst — all;
* regency officer and PLUT consultant — the proposals of their regencies;
* ministry reviewer — only proposals sent to the ministry (``MINISTRY_VISIBLE`` statuses);
* entrepreneur — none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from plut.accounts.models import Role
from plut.accounts.scope import NOTHING, region_q
from plut.programmes.models import (
    OutreachAttendee,
    OutreachEvent,
    Programme,
    PromotionApplication,
    PromotionCall,
    Proposal,
)
from plut.regions.models import BorderDistrict, Region

P = Proposal.Status
MINISTRY_VISIBLE = {
    P.SENT,
    P.MINISTRY_REVIEW,
    P.APPROVED,
    P.REJECTED,
    P.CONSTRUCTION,
    P.HANDED_OVER,
    P.OPERATING,
}


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def programme_list(*, user) -> QuerySet[Programme]:
    """Return the programmes (public information for every signed-in user), newest first."""
    if not _active(user):
        return Programme.objects.none()
    return Programme.objects.all()


def proposal_scope(user) -> QuerySet[Proposal]:
    """Return the proposals ``user`` may see (see the module docstring)."""
    if not _active(user):
        return Proposal.objects.none()
    role = Role(user.role)
    if role == Role.MINISTRY_REVIEWER:
        return Proposal.objects.filter(status__in=MINISTRY_VISIBLE)
    if role == Role.ENTREPRENEUR:
        return Proposal.objects.none()
    return Proposal.objects.filter(region_q(user))


def proposal_list(*, user, status: str | None = None) -> QuerySet[Proposal]:
    """Return the proposals in scope with their programme and regency, newest first."""
    qs = proposal_scope(user).select_related("programme", "regency")
    if status:
        qs = qs.filter(status=status)
    return qs


def get_proposal_for_user(*, user, pk: int) -> Proposal:
    """Return proposal ``pk`` if ``user`` may see it; ``Http404`` otherwise (existence is not revealed)."""
    proposal = (
        proposal_scope(user)
        .select_related("programme", "regency", "checklist", "created_by")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No proposal found.")
    return proposal


def proposal_documents(proposal: Proposal) -> dict[str, list]:
    """Return ``{item_code: [documents, oldest version first]}`` of a proposal."""
    out: dict[str, list] = {}
    for doc in proposal.documents.select_related("uploaded_by").order_by("item_code", "version"):
        out.setdefault(doc.item_code, []).append(doc)
    return out


def application_scope(user) -> QuerySet[PromotionApplication]:
    """Return the applications ``user`` may see: office all, consultants and officers their regions',
    entrepreneurs their own enterprises', ministry reviewers none."""
    if not _active(user):
        return PromotionApplication.objects.none()
    role = Role(user.role)
    if role == Role.MINISTRY_REVIEWER:
        return PromotionApplication.objects.none()
    return PromotionApplication.objects.filter(region_q(user, owner_user_field="enterprise__owner__user"))


def get_application_for_user(*, user, pk: int) -> PromotionApplication:
    app = application_scope(user).select_related("call", "enterprise").filter(pk=pk).first()
    if app is None:
        raise Http404("No application found.")
    return app


def call_list(*, user) -> QuerySet[PromotionCall]:
    """Return the promotion calls (announced to every signed-in user), newest first."""
    if not _active(user):
        return PromotionCall.objects.none()
    return PromotionCall.objects.select_related("programme")


def outreach_scope(user) -> QuerySet[OutreachEvent]:
    """Return the outreach events in ``user``'s region scope (ministry reviewers and entrepreneurs: none)."""
    if not _active(user) or Role(user.role) in {Role.MINISTRY_REVIEWER, Role.ENTREPRENEUR}:
        return OutreachEvent.objects.none()
    q = region_q(user)
    if q == NOTHING:
        return OutreachEvent.objects.none()
    return OutreachEvent.objects.filter(q)


def _border_district_filter(on: dt.date) -> Q:
    return Q(touches_border=True, valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def coverage(*, user, programme: Programme | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """Return which border regencies and districts outreach reached, when, and which it did not.

    Shape: ``{"regencies": [{"code", "name", "events", "last_held_on", "reached"}],
    "districts": [{"code", "name", "regency_code", "events", "last_held_on", "reached"}],
    "regencies_not_reached": [codes], "districts_not_reached": [codes]}``. A district is reached by
    an event held in it, or by an attendee whose enterprise is in it. Border districts are those of
    ``regions.BorderDistrict`` in force on ``on`` (today by default); only regions in the user's scope.
    """
    on = on or timezone.localdate()
    district_ids = BorderDistrict.objects.filter(_border_district_filter(on)).values("region_id")
    districts = list(
        Region.objects.filter(pk__in=district_ids).filter(region_q(user, path_field="path")).order_by("code")
    )
    regency_codes = sorted({d.code.rsplit(".", 1)[0] for d in districts})
    regencies = list(Region.objects.filter(code__in=regency_codes).order_by("code"))
    events = outreach_scope(user)
    if programme is not None:
        events = events.filter(programme=programme)
    by_regency = {
        row["regency__code"]: row for row in events.values("regency__code").annotate(last=Max("held_on"))
    }
    counts_regency: dict[str, int] = {}
    for code in events.values_list("regency__code", flat=True):
        counts_regency[code] = counts_regency.get(code, 0) + 1
    district_hits: dict[str, list[dt.date]] = {}
    for code, held_on in events.filter(district__isnull=False).values_list("district__code", "held_on"):
        district_hits.setdefault(code, []).append(held_on)
    attendee_rows = OutreachAttendee.objects.filter(event__in=events, enterprise__isnull=False).values_list(
        "enterprise__district_code", "event_id", "event__held_on"
    )
    district_events: dict[str, set[int]] = {}
    for code, event_id, held_on in attendee_rows:
        district_events.setdefault(code, set()).add(event_id)
        district_hits.setdefault(code, []).append(held_on)
    for code, event_id in events.filter(district__isnull=False).values_list("district__code", "id"):
        district_events.setdefault(code, set()).add(event_id)
    regency_rows = [
        {
            "code": r.code,
            "name": r.name,
            "events": counts_regency.get(r.code, 0),
            "last_held_on": by_regency.get(r.code, {}).get("last"),
            "reached": r.code in by_regency,
        }
        for r in regencies
    ]
    district_rows = [
        {
            "code": d.code,
            "name": d.name,
            "regency_code": d.code.rsplit(".", 1)[0],
            "events": len(district_events.get(d.code, set())),
            "last_held_on": max(district_hits[d.code]) if d.code in district_hits else None,
            "reached": d.code in district_hits,
        }
        for d in districts
    ]
    return {
        "on": on,
        "regencies": regency_rows,
        "districts": district_rows,
        "regencies_not_reached": [r["code"] for r in regency_rows if not r["reached"]],
        "districts_not_reached": [d["code"] for d in district_rows if not d["reached"]],
    }
