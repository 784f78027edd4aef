"""Spreadsheets of a cycle: the applicants with their decisions and reasons, and the fairness
tables. Business names only — no NIK, phone or address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.programs.models import Cycle
from naikkelas.programs.reasons import Labels, describe_decision
from naikkelas.programs.selectors import cycle_applications


def applicant_header() -> list[str]:
    return [
        _("Urutan"),
        _("Usaha"),
        _("Kecamatan"),
        _("Sektor"),
        _("Jalur"),
        _("Skor kebutuhan"),
        _("Skor kesiapan"),
        _("Keputusan"),
        _("Alasan"),
        _("Diubah petugas"),
    ]


def applicant_rows(*, cycle: Cycle) -> Iterator[list[Any]]:
    labels = Labels.load()
    for a in cycle_applications(cycle=cycle).iterator(chunk_size=1000):
        yield [
            a.position,
            a.business.name,
            a.business.kecamatan.name,
            a.business.sector.name,
            a.get_channel_display(),
            a.need_score,
            a.readiness_score,
            a.get_status_display(),
            describe_decision(a.reason, labels, a.position),
            _("ya") if a.overridden else "",
        ]


def metadata(*, cycle: Cycle, user: Any) -> list[tuple[str, Any]]:
    run = cycle.runs.order_by("-number").first()
    return [
        (_("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
        (_("Oleh"), getattr(user, "username", "")),
        (_("Program"), cycle.programme.name),
        (_("Angkatan"), cycle.name),
        (_("Kuota"), cycle.capacity),
        (_("Benih undian"), cycle.seed),
        (_("Sidik daftar"), cycle.fingerprint),
        (_("Seleksi"), run.number if run else ""),
        (_("Sidik hasil"), run.result_digest if run else ""),
        (_("Sumber"), "naikkelas"),
    ]
