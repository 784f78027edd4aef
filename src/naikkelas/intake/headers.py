"""Find the header row of a spreadsheet and map its columns to canonical fields (pure).

Second step of the intake pipeline, after :mod:`naikkelas.intake.readers`. Nothing here
touches Django. Lists of UMKM come from kelurahan clerks, the Dinas, Hipmikindo, training
sign-up sheets and Google Forms/KoboToolbox exports, each with its own headers ("Nama Pemilik",
"NAMA PELAKU USAHA", "identitas/nama_pemilik", "Omset per bulan (Rp)", "Kelurhan"...).
:func:`map_columns` turns them into the field names in :data:`CANONICAL_FIELDS`, which the
rest of the pipeline uses; the clerk confirms or corrects the mapping in the preview.

Matching, for each header, in order (the first level that matches wins):

1. **exact**: the header, its letters and digits only (case, spacing and punctuation never
   matter), is a known alias (score 100);
2. **token rules**: words that give the meaning away, e.g. "nama" + "usaha" -> business_name,
   "omzet" + "bulan" -> omzet_month (score 90);
3. **fuzzy**: a typo of an alias, rapidfuzz ratio >= 88 (score = 0.9 x ratio).

Each level tries the header as written, then without the text in parentheses ("Nama pemilik
usaha (sesuai KTP)"), then the last segment of a form group path ("identitas/nama_pemilik").
Headers known not to be ours ("Tempat Lahir", "Umur", Kobo's "start"/"_index"/"_gps_altitude")
stay unmapped, so they never pass as a typo of a field; their data stays in the raw rows.
An ambiguous match (plain "Omzet": per month or per year?) scores 20 points less and is flagged
so the preview asks. Each field goes to at most one column: when two columns claim it, the
better score keeps it (the leftmost on a tie) and the other is left unmapped with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from rapidfuzz import fuzz, process

from naikkelas.core.text import fold

__all__ = [
    "CANONICAL_FIELDS",
    "FIELD_LABELS",
    "ColumnMatch",
    "column_letter",
    "detect_header_row",
    "header_key",
    "is_column_numbering_row",
    "map_columns",
]

CANONICAL_FIELDS: Final[tuple[str, ...]] = (
    # owner
    "owner_name",
    "nik",
    "sex",
    "birth_date",
    "phone",
    "email",
    "owner_address",
    # business and its place
    "business_name",
    "legal_form",
    "sector",
    "kbli_code",
    "products",
    "address",
    "rt_rw",
    "rt",
    "rw",
    "desa_kelurahan",
    "kecamatan",
    "postal_code",
    "latitude",
    "longitude",
    "coordinates",  # "lat, lon" in one cell
    # figures and identifiers
    "established_year",
    "nib",
    "npwp",
    "omzet_month",
    "omzet_year",
    "modal",
    "workers",
    "year",
    # permits, membership, programmes
    "halal",
    "pirt",
    "bpom_md",
    "member_number",
    "is_binaan",
    "channels",
    "notes",
    # source bookkeeping: recognised, not business data
    "row_id",  # the list's own "No" column
    "submitted_at",  # form timestamp ("Timestamp", "Cap waktu", "_submission_time")
    "source_uuid",  # form submission id ("_uuid", "instanceID")
)

FIELD_LABELS: Final[dict[str, str]] = {
    "owner_name": "Nama pemilik",
    "nik": "NIK",
    "sex": "Jenis kelamin",
    "birth_date": "Tanggal lahir",
    "phone": "Nomor HP/WA",
    "email": "Email",
    "owner_address": "Alamat rumah pemilik",
    "business_name": "Nama usaha",
    "legal_form": "Bentuk usaha",
    "sector": "Sektor/jenis usaha",
    "kbli_code": "Kode KBLI",
    "products": "Produk",
    "address": "Alamat usaha",
    "rt_rw": "RT/RW",
    "rt": "RT",
    "rw": "RW",
    "desa_kelurahan": "Desa/kelurahan",
    "kecamatan": "Kecamatan",
    "postal_code": "Kode pos",
    "latitude": "Lintang (latitude)",
    "longitude": "Bujur (longitude)",
    "coordinates": "Koordinat (lintang, bujur)",
    "established_year": "Tahun berdiri",
    "nib": "NIB",
    "npwp": "NPWP",
    "omzet_month": "Omzet per bulan",
    "omzet_year": "Omzet per tahun",
    "modal": "Modal usaha/aset",
    "workers": "Jumlah tenaga kerja",
    "year": "Tahun data",
    "halal": "Sertifikat halal",
    "pirt": "SPP-IRT/P-IRT",
    "bpom_md": "Izin edar BPOM MD",
    "member_number": "Nomor anggota (KTA)",
    "is_binaan": "UMKM binaan",
    "channels": "Saluran pemasaran",
    "notes": "Keterangan",
    "row_id": "Nomor urut (tidak diimpor)",
    "submitted_at": "Waktu pengisian formulir",
    "source_uuid": "ID pengisian formulir",
}

SCORE_EXACT: Final = 100.0
SCORE_TOKENS: Final = 90.0
FUZZY_CUTOFF: Final = 88.0
FUZZY_WEIGHT: Final = 0.9
AMBIGUITY_PENALTY: Final = 20.0
MIN_HEADER_MATCHES: Final = 2

# Notes shown in the preview (Bahasa Indonesia).
NOTE_AMBIGUOUS = {
    "omzet_year": (
        "Periode omzet tidak jelas (per bulan atau per tahun?); dianggap per tahun. "
        "Periksa dan ubah bila perlu."
    ),
    "owner_name": (
        "Kolom 'Nama' saja: dianggap nama pemilik. Ubah ke nama usaha bila isinya nama usaha."
    ),
}
NOTE_COMBINED_PLACE_DATE = (
    "Kolom ini berisi tempat dan tanggal lahir sekaligus (misalnya 'Serang, 17 Agustus 1985'); "
    "tanggalnya akan dipisahkan."
)
NOTE_FUZZY = "Dicocokkan dengan '{alias}' (kemungkinan salah ketik)."
NOTE_DUPLICATE = (
    "Tidak dipakai: {label} sudah diambil dari kolom {column} ('{other}'). "
    "Pilih kolom ini di pratinjau bila lebih tepat."
)


@dataclass(frozen=True)
class ColumnMatch:
    """How one column of the source maps to a canonical field (``field is None``: unmapped)."""

    index: int  # 0-based column index (0 = column A)
    header: str  # the header text as written (stripped)
    field: str | None
    score: float  # 0-100; 100 = exact alias
    ambiguous: bool = False  # the preview should ask the clerk
    note: str = ""  # Bahasa Indonesia, for the preview
    combined_place_date: bool = False  # "TTL": "Serang, 17-08-1985" in one cell


# --------------------------------------------------------------------------------------------
# Aliases (exact level). Written as people write them; compared by header_key().
# --------------------------------------------------------------------------------------------

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "owner_name": (
        "Nama Pemilik",
        "Nama Pemilik Usaha",
        "Nama Pelaku Usaha",
        "Nama Pelaku UMKM",
        "Pelaku Usaha",
        "Nama Lengkap",
        "Nama Lengkap Pemilik",
        "Nama Responden",
        "Nama Pengusaha",
        "Pemilik",
        "Pemilik Usaha",
        "Nama Anggota",
        "Nama Peserta",
        "Nama Sesuai KTP",
        "Nama KTP",
        "Nama Penanggung Jawab",
        "Penanggung Jawab",
        "Owner",
        "Owner Name",
        "Full Name",
    ),
    "nik": (
        "NIK",
        "No. KTP",
        "No KTP",
        "Nomor KTP",
        "KTP",
        "No. NIK",
        "Nomor NIK",
        "NIK KTP",
        "NIK Pemilik",
        "Nomor Induk Kependudukan",
    ),
    "sex": ("Jenis Kelamin", "Jns Kelamin", "Kelamin", "JK", "J/K", "L/P", "Gender", "Sex"),
    "birth_date": (
        "Tanggal Lahir",
        "Tgl Lahir",
        "Tgl. Lahir",
        "Tanggal Lahir Pemilik",
        "Birth Date",
        "Date of Birth",
        "DOB",
    ),
    "phone": (
        "No HP/WA",
        "No. HP",
        "No HP",
        "Nomor HP",
        "No HP/Telp",
        "No Telp",
        "No. Telp",
        "No Telepon",
        "Nomor Telepon",
        "Telepon",
        "Telp",
        "WhatsApp",
        "No WA",
        "Nomor WA",
        "Nomor WhatsApp",
        "Nomor HP / WhatsApp",
        "WA",
        "HP",
        "Handphone",
        "Ponsel",
        "Kontak",
        "No Kontak",
        "Phone",
        "Phone Number",
    ),
    "email": ("Email", "E-mail", "Surel", "Alamat Email", "Alamat E-mail", "Email Address"),
    "owner_address": (
        "Alamat Rumah",
        "Alamat KTP",
        "Alamat Sesuai KTP",
        "Alamat Domisili",
        "Alamat Pemilik",
        "Alamat Tinggal",
        "Home Address",
    ),
    "business_name": (
        "Nama Usaha",
        "Nama UMKM",
        "Nama UKM",
        "Nama Toko",
        "Nama Warung",
        "Nama Tempat Usaha",
        "Nama Perusahaan",
        "Nama Badan Usaha",
        "Nama Brand",
        "Merek",
        "Merk",
        "Merek/Nama Usaha",
        "Nama Usaha/Merek",
        "Brand",
        "Usaha",
        "Business Name",
    ),
    "legal_form": (
        "Bentuk Usaha",
        "Badan Usaha",
        "Bentuk Badan Usaha",
        "Badan Hukum",
        "Status Badan Hukum",
        "Legal Form",
    ),
    "sector": (
        "Jenis Usaha",
        "Bidang Usaha",
        "Sektor",
        "Sektor Usaha",
        "Kategori Usaha",
        "Kategori",
        "Kelompok Usaha",
        "Klasifikasi Usaha",
        "Lapangan Usaha",
        "Jenis Kegiatan Usaha",
        "Sector",
        "Business Type",
    ),
    "kbli_code": ("KBLI", "Kode KBLI", "No KBLI"),
    "products": (
        "Produk",
        "Produk Utama",
        "Jenis Produk",
        "Nama Produk",
        "Produk yang Dihasilkan",
        "Komoditas",
        "Komoditi",
        "Products",
    ),
    "address": (
        "Alamat",
        "Alamat Usaha",
        "Alamat Tempat Usaha",
        "Alamat Lokasi Usaha",
        "Alamat Toko",
        "Alamat Lengkap",
        "Lokasi Usaha",
        "Address",
        "Business Address",
        "Jalan",
    ),
    "rt_rw": ("RT/RW", "RT / RW", "RTRW"),
    "rt": ("RT", "No RT"),
    "rw": ("RW", "No RW"),
    "desa_kelurahan": (
        "Kelurahan/Desa",
        "Desa/Kelurahan",
        "Kel/Desa",
        "Desa/Kel",
        "Kelurahan",
        "Desa",
        "Kel.",
        "Village",
    ),
    "kecamatan": ("Kecamatan", "Kec.", "District"),
    "postal_code": ("Kode Pos", "Kodepos", "Postal Code", "ZIP"),
    "latitude": ("Latitude", "Lintang", "Lat", "GPS Latitude"),
    "longitude": ("Longitude", "Bujur", "Long", "Lng", "Lon", "GPS Longitude"),
    "coordinates": (
        "Koordinat",
        "Titik Koordinat",
        "Koordinat GPS",
        "Lokasi GPS",
        "GPS",
        "Titik Lokasi",
        "Lat Long",
        "Latitude, Longitude",
        "Coordinates",
        "Geolocation",
    ),
    "established_year": (
        "Tahun Berdiri",
        "Mulai Usaha",
        "Tahun Mulai",
        "Tahun Mulai Usaha",
        "Tahun Didirikan",
        "Tahun Pendirian",
        "Berdiri Sejak",
        "Sejak Tahun",
    ),
    "nib": ("NIB", "No. NIB", "No NIB", "Nomor NIB", "Nomor Induk Berusaha"),
    "npwp": ("NPWP", "No NPWP", "No. NPWP", "Nomor NPWP"),
    "omzet_month": (
        "Omzet/bulan",
        "Omzet/bln",
        "Omset/bulan",
        "Omset/bln",
        "Omzet per bulan",
        "Omset per bulan",
        "Omzet Bulanan",
        "Omset Bulanan",
        "Penjualan per bulan",
        "Penghasilan per bulan",
        "Pendapatan per bulan",
        "Rata-rata omzet per bulan",
        "Monthly Turnover",
    ),
    "omzet_year": (
        "Omzet/tahun",
        "Omzet/thn",
        "Omset/tahun",
        "Omzet per tahun",
        "Omset per tahun",
        "Omzet Tahunan",
        "Omset Tahunan",
        "Penjualan per tahun",
        "Penjualan Tahunan",
        "Hasil Penjualan",
        "Hasil Penjualan Tahunan",
        "Annual Turnover",
    ),
    "modal": (
        "Aset",
        "Asset",
        "Total Aset",
        "Aset Usaha",
        "Nilai Aset",
        "Modal",
        "Modal Usaha",
        "Kekayaan Bersih",
    ),
    "workers": (
        "Jumlah Karyawan",
        "Jumlah Tenaga Kerja",
        "Jumlah Pekerja",
        "Jumlah Pegawai",
        "Tenaga Kerja",
        "Jml TK",
        "Jumlah TK",
        "TK",
        "Karyawan",
        "Pekerja",
        "Workers",
        "Employees",
    ),
    "year": ("Tahun", "Tahun Data", "Thn", "Tahun Pendataan", "Periode"),
    "halal": (
        "Sertifikat Halal",
        "Halal",
        "No. Sertifikat Halal",
        "Nomor Sertifikat Halal",
        "Status Halal",
    ),
    "pirt": ("PIRT", "P-IRT", "SPP-IRT", "No PIRT", "No. PIRT", "Nomor PIRT", "Izin PIRT", "IRT"),
    "bpom_md": ("BPOM", "MD", "BPOM MD", "No BPOM", "No. BPOM", "Nomor BPOM", "Izin BPOM", "No MD"),
    "member_number": (
        "No Anggota",
        "Nomor Anggota",
        "No. KTA",
        "No KTA",
        "Nomor KTA",
        "KTA",
        "ID Anggota",
        "Kode Anggota",
    ),
    "is_binaan": ("Binaan", "UMKM Binaan", "Status Binaan", "Binaan Dinas"),
    "channels": (
        "Marketplace",
        "Pemasaran",
        "Saluran Pemasaran",
        "Media Penjualan",
        "Media Pemasaran",
        "Wilayah Pemasaran",
        "Jangkauan Pemasaran",
        "Penjualan Online",
        "Media Sosial",
        "Sosmed",
        "E-commerce",
        "Sales Channel",
    ),
    "notes": ("Keterangan", "Catatan", "Ket.", "Komentar", "Notes", "Note", "Remarks"),
    "row_id": ("No", "No.", "No Urut", "Nomor", "Nomor Urut", "Nmr", "Urut", "ID", "_id"),
    "submitted_at": (
        "Timestamp",
        "Cap waktu",
        "_submission_time",
        "SubmissionDate",
        "Submitted At",
        "Waktu Pengisian",
        "Tanggal Pengisian",
        "Tanggal Input",
        "Waktu Input",
    ),
    "source_uuid": ("_uuid", "uuid", "instanceID", "meta/instanceID"),
}

# Aliases that map to a field but leave the meaning open.
_AMBIGUOUS_ALIASES: Final[dict[str, str]] = {
    "Omzet": "omzet_year",
    "Omset": "omzet_year",
    "Penjualan": "omzet_year",
    "Pendapatan": "omzet_year",
    "Penghasilan": "omzet_year",
    "Turnover": "omzet_year",
    "Nama": "owner_name",
    "Name": "owner_name",
}

# Place and date of birth in one cell.
_COMBINED_PLACE_DATE_ALIASES: Final = (
    "TTL",
    "Tempat, Tanggal Lahir",
    "Tempat Tanggal Lahir",
    "Tempat/Tgl Lahir",
    "Tempat/Tgl. Lahir",
    "Tempat Tgl Lahir",
    "Tempat dan Tanggal Lahir",
)

# --------------------------------------------------------------------------------------------
# Token rules (second level), tried in order. Each group is a set of interchangeable words;
# every group must be present and no ``none_of`` word may be.
# --------------------------------------------------------------------------------------------

_NAME = frozenset({"nama", "nm", "name"})
_NUMBER = frozenset({"no", "nomor", "nomer", "nmr", "id", "kode"})
_OMZET = frozenset(
    {"omzet", "omset", "penjualan", "pendapatan", "penghasilan", "turnover", "sales", "revenue"}
)
_MONTH = frozenset({"bulan", "bln", "bl", "bulanan", "perbulan", "month", "monthly"})
_YEAR = frozenset({"tahun", "thn", "th", "tahunan", "pertahun", "year", "yearly", "annual"})
_LAT = frozenset({"latitude", "lintang", "lat"})
_LON = frozenset({"longitude", "bujur", "long", "lng", "lon"})


@dataclass(frozen=True)
class _Rule:
    field: str
    groups: tuple[frozenset[str], ...]
    none_of: frozenset[str] = frozenset()
    ambiguous: bool = False
    combined_place_date: bool = False

    def matches(self, words: frozenset[str]) -> bool:
        return all(words & group for group in self.groups) and not words & self.none_of


def _rule(field: str, *groups: Iterable[str], none_of: Iterable[str] = (), **flags: bool) -> _Rule:
    return _Rule(field, tuple(frozenset(g) for g in groups), frozenset(none_of), **flags)


_RULES: Final[tuple[_Rule, ...]] = (
    # form bookkeeping
    _rule("submitted_at", {"timestamp"}),
    _rule("submitted_at", {"cap"}, {"waktu"}),
    _rule("submitted_at", {"submission"}, {"time", "date"}),
    _rule("source_uuid", {"uuid", "instanceid"}),
    # identifiers and contact first: "NIK pemilik", "HP pemilik" are not names
    _rule("email", {"email", "surel"}),
    _rule("email", {"e"}, {"mail"}),
    _rule("nik", {"nik"}),
    _rule("nik", {"ktp"}, _NUMBER),
    _rule("nik", {"induk"}, {"kependudukan"}),
    _rule("nib", {"nib"}),
    _rule("nib", {"induk"}, {"berusaha"}),
    _rule("npwp", {"npwp"}),
    _rule("kbli_code", {"kbli"}),
    _rule("member_number", {"kta"}),
    _rule("member_number", {"anggota", "keanggotaan"}, _NUMBER),
    _rule(
        "phone",
        {"hp", "wa", "whatsapp", "telp", "telepon", "telpon", "tlp", "handphone", "ponsel"}
        | {"phone", "telephone", "kontak"},
    ),
    # birth and sex
    _rule("birth_date", {"tempat"}, {"lahir"}, combined_place_date=True),
    _rule("birth_date", {"lahir"}, {"tanggal", "tgl", "tg"}),
    _rule("birth_date", {"birth"}),
    _rule("sex", {"kelamin", "gender", "sex"}),
    # addresses
    _rule(
        "owner_address",
        {"alamat", "address"},
        {"rumah", "rmh", "ktp", "domisili", "tinggal", "pemilik", "home", "owner"},
    ),
    _rule("address", {"alamat", "address"}),
    # names: the owner rule goes first ("Nama Pemilik Usaha" is a person)
    _rule(
        "owner_name",
        _NAME,
        {"pemilik", "pelaku", "lengkap", "responden", "pengusaha", "anggota", "peserta"}
        | {"owner", "penanggung"},
    ),
    _rule(
        "business_name",
        _NAME,
        {"usaha", "umkm", "ukm", "toko", "warung", "kios", "merek", "merk", "brand"}
        | {"perusahaan", "business", "bisnis", "outlet"},
    ),
    _rule("legal_form", {"bentuk", "badan"}, {"usaha", "hukum"}),
    # permits
    _rule("halal", {"halal"}),
    _rule("pirt", {"pirt", "irt"}),
    _rule("bpom_md", {"bpom"}),
    # years
    _rule(
        "established_year",
        {"tahun", "thn", "sejak"},
        {"berdiri", "mulai", "didirikan", "pendirian", "berdirinya"},
    ),
    _rule("established_year", {"mulai"}, {"usaha"}),
    _rule("established_year", {"berdiri"}),
    # market channels before money: "Media Penjualan" is not a turnover
    _rule(
        "channels",
        {"marketplace", "pemasaran", "saluran", "channel", "ecommerce", "olshop", "sosmed"},
    ),
    _rule("channels", {"media"}, {"penjualan", "sosial", "online"}),
    _rule("channels", {"penjualan"}, {"online", "offline", "daring"}),
    # money and people
    _rule("omzet_month", _OMZET, _MONTH),
    _rule("omzet_year", _OMZET, _YEAR),
    _rule("omzet_year", _OMZET, ambiguous=True),
    _rule("modal", {"modal", "aset", "asset", "assets", "aktiva", "kekayaan", "capital"}),
    _rule("workers", {"karyawan", "pekerja", "pegawai", "tk", "workers", "employees"}),
    _rule("workers", {"tenaga"}, {"kerja"}),
    # what the business does
    _rule("products", {"produk", "komoditas", "komoditi", "product", "products"}),
    _rule("sector", {"sektor", "bidang", "kategori", "klasifikasi", "sector", "lapangan"}),
    _rule("sector", {"jenis"}, {"usaha", "kegiatan", "bisnis"}),
    # where
    _rule("latitude", _LAT, none_of=_LON),
    _rule("longitude", _LON, none_of=_LAT),
    _rule("coordinates", _LAT, _LON),
    _rule(
        "coordinates",
        {"koordinat", "coordinate", "coordinates", "gps", "geolocation", "geopoint", "titik"},
    ),
    _rule("kecamatan", {"kecamatan", "kec", "district"}),
    _rule("desa_kelurahan", {"kelurahan", "desa", "kel", "village", "kalurahan"}),
    _rule("rt_rw", {"rt"}, {"rw"}),
    _rule("rt", {"rt"}),
    _rule("rw", {"rw"}),
    _rule("postal_code", {"kode", "kd"}, {"pos"}),
    _rule("postal_code", {"kodepos", "postal", "zip"}),
    # the rest
    _rule("is_binaan", {"binaan"}),
    _rule("notes", {"keterangan", "catatan", "ket", "komentar", "note", "notes", "remarks"}),
)

# Words that mean "not one of our fields" whatever else the header says (form metadata).
_STOP_WORDS: Final = frozenset(
    {"altitude", "precision", "akurasi", "accuracy", "ketinggian", "version", "validation"}
)


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _words(text: str) -> str:
    """``"Nama_Pemilik (sesuai KTP)"`` -> ``"nama pemilik sesuai ktp"``."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def header_key(text: str) -> str:
    """Letters and digits only, lower case: the exact-match key of a header or an alias."""
    return _NON_ALNUM.sub("", fold(text))


