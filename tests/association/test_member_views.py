"""The association's pages: who sees and changes what, the officer's path from the register into
membership, the owner's application, the card and its public check (status only)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from naikkelas.accounts.models import Role
from naikkelas.association.models import Member, MembershipApplication, MembershipType
from naikkelas.association.services import memberships
from naikkelas.registry.models import Owner
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):  # noqa: ANN001
    memberships.membership_type_catalogue_load()
    client.force_login(make_user(Role.ADMIN, "admin-asosiasi"))
    return client


def member_of(name: str) -> Member:
    memberships.membership_type_catalogue_load()
    admin = make_user(Role.ADMIN, "admin-" + "".join(c for c in name.lower() if c.isalnum())[:20])
    application = memberships.application_submit(
        actor=admin,
        business=make_business(name=name),
        membership_type=MembershipType.objects.get(code="biasa"),
    )
    return memberships.application_approve(actor=admin, application=application)


def test_officer_takes_a_business_from_the_register_into_membership(admin_client) -> None:
    business = make_business(name="Rumah Batik Banten")
    page = admin_client.get(reverse("association:application_create"), {"usaha": business.pk})
    assert page.status_code == 200 and "Rumah Batik Banten" in page.content.decode()
    response = admin_client.post(
        reverse("association:application_create"),
        {"business": business.pk, "type": "biasa", "note": "", "approve_now": "on"},
    )
    member = Member.objects.get(business=business)
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    detail = admin_client.get(member.get_absolute_url()).content.decode()
    assert member.number in detail and "Baru" in detail


def test_secretary_decides_pending_applications_from_the_list(admin_client) -> None:
    business = make_business(name="Keripik Talas")
    officer = make_user(Role.HIPMIKINDO, "petugas-hpk")
    application = memberships.application_submit(
        actor=officer,
        business=business,
        membership_type=MembershipType.objects.get(code="biasa"),
    )
    listing = admin_client.get(reverse("association:application_list")).content.decode()
    assert "Keripik Talas" in listing
    url = reverse("association:application_decide", args=[application.pk])
    admin_client.post(url, {"decision": "tolak", "reason": ""})  # a reason is required
    application.refresh_from_db()
    assert application.status == "diajukan"
    admin_client.post(url, {"decision": "setujui", "joined_on": date.today().isoformat()})
    application.refresh_from_db()
    assert application.status == "disetujui" and application.member is not None
    # a hipmikindo officer without the secretary's seat cannot decide
    other = make_business(name="Abon Ikan")
    pending = memberships.application_submit(
        actor=officer, business=other, membership_type=MembershipType.objects.get(code="biasa")
    )
    admin_client.force_login(officer)
    admin_client.post(
        reverse("association:application_decide", args=[pending.pk]), {"decision": "setujui"}
    )
    pending.refresh_from_db()
    assert pending.status == "diajukan"


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.ADMIN, 200, 302),
        (Role.HIPMIKINDO, 200, 302),
        (Role.DINAS, 200, 403),
        (Role.ENUMERATOR, 403, 403),
        (Role.PIMPINAN, 403, 403),
        (Role.OWNER, 403, 403),
    ],
)
def test_who_reads_and_who_writes(client, role, read: int, write: int) -> None:  # noqa: ANN001
    member = member_of("Kopi Robusta Pandeglang")
    client.force_login(make_user(role, f"u-{role}"))
    assert client.get(reverse("association:member_list")).status_code == read
    assert client.get(member.get_absolute_url()).status_code == read
    response = client.post(
        reverse("association:member_status", args=[member.pk]),
        {"status": "aktif", "reason": "Uji", "until": ""},
    )
    assert response.status_code == write


def test_member_list_filters_and_exports(admin_client) -> None:
    first, second = member_of("Emping Melinjo Bu Iyah"), member_of("Sate Bandeng Mariam")
    page = admin_client.get(reverse("association:member_list"), {"q": "emping"}).content.decode()
    assert first.number in page and second.number not in page
    response = admin_client.get(reverse("association:member_list"), {"format": "xlsx"})
    import io

    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {first.number, second.number}
    assert (
        admin_client.get(reverse("association:member_list"), {"format": "pdf"}).status_code == 404
    )


def test_card_and_its_public_check_show_status_only(admin_client, client) -> None:  # noqa: ANN001
    member = member_of("Gula Aren Lebak")
    card = admin_client.get(reverse("association:member_card", args=[member.pk])).content.decode()
    check = reverse("association:card_check", args=[member.card_code])
    assert "<svg" in card and check in card
    public = client.get(check)  # no login
    text = public.content.decode()
    assert public.status_code == 200
    assert "Gula Aren Lebak" in text and "Baru" in text
    owner = member.business.ownerships.get().owner
    assert owner.full_name not in text and member.number not in text
    assert owner.nik not in text
    for bad in ("tidak-ada-kode-ini", "x", "a" * 200, "%00"):
        assert client.get(f"/anggota/cek/{bad}/").status_code == 404


def test_owner_applies_sees_the_status_and_prints_the_card(client) -> None:  # noqa: ANN001
    memberships.membership_type_catalogue_load()
    owner = make_owner(full_name="Siti Nurhayati")
    business = make_business(owner=owner, name="Keripik Pisang Siti")
    user = make_user(Role.OWNER, "pemilik-siti")
    Owner.objects.filter(pk=owner.pk).update(user=user)
    other = member_of("Bengkel Orang Lain")
    client.force_login(user)
    url = reverse("association:my_membership")
    assert "Ajukan menjadi anggota" in client.get(url).content.decode()
    client.post(url, {"business": business.pk, "type": "biasa", "note": "Mohon bergabung"})
    application = MembershipApplication.objects.get(business=business)
    assert application.channel == "portal" and application.status == "diajukan"
    assert client.post(url, {"business": other.business.pk, "type": "biasa"}).status_code == 404
    admin = make_user(Role.ADMIN, "admin-putus")
    member = memberships.application_approve(actor=admin, application=application)
    page = client.get(url).content.decode()
    assert member.number in page
    assert client.get(reverse("association:my_card", args=[member.pk])).status_code == 200
    assert client.get(reverse("association:my_card", args=[other.pk])).status_code == 404


def test_board_and_report_pages(admin_client) -> None:
    admin_client.post(
        reverse("association:board"),
        {
            "term-name": "Masa bakti 2026–2031",
            "term-sk_number": "SK-01/HPK/2026",
            "term-sk_date": "2026-01-10",
            "term-starts_on": "2026-01-10",
            "term-ends_on": "2031-01-09",
        },
    )
    from naikkelas.association.models import BoardTerm

    term = BoardTerm.objects.get()
    admin_client.post(
        reverse("association:board"),
        {
            "term": term.pk,
            "seat-title": "Sekretaris",
            "seat-holder_name": "Rina Marlina",
            "seat-contact_phone": "0812-0000-4321",
            "seat-approves_members": "on",
            "seat-sort_order": "2",
            "seat-username": "admin-asosiasi",
        },
    )
    page = admin_client.get(reverse("association:board")).content.decode()
    assert "Rina Marlina" in page and "SK-01/HPK/2026" in page
    member_of("Kue Balok")
    report = admin_client.get(reverse("association:report")).content.decode()
    assert "Laporan Hipmikindo" in report
    assert admin_client.get(reverse("association:report"), {"tabel": "x"}).status_code == 404
    assert admin_client.get(reverse("association:report"), {"tahun": "abc"}).status_code == 200


def test_the_association_sets_dues_and_rules_per_type(admin_client, client) -> None:  # noqa: ANN001
    from datetime import timedelta

    member = member_of("Tahu Sumedang Serang")
    Member.objects.filter(pk=member.pk).update(joined_on=date.today() - timedelta(days=10))
    assert member.status == "baru"
    url = reverse("association:membership_types")
    response = admin_client.post(
        url,
        {
            "type": "biasa",
            "biasa-name": "Anggota biasa",
            "biasa-description": "",
            "biasa-dues": "150000",
            "biasa-period_months": "12",
            "biasa-grace_days": "0",
            "biasa-new_days": "0",
            "biasa-active": "on",
        },
    )
    assert response.status_code == 302
    kind = MembershipType.objects.get(code="biasa")
    assert (kind.dues, kind.grace_days) == (150_000, 0)
    member.refresh_from_db()
    assert member.status == "lewat"  # no dues paid and no grace any more: moved at once
    bad = admin_client.post(url, {"type": "biasa", "biasa-name": "", "biasa-dues": "-1"})
    assert bad.status_code == 200 and MembershipType.objects.get(code="biasa").dues == 150_000
    client.force_login(make_user(Role.DINAS, "dinas-jenis"))
    assert client.get(url).status_code == 200
    assert client.post(url, {"type": "biasa"}).status_code == 403


def test_memberships_imported_into_the_register_come_into_the_books(admin_client) -> None:
    from naikkelas.registry import services as registry_services
    from naikkelas.registry.models import Membership

    listed = make_business(name="Batik Krakatau")
    candidate = make_business(name="Kopi Gunung Karang")
    registry_services.membership_set(
        actor=None, business=listed, number="HPK-LAMA-77", since=date(2023, 5, 1)
    )
    registry_services.membership_set(
        actor=None, business=candidate, number="", since=None, status="calon"
    )
    page = admin_client.get(reverse("association:member_list")).content.decode()
    assert 'data-testid="from-register"' in page
    admin_client.post(reverse("association:members_from_register"), {"type": "biasa"})
    member = Member.objects.get(business=listed)
    assert (member.number, member.joined_on) == ("HPK-LAMA-77", date(2023, 5, 1))
    assert MembershipApplication.objects.get(business=candidate).status == "diajukan"
    # never paid since 2023 with dues 0 (the default): aktif; the flag follows the books
    assert member.status == "aktif"
    assert Membership.objects.get(business=listed).status == "aktif"
    page = admin_client.get(reverse("association:member_list")).content.decode()
    assert 'data-testid="from-register"' not in page or "1 keanggotaan" in page
    admin_client.post(reverse("association:members_from_register"), {"type": "biasa"})
    assert Member.objects.filter(business=listed).count() == 1  # once
