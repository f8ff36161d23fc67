"""Forms of the programme pages. They validate input only; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plut.clinic.forms import DATE, RupiahField
from plut.programmes.models import ApplicationScore, Programme, PromotionReport, Proposal


class ProposalForm(forms.Form):
    """A regency officer drafts a proposal for one of their regencies."""

    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=None)
    regency = forms.ModelChoiceField(queryset=None, label=_("Regency"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=255)
    location = forms.CharField(label=_("Location of the market"), max_length=255, required=False)
    requested_amount_idr = RupiahField(label=_("Amount requested (rupiah)"), required=False)

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            kind=Programme.Kind.MARKET_BUILDING, is_active=True
        )
        self.fields["regency"].queryset = regencies


class ProposalEditForm(forms.Form):
    """A draft's or returned proposal's own fields, with the version on screen."""

    title = forms.CharField(label=_("Title"), max_length=255)
    location = forms.CharField(label=_("Location of the market"), max_length=255, required=False)
    requested_amount_idr = RupiahField(label=_("Amount requested (rupiah)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    """One document of the checklist (a new version when one exists)."""

    item_code = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File (PDF)"))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [(i.code, i.label) for i in items]


class TransitionForm(forms.Form):
    """A move of the proposal, with the version on screen (the optimistic lock)."""

    to = forms.ChoiceField(choices=Proposal.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amount_idr = RupiahField(label=_("Approved amount (rupiah)"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutreachForm(forms.Form):
    """A socialisation event in a regency."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), label=_("Programme"), empty_label=None
    )
    regency = forms.ModelChoiceField(queryset=None, label=_("Regency"), empty_label=None)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    materials = forms.CharField(
        label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies


class ApplicationForm(forms.Form):
    """An application to a promotion call for an enterprise in the user's scope."""

    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    requested_amount_idr = RupiahField(label=_("Amount requested (rupiah)"))
    products = forms.CharField(
        label=_("Products to promote"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AwardForm(forms.Form):
    amount_idr = RupiahField(label=_("Amount awarded (rupiah)"))


class AttendeeForm(forms.Form):
    """A person at an outreach event, with their registry enterprise when there is one."""

    name = forms.CharField(label=_("Name"), max_length=255)
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise in the registry"), required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class ScoreForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=ApplicationScore.Criterion.choices)
    score = forms.IntegerField(label=_("Score (0-10)"), min_value=0, max_value=10)
    note = forms.CharField(label=_("Comment"), required=False)


class ReportForm(forms.Form):
    """The post-event report of an awarded application; ``rate_idr`` is rupiah per unit (1 for IDR)."""

    transactions = forms.IntegerField(label=_("Transactions"), min_value=0)
    buyers_met = forms.IntegerField(label=_("Buyers met"), min_value=0)
    buyer_countries = forms.CharField(label=_("Buyers' countries (ISO codes, e.g. ID, MY)"), max_length=255)
    sales_amount = forms.DecimalField(label=_("Sales"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=PromotionReport.Currency.choices)
    rate_idr = forms.DecimalField(
        label=_("Rate (rupiah per unit)"), max_digits=12, decimal_places=4, initial=1
    )
    rate_date = forms.DateField(label=_("Rate date"), widget=DATE)
