"""Creating programmes, cycles and sessions; composing a cycle's eligibility rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import actor_user, audit_log, diff, snapshot
from naikkelas.core.exceptions import ApplicationError
from naikkelas.programs.eligibility import rule_from_dict
from naikkelas.programs.models import (
    Cycle,
    CycleStatus,
    Organiser,
    Programme,
    ProgrammeKind,
    Session,
)
from naikkelas.registry.models import Sector

CYCLE_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "applications_close_on",
    "capacity",
    "unit_value",
    "location",
    "min_per_kecamatan",
    "sector_shares",
    "need_weight",
    "readiness_weight",
)
LOCKED_AFTER_PUBLISH = {"min_per_kecamatan", "sector_shares", "need_weight", "readiness_weight"}


def programme_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    organiser: str,
    partner_name: str = "",
    description: str = "",
    request: Any = None,
) -> Programme:
    if kind not in ProgrammeKind.values or organiser not in Organiser.values:
        raise ApplicationError(_("Jenis program atau penyelenggara tidak dikenal."))
    if not name.strip():
        raise ApplicationError(_("Nama program wajib diisi."))
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name.strip(),
            kind=kind,
            organiser=organiser,
            partner_name=partner_name.strip(),
            description=description.strip(),
            created_by=actor_user(actor),
        )
        audit_log(
            actor=actor,
            action="programme.create",
            instance=programme,
            request=request,
            changes=diff({}, snapshot(programme, ("name", "kind", "organiser"))),
        )
    return programme


def _clean_shares(shares: Mapping[str, Any] | None) -> dict[str, int]:
    """Sector shares in whole percent; they must name known sectors and add up to 100."""
    cleaned: dict[str, int] = {}
    for code, value in (shares or {}).items():
        try:
            percent = int(value)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("Porsi sektor harus bilangan bulat (persen).")) from exc
        if percent < 0:
            raise ApplicationError(_("Porsi sektor tidak boleh negatif."))
        if percent:
            cleaned[str(code)] = percent
    if cleaned:
        unknown = set(cleaned) - set(Sector.objects.values_list("code", flat=True))
        if unknown:
            raise ApplicationError(
                _("Sektor tidak dikenal: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            )
        if sum(cleaned.values()) != 100:
            raise ApplicationError(
                _("Porsi sektor harus berjumlah 100%% (sekarang %(total)s%%).")
                % {"total": sum(cleaned.values())}
            )
    return cleaned


def _check_cycle(values: Mapping[str, Any]) -> None:
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        raise ApplicationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    closes = values.get("applications_close_on")
    if isinstance(closes, date) and isinstance(ends_on, date) and closes > ends_on:
        raise ApplicationError(_("Pendaftaran harus ditutup sebelum angkatan selesai."))
    if int(values.get("capacity") or 0) < 1:
        raise ApplicationError(_("Kuota peserta minimal 1."))
    if int(values.get("unit_value") or 0) < 0:
        raise ApplicationError(_("Nilai per peserta tidak boleh negatif."))


def cycle_create(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    starts_on: date,
    ends_on: date,
    capacity: int,
    unit_value: int = 0,
    applications_close_on: date | None = None,
    location: str = "",
    sectors: Sequence[str] = (),
    min_per_kecamatan: int = 0,
    sector_shares: Mapping[str, Any] | None = None,
    need_weight: int = 1,
    readiness_weight: int = 1,
    rules: Sequence[Mapping[str, Any]] = (),
    request: Any = None,
) -> Cycle:
    values: dict[str, Any] = {
        "name": name.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "applications_close_on": applications_close_on,
        "capacity": capacity,
        "unit_value": unit_value,
        "location": location.strip(),
        "min_per_kecamatan": min_per_kecamatan,
        "sector_shares": _clean_shares(sector_shares),
        "need_weight": need_weight,
        "readiness_weight": readiness_weight,
    }
    _check_cycle(values)
    parsed = [_parse_rule(r) for r in rules]
    with transaction.atomic():
        cycle = Cycle.objects.create(
            programme=programme,
            rules=parsed,
            created_by=actor_user(actor),
            **values,
        )
        if sectors:
            cycle.sectors.set(Sector.objects.filter(code__in=list(sectors)))
        audit_log(
            actor=actor,
            action="cycle.create",
            instance=cycle,
            request=request,
            changes=diff({}, snapshot(cycle, CYCLE_FIELDS)),
            extra={"rules": parsed},
        )
    return cycle


def cycle_update(
    *,
    actor: Any,
    cycle: Cycle,
    data: Mapping[str, Any],
    sectors: Sequence[str] | None = None,
    request: Any = None,
) -> Cycle:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        before = snapshot(cycle, CYCLE_FIELDS)
        values = {**before, **{k: v for k, v in data.items() if k in CYCLE_FIELDS}}
        values["sector_shares"] = _clean_shares(values.get("sector_shares"))
        _check_cycle(values)
        published = cycle.status not in (CycleStatus.DRAFT, CycleStatus.OPEN)
        changed = {k for k in CYCLE_FIELDS if values[k] != before[k]}
        if published and changed & LOCKED_AFTER_PUBLISH:
            raise ApplicationError(
                _("Parameter seleksi tidak dapat diubah setelah daftar pendaftar ditetapkan.")
            )
        from naikkelas.programs.selectors import enrolled_count

        if values["capacity"] < enrolled_count(cycle=cycle):
            raise ApplicationError(
                _("Kuota tidak boleh lebih kecil dari jumlah peserta yang sudah terdaftar.")
            )
        for name in CYCLE_FIELDS:
            setattr(cycle, name, values[name])
        cycle.save()
        if sectors is not None:
            cycle.sectors.set(Sector.objects.filter(code__in=list(sectors)))
        audit_log(
            actor=actor,
            action="cycle.update",
            instance=cycle,
            request=request,
            changes=diff(before, snapshot(cycle, CYCLE_FIELDS)),
        )
    return cycle


def _parse_rule(data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return rule_from_dict(data).as_dict()
    except ValueError as exc:
        raise ApplicationError(_("Syarat tidak sah: %(error)s") % {"error": exc}) from exc


def _editable_rules(cycle: Cycle) -> None:
    if cycle.status not in (CycleStatus.DRAFT, CycleStatus.OPEN):
        raise ApplicationError(_("Syarat tidak dapat diubah setelah daftar pendaftar ditetapkan."))


def _rules_change(*, actor: Any, cycle: Cycle, change: Any, request: Any = None) -> Cycle:
    """Apply ``change`` (old rules -> new rules, or an ApplicationError) under the cycle's lock."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _editable_rules(cycle)
        before = list(cycle.rules)
        cycle.rules = change(before)
        cycle.save(update_fields=["rules", "updated_at"])
        audit_log(
            actor=actor,
            action="cycle.rules",
            instance=cycle,
            request=request,
            changes={"rules": [before, cycle.rules]},
        )
    return cycle


