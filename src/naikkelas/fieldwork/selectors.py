"""Reading field collection: the census campaign's progress per kelurahan and enumerator."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q

from naikkelas.accounts.models import AreaAssignment, Role, User
from naikkelas.fieldwork.models import KelurahanTarget, Submission
from naikkelas.fieldwork.targets import spread_targets
from naikkelas.intake.models import RowStatus
from naikkelas.regions.selectors import desa_kelurahan_list
from naikkelas.registry.models import Business, BusinessStatus

__all__ = ["EnumeratorProgress", "KelurahanProgress", "campaign_progress"]


@dataclass
class Outcomes:
    submitted: int = 0
    promoted: int = 0  # new businesses in the register
    linked: int = 0  # duplicates found: the business was registered already
    quarantined: int = 0  # waiting for an officer's fix
    other: int = 0  # no consent, duplicate within the day, not processed yet

    def add(self, row_status: str | None) -> None:
        self.submitted += 1
        if row_status == RowStatus.PROMOTED:
            self.promoted += 1
        elif row_status == RowStatus.LINKED:
            self.linked += 1
        elif row_status == RowStatus.QUARANTINED:
            self.quarantined += 1
        else:
            self.other += 1


@dataclass
class KelurahanProgress:
    code: str
    name: str
    kecamatan: str
    target: int
    target_set: bool  # entered by an officer (else the spread estimate)
    registered: int  # active businesses in the register now
    outcomes: Outcomes = field(default_factory=Outcomes)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.registered / self.target)) if self.target else 0


@dataclass
class EnumeratorProgress:
    user: Any
    areas: list[str]
    last: Any
    outcomes: Outcomes = field(default_factory=Outcomes)


def campaign_progress() -> tuple[list[KelurahanProgress], list[EnumeratorProgress], dict[str, int]]:
    """Per kelurahan: target, businesses registered, and what the census submissions
    became; per enumerator: the same outcomes; and the totals."""
    places = list(desa_kelurahan_list().select_related("parent"))
    registered = dict(
        Business.objects.exclude(status=BusinessStatus.MERGED)
        .values_list("desa_kelurahan_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    codes = [p.code for p in places]
    spread = spread_targets(settings.NAIKKELAS_UMKM_ESTIMATE, codes, registered)
    entered = dict(KelurahanTarget.objects.values_list("region_id", "target"))
    rows = {
        p.code: KelurahanProgress(
            code=p.code,
            name=p.name,
            kecamatan=p.parent.name if p.parent else "",
            target=entered.get(p.code, spread[p.code]),
            target_set=p.code in entered,
            registered=registered.get(p.code, 0),
        )
        for p in places
    }
    people: dict[Any, EnumeratorProgress] = {}
    areas: defaultdict[Any, list[str]] = defaultdict(list)
    for user_id, name in AreaAssignment.objects.values_list("user_id", "region__name"):
        areas[user_id].append(name)
    last = dict(
        Submission.objects.values_list("submitted_by_id")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    # active enumerators, and anyone else who sent forms (an officer in the field)
    senders = User.objects.filter(
        Q(role=Role.ENUMERATOR, is_active=True) | Q(pk__in=list(last))
    ).order_by("username")
    for user in senders:
        people[user.pk] = EnumeratorProgress(user, areas[user.pk], last.get(user.pk))
    totals: Counter[str] = Counter()
    for kelurahan, user_id, row_status in Submission.objects.values_list(
        "kelurahan", "submitted_by_id", "import_row__status"
    ).iterator(chunk_size=5000):
        code = kelurahan.replace(".", "")
        dotted = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}" if len(code) == 10 else kelurahan
        if dotted in rows:
            rows[dotted].outcomes.add(row_status)
        if user_id in people:
            people[user_id].outcomes.add(row_status)
        totals["submitted"] += 1
    totals["target"] = sum(r.target for r in rows.values())
    totals["registered"] = sum(r.registered for r in rows.values())
    return list(rows.values()), list(people.values()), dict(totals)
