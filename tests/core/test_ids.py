"""Primary keys are time-ordered UUID7s, so new rows append to the indexes."""

from __future__ import annotations

import uuid

import pytest

from naikkelas.core.ids import new_id


def test_new_ids_are_version_7_and_grow() -> None:
    ids = [new_id() for _ in range(2000)]
    assert all(isinstance(i, uuid.UUID) and i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.django_db
def test_models_get_uuid7_keys() -> None:
    from tests.factories import make_business

    business = make_business()
    assert business.pk.version == 7
    assert business.ownerships.get().owner.pk.version == 7
