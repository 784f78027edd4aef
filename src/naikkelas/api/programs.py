"""Programme endpoints: programmes, cycles, applications, the selection run, enrolment, ledger.

The same services as the web pages; refusals answer 409 with the service's message. A run can
be fetched with its stored input and verified by replaying it (``/runs/{id}/verify``).
"""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from naikkelas.accounts.permissions import Capability
from naikkelas.api.auth import capability_auth
from naikkelas.programs import services
from naikkelas.programs.models import Application, Cycle, Enrolment, Programme, SelectionRun
from naikkelas.programs.reasons import Labels, describe_decision
from naikkelas.programs.selectors import aid_ledger, cycle_applications, cycle_list
from naikkelas.registry.access import business_get_accessible, business_scope

router = Router(tags=["programmes"])
VIEW = capability_auth(Capability.PROGRAMME_VIEW)
MANAGE = capability_auth(Capability.PROGRAMME_MANAGE)


class ProgrammeIn(Schema):
    name: str
    kind: str = Field(description="pelatihan, kemasan, halal, ritel, ecommerce, affiliate, lainnya")
    organiser: str = Field(description="dinas, hipmikindo or mitra")
    partner_name: str = ""
    description: str = ""


class ProgrammeOut(Schema):
    id: UUID
    name: str
    kind: str
    organiser: str
    partner_name: str
    description: str


class CycleIn(Schema):
    name: str
    starts_on: date
    ends_on: date
    capacity: int
    unit_value: int = 0
    applications_close_on: date | None = None
    location: str = ""
    sectors: list[str] = []
    min_per_kecamatan: int = 0
    sector_shares: dict[str, int] = Field(default_factory=dict, description="{code: percent}")
    need_weight: int = 1
    readiness_weight: int = 1
    rules: list[dict[str, Any]] = Field(
        default_factory=list, description='e.g. [{"kind": "permit_held", "values": ["NIB"]}]'
    )


class CycleOut(Schema):
    id: UUID
    programme_id: UUID
    name: str
    starts_on: date
    ends_on: date
    capacity: int
    unit_value: int
    status: str
    rules: list[dict[str, Any]]
    min_per_kecamatan: int
    sector_shares: dict[str, int]
    fingerprint: str
    seed: str


class ApplicationIn(Schema):
    business_id: UUID
    note: str = ""
    need_score: int = 0
    readiness_score: int = 0


class ApplicationOut(Schema):
    id: UUID
    business_id: UUID
    business_name: str
    channel: str
    status: str
    position: int | None
    reason: dict[str, Any]
    reason_text: str
    overridden: bool


class OverrideIn(Schema):
    to_status: str = Field(description="selected, waitlisted or not_selected")
    reason: str


class PublishIn(Schema):
    public_value: str = ""


class RunOut(Schema):
    id: UUID
    number: int
    seed: str
    fingerprint: str
    parameters: dict[str, Any]
    result: dict[str, Any]
    result_digest: str


class VerifyOut(Schema):
    identical: bool
    result_digest: str


class EnrolmentOut(Schema):
    id: UUID
    business_id: UUID
    seat: int
    status: str


class EnrolmentStatusIn(Schema):
    status: str
    reason: str = ""
    completed_on: date | None = None


class AidOut(Schema):
    id: UUID
    kind: str
    description: str
    provider: str
    value: int
    received_on: date
    cycle_id: UUID | None


def _application_out(application: Application, labels: Labels) -> dict[str, Any]:
    return {
        "id": application.pk,
        "business_id": application.business_id,
        "business_name": application.business.name,
        "channel": application.channel,
        "status": application.status,
        "position": application.position,
        "reason": application.reason,
        "reason_text": describe_decision(application.reason, labels, application.position),
        "overridden": application.overridden,
    }


@router.get("/programmes", response=list[ProgrammeOut], auth=VIEW)
def programme_list_api(request: HttpRequest) -> Any:
    return Programme.objects.order_by("name", "id")


@router.post("/programmes", response={201: ProgrammeOut}, auth=MANAGE)
def programme_create_api(request: HttpRequest, payload: ProgrammeIn) -> Any:
    return Status(
        201, services.programme_create(actor=request.user, request=request, **payload.dict())
    )


@router.get("/programmes/{programme_id}/cycles", response=list[CycleOut], auth=VIEW)
def cycle_list_api(request: HttpRequest, programme_id: UUID) -> Any:
    return cycle_list(programme=get_object_or_404(Programme, pk=programme_id))


@router.post("/programmes/{programme_id}/cycles", response={201: CycleOut}, auth=MANAGE)
def cycle_create_api(request: HttpRequest, programme_id: UUID, payload: CycleIn) -> Any:
    programme = get_object_or_404(Programme, pk=programme_id)
    return Status(
        201,
        services.cycle_create(
            actor=request.user, programme=programme, request=request, **payload.dict()
        ),
    )


@router.get("/cycles/{cycle_id}", response=CycleOut, auth=VIEW)
def cycle_detail_api(request: HttpRequest, cycle_id: UUID) -> Any:
    return get_object_or_404(Cycle, pk=cycle_id)


@router.post("/cycles/{cycle_id}/open", response=CycleOut, auth=MANAGE)
def cycle_open_api(request: HttpRequest, cycle_id: UUID) -> Any:
    return services.cycle_open(
        actor=request.user, cycle=get_object_or_404(Cycle, pk=cycle_id), request=request
    )


