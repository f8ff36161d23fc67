"""Border pages: the dashboard, the survey form and import, rates, cross-border sales, leads.

Thin: each view reads a form, calls one service or selector, and renders or redirects.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plut.accounts.models import Role
from plut.border import access, exports, matching, selectors, services
from plut.border.forms import (
    AllowanceForm,
    BasketWeightForm,
    MarketForm,
    ObservationFormSet,
    PurchaseFormSet,
    RateForm,
    SaleForm,
    SurveyForm,
    UploadForm,
)
from plut.border.imports import rates_import, surveys_import
from plut.border.models import BasketWeight, Market, TradeAllowance
from plut.dashboard.selectors import DEFAULT_PRICE_REGIONS, commodity_options
from plut.enterprises.selectors import enterprise_scope, get_enterprise_for_user
from plut.imports.types import ImportFileError
from plut.regions.models import Region

MONTH = re.compile(r"^\d{4}-\d{2}$")


def _month(request) -> str | None:
    month = request.GET.get("month", "")
    return month if MONTH.match(month) else None


def _view(request) -> None:
    access.require_view(request.user)


@login_required
@require_GET
def dashboard(request):
    """The border dashboard: map, trends, indicator tables and the lists."""
    _view(request)
    user = request.user
    month = _month(request)
    context = {
        "month": month,
        "by_district": selectors.indicators(user=user, by="district", month=month),
        "by_market": selectors.indicators(user=user, by="market", month=month),
        "beside": selectors.prices_beside_bapanas(user=user, month=month),
        "own_brand": selectors.own_brand_share(user=user),
        "branding": selectors.branding_list(user=user),
        "over_allowance": selectors.purchases_over_allowance(user=user),
        "allowance": selectors.allowance_on(timezone.localdate()),
        "markets": selectors.market_scope(user).select_related("region"),
        "rates": selectors.rate_list()[:5],
        "commodities": commodity_options(),
        "price_regions": ",".join(DEFAULT_PRICE_REGIONS),
        "can_refer": Role(user.role) in {Role.OFFICE_ADMIN, Role.CONSULTANT},
        "can_survey": Role(user.role) in access.SURVEY_ROLES,
        "is_admin": Role(user.role) == Role.OFFICE_ADMIN,
    }
    return render(request, "border/dashboard.html", context)


@login_required
@require_GET
def districts_geojson(request):
    _view(request)
    response = JsonResponse(selectors.dependency_map(user=request.user, month=_month(request)))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def markets_geojson(request):
    _view(request)
    return JsonResponse(selectors.markets_geojson(user=request.user))


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@login_required
@require_GET
def trend_json(request):
    """Monthly dependency index, weighted index, rupiah share and availability gap (percent)."""
    _view(request)
    filters = {k: request.GET[k] for k in ("regency", "district") if request.GET.get(k)}
    rows = selectors.indicators(user=request.user, by="month", **filters)
    return JsonResponse(
        {
            "months": [r["key"] for r in rows],
            "dependency": [_float(r["dependency"]["value"]) for r in rows],
            "weighted_dependency": [_float(r["weighted_dependency"]["value"]) for r in rows],
            "rupiah_share": [_float(r["rupiah_share"]["value"]) for r in rows],
            "availability_gap": [_float(r["availability_gap"]["value"]) for r in rows],
        }
    )


@login_required
@require_GET
def indicators_xlsx(request):
    _view(request)
    by = request.GET.get("by", "district")
    if by not in selectors.BY_CHOICES:
        by = "district"
    rows = selectors.indicators(user=request.user, by=by, month=_month(request))
    response = HttpResponse(exports.indicators_xlsx(rows, by=by), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="indikator-perbatasan-{by}.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------
# Surveys


def _observations(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("commodity")]


def _purchases(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("amount")]


@login_required
def survey_new(request):
    """The phone form: one market visit with up to six commodities per page and reported purchases."""
    _view(request)
    markets = selectors.market_scope(request.user)
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, markets=markets)
    items = ObservationFormSet(data, prefix="obs")
    purchases = PurchaseFormSet(data, prefix="buy")
    errors: list[str] = []
    if data is not None and form.is_valid() and items.is_valid() and purchases.is_valid():
        try:
            survey = services.survey_record(
                actor=request.user,
                market=form.cleaned_data["market"],
                surveyed_on=form.cleaned_data["surveyed_on"],
                observations=_observations(items),
                purchases=_purchases(purchases),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors = [f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms]
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(
                request,
                _("The survey of %(market)s on %(date)s is recorded.")
                % {"market": survey.market.name, "date": survey.surveyed_on.isoformat()},
            )
            return redirect("border:dashboard")
    status = 400 if data is not None else 200
    context = {"form": form, "items": items, "purchases": purchases, "errors": errors}
    return render(request, "border/survey_form.html", context, status=status)


@login_required
def survey_list(request):
    _view(request)
    surveys = selectors.survey_list(user=request.user, month=_month(request))[:200]
    return render(request, "border/survey_list.html", {"surveys": surveys})


@login_required
def survey_detail(request, pk: int):
    """One survey: every observation with its price, currency, the rate used and its date, and rupiah."""
    _view(request)
    survey = selectors.get_survey_for_user(user=request.user, pk=pk)
    context = {
        "survey": survey,
        "observations": survey.observations.select_related("commodity").order_by("id"),
        "purchases": survey.purchases.order_by("id"),
    }
    return render(request, "border/survey_detail.html", context)


@login_required
@require_GET
def survey_template(request):
    """The workbook enumerators fill in for the survey import, with the markets in the user's scope."""
    _view(request)
    markets = list(selectors.market_scope(request.user).values_list("name", flat=True))
    commodities = selectors.commodity_choices()
    body = exports.survey_template_xlsx(markets=markets, commodities=commodities)
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-survei-pasar.xlsx"'
    return response


