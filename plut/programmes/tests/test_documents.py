"""Upload checks: type from content, size limit, PDFs without active content, safe names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from plut.programmes import documents as d
from plut.programmes.tests.conftest import make_pdf


def test_a_plain_pdf_is_accepted_with_its_checksum():
    data = make_pdf()
    checked = d.check_upload(name="DED final.pdf", data=data)
    assert checked.content_type == "application/pdf"
    assert checked.display_name == "DED_final.pdf"
    import hashlib

    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "ELF"),
        (b"MZ\x90\x00\x03" + b"\x00" * 64, "Windows (MZ/PE)"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
    ],
)
def test_a_renamed_executable_is_refused_whatever_its_name(data, kind):
    with pytest.raises(ValidationError) as exc:
        d.check_upload(name="proposal.pdf", data=data)
    assert exc.value.code == "document.executable"
    assert exc.value.messages == [
        f"The file is an executable program ({kind}), not a document, whatever its name says."
    ]


def test_html_named_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        d.check_upload(name="ded.pdf", data=b"<html><script>alert(1)</script></html>")
    assert exc.value.code == "document.type"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [({"js": True}, "/JavaScript"), ({"attachment": True}, "/EmbeddedFiles"), ({"launch": True}, "/Launch")],
)
def test_a_pdf_with_active_content_is_refused(kwargs, key):
    with pytest.raises(ValidationError) as exc:
        d.check_upload(name="ded.pdf", data=make_pdf(**kwargs))
    assert exc.value.code == "document.active_content"
    assert f"({key}:" in exc.value.messages[0] or "(/JS:" in exc.value.messages[0]


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        d.check_upload(name="ded.pdf", data=b"%PDF-1.7\n1 0 obj garbage")
    assert exc.value.code == "document.pdf"


def test_the_size_limit_is_enforced(settings):
    settings.PLUT_PROGRAMMES_MAX_UPLOAD_BYTES = 100
    data = make_pdf()
    with pytest.raises(ValidationError) as exc:
        d.check_upload(name="a.pdf", data=data)
    assert exc.value.code == "document.too_large"
    assert exc.value.messages == [f"The file is {len(data)} bytes; the limit is 100 bytes."]


def test_an_image_is_refused_where_only_pdf_is_allowed():
    with pytest.raises(ValidationError) as exc:
        d.check_upload(
            name="a.pdf", data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, allowed_types={"application/pdf"}
        )
    assert exc.value.code == "document.type"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("..", "dokumen"),
        ("/", "dokumen"),
        ("surat hibah (final).pdf", "surat_hibah_final.pdf"),
    ],
)
def test_display_names_keep_only_a_safe_last_segment(name, expected):
    assert d.safe_display_name(name) == expected
