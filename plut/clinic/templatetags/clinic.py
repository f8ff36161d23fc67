"""Template tags of the clinic: the clinic record section of the enterprise page."""

from __future__ import annotations

from django import template

from plut.clinic.selectors import enterprise_record

register = template.Library()


@register.inclusion_tag("clinic/_record.html")
def clinic_record(enterprise) -> dict:
    """Render the enterprise's clinic timeline (the page has already checked the enterprise's scope)."""
    return {"record": enterprise_record(enterprise=enterprise)}
