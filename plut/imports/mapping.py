"""Recognise the header row of an UMKM spreadsheet and map its columns to canonical fields.

Header text is compared after normalisation (:func:`normalise_header`): case, spaces and punctuation are
ignored, ``No``/``No.``/``Nomor``/``Nmr`` are the same word, and a trailing unit in parentheses
(``Omzet (Rp)``) is dropped on a second try. A header that matches no synonym but is at least 90% similar
to one (rapidfuzz ``ratio``) is accepted with a warning naming the guess.

Two-row headers are combined, not refused (:func:`locate_header`): a group cell over sub-headers
(``Identitas Pemilik`` merged over ``Nama | NIK``) gives each sub-header its group as context, so
``Nama`` under ``Identitas Pemilik`` is read as ``Nama Pemilik``; a vertically merged cell keeps its own
text. When a group has sub-columns that each mean the same field (``Omzet`` over ``2024 | 2025``), the
field is matched by two columns, which is an error asking the sender to keep one column or to choose one
with a mapping file.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from plut.imports.types import Cell, HeaderMap, ImportFileError, Problem, Row

if TYPE_CHECKING:
    from plut.imports.readers import Table

__all__ = [
    "FIELDS",
    "FUZZY_CUTOFF",
    "HEADER_SCAN_ROWS",
    "IGNORED_FIELDS",
    "LABELS",
    "load_mapping_file",
    "locate_header",
    "map_headers",
    "normalise_header",
    "require_rows",
]

# Canonical fields in template order: field → synonyms, the first being the template's Indonesian header.
FIELDS: dict[str, tuple[str, ...]] = {
    "row_ref": ("No", "No.", "Nomor Urut"),
    "business_name": ("Nama Usaha", "Nama UMKM", "Nama Perusahaan", "Business name"),
    "owner_name": ("Nama Pemilik", "Pemilik", "Nama Pelaku Usaha", "Owner", "Owner name"),
    "nik": ("NIK", "No KTP", "Nomor KTP", "NIK Pemilik"),
    "owner_sex": ("Jenis Kelamin", "JK", "L/P", "Sex"),
    "address": ("Alamat Usaha", "Alamat", "Address"),
    "village": ("Desa/Kelurahan", "Desa", "Kelurahan", "Desa/Kel", "Village"),
    "district": ("Kecamatan", "Kec", "District"),
    "regency": ("Kabupaten/Kota", "Kabupaten", "Kota", "Kab/Kota", "Regency"),
    "phone": (
        "No HP",
        "No. HP",
        "Nomor HP",
        "HP",
        "Telepon",
        "Telp",
        "No Telp",
        "WA",
        "No WA",
        "WhatsApp",
        "Phone",
    ),
    "email": ("Email", "E-mail"),
    "kbli": ("KBLI", "Kode KBLI"),
    "sector": ("Jenis Usaha", "Sektor", "Bidang Usaha", "Sector"),
    "nib": ("NIB", "Nomor Induk Berusaha"),
    "npwp": ("NPWP",),
    "pirt": ("P-IRT", "PIRT", "No PIRT", "SPP-IRT"),
    "halal": ("No Sertifikat Halal", "Halal", "Sertifikat Halal"),
    "trademark": ("Merek", "Merk", "Merek Dagang", "Trademark", "Brand"),
    "products": ("Produk Utama", "Produk", "Products"),
    "annual_sales": (
        "Omzet per tahun",
        "Omzet",
        "Omset",
        "Omset per tahun",
        "Omzet/tahun",
        "Penjualan per tahun",
        "Annual sales",
    ),
    # PP 7/2021 classifies by business capital (modal usaha); UU 20/2008 by net assets (kekayaan bersih):
    # the two are different figures and are kept apart.
    "capital": ("Modal Usaha", "Modal", "Capital"),
    "assets": ("Aset", "Asset", "Assets", "Kekayaan Bersih"),
    "workers": ("Tenaga Kerja", "Jumlah Tenaga Kerja", "Jml TK", "TK", "Karyawan", "Workers"),
    "established_year": ("Tahun Berdiri", "Tahun Mulai Usaha", "Year established"),
    "sells_to_malaysia": (
        "Jual ke Malaysia",
        "Ekspor ke Malaysia",
        "Penjualan Lintas Batas",
        "Sells to Malaysia",
    ),
    "cross_border_brand": ("Dijual dengan merek sendiri", "Merek saat dijual ke Malaysia"),
    "latitude": ("Lintang", "Latitude", "Lat"),
    "longitude": ("Bujur", "Longitude", "Long", "Lng"),
    "data_date": ("Tanggal Pendataan", "Tanggal Data", "Tanggal", "Date"),
    # The two columns plut adds to an error workbook, so that a corrected workbook can be re-sent as is.
    "report_source_row": ("Baris asal", "Source row"),
    "report_reasons": ("Alasan penolakan", "Reasons for rejection"),
}

# The Indonesian header of each field (the template's header).
LABELS: dict[str, str] = {name: synonyms[0] for name, synonyms in FIELDS.items()}

# Fields recognised so that they are not reported as unknown, but never imported.
IGNORED_FIELDS = frozenset({"row_ref", "report_source_row", "report_reasons"})

FUZZY_CUTOFF = 90.0
# Fuzzy matching is off for short headers: "Kec" and "Kel" are one letter apart and mean different things.
_FUZZY_MIN_LENGTH = 5
# The header is searched for among the first rows, to step over a title row above it.
HEADER_SCAN_ROWS = 10

_NUMBER_WORD_RE = re.compile(r"\b(?:nomor|nmr|no)\b\.?")
_PARENTHESES_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM_RE = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """Return ``text`` reduced for comparison: ``"No. HP"``, ``"Nomor HP"`` and ``"no hp"`` → ``"nohp"``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _NUMBER_WORD_RE.sub(" no ", text)
    return _NON_ALNUM_RE.sub("", text)


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, synonyms in FIELDS.items():
        for synonym in synonyms:
            key = normalise_header(synonym)
            if index.setdefault(key, name) != name:  # pragma: no cover - guarded by a test
                raise ValueError(f"Header synonym {synonym!r} names two fields.")
    return index


