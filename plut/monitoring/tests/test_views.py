"""The monitoring pages through HTTP, with the cast."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from plut.core.testing import PASSWORD
from plut.monitoring.models import Flag, Report, Round
from plut.monitoring.services import round_create
from plut.monitoring.standard import datasets_install_standard
from plut.regions.models import Region


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def monthly(registry):
    ds = {d.code: d for d in datasets_install_standard(actor=registry.admin)}["umkm-bulanan"]
    return round_create(
        actor=registry.admin,
        version=ds.current_version(),
        name="Oktober 2026",
        period=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 10),
        target=Round.Target.REGION,
        region=Region.objects.get(code="61"),
    )


YEAR = {"period_type": "year", "period": "2025"}


class TestDashboard:
    def test_admin_sees_the_province(self, client, registry):
        login(client, registry.admin)
        html = client.get(reverse("monitoring:dashboard"), YEAR).content.decode()
        assert 'data-testid="kpi-n">3<' in html
        assert 'data-testid="kpi-sales">Rp 3.700.000.000<' in html

    def test_a_regency_officer_sees_only_their_sums(self, client, registry):
        login(client, registry.officer_sambas)
        response = client.get(reverse("monitoring:dashboard"), YEAR)
        html = response.content.decode()
        assert 'data-testid="kpi-n">1<' in html
        assert 'data-testid="kpi-sales">Rp 2.500.000.000<' in html
        assert "Rp 3.700.000.000" not in html and "Rp 1.200.000.000" not in html
        features = client.get(reverse("monitoring:map_geojson"), YEAR).json()["features"]
        counts = {f["id"]: f["properties"]["n"] for f in features}
        assert counts["61.01"] == 1 and counts["61.03"] is None and counts["61.71"] is None
        assert client.get(reverse("monitoring:dashboard"), {**YEAR, "region": "61.71"}).status_code == 404

    def test_drill_down_to_the_village_lists_enterprises(self, client, registry):
        login(client, registry.admin)
        html = client.get(
            reverse("monitoring:dashboard"), {**YEAR, "region": "61.01.08.2007"}
        ).content.decode()
        assert reverse("monitoring:enterprise", args=[registry.ent_sambas.pk]) in html

    def test_series(self, client, registry):
        login(client, registry.admin)
        data = client.get(reverse("monitoring:series_json"), {"period_type": "year"}).json()
        assert data["labels"] == ["2024", "2025"]
        assert data["sales_idr"] == [2_300_000_000, 3_700_000_000]

    def test_entrepreneurs_get_no_dashboard(self, client, registry):
        login(client, registry.entrepreneur)
        assert client.get(reverse("monitoring:dashboard")).status_code == 403


class TestEntry:
    def test_the_form_saves_and_flags(self, client, registry, monthly):
        login(client, registry.admin)
        url = reverse("monitoring:entry", args=[monthly.pk, registry.ent_pontianak.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"as_of": "2026-10-31", "sales": "Rp 600.000.000", "workers": "3"})
        assert response.status_code == 302 and response["Location"] == reverse("monitoring:flags")
        flag = Flag.objects.get()
        html = client.get(reverse("monitoring:flags")).content.decode()
        assert "Omzet berubah lebih dari 5 kali dibanding periode sebelumnya." in html
        client.post(reverse("monitoring:flag_explain", args=[flag.pk]), {"comment": "Pesanan besar."})
        flag.refresh_from_db()
        assert flag.status == "explained"

    def test_a_hard_rule_shows_its_message(self, client, registry, monthly):
        login(client, registry.admin)
        url = reverse("monitoring:entry", args=[monthly.pk, registry.ent_pontianak.pk])
        html = client.post(url, {"as_of": "2026-10-31", "sales": "1000", "workers": "-1"}).content.decode()
        assert "Jumlah tenaga kerja tidak boleh negatif." in html

    def test_another_regency_cannot_enter(self, client, registry, monthly):
        login(client, registry.officer_sanggau)
        assert (
            client.get(reverse("monitoring:entry", args=[monthly.pk, registry.ent_sambas.pk])).status_code
            == 404
        )

    def test_round_page_and_bulk_upload(self, client, registry, monthly):
        from django.core.files.uploadedfile import SimpleUploadedFile

        login(client, registry.admin)
        csv = f"enterprise_id,sales\n{registry.ent_sambas.pk},50000000\n".encode()
        html = client.post(
            reverse("monitoring:round", args=[monthly.pk]), {"file": SimpleUploadedFile("o.csv", csv)}
        ).content.decode()
        assert "1 row saved." in html or "1 baris disimpan." in html
        assert (
            client.get(reverse("monitoring:round", args=[monthly.pk]), {"by": "reporter"}).status_code == 200
        )


class TestReportsAndReach:
    def test_issue_and_download(self, client, registry):
        login(client, registry.admin)
        response = client.post(
            reverse("monitoring:reports"), {"kind": "province", "period_type": "year", "period": "2025"}
        )
        report = Report.objects.get()
        assert response["Location"] == reverse("monitoring:report", args=[report.pk])
        html = client.get(response["Location"]).content.decode()
        assert "Rp 3.700.000.000" in html
        xlsx = client.get(response["Location"], {"format": "xlsx"})
        assert xlsx.content[:2] == b"PK"
        pdf = client.get(response["Location"], {"format": "pdf"})
        assert pdf.content[:4] == b"%PDF"

    def test_officers_do_not_issue(self, client, registry):
        login(client, registry.officer_sambas)
        assert client.get(reverse("monitoring:reports")).status_code == 403

    def test_reach_page(self, client, registry):
        login(client, registry.officer_sambas)
        html = client.get(
            reverse("monitoring:reach"), {"period_type": "month", "period": "2026-11"}
        ).content.decode()
        assert "Paloh" in html and "Entikong" not in html


def test_monthly_job_issues_once(registry):
    from django.core.management import call_command

    call_command("monitoring_monthly_reports", "--month", "2026-10")
    call_command("monitoring_monthly_reports", "--month", "2026-10")
    assert sorted(Report.objects.values_list("kind", "version")) == [
        ("border", 1),
        ("ministry", 1),
        ("province", 1),
        ("reach", 1),
    ]


class TestApi:
    def test_figures_are_scoped(self, client, registry):
        login(client, registry.officer_sambas)
        data = client.get(
            "/api/v1/monitoring/figures", {"region": "61", "period_type": "year", "period": "2025"}
        ).json()
        assert data["figures"]["sales_idr"] == 2_500_000_000 and data["figures"]["partial"] is True
        assert (
            client.get(
                "/api/v1/monitoring/figures", {"region": "61.71", "period_type": "year", "period": "2025"}
            ).status_code
            == 404
        )

    def test_a_missing_period_is_a_422_naming_it(self, client, registry):
        login(client, registry.admin)
        r = client.get("/api/v1/monitoring/figures", {"region": "61", "period": ""})
        assert (r.status_code, r.json()) == (
            422,
            {
                "detail": {
                    "period": [
                        "Isi period_type month|quarter|year dan periode seperti 2026-10, 2026-Q4, 2026."
                    ]
                }
            },
        )

    def test_submit_with_rules(self, client, registry, monthly):
        login(client, registry.admin)
        url = f"/api/v1/monitoring/rounds/{monthly.pk}/submissions"
        bad = client.post(
            url,
            {"enterprise_id": registry.ent_pontianak.pk, "values": {"sales": 1000, "workers": -1}},
            content_type="application/json",
        )
        assert bad.status_code == 422
        assert bad.json()["detail"] == {"workers": ["Jumlah tenaga kerja tidak boleh negatif."]}
        ok = client.post(
            url,
            {"enterprise_id": registry.ent_pontianak.pk, "values": {"sales": 600_000_000}},
            content_type="application/json",
        )
        assert ok.status_code == 200
        assert ok.json()["open_flags"] == [
            {
                "rule": "sales_change",
                "message": "Omzet berubah lebih dari 5 kali dibanding periode sebelumnya.",
            }
        ]
