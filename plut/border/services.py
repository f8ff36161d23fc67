"""Writes of the border economy. Each function validates, saves and writes one audit row.

Errors: ``ValidationError`` naming the field (and, for a missing exchange rate, the date: see
``plut.border.rates``); ``PermissionDenied`` outside the actor's role or scope (``plut.border.access``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plut.border import access
from plut.border.models import (
    Availability,
    BasketWeight,
    BorderPurchase,
    BrandingReferral,
    CrossBorderSale,
    Currency,
    ExchangeRate,
    Market,
    Observation,
    Origin,
    Survey,
    TradeAllowance,
)
from plut.border.rates import RateMissing, to_ringgit, to_rupiah
from plut.core.services import audit_log_write
from plut.lib.errors import ValueRejected, lazy_message
from plut.reference.models import Commodity
from plut.regions.models import BorderPost, Level, Region

# Border Trade Agreement between the Republic of Indonesia and Malaysia, signed in Jakarta on
# 24 August 1970: a border-pass holder may buy up to RM600 a month across the border.
ALLOWANCE_1970 = {
    "amount": Decimal("600.00"),
    "currency": Currency.MYR,
    "valid_from": dt.date(1970, 8, 24),
    "source": "Border Trade Agreement Indonesia–Malaysia, Jakarta, 24 August 1970 (RM600 per person per month)",
}
ISO_WEEKDAYS = range(1, 8)


class FieldRejected(ValueRejected):
    """A rejected value of one field (``field``); the import turns it into a row/column problem."""

    def __init__(self, field: str, code: str, message, value: str):
        super().__init__(code, message, value)
        self.field = field


def _region_codes(region: Region) -> tuple[str, str]:
    codes = region.ancestor_codes()
    return (codes[2] if len(codes) > 2 else ""), (codes[1] if len(codes) > 1 else "")


# ---------------------------------------------------------------------------------------------
# Markets


@transaction.atomic
def market_create(
    *,
    actor,
    name: str,
    region: Region,
    latitude: Decimal,
    longitude: Decimal,
    kind: str = Market.Kind.BORDER,
    market_days: Iterable[int] = (),
    border_post: BorderPost | None = None,
    coord_basis: str = "",
) -> Market:
    """Create a market in a district or village (GPS in WGS84 decimal degrees; days ISO 1–7)."""
    if actor is not None:
        access.require_survey_writer(actor, region.path)
    if region.level < Level.DISTRICT:
        raise ValidationError({"region": _("Choose the district or village of the market.")})
    days = sorted(set(market_days))
    if any(d not in ISO_WEEKDAYS for d in days):
        raise ValidationError(
            {"market_days": _("Market days are weekday numbers from 1 (Monday) to 7 (Sunday).")}
        )
    district, regency = _region_codes(region)
    market = Market(
        name=name.strip(),
        kind=kind,
        region=region,
        region_path=region.path,
        district_code=district,
        regency_code=regency,
        latitude=latitude,
        longitude=longitude,
        market_days=days,
        border_post=border_post,
        coord_basis=coord_basis,
    )
    market.full_clean()
    market.save()
    audit_log_write(actor=actor, action="border.market.create", target=market, data={"region": region.code})
    return market


@transaction.atomic
def border_seed(*, actor=None) -> dict[str, int]:
    """Load the Perpres commodities, a market at every PLBN post and the 1970 allowance; idempotent.

    The market of a post is placed at the post's coordinates (the label point of its host village or
    district, as the post table says: not the market building). Returns counts of what was created.
    """
    from plut.reference.services import commodities_load

    commodities_load()
    created = 0
    for post in BorderPost.objects.select_related("region").order_by("name"):
        name = f"Pasar {post.name}"  # a proper name, not translated
        if Market.objects.filter(border_post=post).exists() or Market.objects.filter(name=name).exists():
            continue
        market_create(
            actor=None,
            name=name,
            region=post.region,
            latitude=Decimal(str(round(post.lat, 6))),
            longitude=Decimal(str(round(post.lng, 6))),
            kind=Market.Kind.PLBN,
            border_post=post,
            coord_basis=post.coord_basis,
        )
        created += 1
    allowance = 0
    if not TradeAllowance.objects.exists():
        TradeAllowance.objects.create(**ALLOWANCE_1970)
        allowance = 1
    return {"markets": created, "allowances": allowance, "market_total": Market.objects.count()}


# ---------------------------------------------------------------------------------------------
# Configuration: rates, basket, allowance


@transaction.atomic
def rate_record(
    *, actor, on_date: dt.date, idr_per_unit: Decimal, currency: str = Currency.MYR, source: str = ""
) -> ExchangeRate:
    """Record (or correct) the IDR rate of one unit of ``currency`` on ``on_date``.

    Stored amounts keep the rate they were converted at; a correction applies to later entries.
    Raises ``ValidationError`` for a rate that is not positive.
    """
    access.require_office_admin(actor)
    if idr_per_unit is None or idr_per_unit <= 0:
        raise ValidationError({"idr_per_unit": _("The rate must be a positive number of rupiah.")})
    rate = ExchangeRate.objects.filter(currency=currency, on_date=on_date).first()
    before = str(rate.idr_per_unit) if rate else None
    rate = rate or ExchangeRate(currency=currency, on_date=on_date, created_by=actor)
    rate.idr_per_unit, rate.source = idr_per_unit, source
    rate.full_clean()
    rate.save()
    audit_log_write(
        actor=actor,
        action="border.rate.record",
        target=rate,
        data={"date": on_date.isoformat(), "before": before, "after": str(idr_per_unit)},
    )
    return rate


@transaction.atomic
def basket_weight_set(*, actor, commodity: Commodity, weight: Decimal, valid_from: dt.date) -> BasketWeight:
    """Give ``commodity`` a weight in the dependency basket from ``valid_from`` (closes the previous one)."""
    access.require_office_admin(actor)
    if weight < 0:
        raise ValidationError({"weight": _("A basket weight cannot be negative.")})
    previous = BasketWeight.objects.filter(commodity=commodity, valid_to__isnull=True).first()
    if previous is not None:
        if previous.valid_from >= valid_from:
            raise ValidationError({"valid_from": _("The new weight must start after the current one.")})
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    item = BasketWeight(commodity=commodity, weight=weight, valid_from=valid_from)
    item.full_clean()
    item.save()
    audit_log_write(actor=actor, action="border.basket.set", target=item, data={"weight": str(weight)})
    return item


@transaction.atomic
def allowance_set(
    *, actor, amount: Decimal, currency: str, valid_from: dt.date, source: str
) -> TradeAllowance:
    """Set a new border-trade allowance per person per month from ``valid_from`` (closes the previous one)."""
    access.require_office_admin(actor)
    previous = TradeAllowance.objects.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if previous is not None:
        if previous.valid_from >= valid_from:
            raise ValidationError({"valid_from": _("The new allowance must start after the current one.")})
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    item = TradeAllowance(amount=amount, currency=currency, valid_from=valid_from, source=source)
    item.full_clean()
    item.save()
    audit_log_write(actor=actor, action="border.allowance.set", target=item, data={"amount": str(amount)})
    return item


# ---------------------------------------------------------------------------------------------
# Surveys


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        # Floats are never money: only text, int or Decimal are accepted.
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise FieldRejected(
            field,
            f"{field}.format",
            lazy_message(gettext_lazy("%(value)s is not a number."), value=value),
            str(value),
        ) from None
    if not number.is_finite() or number <= 0:
        raise FieldRejected(
            field, f"{field}.positive", gettext_lazy("The amount must be a positive number."), str(value)
        )
    return number


def build_observation(data: dict[str, Any], surveyed_on: dt.date) -> Observation:
    """Return an unsaved Observation from ``data`` (keys as the model's fields; ``commodity`` an instance).

    Raises :class:`FieldRejected` naming the field: a missing origin, price or currency of an item on
    sale, a price that is not a positive number, or a missing exchange rate (``rate.missing``, naming
    the survey date).
    """
    commodity: Commodity = data["commodity"]
    availability = data.get("availability") or Availability.AVAILABLE
    if availability not in Availability.values:
        raise FieldRejected(
            "availability", "availability.unknown", gettext_lazy("Unknown availability."), availability
        )
    obs = Observation(
        commodity=commodity,
        brand=(data.get("brand") or "").strip(),
        origin=data.get("origin") or "",
        unit=(data.get("unit") or commodity.unit).strip(),
        availability=availability,
        paid_currency=data.get("paid_currency") or "",
    )
    if obs.origin and obs.origin not in Origin.values:
        raise FieldRejected(
            "origin", "origin.unknown", gettext_lazy("Origin must be ID, MY or XX."), obs.origin
        )
    if obs.paid_currency and obs.paid_currency not in Currency.values:
        raise FieldRejected(
            "paid_currency",
            "currency.unknown",
            gettext_lazy("The currency must be IDR or MYR."),
            obs.paid_currency,
        )
    price = _decimal(data.get("price"), "price")
    currency = data.get("currency") or ""
    if availability == Availability.UNAVAILABLE:
        # Nothing on sale: a price or a paid transaction contradicts it (the origin, if known, is kept).
        if price is not None:
            raise FieldRejected(
                "price",
                "price.unavailable",
                gettext_lazy(
                    "An item that is not available has no price: clear the price or change the availability."
                ),
                str(data.get("price")),
            )
        if obs.paid_currency:
            raise FieldRejected(
                "paid_currency",
                "paid_currency.unavailable",
                gettext_lazy("An item that is not available has no transaction: clear its currency."),
                obs.paid_currency,
            )
        return obs
    if not obs.origin:
        raise FieldRejected(
            "origin", "origin.required", gettext_lazy("Give the origin of an item on sale."), ""
        )
    if price is None:
        raise FieldRejected("price", "price.required", gettext_lazy("Give the price of an item on sale."), "")
    if currency not in Currency.values:
        raise FieldRejected(
            "currency", "currency.unknown", gettext_lazy("The currency must be IDR or MYR."), currency
        )
    try:
        converted = to_rupiah(price, currency, surveyed_on)
    except RateMissing as exc:
        raise FieldRejected("currency", exc.code, exc.message, exc.value) from None
    obs.price, obs.currency = price, currency
    obs.rate, obs.rate_date, obs.price_idr = converted.rate, converted.rate_date, converted.amount_idr
    return obs


def build_purchase(data: dict[str, Any], surveyed_on: dt.date) -> BorderPurchase:
    """Return an unsaved BorderPurchase (amount in MYR or IDR) with its ringgit value; raise FieldRejected."""
    amount = _decimal(data.get("amount"), "amount")
    currency = data.get("currency") or ""
    if amount is None:
        raise FieldRejected("amount", "amount.required", gettext_lazy("Give the amount spent."), "")
    if currency not in Currency.values:
        raise FieldRejected(
            "currency", "currency.unknown", gettext_lazy("The currency must be IDR or MYR."), currency
        )
    try:
        myr, rate, rate_date = to_ringgit(amount, currency, surveyed_on)
    except RateMissing as exc:
        raise FieldRejected("currency", exc.code, exc.message, exc.value) from None
    return BorderPurchase(
        goods=(data.get("goods") or "").strip(),
        amount=amount,
        currency=currency,
        rate=rate,
        rate_date=rate_date,
        amount_myr=myr,
    )


def _as_validation_error(exc: FieldRejected, prefix: str) -> ValidationError:
    return ValidationError({f"{prefix}{exc.field}": ValidationError(str(exc.message), code=exc.code)})


@transaction.atomic
def survey_record(
    *,
    actor,
    market: Market,
    surveyed_on: dt.date,
    observations: Iterable[dict[str, Any]],
    purchases: Iterable[dict[str, Any]] = (),
    note: str = "",
    source: str = "form",
) -> Survey:
    """Record one market visit with its observations (and the purchases people reported).

    Every observation is checked by :func:`build_observation`; the first rejected one raises
    ``ValidationError`` keyed ``observations.<n>.<field>`` (n from 1) and nothing is saved.
    """
    access.require_survey_writer(actor, market.region_path)
    if surveyed_on > timezone.localdate():
        raise ValidationError({"surveyed_on": _("The survey date is in the future.")})
    built: list[Observation] = []
    for n, data in enumerate(observations, start=1):
        try:
            built.append(build_observation(data, surveyed_on))
        except FieldRejected as exc:
            raise _as_validation_error(exc, f"observations.{n}.") from None
    if not built:
        raise ValidationError({"observations": _("Record at least one commodity.")})
    bought: list[BorderPurchase] = []
    for n, data in enumerate(purchases, start=1):
        try:
            bought.append(build_purchase(data, surveyed_on))
        except FieldRejected as exc:
            raise _as_validation_error(exc, f"purchases.{n}.") from None
    survey = Survey(
        market=market,
        region_path=market.region_path,
        surveyed_on=surveyed_on,
        enumerator=actor,
        note=note.strip(),
        source=source,
    )
    survey.full_clean()
    survey.save()
    for obs in built:
        obs.survey = survey
    Observation.objects.bulk_create(built)
    for purchase in bought:
        purchase.survey = survey
    BorderPurchase.objects.bulk_create(bought)
    audit_log_write(
        actor=actor,
        action="border.survey.record",
        target=survey,
        data={"market": market.pk, "date": surveyed_on.isoformat(), "observations": len(built)},
    )
    return survey


# ---------------------------------------------------------------------------------------------
# Cross-border sales and branding referrals


@transaction.atomic
def cross_border_sale_record(
    *,
    actor,
    enterprise,
    period_start: dt.date,
    period_end: dt.date,
    product: str,
    channel: str,
    amount: Decimal,
    currency: str,
    brand: str,
    own_packaging: bool = False,
    buyer: str = "",
) -> CrossBorderSale:
    """Record an enterprise's sales across the border over a period; the amount is converted to rupiah
    at the rate for ``period_end`` (the rule of ``plut.border.rates``). Raises ``ValidationError``."""
    from plut.enterprises.selectors import get_enterprise_for_user

    get_enterprise_for_user(user=actor, pk=enterprise.pk, rw=True)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if currency not in Currency.values:
        raise ValidationError({"currency": _("The currency must be IDR or MYR.")})
    try:
        value = _decimal(amount, "amount")
        converted = to_rupiah(value, currency, period_end)
    except (FieldRejected, RateMissing) as exc:
        raise ValidationError(
            {getattr(exc, "field", "currency"): ValidationError(str(exc.message), code=exc.code)}
        ) from None
    sale = CrossBorderSale(
        enterprise=enterprise,
        region_path=enterprise.region_path,
        district_code=enterprise.district_code,
        period_start=period_start,
        period_end=period_end,
        product=product.strip(),
        channel=channel,
        buyer=buyer.strip(),
        amount=value,
        currency=currency,
        rate=converted.rate,
        rate_date=converted.rate_date,
        amount_idr=converted.amount_idr,
        brand=brand,
        own_packaging=own_packaging,
    )
    sale.full_clean()
    sale.save()
    if not enterprise.sells_cross_border:
        enterprise.sells_cross_border = True
        enterprise.save(update_fields=["sells_cross_border"])
    audit_log_write(
        actor=actor, action="border.sale.record", target=sale, data={"amount_idr": sale.amount_idr}
    )
    return sale


@dataclass(frozen=True)
class Gap:
    code: str
    label: str


GAP_LABELS = {
    "trademark": gettext_lazy("registered trademark"),
    "pirt_or_halal": gettext_lazy("P-IRT or halal certificate"),
    "own_packaging": gettext_lazy("own packaging"),
}


@transaction.atomic
def branding_referral_create(*, actor, enterprise, missing: list[str]):
    """Open a clinic case (channel "referral") for an exporting enterprise lacking ``missing`` items.

    Uses :func:`plut.clinic.services.case_open`, so only a consultant of the enterprise's regency or an
    office administrator may do it (``PermissionDenied`` otherwise). Returns the case.
    """
    from plut.clinic.models import Case
    from plut.clinic.services import case_open

    labels = ", ".join(str(GAP_LABELS[m]) for m in missing if m in GAP_LABELS)
    complaint = _(
        "Referred from the border branding list: the enterprise sells across the border but lacks: %(items)s."
    ) % {"items": labels or _("nothing recorded")}
    case = case_open(actor=actor, enterprise=enterprise, channel=Case.Channel.REFERRAL, complaint=complaint)
    BrandingReferral.objects.create(enterprise=enterprise, case=case, missing=list(missing), created_by=actor)
    audit_log_write(actor=actor, action="border.branding.refer", target=case, data={"missing": list(missing)})
    return case
