"""Load the shipped reference lists: KBLI 2020 (OSS) and the Bapanas monthly staple prices per regency.

Every file is described in ``plut/reference/data/PROVENANCE.md``. Each load is recorded as a
``ReferenceLoad`` with the file's sha256 and skipped when that checksum was already loaded.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plut.regions.models import Level, Region
from plut.regions.services import LoadLog, bulk_set, file_sha256, read_csv

from .models import Commodity, Kbli, ReferenceLoad, StaplePrice

DATA_DIR = Path(__file__).resolve().parent / "data"
KBLI_CSV = DATA_DIR / "kbli" / "kbli2020_oss.csv"
PRICES_CSV = DATA_DIR / "harga" / "kalbar_harga_pangan_bapanas_bulanan_2024-01_2025-08.csv"

KBLI_DATASET = "reference.kbli"
KBLI_EDITION = "KBLI 2020 as served by OSS (UserGhost411/KBLI-2020-Dataset@a167e30)"
PRICES_DATASET = "reference.staple_prices"
PRICES_EDITION = "Bapanas Panel Harga Pangan, Jan 2024 – Aug 2025 (chipslova@b779db1, imputed)"
PRICE_SOURCE = "Bapanas PHPN kab/kota monthly (chipslova, imputed)"
COMMODITIES_CSV = DATA_DIR / "komoditas" / "perpres_71_2015_jo_59_2020.csv"
COMMODITIES_DATASET = "reference.commodities"
COMMODITIES_EDITION = "Perpres 71/2015 art. 2(6) as amended by Perpres 59/2020, with Bapanas commodity names"

# Columns of the price file that are not commodities.
PRICE_META_COLUMNS = {
    "kode_wilayah",
    "kab_kota_sumber",
    "tahun",
    "bulan",
    "bulan_num",
    "periode",
    "SPHP_covered",
}
# Bapanas publishes cooking oil per litre and everything else per kilogram.
LITRE_COMMODITIES = {"Minyak Goreng Kemasan", "Minyak Goreng Curah"}
CENT = Decimal("0.01")


def _pending(dataset: str, path: Path, log: LoadLog) -> str | None:
    """Return the file's sha256 if it still has to be loaded, or None when it was already loaded."""
    if not path.exists():
        raise ValidationError(_("The reference file %(path)s was not found.") % {"path": path})
    sha = file_sha256(path)
    if ReferenceLoad.objects.filter(dataset=dataset, source_sha256=sha).exists():
        log.say(_("%(dataset)s: this file was already loaded; nothing to do.") % {"dataset": dataset})
        return None
    return sha


