"""Check and normalise Indonesian identifiers typed into forms or read from spreadsheets.

Every ``check_*`` function takes the text as typed (``raw``) and either returns a
:class:`Checked` (normalised ``value``, the untouched ``raw`` and a tuple of non-blocking
``warnings``) or raises :class:`IdentifierError` with a stable ``code`` and a translatable
sentence that tells the user what to fix.

Rules shared by all identifiers:

- All identifiers are strings; the typed text is kept in ``Checked.raw`` beside the
  normalised value (MISSION.md, "Domain facts").
- Surrounding whitespace (including no-break and zero-width spaces) and one leading
  apostrophe (the spreadsheet "store as text" prefix) are removed before anything else.
- Scientific notation such as ``6.10321E+15`` or ``6,10321E+15`` is always rejected
  (``<kind>.scientific``): the digits beyond the mantissa are already lost.
- ``from_numeric_cell=True`` means the text was produced from a numeric spreadsheet cell.
  Excel keeps only 15 significant digits (Microsoft, "Excel specifications and limits",
  number precision), so a value with 16 significant digits from such a cell is corrupt
  and is never repaired; values with up to 15 digits survive but lose leading zeros.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumValidationError

from plut.lib.errors import ValueRejected, lazy_message

__all__ = [
    "KALBAR_REGENCY_CODES",
    "PROVINCE_CODES",
    "Checked",
    "IdentifierError",
    "Issue",
    "check_kbli",
    "check_nib",
    "check_nik",
    "check_npwp",
    "check_phone",
    "mask_nik",
    "mask_phone",
    "nik_birth_date",
    "nik_sex",
    "phone_kind",
]


_msg = lazy_message


@dataclass(frozen=True)
class Issue:
    """A non-blocking finding about an accepted value."""

    code: str
    message: str


@dataclass(frozen=True)
class Checked:
    """An accepted identifier: the normalised ``value``, the typed ``raw`` text and any warnings."""

    value: str
    raw: str
    warnings: tuple[Issue, ...] = ()

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(issue.code for issue in self.warnings)


class IdentifierError(ValueRejected):
    """A rejected identifier, with a stable machine ``code`` and a translatable ``message``."""


# --- Shared cleaning -------------------------------------------------------------------------

_INVISIBLE = "\u00a0\u2007\u202f\u200b\u200c\u200d\ufeff"
# ASCII digits only: str.isdigit() and a plain \d also accept "٠" or "²".
_DIGITS_RE = re.compile(r"[0-9]+")
_SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$", re.ASCII)
_FLOAT_ARTEFACT_RE = re.compile(r"^(\d+)\.0+$", re.ASCII)


def _is_digits(text: str) -> bool:
    return bool(_DIGITS_RE.fullmatch(text))


def _strip(raw: str) -> str:
    """Remove surrounding whitespace and one leading apostrophe (the spreadsheet text prefix)."""
    if not isinstance(raw, str):
        raise TypeError(f"identifiers are checked as str, got {type(raw).__name__}")
    text = raw.strip().strip(_INVISIBLE).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def _compact(text: str, separators: str = " .-") -> str:
    for char in separators + _INVISIBLE:
        text = text.replace(char, "")
    return text


def _reject_empty(kind: str, text: str, raw: str, label) -> None:
    if not text:
        raise IdentifierError(f"{kind}.empty", _msg(_("The %(label)s is empty."), label=label), raw)


def _reject_scientific(kind: str, text: str, raw: str, label) -> None:
    if _SCIENTIFIC_RE.match(text.replace(" ", "")):
        raise IdentifierError(
            f"{kind}.scientific",
            _msg(
                _(
                    "The %(label)s “%(value)s” is in scientific notation, so its last digits are "
                    "lost: format the column as text and re-enter the number from the source document."
                ),
                label=label,
                value=text,
            ),
            raw,
        )


# --- NIK -------------------------------------------------------------------------------------

# Kemendagri province codes (Kepmendagri 300.2.2-2138/2025, 38 provinces). python-stdnum's
# id/loc table uses BPS codes for Papua (94 Papua, 91 Papua Barat) and lacks 65 (Kalimantan
# Utara) and the 2022 Papua provinces, so it is not used to judge a NIK's region.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36", "51", "52", "53",
        "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
        "81", "82", "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

# Kemendagri regency/city codes of Kalimantan Barat (61.01-61.12, 61.71, 61.72; Kepmendagri 2025).
# These differ from the BPS numbering (for example Sanggau is 61.03, BPS 6105).
KALBAR_REGENCY_CODES = frozenset({f"{n:02d}" for n in range(1, 13)} | {"71", "72"})

_NIK_LABEL = _("NIK")


def _nik_date_parts(nik: str) -> tuple[int, int, int]:
    """Return (day, month, two-digit year) with the +40 for women removed, or raise nik.date."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 41 <= day <= 71:
        day -= 40
    elif not 1 <= day <= 31:
        day = 0
    return day, month, year


