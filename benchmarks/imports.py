"""Benchmark the spreadsheet import (issue #3, "Speed") against COPY / executemany and python-calamine.

    .venv/bin/python -m benchmarks.imports [--rows 1000000] [--xlsx-rows 200000]
                                          [--db sqlite|postgres|both] [--quick] [--profile]

See benchmarks/README.md for what is measured and how to read the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks import generate
from benchmarks.paths import scrub

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
# Imports of at most this many rows are repeated (--repeat times) and reported as medians.
REPEAT_IMPORT_MAX_ROWS = 10_000
PG_TEMPLATE = "plut_bench_tpl"
PG_RUN = "plut_bench"


# --- output ----------------------------------------------------------------------------------


class Out:
    """Print to stdout and append to the results file as we go (a long run keeps what it measured)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.file = path.open("w", encoding="utf-8") if path else None

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        if self.file:
            self.file.write(scrub(text) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file:
            self.file.close()


@dataclass
class Measure:
    db: str
    name: str
    rows: int
    runs: list[dict] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r["seconds"] for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return statistics.median(r["maxrss_mb"] for r in self.runs)

    @property
    def process_s(self) -> float:
        return statistics.median(r["process_s"] for r in self.runs)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")

    @property
    def ok(self) -> bool:
        return all(r.get("ok") for r in self.runs)


# --- processes -------------------------------------------------------------------------------


def run_worker(task: str, args: list[str], env: dict[str, str], log: Out) -> dict:
    """Run ``python -m benchmarks.worker TASK ARGS`` and return its JSON plus its peak RSS and wall time."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "benchmarks.worker", task, *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        # wait4 (not communicate) so that the child's own rusage is returned: ru_maxrss is its peak RSS.
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        log(f"  !! worker {task} {' '.join(args)} failed (exit {proc.returncode})")
        for line in (stderr.strip().splitlines() or stdout.strip().splitlines())[-25:]:
            log(f"  !! {line}")
        raise SystemExit(1)
    result = json.loads(lines[-1])
    result["maxrss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    result["process_s"] = elapsed
    return result


class Database:
    """One database under test: a template (migrated, reference data loaded) and a fresh copy per run."""

    name: str

    def env(self, data_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="plut.settings",
            DATABASE_URL=self.run_url(),
            PLUT_DATA_DIR=str(data_dir),
            PLUT_LOG_LEVEL="WARNING",
        )
        return env

    def run_url(self) -> str:
        raise NotImplementedError

    def prepare_template(self, work: Path, log: Out) -> dict:
        raise NotImplementedError

    def fresh(self) -> None:
        raise NotImplementedError

    def cleanup(self) -> None:
        pass

    def version(self) -> str:
        raise NotImplementedError


class SQLiteDB(Database):
    name = "sqlite"

    def __init__(self, work: Path):
        self.dir = work / "sqlite"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.template = self.dir / "template.sqlite3"
        self.path = self.dir / "bench.sqlite3"

    def run_url(self) -> str:
        return f"sqlite:///{self.path}"

    def prepare_template(self, work: Path, log: Out) -> dict:
        self._remove(self.path)
        data_dir = work / "setup-sqlite"
        result = run_worker("setup", [], self.env(data_dir), log)
        with sqlite3.connect(self.path) as conn:  # fold the WAL into the file before copying it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copyfile(self.path, self.template)
        shutil.rmtree(data_dir, ignore_errors=True)
        return result

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    def fresh(self) -> None:
        self._remove(self.path)
        shutil.copyfile(self.template, self.path)

    def cleanup(self) -> None:
        self._remove(self.path)
        self._remove(self.template)

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"


class PostgresDB(Database):
    name = "postgres"

    def __init__(self, admin_url: str):
        self.admin_url = admin_url

    def _url(self, dbname: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + dbname))

    def run_url(self) -> str:
        return self._url(PG_RUN)

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def _drop(self, conn, name: str) -> None:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def prepare_template(self, work: Path, log: Out) -> dict:
        with self._admin() as conn:
            self._drop(conn, PG_RUN)
            self._drop(conn, PG_TEMPLATE)
            conn.execute(f'CREATE DATABASE "{PG_RUN}"')
        data_dir = work / "setup-postgres"
        result = run_worker("setup", [], self.env(data_dir), log)
        with self._admin() as conn:
            conn.execute(f'ALTER DATABASE "{PG_RUN}" RENAME TO "{PG_TEMPLATE}"')
        shutil.rmtree(data_dir, ignore_errors=True)
        return result

    def fresh(self) -> None:
        with self._admin() as conn:
            self._drop(conn, PG_RUN)
            conn.execute(f'CREATE DATABASE "{PG_RUN}" TEMPLATE "{PG_TEMPLATE}"')
            # Start every measurement from a clean buffer state rather than mid-checkpoint.
            conn.execute("CHECKPOINT")

    def cleanup(self) -> None:
        with self._admin() as conn:
            self._drop(conn, PG_RUN)
            self._drop(conn, PG_TEMPLATE)

    def version(self) -> str:
        with self._admin() as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


# --- the run ---------------------------------------------------------------------------------


def host_kind() -> str:
    virt = ""
    if shutil.which("systemd-detect-virt"):
        found = subprocess.run(["systemd-detect-virt"], capture_output=True, text=True, check=False)  # noqa: S607
        virt = found.stdout.strip() if found.returncode == 0 else ""
    kind = f"{platform.system().lower()}-{platform.machine()}-{os.cpu_count()}cpu"
    return f"{kind}-{virt}" if virt and virt != "none" else kind


def host_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {total_kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def fmt_rows(n: int) -> str:
    return f"{n:,}"


def measure(
    log: Out,
    db: Database | None,
    name: str,
    rows: int,
    task: str,
    args: list[str],
    repeat: int,
    work: Path,
    env_db: Database,
) -> Measure:
    m = Measure(db.name if db else "-", name, rows)
    for i in range(repeat):
        data_dir = work / "data-dir"
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        if db is not None:
            db.fresh()
        result = run_worker(task, args, env_db.env(data_dir), log)
        if result.get("rows") is not None and result["rows"] != rows:
            result["ok"] = False
            result.setdefault("note", f"expected {rows} rows, got {result['rows']}")
        m.runs.append(result)
        extra = ""
        if "create_s" in result:
            extra = f" (upload {result['create_s']:.1f} s + run {result['run_s']:.1f} s)"
        status = (
            ""
            if result.get("ok")
            else "  !! NOT OK: "
            + json.dumps(
                {k: result.get(k) for k in ("status", "counts", "note", "sample_errors")}, default=str
            )[:1500]
        )
        log(
            f"  {m.db:8} {name:34} run {i + 1}/{repeat}: {result['seconds']:8.2f} s{extra}, "
            f"{rows / result['seconds']:9,.0f} rows/s, peak RSS {result['maxrss_mb']:7.0f} MB{status}"
        )
        shutil.rmtree(data_dir, ignore_errors=True)
    return m


def table(log: Out, measures: list[Measure]) -> None:
    log(
        f"{'db':9}{'measurement':36}{'rows':>11}{'seconds':>10}{'min-max':>17}{'rows/s':>11}"
        f"{'peak RSS MB':>13}{'process s':>11}{'runs':>6}"
    )
    for m in measures:
        spread = ""
        if len(m.runs) > 1:
            secs = [r["seconds"] for r in m.runs]
            spread = f"{min(secs):.2f}-{max(secs):.2f}"
        flag = "" if m.ok else "  NOT OK"
        log(
            f"{m.db:9}{m.name:36}{m.rows:>11,}{m.seconds:>10.2f}{spread:>17}{m.rate:>11,.0f}"
            f"{m.rss_mb:>13.0f}{m.process_s:>11.1f}{len(m.runs):>6}{flag}"
        )


def ratio_line(log: Out, label: str, num: Measure | None, den: Measure | None, target: float | None) -> None:
    if num is None or den is None:
        return
    # Per-row time ratio (equal to the time ratio when both measured the same rows).
    value = (num.seconds / num.rows) / (den.seconds / den.rows)
    verdict = ""
    if target is not None:
        verdict = f"  target ≤ {target:g}×: {'met' if value <= target else 'MISSED'}"
    same = "" if num.rows == den.rows else f" (per row: {num.rows:,} vs {den.rows:,} rows)"
    log(f"  {label:62} {value:7.2f}×{verdict}{same}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV rows (default 1,000,000)")
    parser.add_argument("--xlsx-rows", type=int, default=200_000, help="XLSX rows (default 200,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="20,000 CSV rows and 10,000 XLSX rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each small measurement (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("PLUT_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL URL of a maintenance database; the benchmark creates and drops "
        f"{PG_TEMPLATE} and {PG_RUN} next to it",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "plut-bench-data",
        help="where generated files are cached between runs",
    )
    parser.add_argument(
        "--out", type=Path, help="results file (default benchmarks/results/<date>-<host>.txt)"
    )
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of the benchmark, profile the import of a 20,000-row CSV on each database (py-spy if found, and cProfile)",
    )
    parser.add_argument("--py-spy", help="path of the py-spy binary for --profile (default: on PATH)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.xlsx_rows = 20_000, 10_000
    if args.rows < 10:
        parser.error("--rows must be at least 10")

    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d")
    suffix = "-profile" if args.profile else "-quick" if args.quick else ""
    out_path = None if args.no_save else (args.out or RESULTS / f"{stamp}-{host_kind()}{suffix}.txt")
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    log = Out(out_path)
    work = Path(tempfile.mkdtemp(prefix="plut-bench-"))
    dbs: list[Database] = []
    if args.db in ("sqlite", "both"):
        dbs.append(SQLiteDB(work))
    if args.db in ("postgres", "both"):
        dbs.append(PostgresDB(args.pg_url))
    started = time.perf_counter()
    try:
        if args.profile:
            run_profile(log, args, dbs, work, out_path)
        else:
            run_benchmark(log, args, dbs, work)
    finally:
        for db in dbs:
            try:
                db.cleanup()
            except Exception as exc:  # noqa: BLE001 - report, keep cleaning
                log(f"  cleanup of {db.name} failed: {exc}")
        shutil.rmtree(work, ignore_errors=True)
        log(
            f"Total wall time {(time.perf_counter() - started) / 60:.1f} min; load average at end {loadavg()}."
        )
        if out_path:
            log(f"Saved to {out_path.relative_to(ROOT) if out_path.is_relative_to(ROOT) else out_path}")
        log.close()


def _header(log: Out, args, dbs: list[Database]) -> None:
    import django

    log(
        f"plut import benchmark — {dt.datetime.now().astimezone().isoformat(timespec='minutes')} — {host_kind()}"
    )
    log(f"Host: {host_description()}, Django {django.get_version()}")
    log(f"Databases: {', '.join(db.version() for db in dbs)}")
    log(f"Load average at start: {loadavg()}")
    log(
        "Command: .venv/bin/python -m benchmarks.imports "
        + " ".join(a for a in sys.argv[1:] if a)
        + f"  (rows={args.rows:,}, xlsx-rows={args.xlsx_rows:,}, repeat={args.repeat}, seed={args.seed})"
    )
    log()


def run_benchmark(log: Out, args, dbs: list[Database], work: Path) -> None:
    _header(log, args, dbs)
    small_rows = max(args.rows // 10, 1)
    log("Data (generated once, cached in " + str(args.data_dir) + "):")
    csv_path, csv_clean = generate.ensure_csv(args.data_dir, args.rows, args.seed, log)
    small_path, _small_clean = generate.ensure_csv(args.data_dir, small_rows, args.seed, log)
    xlsx_path, xlsx_clean = generate.ensure_xlsx(args.data_dir, args.xlsx_rows, args.seed + 1, log)
    log()

    measures: list[Measure] = []
    by_key: dict[tuple[str, str], Measure] = {}

    def add(m: Measure, key: str) -> Measure:
        measures.append(m)
        by_key[(m.db, key)] = m
        return m

    def import_repeat(rows: int) -> int:
        return args.repeat if rows <= REPEAT_IMPORT_MAX_ROWS else 1

    try:
        # Database-independent readers. The reader tasks need Django settings but no database.
        nodb = SQLiteDB(work / "nodb")
        log("Readers (no database):")
        add(
            measure(log, None, "calamine alone: read XLSX", args.xlsx_rows, "calamine", [str(xlsx_path)],
                    args.repeat, work, nodb),
            "calamine",
        )  # fmt: skip
        add(
            measure(log, None, "plut reader: XLSX rows", args.xlsx_rows, "reader", [str(xlsx_path)],
                    args.repeat, work, nodb),
            "reader_xlsx",
        )  # fmt: skip
        add(
            measure(log, None, "plut reader: CSV rows", args.rows, "reader", [str(csv_path)], args.repeat,
                    work, nodb),
            "reader_csv",
        )  # fmt: skip
        log()

        for db in dbs:
            log(f"{db.version()}: migrating a template database and loading the reference data …")
            setup = db.prepare_template(work, log)
            log(
                f"  template ready in {setup['seconds']:.1f} s (migrate {setup['migrate_s']:.1f} s, "
                f"reference {setup['reference_s']:.1f} s); every measurement below starts from a fresh copy"
            )
            base_task, base_name = (
                ("copy", "COPY") if db.name == "postgres" else ("executemany", "executemany")
            )
            add(
                measure(log, db, f"baseline {base_name}: CSV rows, clean", args.rows, base_task, [str(csv_clean)],
                        args.repeat, work, db),
                "base_csv",
            )  # fmt: skip
            add(
                measure(log, db, f"baseline {base_name}: XLSX rows, clean", args.xlsx_rows, base_task,
                        [str(xlsx_clean)], args.repeat, work, db),
                "base_xlsx",
            )  # fmt: skip
            full_task = base_task + "-full"
            add(
                measure(log, db, f"baseline {base_name}: CSV rows, full output", args.rows, full_task,
                        [str(csv_clean)], args.repeat, work, db),
                "base_full_csv",
            )  # fmt: skip
            add(
                measure(log, db, f"baseline {base_name}: XLSX rows, full output", args.xlsx_rows, full_task,
                        [str(xlsx_clean)], args.repeat, work, db),
                "base_full_xlsx",
            )  # fmt: skip
            add(
                measure(log, db, "import CSV (N/10)", small_rows, "import", [str(small_path), str(small_rows)],
                        import_repeat(small_rows), work, db),
                "import_csv_small",
            )  # fmt: skip
            add(
                measure(log, db, "import CSV", args.rows, "import", [str(csv_path), str(args.rows)],
                        import_repeat(args.rows), work, db),
                "import_csv",
            )  # fmt: skip
            add(
                measure(log, db, "import XLSX", args.xlsx_rows, "import", [str(xlsx_path), str(args.xlsx_rows)],
                        import_repeat(args.xlsx_rows), work, db),
                "import_xlsx",
            )  # fmt: skip
            log()
    except (SystemExit, KeyboardInterrupt):
        log()
        log("!! The run stopped before the end: partial results follow.")
        report(log, dbs, measures, by_key)
        raise
    report(log, dbs, measures, by_key)


def report(log: Out, dbs: list[Database], measures: list[Measure], by_key: dict) -> None:
    """Print the table of the measurements and the ratios between them."""
    if not measures:
        return
    log("Results (seconds = median of the runs, measured inside the worker process; peak RSS = the")
    log("worker process's ru_maxrss; process s = the whole process including start-up):")
    table(log, measures)
    log()
    log("Ratios (all from this run):")
    get = by_key.get
    ratio_line(log, "plut XLSX reader / calamine alone", get(("-", "reader_xlsx")), get(("-", "calamine")), 2)
    for db in dbs:
        base = "COPY" if db.name == "postgres" else "executemany"
        target = 3 if db.name == "postgres" else None
        ratio_line(
            log, f"{db.name}: import CSV / {base} of its full output", get((db.name, "import_csv")),
            get((db.name, "base_full_csv")), target,
        )  # fmt: skip
        ratio_line(
            log, f"{db.name}: import XLSX / {base} of its full output", get((db.name, "import_xlsx")),
            get((db.name, "base_full_xlsx")), target,
        )  # fmt: skip
        ratio_line(
            log, f"{db.name}: import CSV / {base} of owners+enterprises", get((db.name, "import_csv")),
            get((db.name, "base_csv")), None,
        )  # fmt: skip
        ratio_line(
            log, f"{db.name}: import XLSX / {base} of owners+enterprises", get((db.name, "import_xlsx")),
            get((db.name, "base_xlsx")), None,
        )  # fmt: skip
        ratio_line(
            log, f"{db.name}: import XLSX / calamine alone", get((db.name, "import_xlsx")), get(("-", "calamine")),
            None,
        )  # fmt: skip
        small, big = get((db.name, "import_csv_small")), get((db.name, "import_csv"))
        if small and big:
            growth = big.rss_mb / small.rss_mb
            per_100k = (big.rss_mb - small.rss_mb) / max(big.rows - small.rows, 1) * 100_000
            log(
                f"  {db.name + ': memory, import CSV ' + f'{big.rows:,} vs {small.rows:,} rows':62} "
                f"{growth:7.2f}× peak RSS ({small.rss_mb:.0f} → {big.rss_mb:.0f} MB, "
                f"+{per_100k:.0f} MB per 100k rows): {'flat' if growth <= 1.2 else 'NOT flat'}"
            )
            log(
                f"  {db.name + ': rows/s, import CSV ' + f'{big.rows:,} vs {small.rows:,} rows':62} "
                f"{big.rate:7,.0f} vs {small.rate:,.0f} rows/s"
            )
        if big and big.rows < 1_000_000:
            log(
                f"  {db.name + ': EXTRAPOLATED 1,000,000-row CSV import':62} "
                f"~{1_000_000 / big.rate / 60:5.1f} min at the {big.rows:,}-row rate (not measured)"
            )
            if small and small.rows >= 10_000 and big.rows > small.rows:
                slope = (big.rss_mb - small.rss_mb) / (big.rows - small.rows)
                log(
                    f"  {db.name + ': EXTRAPOLATED peak RSS, 1,000,000-row CSV':62} "
                    f"~{big.rss_mb + slope * (1_000_000 - big.rows):5.0f} MB, linear in rows (not measured)"
                )
    bad = [m for m in measures if not m.ok]
    if bad:
        log()
        log("!! Some measurements are NOT OK (rows rejected or counts differ): " + ", ".join(
            f"{m.db}/{m.name}" for m in bad))  # fmt: skip
    log()


def run_profile(log: Out, args, dbs: list[Database], work: Path, out_path: Path | None) -> None:
    """Profile the import of a 20,000-row CSV on each database: py-spy (sampled) and cProfile."""
    from benchmarks.sampled import summarise

    _header(log, args, dbs)
    rows = 20_000
    path, _clean = generate.ensure_csv(args.data_dir, rows, args.seed, log)
    pyspy = args.py_spy or shutil.which("py-spy")
    base = out_path.with_suffix("") if out_path else work / "profile"
    for db in dbs:
        log(f"{db.version()}: preparing …")
        db.prepare_template(work, log)
        data_dir = work / "data-dir"
        if pyspy:
            db.fresh()
            shutil.rmtree(data_dir, ignore_errors=True)
            data_dir.mkdir(parents=True)
            raw = args.data_dir / f"{base.name}-{db.name}.pyspy.txt"
            command = [pyspy, "record", "--idle", "--format", "raw", "--rate", "100", "--output", str(raw),
                       "--", sys.executable, "-m", "benchmarks.worker", "import", str(path), str(rows)]  # fmt: skip
            t0 = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=db.env(data_dir), capture_output=True, text=True)  # noqa: S603
            log(
                f"  py-spy (sampling, 100 Hz, idle included): import of {rows:,} CSV rows, "
                f"{time.perf_counter() - t0:.1f} s for the process (exit {done.returncode})"
            )
            if raw.exists():
                for line in summarise(raw).splitlines():
                    log("  " + line)
                log(f"  raw stacks (collapsed, for flamegraph.pl / speedscope): {raw}")
            else:
                log("  py-spy wrote nothing: " + done.stderr.strip()[-500:])
            log()
        else:
            log("  (py-spy not found: pass --py-spy PATH for a sampled profile; cProfile only)")
        db.fresh()
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        stem = f"{base}-{db.name}-cprofile"
        result = run_worker("profile", [str(path), stem], db.env(data_dir), log)
        shutil.rmtree(data_dir, ignore_errors=True)
        prof = args.data_dir / (Path(stem).name + ".prof")
        shutil.move(stem + ".prof", prof)
        log(
            f"  cProfile: import of {rows:,} CSV rows took {result['seconds']:.1f} s under cProfile "
            f"(its overhead inflates many small calls; use the shares above for proportions). "
            f"Status {result['status']}, counts {result['counts']}"
        )
        text = Path(stem + ".txt").read_text()
        for line in text.splitlines()[:12]:
            log("  " + line)
        log(f"  full cProfile listing: {stem}.txt; raw profile (pstats): {prof}")
        log()


if __name__ == "__main__":
    main()