def _header_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


# Headers known *not* to be one of our fields: they must not become a typo of one ("Tempat
# Lahir" is close to "Tempat Tgl Lahir"). Their data stays in the raw rows.
_NOT_FIELDS: Final = frozenset(
    header_key(label)
    for label in (
        "Tempat Lahir",
        "Umur",
        "Usia",
        "Agama",
        "Pendidikan",
        "Pendidikan Terakhir",
        "Status Perkawinan",
        "Pekerjaan",
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "simserial",
        "subscriberid",
        "_index",  # KoboToolbox row counter; "_id" is the submission's own number
    )
)


def _variants(header: str) -> list[str]:
    """The header as written, without parentheses, and the last segment of a group path."""
    variants = [header]
    without = _PARENTHESES.sub(" ", header)
    if without != header:
        variants.append(without)
    if "/" in without:
        segments = [segment for segment in without.split("/") if _words(segment)]
        if len(segments) > 1:
            variants.append(segments[-1])
    return variants


# --------------------------------------------------------------------------------------------
# Alias index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Alias:
    field: str
    label: str
    ambiguous: bool = False
    combined_place_date: bool = False


def _build_alias_index() -> dict[str, _Alias]:
    index: dict[str, _Alias] = {}

    def add(label: str, alias: _Alias) -> None:
        key = header_key(label)
        known = index.get(key)
        if known is not None and known.field != alias.field:
            raise ValueError(f"alias {label!r} given to {known.field} and {alias.field}")
        index.setdefault(key, alias)

    for field, labels in _ALIASES.items():
        for label in labels:
            add(label, _Alias(field, label))
    for label, field in _AMBIGUOUS_ALIASES.items():
        add(label, _Alias(field, label, ambiguous=True))
    for label in _COMBINED_PLACE_DATE_ALIASES:
        add(label, _Alias("birth_date", label, combined_place_date=True))
    return index


