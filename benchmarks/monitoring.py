"""Benchmark the monitoring dashboards and the XLSX export (issue #7, "Speed") on PostgreSQL.

    .venv/bin/python -m benchmarks.monitoring [--enterprises 1000000] [--figures 12] [--queries 300]
                                             [--quick] [--keep-db] [--pg-url URL]

1. creates a fresh database ``plut_bench_mon`` (migrations + reference data);
2. generates the synthetic province (``plut generate-province``: COPY of owners, enterprises,
   figures, permits, then the fact table and aggregate cells rebuilt) and times each step;
3. measures, in one process, the latency of a primary-key lookup of one enterprise
   (``Enterprise.objects.get(pk=…)``, random ids: the baseline) and of the dashboard figures
   (``selectors.region_figures``) of the province, a regency and a district, random months and
   filters, as the office administrator (whole province) and as a regency officer (scoped: the
   province view is the sum over their regency; their scope comes with the user row,
   ``User.scope_paths``, so no figure pays a query for it); median and p95
   in ms, ratio p95 / baseline p95 (target ≤ 1.5);
4. exports all enterprises, and a tenth of them, to XLSX (``export.enterprises_xlsx``, openpyxl
   write-only), one process each: seconds and peak RSS (``ru_maxrss`` through ``wait4``); memory is
   flat when the full export's peak is ≤ 1.2 × the tenth's.

The output is saved to ``benchmarks/results/<date>-<host-kind>-monitoring-<N>.txt`` (paths scrubbed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.imports import Out, host_kind

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DB = "plut_bench_mon"


def _url(admin_url: str, dbname: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path="/" + dbname))


def _env(url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "PLUT_DATA_DIR": data_dir,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "plut.settings",
            "PLUT_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )
    return env


def run(args: list[str], env: dict[str, str]) -> tuple[dict, float, float]:
    """Run a child; return its last JSON line, wall seconds and peak RSS in MB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args} failed:\n{out[-2000:]}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), wall, usage.ru_maxrss / 1024


def _admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


# --- worker side -------------------------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median_ms": statistics.median(s) * 1000, "p95_ms": s[int(0.95 * (len(s) - 1))] * 1000}


def worker_setup() -> dict:
    _django()
    from django.core.management import call_command

    from plut.regions.services import load_all_reference

    call_command("migrate", verbosity=0)
    load_all_reference()
    return {"ok": True}


def worker_latency(queries: int) -> dict:
    import random

    _django()
    from plut.accounts.models import Role
    from plut.accounts.services import user_create
    from plut.enterprises.models import Enterprise
    from plut.monitoring.models import AggregateCell
    from plut.monitoring.selectors import region_children_figures, region_figures
    from plut.regions.models import Level, Region

    rng = random.Random(7)
    admin = user_create(
        actor=None,
        username="bench_admin",
        role=Role.OFFICE_ADMIN,
        region_codes=[],
        password="x" * 20,
        check_password=False,
    )  # noqa: S106
    officer = user_create(
        actor=None,
        username="bench_officer",
        role=Role.REGENCY_OFFICER,
        region_codes=["61.03"],
        password="x" * 20,
        check_password=False,  # noqa: S106
    )
    lo, hi = (
        Enterprise.objects.order_by("id").values_list("id", flat=True).first(),
        Enterprise.objects.order_by("-id").values_list("id", flat=True).first(),
    )
    months = sorted(
        set(AggregateCell.objects.filter(period_type="month", level=1).values_list("period_start", flat=True))
    )
    regencies = list(Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True))
    districts = list(
        Region.objects.filter(level=Level.DISTRICT, code__startswith="61.03.").values_list("code", flat=True)
    )
    all_districts = list(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
    filters = [
        {},
        {"border": "1"},
        {"section": "C"},
        {"size": "micro"},
        {"section": "G", "size": "small", "border": "0"},
    ]

    def time_it(fn, n):
        for _ in range(20):  # warm-up
            fn()
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        return out

    results = {}
    results["pk lookup (baseline)"] = _percentiles(
        time_it(lambda: Enterprise.objects.get(pk=rng.randint(lo, hi)), queries)
    )

    def view(user, codes):
        return lambda: region_figures(
            user=user,
            region_code=rng.choice(codes),
            period_type="month",
            period_start=rng.choice(months),
            **rng.choice(filters),
        )

    results["province, admin"] = _percentiles(time_it(view(admin, ["61"]), queries))
    results["regency, admin"] = _percentiles(time_it(view(admin, regencies), queries))
    results["district, admin"] = _percentiles(time_it(view(admin, all_districts), queries))
    results["province, regency officer"] = _percentiles(time_it(view(officer, ["61"]), queries))
    results["regency, regency officer"] = _percentiles(time_it(view(officer, ["61.03"]), queries))
    results["district, regency officer"] = _percentiles(time_it(view(officer, districts), queries))

    results["province map: 14 regencies, admin"] = _percentiles(
        time_it(
            lambda: region_children_figures(
                user=admin, region_code="61", period_type="month", period_start=rng.choice(months)
            ),
            queries // 3,
        )
    )
    return {"results": results, "cells": AggregateCell.objects.count()}


def worker_export(limit: int, path: str) -> dict:
    _django()
    from plut.enterprises.models import Enterprise
    from plut.monitoring.export import enterprises_xlsx

    first = Enterprise.objects.order_by("id").values_list("id", flat=True).first()
    qs = Enterprise.objects.filter(id__lt=first + limit)
    t0 = time.perf_counter()
    with open(path, "wb") as f:
        rows = enterprises_xlsx(qs, f)
    return {"seconds": time.perf_counter() - t0, "rows": rows, "bytes": os.path.getsize(path)}


def worker_main(argv: list[str]) -> None:
    task = argv[0]
    if task == "setup":
        result = worker_setup()
    elif task == "latency":
        result = worker_latency(int(argv[1]))
    elif task == "export":
        result = worker_export(int(argv[1]), argv[2])
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(result), flush=True)


