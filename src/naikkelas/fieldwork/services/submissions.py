"""Receiving a submission from ODK Collect: stored once, whatever the phone re-sends.

Collect retries whole submissions after a timeout and splits big ones into several POSTs,
each repeating the full XML (docs/odk-openrosa.md §1.3, §1.7). The rules, as ODK Central
and KoboToolbox settled them:

* Key ``(form, meta/instanceID)``, a database unique constraint plus a row lock
  (``select_for_update``; on SQLite the write lock of an IMMEDIATE transaction), so two
  concurrent copies can never make two rows (Kobo's duplicate rows of 2018-2024).
* The first POST of an instance: **201**. The same XML again with new files: **201** (files
  added). The same XML with nothing new: **202** (Collect counts both as success and stops
  retrying). The same instanceID with *other* XML: **409**, and the refused copy is kept.
* Files are stored once by name; a re-sent file with the same content changes nothing.
  Only files the XML names (photo questions hold the file name) are taken.
* ``*isIncomplete*=yes`` marks a POST that more parts follow; the submission is complete
  when a POST without it arrives.
* ``meta/deprecatedID`` names the instance this one edits (Collect's edit flow): the earlier
  submission is marked superseded and linked.
* The XML is stored verbatim in the same transaction as everything else; what is refused
  (broken XML, an unknown form, a conflict) is kept in ``RejectedSubmission`` with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import (
    Attachment,
    FormVersion,
    RejectedSubmission,
    RejectionReason,
    Submission,
    SubmissionStatus,
)
from naikkelas.fieldwork.openrosa import Instance, InvalidSubmission, parse_instance

__all__ = ["MAX_FILE_BYTES", "MAX_XML_BYTES", "Receipt", "UploadedPart", "submission_receive"]

MAX_XML_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024  # the advertised X-OpenRosa-Accept-Content-Length
# What a photo question may carry (by its first bytes, not the name the phone gives it).
_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


class UploadedPart(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Receipt:
    status: int  # the HTTP status for Collect: 201, 202, 400, 404, 409, 413
    message: str  # shown on the phone
    submission: Submission | None = None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sniff(data: bytes) -> str | None:
    for magic, content_type in _MAGIC.items():
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _reject(
    *,
    reason: str,
    detail: str,
    body: bytes,
    user: Any,
    device_id: str,
    form_id: str = "",
    instance_id: str = "",
) -> RejectedSubmission:
    with transaction.atomic():
        rejected = RejectedSubmission.objects.create(
            reason=reason,
            detail=detail[:2000],
            form_id=form_id[:100],
            instance_id=instance_id[:100],
            body=body[:MAX_XML_BYTES],
            body_sha256=_sha256(body),
            submitted_by=user if getattr(user, "pk", None) else None,
            device_id=device_id[:100],
        )
        audit_log(
            actor=user,
            action="fieldwork.submission_reject",
            instance=rejected,
            extra={"reason": reason, "form_id": form_id[:100]},
        )
    return rejected


def _store_files(
    submission: Submission,
    instance: Instance,
    parts: Iterable[tuple[str, bytes]],
    *,
    user: Any,
    device_id: str,
) -> int:
    """Store the parts the XML names; returns how many were new."""
    named = set(instance.values.values())
    existing = {a.name: a.sha256 for a in submission.files.all()}
    added = 0
    for name, data in parts:
        digest = _sha256(data)
        if existing.get(name) == digest:
            continue  # re-sent: stored already
        problem = ""
        content_type = _sniff(data)
        if name not in named:
            problem = _("Berkas '%(name)s' tidak disebut dalam formulir.") % {"name": name}
        elif name in existing:
            problem = _("Berkas '%(name)s' sudah ada dengan isi lain.") % {"name": name}
        elif content_type is None:
            problem = _("Berkas '%(name)s' bukan foto (JPEG, PNG, GIF, WebP).") % {"name": name}
        if problem:
            _reject(
                reason=RejectionReason.ATTACHMENT,
                detail=problem,
                body=data,
                user=user,
                device_id=device_id,
                form_id=instance.form_id,
                instance_id=instance.instance_id,
            )
            continue
        attachment = Attachment(
            submission=submission,
            name=name,
            content_type=content_type or "application/octet-stream",
            size=len(data),
            sha256=digest,
        )
        attachment.file.save(f"{submission.pk}-{digest[:12]}", ContentFile(data), save=False)
        attachment.save()
        existing[name] = digest
        added += 1
    return added


def _supersede(submission: Submission, instance: Instance) -> None:
    if not instance.deprecated_id or submission.supersedes_id:
        return
    earlier = (
        Submission.objects.select_for_update()
        .filter(form_id=instance.form_id, instance_id=instance.deprecated_id)
        .exclude(pk=submission.pk)
        .first()
    )
    if earlier is None or Submission.objects.filter(supersedes=earlier).exists():
        return  # not here (yet), or another edit superseded it already
    earlier.status = SubmissionStatus.SUPERSEDED
    earlier.save(update_fields=["status", "updated_at"])
    submission.supersedes = earlier
    submission.save(update_fields=["supersedes", "updated_at"])


def _parts(files: Iterable[tuple[str, UploadedPart]]) -> tuple[list[tuple[str, bytes]], str]:
    """Read the file parts (name = the part's field name, as Collect sends it); an
    oversized part is refused as a whole request (nothing stored half-way)."""
    parts: list[tuple[str, bytes]] = []
    for name, upload in files:
        if (upload.size or 0) > MAX_FILE_BYTES:
            return [], name
        parts.append((name[:255], upload.read()))
    return parts, ""


def submission_receive(
    *,
    user: Any,
    xml: bytes,
    files: Iterable[tuple[str, UploadedPart]] = (),
    incomplete: bool = False,
    device_id: str = "",
) -> Receipt:
    """Take one POST of a submission (the XML part and its file parts)."""
    device_id = device_id[:100]
    if len(xml) > MAX_XML_BYTES:
        _reject(
            reason=RejectionReason.BAD_REQUEST,
            detail=f"XML {len(xml)} bytes",
            body=xml,
            user=user,
            device_id=device_id,
        )
        return Receipt(413, _("Berkas XML terlalu besar."))
    try:
        instance = parse_instance(xml)
    except InvalidSubmission as error:
        _reject(reason=error.code, detail=str(error), body=xml, user=user, device_id=device_id)
        return Receipt(400, str(error))
    versions = FormVersion.objects.filter(form_id=instance.form_id)
    form_version = versions.filter(version=instance.version).first()
    if form_version is None:
        known = versions.exists()
        detail = (
            _("Versi formulir %(version)s tidak dikenal.") % {"version": instance.version}
            if known
            else _("Formulir '%(form)s' tidak dikenal.") % {"form": instance.form_id}
        )
        _reject(
            reason=RejectionReason.UNKNOWN_FORM,
            detail=detail,
            body=xml,
            user=user,
            device_id=device_id,
            form_id=instance.form_id,
            instance_id=instance.instance_id,
        )
        return Receipt(404, detail)
    parts, oversized = _parts(files)
    if oversized:
        _reject(
            reason=RejectionReason.ATTACHMENT,
            detail=f"{oversized}: > {MAX_FILE_BYTES} bytes",
            body=xml,
            user=user,
            device_id=device_id,
            form_id=instance.form_id,
            instance_id=instance.instance_id,
        )
        return Receipt(413, _("Lampiran %(name)s terlalu besar.") % {"name": oversized})
    digest = _sha256(xml)
    with transaction.atomic():
        submission, created = _lock_or_create(instance, form_version, xml, digest, user, device_id)
        if not created and submission.xml_sha256 != digest:
            conflict = True
        else:
            conflict = False
            added = _store_files(submission, instance, parts, user=user, device_id=device_id)
            if not created:
                submission.posts += 1
            if not incomplete and submission.status == SubmissionStatus.RECEIVED:
                submission.status = SubmissionStatus.COMPLETE
            submission.save(update_fields=["posts", "status", "updated_at"])
            _supersede(submission, instance)
            if created or added:
                audit_log(
                    actor=user,
                    action="fieldwork.submission_receive",
                    instance=submission,
                    extra={"files": added, "created": created, "incomplete": incomplete},
                )
    if conflict:
        _reject(
            reason=RejectionReason.CONFLICT,
            detail=_("instanceID ini sudah diterima dengan isi yang berbeda."),
            body=xml,
            user=user,
            device_id=device_id,
            form_id=instance.form_id,
            instance_id=instance.instance_id,
        )
        return Receipt(409, _("Kiriman dengan ID ini sudah ada dengan isi berbeda."), submission)
    if submission.status == SubmissionStatus.COMPLETE and submission.import_row_id is None:
        _enqueue_register()
    if created or added:
        return Receipt(201, _("Kiriman diterima. Terima kasih."), submission)
    return Receipt(202, _("Kiriman ini sudah diterima sebelumnya."), submission)


def _point(geopoint: str) -> dict[str, float]:
    """An ODK geopoint ("lat lon altitude accuracy") inside Indonesia, else nothing."""
    parts = geopoint.split()
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return {}
    if not (-11.5 <= latitude <= 6.5 and 94.5 <= longitude <= 141.5):
        return {}
    return {"latitude": latitude, "longitude": longitude}


def _enqueue_register() -> None:
    """Queue the run into the register (the worker does it; the phone does not wait)."""
    from naikkelas.fieldwork.tasks import submissions_to_register_task

    transaction.on_commit(submissions_to_register_task.enqueue)


def _lock_or_create(
    instance: Instance,
    form_version: FormVersion,
    xml: bytes,
    digest: str,
    user: Any,
    device_id: str,
) -> tuple[Submission, bool]:
    """The instance's row, locked; created (verbatim XML first) when it is new. A
    concurrent creator that wins the unique constraint is waited for and its row used."""
    key = {"form_id": instance.form_id, "instance_id": instance.instance_id}
    existing = Submission.objects.select_for_update().filter(**key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return (
                Submission.objects.create(
                    **key,
                    form_version=form_version,
                    version=instance.version,
                    deprecated_id=instance.deprecated_id,
                    xml=xml.decode("utf-8"),
                    xml_sha256=digest,
                    submitted_by=user if getattr(user, "pk", None) else None,
                    device_id=device_id,
                    kelurahan=instance.by_name().get("desa_kelurahan", "")[:13],
                    **_point(instance.by_name().get("coordinates", "")),
                ),
                True,
            )
    except IntegrityError:
        return Submission.objects.select_for_update().get(**key), False
