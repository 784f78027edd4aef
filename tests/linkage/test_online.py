"""The online duplicate check of the new-business form: a typed record that is already in the
register is listed with its probability and reasons; the same owner's other business shows
as such; nothing outside the user's scope is ever shown; malformed input gives an empty
answer, never an error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.accounts.services import user_create
from naikkelas.linkage.candidates import likely_duplicates
from naikkelas.linkage.online_views import likely_duplicates_for_user, typed_record
from naikkelas.linkage.services.register_index import register_index_rebuild
from naikkelas.registry.models import Business
from tests.conftest import load_reference_data, make_user
from tests.e2e.conftest import browser, page  # noqa: F401  (the browser fixtures)
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db

URL = "/data-ganda/cek/"
IYAH_NIK = synthetic_nik(female=True)


@pytest.fixture
def register() -> dict[str, Business]:
    """Three businesses of Kalanganyar (Taktakan) and one of another kecamatan."""
    iyah = make_owner(full_name="Hj. Iyah Rohayati", nik=IYAH_NIK, sex="P", phone="0812-0000-4101")
    return {
        "emping": make_business(
            owner=iyah,
            name="Emping Melinjo Bu Iyah",
            desa_kelurahan="36.73.06.1005",
            address="Kp. Kalodran RT 002/RW 001",
        ),
        "other": make_business(
            owner=make_owner(full_name="Dedi Kurniawan", phone="0812-0000-4102"),
            name="Bengkel Motor Dedi",
            sector="jasa",
            desa_kelurahan="36.73.06.1005",
        ),
        "neighbour": make_business(
            owner=make_owner(full_name="Siti Aminah", phone="0812-0000-4103"),
            name="Keripik Pisang Siti",
            desa_kelurahan="36.73.06.1005",
        ),
        "far": make_business(
            owner=make_owner(full_name="Ujang Sudrajat", phone="0812-0000-4104"),
            name="Batik Banten Kasemen",
            sector="fesyen",
            desa_kelurahan="36.73.02.1007",
        ),
    }


def typed(**values: str) -> dict[str, str]:
    record = {
        "business_name": "Emping Melinjo Iyah",
        "owner_name": "Iyah Rohayati",
        "nik": IYAH_NIK,
        "phone": "",
        "address": "Kp Kalodran RT 2 RW 1",
        "kelurahan": "36.73.06.1005",
        "sector": "kuliner",
        "nib": "",
    }
    record.update(values)
    return record


def listed(response) -> list[str]:  # noqa: ANN001
    return re.findall(r'data-business-id="([0-9a-f-]+)"', response.content.decode())


def test_a_record_already_registered_is_listed_first_as_the_same_business(
    dinas_client, register
) -> None:
    # when the officer has typed the same NIK and a similar name
    response = dinas_client.post(URL, typed())

    # then the registered business is listed first, as very likely the same business
    assert response.status_code == 200
    assert listed(response)[0] == str(register["emping"].pk)
    found = likely_duplicates_for_user(user=response.wsgi_request.user, data=typed())
    assert found[0].same_business_probability >= 0.9
    html = response.content.decode()
    first = html[html.index('data-testid="online-duplicate"') :]
    percent = int(re.search(r"kemungkinan usaha yang sama: (\d+)%", first).group(1))
    assert percent >= 90
    # with the reasons, the kelurahan, a link to it and its owner's NIK masked
    assert "NIK: sama" in first
    assert "Kalanganyar" in first
    assert register["emping"].get_absolute_url() in first
    assert IYAH_NIK[:4] + "********" + IYAH_NIK[12:] in first
    assert IYAH_NIK not in html


def test_the_same_owner_with_another_business_shows_as_same_owner(dinas_client, register) -> None:
    # given the owner's NIK with another sector and another business name
    record = typed(
        business_name="Konveksi Rohayati", sector="fesyen", address="", owner_name="Iyah"
    )

    # when it is checked
    response = dinas_client.post(URL, record)

    # then the register business shows as the same owner, another business
    assert listed(response) == [str(register["emping"].pk)]
    html = response.content.decode()
    assert "pemilik sama, usaha lain:" in html
    assert "kemungkinan usaha yang sama" not in html
    found = likely_duplicates_for_user(user=response.wsgi_request.user, data=record)
    assert found[0].same_owner_probability >= 0.5
    assert found[0].other_business_probability > found[0].same_business_probability


def test_nothing_is_shown_when_no_candidate_is_likely(dinas_client, register) -> None:
    record = typed(
        business_name="Bengkel Las Maju Jaya", owner_name="Rahmat Hidayat", nik="", phone=""
    )
    response = dinas_client.post(URL, record)
    assert response.status_code == 200
    assert listed(response) == []
    assert response.content.decode().strip() == ""


def test_businesses_outside_the_users_scope_are_never_shown(client, register) -> None:
    # given an enumerator of Taktakan who registered one business there
    enumerator = make_user(Role.ENUMERATOR, "enum-taktakan")
    AreaAssignment.objects.create(user=enumerator, region_id="36.73.06")
    own = make_business(
        enumerator,
        owner=make_owner(full_name="Iyah", nik=synthetic_nik(female=True)),
        name="Emping Iyah Kalodran",
        desa_kelurahan="36.73.06.1005",
    )
    # and the same person's business in the neighbouring regency (outside every scope)
    outside = make_business(
        owner=register["emping"].owners.get(), name="Emping Melinjo Bu Iyah Kramatwatu"
    )
    Business.objects.filter(pk=outside.pk).update(
        kecamatan_id="36.04.05", desa_kelurahan_id="36.04.05.2001"
    )
    client.force_login(enumerator)
    engine = {c.business_id for c in likely_duplicates(typed(), limit=50)}
    assert {register["emping"].pk, outside.pk, own.pk} <= engine  # the engine finds all three

    # when the enumerator types the registered business
    response = client.post(URL, typed())

    # then neither the colleague's business nor the one outside the area is shown
    html = response.content.decode()
    shown = listed(response)
    assert str(register["emping"].pk) not in shown and str(outside.pk) not in shown
    assert "Emping Melinjo Bu Iyah" not in html and "Rohayati" not in html
    assert shown == [str(own.pk)]

    # and the Dinas officer, who sees the whole kota, does not see the other regency either
    dinas = make_user(Role.DINAS)
    found = likely_duplicates_for_user(user=dinas, data=typed())
    assert register["emping"].pk in {f.business.pk for f in found}
    assert outside.pk not in {f.business.pk for f in found}


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"business_name": "", "nik": "", "owner_name": ""},
        {"business_name": "Emping", "nik": "12ab"},
        {"business_name": "Emping Melinjo Iyah", "nik": "3673" * 10, "kelurahan": "x" * 5000},
        {"business_name": "Emping\x00Melinjo", "owner_name": "\x00\x1f", "phone": "+62+62++"},
        {"business_name": "Emping", "owner_name": "Iyah", "kelurahan": "99.99.99.9999"},
        {"business_name": "'; drop table x; --", "phone": "0812-0000-4101", "nib": "abc"},
        {"business_name": "Emping", "owner_name": "ا" * 300, "sector": "tidak-ada"},
    ],
)
def test_malformed_input_gives_an_empty_answer(dinas_client, register, record) -> None:
    response = dinas_client.post(URL, record)
    assert response.status_code == 200
    assert listed(response) == []


def test_the_check_also_answers_get(dinas_client, register) -> None:
    response = dinas_client.get(URL, typed())
    assert listed(response)[0] == str(register["emping"].pk)


def test_anonymous_is_sent_to_login_and_pimpinan_is_refused(client, register) -> None:
    response = client.post(URL, typed())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(make_user(Role.PIMPINAN))
    assert client.post(URL, typed()).status_code == 403


@pytest.mark.parametrize("stored_index", [False, True])
def test_query_count_is_bounded(
    dinas_client, register, django_assert_max_num_queries, stored_index
) -> None:
    if stored_index:
        register_index_rebuild()
    for index in range(20):  # more businesses of the same kelurahan and the same owner
        make_business(
            owner=register["emping"].owners.get() if index % 2 else None,
            name=f"Emping Melinjo {index}",
            desa_kelurahan="36.73.06.1005",
        )
    # the stored index is brought up to date first (the 20 new businesses: 9 queries more)
    with django_assert_max_num_queries(22 if stored_index else 11):
        response = dinas_client.post(URL, typed())
    assert len(listed(response)) == 5
    with django_assert_max_num_queries(14 if stored_index else 11):
        response = dinas_client.post(URL, typed())
    assert len(listed(response)) == 5


def test_too_little_typed_asks_the_database_nothing(
    dinas_client, register, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(2):  # the session and the user
        response = dinas_client.post(URL, {"business_name": "Emping Melinjo Iyah"})
    assert listed(response) == []


def test_typed_record_keeps_checked_columns_as_bounded_plain_text() -> None:
    record = typed_record(
        {"nik": 3673065205859001, "owner_name": ["a", " Iyah\x00 "], "extra": "x", "nib": None}
    )
    assert record == {"nik": "3673065205859001", "owner_name": "Iyah"}
    assert len(typed_record({"business_name": "x" * 10_000})["business_name"]) == 200


def test_the_new_business_form_has_the_hook(dinas_client) -> None:
    html = dinas_client.get(reverse("registry:business_create")).content.decode()
    assert "data-online-check" in html
    assert f'data-url="{URL}"' in html
    assert "linkage/online-check.js" in html
    for part in ("business_name:name", "owner_name:owner-full_name", "nik:owner-nik"):
        assert part in html


def test_the_edit_form_has_no_hook(dinas_client, register) -> None:
    url = reverse("registry:business_edit", args=[register["emping"].pk])
    html = dinas_client.get(url).content.decode()
    assert "data-online-check" not in html
    assert "online-check.js" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_shows_likely_duplicates_while_the_officer_types(
    live_server,
    page,  # noqa: F811  (the fixture imported above)
) -> None:
    # given a registered business and an officer on the new-business form
    load_reference_data()
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    nik = synthetic_nik(female=True)
    registered = make_business(
        owner=make_owner(full_name="Hj. Iyah Rohayati", nik=nik, sex="P"),
        name="Emping Melinjo Bu Iyah",
    )
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Refused" in m.text else None)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")
    page.goto(f"{live_server.url}{reverse('registry:business_create')}")
    page.wait_for_selector("[data-online-check][data-ready]", state="attached")

    # when the business name alone is typed, nothing is asked
    page.fill("#id_name", "Emping Melinjo Iyah")
    page.locator("#id_name").blur()
    page.wait_for_timeout(400)
    assert page.locator("[data-testid=online-duplicate]").count() == 0

    # and once the owner's NIK is typed too, the registered business is shown
    page.fill("#id_owner-full_name", "Iyah Rohayati")
    page.fill("#id_owner-nik", nik)
    page.locator("#id_owner-nik").blur()
    item = page.wait_for_selector("[data-testid=online-duplicate]")
    assert item.get_attribute("data-business-id") == str(registered.pk)
    assert "kemungkinan usaha yang sama" in item.inner_text()
    assert nik not in page.content()

    # and a name that no longer fits clears it
    page.fill("#id_name", "")
    page.locator("#id_name").blur()
    page.wait_for_selector("[data-testid=online-duplicate]", state="detached")
    assert not problems, problems  # no CSP violation, no script error


def test_exact_ties_are_listed_in_id_order_whatever_the_index_yields() -> None:
    # given five look-alike businesses that score exactly the same for a typed record
    twins = [
        make_business(
            owner=make_owner(full_name="Rohman Hakim", phone="", nik=synthetic_nik()),
            name="Kerupuk Kulit Rohman",
            desa_kelurahan="36.73.06.1005",
            address="Kp. Kalodran",
        )
        for _ in range(5)
    ]
    record = typed(business_name="Kerupuk Kulit Rohman", owner_name="Rohman Hakim", nik="")
    record["address"] = "Kp. Kalodran"
    found = [
        c for c in likely_duplicates(record, limit=10) if c.business_id in {t.pk for t in twins}
    ]
    assert len(found) == 5
    assert len({c.same_business_probability for c in found}) == 1
    # then the tie is broken by id, so the same input links to the same business every time
    assert [str(c.business_id) for c in found] == sorted(str(t.pk) for t in twins)
