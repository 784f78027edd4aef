"""The audit log page (admin only): search, WIB dates, and CSV/XLSX exports that are
themselves audited and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from unittest import mock

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.accounts import services
from naikkelas.accounts.models import Role, User
from naikkelas.core.audit import audit_log
from naikkelas.core.models import AuditEvent
from tests.conftest import make_user
from tests.factories import make_business

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:audit_list")
EXPORT = reverse("accounts:audit_export")


@pytest.fixture
def admin(db) -> User:  # noqa: ANN001
    return make_user(Role.ADMIN, "admin-audit")


@pytest.fixture
def admin_session(client, admin) -> Client:  # noqa: ANN001
    client.force_login(admin)
    return client


def event_at(moment: datetime, **kwargs: object) -> AuditEvent:
    """An audit event recorded at ``moment`` (occurred_at is set by the database layer)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_log(**kwargs)  # type: ignore[arg-type]


def listed(client: Client, **params: str) -> str:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:  # noqa: ANN001
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


def test_only_admins(client, admin) -> None:  # noqa: ANN001
    for role in Role:
        if role == Role.ADMIN:
            continue
        other = Client()
        other.force_login(make_user(role, f"intip-{role}"))
        assert other.get(LIST).status_code == 403
        for fmt in ("csv", "xlsx"):
            assert other.get(EXPORT, {"format": fmt}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    anonymous = Client().get(LIST)
    assert anonymous.status_code == 302


def test_no_editing_from_the_ui(admin_session) -> None:  # noqa: ANN001
    assert admin_session.post(LIST).status_code == 405
    assert admin_session.post(EXPORT + "?format=csv").status_code == 405
    assert admin_session.delete(LIST).status_code == 405
    content = listed(admin_session)
    assert '<form method="post"' not in content.split("<main>")[1].split("</main>")[0]


def test_search_filters(admin_session, admin) -> None:  # noqa: ANN001
    kasir = make_user(Role.DINAS, "kasir")
    target = make_user(Role.ENUMERATOR, "lapangan")
    audit_log(
        actor=kasir,
        action="business.update",
        object_type="registry.business",
        object_id="b-1",
        extra={"ip": "10.1.2.3"},
    )
    audit_log(
        actor=admin,
        action="user.update_access",
        instance=target,
        changes={"role": ["enumerator", "dinas"]},
    )
    audit_log(
        actor=None,
        action="business.register",
        object_type="registry.business",
        object_id="b-2",
        source="demo",
    )

    content = listed(admin_session, action="business.")
    assert "business.update" in content and "business.register" in content
    assert "user.update_access" not in content

    content = listed(admin_session, actor="KASIR")
    assert "business.update" in content and "business.register" not in content
    assert "10.1.2.3" in content  # the address kept in extra["ip"]

    content = listed(admin_session, object_id=str(target.pk))
    assert "user.update_access" in content and "business.update" not in content
    assert "role: enumerator → dinas" in content

    content = listed(admin_session, q="lapang")
    assert "user.update_access" in content and "business.register" not in content

    content = listed(admin_session, action="tidak.ada")
    assert "Tidak ada catatan yang cocok." in content


def test_dates_are_wib_days_and_newest_comes_first(admin_session, admin) -> None:  # noqa: ANN001
    # 1 March 2025, 23:30 UTC is already 2 March, 06:30 in WIB (UTC+7).
    event_at(
        datetime(2025, 3, 1, 23, 30, tzinfo=UTC), actor=admin, action="uji.pagi", object_type="x"
    )
    event_at(
        datetime(2025, 3, 1, 16, 59, tzinfo=UTC), actor=admin, action="uji.malam", object_type="x"
    )  # 1 March, 23:59 WIB
    event_at(
        datetime(2025, 3, 5, 2, 0, tzinfo=UTC), actor=admin, action="uji.kemudian", object_type="x"
    )

    content = listed(admin_session, action="uji.", date_from="2025-03-02", date_to="2025-03-02")
    assert "uji.pagi" in content and "uji.malam" not in content and "uji.kemudian" not in content
    assert "02-03-2025 06:30:00" in content  # shown in WIB

    content = listed(admin_session, action="uji.", date_to="2025-03-01")
    assert "uji.malam" in content and "uji.pagi" not in content
    assert "01-03-2025 23:59:00" in content

    content = listed(admin_session, action="uji.", date_from="2025-03-02")
    assert content.index("uji.kemudian") < content.index("uji.pagi")

    content = listed(admin_session, date_from="2025-03-05", date_to="2025-03-01")
    assert "Tanggal akhir sebelum tanggal awal." in content


def test_pages_of_fifty(admin_session, admin) -> None:  # noqa: ANN001
    for n in range(55):
        audit_log(actor=admin, action="uji.halaman", object_type="x", object_id=str(n))
    first = listed(admin_session, action="uji.halaman")
    assert "55 catatan" in first and "Halaman 1 dari 2" in first
    second = listed(admin_session, action="uji.halaman", page="2")
    assert second.count("uji.halaman</span>") == 5


def test_csv_export_is_filtered_safe_and_audited(admin_session, admin) -> None:  # noqa: ANN001
    make_business(actor=admin, name='=HYPERLINK("x")')
    sneaky = make_user(Role.DINAS, "-2+3")  # a username Excel would read as a formula
    audit_log(
        actor=sneaky,
        action="business.update",
        object_type="registry.business",
        object_id="b-9",
        extra={"ip": "10.9.9.9"},
    )
    audit_log(actor=admin, action="user.update_access", object_type="accounts.user")

    response = admin_session.get(EXPORT, {"format": "csv", "action": "business."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="audit-' in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Waktu (WIB)", "Pelaku", "Aksi"]
    assert [row[2] for row in body] == ["business.update", "business.register"]  # newest first
    update, register = body
    assert update[1] == "'-2+3" and update[-1] == "10.9.9.9"
    assert register[1] == "admin-audit"
    assert register[5] == '\'=HYPERLINK("x")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)

    event = AuditEvent.objects.get(action="audit.export")
    assert event.actor == admin
    assert event.extra["format"] == "csv"
    assert event.extra["rows"] == 2
    assert event.extra["filter_action"] == "business."


def test_xlsx_export(admin_session, admin) -> None:  # noqa: ANN001
    make_business(actor=admin, name='=HYPERLINK("x")')
    response = admin_session.get(EXPORT, {"format": "xlsx", "action": "business.register"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Waktu (WIB)", "Pelaku", "Aksi")
    assert len(rows) == 2
    assert rows[1][2] == "business.register"
    assert rows[1][5] == '\'=HYPERLINK("x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    event = AuditEvent.objects.get(action="audit.export")
    assert event.extra["format"] == "xlsx" and event.extra["rows"] == 1


def test_export_of_an_earlier_export_is_visible(admin_session) -> None:  # noqa: ANN001
    admin_session.get(EXPORT, {"format": "csv", "action": "tidak.ada"})
    content = listed(admin_session, action="audit.")
    assert "audit.export" in content


def test_export_refuses_bad_format_and_too_many_rows(admin_session, admin, monkeypatch) -> None:  # noqa: ANN001
    assert admin_session.get(EXPORT, {"format": "pdf"}).status_code == 400
    assert admin_session.get(EXPORT).status_code == 400
    for n in range(3):
        audit_log(actor=admin, action="uji.banyak", object_type="x", object_id=str(n))
    monkeypatch.setattr(services, "AUDIT_EXPORT_MAX_ROWS", 2)
    response = admin_session.get(EXPORT, {"format": "csv", "action": "uji.banyak"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(LIST)
    assert "Persempit saringan" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    bad_dates = admin_session.get(EXPORT, {"format": "csv", "date_from": "kemarin"})
    assert bad_dates.status_code == 302
    assert not AuditEvent.objects.filter(action="audit.export").exists()
