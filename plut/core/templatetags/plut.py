"""Template filters for Indonesian formatting: rupiah, dates, query strings."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Format integer rupiah as ``Rp 1.500.000``; empty for ``None``."""
    if value is None or value == "":
        return ""
    sign = "-" if int(value) < 0 else ""
    return f"{sign}Rp {abs(int(value)):,}".replace(",", ".")


@register.simple_tag
def query_with(query, **kwargs) -> str:
    """Return the current query string with some keys replaced (for paging links)."""
    q = query.copy()
    for key, value in kwargs.items():
        q[key] = value
    return q.urlencode()
