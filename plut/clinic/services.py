"""Writes of the clinic. Every state change goes through :func:`_transition`.

Case life (ALLOWED_TRANSITIONS): an online request starts ``requested`` and is picked up by a
consultant (``open``); intake by staff starts ``open``. A health check makes it ``diagnosed``, a plan
with its agreement ``planned``, the first session after the plan ``mentoring``. Closing needs an
outcome record. Every change is timestamped with who did it (``CaseStatusChange``) and audited; two
people changing one case at once cannot both succeed (optimistic lock on ``Case.version``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.accounts.scope import can_see_region
from plut.clinic.models import (
    Agreement,
    Case,
    CaseStatusChange,
    Diagnosis,
    PlanAction,
    Referral,
    ServiceArea,
    Session,
)
from plut.core.services import audit_log_write
from plut.enterprises.models import Enterprise, FigureSnapshot, Permit
from plut.enterprises.services import enterprise_refresh_size_class, figures_record
from plut.enterprises.sizeclass import SizeClass

S = Case.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.OPEN, S.CANCELLED},
    S.OPEN: {S.DIAGNOSED, S.CANCELLED},
    S.DIAGNOSED: {S.PLANNED, S.CLOSED, S.CANCELLED},
    S.PLANNED: {S.MENTORING, S.CLOSED, S.CANCELLED},
    S.MENTORING: {S.CLOSED, S.CANCELLED},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}
ACTIVE = {S.OPEN, S.DIAGNOSED, S.PLANNED, S.MENTORING}
CONSENT_TEXT = _(
    "I agree that the PLUT of the Cooperatives and SME Office of Kalimantan Barat processes the personal "
    "data in this request (name, NIK, phone, address) to assist my business, as UU 27/2022 allows."
)


# ---------------------------------------------------------------------------------------------
# Access


def _is_staff_on(actor, case_or_path) -> bool:
    path = case_or_path if isinstance(case_or_path, str) else case_or_path.region_path
    role = Role(actor.role)
    return role in {Role.OFFICE_ADMIN, Role.CONSULTANT} and can_see_region(actor, path)


def _require_staff(actor, case: Case) -> None:
    # Consultants of the case's regencies and office administrators run the practice.
    if not _is_staff_on(actor, case):
        raise PermissionDenied(
            _("Only a PLUT consultant of this regency or an office administrator may do this.")
        )


def _is_owner(actor, case: Case) -> bool:
    return Role(actor.role) == Role.ENTREPRENEUR and case.enterprise.owner.user_id == actor.pk


# ---------------------------------------------------------------------------------------------
# State machine


def _transition(*, case: Case, to: str, actor, note: str = "", expected_version: int | None = None) -> Case:
    """Move ``case`` to ``to``; raise ``ValidationError`` (code ``case.transition`` or ``case.conflict``)."""
    if to not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Case.Status(case.status).label, "to": Case.Status(to).label},
            code="case.transition",
        )
    version = case.version if expected_version is None else expected_version
    now = timezone.now()
    fields: dict[str, Any] = {"status": to, "version": F("version") + 1}
    if to == S.CLOSED:
        fields["closed_at"] = now
    updated = Case.objects.filter(pk=case.pk, version=version, status=case.status).update(**fields)
    if updated != 1:
        raise ValidationError(
            _("Someone else changed this case a moment ago; reload it and try again."), code="case.conflict"
        )
    CaseStatusChange.objects.create(case=case, from_status=case.status, to_status=to, by=actor, note=note)
    audit_log_write(actor=actor, action=f"case.{to}", target=case, data={"from": case.status, "note": note})
    case.refresh_from_db()
    return case


def _next_number(now: dt.datetime) -> str:
    # The case year is the office's (Asia/Pontianak), not UTC's.
    prefix = f"PLUT-{timezone.localtime(now):%Y}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


# ---------------------------------------------------------------------------------------------
# Intake


def _suggest(complaint: str) -> tuple[list[dict], str]:
    try:
        from plut.clinic import triage

        model = triage.default_model()
        return [
            {"code": s.code, "confidence": round(s.confidence, 4)} for s in model.suggest(complaint)
        ], model.version
    except ImportError:  # pragma: no cover - triage ships with the app
        return [], ""


@transaction.atomic
def case_open(
    *,
    actor,
    enterprise: Enterprise,
    channel: str,
    complaint: str,
    consent: bool = False,
    consultant=None,
) -> Case:
    """Open a case for ``enterprise`` with the complaint in the entrepreneur's words.

    An entrepreneur's online request (own enterprise only) needs ``consent`` to process personal
    data and starts ``requested``; intake by a consultant or administrator starts ``open`` with the
    consultant assigned. The triage suggestion and its confidence are stored on the case.
    Raises ``PermissionDenied`` outside the actor's scope and ``ValidationError`` for an empty
    complaint or a missing consent.
    """
    complaint = complaint.strip()
    if not complaint:
        raise ValidationError({"complaint": _("Write the complaint in the entrepreneur's words.")})
    role = Role(actor.role)
    now = timezone.now()
    case = Case(
        number=_next_number(now),
        enterprise=enterprise,
        region_path=enterprise.region_path,
        is_border=enterprise.is_border,
        channel=channel,
        complaint=complaint,
        requested_by=actor,
    )
    if role == Role.ENTREPRENEUR:
        if enterprise.owner.user_id != actor.pk:
            raise PermissionDenied(_("You may request a consultation only for your own enterprise."))
        if not consent:
            raise ValidationError(
                {"consent": _("Agree to the processing of your personal data to send the request.")}
            )
        case.status, case.channel = S.REQUESTED, Case.Channel.ONLINE
        case.consent_at, case.consent_text = now, str(CONSENT_TEXT)
    elif _is_staff_on(actor, enterprise.region_path):
        case.status = S.OPEN
        case.consultant = consultant or (actor if role == Role.CONSULTANT else None)
        if consent:
            case.consent_at, case.consent_text = now, str(CONSENT_TEXT)
    else:
        raise PermissionDenied(
            _("Only a PLUT consultant of this regency or an office administrator may do this.")
        )
    case.suggested_areas, case.suggestion_model = _suggest(complaint)
    case.full_clean()
    case.save()
    CaseStatusChange.objects.create(case=case, from_status="", to_status=case.status, by=actor)
    audit_log_write(actor=actor, action="case.open", target=case, data={"channel": case.channel})
    return case


@transaction.atomic
def case_pick_up(*, actor, case: Case, expected_version: int | None = None) -> Case:
    """A consultant takes an online request: it becomes ``open`` and theirs."""
    _require_staff(actor, case)
    case = _transition(case=case, to=S.OPEN, actor=actor, expected_version=expected_version)
    if Role(actor.role) == Role.CONSULTANT:
        Case.objects.filter(pk=case.pk).update(consultant=actor)
        case.consultant = actor
    return case


@transaction.atomic
def case_confirm_areas(*, actor, case: Case, area_codes: Iterable[str]) -> Case:
    """Set the service areas of the case (the consultant confirms or changes the suggestion)."""
    _require_staff(actor, case)
    # Areas of a closed case are history: changing them would move it between groups of past reports.
    if case.status not in ACTIVE | {S.REQUESTED}:
        raise ValidationError(
            _("The service areas of a case that is %(s)s cannot be changed.") % {"s": Case.Status(case.status).label},
            code="case.transition",
        )
    codes = list(dict.fromkeys(area_codes))
    areas = list(ServiceArea.objects.filter(code__in=codes, is_active=True))
    if not codes or len(areas) != len(codes):
        raise ValidationError({"areas": _("Choose at least one active service area.")})
    case.areas.set(areas)
    case.areas_confirmed_at = timezone.now()
    case.save(update_fields=["areas_confirmed_at"])
    audit_log_write(
        actor=actor,
        action="case.areas",
        target=case,
        data={"areas": codes, "suggested": [s["code"] for s in case.suggested_areas]},
    )
    return case


# ---------------------------------------------------------------------------------------------
# Diagnosis, plan, sessions


@transaction.atomic
def case_diagnose(
    *,
    actor,
    case: Case,
    answers: dict[str, int],
    annual_sales_idr: int | None = None,
    capital_idr: int | None = None,
    workers: int | None = None,
    as_of: dt.date | None = None,
) -> Diagnosis:
    """Record a health check: scores per dimension, and the baseline figures and permits.

    When figures are given they are recorded as a snapshot (source ``diagnosis``); otherwise the
    enterprise's latest snapshot is the baseline. The first diagnosis moves ``open`` → ``diagnosed``.
    """
    from plut.clinic.healthcheck import active_instrument, score

    _require_staff(actor, case)
    if case.status not in ACTIVE:
        raise ValidationError(
            _("A case that is %(s)s cannot be diagnosed.") % {"s": Case.Status(case.status).label},
            code="case.transition",
        )
    instrument = active_instrument()
    scores, overall = score(instrument, answers)
    ent = case.enterprise
    if any(v is not None for v in (annual_sales_idr, capital_idr, workers)):
        baseline = figures_record(
            actor=actor,
            enterprise=ent,
            as_of=as_of or timezone.localdate(),
            annual_sales_idr=annual_sales_idr,
            capital_idr=capital_idr,
            workers=workers,
            source=FigureSnapshot.Source.DIAGNOSIS,
        )
    else:
        baseline = ent.figures.order_by("-as_of", "-id").first()
    diagnosis = Diagnosis.objects.create(
        case=case,
        instrument=instrument,
        answers=answers,
        scores=scores,
        overall=overall,
        baseline=baseline,
        baseline_permits=sorted(
            set(ent.permits.filter(status=Permit.Status.ACTIVE).values_list("kind", flat=True))
        ),
        by=actor,
    )
    if case.status == S.OPEN:
        _transition(case=case, to=S.DIAGNOSED, actor=actor)
    audit_log_write(
        actor=actor, action="case.diagnose", target=case, data={"scores": scores, "overall": overall}
    )
    return diagnosis


@transaction.atomic
def case_plan(
    *,
    actor,
    case: Case,
    actions: list[dict[str, Any]],
    agreement_text: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Case:
    """Write the mentoring plan and its agreement; ``diagnosed`` → ``planned``.

    ``actions``: ``[{"area": code, "description": str, "owner": "consultant"|"entrepreneur",
    "due_on": date}]``, at least one. Raises ``ValidationError`` for an empty plan, an unknown area,
    a due date outside the agreement period, or unconfirmed service areas.
    """
    _require_staff(actor, case)
    if S.PLANNED not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Case.Status(case.status).label, "to": Case.Status.PLANNED.label},
            code="case.transition",
        )
    if not case.areas_confirmed_at:
        raise ValidationError(
            _("Confirm the service areas of the case before writing the plan."), code="case.areas"
        )
    if not actions:
        raise ValidationError({"actions": _("A plan needs at least one action.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
    areas = {a.code: a for a in ServiceArea.objects.all()}
    objs = []
    for i, a in enumerate(actions, start=1):
        if a.get("area") not in areas:
            raise ValidationError({"actions": _("Action %(n)s has an unknown service area.") % {"n": i}})
        if not (starts_on <= a["due_on"] <= ends_on):
            raise ValidationError(
                {"actions": _("Action %(n)s is due outside the agreement period.") % {"n": i}}
            )
        objs.append(
            PlanAction(
                case=case,
                area=areas[a["area"]],
                description=a["description"].strip(),
                owner=a["owner"],
                due_on=a["due_on"],
            )
        )
    for obj in objs:
        obj.full_clean()
    case = _transition(case=case, to=S.PLANNED, actor=actor)
    PlanAction.objects.bulk_create(objs)
    Agreement.objects.create(case=case, text=agreement_text.strip(), starts_on=starts_on, ends_on=ends_on)
    return case


@transaction.atomic
def agreement_accept(*, actor, case: Case) -> Agreement:
    """The entrepreneur accepts the agreement (or the consultant records an acceptance in person)."""
    agreement = Agreement.objects.select_for_update().get(case=case)
    if agreement.accepted_at:
        raise ValidationError(_("The agreement was already accepted."), code="agreement.accepted")
    if _is_owner(actor, case):
        agreement.accepted_on_behalf = False
    elif _is_staff_on(actor, case):
        agreement.accepted_on_behalf = True
    else:
        raise PermissionDenied(_("Only the entrepreneur or their consultant may accept the agreement."))
    agreement.accepted_at, agreement.accepted_by = timezone.now(), actor
    agreement.save()
    audit_log_write(
        actor=actor, action="agreement.accept", target=case, data={"on_behalf": agreement.accepted_on_behalf}
    )
    return agreement


@transaction.atomic
def session_log(
    *,
    actor,
    case: Case,
    held_on: dt.date,
    mode: str,
    topic: str,
    duration_minutes: int,
    notes: str = "",
    next_steps: str = "",
    follow_up_on: dt.date | None = None,
    attachment=None,
) -> Session:
    """Log a mentoring session; the first session after the plan moves ``planned`` → ``mentoring``.

    Refused on a requested, closed or cancelled case, with a date in the future, or with a
    non-positive duration.
    """
    _require_staff(actor, case)
    if case.status not in ACTIVE:
        raise ValidationError(
            _("A session cannot be logged on a case that is %(s)s.") % {"s": Case.Status(case.status).label},
            code="case.transition",
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A session cannot be logged before it is held.")})
    if duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("The duration must be at least one minute.")})
    session = Session(
        case=case,
        held_on=held_on,
        mode=mode,
        topic=topic.strip(),
        notes=notes,
        next_steps=next_steps,
        follow_up_on=follow_up_on,
        duration_minutes=duration_minutes,
        consultant=actor,
    )
    if attachment is not None:
        session.attachment = attachment
    session.full_clean()
    session.save()
    # A follow-up planned at an earlier session is done once a later session is held.
    Session.objects.filter(
        case=case, follow_up_on__isnull=False, follow_up_done=False, held_on__lt=held_on
    ).update(follow_up_done=True)
    if case.status == S.PLANNED:
        _transition(case=case, to=S.MENTORING, actor=actor)
    audit_log_write(
        actor=actor, action="case.session", target=case, data={"session": session.pk, "mode": mode}
    )
    return session


# ---------------------------------------------------------------------------------------------
# Referrals


@transaction.atomic
def referral_make(
    *, actor, case: Case, kind: str, to_name: str, referred_on: dt.date | None = None
) -> Referral:
    """Refer the enterprise to an outside service (bank for KUR, halal body, BPOM, OSS, …)."""
    _require_staff(actor, case)
    if case.status not in ACTIVE:
        raise ValidationError(_("A closed or cancelled case cannot make referrals."), code="case.transition")
    referral = Referral(
        case=case, kind=kind, to_name=to_name.strip(), referred_on=referred_on or timezone.localdate()
    )
    referral.full_clean()
    referral.save()
    audit_log_write(actor=actor, action="referral.make", target=case, data={"kind": kind, "to": to_name})
    return referral


# Which permit a successful referral gives the enterprise.
REFERRAL_PERMIT = {
    Referral.Kind.OSS_NIB: Permit.Kind.NIB,
    Referral.Kind.HALAL: Permit.Kind.HALAL,
    Referral.Kind.BPOM: Permit.Kind.BPOM_MD,
    Referral.Kind.TRADEMARK: Permit.Kind.TRADEMARK,
    Referral.Kind.PIRT: Permit.Kind.PIRT,
}


@transaction.atomic
def referral_record_outcome(
    *,
    actor,
    referral: Referral,
    succeeded: bool,
    amount_idr: int | None = None,
    document_number: str = "",
    outcome_on: dt.date | None = None,
    note: str = "",
) -> Referral:
    """Record what a referral achieved and write it back to the registry.

    A successful KUR referral needs the amount obtained (integer rupiah); a successful NIB, halal,
    BPOM, trademark or P-IRT referral needs the number obtained, which becomes an active permit of
    the enterprise (an NIB also becomes the enterprise's NIB, checked by ``check_nib``).
    """
    case = referral.case
    _require_staff(actor, case)
    if referral.status != Referral.Status.SENT:
        raise ValidationError(_("This referral's outcome is already recorded."), code="referral.done")
    referral.status = Referral.Status.SUCCEEDED if succeeded else Referral.Status.FAILED
    referral.outcome_on, referral.outcome_note = outcome_on or timezone.localdate(), note
    if succeeded and referral.kind == Referral.Kind.KUR:
        if not isinstance(amount_idr, int) or isinstance(amount_idr, bool) or amount_idr <= 0:
            raise ValidationError({"amount_idr": _("Give the KUR amount obtained, in whole rupiah.")})
        referral.amount_idr = amount_idr
    if succeeded and referral.kind in REFERRAL_PERMIT:
        number = document_number.strip()
        if not number:
            raise ValidationError({"document_number": _("Give the number of the document obtained.")})
        ent = case.enterprise
        if referral.kind == Referral.Kind.OSS_NIB:
            from plut.lib.identifiers import IdentifierError, check_nib

            try:
                number = check_nib(number).value
            except IdentifierError as exc:
                raise ValidationError({"document_number": str(exc)}) from exc
            Enterprise.objects.filter(pk=ent.pk).update(nib=number, nib_raw=document_number, has_nib=True)
        referral.document_number = number
        referral.permit = Permit.objects.create(
            enterprise=ent,
            kind=REFERRAL_PERMIT[referral.kind],
            number=number,
            number_raw=document_number,
            issued_on=referral.outcome_on,
        )
    referral.save()
    audit_log_write(
        actor=actor,
        action="referral.outcome",
        target=case,
        data={
            "referral": referral.pk,
            "status": referral.status,
            "amount_idr": referral.amount_idr,
            "number": referral.document_number,
        },
    )
    return referral


# ---------------------------------------------------------------------------------------------
# Closing


def growth_pct(before: int | None, after: int | None):
    """Return the growth in business volume in percent as a Decimal rounded to 0.01, or ``None``.

    Ministry KPI of the PLUT: (annual sales after − annual sales at baseline) / baseline × 100.
    """
    from decimal import ROUND_HALF_UP, Decimal

    if not before or after is None:
        return None
    return (Decimal(after - before) * 100 / Decimal(before)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def case_close(
    *,
    actor,
    case: Case,
    annual_sales_idr: int,
    workers: int | None = None,
    capital_idr: int | None = None,
    as_of: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close a case with its outcome: the after figures against the diagnosis baseline.

    Records the after snapshot, then the outcome: sales and workers before/after, permits gained
    during the case (formalised), KUR obtained, size class before/after (naik kelas).
    Raises ``ValidationError`` without a diagnosis or without the annual sales after.
    """
    from plut.clinic.models import Outcome

    _require_staff(actor, case)
    if annual_sales_idr is None:
        raise ValidationError(
            {
                "annual_sales_idr": ValidationError(
                    _("Closing a case needs its outcome: the annual sales now."), code="case.outcome"
                )
            }
        )
    diagnosis = case.diagnoses.order_by("at", "id").first()
    if diagnosis is None:
        raise ValidationError(
            _("A case without a diagnosis has no baseline to measure its outcome against."),
            code="case.outcome",
        )
    if "closed" not in set(ALLOWED_TRANSITIONS[case.status]):
        raise ValidationError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Case.Status(case.status).label, "to": Case.Status.CLOSED.label},
            code="case.transition",
        )
    ent = case.enterprise
    after = figures_record(
        actor=actor,
        enterprise=ent,
        as_of=as_of or timezone.localdate(),
        annual_sales_idr=annual_sales_idr,
        capital_idr=capital_idr,
        workers=workers,
        source=FigureSnapshot.Source.FORM,
        note=_("Outcome of case %(n)s") % {"n": case.number},
    )
    enterprise_refresh_size_class(enterprise=ent)
    baseline = diagnosis.baseline
    now_permits = set(ent.permits.filter(status=Permit.Status.ACTIVE).values_list("kind", flat=True))
    formalised = sorted(now_permits - set(diagnosis.baseline_permits))
    finance = (
        case.referrals.filter(kind=Referral.Kind.KUR, status=Referral.Status.SUCCEEDED).aggregate(
            s=Sum("amount_idr")
        )["s"]
        or 0
    )
    size_before = baseline.size_class if baseline else ""
    size_after = after.size_class
    case = _transition(case=case, to=S.CLOSED, actor=actor, note=note, expected_version=expected_version)
    Outcome.objects.create(
        case=case,
        baseline=baseline,
        after=after,
        sales_before_idr=baseline.annual_sales_idr if baseline else None,
        sales_after_idr=annual_sales_idr,
        workers_before=baseline.workers if baseline else None,
        workers_after=workers,
        formalised=formalised,
        finance_obtained_idr=finance,
        size_before=size_before,
        size_after=size_after,
        moved_up=bool(size_before and size_after)
        and SizeClass(size_after).rank > SizeClass(size_before).rank,
        note=note,
        recorded_by=actor,
    )
    return case


