"""Two people acting at once on PostgreSQL, with real threads and connections: one wins, one is refused."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from plut.programmes import services
from plut.programmes.models import PromotionApplication, Proposal
from plut.programmes.tests.conftest import make_pdf

S = Proposal.Status
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks of a server database"),
]


def run_together(*calls):
    """Run the calls in threads started at one barrier; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is the test's to check
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_reviewers_moving_one_proposal_at_once_one_wins(cast, programmes, regions):
    p = services.proposal_create(
        actor=cast.officer_sanggau, programme=programmes["market"], regency=regions["61.03"], title="Pasar"
    )
    for code in ("proposal_letter", "ded", "land_grant"):
        services.proposal_document_upload(
            actor=cast.officer_sanggau, proposal=p, item_code=code, name="a.pdf", data=make_pdf()
        )
    p = services.proposal_transition(proposal=p, to=S.SUBMITTED, actor=cast.officer_sanggau)
    p = services.proposal_transition(proposal=p, to=S.UNDER_REVIEW, actor=cast.admin)
    version = p.version

    def act(to, note):
        mine = Proposal.objects.get(pk=p.pk)
        return services.proposal_transition(
            proposal=mine, to=to, actor=cast.admin, note=note, expected_version=version
        )

    results = run_together(lambda: act(S.RETURNED, "Kurang RAB."), lambda: act(S.ENDORSED, "Layak."))
    wins = [r for r in results if isinstance(r, Proposal)]
    losses = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert losses[0].code == "proposal.conflict"
    final = Proposal.objects.get(pk=p.pk)
    assert final.status == wins[0].status and final.version == version + 1
    assert final.history.count() == 3


def test_two_awards_at_once_never_exceed_the_budget(cast, programmes):
    today = timezone.localdate()
    call = services.promotion_call_create(
        actor=cast.admin,
        programme=programmes["promotion"],
        title="Expo",
        opens_on=today,
        closes_on=today,
        budget_idr=100_000_000,
    )
    a = services.promotion_application_submit(
        actor=cast.entrepreneur, call=call, enterprise=cast.ent_sambas, requested_amount_idr=60_000_000
    )
    b = services.promotion_application_submit(
        actor=cast.consultant, call=call, enterprise=cast.ent_sanggau, requested_amount_idr=60_000_000
    )
    results = run_together(
        lambda: services.promotion_application_award(actor=cast.admin, application=a, amount_idr=60_000_000),
        lambda: services.promotion_application_award(actor=cast.admin, application=b, amount_idr=60_000_000),
    )
    losses = [r for r in results if isinstance(r, ValidationError)]
    assert len(losses) == 1 and losses[0].code == "application.budget", results
    awarded = PromotionApplication.objects.filter(call=call, status="awarded")
    assert sum(awarded.values_list("awarded_amount_idr", flat=True)) == 60_000_000
