"""Web forms of the kendala channel. They parse types only; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.core.identifiers import parse_phone
from naikkelas.kendala.models import KendalaChannel, KendalaStatus
from naikkelas.kendala.selectors import UNASSIGNED, category_list, kendala_managers
from naikkelas.regions.selectors import kecamatan_list
from naikkelas.registry.forms import DATE_WIDGET, choice_field, kelurahan_choices, sector_choices

CONSENT_TEXT = _(
    "Saya setuju nama dan nomor HP saya dicatat oleh Dinas Koperasi, UKM, Perindustrian dan "
    "Perdagangan bersama Hipmikindo hanya untuk menindaklanjuti kendala ini dan menghubungi "
    "saya (UU 27/2022 tentang Pelindungan Data Pribadi). Nomor HP saya tidak ditampilkan dan "
    "tidak dibagikan kepada pihak lain. Saya dapat meminta data ini dihapus kapan saja."
)
DESCRIPTION_WIDGET = forms.Textarea(attrs={"rows": 5, "maxlength": 4000})


def _clean_phone(raw: str) -> str:
    """Checked here too, so a wrong number shows with the other errors of the page."""
    parsed = parse_phone(raw)
    if not parsed.ok or parsed.value is None:
        raise forms.ValidationError(parsed.errors[0].message)
    return parsed.value


def category_choices(*, blank: bool = True) -> list[tuple[str, Any]]:
    options = [(c.code, _(c.name)) for c in category_list()]
    return [("", "—"), *options] if blank else options


class PublicKendalaForm(forms.Form):
    reporter_name = forms.CharField(label=_("Nama Anda"), max_length=150)
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    business_name = forms.CharField(
        label=_("Nama usaha (jika ada)"), max_length=150, required=False
    )
    desa_kelurahan = forms.ChoiceField(label=_("Kelurahan tempat usaha"))
    sector = forms.ChoiceField(label=_("Jenis usaha"), required=False)
    category = forms.ChoiceField(label=_("Kendala tentang"))
    description = forms.CharField(
        label=_("Ceritakan kendalanya"), max_length=4000, widget=DESCRIPTION_WIDGET
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)
    answer = forms.CharField(label=_("Pertanyaan pengaman"), max_length=4)
    challenge = forms.CharField(widget=forms.HiddenInput)
    # left empty by people (hidden), filled in by naive bots
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"hidden": "hidden"}))

    def __init__(self, *args: Any, question: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "desa_kelurahan").choices = kelurahan_choices()
        choice_field(self, "sector").choices = [("", "—"), *sector_choices()]
        choice_field(self, "category").choices = category_choices()
        if question:
            self.fields["answer"].label = _("Pertanyaan pengaman: berapa %(q)s?") % {"q": question}
        self.fields["website"].label = ""

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


class OwnerKendalaForm(forms.Form):
    business = forms.ChoiceField(label=_("Usaha"))
    category = forms.ChoiceField(label=_("Kendala tentang"))
    title = forms.CharField(
        label=_("Judul singkat"),
        max_length=150,
        required=False,
        help_text=_("Boleh dikosongkan: diambil dari awal cerita."),
    )
    description = forms.CharField(
        label=_("Ceritakan kendalanya"), max_length=4000, widget=DESCRIPTION_WIDGET
    )

    def __init__(self, *args: Any, businesses: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "business").choices = [(str(b.pk), b.name) for b in businesses]
        choice_field(self, "category").choices = category_choices()


class OfficerKendalaForm(forms.Form):
    """An officer logging a kendala on someone's behalf (phone call, visit, WhatsApp)."""

    business_text = forms.CharField(
        label=_("Usaha (NIB, nomor HP atau nama)"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan bila pelapor belum terdaftar, lalu isi nama dan HP-nya."),
    )
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150, required=False)
    phone = forms.CharField(label=_("Nomor HP pelapor"), max_length=24, required=False)
    desa_kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    sector = forms.ChoiceField(label=_("Sektor"), required=False)
    category = forms.ChoiceField(label=_("Kategori"))
    title = forms.CharField(label=_("Judul singkat"), max_length=150, required=False)
    description = forms.CharField(label=_("Uraian"), max_length=4000, widget=DESCRIPTION_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "desa_kelurahan").choices = kelurahan_choices()
        choice_field(self, "sector").choices = [("", "—"), *sector_choices()]
        choice_field(self, "category").choices = category_choices()

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"]) if self.cleaned_data["phone"] else ""


