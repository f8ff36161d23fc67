"""The API docs page loads Swagger UI from our own static files: a border office may be offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_docs_use_no_cdn(client, cast):
    client.force_login(cast.admin)
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "cdn." not in html and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
