"""The programme API: the same services and scope as the pages."""

from __future__ import annotations

import pytest

from plut.programmes import services
from plut.programmes.tests.conftest import make_pdf

pytestmark = pytest.mark.django_db
API = "/api/v1/programmes"


def test_an_officer_drafts_uploads_and_submits_through_the_api(client, cast, programmes):
    client.force_login(cast.officer_sanggau)
    r = client.post(
        f"{API}/proposals",
        {
            "programme": "pasar-perbatasan",
            "regency_code": "61.03",
            "title": "Pasar",
            "requested_amount_idr": 5,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["missing_documents"] == [
        "Surat usulan (proposal) yang ditandatangani bupati",
        "DED (detail engineering design): gambar kerja dan RAB",
        "Surat pernyataan hibah lahan dari pemerintah kabupaten",
    ]
    r = client.post(
        f"{API}/proposals/{pk}/transitions",
        {"to": "submitted", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 422
    # The API speaks the request's language (Indonesian first).
    assert "dokumen wajib berikut belum ada" in r.json()["detail"][0]
    for item in ("proposal_letter", "ded", "land_grant"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = client.post(
            f"{API}/proposals/{pk}/documents",
            {
                "item_code": item,
                "file": SimpleUploadedFile("x.pdf", make_pdf(), content_type="application/pdf"),
            },
        )
        assert r.status_code == 201, r.content
    r = client.post(
        f"{API}/proposals/{pk}/documents",
        {
            "item_code": "ded",
            "file": SimpleUploadedFile("x.pdf", make_pdf(js=True), content_type="application/pdf"),
        },
    )
    assert r.status_code == 422
    r = client.post(
        f"{API}/proposals/{pk}/transitions",
        {"to": "submitted", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["version"]) == ("submitted", 2)
    assert [h["to_status"] for h in r.json()["history"]] == ["submitted"]


def test_a_non_border_regency_is_refused_and_other_roles_are_denied(client, cast, programmes):
    client.force_login(cast.officer_sambas)
    r = client.post(
        f"{API}/proposals",
        {"programme": "pasar-perbatasan", "regency_code": "61.03", "title": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
    client.force_login(cast.admin)
    r = client.post(
        f"{API}/proposals",
        {"programme": "pasar-perbatasan", "regency_code": "61.71", "title": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_proposals_outside_the_scope_are_404(client, cast, programmes, regions):
    p = services.proposal_create(
        actor=cast.officer_sanggau, programme=programmes["market"], regency=regions["61.03"], title="Pasar"
    )
    for who in ("officer_sambas", "ministry", "entrepreneur"):
        client.force_login(getattr(cast, who))
        assert client.get(f"{API}/proposals/{p.pk}").status_code == 404
        assert client.get(f"{API}/proposals").json() == []
    client.force_login(cast.analyst)
    assert client.get(f"{API}/proposals/{p.pk}").status_code == 200
    assert (
        client.post(
            f"{API}/proposals/{p.pk}/transitions",
            {"to": "submitted", "version": 1},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_applications_and_awards_through_the_api(client, cast, programmes):
    from django.utils import timezone

    today = timezone.localdate()
    call = services.promotion_call_create(
        actor=cast.admin,
        programme=programmes["promotion"],
        title="Expo",
        opens_on=today,
        closes_on=today,
        budget_idr=50,
    )
    client.force_login(cast.entrepreneur)
    r = client.post(
        f"{API}/applications",
        {"call_id": call.pk, "enterprise_id": cast.ent_sambas.pk, "requested_amount_idr": 40},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    assert (
        client.post(
            f"{API}/applications/{app_id}/award", {"amount_idr": 40}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(cast.admin)
    r = client.post(f"{API}/applications/{app_id}/award", {"amount_idr": 51}, content_type="application/json")
    assert r.status_code == 422
    r = client.post(f"{API}/applications/{app_id}/award", {"amount_idr": 40}, content_type="application/json")
    assert (r.status_code, r.json()["status"], r.json()["awarded_amount_idr"]) == (200, "awarded", 40)
    client.force_login(cast.ministry)
    assert client.get(f"{API}/applications").json() == []


def test_coverage_through_the_api(client, cast, programmes):
    client.force_login(cast.officer_sambas)
    body = client.get(f"{API}/coverage").json()
    assert body["regencies_not_reached"] == ["61.01"]
    assert body["districts_not_reached"] == ["61.01.08", "61.01.09"]
    client.force_login(cast.ministry)
    assert client.get(f"{API}/coverage").status_code == 403
