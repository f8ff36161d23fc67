"""One benchmark measurement per process: ``python -m benchmarks.worker TASK ARGS…``.

Run by ``benchmarks.imports`` with ``DATABASE_URL`` and ``PLUT_DATA_DIR`` set for the database
under test; prints one JSON object on its last stdout line. ``seconds`` is the time of the work
itself, measured inside the process (Python start-up and ``django.setup()`` excluded); the parent
measures the whole process and its peak memory (``ru_maxrss`` from ``wait4``).

Tasks:

``setup``                 migrate, then ``load_all_reference()`` (the template database).
``import PATH``           ``import_batch_create`` + ``import_batch_run(dry_run=False, mode="atomic")``,
                          as ``plut import PATH`` does; checks that every row was created.
``profile PATH OUT``      the same under cProfile; writes OUT.prof and OUT.txt.
``copy CLEAN``            PostgreSQL baseline: COPY the clean rows into enterprises_owner and
                          enterprises_enterprise (``cursor.copy`` / ``write_row``), one transaction.
``executemany CLEAN``     SQLite baseline: ``executemany`` of the same rows into the same tables.
``copy-full CLEAN``       PostgreSQL baseline: COPY every row an import of the clean file writes (owners,
                          enterprises, KBLI links, figures, permits, products, import rows, audit log).
``executemany-full CLEAN`` SQLite baseline: ``executemany`` of those same rows.
``calamine XLSX``         python-calamine alone: open the workbook, iterate every row of the sheet.
``reader PATH``           plut's reader alone: ``readers.open_table`` + iterate ``raw_rows()``.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import time
from pathlib import Path


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plut.settings")
    import django

    django.setup()


def _emit(result: dict) -> None:
    result["self_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, default=str))


# --- setup -----------------------------------------------------------------------------------


def task_setup() -> dict:
    _django()
    from django.core.management import call_command

    from plut.regions.services import load_all_reference

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    counts = load_all_reference()
    t2 = time.perf_counter()
    return {
        "seconds": t2 - t0,
        "migrate_s": t1 - t0,
        "reference_s": t2 - t1,
        "regions": counts.get("villages"),
        "kbli": counts.get("kbli"),
    }


# --- import ----------------------------------------------------------------------------------


def _run_import(path: Path) -> tuple[dict, object]:
    from plut.imports.services import import_batch_create, import_batch_run

    t0 = time.perf_counter()
    with path.open("rb") as f:
        batch = import_batch_create(actor=None, file=f, filename=path.name)
    t1 = time.perf_counter()
    batch = import_batch_run(batch=batch, dry_run=False, mode="atomic")
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "create_s": t1 - t0, "run_s": t2 - t1}, batch


def _check_import(result: dict, batch, expected: int | None) -> dict:
    from plut.enterprises.models import Enterprise
    from plut.imports.models import ImportRow

    counts = dict(batch.counts)
    result.update(status=batch.status, counts=counts, rows=counts.get("rows", 0))
    result["enterprises_in_db"] = Enterprise.objects.count()
    ok = batch.status == "committed" and counts.get("rejected", 1) == 0
    if expected is not None:
        ok = ok and counts.get("created") == expected == result["enterprises_in_db"]
    result["ok"] = ok
    if not ok:
        bad = ImportRow.objects.filter(batch=batch, outcome="rejected").order_by("number")[:5]
        result["sample_errors"] = [r.errors for r in bad] + list(batch.file_problems[:5])
    return result


def task_import(path: str, expected: str | None = None) -> dict:
    _django()
    result, batch = _run_import(Path(path))
    return _check_import(result, batch, int(expected) if expected else None)


def task_profile(path: str, out: str) -> dict:
    """Profile one import: cumulative-time listing plus the time spent per model in bulk_create."""
    import cProfile
    import io
    import pstats

    _django()
    from collections import defaultdict

    from django.db.models import QuerySet

    per_model: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    original = QuerySet.bulk_create

    def timed_bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        t = time.perf_counter()
        try:
            return original(self, objs, *args, **kwargs)
        finally:
            entry = per_model[self.model._meta.label]
            entry[0] += time.perf_counter() - t
            entry[1] += len(objs)

    QuerySet.bulk_create = timed_bulk_create
    profiler = cProfile.Profile()
    profiler.enable()
    result, batch = _run_import(Path(path))
    profiler.disable()
    QuerySet.bulk_create = original
    _check_import(result, batch, None)
    profiler.dump_stats(out + ".prof")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(r"plut/|django/db/models|cryptography|sqlite3|psycopg", 60)
    stats.sort_stats("tottime").print_stats(30)
    lines = ["bulk_create by model (seconds under the profiler, objects):"]
    for label, (seconds, n) in sorted(per_model.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"  {label:32} {seconds:8.2f} s  {n:>9,} objects")
    from benchmarks.paths import scrub

    Path(out + ".txt").write_text(scrub("\n".join(lines) + "\n\n" + text.getvalue()))
    result["bulk_create"] = {k: [round(v[0], 3), v[1]] for k, v in per_model.items()}
    return result


# --- baselines -------------------------------------------------------------------------------


class _Clean:
    """Turn the generator's clean rows into the column values of the owner and enterprise tables."""

    def __init__(self, clean_path: Path):
        from django.utils import timezone

        from plut.enterprises.models import Enterprise, Owner
        from plut.reference.models import Kbli
        from plut.regions.models import Region
        from plut.regions.selectors import border_district_codes

        self.path = clean_path
        self.regions = {
            code: (pk, path) for code, pk, path in Region.objects.values_list("code", "pk", "path")
        }
        self.kbli = {
            code: (pk, section)
            for code, pk, section in Kbli.objects.filter(level=Kbli.Level.SUBCLASS).values_list(
                "code", "pk", "section"
            )
        }
        self.border = border_district_codes()
        self.now = timezone.now()
        self.owner_table = Owner._meta.db_table
        self.enterprise_table = Enterprise._meta.db_table
        self.owner_columns = [f.column for f in Owner._meta.concrete_fields]
        self.enterprise_columns = [f.column for f in Enterprise._meta.concrete_fields]

    def _rows(self):
        with self.path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            index = {name: i for i, name in enumerate(header)}
            yield index
            yield from reader

    @staticmethod
    def _stand_in(digest: str) -> str:
        # The registry stores NIK and phone as Fernet tokens (120 characters for these lengths):
        # the baseline writes stand-ins of the same length, without encrypting.
        return "gAAAAA" + (digest + digest)[:114]

    def owners(self, first_id: int, now_value):
        rows = self._rows()
        c = next(rows)
        columns = self.owner_columns
        for n, r in enumerate(rows):
            nik, phone = r[c["nik"]], r[c["phone"]]
            values = {
                "id": first_id + n,
                "full_name": r[c["owner_name"]],
                "sex": r[c["sex"]],
                "birth_date": r[c["birth_date"]],
                "nik": self._stand_in(r[c["nik_hash"]]),
                "nik_raw": self._stand_in(r[c["nik_hash"]][::-1]),
                "nik_hash": r[c["nik_hash"]],
                "nik_last4": nik[-4:],
                "phone": self._stand_in(r[c["phone_hash"]]),
                "phone_raw": self._stand_in(r[c["phone_hash"]][::-1]),
                "phone_hash": r[c["phone_hash"]],
                "address": "",
                "user_id": None,
                "is_synthetic": False,
                "created_at": now_value,
                "updated_at": now_value,
            }
            assert phone  # noqa: S101
            yield tuple(values[col] for col in columns)

    def enterprises(self, first_id: int, first_owner_id: int, now_value, true, false):
        rows = self._rows()
        c = next(rows)
        columns = self.enterprise_columns
        for n, r in enumerate(rows):
            region_id, path = self.regions[r[c["region_code"]]]
            kbli_id, section = self.kbli[r[c["kbli"]]]
            district = r[c["district_code"]]
            sales = int(r[c["annual_sales"]])
            size = "micro" if sales <= 2_000_000_000 else "small" if sales <= 15_000_000_000 else "medium"
            values = {
                "id": first_id + n,
                "name": r[c["business_name"]],
                "owner_id": first_owner_id + n,
                "region_id": region_id,
                "region_path": path,
                "regency_code": r[c["regency_code"]],
                "district_code": district,
                "is_border": true if district in self.border else false,
                "address": r[c["address"]],
                "latitude": None,
                "longitude": None,
                "nib": r[c["nib"]],
                "nib_raw": r[c["nib_raw"]],
                "npwp": "",
                "npwp_raw": "",
                "phone": "",
                "phone_raw": "",
                "primary_kbli_id": kbli_id,
                "kbli_section": section,
                "sector": "",
                "established_year": int(r[c["established_year"]]),
                "sells_cross_border": true if r[c["sells_to_malaysia"]] == "1" else false,
                "cross_border_brand": "unknown",
                "size_class": size,
                "size_regime": "pp7_2021",
                "has_nib": true,
                "is_synthetic": false,
                "created_at": now_value,
                "updated_at": now_value,
            }
            yield tuple(values[col] for col in columns)


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - our own table names
    return cursor.fetchone()[0]


