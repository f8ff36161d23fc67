"""In headless Chromium: record a market survey on the phone form, see the dependency index of the
district change on the border dashboard, and refer an exporting enterprise to the clinic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from plut.border import services
from plut.border.models import BrandingReferral, Observation
from plut.clinic.models import Case
from plut.core.testing import PASSWORD
from plut.reference.models import Commodity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


def test_a_survey_updates_the_dependency_index_and_the_branding_list_opens_a_clinic_case(
    page, live_server, reference_data, cast
):
    base = live_server.url
    services.border_seed()
    today = timezone.localdate()
    services.rate_record(actor=cast.admin, on_date=today, idr_per_unit=Decimal("3500"), source="test")
    gula = Commodity.objects.get(name="Gula Konsumsi")
    minyak = Commodity.objects.get(name="Minyak Goreng Kemasan")

    page.goto(f"{base}/border/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{base}/border/"
    # No survey yet: Entikong (61.03.21) has no row.
    assert page.locator("[data-testid=dependency-61\\.03\\.21]").count() == 0
    page.wait_for_selector("#border-map[data-loaded=true]")

    # 1. Record a survey at the PLBN Entikong market: two Malaysian items and one Indonesian.
    with page.expect_navigation():
        page.click("[data-testid=survey-new]")
    page.select_option("select[name=market]", label="Pasar PLBN Entikong")
    page.fill("input[name=surveyed_on]", today.isoformat())
    rows = [
        (gula, "MY", "4.20", "MYR", "MYR"),
        (gula, "ID", "16000", "IDR", "IDR"),
        (minyak, "MY", "6", "MYR", "MYR"),
    ]
    for i, (commodity, origin, price, currency, paid) in enumerate(rows):
        page.select_option(f"select[name=obs-{i}-commodity]", value=str(commodity.pk))
        page.select_option(f"select[name=obs-{i}-origin]", value=origin)
        page.fill(f"input[name=obs-{i}-price]", price)
        page.select_option(f"select[name=obs-{i}-currency]", value=currency)
        page.select_option(f"select[name=obs-{i}-paid_currency]", value=paid)
    with page.expect_navigation():
        page.click("[data-testid=survey-submit]")
    assert not page.locator("[data-testid=form-error]").count(), page.locator("main").inner_text()
    assert page.url == f"{base}/border/"
    # 2 Malaysian of 3 staples on sale: 100 × 2/3 = 66.67 %.
    cell = page.locator("[data-testid=dependency-61\\.03\\.21]")
    assert cell.get_attribute("data-value") == "66.67"
    assert list(Observation.objects.order_by("id").values_list("price_idr", flat=True)) == [
        14700,
        16000,
        21000,
    ]

    # 2. A second survey the same day with an Indonesian item brings it down: 2 of 4 = 50.00 %.
    with page.expect_navigation():
        page.click("[data-testid=survey-new]")
    page.select_option("select[name=market]", label="Pasar PLBN Entikong")
    page.select_option("select[name=obs-0-commodity]", value=str(minyak.pk))
    page.select_option("select[name=obs-0-origin]", value="ID")
    page.fill("input[name=obs-0-price]", "20000")
    with page.expect_navigation():
        page.click("[data-testid=survey-submit]")
    assert page.locator("[data-testid=dependency-61\\.03\\.21]").get_attribute("data-value") == "50.00"
    # The map's district layer shows the same figure.
    page.wait_for_selector("#border-map[data-loaded=true]")

    # 3. The branding list: Amplang Temajuk sells across the border, repackaged, with no trademark,
    #    no P-IRT/halal and no own packaging. One click opens a clinic case.
    row = page.locator("[data-testid=branding-row][data-enterprise='Amplang Temajuk']")
    assert "merek" in row.inner_text().lower() or "trademark" in row.inner_text().lower()
    with page.expect_navigation():
        row.locator("[data-testid=branding-refer]").click()
    assert "/clinic/" in page.url
    case = Case.objects.get(enterprise=cast.ent_sambas)
    assert case.channel == Case.Channel.REFERRAL
    assert case.status == Case.Status.OPEN
    assert page.locator("[data-testid=case-number]").inner_text() == case.number
    referral = BrandingReferral.objects.get()
    assert (referral.case_id, referral.missing) == (case.pk, ["trademark", "pirt_or_halal", "own_packaging"])

    # Back on the dashboard the row links to the case instead of offering a second one.
    page.goto(f"{base}/border/")
    row = page.locator("[data-testid=branding-row][data-enterprise='Amplang Temajuk']")
    assert row.locator("[data-testid=branding-case]").inner_text() == case.number
    assert row.locator("[data-testid=branding-refer]").count() == 0
