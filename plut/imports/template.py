"""Build the XLSX template that regencies fill in to send their UMKM lists.

Sheets: "Data UMKM" (the headers of :data:`plut.imports.mapping.FIELDS` in canonical order, identifier
columns formatted as text, drop-down lists), "Petunjuk" (instructions in Indonesian) and a hidden
"Referensi" sheet listing every regency and every district with its regency, which the drop-downs use.
The Kecamatan drop-down depends on the Kabupaten/Kota typed in the same row (all districts while that
cell is empty).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from plut.imports.mapping import FIELDS, IGNORED_FIELDS, LABELS

__all__ = [
    "DATA_SHEET",
    "DATA_ROWS",
    "REFERENCE_SHEET",
    "TEMPLATE_FIELDS",
    "TEXT_FIELDS",
    "YES_NO_FIELDS",
    "build_template_xlsx",
    "template_regions",
]

DATA_SHEET = "Data UMKM"
GUIDE_SHEET = "Petunjuk"
REFERENCE_SHEET = "Referensi"
# Validations and formats cover this many data rows below the header.
DATA_ROWS = 5000

TEMPLATE_FIELDS: tuple[str, ...] = tuple(name for name in FIELDS if name not in IGNORED_FIELDS)
# Identifiers are text: Excel keeps 15 significant digits of a number, and drops leading zeros.
TEXT_FIELDS = frozenset({"nik", "nib", "npwp", "phone", "kbli", "pirt", "halal"})
YES_NO_FIELDS = frozenset({"sells_to_malaysia"})
# The answers the importer reads for "Dijual dengan merek sendiri" (plut.imports.normalise._BRAND).
BRAND_CHOICES = ("merek sendiri", "tanpa merek", "dikemas ulang", "tidak diketahui")
REQUIRED_FIELDS = ("business_name", "owner_name", "district", "regency")

_WILAYAH_CSV = (
    Path(__file__).resolve().parent.parent / "regions/data/wilayah/kalbar_wilayah_kepmendagri_2025.csv"
)

# What each column means, for the "Petunjuk" sheet.
_MEANINGS: dict[str, str] = {
    "business_name": "Nama usaha atau merek toko, seperti yang dikenal pembeli.",
    "owner_name": "Nama lengkap pemilik usaha sesuai KTP.",
    "nik": "NIK pemilik, 16 angka, ketik sebagai teks (jangan diubah menjadi angka).",
    "owner_sex": "L (laki-laki) atau P (perempuan).",
    "address": "Alamat tempat usaha (jalan, RT/RW, dusun).",
    "village": "Nama desa atau kelurahan tempat usaha.",
    "district": "Nama kecamatan tempat usaha; pilih dari daftar.",
    "regency": "Nama kabupaten atau kota; pilih dari daftar. Kabupaten Mempawah dahulu bernama Kabupaten "
    "Pontianak (bukan Kota Pontianak).",
    "phone": "Nomor HP/WhatsApp, misalnya 081234567890 atau +60 untuk nomor Malaysia.",
    "email": "Alamat email usaha atau pemilik, bila ada.",
    "kbli": "Kode KBLI 2020, 5 angka, misalnya 10792.",
    "sector": "Jenis atau bidang usaha, misalnya makanan olahan, kerajinan.",
    "nib": "Nomor Induk Berusaha dari OSS, 13 angka.",
    "npwp": "NPWP, 15 atau 16 angka.",
    "pirt": "Nomor SPP-IRT, bila ada.",
    "halal": "Nomor sertifikat halal, bila ada.",
    "trademark": "Merek dagang produk, bila ada.",
    "products": "Produk utama, pisahkan dengan koma bila lebih dari satu.",
    "annual_sales": "Omzet (penjualan) per tahun dalam rupiah.",
    "capital": "Modal usaha dalam rupiah, tidak termasuk tanah dan bangunan tempat usaha (PP 7/2021).",
    "assets": "Kekayaan bersih (aset) dalam rupiah, bila dicatat (UU 20/2008).",
    "workers": "Jumlah tenaga kerja, termasuk pemilik.",
    "established_year": "Tahun usaha mulai berjalan, 4 angka, misalnya 2019.",
    "sells_to_malaysia": "Ya bila produk dijual ke Malaysia (Sarawak), Tidak bila tidak.",
    "cross_border_brand": (
        "Bila dijual ke Malaysia: merek sendiri, tanpa merek, dikemas ulang (dijual dengan merek pembeli), "
        "atau tidak diketahui."
    ),
    "latitude": "Lintang lokasi usaha, misalnya 1.3614 (boleh kosong).",
    "longitude": "Bujur lokasi usaha, misalnya 109.3022 (boleh kosong).",
    "data_date": "Tanggal data dikumpulkan, misalnya 31/12/2025.",
}


def template_regions() -> list[tuple[str, list[str]]]:
    """Return ``(regency name, [district names])`` in code order, from the Region table when it is loaded.

    Falls back to the shipped Kepmendagri 2025 CSV when the table is empty or the database is unavailable.
    """
    try:
        from plut.regions.models import Level, Region

        regencies = list(
            Region.objects.filter(level=Level.REGENCY, code__startswith="61.", retired_in__isnull=True)
            .order_by("code")
            .values_list("code", "name")
        )
        if regencies:
            districts: dict[str, list[str]] = {code: [] for code, _name in regencies}
            for parent_code, name in (
                Region.objects.filter(level=Level.DISTRICT, code__startswith="61.", retired_in__isnull=True)
                .order_by("code")
                .values_list("parent__code", "name")
            ):
                districts.setdefault(parent_code, []).append(name)
            return [(name, districts[code]) for code, name in regencies]
    except Exception:  # noqa: BLE001, S110 - no database (or no access in a test): use the shipped file
        pass
    return _regions_from_csv()


def _regions_from_csv() -> list[tuple[str, list[str]]]:
    regencies: dict[str, tuple[str, list[str]]] = {}
    with _WILAYAH_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "kabupaten_kota":
                regencies[row["code"]] = (row["name"], [])
            elif row["level"] == "kecamatan":
                regencies[row["parent_code"]][1].append(row["name"])
    return [regencies[code] for code in sorted(regencies)]


def build_template_xlsx(regions: list[tuple[str, list[str]]] | None = None) -> bytes:
    """Return the template workbook as XLSX bytes (``regions`` defaults to :func:`template_regions`)."""
    regions = template_regions() if regions is None else regions
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = DATA_SHEET
    guide = wb.create_sheet(GUIDE_SHEET)
    reference = wb.create_sheet(REFERENCE_SHEET)
    reference.sheet_state = "hidden"

    letters = {name: get_column_letter(i) for i, name in enumerate(TEMPLATE_FIELDS, start=1)}
    _write_reference(reference, regions)
    _write_data_sheet(data, letters, regions)
    _write_guide(guide)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_reference(sheet, regions: list[tuple[str, list[str]]]) -> None:
    # Columns A:B list every district with its regency, sorted by regency (the dependent drop-down
    # needs each regency's districts to be contiguous); column D lists the regencies.
    sheet.append(["Kabupaten/Kota", "Kecamatan", None, "Daftar Kabupaten/Kota"])
    row = 2
    for index, (regency, districts) in enumerate(regions, start=2):
        sheet.cell(row=index, column=4, value=regency)
        for district in districts:
            sheet.cell(row=row, column=1, value=regency)
            sheet.cell(row=row, column=2, value=district)
            row += 1


def _write_data_sheet(sheet, letters: dict[str, str], regions: list[tuple[str, list[str]]]) -> None:
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for col, name in enumerate(TEMPLATE_FIELDS, start=1):
        cell = sheet.cell(row=1, column=col, value=LABELS[name])
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if name in REQUIRED_FIELDS:
            cell.fill = required_fill
        sheet.column_dimensions[letters[name]].width = max(12, len(LABELS[name]) + 4)
        if name in TEXT_FIELDS:
            # The column style covers rows typed beyond the formatted range; the cells cover LibreOffice.
            sheet.column_dimensions[letters[name]].number_format = "@"
            for row in range(2, DATA_ROWS + 2):
                sheet.cell(row=row, column=col).number_format = "@"
    sheet.freeze_panes = "A2"
    last = DATA_ROWS + 1
    district_count = sum(len(districts) for _name, districts in regions)

    regency = DataValidation(
        type="list",
        formula1=f"={REFERENCE_SHEET}!$D$2:$D${len(regions) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kabupaten/Kota",
        error="Pilih kabupaten/kota dari daftar.",
    )
    regency.add(f"{letters['regency']}2:{letters['regency']}{last}")

    # All districts while the row's regency is empty, else only that regency's districts.
    regency_cell = f"${letters['regency']}2"
    all_districts = f"{REFERENCE_SHEET}!$B$2:$B${district_count + 1}"
    column_a = f"{REFERENCE_SHEET}!$A$2:$A${district_count + 1}"
    district = DataValidation(
        type="list",
        formula1=(
            f'=IF({regency_cell}="",{all_districts},OFFSET({REFERENCE_SHEET}!$B$1,'
            f"MATCH({regency_cell},{column_a},0),0,COUNTIF({column_a},{regency_cell}),1))"
        ),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kecamatan",
        error="Pilih kecamatan dari daftar (isi Kabupaten/Kota lebih dahulu).",
    )
    district.add(f"{letters['district']}2:{letters['district']}{last}")

    yes_no = DataValidation(type="list", formula1='"Ya,Tidak"', allow_blank=True, showErrorMessage=True)
    for name in sorted(YES_NO_FIELDS, key=TEMPLATE_FIELDS.index):
        yes_no.add(f"{letters[name]}2:{letters[name]}{last}")
    brand = DataValidation(
        type="list", formula1='"' + ",".join(BRAND_CHOICES) + '"', allow_blank=True, showErrorMessage=True
    )
    brand.add(f"{letters['cross_border_brand']}2:{letters['cross_border_brand']}{last}")
    sheet.add_data_validation(brand)
    sex = DataValidation(type="list", formula1='"L,P"', allow_blank=True, showErrorMessage=True)
    sex.add(f"{letters['owner_sex']}2:{letters['owner_sex']}{last}")
    for validation in (regency, district, yes_no, sex):
        sheet.add_data_validation(validation)


def _write_guide(sheet) -> None:
    bold = Font(bold=True)
    lines: list[tuple[str, str]] = [
        ("Petunjuk pengisian data UMKM", ""),
        ("", ""),
        ('Isi satu baris untuk satu usaha pada lembar "Data UMKM". Jangan mengubah judul kolom.', ""),
        (
            "Kolom wajib: Nama Usaha, Nama Pemilik, Kecamatan (atau Desa/Kelurahan) dan Kabupaten/Kota "
            "(judulnya berwarna kuning). Kolom lain boleh kosong.",
            "",
        ),
        (
            "Kolom NIK, NIB, NPWP, No HP, KBLI, P-IRT dan No Sertifikat Halal berformat teks. Jangan ubah "
            "menjadi angka: Excel hanya menyimpan 15 angka pertama, sehingga angka terakhir NIK berubah, dan "
            "angka 0 di depan nomor HP hilang. Bila menempel (paste) data, gunakan Tempel Khusus > Nilai.",
            "",
        ),
        (
            "Jumlah uang ditulis dalam rupiah. Bentuk yang diterima: 1500000, Rp 1.500.000, 1.500.000,00, "
            "1,5 jt, 1,5 juta, 750 rb, 2 M, 2 miliar. Jangan memakai mata uang lain.",
            "",
        ),
        ("Tanggal ditulis hari/bulan/tahun, misalnya 31/12/2025 atau 31 Desember 2025.", ""),
        ("", ""),
        ("Kolom", "Keterangan"),
    ]
    for line in lines:
        sheet.append(list(line))
    for name in TEMPLATE_FIELDS:
        wajib = " (wajib)" if name in REQUIRED_FIELDS else ""
        sheet.append([LABELS[name] + wajib, _MEANINGS[name]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.cell(row=len(lines), column=1).font = bold
    sheet.cell(row=len(lines), column=2).font = bold
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 100