class ForumHeaderForm(forms.Form):
    forum_name = forms.CharField(label=_("Nama forum/pertemuan"), max_length=150)
    forum_date = forms.DateField(label=_("Tanggal"), widget=DATE_WIDGET)


class ForumRowForm(forms.Form):
    """One row of the forum table; an untouched row is skipped."""

    business_text = forms.CharField(label=_("Usaha (NIB/HP/nama)"), max_length=150, required=False)
    reporter_name = forms.CharField(label=_("atau nama pelapor"), max_length=150, required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    description = forms.CharField(
        label=_("Uraian kendala"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = category_choices()

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(name) or "").strip() for name in self.fields)


FORUM_MAX_ROWS = 50


def forum_formset(*, data: Any = None, rows: int = 10) -> Any:
    """The forum table: ``rows`` empty rows (the browser sends back how many there were)."""
    factory = forms.formset_factory(
        ForumRowForm,
        extra=rows,
        max_num=FORUM_MAX_ROWS,
        absolute_max=FORUM_MAX_ROWS,
        validate_max=True,
    )
    return factory(data, prefix="baris")


class KendalaFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    sector = forms.ChoiceField(label=_("Sektor"), required=False)
    assignee = forms.ChoiceField(label=_("Petugas"), required=False)
    channel = forms.ChoiceField(label=_("Jalur"), required=False)
    overdue = forms.BooleanField(label=_("Lewat target"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = [
            ("", _("Semua")),
            ("open", _("Semua yang terbuka")),
            ("closed", _("Semua yang ditutup")),
            *KendalaStatus.choices,
        ]
        choice_field(self, "category").choices = [
            ("", _("Semua")),
            *[(c.code, _(c.name)) for c in category_list(active_only=False)],
        ]
        choice_field(self, "kecamatan").choices = [
            ("", _("Semua")),
            *[(k.code, k.name) for k in kecamatan_list()],
        ]
        choice_field(self, "sector").choices = [("", _("Semua")), *sector_choices()]
        choice_field(self, "assignee").choices = [
            ("", _("Semua")),
            (UNASSIGNED, _("Belum ditugaskan")),
            *[(str(u.pk), u.get_full_name() or u.username) for u in kendala_managers()],
        ]
        choice_field(self, "channel").choices = [("", _("Semua")), *KendalaChannel.choices]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Tugaskan kepada"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "assignee").choices = [
            ("", _("— belum ditugaskan —")),
            *[(str(u.pk), u.get_full_name() or u.username) for u in kendala_managers()],
        ]


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("Tanggapan untuk pelapor"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        help_text=_("Dibaca pelapor di portal atau halaman status: tanpa data pribadi orang lain."),
    )
    status = forms.ChoiceField(label=_("sekaligus ubah status"), required=False)

    def __init__(self, *args: Any, next_statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(KendalaStatus.choices)
        choice_field(self, "status").choices = [
            ("", _("— tetap —")),
            *[(s, labels[s]) for s in (next_statuses or [])],
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"))

    def __init__(self, *args: Any, next_statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(KendalaStatus.choices)
        choice_field(self, "status").choices = [(s, labels[s]) for s in (next_statuses or [])]


class TargetForm(forms.Form):
    target_date = forms.DateField(label=_("Target selesai"), required=False, widget=DATE_WIDGET)


class NominateForm(forms.Form):
    cycle = forms.ChoiceField(label=_("Angkatan program"))
    response = forms.CharField(
        label=_("Tanggapan untuk pelapor (boleh kosong)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )

    def __init__(self, *args: Any, cycles: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "cycle").choices = [
            (str(c.pk), f"{c.programme.name} — {c.name} ({c.get_status_display()})")
            for c in (cycles or [])
        ]


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=32)
    name = forms.CharField(label=_("Nama"), max_length=100)
    sort_order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=32000, initial=100)
    active = forms.BooleanField(label=_("Dipakai untuk laporan baru"), required=False, initial=True)


class YearForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
