"""Hipmikindo's membership, dues, board and events, built on the register (ADR 0019).

A member is a business of the register (and, through it, its owner): never a second copy of
either. ``registry.Membership`` keeps the register's simple flag (calon / aktif / tidak aktif,
number, since) in step, so that the register's filters and the programmes' eligibility rules
keep working; this app owns the lifecycle behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.association.status import Status, Terms
from naikkelas.core.models import BaseModel


class MemberStatus(models.TextChoices):
    BARU = Status.BARU.value, _("Baru")
    AKTIF = Status.AKTIF.value, _("Aktif")
    MASA_TENGGANG = Status.MASA_TENGGANG.value, _("Masa tenggang")
    LEWAT = Status.LEWAT.value, _("Lewat")
    BERHENTI = Status.BERHENTI.value, _("Berhenti")


class MembershipType(models.Model):
    """Anggota biasa, anggota luar biasa, kehormatan ...: dues and time, set by the association."""

    code = models.SlugField(_("kode"), max_length=32, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    dues = models.PositiveBigIntegerField(
        _("iuran per periode (Rp)"), default=0, help_text=_("0: tanpa iuran (kehormatan).")
    )
    period_months = models.PositiveSmallIntegerField(_("lama periode (bulan)"), default=12)
    grace_days = models.PositiveSmallIntegerField(_("masa tenggang (hari)"), default=30)
    new_days = models.PositiveSmallIntegerField(_("disebut anggota baru (hari)"), default=90)
    number_prefix = models.CharField(_("awalan nomor anggota"), max_length=12, default="HPK")
    active = models.BooleanField(_("dipakai"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis keanggotaan")
        verbose_name_plural = _("jenis keanggotaan")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__gte=1) & Q(period_months__lte=60),
                name="membership_type_period_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def terms(self) -> Terms:
        return Terms(
            dues=self.dues,
            period_months=self.period_months,
            grace_days=self.grace_days,
            new_days=self.new_days,
        )


class Member(BaseModel):
    """A business's membership of the association."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.PROTECT, related_name="association_member"
    )
    type = models.ForeignKey(
        MembershipType, verbose_name=_("jenis"), on_delete=models.PROTECT, related_name="members"
    )
    number = models.CharField(_("nomor anggota"), max_length=32, unique=True)
    joined_on = models.DateField(_("tanggal bergabung"))
    paid_until = models.DateField(_("iuran lunas sampai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.BARU
    )
    status_since = models.DateField(_("status sejak"))
    override_status = models.CharField(
        _("status ditetapkan"), max_length=16, choices=MemberStatus.choices, blank=True
    )
    override_until = models.DateField(_("ditetapkan sampai"), null=True, blank=True)
    override_reason = models.CharField(_("alasan penetapan"), max_length=255, blank=True)
    ended_on = models.DateField(_("berhenti sejak"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berhenti"), max_length=255, blank=True)
    # a random, unguessable code printed as the card's QR (the public check shows status only)
    card_code = models.CharField(max_length=32, unique=True, editable=False)

    class Meta(BaseModel.Meta):
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        ordering = ["number"]
        indexes = [models.Index(fields=["status", "number"], name="member_status_number_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="member_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(override_status="") | ~Q(override_reason=""),
                name="member_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="member_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.business}"

    def get_absolute_url(self) -> str:
        return reverse("association:member_detail", args=[self.pk])


class MemberStatusChange(models.Model):
    """The history of a member's status: by the daily task, a payment, or an officer."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    changed_on = models.DateField()
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("perubahan status anggota")
        verbose_name_plural = _("perubahan status anggota")

    def __str__(self) -> str:
        return f"{self.changed_on} {self.old_status} -> {self.new_status}"


class MemberNumberSequence(models.Model):
    """The last serial issued per prefix and year (locked while a number is issued)."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="member_number_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ApplicationStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")


class ApplicationChannel(models.TextChoices):
    PORTAL = "portal", _("Portal pelaku UMKM")
    PETUGAS = "petugas", _("Dicatat petugas")


class MembershipApplication(BaseModel):
    """A request to join, from the owner portal or recorded by an officer; the secretary
    approves (a member is created) or refuses it with a reason."""

    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="membership_applications"
    )
    type = models.ForeignKey(MembershipType, verbose_name=_("jenis"), on_delete=models.PROTECT)
    channel = models.CharField(max_length=12, choices=ApplicationChannel.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DIAJUKAN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("alasan"), max_length=500, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("pengajuan keanggotaan")
        verbose_name_plural = _("pengajuan keanggotaan")
        constraints = [
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(status="diajukan"),
                name="membership_application_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(decision_reason=""),
                name="membership_application_refusal_reason",
            ),
        ]


class PaymentMethod(models.TextChoices):
    TUNAI = "tunai", _("Tunai")
    TRANSFER = "transfer", _("Transfer bank")


class DuesPayment(BaseModel):
    """Dues paid for one or more periods, with its receipt number; a mistake is voided with a
    reason (never deleted), and validity is recomputed from the payments that stand."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("tanggal bayar"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    periods = models.PositiveSmallIntegerField(_("jumlah periode"), default=1)
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode sampai"))
    method = models.CharField(_("cara bayar"), max_length=12, choices=PaymentMethod.choices)
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=40, unique=True)
    reference = models.CharField(_("referensi transfer"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("pembayaran iuran")
        verbose_name_plural = _("pembayaran iuran")
        ordering = ["-paid_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(periods__gte=1), name="dues_periods_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="dues_period_order"
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="dues_void_has_reason",
            ),
        ]


class BoardTerm(BaseModel):
    """A board's term of office (masa bakti), set by a decree (SK)."""

    name = models.CharField(_("nama"), max_length=120)
    sk_number = models.CharField(_("nomor SK"), max_length=100)
    sk_date = models.DateField(_("tanggal SK"))
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("berakhir"))

    class Meta(BaseModel.Meta):
        verbose_name = _("masa bakti pengurus")
        verbose_name_plural = _("masa bakti pengurus")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="board_term_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BoardPosition(BaseModel):
    """A seat on the board (ketua, sekretaris, bendahara, bidang ...) and who holds it."""

    term = models.ForeignKey(BoardTerm, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("jabatan"), max_length=100)
    holder_name = models.CharField(_("nama pemegang"), max_length=150)
    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_positions",
        verbose_name=_("usaha"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_positions",
        verbose_name=_("akun naikkelas"),
    )
    contact_phone = models.CharField(_("nomor HP untuk anggota"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail untuk anggota"), blank=True)
    approves_members = models.BooleanField(
        _("menyetujui anggota baru"),
        default=False,
        help_text=_("Sekretaris: menyetujui atau menolak pengajuan keanggotaan."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta(BaseModel.Meta):
        verbose_name = _("jabatan pengurus")
        verbose_name_plural = _("jabatan pengurus")
        ordering = ["term", "sort_order", "title"]


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum anggota")
    PELATIHAN = "pelatihan", _("Pelatihan")
    RAPAT = "rapat", _("Rapat")
    LAINNYA = "lainnya", _("Lainnya")


class AssociationEvent(BaseModel):
    """A forum, training or meeting the association organises."""

    kind = models.CharField(_("jenis"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    venue = models.CharField(_("tempat"), max_length=200)
    kecamatan = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    capacity = models.PositiveIntegerField(_("kapasitas"), null=True, blank=True)
    members_only = models.BooleanField(_("khusus anggota"), default=True)
    registration_open = models.BooleanField(_("pendaftaran dibuka"), default=True)
    # printed as the QR code participants scan (or officers scan) to record attendance
    checkin_code = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("kegiatan asosiasi")
        verbose_name_plural = _("kegiatan asosiasi")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_time_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("association:event_detail", args=[self.pk])


class RegistrationStatus(models.TextChoices):
    TERDAFTAR = "terdaftar", _("Terdaftar")
    BATAL = "batal", _("Dibatalkan")


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Pindai QR")
    DAFTAR = "daftar", _("Daftar hadir")


class EventRegistration(BaseModel):
    """A business registered for an event; attendance recorded by QR scan or from a list."""

    event = models.ForeignKey(
        AssociationEvent, on_delete=models.CASCADE, related_name="registrations"
    )
    business = models.ForeignKey(
        "registry.Business", on_delete=models.PROTECT, related_name="event_registrations"
    )
    status = models.CharField(
        max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.TERDAFTAR
    )
    attended_at = models.DateTimeField(null=True, blank=True)
    attendance_method = models.CharField(max_length=8, choices=AttendanceMethod.choices, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("pendaftaran kegiatan")
        verbose_name_plural = _("pendaftaran kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["event", "business"], name="event_registration_once"),
            models.CheckConstraint(
                condition=Q(attended_at__isnull=True) | ~Q(attendance_method=""),
                name="event_attendance_has_method",
            ),
        ]