@router.get("/cycles/{cycle_id}/applications", response=list[ApplicationOut], auth=VIEW)
@paginate(LimitOffsetPagination)
def application_list_api(request: HttpRequest, cycle_id: UUID) -> Any:
    labels = Labels.load()
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    return [_application_out(a, labels) for a in cycle_applications(cycle=cycle)]


@router.post("/cycles/{cycle_id}/applications", response={201: ApplicationOut}, auth=MANAGE)
def application_create_api(request: HttpRequest, cycle_id: UUID, payload: ApplicationIn) -> Any:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    application = services.application_nominate(
        actor=request.user,
        cycle=cycle,
        business=business,
        note=payload.note,
        need_score=payload.need_score,
        readiness_score=payload.readiness_score,
        request=request,
    )
    return Status(201, _application_out(application, Labels.load()))


@router.post("/cycles/{cycle_id}/publish", response=CycleOut, auth=MANAGE)
def cycle_publish_api(request: HttpRequest, cycle_id: UUID, payload: PublishIn) -> Any:
    return services.cycle_publish(
        actor=request.user,
        cycle=get_object_or_404(Cycle, pk=cycle_id),
        public_value=payload.public_value,
        request=request,
    )


@router.post("/cycles/{cycle_id}/selection", response={201: RunOut}, auth=MANAGE)
def selection_run_api(request: HttpRequest, cycle_id: UUID) -> Any:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    return Status(201, services.selection_run(actor=request.user, cycle=cycle, request=request))


@router.get("/runs/{run_id}", response=RunOut, auth=VIEW)
def run_detail_api(request: HttpRequest, run_id: UUID) -> Any:
    return get_object_or_404(SelectionRun, pk=run_id)


@router.get("/runs/{run_id}/verify", response=VerifyOut, auth=VIEW)
def run_verify_api(request: HttpRequest, run_id: UUID) -> Any:
    run = get_object_or_404(SelectionRun, pk=run_id)
    identical, _allocation = services.selection_replay(run=run)
    return {"identical": identical, "result_digest": run.result_digest}


@router.post("/applications/{application_id}/override", response=ApplicationOut, auth=MANAGE)
def application_override_api(
    request: HttpRequest, application_id: UUID, payload: OverrideIn
) -> Any:
    application = get_object_or_404(Application, pk=application_id)
    services.application_override(
        actor=request.user,
        application=application,
        to_status=payload.to_status,
        reason=payload.reason,
        request=request,
    )
    application.refresh_from_db()
    return _application_out(application, Labels.load())


@router.post("/applications/{application_id}/enrol", response={201: EnrolmentOut}, auth=MANAGE)
def enrolment_create_api(request: HttpRequest, application_id: UUID) -> Any:
    application = get_object_or_404(Application, pk=application_id)
    return Status(
        201, services.enrolment_create(actor=request.user, application=application, request=request)
    )


@router.get("/cycles/{cycle_id}/enrolments", response=list[EnrolmentOut], auth=VIEW)
def enrolment_list_api(request: HttpRequest, cycle_id: UUID) -> Any:
    return Enrolment.objects.filter(cycle_id=cycle_id).order_by("seat", "id")


@router.post("/enrolments/{enrolment_id}/status", response=EnrolmentOut, auth=MANAGE)
def enrolment_status_api(
    request: HttpRequest, enrolment_id: UUID, payload: EnrolmentStatusIn
) -> Any:
    enrolment = get_object_or_404(Enrolment, pk=enrolment_id)
    return services.enrolment_set_status(
        actor=request.user, enrolment=enrolment, request=request, **payload.dict()
    )


class OwnerApplicationIn(Schema):
    cycle_id: UUID
    business_id: UUID
    note: str = ""


@router.get("/cycles", response=list[CycleOut], auth=VIEW)
def cycle_all_api(request: HttpRequest, status: str = "") -> Any:
    cycles = cycle_list()
    return cycles.filter(status=status) if status else cycles


OWNER = capability_auth(Capability.OWNER_PORTAL)


@router.get("/me/cycles", response=list[CycleOut], auth=OWNER)
def my_open_cycles_api(request: HttpRequest) -> Any:
    """Cycles taking applications now (the owner's portal lists the same)."""
    return cycle_list().filter(status="open")


@router.get("/me/applications", response=list[ApplicationOut], auth=OWNER)
def my_applications_api(request: HttpRequest) -> Any:
    labels = Labels.load()
    mine = Application.objects.filter(
        business__in=business_scope(user=request.user)
    ).select_related("business")
    return [_application_out(a, labels) for a in mine.order_by("-created_at")]


@router.post("/me/applications", response={201: ApplicationOut}, auth=OWNER)
def my_apply_api(request: HttpRequest, payload: OwnerApplicationIn) -> Any:
    """An owner applies for their own business (404 for a business that is not theirs)."""
    cycle = get_object_or_404(Cycle, pk=payload.cycle_id)
    business = business_get_accessible(user=request.user, business_id=payload.business_id)
    application = services.application_apply(
        actor=request.user, cycle=cycle, business=business, note=payload.note, request=request
    )
    return Status(201, _application_out(application, Labels.load()))


@router.get("/businesses/{business_id}/aid", response=list[AidOut], auth=VIEW)
def aid_ledger_api(request: HttpRequest, business_id: UUID) -> Any:
    business = business_get_accessible(user=request.user, business_id=business_id)
    return aid_ledger(business=business)
