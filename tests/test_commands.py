"""Management commands reached through `naikkelas manage`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from naikkelas.accounts.services import api_token_authenticate

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_key_that_authenticates(dinas_user) -> None:
    out = StringIO()
    call_command("create_api_token", dinas_user.username, "laporan", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("nk_")
    assert api_token_authenticate(key=key) == dinas_user


def test_create_api_token_for_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="no active user"):
        call_command("create_api_token", "siapa", "x")


def test_load_sectors_restores_the_packaged_list_and_can_run_again() -> None:
    from naikkelas.registry.models import Sector

    Sector.objects.filter(code="kuliner").update(name="diubah")
    out = StringIO()
    call_command("load_sectors", stdout=out)
    assert Sector.objects.get(code="kuliner").name != "diubah"
    assert "Sektor:" in out.getvalue()
    count = Sector.objects.count()
    call_command("load_sectors", stdout=StringIO())
    assert Sector.objects.count() == count
