"""Done-when of issue 6: a form filled by JavaRosa (Collect's engine) goes from the phone's
transport to a business an officer sees in the browser."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.fieldwork.models import Submission
from naikkelas.fieldwork.services.register import submissions_to_register
from tests.fieldwork.test_javarosa_client import (  # noqa: F401  (fixtures)
    ANSWERS,
    JPEG,
    NEEDS_JDK,
    collect,
    download_form,
    fill,
    harness,
    send,
)

pytestmark = [pytest.mark.browser, NEEDS_JDK]


@pytest.mark.django_db(transaction=True)
def test_a_javarosa_submission_is_a_business_in_the_browser(
    collect,  # noqa: F811
    harness,  # noqa: F811
    page,
    live_server,
    tmp_path,
) -> None:
    session, server = collect
    status, xml, errors = fill(harness, download_form(session, server), ANSWERS, tmp_path)
    assert status == 0, errors
    assert send(session, server, xml, JPEG) == 201
    assert send(session, server, xml, JPEG) == 202  # Collect's retry changes nothing
    submissions_to_register()  # the worker's job
    business_id = Submission.objects.get().import_row.business_id

    user_create(username="petugas-odk", password="Rahasia-123!", role=Role.DINAS)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas-odk")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/usaha/{business_id}/")
    page.wait_for_selector("h1:has-text('Warung Nasi Bu Sari')")
    page.goto(f"{live_server.url}/lapangan/kemajuan/")
    assert "1" in page.inner_text("[data-testid=totals]")
