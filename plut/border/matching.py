"""Import substitution: local enterprises that could supply what border markets buy from Malaysia.

For each (market, commodity) with at least one Malaysian-origin observation in the user's scope, the
candidates are the registered enterprises in the user's scope that

1. have a KBLI 2020 code linked to the commodity (``Commodity.kbli_codes``; the enterprise's own codes
   or a product's code), or
2. have a product whose name contains one of the commodity's ``product_terms`` (case-insensitive).

They are ranked by great-circle distance (haversine, mean Earth radius 6,371.0088 km) from the
enterprise to the market: the enterprise's own GPS where recorded, else the label point of its region
(village, else district, else regency). Ties and enterprises without any position (last) are ordered
by name, then id. Distances are in kilometres, rounded half-up to 0.1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from plut.border.models import Market, Observation
from plut.border.selectors import survey_scope
from plut.enterprises.models import EnterpriseKbli, Permit, Product
from plut.enterprises.selectors import enterprise_scope
from plut.reference.models import Commodity
from plut.regions.models import Region

EARTH_RADIUS_KM = 6371.0088
TENTH = Decimal("0.1")


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Return the great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _position(ent, regions: dict[str, Region]) -> tuple[float, float] | None:
    if ent.latitude is not None and ent.longitude is not None:
        return float(ent.latitude), float(ent.longitude)
    for code in reversed(ent.region.ancestor_codes()):
        r = regions.get(code)
        if r is not None and r.label_lat is not None and r.label_lng is not None:
            return r.label_lat, r.label_lng
    return None


def malaysian_items(*, user, market: int | None = None) -> list[tuple[Market, Commodity]]:
    """Return the (market, commodity) pairs observed with Malaysian origin in scope, by market and name."""
    qs = Observation.objects.filter(survey__in=survey_scope(user), origin="MY")
    if market:
        qs = qs.filter(survey__market_id=market)
    pairs = set(qs.values_list("survey__market_id", "commodity_id"))
    markets = Market.objects.in_bulk({m for m, _c in pairs})
    commodities = Commodity.objects.in_bulk({c for _m, c in pairs})
    items = [(markets[m], commodities[c]) for m, c in pairs]
    return sorted(items, key=lambda mc: (mc[0].name, mc[1].name))


def candidates(*, user, commodity: Commodity, market: Market) -> list[dict[str, Any]]:
    """Return the enterprises in scope that make or trade ``commodity``, nearest to ``market`` first."""
    scope = enterprise_scope(user)
    kbli_ids = list(commodity.kbli_codes.values_list("id", flat=True))
    reasons: dict[int, list[str]] = defaultdict(list)
    for eid, code in EnterpriseKbli.objects.filter(enterprise__in=scope, kbli_id__in=kbli_ids).values_list(
        "enterprise_id", "kbli__code"
    ):
        reasons[eid].append(f"KBLI {code}")
    term_q = Q(pk__in=[])
    for term in commodity.terms:
        term_q |= Q(name__icontains=term)
    products = Product.objects.filter(enterprise__in=scope).filter(term_q | Q(kbli_id__in=kbli_ids))
    for eid, name in products.values_list("enterprise_id", "name"):
        reasons[eid].append(name)
    if not reasons:
        return []
    enterprises = list(scope.filter(pk__in=list(reasons)).select_related("region"))
    codes = {c for e in enterprises for c in e.region.ancestor_codes()}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    permits: dict[int, list[str]] = defaultdict(list)
    for eid, kind in (
        Permit.objects.filter(enterprise__in=enterprises, status=Permit.Status.ACTIVE)
        .order_by("kind")
        .values_list("enterprise_id", "kind")
    ):
        if kind not in permits[eid]:
            permits[eid].append(kind)
    mlat, mlng = float(market.latitude), float(market.longitude)
    out = []
    for ent in enterprises:
        pos = _position(ent, regions)
        distance = (
            Decimal(repr(haversine_km(mlat, mlng, *pos))).quantize(TENTH, rounding=ROUND_HALF_UP)
            if pos
            else None
        )
        out.append(
            {
                "enterprise": ent,
                "distance_km": distance,
                "size_class": ent.size_class,
                "permits": permits[ent.pk],
                "matched_on": sorted(set(reasons[ent.pk])),
            }
        )
    out.sort(
        key=lambda c: (
            c["distance_km"] is None,
            c["distance_km"] or 0,
            c["enterprise"].name,
            c["enterprise"].pk,
        )
    )
    return out


def lead_list(*, user, market: int | None = None) -> list[dict[str, Any]]:
    """Return ``[{"market", "commodity", "candidates"}]`` for every Malaysian-origin item in scope."""
    return [
        {"market": m, "commodity": c, "candidates": candidates(user=user, commodity=c, market=m)}
        for m, c in malaysian_items(user=user, market=market)
    ]
