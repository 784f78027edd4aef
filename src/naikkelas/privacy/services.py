"""Personal-data services: consent, full-data views, data-subject requests, anonymisation.

Every function is keyword-only, owns its transaction and writes the audit log. Audit events
written here never carry personal values: they name the object by id (no ``object_repr``, which
would be the owner's name) and list field names, not contents (UU 27/2022; ADR 0003).
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import Role, User
from naikkelas.accounts.services import invitation_create, user_set_active
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.identifiers import format_nik
from naikkelas.core.text import compact_key
from naikkelas.privacy.models import (
    DEFAULT_PURPOSE,
    Consent,
    ConsentMethod,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
)
from naikkelas.privacy.signals import owner_anonymising
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole
from naikkelas.registry.services import owner_update

# UU 27/2022 Pasal 32 ayat (2) and following: a controller answers within 3 x 24 hours.
DSR_RESPONSE_TIME = timedelta(hours=72)

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Extension -> the first bytes every such file starts with.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
}

ANONYMISED_NAME = "Data dihapus (UU PDP)"
# What the audit log writes instead of a deleted value.
REDACTED = "[dihapus]"
# Owner fields blanked by ``owner_anonymise``, with their blank value.
ANONYMISED_OWNER_FIELDS: dict[str, Any] = {
    "full_name": ANONYMISED_NAME,
    "nik": None,
    "phone": "",
    "email": "",
    "address": "",
    "birth_date": None,
    "data_warnings": [],
}
REVEALED_FIELDS = ("nik", "phone", "address", "birth_date")
CORRECTABLE_FIELDS = ("full_name", "nik", "phone", "email", "address", "birth_date")

OWNER_USERNAME_PREFIX = "pemilik-"


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """An audit event that names ``obj`` by type and id only (its ``str`` is a person's name)."""
    audit_log(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes,
        extra=extra,
    )


def _require_not_anonymised(owner: Owner) -> None:
    if owner.anonymised_at is not None:
        raise ApplicationError(
            _("Data pemilik ini sudah dihapus (dianonimkan)."), code="owner_anonymised"
        )


# ---------------------------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------------------------


def evidence_validate(file: Any) -> str:
    """Check an uploaded consent form photo/scan; return its normalised extension.

    Accepts JPG, PNG and PDF (checked by extension *and* by the file's first bytes) up to 5 MB.

    Raises:
        ValidationError: wrong type or too large.
    """
    extension = PurePath(getattr(file, "name", "") or "").suffix.lower()
    signatures = EVIDENCE_SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(
            _("Bukti harus berupa berkas JPG, PNG atau PDF."), code="evidence_type"
        )
    size = getattr(file, "size", None)
    if size is None or size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("Ukuran bukti paling besar 5 MB."), code="evidence_size")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (JPG, PNG atau PDF)."),
            code="evidence_type",
        )
    return ".jpg" if extension == ".jpeg" else extension


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    owner: Owner,
    method: ConsentMethod | str,
    given_by: str,
    given_at: datetime | None = None,
    purpose: str = DEFAULT_PURPOSE,
    evidence: Any = None,
) -> Consent:
    """Record a consent an owner gave for ``purpose`` (UU 27/2022 Pasal 20-22).

    ``evidence`` is an uploaded file (photo or scan of the signed paper form); it is stored under
    a random name, never the uploaded one. A paper form needs its evidence.

    Raises:
        ValidationError: keyed by field (method, given_by, given_at, purpose, evidence).
        ApplicationError: the owner's data has been deleted.
    """
    _require_not_anonymised(owner)
    errors: dict[str, list[str]] = {}
    if method not in ConsentMethod.values:
        errors.setdefault("method", []).append(_("Cara persetujuan tidak dikenal."))
    given_by = " ".join((given_by or "").split())
    if not given_by:
        errors.setdefault("given_by", []).append(_("Isi nama orang yang memberi persetujuan."))
    elif len(given_by) > 150:
        errors.setdefault("given_by", []).append(_("Nama paling panjang 150 karakter."))
    now = timezone.now()
    given_at = given_at or now
    if given_at > now + timedelta(minutes=5):
        errors.setdefault("given_at", []).append(_("Waktu persetujuan tidak boleh di masa depan."))
    purpose = (purpose or "").strip()
    if not purpose:
        errors.setdefault("purpose", []).append(_("Tujuan pemrosesan wajib diisi."))
    extension = ""
    if evidence:
        try:
            extension = evidence_validate(evidence)
        except ValidationError as error:
            errors.setdefault("evidence", []).extend(error.messages)
    elif method == ConsentMethod.PAPER_FORM:
        errors.setdefault("evidence", []).append(
            _("Lampirkan foto formulir persetujuan yang ditandatangani.")
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        owner=owner,
        purpose=purpose,
        method=ConsentMethod(method),
        given_by=given_by,
        given_at=min(given_at, now),
        recorded_by=actor if _is_user(actor) else None,
    )
    if evidence:
        consent.evidence = File(evidence, name=f"{uuid.uuid4().hex}{extension}")
    consent.save()
    _audit(
        actor=actor,
        action="consent.record",
        obj=consent,
        extra={
            "owner": owner.pk,
            "method": consent.method,
            "given_at": consent.given_at.isoformat(),
            "evidence": bool(consent.evidence),
        },
    )
    return consent


