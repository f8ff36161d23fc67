"""The region resolver on the traps found in real spreadsheets."""

from __future__ import annotations

import time

import pytest

from plut.regions import resolver
from plut.regions.models import Level, Region
from plut.regions.resolver import FUZZY_THRESHOLD, normalize, resolve_region


def codes(regions: list[Region]) -> list[str]:
    return [r.code for r in regions]


@pytest.mark.django_db
class TestNames:
    @pytest.mark.parametrize(
        "text", ["Kab. Sambas", "KABUPATEN SAMBAS", "Kabupaten Sambas", "kab sambas", "  Kab.Sambas "]
    )
    def test_regency_with_kind_word(self, reference_data, text):
        result = resolve_region(text)
        assert (result.status, result.region.code, result.confidence, result.matched_on) == (
            "exact",
            "61.01",
            1.0,
            "name",
        )

    def test_bare_name_shared_by_regency_and_district_is_ambiguous(self, reference_data):
        result = resolve_region("Sambas")
        assert result.status == "ambiguous"
        assert result.region is None
        assert codes(result.candidates) == ["61.01", "61.01.01"]

    def test_level_settles_a_shared_name(self, reference_data):
        assert resolve_region("Sambas", level=Level.REGENCY).region.code == "61.01"
        assert resolve_region("Sambas", level=Level.DISTRICT).region.code == "61.01.01"
        assert resolve_region("Kec. Sambas").region.code == "61.01.01"

    def test_district_prefix(self, reference_data):
        result = resolve_region("Kec. Entikong")
        assert (result.status, result.region.code) == ("exact", "61.03.21")
        assert resolve_region("Kecamatan Entikong").region.code == "61.03.21"
        # Without the kind word Entikong is both a district and its village.
        assert codes(resolve_region("Entikong").candidates) == ["61.03.21", "61.03.21.2003"]
        assert resolve_region("Desa Entikong").region.code == "61.03.21.2003"

    def test_apostrophes_do_not_matter(self, reference_data):
        for text in ["Kaliau'", "Kaliau", "KALIAU’", "Desa Kaliau"]:
            result = resolve_region(text)
            assert (result.status, result.region.code) == ("exact", "61.01.09.2001"), text
        assert resolve_region("Tua Abang").region.code == "61.06.10.2008"

    def test_city(self, reference_data):
        assert resolve_region("Kota Pontianak").region.code == "61.71"
        assert resolve_region("KOTA SINGKAWANG").region.code == "61.72"
        assert resolve_region("Singkawang", level=Level.REGENCY).region.code == "61.72"

    def test_the_kind_word_may_be_part_of_a_village_name(self, reference_data):
        # "Kotabaru" is a kelurahan of Pontianak Selatan, often typed "Kota Baru".
        assert resolve_region("Kotabaru").region.code == "61.71.01.1005"
        result = resolve_region("Kota Baru")
        assert (result.status, result.region.code) == ("fuzzy", "61.71.01.1005")
        Region.objects.filter(code="61.01.09.2005").update(name="Kota Tinggi")
        resolver.invalidate_region_index()
        assert resolve_region("Kota Tinggi").region.code == "61.01.09.2005"


@pytest.mark.django_db
class TestPontianak:
    def test_former_kabupaten_pontianak_is_mempawah(self, reference_data):
        for text in ["Kab. Pontianak", "Kabupaten Pontianak", "KAB PONTIANAK"]:
            result = resolve_region(text)
            assert (result.status, result.region.code, result.matched_on) == ("exact", "61.02", "alias"), text

    def test_former_name_never_resolves_to_the_city(self, reference_data):
        assert resolve_region("Kab. Pontianak", level=Level.REGENCY).region.code != "61.71"

    def test_bare_pontianak_is_ambiguous_between_the_city_and_the_former_regency(self, reference_data):
        for level in (None, Level.REGENCY):
            result = resolve_region("Pontianak", level=level)
            assert result.status == "ambiguous"
            assert codes(result.candidates) == ["61.02", "61.71"]

    def test_current_name_still_works(self, reference_data):
        assert resolve_region("Kabupaten Mempawah").region.code == "61.02"
        assert resolve_region("Mempawah", level=Level.REGENCY).region.code == "61.02"


