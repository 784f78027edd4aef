"""Normalising and validating input before it reaches the register.

Every function collects *all* problems of a record into one ``ValidationError`` keyed by field,
so a form or the API can show each message next to its field and nothing is saved half-way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from naikkelas.core.identifiers import Issue, parse_nib, parse_nik, parse_npwp, parse_phone
from naikkelas.regions.catalogue import kecamatan_digit_codes
from naikkelas.regions.models import Region, RegionLevel
from naikkelas.regions.selectors import desa_kelurahan_resolve, normalise_code


class Problems:
    """Collects field errors and soft warnings while cleaning one record."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.warnings: list[dict[str, str]] = []

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def issues(self, field: str, issues: tuple[Issue, ...]) -> None:
        for issue in issues:
            if issue.severity == "error":
                self.error(field, issue.message)
            else:
                self.warnings.append({"field": field, "code": issue.code, "message": issue.message})

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def clean_nik(value: Any, problems: Problems, *, field: str = "nik") -> dict[str, Any]:
    """Return ``{"nik", "sex", "birth_date"}`` parsed from a NIK, or empties."""
    if value is None or _text(value) == "":
        return {"nik": None}
    info = parse_nik(value, known_regions=kecamatan_digit_codes())
    problems.issues(field, info.issues)
    if not info.ok:
        return {"nik": None}
    return {"nik": info.nik, "sex": info.sex, "birth_date": info.birth_date}


def clean_nib(value: Any, problems: Problems) -> str | None:
    if value is None or _text(value) == "":
        return None
    result = parse_nib(value)
    problems.issues("nib", result.issues)
    return result.value if result.ok else None


def clean_npwp(value: Any, problems: Problems) -> str:
    if value is None or _text(value) == "":
        return ""
    result = parse_npwp(value, known_regions=kecamatan_digit_codes())
    problems.issues("npwp", result.issues)
    return (result.value or "") if result.ok else ""


def clean_phone(value: Any, problems: Problems, *, field: str = "phone") -> str:
    if value is None or _text(value) == "":
        return ""
    result = parse_phone(value)
    problems.issues(field, result.issues)
    return (result.value or "") if result.ok else ""


def clean_desa_kelurahan(value: Any, problems: Problems) -> Region | None:
    """Resolve a desa/kelurahan of the deployment area from a code or a (misspelt) name."""
    text = _text(value.code if isinstance(value, Region) else value)
    if not text:
        problems.error("desa_kelurahan", _("Desa/kelurahan wajib diisi."))
        return None
    area = settings.NAIKKELAS_AREA_CODE
    if text.replace(".", "").isdigit():
        code = normalise_code(text)
        region = Region.objects.filter(code=code, level=RegionLevel.DESA_KELURAHAN).first()
        if region is None or not code.startswith(area + "."):
            problems.error(
                "desa_kelurahan",
                _("Kode desa/kelurahan %(code)s tidak ada di wilayah ini.") % {"code": text},
            )
            return None
        return region
    resolution = desa_kelurahan_resolve(name=text, area_code=area)
    if resolution.code is not None:
        return Region.objects.get(code=resolution.code)
    if resolution.suggestions:
        names = ", ".join(f"{s.name} ({s.code})" for s in resolution.suggestions)
        problems.error(
            "desa_kelurahan",
            _("Desa/kelurahan '%(name)s' tidak ditemukan persis. Mungkin maksudnya: %(names)s")
            % {"name": text, "names": names},
        )
    else:
        problems.error(
            "desa_kelurahan",
            _("Desa/kelurahan '%(name)s' tidak ditemukan di wilayah ini.") % {"name": text},
        )
    return None


def clean_owner_data(data: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Clean the personal fields of an owner; NIK fills sex and birth date when they are empty."""
    cleaned: dict[str, Any] = {}
    if "full_name" in data:
        full_name = " ".join(_text(data["full_name"]).split())
        if not full_name:
            problems.error("full_name", _("Nama pemilik wajib diisi."))
        cleaned["full_name"] = full_name
    if "nik" in data:
        parsed = clean_nik(data["nik"], problems)
        cleaned["nik"] = parsed["nik"]
        if parsed.get("sex") and not data.get("sex"):
            cleaned["sex"] = parsed["sex"]
        elif data.get("sex") and parsed.get("sex") and data["sex"] != parsed["sex"]:
            problems.warnings.append(
                {
                    "field": "sex",
                    "code": "sex_differs_from_nik",
                    "message": _("Jenis kelamin berbeda dengan yang tersirat dalam NIK."),
                }
            )
        if parsed.get("birth_date") and not data.get("birth_date"):
            cleaned["birth_date"] = parsed["birth_date"]
    if "sex" in data and "sex" not in cleaned:
        sex = _text(data["sex"]).upper()
        if sex not in ("", "L", "P"):
            problems.error("sex", _("Jenis kelamin harus L atau P."))
        cleaned["sex"] = sex
    if "birth_date" in data and "birth_date" not in cleaned:
        birth_date = data["birth_date"]
        if birth_date is not None and not isinstance(birth_date, date):
            problems.error("birth_date", _("Tanggal lahir tidak valid."))
        cleaned["birth_date"] = birth_date or None
    if "phone" in data:
        cleaned["phone"] = clean_phone(data["phone"], problems)
    for name in ("email", "address"):
        if name in data:
            cleaned[name] = _text(data[name])
    return cleaned