_INDEX = _build_index()
_INDEX_KEYS = list(_INDEX)


def _exact(text: str) -> str | None:
    """Return the field whose synonym ``text`` is (exactly, after normalisation), else ``None``."""
    key = normalise_header(text)
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    stripped = normalise_header(_PARENTHESES_RE.sub(" ", text))
    return _INDEX.get(stripped) if stripped else None


def _fuzzy(text: str) -> tuple[str, str] | None:
    """Return ``(field, synonym)`` for a close misspelling of a synonym, else ``None``."""
    key = normalise_header(_PARENTHESES_RE.sub(" ", text)) or normalise_header(text)
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    found = process.extract(key, _INDEX_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=2)
    if not found:
        return None
    fields = {_INDEX[match] for match, _score, _i in found if _score == found[0][1]}
    if len(fields) > 1:
        return None
    best = found[0][0]
    name = _INDEX[best]
    synonym = next(s for s in FIELDS[name] if normalise_header(s) == best)
    return name, synonym


def _header_texts(header_cells: Iterable[Cell] | Iterable[str]) -> list[str]:
    texts = [cell.text.strip() if isinstance(cell, Cell) else str(cell).strip() for cell in header_cells]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _fatal(problems: list[Problem]) -> ImportFileError:
    return ImportFileError(problems)


