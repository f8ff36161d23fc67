"""The import pages, through the test client: upload → preview → filter → commit → error workbook.

Every request that enqueues a run is wrapped in ``django_capture_on_commit_callbacks(execute=True)``:
the test settings run tasks inline (ImmediateBackend) once the enqueuing transaction commits.
"""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from plut.enterprises.models import Enterprise
from plut.imports.mapping import LABELS
from plut.imports.models import ImportBatch
from plut.imports.tests.files import write_csv

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

HEADER = ["Nama Usaha", "Nama Pemilik", "NIK", "No HP", "Kecamatan", "Kabupaten/Kota", "Keterangan Lain"]
CLEAN = [
    "Keripik Pisang Paloh",
    "Rina Wulandari",
    "6101085203900004",
    "081298765432",
    "Paloh",
    "Kabupaten Sambas",
    "pelanggan lama",
]
# Row numbers are the spreadsheet's own (header = 1).
MESSY = [
    HEADER,
    CLEAN,  # 2: clean
    ["Kerupuk Ikan Pemangkat", "Ahmad Fauzi", "6.10103E+15", "081211112222", "Pemangkat", "Kab. Sambas", ""],
    [
        "Dodol Durian Sambas",
        "Nur Aisyah",
        "6101014408850005",
        "8123456789.0",
        "Sambas",
        "Kabupaten Sambas",
        "",
    ],
    ["Warung Kopi Raya", "Hendra Gunawan", "6112011010800006", "081355556666", "Sungai Raya", "", ""],
    CLEAN,  # 6: the same business as row 2
]
SANGGAU = [
    ["Nama Usaha", "Nama Pemilik", "Kecamatan"],
    ["Lada Putih Entikong", "Yohanes Apui", "Entikong"],
]


def _id(message: str) -> str:
    """Return ``message`` as the Indonesian UI shows it (the English msgid while untranslated)."""
    with translation.override("id"):
        return translation.gettext(message)


DUPLICATE_OF_2 = _id(
    "This row describes the same business as row %(row)s of this file; it was not imported. "
    "Remove one of the two rows or merge them."
) % {"row": 2}
SUNGAI_RAYA_AMBIGUOUS = _id(
    "The district “%(value)s” exists in several regencies: %(candidates)s. Fill in the "
    "regency column or write the district code."
) % {
    "value": "Sungai Raya",
    "candidates": "61.07.01 Sungai Raya (Kabupaten Bengkayang), 61.12.01 Sungai Raya (Kabupaten Kubu Raya)",
}


# --- helpers ---------------------------------------------------------------------------------


def upload(client, capture, path, regency: str = ""):
    with capture(execute=True), path.open("rb") as f:
        return client.post(reverse("imports:upload"), {"file": f, "regency": regency})


def commit(client, capture, batch, mode: str = "commit_valid"):
    with capture(execute=True):
        return client.post(reverse("imports:commit", args=[batch.pk]), {"mode": mode})


def by_testid(html: str, name: str) -> str:
    match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</', html, re.S)
    assert match, name
    return unescape(strip_tags(match.group(1))).strip()


def page_rows(html: str) -> list[tuple[int, str, list[str]]]:
    """Return the preview's rows as ``(number, outcome, [error texts])``."""
    out = []
    for number, outcome, body in re.findall(
        r'<tr data-row="(\d+)" data-outcome="(\w+)">(.*?)</tr>', html, re.S
    ):
        errors = [
            unescape(strip_tags(e)).strip() for e in re.findall(r'<div class="error">(.*?)</div>', body, re.S)
        ]
        out.append((int(number), outcome, errors))
    return out