def _withdraw(*, actor: Any, owner: Owner, reason: str) -> int:
    now = timezone.now()
    return Consent.objects.filter(owner=owner, withdrawn_at__isnull=True).update(
        withdrawn_at=now,
        withdrawn_reason=reason[:255],
        withdrawn_recorded_by=actor if _is_user(actor) else None,
        updated_at=now,
    )


@transaction.atomic
def consent_withdraw(*, actor: Any, owner: Owner, reason: str) -> int:
    """Withdraw every active consent of the owner now (Pasal 9); return how many.

    From then on ``privacy.selectors.owners_with_active_consent`` and
    ``businesses_with_consenting_owner`` leave the owner out.

    Raises:
        ValidationError: ``{"reason": ...}`` when no reason is given.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Isi alasan pencabutan persetujuan.")]})
    count = _withdraw(actor=actor, owner=owner, reason=reason)
    if count:
        _audit(
            actor=actor,
            action="consent.withdraw",
            obj=owner,
            extra={"consents": count},
        )
    return count


@transaction.atomic
def consent_evidence_view_log(*, actor: Any, consent: Consent) -> None:
    """Audit that someone opened the photo of a signed consent form (it shows personal data)."""
    _audit(
        actor=actor, action="consent.evidence_view", obj=consent, extra={"owner": consent.owner_id}
    )


# ---------------------------------------------------------------------------------------------
# Seeing full personal data (audited)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def person_reveal(*, actor: Any, owner: Owner, business: Business) -> dict[str, Any]:
    """The owner's unmasked NIK, phone, address and birth date, with an audit event.

    The caller has already checked that ``business`` is within the actor's scope
    (``registry.access.business_get_accessible``).

    Raises:
        ApplicationError: the owner is not an owner of the business.
    """
    if not BusinessOwner.objects.filter(business=business, owner=owner).exists():
        raise ApplicationError(_("Pemilik ini tidak terkait dengan usaha ini."), code="not_linked")
    _audit(
        actor=actor,
        action="person.reveal",
        obj=owner,
        extra={"business": business.pk, "fields": ",".join(REVEALED_FIELDS)},
    )
    return {
        "full_name": owner.full_name,
        "nik": format_nik(owner.nik) if owner.nik else "",
        "phone": owner.phone,
        "address": owner.address,
        "birth_date": owner.birth_date,
    }


@transaction.atomic
def person_view_full_log(*, actor: Any, owner: Owner, context: str) -> None:
    """Audit that an officer opened a page showing an owner's full personal data."""
    _audit(actor=actor, action="person.view_full", obj=owner, extra={"context": context})


