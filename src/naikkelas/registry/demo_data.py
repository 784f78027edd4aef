"""Believable *synthetic* UMKM of Kota Serang (Banten) for demos, tests and benchmarks (pure).

Nothing here touches Django or the database, and nothing is read from disk: the kelurahan
list is passed in. :func:`generate_register` is deterministic: the same arguments (including
``seed`` and ``today``) always give an identical :class:`DemoRegister`, and a different seed
gives a different one. All randomness comes from one ``random.Random(seed)``.

The people and businesses are invented. Names, products, places and figures are drawn to
look like a real Dinas Koperasi/UMKM list of Kota Serang (Sundanese, Javanese and Banten
names with the honorifics and academic titles such lists carry; emping melinjo, sate bandeng,
batik Banten, warung sembako...; mostly mikro, log-normal turnover reported in round numbers).

Synthetic identifiers are recognisable and can never belong to a real person:

* **NIK** (16 digits ``PPKKCC DDMMYY NNNN``): a real kecamatan code of Kota Serang
  (``367301``..``367306``, the owner's home kecamatan) or, for about 10%, of Kabupaten Serang
  (``3604xx``), then the birth date (women: day + 40), then a serial that is **always in the
  reserved range 9000-9999**. Every NIK is unique within a register.
* **Phone numbers** (E.164) always come from the blocks **+62 812 0000 xxxx** and
  **+62 857 0000 xxxx** (subscriber numbers starting ``0000``), e.g. ``+6281200004821``.
* **NIB**: 13 digits starting with ``9``.
* **NPWP**: individuals use the owner's (synthetic) NIK (or, without one, a legacy number as
  below); legal entities get ``0`` + a legacy 15-digit NPWP whose six-digit taxpayer serial
  starts with ``9`` and whose 9th digit is a valid Luhn check digit over the first 8
  (``stdnum.id.npwp`` accepts it), e.g. ``0019123454401000``.
* Permit numbers (SPP-IRT, BPOM MD, halal, SNI, merek) and Hipmikindo member numbers follow
  the real formats but are random; they are not taken from any registry.

Coordinates are scattered around a made-up centroid per kelurahan inside the Kota Serang box
(lat -6.05..-6.19, lon 106.08..106.24); they are approximate, not geocoded. KBLI 2020 codes are
plausible for the product; a few rows have none, as in real lists.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, TypeVar

from stdnum import luhn

__all__ = [
    "SECTOR_CODES",
    "ChannelKind",
    "DemoBusiness",
    "DemoChannel",
    "DemoFigure",
    "DemoOwner",
    "DemoPermit",
    "DemoRegister",
    "LegalForm",
    "PermitKind",
    "generate_register",
]

SECTOR_CODES = ("fesyen", "kriya", "kuliner", "jasa", "perdagangan", "pertanian", "lainnya")

Sex = Literal["L", "P"]
LegalForm = Literal["PERORANGAN", "UD", "CV", "PT_PERORANGAN", "PT", "KOPERASI"]
PermitKind = Literal["SPP_IRT", "BPOM_MD", "HALAL", "SNI", "MEREK"]
ChannelKind = Literal[
    "RITEL_MODERN", "MARKETPLACE", "MEDIA_SOSIAL", "AFILIASI", "PASAR_TRADISIONAL", "OFFLINE"
]


# --------------------------------------------------------------------------------------------
# Public data classes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOwner:
    key: int  # index into DemoRegister.owners; an owner can hold several businesses
    full_name: str  # may carry honorifics/titles: "H. Ahmad Fauzi", "Ade Supriatna, S.Pd"
    sex: Sex
    birth_date: date
    nik: str | None  # synthetic, serial 9000-9999; about 85% have one
    phone: str | None  # E.164 in the reserved +62 812 0000 / +62 857 0000 blocks; about 80%
    address: str  # home address, "Kp. Cibogo RT 002/RW 005"


@dataclass(frozen=True)
class DemoFigure:
    year: int
    omzet: int | None  # rupiah per year
    modal: int | None  # rupiah, excluding land and buildings
    workers: int | None


@dataclass(frozen=True)
class DemoPermit:
    kind: PermitKind
    number: str
    issued_on: date
    expires_on: date | None
    detail: str = ""  # HALAL: "self-declare" / "reguler"; MEREK: Nice class; SNI: standard


@dataclass(frozen=True)
class DemoChannel:
    kind: ChannelKind
    name: str  # "Indomaret", "Shopee", "Instagram", "Pasar Rau", ...
    url: str = ""


@dataclass(frozen=True)
class DemoBusiness:
    name: str
    legal_form: LegalForm
    sector: str  # one of SECTOR_CODES
    kbli_code: str  # 5-digit KBLI 2020, or "" when the list has none
    products: str
    kelurahan_code: str
    address: str
    latitude: float | None
    longitude: float | None
    phone: str | None
    established_year: int
    nib: str | None
    nib_issued_on: date | None
    npwp: str | None
    owner_keys: tuple[int, ...]  # first = main owner
    figures: tuple[DemoFigure, ...]  # consecutive years, oldest first
    permits: tuple[DemoPermit, ...]
    channels: tuple[DemoChannel, ...]
    is_binaan: bool
    binaan_since: date | None
    member_number: str | None  # Hipmikindo, "HPK-3673-00123"
    member_since: date | None


@dataclass(frozen=True)
class DemoRegister:
    owners: tuple[DemoOwner, ...]
    businesses: tuple[DemoBusiness, ...]


# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------

# kecamatan code -> (name, rough population weight, centre latitude, centre longitude)
_KECAMATAN: dict[str, tuple[str, float, float, float]] = {
    "36.73.01": ("Serang", 225.0, -6.118, 106.152),
    "36.73.02": ("Kasemen", 100.0, -6.070, 106.178),
    "36.73.03": ("Walantaka", 95.0, -6.152, 106.214),
    "36.73.04": ("Curug", 55.0, -6.170, 106.140),
    "36.73.05": ("Cipocok Jaya", 115.0, -6.142, 106.172),
    "36.73.06": ("Taktakan", 95.0, -6.130, 106.106),
}
_DEFAULT_KECAMATAN = ("Serang", 100.0, -6.120, 106.160)
_LAT_MIN, _LAT_MAX = -6.19, -6.05
_LON_MIN, _LON_MAX = 106.08, 106.24

# fmt: off
# Real kecamatan codes of Kabupaten Serang (36.04), for owners registered there.
_KAB_SERANG_KECAMATAN = (
    "05", "06", "07", "08", "09", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
    "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35",
)

_STREETS: dict[str, tuple[str, ...]] = {
    "36.73.01": (
        "Jl. Ahmad Yani", "Jl. Jend. Sudirman", "Jl. Diponegoro", "Jl. Veteran",
        "Jl. Maulana Hasanudin", "Jl. Tb. Suwandi", "Jl. Kagungan", "Jl. Trip Jamaksari",
        "Jl. KH. Abdul Fatah Hasan", "Jl. Letnan Jidun", "Jl. Samaun Bakri", "Jl. Raya Cilegon",
        "Jl. Kiapa", "Jl. Lopang Cilik",
    ),
    "36.73.02": (
        "Jl. Raya Banten", "Jl. Maulana Yusuf", "Jl. Raya Karangantu", "Jl. Kasemen Raya",
        "Jl. Sultan Ageng Tirtayasa", "Jl. Raya Pontang",
    ),
    "36.73.03": (
        "Jl. Raya Walantaka", "Jl. Raya Petir", "Jl. Raya Kalodran", "Jl. Raya Pipitan",
        "Jl. Ciruas-Walantaka",
    ),
    "36.73.04": (
        "Jl. Syekh Nawawi Al Bantani", "Jl. Raya Curug", "Jl. Raya Petir", "Jl. Palima",
        "Jl. Raya Kemanisan",
    ),
    "36.73.05": (
        "Jl. Raya Pandeglang", "Jl. Raya Serang-Jakarta", "Jl. Bhayangkara", "Jl. Raya Cipocok",
        "Jl. Lingkar Selatan", "Jl. Raya Banjar Agung", "Jl. Raya Karundang",
    ),
    "36.73.06": (
        "Jl. Raya Taktakan", "Jl. Raya Serang-Cilegon", "Jl. Raya Gunungsari",
        "Jl. Lingkar Selatan", "Jl. Raya Drangong", "Jl. Raya Kalanganyar",
    ),
}
_GENERIC_STREETS = ("Jl. Raya Serang", "Jl. Lingkar Selatan", "Jl. Raya Pandeglang")

_KAMPUNG = (
    "Cibogo", "Kalodran", "Sukajaya", "Pabuaran", "Cilaku", "Sayabulu", "Kaloran", "Kebon Jahe",
    "Lopang", "Sumur Pecung", "Kaujon", "Cimuncang", "Kemanisan", "Ciwaru", "Banjar Agung",
    "Kilasah", "Margaluyu", "Terumbu", "Sawah Luhur", "Kubang", "Pancur", "Cikulur", "Gelam",
    "Cibendung", "Pejaten", "Drangong", "Kuranji", "Cilowong", "Umbul Tengah", "Sempu", "Kiara",
    "Pipitan", "Nyapah", "Teritih", "Cigoong", "Tegal Buntu", "Kebon Kelapa", "Karang Kitri",
    "Sukawana", "Kedung", "Pasir Kupa", "Babakan", "Tembong", "Kagungan", "Kasunyatan",
    "Pamarican", "Kroya", "Bendung", "Curug Manis", "Pakupatan", "Panancangan", "Sindangsari",
    "Cibeber", "Panggung Jati", "Tinggar", "Kapuren", "Sukalaksana", "Kebaharan", "Priyayi",
    "Warung Pojok", "Benggala", "Kaligandu", "Serdang", "Ciracas", "Legok", "Dukuh",
)
_PERUM = (
    "Perum Bumi Serang Baru", "Perumnas Ciracas", "Perum Taman Banten Lestari",
    "Perum Griya Serang Asri", "Perum Serang Hijau", "Perum Bukit Cipocok Indah",
    "Perum Puri Serang Hijau", "Perum Graha Walantaka", "Perum Bumi Agung Permai",
    "Perum Citra Gading", "Perum Legok Indah", "Perum Griya Taktakan Permai",
    "Komplek Kasemen Indah", "Perum Banten Indah Permai", "Perum Pesona Curug",
)
_MARKETS = (
    ("Pasar Rau", 6.0), ("Pasar Induk Rau", 2.0), ("Pasar Lama Serang", 2.0),
    ("Pasar Karangantu", 1.5), ("Pasar Kalodran", 1.0), ("Pasar Royal", 1.0),
)


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_MALE_GIVEN = (
    "Ade", "Asep", "Ujang", "Dede", "Entis", "Saepudin", "Rohmat", "Jaenudin", "Mulyadi", "Sarip",
    "Ahmad", "Agus", "Dadang", "Deden", "Endang", "Iwan", "Wawan", "Ucup", "Udin", "Nana", "Aan",
    "Encep", "Eman", "Suhendi", "Hasanudin", "Jajang", "Herman", "Budi", "Slamet", "Sutrisno",
    "Bambang", "Joko", "Wahyudi", "Rahmat", "Fauzi", "Syarif", "Hendra", "Rudi", "Yayan",
    "Maman", "Usman", "Sukri", "Marjuki", "Sahroni", "Nurdin", "Saprudin", "Jumadi", "Komarudin",
    "Mukhlis", "Ilham", "Rizki", "Fajar", "Dimas", "Andi", "Arif", "Jaja", "Didi", "Amin",
    "Sanusi", "Sobri", "Juhdi", "Ruhiyat", "Engkos", "Oji", "Mamat", "Ali", "Abdul Rohman",
    "Abdul Aziz", "Rohendi", "Firman", "Yusuf", "Ridwan", "Aceng", "Ajat", "Baehaki", "Dulhadi",
    "Hambali", "Idris", "Jamhari", "Kosasih", "Lukman", "Matsani", "Nasrullah", "Rusdi",
    "Samsudin", "Tatang", "Ubaidillah", "Wahid", "Yadi", "Zaenal", "Hasan", "Imron", "Sukarna",
)
_FEMALE_GIVEN = (
    "Iyah", "Enok", "Nunung", "Sumiati", "Rohayati", "Euis", "Eneng", "Neneng", "Imas", "Yuyun",
    "Tati", "Yati", "Cucu", "Enung", "Aisyah", "Maryam", "Fatimah", "Rohmah", "Mulyani", "Sri",
    "Wati", "Yanti", "Ratna", "Dewi", "Lilis", "Nining", "Ela", "Erna", "Ani", "Rina",
    "Nurhasanah", "Halimah", "Jubaedah", "Masitoh", "Sarinah", "Umi", "Ika", "Rini", "Fitri",
    "Dian", "Nia", "Putri", "Khodijah", "Kulsum", "Rukmini", "Juariah", "Saadah", "Atikah", "Oom",
    "Onih", "Icih", "Entin", "Titin", "Iis", "Heni", "Lia", "Mimin", "Nani", "Popon", "Rosidah",
    "Sukaesih", "Tuti", "Uum", "Wiwin", "Yeni", "Zakiah", "Elis", "Hayati", "Nurlela", "Robiah",
    "Samiah", "Eti", "Aminah", "Rahmawati", "Mastumah", "Suhaemi", "Maemunah", "Hindun",
)
_MALE_SECOND = (
    "Supriatna", "Hidayat", "Saputra", "Setiawan", "Kurniawan", "Permana", "Gunawan", "Sudrajat",
    "Hermawan", "Suryana", "Firmansyah", "Hidayatullah", "Maulana", "Ramdani", "Mulyana",
    "Sobari", "Sanusi", "Hasan", "Fauzi", "Syarif", "Rohman", "Hakim", "Nurjaman", "Sopian",
    "Rahmat", "Wijaya", "Santoso", "Prasetyo", "Kusnadi", "Suhendar", "Mubarok", "Jamaludin",
    "Sahrudin", "Arsyad", "Fadilah", "Nawawi", "Sulaeman", "Ruhiyat", "Apandi", "Rosadi",
    "Kurnia", "Saefullah", "Taufik", "Ismail", "Iskandar", "Zakaria", "Bahri", "Rifai",
    "Sutisna", "Fathurrohman", "Syamsudin", "Mansur",
)
_FEMALE_SECOND = (
    "Rohmah", "Aisyah", "Nurhayati", "Rohayati", "Sumiati", "Maryam", "Halimah", "Fatimah",
    "Rahmawati", "Susanti", "Kurniasih", "Mulyani", "Lestari", "Wulandari", "Handayani",
    "Komariah", "Nurjanah", "Hasanah", "Zubaedah", "Marlina", "Suryani", "Fitriani", "Yulianti",
    "Hayati", "Maesaroh", "Rukoyah", "Jamilah", "Saodah", "Khoerunnisa", "Aminah", "Nurlaela",
    "Safitri", "Rosita", "Apriani", "Sulastri", "Kartika", "Puspitasari", "Herawati", "Mardiah",
    "Munawaroh",
)
_MUHAMMAD = ("Muhammad", "Muhamad", "Mohammad", "M.", "Moch.", "Mochamad", "Mohamad", "Much.")
_MALE_TITLES = ("S.Pd", "S.E.", "S.Pd.I", "S.Kom", "S.H.", "S.Sos", "A.Md", "S.T.", "SE")
_FEMALE_TITLES = ("S.Pd", "S.E.", "S.Pd.I", "A.Md.Keb", "S.Kep", "S.Ak", "A.Md", "SE")

_BRAND_WORDS = (
    "Berkah", "Barokah", "Sejahtera", "Mandiri", "Jaya", "Al-Ikhlas", "Makmur", "Abadi",
    "Sentosa", "Rizki", "Amanah", "Bersama", "Al-Barokah", "Mulya", "Lestari", "Sehati",
    "Harapan", "Sakinah", "Az-Zahra", "Annisa", "Hikmah", "Sumber Rezeki", "Rahayu", "Berkah",
    "Barokah", "Putri", "Al-Hidayah", "Mekar Sari",
)
_BRAND_LEADS = (  # read well before the trade: "Barokah Laundry", "Az-Zahra Salon"
    "Berkah", "Barokah", "Al-Barokah", "Amanah", "Rizki", "Az-Zahra", "Annisa", "Sakinah",
    "Mandiri", "Jaya", "Sehati", "Al-Ikhlas",
)
_BRAND_PAIRS = (
    "Berkah Jaya", "Sinar Mandiri", "Karya Mandiri", "Putra Jaya", "Sumber Rezeki",
    "Cahaya Abadi", "Maju Jaya", "Berkah Abadi", "Barokah Jaya", "Mitra Sejahtera",
    "Sinar Banten", "Karya Bersama", "Jaya Makmur", "Mekar Sari", "Tunas Harapan",
    "Sejahtera Bersama", "Rizki Barokah", "Amanah Sentosa", "Bintang Timur", "Mulya Abadi",
)
_CORP_SUFFIX = ("Banten", "Nusantara", "Indonesia", "Sejahtera", "Abadi", "Perkasa", "Mandiri")
# fmt: on


# --------------------------------------------------------------------------------------------
# Product catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Product:
    sector: str
    kbli: str
    weight: float  # relative weight within its sector
    labels: tuple[str, ...]  # heads of business names
    summaries: tuple[str, ...]
    scale: float = 1.0  # multiplier on the median turnover
    pirt: str | None = None  # SPP-IRT food-type code; None = not eligible (perishable, service)
    packaged: bool = False  # sold packaged: marketplaces, modern retail, oleh-oleh
    eatery: bool = False  # served food: delivery apps
    brand_first: bool = False  # "Barokah Laundry" reads naturally
    nice_class: str = "35"  # trademark class, for MEREK permits


_SECTOR_SHARE = {
    "kuliner": 0.40,
    "perdagangan": 0.22,
    "jasa": 0.14,
    "fesyen": 0.11,
    "kriya": 0.05,
    "pertanian": 0.05,
    "lainnya": 0.03,
}

# fmt: off
_PRODUCTS: tuple[_Product, ...] = (
    # -- kuliner ------------------------------------------------------------------------------
    _Product("kuliner", "10794", 3.0, ("Emping Melinjo", "Emping"), (
        "emping melinjo", "emping melinjo mentah dan goreng", "emping melinjo balado",
        "emping melinjo manis dan asin",
    ), 1.0, "15", packaged=True, nice_class="30"),
    _Product("kuliner", "10212", 1.6, ("Sate Bandeng",), (
        "sate bandeng", "sate bandeng dan bandeng presto", "sate bandeng tanpa duri",
    ), 1.3, packaged=True, nice_class="29"),
    _Product("kuliner", "56102", 0.7, ("Rabeg", "Nasi Rabeg", "Rumah Makan Rabeg"), (
        "rabeg daging kambing", "nasi rabeg dan sate kambing", "rabeg khas Banten",
    ), 1.3, eatery=True, nice_class="43"),
    _Product("kuliner", "10792", 2.2, ("Kue Jojorong", "Kue Basah", "Jajanan Pasar"), (
        "kue jojorong", "kue basah tradisional (jojorong, apem, cucur)", "ketan bintul",
        "ketan bintul dan kue jojorong", "jajanan pasar dan kue basah",
    ), 0.6, nice_class="30"),
    _Product("kuliner", "10794", 0.9, ("Gipang", "Gipang Ketan"), (
        "gipang", "gipang dan rengginang", "gipang ketan aneka rasa",
    ), 0.8, "15", packaged=True, nice_class="30"),
    _Product("kuliner", "10796", 0.6, ("Dodol",), (
        "dodol ketan", "dodol ketan dan dodol durian", "dodol khas Banten",
    ), 0.8, "09", packaged=True, nice_class="30"),
    _Product("kuliner", "10794", 2.0, ("Keripik", "Keripik Singkong", "Keripik Pisang"), (
        "keripik singkong balado", "keripik pisang", "keripik singkong dan keripik pisang",
        "keripik tempe", "kerupuk dan keripik aneka rasa",
    ), 0.8, "15", packaged=True, nice_class="29"),
    _Product("kuliner", "10216", 1.0, ("Otak-Otak", "Otak-Otak Bandeng"), (
        "otak-otak bandeng", "otak-otak ikan tenggiri", "otak-otak dan bakso ikan",
    ), 0.9, packaged=True, nice_class="29"),
    _Product("kuliner", "10216", 0.6, ("Bakso Ikan",), (
        "bakso ikan", "bakso ikan dan siomay ikan beku",
    ), 0.9, packaged=True, nice_class="29"),
    _Product("kuliner", "10794", 0.7, ("Kerupuk Ikan", "Kerupuk Kulit Ikan"), (
        "kerupuk ikan", "kerupuk kulit ikan bandeng", "kerupuk udang dan ikan",
    ), 0.9, "02", packaged=True, nice_class="30"),
    _Product("kuliner", "10761", 0.6, ("Kopi", "Kopi Bubuk"), (
        "kopi bubuk robusta", "kopi bubuk robusta Banten", "kopi bubuk dan kopi jahe",
    ), 1.0, "10", packaged=True, nice_class="30"),
    _Product("kuliner", "10710", 1.4, ("Kue Kering", "Bolu", "Roti"), (
        "kue kering (nastar, kastengel)", "kue kering lebaran", "bolu dan kue kering",
        "roti dan kue",
    ), 0.8, "06", packaged=True, nice_class="30"),
    _Product("kuliner", "10799", 0.8, ("Jahe Instan", "Minuman Serbuk", "Sirup"), (
        "minuman serbuk jahe merah instan", "jahe instan dan kunyit asam", "sirup buah pala",
    ), 0.7, "13", packaged=True, nice_class="30"),
    _Product("kuliner", "10219", 0.5, ("Abon Ikan", "Abon Bandeng"), (
        "abon ikan bandeng", "abon ikan tongkol", "abon ikan dan abon sapi",
    ), 0.9, "02", packaged=True, nice_class="29"),
    _Product("kuliner", "10779", 0.5, ("Sambal",), (
        "sambal kemasan", "sambal bawang dan sambal cumi",
    ), 0.7, "11", packaged=True, nice_class="30"),
    _Product("kuliner", "56102", 1.6, ("Warung Nasi Pecak", "Pecak Bandeng"), (
        "nasi pecak bandeng", "pecak bandeng dan ikan bakar", "pecak bandeng dan sayur asem",
    ), 1.1, eatery=True, nice_class="43"),
    _Product("kuliner", "56102", 4.0, ("Warung Nasi", "Warung Makan", "Rumah Makan", "Warteg"), (
        "nasi rames", "warung makan sunda", "nasi uduk dan gorengan", "nasi campur dan lauk pauk",
        "nasi kuning dan nasi uduk",
    ), 1.0, eatery=True, nice_class="43"),
    _Product("kuliner", "56104", 2.2, ("Bakso", "Mie Ayam", "Bakso dan Mie Ayam"), (
        "bakso dan mie ayam", "bakso urat", "mie ayam dan bakso",
    ), 0.9, eatery=True, nice_class="43"),
    _Product("kuliner", "56104", 2.4, ("Seblak", "Gorengan", "Cilok", "Jajanan"), (
        "seblak dan cilok", "gorengan", "cilok dan batagor", "es campur dan gorengan",
        "seblak prasmanan",
    ), 0.5, eatery=True, nice_class="43"),
    _Product("kuliner", "56303", 1.3, ("Warung Kopi", "Kedai Kopi"), (
        "kopi dan minuman", "kopi susu kekinian", "kopi, teh dan mie rebus",
    ), 0.8, eatery=True, nice_class="43"),
    _Product("kuliner", "56210", 1.0, ("Catering", "Katering", "Nasi Kotak"), (
        "nasi kotak dan katering hajatan", "katering harian", "nasi box dan tumpeng",
    ), 1.5, nice_class="43"),
    _Product("kuliner", "56303", 1.0, ("Es Teh", "Jus", "Minuman"), (
        "es teh jumbo", "jus buah", "minuman kekinian (boba, thai tea)",
    ), 0.6, eatery=True, nice_class="43"),
    # -- fesyen -------------------------------------------------------------------------------
    _Product("fesyen", "13134", 1.0, ("Batik Banten", "Batik"), (
        "batik tulis motif Banten", "batik cap motif Surosowan",
        "kain batik Banten dan kemeja batik", "batik tulis dan cap khas Banten",
    ), 1.3, packaged=True, nice_class="24"),
    _Product("fesyen", "13121", 0.3, ("Tenun", "Kain Tenun"), (
        "kain tenun khas Banten", "tenun songket Banten",
    ), 1.0, packaged=True, nice_class="24"),
    _Product("fesyen", "14111", 2.6, ("Konveksi",), (
        "konveksi seragam sekolah", "kaos dan seragam kantor", "baju muslim dan gamis",
        "kaos sablon dan jaket", "seragam olahraga",
    ), 1.6, packaged=True, nice_class="25"),
    _Product("fesyen", "14120", 1.6, ("Penjahit", "Jahit", "Tailor"), (
        "jasa jahit pakaian", "jahit dan vermak pakaian", "jahit kebaya dan seragam",
    ), 0.5, nice_class="40"),
    _Product("fesyen", "14111", 1.6, ("Hijab", "Kerudung", "Busana Muslim"), (
        "kerudung dan gamis", "hijab instan", "kerudung segi empat dan pashmina",
        "mukena dan kerudung",
    ), 1.1, packaged=True, nice_class="25"),
    _Product("fesyen", "47711", 1.2, ("Butik", "Toko Baju", "Fashion"), (
        "pakaian wanita dan anak", "baju muslim dan kerudung", "pakaian jadi",
    ), 1.2, packaged=True, brand_first=True, nice_class="35"),
    _Product("fesyen", "13133", 0.7, ("Sablon", "Sablon Kaos"), (
        "sablon kaos", "sablon dan bordir", "sablon kaos komunitas",
    ), 0.9, nice_class="40"),
    # -- kriya --------------------------------------------------------------------------------
    _Product("kriya", "23932", 0.5, ("Gerabah", "Kerajinan Gerabah"), (
        "kerajinan gerabah", "pot dan gentong gerabah", "gerabah hias dan celengan",
    ), 0.8, packaged=True, nice_class="21"),
    _Product("kriya", "16291", 0.8, ("Anyaman Bambu", "Kerajinan Bambu"), (
        "anyaman bambu (bakul, tampah, boboko)", "kerajinan bambu", "besek dan anyaman bambu",
    ), 0.6, packaged=True, nice_class="20"),
    _Product("kriya", "25931", 0.4, ("Golok", "Pandai Besi"), (
        "golok dan pisau", "golok dan parang", "golok sembelih dan pisau dapur",
    ), 0.9, packaged=True, nice_class="8"),
    _Product("kriya", "32909", 0.9, ("Kerajinan", "Souvenir", "Craft"), (
        "souvenir dan kerajinan tangan", "kerajinan manik-manik", "kerajinan dari limbah plastik",
        "bros dan aksesoris",
    ), 0.6, packaged=True, brand_first=True, nice_class="26"),
    _Product("kriya", "31001", 0.6, ("Mebel", "Meubel", "Furniture"), (
        "mebel kayu", "kusen dan mebel", "lemari dan kursi kayu",
    ), 1.5, nice_class="20"),
    # -- perdagangan --------------------------------------------------------------------------
    _Product("perdagangan", "47112", 11.0, (
        "Toko Kelontong", "Warung Sembako", "Toko Sembako", "Warung", "Toko",
    ), (
        "sembako dan kebutuhan sehari-hari", "warung kelontong",
        "sembako, gas elpiji dan air galon", "sembako dan rokok",
        "kebutuhan pokok dan jajanan anak",
    ), 1.3),
    _Product("perdagangan", "47414", 1.8, ("Cell", "Konter Pulsa", "Phone Cell"), (
        "pulsa, paket data dan aksesoris HP", "pulsa dan token listrik",
        "aksesoris HP dan servis ringan",
    ), 1.0, brand_first=True),
    _Product("perdagangan", "", 1.2, ("Sayur", "Pedagang Sayur", "Buah"), (
        "sayur mayur", "sayur dan bumbu dapur", "buah-buahan",
    ), 0.8),
    _Product("perdagangan", "", 0.8, ("Ikan Segar", "Pedagang Ikan"), (
        "ikan laut segar", "ikan bandeng dan ikan laut", "ikan asin dan ikan segar",
    ), 1.0),
    _Product("perdagangan", "47711", 0.8, ("Online Shop", "Olshop"), (
        "reseller pakaian dan kosmetik", "reseller produk rumah tangga",
    ), 0.7, packaged=True, brand_first=True),
    # -- jasa ---------------------------------------------------------------------------------
    _Product("jasa", "96200", 2.4, ("Laundry", "Laundry Kiloan"), (
        "laundry kiloan", "laundry kiloan dan setrika", "laundry dan cuci karpet",
    ), 0.8, brand_first=True, nice_class="37"),
    _Product("jasa", "45405", 2.4, ("Bengkel Motor", "Bengkel", "Tambal Ban"), (
        "servis dan tune up motor", "tambal ban dan ganti oli", "servis motor dan jual sparepart",
    ), 1.0, nice_class="37"),
    _Product("jasa", "96112", 1.4, ("Salon", "Salon Kecantikan"), (
        "potong rambut, creambath dan rias", "salon kecantikan", "salon muslimah",
    ), 0.6, brand_first=True, nice_class="44"),
    _Product("jasa", "96111", 1.0, ("Barbershop", "Pangkas Rambut", "Cukur Rambut"), (
        "pangkas rambut pria", "cukur rambut dan cukur bayi",
    ), 0.5, brand_first=True, nice_class="44"),
    _Product("jasa", "18111", 0.7, ("Percetakan", "Digital Printing"), (
        "cetak undangan dan spanduk", "digital printing", "cetak buku dan brosur",
    ), 1.3, brand_first=True, nice_class="40"),
    _Product("jasa", "82190", 1.0, ("Fotokopi", "Fotocopy dan ATK"), (
        "fotokopi dan alat tulis kantor", "fotokopi, jilid dan print",
    ), 0.7, brand_first=True),
    _Product("jasa", "96112", 0.8, ("Rias Pengantin", "Wedding Organizer", "Dekorasi"), (
        "rias pengantin dan dekorasi", "sewa baju pengantin dan rias", "dekorasi hajatan",
    ), 1.2, nice_class="41"),
    _Product("jasa", "95210", 0.6, ("Servis Elektronik", "Service TV"), (
        "servis TV dan kulkas", "servis HP dan elektronik",
    ), 0.6, nice_class="37"),
    # -- pertanian ----------------------------------------------------------------------------
    _Product("pertanian", "03221", 1.4, ("Budidaya Lele", "Lele", "Kolam Lele"), (
        "budidaya lele", "pembesaran lele dan nila", "bibit lele dan lele konsumsi",
    ), 0.8, nice_class="31"),
    _Product("pertanian", "01131", 0.5, ("Hidroponik", "Kebun Hidroponik"), (
        "sayuran hidroponik (selada, pakcoy)", "sayur hidroponik dan microgreens",
    ), 0.6, nice_class="31"),
    _Product("pertanian", "", 0.9, ("Ternak", "Peternakan"), (
        "ternak kambing dan domba", "ternak ayam kampung", "ternak bebek petelur",
    ), 0.9, nice_class="31"),
    _Product("pertanian", "", 0.3, ("Tambak Bandeng",), (
        "budidaya bandeng di tambak", "tambak bandeng dan udang",
    ), 1.2, nice_class="31"),
    # -- lainnya ------------------------------------------------------------------------------
    _Product("lainnya", "85495", 1.0, ("Bimbel", "Les Privat"), (
        "bimbingan belajar", "les privat mengaji dan calistung",
    ), 0.5, brand_first=True, nice_class="41"),
    _Product("lainnya", "", 1.0, ("Agen", "Agen BRILink"), (
        "agen BRILink dan pembayaran tagihan", "agen laku pandai",
    ), 0.7, brand_first=True),
    _Product("lainnya", "", 0.6, ("Bank Sampah", "Daur Ulang"), (
        "pengepul barang bekas", "bank sampah dan daur ulang plastik",
    ), 0.7),
)
# fmt: on


def _product_cum_weights() -> tuple[float, ...]:
    sector_total: dict[str, float] = {}
    for p in _PRODUCTS:
        sector_total[p.sector] = sector_total.get(p.sector, 0.0) + p.weight
    cum: list[float] = []
    acc = 0.0
    for p in _PRODUCTS:
        acc += _SECTOR_SHARE[p.sector] * p.weight / sector_total[p.sector]
        cum.append(acc)
    return tuple(cum)


_PRODUCT_CUM = _product_cum_weights()

# Share of each sector that is binaan (coached by the Dinas), before other adjustments.
_BINAAN_RATE = {
    "fesyen": 0.15,
    "kriya": 0.18,
    "kuliner": 0.09,
    "jasa": 0.03,
    "perdagangan": 0.025,
    "pertanian": 0.07,
    "lainnya": 0.03,
}

_LEGAL_FORMS: tuple[LegalForm, ...] = ("PERORANGAN", "UD", "CV", "PT_PERORANGAN", "PT", "KOPERASI")
_OSS_LAUNCH = date(2018, 7, 9)  # OSS 1.0; NIBs exist from here on
_OSS_RBA = date(2021, 8, 4)  # OSS-RBA: SPP-IRT and halal self-declare need an NIB
_SELF_DECLARE = date(2021, 10, 1)
_HALAL_NO_EXPIRY = date(2023, 1, 1)  # certificates from here on no longer expire


# --------------------------------------------------------------------------------------------
# Internal helpers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kel:
    code: str
    name: str
    kec_code: str
    kec_name: str
    lat: float
    lon: float
    nik_prefix: str  # 6-digit kecamatan code used in NIKs of people living here


@dataclass
class _OwnerDraft:
    key: int
    sex: Sex
    birth_date: date
    age: int
    core: str  # the name used in "Bu Iyah" / "Kang Asep"
    haji: bool
    full_name: str
    nik: str | None
    phone: str | None
    address: str
    kel: _Kel
    businesses: int = 0


@dataclass
class _State:
    rng: random.Random
    today: date
    kels: tuple[_Kel, ...]
    kel_cum: tuple[float, ...]
    owners: list[_OwnerDraft] = field(default_factory=list)
    nik_serials: dict[str, set[int]] = field(default_factory=dict)
    phones: set[str] = field(default_factory=set)
    nibs: set[str] = field(default_factory=set)
    npwps: set[str] = field(default_factory=set)
    irtp_serials: set[int] = field(default_factory=set)
    halal_serials: set[int] = field(default_factory=set)
    member_serials: set[int] = field(default_factory=set)
    single_owner_keys: list[int] = field(default_factory=list)


_PHONE_CAPACITY = 2 * 10_000
_T = TypeVar("_T")


def _randint(rng: random.Random, low: int, high: int) -> int:
    """Like ``rng.randint`` but cheaper (one ``random()`` call); deterministic all the same."""
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, options: Sequence[_T]) -> _T:
    return options[int(rng.random() * len(options))]


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def _weighted(rng: random.Random, cum: Sequence[float]) -> int:
    return bisect.bisect_right(cum, rng.random() * cum[-1])


def _pick_weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, w in options:
        x -= w
        if x < 0:
            return value
    return options[-1][0]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=_randint(rng, 0, (end - start).days))


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))


def _build_kelurahan(
    kelurahan: Sequence[tuple[str, str, str]],
) -> tuple[tuple[_Kel, ...], tuple[float, ...]]:
    if not kelurahan:
        raise ValueError("kelurahan must not be empty")
    per_kec: dict[str, int] = {}
    for _, _, kec_code in kelurahan:
        per_kec[kec_code] = per_kec.get(kec_code, 0) + 1
    kels: list[_Kel] = []
    cum: list[float] = []
    acc = 0.0
    for code, name, kec_code in kelurahan:
        kec_name, weight, lat, lon = _KECAMATAN.get(kec_code, _DEFAULT_KECAMATAN)
        # A fixed, seed-independent centroid per kelurahan: geography does not change per run.
        local = random.Random(f"naikkelas-demo-kelurahan:{code}")
        k_lat = _clamp(lat + local.uniform(-0.014, 0.014), _LAT_MIN + 0.004, _LAT_MAX - 0.004)
        k_lon = _clamp(lon + local.uniform(-0.016, 0.016), _LON_MIN + 0.004, _LON_MAX - 0.004)
        digits = kec_code.replace(".", "")
        prefix = digits if len(digits) == 6 and digits.isdigit() else "367301"
        kels.append(_Kel(code, name, kec_code, kec_name, k_lat, k_lon, prefix))
        acc += weight / per_kec[kec_code]
        cum.append(acc)
    return tuple(kels), tuple(cum)


def _rt_rw(rng: random.Random) -> str:
    rt = 1 + min(int(rng.expovariate(0.25)), 14)
    rw = 1 + min(int(rng.expovariate(0.3)), 11)
    style = rng.random()
    if style < 0.5:
        return f"RT {rt:03d}/RW {rw:03d}"
    if style < 0.75:
        return f"RT {rt:02d} RW {rw:02d}"
    if style < 0.9:
        return f"RT.{rt:03d}/RW.{rw:03d}"
    return f"Rt. {rt} Rw. {rw}"


def _home_address(rng: random.Random, kel: _Kel) -> str:
    r = rng.random()
    if r < 0.35:
        return f"Kp. {kel.name} {_rt_rw(rng)}"
    if r < 0.70:
        return f"Kp. {_choice(rng, _KAMPUNG)} {_rt_rw(rng)}"
    if r < 0.85:
        block = f"{_choice(rng, 'ABCDEFGHJK')}{_randint(rng, 1, 12)}"
        return f"{_choice(rng, _PERUM)} Blok {block} No. {_randint(rng, 1, 40)}"
    return f"Lingk. {_choice(rng, _KAMPUNG)} {_rt_rw(rng)}"


def _street_address(rng: random.Random, kel: _Kel) -> str:
    street = _choice(rng, _STREETS.get(kel.kec_code, _GENERIC_STREETS))
    r = rng.random()
    if r < 0.55:
        return f"{street} No. {_randint(rng, 1, 150)}, {_rt_rw(rng)}"
    if r < 0.85:
        return f"{street} No. {_randint(rng, 1, 150)}"
    return f"{street} Km. {_randint(rng, 1, 9)}"


def _phone(state: _State) -> str:
    rng = state.rng
    while True:
        prefix = "812" if rng.random() < 0.6 else "857"
        number = f"+62{prefix}0000{_randint(rng, 0, 9999):04d}"
        if number not in state.phones or len(state.phones) >= _PHONE_CAPACITY * 0.9:
            state.phones.add(number)
            return number


def _make_nik(state: _State, kel: _Kel, birth: date, sex: Sex) -> tuple[str, date]:
    """A unique synthetic NIK and the (possibly nudged) birth date it encodes."""
    rng = state.rng
    if rng.random() < 0.10:
        region = "3604" + _choice(rng, _KAB_SERANG_KECAMATAN)
    else:
        region = kel.nik_prefix
    while True:
        day = birth.day + (40 if sex == "P" else 0)
        prefix = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        used = state.nik_serials.setdefault(prefix, set())
        if len(used) < 1000:
            break
        birth -= timedelta(days=1)  # all 1000 synthetic serials taken: move one day
    serial = _randint(rng, 9000, 9999)
    while serial in used:
        serial = _randint(rng, 9000, 9999)
    used.add(serial)
    return f"{prefix}{serial}", birth


def _make_name(rng: random.Random, sex: Sex, age: int) -> tuple[str, str, bool]:
    """(full name, core name for nicknames, is haji)."""
    if sex == "L":
        given = _choice(rng, _MALE_GIVEN)
        core = given.split()[-1]  # "Abdul Rohman" is called "Rohman"
        r = rng.random()
        if r < 0.22:
            words = [given]
        elif r < 0.85:
            words = [given, _choice(rng, _MALE_SECOND)]
        else:
            words = [given, _choice(rng, _MALE_SECOND), _choice(rng, _MALE_SECOND)]
        if len(words) > 1 and words[-1] in words[:-1]:
            words.pop()
        if rng.random() < 0.14 and not given.startswith("Abdul"):
            words.insert(0, _choice(rng, _MUHAMMAD))
        if rng.random() < 0.04:
            words.insert(0, "Tb.")
    else:
        given = _choice(rng, _FEMALE_GIVEN)
        core = given
        r = rng.random()
        if r < 0.30:
            words = [given]
        elif r < 0.90:
            words = [given, _choice(rng, _FEMALE_SECOND)]
        else:
            words = [given, _choice(rng, _FEMALE_SECOND), _choice(rng, _FEMALE_SECOND)]
        if len(words) > 1 and words[-1] in words[:-1]:
            words.pop()
        p = rng.random()
        if p < 0.15 and given != "Sri":
            words.insert(0, "Siti")
        elif p < 0.19 and not given.startswith("Nur"):
            words.insert(0, "Nur")
        if rng.random() < 0.04:
            words.insert(0, "Ratu")
    haji = age >= 38 and rng.random() < 0.13
    if haji:
        words.insert(0, "H." if sex == "L" else "Hj.")
    elif rng.random() < 0.025:
        words.insert(0, "Bapak" if sex == "L" else "Ibu")
    full = " ".join(words)
    if age >= 23 and rng.random() < 0.05:
        title = _choice(rng, _MALE_TITLES if sex == "L" else _FEMALE_TITLES)
        full = f"{full}, {title}" if rng.random() < 0.8 else f"{full} {title}"
    if rng.random() < 0.04:
        full = full.upper()  # typed from a KTP
    return full, core, haji


def _new_owner(
    state: _State,
    kel: _Kel,
    *,
    sex: Sex | None = None,
    age_near: int | None = None,
    address: str | None = None,
) -> _OwnerDraft:
    rng, today = state.rng, state.today
    if sex is None:
        sex = "P" if rng.random() < 0.56 else "L"
    if age_near is None:
        age_years = rng.triangular(20.3, 69.7, 43.0)
    else:
        age_years = _clamp(age_near + rng.uniform(-6.0, 6.0), 20.3, 69.7)
    birth = today - timedelta(days=int(age_years * 365.25))
    nik: str | None = None
    if rng.random() < 0.85:
        nik, birth = _make_nik(state, kel, birth, sex)
    age = _age_on(birth, today)
    full_name, core, haji = _make_name(rng, sex, age)
    phone = _phone(state) if rng.random() < 0.80 else None
    owner = _OwnerDraft(
        key=len(state.owners),
        sex=sex,
        birth_date=birth,
        age=age,
        core=core,
        haji=haji,
        full_name=full_name,
        nik=nik,
        phone=phone,
        address=address if address is not None else _home_address(rng, kel),
        kel=kel,
    )
    state.owners.append(owner)
    return owner


def _nickname(rng: random.Random, owner: _OwnerDraft) -> str:
    core = owner.core
    r = rng.random()
    if owner.haji and r < 0.5:
        return ("H. " if owner.sex == "L" else "Hj. ") + core
    if r > 0.85:
        return core
    if owner.sex == "P":
        if owner.age < 35:
            titles: tuple[str, ...] = ("Teh", "Teh", "Bu", "Neng", "Ceu")
        elif owner.age < 50:
            titles = ("Bu", "Bu", "Bu", "Ibu", "Teh", "Ceu", "Umi")
        else:
            titles = ("Bu", "Bu", "Mak", "Ibu", "Umi", "Ceu")
    elif owner.age < 35:
        titles = ("Kang", "Kang", "Aa", "Bang", "Mas")
    elif owner.age < 50:
        titles = ("Pak", "Pak", "Kang", "Mang", "Bang")
    else:
        titles = ("Pak", "Pak", "Abah", "Mang", "Ki")
    return f"{_choice(rng, titles)} {core}"


def _business_name(
    rng: random.Random, product: _Product, owner: _OwnerDraft, kel: _Kel, legal_form: LegalForm
) -> str:
    label = _choice(rng, product.labels)
    if legal_form == "UD":
        r = rng.random()
        if r < 0.5:
            return f"UD {_choice(rng, _BRAND_WORDS + _BRAND_PAIRS)}"
        return f"UD {label} {_choice(rng, _BRAND_WORDS)}"
    if legal_form in ("CV", "PT"):
        pair = _choice(rng, _BRAND_PAIRS)
        suffix = _choice(rng, _CORP_SUFFIX)
        if suffix in pair or (legal_form == "CV" and rng.random() < 0.5):
            return f"{legal_form} {pair}"
        return f"{legal_form} {pair} {suffix}"
    if legal_form == "PT_PERORANGAN":
        return f"PT {label} {_choice(rng, _BRAND_PAIRS)}"
    if legal_form == "KOPERASI":
        r = rng.random()
        if r < 0.4:
            return f"Koperasi Produsen {label} {kel.name}"
        if r < 0.7:
            return f"KSU {_choice(rng, _BRAND_PAIRS)}"
        return f"Koperasi {_choice(rng, _BRAND_WORDS)} {kel.kec_name}"
    r = rng.random()
    if r < 0.45:
        return f"{label} {_nickname(rng, owner)}"
    if r < 0.72:
        return f"{label} {_choice(rng, _BRAND_WORDS + _BRAND_PAIRS)}"
    if r < 0.84:
        area = kel.name if rng.random() < 0.6 else kel.kec_name
        if product.sector in ("kuliner", "kriya") and product.packaged and rng.random() < 0.3:
            area = "Khas Banten" if rng.random() < 0.6 else "Khas Serang"
        return f"{label} {area}"
    if product.brand_first:  # the first label is the one that reads well after a brand
        return f"{_choice(rng, _BRAND_LEADS)} {product.labels[0]}"
    if product.sector == "kuliner":
        if product.eatery:
            heads: tuple[str, ...] = ("Kedai", "Rumah Makan", "Saung", "Dapur")
        elif product.packaged:
            heads = ("Dapur", "Rumah Produksi", "Pawon", "Oleh-Oleh")
        else:
            heads = ("Dapur", "Pawon")
        return f"{_choice(rng, heads)} {_nickname(rng, owner)}"
    return f"{label} {_nickname(rng, owner)}"


def _round_reported(rng: random.Random, value: float) -> int:
    """Round a rupiah amount the way people report it: 60.000.000, 150.000.000, 1,5 M."""
    if rng.random() < 0.15:  # from a ledger: exact to the thousand
        return max(1000, round(value / 1000) * 1000)
    if value < 10e6:
        step = 500_000
    elif value < 100e6:
        step = 5_000_000 if rng.random() < 0.6 else 1_000_000
    elif value < 1e9:
        step = 50_000_000 if rng.random() < 0.5 else 10_000_000
    elif value < 10e9:
        step = 100_000_000 if rng.random() < 0.6 else 250_000_000
    else:
        step = 500_000_000
    return max(step, round(value / step) * step)


def _draw_omzet(rng: random.Random, product: _Product) -> float:
    u = rng.random()
    if u < 0.0005:  # menengah: a handful in 11,000
        return math.exp(rng.uniform(math.log(15.5e9), math.log(45e9)))
    if u < 0.0105:  # kecil
        return math.exp(rng.uniform(math.log(2.3e9), math.log(14e9)))
    value = 80e6 * product.scale * math.exp(rng.gauss(0.0, 1.02))
    return _clamp(value, 3e6, 1.95e9)


_WORKERS_TINY, _WORKERS_TINY_CUM = (1, 2, 3), (60.0, 90.0, 100.0)
_WORKERS_SMALL, _WORKERS_SMALL_CUM = (1, 2, 3, 4, 5), (40.0, 72.0, 87.0, 95.0, 100.0)
_WORKERS_MID = (1, 2, 3, 4, 5, 6, 7, 8)
_WORKERS_MID_CUM = (8.0, 30.0, 55.0, 72.0, 83.0, 91.0, 96.0, 100.0)


def _workers_for(rng: random.Random, omzet: float) -> int:
    if omzet < 50e6:
        return _WORKERS_TINY[_weighted(rng, _WORKERS_TINY_CUM)]
    if omzet < 150e6:
        return _WORKERS_SMALL[_weighted(rng, _WORKERS_SMALL_CUM)]
    if omzet < 500e6:
        return _WORKERS_MID[_weighted(rng, _WORKERS_MID_CUM)]
    if omzet < 2e9:
        return _randint(rng, 3, 15)
    if omzet < 15e9:
        return _randint(rng, 8, 40)
    return _randint(rng, 25, 120)


def _cum(weights: Sequence[float]) -> tuple[float, ...]:
    out: list[float] = []
    acc = 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return tuple(out)


# Weights in _LEGAL_FORMS order: PERORANGAN, UD, CV, PT_PERORANGAN, PT, KOPERASI.
_LEGAL_CUM_MENENGAH = _cum((0, 0, 30, 0, 60, 10))
_LEGAL_CUM_KECIL = _cum((10, 15, 40, 10, 25, 0))
_LEGAL_CUM_UPPER_MIKRO = _cum((58, 18, 14, 7, 2, 1))
_LEGAL_CUM_MIKRO = _cum((93, 3.8, 1.0, 1.4, 0.2, 0.6))


def _legal_form(rng: random.Random, omzet: float) -> LegalForm:
    if omzet > 15e9:
        cum = _LEGAL_CUM_MENENGAH
    elif omzet > 2e9:
        cum = _LEGAL_CUM_KECIL
    elif omzet > 500e6:
        cum = _LEGAL_CUM_UPPER_MIKRO
    else:
        cum = _LEGAL_CUM_MIKRO
    return _LEGAL_FORMS[_weighted(rng, cum)]


def _established_year(rng: random.Random, owner: _OwnerDraft, today: date) -> int:
    last = today.year - 1
    r = rng.random()
    if r < 0.08:
        year = _randint(rng, 1995, 2004)
    elif r < 0.28:
        year = _randint(rng, 2005, 2014)
    elif r < 0.55:
        year = _randint(rng, 2015, 2019)
    elif r < 0.78:
        year = _randint(rng, 2020, 2021)
    else:
        year = _randint(rng, 2022, last)
    year = max(year, owner.birth_date.year + 18)
    return max(1995, min(year, last))


def _figures(
    rng: random.Random, omzet: float, established: int, today: date
) -> tuple[DemoFigure, ...]:
    last = today.year - 1 if rng.random() < 0.7 else today.year - 2
    last = max(last, established)
    r = rng.random()
    n_years = 1 if r < 0.55 else 2 if r < 0.85 else 3
    first = max(established, last - n_years + 1)
    modal_ratio = math.exp(rng.gauss(math.log(0.42), 0.6))
    workers = _workers_for(rng, omzet)
    workers_known = rng.random() >= 0.05
    rows: list[DemoFigure] = []
    value = omzet
    for year in range(last, first - 1, -1):
        m = rng.random()
        omzet_out: int | None = _round_reported(rng, value)
        modal_out: int | None = _round_reported(rng, value * modal_ratio)
        if m < 0.08:
            omzet_out = None
        elif m < 0.16:
            modal_out = None
        w = max(1, workers + (_choice(rng, (-1, 0, 0, 0, 1)) if workers > 2 else 0))
        rows.append(DemoFigure(year, omzet_out, modal_out, w if workers_known else None))
        value = value / math.exp(rng.gauss(0.06, 0.15))  # the year before: a bit smaller
    rows.reverse()
    return tuple(rows)


def _slug(rng: random.Random, name: str) -> str:
    words = ["".join(ch for ch in w.lower() if ch.isalnum()) for w in name.split()]
    words = [w for w in words if w]
    sep = _choice(rng, ("", "", ".", "_"))
    return sep.join(words)[:30] or "umkm"


def _npwp_legacy(state: _State, entity: str) -> str:
    rng = state.rng
    while True:
        head = f"0{entity}9{_randint(rng, 0, 99999):05d}"
        number = head + luhn.calc_check_digit(head) + _choice(rng, ("401", "417")) + "000"
        if number not in state.npwps:
            state.npwps.add(number)
            return number


def _nib(state: _State) -> str:
    rng = state.rng
    while True:
        number = f"9{_randint(rng, 0, 10**12 - 1):012d}"
        if number not in state.nibs:
            state.nibs.add(number)
            return number


def _unique_serial(rng: random.Random, used: set[int], low: int, high: int) -> int:
    while True:
        value = _randint(rng, low, high)
        if value not in used or len(used) > (high - low) * 0.9:
            used.add(value)
            return value


# --------------------------------------------------------------------------------------------
# Permits and channels
# --------------------------------------------------------------------------------------------


def _permits(
    state: _State,
    product: _Product,
    *,
    omzet: float,
    binaan: bool,
    established: date,
) -> list[DemoPermit]:
    rng, today = state.rng, state.today
    yesterday = today - timedelta(days=1)
    permits: list[DemoPermit] = []
    food = product.sector == "kuliner"
    big = omzet > 300e6

    if product.pirt is not None:
        p = 0.52 + (0.35 if binaan else 0.0) + (0.1 if big else 0.0)
        if rng.random() < p:
            issued = _rand_date(rng, max(established, date(2016, 1, 1)), yesterday)
            expires = _add_years(issued, 5)
            kemasan = _choice(rng, "2222213456")
            serial = _unique_serial(rng, state.irtp_serials, 1, 9999)
            number = (
                f"{kemasan}{product.pirt}3673{_randint(rng, 1, 6):02d}{serial:04d}"
                f"-{expires.year % 100:02d}"
            )
            permits.append(DemoPermit("SPP_IRT", number, issued, expires))

    if food and product.packaged and rng.random() < (0.22 if big else 0.012):
        issued = _rand_date(rng, max(established, date(2015, 1, 1)), yesterday)
        number = f"MD {_choice(rng, '23')}{_randint(rng, 0, 10**11 - 1):011d}"
        permits.append(DemoPermit("BPOM_MD", number, issued, _add_years(issued, 5)))

    if food:
        p = (0.17 if product.packaged else 0.065) + (0.35 if binaan else 0.0)
        if rng.random() < p:
            start = max(established, date(2019, 10, 17))
            reguler = rng.random() < 0.07 or (big and rng.random() < 0.2)
            if not reguler:
                start = max(start, _SELF_DECLARE)
            issued = _rand_date(rng, start, yesterday)
            serial = _unique_serial(rng, state.halal_serials, 1, 99999)
            number = f"ID36110000{serial:05d}{issued.month:02d}{issued.year % 100:02d}"
            valid_until: date | None = None  # certificates from 2023 on do not expire
            if reguler and issued < _HALAL_NO_EXPIRY:
                valid_until = _add_years(issued, 4)
            detail = "reguler" if reguler else "self-declare"
            permits.append(DemoPermit("HALAL", number, issued, valid_until, detail))

    if (product.packaged or product.sector == "fesyen") and rng.random() < (0.06 if big else 0.003):
        issued = _rand_date(rng, max(established, date(2015, 1, 1)), yesterday)
        number = f"{_randint(rng, 1, 999):03d}/SPPT-SNI/LSPro/{issued.year}"
        permits.append(DemoPermit("SNI", number, issued, _add_years(issued, 4), "SPPT SNI"))

    p = 0.005 + (0.06 if binaan else 0.0) + (0.05 if big else 0.0)
    if product.sector in ("kuliner", "fesyen", "kriya", "jasa") and rng.random() < p:
        filed = _rand_date(rng, max(established, date(2012, 1, 1)), yesterday - timedelta(days=400))
        issued = min(filed + timedelta(days=_randint(rng, 300, 700)), yesterday)
        number = f"IDM000{_randint(rng, 0, 999_999):06d}"
        permits.append(
            DemoPermit(
                "MEREK", number, issued, _add_years(filed, 10), f"kelas {product.nice_class}"
            )
        )
    return permits


def _channels(
    state: _State,
    product: _Product,
    *,
    name: str,
    phone: str | None,
    binaan: bool,
    permits: Sequence[DemoPermit],
    owner_age: int,
    kel: _Kel,
) -> list[DemoChannel]:
    rng = state.rng
    kinds = {p.kind for p in permits}
    out: list[DemoChannel] = []
    sector = product.sector
    slug_cache: list[str] = []

    def slug() -> str:
        if not slug_cache:
            slug_cache.append(_slug(rng, name))
        return slug_cache[0]

    # Modern retail: mostly binaan kuliner that already hold P-IRT (or MD) and halal.
    if sector == "kuliner" and product.packaged:
        licensed = "HALAL" in kinds and ("SPP_IRT" in kinds or "BPOM_MD" in kinds)
        p = (0.45 if binaan else 0.10) if licensed else 0.004
        if rng.random() < p:
            out.append(DemoChannel("RITEL_MODERN", _choice(rng, ("Indomaret", "Alfamart"))))
            if rng.random() < 0.3:
                out.append(DemoChannel("RITEL_MODERN", _choice(rng, ("Alfamidi", "Superindo"))))

    # Marketplaces and delivery apps.
    if sector == "fesyen":
        p_mp = 0.45
    elif sector == "kriya":
        p_mp = 0.30
    elif product.packaged:
        p_mp = 0.22
    elif product.eatery:
        p_mp = 0.25
    else:
        p_mp = 0.04
    if binaan:
        p_mp += 0.15
    if owner_age < 35:
        p_mp += 0.1
    if rng.random() < p_mp:
        if product.eatery:
            options = ("GoFood", "GrabFood", "ShopeeFood")
            for chosen in rng.sample(options, _choice(rng, (1, 1, 2))):
                out.append(DemoChannel("MARKETPLACE", chosen))
        else:
            stores = ("Shopee", "Tokopedia", "TikTok Shop", "Lazada")
            r = rng.random()
            for chosen in rng.sample(stores, 1 if r < 0.6 else 2 if r < 0.9 else 3):
                url = ""
                if chosen == "Shopee" and rng.random() < 0.7:
                    url = f"https://shopee.co.id/{slug()}"
                elif chosen == "Tokopedia" and rng.random() < 0.7:
                    url = f"https://www.tokopedia.com/{slug().replace('.', '').replace('_', '')}"
                out.append(DemoChannel("MARKETPLACE", chosen, url))
            if rng.random() < (0.08 if sector == "fesyen" else 0.02):
                out.append(
                    DemoChannel("AFILIASI", _choice(rng, ("Shopee Affiliate", "TikTok Affiliate")))
                )

    # Social media.
    p_sm = {"fesyen": 0.6, "kriya": 0.45, "kuliner": 0.35, "jasa": 0.3}.get(sector, 0.15)
    if owner_age < 35:
        p_sm += 0.15
    if rng.random() < p_sm:
        n = 1 if rng.random() < 0.7 else 2
        for chosen in rng.sample(("Instagram", "Facebook", "WhatsApp", "TikTok"), n):
            url = ""
            if chosen == "Instagram" and rng.random() < 0.7:
                url = f"https://www.instagram.com/{slug()}"
            elif chosen == "Facebook" and rng.random() < 0.4:
                url = f"https://www.facebook.com/{slug().replace('_', '.')}"
            elif chosen == "WhatsApp" and phone is not None:
                url = f"https://wa.me/{phone[1:]}"
            elif chosen == "TikTok" and rng.random() < 0.6:
                url = f"https://www.tiktok.com/@{slug()}"
            out.append(DemoChannel("MEDIA_SOSIAL", chosen, url))

    # Traditional markets.
    p_pt = {"perdagangan": 0.2, "pertanian": 0.4, "fesyen": 0.08}.get(sector, 0.0)
    if sector == "kuliner":
        p_pt = 0.25 if product.packaged else 0.04
    if rng.random() < p_pt:
        market = _pick_weighted(rng, _MARKETS)
        if kel.kec_code == "36.73.02" and rng.random() < 0.5:
            market = "Pasar Karangantu"
        elif kel.kec_code == "36.73.03" and rng.random() < 0.4:
            market = "Pasar Kalodran"
        out.append(DemoChannel("PASAR_TRADISIONAL", market))

    # Own shop, stall or consignment.
    if rng.random() < 0.4:
        if sector == "kuliner":
            options2: tuple[str, ...] = ("Warung sendiri", "Titip di warung sekitar", "Pesanan")
        elif sector in ("fesyen", "kriya"):
            options2 = ("Toko sendiri", "Pameran UMKM", "Pesanan", "Galeri Dekranasda Kota Serang")
        elif sector == "perdagangan":
            options2 = ("Toko sendiri", "Kios", "Lapak")
        else:
            options2 = ("Tempat usaha sendiri", "Pesanan", "Panggilan ke rumah")
        out.append(DemoChannel("OFFLINE", _choice(rng, options2)))
    return out


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


def generate_register(
    *,
    businesses: int,
    kelurahan: Sequence[tuple[str, str, str]],
    seed: int = 3673,
    today: date = date(2026, 1, 1),
) -> DemoRegister:
    """Generate ``businesses`` synthetic UMKM in the given kelurahan of Kota Serang.

    ``kelurahan`` holds ``(kelurahan_code, kelurahan_name, kecamatan_code)`` tuples with
    Kemendagri dotted codes, e.g. ``("36.73.06.1005", "Kalanganyar", "36.73.06")``.
    Kecamatan are weighted by rough population; unknown kecamatan codes get an average weight.
    Deterministic for equal arguments.
    """
    if businesses < 0:
        raise ValueError("businesses must not be negative")
    kels, kel_cum = _build_kelurahan(kelurahan)
    rng = random.Random(seed)
    state = _State(rng=rng, today=today, kels=kels, kel_cum=kel_cum)
    yesterday = today - timedelta(days=1)
    out: list[DemoBusiness] = []

    for _ in range(businesses):
        # ---- owner(s) and place --------------------------------------------------------------
        if state.single_owner_keys and rng.random() < 0.04:
            idx = rng.randrange(len(state.single_owner_keys))
            key = state.single_owner_keys[idx]
            state.single_owner_keys[idx] = state.single_owner_keys[-1]
            state.single_owner_keys.pop()
            owner = state.owners[key]
        else:
            home = kels[_weighted(rng, kel_cum)]
            owner = _new_owner(state, home)
            state.single_owner_keys.append(owner.key)
        owner.businesses += 1
        at_home_kel = rng.random() < (0.85 if owner.businesses == 1 else 0.6)
        kel = owner.kel if at_home_kel else kels[_weighted(rng, kel_cum)]

        product = _PRODUCTS[_weighted(rng, _PRODUCT_CUM)]
        omzet = _draw_omzet(rng, product)
        legal_form = _legal_form(rng, omzet)
        established_year = _established_year(rng, owner, today)
        established_on = _rand_date(
            rng, date(established_year, 1, 1), min(date(established_year, 12, 31), yesterday)
        )
        binaan = rng.random() < _BINAAN_RATE[product.sector] * (1.6 if omzet > 300e6 else 1.0)
        name = _business_name(rng, product, owner, kel, legal_form)

        owner_keys = [owner.key]
        if rng.random() < 0.05:
            if rng.random() < 0.7:  # spouse: same home, opposite sex, similar age
                partner = _new_owner(
                    state,
                    owner.kel,
                    sex="P" if owner.sex == "L" else "L",
                    age_near=owner.age,
                    address=owner.address,
                )
            else:
                partner = _new_owner(state, kels[_weighted(rng, kel_cum)])
            partner.businesses += 1
            owner_keys.append(partner.key)

        # ---- address, coordinates, phone -----------------------------------------------------
        if kel is owner.kel and rng.random() < 0.5:
            address = owner.address
        else:
            address = _street_address(rng, kel) if rng.random() < 0.6 else _home_address(rng, kel)
        latitude: float | None = None
        longitude: float | None = None
        if rng.random() < 0.5:
            latitude = round(_clamp(kel.lat + rng.gauss(0.0, 0.004), _LAT_MIN, _LAT_MAX), 6)
            longitude = round(_clamp(kel.lon + rng.gauss(0.0, 0.004), _LON_MIN, _LON_MAX), 6)
        r = rng.random()
        if owner.phone is not None:
            phone = owner.phone if r < 0.55 else _phone(state) if r < 0.75 else None
        else:
            phone = _phone(state) if r < 0.4 else None

        # ---- figures, permits, registrations -------------------------------------------------
        figures = _figures(rng, omzet, established_year, today)
        permits = _permits(state, product, omzet=omzet, binaan=binaan, established=established_on)

        corporate = legal_form in ("CV", "PT", "PT_PERORANGAN", "KOPERASI")
        needs_nib = corporate or any(p.issued_on >= _OSS_RBA for p in permits)
        p_nib = 0.2 + (0.35 if legal_form == "UD" else 0.0) + (0.5 if binaan else 0.0)
        p_nib += 0.25 if omzet > 500e6 else 0.0
        nib: str | None = None
        nib_issued_on: date | None = None
        if needs_nib or rng.random() < p_nib:
            nib = _nib(state)
            start = max(_OSS_LAUNCH, established_on)
            if rng.random() < 0.75:  # most NIBs came with OSS-RBA (August 2021)
                start = max(start, _OSS_RBA)
            nib_issued_on = _rand_date(rng, start, yesterday)
            oss_permits = [p.issued_on for p in permits if p.issued_on >= _OSS_RBA]
            if oss_permits and nib_issued_on > min(oss_permits):
                latest = min(oss_permits)
                nib_issued_on = _rand_date(rng, max(start, latest - timedelta(days=120)), latest)

        npwp: str | None = None
        if corporate:
            if rng.random() < 0.85:
                npwp = _npwp_legacy(state, _choice(rng, ("01", "02", "03")))
        elif rng.random() < 0.11 + (0.3 if omzet > 500e6 else 0.0):
            npwp = (
                owner.nik
                if owner.nik is not None
                else _npwp_legacy(state, _choice(rng, ("04", "06")))
            )

        binaan_since: date | None = None
        if binaan:
            binaan_since = _rand_date(rng, max(established_on, date(2016, 1, 1)), yesterday)

        member_number: str | None = None
        member_since: date | None = None
        p_member = 0.022 + (0.08 if omzet > 500e6 else 0.0) + (0.04 if binaan else 0.0)
        if rng.random() < p_member:
            serial = _unique_serial(rng, state.member_serials, 1, max(11_000, businesses))
            member_number = f"HPK-3673-{serial:05d}"
            member_since = _rand_date(rng, max(established_on, date(2010, 1, 1)), yesterday)

        channels = _channels(
            state,
            product,
            name=name,
            phone=phone,
            binaan=binaan,
            permits=permits,
            owner_age=owner.age,
            kel=kel,
        )

        kbli = product.kbli if rng.random() >= 0.06 else ""
        out.append(
            DemoBusiness(
                name=name,
                legal_form=legal_form,
                sector=product.sector,
                kbli_code=kbli,
                products=_choice(rng, product.summaries),
                kelurahan_code=kel.code,
                address=address,
                latitude=latitude,
                longitude=longitude,
                phone=phone,
                established_year=established_year,
                nib=nib,
                nib_issued_on=nib_issued_on,
                npwp=npwp,
                owner_keys=tuple(owner_keys),
                figures=figures,
                permits=tuple(permits),
                channels=tuple(channels),
                is_binaan=binaan,
                binaan_since=binaan_since,
                member_number=member_number,
                member_since=member_since,
            )
        )

    owners = tuple(
        DemoOwner(
            key=o.key,
            full_name=o.full_name,
            sex=o.sex,
            birth_date=o.birth_date,
            nik=o.nik,
            phone=o.phone,
            address=o.address,
        )
        for o in state.owners
    )
    return DemoRegister(owners=owners, businesses=tuple(out))
