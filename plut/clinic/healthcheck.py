"""The business health check (cek kesehatan usaha): scoring, chart data, and versioned instruments.

Scoring, for one instrument and one full answer set ``{question code: chosen option index}``:

1. Every question of the instrument must be answered, with an option index ``0 … len(options) − 1``;
   codes that are not questions of the instrument are refused.
2. Per dimension: ``score = 100 × Σ(weight × points of the chosen option) / Σ(weight × max points)``,
   where ``max points`` is the highest ``points`` among a question's options.
3. Scores are whole numbers 0–100, rounded half up (``62.5 → 63``), computed in integers so no
   float rounding decides a boundary: ``round_half_up(n, d) = (2n + d) // 2d``.
4. ``overall`` is the mean of the dimension scores (only dimensions that have questions),
   rounded half up the same way.

Instruments are versioned: a published instrument is never edited, so old diagnoses keep the
questions they were scored on. To change the questionnaire the office clones the active version
into a draft (:func:`instrument_clone`), adds or removes questions (:func:`question_add`,
:func:`question_remove`) and publishes it (:func:`instrument_publish`), which makes it the only
active version.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plut.clinic.models import Dimension, HealthInstrument, HealthQuestion
from plut.core.services import audit_log_write

MSG_UNKNOWN_QUESTION = _("“%(code)s” is not a question of this health check.")
MSG_MISSING_ANSWER = _("The question “%(code)s” (%(text)s) is not answered.")
MSG_OPTION_RANGE = _(
    "The answer to “%(code)s” must be an option number from 0 to %(last)d; %(value)s is not one."
)
MSG_NO_INSTRUMENT = _("No health check is published yet; publish one first.")
MSG_NO_QUESTIONS = _("This health check has no questions.")
MSG_PUBLISHED = _("Version %(version)d is published and cannot be changed; clone it into a new version.")
MSG_ALREADY_PUBLISHED = _("Version %(version)d is already published.")
MSG_WEIGHT = _("The weight is a whole number of 1 or more.")
MSG_OPTIONS = _(
    "Give at least two options, each with a label and whole points of 0 or more, and at least one "
    "option with more than 0 points."
)


class RadarData(TypedDict):
    """Data for a Chart.js radar chart: one label and one score per dimension."""

    labels: list[str]
    scores: list[int]


def round_half_up(numerator: int, denominator: int) -> int:
    """Return ``numerator / denominator`` rounded half up, for whole numbers ≥ 0 and a positive denominator."""
    return (2 * numerator + denominator) // (2 * denominator)


def _dimension_order(dimension: str) -> int:
    values = list(Dimension.values)
    return values.index(dimension) if dimension in values else len(values)


def score(instrument: HealthInstrument | None, answers: dict[str, int]) -> tuple[dict[str, int], int]:
    """Return ``({dimension: score 0–100}, overall)`` for a full answer set (see the module docstring).

    Raises ``ValidationError`` keyed by question code for an unknown code, a missing answer or an
    option index out of range (all problems at once), and a plain ``ValidationError`` when
    ``instrument`` is ``None`` (what :func:`active_instrument` returns before any is published).
    """
    if instrument is None:
        raise ValidationError(MSG_NO_INSTRUMENT, code="healthcheck.no_instrument")
    questions = list(instrument.questions.all())
    if not questions:
        raise ValidationError(MSG_NO_QUESTIONS, code="healthcheck.no_questions")
    by_code = {q.code: q for q in questions}
    errors: dict[str, list[ValidationError]] = {}
    for code in answers:
        if code not in by_code:
            errors[code] = [
                ValidationError(
                    MSG_UNKNOWN_QUESTION, code="healthcheck.unknown_question", params={"code": code}
                )
            ]
    earned: dict[str, int] = {}
    possible: dict[str, int] = {}
    for question in questions:
        if question.code not in answers:
            errors[question.code] = [
                ValidationError(
                    MSG_MISSING_ANSWER,
                    code="healthcheck.missing",
                    params={"code": question.code, "text": question.text},
                )
            ]
            continue
        chosen = answers[question.code]
        last = len(question.options) - 1
        # A bool is an int in Python; True must not silently mean option 1.
        if isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen <= last:
            errors[question.code] = [
                ValidationError(
                    MSG_OPTION_RANGE,
                    code="healthcheck.option_range",
                    params={"code": question.code, "last": last, "value": chosen},
                )
            ]
            continue
        best = max(option["points"] for option in question.options)
        earned[question.dimension] = (
            earned.get(question.dimension, 0) + question.weight * question.options[chosen]["points"]
        )
        possible[question.dimension] = possible.get(question.dimension, 0) + question.weight * best
    if errors:
        raise ValidationError(errors)
    scores = {
        dimension: round_half_up(100 * earned[dimension], possible[dimension])
        for dimension in sorted(possible, key=_dimension_order)
    }
    overall = round_half_up(sum(scores.values()), len(scores))
    return scores, overall


def radar_data(diagnosis: Any) -> RadarData:
    """Return the labels and scores of a diagnosis in dimension order, for a Chart.js radar chart."""
    dimensions = sorted(diagnosis.scores, key=_dimension_order)
    labels = [str(Dimension(d).label) if d in Dimension.values else d for d in dimensions]
    return {"labels": labels, "scores": [int(diagnosis.scores[d]) for d in dimensions]}


def active_instrument() -> HealthInstrument | None:
    """Return the published instrument new diagnoses use, or ``None`` when none is active."""
    return HealthInstrument.objects.filter(is_active=True).order_by("-version").first()


def _refuse_published(instrument: HealthInstrument) -> None:
    if instrument.published_at is not None:
        raise ValidationError(
            MSG_PUBLISHED, code="healthcheck.published", params={"version": instrument.version}
        )


def _check_options(options: Any) -> list[dict[str, Any]]:
    """Return the options as stored (``[{label, points}]``) or raise ``ValidationError``."""
    error = ValidationError({"options": ValidationError(MSG_OPTIONS, code="healthcheck.options")})
    if not isinstance(options, list | tuple) or len(options) < 2:
        raise error
    cleaned = []
    for option in options:
        if not isinstance(option, dict):
            raise error
        label, points = option.get("label"), option.get("points")
        if not isinstance(label, str) or not label.strip():
            raise error
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise error
        cleaned.append({"label": label.strip(), "points": points})
    if max(option["points"] for option in cleaned) == 0:
        raise error
    return cleaned


@transaction.atomic
def instrument_clone(*, actor, base: HealthInstrument, name: str = "") -> HealthInstrument:
    """Create a draft instrument, the next version number, with copies of ``base``'s questions."""
    next_version = (HealthInstrument.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = HealthInstrument(version=next_version, name=name.strip() or base.name)
    draft.full_clean()
    draft.save()
    HealthQuestion.objects.bulk_create(
        [
            HealthQuestion(
                instrument=draft,
                dimension=q.dimension,
                code=q.code,
                text=q.text,
                options=q.options,
                weight=q.weight,
                order=q.order,
            )
            for q in base.questions.all()
        ]
    )
    audit_log_write(
        actor=actor, action="health_instrument.clone", target=draft, data={"base_version": base.version}
    )
    return draft


@transaction.atomic
def question_add(
    *,
    actor,
    instrument: HealthInstrument,
    dimension: str,
    code: str,
    text: str,
    options: list[dict[str, Any]],
    weight: int = 1,
    order: int | None = None,
) -> HealthQuestion:
    """Add a question to a draft instrument; ``order`` defaults to the end of its dimension.

    Raises ``ValidationError`` when the instrument is published, the options are not at least two
    ``{label, points}`` with whole points ≥ 0 (and a best option above 0), or the code is taken.
    """
    _refuse_published(instrument)
    cleaned = _check_options(options)
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        raise ValidationError({"weight": ValidationError(MSG_WEIGHT, code="healthcheck.weight")})
    if order is None:
        last = instrument.questions.filter(dimension=dimension).aggregate(o=Max("order"))["o"]
        order = (last or 0) + 1
    question = HealthQuestion(
        instrument=instrument,
        dimension=dimension,
        code=code.strip(),
        text=text.strip(),
        options=cleaned,
        weight=weight,
        order=order,
    )
    question.full_clean()
    question.save()
    audit_log_write(
        actor=actor,
        action="health_question.add",
        target=question,
        data={"instrument_version": instrument.version, "dimension": dimension},
    )
    return question


@transaction.atomic
def question_remove(*, actor, question: HealthQuestion) -> None:
    """Remove a question from a draft instrument; a published instrument's questions stay."""
    _refuse_published(question.instrument)
    audit_log_write(
        actor=actor,
        action="health_question.remove",
        target=question,
        data={"instrument_version": question.instrument.version},
    )
    question.delete()


@transaction.atomic
def instrument_publish(*, actor, instrument: HealthInstrument) -> HealthInstrument:
    """Publish a draft instrument and make it the only active one; it can no longer be edited."""
    # Lock the row so two publishers cannot both pass the check below.
    instrument = HealthInstrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.published_at is not None:
        raise ValidationError(
            MSG_ALREADY_PUBLISHED,
            code="healthcheck.already_published",
            params={"version": instrument.version},
        )
    if not instrument.questions.exists():
        raise ValidationError(MSG_NO_QUESTIONS, code="healthcheck.no_questions")
    previous = list(HealthInstrument.objects.filter(is_active=True).values_list("version", flat=True))
    HealthInstrument.objects.filter(is_active=True).update(is_active=False)
    instrument.published_at = timezone.now()
    instrument.is_active = True
    instrument.save(update_fields=["published_at", "is_active"])
    audit_log_write(
        actor=actor,
        action="health_instrument.publish",
        target=instrument,
        data={"deactivated_versions": previous},
    )
    return instrument
