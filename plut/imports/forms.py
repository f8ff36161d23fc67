from django import forms
from django.utils.translation import gettext_lazy as _

from plut.imports.models import ImportBatch
from plut.regions.models import Level, Region


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV, XLSX or XLS)"))
    regency = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=Level.REGENCY, retired_in__isnull=True),
        to_field_name="code",
        required=False,
        label=_("Regency/city of the data"),
        empty_label=_("Named in each row"),
    )
    mapping = forms.FileField(required=False, label=_("Column mapping file (optional)"))


class CommitForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportBatch.Mode.choices)
