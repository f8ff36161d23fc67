"""Clinic endpoints under ``/api/v1/clinic`` (transport only; logic in ``plut.clinic``)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from plut.accounts.models import Role
from plut.clinic import selectors, services
from plut.clinic.models import Case, Session
from plut.clinic.report import period_bounds, plut_report
from plut.enterprises.selectors import get_enterprise_for_user

router = Router(tags=["clinic"])
REPORT_ROLES = {Role.OFFICE_ADMIN, Role.OFFICE_ANALYST, Role.CONSULTANT, Role.REGENCY_OFFICER}


class ErrorOut(Schema):
    detail: str | dict | list


class SuggestionOut(Schema):
    code: str
    confidence: float


class CaseOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    region_path: str
    is_border: bool
    channel: str
    status: str
    consultant: str | None
    areas: list[str]
    suggested_areas: list[SuggestionOut]
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class SessionOut(Schema):
    id: int
    held_on: dt.date
    mode: str
    topic: str
    notes: str
    duration_minutes: int
    next_steps: str
    follow_up_on: dt.date | None


class ReferralOut(Schema):
    id: int
    kind: str
    to_name: str
    referred_on: dt.date
    status: str
    amount_idr: int | None
    document_number: str
    outcome_on: dt.date | None


class DiagnosisOut(Schema):
    at: dt.datetime
    instrument_version: int
    scores: dict[str, int]
    overall: int


class OutcomeOut(Schema):
    sales_before_idr: int | None
    sales_after_idr: int | None
    workers_before: int | None
    workers_after: int | None
    formalised: list[str]
    finance_obtained_idr: int
    moved_up: bool
    growth_pct: Decimal | None


class CaseDetailOut(CaseOut):
    complaint: str
    diagnoses: list[DiagnosisOut]
    sessions: list[SessionOut]
    referrals: list[ReferralOut]
    outcome: OutcomeOut | None


class CaseIn(Schema):
    enterprise_id: int
    complaint: str
    channel: Case.Channel = Case.Channel.WALK_IN
    consent: bool = False


class SessionIn(Schema):
    held_on: dt.date
    mode: Session.Mode
    topic: str
    duration_minutes: int
    notes: str = ""
    next_steps: str = ""
    follow_up_on: dt.date | None = None


class CaseFilter(Schema):
    status: Case.Status | None = None
    mine: bool = False


class ReportQuery(Schema):
    period: Literal["month", "quarter", "year"] = "month"
    year: int
    number: int = 1
    grouping: Literal["total", "area", "consultant", "regency", "border"] = "total"


def _require_clinic(user) -> None:
    # Ministry reviewers see no enterprise, hence no case.
    if not Role(user.role).can_view_registry:
        raise PermissionDenied


def _case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "enterprise_id": case.enterprise_id,
        "enterprise_name": case.enterprise.name,
        "region_path": case.region_path,
        "is_border": case.is_border,
        "channel": case.channel,
        "status": case.status,
        "consultant": case.consultant.username if case.consultant_id else None,
        "areas": [a.code for a in case.areas.all()],
        "suggested_areas": case.suggested_areas,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
    }


@router.get("/cases", response=list[CaseOut], summary="List cases in scope")
@paginate(LimitOffsetPagination)
def cases_list(request, filters: Query[CaseFilter]):
    _require_clinic(request.user)
    qs = selectors.case_list(user=request.user, status=filters.status, mine=filters.mine)
    return [_case_out(c) for c in qs[:1000]]


@router.post(
    "/cases",
    response={201: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Open a case (staff intake, or an entrepreneur's online request)",
)
def cases_create(request, body: CaseIn):
    _require_clinic(request.user)
    enterprise = get_enterprise_for_user(user=request.user, pk=body.enterprise_id)
    case = services.case_open(
        actor=request.user,
        enterprise=enterprise,
        channel=body.channel,
        complaint=body.complaint,
        consent=body.consent,
    )
    return Status(201, _case_out(case))


@router.get("/cases/{pk}", response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut}, summary="One case")
def cases_detail(request, pk: int):
    _require_clinic(request.user)
    case = selectors.get_case_for_user(user=request.user, pk=pk)
    outcome = getattr(case, "outcome", None)
    out = _case_out(case)
    out.update(
        complaint=case.complaint,
        diagnoses=[
            {"at": d.at, "instrument_version": d.instrument.version, "scores": d.scores, "overall": d.overall}
            for d in case.diagnoses.select_related("instrument")
        ],
        sessions=list(case.sessions.all()),
        referrals=list(case.referrals.all()),
        outcome=None
        if outcome is None
        else {
            "sales_before_idr": outcome.sales_before_idr,
            "sales_after_idr": outcome.sales_after_idr,
            "workers_before": outcome.workers_before,
            "workers_after": outcome.workers_after,
            "formalised": outcome.formalised,
            "finance_obtained_idr": outcome.finance_obtained_idr,
            "moved_up": outcome.moved_up,
            "growth_pct": services.growth_pct(outcome.sales_before_idr, outcome.sales_after_idr),
        },
    )
    return out


@router.post(
    "/cases/{pk}/sessions",
    response={201: SessionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Log a mentoring session",
)
def cases_session(request, pk: int, body: SessionIn):
    _require_clinic(request.user)
    case = selectors.get_case_for_user(user=request.user, pk=pk, rw=True)
    session = services.session_log(actor=request.user, case=case, **body.dict())
    return Status(201, session)


@router.get("/report", response={200: dict, 403: ErrorOut, 422: ErrorOut}, summary="The PLUT report")
def report(request, q: Query[ReportQuery]):
    """Figures per group for a month, quarter or year (see ``plut.clinic.report``)."""
    if Role(request.user.role) not in REPORT_ROLES:
        raise PermissionDenied
    try:
        start, end = period_bounds(q.period, q.year, 1 if q.period == "year" else q.number)
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    rows = plut_report(user=request.user, start=start, end=end, grouping=q.grouping)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "grouping": q.grouping,
        "rows": {
            str(k): {**v, "growth_pct": None if v["growth_pct"] is None else str(v["growth_pct"])}
            for k, v in rows.items()
        },
    }
