"""Products, their photos and packaging upgrades, retail and online listings, the storefront an
owner agreed to publish, and affiliates who promote local products."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import BaseModel


class PackagingStatus(models.TextChoices):
    POLOS = "polos", _("Polos / tanpa label")
    LABEL = "label", _("Label sederhana (stiker/sablon)")
    FULL_COLOUR = "full_colour", _("Cetak full colour")
    SIAP_RITEL = "siap_ritel", _("Siap ritel modern (label lengkap, barcode)")


class Product(BaseModel):
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="market_products"
    )
    name = models.CharField(_("nama produk"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    price = models.BigIntegerField(_("harga (Rp)"), null=True, blank=True)
    unit = models.CharField(
        _("satuan"), max_length=50, blank=True, help_text=_("mis. pcs, pak 100 g, botol 250 ml")
    )
    capacity = models.PositiveIntegerField(_("kapasitas produksi"), null=True, blank=True)
    capacity_unit = models.CharField(
        _("satuan kapasitas"), max_length=50, blank=True, help_text=_("mis. pak per bulan")
    )
    spp_irt_number = models.CharField(_("nomor P-IRT"), max_length=32, blank=True)
    bpom_md_number = models.CharField(_("nomor BPOM MD"), max_length=32, blank=True)
    halal_number = models.CharField(_("nomor sertifikat halal"), max_length=64, blank=True)
    halal_expires_on = models.DateField(_("halal berlaku sampai"), null=True, blank=True)
    barcode = models.CharField(_("barcode (GTIN/EAN)"), max_length=14, blank=True)
    packaging_status = models.CharField(
        _("status kemasan"),
        max_length=16,
        choices=PackagingStatus.choices,
        default=PackagingStatus.POLOS,
    )
    in_catalogue = models.BooleanField(_("tampil di katalog"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        indexes = [models.Index(fields=["business", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="product_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(packaging_status__in=[s.value for s in PackagingStatus]),
                name="product_packaging_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:product", args=[self.pk])


class PhotoKind(models.TextChoices):
    PRODUCT = "product", _("Foto produk")
    BEFORE = "before", _("Kemasan sebelum")
    AFTER = "after", _("Kemasan sesudah")


class ProductPhoto(BaseModel):
    """A validated image: re-encoded without metadata (no GPS), at most ``MAX_SIDE`` pixels,
    with a thumbnail; stored on the default storage (filesystem or S3-compatible)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("jenis"), max_length=8, choices=PhotoKind.choices)
    image = models.FileField(_("gambar"), upload_to="produk/%Y/%m/")
    thumbnail = models.FileField(upload_to="produk/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("keterangan"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in PhotoKind]), name="photo_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.kind})"


