from __future__ import annotations

from datetime import date, timedelta

import phonenumbers
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.id import nik as stdnum_nik

from plut.lib.identifiers import (
    KALBAR_REGENCY_CODES,
    PROVINCE_CODES,
    Checked,
    IdentifierError,
    Issue,
    check_kbli,
    check_nib,
    check_nik,
    check_npwp,
    check_phone,
    mask_nik,
    mask_phone,
    nik_birth_date,
    nik_sex,
    phone_kind,
)

KNOWN_KBLI = frozenset({"01111", "01110", "10792", "47111", "56102"})


def error_of(func, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        func(*args, **kwargs)
    return info.value


def codes(checked: Checked) -> tuple[str, ...]:
    return tuple(issue.code for issue in checked.warnings)


class TestResultTypes:
    def test_checked_is_frozen(self):
        checked = check_nik("6103211708450001")
        with pytest.raises(AttributeError):
            checked.value = "x"  # type: ignore[misc]

    def test_error_is_a_value_error_with_code_message_and_value(self):
        error = error_of(check_nik, "123")
        assert isinstance(error, ValueError)
        assert error.code == "nik.length"
        assert error.value == "123"
        assert str(error) == str(error.message)

    @pytest.mark.parametrize(
        ("func", "raw"),
        [
            (check_nik, ""),
            (check_nik, "6.10321E+15"),
            (check_nik, "12"),
            (check_nib, "12"),
            (check_npwp, "12"),
            (check_kbli, "12"),
            (check_phone, "12"),
        ],
    )
    def test_messages_are_full_sentences(self, func, raw):
        message = str(error_of(func, raw).message)
        assert message[0].isupper() or message[0] in "“"
        assert message.endswith(".")

    def test_warning_is_an_issue_with_a_sentence(self):
        (issue,) = check_nik("3171011708450001").warnings
        assert isinstance(issue, Issue)
        assert str(issue.message).endswith(".")


class TestCheckNik:
    def test_it_accepts_a_kalbar_nik(self):
        assert check_nik("6103211708450001") == Checked("6103211708450001", "6103211708450001", ())

    def test_it_keeps_the_typed_text_in_raw(self):
        checked = check_nik(" 610321.170845.0001 ")
        assert checked.value == "6103211708450001"
        assert checked.raw == " 610321.170845.0001 "

    @pytest.mark.parametrize(
        "raw",
        ["6103 2117 0845 0001", "610321-170845-0001", "'6103211708450001", "\u00a06103211708450001"],
    )
    def test_it_removes_separators_and_the_text_apostrophe(self, raw):
        assert check_nik(raw).value == "6103211708450001"

    def test_it_accepts_a_woman_born_on_day_plus_40(self):
        assert check_nik("6103215708450001").value == "6103215708450001"
        assert check_nik("6103217108450001").value == "6103217108450001"  # 31 August

    @pytest.mark.parametrize("raw", ["6.10321E+15", "6,10321E+15", "6.103211708E+15", "6103211708450001e0"])
    def test_it_rejects_scientific_notation(self, raw):
        error = error_of(check_nik, raw)
        assert error.code == "nik.scientific"
        with translation.override("en"):
            assert "text" in str(error.message)
        with translation.override("id"):
            assert "teks" in str(error.message)

    def test_it_rejects_the_float_artefact(self):
        assert error_of(check_nik, "6103211708450001.0").code == "nik.numeric_cell"

    def test_it_rejects_a_16_digit_value_from_a_numeric_cell(self):
        error = error_of(check_nik, "6103211708450000", from_numeric_cell=True)
        assert error.code == "nik.numeric_cell"
        assert "15" in str(error.message)

    def test_it_never_repairs_a_numeric_cell_even_if_the_digits_look_valid(self):
        assert error_of(check_nik, "6103211708450001", from_numeric_cell=True).code == "nik.numeric_cell"

    @pytest.mark.parametrize("raw", ["610321170845001", "61032117084500011", "6103"])
    def test_it_rejects_a_wrong_length(self, raw):
        assert error_of(check_nik, raw).code == "nik.length"

    @pytest.mark.parametrize("raw", ["", "   ", "'"])
    def test_it_rejects_empty(self, raw):
        assert error_of(check_nik, raw).code == "nik.empty"

    @pytest.mark.parametrize(
        "raw",
        [
            "61032117084500O1",
            "6103211708450001x",
            "+6103211708450001",
            "610321170845000\u0661",  # Arabic-Indic digit one: isdigit() is true
            "610321170845000\u00b9",  # superscript one
        ],
    )
    def test_it_rejects_other_characters(self, raw):
        assert error_of(check_nik, raw).code == "nik.format"

    @pytest.mark.parametrize(
        "raw",
        [
            "0003211708450001",  # province 00
            "9903211708450001",  # no such province
            "6113211708450001",  # Kalbar has no regency 13
            "6100211708450001",  # regency 00
            "6103001708450001",  # district 00
        ],
    )
    def test_it_rejects_an_unknown_region(self, raw):
        assert error_of(check_nik, raw).code == "nik.region"

    @pytest.mark.parametrize(
        "raw",
        [
            "6103210008450001",  # day 00
            "6103213208450001",  # day 32
            "6103214008450001",  # day 40 (woman, day 0)
            "6103217208450001",  # day 72
            "6103218108450001",  # day 81: python-stdnum takes it as the 1st
            "6103211713450001",  # month 13
            "6103213102450001",  # 31 February
            "6103212902230001",  # 29 February 1923/2023
        ],
    )
    def test_it_rejects_an_impossible_birth_date(self, raw):
        assert error_of(check_nik, raw).code == "nik.date"

    def test_it_is_stricter_than_stdnum_on_day_81(self):
        assert stdnum_nik.is_valid("6103218108450001")
        assert error_of(check_nik, "6103218108450001").code == "nik.date"

    def test_it_accepts_29_february_of_a_leap_year(self):
        assert check_nik("6103212902000001").value == "6103212902000001"

    def test_it_rejects_serial_0000(self):
        assert stdnum_nik.is_valid("6103211708450000")
        assert error_of(check_nik, "6103211708450000").code == "nik.serial"

    def test_it_warns_when_issued_outside_the_province(self):
        checked = check_nik("3171011708450001")
        assert checked.value == "3171011708450001"
        assert codes(checked) == ("nik.outside_province",)

    def test_it_accepts_provinces_stdnum_does_not_know(self):
        # Kalimantan Utara (65) and Papua Barat Daya (96) are missing from stdnum's table.
        assert not stdnum_nik.is_valid("6501011708450001")
        assert codes(check_nik("6501011708450001")) == ("nik.outside_province",)
        assert codes(check_nik("9601011708450001")) == ("nik.outside_province",)

    def test_province_code_can_be_changed(self):
        assert codes(check_nik("3171011708450001", province_code="31")) == ()
        assert codes(check_nik("6103211708450001", province_code="31")) == ("nik.outside_province",)

    def test_it_warns_when_the_district_is_not_known(self):
        checked = check_nik("6103211708450001", known_district_codes={"61.01.08", "61.03.20"})
        assert codes(checked) == ("nik.unknown_district",)
        assert "61.03.21" in str(checked.warnings[0].message)

    @pytest.mark.parametrize("known", [{"61.03.21"}, {"610321"}, frozenset({"61.03.21", "61.01.01"})])
    def test_it_accepts_a_known_district_in_either_form(self, known):
        assert codes(check_nik("6103211708450001", known_district_codes=known)) == ()

    def test_the_district_table_is_not_applied_outside_the_province(self):
        checked = check_nik("3171011708450001", known_district_codes={"61.03.21"})
        assert codes(checked) == ("nik.outside_province",)

    def test_it_rejects_non_strings(self):
        with pytest.raises(TypeError):
            check_nik(6103211708450001)  # type: ignore[arg-type]

    def test_the_kalbar_regencies_are_the_kemendagri_14(self):
        assert sorted(KALBAR_REGENCY_CODES) == [f"{n:02d}" for n in range(1, 13)] + ["71", "72"]
        assert len(PROVINCE_CODES) == 38


class TestNikBirthDateAndSex:
    def test_a_man(self):
        assert nik_birth_date("6103211708450001") == date(1945, 8, 17)
        assert nik_sex("6103211708450001") == "M"

    def test_a_woman(self):
        assert nik_birth_date("6103215708450001") == date(1945, 8, 17)
        assert nik_sex("6103215708450001") == "F"

    def test_the_century_is_the_latest_not_in_the_future(self):
        today = date(2025, 6, 1)
        assert nik_birth_date("6103210101050001", today=today) == date(2005, 1, 1)
        assert nik_birth_date("6103210101250001", today=today) == date(2025, 1, 1)
        assert nik_birth_date("6103210107250001", today=today) == date(1925, 7, 1)
        assert nik_birth_date("6103210101990001", today=today) == date(1999, 1, 1)

    def test_it_rejects_a_wrong_length(self):
        assert error_of(nik_birth_date, "12345").code == "nik.length"
        assert error_of(nik_sex, "12345").code == "nik.length"

    def test_it_rejects_an_impossible_date(self):
        assert error_of(nik_birth_date, "6103213102450001").code == "nik.date"


class TestMaskNik:
    def test_it_hides_district_birth_date_and_sex(self):
        assert mask_nik("6103215708450001") == "6103********0001"

    def test_it_masks_a_malformed_value_entirely_but_the_last_two(self):
        assert mask_nik("12345") == "***45"


KALBAR = st.just("61")


@st.composite
def valid_niks(draw, province=KALBAR):
    prov = draw(province)
    regency = draw(st.sampled_from(sorted(KALBAR_REGENCY_CODES))) if prov == "61" else "01"
    district = f"{draw(st.integers(1, 99)):02d}"
    today = date.today()  # noqa: DTZ011
    born = draw(st.dates(min_value=date(today.year - 98, 1, 1), max_value=today))
    female = draw(st.booleans())
    serial = f"{draw(st.integers(1, 9999)):04d}"
    day = born.day + (40 if female else 0)
    nik = f"{prov}{regency}{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"
    return nik, born, "F" if female else "M"


class TestNikProperties:
    @given(valid_niks())
    def test_any_valid_nik_roundtrips_unchanged(self, case):
        nik, born, sex = case
        checked = check_nik(nik)
        assert checked.value == nik
        assert checked.warnings == ()
        assert nik_birth_date(nik) == born
        assert nik_sex(nik) == sex

    @given(valid_niks(province=st.sampled_from(sorted(PROVINCE_CODES - {"61"}))))
    def test_any_valid_nik_from_elsewhere_is_accepted_with_a_warning(self, case):
        nik, _born, _sex = case
        checked = check_nik(nik)
        assert checked.value == nik
        assert codes(checked) == ("nik.outside_province",)

    @given(valid_niks())
    def test_formatting_does_not_change_the_value(self, case):
        nik, _born, _sex = case
        assert check_nik(f"{nik[:6]}.{nik[6:12]}.{nik[12:]}").value == nik

    @given(st.from_regex(r"\A[1-9][0-9]{15}\Z"))
    def test_no_16_digit_value_from_a_numeric_cell_is_accepted(self, digits):
        assert error_of(check_nik, digits, from_numeric_cell=True).code == "nik.numeric_cell"

    @given(st.text(max_size=30))
    def test_it_only_ever_accepts_or_raises_identifier_error(self, text):
        try:
            checked = check_nik(text)
        except IdentifierError:
            return
        assert len(checked.value) == 16 and checked.value.isdigit()

    @given(valid_niks())
    def test_mask_keeps_length_and_ends(self, case):
        nik, _born, _sex = case
        masked = mask_nik(nik)
        assert len(masked) == 16
        assert masked[:4] == nik[:4] and masked[12:] == nik[12:]
        assert masked[4:12] == "*" * 8


class TestCheckNib:
    def test_it_accepts_13_digits(self):
        assert check_nib("9120302750453") == Checked("9120302750453", "9120302750453", ())

    def test_it_removes_separators(self):
        assert check_nib(" 9120-3027-50453 ").value == "9120302750453"

    def test_a_numeric_cell_with_13_digits_is_fine(self):
        assert check_nib("9120302750453", from_numeric_cell=True).warnings == ()

    def test_the_float_artefact_is_removed_from_a_numeric_cell_with_a_warning(self):
        checked = check_nib("9120302750453.0", from_numeric_cell=True)
        assert checked.value == "9120302750453"
        assert checked.raw == "9120302750453.0"
        assert codes(checked) == ("nib.float_artefact",)

    def test_the_float_artefact_in_typed_text_is_an_error(self):
        assert error_of(check_nib, "9120302750453.0").code == "nib.format"

    @pytest.mark.parametrize("raw", ["9.12030E+12", "9,12030275E+12"])
    def test_it_rejects_scientific_notation(self, raw):
        assert error_of(check_nib, raw, from_numeric_cell=True).code == "nib.scientific"

    @pytest.mark.parametrize("raw", ["912030275045", "91203027504531", "1"])
    def test_it_rejects_a_wrong_length(self, raw):
        error = error_of(check_nib, raw)
        assert error.code == "nib.length"
        assert "13" in str(error.message)

    @pytest.mark.parametrize("raw", ["NIB9120302750453", "912030275045A"])
    def test_it_rejects_other_characters(self, raw):
        assert error_of(check_nib, raw).code == "nib.format"

    def test_it_rejects_empty(self):
        assert error_of(check_nib, " ").code == "nib.empty"

    @given(st.from_regex(r"\A[0-9]{13}\Z"))
    def test_any_13_digits_roundtrip(self, digits):
        assert check_nib(digits).value == digits


def npwp15(first8: str, rest6: str) -> str:
    return first8 + luhn.calc_check_digit(first8) + rest6


class TestCheckNpwp:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [
            ("01.312.166.0-091.000", "013121660091000"),
            ("013121660091000", "013121660091000"),
            ("016090524017000", "016090524017000"),
            ("0013121660091000", "0013121660091000"),  # 16-digit form of an old number
            ("3171011708450001", "3171011708450001"),  # an individual's NIK
        ],
    )
    def test_it_accepts_valid_numbers(self, raw, value):
        checked = check_npwp(raw)
        assert checked.value == value
        assert checked.raw == raw
        assert checked.warnings == ()

    def test_it_repairs_a_lost_leading_zero_when_the_check_digit_proves_it(self):
        checked = check_npwp("13121660091000", from_numeric_cell=True)
        assert checked.value == "013121660091000"
        assert codes(checked) == ("npwp.repaired_leading_zero",)
        assert "13121660091000" in str(checked.warnings[0].message)

    def test_it_does_not_repair_when_the_check_digit_fails(self):
        assert error_of(check_npwp, "13121670091000", from_numeric_cell=True).code == "npwp.length"

    def test_it_strips_the_float_artefact_of_a_numeric_cell(self):
        checked = check_npwp("13121660091000.0", from_numeric_cell=True)
        assert checked.value == "013121660091000"
        assert codes(checked) == ("npwp.float_artefact", "npwp.repaired_leading_zero")

    def test_the_float_artefact_in_typed_text_is_an_error(self):
        assert error_of(check_npwp, "013121660091000.0").code == "npwp.format"

    def test_it_rejects_a_wrong_check_digit(self):
        assert error_of(check_npwp, "01.312.166.1-091.000").code == "npwp.check_digit"
        assert error_of(check_npwp, "0013121661091000").code == "npwp.check_digit"

    def test_it_rejects_an_invalid_nik_as_npwp(self):
        error = error_of(check_npwp, "3171013208450001")
        assert error.code == "npwp.nik_invalid"
        assert "NIK" in str(error.message)

    def test_it_rejects_16_digits_from_a_numeric_cell(self):
        assert error_of(check_npwp, "3171011708450001", from_numeric_cell=True).code == "npwp.numeric_cell"

    @pytest.mark.parametrize("raw", ["12345", "0131216600910001234", "1312166009100"])
    def test_it_rejects_a_wrong_length(self, raw):
        assert error_of(check_npwp, raw).code == "npwp.length"

    def test_it_rejects_scientific_notation(self):
        assert error_of(check_npwp, "1.31217E+13", from_numeric_cell=True).code == "npwp.scientific"

    def test_it_rejects_other_characters(self):
        assert error_of(check_npwp, "01/312/166/0/091/000").code == "npwp.format"

    @given(st.from_regex(r"\A[0-9]{8}\Z"), st.from_regex(r"\A[0-9]{6}\Z"))
    def test_any_valid_15_digit_number_roundtrips(self, first8, rest6):
        number = npwp15(first8, rest6)
        assert check_npwp(number).value == number
        assert check_npwp("0" + number).value == "0" + number

    @given(st.from_regex(r"\A0[1-9][0-9]{6}\Z"), st.from_regex(r"\A[0-9]{6}\Z"))
    def test_a_lost_leading_zero_is_always_restored(self, first8, rest6):
        number = npwp15(first8, rest6)
        checked = check_npwp(str(int(number)), from_numeric_cell=True)
        assert checked.value == number
        assert codes(checked) == ("npwp.repaired_leading_zero",)