def batch_links(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/imports/(\d+)/"', html)}


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def messy_csv(tmp_path):
    # Semicolon-separated, as Excel saves "CSV" under an Indonesian locale.
    return write_csv(tmp_path / "umkm-sambas.csv", MESSY, delimiter=";")


@pytest.fixture
def previewed(client, cast, messy_csv, django_capture_on_commit_callbacks):
    """The messy file uploaded by the admin (regency named in each row) and dry-run."""
    client.force_login(cast.admin)
    upload(client, django_capture_on_commit_callbacks, messy_csv)
    client.logout()
    return ImportBatch.objects.get(original_name="umkm-sambas.csv")


@pytest.fixture
def sanggau_batch(client, cast, tmp_path, django_capture_on_commit_callbacks):
    """A batch of Kabupaten Sanggau, uploaded by Sanggau's officer."""
    client.force_login(cast.officer_sanggau)
    upload(client, django_capture_on_commit_callbacks, write_csv(tmp_path / "sanggau.csv", SANGGAU), "61.03")
    client.logout()
    return ImportBatch.objects.get(original_name="sanggau.csv")


# --- list ------------------------------------------------------------------------------------


class TestBatchList:
    def test_the_admin_sees_every_batch_and_the_upload_form(self, client, cast, previewed, sanggau_batch):
        client.force_login(cast.admin)
        response = client.get(reverse("imports:list"))
        assert response.status_code == 200
        html = response.content.decode()
        assert batch_links(html) == {previewed.pk, sanggau_batch.pk}
        assert 'data-testid="upload-form"' in html

    def test_it_hides_other_regions(self, client, cast, previewed, sanggau_batch):
        client.force_login(cast.officer_sanggau)
        html = client.get(reverse("imports:list")).content.decode()
        assert batch_links(html) == {sanggau_batch.pk}
        client.force_login(cast.officer_sambas)
        html = client.get(reverse("imports:list")).content.decode()
        assert batch_links(html) == set()

    def test_an_officer_may_choose_only_their_own_regency(self, client, cast):
        client.force_login(cast.officer_sambas)
        html = client.get(reverse("imports:list")).content.decode()
        select = re.search(r'<select name="regency"[^>]*>(.*?)</select>', html, re.S).group(1)
        assert [v for v in re.findall(r'<option value="([^"]*)"', select) if v] == ["61.01"]

    def test_the_analyst_sees_batches_but_no_upload_form(self, client, cast, previewed):
        client.force_login(cast.analyst)
        html = client.get(reverse("imports:list")).content.decode()
        assert batch_links(html) == {previewed.pk}
        assert 'data-testid="upload-form"' not in html

    @pytest.mark.parametrize("role", ["consultant", "ministry", "entrepreneur"])
    def test_it_rejects_roles_that_do_not_import(self, client, cast, role):
        client.force_login(getattr(cast, role))
        assert client.get(reverse("imports:list")).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client, db):
        response = client.get(reverse("imports:list"))
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/imports/"


# --- upload and preview ----------------------------------------------------------------------


