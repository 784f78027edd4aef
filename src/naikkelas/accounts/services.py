"""Creating and managing users, invitations and API tokens; reading the audit log."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.accounts import twofactor
from naikkelas.accounts.models import (
    ApiToken,
    AreaAssignment,
    Invitation,
    Role,
    TotpDevice,
    TotpRecoveryCode,
    User,
)
from naikkelas.core.audit import audit_log
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.exports import write_csv, write_xlsx
from naikkelas.core.models import AuditEvent
from naikkelas.regions.models import Region
from naikkelas.regions.selectors import desa_kelurahan_list, kecamatan_list, normalise_code

INVITATION_INVALID = "Tautan undangan tidak berlaku lagi. Minta undangan baru kepada admin."


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    first, _, last = full_name.partition(" ")
    user = User(
        username=username,
        role=Role(role),
        first_name=first,
        last_name=last,
        email=email,
        is_staff=Role(role) == Role.ADMIN,
        is_superuser=Role(role) == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(actor=actor, action="user.create", instance=user, extra={"role": user.role})
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str, actor: User | None = None, days: int | None = 365
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key is shown once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit_log(actor=actor or user, action="api_token.create", instance=token)
    return token, key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=timezone.now())
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


INVITATION_DAYS = 7


@transaction.atomic
def invitation_create(*, actor: User | None, user: User, days: int = INVITATION_DAYS) -> str:
    """Create a one-time link token for ``user`` to set a password; returns the raw token.

    Only the token's SHA-256 is stored. Earlier unused invitations of the user are voided.
    """
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by=actor,
        expires_at=now + timedelta(days=days),
    )
    audit_log(actor=actor, action="user.invite", instance=user, extra={"days": days})
    return token


def invitation_get_valid(*, token: str) -> Invitation | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        Invitation.objects.select_related("user")
        .filter(
            token_hash=digest,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invited user's password and spend the invitation.

    Raises:
        ApplicationError: the link is unknown, used or expired.
        ValidationError: the password does not meet the password policy.
    """
    invitation = invitation_get_valid(token=token)
    if invitation is None:
        raise ApplicationError(INVITATION_INVALID, code="invitation_invalid")
    user = invitation.user
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_log(actor=user, action="user.invitation_accept", instance=user)
    return user


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=actor, action="api_token.revoke", instance=token)
    return token


# --- User management (admin): invite, change role and areas, deactivate, re-invite ----------
#
# The functions below are keyword-only and validate everything into one field-keyed
# ``ValidationError`` (keys: username, full_name, email, role, area_codes) so the web form can
# show each message next to its field.

# Owners are invited from their owner record; every other role may be invited here.
INVITABLE_ROLES: tuple[Role, ...] = tuple(role for role in Role if role != Role.OWNER)


