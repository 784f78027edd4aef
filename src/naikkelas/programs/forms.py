"""Web forms of programmes. They parse types only; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.programs.eligibility import NIB, RuleKind
from naikkelas.programs.models import (
    ApplicationStatus,
    EnrolmentStatus,
    Organiser,
    OutcomeKind,
    ProgrammeKind,
)
from naikkelas.programs.services.selection import OVERRIDE_TARGETS
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.classification import SizeClass
from naikkelas.registry.forms import DATE_WIDGET, choice_field, sector_choices
from naikkelas.registry.models import PermitKind


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Nama program"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ProgrammeKind.choices)
    organiser = forms.ChoiceField(label=_("Penyelenggara"), choices=Organiser.choices)
    partner_name = forms.CharField(label=_("Nama mitra"), max_length=150, required=False)
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Nama angkatan"), max_length=150)
    starts_on = forms.DateField(label=_("Mulai"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Selesai"), widget=DATE_WIDGET)
    applications_close_on = forms.DateField(
        label=_("Pendaftaran ditutup"), required=False, widget=DATE_WIDGET
    )
    capacity = forms.IntegerField(label=_("Kuota peserta"), min_value=1, max_value=100000)
    unit_value = forms.IntegerField(
        label=_("Nilai per peserta (Rp)"),
        min_value=0,
        initial=0,
        help_text=_("Untuk buku bantuan: biaya pelatihan atau nilai bantuan per usaha."),
    )
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)
    sectors = forms.MultipleChoiceField(
        label=_("Fokus sektor"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_per_kecamatan = forms.IntegerField(
        label=_("Minimal kursi per kecamatan"), min_value=0, max_value=1000, initial=0
    )
    sector_shares = forms.CharField(
        label=_("Porsi sektor (%)"),
        required=False,
        help_text=_("Kosongkan, atau tulis misalnya: kuliner=50, fesyen=30, kriya=20"),
    )
    need_weight = forms.IntegerField(
        label=_("Bobot skor kebutuhan"), min_value=0, max_value=10, initial=1
    )
    readiness_weight = forms.IntegerField(
        label=_("Bobot skor kesiapan"), min_value=0, max_value=10, initial=1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sectors").choices = sector_choices()

    def clean_sector_shares(self) -> dict[str, str]:
        text = self.cleaned_data.get("sector_shares") or ""
        shares: dict[str, str] = {}
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            code, sep, value = part.partition("=")
            if not sep:
                raise forms.ValidationError(_("Tulis sebagai sektor=persen, dipisah koma."))
            shares[code.strip().lower()] = value.strip().rstrip("%")
        return shares


def shares_text(shares: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in shares.items())


PERMIT_CHOICES = [(NIB, "NIB"), *PermitKind.choices]


class RuleForm(forms.Form):
    """One eligibility rule; which fields matter depends on the kind."""

    kind = forms.ChoiceField(
        label=_("Syarat"),
        choices=[
            (RuleKind.SIZE_CLASS_IN.value, _("Kelas usaha termasuk")),
            (RuleKind.SECTOR_IN.value, _("Sektor termasuk")),
            (RuleKind.AREA_IN.value, _("Kecamatan termasuk")),
            (RuleKind.PERMIT_HELD.value, _("Sudah punya izin")),
            (RuleKind.PERMIT_MISSING.value, _("Belum punya izin")),
            (RuleKind.CONSENT_ACTIVE.value, _("Persetujuan data berlaku")),
            (RuleKind.NOT_RECEIVED_WITHIN.value, _("Belum menerima bantuan dalam N tahun")),
            (RuleKind.OMZET_RANGE.value, _("Omzet setahun dalam rentang")),
            (RuleKind.BINAAN.value, _("UMKM binaan")),
            (RuleKind.MEMBER.value, _("Anggota Hipmikindo aktif")),
        ],
    )
    size_classes = forms.MultipleChoiceField(
        label=_("Kelas usaha"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c.value, c.value) for c in SizeClass if c != SizeClass.BESAR],
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sektor"), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Kecamatan"), required=False, widget=forms.CheckboxSelectMultiple
    )
    permits = forms.MultipleChoiceField(
        label=_("Izin"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PERMIT_CHOICES,
    )
    programme_kinds = forms.MultipleChoiceField(
        label=_("Jenis bantuan (kosong = apa pun)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ProgrammeKind.choices,
    )
    years = forms.IntegerField(label=_("Tahun"), required=False, min_value=1, max_value=20)
    minimum = forms.IntegerField(label=_("Omzet minimal (Rp)"), required=False, min_value=0)
    maximum = forms.IntegerField(label=_("Omzet maksimal (Rp)"), required=False, min_value=0)
    negate = forms.BooleanField(label=_("Justru yang bukan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sectors").choices = sector_choices()
        choice_field(self, "areas").choices = [(r.code, r.name) for r in kecamatan_list()]

    def rule(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = RuleKind(data["kind"])
        values = {
            RuleKind.SIZE_CLASS_IN: data["size_classes"],
            RuleKind.SECTOR_IN: data["sectors"],
            RuleKind.AREA_IN: data["areas"],
            RuleKind.PERMIT_HELD: data["permits"],
            RuleKind.PERMIT_MISSING: data["permits"],
            RuleKind.NOT_RECEIVED_WITHIN: data["programme_kinds"],
        }.get(kind, [])
        rule: dict[str, Any] = {"kind": kind.value, "values": list(values)}
        if kind == RuleKind.NOT_RECEIVED_WITHIN:
            rule["years"] = data["years"]
        if kind == RuleKind.OMZET_RANGE:
            rule["minimum"], rule["maximum"] = data["minimum"], data["maximum"]
        if kind in (RuleKind.BINAAN, RuleKind.MEMBER):
            rule["flag"] = not data["negate"]
        return rule


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Materi"), max_length=150)
    held_on = forms.DateField(label=_("Tanggal"), widget=DATE_WIDGET)
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)


class NominateForm(forms.Form):
    businesses = forms.CharField(
        label=_("Daftar usaha"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu per baris: NIB, nomor HP usaha atau pemilik, atau ID register."),
    )
    file = forms.FileField(
        label=_("atau berkas daftar (Excel/CSV)"),
        required=False,
        help_text=_("Baris yang memuat NIB, nomor HP, atau ID register; baris judul dilewati."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("businesses", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Tempel daftar atau unggah berkas."))
        return data


class PublishForm(forms.Form):
    public_value = forms.CharField(
        label=_("Angka publik (opsional)"),
        required=False,
        max_length=64,
        help_text=_("Misalnya nomor yang diundi di depan peserta forum; ikut menentukan benih."),
    )


class ScoreForm(forms.Form):
    need_score = forms.IntegerField(label=_("Kebutuhan"), min_value=0, max_value=5)
    readiness_score = forms.IntegerField(label=_("Kesiapan"), min_value=0, max_value=5)


class OverrideForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Keputusan baru"),
        choices=[(s.value, ApplicationStatus(s).label) for s in OVERRIDE_TARGETS],
    )
    reason = forms.CharField(
        label=_("Alasan (wajib, tampil di laporan)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (EnrolmentStatus.COMPLETED.value, EnrolmentStatus.COMPLETED.label),
            (EnrolmentStatus.DROPPED.value, EnrolmentStatus.DROPPED.label),
            (EnrolmentStatus.WITHDRAWN.value, EnrolmentStatus.WITHDRAWN.label),
        ],
    )
    completed_on = forms.DateField(label=_("Tanggal selesai"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Keterangan"), required=False, max_length=255)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hasil"), choices=OutcomeKind.choices)
    observed_on = forms.DateField(label=_("Tanggal pemantauan"), widget=DATE_WIDGET)
    detail = forms.CharField(label=_("Keterangan"), required=False, max_length=255)
    omzet_before = forms.IntegerField(
        label=_("Omzet sebulan sebelum (Rp)"), required=False, min_value=0
    )
    omzet_after = forms.IntegerField(
        label=_("Omzet sebulan sesudah (Rp)"), required=False, min_value=0
    )


class AidRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bantuan"), choices=ProgrammeKind.choices)
    description = forms.CharField(label=_("Uraian"), max_length=255)
    provider = forms.CharField(label=_("Pemberi"), max_length=150, required=False)
    value = forms.IntegerField(label=_("Nilai (Rp)"), min_value=0, initial=0)
    received_on = forms.DateField(label=_("Tanggal diterima"), widget=DATE_WIDGET)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Dari"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Sampai"), widget=DATE_WIDGET)
