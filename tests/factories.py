"""Test data made through the real services (as the product makes it). Synthetic only:
NIKs use serials 9000-9999, phones the +62 812 0000 block."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from naikkelas.registry import services
from naikkelas.registry.models import Business, Owner

_serial = itertools.count(9001)


def synthetic_nik(
    *, region: str = "367306", birth: date = date(1985, 5, 12), female: bool = False
) -> str:
    day = birth.day + (40 if female else 0)
    return f"{region}{day:02d}{birth:%m%y}{next(_serial) % 1000 + 9000:04d}"


def make_owner(actor: Any = None, **overrides: Any) -> Owner:
    data: dict[str, Any] = {
        "full_name": "Asep Saepudin",
        "nik": synthetic_nik(),
        "phone": f"0812-0000-{next(_serial) % 10000:04d}",
        "address": "Kp. Kalodran RT 002/RW 001",
    }
    data.update(overrides)
    return services.owner_create(actor=actor, **data)


def make_business(actor: Any = None, *, owner: Owner | None = None, **overrides: Any) -> Business:
    data: dict[str, Any] = {
        "name": "Emping Melinjo Bu Iyah",
        "sector": "kuliner",
        "desa_kelurahan": "36.73.06.1005",
        "products": "emping melinjo",
        "address": "Jl. Raya Taktakan No. 5",
    }
    data.update(overrides)
    return services.business_register(actor=actor, owner=owner or make_owner(actor), data=data)