def _privileges(role: Role) -> dict[str, bool]:
    """``is_staff``/``is_superuser`` follow the role: only the admin role has them."""
    return {"is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN}


def _role_or_error(role: Role | str, errors: dict[str, list[str]]) -> Role | None:
    try:
        chosen = Role(role)
    except ValueError:
        errors.setdefault("role", []).append(_("Peran tidak dikenal."))
        return None
    if chosen not in INVITABLE_ROLES:
        errors.setdefault("role", []).append(
            _("Akun pelaku UMKM dibuat dan diundang dari data pemiliknya, bukan di sini.")
        )
        return None
    return chosen


def _areas_or_error(
    area_codes: Iterable[str], role: Role | None, errors: dict[str, list[str]]
) -> list[Region]:
    """The deployment-area kecamatan and desa/kelurahan with these codes, in code order."""
    codes = sorted({normalise_code(code) for code in area_codes if code and code.strip()})
    found = {
        region.code: region
        for region in [
            *kecamatan_list().filter(code__in=codes),
            *desa_kelurahan_list().filter(code__in=codes),
        ]
    }
    unknown = [code for code in codes if code not in found]
    if unknown:
        errors.setdefault("area_codes", []).append(
            _("Wilayah tidak dikenal atau di luar daerah ini: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    if role == Role.ENUMERATOR and not codes:
        errors.setdefault("area_codes", []).append(
            _("Enumerator harus ditugaskan ke sedikitnya satu kecamatan atau desa/kelurahan.")
        )
    return [found[code] for code in codes if code in found]


def _area_codes_of(user: User) -> list[str]:
    return sorted(AreaAssignment.objects.filter(user=user).values_list("region_id", flat=True))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({field: list(messages) for field, messages in errors.items()})


@transaction.atomic
def user_invite(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    role: Role | str,
    area_codes: Sequence[str],
) -> tuple[User, str]:
    """Create a user without a password and an invitation; returns the user and raw token.

    The person sets their own password through the one-time link (``invitation_accept``).
    ``is_staff``/``is_superuser`` are derived from the role, never taken from input.

    Raises:
        ValidationError: keyed by username, full_name, email, role, area_codes.
    """
    errors: dict[str, list[str]] = {}
    username = username.strip()
    full_name = " ".join(full_name.split())
    email = email.strip()
    chosen = _role_or_error(role, errors)
    regions = _areas_or_error(area_codes, chosen, errors)
    if not full_name:
        errors.setdefault("full_name", []).append(_("Nama lengkap wajib diisi."))
    if username and User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("Nama pengguna ini sudah dipakai."))
    first, _sep, last = full_name.partition(" ")
    user = User(
        username=username,
        role=chosen or Role.DINAS,
        first_name=first,
        last_name=last,
        email=email,
        is_active=True,
        **_privileges(chosen or Role.DINAS),
    )
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            key = "full_name" if field in ("first_name", "last_name") else field
            if key == "username" and "username" in errors:
                continue  # already said it is taken
            errors.setdefault(key, []).extend(messages)
    _raise(errors)
    user.save()
    AreaAssignment.objects.bulk_create(AreaAssignment(user=user, region=r) for r in regions)
    audit_log(
        actor=actor,
        action="user.create",
        instance=user,
        changes={"role": [None, user.role], "areas": [[], [r.code for r in regions]]},
        extra={"role": user.role, "invited": True},
    )
    token = invitation_create(actor=actor, user=user)
    return user, token


@transaction.atomic
def user_update_access(
    *, actor: User, user: User, role: Role | str, area_codes: Sequence[str]
) -> User:
    """Change a user's role and assigned areas; the audit event holds old and new values.

    An admin cannot take the admin role from themselves. Owner accounts keep their role
    (they are tied to an owner record) and no account becomes an owner account here.

    Raises:
        ValidationError: keyed by role, area_codes.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list[str]] = {}
    if user.role == Role.OWNER:
        errors.setdefault("role", []).append(
            _("Peran akun pelaku UMKM tidak dapat diubah; akun ini terkait data pemiliknya.")
        )
        chosen = None
    else:
        chosen = _role_or_error(role, errors)
    if user.pk == actor.pk and chosen is not None and chosen != Role.ADMIN:
        errors.setdefault("role", []).append(
            _("Anda tidak dapat mencabut peran admin Anda sendiri. Minta admin lain melakukannya.")
        )
    regions = _areas_or_error(area_codes, chosen, errors)
    _raise(errors)
    assert chosen is not None
    old_role, old_codes = user.role, _area_codes_of(user)
    new_codes = [region.code for region in regions]
    changes: dict[str, list[object]] = {}
    if old_role != chosen:
        changes["role"] = [old_role, chosen.value]
    if old_codes != new_codes:
        changes["areas"] = [old_codes, new_codes]
    privileges = _privileges(chosen)
    flags_change = any(getattr(user, name) != value for name, value in privileges.items())
    if not changes and not flags_change:
        return user
    for name, value in privileges.items():
        if getattr(user, name) != value:
            changes[name] = [getattr(user, name), value]
        setattr(user, name, value)
    user.role = chosen
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    AreaAssignment.objects.filter(user=user).exclude(region_id__in=new_codes).delete()
    AreaAssignment.objects.bulk_create(
        [AreaAssignment(user=user, region=r) for r in regions if r.code not in old_codes]
    )
    audit_log(actor=actor, action="user.update_access", instance=user, changes=changes)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (sign-in refused, API tokens revoked, open invitations voided) or reactivate.

    Raises:
        ApplicationError: an admin tried to deactivate themselves.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active and user.pk == actor.pk:
        raise ApplicationError(
            _("Anda tidak dapat menonaktifkan akun Anda sendiri."), code="self_deactivate"
        )
    if user.is_active == active:
        return user
    now = timezone.now()
    extra: dict[str, object] = {}
    if not active:
        extra["api_tokens_revoked"] = ApiToken.objects.filter(
            user=user, revoked_at__isnull=True
        ).update(revoked_at=now)
        extra["invitations_voided"] = Invitation.objects.filter(
            user=user, used_at__isnull=True
        ).update(used_at=now)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_log(
        actor=actor,
        action="user.reactivate" if active else "user.deactivate",
        instance=user,
        changes={"is_active": [not active, active]},
        extra=extra,
    )
    return user


@transaction.atomic
def user_invitation_resend(*, actor: User, user: User) -> str:
    """A new invitation link for ``user`` (earlier unused links are voided); the raw token.

    Also the way an admin lets someone who forgot their password set a new one: the old
    password keeps working until the link is used.

    Raises:
        ApplicationError: the user is deactivated.
    """
    if not user.is_active:
        raise ApplicationError(
            _("Pengguna ini nonaktif. Aktifkan kembali sebelum mengirim undangan."),
            code="user_inactive",
        )
    return invitation_create(actor=actor, user=user)


# --- Reading users and the audit log (admin pages) -------------------------------------------


def user_list(*, q: str = "", role: str = "") -> QuerySet[User]:
    """Users matching a search (username, name, email) and role, with their areas."""
    qs = User.objects.prefetch_related(
        Prefetch("area_assignments", queryset=AreaAssignment.objects.select_related("region"))
    ).order_by("username")
    for word in q.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        qs = qs.filter(role=role)
    return qs


def user_get(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class AuditFilters:
    """Search of the audit log; dates are calendar days in WIB, both ends inclusive."""

    action: str = ""  # prefix: "user." finds user.create, user.invite, …
    actor: str = ""  # username, case-insensitive
    object_id: str = ""
    q: str = ""  # free text in the object's description
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, str]:
        """The filters in use, as text (for the audit event of an export)."""
        values = {
            "action": self.action,
            "actor": self.actor,
            "object_id": self.object_id,
            "q": self.q,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events matching the filters, newest first."""
    qs = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    if filters.action:
        qs = qs.filter(action__startswith=filters.action.strip())
    if filters.actor:
        qs = qs.filter(actor__username__iexact=filters.actor.strip())
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id.strip())
    if filters.q:
        qs = qs.filter(object_repr__icontains=filters.q.strip())
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=datetime.combine(filters.date_from, dt_time.min, WIB))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), dt_time.min, WIB)
        qs = qs.filter(occurred_at__lt=end)
    return qs


