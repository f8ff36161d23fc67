"""The clinic services: every state change allowed and refused, intake, diagnosis, referrals, close, reminders.

Time is frozen at 15 June 2026, 10:00 in Pontianak (WIB) for every test, so dates are exact.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.clinic.models import (
    Agreement,
    Case,
    Diagnosis,
    HealthInstrument,
    HealthQuestion,
    Outcome,
    PlanAction,
    Referral,
    ServiceArea,
    Session,
)
from plut.clinic.services import (
    ALLOWED_TRANSITIONS,
    CONSENT_TEXT,
    agreement_accept,
    case_cancel,
    case_close,
    case_confirm_areas,
    case_diagnose,
    case_open,
    case_pick_up,
    case_plan,
    followup_reminders_send,
    growth_pct,
    referral_make,
    referral_record_outcome,
    session_log,
)
from plut.core.models import AuditLog
from plut.enterprises.models import Enterprise, FigureSnapshot, Owner, Permit

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Pontianak")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=WIB)
TODAY = dt.date(2026, 6, 15)
S = Case.Status

# A tiny instrument, scored by hand (healthcheck: dimension = 100 × Σ(w × points) / Σ(w × max), half up;
# overall = mean of the dimension scores, half up).
QUESTIONS = [
    # dimension, code, weight, points of the options
    ("legality", "leg_a", 3, [0, 1, 2]),
    ("legality", "leg_b", 1, [0, 1, 2]),
    ("finance", "fin_a", 2, [0, 5, 10]),
    ("finance", "fin_b", 1, [0, 2, 5]),
]
# legality: (3×1 + 1×2) / (3×2 + 1×2) = 5/8 = 62.5 → 63; finance: (2×10 + 1×2) / (2×10 + 1×5) = 22/25 = 88;
# overall: (63 + 88) / 2 = 75.5 → 76.
ANSWERS = {"leg_a": 1, "leg_b": 2, "fin_a": 2, "fin_b": 1}
SCORES = {"legality": 63, "finance": 88}
OVERALL = 76


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def instrument(db) -> HealthInstrument:
    """The only active health check: four questions in two dimensions."""
    HealthInstrument.objects.filter(is_active=True).update(is_active=False)
    inst = HealthInstrument.objects.create(version=99, name="Uji", published_at=NOW, is_active=True)
    for order, (dimension, code, weight, points) in enumerate(QUESTIONS, start=1):
        HealthQuestion.objects.create(
            instrument=inst,
            dimension=dimension,
            code=code,
            text=f"Pertanyaan {code}",
            options=[{"label": f"pilihan {i}", "points": p} for i, p in enumerate(points)],
            weight=weight,
            order=order,
        )
    return inst


@pytest.fixture
def world(cast, instrument):
    """The cast, the instrument, and an entrepreneur account owning ``ent_sanggau`` (the consultant's region)."""
    cast.consultant.email = "konsultan@plut.example"
    cast.consultant.save()
    cast.owner_sanggau = user_create(
        actor=None, username="budi", role=Role.ENTREPRENEUR, password="x", check_password=False
    )
    Owner.objects.filter(pk=cast.ent_sanggau.owner_id).update(user=cast.owner_sanggau)
    cast.ent_sanggau.refresh_from_db()
    return cast


def _reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _plan(actor, case: Case) -> Case:
    return case_plan(
        actor=actor,
        case=case,
        actions=[
            {
                "area": "pembiayaan",
                "description": "Susun pembukuan sederhana",
                "owner": "entrepreneur",
                "due_on": TODAY + dt.timedelta(days=30),
            },
            {
                "area": "pembiayaan",
                "description": "Siapkan berkas KUR",
                "owner": "consultant",
                "due_on": TODAY + dt.timedelta(days=14),
            },
        ],
        agreement_text="Kontrak pendampingan tiga bulan.",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=90),
    )


def make_case(world, status: str, *, confirm: bool = True, sales: int | None = 100_000_000) -> Case:
    """Return a fresh case of ``ent_sanggau`` brought to ``status`` by the consultant through the services.

    A ``cancelled`` case is cancelled after its diagnosis, so it has a baseline.
    """
    consultant = world.consultant
    if status == S.REQUESTED:
        return case_open(
            actor=world.owner_sanggau,
            enterprise=world.ent_sanggau,
            channel=Case.Channel.ONLINE,
            complaint="Saya butuh modal untuk menambah mesin.",
            consent=True,
        )
    case = case_open(
        actor=consultant,
        enterprise=world.ent_sanggau,
        channel=Case.Channel.WALK_IN,
        complaint="Saya butuh modal untuk menambah mesin.",
    )
    if confirm:
        case_confirm_areas(actor=consultant, case=case, area_codes=["pembiayaan"])
    if status == S.OPEN:
        return _reload(case)
    case_diagnose(actor=consultant, case=case, answers=ANSWERS, annual_sales_idr=sales, workers=3)
    case = _reload(case)
    if status == S.CANCELLED:
        return case_cancel(actor=consultant, case=case, note="Usaha tutup.")
    if status == S.DIAGNOSED:
        return case
    case = _plan(consultant, case)
    if status == S.PLANNED:
        return _reload(case)
    session_log(
        actor=consultant, case=case, held_on=TODAY, mode="office", topic="Pembukuan", duration_minutes=60
    )
    case = _reload(case)
    if status == S.MENTORING:
        return case
    assert status == S.CLOSED
    return case_close(actor=consultant, case=case, annual_sales_idr=125_000_000, workers=4)


