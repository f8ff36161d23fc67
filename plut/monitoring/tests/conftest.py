"""The small monitoring fixture, every figure of which the tests compute by hand.

On top of the cast (``plut.core.testing``):

* ``ent_sambas`` (Temajuk, Paloh, 61.01.08.2007; border; KBLI 10750 → section C):
  2024-12-31 sales Rp 1.500.000.000 (micro), 2025-12-31 sales Rp 2.500.000.000 (small);
* ``ent_sanggau`` (Entikong 61.03.21.2003; border; KBLI 01262 → section A):
  2025-12-31 capital Rp 6.000.000.000 (medium by capital), no sales;
* ``ent_pontianak`` (Kota Pontianak 61.71; not border; KBLI 56101 → section I), added here:
  2024-12-31 sales Rp 800.000.000, 2025-12-31 sales Rp 1.200.000.000 (micro both), and a halal
  certificate issued 2025-03-10.
"""

from __future__ import annotations

import datetime as dt

import pytest

from plut.enterprises.models import Permit
from plut.enterprises.services import figures_record


@pytest.fixture
def registry(cast):
    figures_record(
        actor=cast.admin,
        enterprise=cast.ent_pontianak,
        as_of=dt.date(2024, 12, 31),
        annual_sales_idr=800_000_000,
    )
    figures_record(
        actor=cast.admin,
        enterprise=cast.ent_pontianak,
        as_of=dt.date(2025, 12, 31),
        annual_sales_idr=1_200_000_000,
    )
    Permit.objects.create(
        enterprise=cast.ent_pontianak,
        kind=Permit.Kind.HALAL,
        number="ID61110000001",
        issued_on=dt.date(2025, 3, 10),
    )
    return cast


@pytest.fixture
def refreshed_medians():
    """Run the median refresh the incremental path schedules after commit."""
    from plut.monitoring.aggregates import cells_refresh_medians
    from plut.monitoring.models import AggregateCell

    def run():
        cells_refresh_medians(
            cell_ids=AggregateCell.objects.filter(median_stale=True).values_list("pk", flat=True)
        )

    return run