@transaction.atomic
def kbli_load(*, path: Path | None = None, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create or update the KBLI 2020 codes from the OSS list (``section`` from ``kategori``); return counts."""
    log = LoadLog(stdout)
    path = Path(path) if path is not None else KBLI_CSV
    if sha := _pending(KBLI_DATASET, path, log):
        rows = read_csv(path)
        existing = {k.code: k for k in Kbli.objects.all()}
        fields = ["level", "title", "parent_code", "section", "description"]
        new, changed = [], []
        for row in rows:
            values = {
                "level": row["level"],
                "title": row["title"].strip(),
                "parent_code": row["parent_code"].strip(),
                "section": row["kategori"].strip(),
                "description": row["description"].strip(),
            }
            if values["level"] not in Kbli.Level.values:
                raise ValidationError(
                    _("KBLI %(code)s has an unknown level %(level)s.")
                    % {"code": row["code"], "level": row["level"]}
                )
            kbli = existing.get(row["code"])
            if kbli is None:
                new.append(Kbli(code=row["code"], **values))
            elif any(getattr(kbli, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(kbli, k, v)
                changed.append(kbli)
        Kbli.objects.bulk_create(new, batch_size=1000)
        bulk_set(changed, fields)
        log.rows_written += len(new) + len(changed)
        ReferenceLoad.objects.create(
            dataset=KBLI_DATASET, edition=KBLI_EDITION, source_sha256=sha, rows=len(rows)
        )
        log.say(_("KBLI: %(new)s created, %(changed)s updated.") % {"new": len(new), "changed": len(changed)})
    log.counts = {"kbli": Kbli.objects.count()}
    return log.result()


def commodity_unit(name: str) -> str:
    """Return the unit a Bapanas commodity price is quoted in."""
    return "liter" if name in LITRE_COMMODITIES else "kg"


@transaction.atomic
def staple_prices_load(*, path: Path | None = None, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create or update the commodities and monthly prices per regency from the Bapanas file; return counts.

    Steps: 1. one Commodity per price column; 2. one StaplePrice per regency × month × commodity, with
    ``price_idr`` rounded half-up to cents ("16000.0" → 16000.00); empty cells are skipped.
    """
    log = LoadLog(stdout)
    path = Path(path) if path is not None else PRICES_CSV
    if sha := _pending(PRICES_DATASET, path, log):
        rows = read_csv(path)
        names = [c for c in (rows[0].keys() if rows else []) if c not in PRICE_META_COLUMNS]
        commodities = {c.name: c for c in Commodity.objects.all()}
        new_commodities = [
            Commodity(name=n, slug=slugify(n), unit=commodity_unit(n)) for n in names if n not in commodities
        ]
        Commodity.objects.bulk_create(new_commodities)
        log.rows_written += len(new_commodities)
        commodities = {c.name: c for c in Commodity.objects.filter(name__in=names)}
        regencies = {r.code: r for r in Region.objects.filter(level=Level.REGENCY)}
        existing = {
            (p.region_id, p.commodity_id, p.month): p
            for p in StaplePrice.objects.filter(source=PRICE_SOURCE, commodity__in=commodities.values())
        }
        new, changed, empty = [], [], 0
        for row in rows:
            region = regencies.get(row["kode_wilayah"])
            if region is None:
                log.warn(
                    _("Staple prices: unknown regency code %(code)s; row skipped.")
                    % {"code": row["kode_wilayah"]}
                )
                continue
            month = date.fromisoformat(row["periode"]).replace(day=1)
            for name in names:
                text = (row[name] or "").strip()
                if not text:
                    empty += 1
                    continue
                price = Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)
                commodity = commodities[name]
                record = existing.get((region.pk, commodity.pk, month))
                if record is None:
                    new.append(
                        StaplePrice(
                            region=region,
                            commodity=commodity,
                            month=month,
                            price_idr=price,
                            source=PRICE_SOURCE,
                        )
                    )
                elif record.price_idr != price:
                    record.price_idr = price
                    changed.append(record)
        StaplePrice.objects.bulk_create(new, batch_size=1000)
        bulk_set(changed, ["price_idr"])
        log.rows_written += len(new) + len(changed)
        ReferenceLoad.objects.create(
            dataset=PRICES_DATASET, edition=PRICES_EDITION, source_sha256=sha, rows=len(rows)
        )
        log.say(
            _("Staple prices: %(new)s created, %(changed)s updated, %(empty)s empty cells skipped.")
            % {"new": len(new), "changed": len(changed), "empty": empty}
        )
    log.counts = {"commodities": Commodity.objects.count(), "staple_prices": StaplePrice.objects.count()}
    return log.result()


@transaction.atomic
def commodities_load(*, path: Path | None = None, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create or complete the commodities of Perpres 71/2015 art. 2(6) as amended by Perpres 59/2020.

    A commodity already loaded (by name, e.g. the Bapanas "Beras Premium") gets its category, group,
    basis, product terms and KBLI links; its unit is kept. A missing one is created with the file's
    unit. Commodities the office added are left alone. Raises ``ValidationError`` for an unknown
    category or a KBLI code that is not a loaded 5-digit subclass. Returns counts.
    """
    log = LoadLog(stdout)
    path = Path(path) if path is not None else COMMODITIES_CSV
    if sha := _pending(COMMODITIES_DATASET, path, log):
        rows = read_csv(path)
        existing = {c.name: c for c in Commodity.objects.all()}
        kbli = {k.code: k for k in Kbli.objects.filter(level=Kbli.Level.SUBCLASS)}
        for row in rows:
            if row["category"] not in Commodity.Category.values:
                raise ValidationError(
                    _("Commodity %(name)s has an unknown category %(category)s.")
                    % {"name": row["name"], "category": row["category"]}
                )
            codes = row["kbli"].split()
            unknown = [c for c in codes if c not in kbli]
            if unknown:
                raise ValidationError(
                    _("Commodity %(name)s names KBLI codes that are not loaded: %(codes)s.")
                    % {"name": row["name"], "codes": ", ".join(unknown)}
                )
            commodity = existing.get(row["name"]) or Commodity(
                name=row["name"], slug=row["slug"] or slugify(row["name"]), unit=row["unit"]
            )
            commodity.category = row["category"]
            commodity.group = row["group"]
            commodity.basis = row["basis"]
            commodity.product_terms = row["product_terms"]
            commodity.full_clean(exclude=["name", "slug"] if commodity.pk else None)
            commodity.save()
            commodity.kbli_codes.set([kbli[c] for c in codes])
            log.rows_written += 1
        ReferenceLoad.objects.create(
            dataset=COMMODITIES_DATASET, edition=COMMODITIES_EDITION, source_sha256=sha, rows=len(rows)
        )
        log.say(_("Commodities: %(count)s written.") % {"count": len(rows)})
    log.counts = {"commodities": Commodity.objects.count()}
    return log.result()