def do(world, case: Case, to: str) -> Case:
    """Ask the service that moves a case to ``to``."""
    actor = world.consultant
    if to == S.OPEN:
        return case_pick_up(actor=actor, case=case)
    if to == S.DIAGNOSED:
        case_diagnose(actor=actor, case=case, answers=ANSWERS)
    elif to == S.PLANNED:
        _plan(actor, case)
    elif to == S.MENTORING:
        session_log(
            actor=actor, case=case, held_on=TODAY, mode="visit", topic="Kunjungan", duration_minutes=45
        )
    elif to == S.CLOSED:
        case_close(actor=actor, case=case, annual_sales_idr=125_000_000)
    elif to == S.CANCELLED:
        case_cancel(actor=actor, case=case, note="Tidak dilanjutkan.")
    return _reload(case)


# ---------------------------------------------------------------------------------------------
# State machine

ALLOWED = [
    (S.REQUESTED, S.OPEN),
    (S.REQUESTED, S.CANCELLED),
    (S.OPEN, S.DIAGNOSED),
    (S.OPEN, S.CANCELLED),
    (S.DIAGNOSED, S.PLANNED),
    (S.DIAGNOSED, S.CLOSED),
    (S.DIAGNOSED, S.CANCELLED),
    (S.PLANNED, S.MENTORING),
    (S.PLANNED, S.CLOSED),
    (S.PLANNED, S.CANCELLED),
    (S.MENTORING, S.CLOSED),
    (S.MENTORING, S.CANCELLED),
]
# Every other (from, to) asked of the service that leads to ``to``, with the error code it gives.
# Closing a case without a diagnosis is refused for its missing baseline (``case.outcome``).
REFUSED = {
    (S.REQUESTED, S.DIAGNOSED): "case.transition",
    (S.REQUESTED, S.PLANNED): "case.transition",
    (S.REQUESTED, S.MENTORING): "case.transition",
    (S.REQUESTED, S.CLOSED): "case.outcome",
    (S.OPEN, S.OPEN): "case.transition",
    (S.OPEN, S.PLANNED): "case.transition",
    (S.OPEN, S.CLOSED): "case.outcome",
    (S.DIAGNOSED, S.OPEN): "case.transition",
    (S.PLANNED, S.OPEN): "case.transition",
    (S.PLANNED, S.PLANNED): "case.transition",
    (S.MENTORING, S.OPEN): "case.transition",
    (S.MENTORING, S.PLANNED): "case.transition",
    **{(S.CLOSED, to): "case.transition" for to in S.values if to != S.REQUESTED},
    **{(S.CANCELLED, to): "case.transition" for to in S.values if to != S.REQUESTED},
}
# A later health check or session on an active case is recorded without changing its status.
STAYS = [
    (S.OPEN, S.MENTORING),
    (S.DIAGNOSED, S.DIAGNOSED),
    (S.DIAGNOSED, S.MENTORING),
    (S.PLANNED, S.DIAGNOSED),
    (S.MENTORING, S.DIAGNOSED),
    (S.MENTORING, S.MENTORING),
]


def test_the_tables_cover_every_pair_and_match_the_state_machine():
    assert {(a, b) for a, tos in ALLOWED_TRANSITIONS.items() for b in tos} == set(ALLOWED)
    pairs = set(ALLOWED) | set(REFUSED) | set(STAYS)
    # No service leads back to "requested": a case starts there or not at all.
    assert pairs == {(a, b) for a in S.values for b in S.values if b != S.REQUESTED}
    assert len(ALLOWED) + len(REFUSED) + len(STAYS) == len(pairs)


