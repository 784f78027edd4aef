"""Web forms of the association's events. They parse types only; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.association.models import AssociationEvent, EventKind
from naikkelas.regions.selectors import kecamatan_list

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=EventKind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Mulai"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Selesai"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    venue = forms.CharField(label=_("Tempat"), max_length=200)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    capacity = forms.IntegerField(
        label=_("Kapasitas"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Kosongkan bila tanpa batas."),
    )
    members_only = forms.BooleanField(label=_("Khusus anggota"), required=False, initial=True)
    registration_open = forms.BooleanField(
        label=_("Pendaftaran dibuka"), required=False, initial=True
    )
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kecamatan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(r.code, r.name) for r in kecamatan_list().order_by("name")]

    @staticmethod
    def initial_of(event: AssociationEvent) -> dict[str, Any]:

        return {
            "kind": event.kind,
            "title": event.title,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "venue": event.venue,
            "kecamatan": event.kecamatan_id or "",
            "capacity": event.capacity,
            "members_only": event.members_only,
            "registration_open": event.registration_open,
            "description": event.description,
        }