def cycle_rule_add(
    *, actor: Any, cycle: Cycle, rule: Mapping[str, Any], request: Any = None
) -> Cycle:
    parsed = _parse_rule(rule)

    def add(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if parsed in rules:
            raise ApplicationError(_("Syarat ini sudah ada."))
        return [*rules, parsed]

    return _rules_change(actor=actor, cycle=cycle, change=add, request=request)


def cycle_rule_remove(*, actor: Any, cycle: Cycle, index: int, request: Any = None) -> Cycle:
    def remove(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not 0 <= index < len(rules):
            raise ApplicationError(_("Syarat tidak ditemukan."))
        return [r for i, r in enumerate(rules) if i != index]

    return _rules_change(actor=actor, cycle=cycle, change=remove, request=request)


def cycle_open(*, actor: Any, cycle: Cycle, request: Any = None) -> Cycle:
    """Open applications (owners can apply from their portal)."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status != CycleStatus.DRAFT:
            raise ApplicationError(_("Pendaftaran hanya dapat dibuka dari tahap persiapan."))
        cycle.status = CycleStatus.OPEN
        cycle.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="cycle.open", instance=cycle, request=request)
    return cycle


def session_add(
    *,
    actor: Any,
    cycle: Cycle,
    title: str,
    held_on: date,
    location: str = "",
    request: Any = None,
) -> Session:
    if not title.strip():
        raise ApplicationError(_("Materi sesi wajib diisi."))
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        number = (
            cycle.sessions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        session = Session.objects.create(
            cycle=cycle,
            number=number,
            title=title.strip(),
            held_on=held_on,
            location=location.strip() or cycle.location,
        )
        audit_log(
            actor=actor,
            action="cycle.session_add",
            instance=cycle,
            request=request,
            extra={"session": number, "held_on": held_on},
        )
    return session
