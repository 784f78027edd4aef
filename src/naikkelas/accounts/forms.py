"""Web forms of user management, invitations and the audit log.

They parse types only; the services validate. A form knows only the fields it declares, so a
``role`` or ``is_superuser`` smuggled into a POST is never read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import INVITABLE_ROLES, TOKEN_VALIDITY_DAYS
from naikkelas.regions.selectors import desa_kelurahan_list, kecamatan_list

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def area_choices() -> list[Any]:
    """Kecamatan, then each kecamatan's desa/kelurahan, as optgroups of one multi-select."""
    kecamatan = [
        (r.code, gettext("Kec. %(name)s (seluruhnya)") % {"name": r.name}) for r in kecamatan_list()
    ]
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in desa_kelurahan_list():
        parent = region.parent.name if region.parent else ""
        label = gettext("Desa/kelurahan di Kec. %(name)s") % {"name": parent}
        groups.setdefault(label, []).append((region.code, region.name))
    return [(gettext("Kecamatan"), kecamatan), *groups.items()]


def role_choices() -> list[tuple[str, Any]]:
    return [(role.value, role.label) for role in INVITABLE_ROLES]


class AreasField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 12})


class _AccessFields(forms.Form):
    role = forms.ChoiceField(label=_("Peran"))
    area_codes = AreasField(
        label=_("Wilayah tugas"),
        required=False,
        help_text=_(
            "Wajib untuk enumerator. Pilih kecamatan (seluruh desa/kelurahannya) atau "
            "desa/kelurahan tertentu; tahan Ctrl (di ponsel: ketuk) untuk memilih beberapa."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        areas = self.fields["area_codes"]
        assert isinstance(role, forms.ChoiceField) and isinstance(areas, forms.ChoiceField)
        role.choices = role_choices()
        areas.choices = area_choices()


class UserInviteForm(_AccessFields):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Untuk masuk; huruf, angka dan . @ + - _ saja."),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)

    field_order = ["username", "full_name", "email", "role", "area_codes"]


class UserAccessForm(_AccessFields):
    """Role and areas of an existing user; nothing else is read from the POST."""


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("Nama pengguna, nama, email"), "type": "search"}
        ),
    )
    role = forms.ChoiceField(
        label=_("Peran"), required=False, choices=[("", _("Semua peran")), *Role.choices]
    )


class InvitationAcceptForm(forms.Form):
    """Two password fields; the policy itself is checked by the service (Django validators)."""

    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain text (the policy's own help texts, translated), not Django's HTML list.
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Kedua kata sandi tidak sama."))
        return data


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Aksi"),
        required=False,
        max_length=64,
        help_text=_("Awalan, mis. user. atau business.update"),
    )
    actor = forms.CharField(label=_("Pelaku (nama pengguna)"), required=False, max_length=150)
    object_id = forms.CharField(label=_("ID objek"), required=False, max_length=64)
    q = forms.CharField(label=_("Objek memuat"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir sebelum tanggal awal."))
        return data


# --- Own account ("Akun saya") and the second step of signing in ----------------------------


class SelfPasswordChangeForm(PasswordChangeForm):
    """Django's password change (old password checked, validators applied); the policy's help
    as plain text and no autofocus, since it is one of several forms on the page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["old_password"].label = _("Kata sandi sekarang")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )


def token_days_choices() -> list[tuple[int, str]]:
    return [(days, gettext("%(days)s hari") % {"days": days}) for days in TOKEN_VALIDITY_DAYS]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=64,
        help_text=_("Untuk apa token ini dipakai, mis. 'laporan bulanan'."),
    )
    days = forms.TypedChoiceField(label=_("Berlaku"), coerce=int, initial=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        assert isinstance(days, forms.ChoiceField)
        days.choices = token_days_choices()


def _code_widget(*, autofocus: bool = False) -> forms.TextInput:
    attrs: dict[str, Any] = {"autocomplete": "one-time-code", "autocapitalize": "off"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.TextInput(attrs=attrs)


class TotpCodeForm(forms.Form):
    """A current 6-digit code from the authenticator app (to turn two-factor on or off)."""

    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=32,
        widget=_code_widget(),
    )


class TotpDisableForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka atau kode pemulihan"),
        max_length=32,
        widget=_code_widget(),
    )


class TotpLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        help_text=_(
            "6 angka dari aplikasi autentikator, atau salah satu kode pemulihan Anda "
            "(setiap kode pemulihan hanya dapat dipakai sekali)."
        ),
        widget=_code_widget(autofocus=True),
    )
