"""The register: businesses, their owners, yearly figures, permits, channels, membership."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel
from naikkelas.registry.classification import Basis, SizeClass

# Enables ``field__length`` in the check constraints below.
models.CharField.register_lookup(Length)

kbli_validator = RegexValidator(r"^\d{5}$", _("Kode KBLI 2020 terdiri dari 5 digit angka."))


class Sector(models.Model):
    """A broad sector used by the office (fesyen, kriya, kuliner, ...), with example KBLI codes."""

    code = models.SlugField(_("kode"), max_length=32, primary_key=True)
    name = models.CharField(_("nama"), max_length=64)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    kbli_codes = models.JSONField(_("contoh kode KBLI 2020"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("sektor")
        verbose_name_plural = _("sektor")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    MANUAL = "manual", _("Input petugas")
    IMPORT = "import", _("Impor berkas")
    ODK = "odk", _("ODK Collect")
    SELF = "self", _("Daftar mandiri")
    API = "api", _("API")
    DEMO = "demo", _("Data demo (sintetis)")


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Owner(BaseModel):
    """A person who owns one or more businesses. Holds personal data (UU 27/2022)."""

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("alamat rumah"), max_length=255, blank=True)
    data_warnings = models.JSONField(_("peringatan data"), default=list, blank=True)
    source = models.CharField(_("sumber"), max_length=16, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # The owner's own sign-in (pelaku UMKM), after an officer's invitation.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owner_profile",
    )
    # Set when a deletion request was honoured: personal fields are blanked, the row stays
    # so that statistics and the audit trail remain (UU 27/2022).
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("pemilik")
        verbose_name_plural = _("pemilik")
        # A plain index too: lookups by NIK (imports, linkage) must not depend on the
        # planner proving the partial unique index's condition.
        indexes = [
            models.Index(fields=["nik"], name="owner_nik_idx"),
            # changes since a moment (the linkage index sync)
            models.Index(fields=["updated_at"], name="owner_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"],
                condition=Q(nik__isnull=False, merged_into__isnull=True),
                name="owner_nik_unique_when_active",
            ),
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__length=16), name="owner_nik_16_digits"
            ),
            models.CheckConstraint(condition=Q(sex__in=["", "L", "P"]), name="owner_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name


class LegalForm(models.TextChoices):
    PERORANGAN = "PERORANGAN", _("Perorangan")
    UD = "UD", _("UD (Usaha Dagang)")
    CV = "CV", _("CV")
    PT_PERORANGAN = "PT_PERORANGAN", _("PT Perorangan")
    PT = "PT", _("PT")
    KOPERASI = "KOPERASI", _("Koperasi")
    FIRMA = "FIRMA", _("Firma")
    LAINNYA = "LAINNYA", _("Lainnya")


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CLOSED = "closed", _("Tutup")
    MERGED = "merged", _("Digabung")


class Business(BaseModel):
    """One business (usaha) in the register."""

    name = models.CharField(_("nama usaha"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    legal_form = models.CharField(
        _("bentuk usaha"), max_length=16, choices=LegalForm.choices, default=LegalForm.PERORANGAN
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sektor"), on_delete=models.PROTECT, related_name="businesses"
    )
    kbli_code = models.CharField(
        _("kode KBLI"), max_length=5, blank=True, validators=[kbli_validator]
    )
    products = models.CharField(_("produk/jasa utama"), max_length=255, blank=True)
    owners: models.ManyToManyField[Owner, BusinessOwner] = models.ManyToManyField(
        Owner, through="BusinessOwner", related_name="businesses", verbose_name=_("pemilik")
    )
    # Location: kecamatan is denormalised from the desa/kelurahan for fast filtering.
    kecamatan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    desa_kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("alamat usaha"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("telepon usaha"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email usaha"), blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("tahun berdiri"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)
    nib_issued_on = models.DateField(_("tanggal terbit NIB"), null=True, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    # Latest known size class (from the most recent yearly figures).
    size_class = models.CharField(
        _("kelas usaha"), max_length=10, choices=[(c.value, c.value) for c in SizeClass], blank=True
    )
    size_class_year = models.PositiveSmallIntegerField(_("tahun kelas"), null=True, blank=True)
    is_binaan = models.BooleanField(_("UMKM binaan"), default=False, db_index=True)
    binaan_since = models.DateField(_("binaan sejak"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BusinessStatus.choices,
        default=BusinessStatus.ACTIVE,
        db_index=True,
    )
    closed_on = models.DateField(_("tanggal tutup"), null=True, blank=True)
    closed_reason = models.CharField(_("alasan tutup"), max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    source = models.CharField(_("sumber"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("rujukan sumber"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("usaha")
        verbose_name_plural = _("usaha")
        indexes = [
            models.Index(fields=["status", "kecamatan"], name="business_status_kec_idx"),
            models.Index(fields=["status", "sector"], name="business_status_sector_idx"),
            models.Index(fields=["desa_kelurahan"], name="business_kelurahan_idx"),
            models.Index(fields=["nib"], name="business_nib_idx"),
            models.Index(fields=["updated_at"], name="business_updated_idx"),
            # the register list's order: a page is an index range scan (keyset pagination)
            models.Index(fields=["status", "name_key", "id"], name="business_status_name_idx"),
            models.Index(fields=["status", "size_class"], name="business_status_size_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"],
                condition=Q(nib__isnull=False) & ~Q(status="merged"),
                name="business_nib_unique_unless_merged",
            ),
            models.CheckConstraint(
                condition=Q(nib__isnull=True) | Q(nib__length=13), name="business_nib_13_digits"
            ),
            models.CheckConstraint(
                condition=Q(npwp="") | Q(npwp__length=16), name="business_npwp_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(kbli_code="") | Q(kbli_code__length=5), name="business_kbli_5_digits"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-11.5,
                    latitude__lte=6.5,
                    longitude__gte=94.5,
                    longitude__lte=141.5,
                ),
                name="business_gps_pair_in_indonesia",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "closed", "merged"]),
                name="business_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="business_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="business_target_only_when_merged",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="business_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(binaan_since__isnull=True) | Q(is_binaan=True),
                name="business_binaan_since_needs_binaan",
            ),
            models.CheckConstraint(
                condition=Q(size_class__in=["", *[c.value for c in SizeClass]]),
                name="business_size_class_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:business_detail", args=[self.pk])


class OwnerRole(models.TextChoices):
    PEMILIK = "pemilik", _("Pemilik")
    PEMILIK_BERSAMA = "pemilik_bersama", _("Pemilik bersama")


class BusinessOwner(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="ownerships")
    role = models.CharField(_("peran"), max_length=16, choices=OwnerRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["business", "-role", "created_at"]
        verbose_name = _("kepemilikan")
        verbose_name_plural = _("kepemilikan")
        indexes = [models.Index(fields=["created_at"], name="business_owner_created_idx")]
        constraints = [
            models.UniqueConstraint(fields=["business", "owner"], name="business_owner_once"),
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(role="pemilik"),
                name="business_one_main_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.business}"


class YearlyFigure(models.Model):
    """Omzet, modal (excluding land and buildings) and workers of one year, with its class."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("tahun"))
    omzet = models.BigIntegerField(_("omzet setahun (Rp)"), null=True, blank=True)
    modal = models.BigIntegerField(
        _("modal usaha (Rp, tanpa tanah dan bangunan)"), null=True, blank=True
    )
    workers = models.PositiveIntegerField(_("jumlah tenaga kerja"), null=True, blank=True)
    size_class = models.CharField(
        _("kelas usaha"), max_length=10, choices=[(c.value, c.value) for c in SizeClass], blank=True
    )
    size_class_basis = models.CharField(
        _("dasar kelas"), max_length=5, choices=[(b.value, b.value) for b in Basis], blank=True
    )
    rule_id = models.CharField(_("aturan"), max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["business", "-year"]
        verbose_name = _("data tahunan")
        verbose_name_plural = _("data tahunan")
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="figure_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="figure_year_range"
            ),
            models.CheckConstraint(
                condition=Q(omzet__isnull=True) | Q(omzet__gte=0), name="figure_omzet_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(modal__isnull=True) | Q(modal__gte=0), name="figure_modal_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(omzet__isnull=False)
                | Q(modal__isnull=False)
                | Q(workers__isnull=False),
                name="figure_has_some_value",
            ),
            models.CheckConstraint(
                condition=(Q(size_class="") & Q(size_class_basis=""))
                | (~Q(size_class="") & ~Q(size_class_basis="")),
                name="figure_class_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.year}"


class PermitKind(models.TextChoices):
    SPP_IRT = "SPP_IRT", _("SPP-IRT (P-IRT)")
    BPOM_MD = "BPOM_MD", _("BPOM MD")
    HALAL = "HALAL", _("Sertifikat halal")
    SNI = "SNI", _("SNI")
    MEREK = "MEREK", _("Merek (HKI)")


class Permit(BaseModel):
    """A permit or certificate held by a business (NIB itself is on the business)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("jenis"), max_length=8, choices=PermitKind.choices)
    number = models.CharField(_("nomor"), max_length=64)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    detail = models.CharField(_("keterangan"), max_length=128, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("izin/sertifikat")
        verbose_name_plural = _("izin/sertifikat")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "number"], name="permit_once_per_business"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in PermitKind]), name="permit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="permit_expires_after_issue",
            ),
            models.CheckConstraint(condition=~Q(number=""), name="permit_number_required"),
        ]
        indexes = [models.Index(fields=["kind", "business"], name="permit_kind_business_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ChannelKind(models.TextChoices):
    RITEL_MODERN = "RITEL_MODERN", _("Ritel modern")
    MARKETPLACE = "MARKETPLACE", _("Marketplace / e-commerce")
    MEDIA_SOSIAL = "MEDIA_SOSIAL", _("Media sosial")
    AFILIASI = "AFILIASI", _("Program afiliasi")
    PASAR_TRADISIONAL = "PASAR_TRADISIONAL", _("Pasar tradisional")
    OFFLINE = "OFFLINE", _("Toko/lapak sendiri")


class MarketChannel(BaseModel):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("jenis"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("nama"), max_length=100)
    url = models.URLField(_("tautan"), blank=True)
    since = models.DateField(_("sejak"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("saluran pasar")
        verbose_name_plural = _("saluran pasar")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "name"], name="channel_once_per_business"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ChannelKind]), name="channel_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class MembershipStatus(models.TextChoices):
    CALON = "calon", _("Calon anggota")
    AKTIF = "aktif", _("Aktif")
    TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")


class Membership(BaseModel):
    """Hipmikindo membership of a business."""

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="membership")
    number = models.CharField(_("nomor anggota"), max_length=32, blank=True)
    since = models.DateField(_("anggota sejak"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.AKTIF
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("keanggotaan Hipmikindo")
        verbose_name_plural = _("keanggotaan Hipmikindo")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="membership_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MembershipStatus]),
                name="membership_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(self.business)


class BusinessAssignment(models.Model):
    """A business an officer handed to an enumerator (for a visit or verification)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["business", "user"]
        verbose_name = _("penugasan usaha")
        verbose_name_plural = _("penugasan usaha")
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="business_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.business} → {self.user}"
