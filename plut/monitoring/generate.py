"""A synthetic province at scale, written with PostgreSQL COPY (psycopg 3 ``cursor.copy``).

``generate_province(enterprises=1_000_000, figures_per_enterprise=12)`` writes that many owners and
enterprises (every row ``is_synthetic``; invented names, no NIK, no phone) in real villages of
Kalimantan Barat, weighted towards the border regencies, with real KBLI 2020 subclasses; one
``FigureSnapshot`` per enterprise and month (month ends, the last ``figures_per_enterprise`` months
up to December of ``year``), sales drawn from a log-normal around an enterprise's own level with
monthly noise, workers and capital; about 5% of enterprises get a P-IRT or halal certificate issued
during the year. Then the fact table and the aggregate cells are rebuilt
(``aggregates.aggregates_rebuild``). PostgreSQL only: it is a load generator, not a demo.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from plut.enterprises.models import Enterprise, FigureSnapshot, Owner, Permit
from plut.enterprises.sizeclass import classify
from plut.reference.models import Kbli
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes

FIRST = ["Siti", "Budi", "Ahmad", "Dewi", "Rina", "Agus", "Lim", "Yohanes", "Maria", "Hendra", "Nur", "Putri"]
LAST = ["Aminah", "Santoso", "Wijaya", "Hidayat", "Saputra", "Lestari", "Mei Hua", "Kurniawan", "Rahman"]
KIND = [
    "Amplang",
    "Kopi",
    "Lada",
    "Tenun",
    "Kerupuk",
    "Madu",
    "Sawit",
    "Ikan Asin",
    "Roti",
    "Bengkel",
    "Warung",
]
BORDER_REGENCIES = ("61.01", "61.02", "61.03", "61.05", "61.06", "61.07", "61.08")


def _month_ends(year: int, count: int) -> list[dt.date]:
    ends = []
    for i in range(count):
        index = year * 12 + 11 - (count - 1 - i)
        y, m = divmod(index, 12)
        nxt = dt.date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
        ends.append(nxt - dt.timedelta(days=1))
    return ends


def _columns(model, skip=()) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - our table names
    return cursor.fetchone()[0]


def generate_province(
    *,
    enterprises: int,
    figures_per_enterprise: int = 12,
    year: int = 2025,
    seed: int = 2026,
    rebuild: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Write the synthetic province; return counts and seconds per step."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The synthetic province generator needs PostgreSQL (COPY).")
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    border = border_district_codes()
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, retired_in__isnull=True).values_list("code", "pk", "path")
    )
    weights = [3.0 if code[:5] in BORDER_REGENCIES else 1.0 for code, _pk, _p in villages]
    kblis = list(Kbli.objects.filter(level=Kbli.Level.SUBCLASS).values_list("pk", "section"))
    rng.shuffle(kblis)
    kblis = kblis[:300]
    months = _month_ends(year, figures_per_enterprise)
    now = timezone.now()
    timings: dict[str, float] = {}
    with transaction.atomic():
        raw = connection.connection
        with raw.cursor() as cur:
            owner_table, ent_table = Owner._meta.db_table, Enterprise._meta.db_table
            snap_table, permit_table = FigureSnapshot._meta.db_table, Permit._meta.db_table
            first_owner, first_ent = _next_id(cur, owner_table), _next_id(cur, ent_table)
            t0 = time.perf_counter()
            ocols = _columns(Owner)
            with cur.copy(f"COPY {owner_table} ({', '.join(ocols)}) FROM STDIN") as copy:
                for i in range(enterprises):
                    values = {
                        "id": first_owner + i,
                        "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                        "sex": rng.choice("FM"),
                        "birth_date": None,
                        "nik": "",
                        "nik_raw": "",
                        "nik_hash": "",
                        "nik_last4": "",
                        "phone": "",
                        "phone_raw": "",
                        "phone_hash": "",
                        "address": "",
                        "user_id": None,
                        "is_synthetic": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    copy.write_row(tuple(values[c] for c in ocols))
            timings["owners_s"] = time.perf_counter() - t0
            log(f"owners: {enterprises:,} in {timings['owners_s']:.1f} s")

            t0 = time.perf_counter()
            ecols = _columns(Enterprise)
            scols = [c for c in _columns(FigureSnapshot) if c != "id"]
            snap_count = 0
            chosen = rng.choices(range(len(villages)), weights=weights, k=enterprises)
            # Enterprise rows first (COPY), figures second: one COPY stream at a time.
            sizes: list[str] = []
            levels: list[float] = []
            with cur.copy(f"COPY {ent_table} ({', '.join(ecols)}) FROM STDIN") as copy:
                for i in range(enterprises):
                    code, region_id, path = villages[chosen[i]]
                    district = code[:8]
                    kbli_id, section = kblis[i % len(kblis)]
                    # Annual sales: log-normal, median ~ Rp 300 million; a few small/medium ones.
                    level = math.exp(rng.gauss(math.log(300_000_000), 1.1))
                    levels.append(level)
                    sizes.append("")
                    values = {
                        "id": first_ent + i,
                        "name": f"{rng.choice(KIND)} {rng.choice(LAST)} {i}",
                        "owner_id": first_owner + i,
                        "region_id": region_id,
                        "region_path": path,
                        "regency_code": code[:5],
                        "district_code": district,
                        "is_border": district in border,
                        "address": "",
                        "latitude": None,
                        "longitude": None,
                        "nib": "",
                        "nib_raw": "",
                        "npwp": "",
                        "npwp_raw": "",
                        "phone": "",
                        "phone_raw": "",
                        "primary_kbli_id": kbli_id,
                        "kbli_section": section,
                        "sector": "",
                        "established_year": rng.randint(1990, year),
                        "sells_cross_border": district in border and rng.random() < 0.3,
                        "cross_border_brand": "unknown",
                        "size_class": "",
                        "size_regime": "pp7_2021",
                        "has_nib": False,
                        "is_synthetic": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    copy.write_row(tuple(values[c] for c in ecols))
            timings["enterprises_s"] = time.perf_counter() - t0
            log(f"enterprises: {enterprises:,} in {timings['enterprises_s']:.1f} s")

            t0 = time.perf_counter()
            with cur.copy(f"COPY {snap_table} ({', '.join(scols)}) FROM STDIN") as copy:
                for i in range(enterprises):
                    level = levels[i]
                    workers = max(1, int(level / 60_000_000))
                    capital = int(level * 0.6)
                    size = ""
                    for month_end in months:
                        sales = int(level * rng.uniform(0.7, 1.3))
                        result = classify(capital_idr=capital, annual_sales_idr=sales)
                        size = result.size_class.value
                        values = {
                            "enterprise_id": first_ent + i,
                            "as_of": month_end,
                            "capital_idr": capital,
                            "annual_sales_idr": sales,
                            "assets_idr": None,
                            "workers": workers,
                            "source": "demo",
                            "note": "synthetic",
                            "size_class": size,
                            "created_at": now,
                        }
                        copy.write_row(tuple(values[c] for c in scols))
                        snap_count += 1
                    sizes[i] = size
            timings["figures_s"] = time.perf_counter() - t0
            log(f"figures: {snap_count:,} in {timings['figures_s']:.1f} s")

            t0 = time.perf_counter()
            pcols = [c for c in _columns(Permit) if c != "id"]
            permits = 0
            with cur.copy(f"COPY {permit_table} ({', '.join(pcols)}) FROM STDIN") as copy:
                for i in range(enterprises):
                    if rng.random() < 0.05:
                        values = {
                            "enterprise_id": first_ent + i,
                            "kind": rng.choice(["pirt", "halal"]),
                            "number": "",
                            "number_raw": "",
                            "issued_on": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                            "expires_on": None,
                            "status": "active",
                        }
                        copy.write_row(tuple(values[c] for c in pcols))
                        permits += 1
            # The cached size class: the class of the latest figures (set per class in bulk).
            cur.execute("CREATE TEMP TABLE _sizes (id bigint, size varchar(8)) ON COMMIT DROP")
            with cur.copy("COPY _sizes (id, size) FROM STDIN") as copy:
                for i, size in enumerate(sizes):
                    copy.write_row((first_ent + i, size))
            cur.execute(f"UPDATE {ent_table} e SET size_class = s.size FROM _sizes s WHERE e.id = s.id")  # noqa: S608
            for table in (owner_table, ent_table, snap_table, permit_table):
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                cur.execute(sql)
            timings["permits_sizes_s"] = time.perf_counter() - t0
    for table in (Owner, Enterprise, FigureSnapshot, Permit):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table._meta.db_table}")
    out = {"enterprises": enterprises, "figures": snap_count, "permits": permits, **timings}
    if rebuild:
        from plut.monitoring.aggregates import aggregates_rebuild

        t0 = time.perf_counter()
        counts = aggregates_rebuild()
        out["rebuild_s"] = time.perf_counter() - t0
        out.update(counts)
        log(f"rebuild: {counts['facts']:,} facts, {counts['cells']:,} cells in {out['rebuild_s']:.1f} s")
    return out
