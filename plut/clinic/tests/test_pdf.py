"""PDFs of the clinic: the mentoring agreement and the "Surat Keterangan UMK Binaan" with its register."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from plut.clinic.models import Agreement, Case, Letter, PlanAction, ServiceArea
from plut.clinic.pdf import (
    CODE_ALPHABET,
    CODE_LENGTH,
    agreement_pdf,
    letter_issue,
    letter_number,
    letter_verify,
)
from plut.core.models import AuditLog
from plut.enterprises.services import figures_record

PONTIANAK = ZoneInfo("Asia/Pontianak")


# --- Reading text back from a PDF -----------------------------------------------------------------


def _streams(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Return ``{object number: (dictionary, body)}`` of every object, opening compressed object streams."""
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*stream\r?\n", pdf, re.S):
        body = zlib.decompressobj().decompress(pdf[match.end() :])
        number, head = int(match.group(1)), match.group(2)
        objects[number] = (head, body)
        if b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            pairs = [int(n) for n in body[:first].split()]
            offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
            for i, (inner, offset) in enumerate(offsets):
                end = first + offsets[i + 1][1] if i + 1 < len(offsets) else len(body)
                objects[inner] = (body[first + offset : end], b"")
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S):
        objects.setdefault(int(match.group(1)), (match.group(2), b""))
    return objects


def _text_from_streams(pdf: bytes) -> str:
    """Decode the shown text of a WeasyPrint PDF (Type0 fonts with ToUnicode maps), page by page."""
    objects = _streams(pdf)
    cmaps: dict[bytes, dict[str, str]] = {}
    for head, _body in objects.values():
        font = re.search(rb"/Type /Font/Subtype /Type0/BaseFont /(\w+)\+[^/]*/ToUnicode (\d+) 0 R", head)
        if font:
            cmap_body = objects[int(font.group(2))][1]
            cmaps[font.group(1)] = {
                src.decode().lower(): bytes.fromhex(dst.decode()).decode("utf-16-be")
                for src, dst in re.findall(
                    rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", cmap_body.split(b"beginbfchar", 1)[-1]
                )
            }
    text = []
    for _head, body in objects.values():
        if b"Tf" not in body or b"TJ" not in body:
            continue
        cmap: dict[str, str] = {}
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|\[(.*?)\] TJ|(Tm|ET)\b", body, re.S):
            if token.group(1):
                cmap = cmaps.get(token.group(1), {})
            elif token.group(2) is not None:
                for glyphs in re.findall(rb"<([0-9a-fA-F]+)>", token.group(2)):
                    hexes = glyphs.decode().lower()
                    text.extend(cmap.get(hexes[i : i + 4], "") for i in range(0, len(hexes), 4))
            else:
                text.append(" ")
    return "".join(text)


