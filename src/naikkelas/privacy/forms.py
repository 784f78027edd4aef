"""Forms of the privacy pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from naikkelas.privacy.models import ConsentMethod, RequestKind, RequestStatus
from naikkelas.privacy.services import evidence_validate

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_evidence(file: Any) -> None:
    evidence_validate(file)


class ConsentForm(forms.Form):
    method = forms.ChoiceField(label=_("Cara persetujuan"), choices=ConsentMethod.choices)
    given_by = forms.CharField(
        label=_("Diberikan oleh"),
        max_length=150,
        help_text=_("Nama orang yang memberi persetujuan (biasanya pemilik sendiri)."),
    )
    given_at = forms.DateTimeField(
        label=_("Waktu persetujuan"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Kosongkan bila persetujuan diberikan sekarang."),
    )
    evidence = forms.FileField(
        label=_("Bukti (foto/pindaian formulir)"),
        required=False,
        validators=[_check_evidence],
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=_("JPG, PNG atau PDF, paling besar 5 MB. Wajib untuk formulir kertas."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=255,
        widget=forms.TextInput(),
    )


class OfficerRequestForm(forms.Form):
    """A request an officer files for an owner (who called or came to the office)."""

    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=RequestKind.choices)
    details = forms.CharField(
        label=_("Rincian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Untuk perbaikan: data mana yang salah dan apa yang benar."),
    )


class OwnerRequestForm(forms.Form):
    """A request an owner files about their own data in the portal."""

    kind = forms.ChoiceField(label=_("Saya ingin"), choices=RequestKind.choices)
    details = forms.CharField(
        label=_("Rincian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Untuk perbaikan: tuliskan data mana yang salah dan apa yang benar."),
    )
    confirm_deletion = forms.BooleanField(
        label=_(
            "Saya mengerti bahwa penghapusan tidak dapat dibatalkan dan akun saya akan "
            "dinonaktifkan."
        ),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RequestKind.DELETION and not data.get("confirm_deletion"):
            self.add_error(
                "confirm_deletion", _("Centang pernyataan ini untuk meminta penghapusan data.")
            )
        return data


class ProcessForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(RequestStatus.DONE, _("Selesai")), (RequestStatus.REJECTED, _("Tolak"))],
        widget=forms.HiddenInput,
    )
    resolution = forms.CharField(
        label=_("Tanggapan untuk pemilik"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila ditolak (alasan penolakan)."),
    )
    confirm_deletion = forms.BooleanField(
        label=_("Saya yakin: data pribadi pemilik ini dihapus permanen."),
        required=False,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != RequestKind.DELETION:
            del self.fields["confirm_deletion"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.kind == RequestKind.DELETION
            and data.get("decision") == RequestStatus.DONE
            and not data.get("confirm_deletion")
        ):
            raise ValidationError(
                _("Centang konfirmasi penghapusan sebelum menyelesaikan permintaan ini.")
            )
        return data


class CorrectionForm(forms.Form):
    """The owner's correctable fields; only the fields the officer changed are applied."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False)
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Alamat rumah"), max_length=255, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DATE_WIDGET)

    def corrections(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.changed_data}
