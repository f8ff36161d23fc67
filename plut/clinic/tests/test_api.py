"""The clinic endpoints under ``/api/v1/clinic``: cases, one case, sessions, the report, and scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plut.accounts.models import Role
from plut.accounts.services import api_token_create, user_create
from plut.clinic import services
from plut.clinic.models import Case, Session
from plut.clinic.tests.test_views import COMPLAINT, NOW, TODAY, diagnosed, opened, planned, requested
from plut.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/clinic"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sambas(cast):
    return user_create(
        actor=None,
        username="konsultan_sambas",
        role=Role.CONSULTANT,
        region_codes=["61.01"],
        password=PASSWORD,
        check_password=False,
    )


def bearer(user) -> dict[str, str]:
    key, _ = api_token_create(actor=None, user=user, name="t")
    return {"authorization": f"Bearer {key}"}


class TestCases:
    def test_it_lists_the_cases_in_scope(self, client, cast, sambas):
        case = requested(cast)
        body = client.get(f"{URL}/cases", headers=bearer(sambas)).json()
        assert body["count"] == 1
        item = body["items"][0]
        assert (item["number"], item["status"], item["enterprise_name"]) == (
            case.number,
            "requested",
            "Amplang Temajuk",
        )
        assert item["suggested_areas"] == case.suggested_areas

    def test_it_hides_other_regions(self, client, cast, sambas):
        case = requested(cast)
        headers = bearer(cast.consultant)
        assert client.get(f"{URL}/cases", headers=headers).json()["count"] == 0
        assert client.get(f"{URL}/cases/{case.pk}", headers=headers).status_code == 404

    def test_an_entrepreneur_lists_only_their_own(self, client, cast):
        own = requested(cast)
        services.case_open(actor=cast.admin, enterprise=cast.ent_sanggau, channel="phone", complaint="Lada.")
        body = client.get(f"{URL}/cases", headers=bearer(cast.entrepreneur)).json()
        assert [c["number"] for c in body["items"]] == [own.number]

    def test_it_filters_by_status(self, client, cast, sambas):
        requested(cast)
        mine = opened(cast, sambas)
        body = client.get(f"{URL}/cases", {"status": "open"}, headers=bearer(sambas)).json()
        assert [c["number"] for c in body["items"]] == [mine.number]

    def test_ministry_is_refused(self, client, cast):
        assert client.get(f"{URL}/cases", headers=bearer(cast.ministry)).status_code == 403

    def test_anonymous_is_refused(self, client, cast):
        assert client.get(f"{URL}/cases").status_code == 401

    def test_a_consultant_opens_a_case(self, client, cast, sambas):
        response = client.post(
            f"{URL}/cases",
            {"enterprise_id": cast.ent_sambas.pk, "complaint": COMPLAINT, "channel": "phone"},
            content_type="application/json",
            headers=bearer(sambas),
        )
        assert response.status_code == 201, response.content
        case = Case.objects.get()
        assert response.json()["number"] == case.number
        assert (case.status, case.channel, case.consultant) == ("open", "phone", sambas)

    def test_an_entrepreneur_needs_consent(self, client, cast):
        headers = bearer(cast.entrepreneur)
        body = {"enterprise_id": cast.ent_sambas.pk, "complaint": COMPLAINT}
        refused = client.post(f"{URL}/cases", body, content_type="application/json", headers=headers)
        assert refused.status_code == 422
        assert list(refused.json()["detail"]) == ["consent"]
        body["consent"] = True
        ok = client.post(f"{URL}/cases", body, content_type="application/json", headers=headers)
        assert ok.status_code == 201
        assert ok.json()["status"] == "requested"

    def test_it_does_not_open_a_case_outside_scope(self, client, cast, sambas):
        response = client.post(
            f"{URL}/cases",
            {"enterprise_id": cast.ent_sanggau.pk, "complaint": COMPLAINT},
            content_type="application/json",
            headers=bearer(sambas),
        )
        assert response.status_code == 404
        assert not Case.objects.exists()

    def test_the_analyst_cannot_open_a_case(self, client, cast):
        response = client.post(
            f"{URL}/cases",
            {"enterprise_id": cast.ent_sambas.pk, "complaint": COMPLAINT},
            content_type="application/json",
            headers=bearer(cast.analyst),
        )
        assert response.status_code == 403
        assert not Case.objects.exists()

    def test_one_case_has_its_whole_record(self, client, cast, sambas):
        case = diagnosed(cast, sambas, sales=100_000_000)
        services.case_close(actor=sambas, case=case, annual_sales_idr=125_000_000)
        body = client.get(f"{URL}/cases/{case.pk}", headers=bearer(cast.entrepreneur)).json()
        assert body["complaint"] == COMPLAINT
        assert body["areas"] == ["pembiayaan"]
        assert body["diagnoses"][0]["overall"] == 0
        assert body["outcome"]["sales_before_idr"] == 100_000_000
        assert body["outcome"]["sales_after_idr"] == 125_000_000
        assert body["outcome"]["growth_pct"] == "25.00"


class TestSessions:
    def payload(self, **kw):
        return {
            "held_on": TODAY.isoformat(),
            "mode": "online",
            "topic": "Harga pokok",
            "duration_minutes": 45,
        } | kw

    def test_a_consultant_logs_a_session(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = client.post(
            f"{URL}/cases/{case.pk}/sessions",
            self.payload(follow_up_on=(TODAY + dt.timedelta(days=7)).isoformat()),
            content_type="application/json",
            headers=bearer(sambas),
        )
        assert response.status_code == 201, response.content
        assert response.json()["topic"] == "Harga pokok"
        session = Session.objects.get()
        assert (session.mode, session.duration_minutes, session.follow_up_on) == (
            "online",
            45,
            dt.date(2026, 6, 22),
        )
        case.refresh_from_db()
        assert case.status == "mentoring"

    def test_no_session_on_a_closed_case(self, client, cast, sambas):
        case = diagnosed(cast, sambas)
        services.case_close(actor=sambas, case=case, annual_sales_idr=1)
        response = client.post(
            f"{URL}/cases/{case.pk}/sessions",
            self.payload(),
            content_type="application/json",
            headers=bearer(sambas),
        )
        assert response.status_code == 422
        assert not Session.objects.exists()

    def test_the_analyst_cannot_log(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = client.post(
            f"{URL}/cases/{case.pk}/sessions",
            self.payload(),
            content_type="application/json",
            headers=bearer(cast.analyst),
        )
        assert response.status_code == 403
        assert not Session.objects.exists()

    def test_another_regency_is_not_found(self, client, cast, sambas):
        case = planned(cast, sambas)
        response = client.post(
            f"{URL}/cases/{case.pk}/sessions",
            self.payload(),
            content_type="application/json",
            headers=bearer(cast.consultant),
        )
        assert response.status_code == 404


class TestReport:
    def test_it_reports_a_month(self, client, cast, sambas):
        case = planned(cast, sambas)
        services.session_log(
            actor=sambas, case=case, held_on=TODAY, mode="office", topic="1", duration_minutes=30
        )
        services.case_close(actor=sambas, case=case, annual_sales_idr=125_000_000)
        body = client.get(
            f"{URL}/report", {"period": "month", "year": 2026, "number": 6}, headers=bearer(cast.admin)
        ).json()
        assert (body["start"], body["end"], body["grouping"]) == ("2026-06-01", "2026-06-30", "total")
        total = body["rows"]["total"]
        assert (total["assisted"], total["new"], total["sessions"], total["closed"]) == (1, 1, 1, 1)
        assert total["growth_pct"] == "25.00"

    def test_it_groups_border_and_non_border(self, client, cast, sambas):
        planned(cast, sambas)
        body = client.get(
            f"{URL}/report",
            {"period": "year", "year": 2026, "grouping": "border"},
            headers=bearer(cast.admin),
        ).json()
        assert list(body["rows"]) == ["border"]

    def test_it_refuses_a_thirteenth_month(self, client, cast):
        response = client.get(f"{URL}/report", {"year": 2026, "number": 13}, headers=bearer(cast.admin))
        assert response.status_code == 422

    @pytest.mark.parametrize("who", ["ministry", "entrepreneur"])
    def test_it_refuses_roles_without_the_report(self, client, cast, who):
        response = client.get(f"{URL}/report", {"year": 2026}, headers=bearer(getattr(cast, who)))
        assert response.status_code == 403
