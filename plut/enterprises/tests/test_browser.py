"""One real flow in headless Chromium: sign in, filter the registry, open an enterprise."""

from __future__ import annotations

import pytest

from plut.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_filters_and_opens_an_enterprise(page, live_server, reference_data, cast):
    page.goto(f"{live_server.url}/registry/")
    # Not signed in: sent to the Indonesian sign-in page.
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/registry/")
    assert page.locator("[data-testid=result-count]").inner_text() == "3 usaha"

    # Filtering by the border checkbox swaps the results through htmx and updates the URL.
    page.check("input[name=border]")
    page.wait_for_function("document.querySelector('[data-testid=result-count]').innerText === '2 usaha'")
    assert "border=true" in page.url
    page.select_option("select[name=regency]", "61.03")
    page.wait_for_function("document.querySelector('[data-testid=result-count]').innerText === '1 usaha'")

    page.click("text=Lada Entikong")
    page.wait_for_url(f"{live_server.url}/registry/{cast.ent_sanggau.pk}/")
    assert page.locator("[data-testid=enterprise-name]").inner_text() == "Lada Entikong"
    assert page.locator("[data-testid=size-class]").inner_text().startswith("menengah")
    assert page.locator("[data-testid=nik]").inner_text() == "************0002"
