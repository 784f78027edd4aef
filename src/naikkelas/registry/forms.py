"""Web forms of the register. They parse types only; the services validate and normalise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.core.data_version import cached_by_data_version
from naikkelas.core.widgets import LongSelect
from naikkelas.regions.selectors import desa_kelurahan_list, kecamatan_list
from naikkelas.registry.classification import SizeClass
from naikkelas.registry.models import (
    ChannelKind,
    LegalForm,
    MembershipStatus,
    PermitKind,
    Sector,
    Sex,
)
from naikkelas.registry.selectors import BusinessFilters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Semua")), ("1", _("Ya")), ("0", _("Tidak"))]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


@cached_by_data_version
def kelurahan_choices() -> list[Any]:
    """Desa/kelurahan grouped by kecamatan, for a select with optgroups (cached: a province
    has 1,552 of them)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, kecamatan in desa_kelurahan_list().values_list("code", "name", "parent__name"):
        groups.setdefault(kecamatan or "", []).append((code, name))
    return [("", "—"), *((name, options) for name, options in groups.items())]


@cached_by_data_version
def kecamatan_choices() -> list[tuple[str, str]]:
    return list(kecamatan_list().values_list("code", "name"))


def sector_choices() -> list[tuple[str, Any]]:
    return [(s.code, _(s.name)) for s in Sector.objects.all()]


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Nama usaha"), max_length=150)
    legal_form = forms.ChoiceField(label=_("Bentuk usaha"), choices=LegalForm.choices)
    sector = forms.ChoiceField(label=_("Sektor"))
    kbli_code = forms.CharField(
        label=_("Kode KBLI 2020"), max_length=5, required=False, help_text=_("5 digit, jika tahu.")
    )
    products = forms.CharField(label=_("Produk/jasa utama"), max_length=255, required=False)
    desa_kelurahan = forms.ChoiceField(label=_("Desa/kelurahan"), widget=LongSelect)
    address = forms.CharField(
        label=_("Alamat usaha"),
        max_length=255,
        required=False,
        help_text=_("Jalan/kampung, RT/RW."),
    )
    latitude = forms.CharField(label=_("Lintang (GPS)"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Bujur (GPS)"), required=False, max_length=20)
    phone = forms.CharField(label=_("Telepon usaha"), required=False, max_length=30)
    email = forms.EmailField(label=_("Email usaha"), required=False)
    established_year = forms.IntegerField(
        label=_("Tahun berdiri"), required=False, min_value=1900, max_value=2100
    )
    nib = forms.CharField(
        label=_("NIB"), required=False, max_length=30, help_text=_("13 digit dari OSS.")
    )
    nib_issued_on = forms.DateField(
        label=_("Tanggal terbit NIB"), required=False, widget=DATE_WIDGET
    )
    npwp = forms.CharField(
        label=_("NPWP"), required=False, max_length=30, help_text=_("NIK atau NPWP 16 digit.")
    )
    is_binaan = forms.BooleanField(label=_("UMKM binaan Dinas"), required=False)
    binaan_since = forms.DateField(label=_("Binaan sejak"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sector").choices = sector_choices()
        choice_field(self, "desa_kelurahan").choices = kelurahan_choices()


class OwnerForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap pemilik"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=30,
        help_text=_(
            "16 digit sesuai KTP. Ketik sebagai teks, jangan salin dari kolom angka Excel."
        ),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False
    )
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DATE_WIDGET)
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Alamat rumah"), required=False, max_length=255)


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1990, max_value=2100)
    omzet = forms.IntegerField(label=_("Omzet setahun (Rp)"), required=False, min_value=0)
    modal = forms.IntegerField(
        label=_("Modal usaha (Rp, tanpa tanah dan bangunan)"), required=False, min_value=0
    )
    workers = forms.IntegerField(label=_("Jumlah tenaga kerja"), required=False, min_value=0)


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=PermitKind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=64)
    issued_on = forms.DateField(label=_("Tanggal terbit"), required=False, widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE_WIDGET)
    detail = forms.CharField(label=_("Keterangan"), required=False, max_length=128)


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Nama"), max_length=100)
    url = forms.URLField(label=_("Tautan"), required=False, assume_scheme="https")
    since = forms.DateField(label=_("Sejak"), required=False, widget=DATE_WIDGET)


class MembershipForm(forms.Form):
    number = forms.CharField(label=_("Nomor anggota Hipmikindo"), required=False, max_length=32)
    since = forms.DateField(label=_("Anggota sejak"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=MembershipStatus.choices)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Tanggal tutup"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Alasan"), max_length=255)


class BusinessFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Nama usaha, pemilik, NIK, NIB, atau nomor HP")}
        ),
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False, widget=LongSelect)
    desa_kelurahan = forms.ChoiceField(label=_("Desa/kelurahan"), required=False, widget=LongSelect)
    sector = forms.ChoiceField(label=_("Sektor"), required=False)
    size_class = forms.ChoiceField(
        label=_("Kelas"),
        required=False,
        choices=[("", _("Semua")), *((c.value, c.value.capitalize()) for c in SizeClass)],
    )
    is_member = forms.ChoiceField(label=_("Anggota Hipmikindo"), required=False, choices=YES_NO)
    is_binaan = forms.ChoiceField(label=_("Binaan"), required=False, choices=YES_NO)
    has_nib = forms.ChoiceField(label=_("Punya NIB"), required=False, choices=YES_NO)
    has_halal = forms.ChoiceField(label=_("Punya sertifikat halal"), required=False, choices=YES_NO)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Aktif")),
            ("closed", _("Tutup")),
            ("merged", _("Digabung")),
            ("", _("Semua")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kecamatan").choices = [
            ("", _("Semua")),
            *kecamatan_choices(),
        ]
        kelurahan = kelurahan_choices()
        choice_field(self, "desa_kelurahan").choices = [("", _("Semua")), *kelurahan[1:]]
        choice_field(self, "sector").choices = [("", _("Semua")), *sector_choices()]

    def flag(self, name: str) -> bool | None:
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return {"1": True, "0": False}.get(value or "")

    def filters(self) -> BusinessFilters:
        """The selector's filters from a valid form (the register list, programme nominations)."""
        data = self.cleaned_data
        return BusinessFilters(
            q=data["q"],
            kecamatan=data["kecamatan"],
            desa_kelurahan=data["desa_kelurahan"],
            sector=data["sector"],
            size_class=data["size_class"],
            is_member=self.flag("is_member"),
            is_binaan=self.flag("is_binaan"),
            has_nib=self.flag("has_nib"),
            has_halal=self.flag("has_halal"),
            status=data["status"],
        )
