"""Reads of the border economy, always scoped by ``plut.accounts.scope.region_q``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from plut.accounts.scope import region_q
from plut.border import access
from plut.border.indicators import ObsRow, group_indicators, pct
from plut.border.models import (
    BasketWeight,
    BorderPurchase,
    BrandingReferral,
    CrossBorderSale,
    ExchangeRate,
    Market,
    Observation,
    Survey,
    TradeAllowance,
)
from plut.enterprises.models import Enterprise, Permit
from plut.enterprises.selectors import enterprise_scope
from plut.regions.models import Boundary, Region
from plut.regions.selectors import border_district_codes

BY_CHOICES = ("market", "district", "regency", "month")


def market_scope(user) -> QuerySet[Market]:
    """Return the markets ``user`` may see."""
    if not access.can_view(user):
        return Market.objects.none()
    return Market.objects.filter(region_q(user), is_active=True)


def get_market_for_user(*, user, pk: int) -> Market:
    """Return market ``pk`` if ``user`` may see it, else raise ``Http404``."""
    market = market_scope(user).filter(pk=pk).first()
    if market is None:
        raise Http404("No market found.")
    return market


def survey_scope(user) -> QuerySet[Survey]:
    """Return the surveys ``user`` may see."""
    if not access.can_view(user):
        return Survey.objects.none()
    return Survey.objects.filter(region_q(user))


def get_survey_for_user(*, user, pk: int) -> Survey:
    """Return survey ``pk`` with its market if ``user`` may see it, else raise ``Http404``."""
    survey = survey_scope(user).select_related("market", "market__region", "enumerator").filter(pk=pk).first()
    if survey is None:
        raise Http404("No survey found.")
    return survey


def survey_list(*, user, market: int | None = None, month: str | None = None) -> QuerySet[Survey]:
    """Return the surveys in scope, newest first, optionally of one market or month (``YYYY-MM``)."""
    qs = (
        survey_scope(user)
        .select_related("market", "market__region")
        .annotate(n_observations=Count("observations"))
    )
    if market:
        qs = qs.filter(market_id=market)
    if month:
        start = dt.date.fromisoformat(month + "-01")
        qs = qs.filter(surveyed_on__year=start.year, surveyed_on__month=start.month)
    return qs.order_by("-surveyed_on", "-id")


def rate_list() -> QuerySet[ExchangeRate]:
    """Return the exchange rates, newest first (rates are not regional)."""
    return ExchangeRate.objects.order_by("-on_date", "currency")


def commodity_queryset() -> QuerySet:
    """Return the active commodities: staples, then important goods, then the others; by name within."""
    from django.db.models import Case, IntegerField, Value, When

    from plut.reference.models import Commodity

    rank = Case(
        When(category="staple", then=Value(0)),
        When(category="important", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return Commodity.objects.filter(is_active=True).order_by(rank, "name")


def commodity_choices() -> list[tuple[str, str]]:
    """Return ``(name, unit)`` of :func:`commodity_queryset` (reference data, not regional)."""
    return list(commodity_queryset().values_list("name", "unit"))


def weights_on(day: dt.date) -> dict[int, Decimal]:
    """Return ``{commodity id: weight}`` of the basket valid on ``day``."""
    rows = BasketWeight.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
    return {b.commodity_id: b.weight for b in rows}


def observation_rows(
    *,
    user,
    month: str | None = None,
    regency: str | None = None,
    district: str | None = None,
    market: int | None = None,
) -> list[ObsRow]:
    """Return the observations in scope as :class:`ObsRow`, optionally filtered."""
    qs = Observation.objects.filter(survey__in=survey_scope(user))
    if month:
        start = dt.date.fromisoformat(month + "-01")
        qs = qs.filter(survey__surveyed_on__year=start.year, survey__surveyed_on__month=start.month)
    if regency:
        qs = qs.filter(survey__market__regency_code=regency)
    if district:
        qs = qs.filter(survey__market__district_code=district)
    if market:
        qs = qs.filter(survey__market_id=market)
    values = qs.order_by("survey__surveyed_on", "id").values_list(
        "survey__market_id",
        "survey__market__name",
        "survey__market__district_code",
        "survey__market__regency_code",
        "survey__surveyed_on",
        "commodity_id",
        "commodity__name",
        "commodity__category",
        "origin",
        "unit",
        "price_idr",
        "availability",
        "paid_currency",
    )
    return [ObsRow(*v) for v in values]


def _labels(by: str, keys: list[str]) -> dict[str, str]:
    if by == "market":
        return {str(m.pk): m.name for m in Market.objects.filter(pk__in=[int(k) for k in keys])}
    if by in ("district", "regency"):
        return {r.code: r.name for r in Region.objects.filter(code__in=keys)}
    return {k: k for k in keys}


def indicators(*, user, by: str = "district", **filters: Any) -> list[dict[str, Any]]:
    """Return ``[{"key", "label", …indicators}]`` grouped ``by`` market, district, regency or month."""
    if by not in BY_CHOICES:
        raise ValueError(f"Cannot group by {by!r}.")
    groups = group_indicators(observation_rows(user=user, **filters), by=by, weights_on=weights_on)
    labels = _labels(by, list(groups))
    return [{"key": k, "label": labels.get(k, k), **v} for k, v in groups.items()]


def dependency_map(*, user, month: str | None = None) -> dict[str, Any]:
    """Return the border districts (and any surveyed district) as GeoJSON with their dependency index."""
    by_district = {row["key"]: row for row in indicators(user=user, by="district", month=month)}
    codes = set(border_district_codes()) | set(by_district)
    features = []
    for b in (
        Boundary.objects.filter(region__code__in=codes).select_related("region").order_by("region__code")
    ):
        row = by_district.get(b.region.code)
        dep = row["dependency"] if row else None
        features.append(
            {
                "type": "Feature",
                "id": b.region.code,
                "geometry": b.geometry,
                "properties": {
                    "code": b.region.code,
                    "name": b.region.name,
                    "dependency_pct": float(dep["value"]) if dep and dep["value"] is not None else None,
                    "observations": dep["n"] if dep else 0,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def markets_geojson(*, user) -> dict[str, Any]:
    """Return the markets in scope as GeoJSON points."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(m.longitude), float(m.latitude)]},
                "properties": {"id": m.pk, "name": m.name, "kind": m.kind, "district_code": m.district_code},
            }
            for m in market_scope(user)
        ],
    }


