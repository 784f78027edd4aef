"""Forms of the association's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.association.models import (
    BoardPosition,
    BoardTerm,
    MembershipType,
    MemberStatus,
)


def _type_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in MembershipType.objects.filter(active=True)]


class ApplicationForm(forms.Form):
    business = forms.UUIDField(label=_("ID usaha di register"), widget=forms.HiddenInput)
    type = forms.ChoiceField(label=_("Jenis keanggotaan"))
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
    approve_now = forms.BooleanField(label=_("Langsung setujui (saya sekretaris)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _type_choices()  # type: ignore[attr-defined]


class OwnerApplicationForm(forms.Form):
    type = forms.ChoiceField(label=_("Jenis keanggotaan"))
    note = forms.CharField(
        label=_("Pesan untuk pengurus (boleh kosong)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _type_choices()  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("setujui", _("Setujui")), ("tolak", _("Tolak"))])
    joined_on = forms.DateField(label=_("Tanggal bergabung"), required=False)
    reason = forms.CharField(label=_("Alasan (wajib jika ditolak)"), max_length=500, required=False)


class OverrideForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in MemberStatus if s != MemberStatus.BERHENTI],
    )
    until = forms.DateField(label=_("Berlaku sampai (boleh kosong)"), required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=255)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Berhenti sejak"), required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=255)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama usaha atau nomor anggota"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *MemberStatus.choices]
    )
    type = forms.ChoiceField(label=_("Jenis"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Semua")), *_type_choices()]  # type: ignore[attr-defined]


class BoardTermForm(forms.ModelForm):
    class Meta:
        model = BoardTerm
        fields = ["name", "sk_number", "sk_date", "starts_on", "ends_on"]
        widgets = {
            "sk_date": forms.DateInput(attrs={"type": "date"}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class BoardPositionForm(forms.ModelForm):
    username = forms.CharField(
        label=_("Akun naikkelas (nama pengguna, boleh kosong)"), max_length=150, required=False
    )

    class Meta:
        model = BoardPosition
        fields = [
            "title",
            "holder_name",
            "contact_phone",
            "contact_email",
            "approves_members",
            "sort_order",
        ]


class MembershipTypeForm(forms.ModelForm):
    class Meta:
        model = MembershipType
        fields = [
            "name",
            "description",
            "dues",
            "period_months",
            "grace_days",
            "new_days",
            "active",
        ]
