"""The province's endorsement letter of a market proposal, as PDF (WeasyPrint, like ``plut.clinic.pdf``).

Rendering reaches no network: the clinic's renderer allows only ``data:`` URLs.
"""

from __future__ import annotations

from django.utils import timezone

from plut.clinic.pdf import OFFICE_CITY, render_pdf
from plut.lib.dates import format_date_id
from plut.lib.money import format_rupiah


def endorsement_letter_pdf(*, proposal, actor, documents: list, note: str = "") -> bytes:
    """Return the endorsement letter (Surat Rekomendasi) of ``proposal`` listing its latest documents."""
    now = timezone.localtime()
    return render_pdf(
        "programmes/pdf/endorsement_letter.html",
        {
            "proposal": proposal,
            "regency_name": proposal.regency.name,
            "programme": proposal.programme,
            "documents": documents,
            "requested_text": format_rupiah(proposal.requested_amount_idr)
            if proposal.requested_amount_idr
            else "",
            "city": OFFICE_CITY,
            "date_text": format_date_id(now.date()),
            "signer": actor.get_full_name() or actor.get_username(),
            "note": note,
        },
    )
