"""The member card's public check: opened by scanning the card's QR code, on any phone,
without an account. It shows the business's name, the status and how long the membership is
valid — nothing else (no owner, no address, no number)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from naikkelas.accounts.permissions import public
from naikkelas.association.models import Member
from naikkelas.association.status import IN_GOOD_STANDING


@public
@require_GET
def card_check(request: HttpRequest, card_code: str) -> HttpResponse:
    member = (
        Member.objects.select_related("business", "type").filter(card_code=card_code).first()
        if 8 <= len(card_code) <= 64
        else None
    )
    if member is None:
        return render(request, "association/card_check.html", {"member": None}, status=404)
    return render(
        request,
        "association/card_check.html",
        {
            "member": member,
            "valid": member.status in IN_GOOD_STANDING,
            "today": timezone.localdate(),
            "no_dues": member.type.dues == 0,
        },
    )
