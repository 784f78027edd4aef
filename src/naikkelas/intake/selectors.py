"""Reading imports for the web pages: lists, counts, previews (no writes here).

Batches are visible to every role holding ``IMPORT_MANAGE``; there is no per-area scoping of
batches in this version. Businesses reached from a row still go through ``registry.access``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.intake.headers import CANONICAL_FIELDS, FIELD_LABELS, column_letter
from naikkelas.intake.models import ImportBatch, ImportRow, RowStatus, SourceMapping
from naikkelas.intake.services.processing import row_data
from naikkelas.regions.selectors import desa_kelurahan_list

PREVIEW_ROWS = 5
# Fields that identify a person: masked wherever a list shows them (UU 27/2022).
MASKED_FIELDS = frozenset({"nik", "npwp", "phone"})
# Bookkeeping columns of a form export: recognised, never corrected by hand.
BOOKKEEPING_FIELDS = frozenset({"row_id", "submitted_at", "source_uuid"})


def batch_list() -> QuerySet[ImportBatch]:
    """All imports, newest first."""
    return ImportBatch.objects.select_related("created_by").order_by("-created_at")


def source_names() -> list[str]:
    """Sources used before (for the upload form's suggestions)."""
    names = set(ImportBatch.objects.values_list("source", flat=True).distinct())
    names.update(SourceMapping.objects.values_list("source", flat=True))
    return sorted(n for n in names if n)


def kelurahan_names() -> list[str]:
    """Names of the deployment's desa/kelurahan (suggestions when correcting a row)."""
    names = desa_kelurahan_list().select_related(None).values_list("name", flat=True)
    return sorted(set(names))


def source_mapping_known(source: str) -> bool:
    return SourceMapping.objects.filter(source=source).exists()


@dataclass(frozen=True)
class RowCounts:
    """Where every row of a batch went (counted from the rows themselves)."""

    rows_in: int
    promoted: int
    linked: int
    quarantined: int
    duplicate: int
    pending: int

    @property
    def processed(self) -> int:
        return self.rows_in - self.pending

    @property
    def percent(self) -> int:
        return 100 if self.rows_in == 0 else self.processed * 100 // self.rows_in

    @property
    def accounted(self) -> int:
        return self.promoted + self.linked + self.quarantined + self.duplicate

    @property
    def balanced(self) -> bool:
        return self.rows_in == self.accounted + self.pending

    def by_status(self) -> dict[str, int]:
        return {
            RowStatus.PROMOTED: self.promoted,
            RowStatus.LINKED: self.linked,
            RowStatus.QUARANTINED: self.quarantined,
            RowStatus.DUPLICATE: self.duplicate,
            RowStatus.PENDING: self.pending,
        }


def row_counts(batch: ImportBatch) -> RowCounts:
    counts = dict(batch.rows.values_list("status").annotate(n=Count("pk")).order_by())
    return RowCounts(
        rows_in=sum(counts.values()),
        promoted=counts.get(RowStatus.PROMOTED, 0),
        linked=counts.get(RowStatus.LINKED, 0),
        quarantined=counts.get(RowStatus.QUARANTINED, 0),
        duplicate=counts.get(RowStatus.DUPLICATE, 0),
        pending=counts.get(RowStatus.PENDING, 0),
    )


def batch_rows(batch: ImportBatch, *, status: str | None = None) -> QuerySet[ImportRow]:
    rows = batch.rows.all()
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("sheet", "row_number")


def sheet_row_counts(batch: ImportBatch) -> dict[str, int]:
    return dict(batch.rows.values_list("sheet").annotate(n=Count("pk")).order_by())


def sheet_samples(batch: ImportBatch, *, limit: int = PREVIEW_ROWS) -> dict[str, list[ImportRow]]:
    """The first data rows of every sheet, for the mapping preview."""
    return {
        sheet: list(batch.rows.filter(sheet=sheet).order_by("row_number")[:limit])
        for sheet in batch.layout
    }


def cell_text(value: Any) -> str:
    """A stored cell as text for a page or an input (``3673...0.0`` -> ``"3673...0"``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def masked(field: str | None, value: Any) -> str:
    """A cell as a list shows it: identifiers masked like everywhere else."""
    text = cell_text(value)
    if not text or field not in MASKED_FIELDS:
        return text
    return mask_phone(text) if field == "phone" else mask_nik(text)


@dataclass(frozen=True)
class FieldValue:
    field: str
    label: str
    value: str
    issues: tuple[dict[str, str], ...]

    @property
    def has_error(self) -> bool:
        return any(i.get("severity") == "error" for i in self.issues)


def _ordered(fields: Iterable[str]) -> list[str]:
    wanted = set(fields)
    return [f for f in CANONICAL_FIELDS if f in wanted]


def row_fields(
    batch: ImportBatch, row: ImportRow, *, mask: bool = True, with_issues: bool = True
) -> list[FieldValue]:
    """Every canonical field of a row (mapped, corrected or with an issue), with its issues."""
    data = row_data(batch, row)
    issues_of: dict[str, list[dict[str, str]]] = {}
    if with_issues:
        for issue in row.issues:
            issues_of.setdefault(issue.get("field", ""), []).append(issue)
    names = _ordered(
        [f for f in data if f not in BOOKKEEPING_FIELDS]
        + [f for f in issues_of if f in FIELD_LABELS]
    )
    return [
        FieldValue(
            field=name,
            label=FIELD_LABELS[name],
            value=masked(name, data.get(name)) if mask else cell_text(data.get(name)),
            issues=tuple(issues_of.get(name, ())),
        )
        for name in names
    ]


@dataclass(frozen=True)
class RawCell:
    letter: str
    header: str
    value: str
    is_number: bool
    field: str | None


def row_raw_cells(batch: ImportBatch, row: ImportRow) -> list[RawCell]:
    """The row's cells exactly as read, with the header of their column (when it has one)."""
    columns = {c["index"]: c for c in batch.layout.get(row.sheet, {}).get("columns", [])}
    cells = []
    for index, value in enumerate(row.raw):
        column = columns.get(index, {})
        if value is None and not column:
            continue
        cells.append(
            RawCell(
                letter=column_letter(index),
                header=column.get("header", ""),
                value="" if value is None else str(value),
                is_number=isinstance(value, int | float) and not isinstance(value, bool),
                field=column.get("field"),
            )
        )
    return cells


def row_summary(batch: ImportBatch, row: ImportRow) -> dict[str, str]:
    """Who and what a row is about, for one line of a list."""
    data = row_data(batch, row)
    return {
        "owner_name": cell_text(data.get("owner_name")),
        "business_name": cell_text(data.get("business_name")),
        "desa_kelurahan": cell_text(data.get("desa_kelurahan")),
    }
