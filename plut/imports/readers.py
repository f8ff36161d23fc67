"""Open an uploaded spreadsheet and stream its rows as :class:`~plut.imports.types.Row` of text cells.

The format is recognised by content, never by file name:

- XLSX: a ZIP archive holding ``xl/workbook.xml``; XLS: an OLE2 compound file (``D0 CF 11 E0``);
  ODS: a ZIP archive whose ``mimetype`` entry is the OpenDocument spreadsheet type. All three are read
  with python-calamine (the first visible worksheet). Anything else is read as delimited text (CSV).
- CSV encoding: UTF-8 (with or without BOM) is validated over the whole file before any row is read
  (an incremental decoder, constant memory). A file that is not valid UTF-8 is read as Windows-1252, the
  encoding of Excel's "CSV" on an Indonesian or English Windows, with a file-level warning; a byte that
  Windows-1252 does not define (or a NUL byte) stops the import and asks for a UTF-8 file, so a wrong
  guess never corrupts text silently. UTF-16 with a BOM (Excel's "Unicode Text") is read too.
- CSV delimiter: comma, semicolon or tab, chosen on a sample by how consistently each one splits the
  lines into more than one field (``csv.Sniffer`` was not used: it also guesses quoting and picks the comma
  in semicolon files whose amounts are written ``1.500.000,00``).

XLSX cells: python-calamine gives values with their type, but not whether a cell held a formula, and it
turns error cells (``#N/A``) into empty strings. One extra pass over the worksheet XML finds both: it
only decompresses the XML and runs two regular expressions on the chunks that contain a formula or an
error, in a thread started before calamine loads the sheet (calamine releases the GIL meanwhile), so it
costs no wall time. openpyxl was not used for this, at any file size: even in read-only mode it is about
ten times slower than calamine, which would miss the import's target (within 2x of calamine alone;
measured 1.9x on a 200,000-row, 20-column file). Consequently ``Cell.number_format`` is always ``None``;
calamine itself recognises date cells from their number format. Repeated values share one immutable
:class:`Cell` (a bounded cache), because building a Cell costs more than calamine's read of the value.

Memory: CSV rows stream in constant memory. calamine loads the worksheet's cells into memory (in Rust)
before the first row is returned; rows become Python objects one at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from xml.etree import ElementTree

import python_calamine
from django.utils.translation import gettext as _

from plut.imports.types import Cell, CellKind, ImportFileError, Problem, Row

__all__ = ["FORMULA_WARNING_LIMIT", "Table", "column_letter", "open_table"]

# Per-cell "formula" warnings beyond this many are summed up in one file-level warning.
FORMULA_WARNING_LIMIT = 50

_SAMPLE_BYTES = 64 * 1024
_CHUNK = 1 << 20
_CACHE_SIZE = 100_000
_DELIMITERS = (",", ";", "\t")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_EMPTY = Cell("", CellKind.EMPTY)
_TEXT = CellKind.TEXT

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# In a worksheet's XML a cell's <f> element comes first inside <c> (ECMA-376, CT_Cell).
_FORMULA_RE = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>\s*<f[\s>/]')
_ERROR_RE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:\s*<f\b[^>]*/>|\s*<f\b.*?</f>)?\s*<v>([^<]*)</v>'
)


# Formula cells (row → columns) and error cells (row → column → text) found in a worksheet's XML.
_Scan = tuple[dict[int, set[int]], dict[int, dict[int, str]]]


class _Background:
    """Run ``function(*args)`` in a thread; :meth:`result` waits for it and returns (or raises) its outcome."""

    def __init__(self, function: Callable[..., _Scan], *args: object) -> None:
        self._outcome: _Scan | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., _Scan], args: tuple[object, ...]) -> None:
        try:
            self._outcome = function(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread by result()
            self._error = exc

    def result(self) -> _Scan:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._outcome is not None  # noqa: S101
        return self._outcome


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column ``index`` (0 → ``A``, 27 → ``AB``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


def _file_error(code: str, filename: str, reason: str) -> ImportFileError:
    return ImportFileError([Problem(row=None, column="", value=filename, code=code, reason=reason)])


def _unreadable(filename: str, detail: str = "") -> ImportFileError:
    reason = _(
        "The file %(filename)s could not be read as a spreadsheet. Save it again from Excel as XLSX "
        "or as CSV UTF-8 and send it again."
    ) % {"filename": filename}
    if detail:
        reason = reason + " " + detail
    return _file_error("file.unreadable", filename, reason)


@dataclass
class Table:
    """An opened spreadsheet: its format, what was detected, and its rows on demand.

    ``format`` is ``"csv"``, ``"xlsx"``, ``"xls"`` or ``"ods"``; ``sheet_name`` is the worksheet read
    (``None`` for CSV); ``encoding`` (a Python codec name: ``utf-8``, ``utf-8-sig``, ``cp1252``,
    ``utf-16``) and ``delimiter`` are set for CSV only. ``merged_ranges`` lists the worksheet's merged
    ranges as ``(first_row, first_col, last_row, last_col)`` with 1-based rows and 0-based columns.
    ``warnings`` collects file-level and per-cell remarks; per-cell ones are added while rows are read.
    """

    format: str
    filename: str
    _stream: BinaryIO = field(repr=False)
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    merged_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # calamine loads the whole worksheet when it is opened: keep it rather than load it twice.
    _sheet: python_calamine.CalamineSheet | None = field(default=None, repr=False)
    _scan: _Background | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close the file this table reads."""
        self._sheet = None
        self._stream.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def raw_rows(self) -> Iterator[Row]:
        """Yield every non-blank row with its own 1-based row number, trailing empty cells trimmed."""
        self._stream.seek(0)
        if self.format == "csv":
            return self._csv_rows()
        return self._calamine_rows()

    # CSV ---------------------------------------------------------------------------------------------

    def _csv_rows(self) -> Iterator[Row]:
        assert self.encoding is not None and self.delimiter is not None  # noqa: S101 - set by open_table
        text = io.TextIOWrapper(self._stream, encoding=self.encoding, newline="")
        try:
            reader = csv.reader(text, delimiter=self.delimiter, strict=False)
            # The row number is the record number: a quoted field spanning lines is one spreadsheet row.
            for number, values in enumerate(reader, start=1):
                end = len(values)
                while end and not values[end - 1].strip():
                    end -= 1
                if end:
                    yield Row(number, tuple(Cell(value) if value else _EMPTY for value in values[:end]))
        except csv.Error as exc:
            raise _unreadable(self.filename, str(exc)) from exc
        finally:
            with contextlib.suppress(ValueError):  # the file was closed before the rows were all read
                text.detach()

    # XLSX / XLS / ODS --------------------------------------------------------------------------------

    def _calamine_rows(self) -> Iterator[Row]:
        sheet = self._sheet
        if sheet is None or sheet.start is None:
            return
        formulas, errors = self._scan.result() if self._scan is not None else ({}, {})
        # A second pass over the rows reports the formula cells again: drop the first pass's warnings.
        self.warnings[:] = [w for w in self.warnings if w.code != "cell.formula"]
        first_row, first_col = sheet.start
        # calamine starts at the first used column; pad so that column indices are the sheet's own.
        padding = (_EMPTY,) * first_col
        formula_count = 0
        cell_of = _CellCache().__getitem__
        for offset, values in enumerate(sheet.iter_rows()):
            number = first_row + offset + 1
            row_errors = errors.get(number) if errors else None
            end = len(values)
            while end and _is_blank_value(values[end - 1]):
                end -= 1
            if not end and not row_errors:
                continue
            cells = [*padding, *map(cell_of, values[:end])]
            row_formulas = formulas.get(number) if formulas else None
            if row_errors:
                # calamine reads an error cell (#N/A) as an empty string; the XML scan knows better.
                for col, text in row_errors.items():
                    cells.extend([_EMPTY] * (col + 1 - len(cells)))
                    cells[col] = Cell(
                        text, CellKind.ERROR, is_formula=bool(row_formulas and col in row_formulas)
                    )
            if row_formulas:
                for col in row_formulas:
                    if col < len(cells) and not cells[col].is_blank and cells[col].kind != CellKind.ERROR:
                        cell = cells[col] = Cell(cells[col].text, cells[col].kind, None, True)
                        formula_count += 1
                        if formula_count <= FORMULA_WARNING_LIMIT:
                            self.warnings.append(_formula_warning(number, col, cell))
            # The last value kept is not blank (or an error cell was added), so the row is not blank.
            yield Row(number, tuple(cells))
        if formula_count > FORMULA_WARNING_LIMIT:
            self.warnings.append(
                Problem(
                    row=None,
                    column="",
                    value="",
                    code="cell.formula",
                    reason=_("%(count)d more cells hold formulas; their last calculated values were read.")
                    % {"count": formula_count - FORMULA_WARNING_LIMIT},
                )
            )


