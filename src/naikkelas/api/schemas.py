"""Input and output schemas of the register API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.registry.models import Business, Owner


class RegionOut(Schema):
    code: str
    name: str


class SectorOut(Schema):
    code: str
    name: str


class OwnerOut(Schema):
    """Owners as the API shows them: NIK and phone masked (UU 27/2022)."""

    id: UUID
    full_name: str
    nik_masked: str
    sex: str
    phone_masked: str
    created_at: dt.datetime

    @staticmethod
    def resolve_nik_masked(obj: Owner) -> str:
        return mask_nik(obj.nik) if obj.nik else ""

    @staticmethod
    def resolve_phone_masked(obj: Owner) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class OwnerIn(Schema):
    full_name: str = Field(min_length=1, max_length=150)
    nik: str | None = Field(default=None, description="16 digits, as on the KTP")
    sex: str = Field(default="", description="L or P; taken from the NIK when empty")
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


class OwnerPatch(Schema):
    full_name: str | None = None
    nik: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class FigureIn(Schema):
    year: int
    omzet: int | None = Field(default=None, description="annual sales, rupiah")
    modal: int | None = Field(default=None, description="capital excluding land and buildings")
    workers: int | None = None


class FigureOut(FigureIn):
    size_class: str
    size_class_basis: str
    rule_id: str


class PermitOut(Schema):
    id: UUID
    kind: str
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    detail: str


class ChannelOut(Schema):
    id: UUID
    kind: str
    name: str
    url: str


class BusinessFields(Schema):
    legal_form: str | None = None
    kbli_code: str | None = None
    products: str | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str | None = None
    email: str | None = None
    established_year: int | None = None
    nib: str | None = None
    nib_issued_on: dt.date | None = None
    npwp: str | None = None
    is_binaan: bool | None = None
    binaan_since: dt.date | None = None


class BusinessIn(BusinessFields):
    name: str = Field(min_length=1, max_length=150)
    sector: str = Field(description="sector code, e.g. kuliner")
    desa_kelurahan: str = Field(description="Kemendagri code (36.73.06.1005) or name")
    owner_id: UUID | None = Field(default=None, description="an owner already in the register")
    owner: OwnerIn | None = Field(default=None, description="a new owner (reused if NIK known)")
    figures: list[FigureIn] = Field(default_factory=list)


class BusinessPatch(BusinessFields):
    name: str | None = None
    sector: str | None = None
    desa_kelurahan: str | None = None


class BusinessListOut(Schema):
    id: UUID
    name: str
    sector: SectorOut
    kecamatan: RegionOut
    desa_kelurahan: RegionOut
    size_class: str
    is_binaan: bool
    has_nib: bool
    status: str
    owner_name: str

    @staticmethod
    def resolve_has_nib(obj: Business) -> bool:
        return bool(obj.nib)

    @staticmethod
    def resolve_owner_name(obj: Business) -> str:
        ownerships = getattr(obj, "main_ownerships", None)
        if ownerships is None:
            ownerships = [o for o in obj.ownerships.all() if o.role == "pemilik"]
        return ownerships[0].owner.full_name if ownerships else ""


class OwnershipOut(Schema):
    role: str
    owner: OwnerOut


class BusinessOut(BusinessListOut):
    legal_form: str
    kbli_code: str
    products: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    phone_masked: str
    email: str
    established_year: int | None
    nib: str | None
    nib_issued_on: dt.date | None
    size_class_year: int | None
    binaan_since: dt.date | None
    closed_on: dt.date | None
    closed_reason: str
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime
    owners: list[OwnershipOut]
    figures: list[FigureOut]
    permits: list[PermitOut]
    channels: list[ChannelOut]

    @staticmethod
    def resolve_phone_masked(obj: Business) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_owners(obj: Business) -> list:
        return list(obj.ownerships.all())

    @staticmethod
    def resolve_figures(obj: Business) -> list:
        return list(obj.figures.all())

    @staticmethod
    def resolve_permits(obj: Business) -> list:
        return list(obj.permits.all())

    @staticmethod
    def resolve_channels(obj: Business) -> list:
        return list(obj.channels.all())
