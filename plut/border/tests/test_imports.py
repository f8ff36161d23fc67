"""Bulk entry from spreadsheets: every rejected value named by row, column, value and reason."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from plut.border.imports import rates_import, surveys_import
from plut.border.models import ExchangeRate, Observation, Survey

pytestmark = pytest.mark.django_db
D = Decimal

GOOD = (
    "Pasar;Tanggal;Komoditas;Merek;Asal;Satuan;Harga;Mata uang;Ketersediaan;Mata uang transaksi\n"
    "Pasar PLBN Entikong;08/03/2025;Gula Konsumsi;Gula Prai;Malaysia;kg;4,20;RM;tersedia;RM\n"
    "Pasar PLBN Entikong;08/03/2025;Gula Konsumsi;Gulaku;Indonesia;kg;Rp 16.000;IDR;ada;Rp\n"
    "Pasar PLBN Aruk;05/04/2025;Telur Ayam Ras;;;;;;tidak ada;\n"
)


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


class TestSurveyImport:
    def test_a_dry_run_checks_and_writes_nothing_then_commit_records_one_survey_per_market_and_day(
        self, dataset
    ):
        admin = dataset.s1.enumerator
        before = Survey.objects.count()
        result = surveys_import(actor=admin, source=csv_file(GOOD), filename="survei.csv")
        assert (
            result["ok"],
            result["committed"],
            result["rows"],
            result["surveys"],
            result["observations"],
        ) == (
            True,
            False,
            3,
            2,
            3,
        )
        assert result["errors"] == [] and Survey.objects.count() == before
        result = surveys_import(actor=admin, source=csv_file(GOOD), filename="survei.csv", commit=True)
        assert result["committed"] is True
        new = Survey.objects.filter(source="import").order_by("surveyed_on")
        assert [(s.market.name, s.surveyed_on) for s in new] == [
            ("Pasar PLBN Entikong", dt.date(2025, 3, 8)),
            ("Pasar PLBN Aruk", dt.date(2025, 4, 5)),
        ]
        rows = Observation.objects.filter(survey__source="import").order_by("id")
        assert [
            (o.origin, o.price, o.currency, o.price_idr, o.paid_currency, o.availability) for o in rows
        ] == [
            ("MY", D("4.20"), "MYR", 14700, "MYR", "available"),
            ("ID", D("16000"), "IDR", 16000, "IDR", "available"),
            ("", None, "", None, "", "unavailable"),
        ]

    def test_every_bad_value_is_reported_and_nothing_is_recorded(self, dataset):
        text = (
            "Pasar,Tanggal,Komoditas,Asal,Harga,Mata uang,Kolom lain\n"
            "Pasar Tidak Ada,08/03/2025,Gula Konsumsi,MY,4.20,MYR,x\n"
            "Pasar PLBN Entikong,31/02/2025,Gula Konsumsi,MY,4.20,MYR,x\n"
            "Pasar PLBN Entikong,08/03/2025,Gula Batu,Thailand,4.20,MYR,x\n"
            "Pasar PLBN Aruk,20/02/2025,Gula Konsumsi,MY,4.20,MYR,x\n"
            "Pasar PLBN Aruk,05/04/2025,Gula Konsumsi,ID,,IDR,x\n"
        )
        before = Survey.objects.count()
        result = surveys_import(
            actor=dataset.s1.enumerator, source=csv_file(text), filename="survei.csv", commit=True
        )
        assert (result["ok"], result["committed"]) == (False, False)
        got = [(e["row"], e["column"], e["value"], e["code"]) for e in result["errors"]]
        assert got == [
            (2, "Pasar", "Pasar Tidak Ada", "market.unknown"),
            (3, "Tanggal", "31/02/2025", "date.invalid"),
            (4, "Komoditas", "Gula Batu", "commodity.unknown"),
            (4, "Asal", "Thailand", "origin.unknown"),
            (5, "Mata uang", "MYR", "rate.missing"),
            (6, "Harga", "", "price.required"),
        ]
        # The missing rate names the date.
        assert "20 Februari 2025" in result["errors"][4]["reason"]
        assert [(w["column"], w["code"]) for w in result["warnings"]] == [("Kolom lain", "header.unknown")]
        assert Survey.objects.count() == before

    def test_an_xlsx_with_numeric_cells_is_read(self, dataset):
        wb = Workbook()
        ws = wb.active
        ws.append(["Pasar", "Tanggal", "Komoditas", "Asal", "Harga", "Mata uang"])
        ws.append(["Pasar PLBN Entikong", dt.date(2025, 3, 8), "gula-konsumsi", "MY", 4.2, "MYR"])
        ws.append(["Pasar PLBN Entikong", dt.date(2025, 3, 8), "Gula Konsumsi", "ID", 16000, "IDR"])
        buf = io.BytesIO()
        wb.save(buf)
        buf.seek(0)
        result = surveys_import(actor=dataset.s1.enumerator, source=buf, filename="s.xlsx", commit=True)
        assert result["errors"] == [] and result["committed"]
        prices = (
            Observation.objects.filter(survey__source="import")
            .order_by("id")
            .values_list("price_idr", flat=True)
        )
        assert list(prices) == [14700, 16000]

    def test_a_market_outside_the_officers_regency_is_rejected(self, dataset):
        from plut.accounts.models import User

        officer = User.objects.get(username="officer_sambas")
        text = "Pasar,Tanggal,Komoditas,Asal,Harga,Mata uang\nPasar PLBN Entikong,08/03/2025,Gula Konsumsi,ID,16000,IDR\n"
        result = surveys_import(actor=officer, source=csv_file(text), filename="s.csv")
        assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [
            (2, "Pasar", "market.scope")
        ]


class TestRateImport:
    def test_rates_in_indonesian_notation_are_recorded(self, seeded):
        text = (
            "tanggal;kurs;sumber\n2025-03-08;3.512,45;JISDOR\n09/03/2025;3512.5;JISDOR\n10/03/2025;3.520;BI\n"
        )
        result = rates_import(actor=seeded.admin, source=csv_file(text), filename="kurs.csv", commit=True)
        assert result["errors"] == [] and result["committed"]
        assert list(ExchangeRate.objects.order_by("on_date").values_list("on_date", "idr_per_unit")) == [
            (dt.date(2025, 3, 8), D("3512.4500")),
            (dt.date(2025, 3, 9), D("3512.5000")),
            (dt.date(2025, 3, 10), D("3520.0000")),
        ]

    def test_bad_rows_are_named_and_nothing_is_recorded(self, seeded):
        text = "tanggal,kurs\n2025-03-08,abc\n2025-03-09,0\n2025-03-10,3500\n10/03/2025,3501\n"
        result = rates_import(actor=seeded.admin, source=csv_file(text), filename="kurs.csv", commit=True)
        assert [(e["row"], e["column"], e["value"], e["code"]) for e in result["errors"]] == [
            (2, "kurs", "abc", "rate.format"),
            (3, "kurs", "0", "rate.positive"),
            (5, "tanggal", "10/03/2025", "rate.duplicate"),
        ]
        assert not ExchangeRate.objects.exists()

    def test_only_an_office_administrator_imports_rates(self, seeded):
        with pytest.raises(PermissionDenied):
            rates_import(
                actor=seeded.analyst, source=csv_file("tanggal,kurs\n2025-03-08,3500\n"), filename="k.csv"
            )


def test_the_template_round_trips_through_the_import(client, dataset):
    from openpyxl import load_workbook

    from plut.accounts.models import User

    client.force_login(User.objects.get(username="officer_sambas"))
    body = client.get("/border/surveys/template.xlsx").content
    wb = load_workbook(io.BytesIO(body))
    assert [c.value for c in wb["Survei"][1]][:3] == ["Pasar", "Tanggal", "Komoditas"]
    assert [r[0] for r in wb["Daftar"].iter_rows(values_only=True) if r[0]] == ["Pasar PLBN Aruk"]
    ws = wb["Survei"]
    ws.append(
        [
            "Pasar PLBN Aruk",
            "05/04/2025",
            "Gula Konsumsi",
            "",
            "Malaysia",
            "kg",
            "4.40",
            "MYR",
            "tersedia",
            "MYR",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = surveys_import(
        actor=User.objects.get(username="officer_sambas"), source=buf, filename="t.xlsx", commit=True
    )
    assert result["errors"] == [] and result["committed"]
    assert Observation.objects.filter(survey__source="import").get().price_idr == 15840  # 4.40 × 3,600
