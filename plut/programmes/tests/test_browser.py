"""A border-market proposal in headless Chromium, from the Sanggau officer's draft to the ministry's approval."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from plut.core.testing import PASSWORD
from plut.programmes.defaults import load_default_programmes
from plut.programmes.models import Proposal
from plut.programmes.tests.conftest import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


def sign_in(page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}{then}")
    if "/accounts/login/" not in page.url:
        with page.expect_navigation():
            page.click("form[action='/accounts/logout/'] button")
        page.goto(f"{base}{then}")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def status(page) -> str:
    return page.locator("[data-testid=proposal-status]").get_attribute("data-status")


def upload(page, item: str, name: str, data: bytes) -> None:
    page.select_option("[data-testid=upload-form] select[name=item_code]", item)
    page.set_input_files(
        "[data-testid=upload-form] input[name=file]",
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}],
    )
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    assert not page.locator("[data-testid=form-error]").count(), page.locator("main").inner_text()


def move(page, to: str, note: str = "", amount: str = "") -> None:
    form = page.locator(f"[data-testid=move-{to}]")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if amount:
        form.locator("input[name=amount_idr]").fill(amount)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert not page.locator("[data-testid=move-error]").count(), page.locator("main").inner_text()
    assert status(page) == to


def test_a_sanggau_market_proposal_from_draft_to_approval(page, live_server, reference_data, cast):
    load_default_programmes()
    base = live_server.url

    # 1. The Sanggau officer drafts the proposal, uploads the three documents and submits.
    sign_in(page, base, "officer_sanggau", "/programmes/proposals/new/")
    # The officer can only propose for their own regency.
    assert page.locator("select[name=regency] option").all_inner_texts() == ["Kabupaten Sanggau (61.03)"]
    page.fill("input[name=title]", "Pasar Rakyat Perbatasan Entikong")
    page.fill("input[name=location]", "Desa Entikong, Kecamatan Entikong")
    page.fill("input[name=requested_amount_idr]", "7,5 M")
    with page.expect_navigation():
        page.click("[data-testid=proposal-form] button[type=submit]")
    assert status(page) == "draft"
    proposal_url = page.url
    upload(page, "proposal_letter", "Proposal Bupati.pdf", make_pdf(text="proposal"))
    upload(page, "ded", "DED v1.pdf", make_pdf(text="DED 1"))
    upload(page, "land_grant", "Surat hibah lahan.pdf", make_pdf(text="hibah"))
    move(page, "submitted", note="Dokumen lengkap.")

    # 2. The office administrator reviews and returns it.
    sign_in(page, base, "admin", proposal_url.removeprefix(base))
    move(page, "under_review")
    move(page, "returned", note="DED belum memuat rencana anggaran biaya (RAB).")

    # 3. The officer uploads a new DED version and submits again.
    sign_in(page, base, "officer_sanggau", proposal_url.removeprefix(base))
    upload(page, "ded", "DED v2 dengan RAB.pdf", make_pdf(text="DED 2"))
    assert page.locator("[data-testid=doc-ded]").get_attribute("data-versions") == "2"
    move(page, "submitted", note="RAB ditambahkan.")

    # 4. The office endorses (the letter is generated) and sends it to the ministry.
    sign_in(page, base, "admin", proposal_url.removeprefix(base))
    move(page, "under_review")
    move(page, "endorsed", note="Layak diteruskan.")
    assert page.locator("[data-testid=doc-endorsement_letter]").count() == 1
    move(page, "sent_to_ministry")

    # 5. A ministry reviewer reviews and approves with an amount.
    sign_in(page, base, "ministry", proposal_url.removeprefix(base))
    move(page, "ministry_review")
    move(page, "approved", note="Disetujui.", amount="6 M")
    assert page.locator("[data-testid=approved-amount]").inner_text() == "Rp 6.000.000.000"

    # 6. The dossier holds both DED versions and the endorsement letter.
    with page.expect_download() as info:
        page.click("[data-testid=dossier]")
    data = Path(info.value.path()).read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert {"ded/v1.pdf", "ded/v2.pdf", "endorsement_letter/v1.pdf", "INDEKS.csv"} <= set(names)
    assert zf.read("ded/v1.pdf") == make_pdf(text="DED 1")
    assert zf.read("ded/v2.pdf") == make_pdf(text="DED 2")
    assert zf.read("endorsement_letter/v1.pdf").startswith(b"%PDF-")

    p = Proposal.objects.get()
    assert (p.status, p.approved_amount_idr) == ("approved", 6_000_000_000)
    assert list(p.history.values_list("to_status", "by__username")) == [
        ("submitted", "officer_sanggau"),
        ("under_review", "admin"),
        ("returned", "admin"),
        ("submitted", "officer_sanggau"),
        ("under_review", "admin"),
        ("endorsed", "admin"),
        ("sent_to_ministry", "admin"),
        ("ministry_review", "ministry"),
        ("approved", "ministry"),
    ]