def _scan_xlsx_cells(stream: BinaryIO, sheet_name: str | None) -> _Scan:
    """Return the formula cells (row → columns) and error cells (row → column → text) of the sheet."""
    formulas: dict[int, set[int]] = {}
    errors: dict[int, dict[int, str]] = {}
    try:
        with zipfile.ZipFile(stream) as zf:
            member = _xlsx_sheet_member(zf, sheet_name)
            if member is None:
                return formulas, errors
            with zf.open(member) as xml:
                carry = b""
                while True:
                    chunk = xml.read(_CHUNK)
                    buffer = carry + chunk
                    # Cut before the last cell start so that no cell is split between two passes.
                    cut = buffer.rfind(b"<c ") if chunk else len(buffer)
                    if cut < 0:
                        cut = max(0, len(buffer) - 2)
                    part, carry = buffer[:cut], buffer[cut:]
                    if b"<f" in part:
                        for match in _FORMULA_RE.finditer(part):
                            formulas.setdefault(int(match.group(2)), set()).add(_column_index(match.group(1)))
                    if b't="e"' in part:
                        for match in _ERROR_RE.finditer(part):
                            errors.setdefault(int(match.group(2)), {})[_column_index(match.group(1))] = (
                                match.group(3).decode("utf-8", "replace")
                            )
                    if not chunk:
                        break
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return formulas, errors
    finally:
        stream.close()
    return formulas, errors


