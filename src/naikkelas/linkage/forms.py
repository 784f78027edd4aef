"""Web forms of the review queue and the merge history. They parse types only; the services
decide."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.linkage.models import Decision, MatchLevel, MatchSource
from naikkelas.linkage.selectors import CandidateFilters
from naikkelas.regions.selectors import kecamatan_list

FILTER_NAMES = ("kecamatan", "source", "level")


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string. An unknown value is ignored (that
    filter only), never an error page: links with old filters keep working."""

    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    source = forms.ChoiceField(
        label=_("Sumber"), required=False, choices=[("", _("Semua")), *MatchSource.choices]
    )
    level = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *MatchLevel.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kecamatan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Semua")), *((k.code, k.name) for k in kecamatan_list())]

    def values(self) -> dict[str, str]:
        """The valid, non-empty filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in FILTER_NAMES if data.get(name)}

    def filters(self, **override: str) -> CandidateFilters:
        return CandidateFilters(**{**self.values(), **override})

    def query(self) -> str:
        """The filters as a query string (without ``?``), to carry from page to page."""
        return urlencode(self.values())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices)
    note = forms.CharField(
        label=_("Catatan (tidak wajib)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Misalnya: sudah dicek lewat telepon")}
        ),
    )


class UnmergeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya yakin kedua data ini berbeda dan harus dipisah kembali."),
        error_messages={"required": _("Centang kotak konfirmasi untuk memisahkan data.")},
    )
