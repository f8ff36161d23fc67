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


# Above this many enterprises, one rebuild is cheaper than refreshing them one by one.
IMPORT_REFRESH_LIMIT = 2000


@task()
def import_batch_aggregates_task(*, batch_id: int) -> dict:
    """Bring the aggregates up to date with an import batch's created and updated enterprises.

    Up to ``IMPORT_REFRESH_LIMIT`` enterprises are refreshed one by one
    (``enterprise_aggregates_refresh``); a larger batch triggers ``aggregates_rebuild``.
    Returns ``{"enterprises": n, "mode": "refresh" | "rebuild"}``.
    """
    from plut.imports.models import ImportBatch, ImportRow
    from plut.monitoring.aggregates import aggregates_rebuild, enterprise_aggregates_refresh

    ids = sorted(
        set(
            ImportRow.objects.filter(
                batch_id=batch_id,
                outcome__in=[ImportRow.Outcome.CREATED, ImportRow.Outcome.UPDATED],
                enterprise__isnull=False,
            ).values_list("enterprise_id", flat=True)
        )
    )
    if not ImportBatch.objects.filter(pk=batch_id).exists() or not ids:
        return {"enterprises": 0, "mode": "refresh"}
    if len(ids) > IMPORT_REFRESH_LIMIT:
        aggregates_rebuild()
        return {"enterprises": len(ids), "mode": "rebuild"}
    for enterprise_id in ids:
        enterprise_aggregates_refresh(enterprise_id=enterprise_id)
    return {"enterprises": len(ids), "mode": "refresh"}
