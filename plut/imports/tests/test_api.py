"""The import endpoints under ``/api/v1/imports``: upload, preview, rows, commit, error workbook, scope."""

from __future__ import annotations

import io

import openpyxl
import pytest

from plut.accounts.services import api_token_create
from plut.enterprises.models import Enterprise
from plut.imports.models import ImportBatch
from plut.imports.tests.files import write_csv
from plut.imports.tests.test_views import CLEAN, HEADER, MESSY, SANGGAU, _id, download

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_COUNTS = {"rows": 5, "created": 2, "updated": 0, "unchanged": 0, "rejected": 3, "duplicates": 1}


def bearer(user) -> dict[str, str]:
    key, _ = api_token_create(actor=None, user=user, name="t")
    return {"authorization": f"Bearer {key}"}


def post_file(client, path, headers=None, **form):
    with path.open("rb") as f:
        return client.post(URL, {"file": f, **form}, headers=headers or {})


@pytest.fixture
def messy_csv(tmp_path):
    return write_csv(tmp_path / "umkm-sambas.csv", MESSY, delimiter=";")


@pytest.fixture
def sanggau_csv(tmp_path):
    return write_csv(tmp_path / "sanggau.csv", SANGGAU)


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload ``path`` as ``user`` and run its dry run; return the batch."""

    def run(user, path, **form) -> ImportBatch:
        with django_capture_on_commit_callbacks(execute=True):
            response = post_file(client, path, bearer(user), **form)
        assert response.status_code == 202, response.content
        return ImportBatch.objects.get(pk=response.json()["id"])

    return run


@pytest.mark.django_db(transaction=True)
def test_upload_preview_rows_commit_and_error_report(client, cast, messy_csv):
    # Transactional: the run is enqueued on commit and, with the ImmediateBackend, has ended
    # before the API answers, as it does in a real request.
    auth = bearer(cast.admin)
    response = post_file(client, messy_csv, auth)
    assert response.status_code == 202
    body = response.json()
    pk = body["id"]
    assert {k: body[k] for k in ("status", "mode", "dry_run", "original_name", "regency_code", "counts")} == {
        "status": "previewed",
        "mode": "atomic",
        "dry_run": True,
        "original_name": "umkm-sambas.csv",
        "regency_code": None,
        "counts": PREVIEW_COUNTS,
    }
    assert body["error_report_url"] == f"/api/v1/imports/{pk}/error-report"
    assert body["header_map"]["_unknown"] == ["Keterangan Lain"]
    assert Enterprise.objects.count() == 3

    detail = client.get(f"{URL}/{pk}", headers=auth)
    assert detail.status_code == 200
    assert (detail.json()["status"], detail.json()["counts"]) == ("previewed", PREVIEW_COUNTS)

    rows = client.get(f"{URL}/{pk}/rows", {"outcome": "rejected"}, headers=auth).json()
    assert rows["count"] == 3
    assert [(r["number"], r["outcome"], [e["code"] for e in r["errors"]]) for r in rows["items"]] == [
        (3, "rejected", ["nik.scientific"]),
        (5, "rejected", ["district.ambiguous"]),
        (6, "rejected", ["row.duplicate"]),
    ]
    assert rows["items"][0]["errors"][0] | {"reason": ""} == {
        "row": 3,
        "column": "NIK",
        "value": "6.10103E+15",
        "code": "nik.scientific",
        "reason": "",
    }

    report = client.get(f"{URL}/{pk}/error-report", headers=auth)
    assert report.status_code == 200
    assert report["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(download(report))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][1:-1] == HEADER
    assert [r[0] for r in values[1:]] == [3, 5, 6]
    assert values[3][1:-1] == CLEAN

    committed = client.post(
        f"{URL}/{pk}/commit", {"mode": "commit_valid"}, content_type="application/json", headers=auth
    )
    assert committed.status_code == 202
    body = committed.json()
    assert (body["status"], body["mode"], body["dry_run"], body["counts"]) == (
        "partial",
        "commit_valid",
        False,
        PREVIEW_COUNTS,
    )
    assert sorted(Enterprise.objects.filter(import_rows__batch_id=pk).values_list("name", flat=True)) == [
        "Dodol Durian Sambas",
        "Keripik Pisang Paloh",
    ]
    assert Enterprise.objects.count() == 5
    created = client.get(f"{URL}/{pk}/rows", {"outcome": "created"}, headers=auth).json()
    assert [r["number"] for r in created["items"]] == [2, 4]
    assert all(r["enterprise_id"] for r in created["items"])


class TestCreate:
    def test_a_session_upload_works_too(self, client, cast, messy_csv, django_capture_on_commit_callbacks):
        client.force_login(cast.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_file(client, messy_csv)
        assert response.status_code == 202
        batch = ImportBatch.objects.get()
        assert (batch.status, batch.counts) == ("previewed", PREVIEW_COUNTS)

    def test_an_officer_uploads_into_their_regency_by_default(self, cast, sanggau_csv, upload):
        batch = upload(cast.officer_sanggau, sanggau_csv)
        assert (batch.regency.code, batch.status, batch.counts["created"]) == ("61.03", "previewed", 1)

    def test_an_officer_cannot_upload_into_another_regency(self, client, cast, sanggau_csv):
        response = post_file(client, sanggau_csv, bearer(cast.officer_sambas), regency="61.03")
        assert response.status_code == 403
        assert response.json() == {"detail": _id("A regency officer may import only into their own regency.")}
        assert ImportBatch.objects.count() == 0

    @pytest.mark.parametrize("role", ["analyst", "ministry", "consultant", "entrepreneur"])
    def test_it_rejects_roles_that_do_not_import(self, client, cast, messy_csv, role):
        response = post_file(client, messy_csv, bearer(getattr(cast, role)))
        assert response.status_code == 403
        assert ImportBatch.objects.count() == 0

    def test_an_unknown_regency_is_a_422(self, client, cast, messy_csv):
        response = post_file(client, messy_csv, bearer(cast.admin), regency="61.99")
        assert response.status_code == 422
        assert response.json() == {
            "detail": {"regency": [_id("Unknown regency/city code %(code)s.") % {"code": "61.99"}]}
        }
        assert ImportBatch.objects.count() == 0

    def test_unauthenticated_is_a_401(self, client, db, messy_csv):
        assert post_file(client, messy_csv).status_code == 401
        assert post_file(client, messy_csv, {"authorization": "Bearer plut_not-a-token"}).status_code == 401
        assert client.get(URL).status_code == 401
        assert ImportBatch.objects.count() == 0


class TestRead:
    def test_it_hides_other_regions(self, client, cast, sanggau_csv, upload):
        batch = upload(cast.officer_sanggau, sanggau_csv)
        auth = bearer(cast.officer_sambas)
        response = client.get(f"{URL}/{batch.pk}", headers=auth)
        assert response.status_code == 404
        assert response.json() == {"detail": "No import batch found."}
        assert client.get(f"{URL}/{batch.pk}/rows", headers=auth).status_code == 404
        assert client.get(f"{URL}/{batch.pk}/error-report", headers=auth).status_code == 404
        assert client.get(URL, headers=auth).json()["count"] == 0
        own = client.get(URL, headers=bearer(cast.officer_sanggau)).json()
        assert [b["id"] for b in own["items"]] == [batch.pk]

    def test_the_ministry_sees_no_batch(self, client, cast, messy_csv, upload):
        batch = upload(cast.admin, messy_csv)
        auth = bearer(cast.ministry)
        assert client.get(f"{URL}/{batch.pk}", headers=auth).status_code == 404
        assert client.get(f"{URL}/{batch.pk}/rows", headers=auth).status_code == 404
        assert client.get(URL, headers=auth).json()["count"] == 0

    def test_the_analyst_reads_every_batch_but_not_its_personal_data(self, client, cast, messy_csv, upload):
        batch = upload(cast.admin, messy_csv)
        auth = bearer(cast.analyst)
        assert client.get(f"{URL}/{batch.pk}", headers=auth).json()["counts"] == PREVIEW_COUNTS
        # The error workbook holds NIKs and phone numbers as typed: not for a read-only role.
        assert client.get(f"{URL}/{batch.pk}/error-report", headers=auth).status_code == 403

    def test_reading_the_error_workbook_is_logged(self, client, cast, messy_csv, upload):
        from plut.core.models import PersonalDataAccess

        batch = upload(cast.admin, messy_csv)
        assert client.get(f"{URL}/{batch.pk}/error-report", headers=bearer(cast.admin)).status_code == 200
        log = PersonalDataAccess.objects.get()
        assert (log.actor, log.subject_id, log.purpose, log.channel) == (cast.admin, str(batch.pk), "error_workbook", "api")

    def test_unauthenticated_is_a_401(self, client, cast, messy_csv, upload):
        batch = upload(cast.admin, messy_csv)
        assert client.get(f"{URL}/{batch.pk}").status_code == 401
        assert client.get(f"{URL}/{batch.pk}/rows").status_code == 401
        assert client.get(f"{URL}/{batch.pk}/error-report").status_code == 401

    def test_a_batch_without_rejected_rows_has_no_error_report(self, client, cast, sanggau_csv, upload):
        batch = upload(cast.officer_sanggau, sanggau_csv)
        response = client.get(f"{URL}/{batch.pk}/error-report", headers=bearer(cast.officer_sanggau))
        assert response.status_code == 404


class TestCommit:
    def commit(self, client, capture, user, batch, mode="commit_valid"):
        with capture(execute=True):
            return client.post(
                f"{URL}/{batch.pk}/commit",
                {"mode": mode},
                content_type="application/json",
                headers=bearer(user),
            )

    def test_the_officer_commits_their_batch(
        self, client, cast, sanggau_csv, upload, django_capture_on_commit_callbacks
    ):
        batch = upload(cast.officer_sanggau, sanggau_csv)
        response = self.commit(
            client, django_capture_on_commit_callbacks, cast.officer_sanggau, batch, "atomic"
        )
        assert response.status_code == 202
        batch.refresh_from_db()
        assert (batch.status, batch.counts["created"]) == ("committed", 1)
        assert Enterprise.objects.get(name="Lada Putih Entikong").regency_code == "61.03"

    def test_it_hides_other_regions(
        self, client, cast, sanggau_csv, upload, django_capture_on_commit_callbacks
    ):
        batch = upload(cast.officer_sanggau, sanggau_csv)
        response = self.commit(client, django_capture_on_commit_callbacks, cast.officer_sambas, batch)
        assert response.status_code == 404
        batch.refresh_from_db()
        assert batch.status == "previewed"
        assert not Enterprise.objects.filter(name="Lada Putih Entikong").exists()

    def test_it_rejects_readonly(self, client, cast, messy_csv, upload, django_capture_on_commit_callbacks):
        batch = upload(cast.admin, messy_csv)
        response = self.commit(client, django_capture_on_commit_callbacks, cast.analyst, batch)
        assert response.status_code == 403
        batch.refresh_from_db()
        assert batch.status == "previewed"
        assert Enterprise.objects.count() == 3

    def test_the_ministry_cannot_commit(
        self, client, cast, messy_csv, upload, django_capture_on_commit_callbacks
    ):
        batch = upload(cast.admin, messy_csv)
        response = self.commit(client, django_capture_on_commit_callbacks, cast.ministry, batch)
        assert response.status_code == 404
        assert Enterprise.objects.count() == 3

    def test_a_committed_batch_is_a_409(
        self, client, cast, messy_csv, upload, django_capture_on_commit_callbacks
    ):
        batch = upload(cast.admin, messy_csv)
        assert self.commit(client, django_capture_on_commit_callbacks, cast.admin, batch).status_code == 202
        again = self.commit(client, django_capture_on_commit_callbacks, cast.admin, batch)
        assert again.status_code == 409
        assert again.json() == {"detail": "The batch is partial; it cannot be committed now."}
        assert Enterprise.objects.count() == 5

    def test_an_unknown_mode_is_a_422(
        self, client, cast, messy_csv, upload, django_capture_on_commit_callbacks
    ):
        batch = upload(cast.admin, messy_csv)
        response = self.commit(client, django_capture_on_commit_callbacks, cast.admin, batch, "everything")
        assert response.status_code == 422
        batch.refresh_from_db()
        assert batch.status == "previewed"
