"""Import pages: upload → mapping check and preview (dry run) → commit → result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plut.accounts.models import Role
from plut.imports import selectors, services
from plut.imports.forms import CommitForm, UploadForm
from plut.imports.mapping import LABELS, load_mapping_file
from plut.imports.models import ImportBatch, ImportRow
from plut.imports.template import build_template_xlsx
from plut.imports.types import ImportFileError

IMPORT_ROLES = {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER, Role.OFFICE_ANALYST}


def _require_import_role(user) -> None:
    # Analysts may look at batches; only admins and regency officers upload or commit (services check).
    if Role(user.role) not in IMPORT_ROLES:
        raise PermissionDenied


@login_required
def batch_list(request):
    _require_import_role(request.user)
    batches = selectors.import_batch_scope(request.user).select_related("regency", "created_by")[:100]
    form = UploadForm()
    if Role(request.user.role) == Role.REGENCY_OFFICER:
        form.fields["regency"].queryset = request.user.regions.all()
        form.fields["regency"].required = True
        form.fields["regency"].empty_label = None
    return render(request, "imports/list.html", {"batches": batches, "form": form})


@login_required
@require_POST
def batch_upload(request):
    # Analysts look at batches; only administrators and regency officers upload.
    if Role(request.user.role) not in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER}:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("imports:list")
    regency = form.cleaned_data["regency"]
    try:
        mapping = None
        if form.cleaned_data["mapping"]:
            mapping = load_mapping_file(form.cleaned_data["mapping"])
        batch = services.import_batch_create(
            actor=request.user,
            file=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            regency_code=regency.code if regency else None,
            mapping=mapping,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:list")
    except ImportFileError as exc:
        messages.error(request, " ".join(p.reason for p in exc.problems))
        return redirect("imports:list")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("imports:list")
    services.import_batch_enqueue(batch=batch, dry_run=True, actor=request.user)
    return redirect("imports:detail", pk=batch.pk)


@login_required
def batch_detail(request, pk: int):
    _require_import_role(request.user)
    batch = selectors.get_import_batch_for_user(user=request.user, pk=pk)
    outcome = request.GET.get("outcome") or None
    if outcome not in {None, *ImportRow.Outcome.values}:
        outcome = None
    page = Paginator(selectors.import_rows(batch=batch, outcome=outcome), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "batch": batch,
        "progress": services.import_progress(batch),
        "page": page,
        "outcome": outcome,
        "outcomes": ImportRow.Outcome.choices,
        "headers": batch.header_map.get("_headers", []),
        "mapped": _mapping_in_file_order(batch),
        "unknown": batch.header_map.get("_unknown", []),
        "can_read_rows": Role(request.user.role) in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER},
        "valid_rows": sum(batch.counts.get(k, 0) for k in ("created", "updated", "unchanged")),
        "can_commit": Role(request.user.role) in {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER}
        and batch.status in {ImportBatch.Status.PREVIEWED, ImportBatch.Status.REJECTED},
    }
    if request.htmx and request.GET.get("part") == "status":
        if batch.is_finished or batch.status == ImportBatch.Status.PREVIEWED:
            # The run ended while the page was polling: reload it whole, with the rows.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "imports/detail.html#status", context)
    return render(request, "imports/detail.html", context)


@login_required
def batch_row_cells(request, pk: int, number: int):
    """Return one row's original cells (decrypted) as JSON for the preview's detail toggle."""
    _require_import_role(request.user)
    batch = selectors.get_import_raw_rows_for_user(user=request.user, pk=pk, purpose="import_row")
    row = batch.rows.filter(number=number).first()
    if row is None:
        raise Http404
    return HttpResponse(row.raw or "[]", content_type="application/json")


@login_required
@require_POST
def batch_commit(request, pk: int):
    batch = selectors.get_import_batch_for_user(user=request.user, pk=pk, rw=True)
    form = CommitForm(request.POST)
    if not form.is_valid() or batch.status not in {ImportBatch.Status.PREVIEWED, ImportBatch.Status.REJECTED}:
        messages.error(request, _("This batch cannot be committed now."))
        return redirect("imports:detail", pk=batch.pk)
    services.import_batch_enqueue(
        batch=batch, dry_run=False, mode=form.cleaned_data["mode"], actor=request.user
    )
    return redirect("imports:detail", pk=batch.pk)


@login_required
def batch_error_report(request, pk: int):
    _require_import_role(request.user)
    batch = selectors.get_import_raw_rows_for_user(user=request.user, pk=pk, purpose="error_workbook")
    if not batch.error_report:
        raise Http404
    return FileResponse(
        batch.error_report.open("rb"), as_attachment=True, filename=f"baris-ditolak-{batch.pk}.xlsx"
    )


@login_required
def template_download(request):
    _require_import_role(request.user)
    response = HttpResponse(
        build_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="template-umkm-plut.xlsx"'
    return response


def _mapping_in_file_order(batch: ImportBatch) -> dict[str, str]:
    # JSON objects keep no key order on PostgreSQL: order by the column's position in the file.
    headers = batch.header_map.get("_headers", [])
    pairs = [(k, v) for k, v in batch.header_map.items() if not k.startswith("_")]
    pairs.sort(key=lambda kv: headers.index(kv[1]) if kv[1] in headers else len(headers))
    return {LABELS.get(k, k): v for k, v in pairs}
