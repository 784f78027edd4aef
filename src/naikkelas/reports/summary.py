"""The leadership's summary and the monthly report: figures from every part of the product,
counts only (no person's data)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.kendala.planning import kendala_planning_counts
from naikkelas.market.selectors import catalogue, listing_counts
from naikkelas.programs.models import AidRecord
from naikkelas.programs.selectors import cumulative_fairness
from naikkelas.registry.models import Business, BusinessStatus
from naikkelas.reports.selectors import Coverage, coverage


@dataclass(frozen=True)
class Summary:
    today: date
    coverage: Coverage
    binaan: int
    aid_beneficiaries: int
    aid_rupiah: int
    aid_first_time_percent: int
    kendala_total: int
    kendala_open: int
    kendala_median_days: float | None
    retail_businesses: int
    online_businesses: int
    catalogue_products: int


@cached_by_data_version
def leadership_summary(*, today: date) -> Summary:
    cover = coverage()
    fairness = cumulative_fairness(date_from=date(today.year, 1, 1), date_to=today)
    kendala = kendala_planning_counts(year=today.year)
    listings = listing_counts()
    return Summary(
        today=today,
        coverage=cover,
        binaan=Business.objects.filter(status=BusinessStatus.ACTIVE, is_binaan=True).count(),
        aid_beneficiaries=fairness.beneficiaries,
        aid_rupiah=fairness.rupiah,
        aid_first_time_percent=round(100 * fairness.first_time_share),
        kendala_total=kendala.total,
        kendala_open=kendala.open,
        kendala_median_days=kendala.median_days,
        retail_businesses=listings["businesses_retail"],
        online_businesses=listings["businesses_online"],
        catalogue_products=catalogue().count(),
    )


def _rupiah(value: int) -> str:
    return "Rp" + f"{int(value):,}".replace(",", ".")


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def monthly_pdf(*, month: date, user: Any) -> bytes:
    """One or two pages: the register, new registrations by source, aid and kendala of the
    month, market access; per kecamatan where it matters."""
    last = _month_end(month)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    cover = coverage()
    new = dict(
        Business.objects.exclude(status=BusinessStatus.MERGED)
        .filter(created_at__date__gte=month, created_at__date__lte=last)
        .values_list("source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    aid = AidRecord.objects.filter(received_on__gte=month, received_on__lte=last)
    aid_totals = aid.aggregate(n=Count("business", distinct=True), rupiah=Sum("value"))
    aid_by_kec = dict(
        aid.values_list("business__kecamatan__name").annotate(r=Sum("value")).order_by()
    )
    kendala = kendala_planning_counts(year=month.year)
    listings = listing_counts()

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        return Table(
            rows,
            colWidths=widths,
            style=TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                ]
            ),
        )

    story: list[Any] = [
        Paragraph(
            _("Laporan bulanan UMKM — %(month)s") % {"month": month.strftime("%m/%Y")},
            styles["Heading2"],
        ),
        Paragraph(
            _("Dibuat %(when)s oleh %(who)s. Hanya angka; tanpa data pribadi.")
            % {
                "when": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
                "who": getattr(user, "username", ""),
            },
            small,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Register: %(n)s usaha dari perkiraan %(e)s (%(p)s%%)")
            % {"n": cover.registered, "e": cover.estimate, "p": cover.percent},
            styles["Heading4"],
        ),
        table(
            [[_("Kecamatan"), _("Terdaftar"), _("Target"), "%"]]
            + [[r.name, r.registered, r.target, r.percent] for r in cover.by_kecamatan],
            [60 * mm, 30 * mm, 30 * mm, 20 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Pendaftaran baru bulan ini: %(n)s") % {"n": sum(new.values())}, styles["Heading4"]
        ),
        table(
            [[_("Sumber"), _("Jumlah")]] + [[k, v] for k, v in sorted(new.items())],
            [60 * mm, 30 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Bantuan bulan ini: %(n)s usaha, %(r)s")
            % {"n": aid_totals["n"] or 0, "r": _rupiah(aid_totals["rupiah"] or 0)},
            styles["Heading4"],
        ),
        table(
            [[_("Kecamatan"), _("Rupiah")]]
            + [[k or "—", _rupiah(v or 0)] for k, v in sorted(aid_by_kec.items())],
            [60 * mm, 40 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Kendala %(year)s: %(total)s dilaporkan, %(open)s masih terbuka")
            % {"year": month.year, "total": kendala.total, "open": kendala.open},
            styles["Heading4"],
        ),
        table(
            [[_("Kategori"), _("Bulan ini"), _("Setahun")]]
            + [[c.name, c.months[month.month - 1], c.total] for c in kendala.by_category],
            [60 * mm, 30 * mm, 30 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Pemasaran: %(r)s usaha di ritel modern, %(o)s berjualan online")
            % {"r": listings["businesses_retail"], "o": listings["businesses_online"]},
            styles["Heading4"],
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"naikkelas {month:%Y-%m}",
    ).build(story)
    return buffer.getvalue()
