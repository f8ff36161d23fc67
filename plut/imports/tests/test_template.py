"""Tests of ``plut.imports.template``: the workbook is read back with openpyxl and with the import reader."""

from __future__ import annotations

import io

import openpyxl
import pytest

from plut.imports.mapping import locate_header
from plut.imports.readers import open_table
from plut.imports.template import DATA_ROWS, build_template_xlsx, template_regions

HEADERS = [
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "Jenis Kelamin",
    "Alamat Usaha",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "No HP",
    "Email",
    "KBLI",
    "Jenis Usaha",
    "NIB",
    "NPWP",
    "P-IRT",
    "No Sertifikat Halal",
    "Merek",
    "Produk Utama",
    "Omzet per tahun",
    "Modal Usaha",
    "Aset",
    "Tenaga Kerja",
    "Tahun Berdiri",
    "Jual ke Malaysia",
    "Dijual dengan merek sendiri",
    "Lintang",
    "Bujur",
    "Tanggal Pendataan",
]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def validations(sheet):
    return {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}


def check_workbook(data: bytes) -> None:
    wb = load(data)
    assert wb.sheetnames == ["Data UMKM", "Petunjuk", "Referensi"]
    assert wb["Referensi"].sheet_state == "hidden"
    sheet = wb["Data UMKM"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    text_columns = {c.value for c in sheet[1] if sheet.cell(row=2, column=c.column).number_format == "@"}
    assert text_columns == {"NIK", "NIB", "NPWP", "No HP", "KBLI", "P-IRT", "No Sertifikat Halal"}
    assert sheet.cell(row=DATA_ROWS + 1, column=3).number_format == "@"
    assert sheet["A2"].number_format == "General"
    last = DATA_ROWS + 1
    assert validations(sheet) == {
        f"H2:H{last}": "=Referensi!$D$2:$D$15",
        f"G2:G{last}": (
            '=IF($H2="",Referensi!$B$2:$B$175,OFFSET(Referensi!$B$1,MATCH($H2,Referensi!$A$2:$A$175,0),0,'
            "COUNTIF(Referensi!$A$2:$A$175,$H2),1))"
        ),
        f"X2:X{last}": '"Ya,Tidak"',
        f"Y2:Y{last}": '"merek sendiri,tanpa merek,dikemas ulang,tidak diketahui"',
        f"D2:D{last}": '"L,P"',
    }
    reference = wb["Referensi"]
    regencies = [reference.cell(row=r, column=4).value for r in range(2, 16)]
    assert len(regencies) == 14 and reference.cell(row=16, column=4).value is None
    assert (
        regencies[0] == "Kabupaten Sambas"
        and "Kota Pontianak" in regencies
        and "Kabupaten Mempawah" in regencies
    )
    districts = [
        (reference.cell(row=r, column=1).value, reference.cell(row=r, column=2).value) for r in range(2, 176)
    ]
    assert all(regency in regencies and district for regency, district in districts)
    assert reference.cell(row=176, column=2).value is None
    # Each regency's districts are contiguous, as the dependent drop-down requires.
    order = [regency for regency, _district in districts]
    assert [r for i, r in enumerate(order) if i == 0 or order[i - 1] != r] == regencies
    guide = [row[0] for row in wb["Petunjuk"].iter_rows(values_only=True)]
    assert guide[0] == "Petunjuk pengisian data UMKM"
    assert "Nama Usaha (wajib)" in guide and "NIK" in guide
    assert any(line and "15 angka" in line for line in guide)
    assert any(line and "Rp 1.500.000" in line for line in guide)


def test_the_template_without_a_database_uses_the_shipped_regions():
    check_workbook(build_template_xlsx())


@pytest.mark.django_db
def test_the_template_lists_the_regions_of_the_region_table(reference_data):
    regions = template_regions()
    assert len(regions) == 14 and sum(len(d) for _r, d in regions) == 174
    check_workbook(build_template_xlsx())


def test_the_template_is_accepted_by_the_import(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(build_template_xlsx())
    header_map, warnings, rows = locate_header(
        open_table(path, filename="template.xlsx"), regency_given=False
    )
    assert warnings == []
    assert list(header_map.columns) == [
        "business_name",
        "owner_name",
        "nik",
        "owner_sex",
        "address",
        "village",
        "district",
        "regency",
        "phone",
        "email",
        "kbli",
        "sector",
        "nib",
        "npwp",
        "pirt",
        "halal",
        "trademark",
        "products",
        "annual_sales",
        "capital",
        "assets",
        "workers",
        "established_year",
        "sells_to_malaysia",
        "cross_border_brand",
        "latitude",
        "longitude",
        "data_date",
    ]
    assert list(rows) == []
