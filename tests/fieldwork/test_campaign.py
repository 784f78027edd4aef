"""The campaign page: targets per kelurahan (spread estimate or entered) and what each
enumerator's and each kelurahan's submissions became, computed independently here."""

from __future__ import annotations

import uuid

import pytest

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.core.models import AuditEvent
from naikkelas.fieldwork.models import KelurahanTarget
from naikkelas.fieldwork.selectors import campaign_progress
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.fieldwork.services.register import submissions_to_register
from naikkelas.fieldwork.services.submissions import submission_receive
from tests.conftest import make_user
from tests.factories import make_business

pytestmark = pytest.mark.django_db
URL = "/lapangan/kemajuan/"
CIPARE, KALANGANYAR = "36.73.01.1002", "36.73.06.1005"


def xml(form, *, kelurahan: str, kecamatan: str, nik: str, name: str, owner: str) -> bytes:  # noqa: ANN001
    return (
        f'<data id="{form.form_id}" version="{form.version}"><consent>ya</consent>'
        f"<owner><owner_name>{owner}</owner_name><nik>{nik}</nik></owner>"
        f"<business><business_name>{name}</business_name><sector>kuliner</sector></business>"
        f"<place><kecamatan>{kecamatan}</kecamatan><desa_kelurahan>{kelurahan}</desa_kelurahan>"
        f"<coordinates>-6.1151 106.1502 20 4</coordinates></place><meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


@pytest.fixture
def field(settings):  # noqa: ANN001, ANN201
    settings.NAIKKELAS_UMKM_ESTIMATE = 1000
    form = census_form_publish(actor=None, validate=False)[0]
    ani = make_user(Role.ENUMERATOR, "ani")
    budi = make_user(Role.ENUMERATOR, "budi")
    AreaAssignment.objects.create(user=ani, region_id=CIPARE)
    existing = make_business(name="Warung Lama", desa_kelurahan=KALANGANYAR)
    owner = existing.owners.get()
    sends = [
        (ani, CIPARE, "36.73.01", "3673054508909901", "Keripik Pisang", "Siti Aminah"),
        (ani, CIPARE, "36.73.01", "3673051208859902", "Bengkel Motor Jaya", "Dedi Kurniawan"),
        (ani, CIPARE, "36.73.01", "9999999999999999", "Salah NIK", "Ujang"),  # quarantined
        # linked: registered already
        (budi, KALANGANYAR, "36.73.06", owner.nik, "Warung Lama", owner.full_name),
    ]
    for user, kelurahan, kecamatan, owner_nik, name, owner_name in sends:
        data = xml(
            form,
            kelurahan=kelurahan,
            kecamatan=kecamatan,
            nik=owner_nik,
            name=name,
            owner=owner_name,
        )
        submission_receive(user=user, xml=data)
    submissions_to_register()
    return ani, budi


def test_progress_per_kelurahan_and_enumerator(field) -> None:
    ani, budi = field
    kelurahan, enumerators, totals = campaign_progress()
    by_code = {k.code: k for k in kelurahan}
    assert len(kelurahan) == 67  # the deployment area: Kota Serang
    cipare, kalanganyar = by_code[CIPARE], by_code[KALANGANYAR]
    assert (cipare.outcomes.submitted, cipare.outcomes.promoted, cipare.outcomes.quarantined) == (
        3,
        2,
        1,
    )
    assert (kalanganyar.outcomes.submitted, kalanganyar.outcomes.linked) == (1, 1)
    assert cipare.registered == 2 and kalanganyar.registered == 1
    # the estimate follows the register: 2 of 3 businesses in Cipare, 1 in Kalanganyar
    assert (cipare.target, kalanganyar.target) == (667, 333)
    assert totals["target"] == 1000 and totals["submitted"] == 4 and totals["registered"] == 3
    people = {p.user.username: p for p in enumerators}
    assert people["ani"].outcomes.submitted == 3 and people["ani"].areas == ["Cipare"]
    assert people["budi"].outcomes.linked == 1


def test_officers_set_and_clear_targets(client, field) -> None:
    dinas = make_user(Role.DINAS, "dinas-campaign")
    client.force_login(dinas)
    page = client.get(URL)
    assert page.status_code == 200 and "Cipare" in page.content.decode()
    response = client.post(
        URL, {f"target-{CIPARE}": "120", f"target-{KALANGANYAR}": "x", "target-99.99": "5"}
    )
    assert response.status_code == 302
    assert KelurahanTarget.objects.get().target == 120
    kelurahan, _people, _totals = campaign_progress()
    cipare = next(k for k in kelurahan if k.code == CIPARE)
    assert cipare.target == 120 and cipare.target_set
    assert AuditEvent.objects.filter(action="fieldwork.campaign_targets").exists()
    client.post(URL, {f"target-{CIPARE}": ""})
    assert not KelurahanTarget.objects.exists()


@pytest.mark.parametrize("role", [Role.ENUMERATOR, Role.PIMPINAN, Role.OWNER])
def test_roles_without_import_management_get_403(client, role) -> None:
    client.force_login(make_user(role, f"campaign-{role}"))
    assert client.get(URL).status_code == 403


def test_the_map_shows_points_without_personal_data(client, field) -> None:
    from django.contrib.staticfiles import finders

    client.force_login(make_user(Role.DINAS, "dinas-map"))
    response = client.get("/lapangan/peta/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="map-points"' in html and "Keripik Pisang (Cipare)" in html
    assert "Siti Aminah" not in html and "3673054508909901" not in html
    assert "https://tile.openstreetmap.org" in response["Content-Security-Policy"]
    assert "<script>" not in html  # code comes from files only (CSP)
    assert finders.find("vendor/leaflet-1.9.4/leaflet.js")
    assert finders.find("naikkelas/campaign_map.js")


def test_officers_see_refused_submissions_and_mark_them_handled(client, field) -> None:
    from naikkelas.fieldwork.models import RejectedSubmission

    ani, _budi = field
    submission_receive(user=ani, xml=b"<data id='pendataan_umkm'><rusak>")
    rejected = RejectedSubmission.objects.get()
    client.force_login(make_user(Role.HIPMIKINDO, "hipmi-rejected"))
    page = client.get("/lapangan/ditolak/").content.decode()
    assert "XML rusak" in page and "ani" in page
    assert "&lt;rusak&gt;" not in page and "<rusak>" not in page  # the body is not shown
    assert client.post("/lapangan/ditolak/", {"id": str(rejected.pk)}).status_code == 302
    rejected.refresh_from_db()
    assert rejected.resolved_at is not None
    assert "Tidak ada kiriman yang ditolak" in client.get("/lapangan/ditolak/").content.decode()
    assert "XML rusak" in client.get("/lapangan/ditolak/?semua=1").content.decode()
    assert AuditEvent.objects.filter(action="fieldwork.rejected_resolve").exists()


def test_a_malformed_id_changes_nothing(client, field) -> None:
    client.force_login(make_user(Role.DINAS, "dinas-rejected"))
    assert client.post("/lapangan/ditolak/", {"id": "bukan-uuid"}).status_code == 302
