"""Personal data in kendala: the reporter's full phone shown to an officer (audited), and
erasing a person's copies when the owner is anonymised (UU 27/2022)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from naikkelas.core.audit import audit_log
from naikkelas.kendala.models import Kendala
from naikkelas.registry.models import Owner


@transaction.atomic
def kendala_reporter_reveal(*, actor: Any, kendala: Kendala, request: Any = None) -> str:
    """The reporter's unmasked phone, with an audit event. The caller has checked that the
    actor holds PERSON_REVEAL."""
    audit_log(
        actor=actor,
        action="person.reveal",
        instance=kendala,
        extra={"fields": "reporter_phone"},
        request=request,
    )
    return kendala.reporter_phone


def kendala_person_erase(*, actor: Any, owner: Owner) -> int:
    """Blank the name and phone of public/forum reports made with the owner's phone number
    (reports linked to a business hold no personal data). Returns the rows changed."""
    phones = {p for p in [owner.phone] if p}
    if not phones:
        return 0
    rows = Kendala.objects.filter(Q(reporter_phone__in=phones))
    changed = rows.update(reporter_phone="", reporter_name="[dihapus]", consent_text="")
    if not changed:
        return 0
    audit_log(
        actor=actor,
        action="kendala.erase",
        object_type=owner._meta.label_lower,
        object_id=str(owner.pk),
        extra={"kendala": changed},
    )
    return changed


def erase_on_anonymise(sender: Any, *, actor: Any, owner: Owner, **kwargs: Any) -> None:
    """Receiver of ``privacy.signals.owner_anonymising``."""
    kendala_person_erase(actor=actor, owner=owner)