@pytest.mark.django_db
class TestCodes:
    def test_dotted_codes_are_kemendagri(self, reference_data):
        result = resolve_region("61.03")
        assert (result.status, result.region.name, result.matched_on) == (
            "exact",
            "Kabupaten Sanggau",
            "code",
        )
        assert resolve_region("61.03.21").region.name == "Entikong"
        assert resolve_region("61.01.09.2001").region.name == "Kaliau'"
        assert resolve_region(" 61 ").region.name == "Kalimantan Barat"

    def test_four_digit_codes_are_bps(self, reference_data):
        result = resolve_region("6105")
        assert (result.status, result.region.name, result.matched_on) == (
            "exact",
            "Kabupaten Sanggau",
            "bps_code",
        )
        # 6103 is Landak in BPS numbering, although Kemendagri 61.03 is Sanggau.
        assert resolve_region("6103").region.name == "Kabupaten Landak"
        assert resolve_region("6102").region.name == "Kabupaten Bengkayang"

    def test_undotted_long_codes_are_kemendagri(self, reference_data):
        assert resolve_region("610321").region.code == "61.03.21"
        assert resolve_region("6101092001").region.code == "61.01.09.2001"

    def test_unknown_or_misplaced_codes_are_not_found(self, reference_data):
        assert resolve_region("61.99").status == "not_found"
        assert resolve_region("9999").status == "not_found"
        assert resolve_region("61.03", level=Level.DISTRICT).status == "not_found"
        assert resolve_region("61.03.21", within="61.01").status == "not_found"

    def test_excel_float_text_stays_kemendagri(self, reference_data):
        # A cell formatted as a number still shows "61.03"; read as text it is the Kemendagri code.
        assert resolve_region(str(61.03)).region.code == "61.03"


@pytest.mark.django_db
class TestFuzzy:
    def test_misspelled_regency(self, reference_data):
        result = resolve_region("Bengkyang", level=Level.REGENCY)
        assert result.status == "fuzzy"
        assert result.region.code == "61.07"
        assert FUZZY_THRESHOLD <= result.confidence < 1

    def test_misspelled_regency_with_kind_word(self, reference_data):
        result = resolve_region("Kab. Bengkyang")
        assert (result.status, result.region.code) == ("fuzzy", "61.07")

    def test_misspelling_of_a_shared_name_is_ambiguous(self, reference_data):
        result = resolve_region("Bengkyang")
        assert result.status == "ambiguous"
        assert codes(result.candidates) == ["61.07", "61.07.04"]

    def test_low_scores_are_not_found_with_suggestions(self, reference_data):
        result = resolve_region("Sangau Ledo Raya", level=Level.DISTRICT)
        assert result.status == "not_found"
        assert result.region is None
        assert result.confidence < FUZZY_THRESHOLD
        assert "61.07.06" in codes(result.candidates)  # Sanggau Ledo
        assert resolve_region("Xyzzy").status == "not_found"
        assert resolve_region("").status == "not_found"
        assert resolve_region("...").status == "not_found"


@pytest.mark.django_db
class TestWithin:
    def test_district_name_in_two_regencies_is_ambiguous(self, reference_data):
        result = resolve_region("Sungai Raya", level=Level.DISTRICT)
        assert result.status == "ambiguous"
        assert codes(result.candidates) == ["61.07.01", "61.12.01"]
        assert codes(resolve_region("Kec. Sungai Raya").candidates) == ["61.07.01", "61.12.01"]

    def test_within_a_regency_settles_it(self, reference_data):
        kubu_raya = Region.objects.get(code="61.12")
        result = resolve_region("Sungai Raya", level=Level.DISTRICT, within=kubu_raya)
        assert (result.status, result.region.code) == ("exact", "61.12.01")
        assert resolve_region("Kec. Sungai Raya", within="61.07").region.code == "61.07.01"

    def test_within_excludes_the_region_itself(self, reference_data):
        result = resolve_region("Sambas", within="61.01")
        assert (result.status, result.region.code) == ("exact", "61.01.01")

    def test_unknown_within_is_not_found(self, reference_data):
        assert resolve_region("Sambas", within="61.99").status == "not_found"


@pytest.mark.django_db
class TestIndex:
    def test_normalize(self):
        assert normalize("  KAB.  Kapuas-Hulu ") == "kabupaten kapuas hulu"
        assert normalize("Labian Ira'ang") == "labian iraang"

    def test_ten_thousand_names_resolve_quickly(self, reference_data, django_assert_max_num_queries):
        villages = list(Region.objects.filter(level=Level.VILLAGE).values_list("name", flat=True))
        names = (villages * 5)[:10_000]
        resolve_region("Sambas")  # build the index
        started = time.perf_counter()
        with django_assert_max_num_queries(0):
            results = [resolve_region(name, level=Level.VILLAGE) for name in names]
        assert time.perf_counter() - started < 5
        assert all(r.status in ("exact", "ambiguous") for r in results)

    def test_the_index_is_rebuilt_after_invalidation(self, reference_data):
        assert resolve_region("Kaliau'").region.name == "Kaliau'"
        Region.objects.filter(code="61.01.09.2001").update(name="Kaliau Lama")
        resolver.invalidate_region_index()
        assert resolve_region("Kaliau Lama").region.code == "61.01.09.2001"