@login_required
def survey_import(request):
    """Upload a survey spreadsheet: a dry run shows every error; ``commit`` records if none."""
    _view(request)
    return _upload(request, surveys_import, "border/import.html", _("Import market surveys"))


def _upload(request, run, template: str, title: str):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run(
                actor=request.user,
                source=upload.file,
                filename=upload.name,
                commit=form.cleaned_data["commit"],
            )
        except ImportFileError as exc:
            result = {
                "ok": False,
                "committed": False,
                "errors": [p.as_dict() for p in exc.problems],
                "warnings": [],
            }
    return render(request, template, {"form": form, "result": result, "title": title})


# ---------------------------------------------------------------------------------------------
# Rates


@login_required
def rates(request):
    """List the rates; an office administrator enters one or imports a CSV."""
    _view(request)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The rate is recorded."))
            return redirect("border:rates")
    context = {
        "form": form,
        "rates": selectors.rate_list()[:100],
        "is_admin": Role(request.user.role) == Role.OFFICE_ADMIN,
    }
    return render(request, "border/rates.html", context)


@login_required
def rates_upload(request):
    _view(request)
    access.require_office_admin(request.user)
    return _upload(request, rates_import, "border/import.html", _("Import exchange rates"))


# ---------------------------------------------------------------------------------------------
# Cross-border sales, branding referrals, leads


@login_required
def sale_new(request, enterprise_id: int):
    _view(request)
    enterprise = get_enterprise_for_user(user=request.user, pk=enterprise_id, rw=True)
    form = SaleForm(request.POST or None, initial={"enterprise": enterprise.pk})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        try:
            services.cross_border_sale_record(actor=request.user, enterprise=enterprise, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cross-border sale is recorded."))
            return redirect("border:dashboard")
    return render(request, "border/sale_form.html", {"form": form, "enterprise": enterprise})


@login_required
@require_POST
def branding_refer(request, enterprise_id: int):
    """Open a clinic case for an enterprise of the branding list and go to the case."""
    _view(request)
    enterprise = enterprise_scope(request.user).filter(pk=enterprise_id).first()
    row = next(
        (r for r in selectors.branding_list(user=request.user) if r["enterprise"].pk == enterprise_id), None
    )
    if enterprise is None or row is None:
        messages.error(request, _("This enterprise is not on your branding list."))
        return redirect("border:dashboard")
    if row["case"] is not None:
        return redirect("clinic:case", pk=row["case"].pk)
    case = services.branding_referral_create(
        actor=request.user, enterprise=enterprise, missing=row["missing"]
    )
    messages.success(request, _("Clinic case %(number)s is opened.") % {"number": case.number})
    return redirect("clinic:case", pk=case.pk)


@login_required
@require_GET
def leads(request):
    _view(request)
    market = request.GET.get("market")
    items = matching.lead_list(user=request.user, market=int(market) if market and market.isdigit() else None)
    return render(request, "border/leads.html", {"leads": items})


@login_required
@require_GET
def leads_xlsx(request):
    _view(request)
    items = matching.lead_list(user=request.user)
    response = HttpResponse(exports.leads_xlsx(items), content_type=exports.XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="leads-substitusi-impor-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@login_required
@require_GET
def branding_xlsx(request):
    _view(request)
    rows = selectors.branding_list(user=request.user)
    response = HttpResponse(exports.branding_xlsx(rows), content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="daftar-penguatan-merek.xlsx"'
    return response


@login_required
def settings_page(request):
    """The office administrator's border configuration: basket weights, the allowance, markets."""
    _view(request)
    access.require_office_admin(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    forms_ = {
        "weight": BasketWeightForm(request.POST if action == "weight" else None, prefix="weight"),
        "allowance": AllowanceForm(request.POST if action == "allowance" else None, prefix="allowance"),
        "market": MarketForm(request.POST if action == "market" else None, prefix="market"),
    }
    form = forms_.get(action or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "weight":
                services.basket_weight_set(actor=request.user, **data)
            elif action == "allowance":
                services.allowance_set(actor=request.user, **data)
            else:
                region = Region.objects.filter(code=data.pop("region_code")).first()
                if region is None:
                    raise ValidationError({"region_code": _("No region has this code.")})
                services.market_create(actor=request.user, region=region, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The border configuration is saved."))
            return redirect("border:settings")
    context = {
        **{f"{k}_form": v for k, v in forms_.items()},
        "weights": BasketWeight.objects.select_related("commodity").order_by(
            "commodity__name", "-valid_from"
        ),
        "allowances": TradeAllowance.objects.all(),
        "markets": Market.objects.select_related("region").order_by("regency_code", "name"),
    }
    return render(
        request, "border/settings.html", context, status=400 if action and form and form.errors else 200
    )
