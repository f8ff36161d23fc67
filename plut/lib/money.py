"""Parse and format amounts of rupiah written in Indonesian notation.

Amounts are whole rupiah held in an ``int`` (MISSION.md "Domain facts": integer rupiah; the
sen has had no coins in circulation for decades, UU 7/2011 on currency keeps it only as a
unit). Indonesian notation writes thousands with a dot and decimals with a comma (Pedoman
Umum EYD, 5th edition 2022, "Tanda Titik": the dot separates thousands; "Tanda Koma"), and
the units ribu (thousand), juta (million), miliar (billion) and triliun (trillion) (KBBI).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from plut.lib.errors import ValueRejected, lazy_message

__all__ = ["MAX_RUPIAH", "MoneyError", "format_rupiah", "parse_rupiah"]

# A ceiling far above any UMKM figure (Rp 1 quadrillion), so a typo such as a pasted NIK
# or an absurd exponent is rejected instead of stored.
MAX_RUPIAH = 10**15


_msg = lazy_message


class MoneyError(ValueRejected):
    """A rejected amount, with a stable machine ``code`` and a translatable ``message``."""


# Unit words, matched case-insensitively except the one-letter "M" and "T", which must be
# capitals: lower-case "m" reads as "million" in English and "miliar" in Indonesian.
_UNITS: dict[str, int] = {
    "rb": 10**3,
    "ribu": 10**3,
    "k": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}
_CAPITAL_UNITS: dict[str, int] = {"M": 10**9, "T": 10**12}

_PREFIX_RE = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_SUFFIX_RE = re.compile(r"\s*[,.]\s*-$")
_UNIT_RE = re.compile(r"^(?P<number>.*?)\s*(?P<unit>[A-Za-z]+)\.?$")
_PLAIN_RE = re.compile(r"^\d+$", re.ASCII)
_GROUPED_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$", re.ASCII)  # 1.500.000 / 1.500.000,00
_COMMA_DECIMAL_RE = re.compile(r"^\d+,\d+$", re.ASCII)  # 1500000,00 / 1,5
_DOT_DECIMAL_RE = re.compile(r"^\d+\.\d{1,2}$", re.ASCII)  # 1.5 / 1.25 (only with a unit)
_SCIENTIFIC_RE = re.compile(r"^\d+(?:[.,]\d*)?[eE][+-]?\d+$", re.ASCII)
_NUMERIC_CELL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")


def _error(code: str, message, raw: str) -> MoneyError:
    return MoneyError(code, message, raw)


def _format_error(raw: str) -> MoneyError:
    return _error(
        "money.format",
        _msg(
            _(
                "“%(value)s” is not an amount in rupiah: write it as Rp 1.500.000 (dots for thousands, "
                "a comma for decimals), or as 1,5 jt, 750 rb or 2 M."
            ),
            value=raw,
        ),
        raw,
    )


def _to_decimal(number: str, *, has_unit: bool, raw: str) -> Decimal:
    """Read the number part (without currency or unit) in Indonesian notation."""
    if _PLAIN_RE.match(number):
        return Decimal(number)
    if _GROUPED_RE.match(number):
        return Decimal(number.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL_RE.match(number):
        integer, fraction = number.split(",")
        if len(fraction) == 3 and "." not in integer:
            # "1,500" is 1500 in English notation and 1.5 in Indonesian notation.
            raise _error(
                "money.ambiguous",
                _msg(
                    _(
                        "“%(value)s” is ambiguous: a comma followed by three digits is a thousands "
                        "separator in English and a decimal comma in Indonesian. Write 1.500 for one "
                        "thousand five hundred, or 1,5 jt for one and a half million."
                    ),
                    value=raw,
                ),
                raw,
            )
        return Decimal(f"{integer}.{fraction}")
    if _DOT_DECIMAL_RE.match(number):
        if not has_unit:
            raise _error(
                "money.ambiguous",
                _msg(
                    _(
                        "“%(value)s” is ambiguous: a dot is a thousands separator in Indonesian but a "
                        "decimal point in English. Write 1.500 or 1.500.000 for whole rupiah, or add "
                        "a unit, as in 1,5 jt."
                    ),
                    value=raw,
                ),
                raw,
            )
        return Decimal(number)
    raise _format_error(raw)


def _check_range(amount: Decimal, raw: str) -> int:
    if amount < 0:
        raise _negative_error(raw)
    if amount.adjusted() >= 16 or amount > MAX_RUPIAH:
        raise _error(
            "money.too_large",
            _msg(
                _("“%(value)s” is more than Rp 1.000.000.000.000.000: check the amount."),
                value=raw,
            ),
            raw,
        )
    if amount != amount.to_integral_value():
        raise _error(
            "money.fraction",
            _msg(
                _("“%(value)s” contains a fraction of a rupiah: round the amount to whole rupiah."),
                value=raw,
            ),
            raw,
        )
    return int(amount)


def _negative_error(raw: str) -> MoneyError:
    return _error(
        "money.negative",
        _msg(
            _("“%(value)s” is negative: amounts of capital, sales and prices are zero or more."),
            value=raw,
        ),
        raw,
    )


def parse_rupiah(raw: str, *, from_numeric_cell: bool = False) -> int:
    """Return the whole-rupiah amount written in ``raw``.

    Rules, in order:

    1. Whitespace is trimmed; empty text is ``money.empty``.
    2. ``from_numeric_cell``: the text is a number written by the spreadsheet reader, with
       ``.`` as decimal point: ``"1500000"``, ``"1500000.0"``, ``"1.5E+9"`` → 1500000,
       1500000, 1500000000. No currency or unit is allowed there.
    3. Otherwise a leading ``Rp``/``Rp.``/``IDR`` and a trailing ``,-`` or ``.-`` (Indonesian
       "no cents") are removed, and spaces inside the number are ignored.
    4. A leading ``-`` or parentheses are ``money.negative``; scientific notation in text is
       ``money.scientific``.
    5. An optional unit follows the number: ``rb``/``ribu``/``k`` = 1.000,
       ``jt``/``juta`` = 1.000.000, ``M``/``miliar``/``milyar`` = 1.000.000.000,
       ``T``/``triliun`` = 1.000.000.000.000 (a trailing dot, as in ``jt.``, is allowed).
       ``M`` and ``T`` must be capitals; other units ignore case. Unknown words are
       ``money.unit``; lower-case ``m`` is ``money.unit`` too (million or miliar?).
    6. The number is read in Indonesian notation:

       - digits only: ``"1500000"`` → 1500000;
       - dot thousands groups, optional comma decimals: ``"1.500.000"`` → 1500000,
         ``"1.500"`` → 1500, ``"1.500.000,00"`` → 1500000, ``"1.500 jt"`` → 1500000000;
       - comma decimals: ``"1,5 jt"`` → 1500000, ``"1500000,00"`` → 1500000; but a single
         comma followed by exactly three digits (``"1,500"``) is ``money.ambiguous``;
       - a dot followed by one or two digits is a decimal point only with a unit:
         ``"1.5 juta"`` → 1500000; without a unit ``"1.5"`` is ``money.ambiguous``;
       - anything else (``"1,500,000"``, ``"1.500,000.00"``, ``"15.00.000"``) is
         ``money.format``.
    7. The result must be whole rupiah (``"1,2345 rb"`` is ``money.fraction``), at least 0 and
       at most :data:`MAX_RUPIAH` (``money.too_large``).

    Examples: ``"Rp 1.500.000"``, ``"Rp1.500.000,-"``, ``"1.500.000,00"``, ``"1,5 jt"``,
    ``"1.5 juta"`` → 1500000; ``"2 M"``, ``"2 miliar"``, ``"2 milyar"`` → 2000000000;
    ``"750 rb"``, ``"750 ribu"`` → 750000.
    """
    if not isinstance(raw, str):
        raise TypeError(f"amounts are parsed from str, got {type(raw).__name__}")
    text = raw.strip().replace("\u00a0", " ")
    if not text:
        raise _error("money.empty", _("The amount is empty."), raw)

    if from_numeric_cell:
        # Decimal() also reads "٠" and "Infinity"; a spreadsheet writes ASCII digits only.
        if not _NUMERIC_CELL_RE.fullmatch(text):
            raise _format_error(raw)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _format_error(raw) from None
        if not amount.is_finite():
            raise _format_error(raw)
        return _check_range(amount, raw)

    text = _PREFIX_RE.sub("", text)
    text = _SUFFIX_RE.sub("", text)
    if text.startswith(("-", "−", "(")):
        raise _negative_error(raw)
    compact = re.sub(r"\s+", "", text)
    if _SCIENTIFIC_RE.match(compact):
        raise _error(
            "money.scientific",
            _msg(
                _(
                    "“%(value)s” is in scientific notation: format the column as a number or as text "
                    "and type the amount in full, as in 1.500.000."
                ),
                value=raw,
            ),
            raw,
        )

    multiplier = 1
    unit_match = _UNIT_RE.match(text)
    if unit_match and not unit_match.group("number").strip():
        raise _format_error(raw)
    if unit_match:
        unit = unit_match.group("unit")
        if unit in _CAPITAL_UNITS:
            multiplier = _CAPITAL_UNITS[unit]
        elif unit.lower() in _UNITS:
            multiplier = _UNITS[unit.lower()]
        else:
            raise _error(
                "money.unit",
                _msg(
                    _(
                        "“%(value)s” has the unit “%(unit)s”, which is not one of rb, ribu, jt, juta, "
                        "M, miliar, milyar, T or triliun: write the amount in full, as in 1.500.000."
                    ),
                    value=raw,
                    unit=unit,
                ),
                raw,
            )
        text = unit_match.group("number")
    number = re.sub(r"\s+", "", text)
    if not number:
        raise _format_error(raw)
    amount = _to_decimal(number, has_unit=unit_match is not None, raw=raw) * multiplier
    return _check_range(amount, raw)


def format_rupiah(amount: int) -> str:
    """Return ``amount`` (whole rupiah) in Indonesian notation: ``1500000`` → ``"Rp 1.500.000"``.

    Negative amounts (differences in reports) get a leading minus: ``"-Rp 1.500"``.
    Raises ``TypeError`` for anything but an ``int`` (``bool`` included), so a float never
    slips in.
    """
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"format_rupiah takes whole rupiah as int, got {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"
