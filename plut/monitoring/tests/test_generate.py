"""The synthetic province generator (PostgreSQL COPY) and the rebuild on its output."""

from __future__ import annotations

import pytest
from django.db import connection

from plut.enterprises.models import Enterprise, FigureSnapshot
from plut.monitoring.models import AggregateCell, EnterprisePeriod


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="COPY needs PostgreSQL")
def test_a_small_synthetic_province(reference_data):
    from plut.monitoring.generate import generate_province

    result = generate_province(enterprises=200, figures_per_enterprise=12, log=lambda s: None)
    assert Enterprise.objects.filter(is_synthetic=True, owner__is_synthetic=True).count() == 200
    assert FigureSnapshot.objects.count() == 2400 == result["figures"]
    # 12 months + 4 quarters + 1 year per enterprise, plus permit-only periods.
    assert EnterprisePeriod.objects.filter(has_figures=True).count() == 200 * 17
    province = AggregateCell.objects.get(
        region_code="61", period_type="year", section="*", size_class="*", border="*"
    )
    assert province.n == 200
    assert province.sales_idr == sum(
        FigureSnapshot.objects.filter(as_of__month=12).values_list("annual_sales_idr", flat=True)
    )
    assert connection.vendor == "postgresql"


def test_the_generator_refuses_sqlite(reference_data):
    from plut.monitoring.generate import generate_province

    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(RuntimeError):
        generate_province(enterprises=1)
