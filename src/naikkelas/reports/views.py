"""Dashboards: coverage and data quality, naik kelas, the leadership's summary, the monthly
PDF; every table exports to XLSX (with a metadata sheet) or CSV, audited. Counts only."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.core.audit import audit_log
from naikkelas.core.table_export import table_export_response
from naikkelas.registry.models import Sector
from naikkelas.reports import selectors
from naikkelas.reports.models import SectorTarget
from naikkelas.reports.summary import leadership_summary, monthly_pdf

QUALITY_LABELS = {
    "nik": "Pemilik dengan NIK",
    "warnings": "Pemilik dengan peringatan data",
    "nib": "Usaha ber-NIB",
    "halal": "Usaha kuliner bersertifikat halal",
    "duplicates": "Dugaan data ganda menunggu keputusan",
    "quarantine": "Baris impor di karantina",
}


@requires(Capability.DASHBOARD_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cover = selectors.coverage()
    weeks = selectors.registrations_by_week(today=today)
    quality = selectors.data_quality(today=today)
    table = request.GET.get("tabel")
    if table == "kecamatan":
        return table_export_response(
            request,
            name="cakupan-kecamatan",
            title=_("Cakupan per kecamatan"),
            header=[_("Kode"), _("Kecamatan"), _("Terdaftar"), _("Target"), "%"],
            rows=[[r.code, r.name, r.registered, r.target, r.percent] for r in cover.by_kecamatan],
            filters={},
        )
    if table == "sektor":
        return table_export_response(
            request,
            name="cakupan-sektor",
            title=_("Cakupan per sektor"),
            header=[_("Kode"), _("Sektor"), _("Terdaftar"), _("Target"), "%"],
            rows=[[r.code, _(r.name), r.registered, r.target, r.percent] for r in cover.by_sector],
            filters={},
        )
    if table == "mingguan":
        sources = selectors.SOURCES
        return table_export_response(
            request,
            name="pendaftaran-mingguan",
            title=_("Pendaftaran per minggu"),
            header=[_("Minggu mulai"), *[str(label) for _c, label in sources], _("Jumlah")],
            rows=[
                [w.week.isoformat(), *[w.by_source.get(c, 0) for c, _l in sources], w.total]
                for w in weeks
            ],
            filters={"minggu": len(weeks)},
        )
    if table == "mutu":
        return table_export_response(
            request,
            name="mutu-data",
            title=_("Mutu data"),
            header=[_("Ukuran"), _("Jumlah"), _("Dari"), "%"],
            rows=[
                [_(QUALITY_LABELS[k]), n, whole or "", pct if whole else ""]
                for k, n, whole, pct in quality.rows
            ],
            filters={},
        )
    if table:
        raise Http404
    peak = max((w.total for w in weeks), default=0) or 1
    return render(
        request,
        "reports/overview.html",
        {
            "coverage": cover,
            "weeks": [(w, round(100 * w.total / peak)) for w in weeks],
            "sources": selectors.SOURCES,
            "quality": [(_(QUALITY_LABELS[k]), n, whole, pct) for k, n, whole, pct in quality.rows],
        },
    )


@requires(Capability.DASHBOARD_VIEW)
def naik_kelas(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    distribution = selectors.class_distribution()
    years = sorted(distribution)
    try:
        year_to = int(request.GET.get("sampai") or (years[-1] if years else today.year - 1))
        year_from = int(request.GET.get("dari") or (year_to - 1))
    except ValueError:
        year_to, year_from = today.year - 1, today.year - 2
    moves = selectors.class_moves(year_from=year_from, year_to=year_to)
    trends = selectors.binaan_trends()
    permits = selectors.permits_by_year()
    table = request.GET.get("tabel")
    classes = selectors.CLASSES
    if table == "kelas":
        return table_export_response(
            request,
            name="kelas-per-tahun",
            title=_("Kelas usaha per tahun"),
            header=[_("Tahun"), *classes],
            rows=[[y, *[distribution[y].get(c, 0) for c in classes]] for y in years],
            filters={},
        )
    if table == "binaan":
        return table_export_response(
            request,
            name="binaan-per-tahun",
            title=_("Usaha binaan per tahun"),
            header=[_("Tahun"), _("Usaha"), _("Omzet total"), _("Omzet median"), _("Tenaga kerja")],
            rows=[
                [t.year, t.businesses, t.omzet_total, t.omzet_median, t.workers_total]
                for t in trends
            ],
            filters={},
        )
    if table == "izin":
        kinds = ["NIB", "SPP_IRT", "BPOM_MD", "HALAL", "SNI", "MEREK"]
        return table_export_response(
            request,
            name="izin-per-tahun",
            title=_("Izin per tahun"),
            header=[_("Tahun"), *kinds],
            rows=[[y, *[row.get(k, 0) for k in kinds]] for y, row in permits.items()],
            filters={},
        )
    if table:
        raise Http404
    return render(
        request,
        "reports/naik_kelas.html",
        {
            "distribution": [(y, [distribution[y].get(c, 0) for c in classes]) for y in years],
            "classes": classes,
            "moves": moves,
            "move_rows": [
                (a, [moves.matrix.get(a, {}).get(b, 0) for b in classes]) for a in classes
            ],
            "trends": trends,
            "permits": permits,
            "permit_kinds": ["NIB", "SPP_IRT", "BPOM_MD", "HALAL"],
        },
    )


@requires(Capability.DASHBOARD_VIEW)
def leadership(request: HttpRequest) -> HttpResponse:
    """The pimpinan's page: a phone-sized summary with charts and no person's data."""
    return render(
        request, "reports/leadership.html", {"s": leadership_summary(today=timezone.localdate())}
    )


@requires(Capability.DASHBOARD_VIEW)
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The month's report as PDF (``?bulan=2026-11``; the current month by default)."""
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("bulan", f"{today:%Y-%m}").split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    audit_log(
        actor=request.user,
        action="report.export",
        object_type="report",
        object_id="laporan-bulanan",
        request=request,
        extra={"format": "pdf", "month": first.isoformat()},
    )
    response = HttpResponse(
        monthly_pdf(month=first, user=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="laporan-{first:%Y-%m}.pdf"'
    return response


@requires(Capability.REGISTER_MANAGE)
def sector_targets(request: HttpRequest) -> HttpResponse:
    sectors = list(Sector.objects.all())
    if request.method == "POST":
        wanted: dict[str, int | None] = {}
        for sector in sectors:
            raw = request.POST.get(sector.code, "").strip()
            if raw and (not raw.isdigit() or int(raw) > 10_000_000):
                messages.error(request, _("Target harus bilangan bulat 0 atau lebih."))
                return redirect("reports:sector_targets")
            wanted[sector.code] = int(raw) if raw else None
        with transaction.atomic():  # all targets or none
            for sector in sectors:
                if wanted[sector.code] is None:
                    SectorTarget.objects.filter(sector=sector).delete()
                else:
                    SectorTarget.objects.update_or_create(
                        sector=sector,
                        defaults={"target": wanted[sector.code], "updated_by": request.user},
                    )
        audit_log(
            actor=request.user,
            action="report.sector_targets",
            object_type="report",
            object_id="target-sektor",
            request=request,
            extra={s.code: request.POST.get(s.code, "") for s in sectors},
        )
        messages.success(request, _("Target sektor disimpan."))
        return redirect("reports:overview")
    current = dict(SectorTarget.objects.values_list("sector_id", "target"))
    return render(
        request,
        "reports/sector_targets.html",
        {"rows": [(s, current.get(s.code, "")) for s in sectors]},
    )
