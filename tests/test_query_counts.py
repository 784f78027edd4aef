"""List pages do not grow their number of SQL queries with the number of rows (no N+1):
each page is requested with a few rows and with many, and must make the same number of
queries. Every HTML list page and every API list endpoint is here; rows are made through the
real services (synthetic people only)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.accounts import services as accounts
from naikkelas.accounts.models import Role, User
from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.services.submissions import submission_receive
from naikkelas.intake.models import ImportBatch
from naikkelas.intake.services import import_batch_run, import_batch_stage
from naikkelas.kendala import services as kendala
from naikkelas.kendala.models import KendalaChannel
from naikkelas.linkage.models import MatchSource
from naikkelas.linkage.services import business_merge, match_candidate_record, owner_merge
from naikkelas.market import services as market
from naikkelas.privacy import services as privacy
from naikkelas.privacy.models import ConsentMethod, RequestKind
from naikkelas.programs import services as programs
from naikkelas.programs.models import Cycle, Programme
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner, synthetic_nik
from tests.programs.conftest import business_in, new_cycle

pytestmark = pytest.mark.django_db

Add = Callable[[int], None]
_n = itertools.count(1)


def queries(client, url: str) -> int:  # noqa: ANN001
    """The queries one GET makes, a streamed body read to its end included."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def grows(client, url: Callable[[], str], add: Add) -> tuple[int, int]:  # noqa: ANN001
    # once before counting: per-process caches (e.g. the search's FTS table lookup) are filled
    # here, so that neither measured request pays for them
    queries(client, url())
    add(3)
    few = queries(client, url())
    add(12)
    many = queries(client, url())
    return few, many


def assert_flat(client, url: Callable[[], str] | str, add: Add) -> None:  # noqa: ANN001
    address = url if callable(url) else lambda: url
    few, many = grows(client, address, add)
    assert few == many, f"{address()}: {few} queries with 3 rows, {many} with 15"


def assert_same(client, few_url: str, many_url: str) -> None:  # noqa: ANN001
    """For rows that belong to one parent (an import's rows): a small and a large parent."""
    queries(client, few_url)
    few, many = queries(client, few_url), queries(client, many_url)
    assert few == many, f"{few_url}: {few} queries, {many_url}: {many}"


