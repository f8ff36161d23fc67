"""Tests of ``plut.imports.mapping``: header synonyms, required columns, header location, mapping files."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from plut.imports.mapping import (
    FIELDS,
    LABELS,
    load_mapping_file,
    locate_header,
    map_headers,
    normalise_header,
    require_rows,
)
from plut.imports.readers import open_table
from plut.imports.tests.files import write_csv, write_xlsx
from plut.imports.types import Cell, ImportFileError

BASIC = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Kabupaten/Kota"]


@pytest.fixture(autouse=True)
def _english():
    # These tests assert exact English messages; the Indonesian catalogue is tested elsewhere.
    with translation.override("en"):
        yield


def codes(problems):
    return [(p.code, p.column) for p in problems]


class TestNormalise:
    @pytest.mark.parametrize("text", ["No HP", "No. HP", "Nomor HP", "  no   hp ", "NO.HP", "Nmr HP"])
    def test_number_words_spacing_and_case_are_ignored(self, text):
        assert normalise_header(text) == "nohp"

    def test_every_synonym_names_one_field(self):
        seen = {}
        for name, synonyms in FIELDS.items():
            for synonym in synonyms:
                assert seen.setdefault(normalise_header(synonym), name) == name, synonym


class TestMapHeaders:
    def test_indonesian_and_english_synonyms_map_to_fields(self):
        headers = [
            "No.",
            "NAMA UMKM",
            "pemilik",
            "No. KTP",
            "L/P",
            "Alamat",
            "Desa/Kel",
            "Kec.",
            "Kab/Kota",
            "No WA",
            "Kode KBLI",
            "Bidang Usaha",
            "Nomor Induk Berusaha",
            "NPWP",
            "SPP-IRT",
            "Sertifikat Halal",
            "Merk",
            "Produk",
            "Omset per tahun (Rp)",
            "Modal",
            "Kekayaan bersih",
            "Jml TK",
            "Tahun Mulai Usaha",
            "Ekspor ke Malaysia",
            "Merek saat dijual ke Malaysia",
            "Lat",
            "Lng",
            "Tanggal Data",
            "E-mail",
        ]
        header_map, warnings = map_headers(headers, regency_given=False)
        assert header_map.columns == {
            "row_ref": 0,
            "business_name": 1,
            "owner_name": 2,
            "nik": 3,
            "owner_sex": 4,
            "address": 5,
            "village": 6,
            "district": 7,
            "regency": 8,
            "phone": 9,
            "kbli": 10,
            "sector": 11,
            "nib": 12,
            "npwp": 13,
            "pirt": 14,
            "halal": 15,
            "trademark": 16,
            "products": 17,
            "annual_sales": 18,
            "capital": 19,
            "assets": 20,
            "workers": 21,
            "established_year": 22,
            "sells_to_malaysia": 23,
            "cross_border_brand": 24,
            "latitude": 25,
            "longitude": 26,
            "data_date": 27,
            "email": 28,
        }
        assert warnings == []
        assert header_map.header_of("annual_sales") == "Omset per tahun (Rp)"
        assert header_map.header_rows == (1,)

    def test_capital_and_assets_stay_apart(self):
        header_map, _ = map_headers([*BASIC, "Modal Usaha", "Aset"], regency_given=False)
        assert (header_map.columns["capital"], header_map.columns["assets"]) == (4, 5)

    def test_it_accepts_cells(self):
        header_map, _ = map_headers([Cell(h) for h in BASIC], regency_given=False)
        assert header_map.headers == BASIC

    def test_unknown_columns_are_reported(self):
        header_map, warnings = map_headers([*BASIC, "Keterangan", "", "Catatan"], regency_given=False)
        assert header_map.unknown == ["Keterangan", "Catatan"]
        assert [(w.code, w.column, w.row) for w in warnings] == [
            ("header.unknown", "Keterangan", 1),
            ("header.unknown", "Catatan", 1),
        ]
        assert warnings[0].reason == 'The column "Keterangan" is not recognised and was not imported.'

    def test_a_close_misspelling_is_guessed_with_a_warning(self):
        header_map, warnings = map_headers(
            ["Nama Usaha", "Nama Pemlik", "Kecamatn", "Kabupaten/Kota"], regency_given=False
        )
        assert header_map.columns == {"business_name": 0, "owner_name": 1, "district": 2, "regency": 3}
        assert [(w.code, w.column) for w in warnings] == [
            ("header.guessed", "Nama Pemlik"),
            ("header.guessed", "Kecamatn"),
        ]
        assert '"Nama Pemilik"' in warnings[0].reason and '"Kecamatan"' in warnings[1].reason

    def test_short_headers_are_never_guessed(self):
        _map, warnings = map_headers([*BASIC, "Kel"], regency_given=False)
        assert codes(warnings) == [("header.unknown", "Kel")]

    def test_a_field_in_two_columns_is_an_error(self):
        with pytest.raises(ImportFileError) as caught:
            map_headers([*BASIC, "No HP", "WhatsApp"], regency_given=False)
        assert codes(caught.value.problems) == [("header.duplicate", "WhatsApp")]
        assert caught.value.problems[0].value == "No HP, WhatsApp"

    def test_an_exact_header_wins_over_a_misspelt_one(self):
        header_map, warnings = map_headers([*BASIC, "Kecamatn"], regency_given=False)
        assert header_map.columns["district"] == 2
        assert codes(warnings) == [("header.unknown", "Kecamatn")]

    def test_a_missing_required_column_is_named(self):
        with pytest.raises(ImportFileError) as caught:
            map_headers(["Nama Usaha", "Desa", "NIK"], regency_given=False)
        problems = caught.value.problems
        assert [(p.code, p.column, p.row) for p in problems] == [
            ("header.missing", "owner_name", 1),
            ("header.missing", "regency", 1),
        ]
        assert problems[0].reason == (
            'The required column "Nama Pemilik" was not found. Add a column with this header (see the template) '
            "and send the file again."
        )

    def test_district_or_village_is_required(self):
        with pytest.raises(ImportFileError) as caught:
            map_headers(["Nama Usaha", "Nama Pemilik"], regency_given=True)
        assert codes(caught.value.problems) == [("header.missing", "district")]
        assert '"Kecamatan or Desa/Kelurahan"' in caught.value.problems[0].reason

    def test_the_regency_column_is_optional_when_the_import_names_the_regency(self):
        header_map, _ = map_headers(["Nama Usaha", "Nama Pemilik", "Desa"], regency_given=True)
        assert header_map.columns == {"business_name": 0, "owner_name": 1, "village": 2}

    def test_an_override_chooses_the_column(self):
        header_map, warnings = map_headers(
            [*BASIC, "Telp Rumah", "HP"],
            regency_given=False,
            override={"phone": "telp rumah", "business_name": "Nama Usaha"},
        )
        assert header_map.columns["phone"] == 4
        assert codes(warnings) == [("header.unknown", "HP")]

    def test_an_override_with_a_missing_header_or_unknown_field_is_an_error(self):
        with pytest.raises(ImportFileError) as caught:
            map_headers(BASIC, regency_given=False, override={"phone": "Telepon", "colour": "Warna"})
        assert codes(caught.value.problems) == [
            ("mapping.header_not_found", "phone"),
            ("mapping.unknown_field", "colour"),
        ]


class TestLoadMappingFile:
    def test_it_reads_json(self, tmp_path):
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"phone": "Telp Rumah", "business_name": "Usaha"}))
        assert load_mapping_file(path) == {"phone": "Telp Rumah", "business_name": "Usaha"}

    def test_it_reads_csv_with_or_without_its_header(self, tmp_path):
        path = write_csv(
            tmp_path / "m.csv", [["field", "header"], ["phone", "Telp Rumah"], ["nik", "No. Identitas"]]
        )
        assert load_mapping_file(path) == {"phone": "Telp Rumah", "nik": "No. Identitas"}
        path = write_csv(tmp_path / "n.csv", [["phone", "Telp Rumah"]])
        assert load_mapping_file(path) == {"phone": "Telp Rumah"}

    def test_an_unknown_field_is_an_error(self, tmp_path):
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"telepon": "Telp"}))
        with pytest.raises(ImportFileError) as caught:
            load_mapping_file(path)
        assert codes(caught.value.problems) == [("mapping.unknown_field", "telepon")]

    def test_a_malformed_file_is_an_error(self, tmp_path):
        path = tmp_path / "m.json"
        path.write_text("{not json")
        with pytest.raises(ImportFileError) as caught:
            load_mapping_file(path)
        assert caught.value.problems[0].code == "mapping.unreadable"


class TestLocateHeader:
    def test_the_first_row_is_the_header(self, tmp_path):
        path = write_csv(
            tmp_path / "a.csv",
            [BASIC, ["Toko A", "Budi", "Paloh", "Kabupaten Sambas"], ["Toko B", "Sari", "Paloh", "Sambas"]],
        )
        header_map, warnings, rows = locate_header(open_table(path, filename="a.csv"), regency_given=False)
        assert header_map.header_rows == (1,)
        assert warnings == []
        assert [row.number for row in rows] == [2, 3]

    def test_a_title_row_above_the_header_is_skipped_and_reported(self, tmp_path):
        path = write_xlsx(
            tmp_path / "b.xlsx",
            [["Data UMKM Kabupaten Sambas 2025"], [], BASIC, ["Toko A", "Budi", "Paloh", "Sambas"]],
            merged=["A1:D1"],
        )
        header_map, warnings, rows = locate_header(open_table(path, filename="b.xlsx"), regency_given=False)
        assert header_map.header_rows == (3,)
        assert header_map.columns == {"business_name": 0, "owner_name": 1, "district": 2, "regency": 3}
        assert [(w.code, w.row, w.value) for w in warnings] == [
            ("header.row_skipped", 1, "Data UMKM Kabupaten Sambas 2025")
        ]
        assert [row.number for row in rows] == [4]

    def test_a_group_cell_over_sub_headers_is_combined(self, tmp_path):
        path = write_xlsx(
            tmp_path / "c.xlsx",
            [
                ["Nama Usaha", "Identitas Pemilik", None, "Lokasi", None, "Omzet per tahun"],
                [None, "Nama", "NIK", "Kecamatan", "Kabupaten/Kota", None],
                ["Toko A", "Budi", "6103211708450000", "Paloh", "Sambas", "Rp 1.500.000"],
            ],
            merged=["A1:A2", "B1:C1", "D1:E1", "F1:F2"],
        )
        header_map, warnings, rows = locate_header(open_table(path, filename="c.xlsx"), regency_given=False)
        assert header_map.header_rows == (1, 2)
        assert header_map.columns == {
            "business_name": 0,
            "owner_name": 1,
            "nik": 2,
            "district": 3,
            "regency": 4,
            "annual_sales": 5,
        }
        assert header_map.headers == [
            "Nama Usaha",
            "Identitas Pemilik Nama",
            "Identitas Pemilik NIK",
            "Lokasi Kecamatan",
            "Lokasi Kabupaten/Kota",
            "Omzet per tahun",
        ]
        assert warnings == []
        assert [row.number for row in rows] == [3]

    def test_a_two_row_header_in_csv_is_combined_too(self, tmp_path):
        path = write_csv(
            tmp_path / "d.csv",
            [
                ["Nama Usaha", "Pemilik", "", "Kecamatan", "Kabupaten"],
                ["", "Nama", "NIK", "", ""],
                ["Toko A", "Budi", "6103211708450000", "Paloh", "Sambas"],
            ],
        )
        header_map, _warnings, rows = locate_header(open_table(path, filename="d.csv"), regency_given=False)
        assert header_map.header_rows == (1, 2)
        assert header_map.columns == {
            "business_name": 0,
            "owner_name": 1,
            "nik": 2,
            "district": 3,
            "regency": 4,
        }
        assert [row.number for row in rows] == [3]

    def test_one_field_split_over_years_is_refused_with_a_clear_message(self, tmp_path):
        path = write_xlsx(
            tmp_path / "e.xlsx",
            [
                [*BASIC, "Omzet", None],
                [None, None, None, None, 2024, 2025],
                ["Toko A", "Budi", "Paloh", "Sambas", 1000000, 1500000],
            ],
            merged=["E1:F1"],
        )
        with pytest.raises(ImportFileError) as caught:
            locate_header(open_table(path, filename="e.xlsx"), regency_given=False)
        problem = caught.value.problems[0]
        assert (problem.code, problem.row, problem.value) == ("header.duplicate", 2, "Omzet 2024, Omzet 2025")
        assert problem.reason == (
            'The columns "Omzet 2024", "Omzet 2025" all hold Omzet per tahun. Keep only one of these columns, '
            "or choose one with a mapping file."
        )

    def test_the_mapping_file_can_choose_one_year(self, tmp_path):
        path = write_csv(
            tmp_path / "f.csv",
            [
                [*BASIC, "Omzet", ""],
                ["", "", "", "", "2024", "2025"],
                ["Toko A", "Budi", "Paloh", "Sambas", "1", "2"],
            ],
        )
        header_map, warnings, rows = locate_header(
            open_table(path, filename="f.csv"), regency_given=False, override={"annual_sales": "Omzet 2025"}
        )
        assert header_map.columns["annual_sales"] == 5
        assert codes(warnings) == [("header.unknown", "Omzet 2024")]
        assert [row.number for row in rows] == [3]

    def test_a_missing_required_column_stops_before_any_data_row_is_used(self, tmp_path):
        path = write_csv(
            tmp_path / "g.csv",
            [["Nama Usaha", "Kecamatan", "Kabupaten"]] + [["Toko", "Paloh", "Sambas"]] * 50,
        )
        table = open_table(path, filename="g.csv")
        consumed = []
        original = table.raw_rows

        def spy():
            for row in original():
                consumed.append(row.number)
                yield row

        table.raw_rows = spy
        with pytest.raises(ImportFileError) as caught:
            locate_header(table, regency_given=False)
        assert codes(caught.value.problems) == [("header.missing", "owner_name")]
        assert "Nama Pemilik" in caught.value.problems[0].reason
        assert max(consumed) <= 10

    def test_the_rows_stream(self, tmp_path):
        path = write_csv(
            tmp_path / "h.csv", [BASIC] + [[f"Toko {i}", "Budi", "Paloh", "Sambas"] for i in range(100)]
        )
        _map, _warnings, rows = locate_header(open_table(path, filename="h.csv"), regency_given=False)
        assert next(rows).number == 2
        assert sum(1 for _ in rows) == 99

    def test_a_file_with_only_a_header_has_no_rows(self, tmp_path):
        path = write_csv(tmp_path / "i.csv", [BASIC, ["", "", "", ""]])
        _map, _warnings, rows = locate_header(open_table(path, filename="i.csv"), regency_given=False)
        with pytest.raises(ImportFileError) as caught:
            require_rows(rows, filename="i.csv")
        assert [(p.code, p.row, p.value) for p in caught.value.problems] == [("file.no_rows", None, "i.csv")]

    def test_require_rows_passes_rows_through(self, tmp_path):
        path = write_csv(tmp_path / "j.csv", [BASIC, ["Toko A", "Budi", "Paloh", "Sambas"]])
        _map, _warnings, rows = locate_header(open_table(path, filename="j.csv"), regency_given=False)
        assert [row.number for row in require_rows(rows, filename="j.csv")] == [2]


def test_labels_are_the_first_synonyms():
    assert LABELS["business_name"] == "Nama Usaha"
    assert LABELS["regency"] == "Kabupaten/Kota"
