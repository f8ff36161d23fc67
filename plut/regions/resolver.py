"""Resolve region names and codes as people type them ("Kab. Sambas", "6105", "Bengkyang") to a Region.

Rules (each one is tested in ``plut/regions/tests/test_resolver.py``):

- Codes. A dotted code (``61.03``, ``61.03.21``, ``61.03.21.2003``) is a Kemendagri code, also when it came
  from a spreadsheet cell formatted as a number. Undotted 6- and 10-digit codes (``610321``, as in the NIK
  prefix) are Kemendagri codes too. A 4-digit undotted code is a BPS regency code: ``6103`` is Landak
  (BPS), not Sanggau (Kemendagri 61.03). ``61`` is the province in both systems.
- Names are compared after normalising case, accents, apostrophes (``Kaliau'`` = ``Kaliau``), dots and
  spaces. A leading kind word (``Kab.``, ``Kabupaten``, ``Kota``, ``Kec.``, ``Kecamatan``, ``Desa``,
  ``Kel.``, ``Kelurahan``, ``Prov.``) restricts the kind of region.
- A name shared by several regions is ``ambiguous`` and lists them all, e.g. "Sambas" (regency 61.01 and
  district 61.01.01) or "Sungai Raya" at district level (61.07.01 in Bengkayang, 61.12.01 in Kubu Raya).
  Pass ``level=`` or ``within=`` to choose.
- Former names come from ``RegionAlias``: "Kab. Pontianak" is Kabupaten Mempawah (PP 58/2014), never
  Kota Pontianak. A bare "Pontianak" at regency level is ambiguous between Kota Pontianak and the former
  Kabupaten Pontianak, because spreadsheets use it for both.
- Misspellings are matched with the rapidfuzz ratio. A best score of at least ``FUZZY_THRESHOLD`` is a
  ``fuzzy`` match (confidence < 1); regions scoring within ``FUZZY_TIE_MARGIN`` of the best make it
  ``ambiguous``; a lower best score is ``not_found`` with the closest candidates.

All active regions are indexed in memory once per process. Loading an edition calls
``invalidate_region_index()``; other processes notice a new edition or alias within ``INDEX_CHECK_SECONDS``.
The returned Region instances are shared by every caller in the process: treat them as read-only.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Max
from rapidfuzz import fuzz, process

from .models import Level, Region, RegionAlias, RegionEdition

Status = Literal["exact", "fuzzy", "ambiguous", "not_found"]

# 0.85 accepts one wrong, missing or extra letter in names of 7+ letters ("Bengkyang" → Bengkayang
# scores 0.95) but not in 4-letter names, where one letter is a different name.
FUZZY_THRESHOLD = 0.85
FUZZY_TIE_MARGIN = 0.02
# Candidates offered with a not_found answer must score at least this much.
SUGGESTION_THRESHOLD = 0.6
MAX_SUGGESTIONS = 5
INDEX_CHECK_SECONDS = 60.0
RESULT_CACHE_SIZE = 50_000

_PREFIXES = {
    "prov": "provinsi",
    "propinsi": "provinsi",
    "provinsi": "provinsi",
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kec": "kecamatan",
    "kecamatan": "kecamatan",
    "ds": "desa",
    "desa": "desa",
    "kel": "kelurahan",
    "kelurahan": "kelurahan",
}
_PREFIX_LEVEL = {
    "provinsi": Level.PROVINCE,
    "kabupaten": Level.REGENCY,
    "kota": Level.REGENCY,
    "kecamatan": Level.DISTRICT,
    "desa": Level.VILLAGE,
    "kelurahan": Level.VILLAGE,
}
_KIND_PREFIX = {
    Region.Kind.PROVINCE: "provinsi",
    Region.Kind.REGENCY: "kabupaten",
    Region.Kind.CITY: "kota",
    Region.Kind.DISTRICT: "kecamatan",
    Region.Kind.VILLAGE: "desa",
    Region.Kind.URBAN_VILLAGE: "kelurahan",
}
_KEMENDAGRI_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_UNDOTTED_KEMENDAGRI = re.compile(r"^(\d{6}|\d{10})$")
_BPS_REGENCY_CODE = re.compile(r"^\d{4}$")
_APOSTROPHES = re.compile(r"['`´‘’ʼ]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Resolution:
    """The answer of ``resolve_region``: a status, the region when there is one, and the candidates."""

    status: Status
    region: Region | None
    confidence: float
    candidates: list[Region] = field(default_factory=list)
    matched_on: str = ""

    @property
    def ok(self) -> bool:
        """Return True when one region was chosen (exactly or by a fuzzy match)."""
        return self.region is not None


@dataclass(frozen=True)
class _Entry:
    region: Region
    matched_on: str  # "name" or "alias"
    prefix: str  # the kind word the region answers to: "kabupaten", "kota", "kecamatan", …


def normalize(text: str) -> str:
    """Return text lower-cased, without accents, apostrophes or punctuation, with the kind word spelled out."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    text = _APOSTROPHES.sub("", text)
    words = _NON_WORD.sub(" ", text).split()
    if words and words[0] in _PREFIXES:
        words[0] = _PREFIXES[words[0]]
    return " ".join(words)


