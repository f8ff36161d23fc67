"""Writes of the programmes. Every proposal state change goes through :func:`proposal_transition`.

Proposal life (``ALLOWED_TRANSITIONS``; MISSION.md capability 6, the ministry's border-market call):
draft (regency officer) → submitted (every required document present and valid) → under province
review → returned for revision (→ submitted again) / endorsed (the endorsement letter is generated
as PDF and kept with the documents) → sent to the ministry → ministry review → approved (with an
amount in integer rupiah) / rejected (with a reason) → construction → handed over → operating.

Who may move a proposal (``TRANSITION_ACTORS``): the regency's own officers submit and report
construction; the office administrator reviews, returns, endorses and sends; a ministry reviewer
reviews and decides. Every change is timestamped with its actor and comment
(``ProposalStatusChange``), audited, and notified after commit to whoever acts next. Two people
changing one proposal at once cannot both succeed: the update is conditional on ``Proposal.version``
(optimistic lock) and the loser gets ``proposal.conflict``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plut.accounts.models import Role
from plut.accounts.scope import can_see_region
from plut.core.services import audit_log_write
from plut.enterprises.models import Enterprise
from plut.programmes import documents as docs
from plut.programmes.models import (
    ApplicationScore,
    Checklist,
    EligibilityRule,
    OutreachAttendee,
    OutreachEvent,
    Programme,
    PromotionApplication,
    PromotionCall,
    PromotionReport,
    Proposal,
    ProposalDocument,
    ProposalStatusChange,
)
from plut.programmes.notify import notify_on_commit
from plut.regions.models import BorderDistrict, Level, Region

S = Proposal.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.UNDER_REVIEW},
    S.UNDER_REVIEW: {S.RETURNED, S.ENDORSED},
    S.RETURNED: {S.SUBMITTED},
    S.ENDORSED: {S.SENT},
    S.SENT: {S.MINISTRY_REVIEW},
    S.MINISTRY_REVIEW: {S.APPROVED, S.REJECTED},
    S.APPROVED: {S.CONSTRUCTION},
    S.REJECTED: set(),
    S.CONSTRUCTION: {S.HANDED_OVER},
    S.HANDED_OVER: {S.OPERATING},
    S.OPERATING: set(),
}
# The kind of actor that may make each move: "regency" (an officer of the proposal's regency),
# "office" (office administrator), "ministry" (ministry reviewer).
TRANSITION_ACTORS: dict[str, set[str]] = {
    S.SUBMITTED: {"regency"},
    S.UNDER_REVIEW: {"office"},
    S.RETURNED: {"office"},
    S.ENDORSED: {"office"},
    S.SENT: {"office"},
    S.MINISTRY_REVIEW: {"ministry"},
    S.APPROVED: {"ministry"},
    S.REJECTED: {"ministry"},
    S.CONSTRUCTION: {"regency", "office"},
    S.HANDED_OVER: {"regency", "office"},
    S.OPERATING: {"regency", "office"},
}
ACTOR_LABELS = {
    "regency": gettext_lazy("a regency officer of this regency"),
    "office": gettext_lazy("an office administrator"),
    "ministry": gettext_lazy("a ministry reviewer"),
}
EDITABLE = {S.DRAFT, S.RETURNED}


# ---------------------------------------------------------------------------------------------
# Programmes and eligibility


def _require_office_admin(actor) -> None:
    if Role(actor.role) != Role.OFFICE_ADMIN:
        raise PermissionDenied(_("Only an office administrator may do this."))


@transaction.atomic
def programme_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    funding_body: str,
    period_start: dt.date,
    period_end: dt.date,
    budget_idr: int,
    description: str = "",
) -> Programme:
    """Create a programme (office administrator); ``budget_idr`` in integer rupiah."""
    _require_office_admin(actor)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    programme = Programme(
        code=code,
        name=name,
        kind=kind,
        funding_body=funding_body,
        period_start=period_start,
        period_end=period_end,
        budget_idr=budget_idr,
        description=description,
    )
    programme.full_clean()
    programme.save()
    audit_log_write(actor=actor, action="programme.create", target=programme, data={"code": code})
    return programme


def _rules_in_force(programme: Programme, on: dt.date):
    return programme.eligibility_rules.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def land_border_regency_codes(on: dt.date) -> set[str]:
    """Return the codes of regencies with a district on the land border on ``on`` (regions.BorderDistrict)."""
    codes = (
        BorderDistrict.objects.filter(touches_border=True, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("region__code", flat=True)
    )
    return {c.rsplit(".", 1)[0] for c in codes}


def regency_eligibility(*, programme: Programme, regency: Region, on: dt.date | None = None) -> str | None:
    """Return ``None`` when ``regency`` may propose to ``programme`` on ``on``, else the reason it may not.

    Every rule in force must hold. ``land_border_regency``: the regency has a district on the land
    border with Sarawak in the border reference table (the ministry's call for border markets).
    """
    on = on or timezone.localdate()
    if regency.level != Level.REGENCY:
        return _("Proposals are made by a regency or city.")
    if not (programme.period_start <= on <= programme.period_end):
        return _("The programme is not open on this date.")
    for rule in _rules_in_force(programme, on):
        if (
            rule.rule == EligibilityRule.Rule.LAND_BORDER_REGENCY
            and regency.code not in land_border_regency_codes(on)
        ):
            return _(
                "%(regency)s has no land border, and this programme is only for regencies with a land border (%(source)s)."
            ) % {
                "regency": regency.name,
                "source": rule.source,
            }
        if rule.rule == EligibilityRule.Rule.LISTED_REGENCIES and regency.code not in rule.regency_codes:
            return _("%(regency)s is not among the regencies this programme is for (%(source)s).") % {
                "regency": regency.name,
                "source": rule.source,
            }
    return None


def current_checklist(programme: Programme, on: dt.date | None = None) -> Checklist | None:
    on = on or timezone.localdate()
    return programme.checklists.filter(valid_from__lte=on).order_by("-version").first()


# ---------------------------------------------------------------------------------------------
# Proposals


def actor_kinds(actor, proposal_or_path) -> set[str]:
    """Return the actor kinds ``actor`` is for a proposal (see ``TRANSITION_ACTORS``)."""
    path = proposal_or_path if isinstance(proposal_or_path, str) else proposal_or_path.region_path
    role = Role(actor.role)
    kinds = set()
    if role == Role.REGENCY_OFFICER and can_see_region(actor, path):
        kinds.add("regency")
    if role == Role.OFFICE_ADMIN:
        kinds.add("office")
    if role == Role.MINISTRY_REVIEWER:
        kinds.add("ministry")
    return kinds


@transaction.atomic
def proposal_create(
    *,
    actor,
    programme: Programme,
    regency: Region,
    title: str,
    location: str = "",
    requested_amount_idr: int | None = None,
) -> Proposal:
    """Draft a proposal of ``regency`` (an officer of that regency); refuse ineligible regencies."""
    # Only the regency's own officers draft its proposals.
    if "regency" not in actor_kinds(actor, regency.path):
        raise PermissionDenied(_("Only a regency officer of this regency may draft its proposals."))
    reason = regency_eligibility(programme=programme, regency=regency)
    if reason:
        raise ValidationError({"regency": reason}, code="proposal.ineligible")
    checklist = current_checklist(programme)
    if checklist is None:
        raise ValidationError(_("The programme has no document checklist yet."), code="proposal.checklist")
    proposal = Proposal(
        programme=programme,
        checklist=checklist,
        regency=regency,
        region_path=regency.path,
        title=title,
        location=location,
        requested_amount_idr=requested_amount_idr,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    audit_log_write(
        actor=actor,
        action="proposal.create",
        target=proposal,
        data={"regency": regency.code, "programme": programme.code},
    )
    return proposal


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    title: str,
    location: str = "",
    requested_amount_idr: int | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """Change a draft's or returned proposal's title, location and amount (regency officer; optimistic lock)."""
    if "regency" not in actor_kinds(actor, proposal):
        raise PermissionDenied(_("Only a regency officer of this regency may change its proposals."))
    version = proposal.version if expected_version is None else expected_version
    candidate = Proposal(
        pk=proposal.pk,
        programme=proposal.programme,
        checklist=proposal.checklist,
        regency=proposal.regency,
        region_path=proposal.region_path,
        created_by=proposal.created_by,
        title=title,
        location=location,
        requested_amount_idr=requested_amount_idr,
    )
    candidate.full_clean(exclude=["status", "version"], validate_unique=False)
    updated = Proposal.objects.filter(pk=proposal.pk, version=version, status__in=EDITABLE).update(
        title=title,
        location=location,
        requested_amount_idr=requested_amount_idr,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        _refuse(
            _(
                "The proposal can be changed only while it is a draft or returned, and nobody else changed it meanwhile; reload it."
            ),
            "proposal.conflict",
        )
    before = {
        "title": proposal.title,
        "location": proposal.location,
        "requested_amount_idr": proposal.requested_amount_idr,
    }
    after = {"title": title, "location": location, "requested_amount_idr": requested_amount_idr}
    audit_log_write(
        actor=actor,
        action="proposal.update",
        target=proposal,
        data={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    proposal.refresh_from_db()
    return proposal


def missing_documents(proposal: Proposal) -> list[str]:
    """Return the labels of the required checklist items that have no document yet, in checklist order."""
    present = set(proposal.documents.values_list("item_code", flat=True))
    return [i.label for i in proposal.checklist.items.filter(required=True) if i.code not in present]


@transaction.atomic
def proposal_document_upload(
    *, actor, proposal: Proposal, item_code: str, name: str, data: bytes
) -> ProposalDocument:
    """Store a new version of one checklist document (checked by ``documents.check_upload``).

    Allowed while the proposal is a draft or returned, for the regency's officers. Earlier versions
    are kept. Raises ``ValidationError`` naming the reason when the file is refused.
    """
    if "regency" not in actor_kinds(actor, proposal):
        raise PermissionDenied(_("Only a regency officer of this regency may upload its documents."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("Documents can be changed only while the proposal is a draft or returned; it is %(status)s.")
            % {"status": S(locked.status).label},
            code="proposal.locked",
        )
    item = proposal.checklist.items.filter(code=item_code).first()
    if item is None:
        raise ValidationError({"item_code": _("This document is not on the programme's checklist.")})
    checked = docs.check_upload(name=name, data=data, allowed_types=set(item.allowed_types.split()))
    return _store_document(proposal=locked, item_code=item_code, checked=checked, actor=actor)


def _store_document(
    *, proposal: Proposal, item_code: str, checked: docs.CheckedFile, actor
) -> ProposalDocument:
    last = proposal.documents.filter(item_code=item_code).aggregate(v=Max("version"))["v"] or 0
    doc = ProposalDocument(
        proposal=proposal,
        item_code=item_code,
        version=last + 1,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # ``upload_to`` generates the stored name; the display name is never part of the path.
    doc.file.save(f"upload.{checked.extension}", ContentFile(checked.data), save=False)
    doc.full_clean()
    doc.save()
    audit_log_write(
        actor=actor,
        action="proposal.document",
        target=proposal,
        data={"item": item_code, "version": doc.version, "sha256": doc.sha256, "name": doc.original_name},
    )
    return doc


def _refuse(message: str, code: str = "proposal.transition"):
    raise ValidationError(message, code=code)


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    to: str,
    actor,
    note: str = "",
    expected_version: int | None = None,
    amount_idr: int | None = None,
    reason: str = "",
) -> Proposal:
    """Move ``proposal`` to ``to``; raise ``PermissionDenied`` or ``ValidationError`` saying why not.

    Steps: check the move is allowed from the current status, that ``actor`` may make it, the
    move's own conditions (documents on submission, a comment on return, the amount on approval —
    at most the amount requested and, when the programme has a budget (``budget_idr`` > 0), at most
    what is left of it after the other approved proposals — the reason on rejection), then update conditionally on the version (``proposal.conflict`` when
    someone else changed it first), write the history and audit rows, generate the endorsement
    letter on endorsement, and notify the next actors after commit.
    """
    version = proposal.version if expected_version is None else expected_version
    current = proposal.status
    if to not in S.values:
        _refuse(_("Unknown status."))
    if to not in ALLOWED_TRANSITIONS[current]:
        _refuse(
            _("A proposal that is %(from)s cannot become %(to)s.")
            % {"from": S(current).label, "to": S(to).label}
        )
    allowed = TRANSITION_ACTORS[to]
    if not (allowed & actor_kinds(actor, proposal)):
        raise PermissionDenied(
            _("Only %(who)s may make a proposal %(to)s.")
            % {"who": " / ".join(str(ACTOR_LABELS[k]) for k in sorted(allowed)), "to": S(to).label}
        )
    fields: dict[str, Any] = {"status": to, "version": F("version") + 1, "updated_at": timezone.now()}
    if to == S.SUBMITTED:
        missing = missing_documents(proposal)
        if missing:
            _refuse(
                _("The proposal cannot be submitted: these required documents are missing: %(items)s.")
                % {"items": ", ".join(missing)},
                "proposal.missing_documents",
            )
    if to == S.RETURNED and not note.strip():
        _refuse(
            _("Say what the regency must revise: a comment is required to return a proposal."),
            "proposal.note",
        )
    if to == S.APPROVED:
        if amount_idr is None or amount_idr <= 0:
            _refuse(_("Give the approved amount in rupiah (a whole number above zero)."), "proposal.amount")
        if proposal.requested_amount_idr and amount_idr > proposal.requested_amount_idr:
            _refuse(
                _(
                    "The approved amount (%(amount)s rupiah) exceeds the amount requested (%(requested)s rupiah)."
                )
                % {"amount": amount_idr, "requested": proposal.requested_amount_idr},
                "proposal.amount_above_request",
            )
        # The programme row is locked so two approvals at once cannot both fit in what is left.
        programme = Programme.objects.select_for_update().get(pk=proposal.programme_id)
        if programme.budget_idr:
            committed = (
                Proposal.objects.filter(programme=programme, approved_amount_idr__isnull=False)
                .exclude(pk=proposal.pk)
                .aggregate(s=Sum("approved_amount_idr"))["s"]
                or 0
            )
            if committed + amount_idr > programme.budget_idr:
                _refuse(
                    _(
                        "The approved amount (%(amount)s rupiah) exceeds what is left of the programme's "
                        "budget (%(left)s of %(budget)s rupiah)."
                    )
                    % {
                        "amount": amount_idr,
                        "left": programme.budget_idr - committed,
                        "budget": programme.budget_idr,
                    },
                    "proposal.amount_above_budget",
                )
        fields["approved_amount_idr"] = amount_idr
    if to == S.REJECTED:
        if not reason.strip():
            _refuse(_("Give the reason for the rejection."), "proposal.reason")
        fields["rejection_reason"] = reason.strip()
    updated = Proposal.objects.filter(pk=proposal.pk, version=version, status=current).update(**fields)
    if updated != 1:
        _refuse(
            _("Someone else changed this proposal a moment ago; reload it and try again."),
            "proposal.conflict",
        )
    comment = note or reason
    ProposalStatusChange.objects.create(
        proposal=proposal, from_status=current, to_status=to, by=actor, note=comment
    )
    audit_log_write(
        actor=actor,
        action=f"proposal.{to}",
        target=proposal,
        data={"from": current, "note": comment, **({"amount_idr": amount_idr} if to == S.APPROVED else {})},
    )
    proposal.refresh_from_db()
    if to == S.ENDORSED:
        _endorsement_letter(proposal=proposal, actor=actor, note=note)
    notify_on_commit(
        proposal=proposal,
        actor=actor,
        from_status=current,
        to_status=to,
        note=comment,
        next_actor_kinds=set().union(*(TRANSITION_ACTORS[n] for n in ALLOWED_TRANSITIONS[to]))
        if ALLOWED_TRANSITIONS[to]
        else set(),
    )
    return proposal


def _endorsement_letter(*, proposal: Proposal, actor, note: str) -> ProposalDocument:
    from plut.programmes.pdf import endorsement_letter_pdf

    labels = {i.code: i.label for i in proposal.checklist.items.all()}
    latest = {}
    for d in proposal.documents.exclude(item_code=ProposalDocument.ENDORSEMENT_LETTER).order_by(
        "item_code", "version"
    ):
        latest[d.item_code] = d
    listed = [
        {"label": labels.get(c, c), "version": d.version, "sha256": d.sha256} for c, d in latest.items()
    ]
    data = endorsement_letter_pdf(proposal=proposal, actor=actor, documents=listed, note=note)
    checked = docs.CheckedFile(
        data=data,
        content_type=docs.PDF,
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=f"surat-rekomendasi-{proposal.pk}.pdf",
    )
    return _store_document(
        proposal=proposal, item_code=ProposalDocument.ENDORSEMENT_LETTER, checked=checked, actor=actor
    )


# ---------------------------------------------------------------------------------------------
# Promotion financing


@transaction.atomic
def promotion_call_create(
    *,
    actor,
    programme: Programme,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    budget_idr: int,
    require_border_district: bool = True,
    require_pirt_or_halal: bool = False,
    require_own_brand: bool = False,
    criteria_note: str = "",
    event_name: str = "",
    event_place: str = "",
    event_start: dt.date | None = None,
    event_end: dt.date | None = None,
) -> PromotionCall:
    """Open a promotion-financing call (office administrator); ``budget_idr`` in integer rupiah."""
    _require_office_admin(actor)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The call closes before it opens.")})
    call = PromotionCall(
        programme=programme,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        budget_idr=budget_idr,
        require_border_district=require_border_district,
        require_pirt_or_halal=require_pirt_or_halal,
        require_own_brand=require_own_brand,
        criteria_note=criteria_note,
        event_name=event_name,
        event_place=event_place,
        event_start=event_start,
        event_end=event_end,
    )
    call.full_clean()
    call.save()
    audit_log_write(actor=actor, action="promotion_call.create", target=call, data={"budget_idr": budget_idr})
    return call


def call_criteria_unmet(call: PromotionCall, enterprise: Enterprise) -> list[str]:
    """Return the call's required criteria the enterprise does not meet (empty when it meets all)."""
    unmet = []
    if call.require_border_district and not enterprise.is_border:
        unmet.append(str(ApplicationScore.Criterion.BORDER_DISTRICT.label))
    if (
        call.require_pirt_or_halal
        and not enterprise.permits.filter(kind__in=["pirt", "halal"], status="active").exists()
    ):
        unmet.append(str(ApplicationScore.Criterion.PRODUCT_READINESS.label))
    if call.require_own_brand and enterprise.cross_border_brand == "repackaged":
        unmet.append(str(ApplicationScore.Criterion.OWN_BRAND.label))
    return unmet


