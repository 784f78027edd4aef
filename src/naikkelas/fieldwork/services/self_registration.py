"""Owners registering themselves on the public page (no account, no JavaScript).

* **Kept verbatim** with the consent text they agreed to, word for word, and a tracking code.
* **Already registered?** The same NIK as an owner in the register: the person is told that
  they are registered and an officer will contact them -- nothing about the record is shown,
  so the page cannot be used to look people up. The registration is kept for the officer.
* **Otherwise** it becomes a row of the day's ``mandiri`` import batch: the intake
  pipeline validates, links and promotes it (source "Daftar mandiri") or quarantines it with
  its reasons, exactly as a row of a spreadsheet.
* **Bots**: a per-client rate limit (a keyed hash of the address, never the address itself)
  and a small arithmetic challenge signed by the server, which also refuses answers given
  faster than a person reads the page; no third-party service.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from naikkelas.core.audit import audit_log
from naikkelas.fieldwork.models import SelfRegistration, SelfRegistrationStatus
from naikkelas.fieldwork.services.register import ODK_COLUMNS, day_batch, stage_row
from naikkelas.intake.models import RowStatus
from naikkelas.registry.models import Owner

__all__ = [
    "RATE_LIMIT",
    "Challenge",
    "challenge_check",
    "challenge_new",
    "client_hash",
    "self_registration_allowed",
    "self_registration_status",
    "self_registration_submit",
]

SELF_FORMAT = "self"
RATE_LIMIT = 5  # registrations per client per hour
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
_SALT = "naikkelas.self-registration.challenge"
_MIN_SECONDS = 3  # a person reads the page before sending it
_MAX_SECONDS = 2 * 60 * 60


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def challenge_new(*, now: float | None = None) -> Challenge:
    a, b = secrets.randbelow(8) + 2, secrets.randbelow(8) + 2
    token = signing.dumps(
        {"s": a + b, "t": int(now if now is not None else time.time())}, salt=_SALT
    )
    return Challenge(question=f"{a} + {b}", token=token)


def challenge_check(token: str, answer: str, *, now: float | None = None) -> bool:
    try:
        data = signing.loads(token, salt=_SALT, max_age=_MAX_SECONDS)
    except signing.BadSignature:
        return False
    elapsed = (now if now is not None else time.time()) - data["t"]
    return _MIN_SECONDS <= elapsed <= _MAX_SECONDS and answer.strip() == str(data["s"])


def client_hash(address: str) -> str:
    """A keyed hash of the client's address: enough to rate-limit, useless to identify."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def self_registration_allowed(client: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = SelfRegistration.objects.filter(client_hash=client, created_at__gte=since)
    return recent.count() < RATE_LIMIT


def _tracking_code() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"D{body[:4]}-{body[4:]}"


def _row(data: dict[str, Any]) -> list[Any]:
    values = {name: data.get(name) or None for name in ODK_COLUMNS}
    values["submitted_at"] = timezone.now().isoformat()
    return [values[name] for name in ODK_COLUMNS]


def self_registration_submit(
    *, data: dict[str, Any], consent_text: str, client: str
) -> SelfRegistration:
    """Keep a registration and send it on (see the module docstring). ``data``: the page's
    cleaned fields under the intake's canonical names (owner_name, nik, phone, ...)."""
    from naikkelas.intake.tasks import import_batch_run_task

    known = (
        bool(data.get("nik"))
        and Owner.objects.filter(nik=data["nik"], merged_into__isnull=True).exists()
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                registration = SelfRegistration.objects.create(
                    tracking_code=_tracking_code(),
                    data=data,
                    consent_text=consent_text,
                    client_hash=client,
                    status=SelfRegistrationStatus.KNOWN
                    if known
                    else SelfRegistrationStatus.RECEIVED,
                )
                break
        except IntegrityError:  # a tracking code drawn twice (1 in 10^12): draw again
            continue
    else:  # pragma: no cover - five collisions in a row
        raise RuntimeError("no free tracking code")
    with transaction.atomic():
        if not known:
            day = timezone.localdate()
            batch = day_batch(
                source=f"mandiri-{day.isoformat()}",
                file_format=SELF_FORMAT,
                day=day,
                note=f"Pendaftaran mandiri pelaku UMKM, {day.isoformat()} (WIB).\n",
            )
            registration.import_row = stage_row(batch, _row(data))
            registration.save(update_fields=["import_row", "updated_at"])
            transaction.on_commit(lambda: import_batch_run_task.enqueue(str(batch.pk), None))
        audit_log(
            actor=None,
            action="fieldwork.self_registration",
            instance=registration,
            extra={"known": known},
        )
    return registration


def self_registration_status(code: str) -> str | None:
    """What the person may see about their registration: a status word, nothing more."""
    registration = (
        SelfRegistration.objects.select_related("import_row")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    if registration is None:
        return None
    if registration.status == SelfRegistrationStatus.KNOWN:
        return "known"
    row = registration.import_row
    if row is not None and row.status in (RowStatus.PROMOTED, RowStatus.LINKED):
        return "registered"
    if row is not None and row.status == RowStatus.QUARANTINED:
        return "checking"  # an officer fixes what was wrong
    return "received"