def task_copy(clean: str) -> dict:
    _django()
    from django.db import connection, transaction

    assert connection.vendor == "postgresql", connection.vendor  # noqa: S101
    data = _Clean(Path(clean))
    t0 = time.perf_counter()
    rows = 0
    with transaction.atomic():
        raw = connection.connection  # the psycopg Connection under Django's
        with raw.cursor() as cur:
            owner_id, ent_id = _next_id(cur, data.owner_table), _next_id(cur, data.enterprise_table)
            cols = ", ".join(data.owner_columns)
            with cur.copy(f"COPY {data.owner_table} ({cols}) FROM STDIN") as copy:
                for row in data.owners(owner_id, data.now):
                    copy.write_row(row)
                    rows += 1
            cols = ", ".join(data.enterprise_columns)
            with cur.copy(f"COPY {data.enterprise_table} ({cols}) FROM STDIN") as copy:
                for row in data.enterprises(ent_id, owner_id, data.now, True, False):
                    copy.write_row(row)
            for table in (data.owner_table, data.enterprise_table):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
    # Leaving atomic() commits, so the deferred foreign-key checks are inside the measured time.
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows, "ok": True}


def task_executemany(clean: str) -> dict:
    _django()
    from django.db import connection, transaction

    assert connection.vendor == "sqlite", connection.vendor  # noqa: S101
    data = _Clean(Path(clean))
    now = data.now.isoformat(sep=" ")
    t0 = time.perf_counter()
    counter = [0]

    def counted(it):
        for row in it:
            counter[0] += 1
            yield row

    with transaction.atomic():
        raw = connection.connection  # the sqlite3 Connection under Django's (foreign keys on, WAL)
        cur = raw.cursor()
        owner_id, ent_id = _next_id(cur, data.owner_table), _next_id(cur, data.enterprise_table)
        marks = ", ".join("?" * len(data.owner_columns))
        cur.executemany(
            f"INSERT INTO {data.owner_table} ({', '.join(data.owner_columns)}) VALUES ({marks})",  # noqa: S608
            counted(data.owners(owner_id, now)),
        )
        marks = ", ".join("?" * len(data.enterprise_columns))
        cur.executemany(
            f"INSERT INTO {data.enterprise_table} ({', '.join(data.enterprise_columns)}) VALUES ({marks})",  # noqa: S608
            data.enterprises(ent_id, owner_id, now, 1, 0),
        )
        cur.close()
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": counter[0], "ok": True}


