"""Public, read-only endpoints of the API: regions, name resolution, size class, and the schema."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "plut API"
    assert sorted(schema["paths"]) == [
        "/api/v1/border/indicators",
        "/api/v1/border/indicators/prices",
        "/api/v1/border/rates",
        "/api/v1/border/surveys",
        "/api/v1/clinic/cases",
        "/api/v1/clinic/cases/{pk}",
        "/api/v1/clinic/cases/{pk}/sessions",
        "/api/v1/clinic/report",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{pk}",
        "/api/v1/imports",
        "/api/v1/imports/{pk}",
        "/api/v1/imports/{pk}/commit",
        "/api/v1/imports/{pk}/error-report",
        "/api/v1/imports/{pk}/rows",
        "/api/v1/monitoring/figures",
        "/api/v1/monitoring/rounds",
        "/api/v1/monitoring/rounds/{round_id}/submissions",
        "/api/v1/programmes/applications",
        "/api/v1/programmes/applications/{pk}/award",
        "/api/v1/programmes/applications/{pk}/report",
        "/api/v1/programmes/applications/{pk}/scores",
        "/api/v1/programmes/coverage",
        "/api/v1/programmes/programmes",
        "/api/v1/programmes/proposals",
        "/api/v1/programmes/proposals/{pk}",
        "/api/v1/programmes/proposals/{pk}/documents",
        "/api/v1/programmes/proposals/{pk}/transitions",
        "/api/v1/regions",
        "/api/v1/regions/resolve",
        "/api/v1/regions/{code}",
        "/api/v1/size-class",
    ]


def test_regions_by_level(client, reference_data):
    body = client.get("/api/v1/regions", {"level": 2, "limit": 100}).json()
    assert body["count"] == 14
    assert body["items"][0] == {
        "code": "61.01",
        "name": "Kabupaten Sambas",
        "level": 2,
        "kind": "kabupaten",
        "parent_code": "61",
        "bps_code": "6101",
        "is_active": True,
    }
    assert [r["code"] for r in body["items"][-2:]] == ["61.71", "61.72"]


def test_regions_by_parent(client, reference_data):
    body = client.get("/api/v1/regions", {"parent": "61.03.21"}).json()
    assert body["count"] == 5
    assert {r["level"] for r in body["items"]} == {4}


def test_region_detail_and_404(client, reference_data):
    assert client.get("/api/v1/regions/61.03").json()["bps_code"] == "6105"
    assert client.get("/api/v1/regions/61.07").json()["bps_code"] == "6102"
    response = client.get("/api/v1/regions/61.99")
    assert response.status_code == 404
    assert response.json() == {"detail": "No region has this code."}


def test_resolve_former_name_of_mempawah(client, reference_data):
    body = client.get("/api/v1/regions/resolve", {"name": "Kab. Pontianak"}).json()
    assert (body["status"], body["region"]["code"], body["matched_on"]) == ("exact", "61.02", "alias")


def test_resolve_reports_ambiguity_with_candidates(client, reference_data):
    body = client.get("/api/v1/regions/resolve", {"name": "Sungai Raya", "level": 3}).json()
    assert body["status"] == "ambiguous"
    assert body["region"] is None
    assert sorted(c["code"] for c in body["candidates"]) == ["61.07.01", "61.12.01"]
    body = client.get(
        "/api/v1/regions/resolve", {"name": "Sungai Raya", "level": 3, "within": "61.12"}
    ).json()
    assert (body["status"], body["region"]["code"]) == ("exact", "61.12.01")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"capital_idr": 1_000_000_000}, ("micro", "capital")),
        ({"capital_idr": 1_000_000_001}, ("small", "capital")),
        ({"annual_sales_idr": 15_000_000_001, "capital_idr": 1}, ("medium", "annual_sales")),
        ({"annual_sales_idr": 300_000_001, "regime": "uu20_2008"}, ("small", "annual_sales")),
    ],
)
def test_size_class(client, params, expected):
    body = client.get("/api/v1/size-class", params).json()
    assert (body["size_class"], body["basis"]) == expected


def test_size_class_rejects_negative_and_fractional(client):
    assert client.get("/api/v1/size-class", {"capital_idr": -5}).status_code == 422
    assert client.get("/api/v1/size-class", {"capital_idr": "1.5"}).status_code == 422
