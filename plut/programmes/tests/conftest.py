from __future__ import annotations

import io

import pytest


def make_pdf(*, js: bool = False, attachment: bool = False, launch: bool = False, text: str = "") -> bytes:
    """Return a one-page PDF made with pypdf, optionally with JavaScript, an attachment or a launch action."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if text:
        writer.add_metadata({"/Title": text})
    if js:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x');"),
            }
        )
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    if attachment:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    if launch:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def programmes(reference_data):
    from plut.programmes.defaults import MARKET, PROMOTION, load_default_programmes
    from plut.programmes.models import Programme

    load_default_programmes()
    return {"market": Programme.objects.get(code=MARKET), "promotion": Programme.objects.get(code=PROMOTION)}


@pytest.fixture
def regions(reference_data):
    from plut.regions.models import Region

    return {
        r.code: r for r in Region.objects.filter(code__in=["61.01", "61.03", "61.71", "61.03.21", "61.03.07"])
    }


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids; the UI default is Indonesian.
    from django.utils import translation

    with translation.override("en"):
        yield
