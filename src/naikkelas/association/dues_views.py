"""Dues pages (thin): record and void payments, the receipt PDF, the arrears and renewal
lists with their reminders. Rules live in ``services.dues``; lists in ``dues_selectors``.

The member page (``views.member_detail``) shows the payments and the form with
``context.update(dues_context(member, user=request.user))`` and
``{% include "association/dues/_record_form.html" %}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.association import reminders
from naikkelas.association.dues_forms import DuesFilterForm, DuesRecordForm, DuesVoidForm
from naikkelas.association.dues_selectors import (
    member_payments,
    members_in_arrears,
    members_renewal_due,
)
from naikkelas.association.models import DuesPayment, Member, MembershipType
from naikkelas.association.receipts import receipt_pdf
from naikkelas.association.services import dues as services
from naikkelas.core.audit import audit_log
from naikkelas.core.service_calls import call_service
from naikkelas.core.table_export import table_export_response

PAGE_SIZE = 100


def _member(member_id: Any) -> Member:
    return get_object_or_404(Member.objects.select_related("type", "business"), pk=member_id)


def _payment(payment_id: Any) -> DuesPayment:
    return get_object_or_404(
        DuesPayment.objects.select_related("member", "member__type", "member__business"),
        pk=payment_id,
    )


def _field_errors(form: Any, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the form (field errors where they belong)."""
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for field, field_messages in pairs:
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def dues_context(
    member: Member, *, user: Any = None, today: date | None = None, form: Any = None
) -> dict[str, Any]:
    """What the member page needs for the dues section and the record form partial."""
    today = today or timezone.localdate()
    owed = services.member_arrears(member, today=today)
    can_manage = has_capability(user, Capability.ASSOCIATION_MANAGE)
    return {
        "dues_member": member,
        "dues_payments": list(member_payments(member)),
        "dues_arrears_periods": owed.periods,
        "dues_arrears_amount": owed.amount,
        "dues_form": form or DuesRecordForm(),
        "dues_can_manage": can_manage,
        # the form is offered while the member pays dues and has not ended
        "dues_can_record": can_manage
        and member.type.dues > 0
        and not services.member_has_ended(member, today=today),
    }


@requires(Capability.ASSOCIATION_MANAGE)
def dues_record(request: HttpRequest, member_id: Any) -> HttpResponse:
    """Record a payment (the form is also on the member page); errors come back here."""
    member = _member(member_id)
    form = DuesRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.dues_record(
                actor=request.user,
                member=member,
                paid_on=data["paid_on"],
                periods=data["periods"],
                method=data["method"],
                reference=data["reference"],
                receipt_number=data["receipt_number"],
                amount=data["amount"],
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request,
                _("Iuran dicatat (kuitansi %(receipt)s); berlaku sampai %(until)s.")
                % {"receipt": payment.receipt_number, "until": payment.period_end},
            )
            return redirect(member.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "association/dues/record.html",
        dues_context(member, user=request.user, form=form),
        status=status,
    )


