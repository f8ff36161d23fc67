"""Decide what each valid row does to the registry: create, update or leave unchanged.

Rule (issue #3, "Matching"): a row is the same business as a registered enterprise when it has
the same NIB, or the same owner NIK and a similar business name (rapidfuzz ratio ≥
``NAME_SIMILARITY`` on names without legal-form words) in the same region. A NIK that failed
validation is never used to match. Within one file, a later row describing the same business as
an earlier row is rejected as its duplicate (reported, never merged).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from plut.core.crypto import keyed_hash
from plut.enterprises.models import Enterprise, FigureSnapshot, Owner
from plut.imports.types import Problem, RowResult
from plut.lib.identifiers import mask_phone

NAME_SIMILARITY = 90
LEGAL_FORMS = re.compile(r"\b(ud|cv|pt|pd|fa|firma)\b")
NON_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """Return a business name reduced for comparison: casefolded, no punctuation or legal form."""
    text = NON_WORD.sub(" ", name.casefold())
    return " ".join(LEGAL_FORMS.sub(" ", text).split())


def similar(a: str, b: str) -> bool:
    """Return True when two reduced names are the same business name (ratio ≥ NAME_SIMILARITY)."""
    return a == b or fuzz.ratio(a, b) >= NAME_SIMILARITY


@dataclass
class PlannedRow:
    """What one row will do. ``outcome`` is an ``ImportRow.Outcome`` value."""

    result: RowResult
    outcome: str
    enterprise_id: int | None = None
    owner_id: int | None = None
    owner_key: Any = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    duplicate_of: int | None = None


FIGURE_FIELDS = {
    "capital": "capital_idr",
    "annual_sales": "annual_sales_idr",
    "assets": "assets_idr",
    "workers": "workers",
}


class SeenStore:
    """The businesses seen earlier in one file, kept in a private temporary SQLite database on disk.

    A file of a million rows must not need a million entries in memory (issue #3, "memory flat in
    file size"): each chunk loads only the earlier entries its own rows could collide with
    (:meth:`load`), and adds its new ones (:meth:`add`). ``sqlite3.connect("")`` makes a database
    that SQLite deletes when it is closed; its page cache is bounded (a few MB).
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("")
        self.db.executescript(
            """
            CREATE TABLE nib (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID;
            CREATE TABLE owner (key TEXT, region INTEGER, name TEXT, row INTEGER);
            CREATE INDEX owner_key ON owner (key, region);
            """
        )

    def load(
        self, nibs: set[str], owners: set[tuple[str, int]]
    ) -> tuple[dict[str, int], dict[tuple[str, int], list[tuple[str, int]]]]:
        """Return the earlier rows with these NIBs and these (owner key, region) pairs."""
        seen_nib: dict[str, int] = {}
        seen_owner: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for part in _parts(sorted(nibs)):
            marks = ",".join("?" * len(part))
            seen_nib.update(self.db.execute(f"SELECT key, row FROM nib WHERE key IN ({marks})", part))  # noqa: S608
        keys = sorted({k for k, _r in owners})
        for part in _parts(keys):
            marks = ",".join("?" * len(part))
            for key, region, name, row in self.db.execute(
                f"SELECT key, region, name, row FROM owner WHERE key IN ({marks}) ORDER BY row",  # noqa: S608
                part,
            ):
                if (key, region) in owners:
                    seen_owner.setdefault((key, region), []).append((name, row))
        return seen_nib, seen_owner

    def add(self, nibs: list[tuple[str, int]], owners: list[tuple[str, int, str, int]]) -> None:
        """Remember ``(nib, row)`` and ``(owner key, region id, name key, row)`` entries."""
        self.db.executemany("INSERT OR IGNORE INTO nib VALUES (?, ?)", nibs)
        self.db.executemany("INSERT INTO owner VALUES (?, ?, ?, ?)", owners)

    def close(self) -> None:
        self.db.close()


def _parts(items: list, size: int = 900) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _owner_key(d: dict[str, Any], nik_hash: str | None) -> str:
    return nik_hash or ("name:" + name_key(d["owner_name"]))


class Matcher:
    """Plan rows chunk by chunk, remembering the businesses seen earlier in the same file.

    Memory stays bounded by a chunk: what was seen earlier lives in a :class:`SeenStore`. Call
    :meth:`close` when the file is done (or use the matcher as a context manager).
    """

    def __init__(self) -> None:
        self.store = SeenStore()
        self.seen_nib: dict[str, int] = {}
        self.seen_owner: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._new_nib: list[tuple[str, int]] = []
        self._new_owner: list[tuple[str, int, str, int]] = []

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Matcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- within the file -------------------------------------------------------------------
    def _duplicate_of(self, r: RowResult, nik_hash: str | None) -> tuple[int, str] | None:
        d = r.data
        nib = d.get("nib")
        if nib and nib in self.seen_nib:
            return self.seen_nib[nib], "NIB"
        for key, row in self.seen_owner.get((_owner_key(d, nik_hash), d["region"].pk), []):
            if similar(key, name_key(d["business_name"])):
                return row, "NIK" if nik_hash else "owner"
        return None

    def _remember(self, r: RowResult, nik_hash: str | None) -> None:
        d = r.data
        if d.get("nib"):
            self.seen_nib[d["nib"]] = r.number
            self._new_nib.append((d["nib"], r.number))
        owner, region, name = _owner_key(d, nik_hash), d["region"].pk, name_key(d["business_name"])
        self.seen_owner.setdefault((owner, region), []).append((name, r.number))
        self._new_owner.append((owner, region, name, r.number))

    def _load_seen(self, valid: list[tuple[RowResult, str | None]]) -> None:
        nibs = {r.data["nib"] for r, _h in valid if r.data.get("nib")}
        owners = {(_owner_key(r.data, h), r.data["region"].pk) for r, h in valid}
        self.seen_nib, self.seen_owner = self.store.load(nibs, owners)
        self._new_nib, self._new_owner = [], []

    # -- against the registry --------------------------------------------------------------
    def plan(self, results: list[RowResult]) -> list[PlannedRow]:
        """Return one :class:`PlannedRow` per result, in order."""
        plans: list[PlannedRow] = []
        valid: list[tuple[PlannedRow, str | None]] = []
        hashes: list[str | None] = []
        for r in results:
            nik = r.data.get("nik") if r.ok and not r.data.get("nik_untrusted") else None
            hashes.append(keyed_hash(nik) if nik else None)
        self._load_seen([(r, h) for r, h in zip(results, hashes, strict=True) if r.ok])
        for r, nik_hash in zip(results, hashes, strict=True):
            if not r.ok:
                plans.append(PlannedRow(r, "rejected"))
                continue
            dup = self._duplicate_of(r, nik_hash)
            if dup is not None:
                first, basis = dup
                r.errors.append(
                    Problem(
                        r.number,
                        basis,
                        r.raw.get("nib" if basis == "NIB" else "nik", "") or r.raw.get("business_name", ""),
                        "row.duplicate",
                        _(
                            "This row describes the same business as row %(row)s of this file; it was not imported. Remove one of the two rows or merge them."
                        )
                        % {"row": first},
                    )
                )
                plans.append(PlannedRow(r, "rejected", duplicate_of=first))
                continue
            self._remember(r, nik_hash)
            plan = PlannedRow(r, "created", owner_key=nik_hash or ("row", r.number))
            plans.append(plan)
            valid.append((plan, nik_hash))
        self.store.add(self._new_nib, self._new_owner)
        if valid:
            self._match_registry(valid)
        return plans

    def _match_registry(self, valid: list[tuple[PlannedRow, str | None]]) -> None:
        nibs = {p.result.data["nib"] for p, _h in valid if p.result.data.get("nib")}
        hashes = {h for _p, h in valid if h}
        by_nib = dict(Enterprise.objects.filter(nib__in=nibs).values_list("nib", "pk")) if nibs else {}
        owners = (
            dict(Owner.objects.filter(nik_hash__in=hashes).values_list("nik_hash", "pk")) if hashes else {}
        )
        by_owner_region: dict[tuple[int, int], list[tuple[str, int]]] = {}
        if owners:
            for pk, owner_id, region_id, name in Enterprise.objects.filter(
                owner_id__in=owners.values()
            ).values_list("pk", "owner_id", "region_id", "name"):
                by_owner_region.setdefault((owner_id, region_id), []).append((name_key(name), pk))
        for plan, nik_hash in valid:
            d = plan.result.data
            if nik_hash and nik_hash in owners:
                plan.owner_id = owners[nik_hash]
            ent_id = by_nib.get(d.get("nib")) if d.get("nib") else None
            if ent_id is None and plan.owner_id:
                key = name_key(d["business_name"])
                for other, pk in by_owner_region.get((plan.owner_id, d["region"].pk), []):
                    if similar(key, other):
                        ent_id = pk
                        break
            if ent_id is not None:
                plan.enterprise_id = ent_id
        matched = [p for p, _h in valid if p.enterprise_id]
        if matched:
            self._diff(matched)

    def _diff(self, plans: list[PlannedRow]) -> None:
        ids = [p.enterprise_id for p in plans]
        ents = {
            e.pk: e
            for e in Enterprise.objects.filter(pk__in=ids)
            .select_related("owner", "primary_kbli")
            .prefetch_related("products", "permits", "enterprisekbli_set__kbli")
        }
        latest: dict[int, FigureSnapshot] = {}
        for snap in FigureSnapshot.objects.filter(enterprise_id__in=ids).order_by(
            "enterprise_id", "as_of", "id"
        ):
            latest[snap.enterprise_id] = snap
        for plan in plans:
            ent = ents[plan.enterprise_id]
            plan.owner_id = ent.owner_id
            plan.changes = _changes(ent, latest.get(ent.pk), plan.result.data)
            plan.outcome = "updated" if plan.changes else "unchanged"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return (
                a is not None
                and b is not None
                and Decimal(str(a)).quantize(Decimal("0.000001"))
                == Decimal(str(b)).quantize(Decimal("0.000001"))
            )
        except ArithmeticError:
            return False
    return a == b


def _changes(ent: Enterprise, snap: FigureSnapshot | None, d: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for what the row would change (personal data masked)."""
    out: dict[str, list[Any]] = {}
    simple = {
        "business_name": "name",
        "address": "address",
        "nib": "nib",
        "npwp": "npwp",
        "sector": "sector",
        "established_year": "established_year",
        "sells_to_malaysia": "sells_cross_border",
        "cross_border_brand": "cross_border_brand",
        "latitude": "latitude",
        "longitude": "longitude",
    }
    for src, attr in simple.items():
        if src in d and d[src] not in (None, "") and not _same(getattr(ent, attr), d[src]):
            before = getattr(ent, attr)
            out[attr] = [
                str(before) if isinstance(before, Decimal) else before,
                str(d[src]) if isinstance(d[src], Decimal) else d[src],
            ]
    if d["region"].pk != ent.region_id:
        out["region"] = [ent.region.code if ent.region_id else None, d["region"].code]
    kblis = d.get("kbli") or []
    have = {link.kbli.code for link in ent.enterprisekbli_set.all()}
    new_kbli = [c for c in kblis if c not in have]
    if new_kbli:
        out["kbli"] = [sorted(have), sorted(have | set(new_kbli))]
    figs = {attr: d.get(src) for src, attr in FIGURE_FIELDS.items() if d.get(src) is not None}
    if figs:
        before = {attr: getattr(snap, attr) if snap else None for attr in figs}
        if before != figs:
            out["figures"] = [before, figs]
    have_products = {p.name.casefold() for p in ent.products.all()}
    new_products = [n for n in d.get("products") or [] if n.casefold() not in have_products]
    if new_products:
        out["products"] = [[], new_products]
    if d.get("phone") and ent.owner.phone != d["phone"]:
        out["owner_phone"] = [mask_phone(ent.owner.phone) if ent.owner.phone else "", mask_phone(d["phone"])]
    have_permits = {(p.kind, p.number) for p in ent.permits.all()}
    # The NIB is reported above as a field of the enterprise.
    wanted = [[kind, number] for kind, number, _raw in new_permits(d, {}, have_permits) if kind != "nib"]
    if wanted:
        out["permits"] = [[], wanted]
    return out


def new_permits(
    d: dict[str, Any], raw: dict[str, str], have: set[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Return ``(kind, number, number as typed)`` of the permits a row gives that the enterprise lacks.

    NIB and P-IRT are new when their number is not held yet; a halal certificate or a trademark is
    new when the enterprise holds none of that kind (the row may name the brand, not its number).
    One rule for the preview (``_changes``) and the writer, so what is shown is what is written.
    """
    kinds_held = {kind for kind, _number in have}
    wanted: list[tuple[str, str, str]] = []
    for kind in ("nib", "pirt"):
        if d.get(kind) and (kind, d[kind]) not in have:
            wanted.append((kind, d[kind], raw.get(kind, "")))
    halal = d.get("halal")
    if isinstance(halal, dict) and halal.get("held") and "halal" not in kinds_held:
        wanted.append(("halal", halal.get("number", ""), raw.get("halal", "")))
    tm = d.get("trademark")
    if isinstance(tm, dict) and tm.get("held") and "trademark" not in kinds_held:
        wanted.append(("trademark", tm.get("number", "") or tm.get("name", ""), raw.get("trademark", "")))
    return wanted