class TestBatchUpload:
    def test_a_messy_csv_is_previewed_with_exact_counts(
        self, client, cast, messy_csv, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.admin)
        response = upload(client, django_capture_on_commit_callbacks, messy_csv)
        batch = ImportBatch.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/imports/{batch.pk}/"
        assert (batch.status, batch.dry_run, batch.regency, batch.created_by) == (
            "previewed",
            True,
            None,
            cast.admin,
        )
        assert batch.counts == {
            "rows": 5,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "rejected": 3,
            "duplicates": 1,
        }
        assert batch.file_format == "csv"
        # A dry run writes nothing to the registry.
        assert Enterprise.objects.count() == 3

        html = client.get(response["Location"]).content.decode()
        assert 'data-status="previewed"' in html
        assert by_testid(html, "batch-status") == _id("previewed (dry run)")
        assert {
            k: by_testid(html, f"count-{k}") for k in ("rows", "created", "updated", "unchanged", "rejected")
        } == {
            "rows": "5",
            "created": "2",
            "updated": "0",
            "unchanged": "0",
            "rejected": "3",
        }
        assert [(n, outcome) for n, outcome, _e in page_rows(html)] == [
            (2, "created"),
            (3, "rejected"),
            (4, "created"),
            (5, "rejected"),
            (6, "rejected"),
        ]

    def test_each_row_records_why(self, previewed):
        outcomes = {
            r.number: (r.outcome, [e["code"] for e in r.errors], [w["code"] for w in r.warnings])
            for r in previewed.rows.all()
        }
        assert outcomes == {
            2: ("created", [], []),
            3: ("rejected", ["nik.scientific"], []),
            4: ("created", [], ["phone.float_artefact", "phone.trunk_zero_restored"]),
            5: ("rejected", ["district.ambiguous"], []),
            6: ("rejected", ["row.duplicate"], []),
        }

    def test_the_filter_shows_exactly_the_rejected_rows_with_their_reasons(self, client, cast, previewed):
        client.force_login(cast.admin)
        html = client.get(
            reverse("imports:detail", args=[previewed.pk]), {"outcome": "rejected"}
        ).content.decode()
        nik_error = previewed.rows.get(number=3).errors[0]
        assert page_rows(html) == [
            (3, "rejected", [f"[NIK] “6.10103E+15”: {nik_error['reason']}"]),
            (5, "rejected", [f"[Kecamatan] “Sungai Raya”: {SUNGAI_RAYA_AMBIGUOUS}"]),
            (6, "rejected", [f"[NIK] “6101085203900004”: {DUPLICATE_OF_2}"]),
        ]
        # The identifier is refused, never repaired: the message quotes what was typed.
        assert "6.10103E+15" in nik_error["reason"]
        created = client.get(reverse("imports:detail", args=[previewed.pk]), {"outcome": "created"})
        assert [(n, o) for n, o, _e in page_rows(created.content.decode())] == [
            (2, "created"),
            (4, "created"),
        ]

    def mapping_section(self, client, cast, batch) -> tuple[list[tuple[str, str]], str]:
        client.force_login(cast.admin)
        html = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
        section = re.search(r"<details open>(.*?)</details>", html, re.S).group(1)
        return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", section), section

    def test_the_mapping_section_lists_the_unknown_column(self, client, cast, previewed):
        mapped, section = self.mapping_section(client, cast, previewed)
        # Each mapped field is shown by its template label, beside the header found in the file.
        assert sorted(mapped) == sorted(
            [
                (LABELS["business_name"], "Nama Usaha"),
                (LABELS["owner_name"], "Nama Pemilik"),
                (LABELS["nik"], "NIK"),
                (LABELS["phone"], "No HP"),
                (LABELS["district"], "Kecamatan"),
                (LABELS["regency"], "Kabupaten/Kota"),
            ]
        )
        assert f"{_id('Columns not used')}: Keterangan Lain" in section
        assert previewed.header_map["_unknown"] == ["Keterangan Lain"]

    def test_the_mapping_section_follows_the_file_column_order(self, client, cast, previewed):
        mapped, _section = self.mapping_section(client, cast, previewed)
        assert [header for _label, header in mapped] == HEADER[:6]

    def test_an_officer_imports_into_their_regency_and_rows_of_another_are_rejected(
        self, client, cast, tmp_path, django_capture_on_commit_callbacks
    ):
        rows = [
            HEADER[:6],
            CLEAN[:6],
            ["Lada Putih Entikong", "Yohanes Apui", "", "", "Entikong", "Kabupaten Sanggau"],
        ]
        client.force_login(cast.officer_sambas)
        upload(client, django_capture_on_commit_callbacks, write_csv(tmp_path / "campur.csv", rows), "61.01")
        batch = ImportBatch.objects.get()
        assert (batch.status, batch.regency.code) == ("previewed", "61.01")
        assert batch.counts["created"] == 1
        assert batch.counts["rejected"] == 1
        row = batch.rows.get(number=3)
        assert row.outcome == "rejected"
        assert row.errors == [
            {
                "row": 3,
                "column": "Kabupaten/Kota",
                "value": "Kabupaten Sanggau",
                "code": "regency.other",
                "reason": _id(
                    "This row belongs to %(region)s, but this import is for %(import_regency)s: "
                    "send the row to that regency's import, or correct the regency."
                )
                % {"region": "Kabupaten Sanggau", "import_regency": "Kabupaten Sambas"},
            }
        ]

    def test_an_officer_cannot_upload_into_another_regency(
        self, client, cast, messy_csv, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.officer_sambas)
        response = upload(client, django_capture_on_commit_callbacks, messy_csv, "61.03")
        assert (response.status_code, response["Location"]) == (302, reverse("imports:list"))
        page = client.get(reverse("imports:list")).content.decode()
        assert _id("A regency officer may import only into their own regency.") in page
        assert ImportBatch.objects.count() == 0

    def test_it_rejects_readonly(self, client, cast, messy_csv, django_capture_on_commit_callbacks):
        client.force_login(cast.analyst)
        response = upload(client, django_capture_on_commit_callbacks, messy_csv)
        assert response.status_code == 403
        assert ImportBatch.objects.count() == 0

    def test_a_mapping_file_overrides_the_guess(
        self, client, cast, messy_csv, tmp_path, django_capture_on_commit_callbacks
    ):
        mapping = tmp_path / "kolom.json"
        mapping.write_text('{"phone": "No HP"}', encoding="utf-8")
        client.force_login(cast.admin)
        with (
            django_capture_on_commit_callbacks(execute=True),
            messy_csv.open("rb") as f,
            mapping.open("rb") as m,
        ):
            response = client.post(reverse("imports:upload"), {"file": f, "regency": "", "mapping": m})
        batch = ImportBatch.objects.get()
        assert response["Location"] == f"/imports/{batch.pk}/"
        assert (batch.mapping, batch.status, batch.counts["rows"]) == ({"phone": "No HP"}, "previewed", 5)

    def test_a_mapping_file_with_an_unknown_field_is_refused_with_a_message(
        self, client, cast, messy_csv, tmp_path
    ):
        mapping = tmp_path / "kolom.json"
        mapping.write_text('{"warna": "Keterangan Lain"}', encoding="utf-8")
        client.force_login(cast.admin)
        with messy_csv.open("rb") as f, mapping.open("rb") as m:
            response = client.post(reverse("imports:upload"), {"file": f, "regency": "", "mapping": m})
        assert response.status_code == 302
        assert response["Location"] == "/imports/"
        assert ImportBatch.objects.count() == 0

    def test_a_post_without_a_file_creates_nothing(self, client, cast):
        client.force_login(cast.admin)
        response = client.post(reverse("imports:upload"), {"regency": ""})
        assert response.status_code == 302
        assert response["Location"] == "/imports/"
        assert ImportBatch.objects.count() == 0