@requires(Capability.ASSOCIATION_MANAGE)
def dues_void(request: HttpRequest, payment_id: Any) -> HttpResponse:
    payment = _payment(payment_id)
    form = DuesVoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:  # an ApplicationError (already voided) becomes a message on the member page
            call_service(
                request,
                lambda: services.dues_void(
                    actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
                ),
                _("Pembayaran %(receipt)s dibatalkan.") % {"receipt": payment.receipt_number},
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            return redirect(payment.member.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "association/dues/void.html", {"payment": payment, "form": form}, status=status
    )


@requires(Capability.ASSOCIATION_VIEW)
def dues_receipt(request: HttpRequest, payment_id: Any) -> HttpResponse:
    payment = _payment(payment_id)
    content = receipt_pdf(payment=payment)
    audit_log(
        actor=request.user,
        action="dues.receipt",
        instance=payment.member,
        request=request,
        extra={"payment": payment.pk, "receipt": payment.receipt_number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kuitansi-{payment.receipt_number}.pdf"'
    return response


def _filters(request: HttpRequest) -> tuple[DuesFilterForm, dict[str, str]]:
    types = [(t.code, t.name) for t in MembershipType.objects.filter(dues__gt=0)]
    form = DuesFilterForm(request.GET or None, types=types)
    if form.is_bound and form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v}
    return form, {}


@requires(Capability.ASSOCIATION_VIEW)
def dues_arrears(request: HttpRequest) -> HttpResponse:
    """Members owing dues, by kecamatan and type, with reminders; export as XLSX/CSV."""
    today = timezone.localdate()
    form, filters = _filters(request)
    rows = members_in_arrears(
        today=today, kecamatan=filters.get("kecamatan", ""), type_code=filters.get("type", "")
    )
    if request.GET.get("tabel") == "tunggakan":
        return table_export_response(
            request,
            name="tunggakan-iuran",
            title=_("Tunggakan iuran"),
            header=[
                _("Nomor anggota"),
                _("Nama usaha"),
                _("Kecamatan"),
                _("Jenis"),
                _("Status"),
                _("Lunas sampai"),
                _("Periode tertunggak"),
                _("Tunggakan (Rp)"),
            ],
            rows=(
                [
                    r.member.number,
                    r.member.business.name,
                    r.member.business.kecamatan.name,
                    r.member.type.name,
                    r.member.get_status_display(),
                    r.member.paid_until,
                    r.periods,
                    r.amount,
                ]
                for r in rows
            ),
            filters=filters,
            action="dues.arrears_export",
            object_type="association.member",
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    contacts = reminders.member_contacts([r.member for r in page])
    return render(
        request,
        "association/dues/arrears.html",
        {
            "form": form,
            "filtered": bool(filters),
            "query": urlencode(filters),
            "page": page,
            "rows": [(r, contacts[r.member.pk]) for r in page],
            "total_periods": sum(r.periods for r in rows),
            "total_amount": sum(r.amount for r in rows),
            "today": today,
        },
    )


@requires(Capability.ASSOCIATION_VIEW)
def dues_renewals(request: HttpRequest) -> HttpResponse:
    """Members whose validity ends within 30 days (or just ended), with reminders."""
    today = timezone.localdate()
    form, filters = _filters(request)
    rows = members_renewal_due(
        today=today, kecamatan=filters.get("kecamatan", ""), type_code=filters.get("type", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    contacts = reminders.member_contacts([r.member for r in page])
    return render(
        request,
        "association/dues/renewals.html",
        {
            "form": form,
            "filtered": bool(filters),
            "query": urlencode(filters),
            "page": page,
            "rows": [(r, contacts[r.member.pk]) for r in page],
            "today": today,
        },
    )


def _back(kind: str) -> HttpResponseRedirect:
    return redirect(
        "association:dues_arrears" if kind == reminders.ARREARS else "association:dues_renewals"
    )


@requires(Capability.ASSOCIATION_MANAGE)
def dues_whatsapp(request: HttpRequest, member_id: Any, kind: str) -> HttpResponse:
    """Open WhatsApp with a prepared reminder to the owner (audited: it reveals the number,
    so the person must also hold PERSON_REVEAL)."""
    if not has_capability(request.user, Capability.PERSON_REVEAL):
        raise PermissionDenied
    member = _member(member_id)
    if kind not in reminders.KINDS:
        return _back(reminders.ARREARS)
    contact = reminders.member_contact(member)
    if not contact.phone:
        messages.error(request, _("Nomor HP pemilik belum tercatat."))
        return _back(kind)
    today = timezone.localdate()
    owed = services.member_arrears(member, today=today)
    audit_log(
        actor=request.user,
        action="person.whatsapp",
        instance=member.business,
        request=request,
        extra={"member": member.pk, "reminder": kind},
    )
    text = reminders.whatsapp_message(
        member=member,
        contact=contact,
        kind=kind,
        periods=owed.periods,
        amount=owed.amount,
        today=today,
    )
    return HttpResponseRedirect(reminders.whatsapp_url(phone=contact.phone, text=text))


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def dues_reminder_email(request: HttpRequest, member_id: Any) -> HttpResponse:
    member = _member(member_id)
    kind = request.POST.get("kind", "")
    try:
        services.dues_reminder_email_send(
            actor=request.user, member=member, kind=kind, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Pengingat e-mail untuk %(number)s dikirim.") % {"number": member.number}
        )
    return _back(kind)