def _nik_date_error(nik: str, raw: str) -> IdentifierError:
    return IdentifierError(
        "nik.date",
        _msg(
            _(
                "The NIK %(value)s does not contain a valid birth date in digits 7-12 (DDMMYY, "
                "with 40 added to the day for women): check the number against the KTP."
            ),
            value=nik,
        ),
        raw,
    )


def nik_birth_date(nik: str, *, today: date | None = None) -> date:
    """Return the birth date encoded in a 16-digit NIK.

    Digits 7-12 are ``DDMMYY``; women have 40 added to the day (41-71). The year has two
    digits: the most recent century that does not put the birth date after ``today`` is
    chosen (so ``05`` is 2005 in 2025, ``45`` is 1945). Raises :class:`IdentifierError`
    (``nik.length``/``nik.date``) when the number is not 16 digits or the date does not exist.
    python-stdnum's ``get_birth_date`` is not used: it prefers the 1900s and takes the day
    modulo 40, so it accepts day 81 as the 1st.
    """
    digits = _compact(nik.strip())
    if len(digits) != 16 or not _is_digits(digits):
        raise _nik_length_error(digits, nik)
    day, month, year = _nik_date_parts(digits)
    today = today or date.today()  # noqa: DTZ011 (a calendar date, no time zone involved)
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    raise _nik_date_error(digits, nik)


def nik_sex(nik: str) -> str:
    """Return ``"F"`` when the NIK's birth day has 40 added (women), else ``"M"``."""
    digits = _compact(nik.strip())
    if len(digits) != 16 or not _is_digits(digits):
        raise _nik_length_error(digits, nik)
    return "F" if int(digits[6:8]) > 40 else "M"


def _nik_length_error(digits: str, raw: str) -> IdentifierError:
    return IdentifierError(
        "nik.length",
        _msg(
            _("A NIK has 16 digits; “%(value)s” has %(count)d: check the number against the KTP."),
            value=digits,
            count=len(digits),
        ),
        raw,
    )


def _nik_numeric_cell_error(raw: str) -> IdentifierError:
    return IdentifierError(
        "nik.numeric_cell",
        _msg(
            _(
                "The NIK “%(value)s” was read from a number cell, and spreadsheets keep only 15 of "
                "its 16 digits, so it cannot be trusted: format the column as text and re-enter the "
                "NIK from the KTP."
            ),
            value=raw.strip(),
        ),
        raw,
    )