class PackagingUpgrade(BaseModel):
    """Packaging help a product received (e.g. full-colour printing), with before/after photos."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="upgrades")
    from_status = models.CharField(max_length=16, choices=PackagingStatus.choices)
    to_status = models.CharField(max_length=16, choices=PackagingStatus.choices)
    done_on = models.DateField(_("tanggal"))
    description = models.CharField(_("uraian"), max_length=255)
    cycle = models.ForeignKey(
        "programs.Cycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dari program"),
    )
    before_photo = models.ForeignKey(
        ProductPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    after_photo = models.ForeignKey(
        ProductPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("peningkatan kemasan")
        verbose_name_plural = _("peningkatan kemasan")

    def __str__(self) -> str:
        return f"{self.product}: {self.from_status} → {self.to_status}"


class ListingKind(models.TextChoices):
    RETAIL = "retail", _("Ritel modern")
    ONLINE = "online", _("E-commerce")


class Retailer(models.TextChoices):
    INDOMARET = "indomaret", "Indomaret"
    ALFAMART = "alfamart", "Alfamart"
    ALFAMIDI = "alfamidi", "Alfamidi"
    LAINNYA = "lainnya", _("Ritel lain")


class Platform(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    TIKTOK = "tiktok", "TikTok Shop"
    LAZADA = "lazada", "Lazada"
    BLIBLI = "blibli", "Blibli"
    LAINNYA = "lainnya", _("Lainnya")


class ListingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diajukan")
    CURATION = "curation", _("Dalam kurasi")
    LISTED = "listed", _("Terpajang / aktif")
    STOPPED = "stopped", _("Berhenti")


class Listing(BaseModel):
    """A business (or one of its products) in a modern retailer or on a marketplace."""

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="market_listings"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="listings"
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=ListingKind.choices)
    retailer = models.CharField(_("peritel"), max_length=16, choices=Retailer.choices, blank=True)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices, blank=True)
    other_name = models.CharField(_("nama (jika lainnya)"), max_length=100, blank=True)
    region = models.CharField(_("wilayah/toko"), max_length=150, blank=True)
    url = models.URLField(_("tautan toko"), blank=True)
    since = models.DateField(_("sejak"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.LISTED
    )
    notes = models.CharField(_("catatan kurasi"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("pemasaran")
        verbose_name_plural = _("pemasaran")
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="retail") & ~Q(retailer=""))
                | (Q(kind="online") & ~Q(platform="")),
                name="listing_names_its_channel",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ListingStatus]),
                name="listing_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.channel_name

    @property
    def channel_name(self) -> str:
        if self.kind == ListingKind.RETAIL:
            name = self.get_retailer_display()
        else:
            name = self.get_platform_display()
        return self.other_name or str(name)


class Storefront(BaseModel):
    """What an owner agreed to publish in the public catalogue (and nothing more)."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.CASCADE, related_name="storefront"
    )
    display_name = models.CharField(_("nama di katalog"), max_length=150)
    whatsapp = models.CharField(_("WhatsApp untuk pesanan"), max_length=20, blank=True)
    about = models.CharField(_("tentang usaha"), max_length=255, blank=True)
    published = models.BooleanField(_("tampil di katalog"), default=False)
    consent_at = models.DateTimeField(_("persetujuan tayang"), null=True, blank=True)
    consent_note = models.CharField(_("cara persetujuan"), max_length=150, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("etalase katalog")
        verbose_name_plural = _("etalase katalog")
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(consent_at__isnull=False),
                name="storefront_published_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class Affiliate(BaseModel):
    """Someone (an owner or a family member) who promotes local products online."""

    name = models.CharField(_("nama"), max_length=150)
    relation = models.CharField(
        _("hubungan"),
        max_length=16,
        choices=[
            ("pemilik", _("Pemilik usaha")),
            ("keluarga", _("Keluarga pemilik")),
            ("lainnya", _("Lainnya")),
        ],
    )
    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliates",
        verbose_name=_("usaha terkait"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliate",
    )
    platforms = models.JSONField(_("platform"), default=list, blank=True)
    handle = models.CharField(_("akun (@)"), max_length=100, blank=True)
    trained_on = models.DateField(_("pelatihan afiliasi selesai"), null=True, blank=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="affiliates", verbose_name=_("produk yang dipromosikan")
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("afiliasi")
        verbose_name_plural = _("afiliasi")

    def __str__(self) -> str:
        return self.name


class AffiliateResult(BaseModel):
    """One month's results, entered by the affiliate (or an officer)."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.CASCADE, related_name="results")
    month = models.DateField(_("bulan"))  # the first day of the month
    orders = models.PositiveIntegerField(_("jumlah pesanan"), default=0)
    sales = models.BigIntegerField(_("penjualan (Rp)"), default=0)
    commission = models.BigIntegerField(_("komisi (Rp)"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        verbose_name = _("hasil afiliasi")
        verbose_name_plural = _("hasil afiliasi")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["affiliate", "month"], name="affiliate_month_once"),
            models.CheckConstraint(
                condition=Q(sales__gte=0) & Q(commission__gte=0),
                name="affiliate_result_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.affiliate} {self.month:%Y-%m}"