# --- driver ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--figures", type=int, default=12, help="monthly figure rows per enterprise")
    parser.add_argument("--queries", type=int, default=300, help="timed queries per view")
    parser.add_argument("--quick", action="store_true", help="10,000 enterprises")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="measure an already generated database")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PLUT_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--out")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--worker", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return
    n = 10_000 if args.quick else args.enterprises
    RESULTS.mkdir(exist_ok=True)
    out_path = (
        None
        if args.no_save
        else Path(
            args.out or RESULTS / f"{dt.datetime.now(dt.UTC):%Y-%m-%d}-{host_kind()}-monitoring-{n}.txt"
        )
    )
    log = Out(out_path)
    url = _url(args.pg_url, DB)
    data_dir = tempfile.mkdtemp(prefix="plut-bench-mon-")
    env = _env(url, data_dir)
    me = ["-m", "benchmarks.monitoring", "--worker"]
    log(
        f"# monitoring benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {host_kind()}, load {os.getloadavg()[0]:.1f}"
    )
    log(f"enterprises {n:,}, figure rows {n * args.figures:,} (monthly), PostgreSQL database {DB}")
    try:
        if not args.reuse_db:
            _admin_sql(args.pg_url, f"DROP DATABASE IF EXISTS {DB}")
            _admin_sql(args.pg_url, f"CREATE DATABASE {DB}")
            run([*me, "setup"], env)
            gen, wall, rss = run(
                [
                    "manage.py",
                    "monitoring_generate_province",
                    "--enterprises",
                    str(n),
                    "--figures-per-enterprise",
                    str(args.figures),
                    "--json",
                ],
                env,
            )
            log("\n## generation (plut generate-province)")
            for key in ("owners_s", "enterprises_s", "figures_s", "permits_sizes_s", "rebuild_s"):
                log(f"{key:<18} {gen[key]:>9.1f} s")
            log(
                f"{'total':<18} {wall:>9.1f} s, peak RSS {rss:.0f} MB; {gen['figures']:,} figures, {gen['facts']:,} facts, {gen['cells']:,} cells"
            )
        lat, _wall, _rss = run([*me, "latency", str(args.queries)], env)
        log(
            f"\n## dashboard latency ({args.queries} queries per view, random months and filters; {lat['cells']:,} cells)"
        )
        base = lat["results"]["pk lookup (baseline)"]["p95_ms"]
        log(f"{'view':<38} {'median ms':>10} {'p95 ms':>8} {'p95 / pk p95':>13}")
        for name, r in lat["results"].items():
            log(f"{name:<38} {r['median_ms']:>10.3f} {r['p95_ms']:>8.3f} {r['p95_ms'] / base:>12.2f}x")
        log("target: p95 of the province, regency and district views <= 1.5x the primary-key lookup's p95")
        log("\n## XLSX export of the enterprises (openpyxl write-only, one process each)")
        sizes = [max(1, n // 10), n]
        rows = []
        for size in sizes:
            path = os.path.join(data_dir, f"export-{size}.xlsx")
            res, wall, rss = run([*me, "export", str(size), path], env)
            rows.append((size, res, rss))
            log(
                f"{res['rows']:>10,} rows  {res['seconds']:>8.1f} s  {res['rows'] / res['seconds']:>9,.0f} rows/s  peak RSS {rss:>6.0f} MB  file {res['bytes'] / 1e6:.1f} MB"
            )
            os.remove(path)
        ratio = rows[1][2] / rows[0][2]
        log(
            f"peak RSS at {sizes[1]:,} / at {sizes[0]:,} rows: {ratio:.2f}x ({'flat' if ratio <= 1.2 else 'NOT flat'}; flat = <= 1.2x)"
        )
    finally:
        if not args.keep_db and not args.reuse_db:
            _admin_sql(args.pg_url, f"DROP DATABASE IF EXISTS {DB}")
        log.close()


if __name__ == "__main__":
    main()
