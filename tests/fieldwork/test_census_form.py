"""The census form: valid for ODK (pyxform + ODK Validate, i.e. Collect's JavaRosa), built
from the deployment's places and sectors, versioned so that old submissions stay readable."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from naikkelas.fieldwork.census_form import CENSUS_FORM_ID, census_definition
from naikkelas.fieldwork.models import FormVersion
from naikkelas.fieldwork.services.forms import census_form_definition, census_form_publish
from naikkelas.registry.models import Sector

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"

needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("NAIKKELAS_REQUIRE_JAVA"),
    reason="ODK Validate needs Java (CI installs it: NAIKKELAS_REQUIRE_JAVA=1)",
)


def small() -> dict:
    return census_definition(
        version="2026112901",
        title="Pendataan UMKM Uji",
        kecamatan=[("36.73.01", "Serang"), ("36.73.02", "Kasemen")],
        kelurahan=[
            ("36.73.01.1001", "Cipare", "36.73.01"),
            ("36.73.02.1001", "Kasemen", "36.73.02"),
        ],
        sectors=[("kuliner", "Kuliner"), ("fesyen", "Fesyen")],
    )


def test_the_definition_needs_places_and_sectors() -> None:
    with pytest.raises(ValueError, match="kecamatan"):
        census_definition(version="1", title="x", kecamatan=[], kelurahan=[], sectors=[])


def test_question_names_are_the_intake_fields() -> None:
    from naikkelas.intake.headers import FIELD_LABELS

    names = {row["name"] for row in small()["survey"]}
    data = {
        "owner_name", "nik", "sex", "birth_date", "phone", "business_name", "sector",
        "products", "omzet_month", "workers", "nib", "kecamatan", "desa_kelurahan",
        "address", "rt", "rw", "coordinates",
    }  # fmt: skip
    assert data <= names
    assert data <= set(FIELD_LABELS)


@needs_java
def test_odk_validate_accepts_the_form() -> None:
    result = convert(small(), validate=True)
    root = ElementTree.fromstring(result.xform)
    instance = root.find(f"{H}head/{XF}model/{XF}instance/{XF}data")
    assert instance is not None
    assert instance.get("id") == CENSUS_FORM_ID
    assert instance.get("version") == "2026112901"
    assert "kecamatan = " in result.xform  # the cascading select's filter


@pytest.mark.django_db
@needs_java
def test_the_deployed_form_with_all_kota_serang_places_is_valid() -> None:
    definition = census_form_definition(version="2026112901")
    kelurahan = [c for c in definition["choices"] if c["list_name"] == "kelurahan"]
    kecamatan = [c for c in definition["choices"] if c["list_name"] == "kecamatan"]
    assert len(kecamatan) == 6 and len(kelurahan) == 67  # Kota Serang
    assert {k["kecamatan"] for k in kelurahan} == {k["name"] for k in kecamatan}
    convert(definition, validate=True)


@pytest.mark.django_db
def test_publishing_makes_a_version_only_when_the_form_changed() -> None:
    first, new = census_form_publish(actor=None, validate=False)
    assert new and first.is_current
    assert first.md5 == hashlib.md5(first.xml.encode()).hexdigest()  # noqa: S324
    same, new = census_form_publish(actor=None, validate=False)
    assert not new and same.pk == first.pk
    Sector.objects.create(code="digital", name="Ekonomi digital", sort_order=99)
    second, new = census_form_publish(actor=None, validate=False)
    assert new and second.version > first.version
    first.refresh_from_db()
    assert not first.is_current  # kept: its submissions stay readable
    assert FormVersion.objects.filter(form_id=CENSUS_FORM_ID).count() == 2
    assert f'version="{second.version}"' in second.xml


@pytest.mark.django_db
def test_the_command_publishes_and_writes_the_xlsform(tmp_path: Path, capsys) -> None:
    call_command("census_form", "--no-validate")
    assert "published" in capsys.readouterr().out
    call_command("census_form", "--no-validate")
    assert "unchanged" in capsys.readouterr().out
    path = tmp_path / "pendataan_umkm.xlsx"
    call_command("census_form", "--xlsx", str(path))
    book = load_workbook(path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [cell.value for cell in book["survey"][1]]
    assert header[:2] == ["type", "name"] and "label::Indonesia (id)" in header
    # the spreadsheet converts to the same form (what a form builder would edit)
    assert convert(str(path), validate=False).xform
