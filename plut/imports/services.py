"""Import a regency's UMKM spreadsheet into the registry.

Steps of one run (:func:`import_batch_run`), streaming in chunks of ``CHUNK`` rows:

1. open the original (kept encrypted, byte for byte) and read it (``readers``);
2. find the header and map it to canonical fields (``mapping``); a missing required column
   stops the run before any row is read;
3. normalise and validate every row (``normalise``);
4. match each valid row to the registry: same NIB, or same owner NIK and a similar business name
   in the same village (``match``); a second row in the same file describing the same business is
   rejected as a duplicate of the first, never merged silently;
5. write: nothing in a dry run; in ``atomic`` mode everything in one transaction, or nothing at
   all when any row is rejected; in ``commit_valid`` mode the valid rows in one transaction;
6. record every row's outcome (``ImportRow``) and the batch counts.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.core.bulk import BulkInserter
from plut.core.crypto import decrypt_file, encrypt_file, keyed_hash
from plut.core.models import AuditLog
from plut.core.services import audit_log_write
from plut.enterprises.models import (
    Enterprise,
    EnterpriseKbli,
    FigureSnapshot,
    Owner,
    Permit,
    Product,
)
from plut.enterprises.sizeclass import classify
from plut.imports import mapping as mapping_mod
from plut.imports import readers
from plut.imports.match import Matcher, PlannedRow, new_permits
from plut.imports.models import ImportBatch, ImportRow
from plut.imports.normalise import NormaliseContext, normalise_row
from plut.imports.types import ImportFileError, Problem
from plut.reference.models import Kbli
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes

log = logging.getLogger(__name__)

CHUNK = 1000
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
IMPORT_ROLES = {Role.OFFICE_ADMIN, Role.REGENCY_OFFICER}


def _progress_key(batch_id: int) -> str:
    return f"plut:import-progress:{batch_id}"


def import_progress(batch: ImportBatch) -> dict[str, Any]:
    """Return ``{"done": rows read so far, "total": rows or None, "phase": str}`` of a running batch.

    Progress lives in the cache, not in the batch row, because a committing run holds its
    writes in one open transaction that other connections cannot see.
    """
    return cache.get(_progress_key(batch.pk)) or {
        "done": batch.progress_done,
        "total": batch.progress_total,
        "phase": batch.status,
    }


# ---------------------------------------------------------------------------------------------
# Upload


@transaction.atomic
def import_batch_create(
    *,
    actor,
    file: BinaryIO,
    filename: str,
    regency_code: str | None = None,
    mapping: dict[str, str] | None = None,
    mode: str = ImportBatch.Mode.ATOMIC,
) -> ImportBatch:
    """Store an uploaded spreadsheet (encrypted, byte for byte) as a new batch; return it.

    A regency officer imports into their own regency only: the regency defaults to theirs and
    another one raises ``PermissionDenied``. Office administrators may give any regency or none
    (then every row must name its regency). Raises ``ValidationError`` for an unknown regency
    code, an empty file or a file over ``MAX_UPLOAD_BYTES``.
    """
    role = Role(actor.role) if actor is not None else Role.OFFICE_ADMIN
    if role not in IMPORT_ROLES:
        raise PermissionDenied(_("Only office administrators and regency officers may import spreadsheets."))
    regency = None
    if role == Role.REGENCY_OFFICER:
        own = list(actor.regions.filter(level=Level.REGENCY))
        if len(own) != 1:
            raise PermissionDenied(_("Your account has no regency assigned."))
        if regency_code and regency_code != own[0].code:
            raise PermissionDenied(_("A regency officer may import only into their own regency."))
        regency = own[0]
    elif regency_code:
        regency = Region.objects.filter(
            code=regency_code, level=Level.REGENCY, retired_in__isnull=True
        ).first()
        if regency is None:
            raise ValidationError(
                {"regency": _("Unknown regency/city code %(code)s.") % {"code": regency_code}}
            )
    mapping = mapping or {}
    unknown = sorted(set(mapping) - set(mapping_mod.FIELDS))
    if unknown:
        raise ValidationError(
            {"mapping": _("Unknown field in the mapping: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    with tempfile.TemporaryFile() as enc:
        size, sha = encrypt_file(file, enc)
        if size == 0:
            raise ValidationError({"file": _("The file is empty.")})
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError({"file": _("The file is larger than 200 MB; split it into smaller files.")})
        enc.seek(0)
        batch = ImportBatch(
            created_by=actor if getattr(actor, "pk", None) else None,
            regency=regency,
            original_name=filename[:255],
            original_sha256=sha,
            size_bytes=size,
            mapping=mapping,
            mode=mode,
        )
        batch.original.save(f"{sha[:16]}.bin", File(enc), save=False)
    batch.full_clean()
    batch.save()
    audit_log_write(actor=actor, action="import.upload", target=batch, data={"sha256": sha, "size": size})
    return batch


def open_original(batch: ImportBatch) -> BinaryIO:
    """Return the decrypted original file as a seekable binary stream (spooled to disk when large)."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - the caller closes it
    with batch.original.open("rb") as src:
        decrypt_file(src, out)
    out.seek(0)
    return out