def _formula_warning(number: int, col: int, cell: Cell) -> Problem:
    return Problem(
        row=number,
        column=column_letter(col),
        value=cell.text,
        code="cell.formula",
        reason=_(
            "Cell %(cell)s holds a formula; its last calculated value, %(value)s, was read. Type the value "
            "itself if this is not right."
        )
        % {"cell": column_letter(col) + str(number), "value": cell.text},
    )


def _is_blank_value(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


_new_object = object.__new__
_set_text = Cell.text.__set__  # type: ignore[attr-defined]
_set_kind = Cell.kind.__set__  # type: ignore[attr-defined]
_set_number_format = Cell.number_format.__set__  # type: ignore[attr-defined]
_set_is_formula = Cell.is_formula.__set__  # type: ignore[attr-defined]


def _new_cell(text: str, kind: CellKind = CellKind.TEXT) -> Cell:
    """Return ``Cell(text, kind)``, built through the slots: twice as fast as the dataclass ``__init__``."""
    cell = _new_object(Cell)
    _set_text(cell, text)
    _set_kind(cell, kind)
    _set_number_format(cell, None)
    _set_is_formula(cell, False)
    return cell


class _CellCache(dict):
    """Map calamine values to cells, sharing one immutable :class:`Cell` among repeats of a value.

    Building a Cell costs more than calamine's whole read of the value, and a list repeats most of its
    values (districts, "Ya", years, dates). A hit is a plain dictionary lookup; ``__missing__`` builds the
    cell. The cache is emptied when full, so memory stays bounded.
    """

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        super().__init__({"": _EMPTY})
        self.size = size

    def __missing__(self, value: object) -> Cell:
        if type(value) is str:
            # The common miss (names, addresses, identifiers typed as text), built inline for speed.
            cell = _new_object(Cell)
            _set_text(cell, value)
            _set_kind(cell, _TEXT)
            _set_number_format(cell, None)
            _set_is_formula(cell, False)
            if len(self) >= self.size:
                self.clear()
                self[""] = _EMPTY
            self[value] = cell
            return cell
        cell = _calamine_cell(value)
        # True == 1 == 1.0 as dictionary keys: a number equal to 0 or 1 is never stored, so a boolean
        # cell never finds a numeric one (and the reverse). Unhashable values are not expected.
        if type(value) is str or not (value == 0 or value == 1):
            if len(self) >= self.size:
                self.clear()
                self[""] = _EMPTY
            self[value] = cell
        return cell


def _calamine_cell(value: object) -> Cell:
    """Return the :class:`Cell` for one value as python-calamine gives it."""
    kind = type(value)
    if kind is str:
        return _new_cell(value) if value else _EMPTY  # type: ignore[arg-type]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer() and abs(number) < 1e16:
            return _new_cell(str(int(number)), CellKind.NUMBER)
        return _new_cell(repr(number), CellKind.NUMBER)
    if kind is int:
        return _new_cell(str(value), CellKind.NUMBER)
    if kind is bool:
        return Cell("TRUE" if value else "FALSE", CellKind.BOOL)
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        if moment.time() == time(0):
            return Cell(moment.date().isoformat(), CellKind.DATE)
        return Cell(moment.isoformat(timespec="seconds"), CellKind.DATE)
    if kind is date or kind is time:
        return Cell(value.isoformat(), CellKind.DATE)  # type: ignore[union-attr]
    if kind is timedelta:
        return Cell(str(value), CellKind.DATE)
    if value is None:
        return _EMPTY
    return Cell(str(value))


def _xlsx_sheet_member(zf: zipfile.ZipFile, sheet_name: str | None) -> str | None:
    """Return the ZIP member holding the worksheet called ``sheet_name``."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))  # noqa: S314 - parsed XML is the user's own file, no entities
    rel_id = None
    for sheet in workbook.iter(_NS_MAIN + "sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(_NS_REL + "id")
            break
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for rel in rels.iter(_NS_PKG_REL + "Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


# Opening -------------------------------------------------------------------------------------------


def open_table(source: str | Path | BinaryIO, *, filename: str) -> Table:
    """Open ``source`` (a path or a binary file object) and return its :class:`Table`.

    ``filename`` is the name the sender gave the file; it only appears in messages. Raises
    :class:`ImportFileError` (``file.empty``, ``file.unreadable``, ``file.encoding``) when the file cannot
    be read at all.
    """
    stream = _seekable(source)
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise _file_error(
            "file.empty", filename, _("The file %(filename)s is empty.") % {"filename": filename}
        )
    if head.startswith(b"PK\x03\x04"):
        return _open_zip(stream, filename)
    if head == _OLE2_MAGIC:
        return _open_calamine(stream, filename, "xls")
    return _open_csv(stream, filename)


def _seekable(source: str | Path | BinaryIO) -> BinaryIO:
    if isinstance(source, str | Path):
        return open(source, "rb")  # noqa: SIM115 - the Table owns the stream for its lifetime
    if source.seekable():
        source.seek(0)
        return source
    # An upload stream that cannot seek is spooled to disk once (rows are read in several passes).
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    shutil.copyfileobj(source, spooled)
    spooled.seek(0)
    return spooled  # type: ignore[return-value]


def _open_zip(stream: BinaryIO, filename: str) -> Table:
    try:
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist())
            is_ods = "mimetype" in names and zf.read("mimetype").strip() == _ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _unreadable(filename, _("The file is damaged or incomplete.")) from exc
    finally:
        stream.seek(0)
    if "xl/workbook.xml" in names:
        return _open_calamine(stream, filename, "xlsx")
    if is_ods:
        return _open_calamine(stream, filename, "ods")
    raise _unreadable(filename, _("It is a ZIP archive but not an XLSX or ODS spreadsheet."))


def _open_calamine(stream: BinaryIO, filename: str, fmt: str) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        sheets = [
            meta
            for meta in workbook.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            and meta.visible == python_calamine.SheetVisibleEnum.Visible
        ]
        if not sheets:
            raise _unreadable(filename, _("The workbook has no visible worksheet."))
        # calamine releases the GIL while it loads the sheet: the XML scan runs meanwhile, for free.
        scan = (
            _Background(_scan_xlsx_cells, _second_handle(stream), sheets[0].name) if fmt == "xlsx" else None
        )
        sheet = workbook.get_sheet_by_name(sheets[0].name)
        merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except python_calamine.PasswordError as exc:
        raise _unreadable(filename, _("The file is protected by a password; remove the password.")) from exc
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise _unreadable(filename, _("The file is damaged or incomplete.")) from exc
    finally:
        stream.seek(0)
    return Table(
        format=fmt,
        filename=filename,
        _stream=stream,
        sheet_name=sheets[0].name,
        merged_ranges=merged,
        _sheet=sheet,
        _scan=scan,
    )


def _second_handle(stream: BinaryIO) -> BinaryIO:
    """Return another handle on the bytes of ``stream``, with its own position."""
    # Only a file opened from a path is reopened by name: an upload's ``name`` is the sender's file name.
    if (
        isinstance(stream, io.BufferedReader)
        and isinstance(stream.raw, io.FileIO)
        and isinstance(stream.name, str)
    ):
        return open(stream.name, "rb")  # noqa: SIM115 - closed by _scan_xlsx_cells
    position = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(position)
    return io.BytesIO(data)


def _open_csv(stream: BinaryIO, filename: str) -> Table:
    encoding = _detect_encoding(stream, filename)
    table = Table(format="csv", filename=filename, _stream=stream, encoding=encoding)
    sample_bytes = stream.read(_SAMPLE_BYTES)
    stream.seek(0)
    sample = sample_bytes.decode(encoding, errors="ignore")
    if len(sample_bytes) == _SAMPLE_BYTES and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    if not sample.strip(" \t\r\n\ufeff"):
        raise _file_error(
            "file.empty", filename, _("The file %(filename)s is empty.") % {"filename": filename}
        )
    table.delimiter = detect_delimiter(sample)
    if encoding == "cp1252":
        table.warnings.append(
            Problem(
                row=None,
                column="",
                value=filename,
                code="file.encoding_cp1252",
                reason=_(
                    "The file is not in UTF-8; it was read as Windows-1252. Check that letters such as é "
                    "appear correctly, or save the file as CSV UTF-8."
                ),
            )
        )
    return table


def _detect_encoding(stream: BinaryIO, filename: str) -> str:
    """Return the codec of a text file: UTF-8 when the whole file is valid UTF-8, else Windows-1252."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(
        codecs.BOM_UTF32_LE
    ):
        return "utf-16"
    has_bom = head.startswith(codecs.BOM_UTF8)
    candidates = ("utf-8-sig" if has_bom else "utf-8", "cp1252")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(_CHUNK):
                if b"\x00" in chunk:
                    raise _unreadable(filename, _("It contains binary data, not text."))
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    raise _file_error(
        "file.encoding",
        filename,
        _(
            "The characters of the file %(filename)s could not be recognised. Save it from Excel as "
            '"CSV UTF-8 (Comma delimited)" and send it again.'
        )
        % {"filename": filename},
    )


def detect_delimiter(sample: str) -> str:
    """Return the delimiter among comma, semicolon and tab that splits ``sample`` most consistently.

    For each candidate the sample's records are parsed; the candidate wins whose most common field count
    is above one and is shared by the largest share of records (ties: more fields, then the order
    comma, semicolon, tab). A sample that no candidate splits is one column: the comma is returned.
    """
    best: tuple[float, int, int] | None = None
    best_delimiter = ","
    for order, delimiter in enumerate(_DELIMITERS):
        counts: dict[int, int] = {}
        try:
            for values in csv.reader(io.StringIO(sample), delimiter=delimiter):
                if any(value.strip() for value in values):
                    counts[len(values)] = counts.get(len(values), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        mode, mode_count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if mode < 2:
            continue
        score = (mode_count / sum(counts.values()), mode, -order)
        if best is None or score > best:
            best, best_delimiter = score, delimiter
    return best_delimiter
