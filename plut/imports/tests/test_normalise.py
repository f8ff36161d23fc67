"""Tests of row normalisation, with invented people and businesses.

Field tests run without the database: the context names its regency (an unsaved Region), so no
region is resolved. Region tests use the real shipped regions (``reference_data``).
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.utils import translation

from plut.imports.normalise import NormaliseContext, normalise_row
from plut.imports.types import Cell, CellKind, HeaderMap, Problem, Row
from plut.lib.identifiers import IdentifierError, check_phone
from plut.regions.models import Level, Region

TODAY = date(2025, 6, 30)
KUBU_RAYA = Region(
    code="61.12", name="Kabupaten Kubu Raya", level=Level.REGENCY, kind="kabupaten", path="61.12."
)

HEADERS = {
    "business_name": "Nama Usaha",
    "owner_name": "Nama Pemilik",
    "nik": "NIK",
    "owner_sex": "Jenis Kelamin",
    "address": "Alamat",
    "village": "Desa/Kelurahan",
    "district": "Kecamatan",
    "regency": "Kabupaten/Kota",
    "phone": "No HP",
    "email": "Email",
    "kbli": "KBLI",
    "sector": "Sektor",
    "nib": "NIB",
    "npwp": "NPWP",
    "annual_sales": "Omzet per Tahun",
    "capital": "Modal",
    "assets": "Aset",
    "workers": "Tenaga Kerja",
    "established_year": "Tahun Berdiri",
    "products": "Produk",
    "pirt": "P-IRT",
    "halal": "Halal",
    "trademark": "Merek",
    "sells_to_malaysia": "Jual ke Malaysia",
    "cross_border_brand": "Merek di Malaysia",
    "latitude": "Lintang",
    "longitude": "Bujur",
    "data_date": "Tanggal Data",
    "row_ref": "No",
}

# An invented owner: NIK first issued in Kec. Sungai Raya (61.12.01), a woman (day 17 + 40) born 17-08-1990.
NIK = "6112015708900001"


def cell(value: str | Cell) -> Cell:
    return value if isinstance(value, Cell) else Cell(text=value)


def number(text: str) -> Cell:
    return Cell(text=text, kind=CellKind.NUMBER)


def normalise(values: dict[str, str | Cell], ctx: NormaliseContext | None = None, *, row_number: int = 2):
    """Normalise one row whose columns are the given fields, in order, with Indonesian headers."""
    values = {"business_name": "Keripik Pisang Mawar", "owner_name": "Siti Aminah"} | values
    fields = list(values)
    hmap = HeaderMap(columns={name: i for i, name in enumerate(fields)}, headers=[HEADERS[f] for f in fields])
    ctx = ctx or NormaliseContext(regency=KUBU_RAYA, known_kbli={"01111", "10792", "47111"}, today=TODAY)
    with translation.override("en"):
        return normalise_row(Row(number=row_number, cells=tuple(cell(v) for v in values.values())), hmap, ctx)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


class TestNames:
    def test_a_clean_row_keeps_raw_and_normalised_values(self):
        result = normalise({"business_name": "  Keripik   Pisang\tMawar ", "owner_name": "Siti  Aminah"})
        assert result.ok
        assert result.data == {
            "business_name": "Keripik Pisang Mawar",
            "owner_name": "Siti Aminah",
            "region": KUBU_RAYA,
            "regency": KUBU_RAYA,
        }
        assert result.raw == {"business_name": "  Keripik   Pisang\tMawar ", "owner_name": "Siti  Aminah"}
        assert result.number == 2

    @pytest.mark.parametrize("blank", ["", "   ", "-"])
    def test_names_are_required(self, blank):
        result = normalise({"business_name": blank}, row_number=7)
        assert result.errors == [
            Problem(
                row=7,
                column="Nama Usaha",
                value=blank,
                code="business_name.required",
                reason="The business name is empty: every row needs the name of the business.",
            )
        ]

    def test_a_column_index_beyond_the_row_is_a_blank_cell(self):
        hmap = HeaderMap(
            columns={"business_name": 0, "owner_name": 1, "phone": 5},
            headers=["Nama Usaha", "Nama Pemilik", "", "", "", "No HP"],
        )
        ctx = NormaliseContext(regency=KUBU_RAYA, today=TODAY)
        result = normalise_row(Row(number=3, cells=(Cell("Toko Budi"), Cell("Budi Santoso"))), hmap, ctx)
        assert result.ok
        assert result.raw == {"business_name": "Toko Budi", "owner_name": "Budi Santoso", "phone": ""}
        assert "phone" not in result.data


class TestNik:
    def test_a_valid_nik_gives_sex_and_birth_date(self):
        result = normalise({"nik": NIK})
        assert result.ok
        assert (result.data["nik"], result.data["owner_sex"], result.data["birth_date"]) == (
            NIK,
            "F",
            date(1990, 8, 17),
        )
        assert "nik_untrusted" not in result.data

    def test_a_nik_through_a_numeric_cell_is_rejected_and_untrusted(self):
        result = normalise({"nik": number("6103211708450000")}, row_number=5)
        assert result.errors == [
            Problem(
                row=5,
                column="NIK",
                value="6103211708450000",
                code="nik.numeric_cell",
                reason=(
                    "The NIK “6103211708450000” was read from a number cell, and spreadsheets keep only 15 "
                    "of its 16 digits, so it cannot be trusted: format the column as text and re-enter the "
                    "NIK from the KTP."
                ),
            )
        ]
        assert "nik" not in result.data
        assert result.data["nik_untrusted"] is True
        assert "owner_sex" not in result.data

    def test_a_nik_in_scientific_notation_is_rejected(self):
        result = normalise({"nik": "6,10321E+15"})
        assert codes(result.errors) == ["nik.scientific"]
        assert result.errors[0].value == "6,10321E+15"
        assert result.data["nik_untrusted"] is True

    def test_a_nik_issued_outside_the_province_is_a_warning(self):
        result = normalise({"nik": "3171015708900001"})
        assert result.ok
        assert codes(result.warnings) == ["nik.outside_province"]

    @pytest.mark.parametrize("sex", ["P", "Perempuan", "F", "wanita"])
    def test_a_sex_column_that_agrees_with_the_nik_is_silent(self, sex):
        result = normalise({"nik": NIK, "owner_sex": sex})
        assert result.ok and not result.warnings
        assert result.data["owner_sex"] == "F"

    def test_a_sex_column_that_contradicts_the_nik_is_a_warning_and_the_nik_wins(self):
        result = normalise({"nik": NIK, "owner_sex": "Laki-laki"})
        assert result.ok
        assert result.warnings == [
            Problem(
                row=2,
                column="Jenis Kelamin",
                value="Laki-laki",
                code="owner_sex.nik_mismatch",
                reason=(
                    "The sex column says male but the NIK says female (women have 40 added to the birth "
                    "day); the NIK was used: check both against the KTP."
                ),
            )
        ]
        assert result.data["owner_sex"] == "F"

    @pytest.mark.parametrize(("sex", "expected"), [("L", "M"), ("M", "M"), ("P", "F"), ("Perempuan", "F")])
    def test_without_a_nik_the_sex_column_is_used(self, sex, expected):
        assert normalise({"owner_sex": sex}).data["owner_sex"] == expected

    def test_an_unknown_sex_is_an_error(self):
        assert codes(normalise({"owner_sex": "X"}).errors) == ["owner_sex.invalid"]


class TestPhoneNibNpwp:
    def test_a_float_artefact_without_the_trunk_zero_is_repaired_with_warnings(self):
        result = normalise({"phone": number("8123456789.0")})
        assert result.ok
        assert result.data["phone"] == "+628123456789"
        assert codes(result.warnings) == ["phone.float_artefact", "phone.trunk_zero_restored"]
        assert {w.column for w in result.warnings} == {"No HP"}

    def test_a_number_without_its_trunk_zero_is_restored(self):
        result = normalise({"phone": "81234567890"})
        assert result.data["phone"] == "+6281234567890"
        assert result.warnings == [
            Problem(
                row=2,
                column="No HP",
                value="81234567890",
                code="phone.trunk_zero_restored",
                reason=(
                    "The phone number 81234567890 had lost its leading 0 and was read as +6281234567890; "
                    "format the column as text."
                ),
            )
        ]

    @pytest.mark.parametrize(
        ("raw", "e164"),
        [
            ("+60 12-345 6789", "+60123456789"),
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("0561 734567", "+62561734567"),
        ],
    )
    def test_phones_become_e164(self, raw, e164):
        result = normalise({"phone": raw})
        assert result.ok and not result.warnings
        assert result.data["phone"] == e164

    def test_an_invalid_phone_is_an_error(self):
        assert codes(normalise({"phone": "0812"}).errors) == ["phone.invalid"]

    def test_the_fast_path_agrees_with_check_phone(self):
        rng = random.Random(20250630)
        samples = [
            "0812-3456-7890",
            "+62 812 3456 7890",
            "0561 734567",
            "08001234567",
            "0899 1234",
            "+620812345678",
        ]
        for _ in range(3000):
            prefix = rng.choice(["0", "+62", "+62 ", "0"])
            digits = str(rng.randint(1, 9)) + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(6, 13))
            )
            samples.append(prefix + digits)
            samples.append(prefix + digits[:3] + "-" + digits[3:])
        for raw in samples:
            result = normalise({"phone": raw})
            try:
                expected = check_phone(raw)
            except IdentifierError as error:
                assert codes(result.errors) == [error.code], raw
            else:
                assert result.data["phone"] == expected.value, raw
                assert codes(result.warnings) == list(expected.warning_codes), raw

    def test_a_nib_from_a_numeric_cell_with_a_float_artefact(self):
        result = normalise({"nib": number("1234567890123.0")})
        assert result.data["nib"] == "1234567890123"
        assert codes(result.warnings) == ["nib.float_artefact"]

    def test_a_short_nib_is_an_error(self):
        assert codes(normalise({"nib": "123456789012"}).errors) == ["nib.length"]

    def test_an_npwp_that_lost_its_leading_zero_is_repaired_when_the_check_digit_proves_it(self):
        # 012345674701000 is a valid 15-digit NPWP: digit 9 (4) is the Luhn check digit of 01234567.
        result = normalise({"npwp": number("12345674701000")})
        assert result.ok
        assert result.data["npwp"] == "012345674701000"
        assert result.warnings == [
            Problem(
                row=2,
                column="NPWP",
                value="12345674701000",
                code="npwp.repaired_leading_zero",
                reason=(
                    "The NPWP 12345674701000 had 14 digits; its leading 0 was restored to give "
                    "012345674701000, which the check digit confirms. Format the column as text."
                ),
            )
        ]

    def test_an_npwp_that_lost_a_zero_but_fails_the_check_digit_is_an_error(self):
        assert codes(normalise({"npwp": number("12345675701000")}).errors) == ["npwp.length"]


class TestKbli:
    def test_a_numeric_4_digit_code_is_padded_when_the_padded_code_exists(self):
        result = normalise({"kbli": number("1111")})
        assert result.data["kbli"] == ["01111"]
        assert codes(result.warnings) == ["kbli.zero_padded"]

    def test_a_numeric_4_digit_code_is_not_padded_when_the_padded_code_does_not_exist(self):
        result = normalise({"kbli": number("1110")})
        assert codes(result.errors) == ["kbli.length"]
        assert result.data["kbli"] == []

    def test_a_typed_4_digit_code_is_never_padded(self):
        assert codes(normalise({"kbli": "1111"}).errors) == ["kbli.length"]

    @pytest.mark.parametrize(
        "raw", ["10792, 47111", "10792;47111", "10792 / 47111", "10792 47111", "10792,47111,10792"]
    )
    def test_several_codes_become_a_list(self, raw):
        result = normalise({"kbli": raw})
        assert result.ok
        assert result.data["kbli"] == ["10792", "47111"]

    def test_an_unknown_code_is_an_error(self):
        result = normalise({"kbli": "10792, 99999"})
        assert codes(result.errors) == ["kbli.unknown"]
        assert result.errors[0].value == "10792, 99999"
        assert result.data["kbli"] == ["10792"]


class TestMoneyAndCounts:
    @pytest.mark.parametrize(
        ("raw", "amount"),
        [
            ("Rp 1.500.000", 1_500_000),
            ("1.500.000,00", 1_500_000),
            ("1,5 jt", 1_500_000),
            ("1.5 juta", 1_500_000),
            ("2 M", 2_000_000_000),
            ("2 miliar", 2_000_000_000),
            ("750 rb", 750_000),
            (number("1500000"), 1_500_000),
        ],
    )
    def test_every_rupiah_notation(self, raw, amount):
        result = normalise({"annual_sales": raw, "capital": raw, "assets": raw})
        assert result.ok
        assert (result.data["annual_sales"], result.data["capital"], result.data["assets"]) == (amount,) * 3

    def test_an_ambiguous_amount_is_an_error(self):
        result = normalise({"annual_sales": "1,500"})
        assert codes(result.errors) == ["money.ambiguous"]
        assert result.errors[0].column == "Omzet per Tahun"
        assert "annual_sales" not in result.data

    @pytest.mark.parametrize(
        ("raw", "count"),
        [
            ("5", 5),
            ("5 orang", 5),
            ("12 Orang", 12),
            (number("5"), 5),
            (number("5.0"), 5),
            ("0", 0),
            ("1.200", 1200),
        ],
    )
    def test_workers(self, raw, count):
        assert normalise({"workers": raw}).data["workers"] == count

    @pytest.mark.parametrize("raw", ["2.5", "2,5", "-1", "lima", number("2.5"), number("-3")])
    def test_workers_must_be_a_whole_number(self, raw):
        assert codes(normalise({"workers": raw}).errors) == ["workers.format"]

    @pytest.mark.parametrize(
        ("raw", "year"),
        [
            ("2015", 2015),
            (number("2015"), 2015),
            (Cell("2015-03-01T00:00:00", CellKind.DATE), 2015),
            ("1900", 1900),
        ],
    )
    def test_established_year(self, raw, year):
        assert normalise({"established_year": raw}).data["established_year"] == year

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("2026", "established_year.range"),
            ("1899", "established_year.range"),
            ("15", "established_year.format"),
        ],
    )
    def test_established_year_errors(self, raw, code):
        assert codes(normalise({"established_year": raw}).errors) == [code]


class TestDatesAndCoordinates:
    def test_an_excel_serial_date_from_a_numeric_cell(self):
        assert normalise({"data_date": number("45658")}).data["data_date"] == date(2025, 1, 1)

    def test_the_1904_date_system(self):
        ctx = NormaliseContext(regency=KUBU_RAYA, today=TODAY, date1904=True)
        assert normalise({"data_date": number("44196")}, ctx).data["data_date"] == date(2025, 1, 1)

    @pytest.mark.parametrize(
        "raw", ["17 Maret 2025", "17/03/2025", "17 Mar 2025", Cell("2025-03-17", CellKind.DATE)]
    )
    def test_data_dates(self, raw):
        assert normalise({"data_date": raw}).data["data_date"] == date(2025, 3, 17)

    def test_a_data_date_after_today_is_an_error(self):
        assert codes(normalise({"data_date": "1 Juli 2025"}).errors) == ["date.future"]

    def test_coordinates_in_kalimantan_barat(self):
        result = normalise({"latitude": "-0,02633", "longitude": "109.342504"})
        assert result.ok
        assert (result.data["latitude"], result.data["longitude"]) == (-0.02633, 109.342504)

    def test_swapped_coordinates(self):
        result = normalise({"latitude": "109.342504", "longitude": "-0.02633"})
        assert codes(result.errors) == ["latitude.swapped", "longitude.swapped"]

    def test_a_coordinate_outside_the_province(self):
        assert codes(normalise({"latitude": "-6.2", "longitude": "106.8"}).errors) == [
            "latitude.outside",
            "longitude.outside",
        ]

    def test_one_coordinate_alone_is_an_error(self):
        result = normalise({"latitude": "0.5"})
        assert codes(result.errors) == ["coordinates.incomplete"]
        assert "latitude" not in result.data


class TestPermitsAndBorder:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Ya", {"held": True, "number": ""}),
            ("tidak", {"held": False, "number": ""}),
            ("ID61110000123450124", {"held": True, "number": "ID61110000123450124"}),
            ("No. ID 6111 0000 1234 5012 4", {"held": True, "number": "ID61110000123450124"}),
        ],
    )
    def test_halal(self, raw, expected):
        assert normalise({"halal": raw}).data["halal"] == expected

    def test_a_halal_word_that_is_not_a_number_is_an_error(self):
        assert codes(normalise({"halal": "sedang diurus"}).errors) == ["halal.format"]

    @pytest.mark.parametrize(
        "raw",
        [
            "206610201012325",
            "P-IRT No. 2066102010123-25",
            number("206610201012325"),
            number("206610201012325.0"),
        ],
    )
    def test_pirt_numbers_are_digit_strings(self, raw):
        result = normalise({"pirt": raw})
        assert result.ok and not result.warnings
        assert result.data["pirt"] == "206610201012325"

    def test_pirt_no_is_like_a_blank_cell(self):
        result = normalise({"pirt": "Belum"})
        assert result.ok and "pirt" not in result.data
        assert result.raw["pirt"] == "Belum"

    def test_pirt_yes_without_a_number_is_a_warning(self):
        result = normalise({"pirt": "Ya"})
        assert result.ok and "pirt" not in result.data
        assert codes(result.warnings) == ["pirt.number_missing"]

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            (number("2066102010123251"), "pirt.numeric_cell"),
            ("2,06610E+14", "pirt.scientific"),
            ("12345", "pirt.format"),
        ],
    )
    def test_pirt_errors(self, raw, code):
        assert codes(normalise({"pirt": raw}).errors) == [code]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Ya", {"held": True, "number": "", "name": ""}),
            ("IDM000123456", {"held": True, "number": "IDM000123456", "name": ""}),
            ("Keripik  Mawar", {"held": True, "number": "", "name": "Keripik Mawar"}),
        ],
    )
    def test_trademark(self, raw, expected):
        assert normalise({"trademark": raw}).data["trademark"] == expected

    def test_products_are_a_list(self):
        result = normalise({"products": "Keripik pisang, keripik ubi; Dodol/ keripik Pisang"})
        assert result.data["products"] == ["Keripik pisang", "keripik ubi", "Dodol"]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Ya", True),
            ("Y", True),
            ("1", True),
            ("Yes", True),
            ("TRUE", True),
            ("Tidak", False),
            ("T", False),
            ("0", False),
            ("No", False),
        ],
    )
    def test_sells_to_malaysia(self, raw, expected):
        assert normalise({"sells_to_malaysia": raw}).data["sells_to_malaysia"] is expected

    def test_sells_to_malaysia_rejects_other_words(self):
        result = normalise({"sells_to_malaysia": "kadang"})
        assert result.errors == [
            Problem(
                row=2,
                column="Jual ke Malaysia",
                value="kadang",
                code="sells_to_malaysia.invalid",
                reason="“kadang” is not Ya or Tidak: write Ya or Tidak.",
            )
        ]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Merek sendiri", "own"),
            ("sendiri", "own"),
            ("merk sendiri", "own"),
            ("Tanpa merek", "unbranded"),
            ("dikemas ulang", "repackaged"),
            ("Merek pembeli", "repackaged"),
            ("Merek Malaysia", "repackaged"),
        ],
    )
    def test_cross_border_brand(self, raw, expected):
        assert normalise({"cross_border_brand": raw}).data["cross_border_brand"] == expected

    def test_cross_border_brand_rejects_other_answers(self):
        assert codes(normalise({"cross_border_brand": "bagus"}).errors) == ["cross_border_brand.invalid"]


@pytest.mark.django_db
class TestRegions:
    @pytest.fixture
    def ctx(self, reference_data):
        return NormaliseContext.build(today=TODAY)

    def test_kab_pontianak_is_mempawah(self, ctx):
        result = normalise({"regency": "Kab. Pontianak"}, ctx)
        assert result.ok
        assert result.data["region"].code == "61.02"
        assert result.warnings == [
            Problem(
                row=2,
                column="Kabupaten/Kota",
                value="Kab. Pontianak",
                code="regency.alias",
                reason="The regency/city “Kab. Pontianak” was read as 61.02 Kabupaten Mempawah, its current name.",
            )
        ]

    def test_kota_pontianak_is_the_city(self, ctx):
        result = normalise({"regency": "Kota Pontianak"}, ctx)
        assert result.ok and not result.warnings
        assert result.data["region"].code == "61.71"

    def test_a_district_in_two_regencies_without_a_regency_is_ambiguous(self, ctx):
        result = normalise({"district": "Sungai Raya"}, ctx, row_number=9)
        assert result.errors == [
            Problem(
                row=9,
                column="Kecamatan",
                value="Sungai Raya",
                code="district.ambiguous",
                reason=(
                    "The district “Sungai Raya” exists in several regencies: 61.07.01 Sungai Raya "
                    "(Kabupaten Bengkayang), 61.12.01 Sungai Raya (Kabupaten Kubu Raya). Fill in the "
                    "regency column or write the district code."
                ),
            )
        ]
        assert "region" not in result.data

    def test_the_regency_column_chooses_the_district(self, ctx):
        result = normalise({"regency": "Kubu Raya", "district": "Sungai Raya"}, ctx)
        assert result.ok and not result.warnings
        assert result.data["region"].code == "61.12.01"
        assert result.data["regency"].code == "61.12"

    def test_the_imports_regency_chooses_the_district(self, reference_data):
        ctx = NormaliseContext.build(regency="61.07", today=TODAY)
        result = normalise({"district": "Sungai Raya"}, ctx)
        assert result.ok
        assert result.data["district"].code == "61.07.01"

    def test_a_village_is_the_lowest_region(self, ctx):
        result = normalise(
            {"regency": "Kubu Raya", "district": "Sungai Raya", "village": "Sungai Raya Dalam"}, ctx
        )
        assert result.ok
        assert result.data["region"].code == "61.12.01.2016"
        assert result.data["district"].code == "61.12.01"
        assert result.data["village"].code == "61.12.01.2016"

    def test_a_village_without_a_district_column_is_looked_up_in_the_regency(self, ctx):
        result = normalise({"regency": "Kubu Raya", "village": "Sungai Raya Dalam"}, ctx)
        assert result.ok
        assert result.data["region"].code == "61.12.01.2016"
        assert result.data["district"].code == "61.12.01"

    def test_a_row_of_another_regency_is_rejected(self, reference_data):
        ctx = NormaliseContext.build(regency="61.12", today=TODAY)
        result = normalise({"regency": "Sambas", "district": "Sungai Raya"}, ctx)
        assert result.errors == [
            Problem(
                row=2,
                column="Kabupaten/Kota",
                value="Sambas",
                code="regency.other",
                reason=(
                    "This row belongs to Kabupaten Sambas, but this import is for Kabupaten Kubu Raya: "
                    "send the row to that regency's import, or correct the regency."
                ),
            )
        ]

    def test_a_row_without_any_region_is_rejected(self, ctx):
        result = normalise({"regency": ""}, ctx)
        assert codes(result.errors) == ["region.missing"]
        assert result.errors[0].column == "Kabupaten/Kota"

    def test_a_misspelt_regency_is_accepted_with_a_warning(self, ctx):
        result = normalise({"regency": "Bengkyang"}, ctx)
        assert result.ok
        assert result.data["region"].code == "61.07"
        assert codes(result.warnings) == ["regency.fuzzy"]
        assert result.warnings[0].reason == (
            "The regency/city “Bengkyang” was read as 61.07 Kabupaten Bengkayang: check the spelling."
        )

    def test_an_unknown_district_lists_the_closest_names(self, ctx):
        result = normalise({"regency": "Kubu Raya", "district": "Sungai Rayo Baru"}, ctx)
        assert codes(result.errors) == ["district.not_found"]
        assert result.errors[0].reason.startswith(
            "The district “Sungai Rayo Baru” was not found in Kabupaten Kubu Raya; the closest names are "
        )

    def test_resolutions_are_cached_so_rows_make_no_queries(self, ctx, django_assert_num_queries):
        values = {
            "regency": "Kubu Raya",
            "district": "Sungai Raya",
            "village": "Sungai Raya Dalam",
            "kbli": "10792",
        }
        normalise(values, ctx)
        with django_assert_num_queries(0):
            for _ in range(50):
                assert normalise(values, ctx).ok

    def test_build_loads_the_5_digit_kbli_codes(self, ctx):
        assert "10792" in ctx.known_kbli and "01111" in ctx.known_kbli
        assert all(len(code) == 5 for code in ctx.known_kbli)
