"""Write services: validation messages per field, normalisation, audit, nothing half-saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.registry import services
from naikkelas.registry.models import Business, BusinessStatus, Owner, OwnerRole
from naikkelas.registry.services.businesses import BUSINESS_CLOSED_ALREADY
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db


def test_owner_create_normalises_identity_and_derives_sex_and_birth_date(dinas_user) -> None:
    # given a NIK typed with spaces and a phone in local format
    nik = synthetic_nik(birth=date(1979, 3, 8), female=True)
    spaced = " ".join(nik[i : i + 4] for i in range(0, 16, 4))
    # when
    owner = services.owner_create(
        actor=dinas_user, full_name="  Hj.  Siti   Rohmah ", nik=spaced, phone="0812-0000-1234"
    )
    # then
    assert owner.nik == nik
    assert owner.sex == "P"
    assert owner.birth_date == date(1979, 3, 8)
    assert owner.phone == "+6281200001234"
    assert owner.full_name == "Hj. Siti Rohmah"
    event = AuditEvent.objects.get(action="owner.create", object_id=str(owner.pk))
    assert event.actor == dinas_user
    # personal data is masked in the audit trail
    assert nik not in str(event.changes)


def test_owner_create_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        services.owner_create(actor=None, full_name="", nik="3.67301E+15", phone="12")
    errors = caught.value.message_dict
    assert set(errors) == {"full_name", "nik", "phone"}
    assert "Excel" in errors["nik"][0]
    assert Owner.objects.count() == 0


def test_owner_nik_must_be_unique_among_active_owners() -> None:
    owner = make_owner()
    with pytest.raises(ValidationError) as caught:
        services.owner_create(actor=None, full_name="Orang Lain", nik=owner.nik)
    assert "sudah terdaftar" in caught.value.message_dict["nik"][0]


def test_business_register_resolves_kelurahan_by_name_and_sets_kecamatan(dinas_user) -> None:
    business = make_business(dinas_user, desa_kelurahan="Kel. Kalang Anyar")
    assert business.desa_kelurahan_id == "36.73.06.1005"
    assert business.kecamatan_id == "36.73.06"
    assert business.ownerships.get().role == OwnerRole.PEMILIK
    assert AuditEvent.objects.filter(
        action="business.register", object_id=str(business.pk)
    ).exists()


def test_unknown_kelurahan_suggests_the_closest_names() -> None:
    owner = make_owner()
    with pytest.raises(ValidationError) as caught:
        make_business(owner=owner, desa_kelurahan="Kalangayar")
    message = caught.value.message_dict["desa_kelurahan"][0]
    assert "Kalanganyar" in message
    assert Business.objects.count() == 0


def test_kelurahan_outside_the_deployment_area_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        make_business(desa_kelurahan="36.04.01.2001")
    assert "desa_kelurahan" in caught.value.message_dict


def test_invalid_nib_npwp_phone_kbli_are_field_errors_and_nothing_is_saved() -> None:
    owner = make_owner()
    with pytest.raises(ValidationError) as caught:
        make_business(
            owner=owner, nib="12345", npwp="01.234.567.8-901.001", phone="abc", kbli_code="12"
        )
    assert {"nib", "npwp", "phone", "kbli_code"} <= set(caught.value.message_dict)
    assert Business.objects.count() == 0


def test_nib_unique_among_businesses() -> None:
    make_business(nib="9123456789012")
    with pytest.raises(ValidationError) as caught:
        make_business(name="Usaha Lain", nib="9123 4567 89012")
    assert "nib" in caught.value.message_dict


def test_business_update_records_old_and_new_values(dinas_user) -> None:
    business = make_business(dinas_user)
    services.business_update(
        actor=dinas_user,
        business=business,
        data={"products": "emping melinjo pedas", "is_binaan": True},
    )
    business.refresh_from_db()
    assert business.products == "emping melinjo pedas"
    assert business.is_binaan is True
    assert business.binaan_since is not None
    event = AuditEvent.objects.get(action="business.update")
    assert event.changes["products"] == ["emping melinjo", "emping melinjo pedas"]


def test_business_update_rejects_unknown_fields() -> None:
    business = make_business()
    with pytest.raises(ValidationError):
        services.business_update(actor=None, business=business, data={"status": "merged"})


def test_close_and_reopen(dinas_user) -> None:
    business = make_business(dinas_user)
    services.business_close(actor=dinas_user, business=business, reason="pindah ke Cilegon")
    business.refresh_from_db()
    assert business.status == BusinessStatus.CLOSED
    assert business.closed_on is not None
    with pytest.raises(ApplicationError, match=BUSINESS_CLOSED_ALREADY):
        services.business_close(actor=dinas_user, business=business, reason="lagi")
    services.business_reopen(actor=dinas_user, business=business)
    business.refresh_from_db()
    assert business.status == BusinessStatus.ACTIVE
    assert business.closed_on is None


def test_yearly_figures_classify_and_the_latest_year_sets_the_business_class() -> None:
    business = make_business()
    services.yearly_figure_set(
        actor=None, business=business, year=2023, omzet=3_000_000_000, modal=None, workers=12
    )
    services.yearly_figure_set(
        actor=None, business=business, year=2022, omzet=100_000_000, modal=None, workers=3
    )
    business.refresh_from_db()
    assert (business.size_class, business.size_class_year) == ("kecil", 2023)
    figure = business.figures.get(year=2023)
    assert (figure.size_class_basis, figure.rule_id) == ("omzet", "pp-7-2021")
    # a correction replaces the year, it does not add a second row
    services.yearly_figure_set(
        actor=None, business=business, year=2023, omzet=2_000_000_000, modal=None, workers=12
    )
    business.refresh_from_db()
    assert business.size_class == "mikro"
    assert business.figures.count() == 2


def test_yearly_figure_rejects_negative_and_empty() -> None:
    business = make_business()
    with pytest.raises(ValidationError) as caught:
        services.yearly_figure_set(
            actor=None, business=business, year=2024, omzet=-5, modal=None, workers=None
        )
    assert "omzet" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.yearly_figure_set(
            actor=None, business=business, year=2024, omzet=None, modal=None, workers=None
        )


def test_permits_channels_membership() -> None:
    business = make_business()
    services.permit_add(
        actor=None,
        business=business,
        kind="HALAL",
        number="ID36110000123450823",
        issued_on=date(2024, 1, 10),
        detail="self-declare",
    )
    with pytest.raises(ValidationError):
        services.permit_add(
            actor=None, business=business, kind="HALAL", number="ID36110000123450823"
        )
    with pytest.raises(ValidationError) as caught:
        services.permit_add(
            actor=None,
            business=business,
            kind="SPP_IRT",
            number="2063673010123-29",
            issued_on=date(2024, 1, 1),
            expires_on=date(2023, 1, 1),
        )
    assert "expires_on" in caught.value.message_dict
    services.channel_add(actor=None, business=business, kind="RITEL_MODERN", name="Indomaret")
    services.membership_set(
        actor=None, business=business, number="HPK-3673-00001", since=date(2025, 2, 1)
    )
    other = make_business(name="Batik Banten Kasemen", sector="fesyen")
    with pytest.raises(ValidationError):
        services.membership_set(actor=None, business=other, number="HPK-3673-00001", since=None)
    assert business.permits.count() == 1
    assert business.channels.count() == 1


def test_register_with_owner_reuses_an_owner_known_by_nik() -> None:
    owner = make_owner(full_name="Ujang Suryana")
    business, reused = services.business_register_with_owner(
        actor=None,
        owner_data={"full_name": "Ujang S.", "nik": owner.nik},
        business_data={
            "name": "Sate Bandeng Ujang",
            "sector": "kuliner",
            "desa_kelurahan": "Banten",
        },
        figure={"year": 2025, "omzet": 80_000_000, "modal": None, "workers": 2},
    )
    assert reused is True
    assert list(business.owners.all()) == [owner]
    assert business.size_class == "mikro"


def test_register_with_owner_collects_owner_and_business_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        services.business_register_with_owner(
            actor=None,
            owner_data={"full_name": "Dede", "nik": "1234"},
            business_data={"name": "", "sector": "kuliner", "desa_kelurahan": "Cipare"},
        )
    assert {"owner_nik", "name"} <= set(caught.value.message_dict)
    assert Owner.objects.count() == 0
