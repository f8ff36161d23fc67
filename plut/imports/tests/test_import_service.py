"""The import end to end through the service and the CLI: every kind of damage of issue #3.

Invented people only. Row numbers are the spreadsheet's own (header = 1).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from plut.enterprises.models import Enterprise, FigureSnapshot, Owner
from plut.imports import services
from plut.imports.models import ImportBatch, ImportRow
from plut.imports.tests.files import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "No",
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "No HP",
    "KBLI",
    "NIB",
    "NPWP",
    "Omzet per tahun",
    "Modal",
    "Tenaga Kerja",
    "Tanggal Data",
]


def row(
    no,
    name,
    owner,
    nik="",
    village="",
    district="Paloh",
    regency="Kab. Sambas",
    phone="",
    kbli="10750",
    nib="",
    npwp="",
    sales="",
    capital="",
    workers="",
    date="",
):
    return [
        no,
        name,
        owner,
        nik,
        village,
        district,
        regency,
        phone,
        kbli,
        nib,
        npwp,
        sales,
        capital,
        workers,
        date,
    ]


def run(path: Path, *, dry_run=False, mode="atomic", regency=None) -> ImportBatch:
    with path.open("rb") as f:
        batch = services.import_batch_create(
            actor=None, file=f, filename=path.name, regency_code=regency, mode=mode
        )
    return services.import_batch_run(batch=batch, dry_run=dry_run)


def outcomes(batch: ImportBatch) -> dict[int, str]:
    return dict(batch.rows.values_list("number", "outcome"))


def codes(batch: ImportBatch, number: int) -> list[str]:
    return [e["code"] for e in batch.rows.get(number=number).errors]


def warning_codes(batch: ImportBatch, number: int) -> list[str]:
    return [w["code"] for w in batch.rows.get(number=number).warnings]


def test_nik_through_a_numeric_cell_is_rejected_not_repaired(tmp_path, reference_data):
    path = write_xlsx(
        tmp_path / "a.xlsx", [HEADER, row(1, "Amplang Siti", "Siti", nik=6101084506800001, village="Temajuk")]
    )
    batch = run(path)
    assert (batch.status, outcomes(batch)) == ("rejected", {2: "rejected"})
    assert codes(batch, 2) == ["nik.numeric_cell"]
    error = batch.rows.get(number=2).errors[0]
    # openpyxl stores the int exactly; Excel would have kept 15 digits. Either way: a numeric cell.
    assert (error["row"], error["column"], error["value"]) == (2, "NIK", "6101084506800001")
    assert Owner.objects.count() == 0


def test_nik_in_scientific_notation_is_rejected(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", nik="6,10108E+15", village="Temajuk")]
    )
    batch = run(path, dry_run=True)
    assert codes(batch, 2) == ["nik.scientific"]


def test_phone_float_artefact_and_lost_zero_are_repaired_with_warnings(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", nik="6101084506800001", village="Temajuk", phone="8123456789.0"),
            row(2, "Kopi Budi", "Budi", nik="6101081203750002", village="Temajuk", phone="81298765432"),
            row(3, "Lada Ahmad", "Ahmad", nik="6101081203750003", village="Temajuk", phone="+60 12-345 6789"),
        ],
    )
    batch = run(path)
    assert batch.status == "committed"
    assert warning_codes(batch, 2) == ["phone.float_artefact", "phone.trunk_zero_restored"]
    assert warning_codes(batch, 3) == ["phone.trunk_zero_restored"]
    phones = {o.full_name: (o.phone, o.phone_raw) for o in Owner.objects.all()}
    assert phones == {
        "Siti": ("+628123456789", "8123456789.0"),
        "Budi": ("+6281298765432", "81298765432"),
        "Ahmad": ("+60123456789", "+60 12-345 6789"),
    }


def test_npwp_that_lost_its_leading_zero_is_repaired_and_recorded(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk", npwp="98765431721000")]
    )
    batch = run(path)
    assert warning_codes(batch, 2) == ["npwp.repaired_leading_zero"]
    ent = Enterprise.objects.get()
    assert (ent.npwp, ent.npwp_raw) == ("098765431721000", "98765431721000")


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("Rp 1.500.000", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("1,5 jt", 1_500_000),
        ("1.5 juta", 1_500_000),
        ("2 M", 2_000_000_000),
        ("2 miliar", 2_000_000_000),
        ("750 rb", 750_000),
    ],
)
def test_every_rupiah_notation(tmp_path, reference_data, typed, rupiah):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk", sales=typed)]
    )
    run(path)
    assert FigureSnapshot.objects.get().annual_sales_idr == rupiah


def test_ambiguous_amount_is_rejected(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk", sales="1,500")]
    )
    batch = run(path, dry_run=True)
    assert codes(batch, 2) == ["money.ambiguous"]


def test_kab_pontianak_is_mempawah_and_kota_pontianak_is_the_city(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Kue Rina", "Rina", district="Mempawah Hilir", regency="Kab. Pontianak"),
            row(2, "Kopi Lim", "Lim", district="Pontianak Kota", regency="Kota Pontianak"),
        ],
    )
    batch = run(path)
    assert batch.status == "committed"
    assert dict(Enterprise.objects.values_list("name", "regency_code")) == {
        "Kue Rina": "61.02",
        "Kopi Lim": "61.71",
    }
    assert warning_codes(batch, 2) == ["regency.alias"]


def test_a_district_name_in_two_regencies_is_an_error_listing_both(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Toko Andi", "Andi", district="Sungai Raya", regency=""),
            row(2, "Toko Dewi", "Dewi", district="Sungai Raya", regency="Kubu Raya"),
        ],
    )
    batch = run(path, dry_run=True)
    assert outcomes(batch) == {2: "rejected", 3: "created"}
    error = batch.rows.get(number=2).errors[0]
    assert error["code"] == "district.ambiguous"
    assert "61.07.01" in error["reason"] and "61.12.01" in error["reason"]


def test_semicolon_windows_1252_csv(tmp_path, reference_data):
    rows = [
        HEADER,
        row(
            1,
            "Kerupuk Café",
            "Kaliau' Jaya",
            district="Sajingan Besar",
            village="Kaliau'",
            sales="Rp 1.500.000",
        ),
    ]
    path = write_csv(tmp_path / "a.csv", rows, encoding="cp1252", delimiter=";")
    batch = run(path)
    assert batch.status == "committed"
    ent = Enterprise.objects.get()
    assert (ent.name, ent.owner.full_name, ent.region.code) == (
        "Kerupuk Café",
        "Kaliau' Jaya",
        "61.01.09.2001",
    )
    assert [p["code"] for p in batch.file_problems] == ["file.encoding_cp1252"]


def test_semicolon_utf8_csv_with_bom(tmp_path, reference_data):
    rows = [HEADER, row(1, "Kerupuk Café", "Siti", district="Sajingan Besar", village="Kaliau'")]
    batch = run(write_csv(tmp_path / "a.csv", rows, delimiter=";", bom=True))
    assert (batch.status, Enterprise.objects.get().name) == ("committed", "Kerupuk Café")


def test_excel_serial_date_sets_the_date_of_the_figures(tmp_path, reference_data):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk", sales="2 M", date=45658)],
    )
    run(path)
    assert FigureSnapshot.objects.get().as_of == dt.date(2025, 1, 1)


def test_duplicate_rows_in_one_file_are_reported_not_merged(tmp_path, reference_data):
    same = row(1, "Amplang Siti", "Siti", nik="6101084506800001", village="Temajuk")
    path = write_csv(tmp_path / "a.csv", [HEADER, same, row(2, "Kopi Budi", "Budi", village="Temajuk"), same])
    batch = run(path, mode="commit_valid")
    assert outcomes(batch) == {2: "created", 3: "created", 4: "rejected"}
    assert codes(batch, 4) == ["row.duplicate"]
    assert (
        "row 2" in batch.rows.get(number=4).errors[0]["reason"]
        or "baris 2" in batch.rows.get(number=4).errors[0]["reason"]
    )
    assert Enterprise.objects.count() == 2


def test_one_owner_may_have_several_businesses(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", nik="6101084506800001", village="Temajuk"),
            row(2, "Warung Siti", "Siti", nik="6101084506800001", village="Temajuk", kbli="56102"),
        ],
    )
    batch = run(path)
    assert outcomes(batch) == {2: "created", 3: "created"}
    assert Owner.objects.count() == 1
    assert Enterprise.objects.filter(owner=Owner.objects.get()).count() == 2


def test_reimporting_the_same_file_changes_nothing(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(
                1,
                "Amplang Siti",
                "Siti",
                nik="6101084506800001",
                village="Temajuk",
                nib="1234567890123",
                sales="1,5 jt",
            ),
            row(
                2, "Kopi Budi", "Budi", nik="6101081203750002", village="Temajuk", sales="750 rb", workers="2"
            ),
        ],
    )
    run(path)
    counts = (Owner.objects.count(), Enterprise.objects.count(), FigureSnapshot.objects.count())
    second = run(path)
    assert second.counts == {
        "rows": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": 0,
        "duplicates": 0,
    }
    assert (Owner.objects.count(), Enterprise.objects.count(), FigureSnapshot.objects.count()) == counts


def test_a_changed_row_updates_with_before_and_after(tmp_path, reference_data):
    first = [
        HEADER,
        row(
            1,
            "Amplang Siti",
            "Siti",
            nik="6101084506800001",
            village="Temajuk",
            nib="1234567890123",
            sales="1,5 jt",
        ),
    ]
    run(write_csv(tmp_path / "a.csv", first))
    second = [
        HEADER,
        row(
            1,
            "Amplang Siti",
            "Siti",
            nik="6101084506800001",
            village="Temajuk",
            nib="1234567890123",
            sales="3 M",
        ),
    ]
    batch = run(write_csv(tmp_path / "b.csv", second))
    assert outcomes(batch) == {2: "updated"}
    changes = batch.rows.get(number=2).changes
    assert changes["figures"] == [{"annual_sales_idr": 1_500_000}, {"annual_sales_idr": 3_000_000_000}]
    ent = Enterprise.objects.get()
    assert (ent.size_class, ent.figures.count()) == ("small", 2)


def test_a_corrected_resend_of_the_error_workbook_imports_the_fixed_rows(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", nik="6101084506800001", village="Temajuk"),
            row(2, "Lada Budi", "Budi", nik="6,10108E+15", village="Temajuk"),
        ],
    )
    batch = run(path, mode="commit_valid")
    assert batch.status == "partial"
    report = tmp_path / "errors.xlsx"
    report.write_bytes(batch.error_report.open("rb").read())
    wb = load_workbook(report)
    ws = wb.active
    assert [c.value for c in ws[1]][:3] == ["Baris asal", "No", "Nama Usaha"]
    assert [c.value for c in ws[2]][:5] == [3, "2", "Lada Budi", "Budi", "6,10108E+15"]
    assert ws.cell(2, 5).number_format == "@"
    # The regency types the NIK again, as text, and sends the workbook back as it is.
    ws.cell(2, 5).value = "6101081203750002"
    wb.save(report)
    resend = run(report)
    assert (resend.status, outcomes(resend)) == ("committed", {2: "created"})
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == ["Amplang Siti", "Lada Budi"]


def test_a_file_with_no_data_rows_is_an_error(tmp_path, reference_data):
    batch = run(write_csv(tmp_path / "a.csv", [HEADER]))
    assert batch.status == "failed"
    assert [p["code"] for p in batch.file_problems] == ["file.no_rows"]


def test_a_missing_required_column_stops_before_any_row(tmp_path, reference_data):
    header = [h for h in HEADER if h != "Nama Pemilik"]
    batch = run(write_csv(tmp_path / "a.csv", [header, ["1", "Amplang Siti", "", "Temajuk"]]))
    assert batch.status == "failed"
    assert batch.rows.count() == 0
    assert batch.file_problems[0]["code"] == "header.missing"
    assert "Nama Pemilik" in batch.file_problems[0]["reason"]


def test_a_failure_in_the_middle_leaves_nothing_behind(tmp_path, reference_data, monkeypatch):
    rows = [HEADER] + [row(i, f"Usaha {i}", f"Pemilik {i}", village="Temajuk") for i in range(1, 8)]
    path = write_csv(tmp_path / "a.csv", rows)
    monkeypatch.setattr(services, "CHUNK", 3)
    calls = {"n": 0}
    real_apply = services._Writer.apply

    def apply_then_fail(self, plans):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_apply(self, plans)

    monkeypatch.setattr(services._Writer, "apply", apply_then_fail)
    with pytest.raises(RuntimeError):
        run(path)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows.count()) == ("failed", 0)
    assert (Enterprise.objects.count(), Owner.objects.count(), FigureSnapshot.objects.count()) == (0, 0, 0)


def test_atomic_mode_commits_nothing_when_a_row_is_rejected(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", village="Temajuk"),
            row(2, "Kopi Budi", "Budi", village="Temajuk", sales="1,500"),
        ],
    )
    batch = run(path)
    assert (batch.status, outcomes(batch)) == ("rejected", {2: "created", 3: "rejected"})
    assert Enterprise.objects.count() == 0


def test_the_original_is_kept_byte_for_byte_and_encrypted(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [HEADER, row(1, "Amplang Siti", "Siti", nik="6101084506800001", village="Temajuk")],
    )
    batch = run(path, dry_run=True)
    with batch.original.open("rb") as f:
        stored = f.read()
    assert b"6101084506800001" not in stored
    with services.open_original(batch) as f:
        assert f.read() == path.read_bytes()


def test_cli_json_output_and_exit_status(tmp_path, reference_data):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", village="Temajuk"),
            row(2, "Lada Budi", "Budi", nik="6,10108E+15", village="Temajuk"),
        ],
    )
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(
            "import_umkm",
            str(path),
            "--json",
            "--commit-valid",
            "--report",
            str(tmp_path / "r.xlsx"),
            stdout=out,
        )
    assert exc.value.code == 1
    body = json.loads(out.getvalue())
    assert {k: body[k] for k in ("rows", "created", "updated", "unchanged", "rejected")} == {
        "rows": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert [(e["row"], e["column"], e["value"], e["code"]) for e in body["errors"]] == [
        (3, "NIK", "6,10108E+15", "nik.scientific")
    ]
    assert isinstance(body["warnings"], list)
    assert (tmp_path / "r.xlsx").exists()


def test_cli_unreadable_file_exits_2(tmp_path, reference_data):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_umkm", str(path), "--json", stdout=out)
    assert exc.value.code == 2
    assert json.loads(out.getvalue())["errors"][0]["code"] == "file.unreadable"


def test_cli_clean_file_exits_0(tmp_path, reference_data):
    path = write_csv(tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk")])
    out = StringIO()
    call_command("import_umkm", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1


def test_rows_of_a_batch_record_the_enterprise_and_audit(tmp_path, reference_data):
    path = write_csv(tmp_path / "a.csv", [HEADER, row(1, "Amplang Siti", "Siti", village="Temajuk")])
    batch = run(path)
    import_row = batch.rows.get()
    assert import_row.enterprise == Enterprise.objects.get()
    assert import_row.outcome == ImportRow.Outcome.CREATED
    from plut.core.models import AuditLog

    assert (
        AuditLog.objects.filter(
            action="enterprise.import_create", target_id=str(import_row.enterprise_id)
        ).count()
        == 1
    )


def test_what_the_preview_reports_of_permits_is_what_the_commit_writes(tmp_path, reference_data):
    from plut.enterprises.models import Permit

    header = [
        "Nama Usaha",
        "Nama Pemilik",
        "NIK",
        "Desa/Kelurahan",
        "Kecamatan",
        "Kabupaten/Kota",
        "NIB",
        "Sertifikat Halal",
        "Omzet per tahun",
    ]
    base = ["Amplang Siti", "Siti", "6101084506800001", "Temajuk", "Paloh", "Kab. Sambas", "1234567890123"]
    run(write_csv(tmp_path / "a.csv", [header, [*base, "ID61110000123450123", "1,5 jt"]]))
    # Sent again with new sales (an update) and another halal number: it already holds a halal certificate.
    second = [header, [*base, "ID61110000999990123", "3 jt"]]
    preview = run(write_csv(tmp_path / "b.csv", second), dry_run=True)
    assert outcomes(preview) == {2: "updated"}
    assert sorted(preview.rows.get().changes) == ["figures"]
    committed = run(write_csv(tmp_path / "c.csv", second))
    assert sorted(committed.rows.get().changes) == ["figures"]
    assert sorted(Permit.objects.values_list("kind", flat=True)) == ["halal", "nib"]


def test_duplicates_and_shared_owners_are_found_across_chunks(tmp_path, reference_data, monkeypatch):
    """Rows are planned in chunks; what was seen in an earlier chunk still counts (disk-backed store)."""
    monkeypatch.setattr(services, "CHUNK", 2)
    nik = "6101084506800001"
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            row(1, "Amplang Siti", "Siti", nik=nik, village="Temajuk", nib="1234567890123"),  # row 2
            row(2, "Kopi Budi", "Budi", village="Temajuk"),  # row 3
            row(3, "Warung Siti", "Siti", nik=nik, village="Temajuk", kbli="56102"),  # row 4: same owner
            row(4, "Kerupuk Ani", "Ani", village="Temajuk", nib="1234567890123"),  # row 5: NIB of row 2
            row(5, "Kopi  Budi", "Budi", village="Temajuk"),  # row 6: same as row 3 (owner by name)
            row(6, "UD Amplang Siti", "Siti", nik=nik, village="Temajuk"),  # row 7: same as row 2 (NIK)
        ],
    )
    batch = run(path, mode="commit_valid")
    assert outcomes(batch) == {
        2: "created",
        3: "created",
        4: "created",
        5: "rejected",
        6: "rejected",
        7: "rejected",
    }
    reasons = {
        n: (r.errors[0]["code"], r.errors[0]["column"]) for n in (5, 6, 7) for r in [batch.rows.get(number=n)]
    }
    assert reasons == {
        5: ("row.duplicate", "NIB"),
        6: ("row.duplicate", "owner"),
        7: ("row.duplicate", "NIK"),
    }
    first = {n: batch.rows.get(number=n).errors[0]["reason"] for n in (5, 6, 7)}
    assert all(f" {expected}" in first[n] for n, expected in ((5, 2), (6, 3), (7, 2)))
    siti = Owner.objects.get(nik_hash=Owner.objects.get(enterprises__name="Amplang Siti").nik_hash)
    assert sorted(siti.enterprises.values_list("name", flat=True)) == ["Amplang Siti", "Warung Siti"]
    assert Enterprise.objects.count() == 3
