"""Programmes, their cycles, applications, selection runs, enrolment and the aid ledger.

The selection itself is a pure function (``programs.allocation``); a ``SelectionRun`` stores
everything it was given (candidates, parameters, seed) and what it answered, so anyone can run it
again and get the same list. Capacity is guarded by the database: an enrolment holds a numbered
seat, unique per cycle, that must lie within the cycle's capacity (ADR 0014).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class ProgrammeKind(models.TextChoices):
    PELATIHAN = "pelatihan", _("Pelatihan")
    KEMASAN = "kemasan", _("Bantuan kemasan (termasuk cetak full colour)")
    HALAL = "halal", _("Fasilitasi sertifikat halal self-declare")
    RITEL = "ritel", _("Kurasi ritel modern")
    ECOMMERCE = "ecommerce", _("Onboarding e-commerce")
    AFFILIATE = "affiliate", _("Program afiliasi")
    LAINNYA = "lainnya", _("Lainnya")


class Organiser(models.TextChoices):
    DINAS = "dinas", _("Diskopukmperindag")
    HIPMIKINDO = "hipmikindo", _("Hipmikindo")
    MITRA = "mitra", _("Mitra")


class Programme(BaseModel):
    """A kind of help the office or the association gives, run in cycles (angkatan)."""

    name = models.CharField(_("nama program"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=16, choices=ProgrammeKind.choices)
    organiser = models.CharField(_("penyelenggara"), max_length=16, choices=Organiser.choices)
    partner_name = models.CharField(_("nama mitra"), max_length=150, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ProgrammeKind]), name="programme_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(organiser__in=[o.value for o in Organiser]),
                name="programme_organiser_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Persiapan")
    OPEN = "open", _("Pendaftaran dibuka")
    PUBLISHED = "published", _("Daftar pendaftar ditetapkan")
    SELECTED = "selected", _("Seleksi selesai")
    DONE = "done", _("Selesai")


class Cycle(BaseModel):
    """One run of a programme (angkatan): dates, seats, value per seat, rules and quotas."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("nama angkatan"), max_length=150)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    applications_close_on = models.DateField(_("pendaftaran ditutup"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("kuota peserta"))
    unit_value = models.BigIntegerField(
        _("nilai per peserta (Rp)"),
        default=0,
        help_text=_("Nilai bantuan atau biaya pelatihan per peserta, untuk buku bantuan."),
    )
    sectors = models.ManyToManyField(
        "registry.Sector", blank=True, related_name="+", verbose_name=_("fokus sektor")
    )
    location = models.CharField(_("tempat"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    # Eligibility as data: a list of rules (``programs.eligibility.Rule.as_dict``), all must pass.
    rules = models.JSONField(_("syarat"), default=list, blank=True)
    # Selection parameters: kecamatan minimum, optional sector shares ({code: percent}) and the
    # weights of the officer's need and readiness scores in the priority score.
    min_per_kecamatan = models.PositiveSmallIntegerField(_("minimal per kecamatan"), default=0)
    sector_shares = models.JSONField(_("porsi sektor (%)"), default=dict, blank=True)
    need_weight = models.PositiveSmallIntegerField(_("bobot kebutuhan"), default=1)
    readiness_weight = models.PositiveSmallIntegerField(_("bobot kesiapan"), default=1)
    # Published before the draw: the applicant list's fingerprint and the seed derived from it.
    fingerprint = models.CharField(max_length=64, blank=True)
    seed = models.CharField(_("benih undian"), max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("angkatan program")
        verbose_name_plural = _("angkatan program")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cycle_capacity_positive"),
            models.CheckConstraint(condition=Q(unit_value__gte=0), name="cycle_value_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CycleStatus]), name="cycle_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programs:cycle_detail", args=[self.pk])


class Session(BaseModel):
    """One meeting of a cycle (sesi), for attendance."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("sesi ke"))
    title = models.CharField(_("materi"), max_length=150)
    held_on = models.DateField(_("tanggal"))
    location = models.CharField(_("tempat"), max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="session_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ApplicationChannel(models.TextChoices):
    OFFICER = "officer", _("Dinominasikan petugas")
    OWNER = "owner", _("Mendaftar sendiri")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu seleksi")
    SELECTED = "selected", _("Terpilih")
    WAITLISTED = "waitlisted", _("Cadangan")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
    NOT_SELECTED = "not_selected", _("Tidak terpilih")
    WITHDRAWN = "withdrawn", _("Mundur")


class Application(BaseModel):
    """A business put forward for a cycle; at most one per business and cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="applications")
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="applications"
    )
    channel = models.CharField(_("jalur"), max_length=16, choices=ApplicationChannel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    need_score = models.PositiveSmallIntegerField(_("skor kebutuhan (0-5)"), default=0)
    readiness_score = models.PositiveSmallIntegerField(_("skor kesiapan (0-5)"), default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    # The decision of the applied selection run (or of an officer's override).
    position = models.PositiveIntegerField(_("urutan"), null=True, blank=True)
    reason = models.JSONField(_("alasan"), default=dict, blank=True)
    overridden = models.BooleanField(_("diubah petugas"), default=False)
    withdrawn_reason = models.CharField(_("alasan mundur"), max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("pendaftaran program")
        verbose_name_plural = _("pendaftaran program")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "business"], name="application_one_per_business_and_cycle"
            ),
            models.CheckConstraint(
                condition=Q(need_score__lte=5) & Q(readiness_score__lte=5),
                name="application_scores_0_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ApplicationStatus]),
                name="application_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} → {self.cycle}"


class SelectionRun(BaseModel):
    """One draw: its parameters, seed, input (as the allocator saw it) and result."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveSmallIntegerField(_("seleksi ke"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.CharField(_("benih undian"), max_length=64)
    fingerprint = models.CharField(_("sidik daftar pendaftar"), max_length=64)
    parameters = models.JSONField(_("parameter"))
    candidates = models.JSONField(_("masukan"))
    register_counts = models.JSONField(_("usaha memenuhi syarat di register"))
    result = models.JSONField(_("hasil"))
    result_digest = models.CharField(max_length=64)

    class Meta(BaseModel.Meta):
        verbose_name = _("seleksi")
        verbose_name_plural = _("seleksi")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="selection_run_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.number}"


class Override(BaseModel):
    """An officer changing a selection decision, with the written reason reports show."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="overrides")
    run = models.ForeignKey(
        SelectionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="overrides"
    )
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    reason = models.TextField(_("alasan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("perubahan keputusan")
        verbose_name_plural = _("perubahan keputusan")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_reason_required"),
        ]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Terdaftar")
    COMPLETED = "completed", _("Selesai")
    DROPPED = "dropped", _("Tidak selesai")
    WITHDRAWN = "withdrawn", _("Mundur")


# Statuses that hold a seat; a withdrawn enrolment gives its seat back.
SEAT_HOLDING = [
    EnrolmentStatus.ENROLLED.value,
    EnrolmentStatus.COMPLETED.value,
    EnrolmentStatus.DROPPED.value,
]


class Enrolment(BaseModel):
    """A selected business taking one numbered seat of a cycle.

    The database refuses a seat number twice in one cycle and a seat beyond ``seat_limit`` (the
    cycle's capacity, copied under the cycle's row lock): two officers enrolling at the same moment
    cannot exceed the capacity whatever the code above does.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="enrolments")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="enrolment"
    )
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="enrolments"
    )
    seat = models.PositiveIntegerField(_("kursi"))
    seat_limit = models.PositiveIntegerField()
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    status_reason = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["cycle", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "seat"],
                condition=Q(status__in=SEAT_HOLDING),
                name="enrolment_seat_unique_in_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "business"],
                condition=Q(status__in=SEAT_HOLDING),
                name="enrolment_business_once_in_cycle",
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1) & Q(seat__lte=models.F("seat_limit")),
                name="enrolment_seat_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in EnrolmentStatus]),
                name="enrolment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} ({self.cycle}, {self.seat})"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("hadir"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}: {'hadir' if self.present else 'absen'}"


class OutcomeKind(models.TextChoices):
    PACKAGING = "packaging", _("Kemasan baru")
    HALAL = "halal", _("Sertifikat halal terbit")
    RETAIL = "retail", _("Masuk Indomaret/Alfamart/ritel modern")
    ONLINE = "online", _("Toko online dibuka")
    OMZET = "omzet", _("Perubahan omzet")
    OTHER = "other", _("Lainnya")


class Outcome(BaseModel):
    """What changed for a participant, seen at follow-up."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("hasil"), max_length=16, choices=OutcomeKind.choices)
    observed_on = models.DateField(_("tanggal pemantauan"))
    detail = models.CharField(_("keterangan"), max_length=255, blank=True)
    omzet_before = models.BigIntegerField(_("omzet sebulan sebelum (Rp)"), null=True, blank=True)
    omzet_after = models.BigIntegerField(_("omzet sebulan sesudah (Rp)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("hasil program")
        verbose_name_plural = _("hasil program")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OutcomeKind]), name="outcome_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(omzet_before__isnull=True) | Q(omzet_before__gte=0))
                & (Q(omzet_after__isnull=True) | Q(omzet_after__gte=0)),
                name="outcome_omzet_not_negative",
            ),
        ]


class AidRecord(BaseModel):
    """One benefit a business received (the aid ledger): from a completed enrolment, or recorded
    by hand for help given before naikkelas or by another office."""

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="aid_records"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=ProgrammeKind.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="aid_records"
    )
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.PROTECT, related_name="aid_records"
    )
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="aid_record"
    )
    description = models.CharField(_("uraian"), max_length=255)
    provider = models.CharField(_("pemberi"), max_length=150, blank=True)
    value = models.BigIntegerField(_("nilai (Rp)"), default=0)
    received_on = models.DateField(_("tanggal diterima"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("catatan bantuan")
        verbose_name_plural = _("buku bantuan")
        ordering = ["-received_on", "id"]
        indexes = [models.Index(fields=["business", "received_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="aid_value_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ProgrammeKind]), name="aid_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.received_on})"
