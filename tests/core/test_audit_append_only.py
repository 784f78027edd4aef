"""The audit log cannot be changed: not through the ORM, and on PostgreSQL not even in SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from naikkelas.core.audit import audit_log, mask_name
from naikkelas.core.models import AuditEvent
from tests.factories import make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    return audit_log(actor=None, action="test.event", object_type="x", object_id="1")


def test_the_orm_refuses_updates_and_deletes(event) -> None:
    event.action = "test.changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_postgresql_refuses_raw_updates_and_deletes(event) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    for sql in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_person_fields_are_masked_in_the_log() -> None:
    owner = make_owner(full_name="Hj. Siti Rohmah", address="Kp. Kalodran RT 002/RW 001")
    created = AuditEvent.objects.get(action="owner.create", object_id=str(owner.pk))
    text = str(created.changes) + created.object_repr
    assert "Siti" not in text and "Kalodran" not in text and owner.nik not in text
    assert created.changes["full_name"][1] == mask_name("Hj. Siti Rohmah") == "H** S*** R*****"
