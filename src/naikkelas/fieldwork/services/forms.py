"""Publishing the census form: XLSForm data -> XForm (pyxform), one version per change."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyxform.xls2xform import convert

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.census_form import CENSUS_FORM_ID, census_definition
from naikkelas.fieldwork.models import FormVersion
from naikkelas.regions.models import Region
from naikkelas.registry.models import Sector

__all__ = ["census_form_definition", "census_form_publish", "definition_xlsx_write"]


def census_form_definition(*, version: str) -> dict[str, list[dict[str, Any]]]:
    """The census form of the deployment's area (its kecamatan and kelurahan) and the
    register's sectors."""
    area = settings.NAIKKELAS_AREA_CODE
    places = Region.objects.filter(code__startswith=area + ".").order_by("code")
    kecamatan = [(r.code, r.name) for r in places.filter(level=3)]
    kelurahan = [(r.code, r.name, r.parent_id or "") for r in places.filter(level=4)]
    sectors = [(s.code, str(s.name)) for s in Sector.objects.order_by("sort_order", "code")]
    area_name = Region.objects.filter(code=area).values_list("name", flat=True).first() or area
    return census_definition(
        version=version,
        title=f"Pendataan UMKM {area_name}",
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        sectors=sectors,
    )


def _xform(definition: dict[str, list[dict[str, Any]]], *, validate: bool) -> str:
    return convert(definition, validate=validate, pretty_print=False).xform


def _next_version(previous: str | None) -> str:
    """``YYYYMMDDNN``: today's date and a counter, always greater than ``previous``."""
    today = timezone.localdate().strftime("%Y%m%d")
    if previous and previous.isdigit() and len(previous) == 10 and previous[:8] >= today:
        return str(int(previous) + 1)
    return f"{today}01"


@transaction.atomic
def census_form_publish(*, actor: Any, validate: bool = True) -> tuple[FormVersion, bool]:
    """Publish the census form when it changed (places, sectors or the form itself);
    returns (the current version, whether it is new). The XForm is checked by ODK Validate
    (Collect's own JavaRosa) unless ``validate`` is off. Older versions stay: submissions
    made with them remain readable and accepted."""
    current = (
        FormVersion.objects.select_for_update()
        .filter(form_id=CENSUS_FORM_ID, is_current=True)
        .first()
    )
    if current is not None:
        unchanged = census_form_definition(version=current.version)
        if _xform(unchanged, validate=False) == current.xml:
            return current, False
    version = _next_version(current.version if current else None)
    definition = census_form_definition(version=version)
    xml = _xform(definition, validate=validate)
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
    published = FormVersion.objects.create(
        form_id=CENSUS_FORM_ID,
        version=version,
        title=definition["settings"][0]["form_title"],
        xml=xml,
        md5=hashlib.md5(xml.encode(), usedforsecurity=False).hexdigest(),
        definition=definition,
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action="fieldwork.form_publish",
        instance=published,
        extra={"form_id": CENSUS_FORM_ID, "version": version},
    )
    return published, True


def definition_xlsx_write(definition: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """Write XLSForm sheets as a spreadsheet (the form in the format form builders use)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet_name, rows in definition.items():
        sheet = book.create_sheet(sheet_name)
        columns: list[str] = []
        for row in rows:
            columns.extend(c for c in row if c not in columns)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
    book.save(path)
