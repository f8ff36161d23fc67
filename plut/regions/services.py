"""Load the shipped region reference data: the Kemendagri hierarchy by edition, and the tables hung on it.

Every file is described in ``plut/regions/data/PROVENANCE.md``. Loads are idempotent: the region list is
recorded as a ``RegionEdition`` and every other file as a ``ReferenceLoad`` with its sha256, and a file
already loaded with the same checksum is skipped.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from plut.reference.models import ReferenceLoad

from .models import (
    BorderDistrict,
    BorderPost,
    BorderVillage,
    Boundary,
    Level,
    Region,
    RegionAlias,
    RegionChange,
    RegionEdition,
)
from .resolver import invalidate_region_index

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_EDITION = "Kepmendagri 300.2.2-2138/2025"

WILAYAH_CSV = "wilayah/kalbar_wilayah_kepmendagri_2025.csv"
POPULATION_CSV = "wilayah/kalbar_penduduk_luas_kabkota.csv"
BPS_CODES_CSV = "kabkota_bps_codes.csv"
ALIASES_CSV = "region_aliases.csv"
BOUNDARY_FILES = (
    "boundaries/kalbar_kabkota.geojson",
    "boundaries/kalbar_kecamatan.geojson",
    "boundaries/kalbar_desa_kelurahan.geojson",
)
BORDER_DISTRICTS_CSV = "border/kalbar_kecamatan_perbatasan_sarawak.csv"
BORDER_VILLAGES_CSV = "border/kalbar_desa_perbatasan_sarawak_derived.csv"
BORDER_POSTS_CSV = "border/kalbar_plbn.csv"

# The derived border tables describe the 2025 boundaries (Kepmendagri 2025 codes).
BORDER_VALID_FROM = date(2025, 1, 1)
BOUNDARY_SOURCE = "cahyadsn/wilayah_boundaries@3c5a796 (simplified polygons, Kepmendagri 2025 codes)"
BORDER_SOURCE = (
    "plut derivation: boundary within 1 km of the Sarawak polygon (cahyadsn/wilayah_boundaries@3c5a796, "
    "data.gov.my sarawak.ts@d2654c4); {file}"
)
EDITION_DECREE = "Keputusan Menteri Dalam Negeri No 300.2.2-2138 Tahun 2025 (via cahyadsn/wilayah@b7ad440)"
DATASET_EDITIONS = {
    "regions.population": "Kepmendagri 300.2.2-2138/2025 (population); BIG B-16.10/DIGD-BIG/IGD.04.04/12/2024 (area)",
    "regions.bps_codes": "BPS Master File Desa numbering, compiled by plut",
    "regions.aliases": "compiled by plut (PP 58/2014)",
    "regions.boundaries": "cahyadsn/wilayah_boundaries@3c5a796",
    "regions.border_districts": "plut derivation 2025",
    "regions.border_villages": "plut derivation 2025",
    "regions.border_posts": "plut compilation 2016–2025 sources",
}

_CSV_LEVELS = {"provinsi": 1, "kabupaten_kota": 2, "kecamatan": 3, "desa_kelurahan": 4}


class LoadLog:
    """Collect counts, warnings and progress lines of one load, echoing lines to ``stdout``."""

    def __init__(self, stdout: TextIO | None = None) -> None:
        self.stdout = stdout
        self.counts: dict[str, int] = {}
        self.rows_written = 0
        self.warnings: list[str] = []

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self.say(message)

    def result(self) -> dict[str, Any]:
        return {**self.counts, "rows_written": self.rows_written, "warnings": list(self.warnings)}


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file's bytes (remembered per path, size and modification time)."""
    stat = path.stat()
    return _sha256_of(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_csv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file with a header line."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def region_kind(code: str, name: str) -> str:
    """Return the Region.Kind of a Kemendagri code; kelurahan codes have a 4th segment starting with 1."""
    parts = code.split(".")
    if len(parts) == 1:
        return Region.Kind.PROVINCE
    if len(parts) == 2:
        return Region.Kind.CITY if name.startswith("Kota ") else Region.Kind.REGENCY
    if len(parts) == 3:
        return Region.Kind.DISTRICT
    if parts[3].startswith("1"):
        return Region.Kind.URBAN_VILLAGE
    if parts[3].startswith("2"):
        return Region.Kind.VILLAGE
    raise ValidationError(
        _("Village code %(code)s starts with neither 1 (kelurahan) nor 2 (desa).") % {"code": code}
    )


def _decimal(text: str, places: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text).quantize(Decimal(places), rounding=ROUND_HALF_UP) if text else None


def _dataset_pending(dataset: str, path: Path, log: LoadLog) -> str | None:
    """Return the file's sha256 if it still has to be loaded, or None when it is missing or already loaded."""
    if not path.exists():
        log.warn(_("%(dataset)s: file %(path)s not found; skipped.") % {"dataset": dataset, "path": path})
        return None
    sha = file_sha256(path)
    if ReferenceLoad.objects.filter(dataset=dataset, source_sha256=sha).exists():
        log.say(_("%(dataset)s: this file was already loaded; nothing to do.") % {"dataset": dataset})
        return None
    return sha


def _record_load(dataset: str, sha: str, rows: int, log: LoadLog) -> None:
    ReferenceLoad.objects.create(
        dataset=dataset, edition=DATASET_EDITIONS.get(dataset, ""), source_sha256=sha, rows=rows
    )
    log.say(_("%(dataset)s: loaded %(rows)s rows.") % {"dataset": dataset, "rows": rows})


# --- Region hierarchy -------------------------------------------------------------------------------


def _load_edition(path: Path, edition_name: str, log: LoadLog) -> RegionEdition:
    """Load one edition of the region list: add new codes, rename changed ones, retire missing ones.

    Steps: 1. skip if this file is the latest edition; 2. read and check the rows; 3. create the
    edition; 4. per level, create new regions and update renamed/restored ones, writing RegionChange
    rows; 5. retire active regions absent from the file.
    """
    sha = file_sha256(path)
    latest = RegionEdition.objects.order_by("-loaded_at", "-id").first()
    named = RegionEdition.objects.filter(name=edition_name).first()
    if named is not None and (named.source_sha256 != sha or named != latest):
        raise ValidationError(
            _("Edition %(name)s was already loaded from another file; give the new file a new edition name.")
            % {"name": edition_name}
        )
    if latest is not None and latest.source_sha256 == sha:
        log.say(
            _("Regions: edition %(name)s is already loaded from this file; nothing changed.")
            % {"name": latest.name}
        )
        return latest

    rows = read_csv(path)
    seen: set[str] = set()
    for row in rows:
        code = row["code"].strip()
        expected = len(code.split("."))
        if _CSV_LEVELS.get(row["level"]) != expected:
            raise ValidationError(
                _("Region %(code)s has level %(level)s, which does not fit its code.")
                % {"code": code, "level": row["level"]}
            )
        if code in seen:
            raise ValidationError(_("Region code %(code)s appears twice in the file.") % {"code": code})
        seen.add(code)

    decree = EDITION_DECREE if edition_name == DEFAULT_EDITION else edition_name
    edition = RegionEdition.objects.create(name=edition_name, decree=decree, source_sha256=sha)
    existing = {region.code: region for region in Region.objects.all()}
    changes: list[RegionChange] = []
    created = renamed = restored = 0
    for level in (1, 2, 3, 4):
        new_regions: list[Region] = []
        updated: list[Region] = []
        for row in rows:
            code, name = row["code"].strip(), row["name"].strip()
            if len(code.split(".")) != level:
                continue
            kind = region_kind(code, name)
            region = existing.get(code)
            if region is None:
                parent_code = code.rpartition(".")[0]
                parent = existing.get(parent_code) if parent_code else None
                if parent_code and parent is None:
                    raise ValidationError(_("Region %(code)s has no parent in the file.") % {"code": code})
                new_regions.append(
                    Region(
                        code=code,
                        name=name,
                        level=level,
                        kind=kind,
                        parent=parent,
                        path=code + ".",
                        bps_code="61" if code == "61" else "",
                        first_edition=edition,
                    )
                )
                continue
            dirty = False
            for field, value in (("name", name), ("kind", kind)):
                if getattr(region, field) != value:
                    changes.append(
                        RegionChange(
                            region=region,
                            edition=edition,
                            field=field,
                            old_value=getattr(region, field),
                            new_value=value,
                        )
                    )
                    setattr(region, field, value)
                    renamed += field == "name"
                    dirty = True
            if region.retired_in_id is not None:
                old = RegionEdition.objects.get(pk=region.retired_in_id).name
                changes.append(
                    RegionChange(
                        region=region, edition=edition, field="retired_in", old_value=old, new_value=""
                    )
                )
                region.retired_in = None
                restored += 1
                dirty = True
            if dirty:
                updated.append(region)
        Region.objects.bulk_create(new_regions, batch_size=1000)
        bulk_set(updated, ["name", "kind", "retired_in"])
        for region in new_regions:
            existing[region.code] = region
        created += len(new_regions)
        log.rows_written += len(new_regions) + len(updated)

    retired = [r for code, r in existing.items() if code not in seen and r.retired_in_id is None]
    for region in retired:
        region.retired_in = edition
        changes.append(
            RegionChange(
                region=region, edition=edition, field="retired_in", old_value="", new_value=edition.name
            )
        )
    bulk_set(retired, ["retired_in"])
    RegionChange.objects.bulk_create(changes, batch_size=1000)
    log.rows_written += len(retired) + len(changes) + 1

    edition.counts = {
        **_active_counts(),
        "created": created,
        "renamed": renamed,
        "restored": restored,
        "retired": len(retired),
    }
    edition.save(update_fields=["counts"])
    log.say(
        _("Regions: loaded edition %(name)s: %(created)s created, %(renamed)s renamed, %(retired)s retired.")
        % {"name": edition.name, "created": created, "renamed": renamed, "retired": len(retired)}
    )
    return edition


def _active_counts() -> dict[str, int]:
    active = Region.objects.filter(retired_in__isnull=True)
    return {
        "province": active.filter(level=Level.PROVINCE).count(),
        "regencies": active.filter(level=Level.REGENCY).count(),
        "districts": active.filter(level=Level.DISTRICT).count(),
        "villages": active.filter(level=Level.VILLAGE).count(),
        "desa": active.filter(kind=Region.Kind.VILLAGE).count(),
        "kelurahan": active.filter(kind=Region.Kind.URBAN_VILLAGE).count(),
    }


def _regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=set(codes))}


