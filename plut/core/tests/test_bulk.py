"""BulkInserter writes what the ORM would write, with ids the caller can rely on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from plut.core.bulk import BulkInserter
from plut.core.models import AuditLog
from plut.enterprises.models import Enterprise, FigureSnapshot, Owner
from plut.regions.models import Region

pytestmark = pytest.mark.django_db


def test_rows_round_trip_through_the_orm(reference_data):
    owners = BulkInserter(Owner, with_id=True)
    ents = BulkInserter(Enterprise, with_id=True)
    figs = BulkInserter(FigureSnapshot)
    village = Region.objects.get(code="61.03.01.2007")
    [oid] = owners.allocate_ids(1)
    [eid] = ents.allocate_ids(1)
    with transaction.atomic():
        assert (
            owners.insert([owners.row(id=oid, full_name="Siti", nik="6103014101900001", nik_last4="0001")])
            == 1
        )
        ents.insert(
            [
                ents.row(
                    id=eid,
                    owner_id=oid,
                    name="Kerupuk Basah Siti",
                    region_id=village.pk,
                    region_path=village.path,
                    regency_code="61.03",
                    district_code="61.03.01",
                    latitude=Decimal("0.123456"),
                )
            ]
        )
        figs.insert(
            [
                figs.row(
                    enterprise_id=eid, as_of=dt.date(2026, 1, 31), annual_sales_idr=1_500_000, source="import"
                )
            ]
        )
    owner = Owner.objects.get(pk=oid)
    assert owner.nik == "6103014101900001"
    with connection.cursor() as cur:
        cur.execute("SELECT nik FROM enterprises_owner WHERE id = %s", [oid])
        stored = cur.fetchone()[0]
    assert stored != "6103014101900001" and stored.startswith("gAAAAA")  # a Fernet token, not the NIK
    ent = Enterprise.objects.get(pk=eid)
    assert (ent.owner_id, ent.name, ent.latitude, ent.is_border, ent.size_regime) == (
        oid,
        "Kerupuk Basah Siti",
        Decimal("0.123456"),
        False,
        "pp7_2021",
    )
    assert ent.created_at is not None and ent.created_at == ent.updated_at
    snap = ent.figures.get()
    assert (snap.as_of, snap.annual_sales_idr, snap.capital_idr) == (dt.date(2026, 1, 31), 1_500_000, None)


def test_json_field_is_stored_as_json():
    audit = BulkInserter(AuditLog)
    audit.insert([audit.row(action="x.y", target_type="t", target_id="1", data={"a": [1, "dua"]})])
    assert AuditLog.objects.get(action="x.y").data == {"a": [1, "dua"]}


def test_allocated_ids_follow_existing_rows_and_are_never_reused():
    audit = BulkInserter(AuditLog, with_id=True)
    first = audit.allocate_ids(3)
    assert len(set(first)) == 3
    audit.insert([audit.row(id=i, action="a", target_type="t", target_id=str(i)) for i in first])
    AuditLog.objects.filter(pk=max(first)).delete()
    second = audit.allocate_ids(2)
    assert min(second) > max(first)
    assert audit.allocate_ids(0) == []


def test_constraint_violation_raises_integrity_error():
    audit = BulkInserter(AuditLog, with_id=True)
    [i] = audit.allocate_ids(1)
    audit.insert([audit.row(id=i, action="a", target_type="t", target_id="1")])
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.insert([audit.row(id=i, action="b", target_type="t", target_id="2")])


def test_unknown_field_is_a_key_error():
    with pytest.raises(KeyError):
        BulkInserter(AuditLog).row(nonsense=1)
