"""Registry filters shared by the web list, the API and exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plut.enterprises.models import Enterprise
from plut.enterprises.sizeclass import SizeClass

KBLI_SECTIONS = [(c, c) for c in "ABCDEFGHIJKLMNOPQRSTU"]


class EnterpriseFilter(django_filters.FilterSet):
    """Filters: regency and district (Kemendagri codes), border districts only, KBLI section,
    size class, has an NIB, sells across the border, and a name search."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    regency = django_filters.CharFilter(field_name="regency_code", label=_("Regency/city"))
    district = django_filters.CharFilter(field_name="district_code", label=_("District"))
    border = django_filters.BooleanFilter(field_name="is_border", label=_("Border districts only"))
    kbli_section = django_filters.ChoiceFilter(choices=KBLI_SECTIONS, label=_("KBLI section"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("Size class"))
    has_nib = django_filters.BooleanFilter(label=_("Has NIB"))
    sells_cross_border = django_filters.BooleanFilter(label=_("Sells across the border"))

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_q(self, queryset, name, value):  # noqa: ARG002
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(owner__full_name__icontains=value) | Q(nib=value))
