"""Forms of the market pages. They parse types only; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.market.models import (
    ListingKind,
    ListingStatus,
    PackagingStatus,
    Platform,
    Product,
    Retailer,
)
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.forms import DATE_WIDGET, choice_field, sector_choices


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Nama produk"), max_length=150)
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    price = forms.IntegerField(label=_("Harga (Rp)"), min_value=0, required=False)
    unit = forms.CharField(label=_("Satuan"), max_length=50, required=False)
    capacity = forms.IntegerField(label=_("Kapasitas produksi"), min_value=0, required=False)
    capacity_unit = forms.CharField(label=_("Satuan kapasitas"), max_length=50, required=False)
    spp_irt_number = forms.CharField(label=_("Nomor P-IRT"), max_length=32, required=False)
    bpom_md_number = forms.CharField(label=_("Nomor BPOM MD"), max_length=32, required=False)
    halal_number = forms.CharField(label=_("Nomor sertifikat halal"), max_length=64, required=False)
    halal_expires_on = forms.DateField(
        label=_("Halal berlaku sampai"), required=False, widget=DATE_WIDGET
    )
    barcode = forms.CharField(label=_("Barcode (GTIN/EAN)"), max_length=20, required=False)
    packaging_status = forms.ChoiceField(label=_("Status kemasan"), choices=PackagingStatus.choices)
    in_catalogue = forms.BooleanField(label=_("Tampilkan di katalog"), required=False, initial=True)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto (JPEG, PNG atau WebP)"))
    caption = forms.CharField(label=_("Keterangan"), max_length=150, required=False)


class UpgradeForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Kemasan menjadi"),
        choices=PackagingStatus.choices,
        initial=PackagingStatus.FULL_COLOUR,
    )
    done_on = forms.DateField(label=_("Tanggal"), widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("Uraian bantuan"), max_length=255, initial=_("Cetak kemasan full colour")
    )
    before = forms.FileField(label=_("Foto kemasan sebelum"), required=False)
    after = forms.FileField(label=_("Foto kemasan sesudah"), required=False)


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=ListingKind.choices)
    retailer = forms.ChoiceField(
        label=_("Peritel"), choices=[("", "—"), *Retailer.choices], required=False
    )
    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", "—"), *Platform.choices], required=False
    )
    other_name = forms.CharField(label=_("Nama (jika lainnya)"), max_length=100, required=False)
    product = forms.ModelChoiceField(
        label=_("Produk"), queryset=Product.objects.none(), required=False
    )
    region = forms.CharField(label=_("Wilayah/toko"), max_length=150, required=False)
    url = forms.URLField(label=_("Tautan toko"), required=False, assume_scheme="https")
    since = forms.DateField(label=_("Sejak"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"), choices=ListingStatus.choices, initial=ListingStatus.LISTED
    )
    notes = forms.CharField(label=_("Catatan kurasi"), max_length=255, required=False)

    def __init__(self, *args: Any, business: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if business is not None:
            field = self.fields["product"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Product.objects.filter(business=business)


class StorefrontForm(forms.Form):
    display_name = forms.CharField(label=_("Nama di katalog"), max_length=150)
    whatsapp = forms.CharField(
        label=_("WhatsApp untuk pesanan (tampil publik)"), max_length=30, required=False
    )
    about = forms.CharField(
        label=_("Tentang usaha (tampil publik)"), max_length=255, required=False
    )
    published = forms.BooleanField(label=_("Tampilkan di katalog publik"), required=False)
    consent_note = forms.CharField(
        label=_("Persetujuan pemilik"),
        max_length=150,
        required=False,
        help_text=_("mis. 'disetujui pemilik lewat portal' atau 'formulir kertas 12/11'"),
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari produk"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sektor"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sector").choices = [("", _("Semua")), *sector_choices()]
        choice_field(self, "kecamatan").choices = [
            ("", _("Semua")),
            *((r.code, r.name) for r in kecamatan_list()),
        ]


class AffiliateForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    relation = forms.ChoiceField(
        label=_("Hubungan"),
        choices=[
            ("pemilik", _("Pemilik usaha")),
            ("keluarga", _("Keluarga pemilik")),
            ("lainnya", _("Lainnya")),
        ],
    )
    platforms = forms.MultipleChoiceField(
        label=_("Platform"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handle = forms.CharField(label=_("Akun (@)"), max_length=100, required=False)
    trained_on = forms.DateField(
        label=_("Pelatihan afiliasi selesai"), required=False, widget=DATE_WIDGET
    )


class ResultForm(forms.Form):
    month = forms.DateField(label=_("Bulan (tanggal berapa saja di bulan itu)"), widget=DATE_WIDGET)
    orders = forms.IntegerField(label=_("Jumlah pesanan"), min_value=0)
    sales = forms.IntegerField(label=_("Penjualan (Rp)"), min_value=0)
    commission = forms.IntegerField(label=_("Komisi (Rp)"), min_value=0, initial=0)
