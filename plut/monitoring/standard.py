"""The office's standard data sets, as data (installed by ``datasets_install_standard``).

The office changes them in the admin by creating a new version; these definitions only seed the
first version. Rule messages are data (Indonesian, as the office writes them).
"""

from __future__ import annotations

from django.db import transaction

from plut.monitoring.models import DataSet
from plut.monitoring.periods import PeriodType
from plut.monitoring.services import dataset_version_create

INDICATORS = [
    {
        "code": "sales",
        "label": "Omzet (penjualan) dalam periode",
        "unit": "Rp",
        "value_type": "money",
        "help_text": "Hasil penjualan selama periode ini, rupiah penuh.",
        "required": True,
        "figure_field": "annual_sales_idr",
    },
    {
        "code": "cross_border_sales",
        "label": "Penjualan lintas batas (ke Sarawak)",
        "unit": "Rp",
        "value_type": "money",
        "help_text": "Bagian omzet yang dijual ke pembeli di Malaysia, dalam rupiah.",
    },
    {
        "code": "cross_border_currency",
        "label": "Mata uang penjualan lintas batas",
        "unit": "",
        "value_type": "text",
        "help_text": "IDR atau MYR.",
    },
    {
        "code": "workers",
        "label": "Tenaga kerja",
        "unit": "orang",
        "value_type": "integer",
        "help_text": "Jumlah orang yang bekerja, termasuk pemilik.",
        "figure_field": "workers",
    },
    {
        "code": "workers_female",
        "label": "Tenaga kerja perempuan",
        "unit": "orang",
        "value_type": "integer",
        "help_text": "Dari jumlah tenaga kerja, yang perempuan.",
    },
    {
        "code": "capital",
        "label": "Modal usaha",
        "unit": "Rp",
        "value_type": "money",
        "help_text": "Modal usaha di luar tanah dan bangunan (PP 7/2021 pasal 35 ayat 3).",
        "figure_field": "capital_idr",
    },
    {
        "code": "digital_channels",
        "label": "Saluran penjualan digital",
        "unit": "",
        "value_type": "text",
        "help_text": "Mis. WhatsApp, Shopee, Facebook.",
    },
]

RULES = [
    {
        "code": "workers_min",
        "severity": "hard",
        "test": "min_value",
        "params": {"indicator": "workers", "min": 0},
        "message": "Jumlah tenaga kerja tidak boleh negatif.",
    },
    {
        "code": "workers_female_min",
        "severity": "hard",
        "test": "min_value",
        "params": {"indicator": "workers_female", "min": 0},
        "message": "Jumlah tenaga kerja perempuan tidak boleh negatif.",
    },
    {
        "code": "workers_female_le",
        "severity": "hard",
        "test": "not_greater",
        "params": {"indicator": "workers_female", "other": "workers"},
        "message": "Tenaga kerja perempuan tidak boleh lebih dari jumlah tenaga kerja.",
    },
    {
        "code": "cross_border_le_sales",
        "severity": "hard",
        "test": "not_greater",
        "params": {"indicator": "cross_border_sales", "other": "sales"},
        "message": "Penjualan lintas batas tidak boleh lebih besar dari omzet.",
    },
    {
        "code": "date_in_period",
        "severity": "hard",
        "test": "date_in_period",
        "params": {},
        "message": "Tanggal data harus di dalam periode laporan.",
    },
    {
        "code": "sales_change",
        "severity": "soft",
        "test": "change_factor",
        "params": {"indicator": "sales", "factor": 5},
        "message": "Omzet berubah lebih dari %(factor)s kali dibanding periode sebelumnya.",
    },
    {
        "code": "workers_zero",
        "severity": "soft",
        "test": "drop_to_zero",
        "params": {"indicator": "workers"},
        "message": "Tenaga kerja turun menjadi nol.",
    },
    {
        "code": "class_jump",
        "severity": "soft",
        "test": "class_jump",
        "params": {"steps": 2},
        "message": "Skala usaha melompat %(steps)s kelas atau lebih.",
    },
    {
        "code": "sales_peer",
        "severity": "soft",
        "test": "peer_outlier",
        "params": {"indicator": "sales", "threshold": 3.5, "min_peers": 5},
        "message": "Omzet jauh di luar kelompok sejenis (KBLI dan skala yang sama; median/MAD, skor z termodifikasi > %(threshold)s).",
    },
]

STANDARD = [
    (
        "umkm-bulanan",
        "Pemantauan bulanan UMKM",
        PeriodType.MONTH,
        ["consultant", "regency_officer", "entrepreneur"],
    ),
    (
        "umkm-triwulan",
        "Pemantauan triwulanan UMKM perbatasan",
        PeriodType.QUARTER,
        ["consultant", "regency_officer"],
    ),
    (
        "umkm-tahunan",
        "Laporan tahunan UMKM",
        PeriodType.YEAR,
        ["consultant", "regency_officer", "entrepreneur"],
    ),
]


@transaction.atomic
def datasets_install_standard(*, actor=None) -> list[DataSet]:
    """Create the standard data sets with a first published version; idempotent."""
    out = []
    for code, name, ptype, roles in STANDARD:
        ds, created = DataSet.objects.get_or_create(
            code=code, defaults={"name": name, "period_type": ptype, "reporter_roles": roles}
        )
        if created or not ds.versions.exists():
            dataset_version_create(
                actor=actor, dataset=ds, indicators=INDICATORS, rules=RULES, note="versi awal"
            )
        out.append(ds)
    return out
