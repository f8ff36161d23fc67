"""Loading the shipped region data: exact counts, codes, border tables, idempotency and editions."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from plut.reference.models import ReferenceLoad
from plut.regions import services
from plut.regions.models import (
    BorderDistrict,
    BorderPost,
    BorderVillage,
    Boundary,
    Level,
    Region,
    RegionAlias,
    RegionChange,
    RegionEdition,
)
from plut.regions.resolver import resolve_region
from plut.regions.selectors import (
    border_district_codes,
    is_border_district,
    region_children,
    regions_at_level,
)

BORDER_DISTRICTS = {
    "61.01.08",  # Paloh
    "61.01.09",  # Sajingan Besar
    "61.03.07",  # Sekayam
    "61.03.21",  # Entikong
    "61.05.05",  # Ketungau Tengah
    "61.05.06",  # Ketungau Hulu
    "61.06.01",  # Putussibau Utara
    "61.06.04",  # Embaloh Hulu
    "61.06.12",  # Batang Lupar
    "61.06.14",  # Badau
    "61.06.17",  # Putussibau Selatan
    "61.06.23",  # Puring Kencana
    "61.07.07",  # Jagoi Babang
    "61.07.12",  # Siding
}


def counts_of_all_tables() -> dict[str, int]:
    models = [
        Region,
        RegionEdition,
        RegionChange,
        RegionAlias,
        Boundary,
        BorderDistrict,
        BorderVillage,
        BorderPost,
    ]
    return {m.__name__: m.objects.count() for m in [*models, ReferenceLoad]}


@pytest.mark.django_db
class TestRegionLoad:
    def test_it_loads_the_kepmendagri_2025_hierarchy(self, reference_data):
        assert reference_data["province"] == 1
        assert reference_data["regencies"] == 14
        assert reference_data["districts"] == 174
        assert reference_data["villages"] == 2145
        assert reference_data["desa"] == 2046
        assert reference_data["kelurahan"] == 99
        assert Region.objects.count() == 2334
        assert regions_at_level(Level.REGENCY).count() == 14
        assert Region.objects.filter(kind=Region.Kind.CITY).count() == 2
        assert Region.objects.filter(kind=Region.Kind.REGENCY).count() == 12

    def test_it_sets_kind_parent_and_path(self, reference_data):
        kota = Region.objects.get(code="61.71")
        assert (kota.name, kota.kind, kota.parent.code, kota.path) == (
            "Kota Pontianak",
            "kota",
            "61",
            "61.71.",
        )
        kelurahan = Region.objects.get(code="61.71.01.1005")
        assert (kelurahan.kind, kelurahan.level, kelurahan.parent.code) == (
            "kelurahan",
            Level.VILLAGE,
            "61.71.01",
        )
        desa = Region.objects.get(code="61.01.09.2001")
        assert (desa.name, desa.kind) == ("Kaliau'", "desa")
        assert Region.objects.filter(path__startswith="61.01.").filter(level=Level.DISTRICT).count() == 19
        assert [r.code for r in region_children("61.01.09")][:2] == ["61.01.09.2001", "61.01.09.2002"]

    def test_it_stores_bps_codes_beside_kemendagri_codes(self, reference_data):
        bps = dict(Region.objects.filter(level=Level.REGENCY).values_list("code", "bps_code"))
        assert bps["61.03"] == "6105"  # Sanggau
        assert bps["61.07"] == "6102"  # Bengkayang
        assert bps["61.08"] == "6103"  # Landak
        assert bps["61.02"] == "6104"  # Mempawah
        assert bps["61.72"] == "6172"
        assert len(set(bps.values())) == 14
        assert Region.objects.get(code="61").bps_code == "61"

    def test_it_loads_population_area_and_label_points(self, reference_data):
        sambas = Region.objects.get(code="61.01")
        assert sambas.population == 651246
        assert sambas.area_km2 == Decimal("5928.221")
        assert Region.objects.get(code="61").population == 5646268
        assert sambas.label_lat == pytest.approx(1.4230857823487124)
        assert sambas.label_lng == pytest.approx(109.34956822007936)

    def test_it_loads_boundaries_for_regencies_districts_and_villages(self, reference_data):
        assert reference_data["boundaries"] == 14 + 174 + 2130
        assert Boundary.objects.filter(region__level=Level.REGENCY).count() == 14
        assert Boundary.objects.filter(region__level=Level.DISTRICT).count() == 174
        assert Boundary.objects.filter(region__level=Level.VILLAGE).count() == 2130
        # One of the 15 villages the source has no polygon for.
        assert not Boundary.objects.filter(region__code="61.01.10.2012").exists()
        geometry = Boundary.objects.get(region__code="61.01").geometry
        assert geometry["type"] == "MultiPolygon"

    def test_it_records_the_edition_with_checksum_and_counts(self, reference_data):
        edition = RegionEdition.objects.get()
        assert edition.name == "Kepmendagri 300.2.2-2138/2025"
        assert edition.source_sha256 == services.file_sha256(services.DATA_DIR / services.WILAYAH_CSV)
        assert edition.counts["villages"] == 2145
        assert edition.counts["created"] == 2334
        assert Region.objects.filter(first_edition=edition).count() == 2334

    def test_it_loads_the_former_name_of_mempawah(self, reference_data):
        aliases = set(RegionAlias.objects.values_list("name", "region__code", "kind"))
        assert aliases == {("Kabupaten Pontianak", "61.02", "former"), ("Kab. Pontianak", "61.02", "former")}
        assert all("PP 58/2014" in a.source for a in RegionAlias.objects.all())


@pytest.mark.django_db
class TestBorderTables:
    def test_it_loads_only_the_14_districts_touching_sarawak(self, reference_data):
        assert reference_data["border_districts"] == 14
        assert border_district_codes() == BORDER_DISTRICTS
        assert BorderDistrict.objects.count() == 14
        # Listed in published lists but not touching Sarawak: kept out.
        assert not BorderDistrict.objects.filter(region__code__in=["61.06.13", "61.07.05"]).exists()

    def test_border_districts_are_dated(self, reference_data):
        entikong = BorderDistrict.objects.get(region__code="61.03.21")
        assert entikong.valid_from == date(2025, 1, 1)
        assert entikong.border_length_km == Decimal("70.6")
        assert "kalbar_kecamatan_perbatasan_sarawak.csv" in entikong.source
        assert border_district_codes(on=date(2024, 12, 31)) == set()
        putussibau = BorderDistrict.objects.get(region__code="61.06.01")
        assert "Putussibau" in putussibau.note

    def test_is_border_district_covers_villages_inside_them(self, reference_data):
        assert is_border_district(Region.objects.get(code="61.03.21"))
        assert is_border_district(Region.objects.get(code="61.03.21.2003"))
        assert not is_border_district(Region.objects.get(code="61.06.13"))  # Empanang
        assert not is_border_district(Region.objects.get(code="61.03"))
        assert not is_border_district(Region.objects.get(code="61.03.21"), on=date(2024, 6, 1))

    def test_it_loads_53_border_villages(self, reference_data):
        assert reference_data["border_villages"] == 53
        temajuk = BorderVillage.objects.get(region__code="61.01.08.2007")
        assert temajuk.border_length_km == Decimal("42.6")
        assert temajuk.valid_from == date(2025, 1, 1)

    def test_it_loads_the_five_plbn_on_their_host_regions(self, reference_data):
        posts = {p.name: p for p in BorderPost.objects.select_related("region")}
        assert len(posts) == 5
        assert posts["PLBN Entikong"].region.code == "61.03.21.2003"
        assert posts["PLBN Aruk"].region.code == "61.01.09.2002"
        # No source names the host village of Nanga Badau: the post hangs on the district.
        assert posts["PLBN Nanga Badau (PLBN Terpadu Badau)"].region.code == "61.06.14"
        assert posts["PLBN Sungai Kelik (Sei Kelik)"].status == BorderPost.Status.PLANNED
        assert {p.status for n, p in posts.items() if "Kelik" not in n} == {BorderPost.Status.OPERATIONAL}
        assert "NOT the PLBN building" in posts["PLBN Entikong"].coord_basis


@pytest.mark.django_db
class TestIdempotency:
    def test_a_second_load_changes_nothing(self, reference_data):
        before = counts_of_all_tables()
        out = io.StringIO()
        with translation.override("en"):
            result = services.load_all_reference(stdout=out)
        assert result["rows_written"] == 0
        assert result["warnings"] == []
        assert counts_of_all_tables() == before
        assert "nothing changed" in out.getvalue()

    def test_the_command_reports_json(self, reference_data):
        out = io.StringIO()
        call_command("load_reference", "--json", stdout=out)
        payload = json.loads(out.getvalue())
        assert payload["ok"] is True
        assert payload["errors"] == [] and payload["warnings"] == []
        assert payload["counts"]["regencies"] == 14
        assert payload["counts"]["villages"] == 2145
        assert payload["counts"]["kbli"] == 2686
        assert payload["counts"]["rows_written"] == 0


def write_next_edition(tmp_path: Path) -> Path:
    """Write a region list with Kaliau' renamed, a new village and Sungai Bening (61.01.09.2005) missing."""
    source = (services.DATA_DIR / services.WILAYAH_CSV).read_text(encoding="utf-8").splitlines()
    lines = []
    for line in source:
        if line.startswith("61.01.09.2001,"):
            line = "61.01.09.2001,Kaliau Raya,desa_kelurahan,61.01.09"
        if line.startswith("61.01.09.2005,"):
            continue
        lines.append(line)
        if line.startswith("61.01.09.2004,"):
            lines.append("61.01.09.2099,Desa Uji Coba,desa_kelurahan,61.01.09")
    target = tmp_path / services.WILAYAH_CSV
    target.parent.mkdir(parents=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
class TestNextEdition:
    def test_it_renames_adds_and_retires_without_deleting(self, reference_data, tmp_path):
        data_dir = write_next_edition(tmp_path)
        result = services.reference_load(data_dir=data_dir, edition_name="Kepmendagri uji 2026")
        edition = RegionEdition.objects.get(name="Kepmendagri uji 2026")

        assert Region.objects.count() == 2335  # nothing deleted, one added
        renamed = Region.objects.get(code="61.01.09.2001")
        assert renamed.name == "Kaliau Raya"
        added = Region.objects.get(code="61.01.09.2099")
        assert (added.first_edition, added.parent.code, added.kind) == (edition, "61.01.09", "desa")
        missing = Region.objects.get(code="61.01.09.2005")
        assert missing.retired_in == edition
        assert not missing.is_active

        changes = set(
            RegionChange.objects.filter(edition=edition).values_list(
                "region__code", "field", "old_value", "new_value"
            )
        )
        assert changes == {
            ("61.01.09.2001", "name", "Kaliau'", "Kaliau Raya"),
            ("61.01.09.2005", "retired_in", "", "Kepmendagri uji 2026"),
        }
        assert edition.counts == {
            "province": 1,
            "regencies": 14,
            "districts": 174,
            "villages": 2145,
            "desa": 2046,
            "kelurahan": 99,
            "created": 1,
            "renamed": 1,
            "restored": 0,
            "retired": 1,
        }
        assert result["regions_retired"] == 1
        # The other files are absent from the folder: skipped with a warning, their rows untouched.
        assert len(result["warnings"]) == 9
        assert BorderVillage.objects.count() == 53
        assert Boundary.objects.filter(region__code="61.01.09.2005").exists()

        # The resolver sees the new edition at once.
        assert resolve_region("Kaliau Raya").region == renamed
        assert resolve_region("Desa Uji Coba").region == added
        assert resolve_region("Sungai Bening", within="61.01.09").status == "not_found"
        assert region_children("61.01.09").filter(code="61.01.09.2005").count() == 0

    def test_reloading_the_same_edition_changes_nothing(self, reference_data, tmp_path):
        data_dir = write_next_edition(tmp_path)
        services.reference_load(data_dir=data_dir, edition_name="Kepmendagri uji 2026")
        changes = RegionChange.objects.count()
        result = services.reference_load(data_dir=data_dir, edition_name="Kepmendagri uji 2026")
        assert result["rows_written"] == 0
        assert RegionChange.objects.count() == changes
        assert RegionEdition.objects.count() == 2

    def test_a_missing_region_that_comes_back_is_restored(self, reference_data, tmp_path):
        data_dir = write_next_edition(tmp_path)
        services.reference_load(data_dir=data_dir, edition_name="Kepmendagri uji 2026")
        services.reference_load(data_dir=services.DATA_DIR, edition_name="Kepmendagri uji 2027")
        back = Region.objects.get(code="61.01.09.2005")
        assert back.is_active
        assert back.changes.filter(field="retired_in", new_value="").exists()
        assert Region.objects.get(code="61.01.09.2001").name == "Kaliau'"
        # The test village is absent from the shipped list, so it is retired in turn.
        assert Region.objects.get(code="61.01.09.2099").retired_in.name == "Kepmendagri uji 2027"

    def test_an_edition_name_cannot_be_reused_for_another_file(self, reference_data, tmp_path):
        data_dir = write_next_edition(tmp_path)
        with pytest.raises(ValidationError):
            services.reference_load(data_dir=data_dir, edition_name="Kepmendagri 300.2.2-2138/2025")
