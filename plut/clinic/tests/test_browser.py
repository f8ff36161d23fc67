"""The whole clinic path in headless Chromium, from an online request to the PLUT report of the month."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.clinic.models import Case
from plut.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    # The whole path has many steps; a stuck one should fail in 15 s, not Playwright's 30 s.
    page.set_default_timeout(15_000)
    return page


def sign_in(page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}{then}")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def submit(page, form: str) -> None:
    """Submit the form with ``data-testid=form`` and wait for the case page to load again."""
    with page.expect_navigation():
        page.locator(f"[data-testid={form}] button[type=submit]").click()
    assert not page.locator("[data-testid=form-error]").count(), page.locator("main").inner_text()


def test_an_online_request_goes_from_intake_to_the_plut_report(page, live_server, reference_data, cast):
    base = live_server.url
    user_create(
        actor=None,
        username="konsultan_sambas",
        role=Role.CONSULTANT,
        region_codes=["61.01"],
        password=PASSWORD,
        check_password=False,
    )
    today = timezone.localdate().isoformat()

    # 1. The entrepreneur asks for a consultation for their own enterprise, with consent.
    sign_in(page, base, "entrepreneur", "/clinic/request/")
    assert page.locator("select[name=enterprise] option").all_inner_texts() == ["Amplang Temajuk"]
    page.fill(
        "textarea[name=complaint]", "Kami mau pinjam modal KUR di bank untuk beli mesin, pembukuan belum ada."
    )
    page.check("[data-testid=consent]")
    with page.expect_navigation():
        page.click("[data-testid=request-submit]")
    number = page.locator("[data-testid=case-number]").inner_text()
    assert re.fullmatch(r"PLUT-\d{4}-\d{5}", number)
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "requested"
    with page.expect_navigation():
        page.click("form[action='/accounts/logout/'] button")

    # 2. The consultant of Sambas finds it in their queue and picks it up.
    sign_in(page, base, "konsultan_sambas", "/clinic/")
    row = page.locator(f"[data-testid=case-row][data-number='{number}']")
    assert row.get_attribute("data-status") == "requested"
    with page.expect_navigation():
        row.locator("a").click()
    with page.expect_navigation():
        page.click("[data-testid=pick-up]")
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "open"

    # 3. Areas: the suggestion is pre-checked; the consultant makes sure financing is among them.
    checked = page.locator("[data-testid=areas-form] input[name=areas]:checked")
    assert checked.count() >= 1
    page.check("[data-testid=areas-form] input[name=areas][value=pembiayaan]")
    submit(page, "areas-form")
    assert "Pembiayaan" in page.locator("[data-testid=areas-confirmed]").inner_text()

    # 4. The health check: every question answered, the baseline sales typed in Indonesian notation.
    names = page.eval_on_selector_all(
        "[data-testid=health-form] input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    assert len(names) >= 7
    for name in names:
        page.locator(f"[data-testid=health-form] input[name='{name}']").last.check()
    page.fill("[data-testid=health-form] input[name=annual_sales]", "Rp 100.000.000")
    submit(page, "health-form")
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "diagnosed"
    assert page.locator("[data-testid=baseline-sales]").inner_text() == "Rp 100.000.000"
    assert page.locator("#radar-chart").count() == 1

    # 5. The plan, with its agreement.
    plan = page.locator("[data-testid=plan-form]")
    plan.locator("select[name=actions-0-area]").select_option("pembiayaan")
    plan.locator("input[name=actions-0-description]").fill("Ajukan KUR ke Bank Kalbar")
    plan.locator("select[name=actions-0-owner]").select_option("consultant")
    plan.locator("input[name=actions-0-due_on]").fill(today)
    plan.locator("textarea[name=agreement_text]").fill("Pendampingan pembiayaan selama tiga bulan.")
    submit(page, "plan-form")
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "planned"

    # 6. Two sessions.
    for topic in ("Pembukuan sederhana", "Berkas pengajuan KUR"):
        page.fill("[data-testid=session-form] input[name=topic]", topic)
        page.fill("[data-testid=session-form] input[name=duration_minutes]", "60")
        submit(page, "session-form")
    assert page.locator("[data-testid=session-row]").count() == 2
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "mentoring"

    # 7. A KUR referral and its outcome.
    page.click("#referral summary")
    page.select_option("[data-testid=referral-form] select[name=kind]", "kur")
    page.fill("[data-testid=referral-form] input[name=to_name]", "Bank Kalbar Sambas")
    submit(page, "referral-form")
    outcome = page.locator("form[data-testid^=outcome-form-]")
    outcome.locator("input[type=radio][value=yes]").check()
    outcome.locator("input[name$=-amount]").fill("Rp 50.000.000")
    with page.expect_navigation():
        outcome.locator("button[type=submit]").click()
    assert page.locator("[data-testid=referral-amount]").inner_text() == "Rp 50.000.000"

    # 8. Closing the case with its outcome.
    page.fill("[data-testid=close-form] input[name=annual_sales]", "Rp 125.000.000")
    submit(page, "close-form")
    assert page.locator("[data-testid=case-status]").get_attribute("data-status") == "closed"
    assert page.locator("[data-testid=sales-after]").inner_text() == "Rp 125.000.000"
    assert Case.objects.get(number=number).status == Case.Status.CLOSED

    # 9. The PLUT report of this month shows exactly that.
    page.goto(f"{base}/clinic/report/")
    growth = (Decimal(125_000_000) - Decimal(100_000_000)) / Decimal(100_000_000) * 100
    expected_growth = f"{growth:.2f}".replace(".", ",") + "%"
    assert expected_growth == "25,00%"

    def figure(key: str) -> str:
        return page.locator(f"[data-testid=total-{key}]").inner_text()

    assert figure("assisted") == "1"
    assert figure("new") == "1"
    assert figure("sessions") == "2"
    assert figure("referrals") == "1"
    assert figure("referrals_succeeded") == "1"
    assert figure("closed") == "1"
    assert figure("growth_pct") == expected_growth
