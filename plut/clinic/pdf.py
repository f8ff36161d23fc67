"""PDF documents of the clinic (the mentoring agreement and the office's letters), in Indonesian.

Documents are HTML templates under ``clinic/pdf/`` rendered by WeasyPrint. Fonts are the
system's DejaVu fonts found through fontconfig (Debian ``fonts-dejavu-core``); no web font is
loaded, and the URL fetcher accepts only ``data:`` URLs, so rendering never
reaches the network whatever text a record holds.

Letters ("Surat Keterangan UMK Binaan") are numbered ``500.3/PLUT/<year>/<sequence>``, the
sequence starting at 0001 each calendar year (Asia/Pontianak), and carry a random verification
code that anyone holding the letter can check at ``/verify/<code>/``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.accounts.models import Role
from plut.accounts.scope import can_see_region
from plut.clinic.models import LETTER_CASE_STATUSES, Agreement, Case, Letter, PlanAction
from plut.core.services import audit_log_write
from plut.enterprises.models import Enterprise
from plut.enterprises.sizeclass import SizeClass
from plut.lib.dates import format_date_id
from plut.lib.money import format_rupiah
from plut.regions.models import Region

OFFICE_NAME = "Dinas Koperasi dan UKM Provinsi Kalimantan Barat"
OFFICE_UNIT = "Pusat Layanan Usaha Terpadu (PLUT)"
LETTERHEAD = f"{OFFICE_NAME} — {OFFICE_UNIT}"
OFFICE_CITY = "Pontianak"
# Archive classification code of the letter number (cooperatives and SMEs).
LETTER_CLASSIFICATION = "500.3"
LETTER_UNIT_CODE = "PLUT"

# Letters and digits that cannot be misread for each other on paper: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
# Attempts to find a free letter number and code when another letter is issued at the same moment.
_ISSUE_ATTEMPTS = 5

MSG_NOT_UMK = _(
    "The letter confirms a micro or small enterprise; this enterprise's size class is %(size)s. "
    "Record its latest figures first."
)
MSG_NOT_STAFF = _("Only a PLUT consultant of this regency or an office administrator may issue letters.")
MSG_CASE_ENTERPRISE = _("The case belongs to another enterprise.")
MSG_CASE_NOT_ASSISTED = _(
    "A letter confirming an assisted UMK can be issued only once a consultant has picked up the case "
    "(this case is %(status)s)."
)

SIZE_CLASS_ID = {SizeClass.MICRO: "Usaha Mikro", SizeClass.SMALL: "Usaha Kecil"}
OWNER_ID = {PlanAction.Owner.CONSULTANT: "Pendamping PLUT", PlanAction.Owner.ENTREPRENEUR: "Pelaku usaha"}
ACTION_STATUS_ID = {
    PlanAction.Status.TODO: "Belum dimulai",
    PlanAction.Status.DOING: "Berjalan",
    PlanAction.Status.DONE: "Selesai",
    PlanAction.Status.DROPPED: "Dibatalkan",
}


def _url_fetcher():
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render an HTML template to PDF bytes with the office letterhead in the context."""
    from weasyprint import HTML

    html = render_to_string(
        template_name, {"letterhead_office": OFFICE_NAME, "letterhead_unit": OFFICE_UNIT, **context}
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()).write_pdf()


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _region_text(region: Region) -> str:
    """Return ``"Temajuk, Kec. Paloh, Kabupaten Sambas, Kalimantan Barat"`` (lowest region first)."""
    regions = Region.objects.filter(code__in=region.ancestor_codes()).order_by("-level")
    return ", ".join(r.label for r in regions)


def _enterprise_context(enterprise: Enterprise) -> dict[str, Any]:
    kbli = enterprise.primary_kbli
    return {
        "enterprise": enterprise,
        "owner_name": enterprise.owner.full_name,
        "region_text": _region_text(enterprise.region),
        "kbli_text": f"{kbli.code} — {kbli.title}" if kbli else "",
        "size_text": SIZE_CLASS_ID.get(enterprise.size_class, ""),
    }


def agreement_pdf(agreement: Agreement) -> bytes:
    """Return the mentoring agreement (Kontrak Pendampingan) of a case as a PDF."""
    case = agreement.case
    actions = [
        {
            "area": action.area.name,
            "description": action.description,
            "owner": OWNER_ID.get(action.owner, action.owner),
            "due": format_date_id(action.due_on),
            "status": ACTION_STATUS_ID.get(action.status, action.status),
        }
        for action in case.actions.select_related("area").order_by("due_on", "id")
    ]
    accepted = ""
    if agreement.accepted_at:
        accepted_on = format_date_id(timezone.localtime(agreement.accepted_at))
        accepted = f"Disetujui oleh pelaku usaha pada {accepted_on}"
        if agreement.accepted_on_behalf:
            accepted += " (secara langsung, dicatat oleh pendamping)"
        accepted += "."
    return render_pdf(
        "clinic/pdf/agreement.html",
        {
            **_enterprise_context(case.enterprise),
            "case": case,
            "agreement": agreement,
            "consultant_name": _person_name(case.consultant),
            "areas": [area.name for area in case.areas.order_by("order", "code")],
            "actions": actions,
            "starts_text": format_date_id(agreement.starts_on),
            "ends_text": format_date_id(agreement.ends_on),
            "accepted_text": accepted,
            "today_text": format_date_id(timezone.localdate()),
            "city": OFFICE_CITY,
        },
    )


