"""Programme pages: programmes and proposals, the proposal page (documents, moves, history),
document and dossier downloads, outreach coverage, promotion calls.

Each POST reads one form, calls one service and redirects; a refusal re-renders the page with the
reason. Files are always served as attachments with ``nosniff`` and a sandboxing CSP, so an
uploaded file is never rendered as active content on the app's origin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plut.accounts.models import Role
from plut.accounts.scope import region_q
from plut.enterprises.selectors import enterprise_scope
from plut.programmes import documents as docs
from plut.programmes import selectors, services
from plut.programmes.dossier import dossier_zip
from plut.programmes.forms import (
    ApplicationForm,
    AttendeeForm,
    AwardForm,
    OutreachForm,
    ProposalEditForm,
    ProposalForm,
    ReportForm,
    ScoreForm,
    TransitionForm,
    UploadForm,
)
from plut.programmes.models import ProposalDocument
from plut.regions.models import Level, Region

S = services.S


def _regencies(user):
    return (
        Region.objects.filter(level=Level.REGENCY).filter(region_q(user, path_field="path")).order_by("code")
    )


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def home(request):
    status = request.GET.get("status") or None
    if status not in {None, *S.values}:
        status = None
    role = Role(request.user.role)
    context = {
        "programmes": selectors.programme_list(user=request.user),
        "proposals": selectors.proposal_list(user=request.user, status=status)[:200],
        "status": status,
        "statuses": S.choices,
        "can_draft": role == Role.REGENCY_OFFICER,
        "calls": selectors.call_list(user=request.user)[:20],
    }
    return render(request, "programmes/home.html", context)


@login_required
def proposal_create(request):
    if Role(request.user.role) != Role.REGENCY_OFFICER:
        raise PermissionDenied
    form = ProposalForm(request.POST or None, regencies=_regencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The proposal is drafted. Upload its documents, then submit it."))
            return redirect("programmes:proposal", pk=proposal.pk)
    return render(
        request, "programmes/proposal_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _proposal_context(request, proposal, **extra) -> dict[str, Any]:
    kinds = services.actor_kinds(request.user, proposal)
    by_item = selectors.proposal_documents(proposal)
    items = list(proposal.checklist.items.all())
    moves = [
        {"to": to, "label": S(to).label}
        for to in sorted(services.ALLOWED_TRANSITIONS[proposal.status])
        if services.TRANSITION_ACTORS[to] & kinds
    ]
    context = {
        "proposal": proposal,
        "items": [{"item": i, "versions": by_item.get(i.code, [])} for i in items],
        "letters": by_item.get(ProposalDocument.ENDORSEMENT_LETTER, []),
        "missing": services.missing_documents(proposal),
        "can_upload": "regency" in kinds and proposal.status in services.EDITABLE,
        "upload_form": UploadForm(items=items),
        "edit_form": ProposalEditForm(
            initial={
                "title": proposal.title,
                "location": proposal.location,
                "requested_amount_idr": proposal.requested_amount_idr,
                "version": proposal.version,
            }
        ),
        "moves": moves,
        "history": [
            {"change": h, "from": S(h.from_status).label, "to": S(h.to_status).label}
            for h in proposal.history.select_related("by")
        ],
        "errors": [],
    }
    context.update(extra)
    return context


@login_required
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    return render(request, "programmes/proposal.html", _proposal_context(request, proposal))


@login_required
@require_POST
def proposal_upload(request, pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES, items=proposal.checklist.items.all())
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refuse an oversized file before reading it into memory.
            docs.check_size(upload.size)
            services.proposal_document_upload(
                actor=request.user,
                proposal=proposal,
                item_code=form.cleaned_data["item_code"],
                name=upload.name,
                data=upload.read(),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The document is stored."))
            return redirect("programmes:proposal", pk=proposal.pk)
    context = _proposal_context(request, proposal, upload_form=form)
    return render(request, "programmes/proposal.html", context, status=400)


@login_required
@require_POST
def proposal_edit(request, pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = ProposalEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_update(
                actor=request.user,
                proposal=proposal,
                title=data["title"],
                location=data["location"],
                requested_amount_idr=data["requested_amount_idr"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("programmes:proposal", pk=proposal.pk)
    proposal.refresh_from_db()
    return render(
        request, "programmes/proposal.html", _proposal_context(request, proposal, edit_form=form), status=400
    )


@login_required
@require_POST
def proposal_move(request, pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_transition(
                proposal=proposal,
                to=data["to"],
                actor=request.user,
                note=data["note"],
                expected_version=data["version"],
                amount_idr=data["amount_idr"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("The proposal is now: %(status)s.") % {"status": S(data["to"]).label})
            return redirect("programmes:proposal", pk=proposal.pk)
    else:
        errors = [m for e in form.errors.values() for m in e]
    proposal.refresh_from_db()
    return render(
        request, "programmes/proposal.html", _proposal_context(request, proposal, errors=errors), status=400
    )


@login_required
def document_download(request, pk: int, doc_pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    doc = proposal.documents.filter(pk=doc_pk).first()
    if doc is None:
        raise Http404("No document found.")
    # Served as a download of its sniffed type, never inline: see the module docstring.
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    ext = docs.EXTENSIONS.get(doc.content_type, "bin")
    return _attachment(response, f"usulan-{proposal.pk}-{doc.item_code}-v{doc.version}.{ext}")


@login_required
def dossier(request, pk: int):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    response = HttpResponse(dossier_zip(proposal), content_type="application/zip")
    return _attachment(response, f"berkas-usulan-{proposal.pk}.zip")


@login_required
def coverage(request):
    if Role(request.user.role) in {Role.MINISTRY_REVIEWER, Role.ENTREPRENEUR}:
        raise PermissionDenied
    role = Role(request.user.role)
    can_record = role in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER, Role.CONSULTANT}
    form = OutreachForm(request.POST or None, regencies=_regencies(request.user))
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.outreach_event_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("The outreach event is recorded."))
                return redirect("programmes:coverage")
    context = {
        "coverage": selectors.coverage(user=request.user),
        "events": selectors.outreach_scope(request.user).select_related("regency", "district", "programme")[
            :100
        ],
        "form": form if can_record else None,
    }
    return render(request, "programmes/coverage.html", context, status=400 if form.errors else 200)


def _call(request, pk: int):
    call = selectors.call_list(user=request.user).filter(pk=pk).first()
    if call is None:
        raise Http404("No call found.")
    return call


def _applicants(user):
    # Entrepreneurs apply for their own enterprises, consultants on behalf of those in their regencies.
    if Role(user.role) not in {Role.ENTREPRENEUR, Role.CONSULTANT}:
        return None
    return enterprise_scope(user).order_by("name")


def _call_context(request, call, **extra) -> dict[str, Any]:
    apps = (
        selectors.application_scope(request.user)
        .filter(call=call)
        .select_related("enterprise", "report")
        .prefetch_related("scores")
    )
    awarded = sum(a.awarded_amount_idr or 0 for a in call.applications.filter(status="awarded"))
    enterprises = _applicants(request.user)
    context = {
        "call": call,
        "applications": apps,
        "awarded_idr": awarded,
        "left_idr": call.budget_idr - awarded,
        "apply_form": ApplicationForm(enterprises=enterprises) if enterprises is not None else None,
        "can_award": Role(request.user.role) == Role.OFFICE_ADMIN,
        "score_form": ScoreForm(),
        "report_form": ReportForm(),
        "can_report": Role(request.user.role) in {Role.ENTREPRENEUR, Role.CONSULTANT, Role.OFFICE_ADMIN},
        "errors": [],
    }
    context.update(extra)
    return context


@login_required
def call_detail(request, pk: int):
    return render(request, "programmes/call.html", _call_context(request, _call(request, pk)))


@login_required
@require_POST
def call_apply(request, pk: int):
    call = _call(request, pk)
    enterprises = _applicants(request.user)
    if enterprises is None:
        raise PermissionDenied
    form = ApplicationForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        try:
            services.promotion_application_submit(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The application is sent."))
            return redirect("programmes:call", pk=call.pk)
    return render(request, "programmes/call.html", _call_context(request, call, apply_form=form), status=400)


@login_required
@require_POST
def application_award(request, pk: int):
    app = selectors.get_application_for_user(user=request.user, pk=pk)
    form = AwardForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.promotion_application_award(
                actor=request.user, application=app, amount_idr=form.cleaned_data["amount_idr"]
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("The application is awarded."))
            return redirect("programmes:call", pk=app.call_id)
    else:
        errors = [m for e in form.errors.values() for m in e]
    return render(
        request, "programmes/call.html", _call_context(request, app.call, errors=errors), status=400
    )


def _application_post(request, pk: int, form_class, call_service, message: str):
    """Validate ``form_class`` from POST, run ``call_service(app, cleaned_data)``, redirect or re-render."""
    app = selectors.get_application_for_user(user=request.user, pk=pk)
    form = form_class(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            call_service(app, form.cleaned_data)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, message)
            return redirect("programmes:call", pk=app.call_id)
    else:
        errors = [m for e in form.errors.values() for m in e]
    return render(
        request, "programmes/call.html", _call_context(request, app.call, errors=errors), status=400
    )


@login_required
@require_POST
def application_score(request, pk: int):
    return _application_post(
        request,
        pk,
        ScoreForm,
        lambda app, data: services.promotion_application_score(actor=request.user, application=app, **data),
        _("The score is recorded."),
    )


@login_required
@require_POST
def application_report(request, pk: int):
    return _application_post(
        request,
        pk,
        ReportForm,
        lambda app, data: services.promotion_report_record(actor=request.user, application=app, **data),
        _("The event report is recorded."),
    )


@login_required
def outreach_event(request, pk: int):
    event = (
        selectors.outreach_scope(request.user)
        .select_related("regency", "district", "programme")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404("No event found.")
    enterprises = (
        enterprise_scope(request.user).filter(region_path__startswith=event.regency.path).order_by("name")
    )
    form = AttendeeForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_attendee_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The attendee is added."))
            return redirect("programmes:outreach_event", pk=event.pk)
    context = {"event": event, "attendees": event.attendees.select_related("enterprise"), "form": form}
    return render(request, "programmes/outreach_event.html", context, status=400 if form.errors else 200)