# ---------------------------------------------------------------------------------------------
# Data-subject requests (Pasal 5-8, 32)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def dsr_create(
    *, actor: Any, owner: Owner, kind: RequestKind | str, details: str = ""
) -> DataSubjectRequest:
    """File an owner's request about their data, due 3 x 24 hours from now.

    Raises:
        ValidationError: unknown kind; a correction without details.
        ApplicationError: the owner's data is already deleted, or the same kind of request
            is still open.
    """
    _require_not_anonymised(owner)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": [_("Jenis permintaan tidak dikenal.")]})
    details = (details or "").strip()
    if kind == RequestKind.CORRECTION and not details:
        raise ValidationError({"details": [_("Jelaskan data mana yang salah dan yang benar.")]})
    if DataSubjectRequest.objects.filter(
        owner=owner, kind=kind, status=RequestStatus.OPEN
    ).exists():
        raise ApplicationError(
            _("Permintaan yang sama masih diproses. Mohon tunggu tanggapan petugas."),
            code="dsr_duplicate",
        )
    now = timezone.now()
    request = DataSubjectRequest.objects.create(
        owner=owner,
        kind=RequestKind(kind),
        details=details,
        due_at=now + DSR_RESPONSE_TIME,
        requested_by=actor if _is_user(actor) else None,
    )
    _audit(
        actor=actor,
        action="dsr.create",
        obj=request,
        extra={"owner": owner.pk, "kind": request.kind, "due_at": request.due_at.isoformat()},
    )
    return request


def _default_resolution(kind: str) -> str:
    if kind == RequestKind.ACCESS:
        return _(
            "Seluruh data Anda dapat dilihat dan diunduh (JSON) di halaman 'Data saya' "
            "setelah masuk ke akun Anda."
        )
    if kind == RequestKind.CORRECTION:
        return _("Data Anda sudah diperbaiki.")
    return _(
        "Data pribadi Anda sudah dihapus dari register. Data usaha dan angka tahunan tetap "
        "disimpan tanpa identitas Anda untuk statistik."
    )


@transaction.atomic
def dsr_process(
    *,
    actor: Any,
    request: DataSubjectRequest,
    decision: str,
    resolution: str,
    corrections: Mapping[str, Any] | None = None,
) -> DataSubjectRequest:
    """Answer a request: ``decision`` is ``"done"`` or ``"rejected"``.

    * correction, done: ``corrections`` (owner fields -> new values) go through
      ``registry.services.owner_update`` (its field errors propagate);
    * deletion, done: ``owner_anonymise``;
    * access, done: nothing changes (the owner sees and downloads their data in the portal).

    Raises:
        ValidationError: unknown decision, a rejection without reason, a correction without
            anything to correct, or the field errors of the corrections.
        ApplicationError: the request was already processed.
    """
    request = (
        DataSubjectRequest.objects.select_for_update().select_related("owner").get(pk=request.pk)
    )
    if request.status != RequestStatus.OPEN:
        raise ApplicationError(
            _("Permintaan ini sudah diproses sebelumnya."), code="dsr_already_processed"
        )
    if decision not in (RequestStatus.DONE, RequestStatus.REJECTED):
        raise ValidationError({"decision": [_("Pilih selesai atau tolak.")]})
    resolution = (resolution or "").strip()
    changed: list[str] = []
    if decision == RequestStatus.REJECTED:
        if not resolution:
            raise ValidationError({"resolution": [_("Tuliskan alasan penolakan.")]})
    elif request.kind == RequestKind.CORRECTION:
        data = dict(corrections or {})
        unknown = set(data) - set(CORRECTABLE_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Kolom ini tidak dapat diubah.")] for name in unknown})
        if not data and not resolution:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Tidak ada perbaikan. Isi data yang benar atau tanggapan.")]}
            )
        if data:
            _require_not_anonymised(request.owner)
            owner_update(actor=actor, owner=request.owner, data=data)
            changed = sorted(data)
    elif request.kind == RequestKind.DELETION:
        owner_anonymise(actor=actor, owner=request.owner)
        _close_other_requests(actor=actor, request=request)
    request.status = RequestStatus(decision)
    request.resolution = resolution or _default_resolution(request.kind)
    request.handled_by = actor if _is_user(actor) else None
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "resolution", "handled_by", "handled_at", "updated_at"])
    extra: dict[str, Any] = {
        "owner": request.owner_id,
        "kind": request.kind,
        "decision": request.status,
        "late": request.handled_at > request.due_at,
    }
    if changed:
        extra["fields"] = ",".join(changed)
    _audit(actor=actor, action="dsr.process", obj=request, extra=extra)
    return request