class TestCheckKbli:
    def test_it_accepts_a_5_digit_code(self):
        assert check_kbli("47111") == Checked("47111", "47111", ())
        assert check_kbli("01111", known_codes=KNOWN_KBLI).value == "01111"

    def test_it_pads_a_numeric_cell_when_the_padded_code_exists(self):
        checked = check_kbli("1110", from_numeric_cell=True, known_codes=KNOWN_KBLI)
        assert checked.value == "01110"
        assert codes(checked) == ("kbli.zero_padded",)

    def test_it_pads_a_float_artefact_from_a_numeric_cell(self):
        assert check_kbli("1110.0", from_numeric_cell=True, known_codes=KNOWN_KBLI).value == "01110"

    def test_it_does_not_pad_without_the_code_list(self):
        error = error_of(check_kbli, "1110", from_numeric_cell=True)
        assert error.code == "kbli.length"
        assert "5" in str(error.message)

    def test_it_does_not_pad_typed_text(self):
        assert error_of(check_kbli, "1110", known_codes=KNOWN_KBLI).code == "kbli.length"

    def test_it_does_not_pad_to_an_unknown_code(self):
        assert (
            error_of(check_kbli, "1119", from_numeric_cell=True, known_codes=KNOWN_KBLI).code == "kbli.length"
        )

    def test_it_rejects_an_unknown_code(self):
        assert error_of(check_kbli, "99999", known_codes=KNOWN_KBLI).code == "kbli.unknown"

    @pytest.mark.parametrize("raw", ["471111", "47", "0111"])
    def test_it_rejects_a_wrong_length(self, raw):
        assert error_of(check_kbli, raw).code == "kbli.length"

    @pytest.mark.parametrize("raw", ["A0111", "4711-1"])
    def test_it_rejects_other_characters(self, raw):
        assert error_of(check_kbli, raw).code == "kbli.format"

    def test_it_rejects_empty_and_scientific(self):
        assert error_of(check_kbli, "").code == "kbli.empty"
        assert error_of(check_kbli, "4.7111E+4").code == "kbli.scientific"


