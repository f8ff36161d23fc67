from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from plut.lib.dates import DateError, date_from_excel_serial, format_date_id, parse_date

TODAY = date(2025, 6, 30)


def error_of(text: str, **kwargs) -> DateError:
    with pytest.raises(DateError) as info:
        parse_date(text, **kwargs)
    return info.value


class TestIso:
    @pytest.mark.parametrize(
        "text",
        [
            "2025-03-17",
            "2025-3-17",
            "2025/03/17",
            "2025-03-17T00:00:00",
            "2025-03-17T10:30:00",
            "2025-03-17 10:30",
            "20250317",
            " 2025-03-17 ",
            "'2025-03-17",
        ],
    )
    def test_it_reads_iso_text(self, text):
        assert parse_date(text) == date(2025, 3, 17)

    def test_it_reads_the_iso_text_of_a_date_cell(self):
        assert parse_date("2025-03-17T00:00:00", kind="date") == date(2025, 3, 17)


class TestDayFirst:
    @pytest.mark.parametrize("text", ["17/03/2025", "17-03-2025", "17.03.2025", "17/3/2025", "17/3/25"])
    def test_it_reads_the_day_first(self, text):
        assert parse_date(text) == date(2025, 3, 17)

    def test_an_ambiguous_date_is_read_day_first(self):
        assert parse_date("03/04/2025") == date(2025, 4, 3)

    def test_a_us_month_first_date_is_rejected_not_swapped(self):
        error = error_of("03/17/2025")
        assert error.code == "date.month_first"
        with translation.override("en"):
            assert str(error) == (
                "“03/17/2025” has the month first (month/day/year); write the day first, as 17/03/2025."
            )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("17/3/00", date(2000, 3, 17)),
            ("17/3/29", date(2029, 3, 17)),
            ("17/3/30", date(1930, 3, 17)),
            ("17/8/45", date(1945, 8, 17)),
            ("17/3/99", date(1999, 3, 17)),
        ],
    )
    def test_two_digit_years_follow_excels_1930_2029_window(self, text, expected):
        assert parse_date(text) == expected

    @pytest.mark.parametrize("text", ["31/02/2025", "29/02/2025", "32/01/2025", "00/01/2025", "13/13/2025"])
    def test_it_rejects_impossible_dates(self, text):
        assert error_of(text).code == "date.invalid"

    def test_a_leap_day_exists_in_a_leap_year(self):
        assert parse_date("29/02/2024") == date(2024, 2, 29)

    def test_mixed_separators_are_not_a_date(self):
        assert error_of("17/03-2025").code == "date.format"


class TestMonthNames:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("17 Maret 2025", date(2025, 3, 17)),
            ("17 Mar 2025", date(2025, 3, 17)),
            ("17 mar. 2025", date(2025, 3, 17)),
            ("17-Mar-25", date(2025, 3, 17)),
            ("17 Agustus 1945", date(1945, 8, 17)),
            ("17 Agt 1945", date(1945, 8, 17)),
            ("17 Ags 1945", date(1945, 8, 17)),
            ("17 Agu 1945", date(1945, 8, 17)),
            ("1 Mei 2024", date(2024, 5, 1)),
            ("5 Okt 2023", date(2023, 10, 5)),
            ("25 Des 2023", date(2023, 12, 25)),
            ("10 Nop 2022", date(2022, 11, 10)),
            ("10 Nopember 2022", date(2022, 11, 10)),
            ("10 Nov 2022", date(2022, 11, 10)),
            ("14 Pebruari 2024", date(2024, 2, 14)),
            ("14 Februari 2024", date(2024, 2, 14)),
            ("Senin, 17 Maret 2025", date(2025, 3, 17)),
            ("Jum'at, 21 Maret 2025", date(2025, 3, 21)),
            ("17  MARET  2025", date(2025, 3, 17)),
        ],
    )
    def test_it_reads_indonesian_month_names(self, text, expected):
        assert parse_date(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("17 March 2025", date(2025, 3, 17)),
            ("March 17, 2025", date(2025, 3, 17)),
            ("Aug 17, 1945", date(1945, 8, 17)),
            ("1 October 2024", date(2024, 10, 1)),
            ("25 December 2023", date(2023, 12, 25)),
        ],
    )
    def test_it_reads_english_month_names(self, text, expected):
        assert parse_date(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("17 Mac 2025", date(2025, 3, 17)),
            ("31 Ogos 2024", date(2024, 8, 31)),
            ("1 Julai 2024", date(2024, 7, 1)),
        ],
    )
    def test_it_reads_malay_month_names(self, text, expected):
        assert parse_date(text) == expected

    def test_an_unknown_month_word_is_named(self):
        error = error_of("17 Marz 2025")
        assert error.code == "date.month_name"
        with translation.override("en"):
            assert str(error) == (
                "“17 Marz 2025” has the month “marz”, which is not a month name: write it as 17 Maret 2025."
            )

    def test_31_in_a_30_day_month_is_impossible(self):
        assert error_of("31 April 2025").code == "date.invalid"