@transaction.atomic
def promotion_application_submit(
    *,
    actor,
    call: PromotionCall,
    enterprise: Enterprise,
    requested_amount_idr: int,
    products: str = "",
    on: dt.date | None = None,
) -> PromotionApplication:
    """Apply to a call for ``enterprise``: by its owner, or by a consultant of its regency on its behalf."""
    role = Role(actor.role)
    # The owner applies for their own enterprise; a consultant only within their regencies.
    if role == Role.ENTREPRENEUR:
        if enterprise.owner.user_id != actor.pk:
            raise PermissionDenied(_("You may apply only for your own enterprise."))
        on_behalf = False
    elif role == Role.CONSULTANT and can_see_region(actor, enterprise.region_path):
        on_behalf = True
    else:
        raise PermissionDenied(_("Only the entrepreneur or a PLUT consultant of the regency may apply."))
    on = on or timezone.localdate()
    if not (call.opens_on <= on <= call.closes_on):
        raise ValidationError(_("The call is not open on this date."), code="application.closed")
    unmet = call_criteria_unmet(call, enterprise)
    if unmet:
        raise ValidationError(
            _("The enterprise does not meet the call's criteria: %(items)s.") % {"items": ", ".join(unmet)},
            code="application.criteria",
        )
    if PromotionApplication.objects.filter(call=call, enterprise=enterprise).exists():
        raise ValidationError(
            _("This enterprise has already applied to this call."), code="application.duplicate"
        )
    app = PromotionApplication(
        call=call,
        enterprise=enterprise,
        region_path=enterprise.region_path,
        applied_by=actor,
        on_behalf=on_behalf,
        products=products,
        requested_amount_idr=requested_amount_idr,
    )
    app.full_clean()
    app.save()
    audit_log_write(
        actor=actor,
        action="promotion_application.submit",
        target=app,
        data={"call": call.pk, "enterprise": enterprise.pk, "on_behalf": on_behalf},
    )
    return app