_ALIAS_INDEX: Final = _build_alias_index()
# Fuzzy matching only between longer keys: "rt"/"rw" or "kel"/"ket" must never be a typo.
_FUZZY_MIN_LEN: Final = 5
_FUZZY_KEYS: Final = tuple(key for key in _ALIAS_INDEX if len(key) >= _FUZZY_MIN_LEN)


# --------------------------------------------------------------------------------------------
# Matching one header
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    field: str
    score: float
    ambiguous: bool = False
    combined_place_date: bool = False
    note: str = ""


def _found_alias(alias: _Alias, score: float, note: str = "") -> _Found:
    return _found(alias.field, score, alias.ambiguous, alias.combined_place_date, note)


def _found(
    field: str, score: float, ambiguous: bool, combined_place_date: bool, note: str = ""
) -> _Found:
    if ambiguous:
        score -= AMBIGUITY_PENALTY
        note = NOTE_AMBIGUOUS.get(field, note)
    elif combined_place_date:
        note = NOTE_COMBINED_PLACE_DATE
    return _Found(field, score, ambiguous, combined_place_date, note)


def _match_exact(variant: str) -> _Found | None:
    alias = _ALIAS_INDEX.get(header_key(variant))
    return _found_alias(alias, SCORE_EXACT) if alias is not None else None