def task_calamine(path: str) -> dict:
    import python_calamine

    t0 = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_index(0)
    rows = cells = 0
    for values in sheet.iter_rows():
        rows += 1
        cells += len(values)
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows - 1, "cells": cells, "ok": True}


def task_reader(path: str) -> dict:
    _django()
    from plut.imports import readers

    t0 = time.perf_counter()
    rows = 0
    with readers.open_table(path, filename=Path(path).name) as table:
        for _row in table.raw_rows():
            rows += 1
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows - 1, "ok": True}


def _token_stand_in(plain: str) -> str:
    """A string as long as the Fernet token of ``plain`` (what the registry stores), not encrypted."""
    padded = (len(plain.encode()) // 16 + 1) * 16
    return "g" * (4 * ((1 + 8 + 16 + padded + 32 + 2) // 3))


def _full_output(clean: Path, chunk: int = 10_000):
    """Yield ``(inserter, rows)``, chunk by chunk, of every row an import of the clean file writes.

    The same tables and columns as the import (owners, enterprises, KBLI links, figure snapshots,
    permits, products, import rows, audit log), built with ``BulkInserter.row`` for the column
    order; encrypted columns get stand-ins of the token's length; dates and JSON as text.
    """
    from django.utils import timezone

    from plut.core.bulk import BulkInserter
    from plut.core.models import AuditLog
    from plut.enterprises.models import Enterprise, EnterpriseKbli, FigureSnapshot, Owner, Permit, Product
    from plut.imports.models import ImportBatch, ImportRow

    data = _Clean(clean)
    now = timezone.now().isoformat(sep=" ")
    today = timezone.localdate().isoformat()
    batch = ImportBatch.objects.create(original_name="baseline", original_sha256="0" * 64, size_bytes=0)
    ins = {
        m: BulkInserter(m, with_id=m in (Owner, Enterprise))
        for m in (Owner, Enterprise, EnterpriseKbli, FigureSnapshot, Permit, Product, ImportRow, AuditLog)
    }
    first_owner = ins[Owner].allocate_ids(1)[0]
    first_ent = ins[Enterprise].allocate_ids(1)[0]
    out: dict = {m: [] for m in ins}
    rows = data._rows()
    c = next(rows)
    for n, r in enumerate(rows):
        if n and n % chunk == 0:
            for model, inserter in ins.items():
                yield inserter, out[model]
            out = {m: [] for m in ins}
        oid, eid = first_owner + n, first_ent + n
        region_id, path = data.regions[r[c["region_code"]]]
        kbli_id, section = data.kbli[r[c["kbli"]]]
        district = r[c["district_code"]]
        sales = int(r[c["annual_sales"]])
        size = "micro" if sales <= 2_000_000_000 else "small" if sales <= 15_000_000_000 else "medium"
        out[Owner].append(
            ins[Owner].row(
                id=oid,
                full_name=r[c["owner_name"]],
                sex=r[c["sex"]],
                birth_date=r[c["birth_date"]],
                nik=_token_stand_in(r[c["nik"]]),
                nik_raw=_token_stand_in(r[c["nik"]]),
                nik_hash=r[c["nik_hash"]],
                nik_last4=r[c["nik"]][-4:],
                phone=_token_stand_in(r[c["phone"]]),
                phone_raw=_token_stand_in(r[c["phone"]]),
                phone_hash=r[c["phone_hash"]],
                created_at=now,
                updated_at=now,
            )
        )
        out[Enterprise].append(
            ins[Enterprise].row(
                id=eid,
                name=r[c["business_name"]],
                owner_id=oid,
                region_id=region_id,
                region_path=path,
                regency_code=r[c["regency_code"]],
                district_code=district,
                is_border=district in data.border,
                address=r[c["address"]],
                nib=r[c["nib"]],
                nib_raw=r[c["nib_raw"]],
                primary_kbli_id=kbli_id,
                kbli_section=section,
                established_year=int(r[c["established_year"]]),
                sells_cross_border=r[c["sells_to_malaysia"]] == "1",
                size_class=size,
                has_nib=True,
                created_at=now,
                updated_at=now,
            )
        )
        out[EnterpriseKbli].append(
            ins[EnterpriseKbli].row(
                enterprise_id=eid, kbli_id=kbli_id, kbli_raw=r[c["kbli"]], is_primary=True
            )
        )
        out[FigureSnapshot].append(
            ins[FigureSnapshot].row(
                enterprise_id=eid,
                as_of=today,
                annual_sales_idr=sales,
                capital_idr=int(r[c["capital"]]),
                workers=int(r[c["workers"]]),
                source="import",
                note=f"Import batch #{batch.pk}",
                size_class=size,
                created_at=now,
            )
        )
        out[Permit].append(
            ins[Permit].row(enterprise_id=eid, kind="nib", number=r[c["nib"]], number_raw=r[c["nib_raw"]])
        )
        out[Product].append(ins[Product].row(enterprise_id=eid, name=r[c["product"]]))
        raw = json.dumps(r[1:17], ensure_ascii=False)
        out[ImportRow].append(
            ins[ImportRow].row(
                batch_id=batch.pk,
                number=n + 2,
                outcome="created",
                enterprise_id=eid,
                raw=_token_stand_in(raw),
                errors="[]",
                warnings="[]",
                changes="{}",
            )
        )
        out[AuditLog].append(
            ins[AuditLog].row(
                at=now,
                action="enterprise.import_create",
                target_type="enterprises.enterprise",
                target_id=str(eid),
                target_repr=r[c["business_name"]],
                data=json.dumps({"batch": batch.pk, "row": n + 2, "changes": {}}),
            )
        )
    for model, inserter in ins.items():
        yield inserter, out[model]


def task_copy_full(clean: str) -> dict:
    _django()
    from django.db import connection, transaction

    assert connection.vendor == "postgresql", connection.vendor  # noqa: S101
    t0 = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.connection.cursor() as cur:
        for inserter, table_rows in _full_output(Path(clean)):
            if inserter.model._meta.model_name == "enterprise":
                rows += len(table_rows)
            with cur.copy(inserter._copy_sql) as copy:
                for row in table_rows:
                    copy.write_row(row)
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows, "ok": True}


def task_executemany_full(clean: str) -> dict:
    _django()
    from django.db import connection, transaction

    assert connection.vendor == "sqlite", connection.vendor  # noqa: S101
    t0 = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.cursor() as cur:
        for inserter, table_rows in _full_output(Path(clean)):
            if inserter.model._meta.model_name == "enterprise":
                rows += len(table_rows)
            cur.executemany(inserter._insert_sql, table_rows)
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "rows": rows, "ok": True}


TASKS = {
    "setup": task_setup,
    "import": task_import,
    "profile": task_profile,
    "copy": task_copy,
    "executemany": task_executemany,
    "copy-full": task_copy_full,
    "executemany-full": task_executemany_full,
    "calamine": task_calamine,
    "reader": task_reader,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        raise SystemExit(f"usage: python -m benchmarks.worker {{{','.join(TASKS)}}} ARGS…")
    _emit(TASKS[argv[0]](*argv[1:]))


if __name__ == "__main__":
    main(sys.argv[1:])
