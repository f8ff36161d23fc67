"""The map feeds: regency and district choropleths (scoped counts) and the PLBN border posts."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGENCIES = reverse("dashboard:regencies_geojson")
DISTRICTS = reverse("dashboard:districts_geojson")
POSTS = reverse("dashboard:posts_geojson")

# Queries per request besides the selector's own: the session and the user.
AUTH_QUERIES = 2


def _by_code(payload: dict) -> dict[str, dict]:
    return {f["properties"]["code"]: f["properties"] for f in payload["features"]}


@pytest.mark.parametrize("url", [REGENCIES, DISTRICTS + "?regency=61.01", POSTS])
def test_it_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_regencies_carry_every_count_for_an_admin(client, admin_user, registry):
    client.force_login(admin_user)
    response = client.get(REGENCIES)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    payload = json.loads(response.content)
    assert payload["type"] == "FeatureCollection"
    props = _by_code(payload)
    assert len(props) == 14
    assert props["61.01"] == {
        "code": "61.01",
        "name": "Kabupaten Sambas",
        "count": 4,
        "is_border_regency": True,
    }
    assert props["61.03"]["count"] == 2
    assert props["61.71"] == {
        "code": "61.71",
        "name": "Kota Pontianak",
        "count": 1,
        "is_border_regency": False,
    }
    assert props["61.04"]["count"] == 0
    assert payload["max_count"] == 4
    assert sorted(c for c, p in props.items() if p["is_border_regency"]) == [
        "61.01",
        "61.03",
        "61.05",
        "61.06",
        "61.07",
    ]
    sambas = next(f for f in payload["features"] if f["id"] == "61.01")
    assert sambas["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_regencies_hide_other_regions_from_a_regency_officer(client, sambas_officer, registry):
    client.force_login(sambas_officer)
    props = _by_code(json.loads(client.get(REGENCIES).content))
    assert props["61.01"]["count"] == 4
    assert props["61.03"]["count"] is None  # Sanggau: outside the scope, not zero
    assert [c for c, p in props.items() if p["count"] is not None] == ["61.01"]


def test_regencies_show_no_count_to_ministry_reviewers(client, reviewer, registry):
    client.force_login(reviewer)
    props = _by_code(json.loads(client.get(REGENCIES).content))
    assert len(props) == 14
    assert all(p["count"] is None for p in props.values())


def test_districts_of_a_regency_with_border_districts_marked(client, admin_user, registry):
    client.force_login(admin_user)
    payload = json.loads(client.get(DISTRICTS, {"regency": "61.01"}).content)
    props = _by_code(payload)
    assert all(code.startswith("61.01.") for code in props)
    assert props["61.01.08"] == {"code": "61.01.08", "name": "Paloh", "count": 3, "is_border_district": True}
    assert props["61.01.09"]["is_border_district"] is True  # Sajingan Besar
    assert props["61.01.09"]["count"] == 0
    assert props["61.01.01"]["count"] == 1
    assert sorted(c for c, p in props.items() if p["is_border_district"]) == ["61.01.08", "61.01.09"]
    assert payload["max_count"] == 3


def test_districts_outside_the_scope_have_no_count(client, sambas_officer, registry):
    client.force_login(sambas_officer)
    own = _by_code(json.loads(client.get(DISTRICTS, {"regency": "61.01"}).content))
    assert own["61.01.08"]["count"] == 3
    other = _by_code(json.loads(client.get(DISTRICTS, {"regency": "61.03"}).content))
    assert other["61.03.21"]["is_border_district"] is True  # Entikong
    assert all(p["count"] is None for p in other.values())


@pytest.mark.parametrize("regency", ["", "61", "61.01.08", "x"])
def test_districts_reject_a_malformed_regency(client, admin_user, regency):
    client.force_login(admin_user)
    response = client.get(DISTRICTS, {"regency": regency})
    assert response.status_code == 400


def test_posts_are_the_five_plbn(client, admin_user):
    client.force_login(admin_user)
    payload = json.loads(client.get(POSTS).content)
    posts = {f["properties"]["name"]: f for f in payload["features"]}
    assert len(posts) == 5
    entikong = posts["PLBN Entikong"]
    assert entikong["properties"]["status"] == "operational"
    assert entikong["properties"]["regency_code"] == "61.03"
    assert entikong["geometry"]["type"] == "Point"
    lng, lat = entikong["geometry"]["coordinates"]
    assert (round(lat, 4), round(lng, 4)) == (0.958, 110.3146)
    assert posts["PLBN Sungai Kelik (Sei Kelik)"]["properties"]["status"] == "planned"


class TestQueryCounts:
    """The feeds use a constant number of queries, however many enterprises there are."""

    def test_regencies(self, client, admin_user, sambas_officer, registry, django_assert_num_queries):
        client.force_login(admin_user)
        # Counts, boundaries, border districts.
        with django_assert_num_queries(AUTH_QUERIES + 3):
            client.get(REGENCIES)
        client.force_login(sambas_officer)
        # The same: the officer's region paths come with the user (User.scope_paths), no query.
        with django_assert_num_queries(AUTH_QUERIES + 3):
            client.get(REGENCIES)

    def test_districts(self, client, admin_user, registry, django_assert_num_queries):
        client.force_login(admin_user)
        for regency in ("61.01", "61.06"):
            with django_assert_num_queries(AUTH_QUERIES + 3):
                client.get(DISTRICTS, {"regency": regency})

    def test_posts(self, client, admin_user, django_assert_num_queries):
        client.force_login(admin_user)
        with django_assert_num_queries(AUTH_QUERIES + 1):
            client.get(POSTS)
