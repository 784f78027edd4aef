"""Kendala endpoints: officers list, read, record and answer kendala; owners report and read
their own (``/me/kendala``). The same services as the web pages: a refusal answers 409 with
the service's message, a malformed body 422. Reporter phones are masked."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.identifiers import mask_phone
from naikkelas.kendala import services
from naikkelas.kendala.models import Kendala, KendalaChannel
from naikkelas.kendala.selectors import (
    KendalaFilters,
    business_pick,
    category_list,
    kendala_list,
    kendala_of_owner,
)
from naikkelas.programs.models import Cycle
from naikkelas.registry.access import business_get_accessible, business_scope

router = Router(tags=["kendala"])
MANAGE = capability_auth(Capability.KENDALA_MANAGE)
OWNER = capability_auth(Capability.OWNER_PORTAL)


class CategoryOut(Schema):
    code: str
    name: str


class KendalaOut(Schema):
    """A kendala as officers see it (the reporter's phone masked)."""

    id: UUID
    tracking_code: str
    channel: str
    status: str
    category: str
    title: str
    description: str
    business_id: UUID | None
    business_name: str
    reporter_name: str
    reporter_phone_masked: str
    kecamatan: str | None = Field(alias="kecamatan_id")
    desa_kelurahan: str | None = Field(alias="desa_kelurahan_id")
    sector: str | None = Field(alias="sector_id")
    assignee: str | None
    response: str
    responded_at: datetime | None
    target_date: date | None
    overdue: bool
    escalated_at: datetime | None
    closed_at: datetime | None
    application_id: UUID | None
    forum_name: str
    forum_date: date | None
    created_at: datetime

    @staticmethod
    def resolve_category(obj: Kendala) -> str:
        return obj.category.code

    @staticmethod
    def resolve_business_name(obj: Kendala) -> str:
        return obj.business.name if obj.business else ""

    @staticmethod
    def resolve_reporter_phone_masked(obj: Kendala) -> str:
        return mask_phone(obj.reporter_phone) if obj.reporter_phone else ""

    @staticmethod
    def resolve_assignee(obj: Kendala) -> str | None:
        return obj.assignee.username if obj.assignee else None


class OwnerKendalaOut(Schema):
    """A kendala as its owner sees it."""

    id: UUID
    tracking_code: str
    business_id: UUID | None
    business_name: str
    category: str
    title: str
    description: str
    status: str
    response: str
    responded_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_category(obj: Kendala) -> str:
        return obj.category.code

    @staticmethod
    def resolve_business_name(obj: Kendala) -> str:
        return obj.business.name if obj.business else ""


class KendalaIn(Schema):
    """An officer recording a kendala on someone's behalf: a business, or a named person."""

    business_id: UUID | None = None
    business_text: str = Field(default="", description="NIB, phone or name of a business")
    reporter_name: str = ""
    reporter_phone: str = ""
    desa_kelurahan: str = Field(default="", description="kelurahan code, e.g. 36.73.06.1005")
    sector: str = ""
    category: str = Field(description="category code, e.g. perizinan")
    title: str = ""
    description: str


class OwnerKendalaIn(Schema):
    business_id: UUID
    category: str = Field(description="category code (GET /me/kendala/categories)")
    title: str = ""
    description: str


class RespondIn(Schema):
    response: str
    status: str = Field(default="", description="optionally move the status in the same step")


class StatusIn(Schema):
    status: str = Field(description="ditelaah, ditindaklanjuti, selesai or tidak_dapat")


class AssignIn(Schema):
    assignee_id: int | None = Field(default=None, description="a user id; null unassigns")


class TargetIn(Schema):
    target_date: date | None


class NominateIn(Schema):
    cycle_id: UUID
    response: str = ""


class ListFilters(Schema):
    status: str = ""
    category: str = ""
    kecamatan: str = ""
    sector: str = ""
    assignee: str = ""
    channel: str = ""
    overdue: bool = False


def _kendala(kendala_id: Any) -> Kendala:
    """One kendala as the list reads it (joined, ``overdue`` annotated); 404 if unknown."""
    kendala = kendala_list(today=timezone.localdate()).filter(pk=kendala_id).first()
    if kendala is None:
        raise Http404
    return kendala


@router.get("/kendala/categories", response=list[CategoryOut], auth=MANAGE)
def category_list_api(request: HttpRequest) -> Any:
    return category_list(active_only=False)


@router.get("/kendala", response=list[KendalaOut], auth=MANAGE)
@paginate(LimitOffsetPagination)
def kendala_list_api(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    return kendala_list(filters=KendalaFilters(**filters.dict()), today=timezone.localdate())


@router.post("/kendala", response={201: KendalaOut}, auth=MANAGE)
def kendala_create_api(request: HttpRequest, payload: KendalaIn) -> Any:
    business = None
    if payload.business_id is not None:
        business = business_get_accessible(user=request.user, business_id=payload.business_id)
    elif payload.business_text.strip():
        business, problem = business_pick(
            text=payload.business_text, base=business_scope(user=request.user)
        )
        if business is None:
            raise ApplicationError(problem, code="business")
    kendala = services.kendala_report(
        actor=request.user,
        channel=KendalaChannel.PETUGAS,
        business=business,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        desa_kelurahan=payload.desa_kelurahan,
        sector=payload.sector,
        category=payload.category,
        title=payload.title,
        description=payload.description,
        request=request,
    )
    return Status(201, _kendala(kendala.pk))


@router.get("/kendala/{kendala_id}", response=KendalaOut, auth=MANAGE)
def kendala_detail_api(request: HttpRequest, kendala_id: UUID) -> Any:
    return _kendala(kendala_id)


@router.post("/kendala/{kendala_id}/respond", response=KendalaOut, auth=MANAGE)
def kendala_respond_api(request: HttpRequest, kendala_id: UUID, payload: RespondIn) -> Any:
    kendala = services.kendala_respond(
        actor=request.user,
        kendala=_kendala(kendala_id),
        response=payload.response,
        status=payload.status,
        request=request,
    )
    return _kendala(kendala.pk)


@router.post("/kendala/{kendala_id}/status", response=KendalaOut, auth=MANAGE)
def kendala_status_api(request: HttpRequest, kendala_id: UUID, payload: StatusIn) -> Any:
    kendala = services.kendala_set_status(
        actor=request.user, kendala=_kendala(kendala_id), status=payload.status, request=request
    )
    return _kendala(kendala.pk)


@router.post("/kendala/{kendala_id}/assign", response=KendalaOut, auth=MANAGE)
def kendala_assign_api(request: HttpRequest, kendala_id: UUID, payload: AssignIn) -> Any:
    kendala = _kendala(kendala_id)
    assignee = None
    if payload.assignee_id is not None:
        assignee = get_object_or_404(get_user_model(), pk=payload.assignee_id, is_active=True)
    services.kendala_assign(actor=request.user, kendala=kendala, assignee=assignee, request=request)
    return _kendala(kendala.pk)


@router.post("/kendala/{kendala_id}/target", response=KendalaOut, auth=MANAGE)
def kendala_target_api(request: HttpRequest, kendala_id: UUID, payload: TargetIn) -> Any:
    kendala = services.kendala_set_target(
        actor=request.user,
        kendala=_kendala(kendala_id),
        target_date=payload.target_date,
        request=request,
    )
    return _kendala(kendala.pk)


@router.post("/kendala/{kendala_id}/nominate", response=KendalaOut, auth=MANAGE)
def kendala_nominate_api(request: HttpRequest, kendala_id: UUID, payload: NominateIn) -> Any:
    kendala = services.kendala_answer_by_nomination(
        actor=request.user,
        kendala=_kendala(kendala_id),
        cycle=get_object_or_404(Cycle, pk=payload.cycle_id),
        response=payload.response,
        request=request,
    )
    return _kendala(kendala.pk)


# --- owners -----------------------------------------------------------------------------------


@router.get("/me/kendala/categories", response=list[CategoryOut], auth=OWNER)
def my_category_list_api(request: HttpRequest) -> Any:
    return category_list()


@router.get("/me/kendala", response=list[OwnerKendalaOut], auth=OWNER)
def my_kendala_api(request: HttpRequest) -> Any:
    return kendala_of_owner(user=request.user)


@router.post("/me/kendala", response={201: OwnerKendalaOut}, auth=OWNER)
def my_kendala_report_api(request: HttpRequest, payload: OwnerKendalaIn) -> Any:
    """Report a kendala for one of the owner's businesses (404 for one that is not theirs)."""
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    kendala = services.kendala_report(
        actor=request.user,
        channel=KendalaChannel.PORTAL,
        business=business,
        category=payload.category,
        title=payload.title,
        description=payload.description,
        request=request,
    )
    return Status(201, kendala)
