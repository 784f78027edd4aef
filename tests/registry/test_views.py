"""Web pages: login required, roles, forms with field-level Indonesian messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.registry.models import Business, Owner
from tests.conftest import make_user
from tests.factories import make_business, synthetic_nik

pytestmark = pytest.mark.django_db


def test_pages_require_login(client) -> None:
    for name in ("registry:dashboard", "registry:business_list", "registry:business_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_pimpinan_sees_the_dashboard_but_not_personal_data(client) -> None:
    client.force_login(make_user(Role.PIMPINAN))
    assert client.get(reverse("registry:dashboard")).status_code == 200
    assert client.get(reverse("registry:business_list")).status_code == 403
    business = make_business()
    assert client.get(business.get_absolute_url()).status_code == 403


def test_dashboard_shows_coverage_against_the_estimate(dinas_client) -> None:
    make_business()
    response = dinas_client.get(reverse("registry:dashboard"))
    content = response.content.decode()
    assert "dari perkiraan 11.000 UMKM" in content
    assert "Taktakan" in content and "Kuliner" in content


def test_list_search_and_filter(dinas_client) -> None:
    make_business(name="Emping Melinjo Bu Iyah")
    make_business(name="Batik Banten Kasemen", sector="fesyen", desa_kelurahan="36.73.02.1007")
    response = dinas_client.get(reverse("registry:business_list"), {"q": "EMPING melinjo"})
    content = response.content.decode()
    assert "Emping Melinjo Bu Iyah" in content and "Batik Banten" not in content
    response = dinas_client.get(reverse("registry:business_list"), {"sector": "fesyen"})
    assert "Batik Banten Kasemen" in response.content.decode()


def test_detail_masks_nik_and_phone(dinas_client) -> None:
    business = make_business()
    owner = business.owners.get()
    content = dinas_client.get(business.get_absolute_url()).content.decode()
    assert business.name in content
    assert owner.nik not in content
    assert owner.nik[:4] in content
    assert owner.phone not in content


def test_unknown_business_is_404(dinas_client) -> None:
    url = reverse("registry:business_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert dinas_client.get(url).status_code == 404


def _create_payload(**overrides: str) -> dict[str, str]:
    payload = {
        "owner-full_name": "Enok Nurhayati",
        "owner-nik": synthetic_nik(female=True),
        "owner-phone": "0857 0000 2222",
        "name": "Gipang Enok",
        "legal_form": "PERORANGAN",
        "sector": "kuliner",
        "desa_kelurahan": "36.73.02.1007",
        "products": "gipang, kue jojorong",
        "figure-year": "2025",
        "figure-omzet": "48000000",
    }
    payload.update(overrides)
    return payload


def test_create_business_with_owner(dinas_client) -> None:
    response = dinas_client.post(reverse("registry:business_create"), _create_payload())
    business = Business.objects.get(name="Gipang Enok")
    assert response.status_code == 302
    assert response["Location"] == business.get_absolute_url()
    assert business.owners.get().full_name == "Enok Nurhayati"
    assert business.size_class == "mikro"


def test_create_shows_field_errors_in_indonesian_and_saves_nothing(dinas_client) -> None:
    response = dinas_client.post(
        reverse("registry:business_create"),
        _create_payload(**{"owner-nik": "3.67306E+15", "nib": "12", "owner-phone": "99"}),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Excel" in content
    assert "NIB" in content and "13 digit" in content
    assert Business.objects.count() == 0 and Owner.objects.count() == 0


def test_edit_business(dinas_client) -> None:
    business = make_business()
    url = reverse("registry:business_edit", args=[business.pk])
    assert dinas_client.get(url).status_code == 200
    response = dinas_client.post(
        url,
        {
            "name": "Emping Melinjo Bu Iyah Asli",
            "legal_form": "UD",
            "sector": "kuliner",
            "desa_kelurahan": business.desa_kelurahan_id,
            "is_binaan": "on",
            "member-number": "HPK-3673-00077",
            "member-status": "aktif",
        },
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.name == "Emping Melinjo Bu Iyah Asli"
    assert business.legal_form == "UD"
    assert business.is_binaan
    assert business.membership.number == "HPK-3673-00077"


def test_detail_forms_add_figure_permit_channel_and_close(dinas_client) -> None:
    business = make_business()
    args = [business.pk]
    dinas_client.post(
        reverse("registry:figure_set", args=args), {"year": "2025", "omzet": "2000000001"}
    )
    dinas_client.post(
        reverse("registry:permit_add", args=args), {"kind": "SPP_IRT", "number": "2063673010123-29"}
    )
    dinas_client.post(
        reverse("registry:channel_add", args=args), {"kind": "MARKETPLACE", "name": "Shopee"}
    )
    business.refresh_from_db()
    assert business.size_class == "kecil"
    assert business.permits.get().number == "2063673010123-29"
    assert business.channels.get().name == "Shopee"
    response = dinas_client.post(reverse("registry:business_close", args=args), {"reason": ""})
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.status == "active"  # a reason is required
    dinas_client.post(reverse("registry:business_close", args=args), {"reason": "pindah"})
    business.refresh_from_db()
    assert business.status == "closed"


def test_indonesian_by_default_even_for_an_english_browser(dinas_client) -> None:
    response = dinas_client.get(reverse("registry:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Usaha terdaftar" in response.content.decode()


def test_english_translation_when_chosen(dinas_client) -> None:
    response = dinas_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = dinas_client.get(reverse("registry:dashboard"))
    content = response.content.decode()
    assert "Registered businesses" in content
    assert "Cakupan" not in content


def test_later_pages_of_the_default_list_keep_the_active_filter(dinas_client, dinas_user) -> None:  # noqa: ANN001
    from naikkelas.registry import services as registry

    closed = make_business(name="Warung Sudah Tutup")
    registry.business_close(
        actor=dinas_user, business=closed, closed_on=closed.created_at.date(), reason="pindah"
    )
    make_business(name="Warung Masih Buka")
    page_two_link = dinas_client.get(reverse("registry:business_list"), {"page": "1"})
    assert "Warung Sudah Tutup" not in page_two_link.content.decode()
    everything = dinas_client.get(reverse("registry:business_list"), {"status": "", "page": "1"})
    assert "Warung Sudah Tutup" in everything.content.decode()
