"""Reads of import batches, scoped by role and regency."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from plut.accounts.models import Role
from plut.accounts.scope import region_paths
from plut.imports.models import ImportBatch, ImportRow


def import_batch_scope(user) -> QuerySet[ImportBatch]:
    """Return the batches ``user`` may see: all for the office, their regency's for a regency officer."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ImportBatch.objects.none()
    role = Role(user.role)
    if role.is_province_wide:
        return ImportBatch.objects.all()
    if role == Role.REGENCY_OFFICER:
        q = Q(pk__in=[])
        for path in region_paths(user):
            q |= Q(regency__path__startswith=path)
        return ImportBatch.objects.filter(q)
    return ImportBatch.objects.none()


def get_import_batch_for_user(*, user, pk: int, rw: bool = False) -> ImportBatch:
    """Return batch ``pk`` if ``user`` may see it; ``Http404`` otherwise.

    With ``rw`` (run or commit), raises ``PermissionDenied`` for roles that may not import.
    """
    batch = import_batch_scope(user).select_related("regency", "created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404("No import batch found.")
    if rw and Role(user.role) not in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER}:
        raise PermissionDenied("This role may not import spreadsheets.")
    return batch


def import_rows(*, batch: ImportBatch, outcome: str | None = None) -> QuerySet[ImportRow]:
    """Return the batch's rows in file order, optionally of one outcome."""
    qs = batch.rows.order_by("number")
    return qs.filter(outcome=outcome) if outcome else qs


def batch_problems(batch: ImportBatch, *, limit: int | None = None) -> tuple[list[dict], list[dict]]:
    """Return ``(errors, warnings)``: file-level problems first, then row problems in row order."""
    errors = [
        {k: v for k, v in p.items() if k != "level"} for p in batch.file_problems if p.get("level") == "error"
    ]
    warnings = [
        {k: v for k, v in p.items() if k != "level"} for p in batch.file_problems if p.get("level") != "error"
    ]
    for row in (
        batch.rows.exclude(errors=[], warnings=[]).order_by("number").only("number", "errors", "warnings")
    ):
        errors.extend(row.errors)
        warnings.extend(row.warnings)
        if limit and len(errors) >= limit:
            break
    return errors, warnings


def get_import_raw_rows_for_user(*, user, pk: int, purpose: str, channel: str = "web") -> ImportBatch:
    """Return batch ``pk`` for reading its rows in full (the error workbook, a row's cells).

    Those hold personal data as typed (NIK, phone numbers): only roles that may reveal personal
    data and import (office administrators, regency officers) get them, and every read is logged
    (UU 27/2022). Raises ``Http404`` outside the scope, ``PermissionDenied`` for other roles.
    """
    from plut.core.services import personal_data_access_log

    batch = get_import_batch_for_user(user=user, pk=pk)
    if Role(user.role) not in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER}:
        raise PermissionDenied("This role may not read the rows of an import in full.")
    personal_data_access_log(actor=user, subject=batch, fields=["rows"], purpose=purpose, channel=channel)
    return batch
