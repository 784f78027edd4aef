"""Kendala fixtures: officers, an owner with an account and a business, categories (seeded by
the data migration; loaded again where a transactional test flushed them). Synthetic only."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from naikkelas.accounts.models import Role
from naikkelas.kendala import services
from naikkelas.kendala.models import Kendala, KendalaChannel
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def categories(db) -> None:  # noqa: ANN001
    services.kendala_categories_load()


@pytest.fixture
def officer(db) -> Any:  # noqa: ANN001
    user = make_user(Role.DINAS, "petugas-kendala")
    user.email = "petugas-kendala@dinas.example"
    user.save(update_fields=["email"])
    return user


def business_at(
    kelurahan: str = "36.73.06.1005", *, sector: str = "kuliner", **extra: Any
) -> Business:
    number = next(_n)
    extra.setdefault("name", f"Usaha Kendala {number}")
    return make_business(
        owner=make_owner(full_name=f"Pemilik Uji {number}"),
        sector=sector,
        desa_kelurahan=kelurahan,
        **extra,
    )


@pytest.fixture
def owned(db) -> dict[str, Any]:  # noqa: ANN001
    """An owner with an account and one business; and somebody else's business."""
    owner = make_owner(full_name="Siti Nurhayati")
    business = make_business(owner=owner, name="Keripik Pisang Siti")
    user = make_user(Role.OWNER, "pemilik-siti")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    other = make_business(owner=make_owner(full_name="Dadang Suhendar"), name="Bengkel Dadang")
    return {"owner": owner, "user": user, "business": business, "other": other}


def report(actor: Any = None, **overrides: Any) -> Kendala:
    """A kendala through the real service (an officer's, for a named person, by default)."""
    data: dict[str, Any] = {
        "channel": KendalaChannel.PETUGAS,
        "category": "perizinan",
        "description": "Belum paham cara mengurus NIB lewat OSS.",
        "reporter_name": "Ujang Permana",
        "reporter_phone": "0812-0000-7001",
        "desa_kelurahan": "36.73.06.1005",
    }
    data.update(overrides)
    return services.kendala_report(actor=actor, **data)
