"""The market proposal: eligibility, documents, every allowed and refused transition, locking, notices."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.core.models import AuditLog
from plut.core.testing import PASSWORD
from plut.programmes import services
from plut.programmes.dossier import dossier_zip
from plut.programmes.models import Proposal, ProposalDocument
from plut.programmes.tests.conftest import make_pdf

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(cast, programmes, regions):
    return services.proposal_create(
        actor=cast.officer_sanggau,
        programme=programmes["market"],
        regency=regions["61.03"],
        title="Pasar Rakyat Entikong",
        location="Desa Entikong, Kec. Entikong",
        requested_amount_idr=7_500_000_000,
    )


def upload_all(proposal, actor, items=("proposal_letter", "ded", "land_grant")):
    for code in items:
        services.proposal_document_upload(
            actor=actor, proposal=proposal, item_code=code, name=f"{code}.pdf", data=make_pdf(text=code)
        )


def move(proposal, actor, to, **kw):
    return services.proposal_transition(proposal=proposal, to=to, actor=actor, **kw)


class TestEligibility:
    def test_sanggau_is_a_land_border_regency(self, programmes, regions):
        assert "61.03" in services.land_border_regency_codes(timezone.localdate())
        assert services.regency_eligibility(programme=programmes["market"], regency=regions["61.03"]) is None

    def test_a_non_border_regency_cannot_create_a_market_proposal(self, cast, programmes, regions):
        officer = user_create(
            actor=None,
            username="officer_pontianak",
            role=Role.REGENCY_OFFICER,
            region_codes=["61.71"],
            password=PASSWORD,
            check_password=False,
        )
        with pytest.raises(ValidationError) as exc:
            services.proposal_create(
                actor=officer, programme=programmes["market"], regency=regions["61.71"], title="Pasar Kota"
            )
        assert exc.value.message_dict == {
            "regency": [
                "Kota Pontianak has no land border, and this programme is only for regencies with a land border "
                f"({programmes['market'].eligibility_rules.get().source})."
            ]
        }
        assert Proposal.objects.count() == 0

    def test_an_officer_cannot_draft_for_another_regency(self, cast, programmes, regions):
        with pytest.raises(PermissionDenied):
            services.proposal_create(
                actor=cast.officer_sambas, programme=programmes["market"], regency=regions["61.03"], title="x"
            )

    @pytest.mark.parametrize("who", ["admin", "analyst", "consultant", "ministry", "entrepreneur"])
    def test_only_regency_officers_draft(self, cast, programmes, regions, who):
        with pytest.raises(PermissionDenied):
            services.proposal_create(
                actor=getattr(cast, who), programme=programmes["market"], regency=regions["61.03"], title="x"
            )


class TestDocuments:
    def test_submission_is_refused_while_a_document_is_missing_naming_it(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau, items=("proposal_letter", "ded"))
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.officer_sanggau, S.SUBMITTED)
        assert exc.value.code == "proposal.missing_documents"
        assert exc.value.messages == [
            "The proposal cannot be submitted: these required documents are missing: "
            "Surat pernyataan hibah lahan dari pemerintah kabupaten."
        ]
        proposal.refresh_from_db()
        assert (proposal.status, proposal.version) == (S.DRAFT, 1)

    def test_submission_names_every_missing_document(self, cast, proposal):
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.officer_sanggau, S.SUBMITTED)
        assert exc.value.messages[0].endswith(
            "missing: Surat usulan (proposal) yang ditandatangani bupati, DED (detail engineering design): gambar "
            "kerja dan RAB, Surat pernyataan hibah lahan dari pemerintah kabupaten."
        )

    def test_a_renamed_executable_is_refused_and_nothing_is_stored(self, cast, proposal):
        with pytest.raises(ValidationError) as exc:
            services.proposal_document_upload(
                actor=cast.officer_sanggau,
                proposal=proposal,
                item_code="ded",
                name="ded.pdf",
                data=b"\x7fELF" + b"\0" * 60,
            )
        assert exc.value.code == "document.executable"
        assert proposal.documents.count() == 0

    def test_a_script_carrying_pdf_is_refused(self, cast, proposal):
        with pytest.raises(ValidationError) as exc:
            services.proposal_document_upload(
                actor=cast.officer_sanggau,
                proposal=proposal,
                item_code="ded",
                name="ded.pdf",
                data=make_pdf(js=True),
            )
        assert exc.value.code == "document.active_content"
        assert proposal.documents.count() == 0

    def test_a_name_with_path_segments_is_stored_under_a_generated_name(self, cast, proposal):
        doc = services.proposal_document_upload(
            actor=cast.officer_sanggau,
            proposal=proposal,
            item_code="ded",
            name="../../etc/passwd.pdf",
            data=make_pdf(),
        )
        assert doc.original_name == "passwd.pdf"
        assert doc.file.name.startswith(f"programmes/proposals/{proposal.pk}/")
        assert ".." not in doc.file.name and "passwd" not in doc.file.name and "etc" not in doc.file.name
        assert doc.file.name.endswith(".pdf") and len(doc.file.name.rsplit("/", 1)[1]) == 36

    def test_a_reupload_is_a_new_version_and_the_old_one_is_kept(self, cast, proposal):
        first = services.proposal_document_upload(
            actor=cast.officer_sanggau,
            proposal=proposal,
            item_code="ded",
            name="ded.pdf",
            data=make_pdf(text="v1"),
        )
        second = services.proposal_document_upload(
            actor=cast.officer_sanggau,
            proposal=proposal,
            item_code="ded",
            name="ded-rev.pdf",
            data=make_pdf(text="v2"),
        )
        assert (first.version, second.version) == (1, 2)
        assert first.sha256 != second.sha256
        assert list(proposal.documents.values_list("item_code", "version")) == [("ded", 1), ("ded", 2)]
        assert first.file.open("rb").read() == make_pdf(text="v1")

    def test_an_item_not_on_the_checklist_is_refused(self, cast, proposal):
        with pytest.raises(ValidationError):
            services.proposal_document_upload(
                actor=cast.officer_sanggau,
                proposal=proposal,
                item_code="budget",
                name="x.pdf",
                data=make_pdf(),
            )

    def test_documents_are_frozen_once_submitted(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        move(proposal, cast.officer_sanggau, S.SUBMITTED)
        with pytest.raises(ValidationError) as exc:
            services.proposal_document_upload(
                actor=cast.officer_sanggau, proposal=proposal, item_code="ded", name="x.pdf", data=make_pdf()
            )
        assert exc.value.code == "proposal.locked"

    @pytest.mark.parametrize(
        "who", ["officer_sambas", "admin", "consultant", "ministry", "entrepreneur", "analyst"]
    )
    def test_only_the_regencys_officers_upload(self, cast, proposal, who):
        with pytest.raises(PermissionDenied):
            services.proposal_document_upload(
                actor=getattr(cast, who), proposal=proposal, item_code="ded", name="x.pdf", data=make_pdf()
            )


class TestTransitions:
    def test_the_whole_path_is_recorded_with_actor_and_comment(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        steps = [
            (cast.officer_sanggau, S.SUBMITTED, {"note": "Lengkap."}),
            (cast.admin, S.UNDER_REVIEW, {}),
            (cast.admin, S.RETURNED, {"note": "DED belum memuat RAB."}),
            (cast.officer_sanggau, S.SUBMITTED, {"note": "RAB ditambahkan."}),
            (cast.admin, S.UNDER_REVIEW, {}),
            (cast.admin, S.ENDORSED, {"note": "Layak."}),
            (cast.admin, S.SENT, {}),
            (cast.ministry, S.MINISTRY_REVIEW, {}),
            (cast.ministry, S.APPROVED, {"amount_idr": 6_000_000_000, "note": "Disetujui."}),
            (cast.officer_sanggau, S.CONSTRUCTION, {}),
            (cast.admin, S.HANDED_OVER, {}),
            (cast.officer_sanggau, S.OPERATING, {}),
        ]
        for actor, to, kw in steps:
            proposal = move(proposal, actor, to, **kw)
        assert proposal.status == S.OPERATING
        assert proposal.version == 13
        assert proposal.approved_amount_idr == 6_000_000_000
        history = list(proposal.history.values_list("from_status", "to_status", "by__username", "note"))
        assert history[2] == ("under_review", "returned", "admin", "DED belum memuat RAB.")
        assert [h[1] for h in history] == [s[1] for s in steps]
        assert all(h.at is not None for h in proposal.history.all())
        assert (
            AuditLog.objects.filter(action__startswith="proposal.", target_id=str(proposal.pk)).count()
            == 1 + 3 + 12 + 1
        )
        assert proposal.documents.filter(item_code=ProposalDocument.ENDORSEMENT_LETTER).count() == 1

    def test_rejection_needs_and_keeps_a_reason(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        for actor, to in [
            (cast.officer_sanggau, S.SUBMITTED),
            (cast.admin, S.UNDER_REVIEW),
            (cast.admin, S.ENDORSED),
            (cast.admin, S.SENT),
            (cast.ministry, S.MINISTRY_REVIEW),
        ]:
            proposal = move(proposal, actor, to)
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.ministry, S.REJECTED)
        assert exc.value.messages == ["Give the reason for the rejection."]
        proposal = move(proposal, cast.ministry, S.REJECTED, reason="Lahan belum bersertifikat.")
        assert (proposal.status, proposal.rejection_reason) == (S.REJECTED, "Lahan belum bersertifikat.")
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.officer_sanggau, S.CONSTRUCTION)
        assert exc.value.messages == ["A proposal that is Rejected cannot become Under construction."]

    @pytest.mark.parametrize("amount", [None, 0, -5])
    def test_approval_needs_a_positive_amount(self, cast, proposal, amount):
        upload_all(proposal, cast.officer_sanggau)
        for actor, to in [
            (cast.officer_sanggau, S.SUBMITTED),
            (cast.admin, S.UNDER_REVIEW),
            (cast.admin, S.ENDORSED),
            (cast.admin, S.SENT),
            (cast.ministry, S.MINISTRY_REVIEW),
        ]:
            proposal = move(proposal, actor, to)
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.ministry, S.APPROVED, amount_idr=amount)
        assert exc.value.code == "proposal.amount"

    def test_approval_stays_within_the_request_and_the_programme_budget(self, cast, proposal):
        # The proposal asks for Rp 7.5 billion; the programme's budget is set to Rp 8 billion, of
        # which another approved proposal already holds Rp 2 billion.
        programme = proposal.programme
        programme.budget_idr = 8_000_000_000
        programme.save(update_fields=["budget_idr"])
        Proposal.objects.create(
            programme=programme,
            checklist=proposal.checklist,
            regency=proposal.regency,
            region_path=proposal.region_path,
            title="Pasar lain",
            requested_amount_idr=2_000_000_000,
            approved_amount_idr=2_000_000_000,
            status=S.APPROVED,
            created_by=cast.officer_sanggau,
        )
        upload_all(proposal, cast.officer_sanggau)
        for actor, to in [
            (cast.officer_sanggau, S.SUBMITTED),
            (cast.admin, S.UNDER_REVIEW),
            (cast.admin, S.ENDORSED),
            (cast.admin, S.SENT),
            (cast.ministry, S.MINISTRY_REVIEW),
        ]:
            proposal = move(proposal, actor, to)
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.ministry, S.APPROVED, amount_idr=7_500_000_001)
        assert (exc.value.code, exc.value.messages) == (
            "proposal.amount_above_request",
            ["The approved amount (7500000001 rupiah) exceeds the amount requested (7500000000 rupiah)."],
        )
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.ministry, S.APPROVED, amount_idr=6_000_000_001)
        assert (exc.value.code, exc.value.messages) == (
            "proposal.amount_above_budget",
            [
                "The approved amount (6000000001 rupiah) exceeds what is left of the programme's budget "
                "(6000000000 of 8000000000 rupiah)."
            ],
        )
        proposal = move(proposal, cast.ministry, S.APPROVED, amount_idr=6_000_000_000)
        assert (proposal.status, proposal.approved_amount_idr) == (S.APPROVED, 6_000_000_000)

    def test_returning_needs_a_comment(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        proposal = move(proposal, cast.officer_sanggau, S.SUBMITTED)
        proposal = move(proposal, cast.admin, S.UNDER_REVIEW)
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.admin, S.RETURNED, note="  ")
        assert exc.value.code == "proposal.note"

    @pytest.mark.parametrize(
        ("to", "message"),
        [
            (S.ENDORSED, "A proposal that is Draft cannot become Endorsed by the province."),
            (S.APPROVED, "A proposal that is Draft cannot become Approved."),
            (S.OPERATING, "A proposal that is Draft cannot become Operating."),
            (S.RETURNED, "A proposal that is Draft cannot become Returned for revision."),
        ],
    )
    def test_a_move_not_allowed_from_draft_is_refused_with_why(self, cast, proposal, to, message):
        with pytest.raises(ValidationError) as exc:
            move(proposal, cast.admin, to, note="x", amount_idr=1)
        assert exc.value.messages == [message]

    @pytest.mark.parametrize(
        ("setup", "who", "to"),
        [
            ([], "admin", S.SUBMITTED),
            ([], "officer_sambas", S.SUBMITTED),
            ([], "consultant", S.SUBMITTED),
            ([("officer_sanggau", S.SUBMITTED)], "officer_sanggau", S.UNDER_REVIEW),
            ([("officer_sanggau", S.SUBMITTED)], "analyst", S.UNDER_REVIEW),
            ([("officer_sanggau", S.SUBMITTED)], "ministry", S.UNDER_REVIEW),
            ([("officer_sanggau", S.SUBMITTED), ("admin", S.UNDER_REVIEW)], "officer_sanggau", S.ENDORSED),
            (
                [("officer_sanggau", S.SUBMITTED), ("admin", S.UNDER_REVIEW), ("admin", S.ENDORSED)],
                "ministry",
                S.SENT,
            ),
            (
                [
                    ("officer_sanggau", S.SUBMITTED),
                    ("admin", S.UNDER_REVIEW),
                    ("admin", S.ENDORSED),
                    ("admin", S.SENT),
                ],
                "admin",
                S.MINISTRY_REVIEW,
            ),
            (
                [
                    ("officer_sanggau", S.SUBMITTED),
                    ("admin", S.UNDER_REVIEW),
                    ("admin", S.ENDORSED),
                    ("admin", S.SENT),
                    ("ministry", S.MINISTRY_REVIEW),
                ],
                "admin",
                S.APPROVED,
            ),
        ],
    )
    def test_the_wrong_actor_is_refused_and_told_who_may(self, cast, proposal, setup, who, to):
        upload_all(proposal, cast.officer_sanggau)
        for actor, step in setup:
            proposal = move(proposal, getattr(cast, actor), step)
        with pytest.raises(PermissionDenied) as exc:
            move(proposal, getattr(cast, who), to, amount_idr=1, note="x")
        assert str(exc.value).startswith("Only ")
        proposal.refresh_from_db()
        assert proposal.status == (setup[-1][1] if setup else S.DRAFT)

    def test_a_stale_version_is_refused_and_changes_nothing(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        proposal = move(proposal, cast.officer_sanggau, S.SUBMITTED)
        stale = Proposal.objects.get(pk=proposal.pk)
        move(proposal, cast.admin, S.UNDER_REVIEW, expected_version=2)
        with pytest.raises(ValidationError) as exc:
            # The second administrator still has version 2 on screen.
            move(stale, cast.admin, S.UNDER_REVIEW, expected_version=2)
        assert exc.value.code in {"proposal.conflict", "proposal.transition"}
        with pytest.raises(ValidationError) as exc:
            services.proposal_transition(
                proposal=Proposal.objects.get(pk=proposal.pk),
                to=S.RETURNED,
                actor=cast.admin,
                note="x",
                expected_version=2,
            )
        assert exc.value.code == "proposal.conflict"
        assert exc.value.messages == [
            "Someone else changed this proposal a moment ago; reload it and try again."
        ]
        assert Proposal.objects.get(pk=proposal.pk).status == S.UNDER_REVIEW
        assert Proposal.objects.get(pk=proposal.pk).version == 3
        assert proposal.history.count() == 2


class TestNotificationsAndDossier:
    def test_the_office_is_told_after_commit_when_a_proposal_is_submitted(
        self, cast, proposal, django_capture_on_commit_callbacks
    ):
        cast.admin.email = "admin@example.org"
        cast.admin.save()
        cast.officer_sanggau.email = "sanggau@example.org"
        cast.officer_sanggau.save()
        upload_all(proposal, cast.officer_sanggau)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            move(proposal, cast.officer_sanggau, S.SUBMITTED)
        assert len(mail.outbox) == 0
        for cb in callbacks:
            cb()
        assert [m.to for m in mail.outbox] == [["admin@example.org"]]
        assert mail.outbox[0].subject == "Proposal \u201cPasar Rakyat Entikong\u201d: Submitted"

    def test_a_refused_move_notifies_nobody(self, cast, proposal, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
            move(proposal, cast.officer_sanggau, S.SUBMITTED)
        assert callbacks == [] and mail.outbox == []

    def test_the_channel_is_pluggable(self, cast, proposal, settings, django_capture_on_commit_callbacks):
        settings.PLUT_PROGRAMMES_NOTIFICATION_CHANNEL = "plut.programmes.tests.test_proposals.ListChannel"
        ListChannel.sent.clear()
        upload_all(proposal, cast.officer_sanggau)
        with django_capture_on_commit_callbacks(execute=True):
            move(proposal, cast.officer_sanggau, S.SUBMITTED)
        assert [(sorted(u.username for u in r), s) for r, s in ListChannel.sent] == [
            (["admin"], "Proposal \u201cPasar Rakyat Entikong\u201d: Submitted")
        ]

    def test_the_dossier_holds_every_version_the_letter_and_an_index(self, cast, proposal):
        upload_all(proposal, cast.officer_sanggau)
        proposal = move(proposal, cast.officer_sanggau, S.SUBMITTED)
        proposal = move(proposal, cast.admin, S.UNDER_REVIEW)
        proposal = move(proposal, cast.admin, S.RETURNED, note="RAB")
        services.proposal_document_upload(
            actor=cast.officer_sanggau,
            proposal=proposal,
            item_code="ded",
            name="ded2.pdf",
            data=make_pdf(text="v2"),
        )
        proposal = move(proposal, cast.officer_sanggau, S.SUBMITTED)
        proposal = move(proposal, cast.admin, S.UNDER_REVIEW)
        proposal = move(proposal, cast.admin, S.ENDORSED)
        zf = zipfile.ZipFile(io.BytesIO(dossier_zip(proposal)))
        assert sorted(zf.namelist()) == [
            "INDEKS.csv",
            "RIWAYAT.csv",
            "ded/v1.pdf",
            "ded/v2.pdf",
            "endorsement_letter/v1.pdf",
            "land_grant/v1.pdf",
            "proposal_letter/v1.pdf",
        ]
        assert zf.read("ded/v2.pdf") == make_pdf(text="v2")
        assert zf.read("endorsement_letter/v1.pdf").startswith(b"%PDF-")
        index = zf.read("INDEKS.csv").decode("utf-8-sig").splitlines()
        assert len(index) == 6
        assert index[2].startswith(
            "ded,DED (detail engineering design): gambar kerja dan RAB,2,ded/v2.pdf,ded2.pdf,"
        )


class ListChannel:
    sent: list = []

    def send(self, *, recipients, subject, body):
        ListChannel.sent.append((recipients, subject))


def test_every_move_outside_the_state_machine_is_refused_with_why(cast, proposal):
    refused = 0
    for current in S.values:
        for to in S.values:
            if to in services.ALLOWED_TRANSITIONS[current]:
                continue
            Proposal.objects.filter(pk=proposal.pk).update(status=current)
            proposal.refresh_from_db()
            with pytest.raises(ValidationError) as exc:
                services.proposal_transition(
                    proposal=proposal, to=to, actor=cast.admin, note="x", amount_idr=1
                )
            assert exc.value.messages == [
                f"A proposal that is {S(current).label} cannot become {S(to).label}."
            ], (current, to)
            refused += 1
    # 12 statuses × 12 targets, less the 12 allowed moves.
    assert refused == 144 - 12
    assert proposal.history.count() == 0
