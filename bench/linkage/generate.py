"""Synthetic record-linkage benchmark: Kota Serang UMKM records with ground truth.

    python -m bench.linkage.generate --records 100000 --seed 3673 --out /tmp/linkage.csv

Every row is one *record* of a business as one source listed it (kelurahan list, training
attendance sheet, enumerator ODK form, self-registration, Hipmikindo member list). The world
behind the rows:

* **Owners** (persons) with sex, birth date, home kelurahan and a NIK consistent with them
  (``domain-facts.md`` §2.1: ``PP KK CC DDMMYY NNNN``, women day + 40). About 85% of NIKs
  carry a Kota Serang kecamatan code, the rest another Banten or Jakarta kecamatan (owners
  registered elsewhere). Names come from Zipf-weighted lists, so "Siti Aminah" or "Ahmad
  Fauzi" name many different people.
* Each owner runs 1 (~88%), 2 (~10%) or 3 (~2%) **businesses** in different sectors with
  different names, often with the same phone and address (hard negative: same owner, other
  business).
* About 6% of owners form a **household** with a spouse (opposite sex, own name and NIK) who
  runs a separate business at the same address, often with the same phone (hard negative:
  different owners).
* Each business appears in 1 (~50%), 2 (~25%), 3 (~15%) or 4-6 (~10%) records from
  different sources, each copy with independent errors of the kinds seen in real lists
  (``domain-facts.md`` §8: honorifics, degrees, old spelling, Muhammad forms; Excel damage to
  NIK and phone; address and kelurahan variants). About 2% of businesses moved (one copy
  has another address) and 3% changed phone number.

Synthetic identifiers follow ADR 0005: NIK serials are always 9000-9999; phone numbers have
a subscriber part starting ``0000`` (``+62 812 0000 xxxx``). Because two blocks of 10,000
numbers cannot give a million records distinct phones, the generator also uses 5-digit
tails and other mobile prefixes (``+62 8xx 0000 xxxx[x]``); all such numbers still show the
``0000`` marker.

Ground truth: ``true_business_id`` and ``true_owner_id``. Records are shuffled (uniformly,
through temporary bucket files for large runs) and no two adjacent rows belong to the same
household. Output is deterministic for a given ``(n_records, seed)``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import itertools
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Generic, TypeVar

from . import names as nm

__all__ = [
    "COLUMNS",
    "SOURCES",
    "Business",
    "Household",
    "Kelurahan",
    "Location",
    "Owner",
    "Summary",
    "generate",
    "iter_households",
    "main",
    "true_pairs",
    "write_csv",
]

COLUMNS = (
    "record_id",
    "source",
    "owner_name",
    "nik",
    "business_name",
    "phone",
    "address",
    "kelurahan",
    "sector",
    "nib",
    "true_business_id",
    "true_owner_id",
)

# Share of businesses with an NIB (OSS), and how often a list shows it when there is one.
NIB_SHARE = 0.25
NIB_SHOWN = 0.6

REPO_ROOT = Path(__file__).resolve().parents[2]
WILAYAH_FILE = REPO_ROOT / "src" / "naikkelas" / "regions" / "data" / "wilayah_indonesia.csv.gz"
KOTA_SERANG = "36.73"
REFERENCE_DATE = date(2025, 7, 1)  # ages are computed on this day (fixed: deterministic output)

# Records held in memory per shuffle bucket; larger runs spill to temporary files.
BUCKET_SIZE = 60_000
_SEP = "\x1f"

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


class _Pick(Generic[T]):
    """Weighted choice with precomputed cumulative weights (faster than ``rng.choices``)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("items and weights must be non-empty and of equal length")
        self.items = tuple(items)
        self.cum = tuple(itertools.accumulate(weights))
        self.total = self.cum[-1]

    @classmethod
    def pairs(cls, pairs: Sequence[tuple[T, float]]) -> _Pick[T]:
        return cls([p[0] for p in pairs], [p[1] for p in pairs])

    @classmethod
    def zipf(cls, items: Sequence[T], s: float = 1.0) -> _Pick[T]:
        return cls(items, [1.0 / (rank**s) for rank in range(1, len(items) + 1)])

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


_KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "a": "qsz", "s": "awdz", "d": "sefx", "f": "drgc",
    "g": "fthv", "h": "gyjb", "j": "hukn", "k": "jilm", "l": "kop", "z": "asx", "x": "zsdc",
    "c": "xdfv", "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
}  # fmt: skip


