"""Tests of ``plut.imports.readers``: every file is written by ``files.py`` into ``tmp_path``."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from plut.imports.readers import FORMULA_WARNING_LIMIT, column_letter, detect_delimiter, open_table
from plut.imports.tests.files import Formula, write_csv, write_ods, write_xlsx
from plut.imports.types import Cell, CellKind, ImportFileError

HEADER = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Omzet"]


def texts(table):
    return [(row.number, [cell.text for cell in row.cells]) for row in table.raw_rows()]


class TestCsv:
    def test_it_reads_a_utf8_bom_semicolon_file(self, tmp_path):
        path = write_csv(
            tmp_path / "a.csv",
            [HEADER, ["Kopi Kaliau'", "Andé", "Sajingan Besar", "Rp 1.500.000"]],
            delimiter=";",
            bom=True,
        )
        table = open_table(path, filename="a.csv")
        assert (table.format, table.encoding, table.delimiter, table.sheet_name) == (
            "csv",
            "utf-8-sig",
            ";",
            None,
        )
        assert texts(table) == [(1, HEADER), (2, ["Kopi Kaliau'", "Andé", "Sajingan Besar", "Rp 1.500.000"])]
        assert table.warnings == []

    def test_it_reads_a_cp1252_semicolon_file_with_a_warning(self, tmp_path):
        path = write_csv(
            tmp_path / "b.csv",
            [HEADER, ["Kopi Kaliau'", "Andé", "Sajingan Besar", "Rp 1.500.000"]],
            delimiter=";",
            encoding="cp1252",
        )
        assert "é".encode("cp1252") in path.read_bytes()
        table = open_table(path, filename="b.csv")
        assert (table.encoding, table.delimiter) == ("cp1252", ";")
        assert texts(table)[1] == (2, ["Kopi Kaliau'", "Andé", "Sajingan Besar", "Rp 1.500.000"])
        assert [w.code for w in table.warnings] == ["file.encoding_cp1252"]

    def test_it_refuses_bytes_that_no_encoding_explains(self, tmp_path):
        path = tmp_path / "c.csv"
        path.write_bytes(b"Nama Usaha;Kecamatan\r\nToko \x81\xe9;Paloh\r\n")  # 0x81 is undefined in cp1252
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="c.csv")
        problem = caught.value.problems[0]
        assert (problem.code, problem.row, problem.value) == ("file.encoding", None, "c.csv")
        assert "UTF-8" in problem.reason

    def test_it_reads_a_tab_delimited_file(self, tmp_path):
        path = write_csv(tmp_path / "t.txt", [HEADER, ["Toko A", "Budi", "Paloh", "1,5 jt"]], delimiter="\t")
        table = open_table(path, filename="t.txt")
        assert table.delimiter == "\t"
        assert texts(table)[1] == (2, ["Toko A", "Budi", "Paloh", "1,5 jt"])

    def test_it_prefers_semicolons_over_decimal_commas(self):
        sample = "Nama;Omzet;Modal\r\nA;1.500.000,00;2,5\r\nB;750,50;1,0\r\n"
        assert detect_delimiter(sample) == ";"

    def test_a_single_column_file_is_comma_delimited(self):
        assert detect_delimiter("Nama Usaha\r\nToko A\r\n") == ","

    def test_it_skips_blank_rows_keeping_row_numbers_and_trims_trailing_empty_cells(self, tmp_path):
        path = write_csv(
            tmp_path / "d.csv",
            [
                HEADER + ["", ""],
                ["", "", "", ""],
                ["Toko A", "Budi", "Paloh", "", " "],
                [" ", ""],
                ["Toko B", "", "Paloh"],
            ],
        )
        assert texts(open_table(path, filename="d.csv")) == [
            (1, HEADER),
            (3, ["Toko A", "Budi", "Paloh"]),
            (5, ["Toko B", "", "Paloh"]),
        ]

    def test_cells_are_text_exactly_as_written(self, tmp_path):
        path = write_csv(
            tmp_path / "e.csv", [["NIK", "HP"], ["6103211708450000", " 0812 "], ["6.10321E+15", ""]]
        )
        rows = list(open_table(path, filename="e.csv").raw_rows())
        assert rows[1].cells == (Cell("6103211708450000"), Cell(" 0812 "))
        assert rows[2].cells == (Cell("6.10321E+15"),)
        assert rows[1].cells[0].kind == CellKind.TEXT

    def test_a_quoted_line_break_stays_in_one_row(self, tmp_path):
        path = write_csv(
            tmp_path / "f.csv", [["Nama", "Alamat"], ["Toko A", "Jl. Merdeka\nRT 01"], ["Toko B", "Jl. Baru"]]
        )
        assert texts(open_table(path, filename="f.csv")) == [
            (1, ["Nama", "Alamat"]),
            (2, ["Toko A", "Jl. Merdeka\nRT 01"]),
            (3, ["Toko B", "Jl. Baru"]),
        ]

    def test_it_reads_utf16_unicode_text(self, tmp_path):
        path = tmp_path / "u.txt"
        path.write_bytes("Nama\tKecamatan\r\nAndé\tPaloh\r\n".encode("utf-16"))
        table = open_table(path, filename="u.txt")
        assert (table.encoding, table.delimiter) == ("utf-16", "\t")
        assert texts(table) == [(1, ["Nama", "Kecamatan"]), (2, ["Andé", "Paloh"])]

    def test_it_reads_a_binary_file_object(self, tmp_path):
        data = b"Nama,Kecamatan\nToko A,Paloh\n"
        table = open_table(io.BytesIO(data), filename="upload.csv")
        assert texts(table) == [(1, ["Nama", "Kecamatan"]), (2, ["Toko A", "Paloh"])]

    @pytest.mark.parametrize("content", [b"", b"\r\n \r\n"])
    def test_an_empty_file_is_refused(self, tmp_path, content):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="empty.csv")
        assert [(p.code, p.row, p.column, p.value) for p in caught.value.problems] == [
            ("file.empty", None, "", "empty.csv")
        ]
        assert caught.value.problems[0].reason.endswith(".")

    def test_binary_data_is_unreadable(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="x.csv")
        assert caught.value.problems[0].code == "file.unreadable"


class TestXlsx:
    def test_cells_carry_what_the_file_says_their_type_was(self, tmp_path):
        path = write_xlsx(
            tmp_path / "a.xlsx",
            [
                ["Nama Usaha", "NIK", "No HP", "Tanggal", "Omzet", "Aktif", "NIK teks"],
                ["Toko A", 6103211708450000, 8123456789, datetime(2024, 5, 3), 1.5, True, "6103214708450001"],  # noqa: DTZ001 - spreadsheet dates are naive
                ["Toko B", 6.1e16, None, date(2025, 1, 31), 1500000, False, None],
            ],
        )
        table = open_table(path, filename="a.xlsx")
        assert (table.format, table.sheet_name, table.encoding, table.delimiter) == (
            "xlsx",
            "Data",
            None,
            None,
        )
        rows = list(table.raw_rows())
        assert rows[1] == rows[1].__class__(
            2,
            (
                Cell("Toko A"),
                Cell("6103211708450000", CellKind.NUMBER),
                Cell("8123456789", CellKind.NUMBER),
                Cell("2024-05-03", CellKind.DATE),
                Cell("1.5", CellKind.NUMBER),
                Cell("TRUE", CellKind.BOOL),
                Cell("6103214708450001"),
            ),
        )
        assert [(c.text, c.kind) for c in rows[2].cells] == [
            ("Toko B", CellKind.TEXT),
            ("6.1e+16", CellKind.NUMBER),
            ("", CellKind.EMPTY),
            ("2025-01-31", CellKind.DATE),
            ("1500000", CellKind.NUMBER),
            ("FALSE", CellKind.BOOL),
        ]
        assert rows[1].cells[1].from_numeric_cell

    def test_booleans_and_numbers_one_and_zero_are_not_confused(self, tmp_path):
        path = write_xlsx(
            tmp_path / "b.xlsx", [["A", "B", "C", "D"], [1, True, 0, False], [True, 1, False, 0]]
        )
        rows = list(open_table(path, filename="b.xlsx").raw_rows())
        assert [(c.text, c.kind) for c in rows[1].cells] == [
            ("1", CellKind.NUMBER),
            ("TRUE", CellKind.BOOL),
            ("0", CellKind.NUMBER),
            ("FALSE", CellKind.BOOL),
        ]
        assert [(c.text, c.kind) for c in rows[2].cells] == [
            ("TRUE", CellKind.BOOL),
            ("1", CellKind.NUMBER),
            ("FALSE", CellKind.BOOL),
            ("0", CellKind.NUMBER),
        ]

    def test_a_datetime_with_a_time_keeps_it(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx",
            [["Tanggal"], [datetime(2024, 5, 3, 14, 30)]],  # noqa: DTZ001
            number_formats={"A2": "DD/MM/YYYY HH:MM"},
        )
        rows = list(open_table(path, filename="t.xlsx").raw_rows())
        assert rows[1].cells == (Cell("2024-05-03T14:30:00", CellKind.DATE),)

    def test_formula_cells_are_read_as_their_cached_value_and_flagged(self, tmp_path):
        path = write_xlsx(
            tmp_path / "f.xlsx",
            [
                ["Nama", "Omzet bulan", "Omzet"],
                ["Toko A", 125000, Formula("=B2*12", 1500000)],
                ["Toko B", 0, Formula('=A3&""', "Toko B")],
            ],
        )
        table = open_table(path, filename="f.xlsx")
        rows = list(table.raw_rows())
        assert rows[1].cells[2] == Cell("1500000", CellKind.NUMBER, None, True)
        assert rows[2].cells[2] == Cell("Toko B", CellKind.TEXT, None, True)
        assert rows[1].cells[1].is_formula is False
        assert [(w.row, w.column, w.value, w.code) for w in table.warnings] == [
            (2, "C", "1500000", "cell.formula"),
            (3, "C", "Toko B", "cell.formula"),
        ]
        assert "C2" in table.warnings[0].reason
        # Reading again does not repeat the warnings.
        list(table.raw_rows())
        assert len(table.warnings) == 2

    def test_many_formulas_are_summed_up_in_one_warning(self, tmp_path):
        rows = [["Nama", "Omzet"]] + [
            [f"Toko {i}", Formula(f"=1+{i}", i + 1)] for i in range(FORMULA_WARNING_LIMIT + 5)
        ]
        table = open_table(write_xlsx(tmp_path / "m.xlsx", rows), filename="m.xlsx")
        assert (
            sum(1 for row in table.raw_rows() for cell in row.cells if cell.is_formula)
            == FORMULA_WARNING_LIMIT + 5
        )
        assert len(table.warnings) == FORMULA_WARNING_LIMIT + 1
        assert table.warnings[-1].row is None
        assert table.warnings[-1].reason.startswith("5 ")

    def test_error_cells_are_kind_error(self, tmp_path):
        path = write_xlsx(
            tmp_path / "e.xlsx", [["Nama", "Omzet", "Modal"], ["Toko A", Formula("=NA()", None), 5]]
        )
        # Write an error result the way Excel stores it: t="e" and the error text as the value.
        with zipfile.ZipFile(path) as zf:
            entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
        with zipfile.ZipFile(path, "w") as zf:
            for info, data in entries:
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(
                        b'<c r="B2"><f>NA()</f><v /></c>', b'<c r="B2" t="e"><f>NA()</f><v>#N/A</v></c>'
                    )
                    assert b"#N/A" in data
                zf.writestr(info, data)
        rows = list(open_table(path, filename="e.xlsx").raw_rows())
        assert rows[1].cells[1] == Cell("#N/A", CellKind.ERROR, None, True)
        assert rows[1].cells[2] == Cell("5", CellKind.NUMBER)

    def test_it_skips_blank_rows_keeping_row_numbers_and_trims_trailing_empty_cells(self, tmp_path):
        path = write_xlsx(
            tmp_path / "g.xlsx",
            [
                ["Judul"],
                [],
                HEADER,
                [None, None],
                ["Toko A", "Budi", "Paloh", None, "  "],
                [],
                ["Toko B", None, "Paloh"],
            ],
        )
        assert texts(open_table(path, filename="g.xlsx")) == [
            (1, ["Judul"]),
            (3, HEADER),
            (5, ["Toko A", "Budi", "Paloh"]),
            (7, ["Toko B", "", "Paloh"]),
        ]

    def test_columns_keep_their_sheet_position_when_column_a_is_empty(self, tmp_path):
        path = write_xlsx(tmp_path / "h.xlsx", [["Nama", "NIK"], ["Toko A", "6103"]], start_column=3)
        rows = list(open_table(path, filename="h.xlsx").raw_rows())
        assert [c.text for c in rows[0].cells] == ["", "", "Nama", "NIK"]
        assert column_letter(2) == "C" and column_letter(27) == "AB"

    def test_merged_ranges_are_reported(self, tmp_path):
        path = write_xlsx(
            tmp_path / "m.xlsx", [["Nama", "Omzet", None], [None, 2024, 2025]], merged=["B1:C1", "A1:A2"]
        )
        table = open_table(path, filename="m.xlsx")
        assert sorted(table.merged_ranges) == [(1, 0, 2, 0), (1, 1, 1, 2)]

    def test_the_format_comes_from_the_content_not_the_name(self, tmp_path):
        path = write_xlsx(tmp_path / "data.csv", [["Nama"], ["Toko A"]])
        assert open_table(path, filename="data.csv").format == "xlsx"

    def test_a_file_object_is_read(self, tmp_path):
        path = write_xlsx(tmp_path / "a.xlsx", [["Nama"], ["Toko A"]])
        table = open_table(io.BytesIO(path.read_bytes()), filename="a.xlsx")
        assert texts(table) == [(1, ["Nama"]), (2, ["Toko A"])]

    def test_a_truncated_xlsx_is_unreadable(self, tmp_path):
        good = write_xlsx(tmp_path / "good.xlsx", [["Nama"], ["Toko A"]]).read_bytes()
        path = tmp_path / "bad.xlsx"
        path.write_bytes(good[: len(good) // 2])
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="bad.xlsx")
        problem = caught.value.problems[0]
        assert (problem.code, problem.value, problem.row) == ("file.unreadable", "bad.xlsx", None)
        assert "bad.xlsx" in problem.reason

    def test_a_zip_that_is_no_spreadsheet_is_unreadable(self, tmp_path):
        path = tmp_path / "a.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "hello")
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="a.xlsx")
        assert caught.value.problems[0].code == "file.unreadable"

    def test_a_corrupt_ole2_file_is_unreadable(self, tmp_path):
        path = tmp_path / "a.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        with pytest.raises(ImportFileError) as caught:
            open_table(path, filename="a.xls")
        assert caught.value.problems[0].code == "file.unreadable"


class TestOds:
    def test_it_reads_an_ods_file(self, tmp_path):
        path = write_ods(tmp_path / "a.ods", [["Nama", "NIK"], [], ["Toko A", 6103211708450000]])
        table = open_table(path, filename="a.ods")
        assert table.format == "ods"
        rows = list(table.raw_rows())
        assert [(r.number, r.cells) for r in rows] == [
            (1, (Cell("Nama"), Cell("NIK"))),
            (3, (Cell("Toko A"), Cell("6103211708450000", CellKind.NUMBER))),
        ]
