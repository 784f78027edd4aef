"""Spreadsheets of a cycle: the applicants with their decisions and reasons, and the fairness
tables. Business names only — no NIK, phone or address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.table_export import ExportTable
from naikkelas.programs.models import Cycle
from naikkelas.programs.reasons import Labels, describe_decision
from naikkelas.programs.selectors import Fairness, ShareRow, cycle_applications


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


def _percent(share: float) -> float:
    return round(share * 100, 1)


def _share_rows(rows: list[ShareRow]) -> list[list[Any]]:
    return [
        [
            r.key,
            r.label,
            r.register,
            _percent(r.register_share),
            r.seats,
            _percent(r.seat_share),
            r.gap,
            r.rupiah,
        ]
        for r in rows
    ]


def fairness_tables(report: Fairness, *, name: str, show_overrides: bool) -> dict[str, ExportTable]:
    """The fairness page's tables for export (``?tabel=<key>``), the same rows as the page.
    The overrides (business names, officers' reasons) only when the page shows them."""
    share_header = [
        _("Kode"),
        "",
        _("Usaha di register"),
        _("Bagian register (%)"),
        _("Kursi"),
        _("Bagian kursi (%)"),
        _("Selisih (poin)"),
        _("Rupiah"),
    ]
    sexes = {"L": _("Laki-laki"), "P": _("Perempuan")}
    tables = {
        "kecamatan": ExportTable(
            name=f"{name}-kecamatan",
            title=_("Keadilan per kecamatan"),
            header=[share_header[0], _("Kecamatan"), *share_header[2:]],
            rows=_share_rows(report.by_area),
        ),
        "sektor": ExportTable(
            name=f"{name}-sektor",
            title=_("Keadilan per sektor"),
            header=[share_header[0], _("Sektor"), *share_header[2:]],
            rows=_share_rows(report.by_sector),
        ),
        "jenis-kelamin": ExportTable(
            name=f"{name}-jenis-kelamin",
            title=_("Pemilik menurut jenis kelamin"),
            header=[_("Kode"), _("Jenis kelamin"), _("Jumlah")],
            rows=[
                [sex, sexes.get(sex, _("Belum tercatat")), n] for sex, n in report.by_sex.items()
            ],
        ),
    }
    if show_overrides:
        tables["perubahan"] = ExportTable(
            name=f"{name}-perubahan",
            title=_("Keputusan yang diubah petugas"),
            header=[_("Waktu"), _("Usaha"), _("Perubahan"), _("Alasan"), _("Petugas")],
            rows=[
                [
                    timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M"),
                    o.application.business.name,
                    f"{o.get_from_status_display()} → {o.get_to_status_display()}",
                    o.reason,
                    o.decided_by.username if o.decided_by else "",
                ]
                for o in report.overrides
            ],
        )
    return tables
