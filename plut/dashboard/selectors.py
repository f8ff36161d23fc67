"""Reads behind the dashboard: registry figures (always through the enterprise scope) and reference data.

Every enterprise figure comes from :func:`plut.enterprises.selectors.enterprise_counts`, so a user
never sees a count outside their scope. A region outside the scope has ``count = None`` (not 0):
"not yours to see" must never read as "no enterprises".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, TypedDict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.accounts.models import Role
from plut.accounts.scope import region_paths
from plut.enterprises.selectors import enterprise_counts
from plut.enterprises.sizeclass import SizeClass
from plut.reference.models import Commodity, StaplePrice
from plut.regions.models import BorderPost, Boundary, Level, Region
from plut.regions.selectors import border_district_codes

# The five regencies on the land border with Sarawak (MISSION.md), and Kota Pontianak, the
# provincial capital, as the default comparison in the price chart.
BORDER_REGENCY_CODES = ("61.01", "61.07", "61.03", "61.05", "61.06")
PONTIANAK_CODE = "61.71"
DEFAULT_PRICE_REGIONS = (*BORDER_REGENCY_CODES, PONTIANAK_CODE)
DEFAULT_COMMODITY_SLUG = "beras-premium"
PRICE_SOURCE = _("Panel Harga Pangan Nasional, Badan Pangan Nasional; gaps imputed by the republisher")


class RegencyProperties(TypedDict):
    code: str
    name: str
    count: int | None
    is_border_regency: bool


class DistrictProperties(TypedDict):
    code: str
    name: str
    count: int | None
    is_border_district: bool


class RegionFeature(TypedDict):
    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any]
    properties: RegencyProperties | DistrictProperties


class RegionCollection(TypedDict):
    type: Literal["FeatureCollection"]
    features: list[RegionFeature]
    max_count: int


class PointGeometry(TypedDict):
    type: Literal["Point"]
    coordinates: list[float]


class PostProperties(TypedDict):
    name: str
    status: str
    status_label: str
    regency_code: str
    district_code: str
    region_name: str
    malaysia_counterpart: str
    coord_basis: str


class PostFeature(TypedDict):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: PostProperties


class PostCollection(TypedDict):
    type: Literal["FeatureCollection"]
    features: list[PostFeature]


class PriceLine(TypedDict):
    code: str
    name: str
    values: list[float | int | None]


class PriceSeries(TypedDict):
    commodity: dict[str, str]
    unit: str
    months: list[str]
    series: list[PriceLine]
    source: str


class CountRow(TypedDict):
    key: str
    label: str
    count: int


class RegistrySummary(TypedDict):
    visible: bool
    total: int
    province_wide: bool
    by_regency: list[CountRow]
    by_border: list[CountRow]
    by_size: list[CountRow]


def _scope_paths(user) -> list[str] | None:
    """Return the region paths ``user``'s scope is limited to, ``None`` for the whole province."""
    role = Role(user.role)
    if role.is_province_wide:
        return None
    if role.is_region_scoped:
        return region_paths(user)
    return []


def _in_scope(path: str, scope: list[str] | None) -> bool:
    """Return True when the region with ``path`` overlaps the scope (contains it or lies in it)."""
    if scope is None:
        return True
    return any(path.startswith(p) or p.startswith(path) for p in scope)


def _count(code: str, path: str, counts: dict[str, int], scope: list[str] | None) -> int | None:
    # Regions holding the user's own records (entrepreneurs) count even without a region scope.
    if code in counts or _in_scope(path, scope):
        return counts.get(code, 0)
    return None


def _border_regency_codes(district_codes: set[str]) -> set[str]:
    return {code.rsplit(".", 1)[0] for code in district_codes}


def _collection(
    boundaries, counts: dict[str, int], scope: list[str] | None, border_codes: set[str], *, level: Level
) -> RegionCollection:
    features: list[RegionFeature] = []
    for boundary in boundaries:
        region = boundary.region
        count = _count(region.code, region.path, counts, scope)
        is_border = region.code in border_codes
        properties: RegencyProperties | DistrictProperties
        if level == Level.REGENCY:
            properties = {
                "code": region.code,
                "name": region.name,
                "count": count,
                "is_border_regency": is_border,
            }
        else:
            properties = {
                "code": region.code,
                "name": region.name,
                "count": count,
                "is_border_district": is_border,
            }
        features.append(
            {"type": "Feature", "id": region.code, "geometry": boundary.geometry, "properties": properties}
        )
    max_count = max((f["properties"]["count"] or 0 for f in features), default=0)
    return {"type": "FeatureCollection", "features": features, "max_count": max_count}


def _boundaries(q: Q):
    return (
        Boundary.objects.filter(q, region__retired_in__isnull=True)
        .select_related("region")
        .only("geometry", "region__code", "region__name", "region__path")
        .order_by("region__code")
    )


def regency_map(*, user) -> RegionCollection:
    """Return the regencies/cities as a GeoJSON FeatureCollection with the user's enterprise counts.

    ``is_border_regency`` marks the regencies with at least one border district.
    """
    scope = _scope_paths(user)
    counts = {row["regency_code"]: row["n"] for row in enterprise_counts(user=user, by="regency_code")}
    border = _border_regency_codes(set(border_district_codes()))
    return _collection(
        _boundaries(Q(region__level=Level.REGENCY)), counts, scope, border, level=Level.REGENCY
    )