def _typo(text: str, rng: random.Random) -> str:
    """One typing error at a letter (not the first): keyboard neighbour, deletion, doubled
    letter or two letters swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = letters[1 + int(rng.random() * (len(letters) - 1))]
    ch = text[i]
    r = rng.random()
    if r < 0.40:
        near = _KEYBOARD.get(ch.lower())
        if not near:
            return text
        new = _choice(rng, near)
        return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if r < 0.65:
        return text[:i] + text[i + 1 :]
    if r < 0.85:
        return text[:i] + ch + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def _typos(text: str, rng: random.Random, rate: float) -> str:
    """``rate`` is the chance of at least one typo; a fifth of those get a second one."""
    if rng.random() < rate:
        text = _typo(text, rng)
        if rng.random() < 0.2:
            text = _typo(text, rng)
    return text


_OLD_FULL, _OLD_U, _OLD_Y = 0, 1, 2
_OLD_DIGRAPHS = {"kh": "ch", "ny": "nj", "sy": "sj"}


def _old_spelling(text: str, mode: int) -> str:
    """Rewrite to Van Ophuijsen spelling (domain-facts §8.1), in one left-to-right pass.

    ``_OLD_FULL``: u->oe, j->dj, y->j, c->tj, kh->ch, ny->nj, sy->sj ("Yusuf" -> "Joesoef",
    "Cucu" -> "Tjoetjoe"); ``_OLD_U``: only u->oe ("Suharti" -> "Soeharti");
    ``_OLD_Y``: only y->j, the mixed form the normaliser cannot tell ("Wahyudi" -> "Wahjudi").
    """
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        low = ch.lower()
        rep: str | None = None
        if mode == _OLD_FULL and i + 1 < n:
            rep = _OLD_DIGRAPHS.get(text[i : i + 2].lower())
            if rep is not None:
                out.append(rep.upper() if text[i : i + 2].isupper() else _match_case(rep, ch))
                i += 2
                continue
        if low == "u" and mode in (_OLD_FULL, _OLD_U):
            rep = "oe"
        elif low == "y" and mode in (_OLD_FULL, _OLD_Y):
            rep = "j"
        elif low == "j" and mode == _OLD_FULL:
            rep = "dj"
        elif low == "c" and mode == _OLD_FULL:
            rep = "tj"
        out.append(ch if rep is None else _match_case(rep, ch))
        i += 1
    return "".join(out)


def _match_case(rep: str, original: str) -> str:
    return rep[0].upper() + rep[1:] if original.isupper() else rep


def _maybe_old(text: str, rng: random.Random) -> str:
    r = rng.random()
    return _old_spelling(text, _OLD_FULL if r < 0.6 else _OLD_U if r < 0.9 else _OLD_Y)


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kelurahan:
    code: str  # "36.73.06.1013"
    name: str  # "Cibendung"
    kecamatan_code: str  # "36.73.06"
    kecamatan_name: str  # "Taktakan"

    @property
    def code10(self) -> str:
        return self.code.replace(".", "")


# Rough population weights of the Kota Serang kecamatan (for where owners live).
_KECAMATAN_WEIGHT = {
    "36.73.01": 225.0,
    "36.73.02": 100.0,
    "36.73.03": 95.0,
    "36.73.04": 55.0,
    "36.73.05": 115.0,
    "36.73.06": 95.0,
}
# Where NIKs of owners living in Kota Serang but registered elsewhere were issued.
_MIGRANT_REGIONS = {
    "36.04": 45.0,  # Kabupaten Serang (Kota Serang was part of it until 2007)
    "36.01": 12.0,  # Pandeglang
    "36.02": 10.0,  # Lebak
    "36.72": 8.0,  # Kota Cilegon
    "36.03": 7.0,  # Kabupaten Tangerang
    "36.71": 4.0,  # Kota Tangerang
    "36.74": 3.0,  # Kota Tangerang Selatan
    "31.71": 2.0,
    "31.72": 2.0,
    "31.73": 3.0,
    "31.74": 2.0,
    "31.75": 2.0,
}


@lru_cache(maxsize=1)
def _wilayah() -> tuple[tuple[Kelurahan, ...], dict[str, tuple[str, ...]]]:
    """Kota Serang kelurahan and the kecamatan codes of the migrant regions (6 digits)."""
    prefixes = tuple(code + "." for code in (KOTA_SERANG, *_MIGRANT_REGIONS))
    names: dict[str, str] = {}
    with gzip.open(WILAYAH_FILE, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for code, name in reader:
            if code.startswith(prefixes):
                names[code] = name
    kelurahan = tuple(
        Kelurahan(code, name, code[:8], names[code[:8]])
        for code, name in sorted(names.items())
        if code.startswith(KOTA_SERANG + ".") and len(code) == 13
    )
    districts = {
        region: tuple(
            code.replace(".", "")
            for code in sorted(names)
            if code.startswith(region + ".") and len(code) == 8
        )
        for region in _MIGRANT_REGIONS
    }
    if len(kelurahan) < 60 or not all(districts.values()):
        raise RuntimeError(f"unexpected region data in {WILAYAH_FILE}")
    return kelurahan, districts


# --------------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Location:
    kelurahan: Kelurahan
    street: str = ""  # without label: "Raya Taktakan"
    kampung: str = ""  # without label: "Cibogo"
    perum: str = ""  # without label: "Bumi Serang Baru"
    blok: str = ""  # "C2"
    number: str = ""  # "12"
    rt: int = 0
    rw: int = 0


@dataclass(slots=True)
class Business:
    business_id: str
    sector: str  # sector code ("kuliner")
    name_parts: tuple[
        tuple[str, str], ...
    ]  # (kind, text); kinds: form prod call person brand tail place
    location: Location
    phone: str  # national significant number ("81200004821"); "" = none
    sources: tuple[str, ...]  # one per record (copy)
    alt_location: Location | None = None  # moved: used by copy ``move_copy``
    move_copy: int = -1
    new_phone: str = ""  # changed number: used by the copies in ``new_phone_copies``
    new_phone_copies: frozenset[int] = frozenset()
    nib: str = ""  # 13 digits (synthetic: starts with 9), "" = none

    @property
    def name(self) -> str:
        """The canonical (clean) business name."""
        return " ".join(text for _, text in self.name_parts if text)


@dataclass(slots=True)
class Owner:
    owner_id: str
    household_id: int
    sex: str  # "L" / "P"
    birth_date: date
    nik: str  # 16 digits, consistent with sex and birth date, serial 9000-9999
    name: tuple[str, ...]  # canonical name units ("Siti", "Aminah"); a unit may hold a space
    call_name: str  # how the business name calls the owner ("Aminah")
    call_honorific: str  # "Bu", "Mang", "" ...
    haji: bool
    ustadz: bool
    degree: str  # "" or "S.Pd" ...
    old_spelling: float  # chance per record that the name is written in old spelling
    father: str  # for "bin"/"binti" forms
    phone: str
    alt_phone: str  # an older/second number, "" = none
    home: Location
    businesses: list[Business] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(self.name)


@dataclass(slots=True)
class Household:
    household_id: int
    owners: list[Owner]  # one owner, or a married couple running separate businesses


# --------------------------------------------------------------------------------------------
# Sources: how each kind of list writes its records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    code: str
    weight: float
    nik_missing: float
    phone_missing: float
    kelurahan_blank: float
    sector_blank: float
    caps: float  # whole record in CAPITALS
    lower: float  # whole record in lower case
    salutation: float  # Ibu/Bpk/... before the owner's name
    degree: float  # degree shown when the owner has one
    excel: float  # multiplier of Excel damage to NIK and phone
    typo: float  # chance of a typo per free-text field
    kelurahan_code: float  # kelurahan written as its code
    sector_code: float
    sector_name: float  # else a variant
    address_tail: float  # ", Kel. X, Kec. Y, Kota Serang" appended
    address_missing: float
    legal_form_added: float  # "UD."/"CV." added to the business name


# Fields in order: code, weight, nik_missing, phone_missing, kelurahan_blank, sector_blank, caps,
# lower, salutation, degree, excel, typo, kelurahan_code, sector_code, sector_name, address_tail,
# address_missing, legal_form_added.
SOURCES: dict[str, _Source] = {
    s.code: s
    for s in (
        # kelurahan staff list typed in Excel: capitals, Excel damage, sparse sector
        _Source("kelurahan", 0.30, 0.31, 0.30, 0.13, 0.22, 0.45, 0.02, 0.10, 0.30, 2.0,
                0.10, 0.03, 0.05, 0.45, 0.10, 0.03, 0.02),
        # training attendance sheet: Ibu/Bpk, degrees, NIK often left out
        _Source("pelatihan", 0.20, 0.44, 0.13, 0.15, 0.10, 0.15, 0.03, 0.50, 0.70, 1.0,
                0.08, 0.00, 0.05, 0.35, 0.05, 0.10, 0.02),
        # enumerator ODK form: kelurahan and sector from choice lists (codes), typos on phones
        _Source("odk", 0.20, 0.20, 0.18, 0.02, 0.02, 0.08, 0.15, 0.05, 0.20, 0.0,
                0.14, 0.55, 0.85, 0.10, 0.02, 0.01, 0.01),
        # self-registration web form: lower case, typos
        _Source("mandiri", 0.15, 0.35, 0.20, 0.05, 0.05, 0.10, 0.22, 0.08, 0.35, 0.0,
                0.13, 0.00, 0.10, 0.60, 0.25, 0.02, 0.04),
        # Hipmikindo member list: H./Hj., degrees, UD/CV, full addresses, NIK rarely
        _Source("hipmikindo", 0.15, 0.55, 0.40, 0.22, 0.15, 0.30, 0.02, 0.25, 0.60, 1.5,
                0.07, 0.00, 0.02, 0.40, 0.30, 0.05, 0.20),
    )
}  # fmt: skip
_SOURCE_PICK = _Pick([s.code for s in SOURCES.values()], [s.weight for s in SOURCES.values()])

# --------------------------------------------------------------------------------------------
# The world: pickers and per-kelurahan places
# --------------------------------------------------------------------------------------------

_SECTOR_PICK = _Pick([s[0] for s in nm.SECTORS], [s[2] for s in nm.SECTORS])
_SECTOR_NAME = {s[0]: s[1] for s in nm.SECTORS}
_TEMPLATES: dict[str, _Pick[str]] = {
    sector: _Pick(
        [t[2] for t in nm.BUSINESS_TEMPLATES if t[0] == sector],
        [t[1] for t in nm.BUSINESS_TEMPLATES if t[0] == sector],
    )
    for sector, _, _ in nm.SECTORS
}
_BRAND = _Pick.zipf(nm.BRANDS, 0.9)
_FEMALE_FIRST = _Pick.zipf(nm.FEMALE_FIRST, 0.8)
_FEMALE_SECOND = _Pick.zipf(nm.FEMALE_SECOND, 0.8)
_SITI = _Pick.zipf(nm.SITI_SECOND, 0.6)
_NUR = _Pick.zipf(nm.NUR_SECOND, 0.9)
_SRI = _Pick.zipf(nm.SRI_SECOND, 0.8)
_MALE_FIRST = _Pick.zipf(nm.MALE_FIRST, 0.8)
_MALE_SECOND = _Pick.zipf(nm.MALE_SECOND, 0.8)
_MUHAMMAD_SECOND = _Pick.zipf(nm.MUHAMMAD_SECOND, 0.8)
_ABDUL = _Pick.zipf(nm.ABDUL_SECOND, 0.8)
_COMMON_F = _Pick.zipf(nm.COMMON_FEMALE)
_COMMON_M = _Pick.zipf(nm.COMMON_MALE)
_MUHAMMAD_FORM = _Pick.pairs(nm.MUHAMMAD_FORMS)
_SALUTATION_F = _Pick.pairs(nm.FEMALE_SALUTATIONS)
_SALUTATION_M = _Pick.pairs(nm.MALE_SALUTATIONS)
_CALL_F = _Pick.pairs(nm.FEMALE_CALL)
_CALL_M = _Pick.pairs(nm.MALE_CALL)
_FORM_VARIANT = {key: _Pick.pairs(pairs) for key, pairs in nm.FORM_VARIANTS.items()}
_KAMPUNG_LABEL = _Pick.pairs(nm.KAMPUNG_LABELS)
_STREET_LABEL = _Pick.pairs(nm.STREET_LABELS)
_PERUM_LABEL = _Pick.pairs(nm.PERUM_LABELS)
# Units that are not what people are called by ("Siti Aminah" is "Bu Aminah").
_NAME_PREFIXES = frozenset({"Siti", "Nur", "Sri", "Muhammad", "Abdul", "Tb.", "Ratu"})

_PHONE_PREFIX = _Pick.pairs(
    [
        ("812", 30.0), ("857", 12.0), ("813", 10.0), ("821", 8.0), ("822", 6.0), ("852", 6.0),
        ("878", 6.0), ("896", 5.0), ("877", 4.0), ("838", 4.0), ("895", 3.0), ("819", 3.0),
        ("859", 3.0), ("856", 3.0), ("858", 2.0), ("811", 2.0), ("881", 2.0),
    ]
)  # fmt: skip

# Kinds of places: homes are mostly in a kampung, separate business premises on a street.
_HOME_KIND = _Pick.pairs(
    [("kampung", 55.0), ("street", 12.0), ("street_kampung", 10.0), ("perum", 23.0)]
)
_SHOP_KIND = _Pick.pairs(
    [("street", 55.0), ("street_kampung", 15.0), ("kampung", 20.0), ("perum", 10.0)]
)
_PERUM_PREFIX = ("Griya", "Taman", "Bumi", "Puri", "Villa", "Graha")
_PERUM_SUFFIX = ("Indah", "Asri", "Permai", "Lestari", "Residence", "Regency")


class _World:
    """Static places plus the registries that keep identifiers unique."""

    def __init__(self, rng: random.Random) -> None:
        kelurahan, districts = _wilayah()
        self.kelurahan = kelurahan
        self.by_kecamatan: dict[str, tuple[Kelurahan, ...]] = {}
        for kel in kelurahan:
            self.by_kecamatan.setdefault(kel.kecamatan_code, ())
            self.by_kecamatan[kel.kecamatan_code] += (kel,)
        self.kelurahan_pick = _Pick(
            kelurahan,
            [
                _KECAMATAN_WEIGHT.get(k.kecamatan_code, 80.0)
                / len(self.by_kecamatan[k.kecamatan_code])
                * rng.uniform(0.6, 1.4)
                for k in kelurahan
            ],
        )
        self.serang_districts = tuple(
            sorted({k.kecamatan_code.replace(".", "") for k in kelurahan})
        )
        self.migrant_region = _Pick.pairs(list(_MIGRANT_REGIONS.items()))
        self.migrant_districts = districts
        self.kampung: dict[str, tuple[str, ...]] = {}
        self.perum: dict[str, tuple[str, ...]] = {}
        generic_perum = dict(zip(rng.sample(kelurahan, len(nm.PERUM)), nm.PERUM, strict=True))
        for kel in kelurahan:
            own = kel.name
            self.kampung[kel.code] = (own, own, *rng.sample(nm.KAMPUNG, 5))
            perum = f"{_choice(rng, _PERUM_PREFIX)} {own} {_choice(rng, _PERUM_SUFFIX)}"
            extra = generic_perum.get(kel)
            self.perum[kel.code] = (perum, extra) if extra else (perum,)
        self.niks: set[int] = set()
        self.phones: set[str] = set()
        self.owner_count = 0
        self.business_count = 0
        self.household_count = 0

    # identifiers -----------------------------------------------------------------------------

    def nik(self, district: str, birth: date, sex: str, rng: random.Random) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        head = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        for _ in range(5000):
            nik = f"{head}{9000 + int(rng.random() * 1000)}"
            if int(nik) not in self.niks:
                self.niks.add(int(nik))
                return nik
        raise RuntimeError(f"NIK serials exhausted for {head}")

    def phone(self, rng: random.Random) -> str:
        while True:
            prefix = _PHONE_PREFIX(rng)
            digits = 4 if rng.random() < 0.3 else 5
            number = f"{prefix}0000{int(rng.random() * 10**digits):0{digits}d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    # places ----------------------------------------------------------------------------------

    def location(
        self, rng: random.Random, kel: Kelurahan | None = None, shop: bool = False
    ) -> Location:
        kel = kel or self.kelurahan_pick(rng)
        kind = (_SHOP_KIND if shop else _HOME_KIND)(rng)
        rt = 1 + min(int(rng.expovariate(0.25)), 14)
        rw = 1 + min(int(rng.expovariate(0.3)), 12)
        number = str(1 + min(int(rng.expovariate(0.04)), 250))
        if kind == "perum":
            blok = f"{_choice(rng, 'ABCDEFGHJ')}{1 + int(rng.random() * 12)}"
            perum = _choice(rng, self.perum[kel.code])
            return Location(kel, perum=perum, blok=blok, number=number, rt=rt, rw=rw)
        street = ""
        kampung = ""
        if kind in ("street", "street_kampung"):
            street = _choice(rng, nm.STREETS.get(kel.kecamatan_code, ("Raya Serang",)))
        if kind in ("kampung", "street_kampung"):
            kampung = _choice(rng, self.kampung[kel.code])
        if rng.random() >= (0.4 if kind == "kampung" else 0.9):
            number = ""
        return Location(kel, street=street, kampung=kampung, number=number, rt=rt, rw=rw)

    def nearby(self, rng: random.Random, home: Location, shop: bool = True) -> Location:
        """Another location, usually in the same kecamatan."""
        if rng.random() < 0.7:
            kel = _choice(rng, self.by_kecamatan[home.kelurahan.kecamatan_code])
        else:
            kel = self.kelurahan_pick(rng)
        return self.location(rng, kel, shop=shop)


# --------------------------------------------------------------------------------------------
# Entity generation
# --------------------------------------------------------------------------------------------


def _canonical_unit(unit: str, rng: random.Random) -> str:
    """The spelling on the owner's KTP: usually the common one, sometimes a variant."""
    variants = nm.NAME_VARIANTS.get(unit.lower())
    if variants is None or unit in _NAME_PREFIXES or rng.random() < 0.65:
        return unit
    return _choice(rng, variants)


