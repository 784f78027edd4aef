"""Forms of the guidance pages: the public self-check questionnaire, the tax calculator, a
business's answers, and an administrator's rule revision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.forms import choice_field, sector_choices
from naikkelas.registry.models import LegalForm

YES_NO_UNKNOWN = [("", _("Tidak tahu")), ("ya", _("Ya")), ("tidak", _("Tidak"))]
FOOD_CHOICES = [
    ("bukan", _("Bukan makanan/minuman")),
    ("kemasan_rendah", _("Makanan/minuman kemasan buatan rumah (keripik, kue kering, sambal…)")),
    (
        "kemasan_tinggi",
        _("Pangan kemasan berisiko tinggi (susu, daging olahan kaleng, makanan bayi…)"),
    ),
    ("siap_saji", _("Makanan siap saji (warung, katering)")),
    ("awet_pendek", _("Makanan yang tahan kurang dari 7 hari (kue basah, roti)")),
]


def yes_no(value: str | None) -> bool | None:
    return {"ya": True, "tidak": False}.get(value or "")


class TaxForm(forms.Form):
    omzet = forms.IntegerField(
        label=_("Omzet setahun (Rp)"),
        min_value=0,
        max_value=10**15,
        help_text=_("Semua penjualan usaha dalam satu tahun, sebelum dikurangi biaya."),
    )
    legal_form = forms.ChoiceField(
        label=_("Bentuk usaha"), choices=LegalForm.choices, initial=LegalForm.PERORANGAN
    )
    tax_year = forms.IntegerField(label=_("Tahun pajak"), min_value=2018, max_value=2100)
    previous_year_omzet = forms.IntegerField(
        label=_("Omzet tahun sebelumnya (Rp, jika tahu)"),
        min_value=0,
        max_value=10**15,
        required=False,
    )
    tax_first_year = forms.IntegerField(
        label=_("Tahun pertama memakai PPh final 0,5% (jika tahu)"),
        min_value=1990,
        max_value=2100,
        required=False,
    )


class SelfCheckForm(TaxForm):
    sector = forms.ChoiceField(label=_("Jenis usaha"))
    food = forms.ChoiceField(label=_("Apakah Anda menjual makanan/minuman?"), choices=FOOD_CHOICES)
    has_nib = forms.ChoiceField(label=_("Sudah punya NIB?"), choices=YES_NO_UNKNOWN, required=False)
    has_spp_irt = forms.BooleanField(label=_("Sudah punya SPP-IRT (P-IRT)"), required=False)
    has_bpom = forms.BooleanField(label=_("Sudah punya izin BPOM MD"), required=False)
    has_halal = forms.BooleanField(label=_("Sudah punya sertifikat halal"), required=False)
    halal_simple_process = forms.ChoiceField(
        label=_(
            "Proses produksi sederhana dengan bahan yang sudah pasti halal (tanpa daging "
            "sembelihan sendiri)?"
        ),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    has_npwp = forms.ChoiceField(
        label=_("Sudah punya NPWP?"), choices=YES_NO_UNKNOWN, required=False
    )
    has_expiry_label = forms.ChoiceField(
        label=_("Label kemasan mencantumkan tanggal kedaluwarsa dan kode produksi?"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    has_barcode = forms.ChoiceField(
        label=_("Punya barcode resmi GS1?"), choices=YES_NO_UNKNOWN, required=False
    )
    steady_supply = forms.ChoiceField(
        label=_("Sanggup memasok rutin setiap minggu?"), choices=YES_NO_UNKNOWN, required=False
    )
    has_product_photos = forms.ChoiceField(
        label=_("Punya foto produk yang bagus?"), choices=YES_NO_UNKNOWN, required=False
    )
    has_payout_account = forms.ChoiceField(
        label=_("Punya rekening bank atau dompet digital?"), choices=YES_NO_UNKNOWN, required=False
    )

    field_order = ["sector", "food", "legal_form", "omzet", "tax_year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sector").choices = sector_choices()


class AnswersForm(forms.Form):
    food = forms.ChoiceField(
        label=_("Makanan/minuman"), choices=[("", _("Tidak tahu")), *FOOD_CHOICES], required=False
    )
    halal_simple_process = forms.ChoiceField(
        label=_("Proses halal sederhana (syarat self-declare)"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    tax_first_year = forms.IntegerField(
        label=_("Tahun pertama PPh final 0,5%"), min_value=1990, max_value=2100, required=False
    )
    has_expiry_label = forms.ChoiceField(
        label=_("Label kedaluwarsa dan kode produksi"), choices=YES_NO_UNKNOWN, required=False
    )
    has_barcode = forms.ChoiceField(label=_("Barcode GS1"), choices=YES_NO_UNKNOWN, required=False)
    steady_supply = forms.ChoiceField(
        label=_("Pasokan rutin"), choices=YES_NO_UNKNOWN, required=False
    )
    has_product_photos = forms.ChoiceField(
        label=_("Foto produk"), choices=YES_NO_UNKNOWN, required=False
    )
    has_payout_account = forms.ChoiceField(
        label=_("Rekening/dompet digital"), choices=YES_NO_UNKNOWN, required=False
    )


class RuleReviseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("in_force", _("Berlaku")),
            ("announced", _("Diumumkan, belum berlaku")),
            ("under_revision", _("Sedang direvisi")),
        ],
    )
    effective_from = forms.DateField(
        label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=500)
    sources = forms.CharField(
        label=_("Sumber (satu tautan per baris)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    last_reviewed = forms.DateField(
        label=_("Terakhir ditinjau"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(label=_("Ringkasan"), widget=forms.Textarea(attrs={"rows": 3}))
    summary_en = forms.CharField(
        label=_("Ringkasan (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    params = forms.CharField(label=_("Parameter (JSON)"), widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Catatan perubahan (wajib)"), max_length=255)
