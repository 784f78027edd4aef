"""Association endpoints: members and applications for the association's officers (the Dinas
reads), the secretary's decisions, and the owner's own membership (``/me/membership``). The
same services and access rules as the web pages."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.api.pagination import KeysetPagination
from naikkelas.association import selectors
from naikkelas.association.models import Member, MembershipApplication, MembershipType
from naikkelas.association.services import memberships
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