_COMMON_SHARE = 0.03  # drawn from the very common full names


def _person_name(sex: str, rng: random.Random) -> tuple[str, ...]:
    r = rng.random()
    units: list[str]
    if sex == "P":
        if r < _COMMON_SHARE:
            units = [_COMMON_F(rng)]
        elif r < 0.21:
            units = ["Siti", _SITI(rng)]
        elif r < 0.29:
            units = ["Nur", _NUR(rng)]
        elif r < 0.35:
            units = ["Sri", _SRI(rng)]
        elif r < 0.57:
            units = [_FEMALE_FIRST(rng)]
        else:
            first = _FEMALE_FIRST(rng)
            second = _FEMALE_SECOND(rng)
            units = [first] if second == first else [first, second]
        if rng.random() < 0.01:
            units.insert(0, "Ratu")
    else:
        if r < _COMMON_SHARE:
            units = [_COMMON_M(rng)]
        elif r < 0.22:
            units = ["Muhammad", _MUHAMMAD_SECOND(rng)]
            if rng.random() < 0.2:
                units.append(_MALE_SECOND(rng))
        elif r < 0.32:
            units = ["Ahmad", _MALE_SECOND(rng)]
        elif r < 0.38:
            units = ["Abdul", _ABDUL(rng)]
        elif r < 0.55:
            units = [_MALE_FIRST(rng)]
        else:
            first = _MALE_FIRST(rng)
            second = _MALE_SECOND(rng)
            units = [first] if second == first else [first, second]
        if rng.random() < 0.02:
            units.insert(0, "Tb.")
    if r < _COMMON_SHARE:
        units = [part for unit in units for part in unit.split(" ")]
    return tuple(_canonical_unit(u, rng) for u in units)


