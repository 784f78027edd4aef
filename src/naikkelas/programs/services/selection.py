"""Publishing the applicant list (fingerprint and seed), running and replaying the selection,
and officers' overrides.

The draw is ``programs.allocation.allocate``; this module only feeds it and keeps its record.
A run stores the candidates exactly as the allocator saw them (eligibility already evaluated),
the register counts, the parameters and the seed, so ``selection_replay`` can recompute the
result from the stored run alone and compare digests.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import actor_user, audit_log
from naikkelas.core.bulk_write import bulk_update
from naikkelas.core.exceptions import ApplicationError
from naikkelas.programs.allocation import (
    Allocation,
    Candidate,
    Outcome,
    Params,
    allocate,
    applicant_fingerprint,
)
from naikkelas.programs.eligibility import evaluate, rules_from_data
from naikkelas.programs.models import (
    Application,
    ApplicationStatus,
    Cycle,
    CycleStatus,
    Enrolment,
    Override,
    SelectionRun,
)
from naikkelas.programs.selectors import (
    next_position,
    profiles_for,
    register_eligible_counts,
)

OUTCOME_STATUS = {
    Outcome.SELECTED: ApplicationStatus.SELECTED,
    Outcome.WAITLISTED: ApplicationStatus.WAITLISTED,
    Outcome.INELIGIBLE: ApplicationStatus.INELIGIBLE,
}


def _fingerprint_rows(cycle: Cycle) -> list[list[str]]:
    """What the published list fixes: every application and its scores, and the parameters."""
    rows = [
        [str(pk), str(business), str(need), str(ready)]
        for pk, business, need, ready in Application.objects.filter(cycle=cycle)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("pk", "business_id", "need_score", "readiness_score")
    ]
    rows.append(
        [
            "#parameters",
            str(cycle.capacity),
            _canonical(cycle.rules),
            str(cycle.min_per_kecamatan),
            _canonical(cycle.sector_shares),
            f"{cycle.need_weight}/{cycle.readiness_weight}",
        ]
    )
    return rows


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def seed_from(fingerprint: str, public_value: str = "") -> str:
    """The draw's seed: fixed by the published list (and an optional public value, e.g. the
    number of a public lottery on the day), so nobody can choose it after seeing the result."""
    return hashlib.sha256(f"{fingerprint}:{public_value.strip()}".encode()).hexdigest()[:16]


def cycle_publish(
    *, actor: Any, cycle: Cycle, public_value: str = "", request: Any = None
) -> Cycle:
    """Close the applicant list: fix its fingerprint and the seed, shown before the draw."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status not in (CycleStatus.DRAFT, CycleStatus.OPEN):
            raise ApplicationError(_("Daftar pendaftar angkatan ini sudah ditetapkan."))
        if not Application.objects.filter(cycle=cycle).exists():
            raise ApplicationError(_("Belum ada pendaftar."))
        cycle.fingerprint = applicant_fingerprint(_fingerprint_rows(cycle))
        cycle.seed = seed_from(cycle.fingerprint, public_value)
        cycle.status = CycleStatus.PUBLISHED
        cycle.published_at = timezone.now()
        cycle.published_by = actor_user(actor)
        cycle.save()
        audit_log(
            actor=actor,
            action="cycle.publish",
            instance=cycle,
            request=request,
            extra={
                "fingerprint": cycle.fingerprint,
                "seed": cycle.seed,
                "public_value": public_value.strip(),
            },
        )
    return cycle


