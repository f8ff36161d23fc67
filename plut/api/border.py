"""Border-economy endpoints under ``/api/v1/border`` (transport only; logic in ``plut.border``).

Money and rates are decimal strings in JSON (never floats); percentages are decimal strings with two
places or ``null`` when not observed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from plut.border import access, selectors, services
from plut.reference.models import Commodity

router = Router(tags=["border"])


class ErrorOut(Schema):
    detail: str | dict | list


class ObservationIn(Schema):
    commodity: str  # slug, e.g. "gula-konsumsi"
    brand: str = ""
    origin: Literal["ID", "MY", "XX", ""] = ""
    unit: str = ""
    price: Decimal | None = None
    currency: Literal["IDR", "MYR", ""] = ""
    availability: Literal["available", "scarce", "unavailable"] = "available"
    paid_currency: Literal["IDR", "MYR", ""] = ""


class PurchaseIn(Schema):
    goods: str = ""
    amount: Decimal
    currency: Literal["IDR", "MYR"]


class SurveyIn(Schema):
    market_id: int
    surveyed_on: dt.date
    note: str = ""
    observations: list[ObservationIn]
    purchases: list[PurchaseIn] = []


class ObservationOut(Schema):
    commodity: str
    brand: str
    origin: str
    unit: str
    price: Decimal | None
    currency: str
    rate: Decimal | None
    rate_date: dt.date | None
    price_idr: int | None
    availability: str
    paid_currency: str


class SurveyOut(Schema):
    id: int
    market_id: int
    market: str
    district_code: str
    surveyed_on: dt.date
    source: str
    observations: list[ObservationOut]


class RateIn(Schema):
    on_date: dt.date
    idr_per_unit: Decimal
    currency: Literal["MYR"] = "MYR"
    source: str = ""


class RateOut(Schema):
    currency: str
    on_date: dt.date
    idr_per_unit: Decimal
    source: str


class IndicatorFilter(Schema):
    by: Literal["market", "district", "regency", "month"] = "district"
    month: str | None = None
    regency: str | None = None
    district: str | None = None
    market: int | None = None


def _survey_out(s) -> dict:
    return {
        "id": s.pk,
        "market_id": s.market_id,
        "market": s.market.name,
        "district_code": s.market.district_code,
        "surveyed_on": s.surveyed_on,
        "source": s.source,
        "observations": [
            {
                "commodity": o.commodity.slug,
                "brand": o.brand,
                "origin": o.origin,
                "unit": o.unit,
                "price": o.price,
                "currency": o.currency,
                "rate": o.rate,
                "rate_date": o.rate_date,
                "price_idr": o.price_idr,
                "availability": o.availability,
                "paid_currency": o.paid_currency,
            }
            for o in s.observations.all()
        ],
    }


@router.get("/surveys", response=list[SurveyOut], summary="Market surveys in scope, newest first")
@paginate(LimitOffsetPagination)
def surveys_list(request, month: str | None = None, market: int | None = None):
    access.require_view(request.user)
    qs = selectors.survey_list(user=request.user, month=month, market=market).prefetch_related(
        "observations__commodity"
    )
    return [_survey_out(s) for s in qs]


@router.post(
    "/surveys",
    response={201: SurveyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a market survey (a missing exchange rate is a 422 naming the date)",
)
def surveys_create(request, payload: SurveyIn):
    try:
        market = selectors.get_market_for_user(user=request.user, pk=payload.market_id)
    except Http404:
        return Status(404, {"detail": "No market found."})
    commodities = {
        c.slug: c for c in Commodity.objects.filter(slug__in=[o.commodity for o in payload.observations])
    }
    missing = sorted({o.commodity for o in payload.observations} - set(commodities))
    if missing:
        return Status(422, {"detail": {"commodity": [f"Unknown commodity: {m}" for m in missing]}})
    observations = [{**o.dict(), "commodity": commodities[o.commodity]} for o in payload.observations]
    survey = services.survey_record(
        actor=request.user,
        market=market,
        surveyed_on=payload.surveyed_on,
        observations=observations,
        purchases=[p.dict() for p in payload.purchases],
        note=payload.note,
    )
    return Status(201, _survey_out(survey))


@router.get("/rates", response=list[RateOut], summary="IDR/MYR exchange rates, newest first")
@paginate(LimitOffsetPagination)
def rates_list(request):
    access.require_view(request.user)
    return selectors.rate_list()


@router.post(
    "/rates", response={201: RateOut, 403: ErrorOut, 422: ErrorOut}, summary="Record the rate of a day"
)
def rates_create(request, payload: RateIn):
    rate = services.rate_record(actor=request.user, **payload.dict())
    return Status(201, rate)


@router.get("/indicators", response={200: list[dict], 403: ErrorOut}, summary="Border indicators by group")
def indicators(request, filters: Query[IndicatorFilter]):
    """Dependency index, weighted index, price gaps, rupiah share and availability gap (all in %)."""
    try:
        access.require_view(request.user)
    except PermissionDenied:
        return Status(403, {"detail": "Permission denied."})
    data = filters.dict()
    by = data.pop("by")
    rows = selectors.indicators(user=request.user, by=by, **{k: v for k, v in data.items() if v})
    return _jsonable(rows)


@router.get(
    "/indicators/prices",
    response={200: list[dict], 403: ErrorOut},
    summary="Surveyed prices beside the Bapanas series",
)
def prices_beside_bapanas(request, month: str | None = None):
    """Mean surveyed rupiah prices by origin beside the Bapanas price of the regency and of Kota Pontianak."""
    try:
        access.require_view(request.user)
    except PermissionDenied:
        return Status(403, {"detail": "Permission denied."})
    return _jsonable(selectors.prices_beside_bapanas(user=request.user, month=month))


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