def _match_tokens(variant: str) -> _Found | None:
    words = frozenset(_words(variant).split())
    if not words:
        return None
    for rule in _RULES:
        if rule.matches(words):
            return _found(rule.field, SCORE_TOKENS, rule.ambiguous, rule.combined_place_date)
    return None


def _match_fuzzy(variant: str) -> _Found | None:
    key = header_key(variant)
    if len(key) < _FUZZY_MIN_LEN:
        return None
    best = process.extractOne(key, _FUZZY_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        return None
    alias = _ALIAS_INDEX[best[0]]
    note = NOTE_FUZZY.format(alias=alias.label)
    return _found_alias(alias, round(best[1] * FUZZY_WEIGHT, 1), note)


def _match_header(header: str) -> _Found | None:
    if header == "#":
        return _Found("row_id", SCORE_EXACT)
    if header_key(header) in _NOT_FIELDS:
        return None
    variants = _variants(header)
    if any(frozenset(_words(variant).split()) & _STOP_WORDS for variant in variants):
        return None
    for matcher in (_match_exact, _match_tokens, _match_fuzzy):
        for variant in variants:
            found = matcher(variant)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> ``"A"``, 26 -> ``"AA"``."""
    letters = ""
    number = index + 1
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def map_columns(headers: Sequence[object]) -> list[ColumnMatch]:
    """One :class:`ColumnMatch` per header cell, in column order; no field is used twice.

    ``headers`` is the header row as read (any cell type; ``None`` for an empty header).
    When several columns match the same field, the best score keeps it (the leftmost one on a
    tie); the others get ``field=None`` and a note naming the column that won.
    """
    matches: list[ColumnMatch] = []
    for index, value in enumerate(headers):
        header = _header_text(value)
        found = _match_header(header) if header else None
        if found is None:
            matches.append(ColumnMatch(index, header, None, 0.0))
        else:
            matches.append(
                ColumnMatch(
                    index,
                    header,
                    found.field,
                    found.score,
                    ambiguous=found.ambiguous,
                    note=found.note,
                    combined_place_date=found.combined_place_date,
                )
            )

    winners: dict[str, ColumnMatch] = {}
    for match in matches:
        if match.field is None:
            continue
        current = winners.get(match.field)
        if current is None or match.score > current.score:
            winners[match.field] = match
    result: list[ColumnMatch] = []
    for match in matches:
        if match.field is None or winners[match.field] is match:
            result.append(match)
            continue
        winner = winners[match.field]
        note = NOTE_DUPLICATE.format(
            label=FIELD_LABELS[match.field],
            column=column_letter(winner.index),
            other=winner.header,
        )
        result.append(
            replace(match, field=None, ambiguous=False, combined_place_date=False, note=note)
        )
    return result


def _recognised(cells: Sequence[object]) -> int:
    headers = [cell if isinstance(cell, str) else None for cell in cells]
    return sum(1 for match in map_columns(headers) if match.field is not None)


def detect_header_row(
    rows: Iterable[tuple[int, Sequence[object]]], *, max_scan: int = 25
) -> int | None:
    """Row number (as given in ``rows``) of the header row, or ``None`` when there is none.

    Looks at the first ``max_scan`` non-empty rows and picks the one with the most cells
    recognised as headers (only text cells count, so a row of column numbers "1 2 3 4" or of
    data never wins); at least two are needed. Title rows above ("DATA UMKM KELURAHAN
    CIPARE", "TAHUN 2024") have one cell and cannot win. On a tie the upper row wins.
    """
    best_number: int | None = None
    best_count = MIN_HEADER_MATCHES - 1
    scanned = 0
    for number, cells in rows:
        if not any(cell is not None and cell != "" for cell in cells):
            continue
        scanned += 1
        if scanned > max_scan:
            break
        count = _recognised(cells)
        if count > best_count:
            best_number, best_count = number, count
    return best_number


_COLUMN_NUMBER = re.compile(r"\(?\s*(\d{1,3})\s*\)?\.?")


def is_column_numbering_row(cells: Sequence[object]) -> bool:
    """True for the row of column numbers some templates put under the header.

    ``[1, 2, 3, 4]``, ``["(1)", "(2)", "(3)"]`` or ``["1", "2", ...]``: at least two cells, all
    whole numbers counting up by one from 1 or 0 (empty cells allowed in between).
    """
    numbers: list[int] = []
    for cell in cells:
        if cell is None or cell == "":
            continue
        if isinstance(cell, bool):
            return False
        if isinstance(cell, int | float) and float(cell).is_integer():
            numbers.append(int(cell))
            continue
        if isinstance(cell, str):
            match = _COLUMN_NUMBER.fullmatch(cell.strip())
            if match:
                numbers.append(int(match.group(1)))
                continue
        return False
    if len(numbers) < 2 or numbers[0] not in (0, 1):
        return False
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