def _split_prefix(normalized: str) -> tuple[str | None, str]:
    """Split a normalised name into its leading kind word (if any) and the rest."""
    head, _, rest = normalized.partition(" ")
    if rest and head in _PREFIX_LEVEL:
        return head, rest
    return None, normalized


class _RegionIndex:
    """All active regions keyed by normalised name, with per-level key lists for fuzzy matching."""

    def __init__(self) -> None:
        self.by_code: dict[str, Region] = {}
        self.by_bps: dict[str, Region] = {}
        self.by_key: dict[str, list[_Entry]] = {}
        self.keys_by_level: dict[int | None, list[str]] = {}
        self.results: dict[tuple, Resolution] = {}
        regions = list(Region.objects.filter(retired_in__isnull=True).order_by("code"))
        for region in regions:
            self.by_code[region.code] = region
            if region.bps_code:
                self.by_bps[region.bps_code] = region
            kind_prefix = _KIND_PREFIX.get(region.kind, "")
            full = normalize(region.name)
            prefix, core = _split_prefix(full)
            # Regencies are named with their kind ("Kabupaten Sambas"); index them by the bare name.
            if region.level in (Level.PROVINCE, Level.REGENCY) and prefix == kind_prefix:
                self._add(core, _Entry(region, "name", kind_prefix))
            else:
                self._add(full, _Entry(region, "name", kind_prefix))
        aliases = RegionAlias.objects.filter(region__retired_in__isnull=True).values_list(
            "region__code", "name"
        )
        for code, name in aliases:
            region = self.by_code[code]
            prefix, core = _split_prefix(normalize(name))
            self._add(core, _Entry(region, "alias", prefix or _KIND_PREFIX.get(region.kind, "")))
        levels: dict[int | None, set[str]] = {None: set(self.by_key)}
        for key, entries in self.by_key.items():
            for entry in entries:
                levels.setdefault(entry.region.level, set()).add(key)
        self.keys_by_level = {level: sorted(keys) for level, keys in levels.items()}

    def _add(self, key: str, entry: _Entry) -> None:
        entries = self.by_key.setdefault(key, [])
        if entry not in entries:
            entries.append(entry)


_lock = threading.Lock()
_index: _RegionIndex | None = None
_index_token: tuple | None = None
_index_checked_at = 0.0


def _current_token() -> tuple:
    """Return a cheap fingerprint of the region tables that changes when an edition or alias is loaded."""
    edition = RegionEdition.objects.aggregate(m=Max("id"))["m"]
    alias = RegionAlias.objects.aggregate(m=Max("id"))["m"]
    return (edition, alias, RegionAlias.objects.count())


def invalidate_region_index() -> None:
    """Drop the in-memory region index of this process; the next resolve rebuilds it."""
    global _index, _index_token
    with _lock:
        _index = None
        _index_token = None


def _get_index() -> _RegionIndex:
    global _index, _index_token, _index_checked_at
    now = time.monotonic()
    with _lock:
        if _index is not None and now - _index_checked_at < INDEX_CHECK_SECONDS:
            return _index
        token = _current_token()
        if _index is None or token != _index_token:
            _index = _RegionIndex()
            _index_token = token
        _index_checked_at = now
        return _index


def _within_region(index: _RegionIndex, within: Region | str | None) -> tuple[Region | None, bool]:
    """Return the region to search under and whether ``within`` was given but is unknown."""
    if within is None:
        return None, False
    if isinstance(within, Region):
        return within, False
    region = index.by_code.get(str(within).strip())
    return region, region is None


def _accepts(region: Region, level: int | None, within: Region | None) -> bool:
    if level is not None and region.level != level:
        return False
    return within is None or (region.path.startswith(within.path) and region.code != within.code)


def _prefix_accepts(query_prefix: str | None, entry: _Entry) -> bool:
    if query_prefix is None:
        return True
    if query_prefix in ("desa", "kelurahan"):
        # People write "Desa" for kelurahan and the reverse; the level is what matters.
        return entry.region.level == Level.VILLAGE
    return entry.prefix == query_prefix


def _unique(entries: list[_Entry]) -> list[_Entry]:
    """Keep one entry per region, preferring its current name over an alias."""
    best: dict[str, _Entry] = {}
    for entry in entries:
        kept = best.get(entry.region.code)
        if kept is None or (kept.matched_on == "alias" and entry.matched_on == "name"):
            best[entry.region.code] = entry
    return sorted(best.values(), key=lambda e: e.region.code)