@transaction.atomic
def case_cancel(*, actor, case: Case, note: str) -> Case:
    """Cancel a case (with a reason); staff only."""
    _require_staff(actor, case)
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for cancelling.")})
    return _transition(case=case, to=S.CANCELLED, actor=actor, note=note)


# ---------------------------------------------------------------------------------------------
# Follow-up reminders


def followup_reminders_send(*, today: dt.date | None = None, notify=None) -> int:
    """Send one reminder per overdue follow-up not yet reminded; return how many were sent.

    ``notify(user, subject, body)`` is the channel (e-mail by default; pluggable).
    """
    today = today or timezone.localdate()
    notify = notify or _email
    due = Session.objects.filter(
        follow_up_on__lt=today, follow_up_done=False, reminder_sent_at__isnull=True, case__status__in=ACTIVE
    ).select_related("case", "case__enterprise", "consultant")
    sent = 0
    for s in due:
        user = s.case.consultant or s.consultant
        if user is None or not user.email:
            continue
        subject = _("Overdue follow-up: %(case)s") % {"case": s.case.number}
        body = _("The follow-up of %(ent)s planned for %(date)s is overdue. Next steps: %(steps)s") % {
            "ent": s.case.enterprise.name,
            "date": s.follow_up_on.isoformat(),
            "steps": s.next_steps or "—",
        }

        def _send(user=user, subject=subject, body=body):
            notify(user, subject, body)

        transaction.on_commit(_send)
        Session.objects.filter(pk=s.pk).update(reminder_sent_at=timezone.now())
        sent += 1
    return sent


def _email(user, subject: str, body: str) -> None:
    send_mail(subject, body, None, [user.email])