def bulk_set(objs: list[Any], fields: list[str]) -> None:
    """Save some fields of many rows with one ``executemany``.

    ``bulk_update`` builds a CASE WHEN per field and row, which takes seconds for thousands of rows; this
    sends one plain UPDATE per row in a single round trip on SQLite and PostgreSQL.
    """
    if not objs:
        return
    meta = type(objs[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    # Identifiers come from the model's metadata, never from input.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _update_regions(regions: list[Region], fields: list[str], log: LoadLog) -> None:
    bulk_set(regions, fields)
    log.rows_written += len(regions)


# --- Attributes of regions --------------------------------------------------------------------------


def _load_population(path: Path, log: LoadLog) -> None:
    dataset = "regions.population"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code(row["code"] for row in rows)
    changed = []
    for row in rows:
        region = regions.get(row["code"])
        if region is None:
            log.warn(_("Population: unknown region code %(code)s; row skipped.") % {"code": row["code"]})
            continue
        population = int(row["penduduk_total"]) if row["penduduk_total"] else None
        area = _decimal(row["luas_km2"], "0.001")
        if (region.population, region.area_km2) != (population, area):
            region.population, region.area_km2 = population, area
            changed.append(region)
    _update_regions(changed, ["population", "area_km2"], log)
    _record_load(dataset, sha, len(rows), log)


def _load_bps_codes(path: Path, log: LoadLog) -> None:
    dataset = "regions.bps_codes"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code(row["code"] for row in rows)
    changed = []
    for row in rows:
        region = regions.get(row["code"])
        if region is None:
            log.warn(_("BPS codes: unknown region code %(code)s; row skipped.") % {"code": row["code"]})
            continue
        if region.bps_code != row["bps_code"]:
            region.bps_code = row["bps_code"]
            changed.append(region)
    _update_regions(changed, ["bps_code"], log)
    _record_load(dataset, sha, len(rows), log)


def _load_aliases(path: Path, log: LoadLog) -> None:
    dataset = "regions.aliases"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code(row["code"] for row in rows)
    existing = {(a.region_id, a.name): a for a in RegionAlias.objects.all()}
    new, changed = [], []
    for row in rows:
        region = regions.get(row["code"])
        if region is None:
            log.warn(_("Aliases: unknown region code %(code)s; row skipped.") % {"code": row["code"]})
            continue
        alias = existing.get((region.pk, row["alias"]))
        if alias is None:
            new.append(RegionAlias(region=region, name=row["alias"], kind=row["kind"], source=row["source"]))
        elif (alias.kind, alias.source) != (row["kind"], row["source"]):
            alias.kind, alias.source = row["kind"], row["source"]
            changed.append(alias)
    RegionAlias.objects.bulk_create(new)
    RegionAlias.objects.bulk_update(changed, ["kind", "source"])
    log.rows_written += len(new) + len(changed)
    _record_load(dataset, sha, len(rows), log)


def _load_boundaries(paths: list[Path], log: LoadLog) -> None:
    dataset = "regions.boundaries"
    present = [p for p in paths if p.exists()]
    for missing in [p for p in paths if p not in present]:
        log.warn(_("%(dataset)s: file %(path)s not found; skipped.") % {"dataset": dataset, "path": missing})
    if not present:
        return
    # One checksum over the files in order, so the three files load (or skip) together.
    sha = hashlib.sha256("".join(file_sha256(p) for p in present).encode()).hexdigest()
    if ReferenceLoad.objects.filter(dataset=dataset, source_sha256=sha).exists():
        log.say(_("%(dataset)s: these files were already loaded; nothing to do.") % {"dataset": dataset})
        return
    features = []
    for path in present:
        with path.open(encoding="utf-8") as handle:
            features.extend(json.load(handle)["features"])
    regions = _regions_by_code(f["properties"]["code"] for f in features)
    existing = {b.region_id: b for b in Boundary.objects.all()}
    new, changed, labelled = [], [], []
    for feature in features:
        props = feature["properties"]
        region = regions.get(props["code"])
        if region is None:
            log.warn(
                _("Boundaries: unknown region code %(code)s; feature skipped.") % {"code": props["code"]}
            )
            continue
        boundary = existing.get(region.pk)
        if boundary is None:
            new.append(Boundary(region=region, geometry=feature["geometry"], source=BOUNDARY_SOURCE))
        elif boundary.geometry != feature["geometry"] or boundary.source != BOUNDARY_SOURCE:
            boundary.geometry, boundary.source = feature["geometry"], BOUNDARY_SOURCE
            changed.append(boundary)
        label = (props.get("label_lat"), props.get("label_lng"))
        if (region.label_lat, region.label_lng) != label:
            region.label_lat, region.label_lng = label
            labelled.append(region)
    Boundary.objects.bulk_create(new, batch_size=200)
    bulk_set(changed, ["geometry", "source"])
    log.rows_written += len(new) + len(changed)
    _update_regions(labelled, ["label_lat", "label_lng"], log)
    _record_load(dataset, sha, len(features), log)


# --- Border tables ----------------------------------------------------------------------------------


def _yes(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def _load_border_districts(path: Path, log: LoadLog) -> None:
    """Load the kecamatan touching Sarawak; the listed-but-not-touching rows stay out (see PROVENANCE.md)."""
    dataset = "regions.border_districts"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code(row["kecamatan_code"] for row in rows)
    existing = {(b.region_id, b.valid_from): b for b in BorderDistrict.objects.all()}
    source = BORDER_SOURCE.format(file=BORDER_DISTRICTS_CSV)
    new, changed = [], []
    for row in rows:
        if not _yes(row["touches_sarawak_derived"]):
            log.say(
                _(
                    "Border districts: %(name)s (%(code)s) is listed in published lists but does not touch Sarawak; left out."
                )
                % {"name": row["kecamatan_name"], "code": row["kecamatan_code"]}
            )
            continue
        region = regions.get(row["kecamatan_code"])
        if region is None:
            log.warn(
                _("Border districts: unknown district code %(code)s; row skipped.")
                % {"code": row["kecamatan_code"]}
            )
            continue
        listed = [
            label
            for label, column in (
                ("ANTARA 2012", "listed_antara_2012"),
                ("Profil Perbatasan Kalbar", "listed_profil_perbatasan_kalbar"),
            )
            if _yes(row[column])
        ]
        note = "; ".join(
            part
            for part in (
                ("Listed in: " + ", ".join(listed)) if listed else "Not in the published lists",
                row["note"].strip(),
            )
            if part
        )
        values = {
            "touches_border": True,
            "border_length_km": _decimal(row["border_length_km_derived"], "0.1"),
            "source": source,
            "note": note,
        }
        record = existing.get((region.pk, BORDER_VALID_FROM))
        if record is None:
            new.append(BorderDistrict(region=region, valid_from=BORDER_VALID_FROM, **values))
        elif any(getattr(record, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(record, k, v)
            changed.append(record)
    BorderDistrict.objects.bulk_create(new)
    BorderDistrict.objects.bulk_update(changed, ["touches_border", "border_length_km", "source", "note"])
    log.rows_written += len(new) + len(changed)
    _record_load(dataset, sha, len(rows), log)


def _load_border_villages(path: Path, log: LoadLog) -> None:
    dataset = "regions.border_villages"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code(row["desa_code"] for row in rows)
    existing = {(b.region_id, b.valid_from): b for b in BorderVillage.objects.all()}
    source = BORDER_SOURCE.format(file=BORDER_VILLAGES_CSV)
    new, changed = [], []
    for row in rows:
        region = regions.get(row["desa_code"])
        if region is None:
            log.warn(
                _("Border villages: unknown village code %(code)s; row skipped.") % {"code": row["desa_code"]}
            )
            continue
        length = _decimal(row["border_length_km_derived"], "0.1")
        record = existing.get((region.pk, BORDER_VALID_FROM))
        if record is None:
            new.append(
                BorderVillage(
                    region=region, valid_from=BORDER_VALID_FROM, border_length_km=length, source=source
                )
            )
        elif (record.border_length_km, record.source) != (length, source):
            record.border_length_km, record.source = length, source
            changed.append(record)
    BorderVillage.objects.bulk_create(new)
    BorderVillage.objects.bulk_update(changed, ["border_length_km", "source"])
    log.rows_written += len(new) + len(changed)
    _record_load(dataset, sha, len(rows), log)


def _post_status(text: str) -> str:
    """Map the CSV status ("planned / under development (…)") to BorderPost.Status by its first word."""
    word = text.strip().split(" ")[0].lower()
    if word not in BorderPost.Status.values:
        raise ValidationError(_("Unknown border post status %(status)s.") % {"status": text})
    return word


def _load_border_posts(path: Path, log: LoadLog) -> None:
    dataset = "regions.border_posts"
    if not (sha := _dataset_pending(dataset, path, log)):
        return
    rows = read_csv(path)
    regions = _regions_by_code([row["desa_code"] for row in rows] + [row["kecamatan_code"] for row in rows])
    existing = {p.name: p for p in BorderPost.objects.all()}
    new, changed = [], []
    fields = [
        "status",
        "region",
        "malaysia_counterpart",
        "milestones",
        "lat",
        "lng",
        "coord_basis",
        "sources",
    ]
    for row in rows:
        # The host village when a source names it, else the host district (Nanga Badau).
        host = row["desa_code"].strip() or row["kecamatan_code"].strip()
        region = regions.get(host)
        if region is None:
            log.warn(_("Border posts: unknown host region %(code)s; row skipped.") % {"code": host})
            continue
        values = {
            "status": _post_status(row["status"]),
            "region": region,
            "malaysia_counterpart": row["malaysia_counterpart"],
            "milestones": row["milestones"],
            "lat": float(row["approx_lat"]),
            "lng": float(row["approx_lng"]),
            "coord_basis": row["coord_basis"][:255],
            "sources": row["sources"],
        }
        post = existing.get(row["plbn_name"])
        if post is None:
            new.append(BorderPost(name=row["plbn_name"], **values))
        elif any(getattr(post, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(post, k, v)
            changed.append(post)
    BorderPost.objects.bulk_create(new)
    BorderPost.objects.bulk_update(changed, fields)
    log.rows_written += len(new) + len(changed)
    _record_load(dataset, sha, len(rows), log)


def _region_counts() -> dict[str, int]:
    active = Region.objects.filter(retired_in__isnull=True)
    return {
        **_active_counts(),
        "regions_retired": Region.objects.filter(retired_in__isnull=False).count(),
        "boundaries": Boundary.objects.filter(region__in=active).count(),
        "border_districts": BorderDistrict.objects.filter(touches_border=True).count(),
        "border_villages": BorderVillage.objects.count(),
        "border_posts": BorderPost.objects.count(),
        "region_aliases": RegionAlias.objects.count(),
        "region_editions": RegionEdition.objects.count(),
    }


@transaction.atomic
def reference_load(
    *, data_dir: Path | None = None, edition_name: str = DEFAULT_EDITION, stdout: TextIO | None = None
) -> dict[str, Any]:
    """Load the region list as ``edition_name`` and the region tables from ``data_dir``; return counts.

    Files are looked up under ``data_dir`` by the paths of the shipped data (``WILAYAH_CSV`` …). The region
    list is required; any other missing file is skipped with a warning, so a later edition can be loaded
    from a folder holding only the new region list.
    """
    log = LoadLog(stdout)
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    wilayah = base / WILAYAH_CSV
    if not wilayah.exists():
        raise ValidationError(_("The region list %(path)s was not found.") % {"path": wilayah})
    edition = _load_edition(wilayah, edition_name, log)
    _load_population(base / POPULATION_CSV, log)
    _load_bps_codes(base / BPS_CODES_CSV, log)
    _load_aliases(base / ALIASES_CSV, log)
    _load_boundaries([base / name for name in BOUNDARY_FILES], log)
    _load_border_districts(base / BORDER_DISTRICTS_CSV, log)
    _load_border_villages(base / BORDER_VILLAGES_CSV, log)
    _load_border_posts(base / BORDER_POSTS_CSV, log)
    # Rebuild the resolver index now in this process, and again after commit for safety.
    invalidate_region_index()
    transaction.on_commit(invalidate_region_index)
    log.counts = _region_counts()
    if log.rows_written == 0:
        log.say(_("Regions: nothing changed."))
    result = log.result()
    result["edition_name"] = edition.name
    return result


@transaction.atomic
def load_all_reference(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Load every shipped reference file (regions first, then KBLI and staple prices); return counts."""
    from plut.reference.services import kbli_load, staple_prices_load

    regions = reference_load(stdout=stdout)
    kbli = kbli_load(stdout=stdout)
    prices = staple_prices_load(stdout=stdout)
    result: dict[str, Any] = {}
    for part in (regions, kbli, prices):
        result.update({k: v for k, v in part.items() if k not in ("rows_written", "warnings")})
    result["rows_written"] = regions["rows_written"] + kbli["rows_written"] + prices["rows_written"]
    result["warnings"] = regions["warnings"] + kbli["warnings"] + prices["warnings"]
    return result