@pytest.mark.parametrize(("start", "to"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_an_allowed_transition_succeeds_and_is_recorded(world, start, to):
    case = make_case(world, start)
    changes, version = case.status_changes.count(), case.version
    audits = AuditLog.objects.filter(action=f"case.{to}", target_type="clinic.case", target_id=str(case.pk))
    audited = list(audits.values_list("pk", flat=True))  # "case.open" is also written by case_open

    case = do(world, case, to)

    assert case.status == to
    assert case.version == version + 1
    assert case.status_changes.count() == changes + 1
    change = case.status_changes.order_by("-id").first()
    assert (change.from_status, change.to_status, change.by) == (start, to, world.consultant)
    audit = audits.exclude(pk__in=audited).get()
    assert audit.actor == world.consultant
    assert audit.data["from"] == start
    assert (case.closed_at is not None) == (to == S.CLOSED)


@pytest.mark.parametrize(("start", "to"), sorted(REFUSED), ids=[f"{a}->{b}" for a, b in sorted(REFUSED)])
def test_a_refused_transition_raises_and_changes_nothing(world, start, to):
    case = make_case(world, start)
    if start == S.REQUESTED and to == S.PLANNED:
        # Areas confirmed, so that the refusal is for the status and not for the areas.
        case_confirm_areas(actor=world.consultant, case=case, area_codes=["pembiayaan"])
        case = _reload(case)
    before = (case.status, case.version, case.closed_at, case.consultant_id)
    counts = (
        case.status_changes.count(),
        Diagnosis.objects.count(),
        Session.objects.count(),
        PlanAction.objects.count(),
        Agreement.objects.count(),
        Outcome.objects.count(),
        FigureSnapshot.objects.count(),
    )

    with pytest.raises(ValidationError) as exc:
        do(world, case, to)

    assert exc.value.code == REFUSED[(start, to)]
    case = _reload(case)
    assert (case.status, case.version, case.closed_at, case.consultant_id) == before
    assert (
        case.status_changes.count(),
        Diagnosis.objects.count(),
        Session.objects.count(),
        PlanAction.objects.count(),
        Agreement.objects.count(),
        Outcome.objects.count(),
        FigureSnapshot.objects.count(),
    ) == counts


@pytest.mark.parametrize(("start", "to"), STAYS, ids=[f"{a}->{b}" for a, b in STAYS])
def test_a_later_health_check_or_session_keeps_the_status(world, start, to):
    case = make_case(world, start)
    changes, version = case.status_changes.count(), case.version
    diagnoses, sessions = case.diagnoses.count(), case.sessions.count()

    case = do(world, case, to)

    assert (case.status, case.version, case.status_changes.count()) == (start, version, changes)
    assert case.diagnoses.count() + case.sessions.count() == diagnoses + sessions + 1


def test_the_full_path_writes_one_status_change_per_step(world):
    case = make_case(world, S.REQUESTED)
    for to in (S.OPEN, S.DIAGNOSED):
        case = do(world, case, to)
    case_confirm_areas(actor=world.consultant, case=case, area_codes=["pembiayaan"])
    for to in (S.PLANNED, S.MENTORING, S.CLOSED):
        case = do(world, _reload(case), to)
    owner = world.owner_sanggau
    assert list(case.status_changes.values_list("from_status", "to_status", "by")) == [
        ("", S.REQUESTED, owner.pk),
        (S.REQUESTED, S.OPEN, world.consultant.pk),
        (S.OPEN, S.DIAGNOSED, world.consultant.pk),
        (S.DIAGNOSED, S.PLANNED, world.consultant.pk),
        (S.PLANNED, S.MENTORING, world.consultant.pk),
        (S.MENTORING, S.CLOSED, world.consultant.pk),
    ]
    assert case.version == 6
    assert case.closed_at == NOW
    assert case.consultant == world.consultant


def test_closing_without_a_diagnosis_is_refused_for_the_missing_outcome(world):
    case = make_case(world, S.OPEN)
    with pytest.raises(ValidationError) as exc:
        case_close(actor=world.consultant, case=case, annual_sales_idr=125_000_000)
    assert exc.value.code == "case.outcome"
    assert _reload(case).status == S.OPEN
    assert not Outcome.objects.exists()


def test_closing_without_the_sales_after_is_refused_with_code_case_outcome(world):
    case = make_case(world, S.MENTORING)
    with pytest.raises(ValidationError) as exc:
        case_close(actor=world.consultant, case=case, annual_sales_idr=None)
    assert _reload(case).status == S.MENTORING
    assert [e.code for e in exc.value.error_dict["annual_sales_idr"]] == ["case.outcome"]


def test_closing_without_the_sales_after_is_refused_on_that_field(world):
    case = make_case(world, S.MENTORING)
    snapshots = FigureSnapshot.objects.count()
    with pytest.raises(ValidationError) as exc:
        case_close(actor=world.consultant, case=case, annual_sales_idr=None)
    assert set(exc.value.message_dict) == {"annual_sales_idr"}
    assert _reload(case).status == S.MENTORING
    assert (Outcome.objects.count(), FigureSnapshot.objects.count()) == (0, snapshots)


def test_no_session_on_a_closed_case(world):
    case = make_case(world, S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        session_log(
            actor=world.consultant, case=case, held_on=TODAY, mode="phone", topic="x", duration_minutes=10
        )
    assert exc.value.code == "case.transition"
    assert case.sessions.count() == 1


def test_no_session_on_a_requested_case(world):
    case = make_case(world, S.REQUESTED)
    with pytest.raises(ValidationError) as exc:
        session_log(
            actor=world.consultant, case=case, held_on=TODAY, mode="phone", topic="x", duration_minutes=10
        )
    assert exc.value.code == "case.transition"
    assert not Session.objects.exists()


def test_a_session_cannot_be_in_the_future_or_last_no_time(world):
    case = make_case(world, S.PLANNED)
    with pytest.raises(ValidationError) as exc:
        session_log(
            actor=world.consultant,
            case=case,
            held_on=TODAY + dt.timedelta(days=1),
            mode="office",
            topic="x",
            duration_minutes=10,
        )
    assert set(exc.value.message_dict) == {"held_on"}
    with pytest.raises(ValidationError) as exc:
        session_log(
            actor=world.consultant, case=case, held_on=TODAY, mode="office", topic="x", duration_minutes=0
        )
    assert set(exc.value.message_dict) == {"duration_minutes"}
    case = _reload(case)
    assert (case.status, case.sessions.count()) == (S.PLANNED, 0)


def test_no_diagnosis_of_a_cancelled_case(world):
    case = make_case(world, S.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        case_diagnose(actor=world.consultant, case=case, answers=ANSWERS)
    assert exc.value.code == "case.transition"
    assert case.diagnoses.count() == 1


def test_no_plan_before_the_areas_are_confirmed(world):
    case = make_case(world, S.DIAGNOSED, confirm=False)
    with pytest.raises(ValidationError) as exc:
        _plan(world.consultant, case)
    assert exc.value.code == "case.areas"
    case = _reload(case)
    assert (case.status, case.actions.count(), Agreement.objects.count()) == (S.DIAGNOSED, 0, 0)


def test_a_plan_action_must_fall_inside_the_agreement_period(world):
    case = make_case(world, S.DIAGNOSED)
    with pytest.raises(ValidationError) as exc:
        case_plan(
            actor=world.consultant,
            case=case,
            actions=[
                {
                    "area": "pembiayaan",
                    "description": "Terlambat",
                    "owner": "consultant",
                    "due_on": TODAY + dt.timedelta(days=91),
                }
            ],
            agreement_text="Kontrak.",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=90),
        )
    assert set(exc.value.message_dict) == {"actions"}
    assert _reload(case).status == S.DIAGNOSED


def test_the_plan_stores_its_actions_and_agreement(world):
    case = make_case(world, S.PLANNED)
    assert list(case.actions.values_list("area__code", "description", "owner", "due_on", "status")) == [
        ("pembiayaan", "Siapkan berkas KUR", "consultant", dt.date(2026, 6, 29), "todo"),
        ("pembiayaan", "Susun pembukuan sederhana", "entrepreneur", dt.date(2026, 7, 15), "todo"),
    ]
    agreement = case.agreement
    assert (agreement.starts_on, agreement.ends_on, agreement.accepted_at) == (
        TODAY,
        dt.date(2026, 9, 13),
        None,
    )


def test_the_entrepreneur_accepts_the_agreement_once(world):
    case = make_case(world, S.PLANNED)
    with pytest.raises(PermissionDenied):
        agreement_accept(actor=world.entrepreneur, case=case)  # owns another enterprise
    agreement = agreement_accept(actor=world.owner_sanggau, case=case)
    assert (agreement.accepted_at, agreement.accepted_by, agreement.accepted_on_behalf) == (
        NOW,
        world.owner_sanggau,
        False,
    )
    with pytest.raises(ValidationError) as exc:
        agreement_accept(actor=world.consultant, case=case)
    assert exc.value.code == "agreement.accepted"


def test_cancelling_needs_a_reason(world):
    case = make_case(world, S.OPEN)
    with pytest.raises(ValidationError) as exc:
        case_cancel(actor=world.consultant, case=case, note="  ")
    assert set(exc.value.message_dict) == {"note"}
    assert _reload(case).status == S.OPEN


def test_no_referral_on_a_closed_case(world):
    case = make_case(world, S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        referral_make(actor=world.consultant, case=case, kind="kur", to_name="Bank Kalbar")
    assert exc.value.code == "case.transition"
    assert not Referral.objects.exists()


def test_a_referral_outcome_is_recorded_only_once(world):
    case = make_case(world, S.MENTORING)
    referral = referral_make(actor=world.consultant, case=case, kind="kur", to_name="Bank Kalbar")
    referral_record_outcome(actor=world.consultant, referral=referral, succeeded=True, amount_idr=50_000_000)
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(
            actor=world.consultant, referral=Referral.objects.get(pk=referral.pk), succeeded=False
        )
    assert exc.value.code == "referral.done"
    referral.refresh_from_db()
    assert (referral.status, referral.amount_idr) == ("succeeded", 50_000_000)


def test_the_areas_of_a_closed_case_cannot_change(world):
    case = make_case(world, S.CLOSED)
    with pytest.raises(ValidationError):
        case_confirm_areas(actor=world.consultant, case=case, area_codes=["pemasaran"])
    assert list(_reload(case).areas.values_list("code", flat=True)) == ["pembiayaan"]


# ---------------------------------------------------------------------------------------------
# Optimistic lock


def test_two_stale_copies_the_second_transition_conflicts(world):
    case = make_case(world, S.REQUESTED)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    case_pick_up(actor=world.consultant, case=first)
    with pytest.raises(ValidationError) as exc:
        case_cancel(actor=world.admin, case=second, note="Dobel.")

    assert exc.value.code == "case.conflict"
    case = _reload(case)
    assert (case.status, case.version, case.consultant) == (S.OPEN, 2, world.consultant)
    assert list(case.status_changes.values_list("to_status", flat=True)) == [S.REQUESTED, S.OPEN]
    assert not AuditLog.objects.filter(action="case.cancelled").exists()


def test_a_stale_close_conflicts_and_leaves_no_outcome_or_figures(world):
    case = make_case(world, S.MENTORING)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_cancel(actor=world.consultant, case=first, note="Pindah usaha.")
    snapshots = FigureSnapshot.objects.filter(enterprise=world.ent_sanggau).count()
    size = Enterprise.objects.get(pk=world.ent_sanggau.pk).size_class

    with pytest.raises(ValidationError) as exc:
        case_close(actor=world.consultant, case=second, annual_sales_idr=2_100_000_000)

    assert exc.value.code == "case.conflict"
    case = _reload(case)
    assert (case.status, case.closed_at) == (S.CANCELLED, None)
    assert not Outcome.objects.exists()
    assert FigureSnapshot.objects.filter(enterprise=world.ent_sanggau).count() == snapshots
    assert Enterprise.objects.get(pk=world.ent_sanggau.pk).size_class == size


def test_an_expected_version_that_is_not_the_current_one_conflicts(world):
    case = make_case(world, S.REQUESTED)
    with pytest.raises(ValidationError) as exc:
        case_pick_up(actor=world.consultant, case=case, expected_version=case.version + 1)
    assert exc.value.code == "case.conflict"
    assert _reload(case).status == S.REQUESTED


# ---------------------------------------------------------------------------------------------
# Intake


def test_an_entrepreneurs_request_needs_consent(world):
    with pytest.raises(ValidationError) as exc:
        case_open(
            actor=world.entrepreneur,
            enterprise=world.ent_sambas,
            channel=Case.Channel.ONLINE,
            complaint="Saya ingin jualan online.",
        )
    assert set(exc.value.message_dict) == {"consent"}
    assert not Case.objects.exists()


def test_an_entrepreneurs_request_is_requested_with_consent_and_the_triage_suggestion(world):
    from plut.clinic import triage

    complaint = "Saya butuh modal usaha, ingin mengajukan pinjaman KUR ke bank."
    case = case_open(
        actor=world.entrepreneur,
        enterprise=world.ent_sambas,
        channel=Case.Channel.WALK_IN,  # a request by the entrepreneur is always online
        complaint=f"  {complaint} ",
        consent=True,
    )
    case = _reload(case)
    assert (case.status, case.channel, case.complaint) == (S.REQUESTED, "online", complaint)
    assert (case.consent_at, case.consent_text) == (NOW, str(CONSENT_TEXT))
    assert (case.requested_by, case.consultant) == (world.entrepreneur, None)
    assert (case.region_path, case.is_border) == (world.ent_sambas.region_path, True)
    assert case.number == "PLUT-2026-00001"
    model = triage.default_model()
    expected = [{"code": s.code, "confidence": round(s.confidence, 4)} for s in model.suggest(complaint)]
    assert case.suggested_areas == expected
    assert case.suggestion_model == model.version != ""
    assert expected, "the triage suggests at least one area for a plain financing complaint"
    assert set(case.suggested_areas[0]) == {"code", "confidence"}
    assert {s["code"] for s in expected} <= set(ServiceArea.objects.values_list("code", flat=True))
    assert all(0 <= s["confidence"] <= 1 for s in expected)
    assert expected[0]["code"] == "pembiayaan"
    change = case.status_changes.get()
    assert (change.from_status, change.to_status, change.by) == ("", S.REQUESTED, world.entrepreneur)
    assert AuditLog.objects.filter(
        action="case.open", target_id=str(case.pk), actor=world.entrepreneur
    ).exists()


def test_an_entrepreneur_cannot_open_a_case_for_someone_elses_enterprise(world):
    with pytest.raises(PermissionDenied):
        case_open(
            actor=world.entrepreneur,
            enterprise=world.ent_sanggau,
            channel=Case.Channel.ONLINE,
            complaint="Tolong bantu.",
            consent=True,
        )
    assert not Case.objects.exists()


def test_a_consultant_opens_an_open_case_assigned_to_themselves(world):
    case = case_open(
        actor=world.consultant,
        enterprise=world.ent_sanggau,
        channel=Case.Channel.FIELD_VISIT,
        complaint="Lada busuk.",
    )
    assert (case.status, case.channel, case.consultant, case.consent_at) == (
        S.OPEN,
        "field_visit",
        world.consultant,
        None,
    )
    assert (case.region_path, case.is_border) == (world.ent_sanggau.region_path, True)
    second = case_open(
        actor=world.admin,
        enterprise=world.ent_pontianak,
        channel=Case.Channel.PHONE,
        complaint="Kemasan kopi.",
        consultant=world.consultant,
        consent=True,
    )
    assert (second.status, second.consultant, second.consent_at, second.is_border) == (
        S.OPEN,
        world.consultant,
        NOW,
        False,
    )
    assert [case.number, second.number] == ["PLUT-2026-00001", "PLUT-2026-00002"]


def test_a_consultant_cannot_open_a_case_outside_their_regencies(world):
    with pytest.raises(PermissionDenied):
        case_open(
            actor=world.consultant,
            enterprise=world.ent_sambas,
            channel=Case.Channel.WALK_IN,
            complaint="Merek.",
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "officer_sanggau", "ministry"])
def test_readers_cannot_open_cases(world, role):
    with pytest.raises(PermissionDenied):
        case_open(
            actor=getattr(world, role),
            enterprise=world.ent_sanggau,
            channel=Case.Channel.WALK_IN,
            complaint="Merek.",
            consent=True,
        )
    assert not Case.objects.exists()


def test_an_empty_complaint_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        case_open(
            actor=world.consultant, enterprise=world.ent_sanggau, channel=Case.Channel.PHONE, complaint="  "
        )
    assert set(exc.value.message_dict) == {"complaint"}


def test_only_a_consultant_of_the_regency_picks_up_a_request(world):
    case = make_case(world, S.REQUESTED)
    other = user_create(
        actor=None,
        username="konsultan_sambas",
        role=Role.CONSULTANT,
        region_codes=["61.01"],
        password="x",
        check_password=False,
    )
    for actor in (other, world.officer_sanggau, world.owner_sanggau):
        with pytest.raises(PermissionDenied):
            case_pick_up(actor=actor, case=case)
    case = case_pick_up(actor=world.consultant, case=case)
    assert (case.status, case.consultant) == (S.OPEN, world.consultant)


def test_confirming_areas_stores_them_and_refuses_unknown_codes(world):
    case = make_case(world, S.OPEN, confirm=False)
    with pytest.raises(ValidationError):
        case_confirm_areas(actor=world.consultant, case=case, area_codes=["pembiayaan", "astrologi"])
    with pytest.raises(ValidationError):
        case_confirm_areas(actor=world.consultant, case=case, area_codes=[])
    assert _reload(case).areas_confirmed_at is None
    case_confirm_areas(actor=world.consultant, case=case, area_codes=["pemasaran", "ti", "pemasaran"])
    case = _reload(case)
    assert sorted(case.areas.values_list("code", flat=True)) == ["pemasaran", "ti"]
    assert case.areas_confirmed_at == NOW


def test_the_seven_plut_service_areas_are_seeded(db):
    assert sorted(ServiceArea.objects.values_list("code", flat=True)) == sorted(
        ["kelembagaan", "sdm", "produksi", "pembiayaan", "pemasaran", "ti", "jaringan"]
    )


def test_the_case_number_uses_the_local_year(world):
    with time_machine.travel(dt.datetime(2027, 1, 1, 3, 0, tzinfo=WIB), tick=False):
        case = case_open(
            actor=world.consultant,
            enterprise=world.ent_sanggau,
            channel=Case.Channel.PHONE,
            complaint="Modal.",
        )
    assert case.number == "PLUT-2027-00001"


# ---------------------------------------------------------------------------------------------
# Diagnosis


def test_the_health_check_scores_are_stored_exactly(world, instrument):
    case = make_case(world, S.OPEN)
    diagnosis = case_diagnose(actor=world.consultant, case=case, answers=ANSWERS)
    diagnosis = Diagnosis.objects.get(pk=diagnosis.pk)
    assert diagnosis.scores == SCORES
    assert diagnosis.overall == OVERALL
    assert diagnosis.answers == ANSWERS
    assert (diagnosis.instrument, diagnosis.by) == (instrument, world.consultant)


@pytest.mark.parametrize(
    ("answers", "scores", "overall"),
    [
        ({"leg_a": 0, "leg_b": 0, "fin_a": 0, "fin_b": 0}, {"legality": 0, "finance": 0}, 0),
        ({"leg_a": 2, "leg_b": 2, "fin_a": 2, "fin_b": 2}, {"legality": 100, "finance": 100}, 100),
        # legality (3×2 + 0) / 8 = 75; finance (2×5 + 1×5) / 25 = 60; overall 67.5 → 68.
        ({"leg_a": 2, "leg_b": 0, "fin_a": 1, "fin_b": 2}, {"legality": 75, "finance": 60}, 68),
        # legality (0 + 1×1) / 8 = 12.5 → 13; finance (0 + 1×2) / 25 = 8; overall 10.5 → 11.
        ({"leg_a": 0, "leg_b": 1, "fin_a": 0, "fin_b": 1}, {"legality": 13, "finance": 8}, 11),
    ],
)
def test_the_health_check_scores_other_answer_sets(world, answers, scores, overall):
    diagnosis = case_diagnose(actor=world.consultant, case=make_case(world, S.OPEN), answers=answers)
    assert (diagnosis.scores, diagnosis.overall) == (scores, overall)


def test_an_incomplete_answer_set_is_refused_and_nothing_is_written(world):
    case = make_case(world, S.OPEN)
    snapshots = FigureSnapshot.objects.count()
    with pytest.raises(ValidationError) as exc:
        case_diagnose(
            actor=world.consultant,
            case=case,
            answers={"leg_a": 1, "leg_b": 5, "fin_a": 2, "zzz": 0},
            annual_sales_idr=100_000_000,
        )
    assert set(exc.value.message_dict) == {"leg_b", "fin_b", "zzz"}
    assert (Diagnosis.objects.count(), FigureSnapshot.objects.count(), _reload(case).status) == (
        0,
        snapshots,
        S.OPEN,
    )


def test_the_diagnosis_takes_a_baseline_snapshot_and_the_permits_held(world):
    ent = world.ent_sanggau
    Permit.objects.create(enterprise=ent, kind=Permit.Kind.PIRT, number="2066171010123-26")
    Permit.objects.create(enterprise=ent, kind=Permit.Kind.HALAL, number="ID61110000", status="expired")
    case = make_case(world, S.OPEN)

    diagnosis = case_diagnose(
        actor=world.consultant,
        case=case,
        answers=ANSWERS,
        annual_sales_idr=100_000_000,
        capital_idr=40_000_000,
        workers=3,
    )

    snap = diagnosis.baseline
    assert (
        snap.source,
        snap.as_of,
        snap.annual_sales_idr,
        snap.capital_idr,
        snap.workers,
        snap.size_class,
    ) == (
        "diagnosis",
        TODAY,
        100_000_000,
        40_000_000,
        3,
        "micro",
    )
    assert diagnosis.baseline_permits == ["pirt"]
    assert Enterprise.objects.get(pk=ent.pk).size_class == "micro"


def test_without_figures_the_latest_snapshot_is_the_baseline(world):
    case = make_case(world, S.OPEN)
    snapshots = FigureSnapshot.objects.count()
    diagnosis = case_diagnose(actor=world.consultant, case=case, answers=ANSWERS)
    latest = FigureSnapshot.objects.get(enterprise=world.ent_sanggau, as_of=dt.date(2025, 12, 31))
    assert diagnosis.baseline == latest
    assert FigureSnapshot.objects.count() == snapshots
    assert diagnosis.baseline_permits == []


def test_the_baseline_permits_include_an_nib_held_before(world):
    case = case_open(
        actor=world.admin,
        enterprise=world.ent_sambas,
        channel=Case.Channel.WALK_IN,
        complaint="Merek dagang.",
    )
    diagnosis = case_diagnose(actor=world.admin, case=case, answers=ANSWERS, annual_sales_idr=500_000_000)
    assert diagnosis.baseline_permits == ["nib"]


# ---------------------------------------------------------------------------------------------
# Referrals: outcomes written back to the registry


def test_a_kur_outcome_stores_the_amount(world):
    case = make_case(world, S.MENTORING)
    referral = referral_make(
        actor=world.consultant,
        case=case,
        kind="kur",
        to_name="BRI Unit Entikong",
        referred_on=dt.date(2026, 6, 1),
    )
    assert (referral.status, referral.referred_on) == ("sent", dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(actor=world.consultant, referral=referral, succeeded=True)
    assert set(exc.value.message_dict) == {"amount_idr"}
    referral = Referral.objects.get(pk=referral.pk)
    referral_record_outcome(
        actor=world.consultant, referral=referral, succeeded=True, amount_idr=50_000_000, note="Cair."
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (
        referral.status,
        referral.amount_idr,
        referral.outcome_on,
        referral.outcome_note,
        referral.permit,
    ) == (
        "succeeded",
        50_000_000,
        TODAY,
        "Cair.",
        None,
    )


@pytest.mark.parametrize("amount", [12.5, True, 0, -1, "50000000"])
def test_a_kur_amount_must_be_whole_positive_rupiah(world, amount):
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="kur", to_name="Bank"
    )
    with pytest.raises(ValidationError):
        referral_record_outcome(actor=world.consultant, referral=referral, succeeded=True, amount_idr=amount)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_an_nib_outcome_sets_the_enterprise_nib_and_creates_a_permit(world):
    ent = world.ent_sanggau
    assert (ent.nib, ent.has_nib) == ("", False)
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="oss_nib", to_name="OSS"
    )
    referral_record_outcome(
        actor=world.consultant, referral=referral, succeeded=True, document_number="9120 0012 3456 7"
    )
    ent.refresh_from_db()
    assert (ent.nib, ent.nib_raw, ent.has_nib) == ("9120001234567", "9120 0012 3456 7", True)
    permit = Permit.objects.get(enterprise=ent, kind="nib")
    assert (permit.number, permit.number_raw, permit.status, permit.issued_on) == (
        "9120001234567",
        "9120 0012 3456 7",
        "active",
        TODAY,
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.status, referral.document_number, referral.permit) == (
        "succeeded",
        "9120001234567",
        permit,
    )


@pytest.mark.parametrize("number", ["12345", "9120A01234567", "", "9.12E+12"])
def test_an_invalid_nib_is_rejected_and_nothing_is_written(world, number):
    ent = world.ent_sanggau
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="oss_nib", to_name="OSS"
    )
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(
            actor=world.consultant, referral=referral, succeeded=True, document_number=number
        )
    assert set(exc.value.message_dict) == {"document_number"}
    ent.refresh_from_db()
    assert (ent.nib, ent.has_nib, ent.permits.count()) == ("", False, 0)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_a_halal_outcome_creates_an_active_halal_permit(world):
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="halal", to_name="BPJPH"
    )
    referral_record_outcome(
        actor=world.consultant, referral=referral, succeeded=True, document_number="ID61110000123450126"
    )
    permit = Permit.objects.get(enterprise=world.ent_sanggau)
    assert (permit.kind, permit.number, permit.status, permit.issued_on) == (
        "halal",
        "ID61110000123450126",
        "active",
        TODAY,
    )
    assert Enterprise.objects.get(pk=world.ent_sanggau.pk).has_nib is False


def test_a_failed_referral_writes_nothing_back(world):
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="halal", to_name="BPJPH"
    )
    referral_record_outcome(actor=world.consultant, referral=referral, succeeded=False, note="Berkas kurang.")
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.status, referral.permit, referral.document_number) == ("failed", None, "")
    assert not Permit.objects.filter(enterprise=world.ent_sanggau).exists()