# --- detail ----------------------------------------------------------------------------------


class TestBatchDetail:
    def test_it_hides_other_regions(self, client, cast, previewed, sanggau_batch):
        client.force_login(cast.officer_sambas)
        assert client.get(reverse("imports:detail", args=[sanggau_batch.pk])).status_code == 404
        # A batch without a regency (the office's) is not the officer's either.
        assert client.get(reverse("imports:detail", args=[previewed.pk])).status_code == 404
        client.force_login(cast.officer_sanggau)
        assert client.get(reverse("imports:detail", args=[sanggau_batch.pk])).status_code == 200

    def test_the_analyst_sees_the_preview_without_commit_buttons(self, client, cast, previewed):
        client.force_login(cast.analyst)
        response = client.get(reverse("imports:detail", args=[previewed.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert by_testid(html, "count-rejected") == "3"
        assert 'data-testid="commit-valid"' not in html

    def test_a_row_shows_its_original_cells(self, client, cast, previewed):
        client.force_login(cast.admin)
        response = client.get(reverse("imports:row_cells", args=[previewed.pk, 3]))
        assert response.status_code == 200
        assert response.json() == [
            "Kerupuk Ikan Pemangkat",
            "Ahmad Fauzi",
            "6.10103E+15",
            "081211112222",
            "Pemangkat",
            "Kab. Sambas",
        ]  # the trailing empty cell is not kept
        assert client.get(reverse("imports:row_cells", args=[previewed.pk, 99])).status_code == 404

    def test_the_original_cells_are_hidden_from_other_regions(self, client, cast, previewed):
        client.force_login(cast.officer_sambas)
        assert client.get(reverse("imports:row_cells", args=[previewed.pk, 3])).status_code == 404
        client.force_login(cast.consultant)
        assert client.get(reverse("imports:row_cells", args=[previewed.pk, 3])).status_code == 403

    def test_a_poll_after_the_run_reloads_the_page(self, client, cast, previewed):
        client.force_login(cast.admin)
        response = client.get(
            reverse("imports:detail", args=[previewed.pk]), {"part": "status"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 204
        assert response["HX-Refresh"] == "true"

    def test_a_poll_while_queued_returns_the_status_part(self, client, cast, messy_csv):
        from plut.imports.services import import_batch_create

        with messy_csv.open("rb") as f:
            batch = import_batch_create(actor=cast.admin, file=f, filename="umkm.csv")
        client.force_login(cast.admin)
        response = client.get(
            reverse("imports:detail", args=[batch.pk]), {"part": "status"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="batch-status" data-status="uploaded"')
        assert f'hx-get="/imports/{batch.pk}/?part=status"' in html


# --- commit ----------------------------------------------------------------------------------


class TestBatchCommit:
    def test_commit_valid_creates_the_valid_rows_only(
        self, client, cast, previewed, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.admin)
        response = commit(client, django_capture_on_commit_callbacks, previewed)
        assert response.status_code == 302
        assert response["Location"] == f"/imports/{previewed.pk}/"
        previewed.refresh_from_db()
        assert (previewed.status, previewed.dry_run, previewed.mode) == ("partial", False, "commit_valid")
        assert previewed.counts == {
            "rows": 5,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "rejected": 3,
            "duplicates": 1,
        }
        created = Enterprise.objects.filter(import_rows__batch=previewed).select_related("owner")
        assert sorted((e.name, e.owner.full_name, e.district_code) for e in created) == [
            ("Dodol Durian Sambas", "Nur Aisyah", "61.01.01"),
            ("Keripik Pisang Paloh", "Rina Wulandari", "61.01.08"),
        ]
        assert Enterprise.objects.count() == 5
        # The phone typed as 8123456789.0 is stored with its trunk zero restored.
        assert created.get(name="Dodol Durian Sambas").owner.phone == "+628123456789"
        assert list(previewed.rows.filter(outcome="rejected").values_list("number", flat=True)) == [3, 5, 6]

        html = client.get(response["Location"]).content.decode()
        assert 'data-status="partial"' in html
        assert by_testid(html, "batch-status") == _id("valid rows committed")
        assert by_testid(html, "count-created") == "2"
        assert by_testid(html, "count-rejected") == "3"
        # Committed: no commit buttons any more.
        assert 'data-testid="commit-valid"' not in html

    def test_an_atomic_commit_with_rejected_rows_writes_nothing(
        self, client, cast, previewed, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.admin)
        commit(client, django_capture_on_commit_callbacks, previewed, mode="atomic")
        previewed.refresh_from_db()
        assert previewed.status == "rejected"
        assert previewed.counts["rejected"] == 3
        assert Enterprise.objects.count() == 3

    def test_it_rejects_readonly(self, client, cast, previewed, django_capture_on_commit_callbacks):
        client.force_login(cast.analyst)
        response = commit(client, django_capture_on_commit_callbacks, previewed)
        assert response.status_code == 403
        previewed.refresh_from_db()
        assert previewed.status == "previewed"
        assert Enterprise.objects.count() == 3

    def test_it_hides_other_regions(self, client, cast, sanggau_batch, django_capture_on_commit_callbacks):
        client.force_login(cast.officer_sambas)
        response = commit(client, django_capture_on_commit_callbacks, sanggau_batch)
        assert response.status_code == 404
        sanggau_batch.refresh_from_db()
        assert sanggau_batch.status == "previewed"
        assert not Enterprise.objects.filter(name="Lada Putih Entikong").exists()

    def test_the_officer_commits_their_own_batch(
        self, client, cast, sanggau_batch, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.officer_sanggau)
        commit(client, django_capture_on_commit_callbacks, sanggau_batch, mode="atomic")
        sanggau_batch.refresh_from_db()
        assert sanggau_batch.status == "committed"
        assert Enterprise.objects.get(name="Lada Putih Entikong").district_code == "61.03.21"

    def test_a_committed_batch_cannot_be_committed_again(
        self, client, cast, previewed, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.admin)
        commit(client, django_capture_on_commit_callbacks, previewed)
        response = commit(client, django_capture_on_commit_callbacks, previewed)
        assert response.status_code == 302
        previewed.refresh_from_db()
        assert previewed.status == "partial"
        assert Enterprise.objects.count() == 5


# --- error workbook and template -------------------------------------------------------------


class TestErrorReport:
    def test_the_error_workbook_has_the_rejected_rows_as_text(self, client, cast, previewed):
        client.force_login(cast.admin)
        response = client.get(reverse("imports:error_report", args=[previewed.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="baris-ditolak-{previewed.pk}.xlsx"'
        ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        assert rows[0] == [_id("Source row"), *HEADER, _id("Reasons for rejection")]
        assert [r[0] for r in rows[1:]] == [3, 5, 6]
        nik_reason = previewed.rows.get(number=3).errors[0]["reason"]
        assert rows[1] == [
            3,
            "Kerupuk Ikan Pemangkat",
            "Ahmad Fauzi",
            "6.10103E+15",
            "081211112222",
            "Pemangkat",
            "Kab. Sambas",
            None,  # an empty cell stays empty
            f"[NIK] {nik_reason}",
        ]
        assert rows[2][-1] == f"[Kecamatan] {SUNGAI_RAYA_AMBIGUOUS}"
        assert rows[3][1:-1] == CLEAN
        assert rows[3][-1] == f"[NIK] {DUPLICATE_OF_2}"
        # Identifiers are text cells formatted as text, so Excel keeps every digit.
        nik, phone = ws.cell(row=4, column=4), ws.cell(row=4, column=5)
        assert (nik.value, nik.data_type, nik.number_format) == ("6101085203900004", "s", "@")
        assert (phone.value, phone.data_type, phone.number_format) == ("081298765432", "s", "@")

    def test_it_hides_other_regions(self, client, cast, previewed):
        client.force_login(cast.officer_sambas)
        assert client.get(reverse("imports:error_report", args=[previewed.pk])).status_code == 404

    def test_a_batch_without_rejected_rows_has_no_workbook(self, client, cast, sanggau_batch):
        client.force_login(cast.officer_sanggau)
        assert client.get(reverse("imports:error_report", args=[sanggau_batch.pk])).status_code == 404

    def test_it_rejects_roles_that_do_not_import(self, client, cast, previewed):
        client.force_login(cast.ministry)
        assert client.get(reverse("imports:error_report", args=[previewed.pk])).status_code == 403


class TestTemplateDownload:
    def test_the_template_downloads_and_opens(self, client, cast):
        client.force_login(cast.officer_sambas)
        response = client.get(reverse("imports:template"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == 'attachment; filename="template-umkm-plut.xlsx"'
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames == ["Data UMKM", "Petunjuk", "Referensi"]
        header = [c.value for c in next(wb["Data UMKM"].iter_rows(max_row=1))]
        assert header[:4] == ["Nama Usaha", "Nama Pemilik", "NIK", "Jenis Kelamin"]

    def test_it_rejects_roles_that_do_not_import(self, client, cast):
        client.force_login(cast.consultant)
        assert client.get(reverse("imports:template")).status_code == 403
