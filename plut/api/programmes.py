"""Programme endpoints under ``/api/v1/programmes`` (transport only; logic in ``plut.programmes``).

Errors: 404 outside the user's scope, 403 for a role that may not act, 422 with the reason for a
refused move or file (the API's ``ValidationError`` handler).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from plut.accounts.models import Role
from plut.enterprises.selectors import get_enterprise_for_user
from plut.programmes import documents as docs
from plut.programmes import selectors, services
from plut.programmes.models import Programme, PromotionApplication, Proposal
from plut.regions.models import Level, Region

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    funding_body: str
    period_start: dt.date
    period_end: dt.date
    budget_idr: int


class DocumentOut(Schema):
    id: int
    item_code: str
    version: int
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime


class ChangeOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    by: str | None
    note: str


class ProposalOut(Schema):
    id: int
    programme: str
    regency_code: str
    title: str
    location: str
    status: str
    version: int
    requested_amount_idr: int | None
    approved_amount_idr: int | None
    rejection_reason: str
    missing_documents: list[str]
    documents: list[DocumentOut]
    history: list[ChangeOut]


class ProposalIn(Schema):
    programme: str
    regency_code: str
    title: str
    location: str = ""
    requested_amount_idr: int | None = None


class TransitionIn(Schema):
    to: str
    version: int
    note: str = ""
    amount_idr: int | None = None
    reason: str = ""


class CoverageRegionOut(Schema):
    code: str
    name: str
    events: int
    last_held_on: dt.date | None
    reached: bool


class CoverageOut(Schema):
    on: dt.date
    regencies: list[CoverageRegionOut]
    districts: list[CoverageRegionOut]
    regencies_not_reached: list[str]
    districts_not_reached: list[str]


class ApplicationOut(Schema):
    id: int
    call_id: int
    enterprise_id: int
    on_behalf: bool
    requested_amount_idr: int
    status: str
    awarded_amount_idr: int | None


class ApplicationIn(Schema):
    call_id: int
    enterprise_id: int
    requested_amount_idr: int
    products: str = ""


class ScoreIn(Schema):
    criterion: str
    score: int
    note: str = ""


class AwardIn(Schema):
    amount_idr: int


class ReportIn(Schema):
    transactions: int
    buyers_met: int
    buyer_countries: str
    sales_amount: Decimal
    currency: str
    rate_idr: Decimal
    rate_date: dt.date


def _proposal_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "programme": p.programme.code,
        "regency_code": p.regency.code,
        "title": p.title,
        "location": p.location,
        "status": p.status,
        "version": p.version,
        "requested_amount_idr": p.requested_amount_idr,
        "approved_amount_idr": p.approved_amount_idr,
        "rejection_reason": p.rejection_reason,
        "missing_documents": services.missing_documents(p),
        "documents": list(p.documents.order_by("item_code", "version")),
        "history": [
            {
                "at": h.at,
                "from_status": h.from_status,
                "to_status": h.to_status,
                "by": h.by.get_username() if h.by else None,
                "note": h.note,
            }
            for h in p.history.select_related("by")
        ],
    }


def _app_out(a: PromotionApplication) -> dict:
    return {
        "id": a.pk,
        "call_id": a.call_id,
        "enterprise_id": a.enterprise_id,
        "on_behalf": a.on_behalf,
        "requested_amount_idr": a.requested_amount_idr,
        "status": a.status,
        "awarded_amount_idr": a.awarded_amount_idr,
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="List programmes")
def programmes_list(request):
    return list(selectors.programme_list(user=request.user))


@router.get("/proposals", response=list[ProposalOut], summary="List proposals in scope")
def proposals_list(request, status: str | None = None):
    return [_proposal_out(p) for p in selectors.proposal_list(user=request.user, status=status)[:500]]


@router.post("/proposals", response={201: ProposalOut}, summary="Draft a proposal (regency officer)")
def proposals_create(request, body: ProposalIn):
    programme = get_object_or_404(Programme, code=body.programme)
    regency = get_object_or_404(Region, code=body.regency_code, level=Level.REGENCY)
    p = services.proposal_create(
        actor=request.user,
        programme=programme,
        regency=regency,
        title=body.title,
        location=body.location,
        requested_amount_idr=body.requested_amount_idr,
    )
    return Status(201, _proposal_out(p))


@router.get("/proposals/{pk}", response=ProposalOut, summary="One proposal with documents and history")
def proposals_detail(request, pk: int):
    return _proposal_out(selectors.get_proposal_for_user(user=request.user, pk=pk))


@router.post("/proposals/{pk}/documents", response={201: DocumentOut}, summary="Upload a document version")
def proposals_upload(request, pk: int, item_code: Form[str], file: File[UploadedFile]):
    p = selectors.get_proposal_for_user(user=request.user, pk=pk)
    docs.check_size(file.size)
    doc = services.proposal_document_upload(
        actor=request.user, proposal=p, item_code=item_code, name=file.name or "", data=file.read()
    )
    return Status(201, doc)


@router.post("/proposals/{pk}/transitions", response=ProposalOut, summary="Move a proposal to another status")
def proposals_transition(request, pk: int, body: TransitionIn):
    p = selectors.get_proposal_for_user(user=request.user, pk=pk)
    p = services.proposal_transition(
        proposal=p,
        to=body.to,
        actor=request.user,
        note=body.note,
        expected_version=body.version,
        amount_idr=body.amount_idr,
        reason=body.reason,
    )
    return _proposal_out(p)


@router.get("/applications", response=list[ApplicationOut], summary="List promotion applications in scope")
def applications_list(request, call_id: int | None = None):
    qs = selectors.application_scope(request.user)
    if call_id:
        qs = qs.filter(call_id=call_id)
    return [_app_out(a) for a in qs[:500]]


@router.post("/applications", response={201: ApplicationOut}, summary="Apply to a promotion call")
def applications_create(request, body: ApplicationIn):
    call = selectors.call_list(user=request.user).filter(pk=body.call_id).first()
    if call is None:
        raise Http404("No call found.")
    enterprise = get_enterprise_for_user(user=request.user, pk=body.enterprise_id)
    app = services.promotion_application_submit(
        actor=request.user,
        call=call,
        enterprise=enterprise,
        requested_amount_idr=body.requested_amount_idr,
        products=body.products,
    )
    return Status(201, _app_out(app))


@router.post("/applications/{pk}/scores", response=ApplicationOut, summary="Score an application (office)")
def applications_score(request, pk: int, body: ScoreIn):
    app = selectors.get_application_for_user(user=request.user, pk=pk)
    services.promotion_application_score(
        actor=request.user, application=app, criterion=body.criterion, score=body.score, note=body.note
    )
    return _app_out(app)


@router.post("/applications/{pk}/award", response=ApplicationOut, summary="Award within the call's budget")
def applications_award(request, pk: int, body: AwardIn):
    app = selectors.get_application_for_user(user=request.user, pk=pk)
    return _app_out(
        services.promotion_application_award(actor=request.user, application=app, amount_idr=body.amount_idr)
    )


@router.post("/applications/{pk}/report", response=ApplicationOut, summary="Post-event report")
def applications_report(request, pk: int, body: ReportIn):
    app = selectors.get_application_for_user(user=request.user, pk=pk)
    services.promotion_report_record(actor=request.user, application=app, **body.dict())
    app.refresh_from_db()
    return _app_out(app)


@router.get("/coverage", response=CoverageOut, summary="Outreach coverage of border regencies and districts")
def coverage(request):
    if Role(request.user.role) in {Role.MINISTRY_REVIEWER, Role.ENTREPRENEUR}:
        raise PermissionDenied
    return selectors.coverage(user=request.user)
