"""The first administrator made with `createsuperuser` (docs/install.md) is an admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from naikkelas.accounts.models import Role, User
from naikkelas.accounts.permissions import Capability, has_capability


@pytest.mark.django_db
def test_createsuperuser_gives_the_admin_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Rahasia-Sekali-123")
    call_command(
        "createsuperuser", interactive=False, username="kepala-it", email="it@example.test"
    )
    user = User.objects.get(username="kepala-it")
    assert user.role == Role.ADMIN and user.is_superuser and user.is_staff
    assert has_capability(user, Capability.OPS_MANAGE)
    assert User.objects.create_user("biasa", password="x").role == Role.DINAS
