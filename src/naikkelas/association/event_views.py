"""Pages of the association's events: the officers' list, form, detail (registrations, the
attendance list, the venue's QR, export, reminders) and the owners' side (upcoming events,
check-in by scanning the QR on a phone)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.association.event_forms import EventForm
from naikkelas.association.event_messages import reminder_text, when_text
from naikkelas.association.event_qr import checkin_qr_svg, checkin_url
from naikkelas.association.models import (
    AssociationEvent,
    EventRegistration,
    Member,
    RegistrationStatus,
)
from naikkelas.association.services import events as services
from naikkelas.association.status import IN_GOOD_STANDING
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.service_calls import call_service
from naikkelas.core.table_export import table_export_response
from naikkelas.registry.access import business_get_accessible, business_scope
from naikkelas.registry.models import Business, BusinessStatus
from naikkelas.registry.selectors import BusinessFilters, business_list

EVENTS_PER_PAGE = 30
SEARCH_RESULTS = 15


def _event(event_id: Any) -> AssociationEvent:
    return get_object_or_404(AssociationEvent.objects.select_related("kecamatan"), pk=event_id)


def _uuid(value: str) -> uuid.UUID:
    """A posted id; a malformed one is a 404 like an unknown one."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _back(event: AssociationEvent, anchor: str = "") -> HttpResponseRedirect:
    return redirect(event.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _member_numbers(business_ids: list[Any]) -> dict[Any, str]:
    """``{business id: member number}`` of members in good standing."""
    return dict(
        Member.objects.filter(
            business_id__in=business_ids, status__in=IN_GOOD_STANDING
        ).values_list("business_id", "number")
    )


# --- officers: list, create, edit ------------------------------------------------------------


@requires(Capability.ASSOCIATION_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    events = AssociationEvent.objects.select_related("kecamatan").annotate(
        registered=Count("registrations", filter=Q(registrations__status="terdaftar")),
        attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
    )
    now = timezone.now()
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at"))
    past = Paginator(events.filter(ends_at__lt=now).order_by("-starts_at"), EVENTS_PER_PAGE)
    return render(
        request,
        "association/events/list.html",
        {
            "upcoming": upcoming,
            "past": past.get_page(request.GET.get("page")),
            "can_manage": has_capability(request.user, Capability.ASSOCIATION_MANAGE),
        },
    )


def _form_values(form: EventForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["kecamatan"] = data.get("kecamatan") or None
    return data


_FORM_FIELDS = set(EventForm.base_fields)


def _form_error(form: EventForm, error: ApplicationError) -> None:
    form.add_error(error.code if error.code in _FORM_FIELDS else None, error.message)


@requires(Capability.ASSOCIATION_MANAGE)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, request=request, **_form_values(form))
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Kegiatan dibuat."))
            return redirect(event)
    return render(request, "association/events/form.html", {"form": form, "event": None})


@requires(Capability.ASSOCIATION_MANAGE)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: Any) -> HttpResponse:
    event = _event(event_id)
    form = EventForm(request.POST or None, initial=EventForm.initial_of(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user, event=event, data=_form_values(form), request=request
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Kegiatan diperbarui."))
            return redirect(event)
    return render(request, "association/events/form.html", {"form": form, "event": event})


# --- officers: the event's page --------------------------------------------------------------


@requires(Capability.ASSOCIATION_VIEW)
def event_detail(request: HttpRequest, event_id: Any) -> HttpResponse:
    event = _event(event_id)
    registrations = list(
        EventRegistration.objects.filter(event=event)
        .select_related("business", "business__kecamatan")
        .order_by("status", "business__name_key", "pk")
    )
    numbers = _member_numbers([r.business_id for r in registrations])
    for registration in registrations:
        registration.member_number = numbers.get(registration.business_id, "")  # type: ignore[attr-defined]
    registered = [r for r in registrations if r.status == RegistrationStatus.TERDAFTAR]
    cancelled = [r for r in registrations if r.status == RegistrationStatus.BATAL]
    can_manage = has_capability(request.user, Capability.ASSOCIATION_MANAGE)
    q = request.GET.get("q", "").strip()[:100]
    results: list[Business] = []
    if can_manage and q:
        results = list(
            business_list(base=business_scope(user=request.user), filters=BusinessFilters(q=q))[
                :SEARCH_RESULTS
            ]
        )
        result_numbers = _member_numbers([b.pk for b in results])
        taken = {r.business_id for r in registered}
        for business in results:
            business.member_number = result_numbers.get(business.pk, "")  # type: ignore[attr-defined]
            business.already = business.pk in taken  # type: ignore[attr-defined]
    return render(
        request,
        "association/events/detail.html",
        {
            "event": event,
            "when": when_text(event),
            "registered": registered,
            "cancelled": cancelled,
            "attended": sum(1 for r in registered if r.attended_at),
            "seats_left": services.seats_left(event),
            "can_manage": can_manage,
            "can_whatsapp": can_manage and has_capability(request.user, Capability.PERSON_REVEAL),
            "can_log_kendala": has_capability(request.user, Capability.KENDALA_MANAGE),
            "q": q,
            "results": results,
        },
    )


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def event_register(request: HttpRequest, event_id: Any) -> HttpResponse:
    """Register a business found by the register search."""
    event = _event(event_id)
    business = business_get_accessible(user=request.user, business_id=request.POST.get("business"))
    call_service(
        request,
        lambda: services.event_register(
            actor=request.user, event=event, business=business, request=request
        ),
        _("%(name)s didaftarkan.") % {"name": business.name},
    )
    return _back(event, "pendaftar")


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def event_registration_cancel(request: HttpRequest, event_id: Any) -> HttpResponse:
    event = _event(event_id)
    business = business_get_accessible(user=request.user, business_id=request.POST.get("business"))
    call_service(
        request,
        lambda: services.event_cancel_registration(
            actor=request.user, event=event, business=business, request=request
        ),
        _("Pendaftaran %(name)s dibatalkan.") % {"name": business.name},
    )
    return _back(event, "pendaftar")


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def event_attendance(request: HttpRequest, event_id: Any) -> HttpResponse:
    """The attendance list ("daftar hadir"): tick the ones present, save once."""
    event = _event(event_id)
    ids = [_uuid(value) for value in request.POST.getlist("present")]
    marked = call_service(
        request,
        lambda: services.attendance_record_list(
            actor=request.user, event=event, registration_ids=ids, request=request
        ),
    )
    if marked is not None:
        messages.success(request, _("%(n)s peserta dicatat hadir.") % {"n": marked})
    return _back(event, "hadir")


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def event_attendance_clear(request: HttpRequest, event_id: Any) -> HttpResponse:
    """Undo a presence recorded by mistake."""
    event = _event(event_id)
    registration = get_object_or_404(
        EventRegistration, event=event, pk=_uuid(request.POST.get("registration", ""))
    )
    services.attendance_clear(actor=request.user, registration=registration, request=request)
    messages.success(request, _("Catatan hadir dibatalkan."))
    return _back(event, "hadir")


@requires(Capability.ASSOCIATION_MANAGE)
def event_qr(request: HttpRequest, event_id: Any) -> HttpResponse:
    """The sheet printed for the venue: owners scan it to record their attendance."""
    event = _event(event_id)
    url = checkin_url(request, event)
    return render(
        request,
        "association/events/qr.html",
        {"event": event, "when": when_text(event), "url": url, "qr": checkin_qr_svg(url)},
    )


EXPORT_HEADER = (
    "No",
    "Nama usaha",
    "Kecamatan",
    "Nomor anggota",
    "Status pendaftaran",
    "Hadir",
    "Cara hadir",
    "Waktu hadir",
)


@requires(Capability.ASSOCIATION_VIEW)
def event_participants_export(request: HttpRequest, event_id: Any) -> HttpResponse:
    """The participants (business names only, no owner's data) as XLSX or CSV, audited."""
    event = _event(event_id)
    registrations = list(
        EventRegistration.objects.filter(event=event)
        .select_related("business", "business__kecamatan")
        .order_by("status", "business__name_key", "pk")
    )
    numbers = _member_numbers([r.business_id for r in registrations])
    rows = [
        (
            index,
            r.business.name,
            r.business.kecamatan.name if r.business.kecamatan else "",
            numbers.get(r.business_id, ""),
            r.get_status_display(),
            _("ya") if r.attended_at else _("tidak"),
            r.get_attendance_method_display() if r.attended_at else "",
            timezone.localtime(r.attended_at).strftime("%Y-%m-%d %H:%M") if r.attended_at else "",
        )
        for index, r in enumerate(registrations, start=1)
    ]
    return table_export_response(
        request,
        name="peserta-kegiatan",
        title=_("Peserta kegiatan"),
        header=EXPORT_HEADER,
        rows=rows,
        filters={"kegiatan": event.title, "event": str(event.pk)},
        action="event.participants_export",
        object_type="association.associationevent",
    )


@requires(Capability.ASSOCIATION_MANAGE)
@require_POST
def event_reminders(request: HttpRequest, event_id: Any) -> HttpResponse:
    event = _event(event_id)
    sent = services.event_reminders_send(event=event, actor=request.user, request=request)
    messages.success(request, _("%(n)s pengingat e-mail dikirim.") % {"n": sent})
    return _back(event, "pendaftar")


@requires(Capability.ASSOCIATION_MANAGE)
def event_whatsapp(request: HttpRequest, registration_id: Any) -> HttpResponse:
    """Open WhatsApp with the prepared reminder to the business's owner (audited: it reveals
    the number, so the officer must also hold PERSON_REVEAL)."""
    if not has_capability(request.user, Capability.PERSON_REVEAL):
        raise PermissionDenied
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event", "business"), pk=registration_id
    )
    contacts = services.main_owner_contacts(business_ids=[registration.business_id])
    name, phone, _email = contacts.get(
        registration.business_id, ("", registration.business.phone, "")
    )
    if not phone:
        messages.error(request, _("Nomor HP pemilik belum tercatat."))
        return _back(registration.event, "pendaftar")
    number = phone.lstrip("+")
    if number.startswith("0"):
        number = "62" + number[1:]
    audit_log(
        actor=request.user,
        action="person.whatsapp",
        instance=registration.business,
        request=request,
        extra={"event": registration.event_id, "registration": registration.pk},
    )
    text = reminder_text(
        event=registration.event, business_name=registration.business.name, owner_name=name
    )
    return HttpResponseRedirect(f"https://wa.me/{number}?text={quote(text)}")


# --- owners: check-in by QR, upcoming events -------------------------------------------------


def _own_businesses(request: HttpRequest) -> list[Business]:
    return list(
        business_scope(user=request.user)
        .filter(status=BusinessStatus.ACTIVE)
        .order_by("name_key", "pk")
    )


@requires(Capability.OWNER_PORTAL)
@require_http_methods(["GET", "POST"])
def event_checkin(request: HttpRequest, code: str) -> HttpResponse:
    """The address in the venue's QR: the signed-in owner records their business present
    (choosing one when they hold several)."""
    event = get_object_or_404(AssociationEvent, checkin_code=code[:32])
    businesses = _own_businesses(request)
    if request.method == "POST":
        business = business_get_accessible(
            user=request.user, business_id=request.POST.get("business", "")
        )
        done = call_service(
            request,
            lambda: services.attendance_by_checkin(
                actor=request.user, code=event.checkin_code, business=business, request=request
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("Terima kasih, %(name)s tercatat hadir.") % {"name": business.name},
            )
        return redirect("association:event_checkin", code=event.checkin_code)
    present = dict(
        EventRegistration.objects.filter(
            event=event, business__in=businesses, attended_at__isnull=False
        ).values_list("business_id", "attended_at")
    )
    for business in businesses:
        business.present_at = present.get(business.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "association/events/checkin.html",
        {
            "event": event,
            "when": when_text(event),
            "businesses": businesses,
            "open": services.checkin_open(event=event),
        },
    )


@requires(Capability.OWNER_PORTAL)
def my_events(request: HttpRequest) -> HttpResponse:
    """Upcoming events open to the owner's businesses, with their registrations."""
    businesses = _own_businesses(request)
    members = set(_member_numbers([b.pk for b in businesses]))
    registrations = {
        (r.event_id, r.business_id): r
        for r in EventRegistration.objects.filter(business__in=businesses)
    }
    events = list(
        AssociationEvent.objects.filter(ends_at__gte=timezone.now())
        .select_related("kecamatan")
        .order_by("starts_at")
    )
    listed = []
    for event in events:
        rows = []
        for business in businesses:
            registration = registrations.get((event.pk, business.pk))
            registered = (
                registration is not None and registration.status == RegistrationStatus.TERDAFTAR
            )
            eligible = not event.members_only or business.pk in members
            if registered or (eligible and event.registration_open):
                rows.append(
                    {"business": business, "registration": registration if registered else None}
                )
        if rows:
            event.rows = rows  # type: ignore[attr-defined]
            event.when = when_text(event)  # type: ignore[attr-defined]
            event.left = services.seats_left(event)  # type: ignore[attr-defined]
            listed.append(event)
    return render(
        request,
        "association/events/my_events.html",
        {"events": listed, "businesses": businesses},
    )


def _owner_action(request: HttpRequest, event_id: Any, *, cancel: bool) -> HttpResponse:
    event = _event(event_id)
    business = business_get_accessible(
        user=request.user, business_id=request.POST.get("business", "")
    )
    if cancel:
        call_service(
            request,
            lambda: services.event_cancel_registration(
                actor=request.user, event=event, business=business, request=request
            ),
            _("Pendaftaran %(name)s dibatalkan.") % {"name": business.name},
        )
    else:
        call_service(
            request,
            lambda: services.event_register(
                actor=request.user, event=event, business=business, request=request
            ),
            _("%(name)s terdaftar pada %(title)s.") % {"name": business.name, "title": event.title},
        )
    return redirect(reverse("association:my_events") + f"#kegiatan-{event.pk}")


@requires(Capability.OWNER_PORTAL)
@require_POST
def my_event_register(request: HttpRequest, event_id: Any) -> HttpResponse:
    return _owner_action(request, event_id, cancel=False)


@requires(Capability.OWNER_PORTAL)
@require_POST
def my_event_cancel(request: HttpRequest, event_id: Any) -> HttpResponse:
    return _owner_action(request, event_id, cancel=True)
