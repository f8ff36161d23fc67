"""Generate the benchmark spreadsheets: invented UMKM rows, deterministic for a given seed.

Every row is valid, so an atomic import commits all of it (a single rejected row would turn the
commit into a dry run and make the figures meaningless). What each row holds:

- business and owner names from small invented word lists (no real person or business);
- a valid NIK: a real Kalimantan Barat district code (``PPKKCC`` from
  ``plut/regions/data/wilayah/kalbar_wilayah_kepmendagri_2025.csv``), a birth date 1950-2004 with
  40 added to the day for women, and a serial ≥ 0001; unique per row (date and serial are
  derived from the row index);
- a valid Indonesian mobile number in mixed notation (``0812-3456-7890``, ``+62 812 …``,
  ``812…`` without its trunk 0, and in the XLSX sometimes a number cell);
- a unique 13-digit NIB;
- a KBLI 2020 5-digit code that exists (``plut/reference/data/kbli/kbli2020_oss.csv``, level
  ``kelompok``);
- annual sales and capital in mixed Indonesian notation (``Rp 150.000.000``,
  ``Rp150.000.000,-``, ``150.000.000,00``, ``150 jt``, ``1,5 jt``, ``1.5 juta``, ``2 M``,
  ``2 miliar``, ``750 rb``, plain digits; in the XLSX sometimes a number cell);
- a real village, its district and its regency (names as in the Kepmendagri list, the regency
  sometimes written ``Kab. …``); only villages whose name is unique in their district are used.

Beside each spreadsheet a ``.clean.csv`` holds the same rows already normalised to the values the
registry stores (E.164 phone, integer rupiah, region and KBLI codes, …): the input of the COPY /
executemany baselines.

Files are cached: the file name encodes the kind, the row count, the seed and ``VERSION``; an
existing complete file is reused (a ``.done`` marker is written last).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WILAYAH_CSV = ROOT / "plut/regions/data/wilayah/kalbar_wilayah_kepmendagri_2025.csv"
KBLI_CSV = ROOT / "plut/reference/data/kbli/kbli2020_oss.csv"

# Bump when the generated content changes, so that cached files are not reused.
VERSION = 1

# The import refuses uploads above 200 MiB (plut.imports.services.MAX_UPLOAD_BYTES).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024

HEADERS = [
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "Alamat Usaha",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "No HP",
    "KBLI",
    "NIB",
    "Omzet per tahun",
    "Modal Usaha",
    "Tenaga Kerja",
    "Tahun Berdiri",
    "Produk",
    "Jual ke Malaysia",
]

CLEAN_HEADERS = [
    "row",
    "business_name",
    "owner_name",
    "sex",
    "birth_date",
    "nik",
    "nik_hash",
    "phone",
    "phone_hash",
    "address",
    "region_code",
    "regency_code",
    "district_code",
    "kbli",
    "nib",
    "nib_raw",
    "annual_sales",
    "capital",
    "workers",
    "established_year",
    "product",
    "sells_to_malaysia",
]

FIRST_NAMES_M = [
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Dimas",
    "Eko",
    "Fajar",
    "Hadi",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanda",
    "Rudi",
    "Rahmat",
    "Syarif",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Aming",
    "Akiong",
    "Apui",
    "Benediktus",
    "Petrus",
    "Yohanes",
    "Stefanus",
    "Antonius",
    "Heri",
    "Iwan",
    "Rizky",
    "Sutrisno",
    "Ujang",
    "Gusti",
    "Abang",
]
FIRST_NAMES_F = [
    "Ani",
    "Ayu",
    "Dewi",
    "Eka",
    "Fitri",
    "Hana",
    "Indah",
    "Kartini",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Rina",
    "Sari",
    "Siti",
    "Tuti",
    "Wulan",
    "Yanti",
    "Zahra",
    "Aling",
    "Ameli",
    "Chintya",
    "Maria",
    "Theresia",
    "Veronika",
    "Agustina",
    "Dayang",
    "Utin",
    "Nurul",
    "Rahma",
]
LAST_NAMES = [
    "Saputra",
    "Hidayat",
    "Wijaya",
    "Pratama",
    "Santoso",
    "Kusuma",
    "Rahman",
    "Hasan",
    "Lim",
    "Tan",
    "Wong",
    "Alamsyah",
    "Syahputra",
    "Nugroho",
    "Setiawan",
    "Gunawan",
    "Halim",
    "Kurnia",
    "Lubis",
    "Siregar",
    "Sinaga",
    "Manurung",
    "Ismail",
    "Abdullah",
    "Effendi",
    "Firmansyah",
    "Darmawan",
    "Sulaiman",
    "Usman",
    "Junaidi",
    "Anwar",
    "Marpaung",
    "Sembiring",
    "Ginting",
    "Lase",
    "Dalimunthe",
]
BUSINESS_PREFIX = ["UD", "CV", "Warung", "Toko", "Kedai", "Usaha", "Rumah Makan", "Kios", "Dapur", "Bengkel"]
BUSINESS_WORDS = [
    "Sumber",
    "Rejeki",
    "Maju",
    "Jaya",
    "Berkah",
    "Mandiri",
    "Sejahtera",
    "Abadi",
    "Makmur",
    "Lestari",
    "Sentosa",
    "Barokah",
    "Amanah",
    "Kapuas",
    "Khatulistiwa",
    "Borneo",
    "Equator",
    "Landak",
    "Melawi",
    "Sambas",
    "Pelangi",
    "Mutiara",
    "Harapan",
    "Bersama",
    "Indah",
    "Cahaya",
    "Bintang",
    "Surya",
    "Karya",
    "Tunas",
    "Baru",
    "Sinar",
    "Mekar",
    "Murni",
    "Setia",
    "Family",
    "Kita",
    "Rasa",
    "Nusantara",
]
STREETS = [
    "Merdeka",
    "Gajah Mada",
    "Tanjungpura",
    "Ahmad Yani",
    "Sutoyo",
    "Imam Bonjol",
    "Diponegoro",
    "Veteran",
    "Sultan Syahrir",
    "Kom Yos Sudarso",
    "Hijas",
    "Pahlawan",
    "Sudirman",
    "Adisucipto",
    "Parit Haji Husin",
    "Sungai Raya Dalam",
    "Pattimura",
]
PRODUCTS = [
    "Keripik pisang",
    "Amplang ikan",
    "Kerupuk basah",
    "Bingke",
    "Pengkang",
    "Kopi bubuk",
    "Lidah buaya",
    "Tenun ikat",
    "Anyaman rotan",
    "Manik-manik",
    "Lada putih",
    "Madu hutan",
    "Ikan asin",
    "Udang ebi",
    "Sambal terasi",
    "Kue lapis",
    "Dodol",
    "Jasa jahit",
    "Servis motor",
    "Sembako",
]
PHONE_PREFIXES = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "823",
    "851",
    "852",
    "853",
    "814",
    "815",
    "816",
    "855",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "895",
    "896",
    "897",
    "898",
    "899",
    "881",
    "882",
    "883",
    "887",
    "888",
    "889",
    "831",
    "832",
    "833",
    "838",
]


@dataclass(frozen=True)
class Place:
    village_code: str
    village: str
    district: str
    regency: str
    regency_short: str  # "Kab. Sambas" / "Kota Singkawang"


def _places() -> list[Place]:
    with WILAYAH_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_code = {r["code"]: r for r in rows}
    names_in_district: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["level"] == "desa_kelurahan":
            names_in_district[r["parent_code"]][r["name"].casefold()] += 1
    places = []
    for r in rows:
        if r["level"] != "desa_kelurahan" or names_in_district[r["parent_code"]][r["name"].casefold()] != 1:
            continue
        district = by_code[r["parent_code"]]
        regency = by_code[district["parent_code"]]
        short = regency["name"].replace("Kabupaten ", "Kab. ")
        places.append(Place(r["code"], r["name"], district["name"], regency["name"], short))
    return places


def _kbli_codes() -> list[str]:
    with KBLI_CSV.open(encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f) if r["level"] == "kelompok" and len(r["code"]) == 5]


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _decimal_comma(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rupiah_text(rng: random.Random, amount: int) -> str:
    """Write ``amount`` (a multiple of 1,000) in one of the Indonesian notations the import reads."""
    forms = ["rp_dots", "rp_dash", "dots", "digits", "dots_cents"]
    if amount % 1_000_000 == 0 or amount % 100_000 == 0 and amount >= 1_000_000:
        forms += ["jt", "juta_dot"]
    if amount >= 1_000_000_000 and amount % 100_000_000 == 0:
        forms += ["M", "miliar"]
    if amount < 1_000_000:
        forms += ["rb"]
    form = rng.choice(forms)
    if form == "rp_dots":
        return f"Rp {_dotted(amount)}"
    if form == "rp_dash":
        return f"Rp{_dotted(amount)},-"
    if form == "dots":
        return _dotted(amount)
    if form == "digits":
        return str(amount)
    if form == "dots_cents":
        return f"{_dotted(amount)},00"
    if form == "jt":
        return f"{_decimal_comma(amount / 1_000_000)} jt"
    if form == "juta_dot":
        return f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".") + " juta"
    if form == "M":
        return f"{_decimal_comma(amount / 1_000_000_000)} M"
    if form == "miliar":
        return f"{_decimal_comma(amount / 1_000_000_000)} miliar"
    return f"{amount // 1000} rb"


class RowMaker:
    """Make row ``i`` of a file: the cells as typed and the clean values (one RNG stream per file)."""

    def __init__(self, seed: int, *, xlsx: bool):
        self.rng = random.Random(seed)
        self.xlsx = xlsx
        self.places = _places()
        self.kbli = _kbli_codes()
        start, end = dt.date(1950, 1, 1), dt.date(2004, 12, 31)
        days = [start + dt.timedelta(days=d) for d in range((end - start).days + 1)]
        random.Random(seed ^ 0x5EED).shuffle(days)
        self.birth_dates = days
        # Salt so that the CSV and the XLSX (different seeds) do not share NIKs and NIBs.
        self.salt = seed % 97

    def row(self, i: int) -> tuple[list, list]:
        rng = self.rng
        female = rng.random() < 0.45
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        owner = f"{first} {rng.choice(LAST_NAMES)}"
        place = rng.choice(self.places)
        # NIK: issued in a district of the province, not necessarily where the business is.
        issue_district = rng.choice(self.places).village_code[:8].replace(".", "")
        # (birth date, serial) is unique per row for up to len(birth_dates) * 9999 rows (~200M).
        count = len(self.birth_dates)
        born = self.birth_dates[(i + self.salt * 101) % count]
        serial = i // count + 1
        day = born.day + (40 if female else 0)
        nik = f"{issue_district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"

        name = f"{rng.choice(BUSINESS_PREFIX)} {rng.choice(BUSINESS_WORDS)} {rng.choice(BUSINESS_WORDS)}"
        address = f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 250)}"

        national = rng.choice(PHONE_PREFIXES) + "".join(rng.choices("0123456789", k=rng.choice((7, 8))))
        form = rng.random()
        phone_cell: str | int
        if self.xlsx and form < 0.10:
            phone_cell = int(national)  # a number cell: the trunk 0 is lost
        elif form < 0.40:
            p = "0" + national
            phone_cell = f"{p[:4]}-{p[4:8]}-{p[8:]}"
        elif form < 0.60:
            phone_cell = f"+62 {national[:3]} {national[3:7]} {national[7:]}"
        elif form < 0.65:
            phone_cell = national  # typed without its trunk 0
        else:
            phone_cell = "0" + national

        kbli = rng.choice(self.kbli)
        kbli_cell: str | int = int(kbli) if self.xlsx and rng.random() < 0.2 and kbli[0] != "0" else kbli
        nib = f"{1_200_000_000_000 + (i + self.salt * 10_000_000) * 37 + rng.randrange(37):013d}"

        sales = rng.choice((rng.randint(12, 999) * 1_000_000, rng.randint(1, 19) * 100_000_000,
                            rng.randint(120, 9_990) * 100_000, rng.randint(20_000, 900_000) * 1_000))  # fmt: skip
        capital = rng.choice((rng.randint(1, 999) * 100_000, rng.randint(5, 500) * 1_000_000,
                              rng.randint(100, 999) * 1_000))  # fmt: skip
        sales_cell: str | int = sales if self.xlsx and rng.random() < 0.3 else rupiah_text(rng, sales)
        capital_cell: str | int = capital if self.xlsx and rng.random() < 0.3 else rupiah_text(rng, capital)
        workers = rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 12))
        workers_cell: str | int = (
            workers if self.xlsx else (f"{workers} orang" if rng.random() < 0.2 else str(workers))
        )
        year = rng.randint(1985, 2024)
        year_cell: str | int = year if self.xlsx else str(year)
        product = rng.choice(PRODUCTS)
        malaysia = rng.random() < 0.08
        regency_cell = place.regency_short if rng.random() < 0.3 else place.regency

        cells = [
            name,
            owner,
            nik,
            address,
            place.village,
            place.district,
            regency_cell,
            phone_cell,
            kbli_cell,
            nib,
            sales_cell,
            capital_cell,
            workers_cell,
            year_cell,
            product,
            "Ya" if malaysia else "Tidak",
        ]
        phone = "+62" + national
        village = place.village_code
        clean = [
            i,
            name,
            owner,
            "F" if female else "M",
            born.isoformat(),
            nik,
            hashlib.sha256(nik.encode()).hexdigest(),
            phone,
            hashlib.sha256(phone.encode()).hexdigest(),
            address,
            village,
            village[:5],
            village[:8],
            kbli,
            nib,
            nib,
            sales,
            capital,
            workers,
            year,
            product,
            int(malaysia),
        ]
        return cells, clean


def _paths(directory: Path, kind: str, rows: int, seed: int) -> tuple[Path, Path, Path]:
    stem = f"umkm-v{VERSION}-s{seed}-{rows}"
    data = directory / f"{stem}.{kind}"
    return data, directory / f"{stem}.{kind}.clean.csv", directory / f"{stem}.{kind}.done"


def ensure_csv(directory: Path, rows: int, seed: int, log=print) -> tuple[Path, Path]:
    """Return (spreadsheet, clean rows) of a CSV of ``rows`` rows, generating them if not cached."""
    data, clean, done = _paths(directory, "csv", rows, seed)
    if done.exists():
        log(f"  reusing {data.name} ({data.stat().st_size / 1e6:.0f} MB)")
        return data, clean
    directory.mkdir(parents=True, exist_ok=True)
    log(f"  generating {data.name} …")
    maker = RowMaker(seed, xlsx=False)
    with (
        data.open("w", encoding="utf-8", newline="") as f,
        clean.open("w", encoding="utf-8", newline="") as g,
    ):
        out, cout = csv.writer(f, lineterminator="\n"), csv.writer(g, lineterminator="\n")
        out.writerow(HEADERS)
        cout.writerow(CLEAN_HEADERS)
        for i in range(rows):
            cells, values = maker.row(i)
            out.writerow(cells)
            cout.writerow(values)
    size = data.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise SystemExit(f"{data} is {size / 2**20:.0f} MiB, over the import's 200 MiB upload limit")
    done.write_text("ok\n")
    log(f"  wrote {data.name}: {size / 1e6:.0f} MB ({size / max(rows, 1):.0f} bytes/row)")
    return data, clean


def ensure_xlsx(directory: Path, rows: int, seed: int, log=print) -> tuple[Path, Path]:
    """Return (workbook, clean rows) of an XLSX of ``rows`` rows (openpyxl write-only), cached."""
    from openpyxl import Workbook

    data, clean, done = _paths(directory, "xlsx", rows, seed)
    if done.exists():
        log(f"  reusing {data.name} ({data.stat().st_size / 1e6:.0f} MB)")
        return data, clean
    directory.mkdir(parents=True, exist_ok=True)
    log(f"  generating {data.name} …")
    maker = RowMaker(seed, xlsx=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data UMKM")
    ws.append(HEADERS)
    with clean.open("w", encoding="utf-8", newline="") as g:
        cout = csv.writer(g, lineterminator="\n")
        cout.writerow(CLEAN_HEADERS)
        for i in range(rows):
            cells, values = maker.row(i)
            ws.append(cells)
            cout.writerow(values)
    wb.save(data)
    done.write_text("ok\n")
    log(f"  wrote {data.name}: {data.stat().st_size / 1e6:.0f} MB")
    return data, clean
