"""The owner's side of the association: apply for membership, see the status and the board's
contacts, show and print the member card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.association import selectors
from naikkelas.association.card import check_url, qr_svg
from naikkelas.association.forms import OwnerApplicationForm
from naikkelas.association.models import (
    ApplicationChannel,
    Member,
    MembershipApplication,
    MembershipType,
)
from naikkelas.association.services import memberships
from naikkelas.registry.access import business_scope


@requires(Capability.OWNER_PORTAL)
def my_membership(request: HttpRequest) -> HttpResponse:
    businesses = list(business_scope(user=request.user).filter(status="active").order_by("name"))
    if request.method == "POST":
        business = next((b for b in businesses if str(b.pk) == request.POST.get("business")), None)
        if business is None:
            raise Http404
        form = OwnerApplicationForm(request.POST)
        if form.is_valid():
            try:
                memberships.application_submit(
                    actor=request.user,
                    business=business,
                    membership_type=MembershipType.objects.get(code=form.cleaned_data["type"]),
                    channel=ApplicationChannel.PORTAL,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Pengajuan terkirim. Sekretaris Hipmikindo akan memutuskannya.")
                )
            return redirect("association:my_membership")
    members = {m.business_id: m for m in Member.objects.filter(business__in=businesses)}
    applications: dict[Any, MembershipApplication] = {}
    for application in MembershipApplication.objects.filter(business__in=businesses).order_by(
        "created_at"
    ):
        applications[application.business_id] = application  # the latest one
    term, positions = selectors.current_board(today=timezone.localdate())
    return render(
        request,
        "association/my_membership.html",
        {
            "rows": [(b, members.get(b.pk), applications.get(b.pk)) for b in businesses],
            "form": OwnerApplicationForm(initial={"type": "biasa"}),
            "term": term,
            "positions": positions,
        },
    )


@requires(Capability.OWNER_PORTAL)
def my_card(request: HttpRequest, member_id: Any) -> HttpResponse:
    member = (
        Member.objects.select_related("business", "type")
        .filter(pk=member_id, business__in=business_scope(user=request.user))
        .first()
    )
    if member is None:
        raise Http404
    url = check_url(request, member)
    return render(
        request,
        "association/member_card.html",
        {"member": member, "check_url": url, "qr": qr_svg(url), "owner_view": True},
    )