def check_nik(
    raw: str,
    *,
    from_numeric_cell: bool = False,
    province_code: str = "61",
    known_district_codes: Collection[str] | None = None,
) -> Checked:
    """Check a NIK (Nomor Induk Kependudukan) and return it as 16 digits.

    Shape: ``PPKKCC DDMMYY SSSS`` (UU 24/2013 Pasal 13: one NIK per person for life;
    structure as documented by python-stdnum ``stdnum.id.nik`` and id.wikipedia "Nomor Induk
    Kependudukan"). ``PPKKCC`` is the province, regency and district where the NIK was first
    issued, never the domicile. ``DD`` has 40 added for women. ``SSSS`` is a serial from 0001.

    Steps:

    1. Strip whitespace and the text apostrophe; reject empty (``nik.empty``), scientific
       notation (``nik.scientific``) and the float artefact ``….0`` (``nik.numeric_cell``).
    2. Remove spaces, dots and dashes; reject other characters (``nik.format``).
    3. ``from_numeric_cell`` with 16 significant digits: the spreadsheet kept only 15, so the
       value is corrupt (``nik.numeric_cell``), never repaired.
    4. Exactly 16 digits (``nik.length``).
    5. Province ``PP`` must be a Kemendagri province code, regency ``KK`` and district ``CC``
       not ``00``; inside Kalimantan Barat ``KK`` must be one of the 14 regencies/cities
       (``nik.region``). python-stdnum's region table is BPS-coded and incomplete, see
       :data:`PROVINCE_CODES`.
    6. ``DDMMYY`` must be a real date, day 01-31 or 41-71 (``nik.date``).
    7. Serial ``0000`` is rejected (``nik.serial``): serials start at 0001, and python-stdnum
       does not check this.

    Warnings: ``nik.outside_province`` when ``PP`` is not ``province_code`` (allowed: the
    owner's NIK was first issued elsewhere); ``nik.unknown_district`` when
    ``known_district_codes`` (``"61.01.08"`` or ``"610108"`` forms) is given and an in-province
    ``PPKKCC`` is not in it.
    """
    text = _strip(raw)
    _reject_empty("nik", text, raw, _NIK_LABEL)
    _reject_scientific("nik", text, raw, _NIK_LABEL)
    if _FLOAT_ARTEFACT_RE.match(text):
        raise _nik_numeric_cell_error(raw)
    digits = _compact(text)
    if not _is_digits(digits):
        raise IdentifierError(
            "nik.format",
            _msg(
                _("A NIK contains only digits; “%(value)s” has other characters: type the 16 digits."),
                value=text,
            ),
            raw,
        )
    if from_numeric_cell and len(digits.lstrip("0")) >= 16:
        raise _nik_numeric_cell_error(raw)
    if len(digits) != 16:
        raise _nik_length_error(digits, raw)

    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    if (
        province not in PROVINCE_CODES
        or regency == "00"
        or district == "00"
        or (province == "61" and regency not in KALBAR_REGENCY_CODES)
    ):
        raise IdentifierError(
            "nik.region",
            _msg(
                _(
                    "The NIK %(value)s starts with %(region)s, which is not a Kemendagri province, "
                    "regency and district code: check the first six digits against the KTP."
                ),
                value=digits,
                region=f"{province}.{regency}.{district}",
            ),
            raw,
        )
    try:
        nik_birth_date(digits)
    except IdentifierError:
        raise _nik_date_error(digits, raw) from None
    if digits[12:] == "0000":
        raise IdentifierError(
            "nik.serial",
            _msg(
                _(
                    "The NIK %(value)s ends in 0000, but serial numbers start at 0001: check the "
                    "last four digits against the KTP."
                ),
                value=digits,
            ),
            raw,
        )

    warnings: list[Issue] = []
    if province != province_code:
        warnings.append(
            Issue(
                "nik.outside_province",
                _msg(
                    _(
                        "The NIK %(value)s was first issued outside the province (code %(province)s); "
                        "this is allowed, as the NIK shows where it was issued, not where the person lives."
                    ),
                    value=digits,
                    province=province,
                ),
            )
        )
    elif known_district_codes is not None:
        known = {_compact(code) for code in known_district_codes}
        if digits[:6] not in known:
            warnings.append(
                Issue(
                    "nik.unknown_district",
                    _msg(
                        _(
                            "The NIK %(value)s starts with district code %(district)s, which is not in "
                            "the district table; the district may have been split or renamed since."
                        ),
                        value=digits,
                        district=f"{province}.{regency}.{district}",
                    ),
                )
            )
    return Checked(value=digits, raw=raw, warnings=tuple(warnings))


def mask_nik(nik: str) -> str:
    """Return the NIK with its district, birth date and sex hidden: ``6103********0001``.

    The first four digits (province and regency of issue) and the serial stay visible so staff
    can tell records apart; digits 5-12 (district, birth date, sex) are personal data under
    UU 27/2022 (PDP). Values that are not 16 characters are masked entirely but for the last 2.
    """
    digits = _compact(nik.strip())
    if len(digits) != 16:
        return "*" * max(len(digits) - 2, 0) + digits[-2:]
    return digits[:4] + "*" * 8 + digits[12:]