def map_headers(
    header_cells: list[Cell] | list[str],
    *,
    regency_given: bool,
    override: dict[str, str] | None = None,
    header_rows: tuple[int, ...] = (1,),
    candidates: list[list[str]] | None = None,
) -> tuple[HeaderMap, list[Problem]]:
    """Map each header to a canonical field; return the map and the warnings.

    ``override`` maps a field to the header text that holds it (from :func:`load_mapping_file`) and
    takes precedence over the synonyms. ``candidates`` (used by :func:`locate_header` for two-row
    headers) gives, per column, further texts to try after the header itself. Raises
    :class:`ImportFileError` when a required column is missing, when one field is matched by two columns,
    or when the override names an unknown field or a header that is not in the file.
    """
    headers = _header_texts(header_cells)
    header_row = header_rows[-1] if header_rows else None
    columns: dict[str, int] = {}
    fuzzy_columns: dict[str, int] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    taken: set[int] = set()

    for name, wanted in (override or {}).items():
        if name not in FIELDS:
            errors.append(_unknown_field_problem(name))
            continue
        wanted_key = normalise_header(wanted)
        index = next((i for i, h in enumerate(headers) if normalise_header(h) == wanted_key and h), None)
        if index is None:
            errors.append(
                Problem(
                    row=header_row,
                    column=name,
                    value=wanted,
                    code="mapping.header_not_found",
                    reason=_(
                        'The mapping file assigns the column "%(header)s" to %(field)s, but the file has no '
                        "such column. Correct the mapping file or the header."
                    )
                    % {"header": wanted, "field": LABELS[name]},
                )
            )
            continue
        columns[name] = index
        taken.add(index)
    if errors:
        raise _fatal(errors)
    overridden = set(columns)

    matched: dict[str, list[int]] = {}
    guesses: dict[int, tuple[str, str]] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if index in taken or not header:
            continue
        texts = [header, *(candidates[index] if candidates and index < len(candidates) else [])]
        name = next((found for text in texts if (found := _exact(text))), None)
        if name is None:
            guess = next((found for text in texts if (found := _fuzzy(text))), None)
            if guess is not None:
                guesses[index] = guess
                name = guess[0]
        if name is None or name in overridden:
            unknown.append(header)
            continue
        matched.setdefault(name, []).append(index)

    for name, indexes in matched.items():
        exact = [i for i in indexes if i not in guesses]
        if len(indexes) > 1 and len(exact) == 1:
            # An exact header wins over a misspelt one; the misspelt one is reported as unknown.
            for i in indexes:
                if i in guesses:
                    unknown.append(headers[i])
                    del guesses[i]
            indexes = exact
        if len(indexes) > 1 and name not in IGNORED_FIELDS:
            errors.append(
                Problem(
                    row=header_row,
                    column=headers[indexes[1]],
                    value=", ".join(headers[i] for i in indexes),
                    code="header.duplicate",
                    reason=_(
                        "The columns %(headers)s all hold %(field)s. Keep only one of these columns, or "
                        "choose one with a mapping file."
                    )
                    % {"headers": ", ".join(f'"{headers[i]}"' for i in indexes), "field": LABELS[name]},
                )
            )
            continue
        columns[name] = indexes[0]
        if indexes[0] in guesses:
            fuzzy_columns[name] = indexes[0]

    for index in fuzzy_columns.values():
        _field, synonym = guesses[index]
        warnings.append(
            Problem(
                row=header_row,
                column=headers[index],
                value=headers[index],
                code="header.guessed",
                reason=_(
                    'The column "%(header)s" was read as "%(guess)s". If that is wrong, rename the column '
                    "or use a mapping file."
                )
                % {"header": headers[index], "guess": synonym},
            )
        )
    for header in unknown:
        warnings.append(
            Problem(
                row=header_row,
                column=header,
                value=header,
                code="header.unknown",
                reason=_('The column "%(header)s" is not recognised and was not imported.')
                % {"header": header},
            )
        )

    errors.extend(_missing_required(columns, regency_given=regency_given, header_row=header_row))
    if errors:
        raise _fatal(errors)
    ordered = dict(sorted(columns.items(), key=lambda item: item[1]))
    header_map = HeaderMap(columns=ordered, headers=headers, unknown=unknown, header_rows=tuple(header_rows))
    return header_map, warnings


def _missing_required(
    columns: dict[str, int], *, regency_given: bool, header_row: int | None
) -> list[Problem]:
    missing: list[tuple[str, str]] = []
    for name in ("business_name", "owner_name"):
        if name not in columns:
            missing.append((name, LABELS[name]))
    if "district" not in columns and "village" not in columns:
        missing.append(
            (
                "district",
                _("%(first)s or %(second)s") % {"first": LABELS["district"], "second": LABELS["village"]},
            )
        )
    if not regency_given and "regency" not in columns:
        missing.append(("regency", LABELS["regency"]))
    return [
        Problem(
            row=header_row,
            column=name,
            value="",
            code="header.missing",
            reason=_(
                'The required column "%(label)s" was not found. Add a column with this header (see the '
                "template) and send the file again."
            )
            % {"label": label},
        )
        for name, label in missing
    ]


def _unknown_field_problem(name: str) -> Problem:
    return Problem(
        row=None,
        column=name,
        value=name,
        code="mapping.unknown_field",
        reason=_('The mapping file names an unknown field "%(field)s". Known fields are: %(fields)s.')
        % {"field": name, "fields": ", ".join(FIELDS)},
    )


