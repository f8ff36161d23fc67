"""The clinic pages through the test client: queue, request, intake, the case page's forms, the report.

Time is frozen at 15 June 2026, 10:00 in Pontianak, so dates and the report's month are exact.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.clinic import services
from plut.clinic.healthcheck import active_instrument
from plut.clinic.models import Agreement, Case, Diagnosis, Letter, Outcome, Referral, Session
from plut.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Pontianak")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=WIB)
TODAY = dt.date(2026, 6, 15)
S = Case.Status
COMPLAINT = "Kami ingin pinjaman modal KUR dari bank untuk membeli mesin, tapi belum punya pembukuan."


def _id(message: str) -> str:
    """Return ``message`` as the Indonesian UI shows it (the English msgid while untranslated)."""
    with translation.override("id"):
        return translation.gettext(message)


def text(response) -> str:
    """The visible text of a response, whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(strip_tags(response.content.decode()))).strip()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sambas(cast):
    """A PLUT consultant of Kabupaten Sambas (61.01), where ``cast.ent_sambas`` is."""
    return user_create(
        actor=None,
        username="konsultan_sambas",
        role=Role.CONSULTANT,
        region_codes=["61.01"],
        password=PASSWORD,
        check_password=False,
    )


def login(client, user):
    client.force_login(user)
    return client


def requested(cast) -> Case:
    return services.case_open(
        actor=cast.entrepreneur,
        enterprise=cast.ent_sambas,
        channel=Case.Channel.ONLINE,
        complaint=COMPLAINT,
        consent=True,
    )


def opened(cast, consultant) -> Case:
    return services.case_open(
        actor=consultant, enterprise=cast.ent_sambas, channel=Case.Channel.WALK_IN, complaint=COMPLAINT
    )


def all_answers(option: int = 0) -> dict[str, int]:
    return {q.code: option for q in active_instrument().questions.all()}


def diagnosed(cast, consultant, sales: int = 100_000_000) -> Case:
    case = opened(cast, consultant)
    services.case_confirm_areas(actor=consultant, case=case, area_codes=["pembiayaan"])
    services.case_diagnose(actor=consultant, case=case, answers=all_answers(), annual_sales_idr=sales)
    case.refresh_from_db()
    return case


def planned(cast, consultant) -> Case:
    case = diagnosed(cast, consultant)
    return services.case_plan(
        actor=consultant,
        case=case,
        actions=[
            {"area": "pembiayaan", "description": "Pembukuan", "owner": "entrepreneur", "due_on": TODAY}
        ],
        agreement_text="Pendampingan tiga bulan.",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=90),
    )


def case_url(case: Case, name: str = "case", *args) -> str:
    return reverse(f"clinic:{name}", args=[case.pk, *args])


# --- the queue ---------------------------------------------------------------------------------


