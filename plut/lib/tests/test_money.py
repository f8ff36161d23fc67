from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from plut.lib.money import MAX_RUPIAH, MoneyError, format_rupiah, parse_rupiah


def error_of(raw: str, **kwargs) -> MoneyError:
    with pytest.raises(MoneyError) as info:
        parse_rupiah(raw, **kwargs)
    return info.value


class TestParseRupiah:
    @pytest.mark.parametrize(
        ("raw", "amount"),
        [
            ("Rp 1.500.000", 1_500_000),
            ("Rp1.500.000,-", 1_500_000),
            ("Rp. 25.000,-", 25_000),
            ("IDR 25.000", 25_000),
            ("rp 25.000", 25_000),
            ("1.500.000,00", 1_500_000),
            ("1.500.000,-", 1_500_000),
            ("1500000", 1_500_000),
            ("1500000,00", 1_500_000),
            ("1.500", 1_500),
            ("0", 0),
            ("Rp 0,-", 0),
            (" Rp\u00a01.500.000 ", 1_500_000),
        ],
    )
    def test_it_reads_indonesian_notation(self, raw, amount):
        assert parse_rupiah(raw) == amount

    @pytest.mark.parametrize(
        ("raw", "amount"),
        [
            ("1,5 jt", 1_500_000),
            ("1,5jt", 1_500_000),
            ("1.5 juta", 1_500_000),
            ("Rp 1,5 juta", 1_500_000),
            ("3 jt.", 3_000_000),
            ("2 M", 2_000_000_000),
            ("2 miliar", 2_000_000_000),
            ("2 milyar", 2_000_000_000),
            ("2,5 Miliar", 2_500_000_000),
            ("750 rb", 750_000),
            ("750 ribu", 750_000),
            ("750rb", 750_000),
            ("50k", 50_000),
            ("1 T", 1_000_000_000_000),
            ("1,25 triliun", 1_250_000_000_000),
            ("1.500 juta", 1_500_000_000),
            ("1.500,5 jt", 1_500_500_000),
        ],
    )
    def test_it_reads_units(self, raw, amount):
        assert parse_rupiah(raw) == amount

    @pytest.mark.parametrize(
        ("raw", "amount"),
        [
            ("1500000", 1_500_000),
            ("1500000.0", 1_500_000),
            ("1.5E+9", 1_500_000_000),
            ("0", 0),
        ],
    )
    def test_it_reads_numeric_cells_with_a_decimal_point(self, raw, amount):
        assert parse_rupiah(raw, from_numeric_cell=True) == amount

    @pytest.mark.parametrize(("raw", "code"), [("1,500", "money.ambiguous"), ("1,500 jt", "money.ambiguous")])
    def test_a_comma_and_three_digits_is_ambiguous(self, raw, code):
        assert error_of(raw).code == code

    @pytest.mark.parametrize("raw", ["1.5", "1.50", "Rp 1.5"])
    def test_a_decimal_dot_without_unit_is_ambiguous(self, raw):
        error = error_of(raw)
        assert error.code == "money.ambiguous"
        assert str(error.message).endswith(".")

    @pytest.mark.parametrize("raw", ["-1.000", "Rp -1.000", "(1.000)", "−500"])
    def test_it_rejects_negative_amounts(self, raw):
        assert error_of(raw).code == "money.negative"

    def test_it_rejects_negative_numeric_cells(self):
        assert error_of("-5", from_numeric_cell=True).code == "money.negative"

    @pytest.mark.parametrize("raw", ["1500,50", "1,5", "1,2345 rb", "Rp 1.500,25"])
    def test_it_rejects_fractions_of_a_rupiah(self, raw):
        assert error_of(raw).code == "money.fraction"

    def test_it_rejects_fractions_in_numeric_cells(self):
        assert error_of("1500.5", from_numeric_cell=True).code == "money.fraction"

    @pytest.mark.parametrize(
        "raw",
        ["1,500,000", "1,500,000.00", "15.00.000", "1.500.00", "1.5000", "abc", "Rp", "jt", "\u0661.500"],
    )
    def test_it_rejects_other_shapes(self, raw):
        assert error_of(raw).code == "money.format"

    @pytest.mark.parametrize("raw", ["2 m", "5 dollar", "1.500.000 IDR", "2 mil"])
    def test_it_rejects_unknown_or_ambiguous_units(self, raw):
        assert error_of(raw).code == "money.unit"

    @pytest.mark.parametrize("raw", ["1.5E+9", "1,5E+9", "2e6"])
    def test_it_rejects_scientific_notation_in_text(self, raw):
        assert error_of(raw).code == "money.scientific"

    @pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "1.500.000", "Rp 1500", "\u0661\u0665"])
    def test_numeric_cells_must_be_plain_numbers(self, raw):
        assert error_of(raw, from_numeric_cell=True).code == "money.format"

    def test_it_rejects_empty(self):
        assert error_of("  ").code == "money.empty"

    def test_it_rejects_absurd_amounts(self):
        assert error_of("1E+999999999", from_numeric_cell=True).code == "money.too_large"
        assert error_of("2.000 triliun").code == "money.too_large"
        assert parse_rupiah("1.000 triliun") == MAX_RUPIAH

    def test_it_rejects_non_strings(self):
        with pytest.raises(TypeError):
            parse_rupiah(1500000)  # type: ignore[arg-type]

    def test_the_error_carries_code_message_and_value(self):
        error = error_of("1,500")
        assert isinstance(error, ValueError)
        assert error.value == "1,500"
        with translation.override("en"):
            assert str(error) == str(error.message)
            assert "1,500" in str(error)