def load_mapping_file(path) -> dict[str, str]:
    """Read an explicit mapping ``field → header`` from a JSON object or a two-column CSV (``field,header``).

    ``path`` is a file path or a binary file object (an upload). A CSV may start with the line
    ``field,header``. Raises :class:`ImportFileError` for an unknown field or an unreadable file.
    """
    if hasattr(path, "read"):
        name = Path(getattr(path, "name", "mapping"))
        try:
            text = path.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fatal([_mapping_unreadable(name)]) from exc
        path = name
    else:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fatal([_mapping_unreadable(path)]) from exc
    mapping: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fatal([_mapping_unreadable(path)]) from exc
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise _fatal([_mapping_unreadable(path)])
        mapping = dict(data)
    else:
        for number, values in enumerate(csv.reader(text.splitlines()), start=1):
            values = [value.strip() for value in values]
            if not any(values):
                continue
            if len(values) != 2:
                raise _fatal([_mapping_unreadable(path)])
            if number == 1 and [v.casefold() for v in values] == ["field", "header"]:
                continue
            mapping[values[0]] = values[1]
    unknown = [_unknown_field_problem(name) for name in mapping if name not in FIELDS]
    if unknown:
        raise _fatal(unknown)
    return mapping


def _mapping_unreadable(path: Path) -> Problem:
    return Problem(
        row=None,
        column="",
        value=path.name,
        code="mapping.unreadable",
        reason=_(
            'The mapping file %(filename)s could not be read. Write it as a JSON object {"field": "header"} '
            'or as CSV lines "field,header".'
        )
        % {"filename": path.name},
    )


# Locating the header -------------------------------------------------------------------------------


def _row_texts(row: Row) -> list[str]:
    return [cell.text.strip() for cell in row.cells]


def _score(texts: list[str]) -> int:
    return len({name for text in texts if (name := _exact(text)) and name not in IGNORED_FIELDS})


def _group_columns(top: list[str], sub: list[str], merged_groups: dict[int, str]) -> dict[int, str]:
    """Return column → group text for the columns that sit under a group cell of a two-row header.

    A group cell is a header cell merged across columns, or (in CSV, which has no merges) a header cell
    followed by blank header cells, with sub-headers under all of them.
    """
    groups = {col: text for col, text in merged_groups.items() if col < len(sub) and sub[col]}
    col = 0
    while col < len(top):
        end = col
        if top[col] and col < len(sub) and sub[col]:
            while end + 1 < len(sub) and sub[end + 1] and not (end + 1 < len(top) and top[end + 1]):
                end += 1
        if end > col:
            for inner in range(col, end + 1):
                groups.setdefault(inner, top[col])
        col = end + 1
    return groups


def _combine(top: list[str], sub: list[str], groups: dict[int, str]) -> tuple[list[str], list[list[str]]]:
    """Return the combined header texts of a two-row header and, per column, the texts to try after it.

    Under a group, a sub-header is tried alone, then followed by the group's last words (``Nama`` +
    ``Pemilik``), then after the whole group, then the group alone (``Omzet`` over ``2024``).
    """
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    headers: list[str] = []
    candidates: list[list[str]] = []
    for col in range(width):
        group = groups.get(col, "")
        if not group:
            # A vertically merged (or single-row) header cell keeps its own text.
            headers.append(top[col] or sub[col])
            candidates.append([])
            continue
        words = group.split()
        tries = [sub[col]]
        tries += [sub[col] + " " + " ".join(words[i:]) for i in range(len(words))]
        tries += [group + " " + sub[col], group]
        headers.append(group + " " + sub[col])
        candidates.append(tries)
    return headers, candidates


def _is_sub_header(top: list[str], sub: list[str], groups: dict[int, str]) -> bool:
    """Return whether ``sub`` holds sub-headers only: non-blank under groups, blank everywhere else."""
    if not groups:
        return False
    return all(not text for col, text in enumerate(sub) if col not in groups)


def _two_row_score(headers: list[str], candidates: list[list[str]]) -> int:
    names = set()
    for header, tries in zip(headers, candidates, strict=True):
        name = next((found for text in [header, *tries] if (found := _exact(text))), None)
        if name and name not in IGNORED_FIELDS:
            names.add(name)
    return len(names)