class TestHome:
    def test_it_shows_a_consultant_the_requests_of_their_regency(self, client, cast, sambas):
        case = requested(cast)
        response = login(client, sambas).get(reverse("clinic:home"))
        assert response.status_code == 200
        assert f'data-number="{case.number}" data-status="requested"' in response.content.decode()
        assert _id("My queue") in text(response)

    def test_it_hides_other_regions(self, client, cast):
        case = requested(cast)
        response = login(client, cast.consultant).get(reverse("clinic:home"))
        assert response.status_code == 200
        assert case.number not in response.content.decode()
        assert _id("No cases.") in text(response)

    def test_it_filters_by_status(self, client, cast, sambas):
        req = requested(cast)
        mine = opened(cast, sambas)
        html = login(client, sambas).get(reverse("clinic:home"), {"status": "open"}).content.decode()
        assert mine.number in html
        assert req.number not in html

    def test_htmx_gets_only_the_queue(self, client, cast, sambas):
        requested(cast)
        response = login(client, sambas).get(reverse("clinic:home"), headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="queue"')
        assert "<html" not in html

    def test_it_lists_overdue_and_upcoming_follow_ups(self, client, cast, sambas):
        case = planned(cast, sambas)
        services.session_log(
            actor=sambas,
            case=case,
            held_on=TODAY - dt.timedelta(days=10),
            mode="office",
            topic="Awal",
            duration_minutes=60,
            next_steps="Kirim neraca",
            follow_up_on=TODAY - dt.timedelta(days=2),
        )
        other = planned(cast, sambas)
        services.session_log(
            actor=sambas,
            case=other,
            held_on=TODAY,
            mode="phone",
            topic="Tindak lanjut",
            duration_minutes=15,
            next_steps="Kunjungi toko",
            follow_up_on=TODAY + dt.timedelta(days=5),
        )
        html = login(client, sambas).get(reverse("clinic:home")).content.decode()
        overdue = html.split('data-testid="overdue"')[1].split("</ul>")[0]
        upcoming = html.split('data-testid="upcoming"')[1].split("</ul>")[0]
        assert case.number in overdue and "Kirim neraca" in overdue
        assert other.number in upcoming and "Kunjungi toko" in upcoming
        assert "13 Jun 2026" in overdue
        assert "20 Jun 2026" in upcoming

    def test_an_entrepreneur_sees_only_their_own_cases(self, client, cast, sambas):
        own = requested(cast)
        foreign = services.case_open(
            actor=cast.admin, enterprise=cast.ent_sanggau, channel="phone", complaint="Lada tidak laku."
        )
        response = login(client, cast.entrepreneur).get(reverse("clinic:home"))
        html = response.content.decode()
        assert own.number in html
        assert foreign.number not in html
        assert _id("Request a consultation") in text(response)
        assert 'data-testid="followups"' not in html

    def test_ministry_is_refused(self, client, cast):
        assert login(client, cast.ministry).get(reverse("clinic:home")).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client, cast):
        response = client.get(reverse("clinic:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- intake ----------------------------------------------------------------------------------


class TestRequest:
    def test_it_offers_only_own_enterprises_and_the_consent_text(self, client, cast):
        response = login(client, cast.entrepreneur).get(reverse("clinic:request"))
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<option value="{cast.ent_sambas.pk}">Amplang Temajuk</option>' in html
        assert "Lada Entikong" not in html
        assert str(services.CONSENT_TEXT) in unescape(html)

    def test_it_refuses_a_request_without_consent(self, client, cast):
        response = login(client, cast.entrepreneur).post(
            reverse("clinic:request"), {"enterprise": cast.ent_sambas.pk, "complaint": COMPLAINT}
        )
        assert response.status_code == 400
        assert _id("Agree to the processing of your personal data to send the request.") in text(response)
        assert not Case.objects.exists()

    def test_it_sends_a_request_with_consent(self, client, cast):
        response = login(client, cast.entrepreneur).post(
            reverse("clinic:request"),
            {"enterprise": cast.ent_sambas.pk, "complaint": COMPLAINT, "consent": "on"},
        )
        case = Case.objects.get()
        assert response.status_code == 302
        assert response["Location"] == case_url(case)
        assert (case.status, case.channel, case.requested_by) == (S.REQUESTED, "online", cast.entrepreneur)
        assert case.consent_at == NOW
        assert case.consent_text == str(services.CONSENT_TEXT)

    def test_another_enterprise_is_not_a_choice(self, client, cast):
        response = login(client, cast.entrepreneur).post(
            reverse("clinic:request"),
            {"enterprise": cast.ent_sanggau.pk, "complaint": COMPLAINT, "consent": "on"},
        )
        assert response.status_code == 400
        assert not Case.objects.exists()

    @pytest.mark.parametrize("who", ["consultant", "analyst", "admin", "ministry"])
    def test_only_entrepreneurs_request(self, client, cast, who):
        assert login(client, getattr(cast, who)).get(reverse("clinic:request")).status_code == 403


class TestIntake:
    def test_a_consultant_opens_a_case_for_an_enterprise_in_their_regency(self, client, cast, sambas):
        response = login(client, sambas).post(
            reverse("clinic:intake"),
            {"enterprise": cast.ent_sambas.pk, "channel": "walk_in", "complaint": COMPLAINT},
        )
        case = Case.objects.get()
        assert response.status_code == 302
        assert (case.status, case.channel, case.consultant) == (S.OPEN, "walk_in", sambas)
        assert case.suggested_areas  # the triage suggestion is stored at intake

    def test_it_refuses_an_enterprise_of_another_regency(self, client, cast, sambas):
        response = login(client, sambas).post(
            reverse("clinic:intake"),
            {"enterprise": cast.ent_sanggau.pk, "channel": "walk_in", "complaint": COMPLAINT},
        )
        assert response.status_code == 400
        assert _id("No enterprise with this ID is in your regions.") in text(response)
        assert not Case.objects.exists()

    def test_it_finds_enterprises_in_scope_by_name(self, client, cast, sambas):
        response = login(client, sambas).get(
            reverse("clinic:intake"), {"q": "Amplang"}, headers={"HX-Request": "true"}
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="found"')
        assert f'data-testid="pick-{cast.ent_sambas.pk}"' in html
        none = client.get(reverse("clinic:intake"), {"q": "Lada"}, headers={"HX-Request": "true"})
        assert _id("No enterprise in your regions matches.") in text(none)

    @pytest.mark.parametrize("who", ["analyst", "officer_sambas", "entrepreneur", "ministry"])
    def test_it_rejects_roles_that_do_not_run_the_practice(self, client, cast, who):
        user = getattr(cast, who)
        assert login(client, user).get(reverse("clinic:intake")).status_code == 403
        response = client.post(
            reverse("clinic:intake"),
            {"enterprise": cast.ent_sambas.pk, "channel": "walk_in", "complaint": COMPLAINT},
        )
        assert response.status_code == 403
        assert not Case.objects.exists()


# --- the case page ---------------------------------------------------------------------------


class TestCasePage:
    def test_it_shows_the_request_with_its_triage_suggestion(self, client, cast, sambas):
        case = requested(cast)
        response = login(client, sambas).get(case_url(case))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="case-status" data-status="requested"' in html
        assert COMPLAINT in unescape(html)
        assert 'data-testid="pick-up"' in html
        assert 'data-testid="areas-form"' not in html  # not before it is picked up
        first = case.suggested_areas[0]
        assert f'data-testid="confidence-{first["code"]}">{round(100 * first["confidence"])}%<' in html
        # Once picked up, the areas form is offered pre-checked with the suggestion.
        services.case_pick_up(actor=sambas, case=case)
        html = client.get(case_url(case)).content.decode()
        for s in case.suggested_areas:
            assert re.search(rf'<input type="checkbox" name="areas" value="{s["code"]}"[^>]*checked', html)

    def test_it_hides_other_regions(self, client, cast, sambas):
        case = requested(cast)
        assert login(client, cast.consultant).get(case_url(case)).status_code == 404
        assert client.post(case_url(case, "pick_up")).status_code == 404
        case.refresh_from_db()
        assert case.status == S.REQUESTED

    def test_it_rejects_readonly(self, client, cast, sambas):
        case = requested(cast)
        login(client, cast.analyst)
        assert client.get(case_url(case)).status_code == 200
        assert 'data-testid="pick-up"' not in client.get(case_url(case)).content.decode()
        assert client.post(case_url(case, "pick_up")).status_code == 403
        assert client.post(case_url(case, "cancel"), {"note": "x"}).status_code == 403
        case.refresh_from_db()
        assert case.status == S.REQUESTED

    def test_an_entrepreneur_sees_their_own_case_only(self, client, cast, sambas):
        own = requested(cast)
        foreign = services.case_open(
            actor=cast.admin, enterprise=cast.ent_sanggau, channel="phone", complaint="Lada tidak laku."
        )
        login(client, cast.entrepreneur)
        html = client.get(case_url(own)).content.decode()
        assert 'data-testid="pick-up"' not in html
        assert 'data-testid="areas-form"' not in html
        assert client.get(case_url(foreign)).status_code == 404
        assert client.post(case_url(own, "pick_up")).status_code == 403

    def test_ministry_is_refused(self, client, cast):
        case = requested(cast)
        assert login(client, cast.ministry).get(case_url(case)).status_code == 403

    def test_a_consultant_picks_up_a_request(self, client, cast, sambas):
        case = requested(cast)
        response = login(client, sambas).post(case_url(case, "pick_up"))
        assert response.status_code == 302
        case.refresh_from_db()
        assert (case.status, case.consultant) == (S.OPEN, sambas)
        page = client.get(case_url(case))
        assert _id("You picked up this case.") in text(page)
        assert 'data-status="open"' in page.content.decode()

    def test_picking_up_twice_shows_the_service_message(self, client, cast, sambas):
        case = requested(cast)
        login(client, sambas).post(case_url(case, "pick_up"))
        client.post(case_url(case, "pick_up"))
        page = client.get(case_url(case))
        expected = _id("A case that is %(from)s cannot become %(to)s.") % {
            "from": _id("open"),
            "to": _id("open"),
        }
        assert expected in text(page)

    def test_it_confirms_areas(self, client, cast, sambas):
        case = opened(cast, sambas)
        response = login(client, sambas).post(case_url(case, "areas"), {"areas": ["pembiayaan", "sdm"]})
        assert response.status_code == 302
        assert set(case.areas.values_list("code", flat=True)) == {"pembiayaan", "sdm"}
        html = client.get(case_url(case)).content.decode()
        assert 'data-testid="areas-confirmed">Sumber daya manusia, Pembiayaan<' in html

    def test_it_refuses_no_area(self, client, cast, sambas):
        case = opened(cast, sambas)
        response = login(client, sambas).post(case_url(case, "areas"), {})
        assert response.status_code == 400
        assert 'data-testid="error-areas"' in response.content.decode()
        assert not case.areas.exists()

    def test_the_health_check_form_has_one_radio_group_per_question(self, client, cast, sambas):
        case = opened(cast, sambas)
        html = login(client, sambas).get(case_url(case)).content.decode()
        questions = list(active_instrument().questions.all())
        for q in questions:
            assert html.count(f'name="q_{q.code}"') == len(q.options)

    def test_it_records_a_health_check_with_rupiah_in_words(self, client, cast, sambas):
        case = opened(cast, sambas)
        data = {f"q_{code}": 0 for code in all_answers()}
        data.update(annual_sales="1,5 jt", workers="3")
        response = login(client, sambas).post(case_url(case, "diagnose"), data)
        assert response.status_code == 302
        diagnosis = Diagnosis.objects.get(case=case)
        assert diagnosis.baseline.annual_sales_idr == 1_500_000
        assert diagnosis.baseline.workers == 3
        assert set(diagnosis.scores.values()) == {0}
        case.refresh_from_db()
        assert case.status == S.DIAGNOSED
        html = client.get(case_url(case)).content.decode()
        assert 'data-testid="overall">0<' in html
        assert 'data-testid="baseline-sales">Rp 1.500.000<' in html
        assert 'id="radar-data"' in html
        assert "vendor/chart.js/chart.umd.js" in html

    def test_a_full_score_is_100(self, client, cast, sambas):
        case = opened(cast, sambas)
        best = {
            f"q_{q.code}": max(range(len(q.options)), key=lambda i, q=q: q.options[i]["points"])
            for q in active_instrument().questions.all()
        }
        login(client, sambas).post(case_url(case, "diagnose"), best)
        diagnosis = Diagnosis.objects.get(case=case)
        assert diagnosis.overall == 100
        assert set(diagnosis.scores.values()) == {100}

    def test_it_refuses_a_health_check_with_an_unanswered_question(self, client, cast, sambas):
        case = opened(cast, sambas)
        answers = all_answers()
        missing = next(iter(answers))
        data = {f"q_{c}": v for c, v in answers.items() if c != missing}
        response = login(client, sambas).post(case_url(case, "diagnose"), data)
        assert response.status_code == 400
        assert f'data-testid="error-q_{missing}"' in response.content.decode()
        assert not Diagnosis.objects.exists()

    def test_it_refuses_a_malformed_amount(self, client, cast, sambas):
        case = opened(cast, sambas)
        data = {f"q_{c}": v for c, v in all_answers().items()}
        data["annual_sales"] = "banyak"
        response = login(client, sambas).post(case_url(case, "diagnose"), data)
        assert response.status_code == 400
        assert 'data-testid="error-annual_sales"' in response.content.decode()
        assert not Diagnosis.objects.exists()

    def test_it_writes_a_plan_with_its_agreement(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        data = {
            "actions-TOTAL_FORMS": "4",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "1",
            "actions-MAX_NUM_FORMS": "1000",
            "actions-0-area": "pembiayaan",
            "actions-0-description": "Susun pembukuan sederhana",
            "actions-0-owner": "entrepreneur",
            "actions-0-due_on": "2026-07-15",
            "actions-1-area": "pembiayaan",
            "actions-1-description": "Ajukan KUR ke bank",
            "actions-1-owner": "consultant",
            "actions-1-due_on": "2026-08-01",
            "agreement_text": "Pendampingan tiga bulan.",
            "starts_on": "2026-06-15",
            "ends_on": "2026-09-15",
        }
        response = login(client, sambas).post(case_url(case, "plan"), data)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == S.PLANNED
        assert list(case.actions.values_list("description", "owner")) == [
            ("Susun pembukuan sederhana", "entrepreneur"),
            ("Ajukan KUR ke bank", "consultant"),
        ]
        assert Agreement.objects.get(case=case).ends_on == dt.date(2026, 9, 15)

    def test_it_refuses_an_action_due_after_the_agreement(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        data = {
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-area": "pembiayaan",
            "actions-0-description": "Ajukan KUR",
            "actions-0-owner": "consultant",
            "actions-0-due_on": "2026-12-01",
            "agreement_text": "Pendampingan.",
            "starts_on": "2026-06-15",
            "ends_on": "2026-09-15",
        }
        response = login(client, sambas).post(case_url(case, "plan"), data)
        assert response.status_code == 400
        assert _id("Action %(n)s is due outside the agreement period.") % {"n": 1} in text(response)
        case.refresh_from_db()
        assert case.status == S.DIAGNOSED

    def test_the_entrepreneur_accepts_the_agreement(self, client, cast, sambas):
        case = planned(cast, sambas)
        html = login(client, cast.entrepreneur).get(case_url(case)).content.decode()
        assert _id("I accept the agreement") in html
        assert client.post(case_url(case, "agreement_accept")).status_code == 302
        agreement = Agreement.objects.get(case=case)
        assert (agreement.accepted_by, agreement.accepted_on_behalf) == (cast.entrepreneur, False)
        assert 'data-testid="agreement-accepted"' in client.get(case_url(case)).content.decode()

    def test_the_consultant_records_an_acceptance_in_person(self, client, cast, sambas):
        case = planned(cast, sambas)
        html = login(client, sambas).get(case_url(case)).content.decode()
        assert _id("Accepted in person") in html
        client.post(case_url(case, "agreement_accept"))
        assert Agreement.objects.get(case=case).accepted_on_behalf is True

    def test_the_analyst_cannot_accept(self, client, cast, sambas):
        case = planned(cast, sambas)
        assert login(client, cast.analyst).post(case_url(case, "agreement_accept")).status_code == 403
        assert Agreement.objects.get(case=case).accepted_at is None

    def test_the_agreement_downloads_as_pdf(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = login(client, cast.entrepreneur).get(case_url(case, "agreement_pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert f'filename="kontrak-{case.number}.pdf"' in response["Content-Disposition"]

    def test_it_logs_a_session(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = login(client, sambas).post(
            case_url(case, "session"),
            {"held_on": "2026-06-15", "mode": "visit", "topic": "Pembukuan", "duration_minutes": "90"},
        )
        assert response.status_code == 302
        session = Session.objects.get(case=case)
        assert (session.topic, session.duration_minutes, session.consultant) == ("Pembukuan", 90, sambas)
        case.refresh_from_db()
        assert case.status == S.MENTORING

    def test_it_refuses_a_session_in_the_future(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = login(client, sambas).post(
            case_url(case, "session"),
            {"held_on": "2026-06-16", "mode": "visit", "topic": "Pembukuan", "duration_minutes": "90"},
        )
        assert response.status_code == 400
        assert _id("A session cannot be logged before it is held.") in text(response)
        assert 'data-testid="error-held_on"' in response.content.decode()
        assert not Session.objects.exists()

    def test_it_refuses_a_session_on_a_closed_case(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        services.case_close(actor=sambas, case=case, annual_sales_idr=120_000_000)
        response = login(client, sambas).post(
            case_url(case, "session"),
            {"held_on": "2026-06-15", "mode": "visit", "topic": "Lagi", "duration_minutes": "30"},
        )
        assert response.status_code == 400
        expected = _id("A session cannot be logged on a case that is %(s)s.") % {"s": _id("closed")}
        assert expected in text(response)
        assert 'data-testid="session-form"' not in response.content.decode()  # errors only
        assert not Session.objects.exists()

    def test_it_makes_a_referral_and_records_its_outcome(self, client, cast, sambas):
        case = planned(cast, sambas)
        login(client, sambas)
        response = client.post(
            case_url(case, "referral"), {"kind": "kur", "to_name": "Bank Kalbar", "referred_on": "2026-06-15"}
        )
        assert response.status_code == 302
        referral = Referral.objects.get(case=case)
        prefix = f"r{referral.pk}"
        missing = client.post(case_url(case, "referral_outcome", referral.pk), {f"{prefix}-succeeded": "yes"})
        assert missing.status_code == 400
        assert _id("Give the KUR amount obtained, in whole rupiah.") in text(missing)
        ok = client.post(
            case_url(case, "referral_outcome", referral.pk),
            {f"{prefix}-succeeded": "yes", f"{prefix}-amount": "Rp 50.000.000"},
        )
        assert ok.status_code == 302
        referral.refresh_from_db()
        assert (referral.status, referral.amount_idr) == (Referral.Status.SUCCEEDED, 50_000_000)
        assert 'data-testid="referral-amount">Rp 50.000.000<' in client.get(case_url(case)).content.decode()

    def test_a_referral_of_another_case_is_not_found(self, client, cast, sambas):
        case = planned(cast, sambas)
        other = planned(cast, sambas)
        referral = services.referral_make(actor=sambas, case=other, kind="kur", to_name="Bank")
        response = login(client, sambas).post(
            case_url(case, "referral_outcome", referral.pk), {f"r{referral.pk}-succeeded": "no"}
        )
        assert response.status_code == 404

    def test_it_closes_a_case_with_its_outcome(self, client, cast, sambas):
        case = diagnosed(cast, sambas, sales=100_000_000)
        response = login(client, sambas).post(
            case_url(case, "close"), {"annual_sales": "Rp 125.000.000", "workers": "4", "note": "Naik"}
        )
        assert response.status_code == 302
        outcome = Outcome.objects.get(case=case)
        assert (outcome.sales_before_idr, outcome.sales_after_idr, outcome.workers_after) == (
            100_000_000,
            125_000_000,
            4,
        )
        html = client.get(case_url(case)).content.decode()
        assert 'data-testid="sales-after">Rp 125.000.000<' in html
        assert 'data-status="closed"' in html

    def test_it_refuses_to_close_without_the_sales(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        response = login(client, sambas).post(case_url(case, "close"), {"workers": "4"})
        assert response.status_code == 400
        assert 'data-testid="error-annual_sales"' in response.content.decode()
        case.refresh_from_db()
        assert case.status == S.DIAGNOSED

    def test_it_refuses_to_close_without_a_diagnosis(self, client, cast, sambas):
        case = opened(cast, sambas)
        response = login(client, sambas).post(case_url(case, "close"), {"annual_sales": "1 jt"})
        assert response.status_code == 400
        assert _id("A case without a diagnosis has no baseline to measure its outcome against.") in text(
            response
        )
        assert not Outcome.objects.exists()

    def test_it_cancels_with_a_reason(self, client, cast, sambas):
        case = opened(cast, sambas)
        login(client, sambas)
        refused = client.post(case_url(case, "cancel"), {"note": ""})
        assert refused.status_code == 400
        assert client.post(case_url(case, "cancel"), {"note": "Pindah ke Kuching"}).status_code == 302
        case.refresh_from_db()
        assert case.status == S.CANCELLED
        assert "Pindah ke Kuching" in client.get(case_url(case)).content.decode()

    def test_it_issues_a_letter_and_verifies_it_publicly(self, client, cast, sambas):
        case = diagnosed(cast, sambas, sales=100_000_000)  # micro: the letter may be issued
        response = login(client, sambas).post(case_url(case, "letter_issue"))
        letter = Letter.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("clinic:letter", args=[case.pk, letter.pk])
        pdf = client.get(response["Location"])
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        client.logout()
        verify = client.get(reverse("letter_verify", args=[letter.verification_code]))
        assert verify.status_code == 200
        assert 'data-testid="letter-number">' + letter.number + "<" in verify.content.decode()
        assert "Amplang Temajuk" in text(verify)
        assert client.get(reverse("letter_verify", args=["XXXXXXXXXX"])).status_code == 404

    def test_the_analyst_cannot_issue_a_letter(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        assert login(client, cast.analyst).post(case_url(case, "letter_issue")).status_code == 403
        assert not Letter.objects.exists()


class TestEnterpriseRecord:
    def test_the_enterprise_page_shows_the_clinic_timeline(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        services.case_close(actor=sambas, case=case, annual_sales_idr=125_000_000)
        response = login(client, cast.admin).get(reverse("enterprises:detail", args=[cast.ent_sambas.pk]))
        html = response.content.decode()
        record = html.split('data-testid="clinic-record"')[1].split("</article>")[0]
        kinds = re.findall(r'data-kind="(\w+)"', record)
        assert kinds == ["case", "diagnosis", "outcome"]
        assert case.number in record
        assert "Rp 100.000.000 → Rp 125.000.000" in record


# --- the PLUT report -------------------------------------------------------------------------


@pytest.fixture
def closed_case(cast, sambas):
    case = planned(cast, sambas)
    services.session_log(
        actor=sambas, case=case, held_on=TODAY, mode="office", topic="1", duration_minutes=30
    )
    referral = services.referral_make(actor=sambas, case=case, kind="kur", to_name="Bank Kalbar")
    services.referral_record_outcome(actor=sambas, referral=referral, succeeded=True, amount_idr=50_000_000)
    services.case_close(actor=sambas, case=case, annual_sales_idr=130_000_000)
    return case


class TestReport:
    def test_it_shows_the_month_by_default(self, client, cast, closed_case, sambas):
        response = login(client, sambas).get(reverse("clinic:report"))
        html = response.content.decode()
        assert response.status_code == 200
        figures = dict(re.findall(r'data-testid="total-(\w+)">([^<]*)<', html))
        assert figures == {
            "assisted": "1",
            "new": "1",
            "continuing": "0",
            "sessions": "1",
            "referrals": "1",
            "referrals_succeeded": "1",
            "closed": "1",
            "naik_kelas": "0",
            "formalised": "0",
            "finance_idr": "50.000.000",
            "growth_pct": "30,00%",
        }
        assert "1 Juni 2026 – 30 Juni 2026" in text(response) or "1 June 2026 – 30 June 2026" in text(
            response
        )

    def test_it_groups_by_regency(self, client, cast, closed_case):
        html = (
            login(client, cast.admin)
            .get(
                reverse("clinic:report"),
                {"period": "quarter", "year": "2026", "number": "2", "grouping": "regency"},
            )
            .content.decode()
        )
        assert 'data-testid="61.01-assisted">1<' in html

    def test_another_month_is_empty(self, client, cast, closed_case):
        html = (
            login(client, cast.admin)
            .get(reverse("clinic:report"), {"period": "month", "year": "2026", "number": "5"})
            .content.decode()
        )
        assert 'data-testid="total-assisted">0<' in html
        assert 'data-testid="total-growth_pct">—<' in html

    def test_it_refuses_a_fifth_quarter(self, client, cast):
        response = login(client, cast.admin).get(
            reverse("clinic:report"), {"period": "quarter", "year": "2026", "number": "5"}
        )
        assert response.status_code == 400
        assert _id("A year has four quarters.") in text(response)

    def test_the_xlsx_keeps_codes_as_text(self, client, cast, closed_case):
        response = login(client, cast.admin).get(
            reverse("clinic:report_xlsx"), {"period": "year", "year": "2026", "grouping": "regency"}
        )
        assert response.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[1][0] == _id("Group")
        assert rows[2][:7] == ("61.01", 1, 1, 0, 1, 1, 1)
        assert ws.cell(row=3, column=1).data_type == "s"
        assert rows[2][11] == 30  # growth %

    def test_the_xlsx_neutralises_formulas(self, client, cast, sambas, closed_case):
        closed_case.consultant.username = "=HYPERLINK(1)"
        closed_case.consultant.save(update_fields=["username"])
        response = login(client, cast.admin).get(
            reverse("clinic:report_xlsx"), {"year": "2026", "number": "6", "grouping": "consultant"}
        )
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert ws.cell(row=3, column=1).value == "'=HYPERLINK(1)"

    def test_the_pdf_renders(self, client, cast, closed_case):
        response = login(client, cast.admin).get(reverse("clinic:report_pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    @pytest.mark.parametrize("who", ["ministry", "entrepreneur"])
    def test_it_refuses_roles_without_the_report(self, client, cast, who):
        login(client, getattr(cast, who))
        assert client.get(reverse("clinic:report")).status_code == 403
        assert client.get(reverse("clinic:report_xlsx")).status_code == 403
        assert client.get(reverse("clinic:report_pdf")).status_code == 403

    def test_a_consultant_sees_only_their_regions(self, client, cast, closed_case):
        html = login(client, cast.consultant).get(reverse("clinic:report")).content.decode()
        assert 'data-testid="total-assisted">0<' in html
