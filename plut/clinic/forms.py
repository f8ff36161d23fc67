"""Forms of the clinic pages. They validate input only; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.clinic.models import Case, PlanAction, Referral, ServiceArea, Session
from plut.clinic.report import GROUPINGS
from plut.lib.money import MoneyError, parse_rupiah

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RupiahField(forms.CharField):
    """An amount in rupiah as typed in Indonesian notation ("Rp 1.500.000", "1,5 jt"), cleaned to an int."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_rupiah(value)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from exc


def _area_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in ServiceArea.objects.filter(is_active=True)]


class RequestForm(forms.Form):
    """An entrepreneur's online request for a consultation."""

    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    complaint = forms.CharField(
        label=_("What is the problem of your business? Tell it in your own words."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class IntakeForm(forms.Form):
    """Staff intake of a case for an enterprise in scope (walk-in, phone, visit, referral)."""

    enterprise = forms.ModelChoiceField(
        queryset=None,
        label=_("Enterprise (registry ID)"),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("No enterprise with this ID is in your regions.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Case.Channel.choices if c[0] != Case.Channel.ONLINE]
    )
    complaint = forms.CharField(
        label=_("Complaint in the entrepreneur's own words"), widget=forms.Textarea(attrs={"rows": 5})
    )
    consent = forms.BooleanField(
        required=False, label=_("The entrepreneur agrees to the processing of personal data.")
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AreasForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Service areas"), widget=forms.CheckboxSelectMultiple, choices=_area_choices
    )


class HealthCheckForm(forms.Form):
    """One radio group per question of the instrument, and the baseline figures."""

    annual_sales = RupiahField(label=_("Annual sales"), required=False)
    capital = RupiahField(label=_("Business capital"), required=False)
    workers = forms.IntegerField(label=_("Workers"), required=False, min_value=0)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[f"q_{q.code}"] = forms.TypedChoiceField(
                label=q.text,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(i, o["label"]) for i, o in enumerate(q.options)],
            )

    def question_fields(self):
        return [self[f"q_{q.code}"] for q in self.questions]

    def answers(self) -> dict[str, int]:
        return {q.code: self.cleaned_data[f"q_{q.code}"] for q in self.questions}


def _blank_area_choices() -> list[tuple[str, str]]:
    return [("", "—"), *_area_choices()]


class ActionForm(forms.Form):
    """One action row of the plan; an untouched row (all blank) is skipped."""

    area = forms.ChoiceField(label=_("Service area"), choices=_blank_area_choices)
    description = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.ChoiceField(label=_("Done by"), choices=[("", "—"), *PlanAction.Owner.choices])
    due_on = forms.DateField(label=_("Due date"), widget=DATE)


ActionFormSet = forms.formset_factory(ActionForm, extra=3, min_num=1, validate_min=True)


class PlanForm(forms.Form):
    agreement_text = forms.CharField(
        label=_("Agreement (kontrak pendampingan)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE, initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("Mode"), choices=Session.Mode.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DATE)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Referred to"), choices=Referral.Kind.choices)
    to_name = forms.CharField(label=_("Bank, body or person"), max_length=200)
    referred_on = forms.DateField(label=_("Referred on"), required=False, widget=DATE)


class ReferralOutcomeForm(forms.Form):
    succeeded = forms.TypedChoiceField(
        label=_("Result"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("succeeded")), ("no", _("did not succeed"))],
        widget=forms.RadioSelect,
    )
    amount = RupiahField(label=_("Amount obtained (KUR)"), required=False)
    document_number = forms.CharField(label=_("Number of the document obtained"), required=False)
    outcome_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class CloseForm(forms.Form):
    annual_sales = RupiahField(label=_("Annual sales now"))
    workers = forms.IntegerField(label=_("Workers now"), required=False, min_value=0)
    capital = RupiahField(label=_("Business capital now"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))],
        initial="month",
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Month or quarter"), min_value=1, max_value=12, required=False)
    grouping = forms.ChoiceField(
        label=_("Group by"),
        choices=list(
            zip(
                GROUPINGS,
                [_("total"), _("service area"), _("consultant"), _("regency/city"), _("border")],
                strict=True,
            )
        ),
        initial="total",
    )

    def clean(self):
        data = super().clean()
        period, number = data.get("period"), data.get("number") or 1
        if period == "quarter" and number > 4:
            self.add_error("number", _("A year has four quarters."))
        data["number"] = 1 if period == "year" else number
        return data
