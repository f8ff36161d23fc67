"""Clinic pages: the consultant's queue, intake, the case page with one form per step, the report.

Each POST reads one form, calls one service, and redirects to the case page; a ``ValidationError``
from the form or the service re-renders the case page with the errors next to that form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plut.accounts.models import Role
from plut.clinic import exports, healthcheck, selectors, services
from plut.clinic.forms import (
    ActionFormSet,
    AreasForm,
    CancelForm,
    CloseForm,
    HealthCheckForm,
    IntakeForm,
    PlanForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReportForm,
    RequestForm,
    SessionForm,
)
from plut.clinic.models import LETTER_CASE_STATUSES, Case, ServiceArea
from plut.clinic.report import period_bounds, plut_report
from plut.enterprises.selectors import enterprise_list, enterprise_scope

S = Case.Status
STAFF = {Role.OFFICE_ADMIN, Role.CONSULTANT}
REPORT_ROLES = {Role.OFFICE_ADMIN, Role.OFFICE_ANALYST, Role.CONSULTANT, Role.REGENCY_OFFICER}
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_clinic(user) -> None:
    # Ministry reviewers see no enterprise, hence no case.
    if not Role(user.role).can_view_registry:
        raise PermissionDenied


def _require_staff(user) -> None:
    # Only consultants and office administrators run the practice (the services check the regency).
    if Role(user.role) not in STAFF:
        raise PermissionDenied


def _add_errors(form: djforms.BaseForm, exc: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form, on the named field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.error_dict.items():
        name = next((n for n in (field, f"q_{field}") if n in form.fields), None)
        form.add_error(name, [m for e in errors for m in e.messages])


# --- queue and intake ------------------------------------------------------------------------


@login_required
def home(request):
    _require_clinic(request.user)
    role = Role(request.user.role)
    status = request.GET.get("status") or None
    if status not in {None, *S.values}:
        status = None
    cases = selectors.case_list(user=request.user, status=status, mine=role == Role.CONSULTANT)
    context = {
        "cases": cases[:200],
        "status": status,
        "statuses": S.choices,
        "followups": selectors.followups(user=request.user) if role in REPORT_ROLES else None,
        "today": timezone.localdate(),
        "is_staff": role in STAFF,
        "is_entrepreneur": role == Role.ENTREPRENEUR,
        "can_report": role in REPORT_ROLES,
    }
    template = "clinic/home.html#queue" if request.htmx else "clinic/home.html"
    return render(request, template, context)


@login_required
def case_request(request):
    """An entrepreneur asks for a consultation for one of their own enterprises."""
    if Role(request.user.role) != Role.ENTREPRENEUR:
        raise PermissionDenied
    form = RequestForm(request.POST or None, enterprises=enterprise_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=request.user,
                enterprise=form.cleaned_data["enterprise"],
                channel=Case.Channel.ONLINE,
                complaint=form.cleaned_data["complaint"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request is sent. A PLUT consultant will contact you."))
            return redirect("clinic:case", pk=case.pk)
    context = {"form": form, "consent_text": services.CONSENT_TEXT}
    return render(request, "clinic/request.html", context, status=400 if form.errors else 200)


@login_required
def case_intake(request):
    """A consultant or administrator opens a case for an enterprise in their regions."""
    _require_staff(request.user)
    form = IntakeForm(request.POST or None, enterprises=enterprise_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The case is opened."))
            return redirect("clinic:case", pk=case.pk)
    q = request.GET.get("q", "").strip()
    found = enterprise_list(user=request.user, filters={"q": q})[:20] if q else []
    context = {"form": form, "q": q, "found": found, "consent_text": services.CONSENT_TEXT}
    if request.htmx and request.method == "GET":
        return render(request, "clinic/intake.html#found", context)
    return render(request, "clinic/intake.html", context, status=400 if form.errors else 200)


# --- the case page ---------------------------------------------------------------------------


def _suggestion(case: Case) -> list[dict[str, Any]]:
    """Return the stored triage suggestion with area names and the keywords that led to it."""
    names = dict(ServiceArea.objects.values_list("code", "name"))
    keywords: dict[str, list[str]] = {}
    try:
        from plut.clinic import triage

        keywords = {s.code: list(s.keywords) for s in triage.default_model().suggest(case.complaint)}
    except ImportError:  # pragma: no cover - triage ships with the app
        pass
    return [
        {
            "code": s["code"],
            "name": names.get(s["code"], s["code"]),
            "confidence": s["confidence"],
            "percent": round(100 * s["confidence"]),
            "keywords": s.get("keywords") or keywords.get(s["code"], []),
        }
        for s in case.suggested_areas
    ]


def _case_context(request, case: Case, **bound) -> dict[str, Any]:
    """Return the case page context; ``bound`` replaces a blank form by a submitted one with errors."""
    role = Role(request.user.role)
    instrument = healthcheck.active_instrument()
    questions = instrument.questions.all() if instrument else []
    diagnoses = list(case.diagnoses.select_related("baseline"))
    referrals = list(case.referrals.all())
    area_codes = list(case.areas.values_list("code", flat=True))
    confirmed = area_codes or [s["code"] for s in case.suggested_areas]
    outcome_forms = {r.pk: ReferralOutcomeForm(prefix=f"r{r.pk}") for r in referrals}
    outcome_forms.update(bound.pop("outcome_forms", {}))
    for r in referrals:
        r.outcome_form = outcome_forms[r.pk]
    today = timezone.localdate()
    radar = healthcheck.radar_data(diagnoses[-1]) if diagnoses else None
    context = {
        "case": case,
        "history": [
            {"change": h, "from": S(h.from_status).label if h.from_status else "", "to": S(h.to_status).label}
            for h in case.status_changes.select_related("by")
        ],
        "suggestion": _suggestion(case),
        "areas": case.areas.all(),
        "diagnoses": diagnoses,
        "diagnosis": diagnoses[-1] if diagnoses else None,
        "radar": radar,
        "score_rows": list(zip(radar["labels"], radar["scores"], strict=True)) if radar else [],
        "actions": case.actions.select_related("area"),
        "agreement": getattr(case, "agreement", None),
        "sessions": case.sessions.all(),
        "referrals": referrals,
        "outcome": getattr(case, "outcome", None),
        "letters": case.letters.all(),
        "can_issue_letter": case.status in LETTER_CASE_STATUSES,
        "is_staff": role in STAFF,
        "is_owner": role == Role.ENTREPRENEUR and case.enterprise.owner.user_id == request.user.pk,
        "is_active": case.status in services.ACTIVE,
        "can_close": S.CLOSED in services.ALLOWED_TRANSITIONS[case.status],
        "can_cancel": S.CANCELLED in services.ALLOWED_TRANSITIONS[case.status],
        "instrument": instrument,
        "areas_form": AreasForm(initial={"areas": confirmed}),
        "health_form": HealthCheckForm(questions=questions, initial=_latest_figures(case)),
        "plan_form": PlanForm(
            initial={
                "starts_on": today,
                "ends_on": today + dt.timedelta(days=90),
                "agreement_text": _agreement_text(case),
            }
        ),
        "action_formset": ActionFormSet(prefix="actions"),
        "session_form": SessionForm(),
        "referral_form": ReferralForm(initial={"referred_on": today}),
        "close_form": CloseForm(),
        "cancel_form": CancelForm(),
    }
    context.update(bound)
    return context


def _case(request, pk: int, *, rw: bool = True) -> Case:
    _require_clinic(request.user)
    return selectors.get_case_for_user(user=request.user, pk=pk, rw=rw)


def _done(request, case: Case, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(reverse("clinic:case", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


def _submit(request, case: Case, name: str, form, call: Callable[[dict], Any], message: str, **extra):
    """Validate ``form``, run ``call(cleaned_data)``; on errors re-render the case page (status 400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(request, case, message, anchor=name)
    context = _case_context(request, case, **{f"{name}_form": form}, **extra)
    return render(request, "clinic/case.html", context, status=400)


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk, rw=False)
    return render(request, "clinic/case.html", _case_context(request, case))


