"""Shared pytest fixtures.

``reference_data`` gives a test the real shipped reference data (regions, boundaries, border tables, KBLI,
staple prices). The data is loaded once per test session (per xdist worker) and committed to the test
database, so it stays for the rest of the session: tests that build their own regions should request
``reference_data`` and use the real codes rather than create regions in province 61. A transactional test
flushes the tables when it ends; the next test asking for ``reference_data`` loads them again.
"""

from __future__ import annotations

from typing import Any

import pytest


def _ensure_reference_data() -> dict[str, Any]:
    from plut.regions.models import Region
    from plut.regions.resolver import invalidate_region_index
    from plut.regions.services import load_all_reference

    result = {} if Region.objects.filter(code="61").exists() else load_all_reference()
    invalidate_region_index()
    return result


@pytest.fixture(scope="session")
def reference_data_session(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """Load the shipped reference data into the test database once per session; return the load counts."""
    from plut.regions.services import load_all_reference

    with django_db_blocker.unblock():
        return load_all_reference()


@pytest.fixture
def _reference_data_present(reference_data_session: dict[str, Any], django_db_blocker: Any) -> None:
    # Runs before ``db`` opens the test's transaction, so a reload after a flush is committed once.
    with django_db_blocker.unblock():
        _ensure_reference_data()


@pytest.fixture
def reference_data(
    reference_data_session: dict[str, Any], _reference_data_present: None, db: None
) -> dict[str, Any]:
    """Return the load counts, with the reference data present and the region resolver index fresh."""
    _ensure_reference_data()
    return reference_data_session


@pytest.fixture
def cast(reference_data: dict[str, Any]):
    """The named cast of ``plut.core.testing``: a user of every role and three enterprises."""
    from plut.core.testing import build_cast

    return build_cast()


@pytest.fixture
def page(live_server):
    """A page of Debian's headless Chromium driven by Playwright (no browser download), locale id-ID."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="id-ID", accept_downloads=True)
        page = context.new_page()
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _reseed_migration_rows() -> None:
    """Put back the rows data migrations wrote, when a flush removed them (idempotent)."""
    import importlib

    from django.apps import apps

    from plut.clinic.models import ServiceArea

    if not ServiceArea.objects.exists():
        importlib.import_module("plut.clinic.migrations.0002_seed").seed(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (browser tests: ``live_server``), re-seed the data-migration rows.

    Such a test ends with a flush of every table, which also empties the rows a data migration wrote
    (``clinic/0002_seed``: the service areas and the health-check instrument); the tests that run
    after it in the same process rely on them.
    """
    yield
    if not {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _reseed_migration_rows()
