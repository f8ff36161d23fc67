"""Headless Chromium: drill down from the province map to one enterprise, enter a value that is flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from plut.core.testing import PASSWORD
from plut.monitoring.models import Flag, Round
from plut.monitoring.services import round_create
from plut.monitoring.standard import datasets_install_standard
from plut.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drill_down_from_the_map_and_enter_a_flagged_value(page, live_server, reference_data, cast):
    page.set_default_timeout(15_000)
    base = live_server.url
    ds = {d.code: d for d in datasets_install_standard(actor=cast.admin)}["umkm-bulanan"]
    rnd = round_create(
        actor=cast.admin,
        version=ds.current_version(),
        name="Oktober 2026",
        period=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 10),
        target=Round.Target.REGION,
        region=Region.objects.get(code="61"),
    )

    start = "/monitoring/?period_type=year&period=2025"
    page.goto(base + start)
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/monitoring/**")
    assert page.locator("[data-testid=region-name]").inner_text() == "Kalimantan Barat"

    # Province map → Sambas (a click on the regency's shape).
    page.wait_for_selector("#monitoring-map[data-loaded='1']")
    with page.expect_navigation():
        page.locator("path.region-61-01").dispatch_event("click")
    assert "region=61.01" in page.url
    assert page.locator("[data-testid=kpi-sales]").inner_text() == "Rp 2.500.000.000"

    # Regency map → Paloh district.
    page.wait_for_selector("#monitoring-map[data-loaded='1']")
    with page.expect_navigation():
        page.locator("path.region-61-01-08").dispatch_event("click")
    assert page.locator("[data-testid=region-name]").inner_text() == "Paloh"

    # District → village (table) → the enterprise list → one enterprise.
    with page.expect_navigation():
        page.locator("[data-testid=children] a[data-code='61.01.08.2007']").click()
    with page.expect_navigation():
        page.locator("[data-testid=enterprise-list] a", has_text="Amplang Temajuk").click()
    assert page.locator("[data-testid=enterprise-name]").inner_text() == "Amplang Temajuk"

    # Enter October 2026: Rp 2 billion in a month against 2.5 billion a year before (208,333,333 a
    # month): more than fivefold → flagged for follow-up.
    with page.expect_navigation():
        page.click(f"[data-testid=enter-{rnd.pk}]")
    page.fill("input[name=sales]", "2.000.000.000")
    page.fill("input[name=workers]", "4")
    with page.expect_navigation():
        page.click("[data-testid=entry-form] button[type=submit]")
    assert page.url.endswith("/monitoring/flags/")
    assert page.locator("[data-testid=flag-message]").all_inner_texts() == [
        "Omzet berubah lebih dari 5 kali dibanding periode sebelumnya."
    ]
    assert Flag.objects.get().rule.code == "sales_change"