class TestFormatRupiah:
    @pytest.mark.parametrize(
        ("amount", "text"),
        [
            (0, "Rp 0"),
            (500, "Rp 500"),
            (1_500, "Rp 1.500"),
            (1_500_000, "Rp 1.500.000"),
            (2_000_000_000, "Rp 2.000.000.000"),
            (-1_500, "-Rp 1.500"),
        ],
    )
    def test_it_formats(self, amount, text):
        assert format_rupiah(amount) == text

    @pytest.mark.parametrize("amount", [1.5, 1500.0, True, "1500"])
    def test_it_rejects_non_integers(self, amount):
        with pytest.raises(TypeError):
            format_rupiah(amount)  # type: ignore[arg-type]


class TestRoundtrip:
    @given(st.integers(min_value=0, max_value=MAX_RUPIAH))
    def test_format_then_parse_returns_the_amount(self, amount):
        assert parse_rupiah(format_rupiah(amount)) == amount

    @given(st.integers(min_value=0, max_value=MAX_RUPIAH))
    def test_the_no_cents_suffix_does_not_change_the_amount(self, amount):
        assert parse_rupiah(format_rupiah(amount) + ",-") == amount

    @given(st.integers(min_value=0, max_value=MAX_RUPIAH))
    def test_numeric_cells_roundtrip(self, amount):
        assert parse_rupiah(str(amount), from_numeric_cell=True) == amount
        assert parse_rupiah(f"{amount}.0", from_numeric_cell=True) == amount

    @given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=9))
    def test_units_scale_exactly(self, whole, tenth):
        assert parse_rupiah(f"{whole},{tenth} jt") == whole * 1_000_000 + tenth * 100_000
        assert parse_rupiah(f"{whole}.{tenth} juta") == whole * 1_000_000 + tenth * 100_000
        assert parse_rupiah(f"{whole} rb") == whole * 1_000

    @given(st.text(max_size=25))
    def test_it_only_ever_returns_an_amount_or_raises_money_error(self, text):
        try:
            amount = parse_rupiah(text)
        except MoneyError:
            return
        assert isinstance(amount, int) and 0 <= amount <= MAX_RUPIAH
