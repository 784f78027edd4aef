"""The public self-registration form (Bahasa Indonesia; works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.core.identifiers import parse_nik, parse_phone
from naikkelas.regions.catalogue import kecamatan_digit_codes
from naikkelas.registry.forms import kelurahan_choices, sector_choices

CONSENT_TEXT = _(
    "Saya setuju data saya dan usaha saya dicatat oleh Dinas Koperasi, UKM, Perindustrian dan "
    "Perdagangan bersama Hipmikindo untuk pendataan UMKM dan penyaluran pelatihan serta "
    "bantuan secara merata (UU 27/2022 tentang Pelindungan Data Pribadi). NIK dan nomor HP "
    "saya tidak dibagikan kepada pihak lain. Saya dapat melihat, memperbaiki atau meminta "
    "penghapusan data saya kapan saja."
)


class SelfRegistrationForm(forms.Form):
    owner_name = forms.CharField(label=_("Nama lengkap (sesuai KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK (16 angka di KTP)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    business_name = forms.CharField(label=_("Nama usaha"), max_length=200)
    sector = forms.ChoiceField(label=_("Jenis usaha"))
    products = forms.CharField(label=_("Produk utama"), max_length=300, required=False)
    desa_kelurahan = forms.ChoiceField(label=_("Kelurahan tempat usaha"))
    address = forms.CharField(
        label=_("Alamat usaha (jalan/kampung, RT/RW, nomor)"), max_length=300, required=False
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)
    answer = forms.CharField(label=_("Pertanyaan pengaman"), max_length=4)
    challenge = forms.CharField(widget=forms.HiddenInput)
    # left empty by people (hidden), filled in by naive bots
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"hidden": "hidden"}))

    def __init__(self, *args: Any, question: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—"), *sector_choices()]  # type: ignore[attr-defined]
        self.fields["desa_kelurahan"].choices = kelurahan_choices()  # type: ignore[attr-defined]
        if question:
            self.fields["answer"].label = _("Pertanyaan pengaman: berapa %(q)s?") % {"q": question}
        self.fields["website"].label = ""

    def clean_nik(self) -> str:
        parsed = parse_nik(self.cleaned_data["nik"], known_regions=kecamatan_digit_codes())
        if not parsed.ok or parsed.nik is None:
            raise forms.ValidationError(parsed.errors[0].message)
        return parsed.nik

    def clean_phone(self) -> str:
        parsed = parse_phone(self.cleaned_data["phone"])
        if not parsed.ok or parsed.value is None:
            raise forms.ValidationError(parsed.errors[0].message)
        return parsed.value