# ---------------------------------------------------------------------------------------------
# Cross-border sales


def sale_scope(user) -> QuerySet[CrossBorderSale]:
    """Return the cross-border sales ``user`` may see."""
    if not access.can_view(user):
        return CrossBorderSale.objects.none()
    return CrossBorderSale.objects.filter(region_q(user))


def own_brand_share(*, user, year: int | None = None) -> list[dict[str, Any]]:
    """Return, per district, the share of cross-border sales leaving under the maker's own brand.

    Formula: 100 × Σ amount_idr of sales with brand "own" / Σ amount_idr of all sales (%), rupiah at
    each sale's rate; ``year`` keeps sales whose period ends in that year.
    """
    qs = sale_scope(user)
    if year:
        qs = qs.filter(period_end__year=year)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for district, brand, amount in qs.values_list("district_code", "brand", "amount_idr"):
        totals[district][1] += amount
        if brand == CrossBorderSale.Brand.OWN:
            totals[district][0] += amount
    names = {r.code: r.name for r in Region.objects.filter(code__in=list(totals))}
    return [
        {
            "district_code": code,
            "name": names.get(code, code),
            "own_idr": own,
            "total_idr": total,
            "own_brand_pct": pct(own, total),
        }
        for code, (own, total) in sorted(totals.items())
    ]


def branding_list(*, user) -> list[dict[str, Any]]:
    """Return the exporting enterprises in scope lacking a trademark, P-IRT/halal or own packaging.

    Exporting: ``sells_cross_border`` or a recorded cross-border sale. Held: an *active* permit of the
    kind; own packaging: a recorded sale in the maker's own packaging. Ordered by district, name.
    """
    if not access.can_view(user):
        return []
    exporters = (
        enterprise_scope(user)
        .filter(Q(sells_cross_border=True) | Q(cross_border_sales__isnull=False))
        .distinct()
        .order_by("district_code", "name", "id")
    )
    ids = list(exporters.values_list("id", flat=True))
    permits: dict[int, set[str]] = defaultdict(set)
    for eid, kind in Permit.objects.filter(enterprise_id__in=ids, status=Permit.Status.ACTIVE).values_list(
        "enterprise_id", "kind"
    ):
        permits[eid].add(kind)
    packaged = set(
        CrossBorderSale.objects.filter(enterprise_id__in=ids, own_packaging=True).values_list(
            "enterprise_id", flat=True
        )
    )
    referred: dict[int, Any] = {}
    for ref in (
        BrandingReferral.objects.filter(enterprise_id__in=ids).select_related("case").order_by("created_at")
    ):
        referred[ref.enterprise_id] = ref.case
    out = []
    for ent in (
        Enterprise.objects.filter(id__in=ids).select_related("region").order_by("district_code", "name", "id")
    ):
        held = permits[ent.pk]
        missing = []
        if Permit.Kind.TRADEMARK not in held:
            missing.append("trademark")
        if not held & {Permit.Kind.PIRT, Permit.Kind.HALAL}:
            missing.append("pirt_or_halal")
        if ent.pk not in packaged:
            missing.append("own_packaging")
        if missing:
            out.append({"enterprise": ent, "missing": missing, "case": referred.get(ent.pk)})
    return out