@transaction.atomic
def promotion_application_score(
    *, actor, application: PromotionApplication, criterion: str, score: int, note: str = ""
) -> ApplicationScore:
    """Record (or replace) a reviewer's 0..10 score of one criterion (office administrator)."""
    _require_office_admin(actor)
    if not 0 <= score <= 10:
        raise ValidationError({"score": _("A score is a whole number from 0 to 10.")})
    obj, _created = ApplicationScore.objects.update_or_create(
        application=application, reviewer=actor, criterion=criterion, defaults={"score": score, "note": note}
    )
    obj.full_clean()
    audit_log_write(
        actor=actor,
        action="promotion_application.score",
        target=application,
        data={"criterion": criterion, "score": score},
    )
    return obj


@transaction.atomic
def promotion_application_award(
    *, actor, application: PromotionApplication, amount_idr: int
) -> PromotionApplication:
    """Award ``amount_idr`` (integer rupiah) to an application, never beyond the call's budget.

    The call row is locked (``select_for_update``) while the awarded total is summed, so two awards
    made at once are serialised and cannot together exceed the budget.
    """
    _require_office_admin(actor)
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("The amount must be a whole number of rupiah above zero.")})
    call = PromotionCall.objects.select_for_update().get(pk=application.call_id)
    app = PromotionApplication.objects.select_for_update().get(pk=application.pk)
    if app.status != PromotionApplication.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be awarded."), code="application.status")
    awarded = (
        PromotionApplication.objects.filter(call=call, status=PromotionApplication.Status.AWARDED).aggregate(
            s=Sum("awarded_amount_idr")
        )["s"]
        or 0
    )
    remaining = call.budget_idr - awarded
    if amount_idr > remaining:
        raise ValidationError(
            _(
                "The award of %(amount)s rupiah exceeds what is left of the call's budget (%(left)s of %(budget)s rupiah)."
            )
            % {"amount": amount_idr, "left": remaining, "budget": call.budget_idr},
            code="application.budget",
        )
    app.status = PromotionApplication.Status.AWARDED
    app.awarded_amount_idr = amount_idr
    app.awarded_at = timezone.now()
    app.full_clean()
    app.save(update_fields=["status", "awarded_amount_idr", "awarded_at"])
    audit_log_write(
        actor=actor, action="promotion_application.award", target=app, data={"amount_idr": amount_idr}
    )
    return app