def test_only_the_practice_records_referral_outcomes(world):
    referral = referral_make(
        actor=world.consultant, case=make_case(world, S.MENTORING), kind="kur", to_name="Bank"
    )
    for actor in (world.officer_sanggau, world.owner_sanggau, world.analyst):
        with pytest.raises(PermissionDenied):
            referral_record_outcome(actor=actor, referral=referral, succeeded=True, amount_idr=1_000_000)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


# ---------------------------------------------------------------------------------------------
# Close: the outcome


def test_growth_pct():
    assert growth_pct(100_000_000, 125_000_000) == Decimal("25.00")
    assert growth_pct(1_900_000_000, 2_100_000_000) == Decimal("10.53")  # 10.526…
    assert growth_pct(300, 299) == Decimal("-0.33")
    assert growth_pct(200, 201) == Decimal("0.50")
    assert growth_pct(None, 100) is None
    assert growth_pct(0, 100) is None
    assert growth_pct(100, None) is None


def test_closing_records_the_outcome_exactly(world):
    case = make_case(world, S.MENTORING)  # diagnosed with sales of Rp100 juta and 3 workers
    c = world.consultant
    kur1 = referral_make(actor=c, case=case, kind="kur", to_name="BRI")
    kur2 = referral_make(actor=c, case=case, kind="kur", to_name="Bank Kalbar")
    kur3 = referral_make(actor=c, case=case, kind="kur", to_name="BNI")
    nib = referral_make(actor=c, case=case, kind="oss_nib", to_name="OSS")
    halal = referral_make(actor=c, case=case, kind="halal", to_name="BPJPH")
    referral_record_outcome(actor=c, referral=kur1, succeeded=True, amount_idr=50_000_000)
    referral_record_outcome(actor=c, referral=kur2, succeeded=True, amount_idr=25_000_000)
    referral_record_outcome(actor=c, referral=kur3, succeeded=False)
    referral_record_outcome(actor=c, referral=nib, succeeded=True, document_number="9120001234567")
    referral_record_outcome(actor=c, referral=halal, succeeded=True, document_number="ID611100001")
    # KUR of another case of the same enterprise does not count.
    other = case_open(actor=c, enterprise=world.ent_sanggau, channel="phone", complaint="Modal lagi.")
    kur_other = referral_make(actor=c, case=other, kind="kur", to_name="BRI")
    referral_record_outcome(actor=c, referral=kur_other, succeeded=True, amount_idr=10_000_000)

    case = case_close(actor=c, case=_reload(case), annual_sales_idr=125_000_000, workers=4, note="Selesai.")

    assert (case.status, case.closed_at) == (S.CLOSED, NOW)
    outcome = Outcome.objects.get(case=case)
    baseline = case.diagnoses.get().baseline
    assert outcome.baseline == baseline
    assert (
        outcome.after.source,
        outcome.after.as_of,
        outcome.after.annual_sales_idr,
        outcome.after.workers,
    ) == (
        "form",
        TODAY,
        125_000_000,
        4,
    )
    assert (outcome.sales_before_idr, outcome.sales_after_idr) == (100_000_000, 125_000_000)
    assert (outcome.workers_before, outcome.workers_after) == (3, 4)
    assert growth_pct(outcome.sales_before_idr, outcome.sales_after_idr) == Decimal("25.00")
    assert outcome.formalised == ["halal", "nib"]
    assert outcome.finance_obtained_idr == 75_000_000
    assert (outcome.size_before, outcome.size_after, outcome.moved_up) == ("micro", "micro", False)
    assert (outcome.note, outcome.recorded_by) == ("Selesai.", c)