def _birth_date(rng: random.Random, age: float) -> date:
    days = int(age * 365.25) + int(rng.random() * 365)
    return REFERENCE_DATE - timedelta(days=days)


def _make_owner(
    world: _World,
    rng: random.Random,
    household_id: int,
    sex: str,
    birth: date,
    home: Location,
    district: str | None = None,
) -> Owner:
    world.owner_count += 1
    name = _person_name(sex, rng)
    age = (REFERENCE_DATE - birth).days / 365.25
    if district is None:
        r = rng.random()
        if r < 0.85:
            own = home.kelurahan.kecamatan_code.replace(".", "")
            district = own if rng.random() < 0.9 else _choice(rng, world.serang_districts)
        else:
            district = _choice(rng, world.migrant_districts[world.migrant_region(rng)])
    call_name = next((u for u in name if u not in _NAME_PREFIXES), name[-1])
    haji = rng.random() < (0.18 if age >= 45 else 0.05)
    if rng.random() < 0.25:
        call_honorific = ""
    elif haji and rng.random() < 0.3:
        call_honorific = "Hj." if sex == "P" else "H."
    else:
        call_honorific = (_CALL_F if sex == "P" else _CALL_M)(rng)
    degree = ""
    if rng.random() < (0.12 if age < 50 else 0.05):
        degree = _choice(rng, nm.DEGREES_F if sex == "P" else nm.DEGREES_M)
    old = 0.4 if birth.year < 1975 and rng.random() < 0.3 else 0.015
    return Owner(
        owner_id=f"O{world.owner_count:07d}",
        household_id=household_id,
        sex=sex,
        birth_date=birth,
        nik=world.nik(district, birth, sex, rng),
        name=name,
        call_name=call_name,
        call_honorific=call_honorific,
        haji=haji,
        ustadz=sex == "L" and rng.random() < 0.015,
        degree=degree,
        old_spelling=old,
        father=_MALE_FIRST(rng),
        phone=world.phone(rng),
        alt_phone=world.phone(rng) if rng.random() < 0.25 else "",
        home=home,
    )


def _name_parts(
    template: str, owner: Owner, location: Location, rng: random.Random
) -> tuple[tuple[str, str], ...]:
    words = template.split()
    parts: list[tuple[str, str]] = []
    lead: list[str] = []
    for word in words:
        if not word.startswith("{"):
            lead.append(word)
            continue
        if lead:
            text = " ".join(lead)
            if parts:
                parts.append(("tail", text))
            else:
                parts.append(("form" if text in nm.FORM_VARIANTS else "prod", text))
            lead = []
        if word == "{B}":
            parts.append(("brand", _BRAND(rng)))
        elif word == "{F}":
            parts.append(("person", owner.call_name))
        elif word == "{C}":
            if owner.call_honorific:
                parts.append(("call", owner.call_honorific))
        elif word == "{K}":
            place = location.kampung or location.kelurahan.name
            parts.append(("place", place))
    if lead:
        parts.append(("tail", " ".join(lead)))
    return tuple(parts)


