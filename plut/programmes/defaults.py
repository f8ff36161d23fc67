"""The programmes the office runs, as data: loaded by ``plut load-programmes`` (idempotent).

* ``pasar-perbatasan``: the ministry's call to regencies with a land border to propose a
  traditional market for local products (Kementerian Koperasi dan UKM; MISSION.md capability 6).
  Eligibility: regencies with a land border (regions.BorderDistrict). Checklist v1: proposal
  letter signed by the regent, DED (drawings and bill of quantities), land-grant (hibah) statement;
  optional location map, photos, land certificate.
* ``promosi-perbatasan``: the ministry's promotion financing for border UMKM products.

Created after every ``migrate`` and by ``plut load-programmes``. The budget and period are
placeholders the office edits in the admin when the year's call is
published; the checklist and the eligibility rule are the call's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from plut.programmes.models import Checklist, ChecklistItem, EligibilityRule, Programme

MARKET = "pasar-perbatasan"
PROMOTION = "promosi-perbatasan"
MINISTRY = "Kementerian Koperasi dan UKM Republik Indonesia"
CALL_SOURCE = "Undangan Kementerian Koperasi dan UKM kepada kabupaten perbatasan darat (pembangunan pasar)"
MARKET_ITEMS = [
    ("proposal_letter", "Surat usulan (proposal) yang ditandatangani bupati", True, "application/pdf"),
    ("ded", "DED (detail engineering design): gambar kerja dan RAB", True, "application/pdf"),
    ("land_grant", "Surat pernyataan hibah lahan dari pemerintah kabupaten", True, "application/pdf"),
    ("location_map", "Peta lokasi", False, "application/pdf image/png image/jpeg"),
    ("photos", "Foto lokasi", False, "application/pdf image/png image/jpeg"),
    ("land_certificate", "Sertifikat tanah", False, "application/pdf"),
]


def load_default_programmes(*, year: int | None = None, using: str = "default") -> dict[str, int]:
    """Create the default programmes, their rule and checklist if missing; return counts created.

    Also runs after every ``migrate`` (``apps.ProgrammesConfig``), so a fresh install has them.
    """
    with transaction.atomic(using=using):
        return _load(year=year or dt.date.today().year, using=using)  # noqa: DTZ011 - a calendar year


def _load(*, year: int, using: str) -> dict[str, int]:
    created = {"programmes": 0, "rules": 0, "checklists": 0}
    market, made = Programme.objects.using(using).get_or_create(
        code=MARKET,
        defaults={
            "name": "Pembangunan pasar rakyat di kabupaten perbatasan",
            "kind": Programme.Kind.MARKET_BUILDING,
            "funding_body": MINISTRY,
            "period_start": dt.date(year, 1, 1),
            "period_end": dt.date(year + 1, 12, 31),
            "budget_idr": 0,
        },
    )
    created["programmes"] += made
    if not EligibilityRule.objects.using(using).filter(programme=market).exists():
        EligibilityRule.objects.using(using).create(
            programme=market,
            rule=EligibilityRule.Rule.LAND_BORDER_REGENCY,
            valid_from=dt.date(year, 1, 1),
            source=CALL_SOURCE,
        )
        created["rules"] += 1
    if not Checklist.objects.using(using).filter(programme=market).exists():
        checklist = Checklist.objects.using(using).create(
            programme=market, version=1, valid_from=dt.date(year, 1, 1), source=CALL_SOURCE
        )
        for order, (code, label, required, types) in enumerate(MARKET_ITEMS):
            ChecklistItem.objects.using(using).create(
                checklist=checklist,
                code=code,
                label=label,
                required=required,
                allowed_types=types,
                order=order,
            )
        created["checklists"] += 1
    _promo, made = Programme.objects.using(using).get_or_create(
        code=PROMOTION,
        defaults={
            "name": "Pembiayaan promosi produk UMKM perbatasan",
            "kind": Programme.Kind.PROMOTION,
            "funding_body": MINISTRY,
            "period_start": dt.date(year, 1, 1),
            "period_end": dt.date(year, 12, 31),
            "budget_idr": 0,
        },
    )
    created["programmes"] += made
    return created