# ---------------------------------------------------------------------------------------------
# Border-trade allowance


def allowance_on(day: dt.date) -> TradeAllowance | None:
    """Return the allowance valid on ``day``."""
    return (
        TradeAllowance.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def purchases_over_allowance(*, user) -> list[dict[str, Any]]:
    """Return the surveyed purchases in scope above the allowance valid on their survey date (in MYR)."""
    out = []
    allowances = list(TradeAllowance.objects.order_by("-valid_from"))
    qs = BorderPurchase.objects.filter(survey__in=survey_scope(user)).select_related("survey__market")
    for p in qs.order_by("survey__surveyed_on", "id"):
        day = p.survey.surveyed_on
        allowance = next(
            (a for a in allowances if a.valid_from <= day and (a.valid_to is None or a.valid_to >= day)), None
        )
        if allowance is not None and allowance.currency == "MYR" and p.amount_myr > allowance.amount:
            out.append({"purchase": p, "allowance": allowance, "excess_myr": p.amount_myr - allowance.amount})
    return out


# ---------------------------------------------------------------------------------------------
# Survey prices beside the Bapanas series


def prices_beside_bapanas(*, user, month: str | None = None) -> list[dict[str, Any]]:
    """Return surveyed mean rupiah prices beside the Bapanas monthly price of the same regency and month.

    One row per (regency, month, commodity) with a survey price in the commodity's own Bapanas unit
    (Rp/kg or Rp/liter; observations in other units are left out): ``my_mean_idr`` and ``id_mean_idr``
    (mean ``price_idr`` of Malaysian / Indonesian origin, ``None`` if none), ``bapanas_idr`` (that
    regency's Bapanas price) and ``pontianak_idr`` (Kota Pontianak 61.71, the provincial reference), all
    Decimal rupiah per unit. Source of the series: ``reference.StaplePrice`` (Bapanas, Panel Harga Pangan).
    """
    from plut.border.indicators import CENT
    from plut.reference.models import StaplePrice

    qs = Observation.objects.filter(
        survey__in=survey_scope(user), price_idr__isnull=False, origin__in=["MY", "ID"]
    )
    if month:
        start = dt.date.fromisoformat(month + "-01")
        qs = qs.filter(survey__surveyed_on__year=start.year, survey__surveyed_on__month=start.month)
    prices: dict[tuple[str, dt.date, int], dict[str, list[int]]] = defaultdict(lambda: {"MY": [], "ID": []})
    names: dict[int, tuple[str, str]] = {}
    for regency, day, cid, name, unit, obs_unit, origin, idr in qs.values_list(
        "survey__market__regency_code",
        "survey__surveyed_on",
        "commodity_id",
        "commodity__name",
        "commodity__unit",
        "unit",
        "origin",
        "price_idr",
    ):
        if obs_unit != unit:
            continue
        names[cid] = (name, unit)
        prices[(regency, day.replace(day=1), cid)][origin].append(idr)
    if not prices:
        return []
    series = {
        (code, m, cid): p
        for code, m, cid, p in StaplePrice.objects.filter(
            commodity_id__in=list(names), month__in={k[1] for k in prices}
        ).values_list("region__code", "month", "commodity_id", "price_idr")
    }
    regencies = {r.code: r.name for r in Region.objects.filter(code__in={k[0] for k in prices})}

    def mean(values: list[int]) -> Decimal | None:
        return (Decimal(sum(values)) / len(values)).quantize(CENT) if values else None

    out = []
    for (regency, m, cid), by_origin in sorted(
        prices.items(), key=lambda kv: (kv[0][0], kv[0][1], names[kv[0][2]][0])
    ):
        out.append(
            {
                "regency_code": regency,
                "regency": regencies.get(regency, regency),
                "month": m.strftime("%Y-%m"),
                "commodity": names[cid][0],
                "unit": names[cid][1],
                "my_mean_idr": mean(by_origin["MY"]),
                "id_mean_idr": mean(by_origin["ID"]),
                "bapanas_idr": series.get((regency, m, cid)),
                "pontianak_idr": series.get(("61.71", m, cid)),
            }
        )
    return out
