"""Loading KBLI 2020 and the Bapanas staple prices: exact counts, values, idempotency."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from plut.reference import services
from plut.reference.models import Commodity, Kbli, ReferenceLoad, StaplePrice
from plut.regions.services import file_sha256


@pytest.mark.django_db
class TestKbli:
    def test_it_loads_the_2686_oss_codes(self, reference_data):
        assert reference_data["kbli"] == 2686
        levels = {level: Kbli.objects.filter(level=level).count() for level in Kbli.Level.values}
        assert levels == {"golongan_pokok": 87, "golongan": 244, "subgolongan": 565, "kelompok": 1790}

    def test_codes_are_strings_with_their_section(self, reference_data):
        division = Kbli.objects.get(code="01")
        assert (division.level, division.section, division.parent_code) == ("golongan_pokok", "A", "")
        assert Kbli.objects.get(code="0111").parent_code == "011"
        assert Kbli.objects.filter(code__startswith="0").count() > 0
        assert set(Kbli.objects.values_list("section", flat=True)) == set("ABCDEFGHIJKLMNOPQRSTU")
        assert not Kbli.objects.filter(code__startswith="92").exists()  # gambling is absent from OSS
        assert Kbli.objects.get(code="49421").parent_code == "4942"  # parent absent from the file

    def test_the_load_is_recorded_and_skipped_the_second_time(self, reference_data):
        load = ReferenceLoad.objects.get(dataset=services.KBLI_DATASET)
        assert (load.rows, load.source_sha256) == (2686, file_sha256(services.KBLI_CSV))
        out = io.StringIO()
        with translation.override("en"):
            result = services.kbli_load(stdout=out)
        assert result["rows_written"] == 0
        assert "already loaded" in out.getvalue()
        assert ReferenceLoad.objects.filter(dataset=services.KBLI_DATASET).count() == 1


@pytest.mark.django_db
class TestStaplePrices:
    def test_it_loads_20_commodities_with_units(self, reference_data):
        assert reference_data["commodities"] == 20
        assert Commodity.objects.get(name="Minyak Goreng Curah").unit == "liter"
        assert Commodity.objects.get(name="Minyak Goreng Kemasan").unit == "liter"
        assert Commodity.objects.get(name="Beras Premium").unit == "kg"
        assert Commodity.objects.filter(unit="kg").count() == 18
        assert Commodity.objects.get(name="Kedelai Biji Kering (Impor)").slug == "kedelai-biji-kering-impor"
        assert not Commodity.objects.filter(name="SPHP_covered").exists()

    def test_it_loads_280_rows_of_20_prices(self, reference_data):
        # 14 regencies × 20 months × 20 commodities; the file has no empty cells.
        assert reference_data["staple_prices"] == 280 * 20
        assert StaplePrice.objects.values("region").distinct().count() == 14
        assert StaplePrice.objects.filter(region__code="61.71").count() == 400
        months = set(StaplePrice.objects.values_list("month", flat=True))
        assert (min(months), max(months), len(months)) == (date(2024, 1, 1), date(2025, 8, 1), 20)

    def test_prices_are_decimal_rupiah(self, reference_data):
        rice = StaplePrice.objects.get(
            region__code="61.01", commodity__name="Beras Premium", month=date(2024, 1, 1)
        )
        assert rice.price_idr == Decimal("16000.00")
        assert rice.source == services.PRICE_SOURCE
        # An imputed value ("19142.85714285714") is rounded half-up to cents.
        oil = StaplePrice.objects.get(
            region__code="61.04", commodity__name="Minyak Goreng Curah", month=date(2024, 6, 1)
        )
        assert oil.price_idr == Decimal("19142.86")

    def test_a_second_load_creates_nothing(self, reference_data):
        before = StaplePrice.objects.count()
        result = services.staple_prices_load()
        assert result["rows_written"] == 0
        assert StaplePrice.objects.count() == before

    def test_a_corrected_file_updates_prices_in_place(self, reference_data, tmp_path):
        lines = services.PRICES_CSV.read_text(encoding="utf-8").splitlines()
        lines[1] = lines[1].replace(",16000.0,", ",16500.0,", 1)
        corrected = tmp_path / "harga.csv"
        corrected.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = services.staple_prices_load(path=corrected)
        assert result["rows_written"] == 1
        assert result["staple_prices"] == 5600
        rice = StaplePrice.objects.get(
            region__code="61.01", commodity__name="Beras Premium", month=date(2024, 1, 1)
        )
        assert rice.price_idr == Decimal("16500.00")
        assert ReferenceLoad.objects.filter(dataset=services.PRICES_DATASET).count() == 2
