"""The health check: exact scores of instrument v1, the answer errors, and instrument versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from plut.clinic import healthcheck
from plut.clinic.healthcheck import (
    active_instrument,
    instrument_clone,
    instrument_publish,
    question_add,
    question_remove,
    radar_data,
    round_half_up,
    score,
)
from plut.clinic.models import Case, Diagnosis, Dimension, HealthInstrument, HealthQuestion, ServiceArea
from plut.core.models import AuditLog

V1_FILE = Path(healthcheck.__file__).parent / "data" / "health_instrument_v1.json"

# Option indices for every question of v1, with the points each earns (weight × points) / the
# most it could earn, per dimension. Worked by hand from the JSON file.
ANSWERS = {
    # legality: 3×2 + 2×1 + 1×1 + 1×1 = 10 of 3×2 + 2×3 + 1×2 + 1×2 = 16 → 62.5 → 63 (half up)
    "leg_nib": 2,
    "leg_product_permit": 1,
    "leg_trademark": 1,
    "leg_tax": 1,
    # production: 2×2 + 2×1 + 1×1 + 1×0 = 7 of 2×3 + 2×2 + 1×2 + 1×2 = 14 → 50
    "prod_capacity": 2,
    "prod_standard": 1,
    "prod_hygiene": 1,
    "prod_materials": 0,
    # packaging: 2×3 + 2×1 + 1×0 = 8 of 2×3 + 2×2 + 1×2 = 12 → 66.67 → 67
    "pack_material": 3,
    "pack_label": 1,
    "pack_brand": 0,
    # marketing: 2×2 + 1×1 + 1×1 + 2×0 = 6 of 2×3 + 1×2 + 1×3 + 2×2 = 15 → 40
    "mkt_reach": 2,
    "mkt_channels": 1,
    "mkt_cross_border": 1,
    "mkt_own_brand": 0,
    # finance: 3×1 + 2×0 + 1×1 + 1×2 = 6 of 3×3 + 2×2 + 1×2 + 1×2 = 17 → 35.29 → 35
    "fin_bookkeeping": 1,
    "fin_separation": 0,
    "fin_pricing": 1,
    "fin_credit": 2,
    # human resources: 2 + 2 + 1 = 5 of 6 → 83.33 → 83
    "hr_workers": 2,
    "hr_training": 2,
    "hr_roles": 1,
    # digital: 2×1 + 1×2 + 1×0 + 1×1 = 5 of 2×3 + 1×2 + 1×2 + 1×2 = 12 → 41.67 → 42
    "dig_online_sales": 1,
    "dig_payment": 2,
    "dig_tools": 0,
    "dig_presence": 1,
}
EXPECTED_SCORES = {
    "legality": 63,
    "production": 50,
    "packaging": 67,
    "marketing": 40,
    "finance": 35,
    "human_resources": 83,
    "digital": 42,
}
# (63 + 50 + 67 + 40 + 35 + 83 + 42) / 7 = 380 / 7 = 54.29 → 54
EXPECTED_OVERALL = 54


def _v1() -> HealthInstrument:
    return HealthInstrument.objects.get(version=1)


def _best_and_worst() -> tuple[dict[str, int], dict[str, int]]:
    best, worst = {}, {}
    for q in _v1().questions.all():
        points = [o["points"] for o in q.options]
        best[q.code] = points.index(max(points))
        worst[q.code] = points.index(min(points))
    return best, worst


def _case(enterprise, number: str = "TEST-0001") -> Case:
    return Case.objects.create(
        number=number,
        enterprise=enterprise,
        region_path=enterprise.region_path,
        channel=Case.Channel.WALK_IN,
        complaint="Omzet turun, ingin memperbaiki kemasan.",
    )


# --- The seeded instrument and service areas -----------------------------------------------------


@pytest.mark.django_db
def test_seed_loads_instrument_v1_published_and_active_from_the_json_file():
    data = json.loads(V1_FILE.read_text(encoding="utf-8"))
    v1 = _v1()
    assert v1.is_active and v1.published_at is not None
    assert active_instrument() == v1
    assert v1.questions.count() == len(data["questions"]) == 26
    counts = {d: v1.questions.filter(dimension=d).count() for d in Dimension.values}
    assert counts == {
        "legality": 4,
        "production": 4,
        "packaging": 3,
        "marketing": 4,
        "finance": 4,
        "human_resources": 3,
        "digital": 4,
    }
    assert "Kepmenaker" in data["source"] and "181" in data["source"]
    assert set(ANSWERS) == set(v1.questions.values_list("code", flat=True))


@pytest.mark.django_db
def test_seed_creates_the_seven_service_areas_in_order():
    assert list(ServiceArea.objects.values_list("code", "order")) == [
        ("kelembagaan", 1),
        ("sdm", 2),
        ("produksi", 3),
        ("pembiayaan", 4),
        ("pemasaran", 5),
        ("ti", 6),
        ("jaringan", 7),
    ]
    assert ServiceArea.objects.get(code="ti").name == "Teknologi informasi dan digital"
    assert all(ServiceArea.objects.values_list("description", flat=True))


# --- Scoring -----------------------------------------------------------------------------------


def test_round_half_up_rounds_halves_up_unlike_python_round():
    assert round_half_up(125, 2) == 63  # 62.5
    assert round(62.5) == 62  # banker's rounding, which the scores do not use
    assert round_half_up(1000, 16) == 63  # 62.5
    assert round_half_up(700, 14) == 50
    assert round_half_up(800, 12) == 67  # 66.67
    assert round_half_up(1, 3) == 0
    assert round_half_up(0, 5) == 0


@pytest.mark.django_db
def test_score_of_a_full_answer_set_is_exact():
    scores, overall = score(_v1(), ANSWERS)
    assert scores == EXPECTED_SCORES
    assert list(scores) == list(Dimension.values)  # dimension order, for the chart
    assert overall == EXPECTED_OVERALL


@pytest.mark.django_db
def test_best_answers_score_100_and_worst_answers_score_0_everywhere():
    best, worst = _best_and_worst()
    assert score(_v1(), best) == (dict.fromkeys(Dimension.values, 100), 100)
    assert score(_v1(), worst) == (dict.fromkeys(Dimension.values, 0), 0)


@pytest.mark.django_db
def test_overall_is_the_mean_of_dimension_scores_rounded_half_up():
    instrument = HealthInstrument.objects.create(version=90, name="Uji")
    two = [{"label": "tidak", "points": 0}, {"label": "sebagian", "points": 1}, {"label": "ya", "points": 2}]
    HealthQuestion.objects.create(
        instrument=instrument, dimension="legality", code="a", text="A?", options=two
    )
    HealthQuestion.objects.create(
        instrument=instrument, dimension="digital", code="b", text="B?", options=two
    )
    HealthQuestion.objects.create(
        instrument=instrument, dimension="digital", code="c", text="C?", options=two, weight=3
    )
    # legality 1 of 2 = 50; digital (1×2 + 3×1) of (1×2 + 3×2) = 5/8 = 62.5 → 63; mean 56.5 → 57
    assert score(instrument, {"a": 1, "b": 2, "c": 1}) == ({"legality": 50, "digital": 63}, 57)


@pytest.mark.django_db
def test_a_missing_answer_is_refused_naming_the_question():
    answers = dict(ANSWERS)
    del answers["fin_bookkeeping"]
    with pytest.raises(ValidationError) as caught:
        score(_v1(), answers)
    assert list(caught.value.error_dict) == ["fin_bookkeeping"]
    error = caught.value.error_dict["fin_bookkeeping"][0]
    assert error.code == "healthcheck.missing"
    assert "fin_bookkeeping" in error.messages[0]


@pytest.mark.django_db
def test_an_option_index_out_of_range_is_refused():
    for bad in (3, -1, True, "1", None):
        with pytest.raises(ValidationError) as caught:
            score(_v1(), {**ANSWERS, "leg_nib": bad})  # leg_nib has options 0, 1, 2
        assert list(caught.value.error_dict) == ["leg_nib"]
        assert caught.value.error_dict["leg_nib"][0].code == "healthcheck.option_range"
    assert score(_v1(), {**ANSWERS, "leg_nib": 2})[0] == EXPECTED_SCORES


@pytest.mark.django_db
def test_an_unknown_question_code_is_refused():
    with pytest.raises(ValidationError) as caught:
        score(_v1(), {**ANSWERS, "no_such_question": 0})
    assert list(caught.value.error_dict) == ["no_such_question"]
    assert caught.value.error_dict["no_such_question"][0].code == "healthcheck.unknown_question"


@pytest.mark.django_db
def test_scoring_without_an_instrument_is_refused():
    with pytest.raises(ValidationError) as caught:
        score(None, ANSWERS)
    assert caught.value.code == "healthcheck.no_instrument"


@pytest.mark.django_db
def test_radar_data_lists_dimensions_in_order_with_their_scores(cast):
    diagnosis = Diagnosis.objects.create(
        case=_case(cast.ent_sambas), instrument=_v1(), answers=ANSWERS, scores=EXPECTED_SCORES, overall=54
    )
    data = radar_data(diagnosis)
    assert data["scores"] == [63, 50, 67, 40, 35, 83, 42]
    assert data["labels"] == [str(Dimension(d).label) for d in Dimension.values]


# --- Versions ------------------------------------------------------------------------------------


NEW_QUESTION = {
    "dimension": "digital",
    "code": "dig_website",
    "text": "Apakah usaha memiliki situs web sendiri?",
    "options": [{"label": "Belum", "points": 0}, {"label": "Sudah", "points": 1}],
}


@pytest.mark.django_db
def test_clone_makes_a_draft_next_version_with_copies_of_the_questions(cast):
    draft = instrument_clone(actor=cast.admin, base=_v1())
    assert draft.version == 2
    assert draft.published_at is None and not draft.is_active
    assert draft.questions.count() == 26
    assert set(draft.questions.values_list("code", "weight", "order")) == set(
        _v1().questions.values_list("code", "weight", "order")
    )
    assert active_instrument() == _v1()
    assert AuditLog.objects.filter(action="health_instrument.clone", target_id=str(draft.pk)).exists()


@pytest.mark.django_db
def test_a_published_instrument_cannot_be_edited(cast):
    v1 = _v1()
    with pytest.raises(ValidationError) as caught:
        question_add(actor=cast.admin, instrument=v1, **NEW_QUESTION)
    assert caught.value.code == "healthcheck.published"
    with pytest.raises(ValidationError):
        question_remove(actor=cast.admin, question=v1.questions.get(code="leg_tax"))
    with pytest.raises(ValidationError):
        instrument_publish(actor=cast.admin, instrument=v1)
    assert v1.questions.count() == 26


@pytest.mark.django_db
def test_question_add_puts_the_question_last_in_its_dimension_and_checks_it(cast):
    draft = instrument_clone(actor=cast.admin, base=_v1())
    question = question_add(actor=cast.admin, instrument=draft, weight=2, **NEW_QUESTION)
    assert (question.order, question.weight) == (5, 2)
    assert AuditLog.objects.filter(action="health_question.add", target_id=str(question.pk)).exists()
    with pytest.raises(ValidationError):  # the code is taken in this version
        question_add(actor=cast.admin, instrument=draft, **NEW_QUESTION)
    bad_options = (
        [{"label": "Satu-satunya", "points": 1}],
        [{"label": "A", "points": 0}, {"label": "B", "points": 0}],
        [{"label": "A", "points": 0}, {"label": "", "points": 1}],
        [{"label": "A", "points": -1}, {"label": "B", "points": 1}],
        [{"label": "A", "points": 0}, {"label": "B", "points": 1.5}],
    )
    for options in bad_options:
        with pytest.raises(ValidationError) as caught:
            question_add(
                actor=cast.admin, instrument=draft, **{**NEW_QUESTION, "code": "x", "options": options}
            )
        assert "options" in caught.value.error_dict
    with pytest.raises(ValidationError):
        question_add(actor=cast.admin, instrument=draft, **{**NEW_QUESTION, "code": "x", "weight": 0})
    with pytest.raises(ValidationError):
        question_add(actor=cast.admin, instrument=draft, **{**NEW_QUESTION, "code": "x", "dimension": "luck"})


@pytest.mark.django_db
def test_publish_switches_the_active_version_and_old_diagnoses_keep_theirs(cast):
    v1 = _v1()
    old = Diagnosis.objects.create(
        case=_case(cast.ent_sambas), instrument=v1, answers=ANSWERS, scores=EXPECTED_SCORES, overall=54
    )
    draft = instrument_clone(actor=cast.admin, base=v1)
    question_add(actor=cast.admin, instrument=draft, **NEW_QUESTION)
    question_remove(actor=cast.admin, question=draft.questions.get(code="dig_tools"))

    published = instrument_publish(actor=cast.admin, instrument=draft)

    v1.refresh_from_db()
    assert published.is_active and published.published_at is not None
    assert not v1.is_active and v1.published_at is not None
    assert active_instrument() == published
    assert list(HealthInstrument.objects.filter(is_active=True)) == [published]
    old.refresh_from_db()
    assert old.instrument == v1
    assert score(old.instrument, old.answers) == (EXPECTED_SCORES, EXPECTED_OVERALL)
    # The old answers do not fit the new version: one question gone, one new.
    with pytest.raises(ValidationError) as caught:
        score(published, old.answers)
    assert set(caught.value.error_dict) == {"dig_tools", "dig_website"}
    # digital in v2: 2×1 + 1×2 + 1×1 + 1×1 = 6 of 2×3 + 1×2 + 1×2 + 1×1 = 11 → 54.55 → 55
    answers_v2 = {k: v for k, v in ANSWERS.items() if k != "dig_tools"} | {"dig_website": 1}
    scores, overall = score(published, answers_v2)
    assert scores["digital"] == 55
    assert overall == 56  # (380 − 42 + 55) / 7 = 393 / 7 = 56.14
    with pytest.raises(ValidationError):
        question_add(actor=cast.admin, instrument=published, **{**NEW_QUESTION, "code": "late"})
    assert AuditLog.objects.filter(action="health_instrument.publish", target_id=str(published.pk)).exists()


@pytest.mark.django_db
def test_an_empty_draft_cannot_be_published(cast):
    draft = HealthInstrument.objects.create(version=7, name="Kosong")
    with pytest.raises(ValidationError) as caught:
        instrument_publish(actor=cast.admin, instrument=draft)
    assert caught.value.code == "healthcheck.no_questions"
    assert active_instrument() == _v1()
