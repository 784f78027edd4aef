"""Programme fixtures: a small register across Kota Serang's six kecamatan, made through the
real services (synthetic people only)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from naikkelas.accounts.models import Role
from naikkelas.programs import services
from naikkelas.programs.models import Cycle, Programme
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

# One desa/kelurahan per kecamatan of Kota Serang (36.73.01 ... 36.73.06).
KELURAHAN = {
    "36.73.01": "36.73.01.1001",
    "36.73.02": "36.73.02.1001",
    "36.73.03": "36.73.03.1001",
    "36.73.04": "36.73.04.1001",
    "36.73.05": "36.73.05.1001",
    "36.73.06": "36.73.06.1001",
}
_nib = itertools.count(1)


def business_in(
    kecamatan: str,
    *,
    sector: str = "kuliner",
    nib: bool = True,
    sex: str = "",
    owner: Owner | None = None,
    **extra: Any,
) -> Business:
    owner = owner or make_owner(
        full_name=f"Pemilik Uji {next(_nib)}", **({"sex": sex} if sex else {})
    )
    data = {
        "desa_kelurahan": KELURAHAN[kecamatan],
        "sector": sector,
        "name": f"Usaha Uji {next(_nib)}",
        **extra,
    }
    if nib:
        data["nib"] = f"91200{next(_nib):08d}"
    return make_business(owner=owner, **data)


@pytest.fixture
def officer(db) -> Any:  # noqa: ANN001
    return make_user(Role.DINAS, "petugas-program")


@pytest.fixture
def programme(officer) -> Programme:  # noqa: ANN001
    return services.programme_create(
        actor=officer, name="Pelatihan Kemasan Kuliner", kind="kemasan", organiser="dinas"
    )


def new_cycle(officer: Any, programme: Programme, **overrides: Any) -> Cycle:
    data: dict[str, Any] = {
        "name": "Angkatan 1",
        "starts_on": date(2026, 12, 7),
        "ends_on": date(2026, 12, 11),
        "capacity": 4,
        "unit_value": 1_500_000,
        "location": "Aula Dinas",
        "rules": [{"kind": "permit_held", "values": ["NIB"]}],
    }
    data.update(overrides)
    return services.cycle_create(actor=officer, programme=programme, **data)


@pytest.fixture
def cycle(officer, programme) -> Cycle:  # noqa: ANN001
    return new_cycle(officer, programme)
