"""The PLUT report on a small world with known dates, for a month, a quarter and a year, every grouping.

The world (times in Pontianak, WIB):

* case A — ``ent_sanggau`` (Entikong, Sanggau 61.03, border), consultant ``consultant``, areas
  pembiayaan + pemasaran. Opened 25 Sep 2026, diagnosed 26 Sep with sales Rp100 juta, planned,
  sessions 29 Sep, 20 Oct, 5 Nov; KUR referral 5 Nov, Rp50 juta obtained 12 Nov; closed 20 Nov with
  sales Rp125 juta (growth 25.00 %).
* case B — a new enterprise in Kapuas (Sanggau 61.03, not border), consultant ``consultant_sgu``, area
  kelembagaan. Opened 3 Nov, diagnosed 4 Nov with sales Rp1,9 miliar, session 10 Nov, OSS referral
  10 Nov, NIB issued 17 Nov; closed 30 Nov at 23:30 with sales Rp2,1 miliar (micro → small: naik
  kelas, formalised, growth 10.53 %).
* case C — a new enterprise in Sungai Raya (Bengkayang 61.07, not border), consultant ``consultant``,
  areas produksi + pemasaran. Opened 1 Nov at 00:30 (still 31 Oct in UTC), diagnosed 9 Nov without
  figures, sessions 15 Nov and 3 Dec, halal referral 15 Nov still pending; not closed.
* case D — ``ent_pontianak`` (Kota Pontianak 61.71), consultant ``consultant_ptk``, area ti: outside
  ``consultant``'s regencies. Opened 2 Nov, session 6 Nov.
* case E — an online request by ``entrepreneur`` (Sambas) on 10 Nov, never picked up: never counted.

Growth of A and B together: (125 jt + 2,1 M − 100 jt − 1,9 M) / 2 M = 225 jt / 2 M = 11.25 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from plut.accounts.models import Role
from plut.accounts.services import user_create
from plut.clinic.models import Case, HealthInstrument, HealthQuestion
from plut.clinic.report import period_bounds, plut_report
from plut.clinic.services import (
    case_close,
    case_confirm_areas,
    case_diagnose,
    case_open,
    case_plan,
    referral_make,
    referral_record_outcome,
    session_log,
)
from plut.enterprises.services import enterprise_register, owner_register
from plut.regions.models import Region

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Pontianak")
ANSWERS = {"q1": 1}
JT = 1_000_000


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=WIB), tick=False)


def row(
    assisted,
    new,
    continuing,
    sessions,
    referrals,
    referrals_succeeded=0,
    closed=0,
    naik_kelas=0,
    formalised=0,
    finance_idr=0,
    growth_pct=None,
    growth_cases=0,
) -> dict:
    return {
        "assisted": assisted,
        "new": new,
        "continuing": continuing,
        "sessions": sessions,
        "referrals": referrals,
        "referrals_succeeded": referrals_succeeded,
        "closed": closed,
        "naik_kelas": naik_kelas,
        "formalised": formalised,
        "finance_idr": finance_idr,
        "growth_pct": None if growth_pct is None else Decimal(growth_pct),
        "growth_cases": growth_cases,
    }


def _session(actor, case, day: dt.date, **kw):
    return session_log(
        actor=actor, case=case, held_on=day, mode="office", topic="Pendampingan", duration_minutes=60, **kw
    )


def _enterprise(admin, name: str, nik: str, village: str):
    owner, _ = owner_register(actor=admin, full_name=f"Pemilik {name}", nik_raw=nik)
    ent, _ = enterprise_register(actor=admin, owner=owner, name=name, region=Region.objects.get(code=village))
    return ent


@pytest.fixture
def world(cast):
    """Build the world of the module docstring; return the cast with the extra users and the cases."""
    HealthInstrument.objects.filter(is_active=True).update(is_active=False)
    instrument = HealthInstrument.objects.create(version=99, name="Uji", is_active=True)
    HealthQuestion.objects.create(
        instrument=instrument,
        dimension="finance",
        code="q1",
        text="Pembukuan?",
        options=[{"label": "tidak", "points": 0}, {"label": "ya", "points": 1}],
    )
    c = cast
    c.consultant_sgu = user_create(
        actor=None,
        username="consultant_sgu",
        role=Role.CONSULTANT,
        region_codes=["61.03"],
        password="x",
        check_password=False,
    )
    c.consultant_ptk = user_create(
        actor=None,
        username="consultant_ptk",
        role=Role.CONSULTANT,
        region_codes=["61.71"],
        password="x",
        check_password=False,
    )
    with at(10, 1):
        ent_kapuas = _enterprise(c.admin, "Kerupuk Kapuas", "6103010101800005", "61.03.01.1001")
        ent_bengkayang = _enterprise(c.admin, "Keripik Sungai Duri", "6107014101900006", "61.07.01.2001")
    assert (ent_kapuas.is_border, ent_bengkayang.is_border, c.ent_sanggau.is_border) == (False, False, True)

    # Case A
    with at(9, 25):
        a = case_open(
            actor=c.consultant, enterprise=c.ent_sanggau, channel="walk_in", complaint="Butuh modal."
        )
        case_confirm_areas(actor=c.consultant, case=a, area_codes=["pembiayaan", "pemasaran"])
    with at(9, 26):
        case_diagnose(actor=c.consultant, case=a, answers=ANSWERS, annual_sales_idr=100 * JT)
    with at(9, 27):
        a = case_plan(
            actor=c.consultant,
            case=Case.objects.get(pk=a.pk),
            actions=[
                {
                    "area": "pembiayaan",
                    "description": "KUR",
                    "owner": "consultant",
                    "due_on": dt.date(2026, 11, 30),
                }
            ],
            agreement_text="Kontrak.",
            starts_on=dt.date(2026, 9, 27),
            ends_on=dt.date(2026, 12, 31),
        )
    for day in (dt.date(2026, 9, 29), dt.date(2026, 10, 20), dt.date(2026, 11, 5)):
        with at(day.month, day.day):
            _session(c.consultant, Case.objects.get(pk=a.pk), day)
    with at(11, 5):
        kur = referral_make(actor=c.consultant, case=a, kind="kur", to_name="BRI Entikong")
    with at(11, 12):
        referral_record_outcome(actor=c.consultant, referral=kur, succeeded=True, amount_idr=50 * JT)
    with at(11, 20):
        case_close(actor=c.consultant, case=Case.objects.get(pk=a.pk), annual_sales_idr=125 * JT)

    # Case B
    with at(11, 3):
        b = case_open(
            actor=c.consultant_sgu, enterprise=ent_kapuas, channel="phone", complaint="Mau urus NIB."
        )
        case_confirm_areas(actor=c.consultant_sgu, case=b, area_codes=["kelembagaan"])
    with at(11, 4):
        case_diagnose(actor=c.consultant_sgu, case=b, answers=ANSWERS, annual_sales_idr=1_900 * JT)
    with at(11, 10):
        _session(c.consultant_sgu, Case.objects.get(pk=b.pk), dt.date(2026, 11, 10))
        nib = referral_make(actor=c.consultant_sgu, case=b, kind="oss_nib", to_name="OSS")
    with at(11, 17):
        referral_record_outcome(
            actor=c.consultant_sgu, referral=nib, succeeded=True, document_number="9120001234567"
        )
    with at(11, 30, 23, 30):
        case_close(actor=c.consultant_sgu, case=Case.objects.get(pk=b.pk), annual_sales_idr=2_100 * JT)

    # Case C
    with at(11, 1, 0, 30):
        cc = case_open(
            actor=c.consultant, enterprise=ent_bengkayang, channel="field_visit", complaint="Kemasan."
        )
        case_confirm_areas(actor=c.consultant, case=cc, area_codes=["produksi", "pemasaran"])
    with at(11, 9):
        case_diagnose(actor=c.consultant, case=cc, answers=ANSWERS)
    with at(11, 15):
        _session(
            c.consultant, Case.objects.get(pk=cc.pk), dt.date(2026, 11, 15), follow_up_on=dt.date(2026, 12, 1)
        )
        referral_make(actor=c.consultant, case=cc, kind="halal", to_name="BPJPH")
    with at(12, 3):
        _session(c.consultant, Case.objects.get(pk=cc.pk), dt.date(2026, 12, 3))

    # Case D, outside the consultant's regencies
    with at(11, 2):
        d = case_open(
            actor=c.consultant_ptk, enterprise=c.ent_pontianak, channel="walk_in", complaint="Aplikasi kasir."
        )
        case_confirm_areas(actor=c.consultant_ptk, case=d, area_codes=["ti"])
    with at(11, 6):
        _session(c.consultant_ptk, Case.objects.get(pk=d.pk), dt.date(2026, 11, 6))

    # Case E, a request never picked up
    with at(11, 10):
        case_open(
            actor=c.entrepreneur, enterprise=c.ent_sambas, channel="online", complaint="Merek.", consent=True
        )

    c.cases = {k: Case.objects.get(pk=x.pk) for k, x in {"a": a, "b": b, "c": cc, "d": d}.items()}
    return c


# Expected figures for ``consultant`` (cases A, B and C), per period and grouping.
EXPECTED = {
    ("month", 11): {
        "total": {"total": row(3, 2, 1, 3, 3, 2, 2, 1, 1, 50 * JT, "11.25", 2)},
        "area": {
            "kelembagaan": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
            "pemasaran": row(2, 1, 1, 2, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "pembiayaan": row(1, 0, 1, 1, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "produksi": row(1, 1, 0, 1, 1),
        },
        "consultant": {
            "consultant": row(2, 1, 1, 2, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "consultant_sgu": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
        },
        "regency": {
            "61.03": row(2, 1, 1, 2, 2, 2, 2, 1, 1, 50 * JT, "11.25", 2),
            "61.07": row(1, 1, 0, 1, 1),
        },
        "border": {
            "border": row(1, 0, 1, 1, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "non_border": row(2, 2, 0, 2, 2, 1, 1, 1, 1, 0, "10.53", 1),
        },
    },
    ("quarter", 4): {
        "total": {"total": row(3, 2, 1, 5, 3, 2, 2, 1, 1, 50 * JT, "11.25", 2)},
        "area": {
            "kelembagaan": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
            "pemasaran": row(2, 1, 1, 4, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "pembiayaan": row(1, 0, 1, 2, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "produksi": row(1, 1, 0, 2, 1),
        },
        "consultant": {
            "consultant": row(2, 1, 1, 4, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "consultant_sgu": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
        },
        "regency": {
            "61.03": row(2, 1, 1, 3, 2, 2, 2, 1, 1, 50 * JT, "11.25", 2),
            "61.07": row(1, 1, 0, 2, 1),
        },
        "border": {
            "border": row(1, 0, 1, 2, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "non_border": row(2, 2, 0, 3, 2, 1, 1, 1, 1, 0, "10.53", 1),
        },
    },
    ("year", 1): {
        "total": {"total": row(3, 3, 0, 6, 3, 2, 2, 1, 1, 50 * JT, "11.25", 2)},
        "area": {
            "kelembagaan": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
            "pemasaran": row(2, 2, 0, 5, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "pembiayaan": row(1, 1, 0, 3, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "produksi": row(1, 1, 0, 2, 1),
        },
        "consultant": {
            "consultant": row(2, 2, 0, 5, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "consultant_sgu": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
        },
        "regency": {
            "61.03": row(2, 2, 0, 4, 2, 2, 2, 1, 1, 50 * JT, "11.25", 2),
            "61.07": row(1, 1, 0, 2, 1),
        },
        "border": {
            "border": row(1, 1, 0, 3, 1, 1, 1, 0, 0, 50 * JT, "25.00", 1),
            "non_border": row(2, 2, 0, 3, 2, 1, 1, 1, 1, 0, "10.53", 1),
        },
    },
}
CELLS = [(period, grouping) for period in EXPECTED for grouping in EXPECTED[period]]


def test_the_world_is_as_described(world):
    a, b, cc, d = (world.cases[k] for k in "abcd")
    assert [x.status for x in (a, b, cc, d)] == ["closed", "closed", "diagnosed", "open"]
    assert (a.region_path[:5], b.region_path[:5], cc.region_path[:5], d.region_path[:5]) == (
        "61.03",
        "61.03",
        "61.07",
        "61.71",
    )
    assert (a.outcome.sales_before_idr, a.outcome.sales_after_idr, a.outcome.finance_obtained_idr) == (
        100 * JT,
        125 * JT,
        50 * JT,
    )
    assert (b.outcome.size_before, b.outcome.size_after, b.outcome.moved_up, b.outcome.formalised) == (
        "micro",
        "small",
        True,
        ["nib"],
    )
    assert b.closed_at == dt.datetime(2026, 11, 30, 23, 30, tzinfo=WIB)
    assert cc.opened_at == dt.datetime(2026, 11, 1, 0, 30, tzinfo=WIB)
    assert Case.objects.filter(status="requested").count() == 1


@pytest.mark.parametrize(("period", "grouping"), CELLS, ids=[f"{p[0]}-{g}" for p, g in CELLS])
def test_the_report_of_a_consultant(world, period, grouping):
    start, end = period_bounds(period[0], 2026, period[1])
    report = plut_report(user=world.consultant, start=start, end=end, grouping=grouping)
    assert report == EXPECTED[period][grouping]
    assert list(report) == sorted(EXPECTED[period][grouping])


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        # Case A only: opened in September.
        ("quarter", 3, row(1, 1, 0, 1, 0)),
        # Case A only: case C opened on 1 November 00:30 in Pontianak, still October in UTC.
        ("month", 10, row(1, 0, 1, 1, 0)),
        # Case C only: case B, closed on 30 November at 23:30 in Pontianak, belongs to November.
        ("month", 12, row(1, 0, 1, 1, 0)),
        ("month", 8, row(0, 0, 0, 0, 0)),
    ],
)
def test_other_periods_of_a_consultant(world, kind, number, expected):
    start, end = period_bounds(kind, 2026, number)
    assert plut_report(user=world.consultant, start=start, end=end) == {"total": expected}


def test_the_office_sees_every_regency_and_requests_never_count(world):
    start, end = period_bounds("month", 2026, 11)
    # Case D adds a new enterprise and a session.
    assert plut_report(user=world.admin, start=start, end=end) == {
        "total": row(4, 3, 1, 4, 3, 2, 2, 1, 1, 50 * JT, "11.25", 2)
    }
    assert plut_report(user=world.admin, start=start, end=end, grouping="regency") == {
        "61.03": row(2, 1, 1, 2, 2, 2, 2, 1, 1, 50 * JT, "11.25", 2),
        "61.07": row(1, 1, 0, 1, 1),
        "61.71": row(1, 1, 0, 1, 0),
    }
    assert plut_report(user=world.analyst, start=start, end=end, grouping="consultant") == {
        "consultant": row(2, 1, 1, 2, 2, 1, 1, 0, 0, 50 * JT, "25.00", 1),
        "consultant_ptk": row(1, 1, 0, 1, 0),
        "consultant_sgu": row(1, 1, 0, 1, 1, 1, 1, 1, 1, 0, "10.53", 1),
    }


def test_a_consultants_report_excludes_other_regions(world):
    start, end = period_bounds("month", 2026, 11)
    assert plut_report(user=world.consultant_ptk, start=start, end=end, grouping="regency") == {
        "61.71": row(1, 1, 0, 1, 0)
    }
    assert plut_report(user=world.consultant_ptk, start=start, end=end, grouping="area") == {
        "ti": row(1, 1, 0, 1, 0)
    }
    report = plut_report(user=world.consultant, start=start, end=end, grouping="regency")
    assert "61.71" not in report
    assert "consultant_ptk" not in plut_report(
        user=world.consultant, start=start, end=end, grouping="consultant"
    )
    # A regency officer of Sanggau sees cases A and B only.
    assert plut_report(user=world.officer_sanggau, start=start, end=end) == {
        "total": row(2, 1, 1, 2, 2, 2, 2, 1, 1, 50 * JT, "11.25", 2)
    }


@pytest.mark.parametrize("role", ["ministry", "entrepreneur", "officer_sambas"])
def test_roles_without_cases_in_scope_get_an_empty_total(world, role):
    start, end = period_bounds("year", 2026)
    assert plut_report(user=getattr(world, role), start=start, end=end) == {"total": row(0, 0, 0, 0, 0)}
    assert plut_report(user=getattr(world, role), start=start, end=end, grouping="area") == {}


def test_period_bounds():
    assert period_bounds("month", 2026, 11) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period_bounds("month", 2028, 2) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert period_bounds("quarter", 2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_bounds("quarter", 2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert period_bounds("year", 2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        period_bounds("week", 2026, 1)


def test_an_unknown_grouping_is_refused(cast):
    with pytest.raises(ValueError):
        plut_report(user=cast.admin, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), grouping="kbli")