def letter_number(year: int, sequence: int) -> str:
    """Return the letter number, e.g. ``letter_number(2026, 1)`` → ``"500.3/PLUT/2026/0001"``."""
    return f"{LETTER_CLASSIFICATION}/{LETTER_UNIT_CODE}/{year}/{sequence:04d}"


def _next_sequence(year: int) -> int:
    prefix = f"{LETTER_CLASSIFICATION}/{LETTER_UNIT_CODE}/{year}/"
    numbers = Letter.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    # Compare as integers: past 9999 the text order ("10000" < "9999") would be wrong.
    return max((int(n.removeprefix(prefix)) for n in numbers), default=0) + 1


def verification_code_new() -> str:
    """Return a random verification code of ``CODE_LENGTH`` characters from ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_path(code: str) -> str:
    """Return the path where a letter's verification code is checked."""
    return f"/verify/{code}/"


def _basis_text(enterprise: Enterprise) -> str:
    """Describe the figures the size class was derived from, e.g. sales on a date in rupiah."""
    snapshot = enterprise.figures.exclude(size_class="").order_by("-as_of", "-id").first()
    if snapshot is None:
        return ""
    if snapshot.annual_sales_idr is not None:
        figure = f"hasil penjualan tahunan {format_rupiah(snapshot.annual_sales_idr)}"
    elif snapshot.capital_idr is not None:
        figure = f"modal usaha {format_rupiah(snapshot.capital_idr)}"
    else:
        return ""
    return f"{figure} (data per {format_date_id(snapshot.as_of)})"


@transaction.atomic
def letter_issue(*, actor, enterprise: Enterprise, case: Case | None = None) -> Letter:
    """Issue a "Surat Keterangan UMK Binaan" for ``enterprise``: number it, render it, store it, log it.

    Steps:

    1. Check that ``actor`` is an office administrator or a consultant whose regencies include
       the enterprise (``PermissionDenied``), that ``case`` (if given) is the enterprise's, and
       that the enterprise is micro or small (``ValidationError`` otherwise, or when unknown).
    2. Take the next number of the current year and a new verification code, render the PDF
       and insert the letter; on a clash with a letter issued at the same moment, take the next
       number and a new code and try again.
    3. Store the PDF through the default storage in ``Letter.pdf`` and write the audit row.
    """
    if actor is None or Role(actor.role) not in {Role.OFFICE_ADMIN, Role.CONSULTANT}:
        raise PermissionDenied(MSG_NOT_STAFF)
    if not can_see_region(actor, enterprise.region_path):
        raise PermissionDenied(MSG_NOT_STAFF)
    if case is not None and case.enterprise_id != enterprise.pk:
        raise ValidationError({"case": ValidationError(MSG_CASE_ENTERPRISE, code="letter.case")})
    if case is not None and case.status not in LETTER_CASE_STATUSES:
        raise ValidationError(
            MSG_CASE_NOT_ASSISTED, code="letter.not_assisted", params={"status": case.get_status_display()}
        )
    if enterprise.size_class not in SIZE_CLASS_ID:
        size = SizeClass(enterprise.size_class).label if enterprise.size_class else _("unknown")
        raise ValidationError(MSG_NOT_UMK, code="letter.not_umk", params={"size": size})
    today = timezone.localdate()
    context = {
        **_enterprise_context(enterprise),
        "case": case,
        "case_opened_text": format_date_id(timezone.localtime(case.opened_at)) if case else "",
        "basis_text": _basis_text(enterprise),
        "issued_by_name": _person_name(actor),
        "date_text": format_date_id(today),
        "city": OFFICE_CITY,
        "public_url": getattr(settings, "PLUT_PUBLIC_URL", "").rstrip("/"),
    }
    for attempt in range(_ISSUE_ATTEMPTS):
        sequence = _next_sequence(today.year)
        letter = Letter(
            kind=Letter.Kind.ASSISTED_UMK,
            number=letter_number(today.year, sequence),
            verification_code=verification_code_new(),
            enterprise=enterprise,
            case=case,
            issued_by=actor,
        )
        # Uniqueness of the number and code is left to the database, which also sees concurrent issues.
        letter.full_clean(exclude=["pdf"], validate_unique=False, validate_constraints=False)
        pdf = render_pdf(
            "clinic/pdf/letter_assisted_umk.html",
            {
                **context,
                "letter": letter,
                "verification_path": verification_path(letter.verification_code),
            },
        )
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError:
            if attempt == _ISSUE_ATTEMPTS - 1:
                raise
            continue
        break
    filename = f"umk-binaan-{today.year}-{sequence:04d}-{letter.verification_code}.pdf"
    letter.pdf.save(filename, ContentFile(pdf), save=False)
    letter.save(update_fields=["pdf"])
    audit_log_write(
        actor=actor,
        action="letter.issue",
        target=letter,
        data={"kind": letter.kind, "enterprise": enterprise.pk, "case": case.pk if case else None},
    )
    return letter


def letter_verify(code: str) -> Letter | None:
    """Return the letter with verification ``code`` (spaces, dashes and case ignored), or ``None``."""
    cleaned = re.sub(r"[\s-]", "", code or "").upper()
    if not _CODE_RE.match(cleaned):
        return None
    return (
        Letter.objects.select_related("enterprise", "enterprise__owner")
        .filter(verification_code=cleaned)
        .first()
    )
