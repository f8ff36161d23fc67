"""Seed the seven PLUT service areas and version 1 of the business health check."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

INSTRUMENT_FILE = Path(__file__).resolve().parent.parent / "data" / "health_instrument_v1.json"

# The seven service areas of a PLUT (Kementerian Koperasi dan UKM, PLUT-KUMKM guidelines).
SERVICE_AREAS = [
    (
        "kelembagaan",
        "Kelembagaan dan legalitas",
        "Legalitas dan kelembagaan usaha: NIB melalui OSS, izin edar (P-IRT, BPOM), sertifikasi halal, "
        "pendaftaran merek, dan bentuk badan usaha.",
    ),
    (
        "sdm",
        "Sumber daya manusia",
        "Kemampuan pemilik dan pekerja: pelatihan, kewirausahaan, pembagian tugas, dan manajemen usaha.",
    ),
    (
        "produksi",
        "Produksi",
        "Proses dan mutu produksi, standar dan keamanan produk, kemasan, label, dan merek produk.",
    ),
    (
        "pembiayaan",
        "Pembiayaan",
        "Pembukuan, pemisahan keuangan usaha, perhitungan harga pokok, dan akses pembiayaan seperti KUR.",
    ),
    (
        "pemasaran",
        "Pemasaran",
        "Perluasan pasar, saluran penjualan, pameran, penjualan lintas batas ke Malaysia, dan merek sendiri.",
    ),
    (
        "ti",
        "Teknologi informasi dan digital",
        "Pemasaran daring, marketplace, pembayaran nontunai (QRIS), dan aplikasi pencatatan usaha.",
    ),
    (
        "jaringan",
        "Jaringan kerja sama",
        "Kemitraan dengan usaha besar, koperasi, pembeli, lembaga keuangan, dan instansi lain.",
    ),
]


def seed(apps, schema_editor):
    ServiceArea = apps.get_model("clinic", "ServiceArea")
    HealthInstrument = apps.get_model("clinic", "HealthInstrument")
    HealthQuestion = apps.get_model("clinic", "HealthQuestion")
    for order, (code, name, description) in enumerate(SERVICE_AREAS, start=1):
        ServiceArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    data = json.loads(INSTRUMENT_FILE.read_text(encoding="utf-8"))
    HealthInstrument.objects.filter(is_active=True).update(is_active=False)
    instrument = HealthInstrument.objects.create(
        version=data["version"], name=data["name"], published_at=timezone.now(), is_active=True
    )
    orders: dict[str, int] = {}
    for question in data["questions"]:
        orders[question["dimension"]] = orders.get(question["dimension"], 0) + 1
        HealthQuestion.objects.create(
            instrument=instrument,
            dimension=question["dimension"],
            code=question["code"],
            text=question["text"],
            options=question["options"],
            weight=question["weight"],
            order=orders[question["dimension"]],
        )


def unseed(apps, schema_editor):
    ServiceArea = apps.get_model("clinic", "ServiceArea")
    HealthInstrument = apps.get_model("clinic", "HealthInstrument")
    data = json.loads(INSTRUMENT_FILE.read_text(encoding="utf-8"))
    HealthInstrument.objects.filter(version=data["version"]).delete()
    ServiceArea.objects.filter(code__in=[code for code, _name, _description in SERVICE_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
