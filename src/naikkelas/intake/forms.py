"""Web forms of the spreadsheet intake. They parse input only; the services decide."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.intake.headers import CANONICAL_FIELDS, FIELD_LABELS, column_letter
from naikkelas.intake.models import ImportBatch, ImportRow
from naikkelas.intake.selectors import FieldValue, masked
from naikkelas.regions.selectors import desa_kelurahan_list

MAX_UPLOAD_MB = 20  # also written in UploadForm's help text
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
MSG_TOO_LARGE = _("Berkas lebih besar dari %(mb)s MB. Pecah daftar menjadi beberapa berkas.")
MSG_SUFFIX = _(
    "Jenis berkas tidak didukung. Unggah spreadsheet Excel (.xlsx/.xls), ODS, atau CSV; "
    "bukan foto, PDF, atau dokumen Word."
)


class UploadLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit (the rest is read and dropped), so a
    huge file never fills the disk and the browser still gets our answer, not a reset."""

    def __init__(self, request: Any = None, limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadForm(forms.Form):
    # The source comes before the file: a browser sends fields in this order, and an upload
    # stopped for its size keeps what was typed.
    source = forms.CharField(
        label=_("Sumber data"),
        max_length=100,
        required=False,
        help_text=_(
            "Misalnya: kelurahan-cipare-2024. Pemetaan kolom diingat per sumber; "
            "kosongkan untuk memakai nama berkas."
        ),
        widget=forms.TextInput(attrs={"list": "intake-sources", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label=_("Berkas spreadsheet"),
        help_text=_("CSV, XLSX, XLS, atau ODS; paling besar 20 MB."),
        widget=forms.FileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if self.too_large:
            raise ValidationError(MSG_TOO_LARGE % {"mb": MAX_UPLOAD_MB}, code="too_large")
        if upload is None:
            return upload
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(MSG_TOO_LARGE % {"mb": MAX_UPLOAD_MB}, code="too_large")
        if PurePath(upload.name or "").suffix.casefold() not in ALLOWED_SUFFIXES:
            raise ValidationError(MSG_SUFFIX, code="suffix")
        return upload


# --------------------------------------------------------------------------------------------
# Mapping preview
# --------------------------------------------------------------------------------------------

FIELD_CHOICES: list[tuple[str, Any]] = [
    ("", _("— abaikan —")),
    *((name, FIELD_LABELS[name]) for name in CANONICAL_FIELDS),
]
OMZET_PERIODS = [("year", _("per tahun")), ("month", _("per bulan (dikalikan 12)"))]


def sheet_key(sheet: str) -> str:
    """A form-safe key for a sheet name (sheet names may hold any character)."""
    return hashlib.sha256(sheet.encode()).hexdigest()[:10]


def kelurahan_choices(empty: str) -> list[Any]:
    """The deployment's desa/kelurahan grouped by kecamatan, for a select with optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in desa_kelurahan_list():
        kecamatan = region.parent.name if region.parent else ""
        groups.setdefault(kecamatan, []).append((region.code, region.name))
    return [("", empty), *groups.items()]


@dataclass(frozen=True)
class ColumnRow:
    letter: str
    header: str
    note: str
    ambiguous: bool
    field: forms.BoundField
    samples: list[str]


@dataclass(frozen=True)
class SheetMapping:
    name: str
    header_row: int
    rows: int
    columns: list[ColumnRow]
    has_location: bool


class MappingForm(forms.Form):
    """The officer's column mapping of every sheet, and the options of the import."""

    omzet_period = forms.ChoiceField(
        label=_("Omzet yang periodenya tidak tertulis dibaca"),
        choices=OMZET_PERIODS,
        help_text=_(
            "Berlaku untuk kolom yang dipetakan ke 'Omzet per tahun' tetapi judulnya tidak "
            "menyebut periode (misalnya 'Omzet' saja). Kolom 'Omzet per bulan' selalu dikalikan "
            "12; periode yang tertulis di sel (misalnya '2 jt/bln') selalu diutamakan."
        ),
    )
    year = forms.IntegerField(
        label=_("Tahun data omzet, modal, dan tenaga kerja"),
        min_value=1990,
        help_text=_("Dipakai bila berkas tidak punya kolom tahun."),
    )
    default_desa_kelurahan = forms.ChoiceField(
        label=_("Desa/kelurahan bawaan"),
        required=False,
        help_text=_(
            "Untuk daftar satu desa/kelurahan tanpa kolom lokasi. Baris yang mengisi kolom "
            "kelurahan tetap memakai isinya."
        ),
    )

    def __init__(
        self,
        *args: Any,
        batch: ImportBatch,
        samples: Mapping[str, Sequence[ImportRow]],
        sheet_rows: Mapping[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        self._samples = samples
        self._sheet_rows = sheet_rows
        self._columns: dict[str, tuple[str, dict[str, Any]]] = {}
        for sheet, layout in batch.layout.items():
            key = sheet_key(sheet)
            for column in layout.get("columns", []):
                name = f"c_{key}_{column['index']}"
                label = _("Kolom %(letter)s (%(header)s)") % {
                    "letter": column_letter(column["index"]),
                    "header": column["header"],
                }
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=FIELD_CHOICES,
                    required=False,
                    initial=column.get("field") or "",
                    widget=forms.Select(attrs={"aria-label": label}),
                )
                self._columns[name] = (sheet, column)
        choices = kelurahan_choices(str(_("— tidak ada —")))
        field = self.fields["default_desa_kelurahan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        options = batch.options or {}
        self.fields["year"].initial = options.get("year") or timezone.localdate().year - 1
        self.fields["omzet_period"].initial = options.get("omzet_period") or self._period()
        self.fields["default_desa_kelurahan"].initial = options.get("default_desa_kelurahan") or ""

    def _period(self) -> str:
        mapped = {c.get("field") for _sheet, c in self._columns.values()}
        return "month" if "omzet_month" in mapped and "omzet_year" not in mapped else "year"

    @property
    def sheets(self) -> list[SheetMapping]:
        sheets: dict[str, list[ColumnRow]] = {}
        for name, (sheet, column) in self._columns.items():
            index = column["index"]
            samples = [
                masked(column.get("field"), row.raw[index] if index < len(row.raw) else None)
                for row in self._samples.get(sheet, ())
            ]
            sheets.setdefault(sheet, []).append(
                ColumnRow(
                    letter=column_letter(index),
                    header=column["header"],
                    note=column.get("note") or "",
                    ambiguous=bool(column.get("ambiguous")),
                    field=self[name],
                    samples=samples,
                )
            )
        return [
            SheetMapping(
                name=sheet,
                header_row=self.batch.layout[sheet].get("header_row", 0),
                rows=self._sheet_rows.get(sheet, 0),
                columns=columns,
                has_location=any(
                    self._chosen(c.field.name) in ("desa_kelurahan", "coordinates") for c in columns
                ),
            )
            for sheet, columns in sheets.items()
        ]

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name)) or "")
        return str(self.fields[name].initial or "")

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("Tahun data tidak boleh di masa depan."))
        return int(year)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        by_sheet: dict[str, dict[str, list[str]]] = {}
        for name, (sheet, _column) in self._columns.items():
            value = cleaned.get(name)
            if value:
                by_sheet.setdefault(sheet, {}).setdefault(value, []).append(name)
        for fields in by_sheet.values():
            for value, names in fields.items():
                if len(names) > 1:
                    message = _("'%(label)s' dipilih untuk lebih dari satu kolom.") % {
                        "label": FIELD_LABELS[value]
                    }
                    for name in names:
                        self.add_error(name, message)
        if cleaned.get("omzet_period") == "month":
            for name, (_sheet, column) in self._columns.items():
                if cleaned.get(name) == "omzet_year" and not column.get("ambiguous"):
                    self.add_error(
                        "omzet_period",
                        _(
                            "Kolom '%(header)s' dipetakan ke 'Omzet per tahun'. Bila isinya per "
                            "bulan, petakan kolom itu ke 'Omzet per bulan'; pilihan ini hanya "
                            "untuk kolom yang judulnya tidak menyebut periode."
                        )
                        % {"header": column["header"]},
                    )
        return cleaned

    def columns(self) -> dict[str, dict[int, str | None]]:
        """``{sheet: {column index: field or None}}`` for ``import_batch_map``."""
        chosen: dict[str, dict[int, str | None]] = {}
        for name, (sheet, column) in self._columns.items():
            chosen.setdefault(sheet, {})[column["index"]] = self.cleaned_data.get(name) or None
        return chosen

    def options(self) -> dict[str, Any]:
        return {
            **(self.batch.options or {}),
            "omzet_period": self.cleaned_data["omzet_period"],
            "year": self.cleaned_data["year"],
            "default_desa_kelurahan": self.cleaned_data.get("default_desa_kelurahan") or None,
        }


# --------------------------------------------------------------------------------------------
# Quarantine: correcting one row
# --------------------------------------------------------------------------------------------


def _squash(value: object) -> str:
    return " ".join(str(value or "").split())


class RowCorrectionForm(forms.Form):
    """One text input per field of the row; only the fields the officer changed are sent."""

    def __init__(self, *args: Any, items: Sequence[FieldValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            attrs: dict[str, str] = {"autocomplete": "off"}
            if item.field == "desa_kelurahan":
                attrs["list"] = "intake-kelurahan"
            if item.field in ("nik", "nib", "npwp", "phone"):
                attrs["inputmode"] = "numeric" if item.field != "phone" else "tel"
            if item.has_error:
                attrs["aria-invalid"] = "true"
            self.fields[item.field] = forms.CharField(
                label=item.label,
                required=False,
                max_length=500,
                initial=_squash(item.value),
                widget=forms.TextInput(attrs=attrs),
            )

    @property
    def rows(self) -> list[tuple[FieldValue, forms.BoundField]]:
        return [(item, self[item.field]) for item in self.items]

    @property
    def error_rows(self) -> list[tuple[FieldValue, forms.BoundField]]:
        return [(item, bound) for item, bound in self.rows if item.has_error]

    @property
    def other_rows(self) -> list[tuple[FieldValue, forms.BoundField]]:
        return [(item, bound) for item, bound in self.rows if not item.has_error]

    def corrections(self) -> dict[str, str]:
        """The fields whose text the officer changed (spacing alone is no change)."""
        changed = {}
        for item in self.items:
            typed = self.cleaned_data.get(item.field, "")
            if _squash(typed) != _squash(item.value):
                changed[item.field] = typed
        return changed


class UndoForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya mengerti: usaha yang dibuat oleh impor ini akan dihapus dari register."),
        error_messages={"required": _("Centang kotak konfirmasi untuk membatalkan impor.")},
    )
