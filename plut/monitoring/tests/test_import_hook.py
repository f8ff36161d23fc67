"""A committed registry import brings the monitoring aggregates up to date (no model signals)."""

from __future__ import annotations

import datetime as dt

import pytest

from plut.imports import services as import_services
from plut.imports.tests.files import write_csv
from plut.monitoring import tasks
from plut.monitoring.models import AggregateCell

pytestmark = pytest.mark.django_db

HEADER = [
    "Nama Usaha",
    "Nama Pemilik",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "KBLI",
    "Omzet per tahun",
    "Tenaga Kerja",
    "Tanggal Data",
]


def _import(path, django_capture_on_commit_callbacks, *, dry_run=False):
    with path.open("rb") as f:
        batch = import_services.import_batch_create(actor=None, file=f, filename=path.name)
    with django_capture_on_commit_callbacks(execute=True):
        return import_services.import_batch_run(batch=batch, dry_run=dry_run, mode="atomic")


def _cell(region_code: str):
    return AggregateCell.objects.filter(
        region_code=region_code, period_type="year", period_start=dt.date(2025, 1, 1),
        section="*", size_class="*", border="*",
    ).values("n", "n_sales", "sales_idr", "workers").first()  # fmt: skip


def test_import_commit_refreshes_the_aggregates(tmp_path, reference_data, django_capture_on_commit_callbacks):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["Amplang Siti", "Siti", "Temajuk", "Paloh", "Kab. Sambas", "10750", "150 jt", "3", "2025-03-31"],
            [
                "Kopi Budi",
                "Budi",
                "Temajuk",
                "Paloh",
                "Kab. Sambas",
                "56303",
                "Rp 50.000.000",
                "1",
                "2025-03-31",
            ],
        ],
    )
    assert _import(path, django_capture_on_commit_callbacks, dry_run=True).status == "previewed"
    assert _cell("61") is None  # a dry run writes nothing, so nothing to aggregate
    batch = _import(path, django_capture_on_commit_callbacks)
    assert batch.status == "committed"
    expected = {"n": 2, "n_sales": 2, "sales_idr": 200_000_000, "workers": 4}
    assert _cell("61") == expected
    assert _cell("61.01") == expected
    assert _cell("61.03") is None


def test_a_large_batch_rebuilds_instead(
    tmp_path, reference_data, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks, "IMPORT_REFRESH_LIMIT", 1)
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["Amplang Siti", "Siti", "Temajuk", "Paloh", "Kab. Sambas", "10750", "150 jt", "3", "2025-03-31"],
            [
                "Kopi Budi",
                "Budi",
                "Temajuk",
                "Paloh",
                "Kab. Sambas",
                "56303",
                "Rp 50.000.000",
                "1",
                "2025-03-31",
            ],
        ],
    )
    calls = []
    monkeypatch.setattr(
        "plut.monitoring.aggregates.aggregates_rebuild", lambda: calls.append("rebuild") or {}
    )
    _import(path, django_capture_on_commit_callbacks)
    assert calls == ["rebuild"]
