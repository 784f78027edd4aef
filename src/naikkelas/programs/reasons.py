"""Sentences for rules and decisions, in the reader's language.

The pure cores return codes and arguments (``eligibility.RuleResult``, a run's decisions); this
module is the only place that words them, so the Indonesian and English texts stay together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from naikkelas.programs.eligibility import NIB, RuleKind
from naikkelas.programs.models import ProgrammeKind
from naikkelas.registry.models import PermitKind, Sector


def _rupiah(value: Any) -> str:
    try:
        return "Rp" + f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "—"


@dataclass
class Labels:
    """Names for the codes a sentence mentions (kecamatan, sectors, permits)."""

    areas: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Labels:
        from naikkelas.regions.models import Region

        areas = dict(
            Region.objects.filter(code__startswith=settings.NAIKKELAS_AREA_CODE + ".").values_list(
                "code", "name"
            )
        )
        return cls(areas=areas, sectors=dict(Sector.objects.values_list("code", "name")))

    def area(self, code: str) -> str:
        return self.areas.get(code, code or "—")

    def sector(self, code: str) -> str:
        return self.sectors.get(code, code or "—")

    def permit(self, code: str) -> str:
        if code == NIB:
            return "NIB"
        try:
            return str(PermitKind(code).label)
        except ValueError:
            return code

    def join(self, codes: Iterable[str], name: Any) -> str:
        return ", ".join(name(c) for c in codes)


def programme_kind(code: str) -> str:
    try:
        return str(ProgrammeKind(code).label)
    except ValueError:
        return code


def describe_rule(rule: Mapping[str, Any], labels: Labels) -> str:
    """``{"kind": "permit_held", "values": ["NIB"]}`` -> "Sudah punya: NIB"."""
    kind = rule.get("kind")
    values = rule.get("values") or []
    if kind == RuleKind.SIZE_CLASS_IN:
        return _("Kelas usaha: %(v)s") % {"v": ", ".join(values)}
    if kind == RuleKind.SECTOR_IN:
        return _("Sektor: %(v)s") % {"v": labels.join(values, labels.sector)}
    if kind == RuleKind.AREA_IN:
        return _("Wilayah: %(v)s") % {"v": labels.join(values, labels.area)}
    if kind == RuleKind.PERMIT_HELD:
        return _("Sudah punya: %(v)s") % {"v": labels.join(values, labels.permit)}
    if kind == RuleKind.PERMIT_MISSING:
        return _("Belum punya: %(v)s") % {"v": labels.join(values, labels.permit)}
    if kind == RuleKind.CONSENT_ACTIVE:
        return _("Persetujuan pemrosesan data pemilik berlaku")
    if kind == RuleKind.NOT_RECEIVED_WITHIN:
        kinds = labels.join(values, programme_kind) if values else _("apa pun")
        return _("Belum menerima bantuan %(kinds)s dalam %(years)s tahun terakhir") % {
            "kinds": kinds,
            "years": rule.get("years"),
        }
    if kind == RuleKind.OMZET_RANGE:
        return _("Omzet setahun %(min)s sampai %(max)s") % {
            "min": _rupiah(rule.get("minimum", 0)),
            "max": _rupiah(rule["maximum"]) if rule.get("maximum") is not None else "∞",
        }
    if kind == RuleKind.BINAAN:
        return _("UMKM binaan") if rule.get("flag", True) else _("Bukan UMKM binaan")
    if kind == RuleKind.MEMBER:
        if rule.get("flag", True):
            return _("Anggota Hipmikindo aktif")
        return _("Bukan anggota Hipmikindo aktif")
    return str(kind)


def describe_failure(code: str, args: Mapping[str, Any], labels: Labels) -> str:
    """One failed rule, as the end of "tidak memenuhi: …"."""
    if code == "business.inactive":
        return _("usaha tidak aktif")
    if code == "size_class_in.fail":
        return _("kelas usaha %(value)s, bukan %(allowed)s") % {
            "value": args.get("value") or _("belum diketahui"),
            "allowed": ", ".join(args.get("allowed", ())),
        }
    if code == "sector_in.fail":
        return _("sektor %(value)s, bukan %(allowed)s") % {
            "value": labels.sector(args.get("value", "")),
            "allowed": labels.join(args.get("allowed", ()), labels.sector),
        }
    if code == "area_in.fail":
        return _("di luar wilayah program (%(value)s)") % {
            "value": labels.area(args.get("value", ""))
        }
    if code == "permit_held.fail":
        return _("belum punya %(v)s") % {"v": labels.join(args.get("permits", ()), labels.permit)}
    if code == "permit_missing.fail":
        return _("sudah punya %(v)s") % {"v": labels.join(args.get("permits", ()), labels.permit)}
    if code == "consent_active.fail":
        return _("belum ada persetujuan pemrosesan data yang berlaku")
    if code == "not_received_within.fail":
        return _("sudah menerima %(kind)s pada %(date)s (dalam %(years)s tahun terakhir)") % {
            "kind": programme_kind(args.get("kind", "")),
            "date": args.get("received_on", ""),
            "years": args.get("years"),
        }
    if code == "omzet_range.unknown":
        return _("omzet belum tercatat")
    if code == "omzet_range.fail":
        return _("omzet %(omzet)s (tahun %(year)s) di luar rentang") % {
            "omzet": _rupiah(args.get("omzet")),
            "year": args.get("year"),
        }
    if code == "binaan.fail":
        return _("bukan UMKM binaan") if args.get("flag") else _("sudah UMKM binaan")
    if code == "member.fail":
        if args.get("flag"):
            return _("bukan anggota Hipmikindo aktif")
        return _("sudah anggota Hipmikindo")
    return code


def _assisted(times: int) -> str:
    if times <= 0:
        return _("belum pernah dibantu")
    return _("pernah dibantu %(n)s kali") % {"n": times}


def describe_decision(
    reason: Mapping[str, Any], labels: Labels, position: int | None = None
) -> str:
    """A stored decision (``Application.reason``) as one sentence, e.g.
    "terpilih: kuota Kasemen, belum pernah dibantu" or "cadangan no. 3"."""
    outcome = reason.get("outcome")
    if reason.get("override"):
        decided = {
            "selected": _("terpilih"),
            "waitlisted": _("cadangan no. %(n)s") % {"n": position or "?"},
            "not_selected": _("tidak terpilih"),
        }.get(str(outcome), "")
        return _("%(decision)s — diubah petugas: %(why)s") % {
            "decision": decided,
            "why": reason["override"],
        }
    text = ""
    if outcome == "selected":
        if reason.get("promoted_from"):
            text = _("terpilih dari cadangan no. %(n)s") % {"n": reason["promoted_from"]}
        elif reason.get("overflow"):
            text = _("terpilih: kursi sisa kecamatan lain (%(area)s), %(assisted)s") % {
                "area": labels.area(reason.get("area", "")),
                "assisted": _assisted(int(reason.get("times_assisted") or 0)),
            }
        else:
            share = labels.area(reason.get("area", ""))
            if reason.get("sector"):
                share += " · " + labels.sector(reason["sector"])
            text = _("terpilih: kuota %(share)s, %(assisted)s") % {
                "share": share,
                "assisted": _assisted(int(reason.get("times_assisted") or 0)),
            }
    elif outcome == "waitlisted":
        text = _("cadangan no. %(n)s: kuota %(area)s penuh, %(assisted)s") % {
            "n": position or "?",
            "area": labels.area(reason.get("area", "")),
            "assisted": _assisted(int(reason.get("times_assisted") or 0)),
        }
    elif outcome == "ineligible":
        failures = reason.get("failures") or []
        text = _("tidak memenuhi: %(what)s") % {
            "what": "; ".join(
                describe_failure(f.get("code", ""), f.get("args", {}), labels) for f in failures
            )
        }
    return text
