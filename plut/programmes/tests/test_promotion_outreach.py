"""Promotion financing (budget never exceeded), outreach coverage, scoping of reads, the reach hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from plut.enterprises.models import Permit
from plut.programmes import selectors, services
from plut.programmes.models import PromotionApplication, Proposal
from plut.programmes.reach import enterprises_touched
from plut.programmes.tests.conftest import make_pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def call(cast, programmes):
    return services.promotion_call_create(
        actor=cast.admin,
        programme=programmes["promotion"],
        title="Pameran produk perbatasan Kuching",
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=30),
        budget_idr=100_000_000,
        require_border_district=True,
        event_name="Borneo Expo",
        event_place="Kuching",
    )


def _apply(cast, call, enterprise, amount, actor=None):
    return services.promotion_application_submit(
        actor=actor or cast.consultant, call=call, enterprise=enterprise, requested_amount_idr=amount
    )


class TestPromotion:
    def test_the_entrepreneur_applies_for_their_own_enterprise(self, cast, call):
        app = _apply(cast, call, cast.ent_sambas, 40_000_000, actor=cast.entrepreneur)
        assert (app.on_behalf, app.region_path, app.status) == (
            False,
            cast.ent_sambas.region_path,
            "submitted",
        )

    def test_a_consultant_applies_on_behalf_within_their_regencies_only(self, cast, call):
        app = _apply(cast, call, cast.ent_sanggau, 40_000_000)
        assert app.on_behalf is True
        with pytest.raises(PermissionDenied):
            _apply(cast, call, cast.ent_sambas, 40_000_000)

    def test_criteria_are_checked(self, cast, call):
        call.require_pirt_or_halal = True
        call.save()
        with pytest.raises(ValidationError) as exc:
            _apply(cast, call, cast.ent_sanggau, 1)
        assert exc.value.messages == [
            "The enterprise does not meet the call's criteria: Product readiness (P-IRT or halal)."
        ]
        Permit.objects.create(enterprise=cast.ent_sanggau, kind="halal", number="ID123")
        assert _apply(cast, call, cast.ent_sanggau, 1).pk

    def test_a_non_border_enterprise_fails_the_border_criterion(self, cast, call):
        assert services.call_criteria_unmet(call, cast.ent_pontianak) == ["Enterprise in a border district"]
        assert services.call_criteria_unmet(call, cast.ent_sanggau) == []

    def test_awards_never_exceed_the_budget(self, cast, call):
        a = _apply(cast, call, cast.ent_sambas, 60_000_000, actor=cast.entrepreneur)
        b = _apply(cast, call, cast.ent_sanggau, 60_000_000)
        services.promotion_application_award(actor=cast.admin, application=a, amount_idr=60_000_000)
        with pytest.raises(ValidationError) as exc:
            services.promotion_application_award(actor=cast.admin, application=b, amount_idr=40_000_001)
        assert exc.value.messages == [
            "The award of 40000001 rupiah exceeds what is left of the call's budget (40000000 of 100000000 rupiah)."
        ]
        services.promotion_application_award(actor=cast.admin, application=b, amount_idr=40_000_000)
        total = sum(
            PromotionApplication.objects.filter(call=call).values_list("awarded_amount_idr", flat=True)
        )
        assert total == 100_000_000

    def test_an_application_is_awarded_once(self, cast, call):
        a = _apply(cast, call, cast.ent_sanggau, 10)
        services.promotion_application_award(actor=cast.admin, application=a, amount_idr=10)
        with pytest.raises(ValidationError):
            services.promotion_application_award(actor=cast.admin, application=a, amount_idr=10)

    @pytest.mark.parametrize("who", ["analyst", "consultant", "officer_sanggau", "ministry", "entrepreneur"])
    def test_only_the_office_admin_awards_and_scores(self, cast, call, who):
        a = _apply(cast, call, cast.ent_sanggau, 10)
        with pytest.raises(PermissionDenied):
            services.promotion_application_award(actor=getattr(cast, who), application=a, amount_idr=10)
        with pytest.raises(PermissionDenied):
            services.promotion_application_score(
                actor=getattr(cast, who), application=a, criterion="own_brand", score=5
            )

    def test_scores_are_per_reviewer_and_criterion(self, cast, call):
        a = _apply(cast, call, cast.ent_sanggau, 10)
        services.promotion_application_score(
            actor=cast.admin, application=a, criterion="border_district", score=9
        )
        services.promotion_application_score(
            actor=cast.admin, application=a, criterion="border_district", score=7
        )
        assert list(a.scores.values_list("criterion", "score")) == [("border_district", 7)]
        with pytest.raises(ValidationError):
            services.promotion_application_score(
                actor=cast.admin, application=a, criterion="own_brand", score=11
            )

    def test_the_report_converts_ringgit_at_the_given_rate(self, cast, call):
        a = _apply(cast, call, cast.ent_sambas, 10, actor=cast.entrepreneur)
        services.promotion_application_award(actor=cast.admin, application=a, amount_idr=10)
        report = services.promotion_report_record(
            actor=cast.entrepreneur,
            application=a,
            transactions=12,
            buyers_met=30,
            buyer_countries="my, id",
            sales_amount=Decimal("1250.50"),
            currency="MYR",
            rate_idr=Decimal("3520.1234"),
            rate_date=TODAY,
        )
        # 1250.50 × 3520.1234 = 4,401,914.31... → 4,401,914 rupiah.
        assert report.sales_idr == 4_401_914
        assert report.buyer_countries == "MY,ID"

    def test_an_idr_report_must_use_rate_one(self, cast, call):
        a = _apply(cast, call, cast.ent_sanggau, 10)
        services.promotion_application_award(actor=cast.admin, application=a, amount_idr=10)
        with pytest.raises(ValidationError):
            services.promotion_report_record(
                actor=cast.consultant,
                application=a,
                transactions=1,
                buyers_met=1,
                buyer_countries="ID",
                sales_amount=Decimal("1000"),
                currency="IDR",
                rate_idr=Decimal("2"),
                rate_date=TODAY,
            )


class TestOutreachAndReach:
    def test_coverage_lists_border_regencies_and_districts_reached_and_not(self, cast, programmes, regions):
        services.outreach_event_create(
            actor=cast.officer_sanggau,
            programme=programmes["market"],
            regency=regions["61.03"],
            district=regions["61.03.21"],
            held_on=dt.date(2026, 3, 10),
            place="Kantor Camat Entikong",
        )
        event = services.outreach_event_create(
            actor=cast.admin,
            programme=programmes["market"],
            regency=regions["61.01"],
            held_on=dt.date(2026, 4, 2),
        )
        services.outreach_attendee_add(actor=cast.admin, event=event, name="Siti", enterprise=cast.ent_sambas)
        cov = selectors.coverage(user=cast.admin)
        reached = {r["code"]: (r["reached"], r["events"], r["last_held_on"]) for r in cov["regencies"]}
        assert reached == {
            "61.01": (True, 1, dt.date(2026, 4, 2)),
            "61.03": (True, 1, dt.date(2026, 3, 10)),
            "61.05": (False, 0, None),
            "61.06": (False, 0, None),
            "61.07": (False, 0, None),
        }
        districts = {d["code"]: d["reached"] for d in cov["districts"]}
        assert districts["61.03.21"] is True and districts["61.01.08"] is True  # Temajuk, via its attendee
        assert districts["61.03.07"] is False and "61.03.07" in cov["districts_not_reached"]
        assert "61.03.21" not in cov["districts_not_reached"]
        # A regency officer sees only their regency's rows.
        own = selectors.coverage(user=cast.officer_sanggau)
        assert [r["code"] for r in own["regencies"]] == ["61.03"]

    def test_an_officer_cannot_record_outreach_in_another_regency(self, cast, programmes, regions):
        with pytest.raises(PermissionDenied):
            services.outreach_event_create(
                actor=cast.officer_sambas,
                programme=programmes["market"],
                regency=regions["61.03"],
                held_on=TODAY,
            )

    def test_enterprises_touched_by_awards_and_outreach_in_the_period(self, cast, programmes, regions, call):
        a = _apply(cast, call, cast.ent_sanggau, 10)
        services.promotion_application_award(actor=cast.admin, application=a, amount_idr=10)
        _apply(cast, call, cast.ent_sambas, 10, actor=cast.entrepreneur)  # applied, never awarded
        event = services.outreach_event_create(
            actor=cast.admin,
            programme=programmes["market"],
            regency=regions["61.01"],
            held_on=dt.date(2026, 2, 1),
        )
        services.outreach_attendee_add(actor=cast.admin, event=event, name="Siti", enterprise=cast.ent_sambas)
        services.outreach_attendee_add(actor=cast.admin, event=event, name="Tamu tanpa usaha terdaftar")
        today = timezone.localdate()
        assert list(enterprises_touched(start=today, end=today)) == [cast.ent_sanggau.pk]
        assert list(enterprises_touched(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1))) == [
            cast.ent_sambas.pk
        ]
        assert list(enterprises_touched(start=dt.date(2026, 1, 1), end=today)) == sorted(
            [cast.ent_sambas.pk, cast.ent_sanggau.pk]
        )
        assert list(enterprises_touched(start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 3))) == []


class TestScope:
    @pytest.fixture
    def proposal(self, cast, programmes, regions):
        p = services.proposal_create(
            actor=cast.officer_sanggau,
            programme=programmes["market"],
            regency=regions["61.03"],
            title="Pasar",
        )
        for code in ("proposal_letter", "ded", "land_grant"):
            services.proposal_document_upload(
                actor=cast.officer_sanggau, proposal=p, item_code=code, name="a.pdf", data=make_pdf()
            )
        return p

    def visible(self, user):
        return list(selectors.proposal_scope(user).values_list("pk", flat=True))

    def test_each_role_sees_what_it_may(self, cast, proposal):
        assert self.visible(cast.officer_sanggau) == [proposal.pk]
        assert self.visible(cast.admin) == [proposal.pk]
        assert self.visible(cast.analyst) == [proposal.pk]
        assert self.visible(cast.consultant) == [proposal.pk]  # consultant of 61.03, read only
        # Denied: another regency's officer, the ministry before sending, entrepreneurs.
        assert self.visible(cast.officer_sambas) == []
        assert self.visible(cast.ministry) == []
        assert self.visible(cast.entrepreneur) == []
        with pytest.raises(Http404):
            selectors.get_proposal_for_user(user=cast.officer_sambas, pk=proposal.pk)
        with pytest.raises(Http404):
            selectors.get_proposal_for_user(user=cast.ministry, pk=proposal.pk)

    def test_the_ministry_sees_a_proposal_once_sent(self, cast, proposal):
        S = Proposal.Status
        for actor, to in [
            (cast.officer_sanggau, S.SUBMITTED),
            (cast.admin, S.UNDER_REVIEW),
            (cast.admin, S.ENDORSED),
        ]:
            proposal = services.proposal_transition(proposal=proposal, to=to, actor=actor)
        assert self.visible(cast.ministry) == []
        services.proposal_transition(proposal=proposal, to=S.SENT, actor=cast.admin)
        assert self.visible(cast.ministry) == [proposal.pk]

    def test_applications_are_scoped(self, cast, call):
        mine = _apply(cast, call, cast.ent_sambas, 10, actor=cast.entrepreneur)
        other = _apply(cast, call, cast.ent_sanggau, 10)

        def seen(u):
            return sorted(selectors.application_scope(u).values_list("pk", flat=True))

        assert seen(cast.entrepreneur) == [mine.pk]
        assert seen(cast.consultant) == [other.pk]
        assert seen(cast.officer_sambas) == [mine.pk]
        assert seen(cast.admin) == sorted([mine.pk, other.pk])
        assert seen(cast.ministry) == []
