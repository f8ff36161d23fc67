"""The whole dossier of a proposal as one ZIP: every version of every document, and an index.

Layout: ``INDEKS.csv`` (one row per file: item, label, version, file in the ZIP, original name,
type, bytes, SHA-256, uploaded by, uploaded at), ``RIWAYAT.csv`` (the status history), and the
files under ``<item>/v<version>.<ext>``. Names inside the ZIP are generated, never the uploader's.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils import timezone

from plut.programmes.documents import EXTENSIONS
from plut.programmes.models import Proposal, ProposalDocument


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def dossier_entries(proposal: Proposal) -> list[tuple[str, ProposalDocument]]:
    """Return ``[(name in the ZIP, document)]`` in item and version order."""
    docs = proposal.documents.select_related("uploaded_by").order_by("item_code", "version")
    return [(f"{d.item_code}/v{d.version}.{EXTENSIONS.get(d.content_type, 'bin')}", d) for d in docs]


def dossier_zip(proposal: Proposal) -> bytes:
    """Return the ZIP bytes of ``proposal``'s dossier (see the module docstring)."""
    labels = {i.code: i.label for i in proposal.checklist.items.all()}
    labels[ProposalDocument.ENDORSEMENT_LETTER] = "Surat rekomendasi provinsi"
    index = [
        [
            "item",
            "label",
            "version",
            "file",
            "original_name",
            "content_type",
            "bytes",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, d in dossier_entries(proposal):
            with d.file.open("rb") as fh:
                zf.writestr(name, fh.read())
            index.append(
                [
                    d.item_code,
                    labels.get(d.item_code, d.item_code),
                    d.version,
                    name,
                    d.original_name,
                    d.content_type,
                    d.size_bytes,
                    d.sha256,
                    d.uploaded_by.get_username() if d.uploaded_by else "",
                    timezone.localtime(d.uploaded_at).isoformat(timespec="seconds"),
                ]
            )
        history = [["at", "from", "to", "by", "comment"]] + [
            [
                timezone.localtime(h.at).isoformat(timespec="seconds"),
                h.from_status,
                h.to_status,
                h.by.get_username() if h.by else "",
                h.note,
            ]
            for h in proposal.history.select_related("by")
        ]
        zf.writestr("INDEKS.csv", _csv(index))
        zf.writestr("RIWAYAT.csv", _csv(history))
    return buffer.getvalue()
