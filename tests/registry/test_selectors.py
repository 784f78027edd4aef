"""Register search and filters, and the dashboard summary."""

from __future__ import annotations

from datetime import date

import pytest

from naikkelas.registry import services
from naikkelas.registry.selectors import BusinessFilters, business_list, register_summary
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    iyah = make_owner(
        full_name="Hj. Iyah Rohayati", nik=synthetic_nik(female=True), phone="081200001111"
    )
    emping = make_business(
        owner=iyah, name="Emping Melinjo Bu Iyah", nib="9000000000001", is_binaan=True
    )
    services.permit_add(actor=None, business=emping, kind="HALAL", number="ID3611000001")
    services.yearly_figure_set(
        actor=None, business=emping, year=2025, omzet=90_000_000, modal=None, workers=2
    )
    batik = make_business(
        owner=make_owner(full_name="Tb. Ahmad Syarif"),
        name="Batik Banten Kasemen",
        sector="fesyen",
        desa_kelurahan="36.73.02.1007",
    )
    services.membership_set(actor=None, business=batik, number="HPK-1", since=date(2025, 1, 1))
    services.yearly_figure_set(
        actor=None, business=batik, year=2025, omzet=3_000_000_000, modal=None, workers=20
    )
    closed = make_business(name="Warung Nasi Kang Asep", desa_kelurahan="36.73.01.1002")
    services.business_close(actor=None, business=closed, reason="tutup")
    return {"emping": emping, "batik": batik, "closed": closed, "iyah": iyah}


def names(filters: BusinessFilters) -> set[str]:
    return {b.name for b in business_list(filters=filters)}


@pytest.mark.parametrize(
    "query",
    ["emping", "EMPING  melinjo", "empingmelinjo", "Bu Iyah", "iyah rohayati", "IYAHROHAYATI"],
)
def test_search_is_tolerant_of_case_and_spacing(register, query: str) -> None:
    assert names(BusinessFilters(q=query)) == {"Emping Melinjo Bu Iyah"}


def test_search_by_nik_nib_and_phone_in_any_format(register) -> None:
    nik = register["iyah"].nik
    spaced_nik = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    for query in (nik, spaced_nik, "9000000000001", "0812-0000-1111", "+62 812 0000 1111"):
        assert names(BusinessFilters(q=query)) == {"Emping Melinjo Bu Iyah"}, query


def test_closed_businesses_are_hidden_unless_asked_for(register) -> None:
    assert "Warung Nasi Kang Asep" not in names(BusinessFilters())
    assert names(BusinessFilters(status="closed")) == {"Warung Nasi Kang Asep"}
    assert len(names(BusinessFilters(status=""))) == 3


def test_filters(register) -> None:
    assert names(BusinessFilters(kecamatan="36.73.02")) == {"Batik Banten Kasemen"}
    assert names(BusinessFilters(desa_kelurahan="36.73.06.1005")) == {"Emping Melinjo Bu Iyah"}
    assert names(BusinessFilters(sector="fesyen")) == {"Batik Banten Kasemen"}
    assert names(BusinessFilters(size_class="kecil")) == {"Batik Banten Kasemen"}
    assert names(BusinessFilters(is_member=True)) == {"Batik Banten Kasemen"}
    assert names(BusinessFilters(is_member=False)) == {"Emping Melinjo Bu Iyah"}
    assert names(BusinessFilters(is_binaan=True)) == {"Emping Melinjo Bu Iyah"}
    assert names(BusinessFilters(has_nib=True)) == {"Emping Melinjo Bu Iyah"}
    assert names(BusinessFilters(has_nib=False)) == {"Batik Banten Kasemen"}
    assert names(BusinessFilters(has_halal=True)) == {"Emping Melinjo Bu Iyah"}
    assert names(BusinessFilters(has_halal=False)) == {"Batik Banten Kasemen"}


def test_list_query_count_does_not_grow_with_rows(register, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        rows = list(business_list())
        assert all(r.main_ownerships for r in rows)


def test_summary_counts_active_businesses_per_kecamatan_sector_and_class(
    register, settings
) -> None:
    settings.NAIKKELAS_UMKM_ESTIMATE = 11000
    summary = register_summary()
    assert summary.total == 2
    assert summary.estimate == 11000
    assert summary.coverage == pytest.approx(2 / 11000)
    assert summary.coverage_percent == pytest.approx(200 / 11000)
    per_kecamatan = {row.name: row.count for row in summary.by_kecamatan}
    assert len(per_kecamatan) == 6
    assert per_kecamatan["Taktakan"] == 1 and per_kecamatan["Kasemen"] == 1
    assert per_kecamatan["Serang"] == 0  # the closed warung does not count
    per_sector = {row.code: row.count for row in summary.by_sector}
    assert per_sector["kuliner"] == 1 and per_sector["fesyen"] == 1
    per_class = {row.code: row.count for row in summary.by_class}
    assert per_class["mikro"] == 1 and per_class["kecil"] == 1
    assert (summary.binaan, summary.members, summary.with_nib) == (1, 1, 1)
