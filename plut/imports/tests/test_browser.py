"""One real import in headless Chromium: upload a messy file, read its errors, download them, commit."""

from __future__ import annotations

import re

import openpyxl
import pytest

from plut.core.testing import PASSWORD
from plut.enterprises.models import Enterprise
from plut.imports.models import ImportBatch
from plut.imports.tests.files import write_csv
from plut.imports.tests.test_views import CLEAN, MESSY, _id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_uploads_a_messy_file_reads_its_errors_downloads_them_and_commits_the_valid_rows(
    page, live_server, reference_data, cast, tmp_path
):
    messy = write_csv(tmp_path / "umkm-sambas.csv", MESSY, delimiter=";")
    page.goto(f"{live_server.url}/imports/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/imports/")

    # Upload: the dry run runs inline (ImmediateBackend), so the redirect lands on a finished preview.
    page.set_input_files("[data-testid=upload-form] input[name=file]", str(messy))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    batch = ImportBatch.objects.get()
    assert page.url == f"{live_server.url}/imports/{batch.pk}/"
    page.wait_for_selector("#batch-status[data-status=previewed]")
    assert page.locator("[data-testid=count-rows]").inner_text() == "5"
    assert page.locator("[data-testid=count-created]").inner_text() == "2"
    assert page.locator("[data-testid=count-rejected]").inner_text() == "3"

    # The errors, filtered: exactly the three rejected rows, each with its reason.
    page.click("[data-testid=filter-rejected]")
    page.wait_for_url(f"{live_server.url}/imports/{batch.pk}/?outcome=rejected")
    rows = page.locator("tr[data-outcome]")
    assert [rows.nth(i).get_attribute("data-row") for i in range(rows.count())] == ["3", "5", "6"]
    assert {rows.nth(i).get_attribute("data-outcome") for i in range(rows.count())} == {"rejected"}
    assert "6.10103E+15" in page.locator("tr[data-row='3'] .error").inner_text()
    assert "61.12.01 Sungai Raya" in page.locator("tr[data-row='5'] .error").inner_text()

    # The error workbook: the regency's own rows and columns, with the reasons.
    with page.expect_download() as info:
        page.click("[data-testid=error-report]")
    download = info.value
    assert download.suggested_filename == f"baris-ditolak-{batch.pk}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert [r[0] for r in values[1:]] == [3, 5, 6]
    assert values[1][3] == "6.10103E+15"
    assert values[3][1:-1] == CLEAN

    # Commit the valid rows: two enterprises created, three rows left out.
    page.click("[data-testid=commit-valid]")
    page.wait_for_selector("#batch-status[data-status=partial]")
    assert page.locator("[data-testid=batch-status]").inner_text() == _id("valid rows committed")
    assert page.locator("[data-testid=count-created]").inner_text() == "2"
    assert page.locator("[data-testid=count-rejected]").inner_text() == "3"
    assert page.locator("[data-testid=commit-valid]").count() == 0
    assert sorted(Enterprise.objects.filter(import_rows__batch=batch).values_list("name", flat=True)) == [
        "Dodol Durian Sambas",
        "Keripik Pisang Paloh",
    ]