class TestCheckPhone:
    @pytest.mark.parametrize(
        ("raw", "e164"),
        [
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("(0561) 123456", "+62561123456"),
            ("0561 123456", "+62561123456"),
            ("+60 12-345 6789", "+60123456789"),
        ],
    )
    def test_it_accepts_without_warnings(self, raw, e164):
        checked = check_phone(raw)
        assert checked.value == e164
        assert checked.raw == raw
        assert checked.warnings == ()

    def test_it_restores_the_trunk_zero_of_a_mobile(self):
        checked = check_phone("812345678")
        assert checked.value == "+62812345678"
        assert codes(checked) == ("phone.trunk_zero_restored",)

    def test_it_restores_the_trunk_zero_of_a_landline(self):
        checked = check_phone("561123456", from_numeric_cell=True)
        assert checked.value == "+62561123456"
        assert codes(checked) == ("phone.trunk_zero_restored",)

    def test_it_strips_the_float_artefact_first(self):
        checked = check_phone("8123456789.0", from_numeric_cell=True)
        assert checked.value == "+628123456789"
        assert codes(checked) == ("phone.float_artefact", "phone.trunk_zero_restored")

    def test_it_reads_60_without_plus_as_malaysian_with_a_warning(self):
        checked = check_phone("60123456789", from_numeric_cell=True)
        assert checked.value == "+60123456789"
        assert codes(checked) == ("phone.country_code_assumed",)

    def test_a_malaysian_national_number_needs_its_country_code(self):
        assert error_of(check_phone, "012-345 6789").code == "phone.invalid"
        assert check_phone("012-345 6789", default_region="MY").value == "+60123456789"

    @pytest.mark.parametrize("raw", ["12345", "0812", "+62 000 0000", "99999999999999"])
    def test_it_rejects_invalid_numbers(self, raw):
        error = error_of(check_phone, raw)
        assert error.code == "phone.invalid"
        assert "0812-3456-7890" in str(error.message)

    @pytest.mark.parametrize("raw", ["0812 3456 789O", "hp: 08123456789", "0812#345", "0812345678\u0669"])
    def test_it_rejects_other_characters(self, raw):
        assert error_of(check_phone, raw).code == "phone.format"

    def test_it_rejects_scientific_notation_and_empty(self):
        assert error_of(check_phone, "8.12346E+09").code == "phone.scientific"
        assert error_of(check_phone, "").code == "phone.empty"

    @pytest.mark.parametrize("e164", ["+6281234567890", "+62561123456", "+60123456789"])
    def test_an_e164_value_checks_to_itself(self, e164):
        assert check_phone(e164) == Checked(e164, e164, ())

    @given(st.from_regex(r"\A08[1-5][0-9]{7,9}\Z"))
    def test_valid_national_mobiles_become_plus_62_without_the_zero(self, national):
        number = phonenumbers.parse(national, "ID")
        if not phonenumbers.is_valid_number(number):
            assert error_of(check_phone, national).code == "phone.invalid"
            return
        checked = check_phone(national)
        assert checked.value == "+62" + national[1:]
        assert check_phone(checked.value).value == checked.value


class TestPhoneKindAndMask:
    @pytest.mark.parametrize(
        ("e164", "kind"),
        [
            ("+6281234567890", "mobile"),
            ("+62561123456", "fixed"),
            ("+60123456789", "mobile"),
            ("not a number", "unknown"),
        ],
    )
    def test_phone_kind(self, e164, kind):
        assert phone_kind(e164) == kind

    @pytest.mark.parametrize(
        ("e164", "masked"),
        [
            ("+6281234567890", "+62812****7890"),
            ("+62561123456", "+62561**3456"),
            ("+60123456789", "+60123**6789"),
        ],
    )
    def test_mask_phone(self, e164, masked):
        assert mask_phone(e164) == masked

    def test_mask_phone_of_garbage_keeps_only_the_last_two(self):
        assert mask_phone("abcdef") == "****ef"


def test_century_choice_is_stable_around_today():
    today = date.today()  # noqa: DTZ011
    yesterday = today - timedelta(days=1)
    nik = f"610321{yesterday.day:02d}{yesterday.month:02d}{yesterday.year % 100:02d}0001"
    assert nik_birth_date(nik) == yesterday
