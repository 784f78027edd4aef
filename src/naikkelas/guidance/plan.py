"""A guidance result as a one-page plan: plain text (WhatsApp) and PDF (ReportLab).

Both read the stored/serialised form (``snapshot.to_data``), so a printed plan says exactly
what the page said, in the reader's language."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

STATUS_MARK = {"done": "✓", "missing": "✗", "in_progress": "!", "not_applicable": "–"}


def pick(text: Any, lang: str) -> str:
    """A ``{"id": …, "en": …}`` text in ``lang`` (Indonesian when no translation)."""
    if isinstance(text, Mapping):
        return str(text.get(lang) or text.get("id") or "")
    return "" if text is None else str(text)


def _rupiah(value: Any) -> str:
    return "Rp" + f"{int(value):,}".replace(",", ".")


def _status_label(status: str) -> str:
    return {
        "done": _("sudah"),
        "missing": _("belum"),
        "in_progress": _("perlu tindakan"),
        "not_applicable": _("tidak perlu"),
    }.get(status, status)


def _todo(guidance: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        f for f in guidance.get("findings", []) if f.get("status") in ("missing", "in_progress")
    ]


def plan_text(*, guidance: Mapping[str, Any], lang: str, title: str) -> str:
    """Short plain text for a WhatsApp message: what to do next, what it costs, the tax."""
    lines = [f"*{title}*", _("Langkah berikutnya:")]
    steps = guidance.get("roadmap") or []
    if steps:
        for number, step in enumerate(steps[:8], 1):
            lines.append(f"{number}. {pick(step.get('action') or step.get('title'), lang)}")
    else:
        for number, finding in enumerate(_todo(guidance)[:8], 1):
            cost = pick(finding.get("cost"), lang)
            lines.append(
                f"{number}. {pick(finding.get('title'), lang)}" + (f" ({cost})" if cost else "")
            )
    tax = guidance.get("tax") or {}
    if tax.get("tax") is not None:
        lines.append(_("Perkiraan pajak setahun: %(tax)s") % {"tax": _rupiah(tax["tax"])})
    lines.append(_("Sumber aturan dan tanggal berlaku tercantum di naikkelas."))
    return "\n".join(lines)


def plan_pdf(*, guidance: Mapping[str, Any], lang: str, title: str, subtitle: str) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    body = styles["BodyText"].clone("body", fontSize=9, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
    )
    story: list[Any] = [
        Paragraph(escape(title), styles["Heading2"]),
        Paragraph(escape(subtitle), small),
        Spacer(1, 3 * mm),
    ]
    if guidance.get("roadmap"):
        story.append(Paragraph(_("Langkah naik kelas"), styles["Heading4"]))
        for number, step in enumerate(guidance["roadmap"], 1):
            story.append(
                Paragraph(
                    f"{number}. {escape(pick(step.get('action') or step.get('title'), lang))}", body
                )
            )
    rows: list[list[Any]] = [[_("Status"), _("Apa"), _("Biaya"), _("Ke mana"), _("Dasar hukum")]]
    for finding in guidance.get("findings", []):
        if finding.get("status") == "not_applicable":
            continue
        rows.append(
            [
                Paragraph(
                    f"{STATUS_MARK.get(finding.get('status', ''), '')} "
                    f"{escape(_status_label(finding.get('status', '')))}",
                    small,
                ),
                Paragraph(
                    f"<b>{escape(pick(finding.get('title'), lang))}</b><br/>"
                    f"{escape(pick(finding.get('why'), lang))}",
                    small,
                ),
                Paragraph(escape(pick(finding.get("cost"), lang)), small),
                Paragraph(escape(pick(finding.get("where"), lang)), small),
                Paragraph(
                    escape(finding.get("legal_basis", ""))
                    + "<br/>"
                    + escape(_("berlaku sejak %(d)s") % {"d": finding.get("effective_from", "")}),
                    small,
                ),
            ]
        )
    story += [
        Spacer(1, 3 * mm),
        Table(
            rows,
            colWidths=[20 * mm, 62 * mm, 25 * mm, 35 * mm, 38 * mm],
            repeatRows=1,
            style=TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("FONTSIZE", (0, 0), (-1, 0), 8),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            ),
        ),
    ]
    tax = guidance.get("tax")
    if tax:
        story += [Spacer(1, 3 * mm), Paragraph(_("Perkiraan pajak (PPh)"), styles["Heading4"])]
        for line in tax.get("lines", []):
            story.append(Paragraph(escape(pick(line, lang)), body))
        for note in tax.get("notes", []):
            story.append(Paragraph(escape(pick(note, lang)), small))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _(
                    "Dicetak %(when)s dari naikkelas. Aturan dapat berubah: cek tanggal berlaku dan "
                    "sumbernya. Bukan nasihat hukum atau pajak resmi."
                )
                % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
            ),
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
