"""The forum bulk entry can be opened prefilled from a meeting elsewhere (an association
forum): its name and date; a malformed date falls back to today."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_forum_name_and_date_prefilled(dinas_client) -> None:  # noqa: ANN001
    url = reverse("kendala:forum")
    page = dinas_client.get(url, {"forum": "Forum anggota Kasemen", "tanggal": "2026-12-09"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="Forum anggota Kasemen"' in text and "2026-12-09" in text
    fallback = dinas_client.get(url, {"tanggal": "bukan-tanggal"}).content.decode()
    assert timezone.localdate().isoformat() in fallback
