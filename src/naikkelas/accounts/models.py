from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    DINAS = "dinas", _("Petugas Dinas")
    HIPMIKINDO = "hipmikindo", _("Pengurus Hipmikindo")
    ENUMERATOR = "enumerator", _("Enumerator")
    PIMPINAN = "pimpinan", _("Pimpinan")
    OWNER = "owner", _("Pelaku UMKM")


class NaikkelasUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> User:
        """The first administrator (``naikkelas manage createsuperuser``, docs/install.md)
        gets the admin role, not the default dinas one."""
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Area scopes and fine-grained permissions build on ``role``."""

    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, default=Role.DINAS)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    objects: ClassVar[NaikkelasUserManager] = NaikkelasUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=64)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "nk_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        return _hash(key)


class AreaAssignment(models.Model):
    """A kecamatan or desa/kelurahan (Kemendagri code) a user works in (enumerators)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_assignments"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "region"]
        verbose_name = _("penugasan wilayah")
        verbose_name_plural = _("penugasan wilayah")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="area_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.region}"


class Invitation(models.Model):
    """A one-time link with which an invited person sets their password (hash stored only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"))
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class TotpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238): pending until confirmed with a current code.

    ``secret`` is the base32 shared secret; it is shown once during enrolment and never
    logged or written to the audit log. Encryption at rest is left to the host (see the
    operations issue), like the rest of the database. ``last_used_step`` is the 30-second
    time step of the last accepted code, so that no code is accepted twice (RFC 6238 §5.2).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("aktif sejak"), null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("perangkat verifikasi dua langkah")
        verbose_name_plural = _("perangkat verifikasi dua langkah")

    def __str__(self) -> str:
        return f"TOTP {self.user}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None


class TotpRecoveryCode(models.Model):
    """A single-use recovery code of a TOTP device; only its SHA-256 is stored."""

    device = models.ForeignKey(TotpDevice, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, editable=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.device} #{self.pk}"
