"""Keep the pre-aggregated monitoring tables current when figures or permits change.

Every ``save()``/``delete()`` of a ``FigureSnapshot`` or ``Permit`` refreshes that enterprise's
facts and the aggregate cells they count in (``aggregates.enterprise_aggregates_refresh``), inside
the writer's transaction. A committed registry import (``plut.imports.signals.batch_committed``,
written with COPY, no model signals) enqueues ``import_batch_aggregates_task`` for its enterprises.
Other bulk loaders (``plut generate-province``) run ``plut monitoring-rebuild``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from plut.enterprises.models import Enterprise, FigureSnapshot, Permit
from plut.imports.signals import batch_committed

# Enterprises being deleted: their snapshots' and permits' delete signals are ignored.
_DELETING: set[int] = set()


@receiver(post_save, sender=FigureSnapshot, dispatch_uid="monitoring_figure_saved")
@receiver(post_delete, sender=FigureSnapshot, dispatch_uid="monitoring_figure_deleted")
@receiver(post_save, sender=Permit, dispatch_uid="monitoring_permit_saved")
@receiver(post_delete, sender=Permit, dispatch_uid="monitoring_permit_deleted")
def _refresh(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.enterprise_id in _DELETING:  # loaddata, or the enterprise itself goes
        return
    from plut.monitoring.aggregates import enterprise_aggregates_refresh

    enterprise_aggregates_refresh(enterprise_id=instance.enterprise_id)


@receiver(pre_delete, sender=Enterprise, dispatch_uid="monitoring_enterprise_deleting")
def _enterprise_deleting(sender, instance, **kwargs) -> None:
    from plut.monitoring.aggregates import enterprise_aggregates_refresh

    _DELETING.add(instance.pk)
    enterprise_aggregates_refresh(enterprise_id=instance.pk, removed=True)


@receiver(post_delete, sender=Enterprise, dispatch_uid="monitoring_enterprise_deleted")
def _enterprise_deleted(sender, instance, **kwargs) -> None:
    _DELETING.discard(instance.pk)


@receiver(batch_committed, dispatch_uid="monitoring_import_committed")
def _import_committed(sender, batch, **kwargs) -> None:
    from plut.monitoring.tasks import import_batch_aggregates_task

    import_batch_aggregates_task.enqueue(batch_id=batch.pk)
