"""The ``plut`` command line: help, reference loading, users, size class, region resolution, demo."""

from __future__ import annotations

import contextlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from plut.accounts.models import User
from plut.cli import COMMANDS, main
from plut.enterprises.models import Enterprise, Owner


def test_help_lists_the_subcommands(capsys):
    main(["--help"])
    out = capsys.readouterr().out
    for name in ("serve", "demo", "load-reference", "createuser", "resolve-region", "size-class", "worker"):
        assert f"  {name}" in out
    assert set(COMMANDS) >= {"serve", "demo", "load-reference", "createuser"}


def test_unknown_subcommand_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def _json(*args) -> dict:
    out = StringIO()
    with contextlib.suppress(SystemExit):
        call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_size_class_json_reads_indonesian_notation():
    body = _json("size_class", "--capital", "Rp 3.000.000.000", "--sales", "1,5 M")
    assert body == {
        "ok": True,
        "size_class": "micro",
        "basis": "annual_sales",
        "regime": "pp7_2021",
        "source": "PP 7/2021 art. 35 ayat (3) and (5)",
        "errors": [],
        "warnings": [],
    }


def test_size_class_json_reports_bad_amounts():
    body = _json("size_class", "--sales", "1,500")
    assert body["ok"] is False
    assert [(e["column"], e["value"]) for e in body["errors"]] == [("sales", "1,500")]
    assert body["warnings"] == []


@pytest.mark.django_db
def test_load_reference_is_idempotent(reference_data):
    body = _json("load_reference")
    assert body["ok"] is True
    assert body["counts"]["villages"] == 2145
    assert body["counts"]["rows_written"] == 0
    assert body["errors"] == []


@pytest.mark.django_db
def test_resolve_region_json(reference_data):
    body = _json("resolve_region", "KABUPATEN SAMBAS", "Bengkyang", "Pontianak", "--level", "2")
    assert [(r["status"], r["code"]) for r in body["results"]] == [
        ("exact", "61.01"),
        ("fuzzy", "61.07"),
        ("ambiguous", None),
    ]
    assert [(e["row"], e["value"], e["code"]) for e in body["errors"]] == [
        (3, "Pontianak", "region.ambiguous")
    ]


@pytest.mark.django_db
def test_createuser_scopes_a_regency_officer(reference_data):
    call_command(
        "createuser",
        "petugas",
        "--role",
        "regency_officer",
        "--region",
        "61.03",
        "--password",
        "Kalbar-2026!x",
        stdout=StringIO(),
    )
    user = User.objects.get(username="petugas")
    assert (user.role, [r.code for r in user.regions.all()]) == ("regency_officer", ["61.03"])


@pytest.mark.django_db
def test_createuser_refuses_an_officer_without_a_regency(reference_data):
    with translation.override("en"), pytest.raises(CommandError, match="regency officer"):
        call_command(
            "createuser",
            "petugas",
            "--role",
            "regency_officer",
            "--region",
            "61.03.21",
            "--password",
            "Kalbar-2026!x",
        )
    assert not User.objects.filter(username="petugas").exists()


@pytest.mark.django_db
def test_demo_is_shaped_by_the_headline_figures_and_reproducible(reference_data):
    from plut.enterprises.demo import generate_synthetic_registry

    first = generate_synthetic_registry(seed=7, scale=1000)
    assert {
        k: first[k]
        for k in ("enterprises", "micro", "small", "medium", "kota_pontianak", "culinary", "with_nib")
    } == {
        "enterprises": 181,
        "micro": 166,
        "small": 14,
        "medium": 1,
        "kota_pontianak": 40,
        "culinary": 52,
        "with_nib": 14,
    }
    names = list(Enterprise.objects.order_by("id").values_list("name", flat=True))
    assert Enterprise.objects.filter(is_synthetic=False).count() == 0
    assert Enterprise.objects.filter(regency_code="61.71").count() == 40
    assert Enterprise.objects.filter(size_class="micro").count() == 166
    assert all(o.nik.endswith("0000") for o in Owner.objects.all())
    generate_synthetic_registry(seed=7, scale=1000)
    assert list(Enterprise.objects.order_by("id").values_list("name", flat=True)) == names


@pytest.mark.django_db
def test_demo_creates_one_user_per_role_with_its_scope(reference_data):
    body = _json("demo", "--scale", "1000", "--seed", "3")
    assert [(u["username"], u["role"], u["regions"]) for u in body["users"]] == [
        ("admin", "office_admin", []),
        ("analis", "office_analyst", []),
        ("konsultan", "consultant", ["61.01", "61.03", "61.07"]),
        ("petugas.sambas", "regency_officer", ["61.01"]),
        ("kementerian", "ministry_reviewer", []),
        ("pelaku", "entrepreneur", []),
    ]
    assert all(len(u["password"]) >= 12 for u in body["users"])
    assert (body["registry"]["enterprises"], body["errors"], body["warnings"]) == (181, [], [])
    # The border economy and the monitoring data sets are seeded too, so every page has something to show.
    assert body["border"] == {"markets": 5, "commodities": 29, "demo_surveys": 30, "demo_rates": 6}
    assert body["monitoring"] == {
        "datasets": ["umkm-bulanan", "umkm-triwulan", "umkm-tahunan"],
        "aggregates": {"facts": 1134, "cells": 10420},
    }
    pelaku = User.objects.get(username="pelaku")
    # The entrepreneur owns a synthetic business that the demo consultant may assist.
    assert pelaku.owner.is_synthetic is True
    assert [e.regency_code for e in pelaku.owner.enterprises.all()] == ["61.01"]
    # A second run keeps the users and their passwords.
    again = _json("demo", "--scale", "1000")
    assert {u["note"] for u in again["users"]} == {"exists; password unchanged"}
    assert again["border"] == {"markets": 5, "commodities": 29, "demo_surveys": 0, "demo_rates": 0}
