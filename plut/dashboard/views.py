"""The dashboard: the home page and the JSON feeds its map and chart read."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plut.dashboard import selectors

REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
# Longest list of regencies one price request may ask for (the province has 14).
MAX_PRICE_REGIONS = 20


def _geojson(payload) -> JsonResponse:
    response = JsonResponse(payload, content_type="application/geo+json")
    # Figures depend on the signed-in user's scope: never share a cached copy between users.
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the registry figures in the user's scope, the province map and the staple prices."""
    context = {
        "summary": selectors.registry_summary(user=request.user),
        "commodities": selectors.commodity_options(),
        "regencies": selectors.regency_options(),
        "default_commodity": selectors.DEFAULT_COMMODITY_SLUG,
        "price_source": selectors.PRICE_SOURCE,
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@login_required
def regencies_geojson(request: HttpRequest) -> JsonResponse:
    """Return the regencies/cities with the user's enterprise counts as GeoJSON."""
    return _geojson(selectors.regency_map(user=request.user))


@require_GET
@login_required
def districts_geojson(request: HttpRequest) -> JsonResponse:
    """Return the districts of ``?regency=61.03`` with the user's enterprise counts as GeoJSON."""
    regency = request.GET.get("regency", "")
    if not REGENCY_CODE.match(regency):
        return JsonResponse({"error": _("Give a regency code such as 61.03.")}, status=400)
    return _geojson(selectors.district_map(user=request.user, regency_code=regency))


@require_GET
@login_required
def posts_geojson(request: HttpRequest) -> JsonResponse:
    """Return the PLBN border posts as GeoJSON points."""
    return _geojson(selectors.border_posts())


@require_GET
@login_required
def prices_json(request: HttpRequest) -> JsonResponse:
    """Return the monthly prices of ``?commodity=<slug>`` for ``?regions=61.01,61.71``."""
    slug = request.GET.get("commodity", selectors.DEFAULT_COMMODITY_SLUG)
    raw = request.GET.get("regions", "")
    codes = [c for c in (s.strip() for s in raw.split(",")) if c] or list(selectors.DEFAULT_PRICE_REGIONS)
    if len(codes) > MAX_PRICE_REGIONS or not all(REGENCY_CODE.match(c) for c in codes):
        message = _("Give at most %(max)d regency codes, such as 61.01,61.71.") % {"max": MAX_PRICE_REGIONS}
        return JsonResponse({"error": message}, status=400)
    series = selectors.price_series(commodity_slug=slug, region_codes=codes)
    if series is None:
        return JsonResponse({"error": _("Unknown commodity.")}, status=404)
    return JsonResponse(series)
