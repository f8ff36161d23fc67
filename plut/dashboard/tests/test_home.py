"""The dashboard home page: figures in the user's scope, hidden from the ministry, login required."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/"


def test_it_shows_the_province_total_to_an_admin(client, admin_user, registry):
    client.force_login(admin_user)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="kpi-total">7</strong>' in html
    assert '<strong id="kpi-border">5</strong>' in html
    assert '<strong id="kpi-inland">2</strong>' in html
    summary = response.context["summary"]
    assert summary["province_wide"] is True
    assert len(summary["by_regency"]) == 14
    counts = {row["key"]: row["count"] for row in summary["by_regency"]}
    assert counts["61.01"] == 4
    assert counts["61.03"] == 2
    assert counts["61.71"] == 1
    assert counts["61.04"] == 0
    assert {row["key"]: row["count"] for row in summary["by_size"]} == {
        "micro": 5,
        "small": 1,
        "medium": 0,
        "large": 0,
        "": 1,
    }


def test_it_shows_a_regency_officer_only_their_regency(client, sambas_officer, registry):
    client.force_login(sambas_officer)
    response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert '<strong id="kpi-total">4</strong>' in html
    assert '<strong id="kpi-border">3</strong>' in html
    summary = response.context["summary"]
    assert summary["province_wide"] is False
    assert summary["by_regency"] == [{"key": "61.01", "label": "Kabupaten Sambas", "count": 4}]
    # Sanggau's row never reaches the page's table or chart data.
    table = html.split('id="regency-table"')[1].split("</table>")[0]
    assert "Sanggau" not in table
    assert '"61.03"' not in html.split('id="regency-counts"')[1].split("</script>")[0]


def test_it_hides_registry_figures_from_ministry_reviewers(client, reviewer, registry):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-registry"' in html
    assert 'id="kpi-total"' not in html
    assert 'id="regency-table"' not in html
    # The map and the prices are reference data and stay.
    assert 'id="map"' in html
    assert 'id="price-chart"' in html


def test_it_uses_the_vendored_assets_and_no_cdn(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("dashboard:home")).content.decode()
    for asset in (
        "/static/vendor/pico/pico.min.css",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/chart.js/chart.umd.js",
        "/static/vendor/htmx.org/htmx.min.js",
        "/static/plut/dashboard.js",
    ):
        assert asset in html
    assert "https://" not in html.split("<body")[0]
    assert "unpkg" not in html and "jsdelivr" not in html and "cdnjs" not in html


def test_it_lists_commodities_and_defaults_to_the_border_regencies_and_pontianak(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("dashboard:home"))
    assert len(response.context["commodities"]) == 20
    defaults = [r["code"] for r in response.context["regencies"] if r["is_default"]]
    assert defaults == ["61.01", "61.03", "61.05", "61.06", "61.07", "61.71"]
    html = response.content.decode()
    assert '<option value="beras-premium" selected>' in html
    assert "Panel Harga Pangan Nasional, Badan Pangan Nasional" in html


def test_the_layout_has_navigation_logout_and_a_language_switcher(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="id">' in html
    assert "<h1>Dasbor</h1>" in html  # Indonesian first
    assert f'action="{reverse("accounts:logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="en"' in html
    assert "Admin" in html  # the user's name
    assert "Office administrator" in html or "Administrator" in html  # the role


def test_switching_to_english_changes_the_page_language(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Dashboard</h1>" in html
