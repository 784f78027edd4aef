"""The dues receipt (kuitansi) as a PDF, drawn with ReportLab: number, who paid, the amount
in figures and in words (terbilang), the periods it pays for, how it was paid. A voided
payment's receipt says so in large letters. No NIK and no phone number on it."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from naikkelas.association.models import DuesPayment
from naikkelas.association.reminders import association_name, member_contact
from naikkelas.regions.selectors import deployment_area

_UNITS = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        return f"{_UNITS[n // 10]} puluh {_below_thousand(n % 10)}".strip()
    hundreds = "seratus" if n < 200 else f"{_UNITS[n // 100]} ratus"
    return f"{hundreds} {_below_thousand(n % 100)}".strip()


def rupiah_in_words(amount: int) -> str:
    """``1_250_000`` -> ``"satu juta dua ratus lima puluh ribu rupiah"`` (terbilang).

    Raises:
        ValueError: a negative amount.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "nol rupiah"
    words: list[str] = []
    rest = amount
    for scale, name in _SCALES:
        if rest >= scale:
            words.append(f"{_spell(rest // scale)} {name}")
            rest %= scale
    if rest >= 1000:
        thousands = rest // 1000
        words.append("seribu" if thousands == 1 else f"{_below_thousand(thousands)} ribu")
        rest %= 1000
    if rest:
        words.append(_below_thousand(rest))
    return " ".join(words) + " rupiah"


def _spell(n: int) -> str:
    """A multiplier of juta/miliar/triliun (may itself exceed a thousand)."""
    return rupiah_in_words(n).removesuffix(" rupiah")


def _rupiah(value: int) -> str:
    return "Rp" + f"{value:,}".replace(",", ".")


def _day(value: Any) -> str:
    return date_format(value, "j F Y") if value else "—"


def _place() -> str:
    """Where the receipt is signed: ``Kota Serang`` -> ``Serang``."""
    area = deployment_area()
    if area is None:
        return ""
    return area.name.title().removeprefix("Kota ").removeprefix("Kabupaten ")


def receipt_pdf(*, payment: DuesPayment) -> bytes:
    member = payment.member
    contact = member_contact(member)
    name = association_name()
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A5),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Kuitansi %(number)s") % {"number": payment.receipt_number},
    )
    payer = member.business.name + (f" ({contact.name})" if contact.name else "")
    period = _("%(start)s s.d. %(end)s") % {
        "start": _day(payment.period_start),
        "end": _day(payment.period_end),
    }
    method = payment.get_method_display()
    if payment.reference:
        reference_label = _("ref.")
        method += f" · {reference_label} {payment.reference}"
    rows = [
        [_("Nomor kuitansi"), payment.receipt_number],
        [_("Telah terima dari"), Paragraph(payer, styles["BodyText"])],
        [_("Nomor anggota"), f"{member.number} · {member.type.name}"],
        [_("Uang sejumlah"), _rupiah(payment.amount)],
        [
            _("Terbilang"),
            Paragraph(f"<i>{rupiah_in_words(payment.amount)}</i>", styles["BodyText"]),
        ],
        [
            _("Untuk pembayaran"),
            Paragraph(
                _("Iuran anggota %(periods)s periode, %(period)s")
                % {"periods": payment.periods, "period": period},
                styles["BodyText"],
            ),
        ],
        [_("Cara bayar"), Paragraph(method, styles["BodyText"])],
    ]
    table = Table(rows, colWidths=[42 * mm, 128 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                ("FONTNAME", (1, 3), (1, 3), "Helvetica-Bold"),
            ]
        )
    )
    story: list[Any] = [
        Paragraph(name, styles["Heading3"]),
        Paragraph(_("KUITANSI IURAN ANGGOTA"), styles["Heading2"]),
    ]
    if payment.voided_at is not None:
        voided = _("DIBATALKAN")
        story.append(
            Paragraph(
                f'<font color="#b00020" size="16"><b>{voided}</b></font> '
                + _("(%(reason)s)") % {"reason": payment.void_reason},
                styles["BodyText"],
            )
        )
    story += [
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 8 * mm),
        Table(
            [
                ["", ", ".join(filter(None, [_place(), _day(payment.paid_on)]))],
                ["", _("Bendahara")],
                ["", ""],
                ["", "(................................)"],
            ],
            colWidths=[100 * mm, 70 * mm],
            rowHeights=[6 * mm, 6 * mm, 14 * mm, 6 * mm],
        ),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            15 * mm,
            6 * mm,
            _("naikkelas · dicetak %(when)s")
            % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