def audit_event_ip(event: AuditEvent) -> str:
    """The client address of an event: the ``ip_address`` column, else ``extra["ip"]``."""
    if event.ip_address:
        return str(event.ip_address)
    extra = event.extra if isinstance(event.extra, dict) else {}
    return str(extra.get("ip") or "")


def _compact(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_compact(item) for item in value) or "—"
    return str(value)


def audit_changes_compact(changes: object, *, limit: int = 80) -> list[str]:
    """``{"role": ["dinas", "admin"]}`` → ``["role: dinas → admin"]`` (values shortened)."""
    if not isinstance(changes, dict):
        return [str(changes)[:limit]] if changes else []
    lines = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = (_compact(v)[:limit] for v in value)
            lines.append(f"{field}: {old} → {new}")
        else:
            lines.append(f"{field}: {_compact(value)[:limit]}")
    return lines


AUDIT_EXPORT_MAX_ROWS = 100_000
AUDIT_EXPORT_FORMATS = ("csv", "xlsx")


def _audit_export_header() -> list[str]:
    return [
        _("Waktu (WIB)"),
        _("Pelaku"),
        _("Aksi"),
        _("Jenis objek"),
        _("ID objek"),
        _("Objek"),
        _("Sumber"),
        _("Perubahan"),
        _("Keterangan"),
        _("Alamat IP"),
    ]


def _audit_export_rows(qs: QuerySet[AuditEvent]) -> Iterator[list[object]]:
    for event in qs.iterator(chunk_size=2000):
        yield [
            event.occurred_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.username if event.actor else "",
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.source,
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else "",
            json.dumps(event.extra, ensure_ascii=False, sort_keys=True) if event.extra else "",
            audit_event_ip(event),
        ]


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@transaction.atomic
def _audit_export_record(*, actor: User, fmt: str, filters: AuditFilters, rows: int) -> None:
    audit_log(
        actor=actor,
        action="audit.export",
        object_type=AuditEvent._meta.label_lower,
        extra={
            "format": fmt,
            "rows": rows,
            **{f"filter_{key}": value for key, value in filters.as_dict().items()},
        },
    )