def cycle_unpublish(*, actor: Any, cycle: Cycle, request: Any = None) -> Cycle:
    """Reopen the list (to add a late applicant) while no selection has been run."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status != CycleStatus.PUBLISHED or cycle.runs.exists():
            raise ApplicationError(
                _("Daftar hanya dapat dibuka kembali sebelum seleksi dijalankan.")
            )
        cycle.status = CycleStatus.OPEN
        cycle.fingerprint = cycle.seed = ""
        cycle.published_at = None
        cycle.save()
        audit_log(actor=actor, action="cycle.unpublish", instance=cycle, request=request)
    return cycle


def _candidate_json(c: Candidate, failures: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": c.id,
        "area": c.area,
        "sector": c.sector,
        "eligible": c.eligible,
        "times_assisted": c.times_assisted,
        "score": c.score,
        "failures": failures,
    }


def _allocation_json(allocation: Allocation) -> dict[str, Any]:
    return {
        "decisions": [
            {
                "id": d.candidate_id,
                "outcome": d.outcome.value,
                "position": d.position,
                "area": d.area,
                "sector": d.sector,
                "quota_area": d.quota_area,
                "quota_sector": d.quota_sector,
                "times_assisted": d.times_assisted,
                "overflow": d.overflow,
                "lottery": d.lottery,
            }
            for d in allocation.decisions
        ],
        "area_entitlement": {
            k: round(v, 6) for k, v in sorted(allocation.area_entitlement.items())
        },
        "area_quota": dict(sorted(allocation.area_quota.items())),
        "sector_quota": dict(sorted(allocation.sector_quota.items())),
        "cell_quota": [[a, s, n] for (a, s), n in sorted(allocation.cell_quota.items())],
        "unused_seats": allocation.unused_seats,
    }


def _digest(result: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(result).encode()).hexdigest()


def _params(parameters: Mapping[str, Any], counts: list[list[Any]], seed: str) -> Params:
    shares = parameters.get("sector_shares") or {}
    return Params(
        seats=int(parameters["seats"]),
        seed=seed,
        register_counts={(str(a), str(s)): int(n) for a, s, n in counts},
        min_per_area=int(parameters.get("min_per_area") or 0),
        sector_shares={k: v / 100 for k, v in shares.items()} if shares else None,
    )


def _candidates(rows: Sequence[Mapping[str, Any]]) -> list[Candidate]:
    return [
        Candidate(
            id=r["id"],
            area=r["area"],
            sector=r["sector"],
            eligible=bool(r["eligible"]),
            times_assisted=int(r["times_assisted"]),
            score=float(r["score"]),
        )
        for r in rows
    ]


def selection_run(
    *, actor: Any, cycle: Cycle, on: date | None = None, request: Any = None
) -> SelectionRun:
    """Evaluate eligibility, draw with the published seed, store the run and apply it."""
    on = on or timezone.localdate()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status not in (CycleStatus.PUBLISHED, CycleStatus.SELECTED):
            raise ApplicationError(_("Tetapkan daftar pendaftar dulu (benih undian diumumkan)."))
        if Enrolment.objects.filter(cycle=cycle).exists():
            raise ApplicationError(_("Peserta sudah didaftarkan; seleksi tidak dapat diulang."))
        if applicant_fingerprint(_fingerprint_rows(cycle)) != cycle.fingerprint:
            raise ApplicationError(
                _("Daftar pendaftar berubah sejak ditetapkan; buka dan tetapkan ulang daftar.")
            )
        rules = rules_from_data(cycle.rules)
        applications = list(
            Application.objects.filter(cycle=cycle).exclude(status=ApplicationStatus.WITHDRAWN)
        )
        profiles = profiles_for(business_ids=[a.business_id for a in applications], on=on)
        rows: list[dict[str, Any]] = []
        for application in applications:
            profile = profiles[str(application.business_id)]
            evaluation = evaluate(rules, profile, on=on)
            candidate = Candidate(
                id=str(application.pk),
                area=profile.kecamatan,
                sector=profile.sector,
                eligible=evaluation.passed,
                times_assisted=profile.times_assisted,
                score=float(
                    cycle.need_weight * application.need_score
                    + cycle.readiness_weight * application.readiness_score
                ),
            )
            failures = [{"code": f.code, "args": dict(f.args)} for f in evaluation.failures]
            rows.append(_candidate_json(candidate, json.loads(_canonical(failures))))
        rows.sort(key=lambda r: r["id"])
        counts = register_eligible_counts(rules=rules, on=on)
        count_rows = [[a, s, n] for (a, s), n in sorted(counts.items())]
        parameters = {
            "seats": cycle.capacity,
            "min_per_area": cycle.min_per_kecamatan,
            "sector_shares": cycle.sector_shares,
            "need_weight": cycle.need_weight,
            "readiness_weight": cycle.readiness_weight,
            "rules": cycle.rules,
            "evaluated_on": on.isoformat(),
        }
        allocation = allocate(_candidates(rows), _params(parameters, count_rows, cycle.seed))
        result = _allocation_json(allocation)
        number = (cycle.runs.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        run = SelectionRun.objects.create(
            cycle=cycle,
            number=number,
            run_by=actor_user(actor),
            seed=cycle.seed,
            fingerprint=cycle.fingerprint,
            parameters=parameters,
            candidates=rows,
            register_counts=count_rows,
            result=result,
            result_digest=_digest(result),
        )
        _apply(run, rows, allocation)
        cycle.status = CycleStatus.SELECTED
        cycle.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="selection.run",
            instance=cycle,
            request=request,
            extra={
                "run": number,
                "seed": cycle.seed,
                "digest": run.result_digest,
                "selected": sum(1 for d in allocation.decisions if d.outcome == Outcome.SELECTED),
            },
        )
    return run


def _apply(run: SelectionRun, rows: list[dict[str, Any]], allocation: Allocation) -> None:
    """Write every decision onto its application (one statement per database, ADR 0009)."""
    failures = {r["id"]: r["failures"] for r in rows}
    updates: list[dict[str, Any]] = []
    for d in allocation.decisions:
        reason: dict[str, Any] = {"outcome": d.outcome.value, "run": run.number}
        if d.outcome == Outcome.INELIGIBLE:
            reason["failures"] = failures.get(d.candidate_id, [])
        else:
            reason.update(
                area=d.quota_area or d.area,
                sector=d.quota_sector,
                times_assisted=d.times_assisted,
                overflow=d.overflow,
            )
        updates.append(
            {
                "id": uuid.UUID(d.candidate_id),
                "status": OUTCOME_STATUS[d.outcome].value,
                "position": d.position,
                "reason": reason,
                "overridden": False,
            }
        )
    bulk_update(Application, ["status", "position", "reason", "overridden"], updates)


def selection_replay(*, run: SelectionRun) -> tuple[bool, Allocation]:
    """Recompute a stored run from its stored input alone; True when the result is identical."""
    allocation = allocate(
        _candidates(run.candidates), _params(run.parameters, run.register_counts, run.seed)
    )
    return _digest(_allocation_json(allocation)) == run.result_digest, allocation


OVERRIDE_TARGETS = (
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.NOT_SELECTED,
)


def application_override(
    *, actor: Any, application: Application, to_status: str, reason: str, request: Any = None
) -> Override:
    """Change one decision by hand; the written reason is mandatory and shown in reports."""
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError(_("Tuliskan alasan perubahan (minimal 10 karakter)."))
    if to_status not in OVERRIDE_TARGETS:
        raise ApplicationError(_("Keputusan tujuan tidak dikenal."))
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=application.cycle_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if cycle.status != CycleStatus.SELECTED:
            raise ApplicationError(_("Keputusan hanya dapat diubah setelah seleksi dijalankan."))
        if application.status == to_status:
            raise ApplicationError(_("Keputusan ini sudah berlaku."))
        if hasattr(application, "enrolment"):
            raise ApplicationError(_("Usaha ini sudah menjadi peserta; ubah status pesertanya."))
        if to_status == ApplicationStatus.SELECTED:
            selected = Application.objects.filter(
                cycle=cycle, status=ApplicationStatus.SELECTED
            ).count()
            if selected >= cycle.capacity:
                raise ApplicationError(
                    _("Kuota sudah penuh: jadikan dulu peserta terpilih lain sebagai cadangan.")
                )
        override = Override.objects.create(
            application=application,
            run=cycle.runs.order_by("-number").first(),
            from_status=application.status,
            to_status=to_status,
            reason=reason,
            decided_by=actor_user(actor),
        )
        application.status = to_status
        application.overridden = True
        application.reason = {
            **application.reason,
            "outcome": to_status,
            "override": reason,
            "overridden_from": override.from_status,
        }
        if to_status in (ApplicationStatus.WAITLISTED, ApplicationStatus.SELECTED):
            # at the end of the list it joins
            application.position = next_position(cycle=cycle, status=to_status)
        else:
            application.position = None
        application.save()
        audit_log(
            actor=actor,
            action="application.override",
            instance=application,
            request=request,
            changes={"status": [override.from_status, to_status]},
            extra={"reason": reason},
        )
    return override
