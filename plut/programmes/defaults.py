"""The programmes the office runs, as data: loaded by ``plut load-programmes`` (idempotent).

* ``pasar-perbatasan``: the ministry's call to regencies with a land border to propose a
  traditional market for local products (Kementerian Koperasi dan UKM; MISSION.md capability 6).
  Eligibility: regencies with a land border (regions.BorderDistrict). Checklist v1: proposal
  letter signed by the regent, DED (drawings and bill of quantities), land-grant (hibah) statement;
  optional location map, photos, land certificate.
* ``promosi-perbatasan``: the ministry's promotion financing for border UMKM products.

The budget and period are placeholders the office edits in the admin when the year's call is
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
    ("proposal_letter", "Proposal letter signed by the regent", True, "application/pdf"),
    ("ded", "Detailed engineering design (DED): drawings and bill of quantities", True, "application/pdf"),
    ("land_grant", "Land-grant (hibah) statement of the regency government", True, "application/pdf"),
    ("location_map", "Location map", False, "application/pdf image/png image/jpeg"),
    ("photos", "Photos of the site", False, "application/pdf image/png image/jpeg"),
    ("land_certificate", "Land certificate", False, "application/pdf"),
]


@transaction.atomic
def load_default_programmes(*, year: int | None = None) -> dict[str, int]:
    """Create the default programmes, their rule and checklist if missing; return counts created."""
    year = year or dt.date.today().year  # noqa: DTZ011 - a calendar year, not an instant
    created = {"programmes": 0, "rules": 0, "checklists": 0}
    market, made = Programme.objects.get_or_create(
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
    if not market.eligibility_rules.exists():
        EligibilityRule.objects.create(
            programme=market,
            rule=EligibilityRule.Rule.LAND_BORDER_REGENCY,
            valid_from=dt.date(year, 1, 1),
            source=CALL_SOURCE,
        )
        created["rules"] += 1
    if not market.checklists.exists():
        checklist = Checklist.objects.create(
            programme=market, version=1, valid_from=dt.date(year, 1, 1), source=CALL_SOURCE
        )
        for order, (code, label, required, types) in enumerate(MARKET_ITEMS):
            ChecklistItem.objects.create(
                checklist=checklist,
                code=code,
                label=label,
                required=required,
                allowed_types=types,
                order=order,
            )
        created["checklists"] += 1
    _promo, made = Programme.objects.get_or_create(
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