# ---------------------------------------------------------------------------------------------
# Run


@dataclass
class RunState:
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "rows": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "rejected": 0,
            "duplicates": 0,
        }
    )
    warnings: int = 0


class _AtomicRejected(Exception):
    """Raised inside the commit transaction when atomic mode meets a rejected row."""


def import_batch_run(
    *,
    batch: ImportBatch,
    dry_run: bool,
    mode: str | None = None,
    actor=None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Run a batch: a dry run (preview, no registry write) or a commit; return the updated batch.

    Never raises for bad data: file-level problems end in status ``failed`` with
    ``batch.file_problems``; row problems are recorded per row. An unexpected error rolls the
    whole commit back, sets status ``failed`` and is re-raised.
    """
    if mode:
        batch.mode = mode
    batch.dry_run = dry_run
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at, batch.finished_at = timezone.now(), None
    batch.file_problems, batch.counts = [], {}
    batch.save(
        update_fields=["mode", "dry_run", "status", "started_at", "finished_at", "file_problems", "counts"]
    )
    try:
        if dry_run:
            state = _run(batch, write=False, on_progress=on_progress)
            status = ImportBatch.Status.PREVIEWED
        else:
            try:
                with transaction.atomic():
                    state = _run(batch, write=True, on_progress=on_progress)
                status = (
                    ImportBatch.Status.PARTIAL if state.counts["rejected"] else ImportBatch.Status.COMMITTED
                )
            except _AtomicRejected:
                # Nothing was written; a dry run records every problem for the sender.
                state = _run(batch, write=False, on_progress=on_progress)
                status = ImportBatch.Status.REJECTED
    except ImportFileError as exc:
        ImportRow.objects.filter(batch=batch).delete()
        batch.file_problems = [{"level": "error", **p.as_dict()} for p in exc.problems]
        batch.counts = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "duplicates": 0}
        return _finish(batch, ImportBatch.Status.FAILED, actor)
    except Exception:
        log.exception("Import batch %s failed", batch.pk)
        ImportRow.objects.filter(batch=batch).delete()
        batch.file_problems = [
            {
                "level": "error",
                "row": None,
                "column": "",
                "value": "",
                "code": "import.failed",
                "reason": _("The import stopped because of an internal error; nothing was committed."),
            }
        ]
        _finish(batch, ImportBatch.Status.FAILED, actor)
        raise
    batch.counts = state.counts
    return _finish(batch, status, actor)


def _finish(batch: ImportBatch, status: str, actor) -> ImportBatch:
    batch.status = status
    batch.finished_at = timezone.now()
    batch.progress_done = batch.counts.get("rows", 0)
    batch.progress_total = batch.progress_done
    if batch.counts.get("rejected"):
        from plut.imports.report import build_error_workbook

        batch.error_report.save(
            f"batch-{batch.pk}-errors.xlsx", ContentFile(build_error_workbook(batch)), save=False
        )
    elif batch.error_report:
        batch.error_report = ""
    batch.save()
    cache.delete(_progress_key(batch.pk))
    if status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.PARTIAL) and (
        batch.counts.get("created") or batch.counts.get("updated")
    ):
        from plut.imports.signals import batch_committed

        transaction.on_commit(lambda: batch_committed.send(sender=ImportBatch, batch=batch))
    audit_log_write(
        actor=actor,
        action="import.dry_run" if batch.dry_run else "import.commit",
        target=batch,
        data={"status": status, "counts": batch.counts},
    )
    return batch


def _rows_of(batch: ImportBatch, stream: BinaryIO) -> tuple[Any, Iterator, list[Problem]]:
    table = readers.open_table(stream, filename=batch.original_name)
    hmap, problems, rows = mapping_mod.locate_header(
        table, regency_given=batch.regency_id is not None, override=batch.mapping or None
    )
    batch.file_format = table.format
    batch.header_map = {f: hmap.headers[i] for f, i in hmap.columns.items()}
    batch.header_map["_headers"] = list(hmap.headers)
    batch.header_map["_unknown"] = list(hmap.unknown)
    batch.save(update_fields=["file_format", "header_map"])
    return hmap, rows, list(problems) + list(getattr(table, "warnings", []))


def _chunks(it: Iterable, n: int) -> Iterator[list]:
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) == n:
            yield buf
            buf = []
    if buf:
        yield buf


def _run(batch: ImportBatch, *, write: bool, on_progress) -> RunState:
    ImportRow.objects.filter(batch=batch).delete()
    with open_original(batch) as stream:
        return _run_stream(batch, stream, write=write, on_progress=on_progress)


def _run_stream(batch: ImportBatch, stream: BinaryIO, *, write: bool, on_progress) -> RunState:
    hmap, rows, file_warnings = _rows_of(batch, stream)
    batch.file_problems = [{"level": "warning", **p.as_dict()} for p in file_warnings]
    ctx = NormaliseContext.build(regency=batch.regency)
    with Matcher() as matcher:
        state = RunState()
        writer = _Writer(batch) if write else None
        row_inserter = BulkInserter(ImportRow)
        seen_any = False
        for chunk in _chunks(rows, CHUNK):
            seen_any = True
            results = [normalise_row(row, hmap, ctx) for row in chunk]
            plans = matcher.plan(results)
            if writer is not None:
                if batch.mode == ImportBatch.Mode.ATOMIC and any(
                    p.outcome == ImportRow.Outcome.REJECTED for p in plans
                ):
                    raise _AtomicRejected
                writer.apply(plans)
            _record(batch, chunk, plans, state, row_inserter)
            cache.set(
                _progress_key(batch.pk),
                {"done": state.counts["rows"], "total": None, "phase": "running"},
                3600,
            )
            if on_progress:
                on_progress(state.counts["rows"])
    if not seen_any:
        raise ImportFileError(
            [
                Problem(
                    None,
                    "",
                    batch.original_name,
                    "file.no_rows",
                    _("The file has a header but no data rows; nothing was imported."),
                )
            ]
        )
    return state


def _record(
    batch: ImportBatch, chunk, plans: list[PlannedRow], state: RunState, inserter: BulkInserter
) -> None:
    rows = []
    for row, plan in zip(chunk, plans, strict=True):
        state.counts["rows"] += 1
        state.counts[plan.outcome] += 1
        if plan.duplicate_of:
            state.counts["duplicates"] += 1
        state.warnings += len(plan.result.warnings)
        rows.append(
            inserter.row(
                batch_id=batch.pk,
                number=row.number,
                outcome=plan.outcome,
                enterprise_id=plan.enterprise_id,
                raw=json.dumps([c.text for c in row.cells], ensure_ascii=False),
                errors=[p.as_dict() for p in plan.result.errors],
                warnings=[p.as_dict() for p in plan.result.warnings],
                changes=plan.changes,
            )
        )
    inserter.insert(rows)


# ---------------------------------------------------------------------------------------------
# Writes


class _Writer:
    """Apply planned rows to the registry, in bulk per chunk."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.actor_id = batch.created_by_id
        self.border = border_district_codes()
        self.kbli = dict(Kbli.objects.filter(level=Kbli.Level.SUBCLASS).values_list("code", "id"))
        self.kbli_section = dict(
            Kbli.objects.filter(level=Kbli.Level.SUBCLASS).values_list("code", "section")
        )
        self.as_of = timezone.localdate()
        self.note = _("Import batch #%(id)s") % {"id": batch.pk}
        self.regime = Enterprise._meta.get_field("size_regime").default
        self.ins = {
            "owner": BulkInserter(Owner, with_id=True),
            "enterprise": BulkInserter(Enterprise, with_id=True),
            "kbli": BulkInserter(EnterpriseKbli),
            "figure": BulkInserter(FigureSnapshot),
            "permit": BulkInserter(Permit),
            "product": BulkInserter(Product),
            "audit": BulkInserter(AuditLog),
        }

    def apply(self, plans: list[PlannedRow]) -> None:
        creates = [p for p in plans if p.outcome == ImportRow.Outcome.CREATED]
        updates = [p for p in plans if p.outcome == ImportRow.Outcome.UPDATED]
        self._create(creates)
        for p in updates:
            self._update(p)
        audit = self.ins["audit"]
        audit.insert(
            [
                audit.row(
                    actor_id=self.actor_id,
                    action="enterprise.import_create"
                    if p.outcome == ImportRow.Outcome.CREATED
                    else "enterprise.import_update",
                    target_type="enterprises.enterprise",
                    target_id=str(p.enterprise_id),
                    target_repr=p.result.data["business_name"][:255],
                    data={"batch": self.batch.pk, "row": p.result.number, "changes": p.changes},
                )
                for p in creates + updates
            ]
        )

    def _new_owner(self, owner_id: int, d: dict, raw: dict) -> list[Any]:
        nik = d.get("nik", "")
        phone = d.get("phone", "")
        return self.ins["owner"].row(
            id=owner_id,
            full_name=d["owner_name"],
            sex=d.get("owner_sex", "") or "",
            birth_date=d.get("birth_date"),
            nik=nik,
            nik_raw=raw.get("nik", "") if nik else "",
            nik_hash=keyed_hash(nik) if nik else "",
            nik_last4=nik[-4:] if nik else "",
            phone=phone,
            phone_raw=raw.get("phone", "") if phone else "",
            phone_hash=keyed_hash(phone) if phone else "",
        )

    def _enterprise_fields(self, d: dict, raw: dict) -> dict[str, Any]:
        region: Region = d["region"]
        codes = region.ancestor_codes()
        district = codes[2] if len(codes) > 2 else ""
        kblis = d.get("kbli") or []
        out = {
            "name": d["business_name"],
            "region": region,
            "region_path": region.path,
            "regency_code": codes[1],
            "district_code": district,
            "is_border": district in self.border,
        }
        optional = {
            "address": d.get("address"),
            "nib": d.get("nib"),
            "nib_raw": raw.get("nib") if d.get("nib") else None,
            "npwp": d.get("npwp"),
            "npwp_raw": raw.get("npwp") if d.get("npwp") else None,
            "sector": d.get("sector"),
            "established_year": d.get("established_year"),
            "latitude": d.get("latitude"),
            "longitude": d.get("longitude"),
        }
        out.update({k: v for k, v in optional.items() if v not in (None, "")})
        if "sells_to_malaysia" in d:
            out["sells_cross_border"] = d["sells_to_malaysia"]
        if d.get("cross_border_brand"):
            out["cross_border_brand"] = d["cross_border_brand"]
        if kblis:
            out["primary_kbli_id"] = self.kbli[kblis[0]]
            out["kbli_section"] = self.kbli_section[kblis[0]]
        if out.get("nib"):
            out["has_nib"] = True
        return out

    def _create(self, plans: list[PlannedRow]) -> None:
        """Insert the new owners, enterprises and what hangs off them, with COPY / executemany."""
        if not plans:
            return
        ins = self.ins
        owners: dict[Any, int] = {}
        need = [p for p in plans if not p.owner_id]
        keys = list(dict.fromkeys(p.owner_key for p in need))
        owner_rows = []
        for key, owner_id in zip(keys, ins["owner"].allocate_ids(len(keys)), strict=True):
            owners[key] = owner_id
        done: set[Any] = set()
        for p in need:
            if p.owner_key not in done:
                done.add(p.owner_key)
                owner_rows.append(self._new_owner(owners[p.owner_key], p.result.data, p.result.raw))
        ins["owner"].insert(owner_rows)
        ent_rows, links, figures, permits, products = [], [], [], [], []
        for p, ent_id in zip(plans, ins["enterprise"].allocate_ids(len(plans)), strict=True):
            p.owner_id = p.owner_id or owners[p.owner_key]
            p.enterprise_id = ent_id
            d, raw = p.result.data, p.result.raw
            values = self._enterprise_fields(d, raw)
            values["region_id"] = values.pop("region").pk
            # Size class from the figures about to be recorded (derived, never typed).
            result = classify(
                capital_idr=d.get("capital"), annual_sales_idr=d.get("annual_sales"), regime=self.regime
            )
            ent_rows.append(
                ins["enterprise"].row(
                    id=ent_id,
                    owner_id=p.owner_id,
                    size_class=result.size_class if result else "",
                    **values,
                )
            )
            for i, code in enumerate(dict.fromkeys(d.get("kbli") or [])):
                links.append(
                    ins["kbli"].row(
                        enterprise_id=ent_id,
                        kbli_id=self.kbli[code],
                        kbli_raw=raw.get("kbli", ""),
                        is_primary=i == 0,
                    )
                )
            snap = self._snapshot_values(d, self.regime)
            if snap is not None:
                figures.append(ins["figure"].row(enterprise_id=ent_id, **snap))
            for kind, number, number_raw in new_permits(d, raw, set()):
                permits.append(
                    ins["permit"].row(
                        enterprise_id=ent_id, kind=kind, number=number[:64], number_raw=number_raw[:64]
                    )
                )
            for name in d.get("products") or []:
                products.append(ins["product"].row(enterprise_id=ent_id, name=name[:200]))
        ins["enterprise"].insert(ent_rows)
        ins["kbli"].insert(links)
        ins["figure"].insert(figures)
        ins["permit"].insert(permits)
        ins["product"].insert(products)

    def _snapshot_values(self, d: dict, regime: str) -> dict[str, Any] | None:
        figs = {k: d.get(k) for k in ("capital", "annual_sales", "assets", "workers")}
        if all(v is None for v in figs.values()):
            return None
        result = classify(capital_idr=figs["capital"], annual_sales_idr=figs["annual_sales"], regime=regime)
        return {
            "as_of": d.get("data_date") or self.as_of,
            "capital_idr": figs["capital"],
            "annual_sales_idr": figs["annual_sales"],
            "assets_idr": figs["assets"],
            "workers": figs["workers"],
            "source": FigureSnapshot.Source.IMPORT,
            "note": self.note,
            "size_class": result.size_class if result else "",
        }

    def _snapshot(self, ent: Enterprise, d: dict) -> FigureSnapshot | None:
        values = self._snapshot_values(d, ent.size_regime)
        return None if values is None else FigureSnapshot(enterprise=ent, **values)

    def _permits(
        self, ent: Enterprise, d: dict, raw: dict, *, existing: set[tuple[str, str]]
    ) -> list[Permit]:
        return [
            Permit(enterprise=ent, kind=kind, number=number[:64], number_raw=number_raw[:64])
            for kind, number, number_raw in new_permits(d, raw, existing)
        ]

    def _update(self, p: PlannedRow) -> None:
        ent = Enterprise.objects.select_related("owner").get(pk=p.enterprise_id)
        d, raw = p.result.data, p.result.raw
        for name, value in self._enterprise_fields(d, raw).items():
            setattr(ent, name, value)
        ent.save()
        owner = ent.owner
        if d.get("phone") and owner.phone != d["phone"]:
            owner.phone, owner.phone_raw, owner.phone_hash = (
                d["phone"],
                raw.get("phone", ""),
                keyed_hash(d["phone"]),
            )
            owner.save(update_fields=["phone", "phone_raw", "phone_hash", "updated_at"])
        have_kbli = set(ent.enterprisekbli_set.values_list("kbli__code", flat=True))
        EnterpriseKbli.objects.bulk_create(
            [
                EnterpriseKbli(enterprise=ent, kbli_id=self.kbli[c], kbli_raw=raw.get("kbli", ""))
                for c in d.get("kbli") or []
                if c not in have_kbli
            ]
        )
        if "figures" in p.changes:
            snap = self._snapshot(ent, d)
            if snap is not None:
                snap.save()
                from plut.enterprises.services import enterprise_refresh_size_class

                enterprise_refresh_size_class(enterprise=ent)
        existing = set(ent.permits.values_list("kind", "number"))
        Permit.objects.bulk_create(self._permits(ent, d, raw, existing=existing))
        have_products = {n.casefold() for n in ent.products.values_list("name", flat=True)}
        Product.objects.bulk_create(
            [
                Product(enterprise=ent, name=n[:200])
                for n in d.get("products") or []
                if n.casefold() not in have_products
            ]
        )


def import_batch_enqueue(
    *, batch: ImportBatch, dry_run: bool, mode: str | None = None, actor=None
) -> ImportBatch:
    """Queue a run of ``batch`` for the background worker, after the current transaction commits."""
    from plut.imports.tasks import import_batch_run_task

    batch.status = ImportBatch.Status.QUEUED
    if mode:
        batch.mode = mode
    batch.save(update_fields=["status", "mode"])
    actor_id = getattr(actor, "pk", None)

    def enqueue() -> None:
        result = import_batch_run_task.enqueue(batch.pk, dry_run, mode, actor_id)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return batch
