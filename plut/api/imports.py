"""Import endpoints under ``/api/v1/imports`` (transport only; logic in ``plut.imports``)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from plut.imports.mapping import load_mapping_file
from plut.imports.models import ImportBatch
from plut.imports.selectors import (
    get_import_batch_for_user,
    get_import_raw_rows_for_user,
    import_batch_scope,
    import_rows,
)
from plut.imports.services import import_batch_create, import_batch_enqueue, import_progress
from plut.imports.types import ImportFileError

router = Router(tags=["imports"])


class ProblemOut(Schema):
    row: int | None
    column: str
    value: str
    code: str
    reason: str


class BatchOut(Schema):
    id: int
    status: str
    mode: str
    dry_run: bool
    original_name: str
    original_sha256: str
    size_bytes: int
    regency_code: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict
    progress: dict
    header_map: dict
    file_problems: list[dict]
    error_report_url: str | None


class RowOut(Schema):
    number: int
    outcome: str
    enterprise_id: int | None
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    changes: dict


class ErrorOut(Schema):
    detail: str | dict | list


def _batch_out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "status": batch.status,
        "mode": batch.mode,
        "dry_run": batch.dry_run,
        "original_name": batch.original_name,
        "original_sha256": batch.original_sha256,
        "size_bytes": batch.size_bytes,
        "regency_code": batch.regency.code if batch.regency_id else None,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
        "counts": batch.counts,
        "progress": import_progress(batch),
        "header_map": batch.header_map,
        "file_problems": batch.file_problems,
        "error_report_url": f"/api/v1/imports/{batch.pk}/error-report" if batch.error_report else None,
    }


@router.post(
    "",
    response={202: BatchOut, 403: ErrorOut, 422: ErrorOut},
    summary="Upload a spreadsheet and start a dry run",
)
def imports_create(
    request,
    file: File[UploadedFile],
    regency: Form[str | None] = None,
    mode: Form[ImportBatch.Mode] = ImportBatch.Mode.ATOMIC,
    commit: Form[bool] = False,
    mapping: File[UploadedFile] | None = None,
):
    """Store the file and queue a run: a dry run (preview) unless ``commit`` is true.

    ``mapping`` is an optional mapping file (JSON ``{field: header}`` or CSV ``field,header``).
    """
    try:
        explicit = load_mapping_file(mapping) if mapping is not None else None
        batch = import_batch_create(
            actor=request.user, file=file, filename=file.name, regency_code=regency, mode=mode, mapping=explicit
        )
    except ImportFileError as exc:
        return Status(422, {"detail": [p.as_dict() for p in exc.problems]})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages})
    import_batch_enqueue(batch=batch, dry_run=not commit, mode=mode, actor=request.user)
    batch.refresh_from_db()
    return Status(202, _batch_out(batch))


@router.get("", response=list[BatchOut], summary="List import batches in scope")
@paginate(LimitOffsetPagination)
def imports_list(request):
    return [_batch_out(b) for b in import_batch_scope(request.user).select_related("regency")[:500]]


@router.get("/{pk}", response={200: BatchOut, 404: ErrorOut}, summary="One batch: status, progress, counts")
def imports_detail(request, pk: int):
    try:
        return _batch_out(get_import_batch_for_user(user=request.user, pk=pk))
    except Http404:
        return Status(404, {"detail": "No import batch found."})


@router.get("/{pk}/rows", response={200: list[RowOut], 404: ErrorOut}, summary="Per-row outcomes")
@paginate(LimitOffsetPagination)
def imports_rows(request, pk: int, outcome: str | None = None):
    batch = get_import_batch_for_user(user=request.user, pk=pk)
    return import_rows(batch=batch, outcome=outcome).only(
        "number", "outcome", "enterprise_id", "errors", "warnings", "changes"
    )


class CommitIn(Schema):
    mode: ImportBatch.Mode = ImportBatch.Mode.ATOMIC


@router.post(
    "/{pk}/commit",
    response={202: BatchOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Commit a previewed batch",
)
def imports_commit(request, pk: int, body: CommitIn):
    try:
        batch = get_import_batch_for_user(user=request.user, pk=pk, rw=True)
    except Http404:
        return Status(404, {"detail": "No import batch found."})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    if batch.status not in {ImportBatch.Status.PREVIEWED, ImportBatch.Status.REJECTED}:
        return Status(409, {"detail": f"The batch is {batch.status}; it cannot be committed now."})
    import_batch_enqueue(batch=batch, dry_run=False, mode=body.mode, actor=request.user)
    batch.refresh_from_db()
    return Status(202, _batch_out(batch))


@router.get("/{pk}/error-report", summary="The rejected rows as an XLSX workbook")
def imports_error_report(request, pk: int):
    batch = get_import_raw_rows_for_user(user=request.user, pk=pk, purpose="error_workbook", channel="api")
    if not batch.error_report:
        raise Http404("This batch has no rejected rows.")
    return FileResponse(
        batch.error_report.open("rb"),
        as_attachment=True,
        filename=f"baris-ditolak-{batch.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
