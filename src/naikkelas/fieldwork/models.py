"""Field collection: published forms, submissions from ODK Collect/KoboCollect, their
attachments, what was refused, and the enumerators' device keys.

A submission's XML is stored verbatim before anything else happens (KoboToolbox's lesson:
what arrived must survive whatever the processing does). Submissions hold personal data
(NIK, phone, address, photos) as sensitive as ``registry.Owner``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class FormVersion(BaseModel):
    """One published version of a form: the exact XForm bytes Collect downloads (their MD5
    is the form's identity on the phone) and the XLSForm data it came from."""

    form_id = models.CharField(_("ID formulir"), max_length=100)
    version = models.CharField(_("versi"), max_length=50)
    title = models.CharField(_("judul"), max_length=200)
    xml = models.TextField()
    md5 = models.CharField(max_length=32)
    definition = models.JSONField(default=dict)  # the XLSForm sheets (rows), for the record
    is_current = models.BooleanField(_("versi aktif"), default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("versi formulir")
        verbose_name_plural = _("versi formulir")
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="form_version_once"),
            models.UniqueConstraint(
                fields=["form_id"], condition=Q(is_current=True), name="form_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}"


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")  # stored; parts may still come (split POST)
    COMPLETE = "complete", _("Lengkap")  # every part arrived; waiting for the register
    PROCESSED = "processed", _("Diproses")  # went through intake validation and linkage
    SUPERSEDED = "superseded", _("Diganti versi suntingan")  # a later edit replaced it


class Submission(BaseModel):
    """One filled form, keyed by (form, instanceID): retries and split POSTs of the same
    instance land here and nowhere else (a database constraint, under a row lock)."""

    form_id = models.CharField(max_length=100)
    form_version = models.ForeignKey(
        FormVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.CharField(max_length=50, blank=True)  # as the XML states it
    instance_id = models.CharField(max_length=100)
    deprecated_id = models.CharField(max_length=100, blank=True)  # the instance this edits
    xml = models.TextField()  # verbatim, as received
    xml_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.RECEIVED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device_id = models.CharField(max_length=100, blank=True)
    posts = models.PositiveIntegerField(default=1)  # POST requests that carried it
    # the kelurahan code the form names (campaign progress per kelurahan), and its GPS point
    kelurahan = models.CharField(max_length=13, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    # its row in the day's import batch (the intake pipeline decides its fate there)
    import_row = models.OneToOneField(
        "intake.ImportRow", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("kiriman formulir")
        verbose_name_plural = _("kiriman formulir")
        constraints = [
            models.UniqueConstraint(fields=["form_id", "instance_id"], name="submission_once"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="submission_status_idx")]

    def __str__(self) -> str:
        return f"{self.form_id} {self.instance_id}"


class Attachment(BaseModel):
    """A file of a submission (photo), stored once by name: a re-sent file with the same
    name and content changes nothing."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="submissions/%Y/%m/")
    # the business the submission became or was linked to; a merge moves the photos along
    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_photos",
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="attachment_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RejectionReason(models.TextChoices):
    CONFLICT = "conflict", _("instanceID sama, isi berbeda")
    MALFORMED = "malformed", _("XML rusak atau tidak aman")
    UNKNOWN_FORM = "unknown_form", _("Formulir tidak dikenal")
    NO_INSTANCE_ID = "no_instance_id", _("Tanpa instanceID")
    BAD_REQUEST = "bad_request", _("Permintaan tidak lengkap")
    ATTACHMENT = "attachment", _("Lampiran ditolak")


class RejectedSubmission(BaseModel):
    """What the server refused, kept with its reason (nothing sent is lost): a conflicting
    re-send of an instance, broken or hostile XML, a form nobody published, a refused file.
    An officer can look at it, and a fixed copy can be submitted again."""

    reason = models.CharField(max_length=20, choices=RejectionReason.choices)
    detail = models.TextField(blank=True)
    form_id = models.CharField(max_length=100, blank=True)
    instance_id = models.CharField(max_length=100, blank=True)
    body = models.BinaryField()  # the XML part (or what came instead), up to the size cap
    body_sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device_id = models.CharField(max_length=100, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("kiriman ditolak")
        verbose_name_plural = _("kiriman ditolak")

    def __str__(self) -> str:
        return f"{self.reason} {self.instance_id}"


class DeviceKey(BaseModel):
    """An enumerator's secret for Collect: the server URL ``/odk/c/<key>/`` carries it
    (set up on the phone by a QR code). Only its hash is stored; a new key revokes the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_keys"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # shown to tell keys apart
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("kunci perangkat ODK")
        verbose_name_plural = _("kunci perangkat ODK")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="device_key_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class SelfRegistrationStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima, menunggu diperiksa")
    KNOWN = "known", _("Sudah terdaftar; petugas akan menghubungi")
    PROCESSED = "processed", _("Sudah diproses")


class SelfRegistration(BaseModel):
    """An owner's own registration from the public page, kept verbatim with the code they
    track it by. Like a submission, it becomes a row of the day's import batch (source
    "mandiri") unless the owner is already in the register."""

    tracking_code = models.CharField(_("kode pelacakan"), max_length=12, unique=True)
    data = models.JSONField()  # the form's fields as typed
    status = models.CharField(
        max_length=10,
        choices=SelfRegistrationStatus.choices,
        default=SelfRegistrationStatus.RECEIVED,
    )
    consent_text = models.TextField()  # the consent the person agreed to, word for word
    client_hash = models.CharField(max_length=64, db_index=True)  # keyed hash of the IP
    import_row = models.OneToOneField(
        "intake.ImportRow", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("pendaftaran mandiri")
        verbose_name_plural = _("pendaftaran mandiri")

    def __str__(self) -> str:
        return self.tracking_code


class KelurahanTarget(models.Model):
    """An officer's target of businesses to register in one kelurahan (campaign); without
    one, the city's estimate spread by the register's distribution applies."""

    region = models.OneToOneField(
        "regions.Region", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.PositiveIntegerField(_("target"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("target kelurahan")
        verbose_name_plural = _("target kelurahan")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.target}"
