"""Erasing what field collection keeps of a person when their data are deleted (UU 27/2022).

A census submission's XML and a self-registration's fields hold the owner's name, NIK, phone
and address exactly as they arrived. When ``privacy.owner_anonymise`` deletes a person, the
copies that became (or were linked to) that owner's records are blanked too: the XML is
replaced by a note, the self-registration's fields emptied. What remains is the metadata
(form, instanceID, times, status), so counts and the campaign's progress stay right.
Refused copies of those instances go as well.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import RejectedSubmission, SelfRegistration, Submission
from naikkelas.linkage.services.privacy import owner_with_merged
from naikkelas.registry.models import BusinessOwner, Owner, OwnerRole

__all__ = ["ERASED_XML", "erase_on_anonymise", "person_fieldwork_erase"]

ERASED_XML = "<!-- dihapus atas permintaan subjek data (UU 27/2022) -->"


@transaction.atomic
def person_fieldwork_erase(*, actor: Any, owner: Owner) -> dict[str, int]:
    """Blank the submissions and self-registrations that are this person's; returns counts."""
    owners = owner_with_merged(owner)
    niks = [n for n in Owner.objects.filter(pk__in=owners).values_list("nik", flat=True) if n]
    businesses = BusinessOwner.objects.filter(owner__in=owners, role=OwnerRole.PEMILIK).values(
        "business_id"
    )
    rows = Q(import_row__owner__in=owners) | Q(import_row__business__in=businesses)
    submissions = Submission.objects.filter(rows).exclude(xml=ERASED_XML)
    instances = list(submissions.values_list("form_id", "instance_id"))
    erased = submissions.update(xml=ERASED_XML)
    refused = 0
    for form_id, instance_id in instances:
        refused += RejectedSubmission.objects.filter(
            form_id=form_id, instance_id=instance_id
        ).update(body=b"", detail="")
    registrations = SelfRegistration.objects.filter(
        rows | Q(data__nik__in=niks) if niks else rows
    ).exclude(data={})
    blanked = registrations.update(data={})
    audit_log(
        actor=actor,
        action="fieldwork.erase",
        object_type=owner._meta.label_lower,
        object_id=str(owner.pk),
        extra={"submissions": erased, "refused": refused, "self_registrations": blanked},
    )
    return {"submissions": erased, "refused": refused, "self_registrations": blanked}


def erase_on_anonymise(sender: Any, *, actor: Any, owner: Owner, **kwargs: Any) -> None:
    """Receiver of ``privacy.signals.owner_anonymising``."""
    person_fieldwork_erase(actor=actor, owner=owner)
