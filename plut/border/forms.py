"""Forms of the border pages (validation of shapes only; rules live in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.border.models import Availability, CrossBorderSale, Currency, Market, Origin
from plut.reference.models import Commodity

BLANK = [("", "—")]


class SurveyForm(forms.Form):
    market = forms.ModelChoiceField(queryset=Market.objects.none(), label=_("Market"))
    surveyed_on = forms.DateField(
        label=_("Survey date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, markets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if markets is not None:
            self.fields["market"].queryset = markets


class ObservationForm(forms.Form):
    commodity = forms.ModelChoiceField(
        queryset=Commodity.objects.none(), label=_("Commodity"), required=False
    )

    def __init__(self, *args, **kwargs):
        from plut.border.selectors import commodity_queryset

        super().__init__(*args, **kwargs)
        self.fields["commodity"].queryset = commodity_queryset()

    brand = forms.CharField(label=_("Brand"), required=False, max_length=128)
    origin = forms.ChoiceField(label=_("Origin"), choices=BLANK + Origin.choices, required=False)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=16)
    price = forms.DecimalField(label=_("Price"), required=False, min_value=0, decimal_places=2, max_digits=14)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=Currency.choices, initial=Currency.IDR, required=False
    )
    availability = forms.ChoiceField(
        label=_("Availability"), choices=Availability.choices, initial=Availability.AVAILABLE, required=False
    )
    paid_currency = forms.ChoiceField(
        label=_("Sampled transaction paid in"), choices=BLANK + Currency.choices, required=False
    )


ObservationFormSet = forms.formset_factory(ObservationForm, extra=6, max_num=60)


class PurchaseForm(forms.Form):
    goods = forms.CharField(label=_("Goods bought"), required=False, max_length=255)
    amount = forms.DecimalField(label=_("Amount this month"), required=False, min_value=0, decimal_places=2)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=Currency.choices, initial=Currency.MYR, required=False
    )


PurchaseFormSet = forms.formset_factory(PurchaseForm, extra=2, max_num=30)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX, XLS, ODS or CSV)"))
    commit = forms.BooleanField(label=_("Record the rows if none is rejected"), required=False)


class RateForm(forms.Form):
    on_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    idr_per_unit = forms.DecimalField(
        label=_("Rupiah per ringgit"), min_value=0, decimal_places=4, max_digits=12
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=128)


class SaleForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    period_start = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    product = forms.CharField(label=_("Product"), max_length=200)
    channel = forms.ChoiceField(label=_("Sold through"), choices=CrossBorderSale.Channel.choices)
    buyer = forms.CharField(label=_("Buyer"), required=False, max_length=200)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=2, max_digits=16)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    brand = forms.ChoiceField(label=_("Leaves the border"), choices=CrossBorderSale.Brand.choices)
    own_packaging = forms.BooleanField(label=_("In the maker's own packaging"), required=False)


class BasketWeightForm(forms.Form):
    commodity = forms.ModelChoiceField(
        queryset=Commodity.objects.filter(is_active=True).order_by("category", "name"), label=_("Commodity")
    )
    weight = forms.DecimalField(label=_("Weight"), min_value=0, decimal_places=3, max_digits=7)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class AllowanceForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount per person per month"), min_value=0, decimal_places=2, max_digits=12
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.MYR)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Legal source"), max_length=255)


WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class MarketForm(forms.Form):
    name = forms.CharField(label=_("Market name"), max_length=128)
    kind = forms.ChoiceField(label=_("Kind"), choices=Market.Kind.choices, initial=Market.Kind.BORDER)
    region_code = forms.RegexField(
        label=_("Village or district code (Kemendagri)"),
        regex=r"^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$",
        max_length=16,
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    market_days = forms.TypedMultipleChoiceField(
        label=_("Market days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
