"""The programme pages through HTTP: scoping, uploads, moves with the version on screen, safe downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plut.programmes import selectors, services
from plut.programmes.models import Proposal
from plut.programmes.tests.conftest import make_pdf

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(cast, programmes, regions):
    return services.proposal_create(
        actor=cast.officer_sanggau,
        programme=programmes["market"],
        regency=regions["61.03"],
        title="Pasar Entikong",
    )


def login(client, user):
    client.force_login(user)
    return client


def upload(client, proposal, item, name, data):
    return client.post(
        f"/programmes/proposals/{proposal.pk}/upload/",
        {"item_code": item, "file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_the_officer_drafts_uploads_and_submits(client, cast, programmes, regions):
    login(client, cast.officer_sanggau)
    r = client.post(
        "/programmes/proposals/new/",
        {
            "programme": programmes["market"].pk,
            "regency": regions["61.03"].pk,
            "title": "Pasar",
            "requested_amount_idr": "7,5 M",
        },
    )
    assert r.status_code == 302
    p = Proposal.objects.get()
    assert p.requested_amount_idr == 7_500_000_000
    for item in ("proposal_letter", "ded", "land_grant"):
        assert upload(client, p, item, f"{item}.pdf", make_pdf()).status_code == 302
    r = client.post(
        f"/programmes/proposals/{p.pk}/move/", {"to": "submitted", "version": 1, "note": "Lengkap"}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.status, p.version) == (S.SUBMITTED, 2)


def test_the_regency_list_of_the_form_offers_only_the_officers_regency(client, cast):
    login(client, cast.officer_sanggau)
    r = client.get("/programmes/proposals/new/")
    assert list(r.context["form"].fields["regency"].queryset.values_list("code", flat=True)) == ["61.03"]


@pytest.mark.parametrize("who", ["admin", "analyst", "consultant", "ministry", "entrepreneur"])
def test_only_regency_officers_open_the_draft_form(client, cast, who):
    assert login(client, getattr(cast, who)).get("/programmes/proposals/new/").status_code == 403


def test_a_renamed_executable_upload_is_refused_with_the_reason(client, cast, proposal):
    login(client, cast.officer_sanggau)
    r = upload(client, proposal, "ded", "ded.pdf", b"MZ\x90\x00" + b"\0" * 100)
    assert r.status_code == 400
    assert (
        "Berkas ini adalah program yang dapat dijalankan (Windows (MZ/PE)), bukan dokumen"
        in r.content.decode()
    )
    assert proposal.documents.count() == 0


def test_a_missing_document_is_named_on_the_page(client, cast, proposal):
    login(client, cast.officer_sanggau)
    upload(client, proposal, "proposal_letter", "a.pdf", make_pdf())
    upload(client, proposal, "land_grant", "a.pdf", make_pdf())
    r = client.post(f"/programmes/proposals/{proposal.pk}/move/", {"to": "submitted", "version": 1})
    assert r.status_code == 400
    assert (
        "dokumen wajib berikut belum ada: DED (detail engineering design): gambar kerja dan RAB."
        in r.content.decode()
    )


def test_a_stale_page_is_told_someone_else_changed_it(client, cast, proposal):
    login(client, cast.officer_sanggau)
    for item in ("proposal_letter", "ded", "land_grant"):
        upload(client, proposal, item, "a.pdf", make_pdf())
    client.post(f"/programmes/proposals/{proposal.pk}/move/", {"to": "submitted", "version": 1})
    login(client, cast.admin)
    client.post(f"/programmes/proposals/{proposal.pk}/move/", {"to": "under_review", "version": 2})
    # A second administrator's page still shows version 2 and status submitted.
    r = client.post(
        f"/programmes/proposals/{proposal.pk}/move/", {"to": "returned", "version": 2, "note": "x"}
    )
    assert r.status_code == 400
    assert (
        "Orang lain baru saja mengubah usulan ini; muat ulang halaman lalu coba lagi." in r.content.decode()
    )


def test_documents_download_as_attachments_that_browsers_cannot_sniff(client, cast, proposal):
    login(client, cast.officer_sanggau)
    upload(client, proposal, "ded", "../../etc/passwd.pdf", make_pdf())
    doc = proposal.documents.get()
    r = client.get(f"/programmes/proposals/{proposal.pk}/documents/{doc.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'attachment; filename="usulan-{proposal.pk}-ded-v1.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(r.streaming_content) == make_pdf()
    z = client.get(f"/programmes/proposals/{proposal.pk}/dossier.zip")
    assert z["Content-Disposition"] == f'attachment; filename="berkas-usulan-{proposal.pk}.zip"'
    assert sorted(zipfile.ZipFile(io.BytesIO(z.content)).namelist()) == [
        "INDEKS.csv",
        "RIWAYAT.csv",
        "ded/v1.pdf",
    ]


@pytest.mark.parametrize("who", ["officer_sambas", "ministry", "entrepreneur"])
def test_roles_outside_the_scope_get_404_everywhere(client, cast, proposal, who):
    services.proposal_document_upload(
        actor=cast.officer_sanggau, proposal=proposal, item_code="ded", name="a.pdf", data=make_pdf()
    )
    doc = proposal.documents.get()
    login(client, getattr(cast, who))
    base = f"/programmes/proposals/{proposal.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/documents/{doc.pk}/").status_code == 404
    assert client.get(f"{base}/dossier.zip").status_code == 404
    assert client.post(f"{base}/move/", {"to": "submitted", "version": 1}).status_code == 404
    assert upload(client, proposal, "ded", "b.pdf", make_pdf()).status_code == 404
    assert proposal.documents.count() == 1


@pytest.mark.parametrize("who", ["analyst", "consultant", "admin"])
def test_read_only_viewers_see_but_cannot_act_as_the_regency(client, cast, proposal, who):
    login(client, getattr(cast, who))
    base = f"/programmes/proposals/{proposal.pk}"
    r = client.get(f"{base}/")
    assert r.status_code == 200 and r.context["moves"] == [] and r.context["can_upload"] is False
    assert upload(client, proposal, "ded", "b.pdf", make_pdf()).status_code == 403
    assert client.post(f"{base}/move/", {"to": "submitted", "version": 1}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT


def test_coverage_page_lists_the_regencies_not_reached(client, cast, programmes):
    r = login(client, cast.analyst).get("/programmes/outreach/")
    assert r.status_code == 200
    assert r.context["coverage"]["regencies_not_reached"] == ["61.01", "61.03", "61.05", "61.06", "61.07"]
    assert login(client, cast.ministry).get("/programmes/outreach/").status_code == 403


class TestPromotionAndOutreachPages:
    @pytest.fixture
    def call(self, cast, programmes):
        from django.utils import timezone

        today = timezone.localdate()
        return services.promotion_call_create(
            actor=cast.admin,
            programme=programmes["promotion"],
            title="Expo",
            opens_on=today,
            closes_on=today,
            budget_idr=100,
        )

    def test_a_consultant_applies_on_behalf_and_the_office_awards_within_budget(self, client, cast, call):
        login(client, cast.consultant)
        r = client.get(f"/programmes/calls/{call.pk}/")
        assert list(r.context["apply_form"].fields["enterprise"].queryset) == [cast.ent_sanggau]
        r = client.post(
            f"/programmes/calls/{call.pk}/apply/",
            {"enterprise": cast.ent_sanggau.pk, "requested_amount_idr": "80"},
        )
        assert r.status_code == 302
        app = call.applications.get()
        assert (app.on_behalf, app.requested_amount_idr) == (True, 80)
        assert (
            client.post(f"/programmes/applications/{app.pk}/award/", {"amount_idr": "80"}).status_code == 403
        )
        login(client, cast.admin)
        r = client.post(f"/programmes/applications/{app.pk}/award/", {"amount_idr": "101"})
        assert r.status_code == 400
        assert "melebihi sisa anggaran (100 dari 100 rupiah)" in r.content.decode()
        assert (
            client.post(f"/programmes/applications/{app.pk}/award/", {"amount_idr": "80"}).status_code == 302
        )
        app.refresh_from_db()
        assert (app.status, app.awarded_amount_idr) == ("awarded", 80)

    def test_outreach_event_and_attendee_through_the_pages(self, client, cast, programmes, regions):
        login(client, cast.officer_sanggau)
        r = client.post(
            "/programmes/outreach/",
            {
                "programme": programmes["market"].pk,
                "regency": regions["61.03"].pk,
                "held_on": "2026-05-04",
                "place": "Entikong",
            },
        )
        assert r.status_code == 302
        event = selectors.outreach_scope(cast.officer_sanggau).get()
        r = client.post(
            f"/programmes/outreach/{event.pk}/", {"name": "Budi", "enterprise": cast.ent_sanggau.pk}
        )
        assert r.status_code == 302
        assert list(event.attendees.values_list("name", "enterprise_id")) == [("Budi", cast.ent_sanggau.pk)]
        # Another regency's officer does not see the event.
        login(client, cast.officer_sambas)
        assert client.get(f"/programmes/outreach/{event.pk}/").status_code == 404


def test_load_programmes_is_idempotent(db, reference_data):
    import json

    from django.core.management import call_command

    from plut.programmes.models import Programme

    # ``migrate`` already loaded them (post_migrate); loading again creates nothing.
    assert sorted(Programme.objects.values_list("code", flat=True)) == [
        "pasar-perbatasan",
        "promosi-perbatasan",
    ]
    out = io.StringIO()
    call_command("load_programmes", stdout=out)
    assert json.loads(out.getvalue())["created"] == {"programmes": 0, "rules": 0, "checklists": 0}


def test_the_office_scores_and_the_entrepreneur_reports_through_the_pages(client, cast, programmes):
    from django.utils import timezone

    today = timezone.localdate()
    call = services.promotion_call_create(
        actor=cast.admin,
        programme=programmes["promotion"],
        title="Expo",
        opens_on=today,
        closes_on=today,
        budget_idr=100,
    )
    app = services.promotion_application_submit(
        actor=cast.entrepreneur, call=call, enterprise=cast.ent_sambas, requested_amount_idr=50
    )
    login(client, cast.admin)
    r = client.post(f"/programmes/applications/{app.pk}/score/", {"criterion": "own_brand", "score": "4"})
    assert r.status_code == 302
    assert (
        client.post(
            f"/programmes/applications/{app.pk}/score/", {"criterion": "own_brand", "score": "12"}
        ).status_code
        == 400
    )
    assert list(app.scores.values_list("criterion", "score")) == [("own_brand", 4)]
    services.promotion_application_award(actor=cast.admin, application=app, amount_idr=50)
    login(client, cast.entrepreneur)
    r = client.post(
        f"/programmes/applications/{app.pk}/report/",
        {
            "transactions": "3",
            "buyers_met": "10",
            "buyer_countries": "MY",
            "sales_amount": "200",
            "currency": "MYR",
            "rate_idr": "3500",
            "rate_date": today.isoformat(),
        },
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert (app.report.sales_idr, app.report.currency) == (700_000, "MYR")
    page = client.get(f"/programmes/calls/{call.pk}/").content.decode()
    assert "Rp 700.000 (200,00 MYR; MY)" in page  # Indonesian decimal comma
    # Another regency's officer sees no application and cannot report.
    login(client, cast.officer_sanggau)
    assert client.post(f"/programmes/applications/{app.pk}/report/", {}).status_code == 404


def test_the_officer_changes_a_draft_and_a_stale_form_is_refused(client, cast, proposal):
    login(client, cast.officer_sanggau)
    base = f"/programmes/proposals/{proposal.pk}"
    r = client.post(
        f"{base}/edit/",
        {"title": "Pasar Baru", "location": "Balai Karangan", "requested_amount_idr": "2 M", "version": 1},
    )
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.location, proposal.requested_amount_idr, proposal.version) == (
        "Pasar Baru",
        "Balai Karangan",
        2_000_000_000,
        2,
    )
    r = client.post(f"{base}/edit/", {"title": "Lama", "version": 1})
    assert r.status_code == 400
    assert "belum diubah orang lain" in r.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title == "Pasar Baru"
    for who in ("admin", "consultant"):
        login(client, getattr(cast, who))
        assert client.post(f"{base}/edit/", {"title": "x", "version": 2}).status_code == 403
    login(client, cast.officer_sambas)
    assert client.post(f"{base}/edit/", {"title": "x", "version": 2}).status_code == 404
