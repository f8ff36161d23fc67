"""Indonesian notation in monitoring templates: ``{{ x|idr }}`` → Rp 1.500.000, ``|num``, ``|pct``."""

from __future__ import annotations

from django import template

from plut.monitoring.reports import format_cell

register = template.Library()


@register.filter
def idr(value):
    return format_cell(value, "idr")


@register.filter
def num(value):
    return format_cell(value, "int")


@register.filter
def pct(value):
    return format_cell(value, "pct")
