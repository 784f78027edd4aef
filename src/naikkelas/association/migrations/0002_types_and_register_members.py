"""The default membership types, and the register's existing Hipmikindo memberships brought
into the association's books (ADR 0019).

``registry.Membership`` rows that are ``aktif`` become members of type *anggota biasa* with
their number (or a new one) and join date; ``calon`` rows become open applications;
``tidak_aktif`` rows become ended memberships. Nothing is taken away from the register.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.db import migrations

TYPES = (
    ("biasa", "Anggota biasa", "Pelaku UMKM yang terdaftar sebagai anggota penuh.", 1),
    ("luar_biasa", "Anggota luar biasa", "Mitra, pendamping, atau lembaga pendukung.", 2),
    ("kehormatan", "Anggota kehormatan", "Diangkat oleh pengurus; tanpa iuran.", 3),
)


def forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    MembershipType = apps.get_model("association", "MembershipType")
    Member = apps.get_model("association", "Member")
    Application = apps.get_model("association", "MembershipApplication")
    Sequence = apps.get_model("association", "MemberNumberSequence")
    Registered = apps.get_model("registry", "Membership")
    db = schema_editor.connection.alias  # the database being migrated, not always "default"
    for code, name, description, order in TYPES:
        MembershipType.objects.using(db).get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    biasa = MembershipType.objects.using(db).get(code="biasa")
    today = date.today()
    used = set(Member.objects.using(db).values_list("number", flat=True))
    serial: dict[int, int] = {}
    for row in Registered.objects.using(db).select_related("business").order_by("created_at"):
        if Member.objects.using(db).filter(business_id=row.business_id).exists():
            continue
        if row.status == "calon":
            Application.objects.using(db).get_or_create(
                business_id=row.business_id,
                status="diajukan",
                defaults={"type": biasa, "channel": "petugas", "note": "Dari register"},
            )
            continue
        joined = row.since or row.created_at.date()
        number = row.number
        if not number or number in used:
            serial[joined.year] = serial.get(joined.year, 0) + 1
            number = f"HPK-{joined.year}-{serial[joined.year]:04d}"
            while number in used:
                serial[joined.year] += 1
                number = f"HPK-{joined.year}-{serial[joined.year]:04d}"
        used.add(number)
        ended = row.status != "aktif"
        Member.objects.using(db).create(
            business_id=row.business_id,
            type=biasa,
            number=number,
            joined_on=joined,
            status="berhenti" if ended else ("baru" if (today - joined).days < 90 else "aktif"),
            status_since=today,
            ended_on=today if ended else None,
            end_reason="Tidak aktif di register (dipindahkan)" if ended else "",
            card_code=secrets.token_urlsafe(16),
        )
    for year, last in serial.items():
        sequence, _created = Sequence.objects.using(db).get_or_create(prefix="HPK", year=year)
        sequence.last = max(sequence.last, last)
        sequence.save()


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0001_initial"),
        ("registry", "0006_search_indexes"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
