"""Monitoring endpoints under ``/api/v1/monitoring`` (transport only; logic in ``plut.monitoring``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from plut.monitoring import periods, selectors, services
from plut.monitoring.models import Round, Submission

router = Router(tags=["monitoring"])


class FiguresOut(Schema):
    region: str
    period_type: str
    period: str
    figures: dict[str, Any] | None


class RoundOut(Schema):
    id: int
    name: str
    dataset: str
    version: int
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


class SubmissionIn(Schema):
    enterprise_id: int
    values: dict[str, Any]
    as_of: dt.date | None = None
    comments: dict[str, str] = {}


class FlagOut(Schema):
    rule: str
    message: str


class SubmissionOut(Schema):
    id: int
    snapshot_id: int | None
    open_flags: list[FlagOut]


@router.get(
    "/figures", response=FiguresOut, summary="Aggregate figures of a region and period, in your scope"
)
def figures(
    request,
    region: str = "61",
    period_type: str = "year",
    period: str = "",
    section: str = "*",
    size: str = "*",
    border: str = "*",
):
    try:
        start = periods.parse(period_type, period)
    except (ValueError, KeyError) as exc:
        # A missing or malformed period is the caller's input, not a missing resource: 422, translated.
        raise ValidationError(
            {"period": _("Give period_type month|quarter|year and a period such as 2026-10, 2026-Q4, 2026.")}
        ) from exc
    selectors.region_for_user(user=request.user, code=region)
    result = selectors.region_figures(
        user=request.user,
        region_code=region,
        period_type=period_type,
        period_start=start,
        section=section,
        size=size,
        border=border,
    )
    return {
        "region": region,
        "period_type": period_type,
        "period": periods.key(period_type, start),
        "figures": result,
    }


@router.get("/rounds", response=list[RoundOut], summary="Monitoring rounds")
def rounds(request):
    return [
        {
            "id": r.pk,
            "name": r.name,
            "dataset": r.version.dataset.code,
            "version": r.version.number,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "due_on": r.due_on,
        }
        for r in selectors.round_list(user=request.user)
    ]


@router.post(
    "/rounds/{round_id}/submissions",
    response=SubmissionOut,
    summary="Enter (or correct) one enterprise's values",
)
def submit(request, round_id: int, payload: SubmissionIn):
    rnd = get_object_or_404(Round, pk=round_id)
    assignment = selectors.assignment_for_user(
        user=request.user, rnd=rnd, enterprise_id=payload.enterprise_id
    )
    submission, flags = services.submission_record(
        actor=request.user,
        assignment=assignment,
        values=payload.values,
        as_of=payload.as_of,
        channel=Submission.Channel.API,
        comments=payload.comments,
    )
    return {
        "id": submission.pk,
        "snapshot_id": submission.snapshot_id,
        "open_flags": [{"rule": f.rule.code, "message": f.message} for f in flags],
    }
