"""Shapes passed between the stages of a spreadsheet import.

read (``readers``) → map headers (``mapping``) → normalise each row (``normalise``) →
match and write (``services``). Every stage reports problems as :class:`Problem`, the one shape
of an error or a warning: a command's ``--json`` output lists them under ``errors`` and ``warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class CellKind(StrEnum):
    """What the file says a cell's type was."""

    TEXT = "text"
    NUMBER = "number"  # a numeric cell (Excel float / CSV never)
    DATE = "date"  # a cell the file stores as a date/datetime (XLSX date format or value)
    BOOL = "bool"
    EMPTY = "empty"
    ERROR = "error"  # #N/A, #REF! …


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as text, with what the file said about it.

    ``text`` is the value as text. For a NUMBER cell: an integral float as plain digits
    (``6103211708450000.0`` → ``"6103211708450000"``; ``8123456789.0`` → ``"8123456789"``), any
    other float as Python's shortest ``repr`` (``"1.5"``, ``"6.1e+16"`` for huge ones); the
    normaliser must treat such text as coming from a numeric cell (``from_numeric_cell``). For a
    DATE cell: ISO ``YYYY-MM-DD`` (or ``YYYY-MM-DDTHH:MM:SS``). For a BOOL cell: ``"TRUE"``/``"FALSE"``.
    For CSV every cell is TEXT exactly as in the file (only the line ending removed).
    ``number_format`` is the Excel number format where the reader knows it (openpyxl), else ``None``.
    ``is_formula`` is True when the value is a formula's cached result.
    """

    text: str
    kind: CellKind = CellKind.TEXT
    number_format: str | None = None
    is_formula: bool = False

    @property
    def from_numeric_cell(self) -> bool:
        return self.kind == CellKind.NUMBER

    @property
    def is_blank(self) -> bool:
        return self.kind == CellKind.EMPTY or not self.text.strip()


@dataclass(frozen=True, slots=True)
class Row:
    """A data row: ``number`` is the spreadsheet's own row number (header row = 1 in a simple file)."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """An error or a warning about one value.

    ``row`` is the spreadsheet row number (``None`` for a file-level problem), ``column`` the
    header as written in the file (or the canonical field name when no column exists), ``value``
    the cell text as typed, ``code`` a stable machine code (``nik.scientific``), ``reason`` a full
    sentence in the active language telling the sender what to fix.
    """

    row: int | None
    column: str
    value: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "reason": self.reason,
        }


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, no header, missing required column, no data rows).

    Carries one or more :class:`Problem`; the CLI exits with status 2.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.reason for p in problems))


@dataclass
class HeaderMap:
    """Which column index holds each canonical field.

    ``columns`` maps a canonical field name (see ``mapping.FIELDS``) to a 0-based column index;
    ``headers`` are the header texts as written; ``unknown`` the headers mapped to no field;
    ``header_rows`` the spreadsheet row numbers the header occupied (two-row headers → two).
    """

    columns: dict[str, int]
    headers: list[str]
    unknown: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = (1,)

    def header_of(self, field_name: str) -> str:
        """Return the header text as written in the file for ``field_name``."""
        return self.headers[self.columns[field_name]]


@dataclass
class RowResult:
    """A normalised row.

    ``data`` holds the normalised values by canonical field (ints for rupiah, ``Region`` objects
    for ``region``, lists for ``kbli``/``products``…; see ``normalise``), ``raw`` the cell text by
    canonical field, ``errors``/``warnings`` the problems. A row with errors is rejected.
    """

    number: int
    data: dict[str, Any]
    raw: dict[str, str]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
