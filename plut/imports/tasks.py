"""Background work of imports (django-tasks): each task loads the batch and calls one service."""

from __future__ import annotations

from django_tasks import task

from plut.imports.models import ImportBatch
from plut.imports.services import import_batch_run


@task()
def import_batch_run_task(
    batch_id: int, dry_run: bool, mode: str | None = None, actor_id: int | None = None
) -> dict:
    """Run batch ``batch_id`` (see ``import_batch_run``); return its status and counts."""
    from plut.accounts.models import User

    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    batch = import_batch_run(batch=batch, dry_run=dry_run, mode=mode, actor=actor)
    return {"status": batch.status, "counts": batch.counts}
