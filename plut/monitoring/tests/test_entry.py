"""Entry: hard rules reject, soft rules flag (hand-computed), corrections, spreadsheet, reach, reports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from plut.clinic.services import case_open
from plut.enterprises.models import FigureSnapshot
from plut.enterprises.services import enterprise_register, figures_record, owner_register
from plut.monitoring import reach
from plut.monitoring.models import Flag, Report, Round
from plut.monitoring.reports import report_diff, report_issue, report_xlsx
from plut.monitoring.selectors import flag_list, region_figures, round_progress
from plut.monitoring.services import bulk_entry_run, flag_explain, round_create, submission_record
from plut.monitoring.standard import datasets_install_standard
from plut.regions.models import Region

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def monthly(registry):
    ds = {d.code: d for d in datasets_install_standard(actor=registry.admin)}["umkm-bulanan"]
    rnd = round_create(
        actor=registry.admin,
        version=ds.current_version(),
        name="Oktober 2026",
        period=OCT,
        due_on=dt.date(2026, 11, 10),
        target=Round.Target.REGION,
        region=Region.objects.get(code="61"),
    )
    return rnd


def assignment(rnd, ent):
    return rnd.assignments.get(enterprise=ent)


def codes(flags):
    return sorted(f.rule.code for f in flags)


class TestHardRules:
    def test_each_hard_rule_rejects_with_its_message(self, registry, monthly):
        a = assignment(monthly, registry.ent_sambas)
        with pytest.raises(ValidationError) as exc:
            submission_record(
                actor=registry.admin, assignment=a, values={"sales": "Rp 1.000.000", "workers": "-1"}
            )
        assert exc.value.message_dict == {"workers": ["Jumlah tenaga kerja tidak boleh negatif."]}
        with pytest.raises(ValidationError) as exc:
            submission_record(
                actor=registry.admin,
                assignment=a,
                values={"sales": "1000000", "cross_border_sales": "2000000"},
            )
        assert exc.value.message_dict == {
            "cross_border_sales": ["Penjualan lintas batas tidak boleh lebih besar dari omzet."]
        }
        with pytest.raises(ValidationError) as exc:
            submission_record(
                actor=registry.admin, assignment=a, values={"sales": "1000000"}, as_of=dt.date(2026, 9, 30)
            )
        assert exc.value.message_dict == {"as_of": ["Tanggal data harus di dalam periode laporan."]}
        assert not FigureSnapshot.objects.filter(source="monitoring").exists()

    def test_bad_values_and_required(self, registry, monthly):
        a = assignment(monthly, registry.ent_sambas)
        with pytest.raises(ValidationError) as exc:
            submission_record(actor=registry.admin, assignment=a, values={"workers": "tiga", "colour": "x"})
        errors = exc.value.message_dict
        assert set(errors) == {"sales", "workers", "colour"}

    def test_outside_scope_is_refused(self, registry, monthly):
        with pytest.raises(PermissionDenied):
            submission_record(
                actor=registry.officer_sanggau,
                assignment=assignment(monthly, registry.ent_sambas),
                values={"sales": "1"},
            )


class TestSoftRules:
    def test_peer_outlier(self, registry, monthly):
        # Five peers of section C, micro, with October figures: annual 120..168 million, i.e.
        # monthly 10, 11, 12, 13, 14 million. Median 12 m, MAD 1 m. Sambas enters 100 m a month
        # (annual 1.2 bn: micro, like the peers): z = 0.6745 × 88 = 59.4 > 3.5 → flagged.
        # Previous figures (2025-12-31, 2.5 bn a year = 208,333,333 a month): ratio 2.08, not > 5;
        # class small → micro is one step: no other flag.
        owner, _w = owner_register(actor=registry.admin, full_name="Peer")
        village = registry.ent_sambas.region
        for i, annual in enumerate([120, 132, 144, 156, 168]):
            ent, _w = enterprise_register(
                actor=registry.admin, owner=owner, name=f"Peer {i}", region=village, kbli_codes=["10750"]
            )
            figures_record(
                actor=registry.admin,
                enterprise=ent,
                as_of=dt.date(2026, 10, 15),
                annual_sales_idr=annual * 1_000_000,
            )
        sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_sambas),
            values={"sales": "100.000.000"},
        )
        assert codes(flags) == ["sales_peer"]
        assert sub.snapshot.annual_sales_idr == 1_200_000_000
        assert sub.snapshot.source == "monitoring"
        # Within the group (x = 14 m): z = 0.6745 × 2 = 1.35, no flag.
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_sambas),
            values={"sales": "14000000"},
        )
        assert "sales_peer" not in codes(flags)

    def test_sales_changed_more_than_fivefold(self, registry, monthly):
        # Pontianak: 1.2 bn a year before → 100 m a month. 600 m > 5 × 100 m → flagged;
        # annual 7.2 bn is small (one class up from micro): no class flag.
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_pontianak),
            values={"sales": "600000000"},
        )
        assert codes(flags) == ["sales_change"]
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_pontianak),
            values={"sales": "500000000"},
        )
        assert codes(flags) == []  # exactly five times is not more than fivefold

    def test_workers_to_zero_and_class_jump(self, registry, monthly):
        # Sanggau: 2026-09-30 capital 6 bn (medium) and 5 workers. October: 0 workers, sales
        # 10 m a month (120 m a year: micro) → medium to micro is two classes.
        figures_record(
            actor=registry.admin,
            enterprise=registry.ent_sanggau,
            as_of=dt.date(2026, 9, 30),
            capital_idr=6_000_000_000,
            workers=5,
        )
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_sanggau),
            values={"sales": "10000000", "workers": "0"},
        )
        assert codes(flags) == ["class_jump", "workers_zero"]
        assert {f.message for f in flags} == {
            "Tenaga kerja turun menjadi nol.",
            "Skala usaha melompat 2 kelas atau lebih.",
        }

    def test_flags_form_a_follow_up_list_and_need_a_comment(self, registry, monthly):
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_pontianak),
            values={"sales": "600000000"},
        )
        assert list(flag_list(user=registry.admin)) == flags
        with pytest.raises(ValidationError):
            flag_explain(actor=registry.admin, flag=flags[0], comment="  ")
        flag_explain(actor=registry.admin, flag=flags[0], comment="Pesanan besar dari Kuching bulan ini.")
        assert list(flag_list(user=registry.admin)) == []
        assert Flag.objects.get().status == "explained"

    def test_a_comment_given_with_the_entry_explains_at_once(self, registry, monthly):
        _sub, flags = submission_record(
            actor=registry.admin,
            assignment=assignment(monthly, registry.ent_pontianak),
            values={"sales": "600000000"},
            comments={"sales_change": "Musim panen."},
        )
        assert flags == []
        assert Flag.objects.get().comment == "Musim panen."


class TestCorrectionAndAggregates:
    def test_a_correction_replaces_the_snapshot_and_the_aggregates_follow(self, registry, monthly):
        a = assignment(monthly, registry.ent_pontianak)
        submission_record(actor=registry.admin, assignment=a, values={"sales": "100000000", "workers": "4"})
        f = region_figures(user=registry.admin, region_code="61.71", period_type="month", period_start=OCT)
        assert (f["n"], f["sales_idr"], f["workers"]) == (1, 1_200_000_000, 4)
        submission_record(actor=registry.admin, assignment=a, values={"sales": "150000000", "workers": "5"})
        assert FigureSnapshot.objects.filter(source="monitoring").count() == 1
        f = region_figures(user=registry.admin, region_code="61.71", period_type="month", period_start=OCT)
        assert (f["n"], f["sales_idr"], f["workers"]) == (1, 1_800_000_000, 5)


class TestProgress:
    def test_completeness_and_timeliness(self, registry, monthly):
        submission_record(
            actor=registry.admin, assignment=assignment(monthly, registry.ent_sambas), values={"sales": "1"}
        )
        rows = {r["key"]: r for r in round_progress(user=registry.admin, rnd=monthly, by="regency")}
        assert rows["61.01"]["assigned"] == 1 and rows["61.01"]["completeness_pct"] == 100.0
        assert rows["61.01"]["timeliness_pct"] == 0.0  # entered on 29 November, due 10 November
        assert rows["61.03"]["completeness_pct"] == 0.0
        officer_rows = round_progress(user=registry.officer_sambas, rnd=monthly, by="district")
        assert [r["key"] for r in officer_rows] == ["61.01.08"]
        by_reporter = round_progress(user=registry.admin, rnd=monthly, by="reporter")
        assert [(r["key"], r["submitted"]) for r in by_reporter] == [("admin", 1)]


class TestBulkEntry:
    @translation.override("en")
    def test_all_or_nothing_with_row_column_value_reason(self, registry, monthly):
        sambas, pontianak = registry.ent_sambas, registry.ent_pontianak
        csv = f"enterprise_id,sales,workers\n{sambas.pk},50000000,3\n{pontianak.pk},20000000,-2\n999999,1,1\n"
        result = bulk_entry_run(
            actor=registry.admin, rnd=monthly, file=io.BytesIO(csv.encode()), filename="o.csv"
        )
        assert result["ok"] is False and result["rows"] == 0
        assert result["errors"] == [
            {
                "row": 3,
                "column": "workers",
                "value": "-2",
                "reason": "Jumlah tenaga kerja tidak boleh negatif.",
            },
            {
                "row": 4,
                "column": "enterprise_id",
                "value": "999999",
                "reason": "No enterprise with this identifier in the round.",
            },
        ]
        assert not FigureSnapshot.objects.filter(source="monitoring").exists()
        csv = f"enterprise_id,sales,workers\n{sambas.pk},50000000,3\n{pontianak.pk},600000000,2\n"
        result = bulk_entry_run(
            actor=registry.admin, rnd=monthly, file=io.BytesIO(csv.encode()), filename="o.csv"
        )
        assert result["ok"] is True and result["rows"] == 2
        assert result["warnings"] == [
            {
                "row": 3,
                "column": "sales",
                "value": "600000000",
                "reason": "Omzet berubah lebih dari 5 kali dibanding periode sebelumnya.",
            }
        ]


class TestReach:
    def test_share_per_district_border_lowest_first(self, registry):
        # A clinic case for Sambas (Paloh) open now; Sanggau (Entikong) untouched.
        case_open(
            actor=registry.admin,
            enterprise=registry.ent_sambas,
            channel="walk_in",
            complaint="Ingin memperluas pasar",
        )
        today = timezone.localdate()
        rows = reach.reach_by_district(
            user=registry.admin, start=today.replace(day=1), end=today + dt.timedelta(days=1)
        )
        assert [
            (r["code"], r["is_border"], r["enterprises"], r["touched"], r["share_pct"]) for r in rows
        ] == [
            ("61.03.21", True, 1, 0, 0.0),
            ("61.01.08", True, 1, 1, 100.0),
            ("61.71.01", False, 1, 0, 0.0),
        ]
        # The officer of Sambas sees only Paloh.
        officer = reach.reach_by_district(user=registry.officer_sambas, start=today.replace(day=1), end=today)
        assert [r["code"] for r in officer] == ["61.01.08"]

    def test_sources_are_pluggable(self, registry, settings):
        settings.PLUT_REACH_SOURCES = [
            "plut.monitoring.reach.clinic_cases",
            "plut.monitoring.tests.test_entry.fake_source",
        ]
        rows = reach.reach_by_district(user=registry.admin, start=OCT, end=dt.date(2026, 10, 31))
        assert {r["code"]: r["touched"] for r in rows} == {"61.03.21": 1, "61.01.08": 0, "61.71.01": 0}


def fake_source(*, start, end):
    from plut.enterprises.models import Enterprise

    return Enterprise.objects.filter(name="Lada Entikong").values_list("id", flat=True)


class TestReports:
    def test_an_issued_report_never_changes_and_a_reissue_shows_the_difference(self, registry):
        r1 = report_issue(
            actor=registry.admin,
            kind=Report.Kind.PROVINCE,
            period_type="year",
            period_start=dt.date(2025, 1, 1),
        )
        frozen = r1.data
        assert r1.data["total"]["values"]["sales_idr"] == 3_700_000_000
        # Correction: Pontianak's 2025 sales were 1.5 bn, not 1.2 bn.
        figures_record(
            actor=registry.admin,
            enterprise=registry.ent_pontianak,
            as_of=dt.date(2025, 12, 31),
            annual_sales_idr=1_500_000_000,
        )
        r1.refresh_from_db()
        assert r1.data == frozen
        r2 = report_issue(
            actor=registry.admin,
            kind=Report.Kind.PROVINCE,
            period_type="year",
            period_start=dt.date(2025, 1, 1),
        )
        assert r2.version == 2
        changes = {(c["key"], c["column"]): (c["old"], c["new"]) for c in report_diff(r2)}
        assert changes[("61.71", "Annual sales (Rp)")] == (1_200_000_000, 1_500_000_000)
        assert changes[("__total__", "Annual sales (Rp)")] == (3_700_000_000, 4_000_000_000)
        assert changes[("61.71", "Sales growth (%)")] == (50.0, 87.5)
        assert report_diff(r1) == []

    def test_xlsx_identifiers_text_and_formulas_neutralised(self, registry):
        from openpyxl import load_workbook

        registry.ent_pontianak.name = '=HYPERLINK("x")'
        registry.ent_pontianak.save()
        r = report_issue(
            actor=registry.admin,
            kind=Report.Kind.MINISTRY,
            period_type="year",
            period_start=dt.date(2025, 1, 1),
        )
        ws = load_workbook(io.BytesIO(report_xlsx(r))).active
        values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
        names = [row[3] for row in values]
        assert '\'=HYPERLINK("x")' in names
        nibs = [row[0] for row in values]
        assert "1234567890123" in nibs  # text, all 13 digits
        # Sales and workers of the latest figures: Pontianak 2025-12-31, Rp 1.200.000.000.
        assert [row[10] for row in values if row[3] == '\'=HYPERLINK("x")'] == [1_200_000_000]

    def test_only_the_office_issues(self, registry):
        with pytest.raises(PermissionDenied):
            report_issue(
                actor=registry.officer_sambas,
                kind="province",
                period_type="year",
                period_start=dt.date(2025, 1, 1),
            )