def district_map(*, user, regency_code: str) -> RegionCollection:
    """Return the districts of one regency as a GeoJSON FeatureCollection with the user's counts.

    ``is_border_district`` marks the districts touching Sarawak today.
    """
    scope = _scope_paths(user)
    prefix = regency_code + "."
    counts = {
        row["district_code"]: row["n"]
        for row in enterprise_counts(user=user, by="district_code")
        if row["district_code"].startswith(prefix)
    }
    border = set(border_district_codes())
    q = Q(region__level=Level.DISTRICT, region__path__startswith=prefix)
    return _collection(_boundaries(q), counts, scope, border, level=Level.DISTRICT)


def border_posts() -> PostCollection:
    """Return the PLBN border posts valid today as GeoJSON points (the coordinates are approximate)."""
    today = timezone.localdate()
    posts = (
        BorderPost.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("region")
        .order_by("name")
    )
    features: list[PostFeature] = []
    for post in posts:
        code = post.region.code
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [post.lng, post.lat]},
                "properties": {
                    "name": post.name,
                    "status": post.status,
                    "status_label": str(post.get_status_display()),
                    "regency_code": code[:5],
                    "district_code": code[:8],
                    "region_name": post.region.name,
                    "malaysia_counterpart": post.malaysia_counterpart,
                    "coord_basis": post.coord_basis,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def regency_options() -> list[dict[str, Any]]:
    """Return the active regencies/cities as ``{code, name, is_default}`` for the price chart."""
    regions = Region.objects.filter(level=Level.REGENCY, retired_in__isnull=True).order_by("code")
    return [
        {"code": r.code, "name": r.name, "is_default": r.code in DEFAULT_PRICE_REGIONS}
        for r in regions.only("code", "name")
    ]


def commodity_options() -> list[Commodity]:
    """Return the commodities with a price series, by name."""
    return list(Commodity.objects.order_by("name"))


def unit_label(unit: str) -> str:
    """Return the price unit as shown beside a price, e.g. "Rp/kg"."""
    return f"Rp/{unit}"


def _number(value: Decimal) -> float | int:
    # Most prices are whole rupiah; a few imputed ones are not, and keep their decimals.
    return int(value) if value == value.to_integral_value() else float(value)


def price_series(*, commodity_slug: str, region_codes: list[str] | tuple[str, ...]) -> PriceSeries | None:
    """Return the monthly price series of one commodity for the given regencies, ``None`` if unknown.

    ``months`` is the union of the months with a price, ``YYYY-MM``; each line has one value per
    month (``None`` where that regency has no price). Lines follow the order of ``region_codes``.
    """
    commodity = Commodity.objects.filter(slug=commodity_slug).first()
    if commodity is None:
        return None
    regions = {r.code: r for r in Region.objects.filter(code__in=region_codes).only("code", "name")}
    prices = (
        StaplePrice.objects.filter(commodity=commodity, region__code__in=list(regions))
        .values_list("region__code", "month", "price_idr")
        .order_by("month")
    )
    by_region: dict[str, dict[str, float | int]] = {code: {} for code in regions}
    months: set[str] = set()
    for code, month, price in prices:
        key = month.strftime("%Y-%m")
        months.add(key)
        by_region[code][key] = _number(price)
    axis = sorted(months)
    series: list[PriceLine] = [
        {"code": code, "name": regions[code].name, "values": [by_region[code].get(m) for m in axis]}
        for code in dict.fromkeys(region_codes)
        if code in regions
    ]
    return {
        "commodity": {"slug": commodity.slug, "name": commodity.name, "unit": commodity.unit},
        "unit": unit_label(commodity.unit),
        "months": axis,
        "series": series,
        "source": str(PRICE_SOURCE),
    }


def registry_summary(*, user) -> RegistrySummary:
    """Return the enterprise counts of the home page (by regency, border or not, size class) in scope."""
    role = Role(user.role)
    if not role.can_view_registry:
        return {
            "visible": False,
            "total": 0,
            "province_wide": False,
            "by_regency": [],
            "by_border": [],
            "by_size": [],
        }
    scope = _scope_paths(user)
    regency_counts = {r["regency_code"]: r["n"] for r in enterprise_counts(user=user, by="regency_code")}
    by_regency: list[CountRow] = []
    regencies = Region.objects.filter(level=Level.REGENCY, retired_in__isnull=True).order_by("code")
    for region in regencies.only("code", "name", "path"):
        count = _count(region.code, region.path, regency_counts, scope)
        if count is not None:
            by_regency.append({"key": region.code, "label": region.name, "count": count})
    border = {r["is_border"]: r["n"] for r in enterprise_counts(user=user, by="is_border")}
    by_border: list[CountRow] = [
        {"key": "border", "label": str(_("Enterprises in border districts")), "count": border.get(True, 0)},
        {"key": "inland", "label": str(_("Enterprises in other districts")), "count": border.get(False, 0)},
    ]
    sizes = {r["size_class"]: r["n"] for r in enterprise_counts(user=user, by="size_class")}
    by_size: list[CountRow] = [
        {"key": value, "label": str(label), "count": sizes.get(value, 0)}
        for value, label in SizeClass.choices
    ]
    if sizes.get(""):
        by_size.append({"key": "", "label": str(_("Not yet classified")), "count": sizes[""]})
    return {
        "visible": True,
        "total": sum(regency_counts.values()),
        "province_wide": scope is None,
        "by_regency": by_regency,
        "by_border": by_border,
        "by_size": by_size,
    }
