"""Dues pages: who may read and write, recording and voiding from the browser, the receipt
PDF, the arrears list (numbers checked by hand) and its export, the renewal list, reminders
(WhatsApp through an audited redirect, e-mail), and malformed input answered with 4xx."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.association.models import DuesPayment, Member
from naikkelas.association.services import memberships
from naikkelas.association.services.dues import dues_record
from naikkelas.core.models import AuditEvent
from tests.association.dues_helpers import honorary_type, join, yearly_type
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TAKTAKAN = "36.73.06.1005"  # kecamatan 36.73.06
SERANG = "36.73.01.1001"  # kecamatan 36.73.01


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, "admin-iuran-web")


@pytest.fixture
def kind():
    return yearly_type()


def login(role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role, f"iuran-{role}"))
    return client


@pytest.fixture
def officer() -> Client:
    return login(Role.HIPMIKINDO)


@pytest.fixture
def members(admin, kind):  # noqa: ANN001, ANN201
    """Five members whose arrears are known by hand (yearly dues of Rp120.000):

    * ``lapsed``: joined 400 days ago, never paid: the periods starting on joining and 12
      months later have both begun → 2 periods, Rp240.000 (Taktakan);
    * ``grace``: joined 375 days ago, paid the first year (ended ~10 days ago) → 1 period (Serang);
    * ``paid``: joined 100 days ago and paid → nothing;
    * ``honorary``: no dues → nothing; ``ended``: lapsed but berhenti → nothing.
    """
    today = timezone.localdate()
    lapsed = join(
        admin=admin,
        kind=kind,
        joined_on=today - timedelta(days=400),
        name="Emping Menunggak",
        email="emping@example.com",
        desa_kelurahan=TAKTAKAN,
    )
    grace = join(
        admin=admin,
        kind=kind,
        joined_on=today - timedelta(days=375),
        name="Sate Bandeng Tenggang",
        desa_kelurahan=SERANG,
    )
    dues_record(
        actor=admin, member=grace, paid_on=today - timedelta(days=375), periods=1, method="tunai"
    )
    paid = join(admin=admin, kind=kind, joined_on=today - timedelta(days=100), name="Lunas Jaya")
    dues_record(actor=admin, member=paid, paid_on=today, periods=1, method="tunai")
    join(admin=admin, kind=honorary_type(), joined_on=today - timedelta(days=900), name="Tokoh")
    ended = join(admin=admin, kind=kind, joined_on=today - timedelta(days=800), name="Berhenti")
    memberships.member_end(actor=admin, member=ended, reason="Usaha tutup")
    return {"lapsed": lapsed, "grace": grace, "paid": paid, "ended": ended}


def rows_of(html: str) -> dict[str, tuple[int, int]]:
    """``{member number: (periods, amount)}`` from the arrears table's data attributes."""
    import re

    return {
        number: (int(periods), int(amount))
        for number, periods, amount in re.findall(
            r'data-member="([^"]+)" data-periods="(\d+)" data-amount="(\d+)"', html
        )
    }


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.HIPMIKINDO, 200, 302),
        (Role.ADMIN, 200, 302),
        (Role.DINAS, 200, 403),
        (Role.ENUMERATOR, 403, 403),
        (Role.OWNER, 403, 403),
        (Role.PIMPINAN, 403, 403),
    ],
)
def test_who_reads_and_who_writes(members, role, read, write) -> None:  # noqa: ANN001
    client = login(role)
    member = members["lapsed"]
    payment = DuesPayment.objects.filter(member=members["grace"]).get()
    assert client.get(reverse("association:dues_arrears")).status_code == read
    assert client.get(reverse("association:dues_renewals")).status_code == read
    assert client.get(reverse("association:dues_receipt", args=[payment.pk])).status_code == read
    response = client.post(
        reverse("association:dues_record", args=[member.pk]),
        {"paid_on": timezone.localdate().isoformat(), "periods": "1", "method": "tunai"},
    )
    assert response.status_code == write
    assert DuesPayment.objects.filter(member=member).exists() is (write == 302)
    void = client.post(reverse("association:dues_void", args=[payment.pk]), {"reason": "salah"})
    assert void.status_code == write
    wa = client.get(reverse("association:dues_whatsapp", args=[member.pk, "tunggakan"]))
    assert wa.status_code == write


