"""Turning one mapped spreadsheet row into clean register values, with reasons (pure).

Input: ``{canonical field: raw cell}`` (officer corrections already applied). Output: the
owner, business, yearly figure, permits and channels ready for promotion, plus every issue
keyed by field. Nothing here touches the database: regions come in as a ``NameIndex``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from naikkelas.core.identifiers import Issue, parse_nib, parse_nik, parse_npwp, parse_phone
from naikkelas.core.text import compact_key
from naikkelas.intake import values
from naikkelas.regions.lookup import NameIndex

MISSING_OWNER = "Nama pemilik kosong."
MISSING_BUSINESS = "Nama usaha kosong dan tidak bisa diambil dari nama pemilik."
MISSING_KELURAHAN = "Desa/kelurahan kosong."


@dataclass(frozen=True)
class FieldIssue:
    field: str
    code: str
    message: str
    severity: str  # "error" | "warning"

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class RowResult:
    owner: dict[str, Any] = field(default_factory=dict)
    business: dict[str, Any] = field(default_factory=dict)
    figure: dict[str, Any] | None = None
    permits: list[dict[str, Any]] = field(default_factory=list)
    channels: list[tuple[str, str]] = field(default_factory=list)
    member_number: str = ""
    issues: list[FieldIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def fingerprint(self) -> str:
        """What makes two rows of one file the same business (for in-file duplicates)."""
        who = self.owner.get("nik") or compact_key(self.owner.get("full_name", ""))
        return "|".join(
            (
                who,
                compact_key(self.business.get("name", "")),
                self.business.get("desa_kelurahan", ""),
            )
        )


@dataclass(frozen=True)
class Context:
    kelurahan: NameIndex
    kecamatan: NameIndex
    known_regions: frozenset[str]
    today: date
    omzet_period: str | None = None  # "month" | "year" | None (from the header or the officer)
    default_year: int | None = None
    # For lists of one place without a location column ("Data UMKM Kelurahan Cipare").
    default_desa_kelurahan: str | None = None


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return " ".join(str(raw).split())


def _add(result: RowResult, name: str, issues: tuple[Issue, ...]) -> None:
    result.issues.extend(FieldIssue(name, i.code, i.message, i.severity) for i in issues)


def _error(result: RowResult, name: str, code: str, message: str) -> None:
    result.issues.append(FieldIssue(name, code, message, "error"))


def _identity(data: dict[str, Any], ctx: Context, result: RowResult) -> None:
    owner = result.owner
    owner["full_name"] = _text(data.get("owner_name"))
    if not owner["full_name"]:
        _error(result, "owner_name", "owner_name_missing", MISSING_OWNER)
    raw_nik = data.get("nik")
    if raw_nik not in (None, ""):
        info = parse_nik(raw_nik, known_regions=ctx.known_regions, today=ctx.today)
        _add(result, "nik", info.issues)
        if info.ok:
            owner["nik"] = info.nik
            owner["sex"], owner["birth_date"] = info.sex, info.birth_date
    if data.get("sex") not in (None, ""):
        sex = values.parse_sex(data["sex"])
        _add(result, "sex", sex.issues)
        if sex.value and not owner.get("sex"):
            owner["sex"] = sex.value
    if data.get("birth_date") not in (None, "") and not owner.get("birth_date"):
        born = values.parse_birth_date(data["birth_date"], today=ctx.today)
        if born.value is None and isinstance(data["birth_date"], str) and "," in data["birth_date"]:
            place_date = values.parse_place_and_date(data["birth_date"])
            if place_date.value is not None:
                born = values.parse_birth_date(place_date.value[1], today=ctx.today)
        _add(result, "birth_date", born.issues)
        owner["birth_date"] = born.value
    if data.get("phone") not in (None, ""):
        phone = parse_phone(data["phone"])
        _add(result, "phone", phone.issues)
        if phone.ok:
            owner["phone"] = phone.value
    owner["email"] = _text(data.get("email"))
    owner["address"] = _text(data.get("owner_address"))


def _location(data: dict[str, Any], ctx: Context, result: RowResult) -> None:
    business = result.business
    address = _text(data.get("address"))
    rt = rw = None
    if address:
        address, rt, rw = values.split_address_rt_rw(address)
    if data.get("rt_rw") not in (None, ""):
        parsed = values.parse_rt_rw(data["rt_rw"])
        _add(result, "rt_rw", parsed.issues)
        if parsed.value:
            rt, rw = parsed.value
    rt = rt or (_text(data.get("rt")).zfill(3) if _text(data.get("rt")) else None)
    rw = rw or (_text(data.get("rw")).zfill(3) if _text(data.get("rw")) else None)
    if rt or rw:
        address = f"{address} RT {rt or '-'}/RW {rw or '-'}".strip()
    business["address"] = address[:255]
    kecamatan_code = None
    kecamatan_raw = _text(data.get("kecamatan"))
    if kecamatan_raw:
        found = ctx.kecamatan.resolve(kecamatan_raw)
        if found.code is None:
            names = ", ".join(s.name for s in found.suggestions[:3])
            message = f"Kecamatan '{kecamatan_raw}' tidak dikenal."
            _error(
                result,
                "kecamatan",
                "kecamatan_unknown",
                message + (f" Mungkin: {names}." if names else ""),
            )
        kecamatan_code = found.code
    kelurahan_raw = _text(data.get("desa_kelurahan"))
    if not kelurahan_raw and ctx.default_desa_kelurahan:
        kelurahan_raw = ctx.default_desa_kelurahan
    if not kelurahan_raw:
        _error(result, "desa_kelurahan", "kelurahan_missing", MISSING_KELURAHAN)
        return
    found = ctx.kelurahan.resolve(kelurahan_raw, within=kecamatan_code)
    if found.code is None and kecamatan_code is not None:
        # the kecamatan column may be wrong; a name unique in the whole area still counts
        anywhere = ctx.kelurahan.resolve(kelurahan_raw)
        if anywhere.code is not None:
            found = anywhere
            result.issues.append(
                FieldIssue(
                    "kecamatan",
                    "kecamatan_mismatch",
                    f"Kelurahan '{kelurahan_raw}' tidak berada di kecamatan yang tertulis; "
                    "dipakai kecamatan menurut kode wilayah.",
                    "warning",
                )
            )
    if found.code is None:
        names = ", ".join(f"{s.name} ({s.code})" for s in found.suggestions[:3])
        hint = f" Mungkin: {names}." if names else ""
        _error(
            result,
            "desa_kelurahan",
            "kelurahan_ambiguous" if found.ambiguous else "kelurahan_unknown",
            (
                f"Kelurahan '{kelurahan_raw}' ada di lebih dari satu kecamatan; isi kecamatannya."
                if found.ambiguous
                else f"Kelurahan '{kelurahan_raw}' tidak ditemukan."
            )
            + hint,
        )
        return
    business["desa_kelurahan"] = found.code
    coordinates = None
    if data.get("coordinates") not in (None, ""):
        coordinates = values.parse_coordinates(data["coordinates"])
    elif data.get("latitude") not in (None, "") and data.get("longitude") not in (None, ""):
        coordinates = values.parse_coordinates(f"{data['latitude']}, {data['longitude']}")
    if coordinates is not None:
        _add(result, "coordinates", coordinates.issues)
        if coordinates.value:
            business["latitude"], business["longitude"] = coordinates.value


def _business(data: dict[str, Any], ctx: Context, result: RowResult) -> None:
    business = result.business
    name = _text(data.get("business_name"))
    if not name and result.owner.get("full_name"):
        products = _text(data.get("products"))
        name = f"{products or 'Usaha'} {result.owner['full_name']}".strip()
        result.issues.append(
            FieldIssue(
                "business_name",
                "business_name_derived",
                "Nama usaha kosong; dibuat dari produk dan nama pemilik.",
                "warning",
            )
        )
    if not name:
        _error(result, "business_name", "business_name_missing", MISSING_BUSINESS)
    business["name"] = name[:150]
    if data.get("sector") not in (None, ""):
        sector = values.parse_sector(data["sector"])
        _add(result, "sector", sector.issues)
        business["sector"] = sector.value
    else:
        business["sector"] = "lainnya"
        result.issues.append(
            FieldIssue("sector", "sector_missing", "Sektor kosong; diisi 'lainnya'.", "warning")
        )
    if data.get("legal_form") not in (None, ""):
        form = values.parse_legal_form(data["legal_form"])
        _add(result, "legal_form", form.issues)
        if form.value:
            business["legal_form"] = form.value
    business["products"] = _text(data.get("products"))[:255]
    kbli = "".join(ch for ch in _text(data.get("kbli_code")) if ch.isdigit())
    if kbli and len(kbli) != 5:
        _error(result, "kbli_code", "kbli_length", "Kode KBLI 2020 terdiri dari 5 digit.")
    elif kbli:
        business["kbli_code"] = kbli
    if data.get("nib") not in (None, ""):
        nib = parse_nib(data["nib"])
        _add(result, "nib", nib.issues)
        if nib.ok:
            business["nib"] = nib.value
    if data.get("npwp") not in (None, ""):
        npwp = parse_npwp(data["npwp"], known_regions=ctx.known_regions, today=ctx.today)
        _add(result, "npwp", npwp.issues)
        if npwp.ok:
            business["npwp"] = npwp.value
    if data.get("established_year") not in (None, ""):
        year = values.parse_year(data["established_year"], today=ctx.today)
        _add(result, "established_year", year.issues)
        business["established_year"] = year.value
    if data.get("is_binaan") not in (None, ""):
        binaan = values.parse_yes_no(data["is_binaan"])
        _add(result, "is_binaan", binaan.issues)
        business["is_binaan"] = bool(binaan.value)
    result.member_number = _text(data.get("member_number"))


def _figures(data: dict[str, Any], ctx: Context, result: RowResult) -> None:
    omzet = None
    for column, period in (("omzet_year", "year"), ("omzet_month", "month")):
        raw = data.get(column)
        if raw in (None, "") or omzet is not None:
            continue
        header_period = period if column == "omzet_month" else (ctx.omzet_period or "year")
        parsed = values.parse_amount_with_period(raw, header_period=header_period)  # type: ignore[arg-type]
        _add(result, column, parsed.issues)
        omzet = parsed.value
    modal = None
    if data.get("modal") not in (None, ""):
        parsed_modal = values.parse_rupiah(data["modal"])
        _add(result, "modal", parsed_modal.issues)
        modal = parsed_modal.value
    workers = None
    if data.get("workers") not in (None, ""):
        parsed_workers = values.parse_int_count(data["workers"])
        _add(result, "workers", parsed_workers.issues)
        workers = parsed_workers.value
    if omzet is None and modal is None and workers is None:
        return
    year = ctx.default_year or ctx.today.year - 1
    if data.get("year") not in (None, ""):
        parsed_year = values.parse_year(data["year"], today=ctx.today)
        _add(result, "year", parsed_year.issues)
        year = parsed_year.value or year
    result.figure = {"year": year, "omzet": omzet, "modal": modal, "workers": workers}


def _permits_and_channels(data: dict[str, Any], result: RowResult) -> None:
    for column, kind in (("halal", "HALAL"), ("pirt", "SPP_IRT"), ("bpom_md", "BPOM_MD")):
        raw = data.get(column)
        if raw in (None, ""):
            continue
        parsed = values.parse_certificate(raw)
        _add(result, column, parsed.issues)
        if parsed.value and parsed.value[0]:
            number = parsed.value[1] or "tercatat tanpa nomor"
            result.permits.append({"kind": kind, "number": number})
    if data.get("channels") not in (None, ""):
        channels = values.parse_channels(data["channels"])
        _add(result, "channels", channels.issues)
        result.channels = list(channels.value or [])


def validate_row(data: dict[str, Any], ctx: Context) -> RowResult:
    """Parse every mapped field of one row; errors make the row go to quarantine."""
    result = RowResult()
    _identity(data, ctx, result)
    _location(data, ctx, result)
    _business(data, ctx, result)
    _figures(data, ctx, result)
    _permits_and_channels(data, result)
    return result