@login_required
@require_POST
def case_pick_up(request, pk: int):
    case = _case(request, pk)
    try:
        services.case_pick_up(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinic:case", pk=case.pk)
    return _done(request, case, _("You picked up this case."))


@login_required
@require_POST
def case_areas(request, pk: int):
    case = _case(request, pk)
    form = AreasForm(request.POST)
    return _submit(
        request,
        case,
        "areas",
        form,
        lambda d: services.case_confirm_areas(actor=request.user, case=case, area_codes=d["areas"]),
        _("The service areas are confirmed."),
    )


@login_required
@require_POST
def case_diagnose(request, pk: int):
    case = _case(request, pk)
    instrument = healthcheck.active_instrument()
    if instrument is None:
        raise Http404("No active health check.")
    form = HealthCheckForm(request.POST, questions=instrument.questions.all())
    return _submit(
        request,
        case,
        "health",
        form,
        lambda d: services.case_diagnose(
            actor=request.user,
            case=case,
            answers=form.answers(),
            annual_sales_idr=d["annual_sales"],
            capital_idr=d["capital"],
            workers=d["workers"],
        ),
        _("The health check is recorded."),
    )


@login_required
@require_POST
def case_plan(request, pk: int):
    case = _case(request, pk)
    form = PlanForm(request.POST)
    formset = ActionFormSet(request.POST, prefix="actions")
    if not formset.is_valid():
        form.is_valid()
        form.add_error(None, formset.non_form_errors() or _("Correct the actions below."))
    actions = [f.cleaned_data for f in formset.forms if f.has_changed()] if formset.is_valid() else []
    return _submit(
        request,
        case,
        "plan",
        form,
        lambda d: services.case_plan(
            actor=request.user,
            case=case,
            actions=actions,
            agreement_text=d["agreement_text"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        _("The plan and its agreement are written."),
        action_formset=formset,
    )


@login_required
@require_POST
def agreement_accept(request, pk: int):
    # The entrepreneur accepts; a consultant records an acceptance given in person (service decides).
    case = _case(request, pk, rw=False)
    try:
        services.agreement_accept(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clinic:case", pk=case.pk)
    return _done(request, case, _("The agreement is accepted."), anchor="plan")


@login_required
def agreement_pdf(request, pk: int):
    case = _case(request, pk, rw=False)
    agreement = getattr(case, "agreement", None)
    if agreement is None:
        raise Http404("No agreement yet.")
    from plut.clinic.pdf import agreement_pdf as render_pdf

    response = HttpResponse(render_pdf(agreement), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="kontrak-{case.number}.pdf"'
    return response


@login_required
@require_POST
def session_create(request, pk: int):
    case = _case(request, pk)
    form = SessionForm(request.POST, request.FILES)
    return _submit(
        request,
        case,
        "session",
        form,
        lambda d: services.session_log(actor=request.user, case=case, **d),
        _("The session is logged."),
    )


@login_required
@require_POST
def referral_create(request, pk: int):
    case = _case(request, pk)
    form = ReferralForm(request.POST)
    return _submit(
        request,
        case,
        "referral",
        form,
        lambda d: services.referral_make(actor=request.user, case=case, **d),
        _("The referral is recorded."),
    )


@login_required
@require_POST
def referral_outcome(request, pk: int, referral_pk: int):
    case = _case(request, pk)
    referral = case.referrals.filter(pk=referral_pk).first()
    if referral is None:
        raise Http404("No referral found.")
    form = ReferralOutcomeForm(request.POST, prefix=f"r{referral.pk}")
    if form.is_valid():
        try:
            services.referral_record_outcome(
                actor=request.user,
                referral=referral,
                succeeded=form.cleaned_data["succeeded"],
                amount_idr=form.cleaned_data["amount"],
                document_number=form.cleaned_data["document_number"],
                outcome_on=form.cleaned_data["outcome_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(request, case, _("The outcome of the referral is recorded."), anchor="referrals")
    context = _case_context(request, case, outcome_forms={referral.pk: form})
    return render(request, "clinic/case.html", context, status=400)


@login_required
@require_POST
def case_close(request, pk: int):
    case = _case(request, pk)
    form = CloseForm(request.POST)
    return _submit(
        request,
        case,
        "close",
        form,
        lambda d: services.case_close(
            actor=request.user,
            case=case,
            annual_sales_idr=d["annual_sales"],
            workers=d["workers"],
            capital_idr=d["capital"],
            note=d["note"],
        ),
        _("The case is closed with its outcome."),
    )


@login_required
@require_POST
def case_cancel(request, pk: int):
    case = _case(request, pk)
    form = CancelForm(request.POST)
    return _submit(
        request,
        case,
        "cancel",
        form,
        lambda d: services.case_cancel(actor=request.user, case=case, note=d["note"]),
        _("The case is cancelled."),
    )


@login_required
@require_POST
def letter_issue(request, pk: int):
    case = _case(request, pk)
    from plut.clinic.pdf import letter_issue as issue

    try:
        letter = issue(actor=request.user, enterprise=case.enterprise, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("clinic:case", args=[case.pk]) + "#letters")
    return redirect("clinic:letter", pk=case.pk, letter_pk=letter.pk)


@login_required
def letter_download(request, pk: int, letter_pk: int):
    case = _case(request, pk, rw=False)
    letter = case.letters.filter(pk=letter_pk).first()
    if letter is None or not letter.pdf:
        raise Http404("No letter found.")
    response = HttpResponse(letter.pdf.read(), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="surat-{letter.verification_code}.pdf"'
    return response


def letter_verify(request, code: str):
    """Public page: anyone holding a letter can check that the office issued it."""
    from plut.clinic.pdf import letter_verify as verify

    letter = verify(code)
    return render(
        request, "clinic/verify.html", {"letter": letter, "code": code}, status=200 if letter else 404
    )


# --- the PLUT report -------------------------------------------------------------------------


def _report(request) -> tuple[ReportForm, dict[str, Any] | None]:
    if Role(request.user.role) not in REPORT_ROLES:
        raise PermissionDenied
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("period", "month")
    data.setdefault("year", str(today.year))
    data.setdefault("number", str(today.month))
    data.setdefault("grouping", "total")
    form = ReportForm(data)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    start, end = period_bounds(d["period"], d["year"], d["number"])
    rows = plut_report(user=request.user, start=start, end=end, grouping=d["grouping"])
    return form, {"start": start, "end": end, "grouping": d["grouping"], "rows": rows}


@login_required
def report(request):
    form, result = _report(request)
    context = {"form": form, "result": result, "query": request.GET.urlencode()}
    return render(request, "clinic/report.html", context, status=200 if result else 400)


@login_required
def report_xlsx(request):
    form, result = _report(request)
    if result is None:
        return HttpResponse(status=400)
    response = HttpResponse(exports.report_xlsx(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="laporan-plut-{result["start"]:%Y-%m}.xlsx"'
    return response


@login_required
def report_pdf(request):
    form, result = _report(request)
    if result is None:
        return HttpResponse(status=400)
    response = HttpResponse(exports.report_pdf(result), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="laporan-plut-{result["start"]:%Y-%m}.pdf"'
    return response


def _latest_figures(case: Case) -> dict[str, Any]:
    # The registry's latest figures prefill the baseline; the consultant corrects them with the owner.
    snap = case.enterprise.figures.order_by("-as_of", "-id").first()
    if snap is None:
        return {}
    return {"annual_sales": snap.annual_sales_idr, "capital": snap.capital_idr, "workers": snap.workers}


def _agreement_text(case: Case) -> str:
    return _(
        "The PLUT consultant and %(owner)s, owner of %(enterprise)s, agree to carry out the mentoring plan "
        "below together. The mentoring is free of charge. The entrepreneur provides the data the plan needs "
        "and reports the figures of the business at its end."
    ) % {"owner": case.enterprise.owner.full_name, "enterprise": case.enterprise.name}