def test_crossing_the_pp7_threshold_is_naik_kelas(world):
    case = make_case(world, S.MENTORING, sales=1_900_000_000)
    case = case_close(actor=world.consultant, case=case, annual_sales_idr=2_100_000_000)
    outcome = case.outcome
    assert (outcome.sales_before_idr, outcome.sales_after_idr) == (1_900_000_000, 2_100_000_000)
    assert (outcome.size_before, outcome.size_after, outcome.moved_up) == ("micro", "small", True)
    assert growth_pct(outcome.sales_before_idr, outcome.sales_after_idr) == Decimal("10.53")
    assert (outcome.formalised, outcome.finance_obtained_idr) == ([], 0)
    assert Enterprise.objects.get(pk=world.ent_sanggau.pk).size_class == "small"


def test_the_upper_micro_bound_is_still_micro(world):
    case = make_case(world, S.DIAGNOSED, sales=1_900_000_000)
    case = case_close(actor=world.consultant, case=case, annual_sales_idr=2_000_000_000)
    assert (case.outcome.size_after, case.outcome.moved_up) == ("micro", False)


def test_a_case_closed_straight_after_diagnosis_has_its_outcome(world):
    case = make_case(world, S.DIAGNOSED)
    case = case_close(actor=world.consultant, case=case, annual_sales_idr=90_000_000, workers=2)
    assert case.status == S.CLOSED
    assert (case.outcome.sales_before_idr, case.outcome.sales_after_idr, case.outcome.workers_after) == (
        100_000_000,
        90_000_000,
        2,
    )
    assert growth_pct(case.outcome.sales_before_idr, case.outcome.sales_after_idr) == Decimal("-10.00")