# --- NIB -------------------------------------------------------------------------------------

_NIB_LABEL = _("NIB")


def check_nib(raw: str, *, from_numeric_cell: bool = False) -> Checked:
    """Check a NIB (Nomor Induk Berusaha) and return it as 13 digits.

    Shape: 13 digits, issued by OSS as the business actor's identity, one per actor, covering
    all its KBLI codes (PP 5/2021 on risk-based business licensing, definitions in Pasal 1;
    the 13-digit length is what OSS issues, not a number fixed in the regulation).
    OSS publishes no check digit, so only the shape is checked.

    Steps: strip; reject empty (``nib.empty``) and scientific notation (``nib.scientific``).
    A trailing ``.0`` (float artefact) is removed only when ``from_numeric_cell`` is true, with
    the warning ``nib.float_artefact`` (13 digits fit Excel's 15 significant digits, so the
    value is intact, but the column should be text); as typed text it is an error
    (``nib.format``). Spaces, dots and dashes are removed; anything else but digits is
    ``nib.format``; a length other than 13 is ``nib.length``.
    """
    text = _strip(raw)
    _reject_empty("nib", text, raw, _NIB_LABEL)
    _reject_scientific("nib", text, raw, _NIB_LABEL)
    warnings: list[Issue] = []
    artefact = _FLOAT_ARTEFACT_RE.match(text)
    if artefact and from_numeric_cell:
        text = artefact.group(1)
        warnings.append(
            Issue(
                "nib.float_artefact",
                _msg(
                    _(
                        "The NIB %(value)s was read from a number cell and “.0” was removed; format the "
                        "column as text to keep identifiers intact."
                    ),
                    value=text,
                ),
            )
        )
    digits = _compact(text)
    if artefact and not from_numeric_cell or not _is_digits(digits):
        raise IdentifierError(
            "nib.format",
            _msg(
                _("A NIB contains only digits; “%(value)s” has other characters: type the 13 digits."),
                value=text,
            ),
            raw,
        )
    if len(digits) != 13:
        raise IdentifierError(
            "nib.length",
            _msg(
                _(
                    "A NIB has 13 digits; “%(value)s” has %(count)d: copy it from the OSS NIB "
                    "document, and if the column was a number, format it as text so leading zeros stay."
                ),
                value=digits,
                count=len(digits),
            ),
            raw,
        )
    return Checked(value=digits, raw=raw, warnings=tuple(warnings))


# --- NPWP ------------------------------------------------------------------------------------

_NPWP_LABEL = _("NPWP")


def _npwp_check_digit_ok(digits15: str) -> bool:
    """Return whether digit 9 of a 15-digit NPWP is the Luhn check digit over digits 1-9."""
    try:
        luhn.validate(digits15[:9])
    except StdnumValidationError:
        return False
    return True


def _npwp_check_digit_error(digits: str, raw: str) -> IdentifierError:
    return IdentifierError(
        "npwp.check_digit",
        _msg(
            _(
                "The NPWP %(value)s fails its check digit (the 9th digit of the old 15-digit number): "
                "check the number against the NPWP card."
            ),
            value=digits,
        ),
        raw,
    )


