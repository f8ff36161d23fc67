"""Background work of monitoring (django-tasks): medians of touched cells, scheduled reports."""

from __future__ import annotations

from django_tasks import task


@task()
def cells_refresh_medians_task(*, cell_ids: list[int]) -> int:
    """Recompute the medians of the aggregate cells marked stale by an incremental refresh."""
    from plut.monitoring.aggregates import cells_refresh_medians

    return cells_refresh_medians(cell_ids=cell_ids)


@task()
def reports_issue_monthly_task(*, period_start: str) -> list[int]:
    """Issue the standard reports of one month (``YYYY-MM-DD``, first day); return the report ids."""
    import datetime as dt

    from plut.monitoring.reports import reports_issue_scheduled

    return [r.pk for r in reports_issue_scheduled(period_start=dt.date.fromisoformat(period_start))]