# ---------------------------------------------------------------------------------------------
# Follow-up reminders


def _session_with_follow_up(world, case: Case, follow_up_on: dt.date, held_on: dt.date = TODAY) -> Session:
    return session_log(
        actor=world.consultant,
        case=case,
        held_on=held_on,
        mode="visit",
        topic="Kunjungan",
        duration_minutes=30,
        next_steps="Bawa laporan kas.",
        follow_up_on=follow_up_on,
    )


def test_an_overdue_follow_up_sends_one_email_after_commit(world, django_capture_on_commit_callbacks):
    case = make_case(world, S.MENTORING)
    session = _session_with_follow_up(
        world, case, TODAY - dt.timedelta(days=1), held_on=TODAY - dt.timedelta(days=7)
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert followup_reminders_send() == 1
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the commit
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["konsultan@plut.example"]
    assert message.subject == "Tindak lanjut terlambat: " + case.number  # Indonesian, the default language
    assert "Lada Entikong" in message.body
    assert "2026-06-14" in message.body
    assert "Bawa laporan kas." in message.body
    session.refresh_from_db()
    assert session.reminder_sent_at == NOW

    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send(today=TODAY + dt.timedelta(days=30)) == 0
    assert len(mail.outbox) == 1


def test_a_follow_up_not_yet_due_sends_nothing(world, django_capture_on_commit_callbacks):
    case = make_case(world, S.MENTORING)
    _session_with_follow_up(world, case, TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send() == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send(today=TODAY + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_a_closed_cases_follow_up_sends_nothing(world, django_capture_on_commit_callbacks):
    case = make_case(world, S.MENTORING)
    _session_with_follow_up(world, case, TODAY - dt.timedelta(days=2), held_on=TODAY - dt.timedelta(days=7))
    case_close(actor=world.consultant, case=_reload(case), annual_sales_idr=125_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send() == 0
    assert mail.outbox == []


def test_a_follow_up_done_by_a_later_session_sends_nothing(world, django_capture_on_commit_callbacks):
    case = make_case(world, S.MENTORING)
    first = _session_with_follow_up(
        world, case, TODAY - dt.timedelta(days=3), held_on=TODAY - dt.timedelta(days=10)
    )
    session_log(
        actor=world.consultant,
        case=case,
        held_on=TODAY - dt.timedelta(days=2),
        mode="phone",
        topic="Tindak lanjut",
        duration_minutes=15,
    )
    first.refresh_from_db()
    assert first.follow_up_done is True
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send() == 0
    assert mail.outbox == []


def test_the_reminder_channel_is_pluggable(world, django_capture_on_commit_callbacks):
    case = make_case(world, S.MENTORING)
    _session_with_follow_up(world, case, TODAY - dt.timedelta(days=1), held_on=TODAY - dt.timedelta(days=5))
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send(notify=lambda user, subject, body: sent.append((user, subject))) == 1
    # Indonesian, the default language.
    assert sent == [(world.consultant, "Tindak lanjut terlambat: " + case.number)]
    assert mail.outbox == []