def _copies(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.50:
        return 1
    if r < 0.75:
        return 2
    if r < 0.90:
        return 3
    return 4 + int(rng.random() * 3)


def _sources(k: int, rng: random.Random) -> tuple[str, ...]:
    chosen: list[str] = []
    while len(chosen) < min(k, len(SOURCES)):
        code = _SOURCE_PICK(rng)
        if code not in chosen:
            chosen.append(code)
    while len(chosen) < k:
        chosen.append(_SOURCE_PICK(rng))
    rng.shuffle(chosen)
    return tuple(chosen)


def _make_business(
    world: _World,
    rng: random.Random,
    owner: Owner,
    sector: str,
    location: Location,
    phone: str,
    taken_names: set[str],
) -> Business:
    world.business_count += 1
    parts: tuple[tuple[str, str], ...] = ()
    for _ in range(20):
        parts = _name_parts(_TEMPLATES[sector](rng), owner, location, rng)
        if " ".join(t for _, t in parts) not in taken_names:
            break
    taken_names.add(" ".join(t for _, t in parts))
    k = _copies(rng)
    business = Business(
        business_id=f"B{world.business_count:07d}",
        sector=sector,
        name_parts=parts,
        location=location,
        phone=phone,
        sources=_sources(k, rng),
    )
    if rng.random() < NIB_SHARE:  # has an NIB from OSS (synthetic: leading 9)
        business.nib = f"9{int(rng.random() * 10**12):012d}"
    if rng.random() < 0.02:  # moved: one copy shows another address
        business.alt_location = world.nearby(rng, location, shop=rng.random() < 0.5)
        business.move_copy = int(rng.random() * k)
    if rng.random() < 0.03:  # changed phone: some copies show the new number
        business.new_phone = world.phone(rng)
        size = 1 + int(rng.random() * max(1, k - 1))
        business.new_phone_copies = frozenset(rng.sample(range(k), min(size, k)))
    return business


def _business_count(rng: random.Random) -> int:
    r = rng.random()
    return 1 if r < 0.88 else 2 if r < 0.98 else 3


def _add_businesses(
    world: _World,
    rng: random.Random,
    owner: Owner,
    first_location: Location,
    first_phone: str,
    count: int,
) -> None:
    sectors: list[str] = []
    while len(sectors) < count:
        sector = _SECTOR_PICK(rng)
        if sector not in sectors:
            sectors.append(sector)
    taken: set[str] = set()
    for index, sector in enumerate(sectors):
        if index == 0:
            location, phone = first_location, first_phone
        else:
            location = owner.home if rng.random() < 0.6 else world.nearby(rng, owner.home)
            phone = owner.phone if rng.random() < 0.7 else world.phone(rng)
        owner.businesses.append(_make_business(world, rng, owner, sector, location, phone, taken))


def _make_household(world: _World, rng: random.Random) -> Household:
    world.household_count += 1
    hid = world.household_count
    home = world.location(rng)
    sex = "P" if rng.random() < 0.55 else "L"
    age = rng.triangular(19.0, 72.0, 40.0)
    owner = _make_owner(world, rng, hid, sex, _birth_date(rng, age), home)
    owners = [owner]
    married = rng.random() < 0.06
    if married:
        gap = rng.triangular(0.0, 9.0, 3.0)
        spouse_sex = "L" if sex == "P" else "P"
        spouse_age = age + gap if spouse_sex == "L" else max(18.0, age - gap)
        same_district = owner.nik[:6] if rng.random() < 0.8 else None
        spouse_birth = _birth_date(rng, spouse_age)
        spouse = _make_owner(world, rng, hid, spouse_sex, spouse_birth, home, same_district)
        owners.append(spouse)
        # Both run a business at home; the spouse often gives the household's phone.
        _add_businesses(world, rng, owner, home, owner.phone, _business_count(rng))
        spouse_phone = owner.phone if rng.random() < 0.6 else spouse.phone
        _add_businesses(world, rng, spouse, home, spouse_phone, _business_count(rng))
    else:
        location = home if rng.random() < 0.75 else world.nearby(rng, home)
        phone = owner.alt_phone if owner.alt_phone and rng.random() < 0.1 else owner.phone
        _add_businesses(world, rng, owner, location, phone, _business_count(rng))
    return Household(hid, owners)


def iter_households(n_records: int, *, seed: int = 3673) -> Iterator[Household]:
    """The ground-truth entities behind :func:`generate` (same ``n_records`` and ``seed``).

    Households are yielded in generation order; together their businesses have exactly
    ``n_records`` copies (``len(business.sources)``), the last household possibly cut short.
    """
    if n_records < 0:
        raise ValueError("n_records must be >= 0")
    world = _World(random.Random(f"{seed}:world"))
    rng = random.Random(f"{seed}:entities")
    remaining = n_records
    while remaining > 0:
        household = _make_household(world, rng)
        for owner in household.owners:
            kept: list[Business] = []
            for business in owner.businesses:
                if remaining <= 0:
                    break
                if len(business.sources) > remaining:
                    business.sources = business.sources[:remaining]
                remaining -= len(business.sources)
                kept.append(business)
            owner.businesses = kept
        household.owners = [o for o in household.owners if o.businesses]
        yield household


# --------------------------------------------------------------------------------------------
# Rendering one record
# --------------------------------------------------------------------------------------------


def _degree_text(degree: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        text = degree
    elif r < 0.75:
        text = degree.replace(".", "")  # "SPd", "SE", "AMdKeb"
    elif r < 0.88:
        text = degree.rstrip(".") + "." if not degree.endswith(".") else degree.rstrip(".")
    else:
        text = degree.replace(".", ". ").strip()  # "S. Pd"
    return (", " if rng.random() < 0.7 else " ") + text


def _owner_name(owner: Owner, rng: random.Random, src: _Source) -> str:
    units = list(owner.name)
    for i, unit in enumerate(units):
        if rng.random() < 0.10 and (variants := nm.NAME_VARIANTS.get(unit.lower())):
            units[i] = _choice(rng, variants)
    if units[0] == "Muhammad" and len(units) > 1:
        units[0] = "" if rng.random() < 0.03 else _MUHAMMAD_FORM(rng)
    elif units[0] == "Tb.":
        units[0] = "" if rng.random() < 0.2 else _choice(rng, nm.TUBAGUS_FORMS)
    elif units[0] == "Ratu" and rng.random() < 0.3:
        units[0] = ""
    units = [u for u in units if u]
    canonical = owner.name
    if len(units) >= 2 and len(canonical) >= 2 and canonical[-2] not in _NAME_PREFIXES:
        r = rng.random()
        if r < 0.07:
            units.pop()  # second name dropped
        elif r < 0.09:
            units[-1] = units[-1][0] + "."  # "Ahmad F."
    text = " ".join(units)
    if rng.random() < owner.old_spelling:
        text = _maybe_old(text, rng)
    text = _typos(text, rng, src.typo)
    if rng.random() < 0.01:
        text += (" binti " if owner.sex == "P" else " bin ") + owner.father
    prefix: list[str] = []
    if rng.random() < src.salutation:
        prefix.append((_SALUTATION_F if owner.sex == "P" else _SALUTATION_M)(rng))
    if owner.haji and rng.random() < 0.55:
        prefix.append(_choice(rng, nm.HAJI_FORMS_F if owner.sex == "P" else nm.HAJI_FORMS_M))
    elif owner.ustadz and rng.random() < 0.5:
        prefix.append(_choice(rng, ("Ust.", "Ustadz", "Ust")))
    if prefix:
        text = " ".join(prefix) + " " + text
    if owner.degree and rng.random() < src.degree:
        text += _degree_text(owner.degree, rng)
    return text


def _nik_text(nik: str, rng: random.Random, src: _Source) -> str:
    """One written form of ``nik``: usually intact, else damaged the way lists damage it.

    A damaged 16-digit value keeps the serial's leading 9 (ADR 0005: a typo must not turn
    a synthetic NIK into a plausible real one)."""
    for _ in range(10):
        text = _nik_damage(nik, rng, src)
        if len(text) != 16 or not text.isdigit() or text[12] == "9" or text[12:] == "0000":
            return text
    return nik


def _nik_damage(nik: str, rng: random.Random, src: _Source) -> str:
    r = rng.random()
    excel = src.excel
    p_zero = 0.05 * excel
    p_sci = p_zero + 0.025 * excel
    p_apostrophe = p_sci + 0.015 * excel
    p_typo = p_apostrophe + (0.05 if src.code == "odk" else 0.03)
    p_swap = p_typo + 0.02
    p_format = p_swap + 0.05
    p_short = p_format + (0.0 if src.code == "odk" else 0.006)
    if r < p_zero:  # Excel keeps 15 significant digits: the tail becomes 0
        zeros = 1 if rng.random() < 0.7 else 2 + int(rng.random() * 3)
        return nik[: 16 - zeros] + "0" * zeros
    if r < p_sci:  # a numeric cell shown as "3.67306E+15" (Indonesian locale: comma)
        mantissa = f"{int(nik) / 10**15:.5f}".rstrip("0").rstrip(".")
        if rng.random() < 0.3:
            mantissa = mantissa.replace(".", ",")
        return f"{mantissa}E+15"
    if r < p_apostrophe:  # text marker typed into Excel
        return "'" + nik
    if r < p_typo:  # one wrong digit
        i = int(rng.random() * 16)
        digit = str((int(nik[i]) + 1 + int(rng.random() * 9)) % 10)
        return nik[:i] + digit + nik[i + 1 :]
    if r < p_swap:  # two adjacent digits swapped
        for _ in range(4):
            i = int(rng.random() * 15)
            if nik[i] != nik[i + 1]:
                return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
        return nik
    if r < p_format:
        f = rng.random()
        if f < 0.35:
            return f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
        if f < 0.6:
            return f"{nik[:4]}.{nik[4:6]}.{nik[6:12]}.{nik[12:]}"
        if f < 0.8:
            return f"{nik[:6]} {nik[6:12]} {nik[12:]}"
        return f"{nik[:4]}-{nik[4:8]}-{nik[8:12]}-{nik[12:]}"
    if r < p_short:  # one digit lost
        i = int(rng.random() * 16)
        return nik[:i] + nik[i + 1 :]
    return nik


def _phone_text(number: str, rng: random.Random, src: _Source, alt: str) -> str:
    if rng.random() < 0.02:  # one wrong digit, after the synthetic "8xx0000" marker
        i = 7 + int(rng.random() * (len(number) - 7))
        number = (
            number[:i] + str((int(number[i]) + 1 + int(rng.random() * 9)) % 10) + number[i + 1 :]
        )
    a, b, c = number[:3], number[3:7], number[7:]
    r = rng.random()
    excel = src.excel
    if r < 0.04 * excel:  # numeric cell: leading 0 lost
        return number
    if r < 0.08 * excel:  # numeric cell with country code
        return "62" + number
    if r < 0.08 * excel + 0.004 * excel:
        return (
            f"{int('62' + number) / 10 ** (len(number) + 1):.5f}".rstrip("0")
            + f"E+{len(number) + 1}"
        )
    if alt and rng.random() < 0.03:  # two numbers in one cell
        return f"0{number} / 0{alt}"
    r = rng.random()
    if r < 0.50:
        return "0" + number
    if r < 0.62:
        return f"0{a}-{b}-{c}"
    if r < 0.72:
        return f"0{a} {b} {c}"
    if r < 0.79:
        return f"+62 {a}-{b}-{c}"
    if r < 0.84:
        return f"+62 {a} {b} {c}"
    if r < 0.91:
        return "+62" + number
    if r < 0.95:
        return "62" + number
    if r < 0.97:
        return f"0{a}.{b}.{c}"
    if r < 0.985:
        return f"(+62) {a} {b}{c}"
    return number


_RT_RW_FORMS = _Pick.pairs(
    [
        ("RT {rt:02d}/RW {rw:02d}", 20.0), ("RT {rt:03d}/RW {rw:03d}", 10.0),
        ("RT. {rt:03d} RW. {rw:03d}", 8.0), ("RT {rt:02d} RW {rw:02d}", 12.0),
        ("rt.{rt} rw.{rw}", 6.0), ("Rt {rt} Rw {rw}", 6.0), ("RT/RW {rt:03d}/{rw:03d}", 10.0),
        ("RT/RW {rt:02d}/{rw:02d}", 5.0), ("RT {rt:02d}/{rw:02d}", 6.0), ("@{rt:02d}/{rw:02d}", 6.0),
        ("@{rt:03d}/{rw:03d}", 3.0), ("RW {rw:02d} RT {rt:02d}", 2.0), ("RT{rt:02d}/RW{rw:02d}", 3.0),
        ("RT {rt:02d}", 3.0),
    ]
)  # fmt: skip
_BLOK_FORMS = _Pick.pairs(
    [("Blok {b}", 60.0), ("Blok {x}-{y}", 20.0), ("Blk. {b}", 10.0), ("blok {b}", 10.0)]
)
# "Desa" is wrong for a kelurahan, but lists write it.
_TAIL_FORMS = _Pick.pairs(
    [("Kel. {kel}", 50.0), ("Kelurahan {kel}", 15.0), ("Desa {kel}", 7.0),
     ("Kel. {kel} Kec. {kec}", 28.0)]
)  # fmt: skip
_NUMBER_FORMS = _Pick.pairs(
    [("No. {n}", 40.0), ("No.{n}", 15.0), ("no {n}", 8.0), ("no{n}", 5.0), ("No {n}", 15.0),
     ("Nomor {n}", 5.0), ("NO. {n}", 5.0), ("No. 0{n}", 2.0)]
)  # fmt: skip


def _address_text(loc: Location, rng: random.Random, src: _Source) -> str:
    if rng.random() < src.address_missing:
        return ""
    head: list[str] = []
    if loc.perum:
        head.append(f"{_PERUM_LABEL(rng)} {loc.perum}")
        if rng.random() < 0.85:
            head.append(_BLOK_FORMS(rng).format(b=loc.blok, x=loc.blok[0], y=loc.blok[1:]))
    if loc.street:
        street = loc.street
        if rng.random() < 0.25 and (variants := nm.STREET_VARIANTS.get(street)):
            street = _choice(rng, variants)
        head.append(f"{_STREET_LABEL(rng)} {_typos(street, rng, src.typo * 0.4)}")
    if loc.number and rng.random() < 0.7:
        head.append(_NUMBER_FORMS(rng).format(n=loc.number))
    kampung = ""
    if loc.kampung and not (loc.street and rng.random() < 0.2):
        label = _KAMPUNG_LABEL(rng)
        name = _typos(loc.kampung, rng, src.typo * 0.4)
        kampung = f"{label} {name}" if label else name
    rt_rw = ""
    if rng.random() < 0.88:
        rt = loc.rt
        if rng.random() < 0.02:
            rt = max(1, rt + (1 if rng.random() < 0.5 else -1))
        rt_rw = _RT_RW_FORMS(rng).format(rt=rt, rw=loc.rw)
    end = ""
    if rt_rw.startswith("@"):  # bare "02/03" only works at the very end
        end, rt_rw = rt_rw[1:], ""
    segments = [*head]
    if kampung:
        if loc.street and rng.random() < 0.15:
            segments.insert(0, kampung)
        else:
            segments.append(kampung)
    if rt_rw:
        segments.append(rt_rw)
    if rng.random() < src.address_tail:
        kel = loc.kelurahan
        segments.append(_TAIL_FORMS(rng).format(kel=kel.name, kec=kel.kecamatan_name))
        r = rng.random()
        if r < 0.4:
            segments.append("Kota Serang")
        elif r < 0.55:
            segments.append("Serang - Banten")
    if end:
        segments.append(end)
    return (", " if rng.random() < 0.4 else " ").join(segments)


def _kelurahan_text(kel: Kelurahan, rng: random.Random, src: _Source) -> tuple[str, bool]:
    """The kelurahan cell and whether it is a code (codes are not upper/lower-cased)."""
    if rng.random() < src.kelurahan_blank:
        return "", True
    if rng.random() < src.kelurahan_code:
        return (kel.code if rng.random() < 0.5 else kel.code10), True
    name = kel.name
    if rng.random() < 0.02:  # the kecamatan instead of the kelurahan
        name = kel.kecamatan_name
    elif rng.random() < 0.15 and (variants := nm.KELURAHAN_VARIANTS.get(name)):
        name = _choice(rng, variants)
    name = _typos(name, rng, 0.03)
    r = rng.random()
    if r < 0.08:
        name = "Kel. " + name
    elif r < 0.12:
        name = "Kelurahan " + name
    elif r < 0.13:
        name = "Kel " + name
    return name, False


def _sector_text(sector: str, rng: random.Random, src: _Source) -> str:
    if rng.random() < src.sector_blank:
        return ""
    if rng.random() < 0.03:  # the list put it in another sector
        sector = _SECTOR_PICK(rng)
    r = rng.random()
    if r < src.sector_code:
        return sector
    if r < src.sector_code + src.sector_name:
        return _SECTOR_NAME[sector]
    return _choice(rng, nm.SECTOR_VARIANTS[sector])


def _word_variants(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    changed = False
    for i, word in enumerate(words):
        variants = nm.WORD_VARIANTS.get(word)
        if variants is not None and rng.random() < rate:
            words[i] = _choice(rng, variants)
            changed = True
    return " ".join(words) if changed else text


def _business_text(business: Business, owner: Owner, rng: random.Random, src: _Source) -> str:
    r = rng.random()
    if r < 0.015:
        return ""
    if r < 0.025:  # the owner's name typed into the business-name column
        return owner.full_name
    out: list[str] = []
    parts = business.name_parts
    has_core = any(kind in ("person", "brand", "place") for kind, _ in parts)
    has_form = False
    for kind, text in parts:
        if kind == "form":
            text = _FORM_VARIANT[text](rng)
            has_form = bool(text)
        elif kind == "prod":
            if has_core and rng.random() < 0.05:
                continue
            text = _word_variants(text, rng, 0.15)
        elif kind == "call":
            if rng.random() < 0.15:
                continue
            if rng.random() < 0.3:
                text = _choice(rng, nm.CALL_VARIANTS.get(text, (text,)))
        elif kind == "person":
            if rng.random() < 0.10 and (variants := nm.NAME_VARIANTS.get(text.lower())):
                text = _choice(rng, variants)
            if rng.random() < owner.old_spelling:
                text = _maybe_old(text, rng)
        elif kind in ("brand", "tail"):
            if kind == "tail" and rng.random() < 0.1:
                continue
            text = _word_variants(text, rng, 0.2)
            if rng.random() < 0.02:
                text = _old_spelling(text, _OLD_FULL)  # "Djaja", "Sedjahtera"
        if text:
            out.append(text)
    if not has_form and rng.random() < src.legal_form_added:
        out.insert(0, _choice(rng, ("UD", "UD.", "UD.", "CV.", "CV")))
    if not out:
        return owner.full_name
    return _typos(" ".join(out), rng, src.typo * 0.8)


_Row = tuple[str, ...]  # the COLUMNS except record_id, plus the household key


def _render_household(household: Household, rng: random.Random) -> Iterator[_Row]:
    key = str(household.household_id)
    owners = household.owners
    for owner in owners:
        partner = next((o for o in owners if o is not owner), None)
        for business in owner.businesses:
            for index, code in enumerate(business.sources):
                src = SOURCES[code]
                nik = ""
                if rng.random() >= src.nik_missing:
                    true_nik = owner.nik
                    if partner is not None and rng.random() < 0.02:
                        true_nik = partner.nik  # registered with the spouse's KTP
                    nik = _nik_text(true_nik, rng, src)
                phone = ""
                if rng.random() >= src.phone_missing:
                    number = business.phone
                    if index in business.new_phone_copies:
                        number = business.new_phone
                    elif owner.alt_phone and rng.random() < 0.12:
                        number = owner.alt_phone
                    phone = _phone_text(number, rng, src, owner.alt_phone)
                location = business.location
                if index == business.move_copy and business.alt_location is not None:
                    location = business.alt_location
                owner_name = _owner_name(owner, rng, src)
                business_name = _business_text(business, owner, rng, src)
                address = _address_text(location, rng, src)
                kelurahan, is_code = _kelurahan_text(location.kelurahan, rng, src)
                sector = _sector_text(business.sector, rng, src)
                nib = ""
                if business.nib and rng.random() < NIB_SHOWN:
                    nib = business.nib
                    if rng.random() < 0.02:  # one digit mistyped (never the leading 9)
                        i = 1 + int(rng.random() * 12)
                        nib = nib[:i] + str((int(nib[i]) + 1) % 10) + nib[i + 1 :]
                r = rng.random()
                if r < src.caps:
                    owner_name = owner_name.upper()
                    business_name = business_name.upper()
                    address = address.upper()
                    sector = sector.upper()
                    if not is_code:
                        kelurahan = kelurahan.upper()
                elif r < src.caps + src.lower:
                    owner_name = owner_name.lower()
                    business_name = business_name.lower()
                    address = address.lower()
                    if not is_code:
                        kelurahan = kelurahan.lower()
                yield (
                    code,
                    owner_name,
                    nik,
                    business_name,
                    phone,
                    address,
                    kelurahan,
                    sector,
                    nib,
                    business.business_id,
                    owner.owner_id,
                    key,
                )


# --------------------------------------------------------------------------------------------
# Shuffling (bounded memory) and output
# --------------------------------------------------------------------------------------------

_KEY = 11  # index of the household key in a _Row
_BUSINESS_AT = COLUMNS.index("true_business_id")
_OWNER_AT = COLUMNS.index("true_owner_id")


def _place_apart(items: list[_Row], prev: str | None) -> tuple[list[_Row], list[_Row]]:
    """Reorder ``items`` (already shuffled) so that no two neighbours, nor ``prev`` and the
    first, share a household; returns (ordered, left over that could not be placed)."""
    out: list[_Row] = []
    n = len(items)
    i = 0
    while i < n:
        item = items[i]
        if item[_KEY] == prev:
            j = i + 1
            while j < n and items[j][_KEY] == prev:
                j += 1
            if j == n:
                return out, items[i:]
            items[i], items[j] = items[j], items[i]
            item = items[i]
        out.append(item)
        prev = item[_KEY]
        i += 1
    return out, []


def _insert_apart(out: list[_Row], leftover: list[_Row], first_prev: str | None) -> None:
    for item in leftover:
        key = item[_KEY]
        for k in range(len(out), -1, -1):
            before = out[k - 1][_KEY] if k > 0 else first_prev
            after = out[k][_KEY] if k < len(out) else None
            if before != key and after != key:
                out.insert(k, item)
                break
        else:
            out.append(item)  # impossible to keep apart (tiny outputs)


def _shuffled(rows: Iterable[_Row], n_records: int, rng: random.Random) -> Iterator[_Row]:
    n_buckets = max(1, -(-n_records // BUCKET_SIZE))
    if n_buckets == 1:
        items = list(rows)
        rng.shuffle(items)
        out, leftover = _place_apart(items, None)
        _insert_apart(out, leftover, None)
        yield from out
        return
    with tempfile.TemporaryDirectory(prefix="linkage-bench-") as tmp:
        paths = [Path(tmp) / f"bucket-{i}.txt" for i in range(n_buckets)]
        handles: list[IO[str]] = []
        try:
            for path in paths:
                handles.append(path.open("w", encoding="utf-8", newline="\n"))
            writes = [h.write for h in handles]
            for row in rows:
                writes[int(rng.random() * n_buckets)](_SEP.join(row) + "\n")
        finally:
            for handle in handles:
                handle.close()
        prev: str | None = None
        carry: list[_Row] = []
        for index, path in enumerate(paths):
            with path.open(encoding="utf-8", newline="\n") as handle:
                bucket: list[_Row] = [tuple(line[:-1].split(_SEP)) for line in handle]
            path.unlink()
            bucket.extend(carry)
            rng.shuffle(bucket)
            first_prev = prev
            out, carry = _place_apart(bucket, prev)
            if index == n_buckets - 1:
                _insert_apart(out, carry, first_prev)
                carry = []
            if out:
                prev = out[-1][_KEY]
            yield from out


def _records(n_records: int, seed: int) -> Iterator[tuple[str, ...]]:
    """Rows as tuples in COLUMNS order."""
    render_rng = random.Random(f"{seed}:render")
    shuffle_rng = random.Random(f"{seed}:shuffle")
    rows = (
        row
        for household in iter_households(n_records, seed=seed)
        for row in _render_household(household, render_rng)
    )
    width = max(7, len(str(n_records)))
    for number, row in enumerate(_shuffled(rows, n_records, shuffle_rng), start=1):
        yield (f"R{number:0{width}d}", *row[:_KEY])


def generate(n_records: int, *, seed: int = 3673) -> Iterator[dict[str, str]]:
    """Exactly ``n_records`` benchmark rows (dicts keyed by :data:`COLUMNS`), streamed.

    Deterministic for a given ``(n_records, seed)``; a different ``n_records`` gives a
    different shuffle (the entities are the same prefix).
    """
    if n_records < 0:
        raise ValueError("n_records must be >= 0")
    for record in _records(n_records, seed):
        yield dict(zip(COLUMNS, record, strict=True))


def true_pairs(rows: Iterable[Mapping[str, str]]) -> tuple[int, int]:
    """True matching pairs ``(business_pairs, owner_pairs)``: sum over clusters of n(n-1)/2.

    Owner pairs include the business pairs (records of one business share their owner)."""
    businesses: Counter[str] = Counter()
    owners: Counter[str] = Counter()
    for row in rows:
        businesses[row["true_business_id"]] += 1
        owners[row["true_owner_id"]] += 1
    return _pairs(businesses), _pairs(owners)


def _pairs(counts: Counter[str]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


@dataclass(frozen=True, slots=True)
class Summary:
    records: int
    businesses: int
    owners: int
    business_pairs: int
    owner_pairs: int
    blank: dict[str, float]  # share of empty cells per column
    sources: dict[str, int]

    def line(self) -> str:
        return (
            f"records={self.records} businesses={self.businesses} owners={self.owners} "
            f"business_pairs={self.business_pairs} owner_pairs={self.owner_pairs}"
        )


def write_csv(path: str | Path, n_records: int, seed: int = 3673) -> Summary:
    """Write the benchmark to ``path`` (``.csv`` or ``.csv.gz``) and summarise it."""
    path = Path(path)
    businesses: Counter[str] = Counter()
    owners: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    blank = [0] * len(COLUMNS)
    handle: IO[str]
    if path.name.endswith(".gz"):
        handle = gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=6)
    else:
        handle = path.open("w", encoding="utf-8", newline="")
    with handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        count = 0
        for record in _records(n_records, seed):
            writer.writerow(record)
            count += 1
            businesses[record[_BUSINESS_AT]] += 1
            owners[record[_OWNER_AT]] += 1
            sources[record[1]] += 1
            for i, value in enumerate(record):
                if not value:
                    blank[i] += 1
    return Summary(
        records=count,
        businesses=len(businesses),
        owners=len(owners),
        business_pairs=_pairs(businesses),
        owner_pairs=_pairs(owners),
        blank={c: blank[i] / count if count else 0.0 for i, c in enumerate(COLUMNS)},
        sources=dict(sources.most_common()),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.linkage.generate",
        description="Write a synthetic UMKM record-linkage benchmark with ground truth.",
    )
    parser.add_argument("--records", type=int, default=100_000, help="number of rows")
    parser.add_argument("--seed", type=int, default=3673)
    parser.add_argument("--out", required=True, help="output path (.csv or .csv.gz)")
    parser.add_argument("--verbose", action="store_true", help="also print rates and timing")
    args = parser.parse_args(argv)
    if args.records < 0:
        parser.error("--records must be >= 0")
    started = time.perf_counter()
    summary = write_csv(args.out, args.records, args.seed)
    elapsed = time.perf_counter() - started
    print(summary.line(), file=sys.stderr)
    if args.verbose:
        blanks = " ".join(f"{c}={v:.3f}" for c, v in summary.blank.items() if v)
        print(f"blank: {blanks}", file=sys.stderr)
        print(f"sources: {summary.sources}", file=sys.stderr)
        print(f"seconds={elapsed:.1f} out={args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
