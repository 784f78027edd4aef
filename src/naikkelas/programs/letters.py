"""Printable documents of a cycle (PDF, drawn with ReportLab) and the WhatsApp message.

The participant list carries what a sign-in sheet needs (seat, business, owner's name,
kelurahan, one signature column per session), never NIK or phone numbers. A letter goes to each
participant with the cycle's dates and place.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from naikkelas.programs.models import SEAT_HOLDING, Application, Cycle, Enrolment
from naikkelas.regions.selectors import deployment_area
from naikkelas.registry.models import BusinessOwner, OwnerRole

OFFICE = "Diskopukmperindag"


def _owners(business_ids: list[Any]) -> dict[Any, str]:
    return dict(
        BusinessOwner.objects.filter(
            business_id__in=business_ids, role=OwnerRole.PEMILIK
        ).values_list("business_id", "owner__full_name")
    )


def _enrolments(cycle: Cycle) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(cycle=cycle, status__in=SEAT_HOLDING)
        .select_related("business", "business__desa_kelurahan", "business__kecamatan")
        .order_by("seat")
    )


def _day(value: Any) -> str:
    return date_format(value, "j F Y") if value else "—"


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawString(
        15 * mm,
        8 * mm,
        _("naikkelas · dicetak %(when)s · data pribadi dilindungi UU 27/2022")
        % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
    )
    canvas.drawRightString(doc.pagesize[0] - 15 * mm, 8 * mm, str(canvas.getPageNumber()))
    canvas.restoreState()


def participant_list_pdf(*, cycle: Cycle) -> bytes:
    enrolments = _enrolments(cycle)
    owners = _owners([e.business_id for e in enrolments])
    sessions = list(cycle.sessions.all())
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=str(cycle),
    )
    header = [_("Kursi"), _("Nama usaha"), _("Pemilik"), _("Desa/kelurahan")]
    header += [f"{_('Sesi')} {s.number}\n{s.held_on.strftime('%d/%m')}" for s in sessions]
    rows: list[list[Any]] = [header]
    for e in enrolments:
        rows.append(
            [
                str(e.seat),
                Paragraph(e.business.name, small),
                Paragraph(owners.get(e.business_id, ""), small),
                Paragraph(
                    e.business.desa_kelurahan.name if e.business.desa_kelurahan else "", small
                ),
                *["" for _s in sessions],
            ]
        )
    fixed = [14 * mm, 70 * mm, 55 * mm, 45 * mm]
    free = landscape(A4)[0] - 30 * mm - sum(fixed)
    widths = fixed + [free / len(sessions)] * len(sessions) if sessions else fixed
    table = Table(rows, colWidths=widths, repeatRows=1, rowHeights=None)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            ]
        )
    )
    story: list[Any] = [
        Paragraph(_("Daftar peserta: %(cycle)s") % {"cycle": cycle}, styles["Heading2"]),
        Paragraph(
            _("%(start)s – %(end)s · %(place)s · %(n)s peserta dari kuota %(capacity)s")
            % {
                "start": _day(cycle.starts_on),
                "end": _day(cycle.ends_on),
                "place": cycle.location or "—",
                "n": len(enrolments),
                "capacity": cycle.capacity,
            },
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def letters_pdf(*, cycle: Cycle) -> bytes:
    """One letter per participant: selected for the cycle, when and where to come."""
    enrolments = _enrolments(cycle)
    owners = _owners([e.business_id for e in enrolments])
    sessions = list(cycle.sessions.all())
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=str(cycle),
    )
    organiser = cycle.programme.get_organiser_display()
    area = deployment_area()
    city = area.name.title() if area else ""
    story: list[Any] = []
    for index, e in enumerate(enrolments):
        if index:
            story.append(PageBreak())
        owner = owners.get(e.business_id, "")
        story += [
            Paragraph(f"{organiser} {city}", styles["Heading3"]),
            Paragraph(
                _("Perihal: Pemberitahuan peserta %(cycle)s") % {"cycle": cycle}, styles["BodyText"]
            ),
            Spacer(1, 8 * mm),
            Paragraph(
                _("Kepada Yth. %(owner)s<br/>Pemilik %(business)s<br/>%(place)s")
                % {
                    "owner": owner or _("Pemilik usaha"),
                    "business": e.business.name,
                    "place": e.business.desa_kelurahan.name if e.business.desa_kelurahan else "",
                },
                styles["BodyText"],
            ),
            Spacer(1, 6 * mm),
            Paragraph(
                _(
                    "Dengan hormat, kami sampaikan bahwa usaha Bapak/Ibu terpilih sebagai peserta "
                    "%(programme)s, %(cycle)s (kursi no. %(seat)s). Kegiatan berlangsung "
                    "%(start)s sampai %(end)s di %(place)s. Program ini tidak dipungut biaya."
                )
                % {
                    "programme": cycle.programme.name,
                    "cycle": cycle.name,
                    "seat": e.seat,
                    "start": _day(cycle.starts_on),
                    "end": _day(cycle.ends_on),
                    "place": cycle.location or "—",
                },
                styles["BodyText"],
            ),
        ]
        if sessions:
            story.append(Spacer(1, 4 * mm))
            story.append(
                Table(
                    [[_("Sesi"), _("Tanggal"), _("Materi"), _("Tempat")]]
                    + [
                        [str(s.number), _day(s.held_on), s.title, s.location or cycle.location]
                        for s in sessions
                    ],
                    colWidths=[14 * mm, 35 * mm, 60 * mm, 50 * mm],
                    style=TableStyle(
                        [
                            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                            ("FONTSIZE", (0, 0), (-1, -1), 9),
                        ]
                    ),
                )
            )
        story += [
            Spacer(1, 6 * mm),
            Paragraph(
                _(
                    "Mohon membawa contoh produk dan kemasan yang sekarang digunakan. "
                    "Jika berhalangan, kabari kami agar kursi dapat diberikan kepada "
                    "cadangan."
                ),
                styles["BodyText"],
            ),
            Spacer(1, 12 * mm),
            Paragraph(f"{city}, {_day(timezone.localdate())}", styles["BodyText"]),
            Paragraph(organiser, styles["BodyText"]),
        ]
    if not story:
        story.append(Paragraph(_("Belum ada peserta."), styles["BodyText"]))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def whatsapp_message(*, application: Application, owner_name: str) -> str:
    """The prepared message, in plain Indonesian a warung owner reads on a phone."""
    cycle = application.cycle
    greeting = _("Assalamualaikum / Salam sejahtera %(name)s,") % {
        "name": owner_name or _("Bapak/Ibu")
    }
    if application.status == "selected":
        body = _(
            "usaha %(business)s terpilih sebagai peserta %(cycle)s, %(start)s s.d. %(end)s "
            "di %(place)s. Gratis, tidak dipungut biaya. Mohon balas pesan ini untuk "
            "konfirmasi kehadiran."
        )
    elif application.status == "waitlisted":
        body = _(
            "usaha %(business)s masuk daftar cadangan no. %(position)s untuk %(cycle)s. "
            "Kami kabari jika ada kursi kosong."
        )
    else:
        body = _("terima kasih, pendaftaran usaha %(business)s untuk %(cycle)s sudah kami terima.")
    return (
        f"{greeting}\n"
        + body
        % {
            "business": application.business.name,
            "cycle": str(cycle),
            "start": _day(cycle.starts_on),
            "end": _day(cycle.ends_on),
            "place": cycle.location or "—",
            "position": application.position or "?",
        }
        + f"\n— {cycle.programme.get_organiser_display()}"
    )
