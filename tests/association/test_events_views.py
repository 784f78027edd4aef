"""Event pages: permissions by role, the officer's registration and attendance list, the QR
check-in as an owner on a phone, the owner's portal, export, reminders, malformed input."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.association.models import AssociationEvent, EventRegistration
from naikkelas.association.services import events
from naikkelas.core.models import AuditEvent
from naikkelas.registry.models import Business, Owner
from tests.association.events_support import admin_user, make_event, make_member
from tests.conftest import make_user
from tests.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def client_for(role: Role, username: str | None = None) -> Client:
    client = Client()
    client.force_login(make_user(role, username or f"ev-{role}"))
    return client


def owner_with(*names: str, username: str = "pemilik") -> tuple[Client, list[Business]]:
    owner = make_owner(full_name="Siti Nurhayati", email="siti@example.org")
    businesses = [make_business(owner=owner, name=name) for name in names]
    user = user_create(username=username, password="Rahasia-123!", role=Role.OWNER)
    Owner.objects.filter(pk=owner.pk).update(user=user)
    client = Client()
    client.force_login(user)
    return client, businesses


def detail(event: AssociationEvent) -> str:
    return reverse("association:event_detail", args=[event.pk])


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.ADMIN, 200, 200),
        (Role.HIPMIKINDO, 200, 200),
        (Role.DINAS, 200, 403),
        (Role.ENUMERATOR, 403, 403),
        (Role.PIMPINAN, 403, 403),
        (Role.OWNER, 403, 403),
    ],
)
def test_officer_pages_by_role(role: Role, read: int, write: int) -> None:
    event = make_event()
    client = client_for(role)
    assert client.get(reverse("association:event_list")).status_code == read
    assert client.get(detail(event)).status_code == read
    assert client.get(reverse("association:event_create")).status_code == write
    assert client.get(reverse("association:event_edit", args=[event.pk])).status_code == write
    assert client.get(reverse("association:event_qr", args=[event.pk])).status_code == write
    assert client.get(reverse("association:my_events")).status_code == (
        200 if role == Role.OWNER else 403
    )


def test_anonymous_is_sent_to_the_login_page_and_back_to_the_checkin() -> None:
    event = make_event()
    url = reverse("association:event_checkin", args=[event.checkin_code])
    response = Client().get(url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert url in response["Location"]


# --- officers --------------------------------------------------------------------------------


def test_an_officer_creates_and_edits_an_event() -> None:
    client = client_for(Role.HIPMIKINDO)
    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    data = {
        "kind": "forum",
        "title": "Forum Kendala Bahan Baku",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Aula Diskopukmperindag",
        "kecamatan": "36.73.06",
        "capacity": "40",
        "members_only": "on",
        "registration_open": "on",
    }
    response = client.post(reverse("association:event_create"), data)
    event = AssociationEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(event)
    assert event.kecamatan_id == "36.73.06" and event.capacity == 40 and event.members_only
    bad = {**data, "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(reverse("association:event_edit", args=[event.pk]), bad)
    assert response.status_code == 200 and "Waktu selesai" in response.content.decode()
    response = client.post(
        reverse("association:event_edit", args=[event.pk]), {**data, "capacity": ""}
    )
    event.refresh_from_db()
    assert response.status_code == 302 and event.capacity is None


def test_register_by_search_then_tick_the_attendance_list() -> None:
    client = client_for(Role.HIPMIKINDO)
    event = make_event(members_only=False, capacity=10)
    a = make_business(name="Keripik Pisang Siti")
    b = make_business(name="Emping Melinjo Iyah")
    page = client.get(detail(event), {"q": "keripik"}).content.decode()
    assert "Keripik Pisang Siti" in page and "Emping Melinjo Iyah" not in page
    for business in (a, b):
        response = client.post(
            reverse("association:event_register", args=[event.pk]), {"business": business.pk}
        )
        assert response.status_code == 302
    registrations = {r.business_id: r for r in EventRegistration.objects.filter(event=event)}
    response = client.post(
        reverse("association:event_attendance", args=[event.pk]),
        {"present": [registrations[a.pk].pk]},
    )
    assert response.status_code == 302
    assert EventRegistration.objects.get(business=a).attendance_method == "daftar"
    assert EventRegistration.objects.get(business=b).attended_at is None
    page = client.get(detail(event)).content.decode()
    assert 'data-testid="attended-count">1<' in page and 'data-testid="seats-left">8<' in page


def test_a_refusal_is_a_message_not_an_error_page() -> None:
    client = client_for(Role.HIPMIKINDO)
    event = make_event(members_only=True)
    business = make_business()
    response = client.post(
        reverse("association:event_register", args=[event.pk]),
        {"business": business.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "khusus anggota" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_malformed_and_unknown_ids_and_codes_are_404() -> None:
    client = client_for(Role.HIPMIKINDO)
    event = make_event(members_only=False)
    assert client.get("/asosiasi/kegiatan/bukan-uuid/").status_code == 404
    assert client.get(f"/asosiasi/kegiatan/{'0' * 8}-0000-0000-0000-{'0' * 12}/").status_code == 404
    register = reverse("association:event_register", args=[event.pk])
    assert client.post(register, {"business": "bukan-uuid"}).status_code == 404
    assert client.post(register, {}).status_code == 404
    attendance = reverse("association:event_attendance", args=[event.pk])
    assert client.post(attendance, {"present": ["x' OR 1=1"]}).status_code == 404
    clear = reverse("association:event_attendance_clear", args=[event.pk])
    assert client.post(clear, {"registration": "123"}).status_code == 404
    owner, _businesses = owner_with("Keripik")
    assert owner.get("/asosiasi/hadir/tidak-ada/").status_code == 404
    assert owner.get("/asosiasi/hadir/" + "x" * 300 + "/").status_code == 404
    checkin = reverse("association:event_checkin", args=[event.checkin_code])
    assert owner.post(checkin, {"business": "zzz"}).status_code == 404
    register_own = reverse("association:my_event_register", args=[event.pk])
    assert owner.post(register_own, {"business": ""}).status_code == 404


def test_qr_page_encodes_the_checkin_url(settings) -> None:  # noqa: ANN001
    settings.NAIKKELAS_BASE_URL = "https://naikkelas.serangkota.go.id"
    event = make_event()
    page = client_for(Role.HIPMIKINDO).get(reverse("association:event_qr", args=[event.pk]))
    text = page.content.decode()
    assert "<svg" in text
    expected = f"https://naikkelas.serangkota.go.id/asosiasi/hadir/{event.checkin_code}/"
    assert expected in text


def test_participants_export_opens_with_openpyxl_and_is_audited() -> None:
    client = client_for(Role.DINAS)
    event = make_event(members_only=False)
    business = make_business(name="Keripik Pisang Siti", owner=make_owner(full_name="Siti Rahma"))
    events.attendance_record(actor=admin_user(), event=event, business=business, method="qr")
    url = reverse("association:event_participants_export", args=[event.pk])
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("No", "Nama usaha")
    assert rows[1][1] == "Keripik Pisang Siti" and rows[1][5] == "ya"
    assert "Siti Rahma" not in str(rows)  # business names only
    csv = client.get(url, {"format": "csv"})
    assert "Keripik Pisang Siti" in csv.content.decode("utf-8-sig")
    assert client.get(url, {"format": "pdf"}).status_code == 404
    audits = AuditEvent.objects.filter(action="event.participants_export")
    assert audits.count() == 2 and audits.first().extra["rows"] == 1


def test_whatsapp_reminder_is_an_audited_redirect() -> None:
    event = make_event(members_only=False)
    owner = make_owner(full_name="Siti", phone="0812-0000-7788")
    registration = events.event_register(
        actor=admin_user(), event=event, business=make_business(owner=owner)
    )
    url = reverse("association:event_whatsapp", args=[registration.pk])
    assert client_for(Role.DINAS).get(url).status_code == 403
    response = client_for(Role.HIPMIKINDO).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("https://wa.me/6281200007788?text=")
    assert AuditEvent.objects.filter(action="person.whatsapp").count() == 1


def test_reminders_view_sends_e_mail() -> None:
    event = make_event(members_only=False)
    owner = make_owner(full_name="Siti", email="siti@example.org")
    events.event_register(actor=admin_user(), event=event, business=make_business(owner=owner))
    response = client_for(Role.HIPMIKINDO).post(
        reverse("association:event_reminders", args=[event.pk])
    )
    assert response.status_code == 302 and len(mail.outbox) == 1


# --- owners ----------------------------------------------------------------------------------


def test_owner_checks_in_by_the_qr_url_choosing_one_of_two_businesses() -> None:
    event = make_event(members_only=False)
    client, (first, second) = owner_with("Keripik Pisang Siti", "Warung Siti")
    url = reverse("association:event_checkin", args=[event.checkin_code])
    page = client.get(url).content.decode()
    assert page.count('data-testid="checkin-button"') == 2
    response = client.post(url, {"business": second.pk}, follow=True)
    assert "Warung Siti tercatat hadir" in response.content.decode()
    registration = EventRegistration.objects.get(event=event)
    assert registration.business_id == second.pk and registration.attendance_method == "qr"
    assert response.content.decode().count('data-testid="checkin-button"') == 1
    client.post(url, {"business": second.pk})  # scanned twice
    assert AuditEvent.objects.filter(action="event.attend").count() == 1


def test_owner_cannot_check_in_someone_elses_business() -> None:
    event = make_event(members_only=False)
    client, _own = owner_with("Keripik Pisang Siti")
    stranger = make_business(name="Usaha Orang Lain")
    url = reverse("association:event_checkin", args=[event.checkin_code])
    assert client.post(url, {"business": stranger.pk}).status_code == 404
    assert not EventRegistration.objects.exists()


def test_owner_checkin_before_the_day_is_refused_with_a_message() -> None:
    later = timezone.now() + timedelta(days=5)
    event = make_event(members_only=False, starts_at=later, ends_at=later + timedelta(hours=2))
    client, (business,) = owner_with("Keripik Pisang Siti")
    url = reverse("association:event_checkin", args=[event.checkin_code])
    assert "hari kegiatan" in client.get(url).content.decode()
    response = client.post(url, {"business": business.pk}, follow=True)
    assert "hari kegiatan" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_officers_cannot_use_the_owners_checkin() -> None:
    event = make_event(members_only=False)
    url = reverse("association:event_checkin", args=[event.checkin_code])
    assert client_for(Role.HIPMIKINDO).get(url).status_code == 403


def test_owner_portal_lists_open_events_and_registers_and_cancels() -> None:
    client, (member_business, plain) = owner_with("Keripik Anggota", "Warung Biasa")
    make_member(member_business)
    week = timezone.now() + timedelta(days=7)
    members_forum = make_event(title="Forum Anggota", starts_at=week, ends_at=week)
    open_training = make_event(
        title="Pelatihan Terbuka", members_only=False, starts_at=week, ends_at=week
    )
    make_event(title="Rapat Tertutup", members_only=False, registration_open=False)
    page = client.get(reverse("association:my_events")).content.decode()
    assert "Forum Anggota" in page and "Pelatihan Terbuka" in page
    assert "Rapat Tertutup" not in page
    register = reverse("association:my_event_register", args=[members_forum.pk])
    client.post(register, {"business": member_business.pk})
    refused = client.post(register, {"business": plain.pk}, follow=True)
    assert "khusus anggota" in refused.content.decode()
    assert list(EventRegistration.objects.values_list("business_id", flat=True)) == [
        member_business.pk
    ]
    client.post(
        reverse("association:my_event_register", args=[open_training.pk]), {"business": plain.pk}
    )
    client.post(
        reverse("association:my_event_cancel", args=[open_training.pk]), {"business": plain.pk}
    )
    assert EventRegistration.objects.get(event=open_training).status == "batal"
