"""Reading regions: by code, the deployment's kecamatan and kelurahan, tolerant name lookup."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from naikkelas.regions.lookup import Candidate, NameIndex, Resolution
from naikkelas.regions.models import Region, RegionLevel


def normalise_code(code: str) -> str:
    """Accept ``3673061005`` or ``36.73.06.1005``; return the dotted official form."""
    raw = code.strip().replace(".", "")
    if not raw.isdigit():
        return code.strip()
    parts = [raw[:2], raw[2:4], raw[4:6], raw[6:]]
    return ".".join(p for p in parts if p)


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=normalise_code(code)).first()


def deployment_area() -> Region | None:
    return region_get(code=settings.NAIKKELAS_AREA_CODE)


def kecamatan_list(*, area_code: str | None = None) -> QuerySet[Region]:
    """The kecamatan of a kota/kabupaten, or of every kota/kabupaten of a province."""
    area = area_code or settings.NAIKKELAS_AREA_CODE
    return Region.objects.filter(level=RegionLevel.KECAMATAN, code__startswith=area + ".")


_KECAMATAN_CODES: dict[str, tuple[str, ...]] = {}


def area_kecamatan_codes(*, area_code: str | None = None) -> tuple[str, ...]:
    """The codes of ``kecamatan_list``, remembered per process: every register page asks for
    them (the deployment's scope) and they change only when the catalogue is loaded, which
    forgets them (``forget_area_codes``). An empty answer is not remembered."""
    area = area_code or settings.NAIKKELAS_AREA_CODE
    codes = _KECAMATAN_CODES.get(area)
    if codes is None:
        codes = tuple(kecamatan_list(area_code=area).values_list("code", flat=True))
        if codes:
            _KECAMATAN_CODES[area] = codes
    return codes


def forget_area_codes() -> None:
    _KECAMATAN_CODES.clear()


def desa_kelurahan_list(
    *, kecamatan_code: str | None = None, area_code: str | None = None
) -> QuerySet[Region]:
    qs = Region.objects.filter(level=RegionLevel.DESA_KELURAHAN).select_related("parent")
    if kecamatan_code:
        return qs.filter(parent_id=kecamatan_code)
    area = area_code or settings.NAIKKELAS_AREA_CODE
    return qs.filter(code__startswith=area + ".")


def desa_kelurahan_resolve(
    *, name: str, kecamatan_code: str | None = None, area_code: str | None = None
) -> Resolution:
    """Find a desa/kelurahan of the deployment area by (misspelt) name or by code."""
    by_code = region_get(code=name) if name.replace(".", "").strip().isdigit() else None
    if by_code is not None and by_code.level == RegionLevel.DESA_KELURAHAN:
        return Resolution(code=by_code.code)
    candidates = [
        Candidate(code=r.code, name=r.name, parent_code=r.parent_id)
        for r in desa_kelurahan_list(area_code=area_code).only("code", "name", "parent_id")
    ]
    return NameIndex(candidates).resolve(name, within=kecamatan_code)