def api_client(user: User) -> Client:
    _token, key = accounts.api_token_create(user=user, name="uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def adding(make: Callable[[], Any]) -> Add:
    def add(n: int) -> None:
        for _ in range(n):
            make()

    return add


@pytest.fixture
def admin_client(client) -> Client:  # noqa: ANN001
    client.force_login(make_user(Role.ADMIN, "admin-kueri"))
    return client


@pytest.fixture
def owned(client) -> dict[str, Any]:  # noqa: ANN001
    """An owner with an account (signed in on ``client``) and one business."""
    owner = make_owner(full_name="Pemilik Portal")
    user = make_user(Role.OWNER, "pemilik-kueri")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    business = business_in("36.73.02", owner=owner)
    client.force_login(user)
    return {"client": client, "owner": owner, "user": user, "business": business}


# --------------------------------------------------------------------------------------------
# The register
# --------------------------------------------------------------------------------------------


def full_business(actor: Any = None) -> Business:
    """A business with what the filters look at: NIB, a halal permit, a membership."""
    business = business_in("36.73.01")
    number = next(_n)
    registry.permit_add(actor=actor, business=business, kind="HALAL", number=f"ID3673{number:08d}")
    registry.membership_set(actor=actor, business=business, number=f"HPK-Q{number}", since=None)
    registry.yearly_figure_set(
        actor=actor, business=business, year=2024, omzet=90_000_000, modal=None, workers=2
    )
    return business


REGISTER_FILTERS = [
    "",
    "q=Usaha",
    "q=Pemilik",
    "kecamatan=36.73.01",
    "sector=kuliner",
    "has_halal=1",
    "is_member=1",
    "has_nib=1&status=",
]


@pytest.mark.parametrize("query", REGISTER_FILTERS)
def test_register_list(dinas_client, query: str) -> None:  # noqa: ANN001
    url = f"{reverse('registry:business_list')}?{query}"
    assert_flat(dinas_client, url, adding(full_business))


@pytest.mark.parametrize("query", ["format=csv", "format=csv&q=Usaha&has_halal=1"])
def test_register_export(dinas_client, query: str) -> None:  # noqa: ANN001
    url = f"{reverse('registry:business_export')}?{query}"
    assert_flat(dinas_client, url, adding(full_business))


@pytest.mark.parametrize("query", ["", "q=Usaha", "kecamatan=36.73.01&has_halal=1&is_member=1"])
def test_register_api(dinas_user, query: str) -> None:  # noqa: ANN001
    assert_flat(api_client(dinas_user), f"/api/v1/businesses?{query}", adding(full_business))


@pytest.mark.parametrize("query", ["", "q=Pemilik"])
def test_owner_api(dinas_user, query: str) -> None:  # noqa: ANN001
    assert_flat(api_client(dinas_user), f"/api/v1/owners?{query}", adding(full_business))


# --------------------------------------------------------------------------------------------
# Accounts: users and the audit log
# --------------------------------------------------------------------------------------------


def test_user_list(admin_client) -> None:  # noqa: ANN001
    actor = User.objects.get(username="admin-kueri")

    def invite() -> None:
        accounts.user_invite(
            actor=actor,
            username=f"enum-{next(_n)}",
            full_name="Ujang Suherman",
            email="",
            role=Role.ENUMERATOR,
            area_codes=["36.73.02", "36.73.06.1005"],
        )

    assert_flat(admin_client, reverse("accounts:user_list"), adding(invite))


def test_audit_list(admin_client) -> None:  # noqa: ANN001
    actor = User.objects.get(username="admin-kueri")

    def event() -> None:
        business = make_business(actor=actor)
        audit_log(actor=actor, action="business.update", instance=business, changes={"a": [1, 2]})

    assert_flat(admin_client, reverse("accounts:audit_list"), adding(event))


# --------------------------------------------------------------------------------------------
# Likely duplicates: the review queue and the merges
# --------------------------------------------------------------------------------------------


def candidate_pair() -> None:
    left, right = make_business(name="Emping Bu Iyah"), make_business(name="Emping Iyah")
    for level, a, b in (
        ("business", left, right),
        ("owner", left.owners.get(), right.owners.get()),
    ):
        match_candidate_record(
            level=level,
            left=a,
            right=b,
            probability=0.8,
            weight=2.0,
            explanation={},
            source=MatchSource.BATCH,
        )


def test_linkage_queue(dinas_client) -> None:  # noqa: ANN001
    assert_flat(dinas_client, reverse("linkage:queue"), adding(candidate_pair))


def test_linkage_merges(dinas_client, dinas_user) -> None:  # noqa: ANN001
    def merges() -> None:
        business_merge(actor=dinas_user, survivor=make_business(), merged=make_business())
        owner_merge(actor=dinas_user, survivor=make_owner(), merged=make_owner())

    assert_flat(dinas_client, reverse("linkage:merge_list"), adding(merges))


# --------------------------------------------------------------------------------------------
# Imports: the batch list, one import's quarantine and its rows
# --------------------------------------------------------------------------------------------

HEADER = ["Nama Pemilik", "NIK", "Nama Usaha", "No HP", "Alamat", "Kelurahan", "Sektor"]


def imported(directory: Path, rows: int) -> ImportBatch:
    """An import of ``rows`` rows: every third with a broken NIK (quarantined)."""
    number = next(_n)
    path = directory / f"daftar-{number}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            nik = "12345" if index % 3 == 0 else synthetic_nik()
            writer.writerow(
                [
                    f"Pemilik Impor {number} {index}",
                    nik,
                    f"Usaha Impor {number} {index}",
                    "",
                    f"Jl. Uji No. {index}",
                    "Cipare",
                    "kuliner",
                ]
            )
    batch, _created = import_batch_stage(
        actor=None, path=path, file_name=path.name, source="uji-kueri"
    )
    return import_batch_run(actor=None, batch=batch)


def test_import_batch_list(dinas_client, dinas_user, tmp_path: Path) -> None:  # noqa: ANN001
    add = adding(lambda: imported(tmp_path, 2))
    assert_flat(dinas_client, reverse("intake:batch_list"), add)
    assert_flat(api_client(dinas_user), "/api/v1/imports", add)


def test_import_quarantine_and_rows(dinas_client, dinas_user, tmp_path: Path) -> None:  # noqa: ANN001
    small, large = imported(tmp_path, 4), imported(tmp_path, 40)
    assert large.quarantined > small.quarantined > 0
    for name, query in (
        ("intake:batch_detail", ""),
        ("intake:row_list", ""),
        ("intake:row_list", "?status=quarantined"),
    ):
        assert_same(
            dinas_client,
            reverse(name, args=[small.pk]) + query,
            reverse(name, args=[large.pk]) + query,
        )
    api = api_client(dinas_user)
    assert_same(api, f"/api/v1/imports/{small.pk}/rows", f"/api/v1/imports/{large.pk}/rows")


def test_field_rejected_list(dinas_client, dinas_user) -> None:  # noqa: ANN001
    enumerator = make_user(Role.ENUMERATOR, "enum-kueri")

    def rejected() -> None:
        submission_receive(user=enumerator, xml=b"<data id='pendataan_umkm'><rusak>")

    assert_flat(dinas_client, "/lapangan/ditolak/", adding(rejected))


# --------------------------------------------------------------------------------------------
# Guidance
# --------------------------------------------------------------------------------------------


def test_guidance_findings(dinas_client) -> None:  # noqa: ANN001
    url = f"{reverse('guidance:findings')}?temuan=nib-missing&status=active"
    assert_flat(dinas_client, url, adding(lambda: business_in("36.73.04", nib=False)))


# --------------------------------------------------------------------------------------------
# Programmes
# --------------------------------------------------------------------------------------------


def programme_with_cycle(actor: Any) -> Cycle:
    programme = programs.programme_create(
        actor=actor, name=f"Program {next(_n)}", kind="pelatihan", organiser="dinas"
    )
    cycle = new_cycle(actor, programme, capacity=40, rules=[])
    programs.application_nominate(actor=actor, cycle=cycle, business=business_in("36.73.03"))
    return cycle


def test_programme_list(dinas_client, dinas_user) -> None:  # noqa: ANN001
    add = adding(lambda: programme_with_cycle(dinas_user))
    assert_flat(dinas_client, reverse("programs:programme_list"), add)
    api = api_client(dinas_user)
    assert_flat(api, "/api/v1/programmes", add)
    assert_flat(api, "/api/v1/cycles", add)


def test_programme_detail(dinas_client, dinas_user) -> None:  # noqa: ANN001
    programme = programs.programme_create(
        actor=dinas_user, name="P", kind="pelatihan", organiser="dinas"
    )
    add = adding(lambda: new_cycle(dinas_user, programme, name=f"Angkatan {next(_n)}", rules=[]))
    assert_flat(dinas_client, reverse("programs:programme_detail", args=[programme.pk]), add)
    assert_flat(api_client(dinas_user), f"/api/v1/programmes/{programme.pk}/cycles", add)


def test_programme_cycle_page(dinas_client, dinas_user) -> None:  # noqa: ANN001
    officer = dinas_user
    programme = programs.programme_create(
        actor=officer, name="P", kind="pelatihan", organiser="dinas"
    )
    cycle = new_cycle(officer, programme, capacity=40, rules=[])

    def add(n: int) -> None:
        for _ in range(n):
            programs.application_nominate(
                actor=officer, cycle=cycle, business=business_in("36.73.02")
            )

    assert_flat(dinas_client, lambda: cycle.get_absolute_url(), add)
    assert_flat(api_client(officer), f"/api/v1/cycles/{cycle.pk}/applications", add)


def enrolled_cycle(officer: Any, programme: Programme, applicants: int) -> Cycle:
    """A cycle after selection, every applicant enrolled (with an attendance)."""
    cycle = new_cycle(officer, programme, name=f"Angkatan {next(_n)}", capacity=40, rules=[])
    for _ in range(applicants):
        programs.application_nominate(actor=officer, cycle=cycle, business=business_in("36.73.05"))
    programs.cycle_publish(actor=officer, cycle=cycle)
    programs.selection_run(actor=officer, cycle=cycle)
    programs.enrol_selected(actor=officer, cycle=cycle)
    return cycle


def test_enrolled_cycle_page_and_enrolments(dinas_client, dinas_user) -> None:  # noqa: ANN001
    programme = programs.programme_create(
        actor=dinas_user, name="P", kind="pelatihan", organiser="dinas"
    )
    small, large = (enrolled_cycle(dinas_user, programme, n) for n in (3, 15))
    assert large.enrolments.count() == 15
    api = api_client(dinas_user)
    assert_same(dinas_client, small.get_absolute_url(), large.get_absolute_url())
    for path in ("applications", "enrolments"):
        assert_same(api, f"/api/v1/cycles/{small.pk}/{path}", f"/api/v1/cycles/{large.pk}/{path}")


def test_aid_ledger_api(dinas_user) -> None:  # noqa: ANN001
    business = business_in("36.73.01")

    def aid() -> None:
        programs.aid_record_create(
            actor=dinas_user,
            business=business,
            kind="pelatihan",
            description="Pelatihan 2025",
            received_on=date(2025, 6, 1),
            value=500_000,
        )

    assert_flat(api_client(dinas_user), f"/api/v1/businesses/{business.pk}/aid", adding(aid))


def test_fairness_and_reports(dinas_client) -> None:  # noqa: ANN001
    add = adding(lambda: business_in("36.73.04"))
    for name in ("programs:fairness", "reports:overview", "reports:naik_kelas"):
        assert_flat(dinas_client, reverse(name), add)


# --------------------------------------------------------------------------------------------
# Kendala
# --------------------------------------------------------------------------------------------


def officer_kendala(officer: Any) -> None:
    item = kendala.kendala_report(
        actor=officer,
        channel=KendalaChannel.PETUGAS,
        category="perizinan",
        description="Belum paham cara mengurus NIB lewat OSS.",
        business=business_in("36.73.06"),
    )
    kendala.kendala_assign(actor=officer, kendala=item, assignee=officer)
    kendala.kendala_report(
        actor=officer,
        channel=KendalaChannel.PETUGAS,
        category="pemasaran",
        description="Ingin masuk ritel modern.",
        reporter_name="Ujang Permana",
        reporter_phone="0812-0000-7001",
        desa_kelurahan="36.73.06.1005",
    )


@pytest.mark.parametrize("query", ["", "?status=open", "?category=perizinan&kecamatan=36.73.06"])
def test_kendala_officer_list(dinas_client, dinas_user, query: str) -> None:  # noqa: ANN001
    kendala.kendala_categories_load()
    add = adding(lambda: officer_kendala(dinas_user))
    assert_flat(dinas_client, reverse("kendala:manage_list") + query, add)
    assert_flat(api_client(dinas_user), "/api/v1/kendala" + query, add)


def test_kendala_planning(dinas_client, dinas_user) -> None:  # noqa: ANN001
    kendala.kendala_categories_load()
    add = adding(lambda: officer_kendala(dinas_user))
    assert_flat(dinas_client, reverse("kendala:planning"), add)


# --------------------------------------------------------------------------------------------
# Market: a business's products and listings, affiliates, the public catalogue
# --------------------------------------------------------------------------------------------


def product_with_listing(actor: Any, business: Business) -> None:
    from tests.market.test_images import jpeg_with_gps

    product = market.product_create(
        actor=actor, business=business, data={"name": f"Produk {next(_n)}", "price": 1000}
    )
    market.product_photo_add(actor=actor, product=product, data=jpeg_with_gps((50, 50)))
    market.listing_save(
        actor=actor,
        business=business,
        data={"kind": "retail", "retailer": "alfamart", "product": product, "status": "listed"},
    )


def test_market_business_products(dinas_client, dinas_user) -> None:  # noqa: ANN001
    business = business_in("36.73.02", is_binaan=True, binaan_since=date(2025, 1, 10))
    add = adding(lambda: product_with_listing(dinas_user, business))
    assert_flat(dinas_client, reverse("market:business", args=[business.pk]), add)
    api = api_client(dinas_user)
    for path in ("products", "listings"):
        assert_flat(api, f"/api/v1/businesses/{business.pk}/{path}", add)


def test_affiliates(dinas_client, dinas_user) -> None:  # noqa: ANN001
    def affiliate() -> None:
        saved = market.affiliate_save(
            actor=dinas_user,
            data={"name": f"Afiliasi {next(_n)}", "relation": "keluarga", "platforms": ["tiktok"]},
        )
        market.affiliate_result_set(
            actor=dinas_user,
            affiliate=saved,
            month=date(2025, 1, 1),
            orders=3,
            sales=90_000,
            commission=4_500,
        )

    assert_flat(dinas_client, reverse("market:affiliates"), adding(affiliate))


def test_affiliate_results(dinas_client, dinas_user) -> None:  # noqa: ANN001
    saved = market.affiliate_save(
        actor=dinas_user, data={"name": "Rina", "relation": "keluarga", "platforms": ["tiktok"]}
    )
    months = itertools.count()

    def result() -> None:
        month = next(months)
        market.affiliate_result_set(
            actor=dinas_user,
            affiliate=saved,
            month=date(2023 + month // 12, month % 12 + 1, 1),
            orders=3,
            sales=90_000,
            commission=4_500,
        )

    assert_flat(dinas_client, reverse("market:affiliate", args=[saved.pk]), adding(result))


def test_public_catalogue(client, dinas_user) -> None:  # noqa: ANN001
    def published() -> None:
        business = business_in("36.73.03", is_binaan=True, binaan_since=date(2025, 1, 1))
        market.storefront_set(
            actor=dinas_user,
            business=business,
            display_name="Toko",
            published=True,
            consent_note="uji",
        )
        product_with_listing(dinas_user, business)

    add = adding(published)
    assert_flat(client, reverse("market:catalogue"), add)
    assert_flat(api_client(dinas_user), "/api/v1/catalogue", add)


# --------------------------------------------------------------------------------------------
# Personal data: the officers' list of data-subject requests
# --------------------------------------------------------------------------------------------


def test_data_subject_requests(dinas_client, dinas_user) -> None:  # noqa: ANN001
    def requests() -> None:
        owner = make_business().owners.get()
        privacy.dsr_create(actor=None, owner=owner, kind=RequestKind.ACCESS)
        done = privacy.dsr_create(actor=None, owner=owner, kind=RequestKind.CORRECTION, details="x")
        privacy.dsr_process(actor=dinas_user, request=done, decision="rejected", resolution="-")

    assert_flat(dinas_client, reverse("privacy:request_list"), adding(requests))


# --------------------------------------------------------------------------------------------
# The owner portal (/saya/...) and its API (/api/v1/me/...)
# --------------------------------------------------------------------------------------------


def owners_business(owned: dict[str, Any], dinas_user: Any) -> Business:
    """One more business of the signed-in owner, with figures, a permit and a channel."""
    business = business_in("36.73.02", owner=owned["owner"])
    registry.yearly_figure_set(
        actor=dinas_user, business=business, year=2024, omzet=90_000_000, modal=None, workers=2
    )
    registry.permit_add(
        actor=dinas_user, business=business, kind="HALAL", number=f"ID3611{next(_n):08d}"
    )
    return business


def test_owner_my_data(owned, dinas_user) -> None:  # noqa: ANN001
    privacy.consent_record(
        actor=dinas_user, owner=owned["owner"], method=ConsentMethod.OFFICER, given_by="Pemilik"
    )
    add = adding(lambda: owners_business(owned, dinas_user))
    assert_flat(owned["client"], reverse("privacy:my_data"), add)


def test_owner_programmes(owned, dinas_user) -> None:  # noqa: ANN001
    cycle = programme_with_cycle(dinas_user)
    programs.cycle_open(actor=dinas_user, cycle=cycle)

    def apply() -> None:
        business = owners_business(owned, dinas_user)
        programs.application_apply(actor=owned["user"], cycle=cycle, business=business)

    add = adding(apply)
    assert_flat(owned["client"], reverse("programs:my_programmes"), add)
    api = api_client(owned["user"])
    assert_flat(api, "/api/v1/me/applications", add)

    def open_cycle() -> None:
        programs.cycle_open(actor=dinas_user, cycle=programme_with_cycle(dinas_user))

    assert_flat(owned["client"], reverse("programs:my_programmes"), adding(open_cycle))
    assert_flat(api, "/api/v1/me/cycles", adding(open_cycle))


def test_owner_kendala(owned, dinas_user) -> None:  # noqa: ANN001
    kendala.kendala_categories_load()

    def report() -> None:
        item = kendala.kendala_report(
            actor=owned["user"],
            channel=KendalaChannel.PORTAL,
            business=owners_business(owned, dinas_user),
            category="perizinan",
            description="Belum paham cara mengurus NIB lewat OSS.",
        )
        kendala.kendala_respond(actor=dinas_user, kendala=item, response="Ikut klinik NIB.")

    add = adding(report)
    assert_flat(owned["client"], reverse("kendala:my_kendala"), add)
    assert_flat(api_client(owned["user"]), "/api/v1/me/kendala", add)


def test_owner_market(owned, dinas_user) -> None:  # noqa: ANN001
    business = owned["business"]
    add = adding(lambda: product_with_listing(dinas_user, business))
    assert_flat(owned["client"], reverse("market:my_business", args=[business.pk]), add)


def test_owner_affiliate(owned, dinas_user) -> None:  # noqa: ANN001
    saved = market.affiliate_save(
        actor=dinas_user,
        data={
            "name": "Rina",
            "relation": "keluarga",
            "platforms": ["tiktok"],
            "user": owned["user"],
        },
    )
    months = itertools.count()

    def result() -> None:
        month = next(months)
        market.affiliate_result_set(
            actor=owned["user"],
            affiliate=saved,
            month=date(2023 + month // 12, month % 12 + 1, 1),
            orders=3,
            sales=90_000,
            commission=4_500,
        )

    assert_flat(owned["client"], reverse("market:my_affiliate"), adding(result))


# --------------------------------------------------------------------------------------------
# The association (Hipmikindo)
# --------------------------------------------------------------------------------------------


def association_member(admin: Any) -> None:
    from naikkelas.association.models import MembershipType
    from naikkelas.association.services import dues as dues_services
    from naikkelas.association.services import memberships

    memberships.membership_type_catalogue_load()
    MembershipType.objects.filter(code="biasa").update(dues=100_000)
    kind = MembershipType.objects.get(code="biasa")
    business = business_in("36.73.05")
    application = memberships.application_submit(
        actor=admin, business=business, membership_type=kind
    )
    member = memberships.application_approve(
        actor=admin, application=application, joined_on=date(2024, 1, next(_n) % 28 + 1)
    )
    if next(_n) % 2:
        dues_services.dues_record(
            actor=admin, member=member, paid_on=date(2024, 2, 1), periods=1, method="tunai"
        )


@pytest.mark.parametrize(
    "url",
    [
        "/asosiasi/",
        "/asosiasi/?status=lewat&q=Usaha",
        "/asosiasi/?format=csv",
        "/asosiasi/tunggakan/",
        "/asosiasi/perpanjangan/",
        "/asosiasi/pengajuan/",
        "/api/v1/association/members",
        "/api/v1/association/arrears",
    ],
)
def test_association_lists(client, url: str) -> None:  # noqa: ANN001
    admin = make_user(Role.ADMIN, "admin-asosiasi-kueri")
    client = api_client(admin) if url.startswith("/api/") else client
    if not url.startswith("/api/"):
        client.force_login(admin)
    assert_flat(client, url, adding(lambda: association_member(admin)))


def test_association_events(client) -> None:  # noqa: ANN001
    from datetime import timedelta

    from django.utils import timezone

    from naikkelas.association.services import events

    admin = make_user(Role.ADMIN, "admin-kegiatan-kueri")
    client.force_login(admin)
    now = timezone.now()
    forum = events.event_create(
        actor=admin,
        kind="forum",
        title="Forum",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
        venue="Aula",
        members_only=False,
    )

    def add(n: int) -> None:
        for _ in range(n):
            events.event_create(
                actor=admin,
                kind="pelatihan",
                title=f"Pelatihan {next(_n)}",
                starts_at=now + timedelta(days=2),
                ends_at=now + timedelta(days=2, hours=3),
                venue="Aula",
                members_only=False,
            )
            events.event_register(actor=admin, event=forum, business=business_in("36.73.04"))

    assert_flat(client, "/asosiasi/kegiatan/", add)
    assert_flat(client, forum.get_absolute_url(), add)


# --------------------------------------------------------------------------------------------
# Operations: the background jobs page
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "status=FAILED"])
def test_background_jobs_page(admin_client, query: str) -> None:  # noqa: ANN001
    """Failed tasks (half of them retried), failed imports, daily runs and workers."""
    import uuid as uuid_module

    from django.utils import timezone as tz
    from django_tasks_db.models import DBTaskResult

    from naikkelas.core.daily import enqueue_due
    from naikkelas.intake.models import BatchStatus
    from naikkelas.intake.tasks import import_batch_run_task
    from naikkelas.ops.jobs import task_retry
    from naikkelas.ops.models import WorkerHeartbeat

    admin = User.objects.get(username="admin-kueri")

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_n)
            queued = import_batch_run_task.enqueue(str(uuid_module.uuid4()), number)
            DBTaskResult.objects.get(pk=queued.id).set_failed(RuntimeError("boom"))
            if number % 2:
                task_retry(actor=admin, task_id=queued.id)
            ImportBatch.objects.create(
                source="kueri",
                file_name=f"gagal-{number}.csv",
                file_sha256=f"{number:064d}",
                file_format="csv",
                status=BatchStatus.FAILED,
                error="boom",
            )
            WorkerHeartbeat.objects.create(
                host="box", pid=number, started_at=tz.now(), last_seen=tz.now()
            )
        enqueue_due(today=tz.localdate())

    assert_flat(admin_client, f"{reverse('ops:jobs')}?{query}", add)