def _header_at(
    table: Table, scanned: list[Row], index: int
) -> tuple[int, list[str], list[list[str]] | None, tuple[int, ...]]:
    """Return ``(fields matched, header texts, texts to try, header rows)`` for a header at ``scanned[index]``.

    The row below is taken as a sub-header row when it lies right below, and either it holds sub-headers
    only (non-blank under group cells, blank elsewhere) or combining the two rows matches more fields.
    """
    row = scanned[index]
    texts = _row_texts(row)
    single = _score(texts)
    if index + 1 < len(scanned) and scanned[index + 1].number == row.number + 1:
        sub_texts = _row_texts(scanned[index + 1])
        groups = _group_columns(texts, sub_texts, _merged_groups(table, row.number, texts))
        combined, tries = _combine(texts, sub_texts, groups)
        double = _two_row_score(combined, tries)
        if (_is_sub_header(texts, sub_texts, groups) and double >= single) or double > single:
            return double, combined, tries, (row.number, scanned[index + 1].number)
    return single, texts, None, (row.number,)


def locate_header(
    table: Table,
    *,
    regency_given: bool,
    override: dict[str, str] | None = None,
) -> tuple[HeaderMap, list[Problem], Iterator[Row]]:
    """Find the header among the first rows of ``table``; return its map, warnings and the data rows.

    Steps:
    1. Read the first :data:`HEADER_SCAN_ROWS` non-blank rows; the header is the one matching the most
       fields (the first on a tie), so a title row above it is stepped over (and reported).
    2. If the row below it holds sub-headers (a merged group cell spans them, or combining the two rows
       matches more fields), the two rows are combined (see the module docstring).
    3. Map the header with :func:`map_headers`, which raises before any data row is used when a required
       column is missing.
    The returned iterator streams the remaining rows of the table.
    """
    rows = table.raw_rows()
    scanned: list[Row] = []
    for row in rows:
        scanned.append(row)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if not scanned:
        raise _fatal(
            [
                Problem(
                    row=None,
                    column="",
                    value=table.filename,
                    code="file.empty",
                    reason=_("The file %(filename)s has no rows.") % {"filename": table.filename},
                )
            ]
        )
    headers = [_header_at(table, scanned, i) for i in range(len(scanned))]
    best = max(range(len(scanned)), key=lambda i: (headers[i][0], -i))
    warnings: list[Problem] = []
    if override:
        # With an explicit mapping, the header is the first row holding one of its headers.
        wanted = {normalise_header(h) for h in override.values()}
        best = next(
            (
                i
                for i, (_s, texts, _c, _r) in enumerate(headers)
                if wanted & {normalise_header(t) for t in texts}
            ),
            best,
        )
    _score_, header_texts, candidates, header_rows = headers[best]
    for skipped in scanned[:best]:
        warnings.append(
            Problem(
                row=skipped.number,
                column="",
                value=" ".join(t for t in _row_texts(skipped) if t)[:200],
                code="header.row_skipped",
                reason=_("Row %(row)d is above the header and was not imported.") % {"row": skipped.number},
            )
        )
    data_start = best + len(header_rows)

    header_map, map_warnings = map_headers(
        header_texts,
        regency_given=regency_given,
        override=override,
        header_rows=header_rows,
        candidates=candidates,
    )
    return header_map, warnings + map_warnings, chain(scanned[data_start:], rows)


def _merged_groups(table: Table, row_number: int, texts: list[str]) -> dict[int, str]:
    """Return column → group text for cells of ``row_number`` merged across several columns."""
    groups: dict[int, str] = {}
    for first_row, first_col, last_row, last_col in getattr(table, "merged_ranges", []):
        if first_row == row_number and last_row == row_number and last_col > first_col:
            text = texts[first_col] if first_col < len(texts) else ""
            for col in range(first_col, last_col + 1):
                groups[col] = text
    return groups


def require_rows(rows: Iterable[Row], *, filename: str = "") -> Iterator[Row]:
    """Return ``rows`` as an iterator, raising :class:`ImportFileError` ``file.no_rows`` when it is empty."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        raise _fatal(
            [
                Problem(
                    row=None,
                    column="",
                    value=filename,
                    code="file.no_rows",
                    reason=_(
                        "The file %(filename)s has a header but no data rows. Fill in at least one row "
                        "below the header."
                    )
                    % {"filename": filename},
                )
            ]
        )
    return chain([first], iterator)
