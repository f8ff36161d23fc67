"""Registry services: personal data at rest, identifiers, figures and naik kelas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from plut.core.models import AuditLog
from plut.enterprises.models import Enterprise, Owner
from plut.enterprises.services import (
    enterprise_naik_kelas,
    enterprise_register,
    figures_record,
    owner_register,
)
from plut.regions.models import Region

pytestmark = pytest.mark.django_db


def test_nik_and_phone_are_encrypted_at_rest(cast):
    owner = cast.ent_sambas.owner
    with connection.cursor() as cur:
        cur.execute("SELECT nik, phone, address FROM enterprises_owner WHERE id = %s", [owner.pk])
        nik, phone, address = cur.fetchone()
    assert "6101084506800001" not in nik
    assert "81234567890" not in phone
    assert "Temajuk" not in address
    assert Owner.objects.get(pk=owner.pk).nik == "6101084506800001"


def test_nik_reads_sex_and_birth_date(cast):
    owner = cast.ent_sambas.owner
    assert (owner.sex, owner.birth_date) == ("F", dt.date(1980, 6, 5))


def test_duplicate_nik_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        owner_register(actor=cast.admin, full_name="Someone Else", nik_raw="6101084506800001")
    assert exc.value.error_dict["nik"][0].code == "nik.duplicate"


def test_nik_from_a_numeric_cell_is_refused_not_repaired(cast):
    with pytest.raises(ValidationError) as exc:
        owner_register(actor=cast.admin, full_name="X", nik_raw="6.10108450680000E+15")
    assert "nik" in exc.value.error_dict
    assert Owner.objects.filter(full_name="X").count() == 0


def test_unknown_kbli_is_refused(cast):
    owner = cast.ent_pontianak.owner
    with pytest.raises(ValidationError) as exc:
        enterprise_register(
            actor=cast.admin, owner=owner, name="Y", region=cast.ent_pontianak.region, kbli_codes=["99999"]
        )
    assert "kbli" in exc.value.error_dict
    assert Enterprise.objects.filter(name="Y").count() == 0


def test_officer_cannot_register_in_another_regency(cast):
    with pytest.raises(PermissionDenied):
        enterprise_register(
            actor=cast.officer_sambas,
            owner=cast.ent_sanggau.owner,
            name="Z",
            region=Region.objects.get(code="61.03.21"),
        )


def test_border_flag_follows_the_district(cast):
    assert (cast.ent_sambas.is_border, cast.ent_sanggau.is_border, cast.ent_pontianak.is_border) == (
        True,
        True,
        False,
    )
    assert (cast.ent_sambas.regency_code, cast.ent_sambas.district_code) == ("61.01", "61.01.08")


def test_size_class_follows_the_latest_figures_and_naik_kelas(cast):
    ent = Enterprise.objects.get(pk=cast.ent_sambas.pk)
    assert ent.size_class == "small"
    assert enterprise_naik_kelas(enterprise=ent) == {"baseline": "micro", "latest": "small", "moved_up": True}
    sanggau = Enterprise.objects.get(pk=cast.ent_sanggau.pk)
    assert sanggau.size_class == "medium"
    assert enterprise_naik_kelas(enterprise=sanggau)["moved_up"] is False


def test_figures_refuse_floats_negative_and_future(cast):
    ent = cast.ent_pontianak
    for kwargs in (
        {"annual_sales_idr": 1.5e9},
        {"capital_idr": -1},
        {"workers": -2},
    ):
        with pytest.raises(ValidationError):
            figures_record(actor=cast.admin, enterprise=ent, as_of=dt.date(2025, 1, 1), **kwargs)
    with pytest.raises(ValidationError):
        figures_record(
            actor=cast.admin, enterprise=ent, as_of=timezone.localdate() + dt.timedelta(days=1), workers=1
        )
    assert ent.figures.count() == 0


def test_every_write_leaves_an_audit_row(cast):
    actions = list(
        AuditLog.objects.filter(
            target_id=str(cast.ent_sambas.pk), target_type="enterprises.enterprise"
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "enterprise.figures_record",
        "enterprise.figures_record",
        "enterprise.register",
    ]