def check_npwp(raw: str, *, from_numeric_cell: bool = False) -> Checked:
    """Check an NPWP (Nomor Pokok Wajib Pajak) and return it as digits only.

    Shapes (PMK 112/PMK.03/2022 as amended by PMK 136/2023; stdnum ``stdnum.id.npwp``):

    - 15 digits, the old format ``99.999.999.9-999.999``: digit 9 is a Luhn check digit over
      digits 1-9 (``npwp.check_digit``).
    - 16 digits starting with ``0``: the old number with a leading ``0`` (same check digit).
    - 16 digits not starting with ``0``: an individual's NIK, checked with :func:`check_nik`
      (``npwp.nik_invalid``).

    The 15- and 16-digit forms are kept as given, not converted into each other.

    Repair: a 14-digit value is an old NPWP that lost its leading ``0`` in a number cell; the
    ``0`` is prepended only when the check digit then validates, with the warning
    ``npwp.repaired_leading_zero`` naming the original. The check digit catches 9 in 10
    random errors, not all of them, which is why the warning is kept.

    A 16-digit value from a number cell has 16 significant digits, more than Excel keeps, so
    it is rejected (``npwp.numeric_cell``). A trailing ``.0`` is removed when
    ``from_numeric_cell`` (warning ``npwp.float_artefact``), otherwise ``npwp.format``.
    Other errors: ``npwp.empty``, ``npwp.scientific``, ``npwp.format``, ``npwp.length``.
    """
    text = _strip(raw)
    _reject_empty("npwp", text, raw, _NPWP_LABEL)
    _reject_scientific("npwp", text, raw, _NPWP_LABEL)
    warnings: list[Issue] = []
    artefact = _FLOAT_ARTEFACT_RE.match(text)
    if artefact and from_numeric_cell:
        text = artefact.group(1)
        warnings.append(
            Issue(
                "npwp.float_artefact",
                _msg(
                    _(
                        "The NPWP %(value)s was read from a number cell and “.0” was removed; format "
                        "the column as text to keep identifiers intact."
                    ),
                    value=text,
                ),
            )
        )
    digits = _compact(text)
    if artefact and not from_numeric_cell or not _is_digits(digits):
        raise IdentifierError(
            "npwp.format",
            _msg(
                _(
                    "An NPWP contains only digits, dots and dashes; “%(value)s” has other characters: "
                    "type it as 99.999.999.9-999.999 or as 16 digits."
                ),
                value=text,
            ),
            raw,
        )
    if from_numeric_cell and len(digits.lstrip("0")) >= 16:
        raise IdentifierError(
            "npwp.numeric_cell",
            _msg(
                _(
                    "The NPWP “%(value)s” was read from a number cell, and spreadsheets keep only 15 "
                    "of its 16 digits, so it cannot be trusted: format the column as text and re-enter "
                    "the NPWP from the card."
                ),
                value=digits,
            ),
            raw,
        )
    if len(digits) == 15:
        if not _npwp_check_digit_ok(digits):
            raise _npwp_check_digit_error(digits, raw)
    elif len(digits) == 16 and digits.startswith("0"):
        if not _npwp_check_digit_ok(digits[1:]):
            raise _npwp_check_digit_error(digits, raw)
    elif len(digits) == 16:
        try:
            check_nik(digits, province_code=digits[:2])
        except IdentifierError as error:
            raise IdentifierError(
                "npwp.nik_invalid",
                _msg(
                    _(
                        "A 16-digit NPWP that does not start with 0 is the holder's NIK, and "
                        "%(value)s is not a valid NIK. %(reason)s"
                    ),
                    value=digits,
                    reason=error.message,
                ),
                raw,
            ) from error
    elif len(digits) == 14 and _npwp_check_digit_ok("0" + digits):
        original = digits
        digits = "0" + digits
        warnings.append(
            Issue(
                "npwp.repaired_leading_zero",
                _msg(
                    _(
                        "The NPWP %(original)s had 14 digits; its leading 0 was restored to give "
                        "%(value)s, which the check digit confirms. Format the column as text."
                    ),
                    original=original,
                    value=digits,
                ),
            )
        )
    else:
        raise IdentifierError(
            "npwp.length",
            _msg(
                _(
                    "An NPWP has 15 digits (old format) or 16 digits; “%(value)s” has %(count)d: "
                    "copy it from the NPWP card."
                ),
                value=digits,
                count=len(digits),
            ),
            raw,
        )
    return Checked(value=digits, raw=raw, warnings=tuple(warnings))


# --- KBLI ------------------------------------------------------------------------------------

_KBLI_LABEL = _("KBLI code")


