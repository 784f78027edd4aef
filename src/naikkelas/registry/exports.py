"""The register list as rows for a spreadsheet: one row per business, the main owner's NIK and
phone masked, read in chunks so that a register of a million businesses never sits in memory.

The businesses come from ``registry.selectors.business_list`` (the same search and filters as
the list page, within the caller's scope); this module only turns them into rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import mask_name
from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.registry.models import Business, BusinessStatus, OwnerRole, Source
from naikkelas.registry.selectors import BusinessFilters

CHUNK_SIZE = 2000

COLUMNS = (
    "id",
    "name",
    "sector__name",
    "kecamatan__name",
    "desa_kelurahan__name",
    "status",
    "size_class",
    "is_binaan",
    "nib",
    "main_ownership__owner__full_name",
    "main_ownership__owner__nik",
    "main_ownership__owner__phone",
    "created_at",
    "source",
)


def business_export_header() -> list[str]:
    return [
        _("ID register"),
        _("Nama usaha"),
        _("Sektor"),
        _("Kecamatan"),
        _("Desa/kelurahan"),
        _("Status"),
        _("Kelas usaha"),
        _("Binaan"),
        _("NIB"),
        _("Pemilik utama"),
        _("NIK pemilik (disamarkan)"),
        _("HP pemilik (disamarkan)"),
        _("Tanggal terdaftar"),
        _("Sumber"),
    ]


def business_export_rows(businesses: QuerySet[Business]) -> Iterator[list[Any]]:
    """One row per business of ``businesses`` (in its order), as the header says.

    One query with the main owner joined (a business has at most one), read with a cursor
    ``CHUNK_SIZE`` rows at a time: no query per row, no prefetch held for the whole list.
    """
    main_owner = FilteredRelation("ownerships", condition=Q(ownerships__role=OwnerRole.PEMILIK))
    values = (
        businesses.prefetch_related(None).annotate(main_ownership=main_owner).values_list(*COLUMNS)
    )
    statuses = {code: str(label) for code, label in BusinessStatus.choices}
    sources = {code: str(label) for code, label in Source.choices}
    sectors: dict[str, str] = {}
    yes, no = _("ya"), _("tidak")
    for (
        pk,
        name,
        sector,
        kecamatan,
        kelurahan,
        status,
        size_class,
        is_binaan,
        nib,
        owner_name,
        nik,
        phone,
        created_at,
        source,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        if sector not in sectors:
            sectors[sector] = _(sector)
        yield [
            str(pk),
            name,
            sectors[sector],
            kecamatan,
            kelurahan,
            statuses.get(status, status),
            size_class,
            yes if is_binaan else no,
            nib or "",
            owner_name or "",
            mask_nik(nik) if nik else "",
            mask_phone(phone) if phone else "",
            timezone.localtime(created_at).date(),
            sources.get(source, source),
        ]


def business_export_filters(filters: BusinessFilters) -> dict[str, Any]:
    """The filters as they go to the metadata sheet and the audit log: only those set, the
    search text masked (it may be a name, a NIK or a phone number)."""
    described: dict[str, Any] = {}
    for key, value in asdict(filters).items():
        if key == "status":
            described[key] = value or _("semua")
        elif value is None or value == "":
            continue
        elif isinstance(value, bool):
            described[key] = _("ya") if value else _("tidak")
        elif key == "q":
            described[key] = mask_name(str(value))
        else:
            described[key] = value
    return described