def _close_other_requests(*, actor: Any, request: DataSubjectRequest) -> None:
    """Once the data is deleted, the owner's other open requests have nothing left to act on."""
    now = timezone.now()
    others = DataSubjectRequest.objects.select_for_update().filter(
        owner_id=request.owner_id, status=RequestStatus.OPEN
    )
    for other in others.exclude(pk=request.pk):
        other.status = RequestStatus.DONE
        other.resolution = _("Data pribadi sudah dihapus atas permintaan penghapusan.")
        other.handled_by = actor if _is_user(actor) else None
        other.handled_at = now
        other.save(update_fields=["status", "resolution", "handled_by", "handled_at", "updated_at"])
        _audit(
            actor=actor,
            action="dsr.process",
            obj=other,
            extra={
                "owner": other.owner_id,
                "kind": other.kind,
                "decision": other.status,
                "late": now > other.due_at,
                "reason": "owner.anonymise",
            },
        )


def _merged_owners(owner: Owner) -> list[Owner]:
    """The owner and every duplicate record merged into it (transitively)."""
    found = [owner]
    frontier = [owner.pk]
    while frontier:
        more = list(
            Owner.objects.filter(merged_into__in=frontier).exclude(pk__in=[o.pk for o in found])
        )
        found.extend(more)
        frontier = [o.pk for o in more]
    return found


def _anonymise_businesses(*, actor: Any, owner: Owner, old_nik: str | None) -> int:
    """Blank the contact data of businesses the person runs; keep the businesses themselves.

    Phone and email of a business whose main owner (pemilik) is this person are theirs; those
    of a business they only co-own belong to someone else and stay. An NPWP equal to the
    person's NIK is their tax number and goes everywhere.
    """
    touched = 0
    links = BusinessOwner.objects.filter(owner=owner).select_related("business")
    for link in links:
        business = Business.objects.select_for_update().get(pk=link.business_id)
        fields: list[str] = []
        if link.role == OwnerRole.PEMILIK:
            for name in ("phone", "email"):
                if getattr(business, name):
                    setattr(business, name, "")
                    fields.append(name)
        if old_nik and business.npwp == old_nik:
            business.npwp = ""
            fields.append("npwp")
        if fields:
            business.save(update_fields=[*fields, "updated_at"])
            _audit(
                actor=actor,
                action="business.update",
                obj=business,
                changes={name: [REDACTED, ""] for name in fields},
                extra={"reason": "owner.anonymise", "owner": owner.pk},
            )
            touched += 1
    return touched


def _anonymise_one(*, actor: Any, owner: Owner, now: datetime) -> dict[str, Any]:
    owner = Owner.objects.select_for_update().get(pk=owner.pk)
    old_nik = owner.nik
    for name, blank in ANONYMISED_OWNER_FIELDS.items():
        setattr(owner, name, blank)
    owner.name_key = compact_key(ANONYMISED_NAME)
    owner.anonymised_at = now
    # full_clean() would reject a blank required field; the blanks are deliberate.
    owner.save(update_fields=[*ANONYMISED_OWNER_FIELDS, "name_key", "anonymised_at", "updated_at"])
    withdrawn = _withdraw(
        actor=actor, owner=owner, reason="Data dihapus atas permintaan pemilik (UU PDP)"
    )
    # Consent rows stay as proof that processing had a basis; who signed and the photo of the
    # signed form (name, NIK, signature) go.
    evidence = Consent.objects.filter(owner=owner).exclude(evidence="")
    for consent in evidence:
        consent.evidence.delete(save=False)
    Consent.objects.filter(owner=owner).update(given_by=REDACTED, evidence="", updated_at=now)
    # What an owner wrote in a request may repeat the deleted data.
    DataSubjectRequest.objects.filter(owner=owner).exclude(details="").update(
        details=REDACTED, updated_at=now
    )
    account = False
    if owner.user_id is not None:
        user = User.objects.select_for_update().get(pk=owner.user_id)
        if _is_user(actor) and actor.pk != user.pk:
            # Refuses sign-in, revokes API tokens, voids open invitations; audited.
            user = user_set_active(actor=actor, user=user, active=False)
        user.is_active = False
        user.first_name = user.last_name = user.email = user.phone = ""
        user.save(update_fields=["is_active", "first_name", "last_name", "email", "phone"])
        account = True
    businesses = _anonymise_businesses(actor=actor, owner=owner, old_nik=old_nik)
    _audit(
        actor=actor,
        action="owner.anonymise",
        obj=owner,
        changes={name: [REDACTED, None] for name in ANONYMISED_OWNER_FIELDS},
        extra={
            "consents_withdrawn": withdrawn,
            "account_deactivated": account,
            "businesses_changed": businesses,
        },
    )
    return {"owner": owner, "withdrawn": withdrawn}


