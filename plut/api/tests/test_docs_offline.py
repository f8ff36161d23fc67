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


def test_a_refusal_gives_the_services_reason_in_indonesian(client, cast):
    client.force_login(cast.ministry)
    r = client.get("/api/v1/monitoring/figures", {"region": "61", "period_type": "year", "period": "2025"})
    assert (r.status_code, r.json()) == (403, {"detail": "Peran Anda tidak dapat melihat angka pemantauan."})