def pdf_text(pdf: bytes) -> str:
    """Return the text of a PDF with whitespace collapsed: pdftotext, else pypdf, else the streams."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        # Fixed arguments; the PDF goes through standard input.
        result = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
        text = result.stdout.decode()
    else:
        try:
            from pypdf import PdfReader
        except ImportError:
            text = _text_from_streams(pdf)
        else:
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def _at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, 0, tzinfo=PONTIANAK), tick=False)


# --- The agreement -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_agreement_pdf_is_an_indonesian_pdf_with_parties_areas_actions_and_period(cast):
    ent = cast.ent_sambas
    case = Case.objects.create(
        number="PLUT-2026-0042",
        enterprise=ent,
        region_path=ent.region_path,
        channel=Case.Channel.WALK_IN,
        complaint="Kemasan kurang menarik.",
        consultant=cast.consultant,
    )
    produksi, pemasaran = ServiceArea.objects.get(code="produksi"), ServiceArea.objects.get(code="pemasaran")
    case.areas.set([produksi, pemasaran])
    PlanAction.objects.create(
        case=case,
        area=produksi,
        description="Desain ulang kemasan amplang",
        owner=PlanAction.Owner.CONSULTANT,
        due_on=dt.date(2027, 1, 15),
    )
    PlanAction.objects.create(
        case=case,
        area=pemasaran,
        description="Daftarkan merek ke DJKI",
        owner=PlanAction.Owner.ENTREPRENEUR,
        due_on=dt.date(2027, 2, 28),
    )
    agreement = Agreement.objects.create(
        case=case,
        text="Pendampingan kemasan dan merek.",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2027, 5, 31),
    )

    with _at(2026, 11, 29):
        pdf = agreement_pdf(agreement)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "Dinas Koperasi dan UKM Provinsi Kalimantan Barat",
        "Pusat Layanan Usaha Terpadu (PLUT)",
        "KONTRAK PENDAMPINGAN",
        "PLUT-2026-0042",
        "Amplang Temajuk",
        "Siti Aminah",
        "1234567890123",
        "Produksi, Pemasaran",
        "Desain ulang kemasan amplang",
        "Pendamping PLUT",
        "15 Januari 2027",
        "Daftarkan merek ke DJKI",
        "Pelaku usaha",
        "28 Februari 2027",
        "1 Desember 2026",
        "31 Mei 2027",
        "Pontianak, 29 November 2026",
        "Pihak Pertama",
        "Pihak Kedua",
    ):
        assert expected in text, expected


# --- Letters ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_letter_issue_numbers_stores_and_logs_the_letter(cast):
    ent = cast.ent_sambas  # small: Rp 2.500.000.000 sales in 2025 (PP 7/2021)
    with _at(2026, 11, 29):
        letter = letter_issue(actor=cast.admin, enterprise=ent)

    assert letter.number == "500.3/PLUT/2026/0001"
    assert letter.kind == Letter.Kind.ASSISTED_UMK
    assert len(letter.verification_code) == CODE_LENGTH
    assert set(letter.verification_code) <= set(CODE_ALPHABET)
    assert letter.issued_by == cast.admin
    with default_storage.open(letter.pdf.name, "rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "SURAT KETERANGAN UMK BINAAN",
        "Nomor: 500.3/PLUT/2026/0001",
        "Amplang Temajuk",
        "Siti Aminah",
        "Temajuk, Kec. Paloh",
        "1234567890123",
        "Usaha Kecil",
        "Rp 2.500.000.000",
        "31 Desember 2025",
        "Pontianak, 29 November 2026",
        "Direktorat Jenderal Kekayaan Intelektual",
        "Peraturan Pemerintah Nomor 28 Tahun 2019",
        letter.verification_code,
        f"/verify/{letter.verification_code}/",
    ):
        assert expected in text, expected
    log = AuditLog.objects.get(action="letter.issue", target_id=str(letter.pk))
    assert log.actor == cast.admin
    assert log.data["enterprise"] == ent.pk


@pytest.mark.django_db
def test_letter_numbers_are_sequential_and_restart_each_year(cast):
    with _at(2026, 11, 29):
        numbers = [letter_issue(actor=cast.admin, enterprise=cast.ent_sambas).number for _ in range(3)]
    with _at(2027, 1, 2):
        next_year = letter_issue(actor=cast.admin, enterprise=cast.ent_sambas)
    assert numbers == ["500.3/PLUT/2026/0001", "500.3/PLUT/2026/0002", "500.3/PLUT/2026/0003"]
    assert next_year.number == "500.3/PLUT/2027/0001"
    assert letter_number(2026, 10000) == "500.3/PLUT/2026/10000"
    codes = set(Letter.objects.values_list("verification_code", flat=True))
    assert len(codes) == 4


@pytest.mark.django_db
def test_letter_numbers_follow_the_highest_number_not_the_text_order(cast):
    Letter.objects.create(
        kind=Letter.Kind.ASSISTED_UMK,
        number="500.3/PLUT/2026/9999",
        verification_code="AAAAAAAAAA",
        enterprise=cast.ent_sambas,
    )
    with _at(2026, 11, 29):
        assert letter_issue(actor=cast.admin, enterprise=cast.ent_sambas).number == "500.3/PLUT/2026/10000"
        assert letter_issue(actor=cast.admin, enterprise=cast.ent_sambas).number == "500.3/PLUT/2026/10001"


@pytest.mark.django_db
def test_letter_for_a_case_names_the_case(cast):
    ent = cast.ent_sambas
    case = Case.objects.create(
        number="PLUT-2026-0007",
        enterprise=ent,
        region_path=ent.region_path,
        channel=Case.Channel.ONLINE,
        complaint="Ingin mendaftarkan merek.",
        status=Case.Status.OPEN,
    )
    with _at(2026, 11, 29):
        letter = letter_issue(actor=cast.admin, enterprise=ent, case=case)
    assert letter.case == case
    assert "PLUT-2026-0007" in pdf_text(letter.pdf.read())
    with pytest.raises(ValidationError):
        letter_issue(actor=cast.admin, enterprise=cast.ent_pontianak, case=case)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Case.Status.REQUESTED, Case.Status.CANCELLED])
def test_no_letter_before_a_consultant_picked_up_the_case(cast, status):
    ent = cast.ent_sambas
    case = Case.objects.create(
        number="PLUT-2026-0008",
        enterprise=ent,
        region_path=ent.region_path,
        channel=Case.Channel.ONLINE,
        complaint="Ingin mendaftarkan merek.",
        status=status,
    )
    with pytest.raises(ValidationError) as caught:
        letter_issue(actor=cast.admin, enterprise=ent, case=case)
    assert caught.value.code == "letter.not_assisted"
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_letter_verify_finds_the_letter_and_nothing_else(cast):
    with _at(2026, 11, 29):
        letter = letter_issue(actor=cast.admin, enterprise=cast.ent_sambas)
    code = letter.verification_code
    assert letter_verify(code) == letter
    assert letter_verify(f" {code[:5].lower()}-{code[5:].lower()} ") == letter
    unknown = "Z" * CODE_LENGTH if code != "Z" * CODE_LENGTH else "Y" * CODE_LENGTH
    assert letter_verify(unknown) is None
    assert letter_verify("") is None
    assert letter_verify("O0O0O0O0O0") is None  # characters the codes never use
    assert letter_verify(code + "2") is None


@pytest.mark.django_db
def test_letter_is_refused_for_enterprises_not_micro_or_small(cast):
    # ent_sanggau: Rp 6.000.000.000 capital, medium; ent_pontianak: no figures, class unknown.
    for ent in (cast.ent_sanggau, cast.ent_pontianak):
        with pytest.raises(ValidationError) as caught:
            letter_issue(actor=cast.admin, enterprise=ent)
        assert caught.value.code == "letter.not_umk"
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_letter_is_issued_only_by_plut_staff_within_their_regencies(cast):
    figures_record(
        actor=cast.admin,
        enterprise=cast.ent_sanggau,
        as_of=dt.date(2026, 6, 30),
        annual_sales_idr=500_000_000,
    )
    cast.ent_sanggau.refresh_from_db()
    for user in (cast.analyst, cast.officer_sambas, cast.ministry, cast.entrepreneur):
        with pytest.raises(PermissionDenied):
            letter_issue(actor=user, enterprise=cast.ent_sambas)
    with pytest.raises(PermissionDenied):  # Sambas is not one of the consultant's regencies
        letter_issue(actor=cast.consultant, enterprise=cast.ent_sambas)
    assert not Letter.objects.exists()
    with _at(2026, 11, 29):
        letter = letter_issue(actor=cast.consultant, enterprise=cast.ent_sanggau)
    assert letter.issued_by == cast.consultant
    assert "Usaha Mikro" in pdf_text(letter.pdf.read())
