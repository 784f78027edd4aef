"""Demo data for the association (synthetic, deterministic): dues per type, a board with the
demo ``hipmikindo`` user as secretary, the register's demo memberships brought into the books
with payments that leave members in every status, an upcoming forum and a past training."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.association.models import (
    ApplicationChannel,
    AssociationEvent,
    BoardPosition,
    BoardTerm,
    DuesPayment,
    EventKind,
    EventRegistration,
    Member,
    MembershipApplication,
    MembershipType,
)
from naikkelas.association.services.memberships import (
    issue_member_number,
    members_sweep,
    membership_type_catalogue_load,
)
from naikkelas.association.status import add_months, renewal_period
from naikkelas.registry.models import Membership, MembershipStatus

DUES = {"biasa": 120_000, "luar_biasa": 250_000, "kehormatan": 0}


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def demo_association_load(*, seed: int = 7) -> int:
    """Load once (nothing happens when members exist). Returns the number of members made."""
    if Member.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    membership_type_catalogue_load()
    for code, dues in DUES.items():
        MembershipType.objects.filter(code=code).update(dues=dues)
    biasa = MembershipType.objects.get(code="biasa")
    term = BoardTerm.objects.create(
        name="Masa bakti 2026–2031",
        sk_number="SK-001/DPD-HIPMIKINDO/I/2026 (demo)",
        sk_date=date(2026, 1, 10),
        starts_on=date(2026, 1, 10),
        ends_on=date(2031, 1, 9),
    )
    secretary = User.objects.filter(username="hipmikindo").first()
    for order, (title, name, approves) in enumerate(
        (
            ("Ketua", "Ketua Demo", False),
            ("Sekretaris", "Sekretaris Demo", True),
            ("Bendahara", "Bendahara Demo", False),
            ("Bidang Pemasaran", "Pengurus Demo", False),
        ),
        start=1,
    ):
        BoardPosition.objects.create(
            term=term,
            title=title,
            holder_name=name,
            user=secretary if approves else None,
            contact_phone=f"+62812000090{order:02d}",
            approves_members=approves,
            sort_order=order,
        )
    made = 0
    for row in Membership.objects.select_related("business").order_by("business__name_key"):
        if row.status == MembershipStatus.CALON:
            MembershipApplication.objects.create(
                business=row.business, type=biasa, channel=ApplicationChannel.PETUGAS
            )
            continue
        joined = row.since or (today - timedelta(days=rng.randint(30, 1500)))
        member = Member.objects.create(
            business=row.business,
            type=biasa,
            number=row.number or issue_member_number(prefix="HPK", year=joined.year),
            joined_on=joined,
            status="baru",
            status_since=today,
            card_code=secrets.token_urlsafe(16),
            ended_on=today if row.status == MembershipStatus.TIDAK_AKTIF else None,
            end_reason="Tidak aktif (demo)" if row.status == MembershipStatus.TIDAK_AKTIF else "",
        )
        made += 1
        # most pay every year; some stop paying (lapsed or in the grace period)
        paid_until: date | None = None
        stop = add_months(today, -rng.choice([0, 0, 0, 0, 1, 3, 14]))
        paid_on = joined
        serial = 0
        while paid_on <= stop:
            period = renewal_period(
                terms=biasa.terms, joined_on=joined, paid_until=paid_until, paid_on=paid_on
            )
            serial += 1
            DuesPayment.objects.create(
                member=member,
                paid_on=paid_on,
                amount=biasa.dues,
                periods=1,
                period_start=period.start,
                period_end=period.end,
                method=rng.choice(["tunai", "transfer"]),
                reference="DEMO" if serial % 2 else "",
                receipt_number=f"KW-DEMO-{member.number}-{serial}",
            )
            paid_until = period.end
            paid_on = period.end - timedelta(days=rng.randint(0, 20))
        if paid_until:
            Member.objects.filter(pk=member.pk).update(paid_until=paid_until)
    members_sweep(today=today)
    members = list(Member.objects.filter(status__in=["baru", "aktif"])[:60])
    forum = AssociationEvent.objects.create(
        kind=EventKind.FORUM,
        title="Forum anggota: kemasan untuk ritel modern",
        description="Berbagi pengalaman kurasi Indomaret/Alfamart dan kendala perizinan.",
        starts_at=_aware(today + timedelta(days=10), 9),
        ends_at=_aware(today + timedelta(days=10), 12),
        venue="Aula Diskopukmperindag Kota Serang",
        capacity=80,
        checkin_code=secrets.token_urlsafe(16),
    )
    training = AssociationEvent.objects.create(
        kind=EventKind.PELATIHAN,
        title="Pelatihan pemasaran daring untuk anggota",
        starts_at=_aware(today - timedelta(days=30), 9),
        ends_at=_aware(today - timedelta(days=30), 15),
        venue="Gedung Hipmikindo",
        capacity=40,
        registration_open=False,
        checkin_code=secrets.token_urlsafe(16),
    )
    for index, member in enumerate(members[:30]):
        EventRegistration.objects.create(event=forum, business=member.business)
        attended = index % 4 != 0
        EventRegistration.objects.create(
            event=training,
            business=members[-1 - index].business,
            attended_at=training.starts_at + timedelta(minutes=index) if attended else None,
            attendance_method="daftar" if attended else "",
        )
    return made
