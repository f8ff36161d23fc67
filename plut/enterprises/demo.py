"""A synthetic registry for demonstrations, shaped like the real headline figures.

Nothing here is a real person or business: names come from Faker (locale id_ID), every NIK has
the serial ``0000`` (Dukcapil serials start at 0001, so no synthetic NIK is a real one), and every
row is marked ``is_synthetic``. Reproducible: the same seed and scale give the same registry.

Shape, from ``plut/reference/data/kalbar_umkm_indikator_berita.csv`` (news figures citing the
Dinas Koperasi dan UKM Kalbar, May 2021):

* province total = micro 166,000 + small 14,000 + medium 1,486 = 181,486, divided by ``scale``;
* class shares from those three counts;
* Kota Pontianak's share = 39,868 / 181,486; the other 13 regencies share the rest in proportion
  to their population (Kepmendagri 2025 figures; an assumption, no per-regency table is public);
* culinary sector share = 51,791 / 181,486; with a business licence = 13,827 / 181,486.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from faker import Faker

from plut.core.crypto import keyed_hash
from plut.enterprises.models import Enterprise, EnterpriseKbli, FigureSnapshot, Owner, Permit, Product
from plut.enterprises.sizeclass import BILLION, MILLION, SizeClass, classify
from plut.reference.models import Kbli
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes

DATA = Path(__file__).resolve().parent.parent / "reference" / "data" / "umkm"
KOTA_PONTIANAK = "61.71"

# Culinary: restaurants, food stalls, catering, snacks and cakes (KBLI 2020).
CULINARY_KBLI = ["56101", "56102", "56103", "56210", "10710", "10794", "10793"]
OTHER_KBLI = [
    ("47111", "perdagangan"),
    ("47211", "perdagangan"),
    ("47712", "perdagangan"),
    ("47191", "perdagangan"),
    ("13921", "kerajinan"),
    ("16291", "kerajinan"),
    ("32120", "kerajinan"),
    ("14111", "fesyen"),
    ("01131", "pertanian"),
    ("01262", "perkebunan"),
    ("03111", "perikanan"),
    ("96111", "jasa"),
    ("95230", "jasa"),
    ("45405", "jasa"),
    ("10391", "pengolahan pangan"),
    ("10750", "pengolahan pangan"),
]
PRODUCTS = {
    "kuliner": ["Kue lapis legit", "Amplang ikan", "Kerupuk basah", "Bingke", "Pengkang", "Kopi bubuk"],
    "kerajinan": ["Tenun ikat Dayak", "Anyaman rotan", "Manik-manik", "Ukiran kayu"],
    "perkebunan": ["Lada putih", "Madu hutan", "Kopi liberika"],
    "perikanan": ["Ikan asin", "Udang ebi"],
    "pengolahan pangan": ["Keripik pisang", "Dodol lidah buaya", "Sambal terasi"],
}


@dataclass(frozen=True)
class Headline:
    micro: int
    small: int
    medium: int
    pontianak: int
    culinary: int
    licensed: int

    @property
    def total(self) -> int:
        return self.micro + self.small + self.medium


def read_headline() -> Headline:
    """Read the headline figures used to shape the synthetic registry from the shipped CSV."""
    values: dict[tuple[str, str], int] = {}
    with (DATA / "kalbar_umkm_indikator_berita.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["reference_period"] == "s.d. Mei 2021":
                values[(row["indicator"], row["wilayah_code"])] = int(float(row["value"]))
    return Headline(
        micro=values[("jumlah_usaha_mikro", "61")],
        small=values[("jumlah_usaha_kecil", "61")],
        medium=values[("jumlah_usaha_menengah", "61")],
        pontianak=values[("jumlah_umkm", KOTA_PONTIANAK)],
        culinary=values[("jumlah_umkm_sektor_kuliner", "61")],
        licensed=values[("jumlah_umkm_berizin", "61")],
    )


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def _figures_for(rng: random.Random, size: SizeClass) -> tuple[int, int, int]:
    """Return (capital, annual sales, workers) inside the PP 7/2021 class by annual sales."""
    lo, hi = {
        SizeClass.MICRO: (12 * MILLION, 2 * BILLION),
        SizeClass.SMALL: (2 * BILLION + 1, 15 * BILLION),
        SizeClass.MEDIUM: (15 * BILLION + 1, 50 * BILLION),
    }[size]
    # Log-uniform: most micro businesses sell tens to hundreds of millions a year.
    import math

    sales = int(math.exp(rng.uniform(math.log(lo), math.log(hi)))) // 1000 * 1000
    sales = max(sales, lo)
    capital = int(sales * rng.uniform(0.1, 0.5)) // 1000 * 1000
    workers = {SizeClass.MICRO: rng.randint(1, 4), SizeClass.SMALL: rng.randint(5, 19)}.get(
        size, rng.randint(20, 99)
    )
    return capital, sales, workers


@transaction.atomic
def generate_synthetic_registry(*, seed: int = 2026, scale: int = 100) -> dict:
    """Create a synthetic registry (≈ 181,486 / ``scale`` enterprises); return what was made.

    Requires the reference data (``plut load-reference``). Raises ``RuntimeError`` when the
    regions or KBLI are not loaded. Existing synthetic rows are deleted first.
    """
    if not Region.objects.filter(level=Level.VILLAGE).exists() or not Kbli.objects.exists():
        raise RuntimeError("Load the reference data first: plut load-reference.")
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    head = read_headline()
    total = round(head.total / scale)

    Enterprise.objects.filter(is_synthetic=True).delete()
    Owner.objects.filter(is_synthetic=True, enterprises__isnull=True).delete()

    regencies = list(Region.objects.filter(level=Level.REGENCY, retired_in__isnull=True))
    pontianak_n = round(total * head.pontianak / head.total)
    rest = {r.code: float(r.population or 1) for r in regencies if r.code != KOTA_PONTIANAK}
    per_regency = _apportion(total - pontianak_n, rest)
    per_regency[KOTA_PONTIANAK] = pontianak_n

    villages_by_regency: dict[str, list[Region]] = {}
    for v in Region.objects.filter(level=Level.VILLAGE, retired_in__isnull=True).select_related("parent"):
        villages_by_regency.setdefault(v.code[:5], []).append(v)
    border = border_district_codes()
    kbli = {k.code: k for k in Kbli.objects.filter(code__in=CULINARY_KBLI + [c for c, _ in OTHER_KBLI])}

    sizes = _apportion(total, {"micro": head.micro, "small": head.small, "medium": head.medium})
    size_list = [SizeClass(s) for s, n in sizes.items() for _ in range(n)]
    rng.shuffle(size_list)
    n_culinary = round(total * head.culinary / head.total)
    n_licensed = round(total * head.licensed / head.total)
    culinary_flags = [True] * n_culinary + [False] * (total - n_culinary)
    rng.shuffle(culinary_flags)
    licensed_flags = [True] * n_licensed + [False] * (total - n_licensed)
    rng.shuffle(licensed_flags)

    owners, enterprises, links, figures, permits, products = [], [], [], [], [], []
    i = 0
    for regency_code in sorted(per_regency):
        for _ in range(per_regency[regency_code]):
            village = rng.choice(villages_by_regency[regency_code])
            female = rng.random() < 0.55
            birth = fake.date_of_birth(minimum_age=20, maximum_age=65)
            district6 = village.code[:8].replace(".", "")
            nik = f"{district6}{birth.day + (40 if female else 0):02d}{birth:%m%y}0000"
            name = fake.name_female() if female else fake.name_male()
            phone = "+628" + str(rng.randint(11, 59)) + str(rng.randint(10_000_000, 99_999_999))
            owner = Owner(
                full_name=name,
                sex="F" if female else "M",
                birth_date=birth,
                nik=nik,
                nik_raw=nik,
                nik_hash=keyed_hash(nik),
                nik_last4=nik[-4:],
                phone=phone,
                phone_raw=phone,
                phone_hash=keyed_hash(phone),
                address=fake.street_address(),
                is_synthetic=True,
            )
            owners.append(owner)
            if culinary_flags[i]:
                code, sector = rng.choice(CULINARY_KBLI), "kuliner"
            else:
                code, sector = rng.choice(OTHER_KBLI)
            district = village.code[:8]
            is_border = district in border
            size = size_list[i]
            sells = is_border and rng.random() < 0.35
            ent = Enterprise(
                name=f"{rng.choice(['UD', 'Toko', 'Usaha', 'CV', 'Warung', 'Rumah Produksi'])} {fake.last_name()} {rng.choice(['Jaya', 'Makmur', 'Sejahtera', 'Mandiri', 'Berkah', 'Lestari', 'Borneo', 'Khatulistiwa'])}",
                region=village,
                region_path=village.path,
                regency_code=regency_code,
                district_code=district,
                is_border=is_border,
                address=fake.street_address(),
                latitude=round(village.label_lat + rng.uniform(-0.01, 0.01), 6)
                if village.label_lat
                else None,
                longitude=round(village.label_lng + rng.uniform(-0.01, 0.01), 6)
                if village.label_lng
                else None,
                primary_kbli=kbli[code],
                kbli_section=kbli[code].section,
                sector=sector,
                established_year=rng.randint(1995, 2024),
                sells_cross_border=sells,
                cross_border_brand=rng.choice(["own", "unbranded", "repackaged"]) if sells else "unknown",
                size_class=size,
                is_synthetic=True,
            )
            if licensed_flags[i]:
                ent.nib = f"{rng.randint(10**12, 10**13 - 1)}"
                ent.nib_raw, ent.has_nib = ent.nib, True
            enterprises.append(ent)
            i += 1

    Owner.objects.bulk_create(owners, batch_size=500)
    for ent, owner in zip(enterprises, owners, strict=True):
        ent.owner = owner
    Enterprise.objects.bulk_create(enterprises, batch_size=500)

    moved_up = 0
    for ent in enterprises:
        links.append(
            EnterpriseKbli(
                enterprise=ent, kbli=ent.primary_kbli, kbli_raw=ent.primary_kbli.code, is_primary=True
            )
        )
        size = SizeClass(ent.size_class)
        # About 30% of small and medium enterprises were one class lower a year earlier ("naik kelas").
        before = size
        if size != SizeClass.MICRO and rng.random() < 0.3:
            before = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM][size.rank - 1]
            moved_up += 1
        for as_of, cls in ((dt.date(2024, 12, 31), before), (dt.date(2025, 12, 31), size)):
            capital, sales, workers = _figures_for(rng, cls)
            result = classify(capital_idr=capital, annual_sales_idr=sales)
            figures.append(
                FigureSnapshot(
                    enterprise=ent,
                    as_of=as_of,
                    capital_idr=capital,
                    annual_sales_idr=sales,
                    workers=workers,
                    source=FigureSnapshot.Source.DEMO,
                    size_class=result.size_class,
                )
            )
        if ent.has_nib:
            permits.append(
                Permit(
                    enterprise=ent,
                    kind=Permit.Kind.NIB,
                    number=ent.nib,
                    number_raw=ent.nib,
                    issued_on=dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1),
                )
            )
            if ent.sector == "kuliner" and rng.random() < 0.5:
                permits.append(
                    Permit(
                        enterprise=ent,
                        kind=Permit.Kind.PIRT,
                        number=f"{rng.randint(10**14, 10**15 - 1)}",
                        issued_on=dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1),
                    )
                )
        for pname in rng.sample(PRODUCTS.get(ent.sector, ["Produk lokal"]), k=1):
            products.append(
                Product(
                    enterprise=ent,
                    name=pname,
                    unit="pcs",
                    price_idr=rng.randint(5, 200) * 1000,
                    brand=ent.name if ent.cross_border_brand == "own" else "",
                )
            )
    EnterpriseKbli.objects.bulk_create(links, batch_size=1000)
    FigureSnapshot.objects.bulk_create(figures, batch_size=1000)
    Permit.objects.bulk_create(permits, batch_size=1000)
    Product.objects.bulk_create(products, batch_size=1000)
    return {
        "scale": scale,
        "province_total_real": head.total,
        "enterprises": total,
        "micro": sizes["micro"],
        "small": sizes["small"],
        "medium": sizes["medium"],
        "kota_pontianak": pontianak_n,
        "culinary": n_culinary,
        "with_nib": n_licensed,
        "border": sum(1 for e in enterprises if e.is_border),
        "moved_up": moved_up,
        "seed": seed,
    }