class TestExcelSerial:
    @pytest.mark.parametrize(
        ("serial", "expected"),
        [
            ("1", date(1900, 1, 1)),
            ("59", date(1900, 2, 28)),
            ("61", date(1900, 3, 1)),
            ("45658", date(2025, 1, 1)),
            ("45658.75", date(2025, 1, 1)),
            ("45731", date(2025, 3, 15)),
        ],
    )
    def test_the_1900_system_from_a_numeric_cell(self, serial, expected):
        assert parse_date(serial, kind="number") == expected

    def test_serial_60_is_excels_fictitious_29_february_1900(self):
        assert error_of("60", kind="number").code == "date.serial_fictitious"

    @pytest.mark.parametrize(
        ("serial", "expected"),
        [("0", date(1904, 1, 1)), ("1", date(1904, 1, 2)), ("44196", date(2025, 1, 1))],
    )
    def test_the_1904_system(self, serial, expected):
        assert parse_date(serial, kind="number", date1904=True) == expected

    def test_the_two_systems_are_1462_days_apart(self):
        assert date_from_excel_serial(45658) == date_from_excel_serial(45658 - 1462, date1904=True)

    @pytest.mark.parametrize("serial", ["0", "-1", "2958466"])
    def test_out_of_range_serials_are_rejected(self, serial):
        assert error_of(serial, kind="number").code == "date.serial_range"

    def test_a_whole_number_typed_as_text_is_a_serial_in_the_plausible_range(self):
        assert parse_date("45658") == date(2025, 1, 1)
        assert parse_date("44196", date1904=True) == date(2025, 1, 1)

    @pytest.mark.parametrize("text", ["2025", "12", "100000", "1234567"])
    def test_other_whole_numbers_typed_as_text_are_not_dates(self, text):
        assert error_of(text).code == "date.format"

    def test_a_numeric_cell_with_date_text_is_still_read(self):
        # A reader may hand over a number-kind cell whose text is not a number; parse it as text.
        assert parse_date("17/03/2025", kind="number") == date(2025, 3, 17)


class TestRejections:
    @pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
    def test_empty(self, text):
        assert error_of(text).code == "date.empty"

    @pytest.mark.parametrize("text", ["kemarin", "17 Maret", "Maret 2025", "2025-13", "17//2025"])
    def test_not_a_date(self, text):
        assert error_of(text).code == "date.format"

    @pytest.mark.parametrize("text", ["17/03/1899", "01-01-2101", "1 Januari 1850"])
    def test_years_outside_1900_2100(self, text):
        assert error_of(text).code == "date.range"

    def test_future_dates_are_allowed_by_default(self):
        assert parse_date("01/07/2025", today=TODAY) == date(2025, 7, 1)

    def test_future_dates_are_rejected_when_asked(self):
        assert parse_date("30/06/2025", today=TODAY, allow_future=False) == TODAY
        error = error_of("01/07/2025", today=TODAY, allow_future=False)
        assert error.code == "date.future"
        with translation.override("en"):
            assert str(error) == (
                "The date 1 Juli 2025 is after today (30 Juni 2025): check the day, month and year."
            )

    def test_the_error_is_a_value_error_with_code_message_and_value(self):
        error = error_of("31/02/2025")
        assert isinstance(error, ValueError)
        assert error.value == "31/02/2025"
        with translation.override("en"):
            assert str(error.message) == (
                "“31/02/2025” is not a date that exists (day-month-year): check the day and the month."
            )

    def test_it_refuses_non_text(self):
        with pytest.raises(TypeError):
            parse_date(45658)  # type: ignore[arg-type]


class TestFormatDateId:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (date(2026, 11, 29), "29 November 2026"),
            (date(1945, 8, 17), "17 Agustus 1945"),
            (date(2025, 5, 1), "1 Mei 2025"),
            (date(2024, 2, 14), "14 Februari 2024"),
        ],
    )
    def test_it_writes_indonesian_month_names(self, value, text):
        assert format_date_id(value) == text

    def test_it_round_trips_through_parse_date(self):
        for month in range(1, 13):
            value = date(2025, month, 28)
            assert parse_date(format_date_id(value)) == value
