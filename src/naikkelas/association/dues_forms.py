"""Forms of the dues pages: they parse input; the rules are in ``services.dues``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.association.models import PaymentMethod
from naikkelas.association.services.dues import MAX_PERIODS
from naikkelas.regions.selectors import kecamatan_list


class DuesRecordForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Tanggal bayar"), widget=forms.DateInput(attrs={"type": "date"})
    )
    periods = forms.IntegerField(
        label=_("Jumlah periode"), min_value=1, max_value=MAX_PERIODS, initial=1
    )
    method = forms.ChoiceField(
        label=_("Cara bayar"), choices=PaymentMethod.choices, initial=PaymentMethod.TUNAI
    )
    reference = forms.CharField(
        label=_("Referensi transfer"),
        max_length=100,
        required=False,
        help_text=_("Wajib untuk transfer: nomor atau berita pada bukti transfer."),
    )
    amount = forms.IntegerField(
        label=_("Jumlah (Rp)"),
        min_value=1,
        required=False,
        help_text=_("Kosongkan: jumlah periode × iuran jenis keanggotaan."),
    )
    receipt_number = forms.CharField(
        label=_("Nomor kuitansi"),
        max_length=40,
        required=False,
        help_text=_("Kosongkan: nomor diberikan otomatis (KW-tahun-nomor urut)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class DuesVoidForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=255)


class DuesFilterForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    type = forms.ChoiceField(label=_("Jenis keanggotaan"), required=False)

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kecamatan = self.fields["kecamatan"]
        assert isinstance(kecamatan, forms.ChoiceField)
        kecamatan.choices = [("", _("Semua")), *[(k.code, k.name) for k in kecamatan_list()]]
        member_type = self.fields["type"]
        assert isinstance(member_type, forms.ChoiceField)
        member_type.choices = [("", _("Semua")), *types]
