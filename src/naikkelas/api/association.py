"""Association endpoints: members, applications, dues and events for the association's
officers (the Dinas reads), the secretary's decisions, and the owner's own membership, events
and check-in (``/me/...``). The same services and access rules as the web pages: a refusal is
409 with the service's message, a malformed body 422."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.api.pagination import KeysetPagination
from naikkelas.association import selectors
from naikkelas.association.dues_selectors import members_in_arrears
from naikkelas.association.models import (
    AssociationEvent,
    DuesPayment,
    Member,
    MembershipApplication,
    MembershipType,
)
from naikkelas.association.services import dues, events, memberships
from naikkelas.registry.access import business_get_accessible, business_scope

router = Router(tags=["association"])
VIEW = capability_auth(Capability.ASSOCIATION_VIEW)
MANAGE = capability_auth(Capability.ASSOCIATION_MANAGE)
OWNER = capability_auth(Capability.OWNER_PORTAL)


class MemberOut(Schema):
    id: UUID
    number: str
    business_id: UUID
    business_name: str
    type: str = Field(alias="type_id")
    status: str
    joined_on: date
    paid_until: date | None
    ended_on: date | None

    @staticmethod
    def resolve_business_name(obj: Member) -> str:
        return obj.business.name


class MemberQuery(Schema):
    q: str = ""
    status: str = ""
    type: str = ""


class ApplicationIn(Schema):
    business_id: UUID
    type: str = "biasa"
    note: str = Field("", max_length=500)


class ApplicationOut(Schema):
    id: UUID
    business_id: UUID
    type: str = Field(alias="type_id")
    channel: str
    status: str
    note: str
    decision_reason: str
    created_at: datetime
    member_id: UUID | None


class DecisionIn(Schema):
    decision: str = Field(pattern="^(setujui|tolak)$")
    reason: str = Field("", max_length=500)
    joined_on: date | None = None


class MyMembershipOut(Schema):
    business_id: UUID
    business_name: str
    member: MemberOut | None
    application_status: str | None


def _type(code: str) -> MembershipType:
    kind = MembershipType.objects.filter(code=code, active=True).first()
    if kind is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"type": "Jenis keanggotaan tidak dikenal."})
    return kind


@router.get("/association/members", response=list[MemberOut], auth=VIEW)
@paginate(KeysetPagination, ordering=("number", "id"))
def member_list_api(request: HttpRequest, filters: Query[MemberQuery]) -> Any:
    return selectors.member_list(q=filters.q, status=filters.status, type_code=filters.type)


@router.get("/association/members/{member_id}", response=MemberOut, auth=VIEW)
def member_detail_api(request: HttpRequest, member_id: UUID) -> Any:
    member = selectors.member_get(member_id=member_id)
    if member is None:
        raise Http404
    return member


@router.get("/association/applications", response=list[ApplicationOut], auth=VIEW)
def application_list_api(request: HttpRequest, status: str = "diajukan") -> Any:
    return list(MembershipApplication.objects.filter(status=status).order_by("created_at")[:500])


@router.post("/association/applications", response={201: ApplicationOut}, auth=MANAGE)
def application_create_api(request: HttpRequest, payload: ApplicationIn) -> Any:
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    application = memberships.application_submit(
        actor=request.user,
        business=business,
        membership_type=_type(payload.type),
        note=payload.note,
    )
    return Status(201, application)


@router.post(
    "/association/applications/{application_id}/decision", response=ApplicationOut, auth=MANAGE
)
def application_decide_api(request: HttpRequest, application_id: UUID, payload: DecisionIn) -> Any:
    application = MembershipApplication.objects.filter(pk=application_id).first()
    if application is None:
        raise Http404
    if payload.decision == "setujui":
        memberships.application_approve(
            actor=request.user, application=application, joined_on=payload.joined_on
        )
    else:
        memberships.application_refuse(
            actor=request.user, application=application, reason=payload.reason
        )
    application.refresh_from_db()
    return application


@router.get("/me/membership", response=list[MyMembershipOut], auth=OWNER)
def my_membership_api(request: HttpRequest) -> Any:
    businesses = list(business_scope(user=request.user).order_by("name"))
    members = {
        m.business_id: m
        for m in Member.objects.filter(business__in=businesses).select_related("business")
    }
    latest: dict[Any, str] = {}
    for business_id, status in (
        MembershipApplication.objects.filter(business__in=businesses)
        .order_by("created_at")
        .values_list("business_id", "status")
    ):
        latest[business_id] = status
    return [
        {
            "business_id": b.pk,
            "business_name": b.name,
            "member": members.get(b.pk),
            "application_status": latest.get(b.pk),
        }
        for b in businesses
    ]


@router.post("/me/membership/applications", response={201: ApplicationOut}, auth=OWNER)
def my_application_api(request: HttpRequest, payload: ApplicationIn) -> Any:
    business = business_scope(user=request.user).filter(pk=payload.business_id).first()
    if business is None:
        raise Http404
    application = memberships.application_submit(
        actor=request.user,
        business=business,
        membership_type=_type(payload.type),
        channel="portal",
        note=payload.note,
    )
    return Status(201, application)


# --------------------------------------------------------------------------------------------
# Dues
# --------------------------------------------------------------------------------------------


class PaymentOut(Schema):
    id: UUID
    member_id: UUID
    paid_on: date
    amount: int
    periods: int
    period_start: date
    period_end: date
    method: str
    receipt_number: str
    reference: str
    voided: bool

    @staticmethod
    def resolve_voided(obj: DuesPayment) -> bool:
        return obj.voided_at is not None


class PaymentIn(Schema):
    paid_on: date
    periods: int = Field(1, ge=1, le=10)
    method: str = Field(pattern="^(tunai|transfer)$")
    reference: str = Field("", max_length=100)
    receipt_number: str = Field("", max_length=40)
    amount: int | None = Field(None, ge=0, le=1_000_000_000)


class VoidIn(Schema):
    reason: str = Field(min_length=1, max_length=255)


class ArrearsOut(Schema):
    member_id: UUID
    number: str
    business_name: str
    periods: int
    amount: int


def _member_or_404(member_id: UUID) -> Member:
    member = selectors.member_get(member_id=member_id)
    if member is None:
        raise Http404
    return member


@router.get("/association/members/{member_id}/payments", response=list[PaymentOut], auth=VIEW)
def payment_list_api(request: HttpRequest, member_id: UUID) -> Any:
    return list(DuesPayment.objects.filter(member=_member_or_404(member_id)))


@router.post("/association/members/{member_id}/payments", response={201: PaymentOut}, auth=MANAGE)
def payment_record_api(request: HttpRequest, member_id: UUID, payload: PaymentIn) -> Any:
    payment = dues.dues_record(
        actor=request.user, member=_member_or_404(member_id), **payload.dict()
    )
    return Status(201, payment)


@router.post("/association/payments/{payment_id}/void", response=PaymentOut, auth=MANAGE)
def payment_void_api(request: HttpRequest, payment_id: UUID, payload: VoidIn) -> Any:
    payment = DuesPayment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    return dues.dues_void(actor=request.user, payment=payment, reason=payload.reason)


@router.get("/association/arrears", response=list[ArrearsOut], auth=VIEW)
def arrears_api(request: HttpRequest) -> Any:
    return [
        {
            "member_id": row.member.pk,
            "number": row.member.number,
            "business_name": row.member.business.name,
            "periods": row.periods,
            "amount": row.amount,
        }
        for row in members_in_arrears(today=timezone.localdate())
    ]


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: UUID
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    capacity: int | None
    members_only: bool
    registration_open: bool


class EventIn(Schema):
    kind: str
    title: str = Field(max_length=200)
    starts_at: datetime
    ends_at: datetime
    venue: str = Field(max_length=200)
    description: str = ""
    kecamatan: str | None = None
    capacity: int | None = Field(None, ge=1, le=100_000)
    members_only: bool = True
    registration_open: bool = True


class RegistrationOut(Schema):
    id: UUID
    event_id: UUID
    business_id: UUID
    status: str
    attended_at: datetime | None
    attendance_method: str


class BusinessRef(Schema):
    business_id: UUID


class AttendanceIn(Schema):
    business_id: UUID
    method: str = Field("daftar", pattern="^(qr|daftar)$")


class CheckinIn(Schema):
    code: str = Field(min_length=8, max_length=64)
    business_id: UUID


def _event_or_404(event_id: UUID) -> AssociationEvent:
    event = AssociationEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


@router.get("/association/events", response=list[EventOut], auth=VIEW)
def event_list_api(request: HttpRequest) -> Any:
    return list(AssociationEvent.objects.order_by("-starts_at")[:500])


@router.post("/association/events", response={201: EventOut}, auth=MANAGE)
def event_create_api(request: HttpRequest, payload: EventIn) -> Any:
    return Status(201, events.event_create(actor=request.user, **payload.dict()))


@router.get(
    "/association/events/{event_id}/registrations", response=list[RegistrationOut], auth=VIEW
)
def event_registrations_api(request: HttpRequest, event_id: UUID) -> Any:
    return list(_event_or_404(event_id).registrations.order_by("created_at"))


@router.post(
    "/association/events/{event_id}/registrations", response={201: RegistrationOut}, auth=MANAGE
)
def event_register_api(request: HttpRequest, event_id: UUID, payload: BusinessRef) -> Any:
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    registration = events.event_register(
        actor=request.user, event=_event_or_404(event_id), business=business
    )
    return Status(201, registration)


@router.post("/association/events/{event_id}/attendance", response=RegistrationOut, auth=MANAGE)
def event_attendance_api(request: HttpRequest, event_id: UUID, payload: AttendanceIn) -> Any:
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    return events.attendance_record(
        actor=request.user, event=_event_or_404(event_id), business=business, method=payload.method
    )


@router.get("/me/events", response=list[EventOut], auth=OWNER)
def my_events_api(request: HttpRequest) -> Any:
    return list(
        AssociationEvent.objects.filter(
            ends_at__gte=timezone.now(), registration_open=True
        ).order_by("starts_at")[:100]
    )


@router.post("/me/events/{event_id}/registrations", response={201: RegistrationOut}, auth=OWNER)
def my_event_register_api(request: HttpRequest, event_id: UUID, payload: BusinessRef) -> Any:
    business = business_scope(user=request.user).filter(pk=payload.business_id).first()
    if business is None:
        raise Http404
    registration = events.event_register(
        actor=request.user, event=_event_or_404(event_id), business=business
    )
    return Status(201, registration)


@router.post("/me/checkin", response=RegistrationOut, auth=OWNER)
def my_checkin_api(request: HttpRequest, payload: CheckinIn) -> Any:
    business = business_scope(user=request.user).filter(pk=payload.business_id).first()
    if business is None:
        raise Http404
    return events.attendance_by_checkin(actor=request.user, code=payload.code, business=business)
