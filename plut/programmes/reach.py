"""Which enterprises the programmes touched: the hook monitoring (issue 7) uses for programme reach.

An enterprise is touched between ``start`` and ``end`` (inclusive, dates in Asia/Pontianak) when

* a promotion application of it was awarded in that period (``awarded_at``), or
* it attended an outreach event held in that period (``OutreachAttendee.enterprise``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from plut.enterprises.models import Enterprise
from plut.programmes.models import OutreachAttendee, PromotionApplication


def enterprises_touched(*, start: datetime.date, end: datetime.date) -> QuerySet:
    """Return a flat ``values_list`` of the ids of enterprises touched from ``start`` to ``end`` inclusive.

    Unscoped (the caller applies the user's scope); each id once; ordered by id; usable as a
    subquery (``Enterprise.objects.filter(pk__in=enterprises_touched(...))``).
    """
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    awarded = PromotionApplication.objects.filter(
        status=PromotionApplication.Status.AWARDED, awarded_at__gte=since, awarded_at__lt=until
    ).values("enterprise_id")
    attended = OutreachAttendee.objects.filter(
        enterprise__isnull=False, event__held_on__gte=start, event__held_on__lte=end
    ).values("enterprise_id")
    return (
        Enterprise.objects.filter(Q(pk__in=awarded) | Q(pk__in=attended))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