@transaction.atomic
def owner_anonymise(*, actor: Any, owner: Owner) -> Owner:
    """Honour a deletion request: blank the person's data, keep the statistics.

    Blanks name (to ``ANONYMISED_NAME``), NIK, phone, email, address, birth date and data
    warnings of the owner and of every duplicate merged into it; withdraws their consents;
    deactivates their account; blanks the phone/email of businesses they run and an NPWP equal
    to their NIK. Businesses, ownerships, yearly figures, permits and the audit trail remain, so
    aggregates stay correct. Sex is kept (aggregate statistics; not identifying on its own).
    The audit event lists field names only, never the deleted values.

    Raises:
        ApplicationError: already anonymised.
    """
    owner = Owner.objects.select_for_update().get(pk=owner.pk)
    _require_not_anonymised(owner)
    owner_anonymising.send(sender=Owner, actor=actor, owner=owner)
    now = timezone.now()
    for record in _merged_owners(owner):
        if record.anonymised_at is None:
            _anonymise_one(actor=actor, owner=record, now=now)
    owner.refresh_from_db()
    return owner


# ---------------------------------------------------------------------------------------------
# The owner's own account and data
# ---------------------------------------------------------------------------------------------


def _owner_username() -> str:
    alphabet = string.ascii_lowercase + string.digits
    while True:
        username = OWNER_USERNAME_PREFIX + "".join(secrets.choice(alphabet) for _ in range(8))
        if not User.objects.filter(username=username).exists():
            return username


@transaction.atomic
def owner_account_invite(*, actor: Any, owner: Owner) -> str:
    """Give the owner a sign-in (role owner) and return a one-time invitation token.

    Reuses the owner's account when there is one (earlier links stop working); otherwise
    creates a user ``pemilik-xxxxxxxx`` with an unusable password and links it to the owner.
    The token is shown once; only its hash is stored (``accounts.services.invitation_create``).

    Raises:
        ApplicationError: the owner's data was deleted, or the linked account is disabled or
            is not an owner's account.
    """
    owner = Owner.objects.select_for_update().get(pk=owner.pk)
    _require_not_anonymised(owner)
    if owner.merged_into_id is not None:
        raise ApplicationError(
            _("Data pemilik ini sudah digabung ke data lain."), code="owner_merged"
        )
    if owner.user_id is not None:
        user = User.objects.get(pk=owner.user_id)
        if not user.is_active:
            raise ApplicationError(
                _("Akun pemilik ini dinonaktifkan. Hubungi admin."), code="account_inactive"
            )
        if user.role != Role.OWNER:
            raise ApplicationError(
                _("Akun yang terhubung bukan akun pelaku UMKM."), code="account_role"
            )
    else:
        user = User(username=_owner_username(), role=Role.OWNER)
        user.set_unusable_password()
        user.save()
        audit_log(actor=actor, action="user.create", instance=user, extra={"role": user.role})
        owner.user = user
        owner.save(update_fields=["user", "updated_at"])
        _audit(actor=actor, action="owner.account_link", obj=owner, extra={"user": user.pk})
    return invitation_create(actor=actor if _is_user(actor) else None, user=user)


@transaction.atomic
def owner_data_export(
    *, actor: Any, owner: Owner, businesses: QuerySet[Business]
) -> dict[str, Any]:
    """Everything held about the owner as JSON-ready data (portability), audited.

    ``businesses`` is the caller's scope (``registry.access.business_scope`` of the owner).
    """
    from naikkelas.privacy.selectors import owner_data_collect

    data = owner_data_collect(owner=owner, businesses=businesses)
    _audit(actor=actor, action="person.export_self", obj=owner, extra={"format": "json"})
    return data