def check_kbli(
    raw: str,
    *,
    from_numeric_cell: bool = False,
    known_codes: Collection[str] | None = None,
) -> Checked:
    """Check a KBLI 2020 business-activity code and return it as a 5-character string.

    Shape: the 5-digit "kelompok" level of KBLI 2020 (Peraturan BPS 2/2020), the level OSS
    uses for licences; e.g. ``01111``, ``10792``, ``47111``. Codes are strings: the 243 codes
    of section A start with ``0``.

    Steps: strip; reject empty (``kbli.empty``) and scientific notation (``kbli.scientific``);
    remove a trailing ``.0`` when ``from_numeric_cell``; remove spaces and dots; reject
    non-digits (``kbli.format``). A 4-digit value from a number cell is zero-padded only when
    the padded code is in ``known_codes`` (warning ``kbli.zero_padded``); any other length than
    5 is ``kbli.length`` (a typed 4-digit value is a KBLI 2020 "subgolongan" or an old code,
    not a 5-digit code). With ``known_codes``, a code not in it is ``kbli.unknown``.
    """
    text = _strip(raw)
    _reject_empty("kbli", text, raw, _KBLI_LABEL)
    _reject_scientific("kbli", text, raw, _KBLI_LABEL)
    artefact = _FLOAT_ARTEFACT_RE.match(text)
    if artefact and from_numeric_cell:
        text = artefact.group(1)
    code = _compact(text, " .")
    if not _is_digits(code):
        raise IdentifierError(
            "kbli.format",
            _msg(
                _("A KBLI 2020 code has 5 digits; “%(value)s” has other characters: type the 5 digits."),
                value=text,
            ),
            raw,
        )
    warnings: list[Issue] = []
    if len(code) == 4 and from_numeric_cell and known_codes is not None and "0" + code in known_codes:
        warnings.append(
            Issue(
                "kbli.zero_padded",
                _msg(
                    _(
                        "The KBLI code %(original)s lost its leading 0 in a number cell and was read as "
                        "%(value)s; format the column as text."
                    ),
                    original=code,
                    value="0" + code,
                ),
            )
        )
        code = "0" + code
    if len(code) != 5:
        raise IdentifierError(
            "kbli.length",
            _msg(
                _(
                    "A KBLI 2020 code has 5 digits; “%(value)s” has %(count)d: choose the 5-digit "
                    "code from the KBLI 2020 list."
                ),
                value=code,
                count=len(code),
            ),
            raw,
        )
    if known_codes is not None and code not in known_codes:
        raise IdentifierError(
            "kbli.unknown",
            _msg(
                _("%(value)s is not a KBLI 2020 code: choose the code from the KBLI 2020 list."),
                value=code,
            ),
            raw,
        )
    return Checked(value=code, raw=raw, warnings=tuple(warnings))


# --- Phones ----------------------------------------------------------------------------------

_PHONE_LABEL = _("phone number")
_PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ().\-/]+$")
_PHONE_KINDS = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared_cost",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "uan",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
}


def _phone_invalid(text: str, raw: str) -> IdentifierError:
    return IdentifierError(
        "phone.invalid",
        _msg(
            _(
                "“%(value)s” is not a valid phone number: type an Indonesian number as 0812-3456-7890 "
                "or 0561 123456, and a foreign one with its country code, such as +60 12-345 6789."
            ),
            value=text,
        ),
        raw,
    )


