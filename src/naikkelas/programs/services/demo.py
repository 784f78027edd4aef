"""Demo programmes on the synthetic register: some aid history, one finished cycle, one open
for applications and one in preparation, so every programme page has something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from naikkelas.programs.models import AidRecord, Application, ApplicationStatus, Enrolment
from naikkelas.programs.models import Programme as ProgrammeModel
from naikkelas.programs.services.applications import applications_nominate_many
from naikkelas.programs.services.enrolment import (
    attendance_record,
    enrol_selected,
    enrolment_set_status,
    outcome_record,
)
from naikkelas.programs.services.programmes import (
    cycle_create,
    cycle_open,
    programme_create,
    session_add,
)
from naikkelas.programs.services.selection import cycle_publish, selection_run
from naikkelas.registry.models import Business, BusinessStatus, Source

HISTORY_KINDS = ("pelatihan", "kemasan", "halal")


def _history(rng: random.Random, businesses: list[Any], today: date) -> int:
    """Aid received in earlier years, deliberately uneven: the same few, near the office."""
    near_office = [b for b in businesses if b.kecamatan_id == "36.73.01"] or businesses
    records: list[AidRecord] = []
    for _n in range(min(300, len(businesses) // 30)):
        business = rng.choice(near_office if rng.random() < 0.6 else businesses)
        kind = rng.choice(HISTORY_KINDS)
        received = today - timedelta(days=rng.randint(200, 3 * 365))
        records.append(
            AidRecord(
                business=business,
                kind=kind,
                description=f"Bantuan {kind} {received.year} (data lama)",
                provider="Diskopukmperindag",
                value=rng.choice((500_000, 1_000_000, 1_500_000)),
                received_on=received,
            )
        )
    AidRecord.objects.bulk_create(records)
    return len(records)


def demo_programmes_load(*, seed: int = 3673) -> bool:
    """Idempotent: nothing is added when any programme exists. Returns True when loaded."""
    if ProgrammeModel.objects.exists():
        return False
    demo = Business.objects.filter(source=Source.DEMO, status=BusinessStatus.ACTIVE)
    businesses = list(demo.only("id", "kecamatan_id", "sector_id"))
    if not businesses:
        return False
    rng = random.Random(seed)
    today = timezone.localdate()
    _history(rng, businesses, today)

    # A finished cycle: packaging good enough for Indomaret/Alfamart.
    kemasan = programme_create(
        actor=None,
        name="Pelatihan Kemasan Siap Ritel Modern",
        kind="kemasan",
        organiser="dinas",
        description="Desain dan cetak kemasan full colour, label, kode produksi dan kedaluwarsa.",
    )
    start = today - timedelta(days=60)
    done = cycle_create(
        actor=None,
        programme=kemasan,
        name=f"Angkatan {start.year}-I",
        starts_on=start,
        ends_on=start + timedelta(days=4),
        capacity=40,
        unit_value=1_500_000,
        location="Aula Diskopukmperindag",
        sectors=["kuliner"],
        min_per_kecamatan=3,
        rules=[
            {"kind": "sector_in", "values": ["kuliner"]},
            {"kind": "permit_held", "values": ["NIB"]},
        ],
    )
    kuliner = [b.pk for b in businesses if b.sector_id == "kuliner"]
    rng.shuffle(kuliner)
    applications_nominate_many(actor=None, cycle=done, businesses=demo.filter(pk__in=kuliner[:160]))
    for application in Application.objects.filter(cycle=done):
        application.need_score = rng.randint(0, 5)
        application.readiness_score = rng.randint(0, 5)
        application.save(update_fields=["need_score", "readiness_score"])
    for number, title in enumerate(("Desain kemasan", "Label dan perizinan", "Foto produk"), 1):
        session_add(actor=None, cycle=done, title=title, held_on=start + timedelta(days=number))
    cycle_publish(actor=None, cycle=done, public_value="17")
    selection_run(actor=None, cycle=done, on=start - timedelta(days=7))
    enrol_selected(actor=None, cycle=done)
    enrolments = list(Enrolment.objects.filter(cycle=done).order_by("seat"))
    for session in done.sessions.all():
        attendance_record(
            actor=None,
            session=session,
            present=[e.pk for e in enrolments if rng.random() < 0.85],
        )
    for enrolment in enrolments:
        if rng.random() < 0.9:
            enrolment_set_status(
                actor=None, enrolment=enrolment, status="completed", completed_on=done.ends_on
            )
            if rng.random() < 0.4:
                outcome_record(
                    actor=None,
                    enrolment=enrolment,
                    kind="packaging",
                    observed_on=done.ends_on + timedelta(days=30),
                    detail="Kemasan standing pouch cetak full colour",
                )
            if rng.random() < 0.15:
                outcome_record(
                    actor=None,
                    enrolment=enrolment,
                    kind="retail",
                    observed_on=done.ends_on + timedelta(days=45),
                    detail="Kurasi Alfamart lolos",
                )
        else:
            enrolment_set_status(
                actor=None, enrolment=enrolment, status="dropped", reason="Tidak hadir dua sesi"
            )

    # Open for applications: fashion onto e-commerce.
    ecommerce = programme_create(
        actor=None,
        name="Onboarding E-commerce Fesyen",
        kind="ecommerce",
        organiser="dinas",
    )
    open_cycle = cycle_create(
        actor=None,
        programme=ecommerce,
        name=f"Angkatan {today.year + 1}-I",
        starts_on=today + timedelta(days=21),
        ends_on=today + timedelta(days=23),
        capacity=30,
        unit_value=750_000,
        location="Rumah Kreatif Kota Serang",
        sectors=["fesyen"],
        applications_close_on=today + timedelta(days=14),
        rules=[
            {"kind": "sector_in", "values": ["fesyen"]},
            {"kind": "not_received_within", "values": ["ecommerce"], "years": 2},
        ],
    )
    cycle_open(actor=None, cycle=open_cycle)
    fesyen = [b.pk for b in businesses if b.sector_id == "fesyen"]
    rng.shuffle(fesyen)
    applications_nominate_many(
        actor=None, cycle=open_cycle, businesses=demo.filter(pk__in=fesyen[:70])
    )

    # In preparation: Hipmikindo's free halal self-declare facilitation.
    halal = programme_create(
        actor=None,
        name="Fasilitasi Sertifikat Halal Self-Declare",
        kind="halal",
        organiser="hipmikindo",
        description="Pendampingan SEHATI (gratis) untuk usaha mikro.",
    )
    cycle_create(
        actor=None,
        programme=halal,
        name=f"Gelombang {today.year + 1}-I",
        starts_on=today + timedelta(days=40),
        ends_on=today + timedelta(days=70),
        capacity=150,
        location="Sekretariat Hipmikindo",
        sectors=["kuliner"],
        min_per_kecamatan=10,
        rules=[
            {"kind": "sector_in", "values": ["kuliner"]},
            {"kind": "size_class_in", "values": ["mikro"]},
            {"kind": "permit_missing", "values": ["HALAL"]},
            {"kind": "permit_held", "values": ["NIB"]},
        ],
    )
    selected = Application.objects.filter(cycle=done, status=ApplicationStatus.SELECTED).count()
    return selected > 0
