"""Shared fixtures: reference data, users, a logged-in client, factories."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role, User
from naikkelas.accounts.services import user_create
from naikkelas.regions.services import region_catalogue_load
from naikkelas.registry.services import sector_catalogue_load

# Kota Serang plus Kabupaten Serang (where many Kota Serang residents' NIKs were issued).
TEST_AREAS = ("36.73", "36.04")


def load_reference_data() -> None:
    region_catalogue_load(within=TEST_AREAS)
    sector_catalogue_load()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Real hashing costs ~0.7 s per user; tests do not need its strength."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001
    with django_db_blocker.unblock():
        load_reference_data()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that flush the database (live server, transactional) run last."""

    def flushes(item: pytest.Item) -> bool:
        names = getattr(item, "fixturenames", ())
        return "live_server" in names or "transactional_db" in names

    items.sort(key=flushes)


def make_user(role: Role, username: str | None = None) -> User:
    return user_create(username=username or f"test-{role}", password="Rahasia-123!", role=role)


@pytest.fixture
def dinas_user(db) -> User:  # noqa: ANN001
    return make_user(Role.DINAS)


@pytest.fixture
def dinas_client(client, dinas_user):  # noqa: ANN001
    client.force_login(dinas_user)
    return client
