"""The deployment's kecamatan for a kota/kabupaten and for a whole province."""

from __future__ import annotations

import pytest

from naikkelas.regions.selectors import kecamatan_list

pytestmark = pytest.mark.django_db


def test_kecamatan_of_a_kota_and_of_the_province() -> None:
    kota = set(kecamatan_list(area_code="36.73").values_list("code", flat=True))
    assert len(kota) == 6 and all(code.startswith("36.73.") for code in kota)
    province = set(kecamatan_list(area_code="36").values_list("code", flat=True))
    assert kota < province  # Kota Serang's and Kabupaten Serang's (loaded for the tests)
    assert any(code.startswith("36.04.") for code in province)
    assert not set(kecamatan_list(area_code="36.7").values_list("code", flat=True))


def test_a_province_deployment_lists_and_filters_every_kecamatan(dinas_client, settings) -> None:  # noqa: ANN001
    from tests.factories import make_business

    settings.NAIKKELAS_AREA_CODE = "36"
    kab = next(k for k in kecamatan_list(area_code="36.04") if k.children.exists())
    place = kab.children.order_by("code").first()
    make_business(name="Gula Aren Kabupaten", desa_kelurahan=place.code)
    make_business(name="Emping Kota")
    page = dinas_client.get("/usaha/", {"kecamatan": kab.code}).content.decode()
    assert "Gula Aren Kabupaten" in page and "Emping Kota" not in page
    assert f'value="{kab.code}"' in page and 'value="36.73.06"' in page
    summary = dinas_client.get("/ringkasan/").content.decode()
    assert kab.name in summary