@transaction.atomic
def promotion_report_record(
    *,
    actor,
    application: PromotionApplication,
    transactions: int,
    buyers_met: int,
    buyer_countries: str,
    sales_amount: Decimal,
    currency: str,
    rate_idr: Decimal,
    rate_date: dt.date,
) -> PromotionReport:
    """Record the post-event report of an awarded application.

    ``sales_amount`` is in ``currency`` (IDR or MYR); ``rate_idr`` is rupiah per unit (exactly 1 for
    IDR); ``sales_idr`` = sales_amount × rate, rounded half up to whole rupiah.
    """
    application = (
        PromotionApplication.objects.select_for_update()
        .select_related("enterprise__owner")
        .get(pk=application.pk)
    )
    role = Role(actor.role)
    owner = role == Role.ENTREPRENEUR and application.enterprise.owner.user_id == actor.pk
    staff = role == Role.OFFICE_ADMIN or (
        role == Role.CONSULTANT and can_see_region(actor, application.region_path)
    )
    if not (owner or staff):
        raise PermissionDenied(
            _("Only the entrepreneur, a consultant of the regency or the office may report.")
        )
    if application.status != PromotionApplication.Status.AWARDED:
        raise ValidationError(
            _("Only an awarded application has an event to report."), code="application.status"
        )
    if currency not in PromotionReport.Currency.values:
        raise ValidationError({"currency": _("The currency must be IDR or MYR.")})
    if currency == "IDR" and rate_idr != 1:
        raise ValidationError({"rate_idr": _("The rate of rupiah to rupiah is 1.")})
    if rate_idr <= 0 or sales_amount < 0:
        raise ValidationError(
            {"rate_idr": _("The amount and the rate must not be negative, and the rate not zero.")}
        )
    sales_idr = int(
        (Decimal(sales_amount) * Decimal(rate_idr)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    )
    report = PromotionReport(
        application=application,
        transactions=transactions,
        buyers_met=buyers_met,
        buyer_countries=",".join(c.strip().upper() for c in buyer_countries.split(",") if c.strip()),
        sales_amount=sales_amount,
        currency=currency,
        rate_idr=rate_idr,
        rate_date=rate_date,
        sales_idr=sales_idr,
        reported_by=actor,
    )
    report.full_clean()
    report.save()
    audit_log_write(
        actor=actor,
        action="promotion_report.record",
        target=application,
        data={"sales_idr": sales_idr, "currency": currency},
    )
    return report


# ---------------------------------------------------------------------------------------------
# Outreach


def _require_outreach_staff(actor, path: str) -> None:
    role = Role(actor.role)
    # The office anywhere; regency officers and consultants in their own regencies.
    if role == Role.OFFICE_ADMIN:
        return
    if role in {Role.REGENCY_OFFICER, Role.CONSULTANT} and can_see_region(actor, path):
        return
    raise PermissionDenied(
        _("Only the office, or an officer or consultant of this regency, may record outreach.")
    )


@transaction.atomic
def outreach_event_create(
    *,
    actor,
    programme: Programme,
    regency: Region,
    held_on: dt.date,
    district: Region | None = None,
    place: str = "",
    materials: str = "",
) -> OutreachEvent:
    """Record a socialisation event of ``programme`` in ``regency`` (and optionally one of its districts)."""
    _require_outreach_staff(actor, regency.path)
    if regency.level != Level.REGENCY:
        raise ValidationError({"regency": _("Choose a regency or city.")})
    if district is not None and (
        district.level != Level.DISTRICT or not district.path.startswith(regency.path)
    ):
        raise ValidationError({"district": _("The district is not in this regency.")})
    event = OutreachEvent(
        programme=programme,
        regency=regency,
        district=district,
        region_path=(district or regency).path,
        held_on=held_on,
        place=place,
        materials=materials,
        created_by=actor,
    )
    event.full_clean()
    event.save()
    audit_log_write(actor=actor, action="outreach.create", target=event, data={"regency": regency.code})
    return event


@transaction.atomic
def outreach_attendee_add(
    *, actor, event: OutreachEvent, name: str, organisation: str = "", enterprise: Enterprise | None = None
) -> OutreachAttendee:
    """Add an attendee to an outreach event, linked to a registry enterprise in ``actor``'s scope if given."""
    _require_outreach_staff(actor, event.region_path)
    if enterprise is not None and not can_see_region(actor, enterprise.region_path):
        raise PermissionDenied(_("The enterprise is outside your regions."))
    attendee = OutreachAttendee(event=event, name=name, organisation=organisation, enterprise=enterprise)
    attendee.full_clean()
    attendee.save()
    audit_log_write(
        actor=actor,
        action="outreach.attendee",
        target=event,
        data={"enterprise": enterprise.pk if enterprise else None},
    )
    return attendee