def test_anonymous_is_sent_to_login(members) -> None:  # noqa: ANN001
    response = Client().get(reverse("association:dues_arrears"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# --- record and void -----------------------------------------------------------------------


def test_officer_records_a_transfer_and_the_member_is_valid(officer, members) -> None:  # noqa: ANN001
    member = members["lapsed"]
    today = timezone.localdate()
    response = officer.post(
        reverse("association:dues_record", args=[member.pk]),
        {
            "paid_on": today.isoformat(),
            "periods": "2",
            "method": "transfer",
            "reference": "BRI-7781",
        },
    )
    assert response.status_code == 302
    payment = DuesPayment.objects.get(member=member)
    assert (payment.amount, payment.reference, payment.method) == (240_000, "BRI-7781", "transfer")
    assert payment.receipt_number.startswith(f"KW-{today.year}-")
    member.refresh_from_db()
    # a first payment after the grace period starts on the payment date (ADR 0019)
    assert payment.period_start == today
    assert member.paid_until == payment.period_end >= today
    assert member.status == "aktif"


def test_transfer_without_reference_shows_the_error_on_the_form(officer, members) -> None:  # noqa: ANN001
    response = officer.post(
        reverse("association:dues_record", args=[members["lapsed"].pk]),
        {"paid_on": timezone.localdate().isoformat(), "periods": "1", "method": "transfer"},
    )
    assert response.status_code == 400
    assert "referensi" in response.content.decode().lower()
    assert not DuesPayment.objects.filter(member=members["lapsed"]).exists()


def test_record_page_shows_the_form_and_payments(officer, members) -> None:  # noqa: ANN001
    response = officer.get(reverse("association:dues_record", args=[members["grace"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="dues-record-form"' in html
    assert DuesPayment.objects.get(member=members["grace"]).receipt_number in html


def test_void_from_the_browser(officer, members) -> None:  # noqa: ANN001
    payment = DuesPayment.objects.get(member=members["paid"])
    assert officer.get(reverse("association:dues_void", args=[payment.pk])).status_code == 200
    response = officer.post(
        reverse("association:dues_void", args=[payment.pk]), {"reason": "Dobel dicatat"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.voided_at is not None and payment.void_reason == "Dobel dicatat"
    members["paid"].refresh_from_db()
    assert members["paid"].paid_until is None
    # a second void is refused with a message, not an error page
    again = officer.post(reverse("association:dues_void", args=[payment.pk]), {"reason": "x"})
    assert again.status_code == 302


# --- receipt -------------------------------------------------------------------------------


def test_receipt_is_a_pdf_and_audited(officer, members) -> None:  # noqa: ANN001
    payment = DuesPayment.objects.get(member=members["grace"])
    response = officer.get(reverse("association:dues_receipt", args=[payment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-32:]
    assert payment.receipt_number in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="dues.receipt")
    assert event.extra["receipt"] == payment.receipt_number


def test_voided_receipt_still_prints(officer, members, admin) -> None:  # noqa: ANN001
    from naikkelas.association.services.dues import dues_void

    payment = DuesPayment.objects.get(member=members["grace"])
    dues_void(actor=admin, payment=payment, reason="Salah catat")
    response = officer.get(reverse("association:dues_receipt", args=[payment.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


# --- arrears list and export ---------------------------------------------------------------


def test_arrears_list_numbers_by_hand(officer, members) -> None:  # noqa: ANN001
    response = officer.get(reverse("association:dues_arrears"))
    rows = rows_of(response.content.decode())
    assert rows == {
        members["lapsed"].number: (2, 240_000),
        members["grace"].number: (1, 120_000),
    }
    assert "Rp360.000" in response.content.decode()


def test_arrears_list_filters_by_kecamatan_and_type(officer, members) -> None:  # noqa: ANN001
    html = officer.get(reverse("association:dues_arrears"), {"kecamatan": "36.73.06"})
    assert set(rows_of(html.content.decode())) == {members["lapsed"].number}
    html = officer.get(reverse("association:dues_arrears"), {"kecamatan": "36.73.01"})
    assert set(rows_of(html.content.decode())) == {members["grace"].number}
    html = officer.get(reverse("association:dues_arrears"), {"type": "biasa"})
    assert len(rows_of(html.content.decode())) == 2


def test_arrears_export_xlsx_and_csv(officer, members) -> None:  # noqa: ANN001
    url = reverse("association:dues_arrears")
    response = officer.get(url, {"tabel": "tunggakan", "format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = values[0], values[1:]
    assert header[0] == "Nomor anggota"
    owed = {row[0]: (row[6], row[7]) for row in body}
    assert owed == {
        members["lapsed"].number: (2, 240_000),
        members["grace"].number: (1, 120_000),
    }
    csv = officer.get(url, {"tabel": "tunggakan", "format": "csv", "kecamatan": "36.73.01"})
    text = csv.content.decode("utf-8-sig")
    assert members["grace"].number in text and members["lapsed"].number not in text
    assert "0812" not in text and "+62" not in text  # no phone numbers
    event = AuditEvent.objects.filter(action="dues.arrears_export").latest("id")
    assert event.extra["filters"] == {"kecamatan": "36.73.01"}


# --- renewal list --------------------------------------------------------------------------


def test_renewal_list_shows_members_ending_soon_or_in_grace(officer, members, admin, kind) -> None:  # noqa: ANN001
    today = timezone.localdate()
    soon = join(admin=admin, kind=kind, joined_on=today - timedelta(days=350), name="Segera")
    dues_record(
        actor=admin, member=soon, paid_on=today - timedelta(days=350), periods=1, method="tunai"
    )
    html = officer.get(reverse("association:dues_renewals")).content.decode()
    assert f'data-member="{soon.number}"' in html  # ends in about 15 days
    assert f'data-member="{members["grace"].number}"' in html  # in the grace period
    assert f'data-member="{members["paid"].number}"' not in html  # a year ahead
    assert f'data-member="{members["lapsed"].number}"' not in html  # on the arrears list


# --- reminders -----------------------------------------------------------------------------


def test_whatsapp_goes_through_an_audited_redirect(officer, members) -> None:  # noqa: ANN001
    member = members["lapsed"]
    page = officer.get(reverse("association:dues_arrears")).content.decode()
    owner_phone = member.business.owners.get().phone
    assert owner_phone not in page and owner_phone.lstrip("+") not in page
    wa_url = reverse("association:dues_whatsapp", args=[member.pk, "tunggakan"])
    assert wa_url in page
    response = officer.get(wa_url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://wa.me/62812")
    assert "Rp240.000" in __import__("urllib.parse").parse.unquote(location)
    event = AuditEvent.objects.get(action="person.whatsapp")
    assert event.object_id == str(member.business.pk) and event.extra["reminder"] == "tunggakan"


def test_email_reminder_from_the_list(
    officer, members, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    member = members["lapsed"]
    page = officer.get(reverse("association:dues_arrears")).content.decode()
    assert f'data-testid="email-{member.number}"' in page
    assert f'data-testid="email-{members["grace"].number}"' not in page  # owner has no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("association:dues_reminder_email", args=[member.pk]), {"kind": "tunggakan"}
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["emping@example.com"]]


def test_dinas_sees_no_reminder_buttons(members) -> None:  # noqa: ANN001
    page = login(Role.DINAS).get(reverse("association:dues_arrears")).content.decode()
    assert "dues_whatsapp" not in page and "/whatsapp/" not in page
    assert 'data-testid="email-' not in page


# --- malformed input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"paid_on": "kemarin", "periods": "1", "method": "tunai"},
        {"paid_on": "2024-02-30", "periods": "1", "method": "tunai"},
        {"paid_on": "2024-02-01", "periods": "satu", "method": "tunai"},
        {"paid_on": "2024-02-01", "periods": "99999999999999", "method": "tunai"},
        {"paid_on": "2024-02-01", "periods": "1", "method": "qris"},
        {"paid_on": "2024-02-01", "periods": "1", "method": "tunai", "amount": "-5"},
        {"paid_on": "2024-02-01", "periods": "1", "method": "tunai", "amount": "1e9"},
        {"paid_on": "2024-02-01", "periods": "1", "method": "tunai", "receipt_number": "x" * 80},
        {"paid_on": "9999-12-31", "periods": "1", "method": "tunai"},
    ],
)
def test_malformed_record_input_is_400(officer, members, data) -> None:  # noqa: ANN001
    response = officer.post(reverse("association:dues_record", args=[members["lapsed"].pk]), data)
    assert response.status_code == 400
    assert not DuesPayment.objects.filter(member=members["lapsed"]).exists()


def test_malformed_urls_and_queries_are_4xx(officer, members) -> None:  # noqa: ANN001
    member = members["lapsed"]
    arrears = reverse("association:dues_arrears")
    assert officer.get(arrears, {"kecamatan": "'; drop", "type": "x" * 500}).status_code == 200
    assert officer.get(arrears, {"page": "abc"}).status_code == 200
    assert officer.get(arrears, {"tabel": "tunggakan", "format": "pdf"}).status_code == 404
    assert officer.get(reverse("association:dues_renewals"), {"page": "-1"}).status_code == 200
    assert officer.get("/asosiasi/iuran/bukan-uuid/kuitansi.pdf").status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert officer.get(f"/asosiasi/iuran/{missing}/kuitansi.pdf").status_code == 404
    assert officer.post(f"/asosiasi/anggota/{missing}/iuran/", {}).status_code == 404
    assert officer.post(f"/asosiasi/iuran/{missing}/batal/", {"reason": "x"}).status_code == 404
    wa = officer.get(reverse("association:dues_whatsapp", args=[member.pk, "lainnya"]))
    assert wa.status_code == 302 and "wa.me" not in wa["Location"]
    mail = officer.post(reverse("association:dues_reminder_email", args=[member.pk]), {"kind": "?"})
    assert mail.status_code == 302
    assert (
        officer.get(reverse("association:dues_reminder_email", args=[member.pk])).status_code == 405
    )
    payment = DuesPayment.objects.get(member=members["grace"])
    assert officer.post(reverse("association:dues_void", args=[payment.pk]), {}).status_code == 400


def test_ended_member_cannot_pay_from_the_browser(officer, members) -> None:  # noqa: ANN001
    ended: Member = members["ended"]
    response = officer.post(
        reverse("association:dues_record", args=[ended.pk]),
        {"paid_on": timezone.localdate().isoformat(), "periods": "1", "method": "tunai"},
    )
    assert response.status_code == 400
    assert "berhenti" in response.content.decode()