def _resolve_code(
    index: _RegionIndex, text: str, level: int | None, within: Region | None
) -> Resolution | None:
    if _KEMENDAGRI_CODE.match(text):
        region, matched_on = index.by_code.get(text), "code"
    elif _UNDOTTED_KEMENDAGRI.match(text):
        dotted = ".".join([text[0:2], text[2:4], text[4:6]] + ([text[6:]] if len(text) == 10 else []))
        region, matched_on = index.by_code.get(dotted), "code"
    elif _BPS_REGENCY_CODE.match(text):
        region, matched_on = index.by_bps.get(text), "bps_code"
    else:
        return None
    if region is None or not _accepts(region, level, within):
        return Resolution("not_found", None, 0.0, [], matched_on)
    return Resolution("exact", region, 1.0, [region], matched_on)


def _resolve_name(
    index: _RegionIndex, normalized: str, level: int | None, within: Region | None, *, use_prefix: bool = True
) -> Resolution:
    prefix, core = _split_prefix(normalized) if use_prefix else (None, normalized)
    if prefix is not None and level not in (None, _PREFIX_LEVEL[prefix]):
        # The kind word contradicts the requested level: read the whole text as a plain name.
        prefix, core = None, normalized
    requested_level = level
    if prefix is not None:
        level = _PREFIX_LEVEL[prefix]

    def keep(entry: _Entry) -> bool:
        return _prefix_accepts(prefix, entry) and _accepts(entry.region, level, within)

    # 1. Exact name or alias, honouring the kind word.
    entries = _unique([e for e in index.by_key.get(core, []) if keep(e)])
    if not entries and prefix is not None:
        # The kind word may be part of the name (a village called "Kota Baru").
        entries = _unique(
            [e for e in index.by_key.get(normalized, []) if _accepts(e.region, requested_level, within)]
        )
    if len(entries) == 1:
        return Resolution("exact", entries[0].region, 1.0, [entries[0].region], entries[0].matched_on)
    if entries:
        return Resolution("ambiguous", None, 1.0, [e.region for e in entries], "name")

    # 2. Fuzzy: best score per region among the keys of the wanted level.
    scored: dict[str, tuple[float, _Entry]] = {}
    matches = process.extract(
        core,
        index.keys_by_level.get(level, []),
        scorer=fuzz.ratio,
        limit=None,
        score_cutoff=SUGGESTION_THRESHOLD * 100,
    )
    for key, percent, _ in matches:
        score = percent / 100
        for entry in index.by_key[key]:
            if not keep(entry):
                continue
            previous = scored.get(entry.region.code)
            if previous is None or score > previous[0]:
                scored[entry.region.code] = (score, entry)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1].region.code))
    if prefix is not None and (not ranked or ranked[0][0] < FUZZY_THRESHOLD):
        # The kind word may be part of a misspelled name ("Kota Baru" for the kelurahan Kotabaru).
        plain = _resolve_name(index, normalized, requested_level, within, use_prefix=False)
        if plain.status != "not_found" or not ranked:
            return plain
    if not ranked:
        return Resolution("not_found", None, 0.0, [], "name")
    best_score, best = ranked[0]
    if best_score < FUZZY_THRESHOLD:
        suggestions = [entry.region for _, entry in ranked[:MAX_SUGGESTIONS]]
        return Resolution("not_found", None, round(best_score, 3), suggestions, best.matched_on)
    tied = [entry for score, entry in ranked if score >= best_score - FUZZY_TIE_MARGIN]
    if len(tied) > 1:
        return Resolution("ambiguous", None, round(best_score, 3), [e.region for e in tied], "name")
    return Resolution("fuzzy", best.region, round(best_score, 3), [best.region], best.matched_on)


def resolve_region(
    text: str, *, level: Level | int | None = None, within: Region | str | None = None
) -> Resolution:
    """Resolve a typed region name or code to one active Region, or say why not (see the module rules)."""
    index = _get_index()
    level = int(level) if level is not None else None
    within_region, unknown_within = _within_region(index, within)
    raw = str(text or "").strip()
    cache_key = (raw, level, within_region.code if within_region else None)
    cached = index.results.get(cache_key)
    if cached is not None:
        return cached
    if unknown_within or not raw:
        return Resolution("not_found", None, 0.0, [], "")
    result = _resolve_code(index, raw, level, within_region)
    if result is None:
        normalized = normalize(raw)
        if not normalized:
            result = Resolution("not_found", None, 0.0, [], "")
        else:
            result = _resolve_name(index, normalized, level, within_region)
    if len(index.results) < RESULT_CACHE_SIZE:
        index.results[cache_key] = result
    return result
