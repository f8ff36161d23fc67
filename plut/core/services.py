"""Audit trail and personal-data access logging, written by every service."""

from __future__ import annotations

from typing import Any

from django.db import models

from plut.core.models import AuditLog, PersonalDataAccess


def audit_log_write(
    *, actor, action: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditLog:
    """Write one audit row for a write done by ``actor`` (a User or ``None`` for the system)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=data or {},
    )


def personal_data_access_log(
    *, actor, subject: models.Model, fields: list[str], purpose: str, channel: str = "web"
) -> PersonalDataAccess:
    """Record that ``actor`` saw ``fields`` of ``subject`` unmasked (UU 27/2022)."""
    return PersonalDataAccess.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        fields=",".join(fields),
        purpose=purpose,
        channel=channel,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for the keys whose values differ."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
