"""The census map: Leaflet (shipped with the package) starts under the CSP, the points are
on it, and the table is there whether or not the tiles load (no internet in the tests)."""

from __future__ import annotations

import uuid

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.fieldwork.services.submissions import submission_receive
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_map_starts_and_shows_the_points(live_server, page) -> None:
    load_reference_data()
    form = census_form_publish(actor=None, validate=False)[0]
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    for number, point in enumerate(("-6.1151 106.1502 20 4", "-6.1300 106.1700 15 5")):
        submission_receive(
            user=None,
            xml=(
                f'<data id="{form.form_id}" version="{form.version}"><consent>ya</consent>'
                f"<business><business_name>Usaha Peta {number}</business_name></business>"
                f"<place><desa_kelurahan>36.73.01.1002</desa_kelurahan>"
                f"<coordinates>{point}</coordinates></place>"
                f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
            ).encode(),
        )
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/lapangan/peta/")
    page.wait_for_selector("#map.ready")
    assert page.locator("path.leaflet-interactive").count() == 2  # the two points
    assert page.locator("[data-testid=points] tbody tr").count() == 2
    # tiles cannot load here (no internet): network errors are expected; a script error or
    # a CSP refusal is not
    blocked = [p for p in problems if "Refused" in p or "Content Security" in p or "Uncaught" in p]
    assert not blocked, blocked
