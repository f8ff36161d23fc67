"""The versioned REST API at ``/api/v1/`` (django-ninja; OpenAPI at ``/api/v1/openapi.json``).

Transport only: every endpoint calls the same selectors and services as the web pages, so the
region scope of ``plut.accounts.scope`` applies unchanged.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI, Query, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, SessionAuth

from plut.accounts.services import api_token_user
from plut.api.schemas import (
    EnterpriseDetailOut,
    EnterpriseListOut,
    ErrorOut,
    RegionOut,
    ResolutionOut,
    SizeClassOut,
)
from plut.enterprises import selectors as enterprise_selectors
from plut.enterprises.sizeclass import SOURCES, Regime, classify
from plut.regions.models import Level, Region
from plut.regions.resolver import resolve_region


class TokenAuth(HttpBearer):
    """``Authorization: Bearer plut_…`` with a token from ``plut createtoken``."""

    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="plut API",
    version="1",
    description="Registry, regions and size-class API of the digital PLUT of Kalimantan Barat.",
    urls_namespace="api-v1",
)
AUTH = [TokenAuth(), SessionAuth()]


def _add_routers() -> None:
    from plut.api.border import router as border_router
    from plut.api.clinic import router as clinic_router
    from plut.api.imports import router as imports_router
    from plut.api.monitoring import router as monitoring_router
    from plut.api.programmes import router as programmes_router

    api.add_router("/imports", imports_router, auth=AUTH)
    api.add_router("/clinic", clinic_router, auth=AUTH)
    api.add_router("/border", border_router, auth=AUTH)
    api.add_router("/programmes", programmes_router, auth=AUTH)
    api.add_router("/monitoring", monitoring_router, auth=AUTH)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    # The service's own reason when it gave one (already translated), else a generic one.
    detail = str(exc) if str(exc) else gettext("Permission denied.")
    return api.create_response(request, {"detail": detail}, status=403)


def _region_out(r: Region) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "kind": r.kind,
        "parent_code": r.code.rsplit(".", 1)[0] if "." in r.code else None,
        "bps_code": r.bps_code,
        "is_active": r.retired_in_id is None,
    }


class RegionFilter(Schema):
    level: int | None = None
    parent: str | None = None
    include_retired: bool = False


@api.get("/regions", response=list[RegionOut], tags=["regions"], summary="List regions by level or parent")
@paginate(LimitOffsetPagination)
def regions_list(request, filters: Query[RegionFilter]):
    qs = Region.objects.all()
    if not filters.include_retired:
        qs = qs.filter(retired_in__isnull=True)
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    return qs.order_by("code")


@api.get(
    "/regions/resolve",
    response=ResolutionOut,
    tags=["regions"],
    summary="Resolve a typed region name or code to a region, with a confidence",
)
def regions_resolve(request, name: str, level: int | None = None, within: str | None = None):
    result = resolve_region(name, level=Level(level) if level else None, within=within or None)
    return {
        "query": name,
        "status": result.status,
        "confidence": result.confidence,
        "matched_on": result.matched_on,
        "region": _region_out(result.region) if result.region else None,
        "candidates": [_region_out(c) for c in result.candidates],
    }


@api.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut}, tags=["regions"], summary="One region")
def regions_detail(request, code: str):
    region = Region.objects.filter(code=code).first()
    if region is None:
        return Status(404, {"detail": "No region has this code."})
    return _region_out(region)


@api.get(
    "/size-class",
    response={200: SizeClassOut, 422: ErrorOut},
    tags=["size class"],
    summary="Compute a size class",
)
def size_class(
    request,
    capital_idr: int | None = None,
    annual_sales_idr: int | None = None,
    regime: Regime = Regime.PP_7_2021,
):
    """Classify from capital and/or annual sales in integer rupiah (PP 7/2021 art. 35 or UU 20/2008 art. 6)."""
    try:
        result = classify(capital_idr=capital_idr, annual_sales_idr=annual_sales_idr, regime=regime)
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    if result is None:
        return {"size_class": None, "basis": None, "regime": regime.value, "source": SOURCES[Regime(regime)]}
    return {
        "size_class": result.size_class.value,
        "basis": result.basis.value,
        "regime": result.regime.value,
        "source": result.source,
    }


def _enterprise_out(e) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "owner_name": e.owner.full_name,
        "region_code": e.region.code,
        "regency_code": e.regency_code,
        "district_code": e.district_code,
        "is_border": e.is_border,
        "kbli_section": e.kbli_section,
        "primary_kbli": e.primary_kbli.code if e.primary_kbli_id else None,
        "size_class": e.size_class,
        "has_nib": e.has_nib,
        "sells_cross_border": e.sells_cross_border,
        "is_synthetic": e.is_synthetic,
    }


class EnterpriseFilterIn(Schema):
    q: str | None = None
    regency: str | None = None
    district: str | None = None
    border: bool | None = None
    kbli_section: str | None = None
    size_class: str | None = None
    has_nib: bool | None = None
    sells_cross_border: bool | None = None


@api.get(
    "/enterprises",
    response=list[EnterpriseListOut],
    auth=AUTH,
    tags=["registry"],
    summary="List enterprises in scope",
)
@paginate(LimitOffsetPagination)
def enterprises_list(request, filters: Query[EnterpriseFilterIn]):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    qs = enterprise_selectors.enterprise_list(user=request.user, filters=data)
    return qs


@api.get(
    "/enterprises/{pk}",
    response={200: EnterpriseDetailOut, 404: ErrorOut},
    auth=AUTH,
    tags=["registry"],
    summary="One enterprise in scope",
)
def enterprises_detail(request, pk: int):
    try:
        e = enterprise_selectors.get_enterprise_for_user(user=request.user, pk=pk)
    except Http404:
        return Status(404, {"detail": "No enterprise found."})
    out = _enterprise_out(e)
    out.update(
        nib=e.nib,
        npwp=e.npwp,
        owner_nik_masked=e.owner.nik_masked,
        address=e.address,
        latitude=float(e.latitude) if e.latitude is not None else None,
        longitude=float(e.longitude) if e.longitude is not None else None,
        cross_border_brand=e.cross_border_brand,
        kbli_codes=list(e.enterprisekbli_set.values_list("kbli__code", flat=True)),
        figures=list(e.figures.order_by("as_of", "id").values()),
        permits=list(e.permits.values()),
        products=list(e.products.values()),
    )
    return out


_add_routers()