def audit_log_export(*, actor: User, filters: AuditFilters, fmt: str, stream: BinaryIO) -> int:
    """Write the filtered audit log (newest first) as CSV or XLSX to ``stream``.

    Rows are read with ``.iterator()`` and written one at a time; cells are made safe against
    formula injection (``core.exports``). The export itself is recorded as ``audit.export``
    with the filters and the number of rows, once the file is complete. Returns the number
    of rows.

    Only that record is written in a transaction (``_audit_export_record``): reading up to
    100,000 rows inside one would hold SQLite's write lock (IMMEDIATE transactions) for the
    whole export and stall every other writer.

    Raises:
        ApplicationError: unknown format, or more than ``AUDIT_EXPORT_MAX_ROWS`` rows match.
    """
    if fmt not in AUDIT_EXPORT_FORMATS:
        raise ApplicationError(_("Format ekspor tidak dikenal."), code="export_format")
    limit = AUDIT_EXPORT_MAX_ROWS
    qs = audit_event_list(filters=filters)
    total = qs.count()
    if total > limit:
        raise ApplicationError(
            _(
                "%(total)s catatan cocok; ekspor paling banyak %(max)s. "
                "Persempit saringan, misalnya rentang tanggal."
            )
            % {"total": _thousands(total), "max": _thousands(limit)},
            code="export_too_large",
        )
    rows = _audit_export_rows(qs[:limit])
    header = _audit_export_header()
    if fmt == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        count = write_csv(rows, header, text)
        text.flush()
        text.detach()
    else:
        count = write_xlsx(rows, header, stream, sheet_title=_("Catatan audit"))
    _audit_export_record(actor=actor, fmt=fmt, filters=filters, rows=count)
    return count


# --- Own account ("Akun saya"): password, API tokens, two-factor sign-in (TOTP) -------------
#
# Every signed-in user manages their own password and API tokens; TOTP is offered to the
# roles that handle the most personal data (admin, dinas). The TOTP secret and recovery codes
# never reach the audit log; recovery codes are stored as SHA-256 only.

TOKEN_VALIDITY_DAYS: tuple[int, ...] = (30, 90, 365)
TOTP_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.DINAS})
TOTP_WRONG_CODE = gettext_noop(
    "Kode salah atau sudah kedaluwarsa. Periksa jam ponsel dan coba kode berikutnya."
)


@transaction.atomic
def user_password_change(*, user: User, password: str, request: HttpRequest | None = None) -> User:
    """Set a signed-in user's new password (the form has checked the old one).

    Other sessions of the user end (their session hash no longer matches); the view keeps the
    current one with ``update_session_auth_hash``.

    Raises:
        ValidationError: the password does not meet the password policy.
    """
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log(actor=user, action="user.password_change", instance=user, request=request)
    return user