def _parse_valid(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def check_phone(raw: str, *, from_numeric_cell: bool = False, default_region: str = "ID") -> Checked:
    """Check a phone number and return it in E.164 (``+6281234567890``).

    Parsing and validity come from ``phonenumbers`` (Google libphonenumber metadata; ITU-T
    E.164). Accepted forms, with ``default_region="ID"``:

    - national ``0812-3456-7890`` and landlines with area code ``0561 123456`` (Pontianak);
    - international ``+62 812 3456 7890``, ``+60 12-345 6789`` (Malaysia), and ``62812…``
      with the ``+`` lost;
    - a national number without its trunk ``0`` (``812345678``, ``561123456``), as left by a
      number cell: the ``0`` is restored, warning ``phone.trunk_zero_restored``;
    - a float artefact ``8123456789.0``: the ``.0`` is removed first, warning
      ``phone.float_artefact`` (phone numbers fit Excel's 15 significant digits);
    - ``60…`` without ``+``: Indonesian numbers never start with ``060``, so when the digits are
      not a valid number in ``default_region`` but are a valid Malaysian number after ``+``,
      they are read as Malaysian (a number cell drops the ``+``), warning
      ``phone.country_code_assumed``. Other ``<country code>…`` forms without ``+`` are not
      guessed.

    Errors: ``phone.empty``, ``phone.scientific``, ``phone.format`` (letters or other
    characters), ``phone.invalid`` (``phonenumbers.is_valid_number`` is false).

    ``from_numeric_cell`` is accepted for a uniform signature and changes nothing: phone
    numbers fit in 15 significant digits, and the repairs above (with their warnings) apply
    to typed text too, where the same slips occur.
    """
    text = _strip(raw)
    _reject_empty("phone", text, raw, _PHONE_LABEL)
    _reject_scientific("phone", text, raw, _PHONE_LABEL)
    warnings: list[Issue] = []
    artefact = re.match(r"^(\+?[0-9]+)\.0$", text)
    if artefact:
        text = artefact.group(1)
        warnings.append(
            Issue(
                "phone.float_artefact",
                _msg(
                    _(
                        "The phone number %(value)s was read from a number cell and “.0” was removed; "
                        "format the column as text."
                    ),
                    value=text,
                ),
            )
        )
    if not _PHONE_CHARS_RE.match(text):
        raise IdentifierError(
            "phone.format",
            _msg(
                _(
                    "“%(value)s” contains characters that are not part of a phone number: type only "
                    "digits, spaces, dashes and a leading +."
                ),
                value=text,
            ),
            raw,
        )
    digits = re.sub(r"[^0-9]", "", text)
    has_plus = text.startswith("+")
    number = _parse_valid(text, default_region)
    if number is None and not has_plus and digits.startswith("60"):
        number = _parse_valid("+" + digits, None)
        if number is not None and phonenumbers.region_code_for_number(number) == "MY":
            warnings.append(
                Issue(
                    "phone.country_code_assumed",
                    _msg(
                        _(
                            "The phone number %(original)s was read as the Malaysian number %(value)s; "
                            "type foreign numbers with a leading +."
                        ),
                        original=digits,
                        value=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                    ),
                )
            )
        else:
            number = None
    if number is None:
        raise _phone_invalid(text, raw)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    trunk = phonenumbers.country_code_for_region(default_region)
    national = phonenumbers.national_significant_number(number)
    if (
        not has_plus
        and number.country_code == trunk
        and digits == national
        and phonenumbers.region_code_for_number(number) == default_region
    ):
        # The digits are the bare national number: neither the trunk 0 nor the country code was typed.
        warnings.append(
            Issue(
                "phone.trunk_zero_restored",
                _msg(
                    _(
                        "The phone number %(original)s had lost its leading 0 and was read as %(value)s; "
                        "format the column as text."
                    ),
                    original=digits,
                    value=e164,
                ),
            )
        )
    return Checked(value=e164, raw=raw, warnings=tuple(warnings))


def phone_kind(e164: str) -> str:
    """Return the line type of an E.164 number: ``"mobile"``, ``"fixed"``, … or ``"unknown"``.

    Indonesian numbers are told apart by prefix (``+628…`` mobile, ``+62<area code>…``
    landline) per the ``phonenumbers`` metadata.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "unknown"
    return _PHONE_KINDS.get(phonenumbers.number_type(number), "unknown")


def mask_phone(e164: str) -> str:
    """Return an E.164 number with its middle hidden: ``+6281234567890`` → ``+62812****7890``.

    The country code, the first 3 national digits (operator or area code) and the last 4
    digits stay visible; a phone number is personal data under UU 27/2022 (PDP).
    """
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "*" * max(len(e164) - 2, 0) + e164[-2:]
    national = phonenumbers.national_significant_number(number)
    if len(national) <= 7:
        masked = "*" * (len(national) - 2) + national[-2:]
    else:
        masked = national[:3] + "*" * (len(national) - 7) + national[-4:]
    return f"+{number.country_code}{masked}"
