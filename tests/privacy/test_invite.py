"""An officer gives an owner an account through a one-time invitation link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naikkelas.accounts.models import Invitation, Role
from naikkelas.core.exceptions import ApplicationError
from naikkelas.privacy import services
from naikkelas.registry.models import Owner
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def test_invite_creates_an_owner_account_and_shows_the_link_once(dinas_client) -> None:
    owner = make_business().owners.get()
    url = reverse("privacy:consent", args=[owner.pk])
    response = dinas_client.post(url, {"action": "invite"})
    assert response.status_code == 200
    owner.refresh_from_db()
    user = owner.user
    assert user is not None and user.role == Role.OWNER
    assert user.username.startswith("pemilik-") and len(user.username) == len("pemilik-") + 8
    assert not user.has_usable_password()
    link = response.context["invitation_link"]
    assert "/akun/undangan/" in link and link in response.content.decode()
    # the link is not kept anywhere: a later view of the page does not show it
    assert "/akun/undangan/" not in dinas_client.get(url).content.decode()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert dinas_client.get(f"/akun/undangan/{token}/").status_code == 200

    # a second invitation reuses the account and voids the first link
    again = dinas_client.post(url, {"action": "invite"})
    owner.refresh_from_db()
    assert owner.user == user
    assert Invitation.objects.filter(user=user, used_at__isnull=True).count() == 1
    assert again.context["invitation_link"] != link


def test_no_invitation_for_deleted_data(dinas_user) -> None:
    owner = make_business().owners.get()
    services.owner_anonymise(actor=dinas_user, owner=owner)
    with pytest.raises(ApplicationError):
        services.owner_account_invite(actor=dinas_user, owner=Owner.objects.get(pk=owner.pk))