def api_token_list_own(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get_own(*, user: User, token_id: int) -> ApiToken | None:
    """One of the user's own tokens; ``None`` for someone else's token and an unknown id."""
    return ApiToken.objects.filter(pk=token_id, user=user).first()


def totp_available(*, user: User) -> bool:
    """Whether the user's role may turn on two-factor sign-in."""
    return getattr(user, "role", None) in TOTP_ROLES


def totp_device_get(*, user: User) -> TotpDevice | None:
    """The user's TOTP device, pending or active."""
    return TotpDevice.objects.filter(user=user).first()


def totp_is_active(*, user: User) -> bool:
    """Whether signing in needs a code after the password."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_recovery_codes_left(*, user: User) -> int:
    return TotpRecoveryCode.objects.filter(
        device__user=user, device__confirmed_at__isnull=False, used_at__isnull=True
    ).count()


def _totp_require_role(user: User) -> None:
    if not totp_available(user=user):
        raise PermissionDenied


def _totp_device_locked(user: User) -> TotpDevice | None:
    return TotpDevice.objects.select_for_update().filter(user=user).first()


@transaction.atomic
def totp_enrol_start(*, user: User, request: HttpRequest | None = None) -> TotpDevice:
    """A new pending TOTP secret for the user (replacing an earlier pending one).

    Raises:
        PermissionDenied: the user's role does not offer two-factor sign-in.
        ApplicationError: two-factor sign-in is already on.
    """
    _totp_require_role(user)
    device = _totp_device_locked(user)
    if device is not None and device.is_active:
        raise ApplicationError(_("Verifikasi dua langkah sudah aktif."), code="totp_already_active")
    if device is None:
        device = TotpDevice(user=user)
    device.secret = twofactor.new_secret()
    device.last_used_step = None
    device.save()
    audit_log(actor=user, action="user.totp_enrol_start", instance=user, request=request)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Turn two-factor sign-in on with a current code; returns the recovery codes.

    The recovery codes are returned once, to be shown once; only their SHA-256 is stored.

    Raises:
        PermissionDenied: the user's role does not offer two-factor sign-in.
        ApplicationError: nothing pending (or already on), or the code is wrong.
    """
    _totp_require_role(user)
    device = _totp_device_locked(user)
    if device is None or device.is_active:
        raise ApplicationError(
            _("Tidak ada pendaftaran yang menunggu konfirmasi. Mulai lagi dari halaman Akun saya."),
            code="totp_not_pending",
        )
    step = twofactor.matching_step(device.secret, code)
    if step is None:
        raise ApplicationError(_(TOTP_WRONG_CODE), code="totp_wrong_code")
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    codes = twofactor.new_recovery_codes()
    TotpRecoveryCode.objects.bulk_create(
        TotpRecoveryCode(device=device, code_hash=twofactor.hash_recovery_code(raw))
        for raw in codes
    )
    audit_log(
        actor=user,
        action="user.totp_enable",
        instance=user,
        extra={"recovery_codes": len(codes)},
        request=request,
    )
    return codes


def _totp_spend(device: TotpDevice, code: str, request: HttpRequest | None) -> bool:
    """Accept ``code`` for an active, locked device: a TOTP code not used before, or an
    unused recovery code (then spent and audited). Call inside a transaction."""
    step = twofactor.matching_step(device.secret, code, after_step=device.last_used_step)
    if step is not None:
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    if not twofactor.looks_like_recovery_code(code):
        return False
    spent = TotpRecoveryCode.objects.filter(
        device=device, code_hash=twofactor.hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not spent:
        return False
    left = TotpRecoveryCode.objects.filter(device=device, used_at__isnull=True).count()
    audit_log(
        actor=device.user,
        action="user.totp_recovery_used",
        instance=device.user,
        extra={"recovery_codes_left": left},
        request=request,
    )
    return True


@transaction.atomic
def totp_login_verify(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Check the second step of a sign-in; a wrong code is audited as ``auth.totp_failed``.

    Raises:
        ApplicationError: the user has no active two-factor sign-in (any more).
    """
    device = (
        TotpDevice.objects.select_for_update()
        .select_related("user")
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        raise ApplicationError(
            _("Verifikasi dua langkah tidak aktif untuk akun ini."), code="totp_inactive"
        )
    if _totp_spend(device, code, request):
        return True
    # A wrong code counts as a failed sign-in for django-axes too: together with wrong
    # passwords, five per username and address lock the account for a while, so knowing the
    # password does not buy unlimited code guesses.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    audit_log(
        actor=None,
        action="auth.totp_failed",
        object_type=User._meta.label_lower,
        object_id=str(user.pk),
        extra={"username": user.get_username()[:150]},
        request=request,
    )
    return False


@transaction.atomic
def totp_disable(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Turn two-factor sign-in off with a current code (or a recovery code).

    Raises:
        ApplicationError: it is not on, or the code is wrong.
    """
    device = _totp_device_locked(user)
    if device is None or not device.is_active:
        raise ApplicationError(
            _("Verifikasi dua langkah tidak aktif untuk akun ini."), code="totp_inactive"
        )
    if not _totp_spend(device, code, request):
        raise ApplicationError(_(TOTP_WRONG_CODE), code="totp_wrong_code")
    device.delete()
    audit_log(actor=user, action="user.totp_disable", instance=user, request=request)


@transaction.atomic
def totp_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> bool:
    """An admin switches off a user's two-factor sign-in (lost phone and recovery codes).

    Returns whether there was anything to switch off.
    """
    deleted, _by_model = TotpDevice.objects.filter(user=user).delete()
    if deleted:
        audit_log(actor=actor, action="user.totp_reset", instance=user, request=request)
    return bool(deleted)
